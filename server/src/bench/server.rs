//! The measured server: a temporary database on either backend, and `strata serve` on it as a
//! child process, pinned to CPU 0 when `taskset` is there, with its peak memory read from /proc.

use super::{Failure, Options};
use sqlx::{Connection, PgConnection};
use std::process::Stdio;
use std::time::Duration;
use tokio::process::{Child, Command};

/// The backends the bench measures.
#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A database that exists for one measurement.
pub struct TempDatabase {
    pub url: String,
    dir: Option<std::path::PathBuf>,
    postgres: Option<(String, String)>,
}

impl TempDatabase {
    pub async fn create(backend: Backend, admin: Option<&str>) -> Result<Self, Failure> {
        let unique = format!(
            "{}_{}",
            std::process::id(),
            chrono::Utc::now().timestamp_micros()
        );
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("strata-bench-{unique}"));
                std::fs::create_dir_all(&dir)?;
                let url = format!("sqlite://{}", dir.join("strata.db").display());
                Ok(TempDatabase {
                    url,
                    dir: Some(dir),
                    postgres: None,
                })
            }
            Backend::Postgres => {
                let admin = admin.ok_or("no PostgreSQL URL")?.to_string();
                let name = format!("strata_bench_{unique}");
                let mut conn = PgConnection::connect(&admin).await?;
                sqlx::query(&format!("create database {name}"))
                    .execute(&mut conn)
                    .await?;
                conn.close().await?;
                let url = with_database(&admin, &name);
                Ok(TempDatabase {
                    url,
                    dir: None,
                    postgres: Some((admin, name)),
                })
            }
        }
    }

    /// Removes the database.
    pub async fn drop(self) {
        if let Some(dir) = self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
        if let Some((admin, name)) = self.postgres {
            if let Ok(mut conn) = PgConnection::connect(&admin).await {
                let _ = sqlx::query(&format!("drop database if exists {name} with (force)"))
                    .execute(&mut conn)
                    .await;
            }
        }
    }
}

/// `url` with its database name replaced by `name` (the bench's and the tests' scratch
/// databases are made this way).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let cut = base
        .rfind('/')
        .filter(|i| *i > "postgres://".len())
        .unwrap_or(base.len());
    let mut out = format!("{}/{name}", &base[..cut]);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

fn has_taskset() -> bool {
    std::process::Command::new("taskset")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn cpus() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// True when the server and the load generator can each have a CPU of their own.
pub fn can_pin() -> bool {
    cpus() > 1 && has_taskset()
}

/// Pins this process (all its threads) to `cpu`; false when that cannot be done.
pub fn pin_self_to_cpu(cpu: usize) -> bool {
    std::process::Command::new("taskset")
        .args([
            "-a",
            "-cp",
            &cpu.to_string(),
            &std::process::id().to_string(),
        ])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `strata serve` running on a temporary database.
pub struct Running {
    pub base: String,
    child: Child,
}

impl Running {
    /// Starts the server, on CPU 0 when `pinned` (the load generator then runs on CPU 1).
    pub async fn start(
        options: &Options,
        database_url: &str,
        pinned: bool,
    ) -> Result<Self, Failure> {
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let mut command = if pinned {
            let mut c = Command::new("taskset");
            c.args(["-c", "0"]).arg(&options.server_binary);
            c
        } else {
            Command::new(&options.server_binary)
        };
        let child = command
            .arg("serve")
            .env("STRATA_DATABASE_URL", database_url)
            .env("STRATA_ADDR", format!("127.0.0.1:{port}"))
            .env("STRATA_SITE_ROOT", &options.site_root)
            .env("STRATA_LOG", "warn")
            .env_remove("STRATA_PUBLIC_URL")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()?;
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..150 {
            if client
                .get(format!("{base}/health"))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success())
            {
                return Ok(Running { base, child });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err("the server did not answer /health within 15 s".into())
    }

    /// The server's peak resident memory so far (VmHWM), in MB.
    pub fn peak_rss_mb(&self) -> f64 {
        let Some(pid) = self.child.id() else {
            return 0.0;
        };
        std::fs::read_to_string(format!("/proc/{pid}/status"))
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
            })
            .map_or(0.0, |kb| kb / 1024.0)
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_replaced() {
        assert_eq!(
            with_database(
                "postgres://u:p@127.0.0.1:5432/postgres?sslmode=disable",
                "b"
            ),
            "postgres://u:p@127.0.0.1:5432/b?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "b"), "postgres://u@h/b");
    }
}
