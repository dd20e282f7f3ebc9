//! Fuzz target: any UTF-8 through the threads' Markdown renderer, whose HTML must keep to the allowlist.
//!
//! The output goes through `markdown::audit`, the same independent check the
//! unit and property tests use: only allowlisted tags, only their allowed
//! attributes with safe values, links only to http(s) or mailto, opened
//! safely. `plain_text` runs too: it must not panic.

#![no_main]

use libfuzzer_sys::{Corpus, fuzz_target};
use server::domain::markdown::audit::audit;
use server::domain::markdown::{GlossaryEntry, plain_text, render};

fuzz_target!(|data: &[u8]| -> Corpus {
    let Ok(source) = std::str::from_utf8(data) else {
        return Corpus::Reject;
    };
    let html = render(source, &glossary(), "p1");
    if let Err(why) = audit(&html) {
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
