//! Configuration: built-in defaults, then an optional TOML file, then `APP_…`
//! environment variables (each documented in `.env.example`).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// `sqlite://path?mode=rwc` or `postgres://user@host/db`.
    pub database_url: String,
    pub bind: SocketAddr,
    /// The origin browsers use, e.g. `https://mentoring.example.org`. Unset:
    /// derived from `bind` (with a loopback bind both 127.0.0.1 and localhost).
    pub public_origin: Option<String>,
    /// The built frontend (`cargo xtask build` writes it here).
    pub static_dir: PathBuf,
    /// A session not used for this long ends.
    pub session_idle_minutes: i64,
    /// A session ends this long after log-in however much it is used.
    pub session_absolute_days: i64,
    pub db_max_connections: u32,
    /// `pretty` or `json`.
    pub log_format: LogFormat,
    /// Reverse proxies whose `X-Forwarded-For` names the client (login
    /// throttling, the audit log). Empty: the socket's peer is the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Messages a person may send per second on the websocket, sustained,
    /// and in a burst.
    pub send_per_second: u32,
    pub send_burst: u32,
    /// The programme team must turn on two-factor sign-in before any team
    /// step (`two_factor_setup_required` until then).
    pub admin_two_factor_required: bool,
    /// Share live events with other nodes through PostgreSQL. Unset: yes on
    /// PostgreSQL (a lone node just hears itself); SQLite is one node.
    pub cluster: Option<bool>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    Pretty,
    Json,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            database_url: "sqlite://data/app.db?mode=rwc".into(),
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_origin: None,
            static_dir: PathBuf::from("target/site"),
            session_idle_minutes: 60 * 24 * 7,
            session_absolute_days: 30,
            db_max_connections: 10,
            log_format: LogFormat::Pretty,
            trusted_proxies: Vec::new(),
            send_per_second: 5,
            send_burst: 30,
            admin_two_factor_required: true,
            cluster: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config file {path}: {source}")]
    Parse {
        path: PathBuf,
        source: toml::de::Error,
    },
    #[error("environment variable {name}: {message}")]
    Env { name: &'static str, message: String },
}

impl Config {
    /// Defaults, then `file` (if given), then the process environment.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let mut config = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.to_owned(),
                    source,
                })?;
                toml::from_str(&text).map_err(|source| ConfigError::Parse {
                    path: path.to_owned(),
                    source,
                })?
            }
            None => Config::default(),
        };
        config.apply_env(|name| std::env::var(name).ok())?;
        Ok(config)
    }

    fn apply_env(
        &mut self,
        var: impl Fn(&'static str) -> Option<String>,
    ) -> Result<(), ConfigError> {
        fn parse<T: std::str::FromStr>(name: &'static str, value: String) -> Result<T, ConfigError>
        where
            T::Err: std::fmt::Display,
        {
            value.parse().map_err(|e: T::Err| ConfigError::Env {
                name,
                message: e.to_string(),
            })
        }
        if let Some(v) = var("APP_DATABASE_URL") {
            self.database_url = v;
        }
        if let Some(v) = var("APP_BIND") {
            self.bind = parse("APP_BIND", v)?;
        }
        if let Some(v) = var("APP_PUBLIC_ORIGIN") {
            self.public_origin = (!v.is_empty()).then_some(v);
        }
        if let Some(v) = var("APP_STATIC_DIR") {
            self.static_dir = PathBuf::from(v);
        }
        if let Some(v) = var("APP_SESSION_IDLE_MINUTES") {
            self.session_idle_minutes = parse("APP_SESSION_IDLE_MINUTES", v)?;
        }
        if let Some(v) = var("APP_SESSION_ABSOLUTE_DAYS") {
            self.session_absolute_days = parse("APP_SESSION_ABSOLUTE_DAYS", v)?;
        }
        if let Some(v) = var("APP_DB_MAX_CONNECTIONS") {
            self.db_max_connections = parse("APP_DB_MAX_CONNECTIONS", v)?;
        }
        if let Some(v) = var("APP_TRUSTED_PROXIES") {
            self.trusted_proxies = v
                .split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| parse("APP_TRUSTED_PROXIES", p.to_owned()))
                .collect::<Result<_, _>>()?;
        }
        if let Some(v) = var("APP_SEND_PER_SECOND") {
            self.send_per_second = parse("APP_SEND_PER_SECOND", v)?;
        }
        if let Some(v) = var("APP_SEND_BURST") {
            self.send_burst = parse("APP_SEND_BURST", v)?;
        }
        if let Some(v) = var("APP_ADMIN_TWO_FACTOR_REQUIRED") {
            self.admin_two_factor_required = parse("APP_ADMIN_TWO_FACTOR_REQUIRED", v)?;
        }
        if let Some(v) = var("APP_CLUSTER") {
            self.cluster = Some(parse("APP_CLUSTER", v)?);
        }
        if let Some(v) = var("APP_LOG_FORMAT") {
            self.log_format = match v.as_str() {
                "pretty" => LogFormat::Pretty,
                "json" => LogFormat::Json,
                _ => {
                    return Err(ConfigError::Env {
                        name: "APP_LOG_FORMAT",
                        message: "expected `pretty` or `json`".into(),
                    });
                }
            };
        }
        Ok(())
    }

    /// Origins allowed to make state-changing requests and open the websocket,
    /// given the address actually bound (the port may have been 0).
    pub fn allowed_origins(&self, bound: SocketAddr) -> Vec<String> {
        if let Some(origin) = &self.public_origin {
            return vec![origin.trim_end_matches('/').to_owned()];
        }
        let port = bound.port();
        if bound.ip().is_loopback() {
            vec![
                format!("http://127.0.0.1:{port}"),
                format!("http://localhost:{port}"),
            ]
        } else {
            vec![format!("http://{bound}")]
        }
    }

    /// Cookies get `Secure` and the `__Host-` prefix only over https.
    pub fn is_https(&self) -> bool {
        self.public_origin
            .as_deref()
            .is_some_and(|o| o.starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn environment_overrides_file_and_defaults() {
        let mut config: Config =
            toml::from_str("bind = \"0.0.0.0:9000\"\nsession_absolute_days = 3").expect("parse");
        config
            .apply_env(|name| match name {
                "APP_BIND" => Some("127.0.0.1:7000".into()),
                "APP_LOG_FORMAT" => Some("json".into()),
                _ => None,
            })
            .expect("env");
        assert_eq!(config.bind.port(), 7000);
        assert_eq!(config.session_absolute_days, 3);
        assert_eq!(config.log_format, LogFormat::Json);
        assert_eq!(
            config.session_idle_minutes,
            Config::default().session_idle_minutes
        );
    }

    #[test]
    fn bad_environment_values_are_named() {
        let err = Config::default()
            .apply_env(|name| (name == "APP_BIND").then(|| "nope".into()))
            .expect_err("must fail");
        assert!(err.to_string().contains("APP_BIND"));
    }

    #[test]
    fn loopback_allows_both_local_names() {
        let origins = Config::default().allowed_origins(SocketAddr::from(([127, 0, 0, 1], 8080)));
        assert_eq!(
            origins,
            ["http://127.0.0.1:8080", "http://localhost:8080"].map(String::from)
        );
    }

    #[test]
    fn the_programme_team_needs_two_factor_unless_turned_off() {
        let mut config = Config::default();
        config.apply_env(|_| None).expect("empty environment");
        assert!(config.admin_two_factor_required);
        config
            .apply_env(|name| (name == "APP_ADMIN_TWO_FACTOR_REQUIRED").then(|| "false".into()))
            .expect("env");
        assert!(!config.admin_two_factor_required);
        let err = Config::default()
            .apply_env(|name| (name == "APP_ADMIN_TWO_FACTOR_REQUIRED").then(|| "maybe".into()))
            .expect_err("must fail");
        assert!(err.to_string().contains("APP_ADMIN_TWO_FACTOR_REQUIRED"));
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        assert!(toml::from_str::<Config>("bnid = \"x\"").is_err());
    }
}
