//! Search: threads' posts and the searcher's rooms' messages, merged by
//! rank, with snippets cut into plain-text parts around the matched words.

use std::collections::HashMap;

use chrono::{Days, NaiveTime};
use shared::api::search::{
    SearchHit, SearchHitPlace, SearchQuery, SearchResponse, SearchScope, SnippetPart,
};
use shared::api::users::UserSummary;
use shared::limits::SEARCH_PAGE;
use shared::taxonomy::Topic;

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::search::{Filters, HIT_END, HIT_START};
use crate::domain::{access, validate_threads};
use crate::error::{AppError, AppResult};

pub async fn search(
    state: &AppState,
    who: &AuthUser,
    q: &SearchQuery,
) -> AppResult<SearchResponse> {
    let words = validate_threads::search_words(&q.q)?;
    let topic = match q.topic.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        Some(slug) => Some(
            Topic::from_slug(slug)
                .ok_or_else(|| AppError::validation("topic", "Choose a topic from the list."))?,
        ),
    };
    if let (Some(from), Some(to)) = (q.from, q.to)
        && from > to
    {
        return Err(AppError::validation(
            "to",
            "The end date is before the start date.",
        ));
    }
    let readable = access::readable(&state.db, who).await?;
    let filters = Filters {
        words: &words,
        topic,
        from: q.from.map(|d| d.and_time(NaiveTime::MIN).and_utc()),
        until: q
            .to
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .map(|d| d.and_time(NaiveTime::MIN).and_utc()),
        coops: &readable.coops,
        user_id: who.id,
        // One more than a page, to know whether there are more.
        limit: SEARCH_PAGE + 1,
    };
    let want_posts = q.scope != Some(SearchScope::Messages);
    // Messages have no topics: a topic filter narrows to threads.
    let want_messages = q.scope != Some(SearchScope::Threads) && topic.is_none();
    let posts = if want_posts {
        db::search::posts(&state.db, &filters).await?
    } else {
        Vec::new()
    };
    let messages = if want_messages {
        db::search::messages(&state.db, &filters).await?
    } else {
        Vec::new()
    };
    let mut people: Vec<i64> = posts.iter().map(|p| p.author_id).collect();
    people.extend(messages.iter().map(|m| m.author_id));
    let names = db::users::names_of(&state.db, &people).await?;
    let person = |id: i64| UserSummary {
        id,
        display_name: names.get(&id).cloned().unwrap_or_default(),
    };
    let mut room_ids: Vec<i64> = messages.iter().map(|m| m.room_id).collect();
    room_ids.sort_unstable();
    room_ids.dedup();
    let room_titles: HashMap<i64, String> = db::rooms::titles(&state.db, &room_ids, who.id).await?;
    let mut scored: Vec<(f64, SearchHit)> = posts
        .into_iter()
        .map(|p| {
            (
                p.score,
                SearchHit {
                    place: SearchHitPlace::Post {
                        thread_id: p.thread_id,
                        post_id: p.post_id,
                        thread_title: p.title,
                    },
                    author: person(p.author_id),
                    created_at: p.created_at,
                    snippet: snippet_parts(&p.snippet),
                },
            )
        })
        .chain(messages.into_iter().map(|m| {
            (
                m.score,
                SearchHit {
                    place: SearchHitPlace::Message {
                        room_id: m.room_id,
                        message_id: m.message_id,
                        seq: m.seq,
                        room_title: room_titles.get(&m.room_id).cloned().unwrap_or_default(),
                    },
                    author: person(m.author_id),
                    created_at: m.created_at,
                    snippet: snippet_parts(&m.snippet),
                },
            )
        }))
        .collect();
    scored.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then_with(|| b.1.created_at.cmp(&a.1.created_at))
    });
    let page = usize::try_from(SEARCH_PAGE).unwrap_or(usize::MAX);
    let more = scored.len() > page;
    Ok(SearchResponse {
        hits: scored.into_iter().take(page).map(|(_, h)| h).collect(),
        more,
    })
}

/// Cut a snippet marked with `HIT_START`/`HIT_END` into parts. Unbalanced
/// marks (text that itself held the marker characters) degrade to plain text.
pub fn snippet_parts(marked: &str) -> Vec<SnippetPart> {
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut current = String::new();
    let mut hit = false;
    for c in marked.chars() {
        match c {
            HIT_START | HIT_END => {
                if !current.is_empty() {
                    parts.push(SnippetPart {
                        text: std::mem::take(&mut current),
                        hit,
                    });
                }
                hit = c == HIT_START;
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        parts.push(SnippetPart { text: current, hit });
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::snippet_parts;

    #[test]
    fn snippets_become_parts() {
        let parts = snippet_parts("the \u{E000}ICB\u{E001} bid and \u{E000}funding\u{E001}…");
        let hits: Vec<&str> = parts
            .iter()
            .filter(|p| p.hit)
            .map(|p| p.text.as_str())
            .collect();
        assert_eq!(hits, ["ICB", "funding"]);
        let all: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(all, "the ICB bid and funding…");
        assert!(snippet_parts("").is_empty());
        assert!(!snippet_parts("<b>x</b>").iter().any(|p| p.hit));
    }
}
