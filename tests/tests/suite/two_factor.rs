//! Two-factor sign-in through the real server on both databases: setting up
//! an authenticator app (codes computed here from the secret, as the app
//! would), signing in with a code or a recovery code (each good once),
//! replacing the recovery codes, turning it off with the password and a
//! code, the programme team who cannot, and the team's steps refused until
//! they set it up where the server requires it (the shipped default). The
//! audit log records each step and never a secret or a code.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::StatusCode;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use server::Config;
use server::auth::totp;
use server::db::entities::{audit_event, user};
use shared::api::auth::{Login, MeResponse};
use shared::api::two_factor::{DisableTotp, EnableTotp, RecoveryCodes, TotpSetup};

use crate::both;
use crate::harness::{Backend, PASSWORD, TestApp, TestUser, error, json, session_cookie};

both!(
    setting_up_and_signing_in_with_codes,
    turning_it_off_needs_the_password_and_a_code,
    the_programme_team_sets_it_up_before_team_steps,
    an_admin_cannot_turn_it_off_even_where_it_is_not_required,
);

/// Seconds since the epoch, after making sure at least two seconds of the
/// current 30-second step remain, so a code computed now is checked by the
/// server in the same step (its one step of drift either way is what the
/// previous- and next-step codes below rely on).
async fn now() -> u64 {
    loop {
        let t = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        if t % totp::STEP_SECONDS < totp::STEP_SECONDS - 2 {
            return t;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// What the authenticator app shows `steps` steps from now (-1, 0 or 1).
async fn code(secret: &str, steps: i64) -> String {
    let t = now().await;
    let at = t.checked_add_signed(steps * 30).expect("a time after 1970");
    totp::code_at(secret, at).expect("a valid secret")
}

/// A six-digit code that is none of the three the server would accept now.
async fn wrong_code(secret: &str) -> String {
    let mut right = Vec::new();
    for steps in -1..=1 {
        right.push(code(secret, steps).await);
    }
    (0..1_000_000u32)
        .map(|n| format!("{n:06}"))
        .find(|c| !right.contains(c))
        .expect("a wrong code exists")
}

async fn me(app: &TestApp, who: &TestUser) -> MeResponse {
    json(app.get("/api/me", Some(who)).await, StatusCode::OK).await
}

fn login(email: &str, password: &str, code: Option<&str>) -> Login {
    Login {
        email: email.into(),
        password: password.into(),
        code: code.map(str::to_owned),
    }
}

/// Set up and turn on two-factor for `who` with the previous step's code
/// (so this step's and the next one's are still unused); the secret and
/// the recovery codes.
async fn turn_on(app: &TestApp, who: &TestUser) -> (String, Vec<String>) {
    let setup: TotpSetup = json(
        app.post(
            "/api/me/two-factor/setup",
            Some(who),
            &serde_json::json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let first = code(&setup.secret, -1).await;
    let codes: RecoveryCodes = json(
        app.post(
            "/api/me/two-factor/enable",
            Some(who),
            &EnableTotp { code: first },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    (setup.secret, codes.codes)
}

/// As if the failed log-ins about `subject` were an hour old (past the
/// throttle's window).
async fn age_failures(app: &TestApp, subject: i64) {
    audit_event::Entity::update_many()
        .col_expr(
            audit_event::Column::At,
            Expr::value(chrono::Utc::now() - chrono::Duration::hours(1)),
        )
        .filter(audit_event::Column::SubjectId.eq(subject))
        .filter(audit_event::Column::Event.eq("authn_login_fail"))
        .exec(&app.state.db)
        .await
        .expect("age the failures");
}

async fn audit_rows(app: &TestApp) -> Vec<audit_event::Model> {
    audit_event::Entity::find()
        .all(&app.state.db)
        .await
        .expect("audit rows")
}

async fn events_about(app: &TestApp, subject: i64, event: &str) -> Vec<audit_event::Model> {
    audit_rows(app)
        .await
        .into_iter()
        .filter(|r| r.subject_id == Some(subject) && r.event == event)
        .collect()
}

/// No audit entry holds any of `secrets` (in any case, with or without the
/// dashes of a recovery code).
async fn audit_keeps_no_secret(app: &TestApp, secrets: &[String]) {
    for row in audit_rows(app).await {
        let text = format!("{:?} {:?}", row.detail, row.ip).to_lowercase();
        for secret in secrets {
            let plain = secret.to_lowercase().replace('-', "");
            assert!(
                !text.contains(&secret.to_lowercase()) && !text.contains(&plain),
                "audit row {row:?} holds a secret"
            );
        }
    }
}

async fn setting_up_and_signing_in_with_codes(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ana = app.user("Ana Silva").await;
    let before = me(&app, &ana).await;
    assert!(!before.two_factor && !before.two_factor_required);

    // Turning on needs a set-up first.
    error(
        app.post(
            "/api/me/two-factor/enable",
            Some(&ana),
            &EnableTotp {
                code: "123456".into(),
            },
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // The set-up gives a 160-bit base32 secret and an otpauth address …
    let setup: TotpSetup = json(
        app.post(
            "/api/me/two-factor/setup",
            Some(&ana),
            &serde_json::json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(setup.secret.len(), 32);
    assert!(
        setup.otpauth_uri.starts_with("otpauth://totp/")
            && setup
                .otpauth_uri
                .contains(&format!("secret={}", setup.secret)),
        "{}",
        setup.otpauth_uri
    );
    // … that is pending: signing in still needs no code.
    assert!(!me(&app, &ana).await.two_factor);
    app.log_in(&ana.email, PASSWORD).await;

    // A wrong code does not turn it on.
    let wrong = wrong_code(&setup.secret).await;
    let refused = error(
        app.post(
            "/api/me/two-factor/enable",
            Some(&ana),
            &EnableTotp {
                code: wrong.clone(),
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(refused.field.as_deref(), Some("code"));

    // The right one does, and shows ten recovery codes once.
    let first = code(&setup.secret, -1).await;
    let codes: RecoveryCodes = json(
        app.post(
            "/api/me/two-factor/enable",
            Some(&ana),
            &EnableTotp {
                code: first.clone(),
            },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    let codes = codes.codes;
    assert_eq!(codes.len(), 10);
    for c in &codes {
        let groups: Vec<&str> = c.split('-').collect();
        assert!(
            groups.len() == 3
                && groups.iter().all(|g| g.len() == 4
                    && g.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "recovery code {c}"
        );
    }
    assert!(me(&app, &ana).await.two_factor);
    assert_eq!(
        events_about(&app, ana.id, "authn_mfa_enabled").await.len(),
        1
    );
    // Only their hashes are stored.
    let stored = server::db::users::unused_recovery_codes(&app.state.db, ana.id)
        .await
        .expect("count");
    assert_eq!(stored, 10);
    // A second set-up is refused while it is on.
    error(
        app.post(
            "/api/me/two-factor/setup",
            Some(&ana),
            &serde_json::json!({}),
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // The password alone is not enough: no session, nothing counted.
    let fails_before = events_about(&app, ana.id, "authn_login_fail").await.len();
    let successes_before = events_about(&app, ana.id, "authn_login_success")
        .await
        .len();
    let res = app
        .post("/api/auth/login", None, &login(&ana.email, PASSWORD, None))
        .await;
    assert!(session_cookie(&res).is_none(), "no session without a code");
    error(res, StatusCode::UNAUTHORIZED, "two_factor_required").await;
    assert_eq!(
        events_about(&app, ana.id, "authn_login_fail").await.len(),
        fails_before
    );
    // A wrong password with a code is still just a wrong password.
    let now_code = code(&setup.secret, 0).await;
    error(
        app.post(
            "/api/auth/login",
            None,
            &login(&ana.email, "not the password at all", Some(&now_code)),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;

    // A wrong code is a failed log-in.
    let res = app
        .post(
            "/api/auth/login",
            None,
            &login(&ana.email, PASSWORD, Some(&wrong)),
        )
        .await;
    assert!(session_cookie(&res).is_none());
    let refused = error(res, StatusCode::UNAUTHORIZED, "invalid_credentials").await;
    assert_eq!(refused.field.as_deref(), Some("code"));
    let fails = events_about(&app, ana.id, "authn_login_fail").await;
    assert_eq!(fails.len(), fails_before + 2);
    assert!(
        fails
            .iter()
            .any(|r| r.detail.as_deref() == Some("wrong two-factor code")),
        "{fails:?}"
    );

    // The code the app shows now signs in …
    let res = app
        .post(
            "/api/auth/login",
            None,
            &login(&ana.email, PASSWORD, Some(&now_code)),
        )
        .await;
    assert!(session_cookie(&res).is_some());
    let signed_in: MeResponse = json(res, StatusCode::OK).await;
    assert!(signed_in.two_factor);
    assert_eq!(
        events_about(&app, ana.id, "authn_login_success")
            .await
            .len(),
        successes_before + 1
    );
    // … once: the same code again is refused, and so is the earlier one.
    for used in [&now_code, &first] {
        error(
            app.post(
                "/api/auth/login",
                None,
                &login(&ana.email, PASSWORD, Some(used)),
            )
            .await,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
        )
        .await;
    }

    // A recovery code signs in once, however it is typed.
    let typed = codes[0].to_uppercase().replace('-', " ");
    let res = app
        .post(
            "/api/auth/login",
            None,
            &login(&ana.email, PASSWORD, Some(&typed)),
        )
        .await;
    assert!(session_cookie(&res).is_some());
    let _: MeResponse = json(res, StatusCode::OK).await;
    let used = events_about(&app, ana.id, "authn_recovery_code_used").await;
    assert_eq!(used.len(), 1);
    assert_eq!(
        used[0].detail.as_deref(),
        Some("signed in with a recovery code; 9 left")
    );
    error(
        app.post(
            "/api/auth/login",
            None,
            &login(&ana.email, PASSWORD, Some(&codes[0])),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;

    // That was the fifth failure in 15 minutes (a wrong password, a wrong
    // code, two used codes, a used recovery code): the throttle now holds
    // the account, whatever code comes.
    error(
        app.post(
            "/api/auth/login",
            None,
            &login(&ana.email, PASSWORD, Some(&codes[1])),
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limited",
    )
    .await;
    age_failures(&app, ana.id).await;

    // New recovery codes need a current code (a recovery code will not do);
    // the old ones stop working.
    error(
        app.post(
            "/api/me/two-factor/recovery-codes",
            Some(&ana),
            &EnableTotp {
                code: codes[1].clone(),
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let next = code(&setup.secret, 1).await;
    let fresh: RecoveryCodes = json(
        app.post(
            "/api/me/two-factor/recovery-codes",
            Some(&ana),
            &EnableTotp { code: next.clone() },
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(fresh.codes.len(), 10);
    assert!(fresh.codes.iter().all(|c| !codes.contains(c)));
    let replaced = events_about(&app, ana.id, "authn_mfa_enabled").await;
    assert_eq!(replaced.len(), 2);
    assert!(
        replaced
            .iter()
            .any(|r| r.detail.as_deref() == Some("recovery codes replaced"))
    );
    error(
        app.post(
            "/api/auth/login",
            None,
            &login(&ana.email, PASSWORD, Some(&codes[1])),
        )
        .await,
        StatusCode::UNAUTHORIZED,
        "invalid_credentials",
    )
    .await;
    let _: MeResponse = json(
        app.post(
            "/api/auth/login",
            None,
            &login(&ana.email, PASSWORD, Some(&fresh.codes[0])),
        )
        .await,
        StatusCode::OK,
    )
    .await;

    let mut secrets = vec![setup.secret.clone(), first, now_code, next, wrong];
    secrets.extend(codes);
    secrets.extend(fresh.codes);
    audit_keeps_no_secret(&app, &secrets).await;
}

async fn turning_it_off_needs_the_password_and_a_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ben = app.user("Ben Okafor").await;
    // Nothing to turn off yet.
    error(
        app.post(
            "/api/me/two-factor/disable",
            Some(&ben),
            &DisableTotp {
                password: PASSWORD.into(),
                code: "123456".into(),
            },
        )
        .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let (secret, codes) = turn_on(&app, &ben).await;
    let wrong = wrong_code(&secret).await;

    // A wrong password, or a wrong code, is refused by field and counted.
    let now_code = code(&secret, 0).await;
    let refused = error(
        app.post(
            "/api/me/two-factor/disable",
            Some(&ben),
            &DisableTotp {
                password: "not the password at all".into(),
                code: now_code.clone(),
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(refused.field.as_deref(), Some("password"));
    let refused = error(
        app.post(
            "/api/me/two-factor/disable",
            Some(&ben),
            &DisableTotp {
                password: PASSWORD.into(),
                code: wrong.clone(),
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(refused.field.as_deref(), Some("code"));
    let refused = error(
        app.post(
            "/api/me/two-factor/recovery-codes",
            Some(&ben),
            &EnableTotp {
                code: wrong.clone(),
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    assert_eq!(refused.field.as_deref(), Some("code"));
    assert_eq!(
        events_about(&app, ben.id, "authn_login_fail").await.len(),
        3
    );
    assert!(me(&app, &ben).await.two_factor, "still on");

    // The password and the current code turn it off: no code at sign-in,
    // no secret, no recovery codes.
    let res = app
        .post(
            "/api/me/two-factor/disable",
            Some(&ben),
            &DisableTotp {
                password: PASSWORD.into(),
                code: now_code.clone(),
            },
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    let off = events_about(&app, ben.id, "authn_mfa_disabled").await;
    assert_eq!(off.len(), 1);
    assert_eq!(off[0].actor_id, Some(ben.id));
    assert!(!me(&app, &ben).await.two_factor);
    let row = user::Entity::find_by_id(ben.id)
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("ben");
    assert!(row.totp_secret.is_none() && row.totp_enabled_at.is_none());
    assert_eq!(
        server::db::users::unused_recovery_codes(&app.state.db, ben.id)
            .await
            .expect("count"),
        0
    );
    app.log_in(&ben.email, PASSWORD).await;

    // Who lost their phone turns it off with a recovery code instead, after
    // setting it up again (a new secret: the old codes are gone).
    let (second_secret, second_codes) = turn_on(&app, &ben).await;
    assert_ne!(second_secret, secret);
    assert!(second_codes.iter().all(|c| !codes.contains(c)));
    error(
        app.post(
            "/api/me/two-factor/disable",
            Some(&ben),
            &DisableTotp {
                password: PASSWORD.into(),
                code: codes[0].clone(),
            },
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation",
    )
    .await;
    let res = app
        .post(
            "/api/me/two-factor/disable",
            Some(&ben),
            &DisableTotp {
                password: PASSWORD.into(),
                code: second_codes[3].clone(),
            },
        )
        .await;
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        events_about(&app, ben.id, "authn_recovery_code_used")
            .await
            .len(),
        1
    );
    assert_eq!(
        events_about(&app, ben.id, "authn_mfa_disabled").await.len(),
        2
    );

    let mut secrets = vec![secret, second_secret, now_code, wrong];
    secrets.extend(codes);
    secrets.extend(second_codes);
    audit_keeps_no_secret(&app, &secrets).await;
}

async fn the_programme_team_sets_it_up_before_team_steps(backend: Backend) {
    // The harness lifts the requirement for the other tests; this one
    // restores the shipped default.
    let app = TestApp::spawn_with(backend, |config| {
        config.admin_two_factor_required = true;
    })
    .await;
    let lead = app.admin("Programme Lead").await;
    let member = app.user("Plain Member").await;

    // On the team, but without two-factor: told so, and refused team steps.
    let before = me(&app, &lead).await;
    assert!(before.is_admin && before.two_factor_required && !before.two_factor);
    for path in [
        "/api/admin/audit",
        "/api/organisations?status=pending",
        "/api/programme/dashboard",
    ] {
        error(
            app.get(path, Some(&lead)).await,
            StatusCode::FORBIDDEN,
            "two_factor_setup_required",
        )
        .await;
    }
    // Every other team power is held back too (moderation's own gate).
    assert_eq!(
        app.get("/api/moderation/reports", Some(&lead))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let refusals = audit_rows(&app)
        .await
        .into_iter()
        .filter(|r| r.event == "authz_fail" && r.actor_id == Some(lead.id))
        .count();
    assert!(refusals >= 3, "refusals are audited: {refusals}");
    // Someone not on the team is simply forbidden, as before.
    error(
        app.get("/api/admin/audit", Some(&member)).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert!(!me(&app, &member).await.two_factor_required);

    // The set-up is open to them; once it is on, the same session passes.
    let (secret, codes) = turn_on(&app, &lead).await;
    let after = me(&app, &lead).await;
    assert!(after.is_admin && after.two_factor && !after.two_factor_required);
    for path in [
        "/api/admin/audit",
        "/api/organisations?status=pending",
        "/api/programme/dashboard",
        "/api/moderation/reports",
    ] {
        let res = app.get(path, Some(&lead)).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
    }
    // A new sign-in needs the code.
    error(
        app.post("/api/auth/login", None, &login(&lead.email, PASSWORD, None))
            .await,
        StatusCode::UNAUTHORIZED,
        "two_factor_required",
    )
    .await;
    let now_code = code(&secret, 0).await;
    let signed_in: MeResponse = json(
        app.post(
            "/api/auth/login",
            None,
            &login(&lead.email, PASSWORD, Some(&now_code)),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert!(signed_in.is_admin && signed_in.two_factor && !signed_in.two_factor_required);

    // The programme team cannot turn it off, with every proof in hand.
    let next = code(&secret, 1).await;
    error(
        app.post(
            "/api/me/two-factor/disable",
            Some(&lead),
            &DisableTotp {
                password: PASSWORD.into(),
                code: next.clone(),
            },
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert!(me(&app, &lead).await.two_factor);
    assert!(
        events_about(&app, lead.id, "authn_mfa_disabled")
            .await
            .is_empty()
    );

    let mut secrets = vec![secret, now_code, next];
    secrets.extend(codes);
    audit_keeps_no_secret(&app, &secrets).await;
}

async fn an_admin_cannot_turn_it_off_even_where_it_is_not_required(backend: Backend) {
    // The harness's servers do not require it; the refusal holds anyway.
    let app = TestApp::spawn(backend).await;
    assert!(!app.state.config.admin_two_factor_required);
    let lead = app.admin("Relaxed Lead").await;
    let (secret, _) = turn_on(&app, &lead).await;
    error(
        app.post(
            "/api/me/two-factor/disable",
            Some(&lead),
            &DisableTotp {
                password: PASSWORD.into(),
                code: code(&secret, 0).await,
            },
        )
        .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
}

#[test]
fn the_shipped_default_requires_it_of_the_programme_team() {
    assert!(Config::default().admin_two_factor_required);
    // From this process's environment too, unless someone set it here.
    if std::env::var_os("APP_ADMIN_TWO_FACTOR_REQUIRED").is_none() {
        let loaded = Config::load(None).expect("config from the environment");
        assert!(loaded.admin_two_factor_required);
    }
}
