//! The sanitiser against a corpus of known XSS payloads, and properties over
//! arbitrary input: whatever goes in, only allowlisted tags and attributes
//! come out.

use proptest::prelude::*;

use super::audit::audit;
use super::{GlossaryEntry, plain_text, render};

fn glossary() -> Vec<GlossaryEntry> {
    vec![GlossaryEntry {
        id: 1,
        term: "ICB".into(),
        aliases: vec!["Integrated Care Board".into()],
        definition: "The NHS body that plans & buys <health> services.".into(),
    }]
}

/// Payloads from the usual cheat sheets: script, event handlers,
/// `javascript:` and `data:` URLs, SVG, CSS, entity tricks, broken tags.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//xss.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r=5/></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<iframe src=\"javascript:alert(1)\"></iframe>",
    "<a href=\"javascript:alert(1)\">click</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "![tracker](https://evil.example/pixel.png)",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<style>body{background:red}</style>",
    "<p style=\"position:fixed;top:0\">overlay</p>",
    "<a href=x onmouseover=alert(1)>x</a>",
    "<body onload=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<meta http-equiv=refresh content=\"0;url=javascript:alert(1)\">",
    "<link rel=stylesheet href=//evil.example/x.css>",
    "<base href=//evil.example/>",
    "<!--<img src=x onerror=alert(1)>-->",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "\"><script>alert(1)</script>",
    "<span class=\"gloss\" tabindex=\"0\" onclick=\"alert(1)\">fake</span>",
    "<span id=\"gl-x\" style=\"color:red\">fake</span>",
    "[x](https://ok.example \"title\\\" onmouseover=\\\"alert(1)\")",
    "<a href=\"//evil.example\">protocol-relative</a>",
    "[rel](/relative/path)",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
];

fn assert_safe(html: &str) {
    if let Err(why) = audit(html) {
        panic!("{why} in {html}");
    }
}

#[test]
fn every_payload_in_the_corpus_is_neutralised() {
    for payload in PAYLOADS {
        let html = render(payload, &glossary(), "t");
        assert_safe(&html);
        // Also inside Markdown structures.
        for wrapped in [
            format!("> {payload}"),
            format!("- {payload}"),
            format!("| a |\n|---|\n| {payload} |"),
            format!("# {payload}"),
            format!("**{payload}**"),
        ] {
            assert_safe(&render(&wrapped, &glossary(), "t"));
        }
    }
}

#[test]
fn raw_html_is_shown_as_text() {
    let html = render("<b>bold?</b> & <i>", &[], "t");
    assert_eq!(html, "<p>&lt;b&gt;bold?&lt;/b&gt; &amp; &lt;i&gt;</p>\n");
}

#[test]
fn markdown_subset_renders() {
    let html = render(
        "# Policy\n\n**Bold**, *em*, ~~old~~ and `code`.\n\n- one\n- two\n\n> quoted\n\n[site](https://example.org)",
        &[],
        "t",
    );
    assert!(html.contains("<h3>Policy</h3>"), "{html}");
    assert!(html.contains("<strong>Bold</strong>"));
    assert!(html.contains("<em>em</em>"));
    assert!(html.contains("<del>old</del>"));
    assert!(html.contains("<code>code</code>"));
    assert!(html.contains("<li>one</li>"));
    assert!(html.contains("<blockquote>"));
    assert!(html.contains(
        "<a href=\"https://example.org\" target=\"_blank\" rel=\"noopener noreferrer nofollow ugc\">site</a>"
    ));
}

#[test]
fn images_become_links_to_the_image() {
    let html = render("![a chart](https://example.org/c.png)", &[], "t");
    assert!(!html.contains("<img"));
    assert!(
        html.contains("href=\"https://example.org/c.png\""),
        "{html}"
    );
    assert!(html.contains(">a chart</a>"), "{html}");
}

#[test]
fn glossary_terms_are_explained_once_and_escaped() {
    let html = render(
        "Ask the ICB. The Integrated Care Board (ICB) again. `ICB` in code, [ICB](https://x.example).",
        &glossary(),
        "p7",
    );
    assert_eq!(html.matches("class=\"gloss\"").count(), 1, "{html}");
    assert!(
        html.contains(
            "<span class=\"gloss\" tabindex=\"0\" aria-describedby=\"gl-p7-0\">ICB</span>"
        )
    );
    assert!(html.contains("id=\"gl-p7-0\""));
    assert!(
        html.contains("plans &amp; buys &lt;health&gt; services"),
        "{html}"
    );
    assert!(html.contains("<code>ICB</code>"));
}

#[test]
fn plain_text_drops_the_markup() {
    assert_eq!(
        plain_text("# Title\n\nSome **bold** and [a link](https://x.example).\n\n- item"),
        "Title\nSome bold and a link.\nitem"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_renders_safely(source in "\\PC{0,300}") {
        assert_safe(&render(&source, &glossary(), "t"));
    }

    #[test]
    fn html_shaped_noise_renders_safely(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("<".to_owned()), Just(">".to_owned()), Just("\"".to_owned()),
                Just("'".to_owned()), Just("=".to_owned()), Just(" ".to_owned()),
                Just("script".to_owned()), Just("svg".to_owned()), Just("img".to_owned()),
                Just("onerror".to_owned()), Just("javascript:".to_owned()),
                Just("style".to_owned()), Just("[".to_owned()), Just("](".to_owned()),
                Just(")".to_owned()), Just("!".to_owned()), Just("&#".to_owned()),
                Just("\n".to_owned()), Just("ICB".to_owned()), Just("`".to_owned()),
                "[a-z0-9]{1,4}",
            ],
            0..60,
        )
    ) {
        let source: String = parts.concat();
        assert_safe(&render(&source, &glossary(), "t"));
    }

    #[test]
    fn plain_text_never_contains_markup_it_did_not_get(source in "[a-zA-Z *_#>\\-\\n]{0,200}") {
        let plain = plain_text(&source);
        prop_assert!(!plain.contains('<'));
    }
}
