//! A co-op's decisions and actions (maybe made from a message in one of its
//! rooms) and its events. Every change reaches the co-op's open pages live
//! (`coop_changed`); an action given to someone tells them.

use chrono::Utc;
use shared::api::coops::{CreateRecord, Owner, RecordKind, SaveEvent, UpdateRecord};
use shared::ws::CoopPart;

use super::{changed, leads_of, notify};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::coop_log::{NewRecord, RecordState};
use crate::db::entities::{coop_event, coop_record};
use crate::domain::access::{self, CoopAccess};
use crate::domain::validate_coops as validate;
use crate::error::{AppError, AppResult};

/// The owner must belong to the co-op: a member organisation or one of its people.
async fn check_owner(state: &AppState, access: &CoopAccess, owner: &Owner) -> AppResult<()> {
    let ok = match owner {
        Owner::Organisation { organisation_id } => access.members.contains(organisation_id),
        Owner::Person { user_id } => db::coops::people_of(&state.db, access.coop.id)
            .await?
            .contains(user_id),
    };
    if ok {
        Ok(())
    } else {
        Err(AppError::validation(
            "owner",
            "Choose a member organisation or someone in the co-operative as the owner.",
        ))
    }
}

/// Tell a new owner (a person, or an organisation's leads) what they own now.
async fn tell_owner(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    owner: &Owner,
    text: &str,
) -> AppResult<()> {
    let to = match owner {
        Owner::Person { user_id } => vec![*user_id],
        Owner::Organisation { organisation_id } => leads_of(state, *organisation_id).await?,
    };
    let line = format!(
        "{} gave you an action in {}: {}",
        who.display_name,
        access.coop.name,
        db::notifications::excerpt_of(text, 120)
    );
    notify(state, who, &to, access.coop.id, &line).await
}

pub async fn create_record(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    req: &CreateRecord,
) -> AppResult<coop_record::Model> {
    let text = validate::record_text(&req.text)?;
    if req.kind == RecordKind::Decision && (req.owner.is_some() || req.due_on.is_some()) {
        return Err(AppError::validation(
            "owner",
            "A decision has no owner or due date: record an action for that.",
        ));
    }
    if let Some(message_id) = req.message_id {
        // The message must be one the caller can read, in this co-op's room.
        let m = db::messages::find(&state.db, message_id)
            .await?
            .ok_or(AppError::NotFound)?;
        let room = access::room_member(&state.db, who, m.room_id).await?;
        if room.coop_id != Some(access.coop.id) {
            return Err(AppError::validation(
                "message_id",
                "Only a message in one of this co-operative's rooms can become its decision or action.",
            ));
        }
    }
    if let Some(owner) = &req.owner {
        check_owner(state, access, owner).await?;
    }
    let created = db::coop_log::create_record(
        &state.db,
        NewRecord {
            coop_id: access.coop.id,
            kind: req.kind,
            text: &text,
            message_id: req.message_id,
            owner: req.owner.as_ref(),
            due_on: req.due_on,
            by: who.id,
        },
    )
    .await?;
    if let Some(owner) = &req.owner {
        tell_owner(state, who, access, owner, &text).await?;
    }
    changed(state, access.coop.id, CoopPart::Records, &[]).await?;
    Ok(created)
}

pub async fn update_record(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    r: &coop_record::Model,
    req: &UpdateRecord,
) -> AppResult<coop_record::Model> {
    let kind = db::coop_log::record_kind_of(r);
    let text = match &req.text {
        Some(t) => validate::record_text(t)?,
        None => r.text.clone(),
    };
    let touches_action = req.status.is_some()
        || req.owner.is_some()
        || req.due_on.is_some()
        || req.clear_owner
        || req.clear_due;
    if kind == RecordKind::Decision && touches_action {
        return Err(AppError::validation(
            "status",
            "A decision has no status, owner or due date.",
        ));
    }
    let before = db::coop_log::owner_of(r);
    let owner = if req.clear_owner {
        None
    } else {
        req.owner.clone().or(before.clone())
    };
    if let Some(o) = &req.owner {
        check_owner(state, access, o).await?;
    }
    let due_on = if req.clear_due {
        None
    } else {
        req.due_on.or(r.due_on)
    };
    let updated = db::coop_log::update_record(
        &state.db,
        r.id,
        RecordState {
            text: &text,
            status: req.status.unwrap_or(db::coop_log::status_of(r)),
            owner: owner.as_ref(),
            due_on,
        },
        who.id,
    )
    .await?;
    if let Some(o) = &owner
        && before.as_ref() != Some(o)
    {
        tell_owner(state, who, access, o, &text).await?;
    }
    changed(state, access.coop.id, CoopPart::Records, &[]).await?;
    Ok(updated)
}

pub async fn delete_record(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    r: &coop_record::Model,
) -> AppResult<()> {
    access::author_or_coordinator(who, r.created_by, access)?;
    db::coop_log::delete_record(&state.db, r.id).await?;
    changed(state, access.coop.id, CoopPart::Records, &[]).await
}

pub async fn create_event(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    req: &SaveEvent,
) -> AppResult<coop_event::Model> {
    let event = validate::event(req, Utc::now())?;
    let created = db::coop_log::create_event(&state.db, access.coop.id, &event, who.id).await?;
    changed(state, access.coop.id, CoopPart::Events, &[]).await?;
    Ok(created)
}

pub async fn update_event(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    e: &coop_event::Model,
    req: &SaveEvent,
) -> AppResult<coop_event::Model> {
    access::author_or_coordinator(who, e.created_by, access)?;
    let event = validate::event(req, Utc::now())?;
    let updated = db::coop_log::update_event(&state.db, e.id, &event).await?;
    changed(state, access.coop.id, CoopPart::Events, &[]).await?;
    Ok(updated)
}

pub async fn delete_event(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    e: &coop_event::Model,
) -> AppResult<()> {
    access::author_or_coordinator(who, e.created_by, access)?;
    db::coop_log::delete_event(&state.db, e.id).await?;
    changed(state, access.coop.id, CoopPart::Events, &[]).await
}
