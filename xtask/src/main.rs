//! Project chores, run as `cargo xtask <command>` (see README.md):
//! `setup` installs missing tools, `build` builds the frontend into
//! `target/site`, `run` builds and serves, `test` runs every check,
//! `schemathesis` sends generated requests for every documented operation
//! (part of `test`), `fuzz` runs the fuzz targets (not part of `test`),
//! `bench` runs the load generator's set (`bench.rs`).
//! Plain std Rust, so it builds in seconds on a fresh machine.

mod bench;
mod schemathesis;

use std::env;
use std::fs;
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

type Result<T = ()> = std::result::Result<T, String>;

const USAGE: &str = "\
usage: cargo xtask <command>

  setup            install missing tools (wasm32 target, wasm-bindgen CLI,
                   npm tools, and with --browser Debian's chromium + driver)
  build            build the frontend (wasm, release) into target/site
  run [--demo] [--release]
                   build everything and serve http://127.0.0.1:8080 on
                   ./data/app.db; --demo fills in the demo world
  test             fmt check, clippy, unit, integration (SQLite and
                   PostgreSQL) and browser tests
  bench [--only TEXT]
                   the load generator's runs recorded in BENCHMARKS.md
                   (release builds; needs PostgreSQL), each against the
                   baseline server too; writes target/bench/results.json
                   and results.md; --only runs those whose command line
                   contains TEXT (or any of several, comma-separated)
  crash [--kills N]
                   the SIGKILL crash test with N kills per database
                   (default 200), printing its totals for BENCHMARKS.md
  schemathesis [--seconds N]
                   generated requests for every operation in the OpenAPI
                   document against the real server, signed in; fails on any
                   5xx (default budget 180 s; part of `test`)
  fuzz [--seconds N] [--target NAME]
                   run each cargo-fuzz target (markdown, ws_frame, headers)
                   for N seconds (default 60); not part of `test`
";

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let root = workspace_root();
    if let Err(e) = env::set_current_dir(&root) {
        eprintln!("cannot enter {}: {e}", root.display());
        return ExitCode::FAILURE;
    }
    let flag = |name: &str| args.iter().any(|a| a == name);
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup(flag("--browser")),
        Some("build") => setup(false).and_then(|()| build_frontend()),
        Some("run") => run(flag("--demo"), flag("--release")),
        Some("test") => test(),
        Some("bench") => bench::run(
            args.iter()
                .skip_while(|a| *a != "--only")
                .nth(1)
                .map(String::as_str),
        ),
        Some("crash") => crash(
            args.iter()
                .skip_while(|a| *a != "--kills")
                .nth(1)
                .map_or("200", String::as_str),
        ),
        Some("schemathesis") => schemathesis::run(
            args.iter()
                .skip_while(|a| *a != "--seconds")
                .nth(1)
                .map_or("180", String::as_str),
        ),
        Some("fuzz") => fuzz(
            args.iter()
                .skip_while(|a| *a != "--seconds")
                .nth(1)
                .map_or("60", String::as_str),
            args.iter()
                .skip_while(|a| *a != "--target")
                .nth(1)
                .map(String::as_str),
        ),
        _ => {
            eprint!("{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("\nxtask: {e}");
            ExitCode::FAILURE
        }
    }
}

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."))
}

fn step(title: &str) {
    println!("\n==> {title}");
}

/// Run a command, failing with its name if it fails.
fn sh(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| format!("cannot run {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed ({status})"))
    }
}

fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

/// A cargo command without the variables `cargo run` set for the xtask
/// itself: build scripts (ring's) track `CARGO_MANIFEST_DIR`, and inheriting
/// it would make every xtask-driven build recompile half the tree.
fn cargo() -> Command {
    let mut cmd = Command::new(env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (name, _) in env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || matches!(
                name.as_ref(),
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
            )
        {
            cmd.env_remove(name.as_ref());
        }
    }
    cmd
}

fn is_root() -> bool {
    output(Command::new("id").arg("-u")).is_some_and(|s| s.trim() == "0")
}

// ---------------------------------------------------------------- setup

fn setup(browser: bool) -> Result {
    step("checking tools");
    let targets =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if !targets
        .lines()
        .any(|t| t.trim() == "wasm32-unknown-unknown")
    {
        println!("installing the wasm32-unknown-unknown target");
        sh(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }

    let wanted = locked_version("wasm-bindgen")?;
    let have = output(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) != Some(wanted.as_str()) {
        println!("installing wasm-bindgen-cli {wanted} (Cargo.lock pins it; takes a few minutes)");
        // Not --locked: its own lockfile names a crate version the registry may lack.
        sh(cargo().args(["install", "wasm-bindgen-cli", "--version", &wanted]))?;
    }

    if output(Command::new("npm").arg("--version")).is_none() {
        apt_install(&["nodejs", "npm"])?;
    }
    let installed = Path::new("xtask/node_modules/axe-core/axe.min.js").exists()
        && Path::new("xtask/node_modules/.bin/wasm-opt").exists();
    if !installed {
        println!("installing npm tools (axe-core, binaryen) into xtask/node_modules");
        sh(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir("xtask"))?;
    }

    if browser && (!Path::new(&chromium()).exists() || !Path::new(&chromedriver()).exists()) {
        apt_install(&["chromium", "chromium-driver"])?;
    }
    Ok(())
}

fn chromium() -> String {
    env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

fn chromedriver() -> String {
    env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

fn apt_install(packages: &[&str]) -> Result {
    let list = packages.join(" ");
    if !is_root() {
        return Err(format!(
            "missing Debian packages; install them with: sudo apt-get install {list}"
        ));
    }
    println!("installing Debian packages: {list}");
    sh(Command::new("apt-get").args(["update", "-qq"]))?;
    sh(Command::new("apt-get")
        .args(["install", "-y", "-qq", "--no-install-recommends"])
        .args(packages)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}

/// The version of `package` that Cargo.lock pins.
fn locked_version(package: &str) -> Result<String> {
    let lock = fs::read_to_string("Cargo.lock").map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"")
            && let Some(version) = lines.next().and_then(|v| v.strip_prefix("version = "))
        {
            return Ok(version.trim_matches('"').to_owned());
        }
    }
    Err(format!("{package} is not in Cargo.lock"))
}

// ---------------------------------------------------------------- build

const SITE: &str = "target/site";

fn build_frontend() -> Result {
    step("building the frontend (wasm32, profile wasm-release)");
    let started = Instant::now();
    sh(cargo().args([
        "build",
        "-p",
        "frontend",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let pkg = Path::new(SITE).join("pkg");
    fs::create_dir_all(&pkg).map_err(|e| format!("{}: {e}", pkg.display()))?;
    sh(Command::new("wasm-bindgen")
        .args([
            "target/wasm32-unknown-unknown/wasm-release/frontend.wasm",
            "--target",
            "web",
            "--no-typescript",
            "--out-name",
            "frontend",
            "--out-dir",
        ])
        .arg(&pkg))?;
    let wasm = pkg.join("frontend_bg.wasm");
    // binaryen from npm: Debian's older wasm-opt produces a wasm that fails to load.
    sh(Command::new("xtask/node_modules/.bin/wasm-opt")
        .arg("-Oz")
        .arg("--enable-bulk-memory")
        .arg("--enable-nontrapping-float-to-int")
        .arg("--enable-sign-ext")
        .arg("--enable-reference-types")
        .arg("--enable-multivalue")
        .arg("--enable-mutable-globals")
        .arg(&wasm)
        .arg("-o")
        .arg(&wasm))?;
    // Precompressed copies: the server sends `.gz` to browsers that accept it
    // (a phone on a slow connection downloads about a third of the bytes).
    let mut served = vec![wasm.clone(), pkg.join("frontend.js")];
    for file in ["index.html", "style.css", "boot.js"] {
        let (from, to) = (Path::new("frontend").join(file), Path::new(SITE).join(file));
        fs::copy(&from, &to).map_err(|e| format!("copy {}: {e}", from.display()))?;
        served.push(to);
    }
    for file in &served {
        sh(Command::new("gzip")
            .args(["-9", "-k", "-f", "-n"])
            .arg(file))?;
    }
    let size = |p: &Path| fs::metadata(p).map(|m| m.len() / 1024).unwrap_or(0);
    println!(
        "frontend built in {:.0?}: {} ({} KiB, {} KiB gzipped)",
        started.elapsed(),
        wasm.display(),
        size(&wasm),
        size(&wasm.with_extension("wasm.gz"))
    );
    Ok(())
}

// ---------------------------------------------------------------- run

fn run(demo: bool, release: bool) -> Result {
    setup(false)?;
    build_frontend()?;
    step("starting the server");
    let mut cmd = cargo();
    cmd.args(["run", "-p", "server"]);
    if release {
        cmd.arg("--release");
    }
    cmd.args(["--", "serve"]);
    if demo {
        cmd.arg("--demo");
    }
    sh(&mut cmd)
}

// ---------------------------------------------------------------- crash

fn crash(kills: &str) -> Result {
    kills
        .parse::<u32>()
        .map_err(|_| format!("--kills wants a number, got {kills:?}"))?;
    if !postgres_reachable() {
        return Err("the crash test needs PostgreSQL at 127.0.0.1:5432".into());
    }
    step(&format!("crash test: {kills} SIGKILLs per database"));
    sh(cargo().args(["build", "-p", "server"]))?;
    sh(cargo()
        .args([
            "test",
            "-p",
            "tests",
            "--test",
            "suite",
            "crash::",
            "--",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("APP_CRASH_KILLS", kills))
}

// ---------------------------------------------------------------- fuzz

/// The `markdown` target in `fuzz/` (its own workspace, built into
/// `fuzz/target`) for `seconds`. Stable Rust is enough: without a sanitizer
/// cargo-fuzz passes rustc only stable flags (the coverage instrumentation
/// libFuzzer steers by), so it needs neither nightly nor `-Zbuild-std`.
/// The cargo-fuzz targets in `fuzz/fuzz_targets`, run one after another.
const FUZZ_TARGETS: [&str; 3] = ["markdown", "ws_frame", "headers"];

fn fuzz(seconds: &str, only: Option<&str>) -> Result {
    seconds
        .parse::<u32>()
        .map_err(|_| format!("--seconds wants a number, got {seconds:?}"))?;
    let targets: Vec<&str> = match only {
        Some(name) if FUZZ_TARGETS.contains(&name) => vec![name],
        Some(name) => {
            return Err(format!(
                "no fuzz target {name:?}; there are {}",
                FUZZ_TARGETS.join(", ")
            ));
        }
        None => FUZZ_TARGETS.to_vec(),
    };
    if output(cargo().args(["fuzz", "--version"])).is_none() {
        step("installing cargo-fuzz");
        sh(cargo().args(["install", "cargo-fuzz", "--locked"]))?;
    }
    for target in targets {
        let fuzz = |command: &str| {
            let mut cmd = cargo();
            cmd.args(["fuzz", command, target, "--sanitizer", "none"]);
            cmd
        };
        step(&format!(
            "cargo fuzz build {target} (release, instrumented)"
        ));
        let started = Instant::now();
        sh(&mut fuzz("build"))?;
        println!("built in {:.0?}", started.elapsed());
        step(&format!("cargo fuzz run {target} for {seconds} s"));
        // Findings land in fuzz/artifacts/<target>; the corpus grows in fuzz/corpus.
        sh(fuzz("run")
            .arg("--")
            .arg(format!("-max_total_time={seconds}")))?;
    }
    Ok(())
}

// ---------------------------------------------------------------- test

fn postgres_reachable() -> bool {
    let addr: SocketAddr = env::var("APP_TEST_POSTGRES_ADDR")
        .ok()
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 5432)));
    TcpStream::connect_timeout(&addr, Duration::from_secs(2)).is_ok()
}

fn loud(lines: &[&str]) {
    let bar = "!".repeat(72);
    eprintln!("\n{bar}");
    for line in lines {
        eprintln!("!!! {line}");
    }
    eprintln!("{bar}\n");
}

fn test() -> Result {
    let ci = env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    let started = Instant::now();
    setup(true)?;

    step("cargo fmt --check");
    sh(cargo().args(["fmt", "--all", "--check"]))?;

    step("cargo clippy (host crates, all targets)");
    sh(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("cargo clippy (frontend, wasm32)");
    sh(cargo().args([
        "clippy",
        "-p",
        "frontend",
        "--target",
        "wasm32-unknown-unknown",
        "--",
        "-D",
        "warnings",
    ]))?;

    build_frontend()?;

    let postgres = postgres_reachable();
    if !postgres {
        loud(&[
            "PostgreSQL is NOT reachable at 127.0.0.1:5432.",
            "The PostgreSQL half of the integration tests cannot run.",
            "Start it: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
        ]);
        if ci {
            return Err("PostgreSQL is required under CI=true".into());
        }
    }

    // The crash test runs the real binary as a child process and kills it;
    // the load generator's smoke test runs loadgen against it.
    step("cargo build -p server -p loadgen (for the crash and smoke tests)");
    sh(cargo().args(["build", "-p", "server", "-p", "loadgen"]))?;

    step("cargo test (unit, integration on SQLite and PostgreSQL, browser)");
    let mut cmd = cargo();
    cmd.args(["test", "--workspace"]);
    if !postgres {
        cmd.args(["--", "--skip", "::postgres"]);
    }
    sh(&mut cmd)?;

    // Generated requests for every documented operation: no 5xx allowed.
    schemathesis::run("120")?;

    if !postgres {
        loud(&["PostgreSQL tests were SKIPPED (not reachable). This run is incomplete."]);
    }
    println!("\nall checks passed in {:.0?}", started.elapsed());
    Ok(())
}
