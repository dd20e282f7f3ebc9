//! Finding glossary terms in text: one rule for the server (which marks them
//! in rendered posts) and the app (which marks them in chat messages), so a
//! term is explained the same way wherever it appears.
//!
//! A term matches as a whole word (or words), with an optional plural `s`.
//! Acronyms (two or more capitals, like `ICB`) match only in capitals, so
//! "des" in a sentence is not the `DES`; other terms match in any case.
//! Each term is marked at its first appearance only, as a reader needs the
//! explanation once.

/// One way of writing a term: the term itself or one of its aliases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pattern<'a> {
    pub term_id: i64,
    pub text: &'a str,
}

/// A stretch of the text: plain, or a glossary term.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Segment<'t> {
    Plain(&'t str),
    Term { text: &'t str, term_id: i64 },
}

fn is_acronym(pattern: &str) -> bool {
    pattern.chars().filter(|c| c.is_ascii_uppercase()).count() >= 2
        && !pattern.chars().any(|c| c.is_lowercase())
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The length in bytes of `pattern` matched at the start of `rest`, if it
/// matches there as whole words (plural `s` allowed).
fn match_at(rest: &str, pattern: &str) -> Option<usize> {
    let n = pattern.len();
    let head = rest.get(..n)?;
    let same = if is_acronym(pattern) {
        head == pattern
    } else {
        head.eq_ignore_ascii_case(pattern)
    };
    if !same {
        return None;
    }
    let mut end = n;
    if rest[end..].starts_with(['s', 'S']) && !rest[end + 1..].starts_with(is_word_char) {
        end += 1;
    }
    (!rest[end..].starts_with(is_word_char)).then_some(end)
}

/// Split `text` into plain stretches and the first appearance of each term.
/// Where two patterns match at one place, the longest wins.
pub fn segments<'t>(text: &'t str, patterns: &[Pattern<'_>]) -> Vec<Segment<'t>> {
    let mut patterns: Vec<Pattern<'_>> = patterns
        .iter()
        .filter(|p| !p.text.trim().is_empty())
        .copied()
        .collect();
    patterns.sort_by_key(|p| std::cmp::Reverse(p.text.len()));
    let mut out = Vec::new();
    let mut seen: Vec<i64> = Vec::new();
    let mut plain_from = 0;
    let mut at = 0;
    let mut prev: Option<char> = None;
    while at < text.len() {
        let rest = &text[at..];
        let starts_word = prev.is_none_or(|c| !is_word_char(c));
        if starts_word {
            let hit = patterns
                .iter()
                .filter(|p| !seen.contains(&p.term_id))
                .find_map(|p| match_at(rest, p.text).map(|len| (p.term_id, len)));
            if let Some((term_id, len)) = hit {
                if plain_from < at {
                    out.push(Segment::Plain(&text[plain_from..at]));
                }
                out.push(Segment::Term {
                    text: &text[at..at + len],
                    term_id,
                });
                seen.push(term_id);
                at += len;
                plain_from = at;
                prev = text[..at].chars().next_back();
                continue;
            }
        }
        let c = rest.chars().next().unwrap_or(' ');
        prev = Some(c);
        at += c.len_utf8();
    }
    if plain_from < text.len() {
        out.push(Segment::Plain(&text[plain_from..]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Pattern, Segment, segments};

    const TERMS: &[Pattern<'static>] = &[
        Pattern {
            term_id: 1,
            text: "ICB",
        },
        Pattern {
            term_id: 1,
            text: "Integrated Care Board",
        },
        Pattern {
            term_id: 2,
            text: "link worker",
        },
        Pattern {
            term_id: 3,
            text: "DES",
        },
        Pattern {
            term_id: 4,
            text: "social prescribing",
        },
    ];

    fn terms(text: &str) -> Vec<(String, i64)> {
        segments(text, TERMS)
            .into_iter()
            .filter_map(|s| match s {
                Segment::Term { text, term_id } => Some((text.to_owned(), term_id)),
                Segment::Plain(_) => None,
            })
            .collect()
    }

    #[test]
    fn whole_words_plurals_and_case() {
        assert_eq!(
            terms("Our Link Workers met the ICB."),
            [("Link Workers".to_owned(), 2), ("ICB".to_owned(), 1)]
        );
        assert!(terms("icb, des and ICBX are not terms; nor is blink worker").is_empty());
        assert_eq!(terms("the DES pays"), [("DES".to_owned(), 3)]);
    }

    #[test]
    fn first_appearance_only_and_longest_wins() {
        assert_eq!(
            terms("The Integrated Care Board (ICB) funds social prescribing; the ICB again."),
            [
                ("Integrated Care Board".to_owned(), 1),
                ("social prescribing".to_owned(), 4)
            ]
        );
    }

    #[test]
    fn segments_cover_the_text_exactly() {
        let text = "Ask a link worker — or the ICB — about it.";
        let joined: String = segments(text, TERMS)
            .into_iter()
            .map(|s| match s {
                Segment::Plain(t) | Segment::Term { text: t, .. } => t,
            })
            .collect();
        assert_eq!(joined, text);
        assert_eq!(segments("", TERMS), []);
        assert_eq!(segments("ünïcödé ICB", TERMS).len(), 2);
    }
}
