//! `cargo xtask bench`: every load-generator run recorded in BENCHMARKS.md,
//! its summaries collected into `target/bench/results.json` and the tables
//! of BENCHMARKS.md's scale section, each figure with its ratio to the same
//! run against the bare baseline server, into `target/bench/results.md`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::{Result, cargo, postgres_reachable, sh, step};

const OUT: &str = "target/bench";

/// The scale set (issue 8) and the earlier runs; the first word is the mode
/// (after any `NAME=value` words, environment variables for that run).
/// Runs with `--db baseline` are the denominators of the ratios.
const RUNS: &[&str] = &[
    // W1: one room of 100, ten senders, open loop.
    "room --db sqlite --members 100 --senders 10 --rate 10 --seconds 10",
    "room --db sqlite --members 100 --senders 10 --rate 100 --seconds 10",
    "room --db sqlite --members 100 --senders 10 --rate 1000 --seconds 10",
    "room --db postgres --members 100 --senders 10 --rate 10 --seconds 10",
    "room --db postgres --members 100 --senders 10 --rate 100 --seconds 10",
    "room --db postgres --members 100 --senders 10 --rate 1000 --seconds 10",
    "room --db baseline --members 100 --senders 10 --rate 10 --seconds 10",
    "room --db baseline --members 100 --senders 10 --rate 100 --seconds 10",
    "room --db baseline --members 100 --senders 10 --rate 1000 --seconds 10",
    // W2: 1,000 direct rooms, one message a second each.
    "pairs --db sqlite --pairs 1000 --rate 1 --seconds 10",
    "pairs --db postgres --pairs 1000 --rate 1 --seconds 10",
    "pairs --db baseline --pairs 1000 --rate 1 --seconds 10",
    // W3: idle sockets in steps, as far as the open-file limit allows.
    "idle --db sqlite --sockets 100000 --step 5000",
    "idle --db postgres --sockets 100000 --step 5000",
    "idle --db baseline --sockets 100000 --step 5000",
    // The same with glibc's mmap threshold fixed at 1 MiB: argon2's 19 MiB
    // blocks then go back to the system after each hash instead of staying
    // in the hashing threads' malloc arenas (see BENCHMARKS.md).
    "MALLOC_MMAP_THRESHOLD_=1048576 idle --db sqlite --sockets 100000 --step 5000",
    // W4: closed-loop durable sends, without contention (a room each) and
    // with (one room), over a sweep of senders.
    "durable --db sqlite --senders 1 --seconds 5 --rooms many",
    "durable --db sqlite --senders 16 --seconds 5 --rooms many",
    "durable --db sqlite --senders 64 --seconds 5 --rooms many",
    "durable --db sqlite --senders 256 --seconds 5 --rooms many",
    "durable --db sqlite --senders 16 --seconds 5 --rooms one",
    "durable --db sqlite --senders 64 --seconds 5 --rooms one",
    "durable --db postgres --senders 1 --seconds 5 --rooms many",
    "durable --db postgres --senders 16 --seconds 5 --rooms many",
    "durable --db postgres --senders 64 --seconds 5 --rooms many",
    "durable --db postgres --senders 256 --seconds 5 --rooms many",
    "durable --db postgres --senders 16 --seconds 5 --rooms one",
    "durable --db postgres --senders 64 --seconds 5 --rooms one",
    "durable --db baseline --senders 1 --seconds 5 --rooms many",
    "durable --db baseline --senders 16 --seconds 5 --rooms many",
    "durable --db baseline --senders 64 --seconds 5 --rooms many",
    "durable --db baseline --senders 256 --seconds 5 --rooms many",
    "durable --db baseline --senders 16 --seconds 5 --rooms one",
    "durable --db baseline --senders 64 --seconds 5 --rooms one",
    // W5: history pages.
    "history --db sqlite --clients 1 --seconds 10",
    "history --db sqlite --clients 8 --seconds 10",
    "history --db sqlite --clients 32 --seconds 10",
    "history --db postgres --clients 1 --seconds 10",
    "history --db postgres --clients 8 --seconds 10",
    "history --db postgres --clients 32 --seconds 10",
    "history --db baseline --clients 1 --seconds 10",
    "history --db baseline --clients 8 --seconds 10",
    "history --db baseline --clients 32 --seconds 10",
    // Capacity: W1 at rising rates until p99 > 100 ms or a loss.
    "capacity --db sqlite --members 100",
    "capacity --db postgres --members 100",
    "capacity --db baseline --members 100",
    "coldstart --db sqlite --runs 10",
    "coldstart --db postgres --runs 10",
    // Earlier sections of BENCHMARKS.md (print their own lines, no JSON).
    "search --db sqlite --messages 100000 --requests 300",
    "search --db postgres --messages 100000 --requests 300",
];

/// One run's summary line, `key=value` pairs in order.
type Fields = BTreeMap<String, String>;

pub fn run(only: Option<&str>) -> Result {
    if !postgres_reachable() {
        return Err("the benchmarks need PostgreSQL at 127.0.0.1:5432".into());
    }
    step("release builds of the server and the load generator");
    sh(cargo().args(["build", "--release", "-p", "server", "-p", "loadgen"]))?;
    fs::create_dir_all(OUT).map_err(|e| format!("{OUT}: {e}"))?;
    let mut results: Vec<(String, Fields)> = Vec::new();
    let mut json = Vec::new();
    for (n, cmd) in RUNS.iter().enumerate() {
        // `--only a,b`: the runs whose command line contains a or b.
        if only.is_some_and(|o| !o.split(',').any(|part| cmd.contains(part))) {
            continue;
        }
        // Other work on the machine skews every figure: note how busy it was.
        let load = fs::read_to_string("/proc/loadavg")
            .ok()
            .and_then(|l| l.split_whitespace().next().map(str::to_owned))
            .unwrap_or_default();
        step(&format!("loadgen {cmd}   (load average {load})"));
        let (env, words): (Vec<&str>, Vec<&str>) = cmd.split_whitespace().partition(|w| is_env(w));
        let mode = words.first().copied().unwrap_or_default();
        let writes_json = !matches!(mode, "search" | "matching");
        let file = format!("{OUT}/run-{n:02}-{mode}.json");
        // Raise the open-file limit to the hard limit for the generator and
        // the server it starts (W3 holds tens of thousands of sockets).
        let script = "ulimit -n 1048576 2>/dev/null || ulimit -n \"$(ulimit -Hn)\"; \
                      exec \"$0\" \"$@\"";
        let mut command = Command::new("sh");
        command
            .args(["-c", script, "target/release/loadgen"])
            .args(&words)
            .envs(env.iter().filter_map(|e| e.split_once('=')))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if writes_json {
            command.args(["--json", &file]);
        }
        let out = command
            .output()
            .map_err(|e| format!("cannot run loadgen {cmd}: {e}"))?;
        let stdout = String::from_utf8_lossy(&out.stdout);
        print!("{stdout}");
        if !out.status.success() {
            return Err(format!("loadgen {cmd} failed ({})", out.status));
        }
        if let Some(line) = stdout.lines().rev().find(|l| l.starts_with("bench=")) {
            let mut fields = parse(line);
            fields.insert("load_before".into(), load);
            results.push((cmd.to_string(), fields));
        }
        if writes_json && let Ok(text) = fs::read_to_string(&file) {
            json.push(text.trim().to_owned());
        }
    }
    let all = format!("[\n{}\n]\n", json.join(",\n"));
    fs::write(format!("{OUT}/results.json"), all).map_err(|e| format!("{OUT}: {e}"))?;
    let md = markdown(&results);
    fs::write(format!("{OUT}/results.md"), &md).map_err(|e| format!("{OUT}: {e}"))?;
    step(&format!(
        "results: {} and {}",
        Path::new(OUT).join("results.json").display(),
        Path::new(OUT).join("results.md").display()
    ));
    print!("{md}");
    Ok(())
}

/// `NAME=value` before the mode: an environment variable for the run.
fn is_env(word: &str) -> bool {
    word.split_once('=').is_some_and(|(name, _)| {
        !name.starts_with('-') && name.chars().all(|c| c.is_ascii_uppercase() || c == '_')
    })
}

fn parse(line: &str) -> Fields {
    line.split_whitespace()
        .filter_map(|kv| kv.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn num(f: &Fields, key: &str) -> f64 {
    f.get(key).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

fn text<'a>(f: &'a Fields, key: &str) -> &'a str {
    f.get(key).map_or("", String::as_str)
}

/// A count with thousands separators.
fn count(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let digits = format!("{:.0}", v.abs());
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

/// Milliseconds to three significant figures or so.
fn ms(v: f64) -> String {
    match v {
        v if !v.is_finite() => "–".into(),
        v if v >= 100.0 => format!("{v:.0} ms"),
        v if v >= 10.0 => format!("{v:.1} ms"),
        v => format!("{v:.2} ms"),
    }
}

/// Ours over the baseline's, as `×1.23`.
fn ratio(ours: f64, base: f64) -> String {
    if ours.is_finite() && base.is_finite() && base > 0.0 {
        let r = ours / base;
        if r >= 10.0 {
            format!("×{r:.0}")
        } else {
            format!("×{r:.2}")
        }
    } else {
        "–".into()
    }
}

fn db_name(f: &Fields) -> &'static str {
    match text(f, "db") {
        "sqlite" => "SQLite",
        "postgres" => "PostgreSQL",
        "baseline" => "baseline",
        _ => "?",
    }
}

/// The run that differs from `cmd` only in `--db baseline`.
fn baseline_of<'a>(results: &'a [(String, Fields)], cmd: &str) -> Option<&'a Fields> {
    let want = cmd
        .replace("--db sqlite", "--db baseline")
        .replace("--db postgres", "--db baseline");
    results.iter().find(|(c, _)| *c == want).map(|(_, f)| f)
}

fn of_mode<'a>(
    results: &'a [(String, Fields)],
    mode: &'a str,
) -> impl Iterator<Item = (&'a String, &'a Fields)> + 'a {
    results
        .iter()
        .filter(move |(_, f)| text(f, "bench") == mode)
        .map(|(c, f)| (c, f))
}

fn markdown(results: &[(String, Fields)]) -> String {
    let mut md = String::new();
    let none = Fields::new();
    let _ = writeln!(md, "<!-- cargo xtask bench: {} runs -->\n", results.len());

    md.push_str(
        "### W1 room fan-out\n\n\
         | database | rate (msgs/s) | sent | acked | delivered | delivered/s | p50 | p99 | max | lost | delivered/s vs baseline | p99 vs baseline |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for (cmd, f) in of_mode(results, "room") {
        let b = baseline_of(results, cmd).unwrap_or(&none);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            db_name(f),
            count(num(f, "rate")),
            count(num(f, "sent")),
            count(num(f, "acked")),
            count(num(f, "delivered")),
            count(num(f, "delivered_per_sec")),
            ms(num(f, "p50_ms")),
            ms(num(f, "p99_ms")),
            ms(num(f, "max_ms")),
            count(num(f, "lost")),
            ratio(num(f, "delivered_per_sec"), num(b, "delivered_per_sec")),
            ratio(num(f, "p99_ms"), num(b, "p99_ms")),
        );
    }

    md.push_str(
        "\n### W2 pairs\n\n\
         | database | rooms | rate (msgs/s) | sent | acked | delivered | delivered/s | p50 | p99 | max | lost | errors | delivered/s vs baseline | p99 vs baseline | registering |\n\
         |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for (cmd, f) in of_mode(results, "pairs") {
        let b = baseline_of(results, cmd).unwrap_or(&none);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} s |",
            db_name(f),
            count(num(f, "pairs")),
            count(num(f, "rate")),
            count(num(f, "sent")),
            count(num(f, "acked")),
            count(num(f, "delivered")),
            count(num(f, "delivered_per_sec")),
            ms(num(f, "p50_ms")),
            ms(num(f, "p99_ms")),
            ms(num(f, "max_ms")),
            count(num(f, "lost")),
            count(num(f, "errors")),
            ratio(num(f, "delivered_per_sec"), num(b, "delivered_per_sec")),
            ratio(num(f, "p99_ms"), num(b, "p99_ms")),
            num(f, "register_secs"),
        );
    }

    md.push_str(
        "\n### W3 idle sockets\n\n\
         | database | asked | reached | stopped by | RSS before | RSS after | KiB per socket | projected at 100k | KiB per socket vs baseline |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    let mut ramps = String::new();
    for (cmd, f) in of_mode(results, "idle") {
        let b = baseline_of(results, cmd).unwrap_or(&none);
        let env: Vec<&str> = cmd.split_whitespace().filter(|w| is_env(w)).collect();
        let label = if env.is_empty() {
            db_name(f).to_owned()
        } else {
            format!("{} with `{}`", db_name(f), env.join(" "))
        };
        let _ = writeln!(
            md,
            "| {label} | {} | {} | {} | {:.1} MiB | {:.1} MiB | {:.1} | {} MiB | {} |",
            count(num(f, "sockets")),
            count(num(f, "reached")),
            text(f, "limited_by").replace('_', " "),
            num(f, "rss_before_kib") / 1024.0,
            num(f, "rss_after_kib") / 1024.0,
            num(f, "kib_per_socket"),
            count(num(f, "projected_100k_mib")),
            ratio(num(f, "kib_per_socket"), num(b, "kib_per_socket")),
        );
        let _ = writeln!(ramps, "- {label}: {}", steps(text(f, "steps")));
    }
    let _ = write!(md, "\nSteps (sockets: KiB per socket):\n\n{ramps}");

    md.push_str(
        "\n### W4 durable sends (closed loop)\n\n\
         | database | rooms | senders | messages | msgs/s | ack p50 | ack p99 | ack max | msgs/s vs baseline | p99 vs baseline |\n\
         |---|---|---|---|---|---|---|---|---|---|\n",
    );
    for (cmd, f) in of_mode(results, "durable") {
        let b = baseline_of(results, cmd).unwrap_or(&none);
        let rooms = if text(f, "rooms") == "one" {
            "one"
        } else {
            "a room each"
        };
        let _ = writeln!(
            md,
            "| {} | {rooms} | {} | {} | {} | {} | {} | {} | {} | {} |",
            db_name(f),
            count(num(f, "senders")),
            count(num(f, "messages")),
            count(num(f, "msgs_per_sec")),
            ms(num(f, "ack_p50_ms")),
            ms(num(f, "ack_p99_ms")),
            ms(num(f, "ack_max_ms")),
            ratio(num(f, "msgs_per_sec"), num(b, "msgs_per_sec")),
            ratio(num(f, "ack_p99_ms"), num(b, "ack_p99_ms")),
        );
    }

    md.push_str(
        "\n### W5 history reads\n\n\
         | database | clients | requests/s | p50 | p99 | max | errors | requests/s vs baseline | p99 vs baseline |\n\
         |---|---|---|---|---|---|---|---|---|\n",
    );
    for (cmd, f) in of_mode(results, "history") {
        let b = baseline_of(results, cmd).unwrap_or(&none);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            db_name(f),
            count(num(f, "clients")),
            count(num(f, "requests_per_sec")),
            ms(num(f, "p50_ms")),
            ms(num(f, "p99_ms")),
            ms(num(f, "max_ms")),
            count(num(f, "errors")),
            ratio(num(f, "requests_per_sec"), num(b, "requests_per_sec")),
            ratio(num(f, "p99_ms"), num(b, "p99_ms")),
        );
    }

    md.push_str(
        "\n### Capacity (W1, 100 members, rising rate)\n\n\
         | database | last passing rate (msgs/s) | deliveries/s | p99 there | failed at | because | rate vs baseline |\n\
         |---|---|---|---|---|---|---|\n",
    );
    let mut ladders = String::new();
    for (cmd, f) in of_mode(results, "capacity") {
        let b = baseline_of(results, cmd).unwrap_or(&none);
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} |",
            db_name(f),
            count(num(f, "passing_rate")),
            count(num(f, "passing_delivered_per_sec")),
            ms(num(f, "passing_p99_ms")),
            count(num(f, "failed_rate")),
            text(f, "failed_because").replace('_', " "),
            ratio(num(f, "passing_rate"), num(b, "passing_rate")),
        );
        let _ = writeln!(ladders, "- {}: {}", db_name(f), ladder(text(f, "steps")));
    }
    let _ = write!(md, "\nSteps (msgs/s: p99):\n\n{ladders}");

    md.push_str(
        "\n### Cold start\n\n\
         | database | fresh database | restart median | restart min–max | idle RSS |\n\
         |---|---|---|---|---|\n",
    );
    for (_, f) in of_mode(results, "coldstart") {
        let _ = writeln!(
            md,
            "| {} | {} | {} | {}–{} | {:.1} MiB |",
            db_name(f),
            ms(num(f, "fresh_db_ms")),
            ms(num(f, "restart_median_ms")),
            ms(num(f, "restart_min_ms")),
            ms(num(f, "restart_max_ms")),
            num(f, "idle_rss_kib") / 1024.0,
        );
    }
    md.push_str("\n### Load average (1 min) as each run started\n\n");
    for (cmd, f) in results {
        let _ = writeln!(md, "- `{cmd}`: {}", text(f, "load_before"));
    }
    md
}

/// Pull `"key":number` pairs out of the compact JSON array of steps the
/// generator prints (xtask has no JSON parser; the shape is ours).
fn step_values(steps: &str, keys: &[&str]) -> Vec<Vec<f64>> {
    steps
        .split('}')
        .filter(|s| s.contains(':'))
        .map(|obj| {
            keys.iter()
                .map(|k| {
                    obj.split_once(&format!("\"{k}\":"))
                        .and_then(|(_, rest)| rest.split([',', '}']).next()?.trim().parse().ok())
                        .unwrap_or(f64::NAN)
                })
                .collect()
        })
        .collect()
}

fn steps(json: &str) -> String {
    step_values(json, &["sockets", "kib_per_socket"])
        .iter()
        .map(|v| format!("{}: {:.1}", count(v[0]), v[1]))
        .collect::<Vec<_>>()
        .join(", ")
}

fn ladder(json: &str) -> String {
    step_values(json, &["rate", "p99_ms", "lost"])
        .iter()
        .map(|v| {
            let lost = if v[2] > 0.0 {
                format!(" ({} lost)", count(v[2]))
            } else {
                String::new()
            };
            format!("{}: {}{lost}", count(v[0]), ms(v[1]))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_ratios_read_well() {
        assert_eq!(count(1234567.4), "1,234,567");
        assert_eq!(count(999.0), "999");
        assert_eq!(ratio(50.0, 100.0), "×0.50");
        assert_eq!(ratio(1.0, 0.0), "–");
    }

    #[test]
    fn summary_lines_and_their_steps_parse() {
        let f = parse(
            r#"bench=idle db=sqlite reached=10 steps=[{"kib_per_socket":15.5,"rss_kib":100,"sockets":10}]"#,
        );
        assert_eq!(num(&f, "reached"), 10.0);
        assert_eq!(steps(text(&f, "steps")), "10: 15.5");
    }

    #[test]
    fn each_database_run_has_a_baseline_when_one_applies() {
        let results: Vec<(String, Fields)> = RUNS
            .iter()
            .map(|c| ((*c).to_owned(), Fields::new()))
            .collect();
        for cmd in RUNS {
            let mode = cmd.split_whitespace().next().unwrap_or_default();
            if matches!(mode, "room" | "pairs" | "durable" | "idle" | "capacity") {
                assert!(baseline_of(&results, cmd).is_some(), "{cmd}");
            }
        }
    }
}
