//! The network picture: organisations, mentors and co-operatives, and the
//! links between them (who mentors whom, who belongs to which co-op).
//!
//! Everyone sees approved organisations, approved mentors, co-ops and co-op
//! membership (all in the directories already). Mentorship links are shown
//! to the programme team, the mentor and the organisation's staff only.

use serde::{Deserialize, Serialize};

use crate::taxonomy::Topic;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NodeKind {
    Organisation,
    Mentor,
    Coop,
}

/// A node's key is its kind and id (`organisation:3`, `mentor:7`, `coop:2`).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkNode {
    pub kind: NodeKind,
    /// The organisation's, the mentor's (user) or the co-op's id.
    pub id: i64,
    pub name: String,
    /// The organisation's or co-op's locality; a mentor's first locality
    /// ("Remote" when none).
    pub locality: String,
    /// Organisations: their needs; mentors: their expertise; co-ops: none.
    pub topics: Vec<Topic>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LinkKind {
    /// A mentor (from) mentors an organisation (to): active or paused.
    Mentors,
    /// An organisation (from) belongs to a co-op (to).
    MemberOf,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkLink {
    pub kind: LinkKind,
    pub from: NodeRef,
    pub to: NodeRef,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NodeRef {
    pub kind: NodeKind,
    pub id: i64,
}

/// `GET /api/network?locality=&topic=`: a locality keeps the nodes there
/// (and the co-ops and mentors linked to them); a topic keeps organisations
/// needing it and mentors knowing it (and the co-ops linked to those).
/// Links join only nodes in the answer.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema, utoipa::IntoParams))]
pub struct NetworkQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<Topic>,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NetworkResponse {
    /// Sorted by kind, then id.
    pub nodes: Vec<NetworkNode>,
    pub links: Vec<NetworkLink>,
}
