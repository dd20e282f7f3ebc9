//! The network picture API.

use shared::api::network::{NetworkQuery, NetworkResponse};
use shared::taxonomy::Topic;

use super::{ApiResult, get, query};

/// `GET /api/network?locality=&topic=`
pub async fn network(f: &NetworkQuery) -> ApiResult<NetworkResponse> {
    let q = query(&[
        ("locality", f.locality.as_deref()),
        ("topic", f.topic.map(Topic::slug)),
    ]);
    get(&format!("/api/network{q}")).await
}
