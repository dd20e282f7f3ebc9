//! Access to safeguarding concerns: the raiser, the organisation's
//! safeguarding lead(s) and the programme team; everyone else `NotFound`.
//!
//! "Handlers" are the organisation's named safeguarding lead, or its leads
//! when none is named, read at the moment of asking: a new safeguarding lead
//! sees the organisation's earlier concerns, one who left no longer does.

use sea_orm::DatabaseConnection;
use shared::api::concerns::ConcernRole;

use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::{concern, organisation};
use crate::error::{AppError, AppResult};

/// The people who handle `org_id`'s concerns (none without an organisation:
/// then the programme team alone handles it).
pub async fn concern_handlers(db: &DatabaseConnection, org_id: Option<i64>) -> AppResult<Vec<i64>> {
    let Some(org_id) = org_id else {
        return Ok(Vec::new());
    };
    let Some(org) = db::organisations::find(db, org_id).await? else {
        return Ok(Vec::new());
    };
    let staff = db::organisations::staff_of(db, org_id).await?;
    // A named lead who is no longer on the staff (cleared on leaving, but
    // never trusted) does not count: the leads take over.
    let named = org
        .safeguarding_lead_id
        .filter(|id| staff.iter().any(|s| s.user_id == *id));
    Ok(match named {
        Some(id) => vec![id],
        None => staff
            .iter()
            .filter(|s| s.is_lead)
            .map(|s| s.user_id)
            .collect(),
    })
}

/// The organisations whose concerns `who` handles.
pub async fn concern_organisations_handled(
    db: &DatabaseConnection,
    who: &AuthUser,
) -> AppResult<Vec<i64>> {
    let mut out = Vec::new();
    for (org, _) in db::organisations::of_user(db, who.id).await? {
        if concern_handlers(db, Some(org.id)).await?.contains(&who.id) {
            out.push(org.id);
        }
    }
    Ok(out)
}

/// How `who` relates to `c`.
async fn concern_role(
    db: &DatabaseConnection,
    who: &AuthUser,
    c: &concern::Model,
) -> AppResult<ConcernRole> {
    Ok(ConcernRole {
        raiser: c.raised_by == who.id,
        handler: concern_handlers(db, c.organisation_id)
            .await?
            .contains(&who.id),
        admin: who.is_admin,
    })
}

/// The concern, if `who` raised it, handles it or is on the programme team.
/// Anyone else learns nothing: not even that it exists.
pub async fn concern(
    db: &DatabaseConnection,
    who: &AuthUser,
    id: i64,
) -> AppResult<(concern::Model, ConcernRole)> {
    let found = db::concerns::find(db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let role = concern_role(db, who, &found).await?;
    if role.raiser || role.handler || role.admin {
        Ok((found, role))
    } else {
        Err(AppError::Refused)
    }
}

/// The concern, if `who` handles it or is on the programme team: they move
/// it on. Its raiser may read it but is told the step is not theirs.
pub async fn concern_handler(
    db: &DatabaseConnection,
    who: &AuthUser,
    id: i64,
) -> AppResult<(concern::Model, ConcernRole)> {
    let (found, role) = concern(db, who, id).await?;
    if role.handler || role.admin {
        Ok((found, role))
    } else {
        Err(AppError::forbidden(
            "Only the organisation's safeguarding lead and the programme team can change a \
             concern's status. You can add a note.",
        ))
    }
}

/// Everyone who may read `c` now: its raiser, its handlers and the
/// programme team (for live events).
pub async fn concern_readers(db: &DatabaseConnection, c: &concern::Model) -> AppResult<Vec<i64>> {
    let mut out = concern_handlers(db, c.organisation_id).await?;
    out.extend(db::users::admin_ids(db).await?);
    out.push(c.raised_by);
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The organisation a concern is raised for: one `who` is staff of.
pub async fn concern_organisation(
    db: &DatabaseConnection,
    who: &AuthUser,
    org_id: i64,
) -> AppResult<organisation::Model> {
    let refused = || {
        AppError::validation(
            "organisation_id",
            "Choose one of your own organisations, or none to send it to the programme team.",
        )
    };
    if db::organisations::staff_record(db, org_id, who.id)
        .await?
        .is_none()
    {
        return Err(refused());
    }
    db::organisations::find(db, org_id)
        .await?
        .ok_or_else(refused)
}

/// What a concern was raised from: the text as the raiser reads it now,
/// and whose it is.
pub struct ConcernSource {
    pub text: String,
    pub author_id: i64,
}

/// The message or post a concern is raised from, if `who` can read it:
/// a message of a room they are in, a post of a thread they may read, not
/// deleted or hidden (whose text they no longer see). Anything else is
/// `NotFound`, so ids reveal nothing.
pub async fn concern_source(
    db: &DatabaseConnection,
    who: &AuthUser,
    message_id: Option<i64>,
    post_id: Option<i64>,
) -> AppResult<Option<ConcernSource>> {
    match (message_id, post_id) {
        (None, None) => Ok(None),
        (Some(_), Some(_)) => Err(AppError::validation(
            "message_id",
            "Raise a concern from one message or one post, not both.",
        )),
        (Some(id), None) => {
            let found = db::messages::find(db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            super::room_member(db, who, found.room_id).await?;
            if found.deleted_at.is_some() || found.hidden_at.is_some() {
                return Err(AppError::NotFound);
            }
            Ok(Some(ConcernSource {
                text: found.body,
                author_id: found.author_id,
            }))
        }
        (None, Some(id)) => {
            let (found, _) = super::post(db, who, id).await?;
            if found.deleted_at.is_some() || found.hidden_at.is_some() {
                return Err(AppError::NotFound);
            }
            Ok(Some(ConcernSource {
                text: found.body,
                author_id: found.author_id,
            }))
        }
    }
}
