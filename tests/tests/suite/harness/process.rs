//! The real `server` binary as a child process, for tests that kill it
//! (SIGKILL: no shutdown code runs) and start it again on the same port and
//! database.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::process::{Child, Command};
use tokio::sync::Mutex;

/// The binary `cargo xtask test` builds before the suite (`APP_SERVER_BIN`
/// points elsewhere).
fn server_bin() -> PathBuf {
    let bin = std::env::var("APP_SERVER_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/debug/server")
        });
    assert!(
        bin.exists(),
        "{} is missing: run `cargo build -p server` (`cargo xtask test` does)",
        bin.display()
    );
    bin
}

pub fn free_addr() -> SocketAddr {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
}

pub struct ServerProcess {
    child: Child,
}

/// Everything a server process printed, stdout and stderr together.
#[derive(Clone, Default)]
pub struct Output(Arc<Mutex<Vec<u8>>>);

impl Output {
    fn collect(&self, mut from: impl AsyncRead + Unpin + Send + 'static) {
        let into = self.0.clone();
        tokio::spawn(async move {
            let mut buf = [0u8; 8192];
            while let Ok(n) = from.read(&mut buf).await {
                if n == 0 {
                    break;
                }
                into.lock().await.extend_from_slice(&buf[..n]);
            }
        });
    }

    /// What was printed so far (after `kill`, everything).
    pub async fn text(&self) -> String {
        // Let the readers drain what the pipes still hold.
        tokio::time::sleep(Duration::from_millis(200)).await;
        String::from_utf8_lossy(&self.0.lock().await).into_owned()
    }
}

impl ServerProcess {
    /// Start the server and wait until it answers `/api/health`.
    pub async fn start(database_url: &str, addr: SocketAddr) -> Self {
        let child = Command::new(server_bin())
            .arg("serve")
            .env("APP_DATABASE_URL", database_url)
            .env("APP_BIND", addr.to_string())
            .env("RUST_LOG", "warn")
            // The crash test floods on purpose (see `TestApp::start`).
            .env("APP_SEND_PER_SECOND", "1000000")
            .env("APP_SEND_BURST", "1000000")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start the server binary");
        Self::healthy(child, addr).await
    }

    /// Start the server logging everything (`RUST_LOG=trace`) in `format`
    /// (`pretty` or `json`), with all it prints collected.
    pub async fn start_logging(
        database_url: &str,
        addr: SocketAddr,
        format: &str,
    ) -> (Self, Output) {
        Self::start_logging_with(database_url, addr, format, &[]).await
    }

    /// `start_logging` with more settings in the environment.
    pub async fn start_logging_with(
        database_url: &str,
        addr: SocketAddr,
        format: &str,
        env: &[(&str, &str)],
    ) -> (Self, Output) {
        let mut child = Command::new(server_bin())
            .arg("serve")
            .envs(env.iter().copied())
            .env("APP_DATABASE_URL", database_url)
            .env("APP_BIND", addr.to_string())
            .env("APP_LOG_FORMAT", format)
            .env("RUST_LOG", "trace")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start the server binary");
        let output = Output::default();
        output.collect(child.stdout.take().expect("stdout"));
        output.collect(child.stderr.take().expect("stderr"));
        (Self::healthy(child, addr).await, output)
    }

    async fn healthy(child: Child, addr: SocketAddr) -> Self {
        let health = format!("http://{addr}/api/health");
        let http = reqwest::Client::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            if let Ok(res) = http.get(&health).send().await
                && res.status().is_success()
            {
                break;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the server did not become healthy at {addr}"
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        Self { child }
    }

    /// SIGKILL, and wait until the process is gone.
    pub async fn kill(mut self) {
        let _ = self.child.kill().await;
    }
}
