//! Organisations: the directory, profiles, approval, needs, staff and their
//! invitation links, and mentor suggestions for one organisation.

use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use shared::api::notifications::NotificationKind;
use shared::api::organisations::{
    Decide, InviteCreated, InvitePreview, ListOrganisations, ListOrganisationsResponse,
    OrganisationCard, OrganisationView, SaveOrganisation, SetNeeds, SetSafeguardingLead,
    UpdateStaff,
};
use shared::api::programme::SuggestionsResponse;
use shared::api::users::UserSummary;
use shared::limits::{INVITE_VALID_DAYS, REASON_MAX_CHARS};
use shared::taxonomy::{ApprovalStatus, MentorshipStatus};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::app::AppState;
use crate::auth::{AuthUser, token};
use crate::db;
use crate::db::notifications::Subject;
use crate::domain::access::{self, OrgAccess};
use crate::domain::validate_programme as validate;
use crate::error::{AppError, AppResult, Json, Path, Query};
use crate::programme;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_organisations, create_organisation))
        .routes(routes!(get_organisation, update_organisation))
        .routes(routes!(set_needs))
        .routes(routes!(decide))
        .routes(routes!(update_staff))
        .routes(routes!(remove_staff))
        .routes(routes!(set_safeguarding_lead))
        .routes(routes!(create_invite))
        .routes(routes!(preview_invite))
        .routes(routes!(accept_invite))
        .routes(routes!(suggestions))
}

async fn view_of(state: &AppState, access: &OrgAccess) -> AppResult<Json<OrganisationView>> {
    Ok(Json(
        db::organisations::view(&state.db, &access.org, access.role).await?,
    ))
}

#[utoipa::path(get, path = "/organisations", tag = "organisations", params(ListOrganisations),
    responses((status = 200, body = ListOrganisationsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "A status other than approved, asked by someone not on the programme team", body = shared::ErrorBody)))]
async fn list_organisations(
    State(state): State<AppState>,
    who: AuthUser,
    Query(q): Query<ListOrganisations>,
) -> AppResult<Json<ListOrganisationsResponse>> {
    let status = q.status.unwrap_or(ApprovalStatus::Approved);
    if status != ApprovalStatus::Approved {
        access::admin(&who)?;
    }
    let orgs = db::organisations::list(&state.db, &[status]).await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let mut needs = db::organisations::needs_of(&state.db, &ids).await?;
    let mentored: std::collections::HashSet<i64> = db::mentorships::list(
        &state.db,
        Some(&[MentorshipStatus::Active, MentorshipStatus::Paused]),
        Some(&ids),
        None,
    )
    .await?
    .into_iter()
    .map(|m| m.organisation_id)
    .collect();
    let locality = q
        .locality
        .as_deref()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let organisations = orgs
        .into_iter()
        .map(|o| {
            let profile = db::organisations::profile_of(&o);
            let needs = needs.remove(&o.id).unwrap_or_default();
            (o, profile, needs)
        })
        .filter(|(_, p, needs)| {
            q.topic.is_none_or(|t| needs.iter().any(|n| n.topic == t))
                && q.activity_type
                    .is_none_or(|a| p.activity_types.contains(&a))
                && locality.is_none_or(|l| p.locality.eq_ignore_ascii_case(l))
        })
        .map(|(o, p, needs)| OrganisationCard {
            id: o.id,
            mentored: mentored.contains(&o.id),
            name: p.name,
            locality: p.locality,
            activity_types: p.activity_types,
            size: p.size,
            status: db::organisations::status_of(&o),
            need_topics: needs.iter().map(|n| n.topic).collect(),
        })
        .collect();
    Ok(Json(ListOrganisationsResponse { organisations }))
}

#[utoipa::path(post, path = "/organisations", tag = "organisations", request_body = SaveOrganisation,
    responses((status = 201, description = "Created, waiting for approval; the caller is its first lead", body = OrganisationView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn create_organisation(
    State(state): State<AppState>,
    who: AuthUser,
    Json(req): Json<SaveOrganisation>,
) -> AppResult<(StatusCode, Json<OrganisationView>)> {
    let profile = validate::organisation(&req)?;
    let org = db::organisations::create(&state.db, who.id, &profile).await?;
    let admins = programme::admins(&state).await?;
    programme::notify(
        &state,
        &admins,
        NotificationKind::Decision,
        who.id,
        &who.display_name,
        Subject::Organisation(org.id),
        &format!(
            "{} added {} and asks for approval.",
            who.display_name, org.name
        ),
    )
    .await?;
    let access = access::organisation(&state.db, &who, org.id).await?;
    Ok((StatusCode::CREATED, view_of(&state, &access).await?))
}

#[utoipa::path(get, path = "/organisations/{id}", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id")),
    responses((status = 200, body = OrganisationView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, description = "No such organisation, or not yet approved and not yours", body = shared::ErrorBody)))]
async fn get_organisation(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<OrganisationView>> {
    let access = access::organisation(&state.db, &who, id).await?;
    view_of(&state, &access).await
}

#[utoipa::path(put, path = "/organisations/{id}", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id")), request_body = SaveOrganisation,
    responses((status = 200, body = OrganisationView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Not a lead", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn update_organisation(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SaveOrganisation>,
) -> AppResult<Json<OrganisationView>> {
    let mut access = access::organisation_lead(&state.db, &who, id).await?;
    let profile = validate::organisation(&req)?;
    access.org = db::organisations::update_profile(&state.db, access.org, &profile).await?;
    view_of(&state, &access).await
}

#[utoipa::path(put, path = "/organisations/{id}/needs", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id")), request_body = SetNeeds,
    responses((status = 200, body = OrganisationView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn set_needs(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SetNeeds>,
) -> AppResult<Json<OrganisationView>> {
    let access = access::organisation_lead(&state.db, &who, id).await?;
    let needs = validate::needs(&req.needs)?;
    db::organisations::set_needs(&state.db, id, &needs).await?;
    view_of(&state, &access).await
}

/// A reason is required to decline, and kept short.
pub fn decision_reason(req: &Decide) -> AppResult<Option<String>> {
    let reason = match req.reason.as_deref() {
        Some(r) => validate::text("reason", "the reason", r, REASON_MAX_CHARS, false)?,
        None => String::new(),
    };
    if !req.approve && reason.is_empty() {
        return Err(AppError::validation(
            "reason",
            "Say why it is declined: the applicant will read it.",
        ));
    }
    Ok((!reason.is_empty()).then_some(reason))
}

#[utoipa::path(post, path = "/organisations/{id}/decision", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id")), request_body = Decide,
    responses((status = 200, body = OrganisationView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, description = "Not on the programme team", body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, body = shared::ErrorBody)))]
async fn decide(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<Decide>,
) -> AppResult<Json<OrganisationView>> {
    let mut access = access::organisation(&state.db, &who, id).await?;
    access::admin(&who)?;
    let reason = decision_reason(&req)?;
    access.org =
        db::organisations::decide(&state.db, access.org, who.id, req.approve, reason).await?;
    let staff = db::organisations::staff_ids(&state.db, id).await?;
    let text = if req.approve {
        format!(
            "{} approved {}: it is now in the directory.",
            who.display_name, access.org.name
        )
    } else {
        format!("{} declined {}.", who.display_name, access.org.name)
    };
    programme::notify(
        &state,
        &staff,
        NotificationKind::Decision,
        who.id,
        &who.display_name,
        Subject::Organisation(id),
        &text,
    )
    .await?;
    view_of(&state, &access).await
}

#[utoipa::path(put, path = "/organisations/{id}/staff/{user_id}", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id"), ("user_id" = i64, Path, description = "Staff member")),
    request_body = UpdateStaff,
    responses((status = 200, body = OrganisationView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, description = "Would leave it without a lead", body = shared::ErrorBody)))]
async fn update_staff(
    State(state): State<AppState>,
    who: AuthUser,
    Path((id, user_id)): Path<(i64, i64)>,
    Json(req): Json<UpdateStaff>,
) -> AppResult<Json<OrganisationView>> {
    let access = access::organisation_lead(&state.db, &who, id).await?;
    let record = db::organisations::staff_record(&state.db, id, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if record.is_lead && !req.is_lead {
        ensure_another_lead(&state, id, user_id).await?;
    }
    db::organisations::set_lead(&state.db, id, user_id, req.is_lead).await?;
    let access = OrgAccess {
        role: if user_id == who.id {
            shared::api::organisations::OrganisationRole {
                is_lead: req.is_lead,
                ..access.role
            }
        } else {
            access.role
        },
        ..access
    };
    view_of(&state, &access).await
}

async fn ensure_another_lead(state: &AppState, org_id: i64, user_id: i64) -> AppResult<()> {
    let others = db::organisations::staff_of(&state.db, org_id)
        .await?
        .iter()
        .any(|s| s.is_lead && s.user_id != user_id);
    if others {
        Ok(())
    } else {
        Err(AppError::conflict(
            "An organisation needs at least one lead. Make someone else a lead first.",
        ))
    }
}

#[utoipa::path(post, path = "/organisations/{id}/staff/{user_id}/remove", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id"), ("user_id" = i64, Path, description = "Staff member, or the caller to leave")),
    responses((status = 204, description = "Removed: out of the organisation's mentorship rooms at once"), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 409, body = shared::ErrorBody)))]
async fn remove_staff(
    State(state): State<AppState>,
    who: AuthUser,
    Path((id, user_id)): Path<(i64, i64)>,
) -> AppResult<StatusCode> {
    let access = access::organisation(&state.db, &who, id).await?;
    if user_id != who.id && !access.role.is_lead {
        return Err(AppError::forbidden(
            "Only a lead of this organisation can remove someone.",
        ));
    }
    let record = db::organisations::staff_record(&state.db, id, user_id)
        .await?
        .ok_or(AppError::NotFound)?;
    if record.is_lead {
        ensure_another_lead(&state, id, user_id).await?;
    }
    if db::organisations::remove_staff(&state.db, id, user_id).await? {
        programme::staff::left(&state, id, user_id).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/organisations/{id}/safeguarding-lead", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id")), request_body = SetSafeguardingLead,
    responses((status = 200, body = OrganisationView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody), (status = 422, description = "Not on the staff", body = shared::ErrorBody)))]
async fn set_safeguarding_lead(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
    Json(req): Json<SetSafeguardingLead>,
) -> AppResult<Json<OrganisationView>> {
    let mut access = access::organisation_lead(&state.db, &who, id).await?;
    if let Some(user_id) = req.user_id
        && db::organisations::staff_record(&state.db, id, user_id)
            .await?
            .is_none()
    {
        return Err(AppError::validation(
            "user_id",
            "The safeguarding lead must be on the organisation's staff.",
        ));
    }
    access.org =
        db::organisations::set_safeguarding_lead(&state.db, access.org, req.user_id).await?;
    view_of(&state, &access).await
}

#[utoipa::path(post, path = "/organisations/{id}/invites", tag = "organisations",
    params(("id" = i64, Path, description = "Organisation id")),
    responses((status = 201, body = InviteCreated), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody)))]
async fn create_invite(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<(StatusCode, Json<InviteCreated>)> {
    access::organisation_lead(&state.db, &who, id).await?;
    let raw = token::generate()?;
    let expires_at = Utc::now() + Duration::days(INVITE_VALID_DAYS);
    db::organisations::create_invite(&state.db, id, who.id, token::hash(&raw), expires_at).await?;
    Ok((
        StatusCode::CREATED,
        Json(InviteCreated {
            path: format!("/join/{raw}"),
            token: raw,
            expires_at,
        }),
    ))
}

#[utoipa::path(get, path = "/invites/{token}", tag = "organisations",
    params(("token" = String, Path, description = "The secret part of the link")),
    responses((status = 200, body = InvitePreview), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, description = "Unknown, used or expired", body = shared::ErrorBody)))]
async fn preview_invite(
    State(state): State<AppState>,
    _who: AuthUser,
    Path(raw): Path<String>,
) -> AppResult<Json<InvitePreview>> {
    let invite = db::organisations::live_invite(&state.db, &token::hash(&raw))
        .await?
        .ok_or(AppError::NotFound)?;
    let org = db::organisations::find(&state.db, invite.organisation_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let by = db::users::find(&state.db, invite.created_by)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(InvitePreview {
        organisation_id: org.id,
        organisation_name: org.name,
        invited_by: UserSummary {
            id: by.id,
            display_name: by.display_name,
        },
        expires_at: invite.expires_at,
    }))
}

#[utoipa::path(post, path = "/invites/{token}/accept", tag = "organisations",
    params(("token" = String, Path, description = "The secret part of the link")),
    responses((status = 200, description = "Now on the staff", body = OrganisationView), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 404, description = "Unknown, used or expired", body = shared::ErrorBody), (status = 409, description = "Already on the staff", body = shared::ErrorBody)))]
async fn accept_invite(
    State(state): State<AppState>,
    who: AuthUser,
    Path(raw): Path<String>,
) -> AppResult<Json<OrganisationView>> {
    let invite = db::organisations::live_invite(&state.db, &token::hash(&raw))
        .await?
        .ok_or(AppError::NotFound)?;
    if db::organisations::staff_record(&state.db, invite.organisation_id, who.id)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "You are already on this organisation's staff; the link is still unused for someone else.",
        ));
    }
    db::organisations::redeem_invite(&state.db, &invite, who.id).await?;
    programme::staff::joined(&state, invite.organisation_id, who.id).await?;
    let access = access::organisation(&state.db, &who, invite.organisation_id).await?;
    view_of(&state, &access).await
}

#[utoipa::path(get, path = "/organisations/{id}/suggestions", tag = "matching",
    params(("id" = i64, Path, description = "Organisation id")),
    responses((status = 200, body = SuggestionsResponse), (status = 401, description = "unauthenticated", body = shared::ErrorBody), (status = 403, body = shared::ErrorBody), (status = 404, body = shared::ErrorBody)))]
async fn suggestions(
    State(state): State<AppState>,
    who: AuthUser,
    Path(id): Path<i64>,
) -> AppResult<Json<SuggestionsResponse>> {
    let access = access::organisation_staff_or_admin(&state.db, &who, id).await?;
    Ok(Json(
        programme::matching::suggestions(&state, &access.org).await?,
    ))
}
