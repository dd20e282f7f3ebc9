//! Full-text search behind one interface: SQLite FTS5 (`posts_fts`,
//! `messages_fts`, ranked by bm25) or PostgreSQL `tsvector` columns (English
//! configuration, ranked by `ts_rank_cd`), with highlighted snippets.
//!
//! Access is part of the query, never a filter afterwards: posts only from
//! live threads the searcher may read, messages only from rooms the
//! searcher is a member of. Query words are letters and digits only (see
//! `validate_threads::search_words`), so user text never reaches either
//! engine's query syntax.

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseBackend, DatabaseConnection, FromQueryResult, Statement, Value};
use shared::taxonomy::Topic;

use crate::error::AppResult;

/// Marks a matched word's start and end inside snippets (Unicode private
/// use characters, which ordinary text does not contain).
pub const HIT_START: char = '\u{E000}';
pub const HIT_END: char = '\u{E001}';

pub struct Filters<'a> {
    pub words: &'a [String],
    pub topic: Option<Topic>,
    pub from: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
    /// Co-operatives whose threads the searcher may read.
    pub coops: &'a [i64],
    pub user_id: i64,
    pub limit: u64,
}

#[derive(Debug, FromQueryResult)]
pub struct PostHit {
    pub post_id: i64,
    pub thread_id: i64,
    pub title: String,
    pub author_id: i64,
    pub created_at: DateTime<Utc>,
    pub snippet: String,
    pub score: f64,
}

#[derive(Debug, FromQueryResult)]
pub struct MessageHit {
    pub message_id: i64,
    pub room_id: i64,
    pub seq: i64,
    pub author_id: i64,
    pub created_at: DateTime<Utc>,
    pub snippet: String,
    pub score: f64,
}

/// SQL built with `?` placeholders and its values; PostgreSQL gets `$n`.
struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            values: Vec::new(),
        }
    }

    fn push(&mut self, text: &str, values: impl IntoIterator<Item = Value>) {
        self.text.push_str(text);
        self.values.extend(values);
    }

    fn statement(self, backend: DatabaseBackend) -> Statement {
        let text = if backend == DatabaseBackend::Postgres {
            let mut out = String::with_capacity(self.text.len() + 16);
            let mut n = 0;
            for c in self.text.chars() {
                if c == '?' {
                    n += 1;
                    out.push_str(&format!("${n}"));
                } else {
                    out.push(c);
                }
            }
            out
        } else {
            self.text
        };
        Statement::from_sql_and_values(backend, text, self.values)
    }
}

/// `AND (<col> IS NULL OR <col> IN (…))`: open threads and readable co-ops.
fn coop_clause(sql: &mut Sql, coops: &[i64]) {
    if coops.is_empty() {
        sql.push(" AND t.coop_id IS NULL", []);
    } else {
        let marks = vec!["?"; coops.len()].join(", ");
        sql.push(
            &format!(" AND (t.coop_id IS NULL OR t.coop_id IN ({marks}))"),
            coops.iter().map(|&c| Value::from(c)),
        );
    }
}

fn date_clauses(sql: &mut Sql, col: &str, f: &Filters<'_>) {
    if let Some(from) = f.from {
        sql.push(&format!(" AND {col} >= ?"), [Value::from(from)]);
    }
    if let Some(until) = f.until {
        sql.push(&format!(" AND {col} < ?"), [Value::from(until)]);
    }
}

/// FTS5: each word a quoted string (all must match), the last a prefix.
fn fts5_query(words: &[String]) -> String {
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == last {
                format!("\"{w}\"*")
            } else {
                format!("\"{w}\"")
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// tsquery: all words, the last a prefix.
fn tsquery(words: &[String]) -> String {
    let last = words.len().saturating_sub(1);
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i == last {
                format!("{w}:*")
            } else {
                w.clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" & ")
}

fn headline_options() -> String {
    format!(
        "StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=30, MinWords=12, \
         MaxFragments=2, FragmentDelimiter=\" … \""
    )
}

/// Posts (opening posts and replies) of live threads the searcher may read,
/// not hidden by a moderator.
pub async fn posts(db: &DatabaseConnection, f: &Filters<'_>) -> AppResult<Vec<PostHit>> {
    let backend = db.get_database_backend();
    let mut sql = if backend == DatabaseBackend::Postgres {
        let mut s = Sql::new(
            "SELECT p.id AS post_id, p.thread_id, t.title, p.author_id, p.created_at, \
             ts_headline('english', p.plain, to_tsquery('english', ?), ?) AS snippet, \
             hits.score FROM (SELECT p.id, ts_rank_cd(p.search, q)::float8 AS score \
             FROM posts p JOIN threads t ON t.id = p.thread_id, to_tsquery('english', ?) q \
             WHERE p.search @@ q",
        );
        let q = tsquery(f.words);
        s.values = vec![
            Value::from(q.clone()),
            Value::from(headline_options()),
            Value::from(q),
        ];
        s
    } else {
        let mut s = Sql::new(&format!(
            "SELECT p.id AS post_id, p.thread_id, t.title, p.author_id, p.created_at, \
             snippet(posts_fts, -1, char({}), char({}), '…', 24) AS snippet, \
             -bm25(posts_fts, 4.0, 1.0) AS score \
             FROM posts_fts JOIN posts p ON p.id = posts_fts.rowid \
             JOIN threads t ON t.id = p.thread_id WHERE posts_fts MATCH ?",
            HIT_START as u32, HIT_END as u32
        ));
        s.values.push(Value::from(fts5_query(f.words)));
        s
    };
    // Hidden by a moderator: gone from search as from the thread.
    sql.push(
        " AND t.deleted_at IS NULL AND p.deleted_at IS NULL AND p.hidden_at IS NULL",
        [],
    );
    coop_clause(&mut sql, f.coops);
    if let Some(topic) = f.topic {
        sql.push(
            " AND EXISTS (SELECT 1 FROM thread_topics tt WHERE tt.thread_id = t.id AND tt.topic = ?)",
            [Value::from(topic.slug())],
        );
    }
    date_clauses(&mut sql, "p.created_at", f);
    if backend == DatabaseBackend::Postgres {
        sql.push(
            " ORDER BY score DESC, p.id DESC LIMIT ?) hits \
             JOIN posts p ON p.id = hits.id JOIN threads t ON t.id = p.thread_id \
             ORDER BY hits.score DESC, p.id DESC",
            [Value::from(f.limit)],
        );
    } else {
        sql.push(
            " ORDER BY score DESC, p.id DESC LIMIT ?",
            [Value::from(f.limit)],
        );
    }
    Ok(PostHit::find_by_statement(sql.statement(backend))
        .all(db)
        .await?)
}

/// Messages of rooms the searcher is a member of (deleted and hidden ones
/// have no text).
pub async fn messages(db: &DatabaseConnection, f: &Filters<'_>) -> AppResult<Vec<MessageHit>> {
    let backend = db.get_database_backend();
    let mut sql = if backend == DatabaseBackend::Postgres {
        let mut s = Sql::new(
            "SELECT m.id AS message_id, m.room_id, m.seq, m.author_id, m.created_at, \
             ts_headline('english', m.body, to_tsquery('english', ?), ?) AS snippet, \
             hits.score FROM (SELECT m.id, ts_rank_cd(m.search, q)::float8 AS score \
             FROM messages m, to_tsquery('english', ?) q WHERE m.search @@ q",
        );
        let q = tsquery(f.words);
        s.values = vec![
            Value::from(q.clone()),
            Value::from(headline_options()),
            Value::from(q),
        ];
        s
    } else {
        let mut s = Sql::new(&format!(
            "SELECT m.id AS message_id, m.room_id, m.seq, m.author_id, m.created_at, \
             snippet(messages_fts, 0, char({}), char({}), '…', 24) AS snippet, \
             -bm25(messages_fts) AS score \
             FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid \
             WHERE messages_fts MATCH ?",
            HIT_START as u32, HIT_END as u32
        ));
        s.values.push(Value::from(fts5_query(f.words)));
        s
    };
    sql.push(
        " AND m.deleted_at IS NULL AND m.hidden_at IS NULL \
         AND m.room_id IN (SELECT rm.room_id FROM room_members rm WHERE rm.user_id = ?)",
        [Value::from(f.user_id)],
    );
    date_clauses(&mut sql, "m.created_at", f);
    if backend == DatabaseBackend::Postgres {
        sql.push(
            " ORDER BY score DESC, m.id DESC LIMIT ?) hits JOIN messages m ON m.id = hits.id \
             ORDER BY hits.score DESC, m.id DESC",
            [Value::from(f.limit)],
        );
    } else {
        sql.push(
            " ORDER BY score DESC, m.id DESC LIMIT ?",
            [Value::from(f.limit)],
        );
    }
    Ok(MessageHit::find_by_statement(sql.statement(backend))
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use super::{fts5_query, tsquery};

    #[test]
    fn queries_match_all_words_and_the_last_as_a_prefix() {
        let words = ["icb".to_owned(), "bid".to_owned()];
        assert_eq!(fts5_query(&words), "\"icb\" \"bid\"*");
        assert_eq!(tsquery(&words), "icb & bid:*");
    }
}
