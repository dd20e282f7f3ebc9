//! The `server` binary: `serve`, `migrate`, `demo`, `admin create`.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use server::auth::password;
use server::{Application, Config, db, demo, telemetry};

#[derive(Parser)]
#[command(about = "Community mentoring platform server")]
struct Cli {
    /// Optional TOML config file; `APP_…` environment variables override it.
    #[arg(long, env = "APP_CONFIG", global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve the API, the websocket and the frontend.
    Serve {
        /// Fill the database with the demo world first (idempotent) and print logins.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Fill the database with the demo world (idempotent) and exit.
    Demo,
    /// Administer accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an admin account. The password is read from APP_ADMIN_PASSWORD
    /// or, if that is unset, from the first line of standard input.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        display_name: String,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(config.log_format);
    match run(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

type BoxError = Box<dyn std::error::Error + Send + Sync>;

async fn run(command: Command, config: Config) -> Result<(), BoxError> {
    match command {
        Command::Serve { demo } => {
            let app = Application::build(config).await?;
            if demo {
                demo::seed(&app.state().db).await?;
                println!("{}", demo::logins());
            }
            let addr = app.local_addr();
            tracing::info!(%addr, "listening");
            println!("Open http://{addr} in your browser (Ctrl-C stops the server).");
            app.run_until_stopped(shutdown_signal()).await?;
        }
        Command::Migrate => {
            let db = db::connect(&config).await?;
            db::migrate(&db).await?;
            println!("migrations applied");
        }
        Command::Demo => {
            let db = db::connect(&config).await?;
            db::migrate(&db).await?;
            let seeded = demo::seed(&db).await?;
            println!(
                "{} new demo accounts\n{}",
                seeded.created_people,
                demo::logins()
            );
        }
        Command::Admin {
            command:
                AdminCommand::Create {
                    email,
                    display_name,
                },
        } => {
            let db = db::connect(&config).await?;
            db::migrate(&db).await?;
            let password = match std::env::var("APP_ADMIN_PASSWORD") {
                Ok(p) => p,
                Err(_) => {
                    eprintln!("Password for {email} (one line):");
                    let mut line = String::new();
                    std::io::stdin().lock().read_line(&mut line)?;
                    line.trim_end_matches(['\r', '\n']).to_owned()
                }
            };
            let email = server::domain::validate::email(&email)?;
            let display_name = server::domain::validate::display_name(&display_name)?;
            password::check_policy(&password, &email, &display_name)?;
            let hash = password::hash(password).await?;
            let user = db::users::create(
                &db,
                db::users::NewUser {
                    email: &email,
                    password_hash: hash,
                    display_name: &display_name,
                    is_admin: true,
                },
            )
            .await?;
            println!("admin {} created (id {})", user.email, user.id);
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
