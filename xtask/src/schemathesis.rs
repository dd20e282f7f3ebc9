//! `cargo xtask schemathesis`: Schemathesis (from PyPI, pinned, in its own
//! virtualenv under `target/`) generates requests for every operation in
//! `/api/openapi.json` and sends them to the real server, signed in as a
//! demo person; any 5xx answer fails the run. The server runs on a fresh
//! SQLite file with the demo world, on a free loopback port.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Instant;

use crate::{Result, cargo, sh, step};

/// The Schemathesis release the run is pinned to.
const VERSION: &str = "4.32.5";
const DIR: &str = "target/schemathesis";
/// `server::demo::DEMO_PASSWORD` (the xtask stays free of the server crate).
const DEMO_PASSWORD: &str = "harbour lantern teacup";

/// Stops the server however the run ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn run(seconds: &str) -> Result {
    seconds
        .parse::<u32>()
        .map_err(|_| format!("--seconds wants a number, got {seconds:?}"))?;
    let st = install()?;
    step("cargo build -p server");
    sh(cargo().args(["build", "-p", "server"]))?;

    step("starting the server on a fresh database with the demo world");
    let db = format!("{DIR}/api.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = fs::remove_file(format!("{db}{suffix}"));
    }
    let mut child = Command::new("target/debug/server")
        .args(["serve", "--demo"])
        .env("APP_BIND", "127.0.0.1:0")
        .env("APP_DATABASE_URL", format!("sqlite://{db}?mode=rwc"))
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start target/debug/server: {e}"))?;
    let stdout = child.stdout.take().ok_or("no server stdout")?;
    let server = Server(child);
    let addr = BufReader::new(stdout)
        .lines()
        .map_while(std::result::Result::ok)
        .find_map(|line| {
            line.strip_prefix("Open http://")
                .and_then(|rest| rest.split_whitespace().next())
                .map(str::to_owned)
        })
        .ok_or("the server did not say where it listens")?;
    println!("server at http://{addr}");

    // A lead of an organisation and its safeguarding lead: the widest
    // surface a member has (the programme team's routes answer 403).
    let cookie = log_in(&addr, "priya@demo.example", DEMO_PASSWORD)?;

    step(&format!("schemathesis {VERSION}, {seconds} s budget"));
    let started = Instant::now();
    let base = format!("http://{addr}/api");
    // Its example database lands in the working directory: keep it in target/.
    let st = fs::canonicalize(&st).map_err(|e| format!("{st}: {e}"))?;
    let result = sh(Command::new(&st)
        .current_dir(DIR)
        .arg("run")
        .arg(format!("{base}/openapi.json"))
        .args(["--url", &base])
        .args(["--checks", "not_a_server_error"])
        .args(["--max-time", seconds])
        .args(["--max-examples", "30"])
        .args(["--workers", "2"])
        .args(["--header", &format!("Cookie: {cookie}")])
        .args(["--header", &format!("Origin: http://{addr}")])
        // These end the session the run is signed in with.
        .args(["--exclude-path", "/auth/logout"])
        .args(["--exclude-path", "/me/sessions/{id}"])
        .args(["--seed", "1"])
        .arg("--no-color"));
    println!("schemathesis ran for {:.0?}", started.elapsed());
    drop(server);
    result
}

/// The `st` executable, installed into `target/schemathesis/venv` once.
fn install() -> Result<String> {
    let venv = format!("{DIR}/venv");
    let st = format!("{venv}/bin/st");
    let have = Command::new(&st)
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    if have.contains(VERSION) {
        return Ok(st);
    }
    step(&format!(
        "installing schemathesis {VERSION} from PyPI into {venv}"
    ));
    fs::create_dir_all(DIR).map_err(|e| format!("{DIR}: {e}"))?;
    if !Path::new(&format!("{venv}/bin/pip")).exists() {
        sh(Command::new("python3").args(["-m", "venv", &venv]))?;
    }
    sh(Command::new(format!("{venv}/bin/pip")).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("schemathesis=={VERSION}"),
    ]))?;
    Ok(st)
}

/// Log in over plain HTTP/1.1 and return the session cookie as `name=value`.
fn log_in(addr: &str, email: &str, password: &str) -> Result<String> {
    let body = format!("{{\"email\":\"{email}\",\"password\":\"{password}\"}}");
    let mut stream = TcpStream::connect(addr).map_err(|e| format!("connect {addr}: {e}"))?;
    write!(
        stream,
        "POST /api/auth/login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .map_err(|e| format!("log in: {e}"))?;
    let mut answer = String::new();
    stream
        .read_to_string(&mut answer)
        .map_err(|e| format!("log in: {e}"))?;
    if !answer.starts_with("HTTP/1.1 200") {
        return Err(format!(
            "log in as {email} failed: {}",
            answer.lines().next().unwrap_or("")
        ));
    }
    answer
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("set-cookie")
                .then(|| value.trim().split(';').next().unwrap_or("").to_owned())
        })
        .ok_or_else(|| "the log-in answer set no cookie".into())
}
