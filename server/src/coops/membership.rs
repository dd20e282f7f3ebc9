//! Who is in a co-op: creating it, its details and coordinators, asking to
//! join, inviting, deciding, withdrawing, leaving and removing. Every change
//! is recorded in the co-op's history (in the same transaction as the
//! change), notified to the people it concerns, and followed by the rooms.

use shared::api::coops::{HistoryAction, RequestKind, RequestStatus, SaveCoop};
use shared::ws::CoopPart;

use super::{changed, leads_of, notify, rooms};
use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::entities::{coop, coop_request};
use crate::domain::access::{CoopAccess, RequestAccess};
use crate::domain::validate_coops as validate;
use crate::error::{AppError, AppResult};

/// A new co-op (the programme team), its coordinators told.
pub async fn create(state: &AppState, who: &AuthUser, save: &SaveCoop) -> AppResult<coop::Model> {
    for &id in &save.coordinator_ids {
        db::users::find(&state.db, id).await?.ok_or_else(|| {
            AppError::validation(
                "coordinator_ids",
                "Choose coordinators who have an account.",
            )
        })?;
    }
    let created = db::coops::create(
        &state.db,
        who.id,
        &save.name,
        &save.locality,
        &save.purpose,
        &save.coordinator_ids,
    )
    .await?;
    notify(
        state,
        who,
        &save.coordinator_ids,
        created.id,
        &format!(
            "{} made you a coordinator of {}.",
            who.display_name, created.name
        ),
    )
    .await?;
    Ok(created)
}

pub async fn edit(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    save: &SaveCoop,
) -> AppResult<()> {
    let c = &access.coop;
    db::coops::update(&state.db, c.id, &save.name, &save.locality, &save.purpose).await?;
    let mut what = Vec::new();
    if c.name != save.name {
        what.push("name");
    }
    if c.locality != save.locality {
        what.push("locality");
    }
    if c.purpose != save.purpose {
        what.push("purpose");
    }
    if !what.is_empty() {
        db::coops::record(
            &state.db,
            c.id,
            HistoryAction::Edited,
            who.id,
            None,
            None,
            Some(&what.join(", ")),
        )
        .await?;
    }
    changed(state, c.id, CoopPart::Home, &[]).await
}

pub async fn add_coordinator(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    user_id: i64,
) -> AppResult<()> {
    let c = &access.coop;
    db::users::find(&state.db, user_id)
        .await?
        .ok_or_else(|| AppError::validation("user_id", "There is nobody with that account."))?;
    if db::coops::coordinators_of(&state.db, c.id).await?.len()
        >= shared::limits::COOP_COORDINATORS_MAX
    {
        return Err(AppError::conflict(format!(
            "A co-operative can have at most {} coordinators.",
            shared::limits::COOP_COORDINATORS_MAX
        )));
    }
    if !db::coops::add_coordinator(&state.db, c.id, user_id).await? {
        return Ok(());
    }
    db::coops::record(
        &state.db,
        c.id,
        HistoryAction::CoordinatorAdded,
        who.id,
        None,
        Some(user_id),
        None,
    )
    .await?;
    rooms::sync(state, c.id).await?;
    notify(
        state,
        who,
        &[user_id],
        c.id,
        &format!("{} made you a coordinator of {}.", who.display_name, c.name),
    )
    .await?;
    changed(state, c.id, CoopPart::Home, &[]).await
}

pub async fn remove_coordinator(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    user_id: i64,
) -> AppResult<()> {
    let c = &access.coop;
    let now = db::coops::coordinators_of(&state.db, c.id).await?;
    if !now.contains(&user_id) {
        return Err(AppError::NotFound);
    }
    if now.len() == 1 {
        return Err(AppError::conflict(
            "A co-operative needs at least one coordinator. Add another first.",
        ));
    }
    db::coops::remove_coordinator(&state.db, c.id, user_id).await?;
    db::coops::record(
        &state.db,
        c.id,
        HistoryAction::CoordinatorRemoved,
        who.id,
        None,
        Some(user_id),
        None,
    )
    .await?;
    rooms::sync(state, c.id).await?;
    changed(state, c.id, CoopPart::Home, &[user_id]).await
}

/// A lead asks for their organisation to join; the coordinators are told.
pub async fn request(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    org_id: i64,
    note: &str,
) -> AppResult<coop_request::Model> {
    let c = &access.coop;
    let org = db::organisations::find(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if access.members.contains(&org_id) {
        return Err(AppError::conflict(format!(
            "{} is already a member.",
            org.name
        )));
    }
    if !access.role.may_request_for.iter().any(|o| o.id == org_id) {
        let lead = db::organisations::staff_record(&state.db, org_id, who.id)
            .await?
            .is_some_and(|s| s.is_lead);
        return Err(if lead {
            // Not approved yet, or a request or invitation is already open.
            AppError::conflict(
                "This organisation cannot ask to join now: it needs the programme team's \
                 approval first, or already has an open request or invitation.",
            )
        } else {
            AppError::forbidden("Only a lead of the organisation can ask for it to join.")
        });
    }
    let created =
        db::coops::create_request(&state.db, c.id, org_id, RequestKind::Request, note, who.id)
            .await?;
    let coordinators = db::coops::coordinators_of(&state.db, c.id).await?;
    notify(
        state,
        who,
        &coordinators,
        c.id,
        &format!(
            "{} asks for {} to join {}.",
            who.display_name, org.name, c.name
        ),
    )
    .await?;
    changed(state, c.id, CoopPart::Home, &leads_of(state, org_id).await?).await?;
    Ok(created)
}

/// A coordinator invites an organisation; its leads are told.
pub async fn invite(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    org_id: i64,
    note: &str,
) -> AppResult<coop_request::Model> {
    let c = &access.coop;
    let org = db::organisations::find(&state.db, org_id)
        .await?
        .filter(|o| db::organisations::status_of(o) == shared::taxonomy::ApprovalStatus::Approved)
        .ok_or_else(|| {
            AppError::validation("organisation_id", "Choose an approved organisation.")
        })?;
    if access.members.contains(&org_id) {
        return Err(AppError::conflict(format!(
            "{} is already a member.",
            org.name
        )));
    }
    let created =
        db::coops::create_request(&state.db, c.id, org_id, RequestKind::Invite, note, who.id)
            .await?;
    let leads = leads_of(state, org_id).await?;
    notify(
        state,
        who,
        &leads,
        c.id,
        &format!(
            "{} invites {} to join {}.",
            who.display_name, org.name, c.name
        ),
    )
    .await?;
    changed(state, c.id, CoopPart::Home, &leads).await?;
    Ok(created)
}

/// Accept or decline (with a reason, required to decline). Accepting adds the organisation, and
/// its staff are in the co-op's rooms at once.
pub async fn decide(
    state: &AppState,
    who: &AuthUser,
    ra: &RequestAccess,
    accept: bool,
    reason: Option<&str>,
) -> AppResult<()> {
    if !ra.may_decide {
        return Err(match db::coops::status_of(&ra.request) {
            RequestStatus::Pending => AppError::forbidden(match db::coops::kind_of(&ra.request) {
                RequestKind::Request => {
                    "Only the co-operative's coordinators can decide on a request to join."
                }
                RequestKind::Invite => {
                    "Only a lead of the invited organisation can answer an invitation."
                }
            }),
            _ => AppError::conflict("This has already been settled."),
        });
    }
    // Checked after the permission, so a refusal is never a form error.
    let reason = validate::reason(reason, !accept)?;
    let status = if accept {
        RequestStatus::Accepted
    } else {
        RequestStatus::Declined
    };
    settle(state, who, ra, status, reason.as_deref()).await
}

/// The side that sent it takes it back.
pub async fn withdraw(state: &AppState, who: &AuthUser, ra: &RequestAccess) -> AppResult<()> {
    if !ra.may_withdraw {
        return Err(match db::coops::status_of(&ra.request) {
            RequestStatus::Pending => {
                AppError::forbidden("Only the side that sent this can withdraw it.")
            }
            _ => AppError::conflict("This has already been settled."),
        });
    }
    settle(state, who, ra, RequestStatus::Withdrawn, None).await
}

async fn settle(
    state: &AppState,
    who: &AuthUser,
    ra: &RequestAccess,
    status: RequestStatus,
    reason: Option<&str>,
) -> AppResult<()> {
    let r = &ra.request;
    if !db::coops::settle_request(&state.db, r, status, who.id, reason).await? {
        return Err(AppError::conflict("This has already been settled."));
    }
    let org = db::organisations::find(&state.db, r.organisation_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let name = &ra.coop.name;
    let leads = leads_of(state, r.organisation_id).await?;
    let coordinators = db::coops::coordinators_of(&state.db, r.coop_id).await?;
    let because = reason.map(|r| format!(" Reason: {r}")).unwrap_or_default();
    let (to, text) = match (db::coops::kind_of(r), status) {
        (RequestKind::Request, RequestStatus::Accepted) => (
            leads.clone(),
            format!("{} admitted {org} to {name}.", who.display_name),
        ),
        (RequestKind::Request, RequestStatus::Declined) => (
            leads.clone(),
            format!(
                "{} declined {org}'s request to join {name}.{because}",
                who.display_name
            ),
        ),
        (RequestKind::Invite, RequestStatus::Accepted) => (
            coordinators,
            format!(
                "{} accepted the invitation: {org} joined {name}.",
                who.display_name
            ),
        ),
        (RequestKind::Invite, RequestStatus::Declined) => (
            coordinators,
            format!(
                "{} declined the invitation for {org} to join {name}.{because}",
                who.display_name
            ),
        ),
        (RequestKind::Request, _) => (
            coordinators,
            format!(
                "{} withdrew {org}'s request to join {name}.",
                who.display_name
            ),
        ),
        (RequestKind::Invite, _) => (
            leads.clone(),
            format!(
                "{} withdrew the invitation for {org} to join {name}.",
                who.display_name
            ),
        ),
    };
    notify(state, who, &to, r.coop_id, &text).await?;
    if status == RequestStatus::Accepted {
        rooms::sync(state, r.coop_id).await?;
        changed(state, r.coop_id, CoopPart::Records, &[]).await?;
        changed(state, r.coop_id, CoopPart::Events, &[]).await?;
    }
    changed(state, r.coop_id, CoopPart::Home, &leads).await
}

/// The organisation leaves (its lead) or is removed (a coordinator, with a
/// reason). Its staff are out of the rooms at once, unless they also belong
/// another way (a coordinator, or staff of another member).
pub async fn leave(
    state: &AppState,
    who: &AuthUser,
    access: &CoopAccess,
    org_id: i64,
    reason: Option<&str>,
) -> AppResult<()> {
    let c = &access.coop;
    if !access.members.contains(&org_id) {
        return Err(AppError::NotFound);
    }
    let own = access.role.leads_members.contains(&org_id);
    if !(own || access.role.coordinator || access.role.admin) {
        return Err(AppError::forbidden(
            "Only a lead of the organisation or a coordinator can do that.",
        ));
    }
    if !own && reason.is_none() {
        return Err(AppError::validation(
            "reason",
            "Enter a reason for removing the organisation.",
        ));
    }
    let staff = db::organisations::staff_ids(&state.db, org_id).await?;
    if !db::coops::remove_member(&state.db, c.id, org_id).await? {
        return Err(AppError::NotFound);
    }
    let action = if own {
        HistoryAction::Left
    } else {
        HistoryAction::Removed
    };
    db::coops::record(&state.db, c.id, action, who.id, Some(org_id), None, reason).await?;
    rooms::sync(state, c.id).await?;
    let org = db::organisations::find(&state.db, org_id)
        .await?
        .map(|o| o.name)
        .unwrap_or_default();
    let mut told = db::coops::coordinators_of(&state.db, c.id).await?;
    let text = if own {
        format!("{} took {org} out of {}.", who.display_name, c.name)
    } else {
        told.extend(leads_of(state, org_id).await?);
        let because = reason.map(|r| format!(" Reason: {r}")).unwrap_or_default();
        format!(
            "{} removed {org} from {}.{because}",
            who.display_name, c.name
        )
    };
    notify(state, who, &told, c.id, &text).await?;
    changed(state, c.id, CoopPart::Home, &staff).await
}
