//! One run's result: printed as one `key=value` line, optionally written as
//! a JSON object with the same keys.

use serde_json::{Map, Value};

use crate::BoxError;

pub struct Summary {
    fields: Vec<(String, Value)>,
}

impl Summary {
    pub fn new(bench: &str) -> Self {
        Self {
            fields: vec![("bench".to_owned(), Value::from(bench))],
        }
    }

    pub fn add(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.fields.push((key.into(), value.into()));
        self
    }

    /// A latency in microseconds, reported in milliseconds.
    pub fn ms(self, key: impl Into<String>, micros: u64) -> Self {
        self.add(key, (micros as f64 / 10.0).round() / 100.0)
    }

    /// A rate or ratio, rounded to one decimal.
    pub fn rate(self, key: impl Into<String>, value: f64) -> Self {
        self.add(key, (value * 10.0).round() / 10.0)
    }

    pub fn num(&self, key: &str) -> f64 {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .and_then(|(_, v)| v.as_f64())
            .unwrap_or(f64::NAN)
    }

    pub fn text(&self, key: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .unwrap_or_default()
    }

    pub fn line(&self) -> String {
        self.fields
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}={s}"),
                other => format!("{k}={other}"),
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// Print the line, and write the JSON to `--json FILE` when given.
    pub fn report(&self, args: &[String]) -> Result<(), BoxError> {
        println!("{}", self.line());
        if let Some(path) = args
            .iter()
            .position(|a| a == "--json")
            .and_then(|i| args.get(i + 1))
        {
            let map: Map<String, Value> = self
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            std::fs::write(
                path,
                serde_json::to_string_pretty(&Value::Object(map))? + "\n",
            )?;
        }
        Ok(())
    }
}
