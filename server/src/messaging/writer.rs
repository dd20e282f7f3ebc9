//! Group commit. One task owns every message write: it takes all the sends
//! waiting at that moment, stores them in one transaction (in a few
//! statements for the whole batch; if one send fails, the batch is stored
//! again with a savepoint each, so it fails alone), commits once, and only
//! then acks and fans out, in commit order. While a commit's fsync runs, the
//! next batch gathers, so durable throughput is not one fsync per message,
//! and a lone message waits for nothing. With other nodes, the transaction also NOTIFYs them
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
use crate::db::entities::{message, notification};
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

/// The common case, in a handful of statements whatever the batch's size:
/// one query finds every retry, one insert stores every new send (the first
/// of two sends with one id is new, the second its retry). `None` if the
/// insert failed.
async fn store_all(
    txn: &DatabaseTransaction,
    batch: &[Pending],
) -> AppResult<Option<Vec<AppResult<Stored>>>> {
    let keys: Vec<(i64, &str)> = batch
        .iter()
        .map(|p| (p.job.author_id, p.job.client_msg_id.as_str()))
        .collect();
    let known = db::messages::find_by_client_ids(txn, &keys).await?;
    // Which sends are new: index into `fresh`, or the stored original.
    enum Slot {
        Fresh(usize),
        Retry(Box<message::Model>),
    }
    let mut fresh = Vec::new();
    let mut first_of: HashMap<(i64, &str), usize> = HashMap::new();
    let mut slots = Vec::with_capacity(batch.len());
    for (pending, &key) in batch.iter().zip(&keys) {
        let slot = if let Some(m) = known.get(&(key.0, key.1.to_owned())) {
            Slot::Retry(Box::new(m.clone()))
        } else if let Some(&i) = first_of.get(&key) {
            Slot::Fresh(i)
        } else {
            first_of.insert(key, fresh.len());
            fresh.push(new_message(&pending.job));
            Slot::Fresh(fresh.len() - 1)
        };
        slots.push(slot);
    }
    let Ok(stored) = db::messages::insert_batch_in(txn, &fresh).await else {
        return Ok(None);
    };
    let mut seen = vec![false; stored.len()];
    let results = slots
        .into_iter()
        .map(|slot| {
            Ok(match slot {
                Slot::Retry(m) => Stored {
                    message: *m,
                    duplicate: true,
                },
                Slot::Fresh(i) => Stored {
                    message: stored[i].clone(),
                    duplicate: std::mem::replace(&mut seen[i], true),
                },
            })
        })
        .collect();
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
