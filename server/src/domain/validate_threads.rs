//! Input rules for threads, posts, glossary suggestions and search queries.
//! Each error names its field.

use shared::limits::{
    GLOSSARY_ALIASES_MAX, GLOSSARY_DEFINITION_MAX_CHARS, GLOSSARY_TERM_MAX_CHARS, POST_MAX_CHARS,
    SEARCH_QUERY_MAX_CHARS, THREAD_TITLE_MAX_CHARS, THREAD_TOPICS_MAX,
};
use shared::taxonomy::{ActivityType, Topic};

use super::validate_programme::text;
use crate::error::{AppError, AppResult};

pub fn title(raw: &str) -> AppResult<String> {
    let t = text("title", "a title", raw, THREAD_TITLE_MAX_CHARS, true)?;
    if t.contains(['\n', '\r']) {
        return Err(AppError::validation("title", "Keep the title on one line."));
    }
    Ok(t)
}

pub fn body(raw: &str) -> AppResult<String> {
    text("body", "some text", raw, POST_MAX_CHARS, true)
}

/// One to [`THREAD_TOPICS_MAX`] topics, each once.
pub fn topics(raw: &[Topic]) -> AppResult<Vec<Topic>> {
    let mut topics = raw.to_vec();
    topics.sort();
    topics.dedup();
    if topics.is_empty() {
        return Err(AppError::validation(
            "topics",
            "Choose at least one topic, so people can find the thread.",
        ));
    }
    if topics.len() > THREAD_TOPICS_MAX {
        return Err(AppError::validation(
            "topics",
            format!("Choose at most {THREAD_TOPICS_MAX} topics."),
        ));
    }
    Ok(topics)
}

pub fn activity_types(raw: &[ActivityType]) -> Vec<ActivityType> {
    let mut out = raw.to_vec();
    out.sort();
    out.dedup();
    out
}

/// A glossary suggestion: term, aliases, definition.
pub fn term(
    term: &str,
    aliases: &[String],
    definition: &str,
) -> AppResult<(String, Vec<String>, String)> {
    let term = text("term", "the term", term, GLOSSARY_TERM_MAX_CHARS, true)?;
    if term.contains(['\n', '\r']) {
        return Err(AppError::validation("term", "Keep the term on one line."));
    }
    let mut clean = Vec::new();
    for a in aliases {
        let a = text(
            "aliases",
            "each other name",
            a,
            GLOSSARY_TERM_MAX_CHARS,
            false,
        )?;
        if !a.is_empty() && !a.eq_ignore_ascii_case(&term) && !clean.contains(&a) {
            clean.push(a);
        }
    }
    if clean.len() > GLOSSARY_ALIASES_MAX {
        return Err(AppError::validation(
            "aliases",
            format!("Give at most {GLOSSARY_ALIASES_MAX} other names."),
        ));
    }
    let definition = text(
        "definition",
        "a plain-English definition",
        definition,
        GLOSSARY_DEFINITION_MAX_CHARS,
        true,
    )?;
    Ok((term, clean, definition))
}

/// The words of a search query: letters and digits only (so nothing the
/// user types can reach either database's query syntax), at most twelve.
pub fn search_words(raw: &str) -> AppResult<Vec<String>> {
    if raw.chars().count() > SEARCH_QUERY_MAX_CHARS {
        return Err(AppError::validation(
            "q",
            format!("Use at most {SEARCH_QUERY_MAX_CHARS} characters."),
        ));
    }
    let words: Vec<String> = raw
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(str::to_lowercase)
        .collect();
    if words.is_empty() {
        return Err(AppError::validation(
            "q",
            "Type a word or two to search for.",
        ));
    }
    Ok(words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_words_keep_only_letters_and_digits() {
        assert_eq!(
            search_words("\"ICB\" OR 1=1; -- drop*").unwrap_or_default(),
            ["icb", "or", "1", "1", "drop"]
        );
        assert!(search_words("  *** ").is_err());
        assert_eq!(
            search_words("Café über").unwrap_or_default(),
            ["café", "über"]
        );
    }

    #[test]
    fn topics_are_required_and_bounded() {
        assert!(topics(&[]).is_err());
        assert_eq!(
            topics(&[Topic::Safeguarding, Topic::Safeguarding]).unwrap_or_default(),
            [Topic::Safeguarding]
        );
        assert!(topics(&Topic::ALL[..5]).is_err());
    }

    #[test]
    fn glossary_aliases_drop_repeats_of_the_term() {
        let (t, a, _) = term(
            " ICB ",
            &["icb".into(), "Integrated Care Board".into(), "".into()],
            "x",
        )
        .unwrap_or_default();
        assert_eq!(t, "ICB");
        assert_eq!(a, ["Integrated Care Board"]);
    }
}
