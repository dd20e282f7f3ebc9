//! The audit log through the real server: refusals by the access rules
//! (HTTP answers that read as not found, `forbidden` ones, and websocket
//! requests) become `authz_fail` entries naming who and what, never a
//! secret; only the programme team reads the log, filtered by event and
//! person.

use reqwest::StatusCode;
use shared::api::audit::ListAuditResponse;
use shared::ws::{ClientMsg, ServerMsg};

use crate::both;
use crate::harness::{Backend, PASSWORD, TestApp, error, json};

both!(
    refusals_are_recorded_with_who_and_what,
    the_programme_teams_changes_are_recorded,
    only_the_programme_team_reads_the_log_and_filters_are_checked,
);

async fn refusals_are_recorded_with_who_and_what(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin("Programme Team").await;
    let asha = app.user("Asha Patel").await;
    let ben = app.user("Ben Cole").await;
    let outsider = app.user("Nosy Parker").await;
    let room = app.direct_room(&asha, ben.id).await;

    // Someone else's room reads as not found, over HTTP and the socket …
    error(
        app.get(&format!("/api/rooms/{}/messages", room.id), Some(&outsider))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let mut ws = app.ws(&outsider).await;
    ws.send(&ClientMsg::Read {
        room_id: room.id,
        seq: 1,
    })
    .await;
    let refused = ws
        .next_matching(|m| matches!(m, ServerMsg::Error { .. }))
        .await;
    assert!(
        matches!(&refused, ServerMsg::Error { error, .. } if error.kind == shared::ErrorKind::NotFound),
        "{refused:?}"
    );
    // … and a step that is not theirs is forbidden.
    error(
        app.get("/api/admin/audit", Some(&outsider)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // Allowed requests leave no refusal behind.
    assert_eq!(
        app.get(&format!("/api/rooms/{}/messages", room.id), Some(&asha))
            .await
            .status(),
        StatusCode::OK
    );

    let log: ListAuditResponse = json(
        app.get("/api/admin/audit?event=authz_fail", Some(&admin))
            .await,
        StatusCode::OK,
    )
    .await;
    let mut seen: Vec<(i64, String)> = log
        .entries
        .iter()
        .map(|e| {
            assert_eq!(e.event, "authz_fail");
            (
                e.actor.as_ref().expect("an actor").id,
                e.detail.clone().unwrap_or_default(),
            )
        })
        .collect();
    seen.sort();
    let mut want = vec![
        (outsider.id, format!("GET /api/rooms/{}/messages", room.id)),
        (outsider.id, "ws read".to_owned()),
        (outsider.id, "GET /api/admin/audit".to_owned()),
    ];
    want.sort();
    assert_eq!(seen, want);
    assert_eq!(
        log.entries[0]
            .actor
            .as_ref()
            .map(|a| a.display_name.as_str()),
        Some("Nosy Parker")
    );
}

async fn only_the_programme_team_reads_the_log_and_filters_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin("Programme Team").await;
    let asha = app.user("Asha Patel").await;
    error(
        app.get("/api/admin/audit", None).await,
        StatusCode::UNAUTHORIZED,
        "unauthenticated",
    )
    .await;
    error(
        app.get("/api/admin/audit", Some(&asha)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let bad = error(
        app.get("/api/admin/audit?event=everything", Some(&admin))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(bad.field.as_deref(), Some("event"));

    // Logging in is recorded; the filters narrow to one person's.
    let by_subject: ListAuditResponse = json(
        app.get(
            &format!(
                "/api/admin/audit?event=authn_login_success&subject_id={}",
                asha.id
            ),
            Some(&admin),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(by_subject.entries.is_empty(), "registering is not a log-in");
    let again = app.log_in(&asha.email, PASSWORD).await;
    assert_eq!(again.id, asha.id);
    let by_subject: ListAuditResponse = json(
        app.get(
            &format!(
                "/api/admin/audit?event=authn_login_success&subject_id={}",
                asha.id
            ),
            Some(&admin),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(by_subject.entries.len(), 1);
    assert_eq!(
        by_subject.entries[0].subject.as_ref().map(|s| s.id),
        Some(asha.id)
    );
    assert!(by_subject.entries[0].ip.is_some());
    assert!(!by_subject.has_more);
}

async fn the_programme_teams_changes_are_recorded(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin("Programme Team").await;
    let lead = app.user("Lena Hart").await;
    let org = app
        .organisation(&lead, "Harbour Hope", "Plymouth", &[])
        .await;
    app.approve_organisation(&admin, org.id).await;
    let steps = |actor: i64| {
        let app = &app;
        let admin = &admin;
        async move {
            let log: ListAuditResponse = json(
                app.get(
                    &format!("/api/admin/audit?event=authz_admin&actor_id={actor}"),
                    Some(admin),
                )
                .await,
                StatusCode::OK,
            )
            .await;
            log.entries
                .into_iter()
                .map(|e| e.detail.unwrap_or_default())
                .collect::<Vec<_>>()
        }
    };
    // The decision is recorded by its step; reading the log is not a change.
    assert_eq!(
        steps(admin.id).await,
        [format!("POST /api/organisations/{}/decision", org.id)]
    );
    // A member's own changes are not privileged steps.
    assert!(steps(lead.id).await.is_empty());
}
