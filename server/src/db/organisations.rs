//! Queries on organisations, their staff, needs and invitations.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use shared::api::organisations::{
    Need, OrganisationRole, OrganisationView, SaveOrganisation, StaffMember,
};
use shared::api::users::UserSummary;
use shared::taxonomy::{ApprovalStatus, OrganisationSize, Priority, Topic};

use super::entities::{organisation, organisation_invite, organisation_need, organisation_staff};
use super::lists;
use crate::error::{AppError, AppResult};

pub fn status_of(o: &organisation::Model) -> ApprovalStatus {
    ApprovalStatus::from_slug(&o.status).unwrap_or(ApprovalStatus::Pending)
}

pub fn profile_of(o: &organisation::Model) -> SaveOrganisation {
    SaveOrganisation {
        name: o.name.clone(),
        description: o.description.clone(),
        activity_types: lists::decode(&o.activity_types),
        locality: o.locality.clone(),
        populations_served: o.populations_served.clone(),
        size: OrganisationSize::from_slug(&o.size).unwrap_or(OrganisationSize::Small),
        charity_number: o.charity_number.clone(),
    }
}

pub fn need_of(n: &organisation_need::Model) -> Option<Need> {
    Some(Need {
        topic: Topic::from_slug(&n.topic)?,
        priority: Priority::from_slug(&n.priority).unwrap_or(Priority::Medium),
        description: n.description.clone(),
    })
}

/// A new organisation, pending approval, with its creator as first lead.
pub async fn create(
    db: &DatabaseConnection,
    creator: i64,
    profile: &SaveOrganisation,
) -> AppResult<organisation::Model> {
    let now = Utc::now();
    let txn = super::begin_write(db).await?;
    let org = organisation::ActiveModel {
        name: Set(profile.name.clone()),
        description: Set(profile.description.clone()),
        activity_types: Set(lists::encode(&profile.activity_types)),
        locality: Set(profile.locality.clone()),
        populations_served: Set(profile.populations_served.clone()),
        size: Set(profile.size.slug().into()),
        charity_number: Set(profile.charity_number.clone()),
        status: Set(ApprovalStatus::Pending.slug().into()),
        decision_reason: Set(None),
        safeguarding_lead_id: Set(None),
        created_by: Set(creator),
        created_at: Set(now),
        decided_at: Set(None),
        decided_by: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    add_staff(&txn, org.id, creator, true).await?;
    txn.commit().await?;
    Ok(org)
}

pub async fn find(db: &DatabaseConnection, id: i64) -> AppResult<Option<organisation::Model>> {
    Ok(organisation::Entity::find_by_id(id).one(db).await?)
}

pub async fn find_many<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> AppResult<HashMap<i64, organisation::Model>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, o))
        .collect())
}

/// Every organisation with one of `statuses`, by name.
pub async fn list(
    db: &DatabaseConnection,
    statuses: &[ApprovalStatus],
) -> AppResult<Vec<organisation::Model>> {
    Ok(organisation::Entity::find()
        .filter(organisation::Column::Status.is_in(statuses.iter().map(|s| s.slug())))
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await?)
}

pub async fn update_profile(
    db: &DatabaseConnection,
    org: organisation::Model,
    profile: &SaveOrganisation,
) -> AppResult<organisation::Model> {
    let mut active: organisation::ActiveModel = org.into();
    active.name = Set(profile.name.clone());
    active.description = Set(profile.description.clone());
    active.activity_types = Set(lists::encode(&profile.activity_types));
    active.locality = Set(profile.locality.clone());
    active.populations_served = Set(profile.populations_served.clone());
    active.size = Set(profile.size.slug().into());
    active.charity_number = Set(profile.charity_number.clone());
    Ok(active.update(db).await?)
}

pub async fn decide(
    db: &DatabaseConnection,
    org: organisation::Model,
    admin: i64,
    approve: bool,
    reason: Option<String>,
) -> AppResult<organisation::Model> {
    let status = if approve {
        ApprovalStatus::Approved
    } else {
        ApprovalStatus::Declined
    };
    let mut active: organisation::ActiveModel = org.into();
    active.status = Set(status.slug().into());
    active.decision_reason = Set(reason);
    active.decided_at = Set(Some(Utc::now()));
    active.decided_by = Set(Some(admin));
    Ok(active.update(db).await?)
}

pub async fn add_staff<C: ConnectionTrait>(
    conn: &C,
    org_id: i64,
    user_id: i64,
    is_lead: bool,
) -> AppResult<()> {
    organisation_staff::ActiveModel {
        organisation_id: Set(org_id),
        user_id: Set(user_id),
        is_lead: Set(is_lead),
        joined_at: Set(Utc::now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub async fn staff_of(
    db: &DatabaseConnection,
    org_id: i64,
) -> AppResult<Vec<organisation_staff::Model>> {
    Ok(organisation_staff::Entity::find()
        .filter(organisation_staff::Column::OrganisationId.eq(org_id))
        .order_by_asc(organisation_staff::Column::JoinedAt)
        .order_by_asc(organisation_staff::Column::UserId)
        .all(db)
        .await?)
}

/// The ids of `org_id`'s staff.
pub async fn staff_ids<C: ConnectionTrait>(conn: &C, org_id: i64) -> AppResult<Vec<i64>> {
    Ok(organisation_staff::Entity::find()
        .filter(organisation_staff::Column::OrganisationId.eq(org_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| s.user_id)
        .collect())
}

pub async fn staff_record(
    db: &DatabaseConnection,
    org_id: i64,
    user_id: i64,
) -> AppResult<Option<organisation_staff::Model>> {
    Ok(organisation_staff::Entity::find_by_id((org_id, user_id))
        .one(db)
        .await?)
}

/// The organisations `user_id` works for, with whether they lead each.
pub async fn of_user(
    db: &DatabaseConnection,
    user_id: i64,
) -> AppResult<Vec<(organisation::Model, bool)>> {
    let rows = organisation_staff::Entity::find()
        .filter(organisation_staff::Column::UserId.eq(user_id))
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.organisation_id).collect();
    let orgs = find_many(db, &ids).await?;
    let mut out: Vec<(organisation::Model, bool)> = rows
        .iter()
        .filter_map(|r| orgs.get(&r.organisation_id).map(|o| (o.clone(), r.is_lead)))
        .collect();
    out.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    Ok(out)
}

pub async fn set_lead(
    db: &DatabaseConnection,
    org_id: i64,
    user_id: i64,
    is_lead: bool,
) -> AppResult<()> {
    organisation_staff::Entity::update_many()
        .col_expr(organisation_staff::Column::IsLead, Expr::value(is_lead))
        .filter(organisation_staff::Column::OrganisationId.eq(org_id))
        .filter(organisation_staff::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Take someone off the staff; they stop being its safeguarding lead too.
pub async fn remove_staff(db: &DatabaseConnection, org_id: i64, user_id: i64) -> AppResult<bool> {
    let txn = super::begin_write(db).await?;
    let gone = organisation_staff::Entity::delete_by_id((org_id, user_id))
        .exec(&txn)
        .await?
        .rows_affected
        > 0;
    organisation::Entity::update_many()
        .col_expr(
            organisation::Column::SafeguardingLeadId,
            Expr::value(Option::<i64>::None),
        )
        .filter(organisation::Column::Id.eq(org_id))
        .filter(organisation::Column::SafeguardingLeadId.eq(user_id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(gone)
}

pub async fn set_safeguarding_lead(
    db: &DatabaseConnection,
    org: organisation::Model,
    user_id: Option<i64>,
) -> AppResult<organisation::Model> {
    let mut active: organisation::ActiveModel = org.into();
    active.safeguarding_lead_id = Set(user_id);
    Ok(active.update(db).await?)
}

pub async fn needs_of<C: ConnectionTrait>(
    conn: &C,
    org_ids: &[i64],
) -> AppResult<HashMap<i64, Vec<Need>>> {
    let mut out: HashMap<i64, Vec<Need>> = HashMap::new();
    for n in organisation_need::Entity::find()
        .filter(organisation_need::Column::OrganisationId.is_in(org_ids.iter().copied()))
        .all(conn)
        .await?
    {
        if let Some(need) = need_of(&n) {
            out.entry(n.organisation_id).or_default().push(need);
        }
    }
    // Highest priority first, then the taxonomy's order: stable for the UI.
    for needs in out.values_mut() {
        needs.sort_by_key(|n| (n.priority, n.topic));
    }
    Ok(out)
}

/// Replace the needs of `org_id` with `needs`.
pub async fn set_needs(db: &DatabaseConnection, org_id: i64, needs: &[Need]) -> AppResult<()> {
    let txn = super::begin_write(db).await?;
    organisation_need::Entity::delete_many()
        .filter(organisation_need::Column::OrganisationId.eq(org_id))
        .exec(&txn)
        .await?;
    for n in needs {
        organisation_need::ActiveModel {
            organisation_id: Set(org_id),
            topic: Set(n.topic.slug().into()),
            priority: Set(n.priority.slug().into()),
            description: Set(n.description.clone()),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn create_invite(
    db: &DatabaseConnection,
    org_id: i64,
    by: i64,
    token_hash: String,
    expires_at: DateTime<Utc>,
) -> AppResult<organisation_invite::Model> {
    Ok(organisation_invite::ActiveModel {
        organisation_id: Set(org_id),
        token_hash: Set(token_hash),
        created_by: Set(by),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        used_by: Set(None),
        used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?)
}

/// An unused, unexpired invitation by the hash of its token.
pub async fn live_invite(
    db: &DatabaseConnection,
    token_hash: &str,
) -> AppResult<Option<organisation_invite::Model>> {
    Ok(organisation_invite::Entity::find()
        .filter(organisation_invite::Column::TokenHash.eq(token_hash))
        .filter(organisation_invite::Column::UsedBy.is_null())
        .filter(organisation_invite::Column::ExpiresAt.gt(Utc::now()))
        .one(db)
        .await?)
}

/// Use the invitation for `user_id` and add them to the staff, once: a
/// second use of the same link (even at the same moment) finds it used.
pub async fn redeem_invite(
    db: &DatabaseConnection,
    invite: &organisation_invite::Model,
    user_id: i64,
) -> AppResult<()> {
    let txn = super::begin_write(db).await?;
    let claimed = organisation_invite::Entity::update_many()
        .col_expr(organisation_invite::Column::UsedBy, Expr::value(user_id))
        .col_expr(organisation_invite::Column::UsedAt, Expr::value(Utc::now()))
        .filter(organisation_invite::Column::Id.eq(invite.id))
        .filter(organisation_invite::Column::UsedBy.is_null())
        .exec(&txn)
        .await?
        .rows_affected;
    if claimed != 1 {
        return Err(AppError::NotFound);
    }
    add_staff(&txn, invite.organisation_id, user_id, false).await?;
    txn.commit().await?;
    Ok(())
}

/// The whole profile as `role` sees it.
pub async fn view(
    db: &DatabaseConnection,
    org: &organisation::Model,
    role: OrganisationRole,
) -> AppResult<OrganisationView> {
    let staff = staff_of(db, org.id).await?;
    let ids: Vec<i64> = staff.iter().map(|s| s.user_id).collect();
    let names: HashMap<i64, String> = super::users::find_many(db, &ids)
        .await?
        .into_iter()
        .map(|u| (u.id, u.display_name))
        .collect();
    let summary = |id: i64| UserSummary {
        id,
        display_name: names.get(&id).cloned().unwrap_or_default(),
    };
    let needs = needs_of(db, &[org.id])
        .await?
        .remove(&org.id)
        .unwrap_or_default();
    Ok(OrganisationView {
        id: org.id,
        profile: profile_of(org),
        status: status_of(org),
        decision_reason: org.decision_reason.clone(),
        needs,
        staff: staff
            .iter()
            .map(|s| StaffMember {
                user: summary(s.user_id),
                is_lead: s.is_lead,
                joined_at: s.joined_at,
            })
            .collect(),
        safeguarding_lead: org.safeguarding_lead_id.map(summary),
        created_at: org.created_at,
        viewer: role,
    })
}
