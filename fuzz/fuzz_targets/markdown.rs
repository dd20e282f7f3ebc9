//! Fuzz target: any UTF-8 through the threads' Markdown renderer, whose HTML must keep to the allowlist.
//!
//! The checker walks the output as ammonia serialises it (text, then tags
//! whose attribute values are always in double quotes) and fails on any tag
//! outside the allowlist, any `on…`, `style` or `src` attribute, and any
//! `href` that is not http(s) or mailto. `plain_text` runs too: it must not
//! panic.

#![no_main]

use libfuzzer_sys::{Corpus, fuzz_target};
use server::domain::markdown::{GlossaryEntry, plain_text, render};

/// The renderer's allowlist, as `sanitiser()` in server/src/domain/markdown.rs.
const TAGS: &[&str] = &[
    "p",
    "br",
    "em",
    "strong",
    "del",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "span",
];

const SCHEMES: &[&str] = &["http://", "https://", "mailto:"];

fuzz_target!(|data: &[u8]| -> Corpus {
    let Ok(source) = std::str::from_utf8(data) else {
        return Corpus::Reject;
    };
    let html = render(source, &glossary(), "p1");
    if let Err(why) = check(&html) {
        panic!("{why}\n--- markdown\n{source:?}\n--- html\n{html}");
    }
    plain_text(source);
    Corpus::Keep
});

/// Terms whose explanations the renderer writes as HTML itself: the
/// definitions carry characters that must come out escaped.
fn glossary() -> [GlossaryEntry; 2] {
    [
        GlossaryEntry {
            id: 1,
            term: "ICB".into(),
            aliases: vec!["Integrated Care Board".into()],
            definition: "plans & funds NHS care for <2 million people".into(),
        },
        GlossaryEntry {
            id: 2,
            term: "CBT".into(),
            aliases: vec!["cognitive behavioural therapy".into()],
            definition: "a \"talking\" therapy; it's <b>short</b> & structured".into(),
        },
    ]
}

/// Every `<` must start an allowed tag, and every attribute must be safe.
fn check(html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        if closing {
            rest = &rest[1..];
        }
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let (tag, after) = rest.split_at(end);
        if !TAGS.contains(&tag) {
            return Err(format!("tag {tag:?} is not on the allowlist"));
        }
        rest = after;
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            let end = rest
                .find(|c: char| c == '=' || c == '>' || c.is_ascii_whitespace())
                .ok_or_else(|| format!("<{tag} is never closed"))?;
            if closing || end == 0 {
                return Err(format!("malformed tag {tag:?} at {rest:?}"));
            }
            let name = rest[..end].to_ascii_lowercase();
            rest = &rest[end..];
            let mut value = "";
            if let Some(quoted) = rest.strip_prefix("=\"") {
                let end = quoted
                    .find('"')
                    .ok_or_else(|| format!("{name} on <{tag}> has no closing quote"))?;
                (value, rest) = (&quoted[..end], &quoted[end + 1..]);
            }
            check_attribute(tag, &name, value)?;
        }
    }
    Ok(())
}

fn check_attribute(tag: &str, name: &str, value: &str) -> Result<(), String> {
    if name.starts_with("on") || name == "style" || name == "src" {
        return Err(format!("<{tag}> has the attribute {name}={value:?}"));
    }
    // Browsers read a scheme in any case, so `HTTP://` is as safe as `http://`.
    let scheme_ok = |s: &&str| {
        value
            .get(..s.len())
            .is_some_and(|v| v.eq_ignore_ascii_case(s))
    };
    if name == "href" && !SCHEMES.iter().any(scheme_ok) {
        return Err(format!("<{tag}> links to {value:?}"));
    }
    Ok(())
}
