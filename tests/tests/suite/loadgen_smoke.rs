//! The load generator cannot rot: `loadgen smoke` builds (debug) and runs
//! every workload (durable, room, pairs, capacity, idle, history) at tiny
//! sizes against the debug `server` the test command builds, and the
//! durable and room ones against its baseline server too; it fails only on
//! broken behaviour (errors, lost messages, nothing done). No timing is
//! asserted here.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `cargo` without the variables cargo sets for a running test: inheriting
/// `CARGO_MANIFEST_DIR` and friends makes build scripts that track them
/// (ring's) rebuild, and half the tree with them (see xtask's `cargo()`).
fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("CARGO_PKG_")
            || name.starts_with("CARGO_BIN_EXE_")
            || matches!(
                name.as_ref(),
                "CARGO_MANIFEST_DIR"
                    | "CARGO_MANIFEST_PATH"
                    | "CARGO_CRATE_NAME"
                    | "CARGO_BIN_NAME"
                    | "CARGO_PRIMARY_PACKAGE"
                    | "CARGO_TARGET_TMPDIR"
            )
        {
            cmd.env_remove(name.as_ref());
        }
    }
    cmd
}

#[test]
fn loadgen_smoke_runs_clean() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let built = cargo()
        .current_dir(&root)
        .args(["build", "-p", "loadgen"])
        .status()
        .expect("cargo build -p loadgen runs");
    assert!(built.success(), "cargo build -p loadgen failed");
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| root.join("target"));
    let bin = target.join("debug/loadgen");

    // Output to files, not pipes: nothing reads a pipe while we wait, and
    // the server's own stderr (inherited) could fill one.
    let dir = std::env::temp_dir().join(format!("loadgen_smoke_{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (out_path, err_path) = (dir.join("stdout"), dir.join("stderr"));
    let mut child = Command::new(&bin)
        .arg("smoke")
        .current_dir(&root)
        .stdout(Stdio::from(
            std::fs::File::create(&out_path).expect("stdout file"),
        ))
        .stderr(Stdio::from(
            std::fs::File::create(&err_path).expect("stderr file"),
        ))
        .spawn()
        .unwrap_or_else(|e| panic!("{} runs: {e}", bin.display()));
    // A hang is a failure too (the run takes seconds).
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(180) {
            let _ = child.kill();
            panic!("loadgen smoke did not finish in 180 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let stdout = std::fs::read_to_string(&out_path).unwrap_or_default();
    let stderr = std::fs::read_to_string(&err_path).unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    println!("{stdout}");
    assert!(
        status.success(),
        "loadgen smoke failed ({status}):\n{stdout}\n{stderr}"
    );
    for line in [
        "bench=durable db=sqlite ",
        "bench=room db=sqlite ",
        "bench=durable db=baseline ",
        "bench=room db=baseline ",
        "bench=pairs db=sqlite ",
        "bench=capacity db=baseline ",
        "bench=idle db=sqlite ",
        "bench=history db=sqlite ",
    ] {
        assert!(
            stdout.lines().any(|l| l.starts_with(line)),
            "no summary line starting {line:?}:\n{stdout}"
        );
    }
    for open_loop in ["bench=room ", "bench=pairs "] {
        for l in stdout.lines().filter(|l| l.starts_with(open_loop)) {
            assert!(l.contains(" lost=0"), "lost messages: {l}");
        }
    }
    assert!(stdout.contains("smoke ok"), "{stdout}");
}
