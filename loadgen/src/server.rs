//! The server under test: the release binary, a fresh database, loopback;
//! or the baseline (`loadgen baseline-server`, no database) in its place.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use sea_orm::{ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement};
use tokio::process::{Child, Command};

use crate::BoxError;

#[derive(Clone, Copy, Debug)]
pub enum Db {
    Sqlite,
    Postgres,
    /// No database: the bare broadcast server of `baseline.rs`.
    Baseline,
}

impl Db {
    /// `--db sqlite|postgres|baseline` (SQLite when absent).
    pub fn from_args(args: &[String]) -> Self {
        let named = args
            .iter()
            .position(|a| a == "--db")
            .and_then(|i| args.get(i + 1));
        match named.map(String::as_str) {
            Some("postgres") => Db::Postgres,
            Some("baseline") => Db::Baseline,
            _ => Db::Sqlite,
        }
    }
}

impl std::fmt::Display for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Db::Sqlite => "sqlite",
            Db::Postgres => "postgres",
            Db::Baseline => "baseline",
        })
    }
}

pub struct Server {
    pub addr: SocketAddr,
    pub db: Db,
    /// The database it runs on, for set-up a route cannot do (making an admin).
    pub url: String,
    /// From spawning the process to its first successful `/api/health`.
    pub ready_after: Duration,
    child: Child,
    args: Vec<String>,
    cleanup: Option<String>,
    dir: PathBuf,
}

/// `APP_SERVER_BIN`, else the `server` built next to this generator (the
/// same profile: a debug `loadgen smoke` drives the debug server the test
/// command builds), else the release one.
fn binary() -> PathBuf {
    if let Ok(bin) = std::env::var("APP_SERVER_BIN") {
        return PathBuf::from(bin);
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("server")))
        .filter(|bin| bin.exists())
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/server")
        })
}

const PG: &str = "postgres://postgres@127.0.0.1:5432";

fn spawn(db: Db, url: &str, addr: SocketAddr, serve_args: &[String]) -> Result<Child, BoxError> {
    if let Db::Baseline = db {
        // This same executable, in its server role: its own process, as the
        // real server is, so neither shares the generator's runtime.
        return Ok(Command::new(std::env::current_exe()?)
            .arg("baseline-server")
            .env("APP_BIND", addr.to_string())
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()?);
    }
    let bin = binary();
    if !bin.exists() {
        return Err(format!("{} missing: cargo build -p server --release", bin.display()).into());
    }
    Ok(Command::new(bin)
        .arg("serve")
        .args(serve_args)
        .env("APP_DATABASE_URL", url)
        .env("APP_BIND", addr.to_string())
        .env("APP_DB_MAX_CONNECTIONS", "10")
        // The generator's senders are scripts by design: lift the
        // per-person limit that protects rooms from them.
        .env("APP_SEND_PER_SECOND", "1000000")
        .env("APP_SEND_BURST", "1000000")
        // Its admin (made in the database) plans the programme without
        // setting up two-factor sign-in.
        .env("APP_ADMIN_TWO_FACTOR_REQUIRED", "false")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()?)
}

/// Poll `/api/health` every 2 ms until it answers 200; the time since `started`.
async fn wait_ready(addr: SocketAddr, started: std::time::Instant) -> Result<Duration, BoxError> {
    let http = reqwest::Client::new();
    // Up to 30 s: seeding the demo world comes before serving.
    while started.elapsed() < Duration::from_secs(30) {
        if http
            .get(format!("http://{addr}/api/health"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return Ok(started.elapsed());
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    Err("the server did not start".into())
}

impl Server {
    pub async fn start(db: Db) -> Result<Self, BoxError> {
        Self::start_with(db, &[]).await
    }

    /// Start with extra arguments after `serve`, e.g. `&["--demo"]` to seed
    /// the demo world first.
    pub async fn start_with(db: Db, serve_args: &[&str]) -> Result<Self, BoxError> {
        // One process may start several servers (`smoke`): each its own database.
        static STARTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("loadgen_{}_{n}", std::process::id());
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir)?;
        let (url, cleanup) = match db {
            Db::Sqlite => (
                format!("sqlite://{}?mode=rwc", dir.join("app.db").display()),
                None,
            ),
            Db::Baseline => (String::new(), None),
            Db::Postgres => {
                let admin = Database::connect(format!("{PG}/postgres")).await?;
                admin
                    .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\""))
                    .await?;
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await?;
                (format!("{PG}/{name}"), Some(name))
            }
        };
        let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
        let args: Vec<String> = serve_args.iter().map(|a| (*a).to_owned()).collect();
        let started = std::time::Instant::now();
        let child = spawn(db, &url, addr, &args)?;
        let ready_after = wait_ready(addr, started).await?;
        Ok(Self {
            addr,
            db,
            url,
            ready_after,
            child,
            args,
            cleanup,
            dir,
        })
    }

    /// Kill the process and start it again on the same database and port;
    /// `ready_after` is then the restart's.
    pub async fn restart(&mut self) -> Result<(), BoxError> {
        let _ = self.child.kill().await;
        let started = std::time::Instant::now();
        self.child = spawn(self.db, &self.url, self.addr, &self.args)?;
        self.ready_after = wait_ready(self.addr, started).await?;
        Ok(())
    }

    pub fn pid(&self) -> Result<u32, BoxError> {
        Ok(self.child.id().ok_or("server exited")?)
    }

    pub fn rss_kib(&self) -> Result<u64, BoxError> {
        let pid = self.pid()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| "no VmRSS".into())
    }

    /// The database's size on disk: the SQLite file after a checkpoint
    /// (so the WAL is folded in), or `pg_database_size`.
    pub async fn db_bytes(&self, conn: &DatabaseConnection) -> Result<u64, BoxError> {
        match self.db {
            Db::Sqlite => {
                conn.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
                    .await?;
                let file = self.dir.join("app.db");
                let wal = self.dir.join("app.db-wal");
                Ok(std::fs::metadata(file)?.len()
                    + std::fs::metadata(wal).map(|m| m.len()).unwrap_or(0))
            }
            Db::Baseline => Err("the baseline has no database".into()),
            Db::Postgres => {
                let row = conn
                    .query_one_raw(Statement::from_string(
                        DatabaseBackend::Postgres,
                        "SELECT pg_database_size(current_database()) AS bytes",
                    ))
                    .await?
                    .ok_or("no size")?;
                let bytes: i64 = row.try_get("", "bytes")?;
                Ok(u64::try_from(bytes)?)
            }
        }
    }

    /// Start a server on `db`, run `drive` against it, and stop it whatever
    /// `drive` returned: every workload's outer shape.
    pub async fn around<T>(
        db: Db,
        drive: impl AsyncFnOnce(&Server) -> Result<T, BoxError>,
    ) -> Result<T, BoxError> {
        let server = Server::start(db).await?;
        let result = drive(&server).await;
        server.stop().await;
        result
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
        if let Some(name) = self.cleanup.take()
            && let Ok(admin) = Database::connect(format!("{PG}/postgres")).await
        {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .await;
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
