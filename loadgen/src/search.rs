//! Search latency at community size: the demo world plus generated
//! messages written straight into the database (the FTS5 triggers and the
//! PostgreSQL generated `tsvector` column index them like any other row),
//! then each query shape timed over HTTP as one demo user, sequentially.

use std::collections::HashMap;
use std::time::Instant;

use chrono::{DateTime, Days, Duration, SecondsFormat, Utc};
use hdrhistogram::Histogram;
use sea_orm::{
    ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement, TransactionTrait,
};
use shared::api::search::SearchResponse;

use crate::BoxError;
use crate::client::{Api, Person};
use crate::server::{Db, Server};

/// The demo user who searches (a member of some demo rooms, not others).
const SEARCHER: &str = "priya@demo.example";
/// `DEMO_PASSWORD` in server/src/demo/mod.rs.
const DEMO_PASSWORD: &str = "harbour lantern teacup";
/// People registered through the API to own extra direct rooms.
const GENERATED_PEOPLE: usize = 10;
/// Rows per transaction, and per INSERT statement inside it.
const TXN_ROWS: usize = 4000;
const STATEMENT_ROWS: usize = 500;

// ------------------------------------------------------------ vocabulary
//
// Sentences are made from templates whose slots draw from these classes,
// each with a Zipf-like frequency (weight 1/rank): the first word of a class
// is common, the last rare. About 280 distinct words in all.

const SUBJECTS: &[&str] = &[
    "we",
    "our volunteers",
    "the coordinator",
    "they",
    "our trustees",
    "the link worker",
    "I",
    "the safeguarding lead",
    "the group",
    "our manager",
    "the mentor",
    "the commissioner",
    "the board",
    "our peer supporters",
    "the practice nurse",
    "the treasurer",
    "the chair",
    "the youth worker",
    "the social prescriber",
    "our caretaker",
];

const VERBS: &[&str] = &[
    "discussed",
    "needed",
    "shared",
    "agreed",
    "reviewed",
    "planned",
    "asked about",
    "updated",
    "supported",
    "checked",
    "wrote",
    "sent",
    "changed",
    "booked",
    "recruited",
    "welcomed",
    "explained",
    "drafted",
    "submitted",
    "renewed",
    "postponed",
    "tracked",
    "evaluated",
    "mapped",
    "funded",
    "trained",
    "visited",
    "cancelled",
    "celebrated",
    "documented",
    "escalated",
    "rehearsed",
    "simplified",
    "translated",
    "photographed",
];

const ADJECTIVES: &[&str] = &[
    "new",
    "local",
    "weekly",
    "small",
    "safe",
    "quiet",
    "busy",
    "voluntary",
    "clear",
    "difficult",
    "honest",
    "monthly",
    "shared",
    "regular",
    "informal",
    "annual",
    "draft",
    "open",
    "friendly",
    "accessible",
    "confidential",
    "outdoor",
    "creative",
    "practical",
    "gentle",
    "urgent",
    "flexible",
    "free",
    "calm",
    "overdue",
    "generous",
    "sensory",
    "bilingual",
    "seasonal",
    "wheelchair-friendly",
];

const NOUNS: &[&str] = &[
    "volunteers",
    "session",
    "safeguarding",
    "funding",
    "referral",
    "group",
    "wellbeing",
    "meeting",
    "policy",
    "training",
    "grant",
    "rota",
    "support",
    "budget",
    "trustees",
    "ICB",
    "commissioning",
    "outcomes",
    "volunteering",
    "venue",
    "induction",
    "feedback",
    "report",
    "evaluation",
    "library",
    "allotment",
    "choir",
    "garden",
    "walk",
    "café",
    "newsletter",
    "GP",
    "surgery",
    "PCN",
    "council",
    "lottery",
    "bid",
    "application",
    "deadline",
    "timeline",
    "survey",
    "attendance",
    "register",
    "consent",
    "confidentiality",
    "disclosure",
    "incident",
    "risk",
    "assessment",
    "insurance",
    "DBS",
    "checks",
    "supervision",
    "debrief",
    "boundaries",
    "burnout",
    "capacity",
    "waiting",
    "list",
    "loneliness",
    "isolation",
    "anxiety",
    "confidence",
    "recovery",
    "crisis",
    "carers",
    "families",
    "transport",
    "minibus",
    "leaflet",
    "website",
    "email",
    "phone",
    "diary",
    "calendar",
    "plan",
    "studio",
    "workshop",
    "art",
    "music",
    "singing",
    "rehearsal",
    "concert",
    "football",
    "pitch",
    "kit",
    "heritage",
    "museum",
    "archive",
    "tour",
    "harbour",
    "woodland",
    "nature",
    "seeds",
    "compost",
    "greenhouse",
    "harvest",
    "tomatoes",
    "soup",
    "lunch",
    "cake",
    "kettle",
    "keys",
    "hall",
    "room",
    "data",
    "GDPR",
    "spreadsheet",
    "accounts",
    "reserves",
    "donations",
    "fundraising",
    "raffle",
    "mentoring",
    "mentee",
    "peer",
    "buddy",
    "befriending",
    "drop-in",
    "helpline",
    "signposting",
    "pathway",
    "partnership",
    "co-op",
    "network",
    "forum",
    "agenda",
    "minutes",
    "constitution",
    "governance",
    "charity",
    "commission",
    "audit",
    "impact",
    "story",
    "photos",
    "banner",
    "stall",
    "festival",
    "fair",
    "library card",
    "reading",
    "poetry",
    "knitting",
    "pottery",
    "weaving",
    "birdwatching",
    "tide",
    "beach",
    "swim",
    "cycling",
    "yoga",
    "dance",
    "ukulele",
    "kiln",
];

const PREPOSITIONS: &[&str] = &[
    "for", "with", "about", "at", "after", "before", "from", "in", "on", "during", "without",
    "around",
];

const TIMES: &[&str] = &[
    "this week",
    "next month",
    "on Thursday",
    "last year",
    "tomorrow",
    "in spring",
    "before Christmas",
    "after half term",
    "on Saturday morning",
    "over the summer",
];

// ------------------------------------------------------------ generator

/// splitmix64: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Words of one class with cumulative Zipf weights (1/rank).
struct Class {
    words: &'static [&'static str],
    cumulative: Vec<f64>,
}

impl Class {
    fn new(words: &'static [&'static str]) -> Self {
        let mut sum = 0.0;
        let cumulative = (1..=words.len())
            .map(|rank| {
                sum += 1.0 / rank as f64;
                sum
            })
            .collect();
        Self { words, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> &'static str {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let x = rng.unit() * total;
        let i = self.cumulative.partition_point(|&c| c < x);
        self.words[i.min(self.words.len() - 1)]
    }
}

struct Vocabulary {
    subjects: Class,
    verbs: Class,
    adjectives: Class,
    nouns: Class,
    prepositions: Class,
    times: Class,
}

impl Vocabulary {
    fn new() -> Self {
        Self {
            subjects: Class::new(SUBJECTS),
            verbs: Class::new(VERBS),
            adjectives: Class::new(ADJECTIVES),
            nouns: Class::new(NOUNS),
            prepositions: Class::new(PREPOSITIONS),
            times: Class::new(TIMES),
        }
    }

    /// One sentence from one of five templates.
    fn sentence(&self, rng: &mut Rng) -> String {
        let s = |c: &Class, rng: &mut Rng| c.pick(rng);
        let text = match rng.below(5) {
            0 => format!(
                "{} {} the {} {} {} the {}.",
                s(&self.subjects, rng),
                s(&self.verbs, rng),
                s(&self.adjectives, rng),
                s(&self.nouns, rng),
                s(&self.prepositions, rng),
                s(&self.nouns, rng),
            ),
            1 => format!(
                "{} {} the {} {}.",
                s(&self.subjects, rng),
                s(&self.verbs, rng),
                s(&self.nouns, rng),
                s(&self.times, rng),
            ),
            2 => format!(
                "Has anyone {} a {} {} for {}?",
                s(&self.verbs, rng),
                s(&self.adjectives, rng),
                s(&self.nouns, rng),
                s(&self.nouns, rng),
            ),
            3 => format!(
                "The {} {} the {} was {} and {}.",
                s(&self.nouns, rng),
                s(&self.prepositions, rng),
                s(&self.nouns, rng),
                s(&self.adjectives, rng),
                s(&self.adjectives, rng),
            ),
            _ => format!(
                "Thanks, {} will bring the {} and the {} {}.",
                s(&self.subjects, rng),
                s(&self.nouns, rng),
                s(&self.nouns, rng),
                s(&self.times, rng),
            ),
        };
        let mut chars = text.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => text,
        }
    }

    /// A message of 8–40 words: whole sentences, the last one cut if needed.
    fn message(&self, rng: &mut Rng) -> String {
        let target = 8 + rng.below(33);
        let mut words: Vec<String> = Vec::new();
        while words.len() < target {
            words.extend(self.sentence(rng).split(' ').map(str::to_owned));
        }
        if words.len() > 40 {
            words.truncate(40);
            if let Some(last) = words.last_mut() {
                let trimmed = last.trim_end_matches(['.', '?', ',']).to_owned();
                *last = format!("{trimmed}.");
            }
        }
        words.join(" ")
    }
}

// ------------------------------------------------------------ the run

struct Room {
    id: i64,
    last_seq: i64,
    members: Vec<i64>,
}

struct Shape {
    name: &'static str,
    q: &'static str,
    scope: Option<&'static str>,
    /// The last so many days.
    days: Option<u64>,
}

const SHAPES: &[Shape] = &[
    Shape {
        name: "common",
        q: "volunteers",
        scope: None,
        days: None,
    },
    Shape {
        name: "rare",
        q: "kiln",
        scope: None,
        days: None,
    },
    Shape {
        name: "two_words",
        q: "safeguarding referral",
        scope: None,
        days: None,
    },
    Shape {
        name: "prefix",
        q: "commiss",
        scope: None,
        days: None,
    },
    Shape {
        name: "threads",
        q: "volunteers",
        scope: Some("threads"),
        days: None,
    },
    Shape {
        name: "date_range",
        q: "volunteers",
        scope: None,
        days: Some(30),
    },
];

/// `keep`: after the timings, leave the server and its database up until
/// stdin closes (for EXPLAIN by hand); the database URL is printed.
pub async fn run(db: Db, messages: usize, requests: usize, keep: bool) -> Result<(), BoxError> {
    let server = Server::start_with(db, &["--demo"]).await?;
    let api = Api::new(server.addr);
    let searcher = api.login(SEARCHER, DEMO_PASSWORD).await?;
    let conn = Database::connect(server.url.clone()).await?;
    let before_bytes = server.db_bytes(&conn).await?;

    // Extra direct rooms: some with the searcher, some only between others.
    let mut people: Vec<Person> = Vec::new();
    for i in 0..GENERATED_PEOPLE {
        people.push(api.register(&format!("Search Person {i}")).await?);
    }
    for p in &people[..4] {
        api.direct_room(p, searcher.id).await?;
    }
    for (a, b) in [
        (4, 5),
        (6, 7),
        (8, 9),
        (0, 4),
        (1, 5),
        (2, 6),
        (3, 7),
        (8, 0),
    ] {
        api.direct_room(&people[a], people[b].id).await?;
    }

    let mut rooms = load_rooms(&conn).await?;
    let member_rooms = rooms
        .iter()
        .filter(|r| r.members.contains(&searcher.id))
        .count();
    timestamp_format_check(&conn, db).await?;

    let started = Instant::now();
    let visible = insert_messages(&conn, &mut rooms, searcher.id, messages).await?;
    let insert_secs = started.elapsed().as_secs_f64();
    println!(
        "inserted {messages} messages into {} rooms in {insert_secs:.1} s ({:.0}/s); \
         {visible} in the searcher's {member_rooms} rooms",
        rooms.len(),
        messages as f64 / insert_secs
    );
    let started = Instant::now();
    settle(&conn, db).await?;
    let settle_secs = started.elapsed().as_secs_f64();
    let after_bytes = server.db_bytes(&conn).await?;
    println!(
        "bench=search_setup db={db} messages={messages} rooms={} searcher_rooms={member_rooms} \
         searcher_messages={visible} insert_secs={insert_secs:.1} settle_secs={settle_secs:.1} \
         db_bytes_before={before_bytes} db_bytes={after_bytes} db_mib={:.1}",
        rooms.len(),
        after_bytes as f64 / (1024.0 * 1024.0)
    );

    let today = Utc::now().date_naive();
    for shape in SHAPES {
        let mut path = format!("/api/search?q={}", shape.q.replace(' ', "+"));
        let mut from = None;
        if let Some(scope) = shape.scope {
            path.push_str(&format!("&scope={scope}"));
        }
        if let Some(days) = shape.days {
            let start = today.checked_sub_days(Days::new(days)).ok_or("date")?;
            path.push_str(&format!("&from={start}&to={today}"));
            from = Some(start.and_hms_opt(0, 0, 0).ok_or("date")?.and_utc());
        }
        let (matching, readable) = count_matches(&conn, db, shape, searcher.id, from).await?;
        // A few untimed requests first: the page cache and the plans warm up.
        for _ in 0..3 {
            api.get_json::<SearchResponse>(&path, &searcher).await?;
        }
        let mut hist = Histogram::<u64>::new(3)?;
        let mut last = None;
        for _ in 0..requests {
            let t = Instant::now();
            let res: SearchResponse = api.get_json(&path, &searcher).await?;
            hist.record(t.elapsed().as_micros() as u64)?;
            last = Some(res);
        }
        let last = last.ok_or("no requests")?;
        println!(
            "bench=search db={db} shape={} query={:?} requests={requests} p50_ms={:.2} p99_ms={:.2} \
             max_ms={:.2} hits={} more={} matching_rows={matching} readable_rows={readable}",
            shape.name,
            path.trim_start_matches("/api/search?"),
            hist.value_at_quantile(0.50) as f64 / 1000.0,
            hist.value_at_quantile(0.99) as f64 / 1000.0,
            hist.max() as f64 / 1000.0,
            last.hits.len(),
            last.more,
        );
    }
    drop(conn);
    if keep {
        println!(
            "keeping the server at http://{} on {} until stdin closes",
            server.addr, server.url
        );
        tokio::task::spawn_blocking(|| {
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut Vec::new())
        })
        .await??;
    }
    server.stop().await;
    Ok(())
}

/// Every room with its members and its counter.
async fn load_rooms(conn: &DatabaseConnection) -> Result<Vec<Room>, BoxError> {
    let backend = conn.get_database_backend();
    let mut rooms: Vec<Room> = Vec::new();
    for row in conn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT id, last_seq FROM rooms ORDER BY id",
        ))
        .await?
    {
        rooms.push(Room {
            id: row.try_get("", "id")?,
            last_seq: row.try_get("", "last_seq")?,
            members: Vec::new(),
        });
    }
    let mut members: HashMap<i64, Vec<i64>> = HashMap::new();
    for row in conn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT room_id, user_id FROM room_members ORDER BY room_id, user_id",
        ))
        .await?
    {
        members
            .entry(row.try_get("", "room_id")?)
            .or_default()
            .push(row.try_get("", "user_id")?);
    }
    for room in &mut rooms {
        room.members = members.remove(&room.id).unwrap_or_default();
    }
    rooms.retain(|r| !r.members.is_empty());
    if rooms.is_empty() {
        return Err("no rooms with members after seeding".into());
    }
    Ok(rooms)
}

/// How the server stores a timestamp: SQLite keeps sea-orm's text, so the
/// generated rows must use exactly the same shape, or date ranges (compared
/// as text) would be wrong. Read a stored message and check that our
/// formatting reproduces it.
async fn timestamp_format_check(conn: &DatabaseConnection, db: Db) -> Result<(), BoxError> {
    if let Db::Postgres = db {
        return Ok(());
    }
    let row = conn
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT created_at FROM messages ORDER BY id LIMIT 1",
        ))
        .await?
        .ok_or("the demo world has no messages")?;
    let stored: String = row.try_get("", "created_at")?;
    let parsed = DateTime::parse_from_rfc3339(&stored)
        .map_err(|e| format!("stored created_at {stored:?} is not RFC 3339: {e}"))?;
    let ours = stamp(parsed.with_timezone(&Utc));
    if ours != stored {
        return Err(format!("stored created_at {stored:?}, we would write {ours:?}").into());
    }
    Ok(())
}

/// sqlx's encoding of a `DateTime<Utc>` for SQLite (also fine for timestamptz).
fn stamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// Write `count` messages spread over `rooms` in transactions of a few
/// thousand rows, each room's seqs continuing from its `last_seq` (bumped in
/// the same transaction). Returns how many landed in the searcher's rooms.
async fn insert_messages(
    conn: &DatabaseConnection,
    rooms: &mut [Room],
    searcher: i64,
    count: usize,
) -> Result<usize, BoxError> {
    let vocabulary = Vocabulary::new();
    println!("a generated message: {:?}", vocabulary.message(&mut Rng(1)));
    let mut rng = Rng(0x5EED_CAFE);
    let now = Utc::now();
    let span = Duration::days(365);
    let start = now - span;
    let step_ms = span.num_milliseconds() as f64 / count as f64;
    let mut visible = 0;
    let mut n = 0;
    while n < count {
        let txn = conn.begin().await?;
        let end = (n + TXN_ROWS).min(count);
        let mut touched: Vec<usize> = Vec::new();
        while n < end {
            let chunk_end = (n + STATEMENT_ROWS).min(end);
            let mut sql = String::from(
                "INSERT INTO messages (room_id, seq, author_id, body, client_msg_id, created_at) \
                 VALUES ",
            );
            for i in n..chunk_end {
                let r = rng.below(rooms.len());
                let room = &mut rooms[r];
                room.last_seq += 1;
                if !touched.contains(&r) {
                    touched.push(r);
                }
                let author = room.members[rng.below(room.members.len())];
                if room.members.contains(&searcher) {
                    visible += 1;
                }
                // In order of n, so each room's history is chronological.
                let at = start
                    + Duration::milliseconds(((i as f64 + rng.unit()) * step_ms) as i64)
                    + Duration::microseconds(rng.below(1000) as i64);
                let body = vocabulary.message(&mut rng).replace('\'', "''");
                if i > n {
                    sql.push(',');
                }
                sql.push_str(&format!(
                    "({}, {}, {author}, '{body}', 'gen-{i}', '{}')",
                    room.id,
                    room.last_seq,
                    stamp(at)
                ));
            }
            txn.execute_unprepared(&sql).await?;
            n = chunk_end;
        }
        for r in touched {
            txn.execute_unprepared(&format!(
                "UPDATE rooms SET last_seq = {} WHERE id = {}",
                rooms[r].last_seq, rooms[r].id
            ))
            .await?;
        }
        txn.commit().await?;
    }
    Ok(visible)
}

/// Leave the database as it would be a while after the writes: everyone has
/// read their rooms (so the room list's unread counts are not 30k-row
/// scans), and PostgreSQL's autovacuum has analysed the table and merged the
/// GIN pending list (done here, so it does not run during the timings).
async fn settle(conn: &DatabaseConnection, db: Db) -> Result<(), BoxError> {
    conn.execute_unprepared(
        "UPDATE room_members SET last_read_seq = \
         (SELECT last_seq FROM rooms WHERE rooms.id = room_members.room_id)",
    )
    .await?;
    if let Db::Postgres = db {
        conn.execute_unprepared("VACUUM ANALYZE messages").await?;
    }
    Ok(())
}

/// How many rows the shape's words match in all, and how many of those the
/// searcher may see (messages in their rooms; for threads, every post).
async fn count_matches(
    conn: &DatabaseConnection,
    db: Db,
    shape: &Shape,
    searcher: i64,
    from: Option<DateTime<Utc>>,
) -> Result<(i64, i64), BoxError> {
    let words: Vec<&str> = shape.q.split_whitespace().collect();
    let last = words.len() - 1;
    let date = from
        .map(|f| format!(" AND created_at >= '{}'", stamp(f)))
        .unwrap_or_default();
    let mine = format!("room_id IN (SELECT room_id FROM room_members WHERE user_id = {searcher})");
    let sql = match (db, shape.scope) {
        (Db::Sqlite, scope) => {
            let query = words
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
                .join(" ");
            if scope == Some("threads") {
                format!(
                    "SELECT count(*) AS total, count(*) AS readable FROM posts_fts \
                     WHERE posts_fts MATCH '{query}'"
                )
            } else {
                format!(
                    "SELECT count(*) AS total, coalesce(sum({mine}), 0) AS readable \
                     FROM messages WHERE id IN \
                     (SELECT rowid FROM messages_fts WHERE messages_fts MATCH '{query}'){date}"
                )
            }
        }
        (Db::Postgres, scope) => {
            let query = words
                .iter()
                .enumerate()
                .map(|(i, w)| {
                    if i == last {
                        format!("{w}:*")
                    } else {
                        (*w).to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" & ");
            let table = if scope == Some("threads") {
                "posts"
            } else {
                "messages"
            };
            let readable = if scope == Some("threads") {
                "count(*)".to_owned()
            } else {
                format!("count(*) FILTER (WHERE {mine})")
            };
            format!(
                "SELECT count(*) AS total, {readable} AS readable FROM {table} \
                 WHERE search @@ to_tsquery('english', '{query}'){date}"
            )
        }
        (Db::Baseline, _) => return Err("search needs a database".into()),
    };
    let row = conn
        .query_one_raw(Statement::from_string(conn.get_database_backend(), sql))
        .await?
        .ok_or("no count")?;
    Ok((row.try_get("", "total")?, row.try_get("", "readable")?))
}

#[cfg(test)]
mod tests {
    use super::{Rng, Vocabulary};

    #[test]
    fn messages_are_deterministic_and_8_to_40_words() {
        let v = Vocabulary::new();
        let (mut a, mut b) = (Rng(7), Rng(7));
        for _ in 0..500 {
            let m = v.message(&mut a);
            assert_eq!(m, v.message(&mut b));
            let n = m.split_whitespace().count();
            assert!((8..=40).contains(&n), "{n} words: {m}");
        }
    }
}
