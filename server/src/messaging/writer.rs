//! Group commit. One task owns every message write: it takes all the sends
//! waiting at that moment, stores them in one transaction (a savepoint each,
//! so one bad send fails alone), commits once, and only then acks and fans
//! out, in commit order. While a commit's fsync runs, the next batch gathers,
//! so durable throughput is not one fsync per message, and a lone message
//! waits for nothing. With other nodes, the transaction also NOTIFYs them
//! of the new messages' ids (`crate::cluster`).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::ws::Utf8Bytes;
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction, TransactionTrait};
use shared::ws::ServerMsg;
use tokio::sync::{mpsc, oneshot};

use super::Posted;
use crate::cluster::{self, NodeId};
use crate::db;
use crate::db::entities::notification;
use crate::db::messages::{NewMessage, Stored};
use crate::db::rooms::RosterEntry;
use crate::error::{AppError, AppResult};
use crate::realtime::Hub;
use crate::realtime::hub::encode;

/// Most sends committed together; bounds a transaction's size and latency.
const MAX_BATCH: usize = 256;
/// Sends waiting for the writer; beyond this, senders wait (backpressure).
const QUEUE: usize = 4096;

pub struct Job {
    pub room_id: i64,
    pub author_id: i64,
    pub author_name: String,
    pub client_msg_id: String,
    pub body: String,
}

struct Pending {
    job: Job,
    ack_to: Option<mpsc::Sender<Utf8Bytes>>,
    done: oneshot::Sender<AppResult<Posted>>,
}

#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Pending>,
}

impl Writer {
    pub fn start(db: DatabaseConnection, hub: Arc<Hub>) -> Self {
        let (tx, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, hub, rx));
        Self { tx }
    }

    pub async fn submit(
        &self,
        job: Job,
        ack_to: Option<mpsc::Sender<Utf8Bytes>>,
    ) -> AppResult<Posted> {
        let (done, result) = oneshot::channel();
        self.tx
            .send(Pending { job, ack_to, done })
            .await
            .map_err(|_| AppError::internal("message writer stopped"))?;
        result
            .await
            .map_err(|_| AppError::internal("message writer dropped a send"))?
    }
}

async fn run(db: DatabaseConnection, hub: Arc<Hub>, mut rx: mpsc::Receiver<Pending>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let outcome = commit(&db, &batch, hub.node()).await;
        match outcome {
            Ok((results, members)) => {
                for (pending, result) in batch.drain(..).zip(results) {
                    finish(&hub, &members, pending, result);
                }
            }
            Err(e) => {
                tracing::error!(error = %e, size = batch.len(), "message batch not committed");
                for pending in batch.drain(..) {
                    let _ = pending
                        .done
                        .send(Err(AppError::internal("message not stored")));
                }
            }
        }
    }
}

type Members = HashMap<i64, Vec<i64>>;

/// A stored send and the mention notifications it raised.
struct Outcome {
    stored: Stored,
    mentions: Vec<notification::Model>,
}

/// Store the batch in one transaction. The outer error means nothing was
/// committed; inner errors are per send and left the others alone.
async fn commit(
    db: &DatabaseConnection,
    batch: &[Pending],
    node: Option<NodeId>,
) -> AppResult<(Vec<AppResult<Outcome>>, Members)> {
    let txn = db::begin_write(db).await?;
    let (txn, results) = match store_all(&txn, batch).await? {
        Some(results) => (txn, results),
        None => {
            // One send failed (its room is gone, or a retry raced it in on
            // another node), which spoils a PostgreSQL transaction: store
            // the batch again, each send behind its own savepoint.
            txn.rollback().await?;
            let txn = db::begin_write(db).await?;
            let results = store_each(&txn, batch).await?;
            (txn, results)
        }
    };
    let mut rooms: Vec<i64> = results
        .iter()
        .filter_map(|r| r.as_ref().ok())
        .filter(|s| !s.duplicate)
        .map(|s| s.message.room_id)
        .collect();
    rooms.sort_unstable();
    rooms.dedup();
    // Read inside the transaction: the members at the moment of commit.
    let roster = db::rooms::roster_of(&txn, &rooms).await?;
    let mut outcomes = Vec::with_capacity(results.len());
    for result in results {
        let outcome = match result {
            Ok(stored) if !stored.duplicate => {
                let mentions = mention(&txn, &roster, &stored).await?;
                Ok(Outcome { stored, mentions })
            }
            Ok(stored) => Ok(Outcome {
                stored,
                mentions: Vec::new(),
            }),
            Err(e) => Err(e),
        };
        outcomes.push(outcome);
    }
    if let Some(node) = node {
        // Other nodes hear of these on commit, in commit order, and read them.
        let mut fresh: Vec<(i64, Vec<i64>)> = Vec::new();
        for o in outcomes.iter().filter_map(|o| o.as_ref().ok()) {
            if o.stored.duplicate {
                continue;
            }
            let m = &o.stored.message;
            match fresh.iter_mut().find(|(room, _)| *room == m.room_id) {
                Some((_, seqs)) => seqs.push(m.seq),
                None => fresh.push((m.room_id, vec![m.seq])),
            }
        }
        if !fresh.is_empty() {
            cluster::notify_messages(&txn, node, fresh).await?;
        }
    }
    txn.commit().await?;
    let members = roster
        .into_iter()
        .map(|(room, people)| (room, people.iter().map(|p| p.user_id).collect()))
        .collect();
    Ok((outcomes, members))
}

/// The common case, in as few round trips as possible: one query finds
/// every retry in the batch, then each new send is one statement. `None` if
/// any send failed.
async fn store_all(
    txn: &DatabaseTransaction,
    batch: &[Pending],
) -> AppResult<Option<Vec<AppResult<Stored>>>> {
    let keys: Vec<(i64, &str)> = batch
        .iter()
        .map(|p| (p.job.author_id, p.job.client_msg_id.as_str()))
        .collect();
    let mut known = db::messages::find_by_client_ids(txn, &keys).await?;
    let mut results = Vec::with_capacity(batch.len());
    for pending in batch {
        let key = (pending.job.author_id, pending.job.client_msg_id.clone());
        if let Some(message) = known.get(&key) {
            results.push(Ok(Stored {
                message: message.clone(),
                duplicate: true,
            }));
            continue;
        }
        match db::messages::insert_new_in(txn, &new_message(&pending.job)).await {
            Ok(message) => {
                known.insert(key, message.clone());
                results.push(Ok(Stored {
                    message,
                    duplicate: false,
                }));
            }
            Err(_) => return Ok(None),
        }
    }
    Ok(Some(results))
}

/// Each send behind a savepoint, so one that fails fails alone.
async fn store_each(
    txn: &DatabaseTransaction,
    batch: &[Pending],
) -> AppResult<Vec<AppResult<Stored>>> {
    let mut results = Vec::with_capacity(batch.len());
    for pending in batch {
        let savepoint = txn.begin().await?;
        match db::messages::insert_in(&savepoint, &new_message(&pending.job)).await {
            Ok(stored) => {
                savepoint.commit().await?;
                results.push(Ok(stored));
            }
            Err(e) => {
                savepoint.rollback().await?;
                results.push(Err(e));
            }
        }
    }
    Ok(results)
}

fn new_message(job: &Job) -> NewMessage<'_> {
    NewMessage {
        room_id: job.room_id,
        author_id: job.author_id,
        client_msg_id: &job.client_msg_id,
        body: &job.body,
    }
}

/// Notify the room's members named with `@` in the message, except its
/// author and those who muted the room.
async fn mention<C: ConnectionTrait>(
    conn: &C,
    roster: &HashMap<i64, Vec<RosterEntry>>,
    stored: &Stored,
) -> AppResult<Vec<notification::Model>> {
    let msg = &stored.message;
    let candidates: Vec<(i64, &str)> = roster
        .get(&msg.room_id)
        .into_iter()
        .flatten()
        .filter(|p| p.user_id != msg.author_id && !p.muted)
        .map(|p| (p.user_id, p.display_name.as_str()))
        .collect();
    let named = shared::mentions::mentioned(&msg.body, &candidates);
    db::notifications::create_mentions(conn, msg, &named).await
}

/// Ack the sender, then deliver to every member's connections.
fn finish(hub: &Hub, members: &Members, pending: Pending, result: AppResult<Outcome>) {
    let (stored, mentions) = match result {
        Ok(outcome) => (outcome.stored, outcome.mentions),
        Err(e) => {
            let _ = pending.done.send(Err(e));
            return;
        }
    };
    let view = db::messages::to_view(stored.message, pending.job.author_name);
    if let Some(ack_to) = &pending.ack_to {
        let ack = ServerMsg::Ack {
            client_msg_id: view.client_msg_id.clone(),
            room_id: view.room_id,
            seq: view.seq,
            id: view.id,
            created_at: view.created_at,
            duplicate: stored.duplicate,
        };
        // A full queue means a connection about to be closed as too slow; its
        // client resumes, and a retry of this send is acked as a duplicate.
        let _ = ack_to.try_send(encode(&ack));
    }
    // A duplicate was delivered the first time; a resuming client replays it.
    if !stored.duplicate
        && let Some(users) = members.get(&view.room_id)
    {
        // Other nodes were told inside the transaction and read the row.
        hub.local_to_users(users, &encode(&ServerMsg::Message(view.clone())));
    }
    for n in &mentions {
        let notification = db::notifications::view_of_new(n, &view);
        hub.send_to_users(&[n.user_id], &ServerMsg::Notification(notification));
    }
    let _ = pending.done.send(Ok(Posted {
        view,
        duplicate: stored.duplicate,
    }));
}
