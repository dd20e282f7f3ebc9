//! Markdown for practice threads: the safe subset rendered to HTML, glossary
//! terms marked, then every tag and attribute checked against an allowlist.
//!
//! Two layers, so neither has to be perfect alone: the renderer shows raw
//! HTML as text and turns images into links (no remote images), and ammonia
//! then drops anything not on the allowlist (scripts, event handlers, styles,
//! `javascript:` URLs, SVG). Previews call the same function as posts, so a
//! draft looks exactly as it will.

use std::collections::HashSet;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use shared::glossary::{Pattern, Segment, segments};

/// One approved glossary term, as the renderer needs it.
#[derive(Clone, Debug)]
pub struct GlossaryEntry {
    pub id: i64,
    pub term: String,
    pub aliases: Vec<String>,
    pub definition: String,
}

fn options() -> Options {
    Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES
}

/// Render `source` to sanitised HTML. `id_prefix` makes the ids of glossary
/// explanations unique on a page (e.g. `p12` for post 12).
pub fn render(source: &str, glossary: &[GlossaryEntry], id_prefix: &str) -> String {
    let patterns: Vec<Pattern<'_>> = glossary
        .iter()
        .flat_map(|g| {
            std::iter::once(g.term.as_str())
                .chain(g.aliases.iter().map(String::as_str))
                .map(|text| Pattern {
                    term_id: g.id,
                    text,
                })
        })
        .collect();
    let mut marker = Marker {
        glossary,
        patterns: &patterns,
        seen: HashSet::new(),
        id_prefix,
        count: 0,
    };
    let mut in_link_or_code = 0usize;
    let mut events = Vec::new();
    for event in Parser::new_ext(source, options()) {
        match event {
            // Raw HTML is shown as the text it is, never interpreted.
            Event::Html(s) | Event::InlineHtml(s) => events.push(Event::Text(s)),
            // No remote images: an image becomes a link to it, its alt text the label.
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                in_link_or_code += 1;
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::End(TagEnd::Image) => {
                in_link_or_code = in_link_or_code.saturating_sub(1);
                events.push(Event::End(TagEnd::Link));
            }
            Event::Start(Tag::Heading {
                level,
                id,
                classes,
                attrs,
            }) => events.push(Event::Start(Tag::Heading {
                level: demote(level),
                id,
                classes,
                attrs,
            })),
            Event::End(TagEnd::Heading(level)) => {
                events.push(Event::End(TagEnd::Heading(demote(level))));
            }
            Event::Start(tag @ (Tag::Link { .. } | Tag::CodeBlock(_))) => {
                in_link_or_code += 1;
                events.push(Event::Start(tag));
            }
            Event::End(end @ (TagEnd::Link | TagEnd::CodeBlock)) => {
                in_link_or_code = in_link_or_code.saturating_sub(1);
                events.push(Event::End(end));
            }
            Event::Text(text) if in_link_or_code == 0 && !patterns.is_empty() => {
                marker.mark(text, &mut events);
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(source.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitiser().clean(&html).to_string()
}

/// A post's headings sit below the page's own (the thread title is the `h1`).
fn demote(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Marks the first appearance of each term across the whole post.
struct Marker<'a> {
    glossary: &'a [GlossaryEntry],
    patterns: &'a [Pattern<'a>],
    seen: HashSet<i64>,
    id_prefix: &'a str,
    count: usize,
}

impl Marker<'_> {
    fn mark<'e>(&mut self, text: CowStr<'e>, out: &mut Vec<Event<'e>>) {
        let mut plain = String::new();
        for segment in segments(&text, self.patterns) {
            match segment {
                Segment::Term { text, term_id } if self.seen.insert(term_id) => {
                    if !plain.is_empty() {
                        out.push(Event::Text(CowStr::from(std::mem::take(&mut plain))));
                    }
                    if let Some(entry) = self.glossary.iter().find(|g| g.id == term_id) {
                        out.push(Event::InlineHtml(CowStr::from(self.explained(text, entry))));
                    } else {
                        plain.push_str(text);
                    }
                }
                Segment::Term { text, .. } | Segment::Plain(text) => plain.push_str(text),
            }
        }
        if !plain.is_empty() {
            out.push(Event::Text(CowStr::from(plain)));
        }
    }

    /// The same shape the app gives terms in chat messages, so one
    /// stylesheet serves both: a focusable term described by its tooltip.
    fn explained(&mut self, text: &str, entry: &GlossaryEntry) -> String {
        let id = format!("gl-{}-{}", self.id_prefix, self.count);
        self.count += 1;
        format!(
            "<span class=\"gloss-wrap\"><span class=\"gloss\" tabindex=\"0\" \
             aria-describedby=\"{id}\">{}</span><span class=\"gloss-tip\" role=\"tooltip\" \
             id=\"{id}\"><strong>{}</strong>: {}</span></span>",
            escape(text),
            escape(&entry.term),
            escape(&entry.definition),
        )
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The only tags a rendered post may hold.
pub const ALLOWED_TAGS: &[&str] = &[
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

/// The allowlist. Links may only be http(s) or mailto, open in a new tab
/// without giving the opened page a handle on ours, and carry no referrer.
fn sanitiser() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.add_tags(ALLOWED_TAGS)
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes("ol", ["start"])
        .add_tag_attributes("span", ["tabindex", "role", "id", "aria-describedby"])
        .add_allowed_classes("span", ["gloss-wrap", "gloss", "gloss-tip"])
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("noopener noreferrer nofollow ugc"))
        .set_tag_attribute_value("a", "target", "_blank")
        .attribute_filter(|_, attr, value| {
            let ok = match attr {
                "tabindex" => value == "0",
                "role" => value == "tooltip",
                "id" | "aria-describedby" => value.starts_with("gl-"),
                _ => true,
            };
            ok.then(|| value.into())
        });
    b
}

/// What a reader sees, as text: for search, snippets and quotes.
pub fn plain_text(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for event in Parser::new_ext(source, options()) {
        match event {
            Event::Text(s) | Event::Code(s) | Event::Html(s) | Event::InlineHtml(s) => {
                out.push_str(&s);
            }
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::BlockQuote(_)
                | TagEnd::TableRow,
            ) => out.push('\n'),
            Event::End(TagEnd::TableCell) => out.push(' '),
            _ => {}
        }
    }
    out.trim().to_owned()
}

pub mod audit;
#[cfg(test)]
mod tests;
