//! A fresh database per test: a SQLite file in a temp dir, or a new
//! PostgreSQL database on `APP_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432`), dropped when the test ends.
//! An unreachable PostgreSQL fails the test loudly; it is never skipped here.

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use sea_orm::{ConnectionTrait, Database};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!(
        "apptest_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        nanos
    )
}

pub fn postgres_base() -> String {
    std::env::var("APP_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

pub struct TestDb {
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    None,
    Dir(PathBuf),
    PgDatabase(String),
}

impl TestDb {
    pub async fn create(backend: Backend) -> Self {
        let name = unique_name();
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(&name);
                std::fs::create_dir_all(&dir).expect("temp dir");
                Self {
                    url: format!("sqlite://{}?mode=rwc", dir.join("app.db").display()),
                    cleanup: Cleanup::Dir(dir),
                }
            }
            Backend::Postgres => {
                let base = postgres_base();
                let admin = Database::connect(format!("{base}/postgres"))
                    .await
                    .unwrap_or_else(|e| {
                        panic!(
                            "\n\n*** PostgreSQL is not reachable at {base} ({e}).\n\
                             *** The PostgreSQL tests need it: start it with\n\
                             *** pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start\n"
                        )
                    });
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .expect("create test database");
                let _ = admin.close().await;
                Self {
                    url: format!("{base}/{name}"),
                    cleanup: Cleanup::PgDatabase(name),
                }
            }
        }
    }

    /// Move the database out (for a restart), leaving nothing to clean here.
    pub fn take(&mut self) -> Self {
        Self {
            url: self.url.clone(),
            cleanup: std::mem::replace(&mut self.cleanup, Cleanup::None),
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match std::mem::replace(&mut self.cleanup, Cleanup::None) {
            Cleanup::None => {}
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase(name) => {
                // Drop runs inside the test's runtime; a separate thread with
                // its own runtime can block on the async drop.
                let _ = std::thread::spawn(move || {
                    let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                    else {
                        return;
                    };
                    rt.block_on(async {
                        if let Ok(admin) =
                            Database::connect(format!("{}/postgres", postgres_base())).await
                        {
                            let _ = admin
                                .execute_unprepared(&format!(
                                    "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                                ))
                                .await;
                            let _ = admin.close().await;
                        }
                    });
                })
                .join();
            }
        }
    }
}
