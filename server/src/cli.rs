//! The command line (clap): `serve` (the default), `migrate`, `demo`, `rematerialize`,
//! `user reset-password`, `bench`;
//! every subcommand has `--help`.

use crate::config::{redact_url, Config};
use crate::db::{Db, Limits};
use crate::state::AppState;
use app::domain::Principal;
use app::ports::SharedStore;
use axum::serve::ListenerExt;
use clap::{Parser, Subcommand};
use std::sync::Arc;

type Failure = Box<dyn std::error::Error + Send + Sync>;

/// Strata: AI security governance. Configuration comes from `STRATA_*` environment variables
/// (see `.env.example`).
#[derive(Parser, Debug)]
#[command(name = "strata", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web application (the default when no subcommand is given).
    Serve,
    /// Apply the database migrations and load the shipped catalog.
    Migrate,
    /// Seed the demo organization (teams, people and workloads marked as demo).
    Demo {
        /// Seed only when the database holds no team, person or workload yet.
        #[arg(long, conflicts_with = "remove")]
        if_empty: bool,
        /// Remove the demo rows instead (and the demo teams and people nobody else uses).
        #[arg(long)]
        remove: bool,
    },
    /// Rewrite every workload's requirements from the current catalog.
    Rematerialize,
    /// Manage local accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// The tamper-evident audit chain.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// Measure every page and chart route on a generated organization (use a release build:
    /// `make bench`). Needs the built browser assets (STRATA_SITE_ROOT).
    Bench {
        /// Organization sizes to measure, comma-separated.
        #[arg(long, value_delimiter = ',', default_value = "5000")]
        workloads: Vec<usize>,
        /// A PostgreSQL URL whose role may create databases; without it only SQLite is measured.
        #[arg(long)]
        postgres: Option<String>,
        /// Seconds per measurement.
        #[arg(long, default_value_t = 2.0)]
        seconds: f64,
        /// Keep the generated databases (to read query plans); their addresses are printed.
        #[arg(long)]
        keep: bool,
    },
}

#[derive(Subcommand, Debug)]
enum AuditCommand {
    /// Verify the whole chain; names the first broken sequence number and why. Exit code 0
    /// when it holds, 1 when it does not, 2 when it could not be checked.
    Verify {
        /// A head recorded earlier, `SEQ:HASH` (repeatable): detects a cut tail or a chain
        /// recomputed after an edit.
        #[arg(long, value_parser = parse_anchor)]
        anchor: Vec<app::domain::audit_chain::Anchor>,
        /// A signed checkpoint file (`strata audit head` writes one; repeatable): it must be
        /// signed by the trusted key, and the chain must reach it.
        #[arg(long)]
        checkpoint: Vec<std::path::PathBuf>,
        /// The trusted signing key's fingerprint (`SHA256:…`, on the audit page); without
        /// it, the key this server signs with (never created by verifying).
        #[arg(long, requires = "checkpoint")]
        fingerprint: Option<String>,
    },
    /// Verify the chain and print its head as a signed checkpoint (JSON, one line) to keep
    /// somewhere the database cannot rewrite; `SEQ:HASH` and the key's fingerprint go to
    /// standard error. A broken chain is not signed (exit code 1; 2 when it could not run).
    Head,
    /// Write the events of a time range as JSON Lines (to standard output) that verify on
    /// their own: the first line says where the extract starts.
    Export {
        /// RFC 3339 instant; events at or after it.
        #[arg(long)]
        from: Option<chrono::DateTime<chrono::Utc>>,
        /// RFC 3339 instant; events before it.
        #[arg(long)]
        to: Option<chrono::DateTime<chrono::Utc>>,
    },
}

fn parse_anchor(text: &str) -> Result<app::domain::audit_chain::Anchor, String> {
    app::domain::audit_chain::Anchor::parse(text)
        .ok_or_else(|| "expected SEQ:HASH (a sequence number and 64 hex digits)".to_string())
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Give a person a new temporary password (printed once) that they must replace at their
    /// next sign-in; their sessions end.
    ResetPassword {
        /// Their email, or their exact name if only one person has it.
        name: String,
    },
}

/// Runs the command line; returns the process exit code.
pub async fn run(args: Vec<String>) -> i32 {
    let cli = match Cli::try_parse_from(std::iter::once("strata".to_string()).chain(args)) {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version print and succeed; mistakes print usage and fail.
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("strata: {e}");
            return 2;
        }
    };
    init_tracing(&config.log);
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => migrate(&config).await.map(|_| ()),
        Command::Demo { remove: true, .. } => remove_demo(&config).await,
        Command::Demo { if_empty, .. } => demo(&config, if_empty).await,
        Command::Rematerialize => rematerialize(&config).await,
        Command::User {
            command: UserCommand::ResetPassword { name },
        } => reset_password(&config, &name).await,
        Command::Audit {
            command:
                AuditCommand::Verify {
                    anchor,
                    checkpoint,
                    fingerprint,
                },
        } => match audit_verify(&config, anchor, &checkpoint, fingerprint.as_deref()).await {
            Ok(true) => Ok(()),
            Ok(false) => return 1,
            // Not checked is not the same as broken: scripts can tell them apart.
            Err(e) => {
                eprintln!("strata: {e}");
                return 2;
            }
        },
        Command::Audit {
            command: AuditCommand::Head,
        } => match audit_head(&config).await {
            Ok(true) => Ok(()),
            Ok(false) => return 1,
            Err(e) => {
                eprintln!("strata: {e}");
                return 2;
            }
        },
        Command::Audit {
            command: AuditCommand::Export { from, to },
        } => audit_export(&config, from, to).await,
        Command::Bench {
            workloads,
            postgres,
            seconds,
            keep,
        } => {
            let options = crate::bench::Options {
                sizes: workloads,
                postgres_admin_url: postgres,
                seconds,
                keep,
                site_root: config.site_root.clone(),
                server_binary: match std::env::current_exe() {
                    Ok(p) => p,
                    Err(e) => {
                        eprintln!("strata: cannot find its own binary: {e}");
                        return 1;
                    }
                },
            };
            crate::bench::run(options).await
        }
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("strata: {e}");
            1
        }
    }
}

/// Who command-line changes are recorded as.
fn cli_principal(task: &str) -> Principal {
    Principal::System(format!("strata {task}"))
}

fn init_tracing(filter: &str) {
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // Logs go to standard error: standard output carries what commands print (an export, a
    // checkpoint, the first administrator's password).
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}

/// Connects with `limits`: the configured ones for serving, `Limits::for_tasks()` for tasks
/// whose transactions rewrite every workload.
async fn connect(config: &Config, limits: &Limits) -> Result<Db, Failure> {
    if config.uses_data_dir {
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            format!(
                "cannot create the data folder {}: {e}",
                config.data_dir.display()
            )
        })?;
    }
    Db::connect_with(&config.database_url, limits)
        .await
        .map_err(|e| {
            format!(
                "cannot open the database {}: {e}",
                redact_url(&config.database_url)
            )
            .into()
        })
}

async fn migrate(config: &Config) -> Result<Db, Failure> {
    let db = connect(config, &Limits::for_tasks()).await?;
    let chained = db.migrate().await?;
    println!(
        "database is up to date ({})",
        redact_url(&config.database_url)
    );
    // Checkpoints of hashes the chain no longer has would refuse every new one.
    if chained > 0 {
        if let Some(moved) = crate::checkpoint::set_aside(&checkpoints_dir(config))? {
            println!(
                "the audit chain was chained anew ({chained} events): the checkpoints of its \
                 earlier form are kept in {}",
                moved.display()
            );
        }
    }
    load_catalog(&db).await?;
    Ok(db)
}

/// Loads the shipped catalog; a new version only when its content changed.
async fn load_catalog(db: &Db) -> Result<(), Failure> {
    let started = std::time::Instant::now();
    let load = crate::catalog::load_starter(&db_store(db), &cli_principal("migrate")).await?;
    if load.created {
        println!(
            "catalog: recorded a new version and rewrote the requirements of {} workloads in {} ms",
            load.workloads,
            started.elapsed().as_millis()
        );
    }
    Ok(())
}

async fn demo(config: &Config, only_if_empty: bool) -> Result<(), Failure> {
    let db = connect(config, &Limits::for_tasks()).await?;
    let store: SharedStore = Arc::new(db.clone());
    if only_if_empty && !store.is_empty().await? {
        println!("demo: the database already has data; nothing seeded");
        return Ok(());
    }
    let seeded = crate::demo::seed(&store).await?;
    println!(
        "demo: seeded {} teams, {} people, {} workloads and a year of {} attestations",
        seeded.teams, seeded.users, seeded.workloads, seeded.attestations
    );
    db.close().await;
    Ok(())
}

async fn remove_demo(config: &Config) -> Result<(), Failure> {
    let db = connect(config, &Limits::for_tasks()).await?;
    let gone = db_store(&db).remove_demo(&cli_principal("demo")).await?;
    println!("demo: removed {gone} demo workloads and the demo teams and people no one else uses");
    Ok(())
}

/// Rewrites every workload's requirements from the current catalog, and says how long it took.
async fn rematerialize(config: &Config) -> Result<(), Failure> {
    let db = connect(config, &Limits::for_tasks()).await?;
    let started = std::time::Instant::now();
    let n = db_store(&db)
        .rematerialize_all(&cli_principal("rematerialize"))
        .await?;
    println!(
        "rematerialized the requirements of {n} workloads in {} ms",
        started.elapsed().as_millis()
    );
    Ok(())
}

/// `strata audit verify`: whether the chain holds (printed either way).
async fn audit_verify(
    config: &Config,
    mut anchors: Vec<app::domain::audit_chain::Anchor>,
    checkpoints: &[std::path::PathBuf],
    fingerprint: Option<&str>,
) -> Result<bool, Failure> {
    if !checkpoints.is_empty() {
        let trusted = match fingerprint {
            Some(f) => f.to_string(),
            None => {
                let key = crate::checkpoint::existing_key(
                    config.signing_key_file.as_deref(),
                    &config.data_dir,
                )?
                .ok_or(
                    "there is no signing key here to check checkpoints against: pass \
                     --fingerprint (the audit page shows it)",
                )?;
                crate::checkpoint::fingerprint(&key)
            }
        };
        for path in checkpoints {
            let checkpoint = crate::checkpoint::read(path)?;
            match checkpoint.verify(&trusted) {
                Ok(anchor) => anchors.push(anchor),
                Err(why) => {
                    println!("checkpoint {} REFUSED: {why}", path.display());
                    return Ok(false);
                }
            }
        }
    }
    let anchors = &anchors;
    let db = connect(config, &Limits::for_tasks()).await?;
    let started = std::time::Instant::now();
    let actor = cli_principal("audit verify");
    let result = app::service::audit::verify_chain(&db, &actor, anchors, |_| ()).await?;
    db.close().await;
    let ms = started.elapsed().as_millis();
    match result {
        Ok(v) => {
            let head = v.head.map_or("empty".to_string(), |h| h.to_string());
            println!(
                "audit chain intact: {} events in {ms} ms; head {head}",
                v.events
            );
            Ok(true)
        }
        Err(b) => {
            println!("audit chain BROKEN at {b}");
            Ok(false)
        }
    }
}

/// The audit signing key (the data folder's is created on first use).
fn signing_key(config: &Config) -> Result<ed25519_dalek::SigningKey, Failure> {
    Ok(crate::checkpoint::signing_key(
        config.signing_key_file.as_deref(),
        &config.data_dir,
    )?)
}

/// Where the server writes its daily checkpoints.
fn checkpoints_dir(config: &Config) -> std::path::PathBuf {
    config.data_dir.join("checkpoints")
}

/// `strata audit head`: the verified head as a signed checkpoint; `false` when the chain is
/// broken (nothing is signed).
async fn audit_head(config: &Config) -> Result<bool, Failure> {
    use crate::checkpoint::NotSigned;
    let key = signing_key(config)?;
    let db = connect(config, &Limits::for_tasks()).await?;
    let signed = crate::checkpoint::sign_verified_head(&db, &key, &checkpoints_dir(config)).await;
    db.close().await;
    match signed {
        Ok(checkpoint) => {
            println!("{}", serde_json::to_string(&checkpoint)?);
            eprintln!(
                "head {}:{}, signed with key {}",
                checkpoint.seq,
                checkpoint.hash,
                crate::checkpoint::fingerprint(&key.verifying_key())
            );
            Ok(true)
        }
        Err(NotSigned::Broken(b)) => {
            println!("audit chain BROKEN at {b}; no checkpoint signed");
            Ok(false)
        }
        Err(NotSigned::Failed(why)) => Err(why.into()),
    }
}

/// `strata audit export`.
async fn audit_export(
    config: &Config,
    from: Option<chrono::DateTime<chrono::Utc>>,
    to: Option<chrono::DateTime<chrono::Utc>>,
) -> Result<(), Failure> {
    use std::io::Write;
    let db = connect(config, &Limits::for_tasks()).await?;
    let actor = cli_principal("audit export");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = app::service::audit::export_chain(&db, &actor, from, to, |line| {
        writeln!(out, "{line}").map_err(|e| app::error::AppError::Internal(e.to_string()))
    })
    .await?;
    out.flush()?;
    drop(out);
    eprintln!("audit export: {written} events");
    db.close().await;
    Ok(())
}

/// `strata user reset-password NAME`.
async fn reset_password(config: &Config, who: &str) -> Result<(), Failure> {
    let db = connect(config, &config.db_limits).await?;
    let password = crate::passwords::one_time_password()?;
    let hasher = crate::passwords::Passwords::new(1);
    let actor = cli_principal("user reset-password");
    app::service::accounts::reset_password(&db, &hasher, who, &password, &actor).await?;
    println!("New temporary password for {who}: {password}");
    println!(
        "They must replace it with their own at their next sign-in. Their sessions have ended."
    );
    db.close().await;
    Ok(())
}

/// Makes sure an administrator exists (design: the first start creates one) and says how to
/// sign in.
async fn first_admin(config: &Config, db: &Db) -> Result<(), Failure> {
    use app::service::accounts::{ensure_admin, AdminPassword, FIRST_ADMIN_EMAIL};
    let generated = crate::passwords::one_time_password()?;
    let password = match &config.admin_password {
        Some(p) => AdminPassword::Configured(p.clone()),
        None => AdminPassword::Generated(generated.clone()),
    };
    let hasher = crate::passwords::Passwords::new(1);
    let made = ensure_admin(db, &hasher, password, &cli_principal("serve")).await?;
    let login = format!("{}/login", config.public_url);
    match (made, &config.admin_password) {
        (Some(email), Some(_)) => println!(
            "Created the administrator {email} with the password in STRATA_ADMIN_PASSWORD. \
             Sign in at {login}"
        ),
        (Some(email), None) => {
            println!("Created the administrator. Sign in at {login}");
            println!("  email:    {email}");
            println!("  password: {generated}   (shown once; you replace it at first sign-in)");
        }
        (None, _) => println!(
            "Sign in at {login} (lost the administrator's password? \
             `strata user reset-password {FIRST_ADMIN_EMAIL}`)"
        ),
    }
    if config.demo_passwords_allowed()
        && db_store(db)
            .credentials_by_email(crate::demo::DEMO_EMAIL)
            .await?
            .is_some()
    {
        println!(
            "Demo people sign in with the password {} while Strata listens on loopback (README lists them)",
            crate::demo::DEMO_PASSWORD
        );
    }
    Ok(())
}

fn db_store(db: &Db) -> SharedStore {
    Arc::new(db.clone())
}

async fn serve(config: Config) -> Result<(), Failure> {
    // Loading a changed catalog rewrites every workload's requirements: a task, not a request.
    let tasks = connect(&config, &Limits::for_tasks()).await?;
    load_catalog(&tasks).await?;
    first_admin(&config, &tasks).await?;
    tasks.close().await;
    let db = connect(&config, &config.db_limits).await?;
    let addr = config.addr;
    let public = config.public_url.clone();
    let names = crate::hosts::AllowedHosts::new(&config.public_url, &config.allowed_hosts);
    let sweeper = crate::sessions::spawn_sweeper(&db);
    // The key is made (or read) before serving: a server that cannot sign does not start.
    let key = signing_key(&config)?;
    tracing::info!(
        key = %crate::checkpoint::fingerprint(&key.verifying_key()),
        "audit checkpoints are signed with this key"
    );
    let dir = checkpoints_dir(&config);
    let state = AppState::new(config, db.clone()).with_checkpoints(&key, dir.clone());
    let checkpoints = spawn_daily_checkpoints(&db, key, dir);
    let app = crate::router::build(state);
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| format!("cannot listen on {addr} (STRATA_ADDR): {e}"))?
        // Pages stream in chunks; with Nagle's algorithm a chunk written while the previous
        // one is unacknowledged waits for the client's delayed ACK (measured: 40 ms on a
        // third of page requests).
        .tap_io(|tcp| {
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(error = %e, "cannot set TCP_NODELAY on a connection");
            }
        });
    tracing::info!(%addr, "listening");
    println!("Strata is running at {public} (Ctrl-C stops it)");
    println!(
        "It answers requests for {} (STRATA_PUBLIC_URL, STRATA_ALLOWED_HOSTS)",
        names.0.join(", ")
    );
    // The peer's address is what per-client limits count by (client_address.rs).
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    sweeper.abort();
    checkpoints.abort();
    Ok(())
}

/// Writes a signed checkpoint of the chain's verified head into `dir` once a day (the first at
/// start, unless today's exists); a broken chain is reported, not signed.
fn spawn_daily_checkpoints(
    db: &Db,
    key: ed25519_dalek::SigningKey,
    dir: std::path::PathBuf,
) -> tokio::task::JoinHandle<()> {
    use crate::checkpoint::{daily_path, sign_verified_head, write_daily, NotSigned};
    let db = db.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3_600));
        loop {
            every.tick().await;
            let path = daily_path(&dir, chrono::Utc::now());
            if path.exists() {
                continue;
            }
            let written = match sign_verified_head(&db, &key, &dir).await {
                Ok(c) => write_daily(&path, &c).map_err(NotSigned::Failed),
                Err(e) => Err(e),
            };
            match written {
                Ok(()) => tracing::info!(path = %path.display(), "audit checkpoint written"),
                Err(NotSigned::Broken(b)) => tracing::error!(
                    broken = %b,
                    "the audit chain is broken; no checkpoint signed (run `strata audit verify`)"
                ),
                Err(e) => tracing::warn!(error = %e, "audit checkpoint not written"),
            }
        }
    })
}
