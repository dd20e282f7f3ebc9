//! Small lists kept in one text column as a JSON array (activity types,
//! localities): read whole with their row, never queried inside.

use serde::Serialize;
use serde::de::DeserializeOwned;

pub fn encode<T: Serialize>(items: &[T]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

/// Entries this build does not understand (a renamed slug) are skipped.
pub fn decode<T: DeserializeOwned>(text: &str) -> Vec<T> {
    let Ok(values) = serde_json::from_str::<Vec<serde_json::Value>>(text) else {
        return Vec::new();
    };
    values
        .into_iter()
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use shared::taxonomy::ActivityType;

    use super::*;

    #[test]
    fn round_trips_and_skips_unknown_entries() {
        let text = encode(&[ActivityType::Arts, ActivityType::Nature]);
        assert_eq!(text, r#"["arts","nature"]"#);
        let back: Vec<ActivityType> = decode(r#"["arts","knitting","nature"]"#);
        assert_eq!(back, [ActivityType::Arts, ActivityType::Nature]);
        assert!(decode::<ActivityType>("not json").is_empty());
    }
}
