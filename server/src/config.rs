//! Configuration: the only reader of the environment. Defaults, then `STRATA_*` variables,
//! validated at start with a message that names the variable and the problem.

use crate::db::Limits;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Everything the server needs to start.
#[derive(Clone)]
pub struct Config {
    /// Where `strata serve` listens.
    pub addr: SocketAddr,
    /// Folder for the embedded database (and, later, evidence files).
    pub data_dir: PathBuf,
    /// `sqlite://…` or `postgres://…`; holds a password, so it is never logged as is.
    pub database_url: String,
    /// True when the database is the default file in `data_dir`, which is then created.
    pub uses_data_dir: bool,
    /// Folder with the built browser assets (`pkg/strata.{js,wasm,css}` and `public/`).
    pub site_root: PathBuf,
    /// The address people reach the app at; decides the trusted origin and secure cookies.
    pub public_url: String,
    /// Host names requests may name besides the public URL's (`STRATA_ALLOWED_HOSTS`).
    pub allowed_hosts: Vec<String>,
    /// Addresses of the reverse proxies whose `X-Forwarded-For` names the client
    /// (`STRATA_TRUSTED_PROXIES`); from anyone else the header is ignored.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// `tracing` filter, e.g. `info` or `strata_server=debug`.
    pub log: String,
    /// Longest a page render or server function may take before it is answered with 503.
    pub request_timeout: Duration,
    /// Pool size and the bounds of database work.
    pub db_limits: Limits,
    /// A signed-in session unused this long ends (`STRATA_SESSION_IDLE_MINUTES`).
    pub session_idle: Duration,
    /// A signed-in session this old ends however it is used (`STRATA_SESSION_MAX_HOURS`).
    pub session_absolute: Duration,
    /// The first administrator's password (`STRATA_ADMIN_PASSWORD`); a random one is printed
    /// when unset. Never logged.
    pub admin_password: Option<String>,
    /// The Ed25519 key that signs audit checkpoints (`STRATA_SIGNING_KEY_FILE`); `None`: the
    /// data folder's `audit-signing.key`, created on first use.
    pub signing_key_file: Option<PathBuf>,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("addr", &self.addr)
            .field("data_dir", &self.data_dir)
            .field("database_url", &redact_url(&self.database_url))
            .field("site_root", &self.site_root)
            .field("public_url", &self.public_url)
            .field("allowed_hosts", &self.allowed_hosts)
            .field("trusted_proxies", &self.trusted_proxies)
            .field("log", &self.log)
            .field("request_timeout", &self.request_timeout)
            .field("db_limits", &self.db_limits)
            .field("session_idle", &self.session_idle)
            .field("session_absolute", &self.session_absolute)
            .field(
                "admin_password",
                &self.admin_password.as_ref().map(|_| "(set)"),
            )
            .finish()
    }
}

/// A configuration problem, naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {variable} {problem}")]
pub struct ConfigError {
    pub variable: &'static str,
    pub problem: String,
}

fn bad(variable: &'static str, problem: impl Into<String>) -> ConfigError {
    ConfigError {
        variable,
        problem: problem.into(),
    }
}

/// `STRATA_ALLOWED_HOSTS`: host names separated by commas, without scheme, port or path.
fn allowed_hosts(text: &str) -> Result<Vec<String>, ConfigError> {
    text.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|name| {
            let plain = name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
            let v6 = name.len() > 2
                && name.starts_with('[')
                && name.ends_with(']')
                && name[1..name.len() - 1]
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':');
            if (plain || v6) && name.len() <= 253 {
                // A final dot names the same host (`strata.internal.`).
                Ok(name.trim_end_matches('.').to_lowercase())
            } else {
                Err(bad(
                    "STRATA_ALLOWED_HOSTS",
                    format!(
                        "“{name}” is not a host name (names separated by commas, without scheme, port or path)"
                    ),
                ))
            }
        })
        .collect()
}

/// `STRATA_TRUSTED_PROXIES`: IP addresses separated by commas.
fn trusted_proxies(text: &str) -> Result<Vec<std::net::IpAddr>, ConfigError> {
    text.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| {
            a.parse().map_err(|_| {
                bad(
                    "STRATA_TRUSTED_PROXIES",
                    format!("“{a}” is not an IP address (addresses separated by commas)"),
                )
            })
        })
        .collect()
}

impl Config {
    /// Reads the process environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|k| std::env::var(k).ok())
    }

    /// Reads configuration through `get` (the environment, or a map in tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let var = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let addr_text = var("STRATA_ADDR").unwrap_or_else(|| "127.0.0.1:3000".into());
        let addr: SocketAddr = addr_text.parse().map_err(|_| {
            bad(
                "STRATA_ADDR",
                format!("must be host:port like 127.0.0.1:3000, not “{addr_text}”"),
            )
        })?;
        let data_dir = PathBuf::from(var("STRATA_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let uses_data_dir = var("STRATA_DATABASE_URL").is_none();
        let database_url = match var("STRATA_DATABASE_URL") {
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => url,
            Some(url) if url.starts_with("sqlite:") => url,
            Some(url) => {
                return Err(bad(
                    "STRATA_DATABASE_URL",
                    format!(
                        "must start with postgres:// or sqlite:, not “{}”",
                        redact_url(&url)
                    ),
                ))
            }
            None => format!("sqlite://{}", data_dir.join("strata.db").display()),
        };
        let site_root =
            PathBuf::from(var("STRATA_SITE_ROOT").unwrap_or_else(|| "target/site".into()));
        let public_url = match var("STRATA_PUBLIC_URL") {
            Some(url) => url,
            // Listening on every interface says nothing of the name people use, and only
            // requests for our own host names are answered.
            None if addr.ip().is_unspecified() => {
                return Err(bad(
                    "STRATA_PUBLIC_URL",
                    format!(
                        "must be set when STRATA_ADDR ({addr}) listens on every interface: \
                         the address people open, e.g. http://strata.example.org:{}",
                        addr.port()
                    ),
                ))
            }
            None => format!("http://{addr}"),
        };
        if !(public_url.starts_with("http://") || public_url.starts_with("https://")) {
            return Err(bad(
                "STRATA_PUBLIC_URL",
                "must start with http:// or https://",
            ));
        }
        let public_url = public_url.trim_end_matches('/').to_string();
        let allowed_hosts = allowed_hosts(var("STRATA_ALLOWED_HOSTS").as_deref().unwrap_or(""))?;
        let trusted_proxies =
            trusted_proxies(var("STRATA_TRUSTED_PROXIES").as_deref().unwrap_or(""))?;
        let log = var("STRATA_LOG").unwrap_or_else(|| "info".into());
        let millis = |name: &'static str, default: u64, range: std::ops::RangeInclusive<u64>| {
            let Some(text) = var(name) else {
                return Ok(Duration::from_millis(default));
            };
            match text.parse::<u64>() {
                Ok(n) if range.contains(&n) => Ok(Duration::from_millis(n)),
                _ => Err(bad(
                    name,
                    format!(
                        "must be a number of milliseconds from {} to {}, not “{text}”",
                        range.start(),
                        range.end()
                    ),
                )),
            }
        };
        let request_timeout = millis("STRATA_REQUEST_TIMEOUT_MS", 15_000, 100..=600_000)?;
        let statement_timeout = millis("STRATA_DB_STATEMENT_TIMEOUT_MS", 10_000, 50..=600_000)?;
        let acquire_timeout = millis("STRATA_DB_ACQUIRE_TIMEOUT_MS", 5_000, 50..=600_000)?;
        let pool_size = match var("STRATA_DB_POOL_SIZE") {
            None => None,
            Some(text) => match text.parse::<u32>() {
                Ok(n) if (1..=200).contains(&n) => Some(n),
                _ => {
                    return Err(bad(
                        "STRATA_DB_POOL_SIZE",
                        format!("must be a number from 1 to 200, not “{text}”"),
                    ))
                }
            },
        };
        let whole =
            |name: &'static str, default: u64, range: std::ops::RangeInclusive<u64>, unit: &str| {
                let Some(text) = var(name) else {
                    return Ok(default);
                };
                match text.parse::<u64>() {
                    Ok(n) if range.contains(&n) => Ok(n),
                    _ => Err(bad(
                        name,
                        format!(
                            "must be a number of {unit} from {} to {}, not “{text}”",
                            range.start(),
                            range.end()
                        ),
                    )),
                }
            };
        let session_idle = Duration::from_secs(
            60 * whole("STRATA_SESSION_IDLE_MINUTES", 60, 5..=1_440, "minutes")?,
        );
        let session_absolute =
            Duration::from_secs(3_600 * whole("STRATA_SESSION_MAX_HOURS", 12, 1..=720, "hours")?);
        if session_absolute < session_idle {
            return Err(bad(
                "STRATA_SESSION_MAX_HOURS",
                "must be at least as long as STRATA_SESSION_IDLE_MINUTES",
            ));
        }
        Ok(Config {
            session_idle,
            session_absolute,
            admin_password: var("STRATA_ADMIN_PASSWORD"),
            signing_key_file: var("STRATA_SIGNING_KEY_FILE").map(PathBuf::from),
            request_timeout,
            db_limits: Limits {
                pool_size,
                acquire_timeout,
                statement_timeout,
            },
            addr,
            data_dir,
            database_url,
            uses_data_dir,
            site_root,
            public_url,
            allowed_hosts,
            trusted_proxies,
            log,
        })
    }

    /// True when the app is reached over https (cookies are then `Secure`).
    pub fn is_https(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// Whether the documented demo passwords may work: only on a server nobody else reaches —
    /// bound to loopback, known by a loopback address, not behind a proxy (a proxy on the same
    /// host would make loopback reachable from anywhere). Sign-in also asks that the client
    /// itself be on loopback.
    pub fn demo_passwords_allowed(&self) -> bool {
        self.addr.ip().is_loopback()
            && crate::hosts::is_loopback(&self.public_url)
            && self.trusted_proxies.is_empty()
    }

    /// True when the database is the embedded SQLite file.
    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

/// Hides the password of a database URL.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}://{user}:***@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults_use_sqlite_in_the_data_folder() {
        let c = cfg(&[]).expect("defaults are valid");
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.database_url, "sqlite://./data/strata.db");
        assert!(c.is_sqlite() && !c.is_https() && c.uses_data_dir);
    }

    #[test]
    fn database_url_wins_over_the_data_folder() {
        let c = cfg(&[
            ("STRATA_DATA_DIR", "/tmp/x"),
            ("STRATA_DATABASE_URL", "postgres://a:b@h/db"),
        ])
        .expect("valid");
        assert_eq!(c.database_url, "postgres://a:b@h/db");
        assert!(!c.uses_data_dir);
        let empty = cfg(&[("STRATA_DATABASE_URL", "  ")]).expect("an empty value is unset");
        assert!(empty.uses_data_dir);
        assert!(
            !format!("{c:?}").contains(":b@"),
            "the password is redacted"
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        let e = cfg(&[("STRATA_ADDR", "nowhere")])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("STRATA_ADDR"));
        let e = cfg(&[("STRATA_DATABASE_URL", "mysql://u:secret@h/db")])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("STRATA_DATABASE_URL") && !e.contains("secret"));
    }

    #[test]
    fn trusted_proxies_are_ip_addresses() {
        let c = cfg(&[("STRATA_TRUSTED_PROXIES", " 10.0.0.1, ::1 ")]).expect("config");
        assert_eq!(
            c.trusted_proxies,
            vec![
                "10.0.0.1".parse::<std::net::IpAddr>().expect("ip"),
                "::1".parse().expect("ip")
            ]
        );
        let e = cfg(&[("STRATA_TRUSTED_PROXIES", "10.0.0.0/8")]).expect_err("a range");
        assert_eq!(e.variable, "STRATA_TRUSTED_PROXIES");
        assert!(e.problem.contains("10.0.0.0/8"), "{}", e.problem);
    }

    #[test]
    fn allowed_hosts_are_names_separated_by_commas() {
        let c =
            cfg(&[("STRATA_ALLOWED_HOSTS", " Strata.internal, [::1],,10.0.0.5 ")]).expect("valid");
        assert_eq!(c.allowed_hosts, ["strata.internal", "[::1]", "10.0.0.5"]);
        let dotted = cfg(&[("STRATA_ALLOWED_HOSTS", "strata.internal.")]).expect("valid");
        assert_eq!(dotted.allowed_hosts, ["strata.internal"]);
        let every = cfg(&[("STRATA_ADDR", "0.0.0.0:3000")])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(every.contains("STRATA_PUBLIC_URL"), "{every}");
        let named = cfg(&[
            ("STRATA_ADDR", "0.0.0.0:3000"),
            ("STRATA_PUBLIC_URL", "https://strata.example.org"),
        ]);
        assert!(named.is_ok());
        for bad in [
            "https://strata.internal",
            "strata.internal:8080",
            "a/b",
            "a b",
            "[]",
        ] {
            let e = cfg(&[("STRATA_ALLOWED_HOSTS", bad)])
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                e.contains("STRATA_ALLOWED_HOSTS") && e.contains(bad),
                "{bad}: {e}"
            );
        }
    }
}
