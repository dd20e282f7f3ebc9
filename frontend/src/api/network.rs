//! The network picture API, and the few co-op calls the network page, the
//! record form and the new-thread page make (kept here rather than in
//! `coops.rs`, which another change owns; they may move there later).

use shared::api::coops::{CoopId, CoopView, CreateRecord, ListCoopsResponse, RecordView};
use shared::api::network::{NetworkQuery, NetworkResponse};
use shared::taxonomy::Topic;

use super::{ApiResult, get, post, query};

/// `GET /api/network?locality=&topic=`
pub async fn network(f: &NetworkQuery) -> ApiResult<NetworkResponse> {
    let q = query(&[
        ("locality", f.locality.as_deref()),
        ("topic", f.topic.map(Topic::slug)),
    ]);
    get(&format!("/api/network{q}")).await
}

// ---- co-ops, as the record form and the new-thread page need them ----

/// Every co-op, with whether the caller is a member (`is_member`).
pub async fn all_coops() -> ApiResult<ListCoopsResponse> {
    get("/api/coops").await
}

/// One co-op: its member organisations and coordinators (action owners).
pub async fn coop_view(id: CoopId) -> ApiResult<CoopView> {
    get(&format!("/api/coops/{id}")).await
}

/// A decision or an action, made from a message in one of the co-op's rooms.
pub async fn create_record(coop_id: CoopId, body: &CreateRecord) -> ApiResult<RecordView> {
    post(&format!("/api/coops/{coop_id}/records"), body).await
}
