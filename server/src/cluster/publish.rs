//! Sending to the other nodes: one task drains the hub's events in order,
//! writes outbox rows and NOTIFYs; the message writer's NOTIFYs go inside
//! its own transaction instead.

use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, Statement};
use shared::ws::PresenceStatus;
use tokio::sync::mpsc;

use super::{CHANNEL, Delivery, NodeId, Notice, Outbound, PAYLOAD_MAX};

/// Outbox rows older than this are deleted: every node has long read them.
const KEEP: &str = "5 minutes";
/// How often the outbox is pruned.
const PRUNE_EVERY: Duration = Duration::from_secs(60);
/// Presence entries per notice (each is about 20 bytes of JSON).
const PRESENCE_CHUNK: usize = 250;

pub async fn run(db: DatabaseConnection, node: NodeId, mut rx: mpsc::Receiver<Outbound>) {
    let mut prune = tokio::time::interval(PRUNE_EVERY);
    let mut batch = Vec::new();
    loop {
        tokio::select! {
            n = rx.recv_many(&mut batch, 64) => {
                if n == 0 {
                    return;
                }
                for out in batch.drain(..) {
                    if let Err(e) = one(&db, node, out).await {
                        // The other nodes miss this event; their clients
                        // catch up on their next resume.
                        tracing::warn!(error = %e, "cluster: event not published");
                    }
                }
            }
            _ = prune.tick() => {
                let sql = format!(
                    "DELETE FROM cluster_events WHERE created_at < now() - interval '{KEEP}'"
                );
                if let Err(e) = db.execute_unprepared(&sql).await {
                    tracing::warn!(error = %e, "cluster: outbox not pruned");
                }
            }
        }
    }
}

async fn one(db: &DatabaseConnection, node: NodeId, out: Outbound) -> Result<(), DbErr> {
    match out {
        Outbound::Store(delivery) => store(db, node, &delivery).await,
        Outbound::Ephemeral { users, frame } => {
            let notice = Notice::Ephemeral {
                n: node,
                u: users,
                f: frame,
            };
            match encode(&notice) {
                Some(payload) => notify(db, &payload).await,
                None => {
                    let Notice::Ephemeral { u, f, .. } = notice else {
                        return Ok(());
                    };
                    store(db, node, &Delivery::Ephemeral { users: u, frame: f }).await
                }
            }
        }
        Outbound::Presence(statuses) => presence(db, node, &statuses).await,
        Outbound::PresenceOf { to, about } => {
            notify_notice(db, &Notice::PresenceOf { n: node, to, about }).await
        }
    }
}

pub async fn hello(db: &DatabaseConnection, node: NodeId) -> Result<(), DbErr> {
    notify_notice(db, &Notice::Hello { n: node }).await
}

/// This node's statuses, in notices small enough to send.
pub async fn presence(
    db: &DatabaseConnection,
    node: NodeId,
    statuses: &[(i64, PresenceStatus)],
) -> Result<(), DbErr> {
    for chunk in statuses.chunks(PRESENCE_CHUNK) {
        let notice = Notice::Presence {
            n: node,
            s: chunk.to_vec(),
        };
        notify_notice(db, &notice).await?;
    }
    Ok(())
}

pub async fn beat(db: &DatabaseConnection, node: NodeId) -> Result<(), DbErr> {
    notify_notice(db, &Notice::Beat { n: node }).await
}

pub async fn bye(db: &DatabaseConnection, node: NodeId) {
    let sent = tokio::time::timeout(
        Duration::from_secs(1),
        notify_notice(db, &Notice::Bye { n: node }),
    )
    .await;
    if !matches!(sent, Ok(Ok(()))) {
        tracing::warn!("cluster: could not say goodbye; the others notice the silence");
    }
}

/// Store the event and notify its id, in one statement (one round trip,
/// and the notification leaves when the row is committed).
async fn store(db: &DatabaseConnection, node: NodeId, delivery: &Delivery) -> Result<(), DbErr> {
    let payload =
        serde_json::to_string(delivery).map_err(|e| DbErr::Custom(format!("outbox: {e}")))?;
    let sql = format!(
        "WITH e AS (INSERT INTO cluster_events (payload) VALUES ($1) RETURNING id) \
         SELECT pg_notify('{CHANNEL}', '{{\"k\":\"e\",\"n\":{node},\"id\":' || e.id || '}}') FROM e"
    );
    db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        sql,
        [payload.into()],
    ))
    .await?;
    Ok(())
}

/// NOTIFYs for a batch of committed messages, split so each fits.
pub async fn messages<C: ConnectionTrait>(
    conn: &C,
    node: NodeId,
    rooms: Vec<(i64, Vec<i64>)>,
) -> Result<(), DbErr> {
    for payload in message_payloads(node, rooms) {
        notify(conn, &payload).await?;
    }
    Ok(())
}

/// The payloads for a batch: `(room, seqs)` runs, cut wherever the next
/// entry could take a payload past the limit (an id is at most 20 bytes).
fn message_payloads(node: NodeId, rooms: Vec<(i64, Vec<i64>)>) -> Vec<String> {
    const ENTRY: usize = 21;
    const ROOM: usize = 2 * ENTRY + 4;
    let mut payloads = Vec::new();
    let mut part: Vec<(i64, Vec<i64>)> = Vec::new();
    let mut size = 40;
    let mut flush = |part: &mut Vec<(i64, Vec<i64>)>| {
        let notice = Notice::Messages {
            n: node,
            r: std::mem::take(part),
        };
        payloads.push(serde_json::to_string(&notice).unwrap_or_default());
    };
    for (room, seqs) in rooms {
        for seq in seqs {
            if size + ROOM > PAYLOAD_MAX {
                flush(&mut part);
                size = 40;
            }
            match part.last_mut() {
                Some((r, s)) if *r == room => s.push(seq),
                _ => {
                    part.push((room, vec![seq]));
                    size += ROOM - ENTRY;
                }
            }
            size += ENTRY;
        }
    }
    if !part.is_empty() {
        flush(&mut part);
    }
    payloads
}

fn encode(notice: &Notice) -> Option<String> {
    serde_json::to_string(notice)
        .ok()
        .filter(|p| p.len() <= PAYLOAD_MAX)
}

async fn notify_notice(db: &DatabaseConnection, notice: &Notice) -> Result<(), DbErr> {
    let payload = encode(notice).ok_or_else(|| DbErr::Custom("notice too large".into()))?;
    notify(db, &payload).await
}

async fn notify<C: ConnectionTrait>(conn: &C, payload: &str) -> Result<(), DbErr> {
    conn.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Postgres,
        "SELECT pg_notify($1, $2)",
        [CHANNEL.into(), payload.into()],
    ))
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_of_message_ids_is_split_into_payloads_that_fit() {
        // The writer commits up to 256 sends at once; take the worst case of
        // 20-digit ids, a room each, plus one busy room.
        let mut rooms: Vec<(i64, Vec<i64>)> = (0..256)
            .map(|i| (i64::MAX - i, vec![i64::MAX - i]))
            .collect();
        rooms.push((5, (1..=300).collect()));
        let payloads = message_payloads(u32::MAX, rooms.clone());
        assert!(payloads.len() > 1, "too much for one payload");
        let mut back: Vec<(i64, Vec<i64>)> = Vec::new();
        for p in &payloads {
            assert!(p.len() <= PAYLOAD_MAX, "{} bytes", p.len());
            let Ok(Notice::Messages { r, .. }) = serde_json::from_str(p) else {
                panic!("not a messages notice: {p}");
            };
            for (room, seqs) in r {
                match back.last_mut() {
                    Some((last, s)) if *last == room => s.extend(seqs),
                    _ => back.push((room, seqs)),
                }
            }
        }
        assert_eq!(back, rooms, "every id once, in order");
    }
}
