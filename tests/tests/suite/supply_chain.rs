//! The dependency tree, read from `cargo metadata` for the platforms we
//! build (the server's and the browser's): every third-party crate has a
//! licence we accept (an SPDX expression, evaluated), and the crates that
//! come in more than one version are exactly the known list, so a new
//! duplicate (twice the compile time on a 2-core machine) fails here.
//! This is what `cargo deny check licenses bans` would hold, without a tool
//! to install; advisories need the RustSec database (see SECURITY.md).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

/// Licences a community charity can ship without legal review: permissive
/// ones, and MPL-2.0 (file-level copyleft; we change no MPL file).
const ACCEPTED: [&str; 12] = [
    "MIT",
    "Apache-2.0",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "ISC",
    "Zlib",
    "Unicode-3.0",
    "CC0-1.0",
    "Unlicense",
    "BSL-1.0",
    "MPL-2.0",
    "CDLA-Permissive-2.0",
];

/// Crates in two or three versions today, each pulled by a different
/// dependency's major version. Shrink this list; never grow it lightly.
const KNOWN_DUPLICATES: [&str; 35] = [
    "atoi",
    "base64",
    "block-buffer",
    "convert_case",
    "cookie",
    "cpufeatures",
    "crypto-common",
    "digest",
    "getrandom",
    "hashbrown",
    "heck",
    "http",
    "icu_collections",
    "icu_provider",
    "litemap",
    "num-bigint",
    "proc-macro2-diagnostics",
    "rand",
    "rand_chacha",
    "rand_core",
    "sha1",
    "sha2",
    "syn",
    "synstructure",
    "thiserror",
    "thiserror-impl",
    "tinystr",
    "toml",
    "toml_datetime",
    "winnow",
    "writeable",
    "yoke",
    "yoke-derive",
    "zerovec",
    "zerovec-derive",
];

/// `(name, version, licence)` of every package in the resolved tree.
fn packages() -> Vec<(String, String, Option<String>, bool)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(root)
        .args(["metadata", "--format-version", "1", "--locked"])
        .args(["--filter-platform", "x86_64-unknown-linux-gnu"])
        .args(["--filter-platform", "wasm32-unknown-unknown"])
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let resolved: BTreeSet<&str> = meta["resolve"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter_map(|n| n["id"].as_str())
        .collect();
    meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .filter(|p| p["id"].as_str().is_some_and(|id| resolved.contains(id)))
        .map(|p| {
            (
                p["name"].as_str().unwrap_or_default().to_owned(),
                p["version"].as_str().unwrap_or_default().to_owned(),
                p["license"].as_str().map(str::to_owned),
                // Our own crates come from a path, not a registry.
                p["source"].is_null(),
            )
        })
        .collect()
}

/// Whether an SPDX licence expression is satisfied by `ACCEPTED`: `OR`
/// needs one side, `AND` both, parentheses group; `/` is the old `OR`.
fn accepted(expression: &str) -> bool {
    let spaced = expression
        .replace('(', " ( ")
        .replace(')', " ) ")
        .replace('/', " OR ");
    let tokens: Vec<&str> = spaced.split_whitespace().collect();
    let mut at = 0;
    let ok = or_expr(&tokens, &mut at);
    ok && at == tokens.len()
}

fn or_expr(t: &[&str], at: &mut usize) -> bool {
    let mut ok = and_expr(t, at);
    while t.get(*at) == Some(&"OR") {
        *at += 1;
        ok |= and_expr(t, at);
    }
    ok
}

fn and_expr(t: &[&str], at: &mut usize) -> bool {
    let mut ok = term(t, at);
    while t.get(*at) == Some(&"AND") {
        *at += 1;
        ok &= term(t, at);
    }
    ok
}

fn term(t: &[&str], at: &mut usize) -> bool {
    match t.get(*at) {
        Some(&"(") => {
            *at += 1;
            let ok = or_expr(t, at);
            if t.get(*at) == Some(&")") {
                *at += 1;
                ok
            } else {
                false
            }
        }
        Some(id) => {
            *at += 1;
            ACCEPTED.contains(id)
        }
        None => false,
    }
}

#[test]
fn licence_expressions_are_evaluated_not_matched() {
    assert!(accepted("MIT OR Apache-2.0"));
    assert!(accepted("MIT/Apache-2.0"));
    assert!(accepted("(MIT OR Apache-2.0) AND Unicode-3.0"));
    assert!(!accepted("GPL-3.0-only"));
    assert!(!accepted("MIT AND GPL-3.0-only"));
    assert!(accepted("GPL-3.0-only OR MIT"));
    assert!(!accepted("(MIT OR Apache-2.0"));
    assert!(!accepted(""));
}

#[test]
fn every_dependency_has_an_accepted_licence() {
    let all = packages();
    assert!(all.len() > 300, "the whole tree was read: {}", all.len());
    let refused: Vec<String> = all
        .iter()
        .filter(|(_, _, _, ours)| !ours)
        .filter(|(_, _, licence, _)| !licence.as_deref().is_some_and(accepted))
        .map(|(name, version, licence, _)| format!("{name} {version}: {licence:?}"))
        .collect();
    assert!(refused.is_empty(), "licences not accepted: {refused:#?}");
}

#[test]
fn duplicate_versions_are_only_the_known_ones() {
    let mut versions: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (name, version, _, _) in packages() {
        versions.entry(name).or_default().insert(version);
    }
    let duplicated: BTreeSet<&str> = versions
        .iter()
        .filter(|(_, v)| v.len() > 1)
        .map(|(name, _)| name.as_str())
        .collect();
    let known: BTreeSet<&str> = KNOWN_DUPLICATES.into_iter().collect();
    let new: Vec<_> = duplicated.difference(&known).collect();
    let gone: Vec<_> = known.difference(&duplicated).collect();
    assert!(
        new.is_empty(),
        "new duplicate versions (align the versions, or add with a reason): {:?}",
        new.iter()
            .map(|n| format!("{n} {:?}", versions[**n]))
            .collect::<Vec<_>>()
    );
    assert!(
        gone.is_empty(),
        "no longer duplicated, take them off KNOWN_DUPLICATES: {gone:?}"
    );
}
