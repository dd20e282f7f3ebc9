//! Safeguarding concerns' operations that span tables, live events and
//! notifications: raising one, moving it on, adding notes, the lists and
//! the audited read. Each step writes its rows (the concern, its history
//! line, the audit entry, the notifications) in one transaction, then
//! pushes the notifications and `concern_changed` live. Routes check access
//! (`domain::access::concerns`) first, then call here. The rules are in
//! `rules.rs`, the input checks in `validate.rs`, what readers see in
//! `views.rs`.
//!
//! Concerns hold special-category data: notifications and audit entries
//! name the concern and its priority, never what was written.

pub mod rules;
pub mod validate;
pub mod views;

use chrono::Utc;
use shared::api::concerns::{
    AddConcernNote, ConcernRole, ConcernStatus, ConcernView, ListConcernsResponse, RaiseConcern,
    SetConcernStatus,
};
use shared::api::coops::OrgRef;
use shared::api::notifications::NotificationKind;
use shared::ws::ServerMsg;

use crate::app::AppState;
use crate::auth::AuthUser;
use crate::db;
use crate::db::audit::{self, Entry, Event};
use crate::db::entities::{concern, notification};
use crate::db::notifications::Subject;
use crate::domain::access;
use crate::error::{AppError, AppResult};

/// Store notifications from `who` about concern `id` for `users` (never
/// `who`, each once) inside the step's transaction.
async fn notifications<C: sea_orm::ConnectionTrait>(
    conn: &C,
    who: &AuthUser,
    users: &[i64],
    id: i64,
    text: &str,
) -> AppResult<Vec<notification::Model>> {
    let mut users = users.to_vec();
    users.sort_unstable();
    users.dedup();
    db::notifications::create_programme(
        conn,
        &users,
        NotificationKind::Concern,
        who.id,
        Subject::Concern(id),
        text,
    )
    .await
}

/// After commit: the notifications live, and `concern_changed` to every
/// reader of the concern.
async fn publish(
    state: &AppState,
    who: &AuthUser,
    c: &concern::Model,
    rows: &[notification::Model],
) -> AppResult<()> {
    for n in rows {
        let view = db::notifications::programme_view(n, &who.display_name);
        state
            .hub
            .send_to_users(&[n.user_id], &ServerMsg::Notification(view));
    }
    let readers = access::concern_readers(&state.db, c).await?;
    state
        .hub
        .send_to_users(&readers, &ServerMsg::ConcernChanged { concern_id: c.id });
    Ok(())
}

/// Raise a concern: stored with its deadline, handlers and the programme
/// team told at once.
pub async fn raise(
    state: &AppState,
    who: &AuthUser,
    req: &RaiseConcern,
) -> AppResult<concern::Model> {
    let (at_risk, what_happened) = validate::raise(req)?;
    let org = match req.organisation_id {
        Some(id) => Some(access::concern_organisation(&state.db, who, id).await?),
        None => None,
    };
    let source = access::concern_source(&state.db, who, req.message_id, req.post_id).await?;
    let org_id = org.as_ref().map(|o| o.id);
    let mut told = access::concern_handlers(&state.db, org_id).await?;
    told.extend(db::users::admin_ids(&state.db).await?);
    let now = Utc::now();

    let txn = db::begin_write(&state.db).await?;
    let created = db::concerns::create(
        &txn,
        &db::concerns::NewConcern {
            raised_by: who.id,
            organisation_id: org_id,
            priority: req.priority,
            at_risk: &at_risk,
            what_happened: &what_happened,
            message_id: req.message_id,
            post_id: req.post_id,
            context_text: source.as_ref().map(|s| s.text.as_str()),
            context_author_id: source.as_ref().map(|s| s.author_id),
            created_at: now,
            ack_due_at: rules::ack_due_at(req.priority, now),
        },
    )
    .await?;
    let detail = format!("concern {} ({})", created.id, req.priority.slug());
    audit::record(
        &txn,
        Entry::by(Event::SensitiveCreate, who.id, None, &detail),
    )
    .await?;
    let text = format!(
        "{}: a concern from {}",
        req.priority.label(),
        org.as_ref().map_or("no organisation", |o| o.name.as_str())
    );
    let rows = notifications(&txn, who, &told, created.id, &text).await?;
    txn.commit().await?;

    publish(state, who, &created, &rows).await?;
    Ok(created)
}

/// A handler or the programme team moves the concern on; its raiser is told.
pub async fn set_status(
    state: &AppState,
    who: &AuthUser,
    c: &concern::Model,
    req: &SetConcernStatus,
) -> AppResult<()> {
    let from = db::concerns::status_of(c);
    let to = req.status;
    let action = rules::step(from, to).map_err(AppError::conflict)?;
    let note = validate::note(
        &req.note,
        if to == ConcernStatus::Closed {
            "a note saying what was done, or why it is closed"
        } else {
            "a note saying what was done"
        },
        rules::needs_note(to),
    )?;
    let now = Utc::now();

    let txn = db::begin_write(&state.db).await?;
    if !db::concerns::move_to(&txn, c, to, now).await? {
        return Err(AppError::conflict(
            "Someone changed this concern a moment ago. Reload it to see where it stands.",
        ));
    }
    db::concerns::record(&txn, c.id, who.id, action, &note, now).await?;
    let detail = format!("concern {} {action}", c.id);
    audit::record(
        &txn,
        Entry::by(Event::SensitiveUpdate, who.id, None, &detail),
    )
    .await?;
    let text = if action == "reopened" {
        "Your safeguarding concern was reopened.".to_owned()
    } else {
        format!("Your safeguarding concern is now {action}.")
    };
    let rows = notifications(&txn, who, &[c.raised_by], c.id, &text).await?;
    txn.commit().await?;

    publish(state, who, c, &rows).await
}

/// Any reader adds to the history. A note from the raiser goes to the
/// handlers and the programme team; one from them goes to the raiser.
pub async fn add_note(
    state: &AppState,
    who: &AuthUser,
    c: &concern::Model,
    req: &AddConcernNote,
) -> AppResult<()> {
    let note = validate::note(&req.note, "a note", true)?;
    let (told, text) = if who.id == c.raised_by {
        let mut told = access::concern_handlers(&state.db, c.organisation_id).await?;
        told.extend(db::users::admin_ids(&state.db).await?);
        (
            told,
            "The person who raised a safeguarding concern added a note.",
        )
    } else {
        (
            vec![c.raised_by],
            "A note was added to your safeguarding concern.",
        )
    };
    let now = Utc::now();

    let txn = db::begin_write(&state.db).await?;
    db::concerns::record(&txn, c.id, who.id, "note", &note, now).await?;
    db::concerns::touch(&txn, c.id, now).await?;
    let detail = format!("concern {} note", c.id);
    audit::record(
        &txn,
        Entry::by(Event::SensitiveUpdate, who.id, None, &detail),
    )
    .await?;
    let rows = notifications(&txn, who, &told, c.id, text).await?;
    txn.commit().await?;

    publish(state, who, c, &rows).await
}

/// The concern as `who` sees it. The programme team reading a member's
/// message or post copied into a concern they neither raised nor handle is
/// a privileged read, and is audited.
pub async fn read(
    state: &AppState,
    who: &AuthUser,
    c: &concern::Model,
    role: ConcernRole,
) -> AppResult<ConcernView> {
    if role.admin && !role.raiser && !role.handler && c.context_text.is_some() {
        let detail = format!("concern {} context", c.id);
        audit::record(
            &state.db,
            Entry::by(Event::SensitiveRead, who.id, c.context_author_id, &detail),
        )
        .await?;
    }
    views::view(&state.db, c, role).await
}

/// The concerns `who` handles and those they raised, in the list order,
/// and the organisations they could raise one for.
pub async fn list(
    state: &AppState,
    who: &AuthUser,
    status: Option<ConcernStatus>,
) -> AppResult<ListConcernsResponse> {
    let now = Utc::now();
    let handled = if who.is_admin {
        db::concerns::list(&state.db, db::concerns::Scope::All, status).await?
    } else {
        let orgs = access::concern_organisations_handled(&state.db, who).await?;
        db::concerns::list(&state.db, db::concerns::Scope::Organisations(&orgs), status).await?
    };
    let raised =
        db::concerns::list(&state.db, db::concerns::Scope::RaisedBy(who.id), status).await?;
    Ok(ListConcernsResponse {
        handling: views::summaries(&state.db, &handled, now).await?,
        raised: views::summaries(&state.db, &raised, now).await?,
        organisations: db::organisations::of_user(&state.db, who.id)
            .await?
            .into_iter()
            .map(|(o, _)| OrgRef {
                id: o.id,
                name: o.name,
            })
            .collect(),
    })
}
