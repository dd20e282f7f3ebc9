//! Queries on the glossary.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use shared::taxonomy::ApprovalStatus;

use super::entities::glossary_term;
use super::lists;
use crate::domain::markdown::GlossaryEntry;
use crate::error::{AppError, AppResult};

pub fn status_of(t: &glossary_term::Model) -> ApprovalStatus {
    ApprovalStatus::from_slug(&t.status).unwrap_or(ApprovalStatus::Pending)
}

pub fn aliases_of(t: &glossary_term::Model) -> Vec<String> {
    lists::decode(&t.aliases)
}

fn key(term: &str) -> String {
    term.trim().to_lowercase()
}

/// Approved terms, A–Z.
pub async fn approved(db: &DatabaseConnection) -> AppResult<Vec<glossary_term::Model>> {
    Ok(glossary_term::Entity::find()
        .filter(glossary_term::Column::Status.eq(ApprovalStatus::Approved.slug()))
        .order_by_asc(glossary_term::Column::TermKey)
        .all(db)
        .await?)
}

/// Approved terms as the Markdown renderer wants them.
pub async fn entries(db: &DatabaseConnection) -> AppResult<Vec<GlossaryEntry>> {
    Ok(approved(db)
        .await?
        .into_iter()
        .map(|t| GlossaryEntry {
            id: t.id,
            aliases: aliases_of(&t),
            term: t.term,
            definition: t.definition,
        })
        .collect())
}

/// Suggestions: every pending one for admins, else the suggester's own
/// pending and declined ones.
pub async fn suggestions(
    db: &DatabaseConnection,
    user: i64,
    admin: bool,
) -> AppResult<Vec<glossary_term::Model>> {
    let cond = if admin {
        Condition::all().add(glossary_term::Column::Status.eq(ApprovalStatus::Pending.slug()))
    } else {
        Condition::all()
            .add(glossary_term::Column::SuggestedBy.eq(user))
            .add(glossary_term::Column::Status.ne(ApprovalStatus::Approved.slug()))
    };
    Ok(glossary_term::Entity::find()
        .filter(cond)
        .order_by_asc(glossary_term::Column::CreatedAt)
        .all(db)
        .await?)
}

pub async fn find(db: &DatabaseConnection, id: i64) -> AppResult<Option<glossary_term::Model>> {
    Ok(glossary_term::Entity::find_by_id(id).one(db).await?)
}

/// Store a term (pending, or approved at once when `approved_by` is set).
/// A term already approved or waiting is a conflict.
pub async fn suggest(
    db: &DatabaseConnection,
    term: &str,
    aliases: &[String],
    definition: &str,
    suggested_by: Option<i64>,
    approved_by: Option<i64>,
) -> AppResult<glossary_term::Model> {
    let live = glossary_term::Entity::find()
        .filter(glossary_term::Column::TermKey.eq(key(term)))
        .filter(glossary_term::Column::Status.ne(ApprovalStatus::Declined.slug()))
        .count(db)
        .await?;
    if live > 0 {
        return Err(AppError::conflict(format!(
            "“{}” is already in the glossary or waiting for approval.",
            term.trim()
        )));
    }
    let now = Utc::now();
    let status = if approved_by.is_some() {
        ApprovalStatus::Approved
    } else {
        ApprovalStatus::Pending
    };
    Ok(glossary_term::ActiveModel {
        term: Set(term.trim().to_owned()),
        term_key: Set(key(term)),
        aliases: Set(lists::encode(aliases)),
        definition: Set(definition.trim().to_owned()),
        status: Set(status.slug().to_owned()),
        suggested_by: Set(suggested_by),
        decided_by: Set(approved_by),
        created_at: Set(now),
        decided_at: Set(approved_by.map(|_| now)),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// An admin's decision on a pending suggestion.
pub async fn decide(
    db: &DatabaseConnection,
    t: glossary_term::Model,
    admin: i64,
    approve: bool,
    reason: Option<String>,
) -> AppResult<glossary_term::Model> {
    if status_of(&t) != ApprovalStatus::Pending {
        return Err(AppError::conflict(
            "That suggestion has already been decided.",
        ));
    }
    let mut row = t.into_active_model();
    row.status = Set(if approve {
        ApprovalStatus::Approved
    } else {
        ApprovalStatus::Declined
    }
    .slug()
    .to_owned());
    row.decided_by = Set(Some(admin));
    row.decided_at = Set(Some(Utc::now()));
    row.decision_reason = Set(reason);
    Ok(row.update(db).await?)
}

#[derive(serde::Deserialize)]
struct Seed {
    term: Vec<SeedTerm>,
}

#[derive(serde::Deserialize)]
struct SeedTerm {
    term: String,
    aliases: Vec<String>,
    definition: String,
}

/// Add the starting terms (`data/glossary.toml`) that are not present in
/// any status, approved. Run at start-up; idempotent.
pub async fn seed(db: &DatabaseConnection) -> AppResult<()> {
    let seed: Seed = toml::from_str(include_str!("../../data/glossary.toml"))
        .map_err(|e| AppError::Internal(format!("data/glossary.toml: {e}")))?;
    for t in seed.term {
        let present = glossary_term::Entity::find()
            .filter(glossary_term::Column::TermKey.eq(key(&t.term)))
            .count(db)
            .await?;
        if present == 0 {
            let now = Utc::now();
            glossary_term::ActiveModel {
                term_key: Set(key(&t.term)),
                term: Set(t.term),
                aliases: Set(lists::encode(&t.aliases)),
                definition: Set(t.definition),
                status: Set(ApprovalStatus::Approved.slug().to_owned()),
                created_at: Set(now),
                decided_at: Set(Some(now)),
                ..Default::default()
            }
            .insert(db)
            .await?;
        }
    }
    Ok(())
}
