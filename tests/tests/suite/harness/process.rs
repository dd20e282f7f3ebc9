//! The real `server` binary as a child process, for tests that kill it
//! (SIGKILL: no shutdown code runs) and start it again on the same port and
//! database.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use tokio::process::{Child, Command};

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

impl ServerProcess {
    /// Start the server and wait until it answers `/api/health`.
    pub async fn start(database_url: &str, addr: SocketAddr) -> Self {
        let child = Command::new(server_bin())
            .arg("serve")
            .env("APP_DATABASE_URL", database_url)
            .env("APP_BIND", addr.to_string())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start the server binary");
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
