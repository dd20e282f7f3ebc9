//! The audit log, for the programme team: security events newest first
//! (log-ins and failed ones, sessions ended, two-factor changes, refusals,
//! the team's own steps, sensitive records read), filtered by event, by who
//! acted and by whom it was about. The filters live in the address
//! (`/admin/audit?event=authn_login_fail&subject_id=12`), so a view can be
//! bookmarked or shared within the team; "Older entries" pages back.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::audit::{AUDIT_EVENTS, AuditEntryView, ListAudit};
use shared::api::users::UserSummary;
use shared::{ApiError, ErrorKind};

use crate::api::account;
use crate::app::{set_page_title, use_session};
use crate::components::admin_only::AdminOnly;
use crate::components::form_errors::{FormErrors, focus_later};
use crate::components::message_item::format_time;
use crate::components::retry_notice::RetryNotice;
use crate::components::two_factor_banner::TwoFactorNeeded;

/// Each event in words, for the filter and the table.
const EVENT_LABELS: [(&str, &str); 13] = [
    ("authn_login_success", "Logged in"),
    ("authn_login_fail", "Failed log-in"),
    (
        "authn_login_lock",
        "Log-ins refused after too many failures",
    ),
    ("authn_token_revoked", "Session ended"),
    (
        "authn_mfa_enabled",
        "Two-factor turned on, or recovery codes replaced",
    ),
    ("authn_mfa_disabled", "Two-factor turned off"),
    ("authn_recovery_code_used", "Recovery code used"),
    ("authz_fail", "Access refused"),
    ("authz_admin", "Programme team step"),
    ("sensitive_read", "Sensitive record read"),
    ("sensitive_create", "Sensitive record created"),
    ("sensitive_update", "Sensitive record changed"),
    ("user_deleted", "Account deleted"),
];

fn event_label(event: &str) -> &str {
    EVENT_LABELS
        .iter()
        .find(|(name, _)| *name == event)
        .map_or(event, |(_, label)| label)
}

/// What the address asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Filter {
    event: Option<String>,
    actor: Option<i64>,
    subject: Option<i64>,
}

impl Filter {
    fn path(&self) -> String {
        let mut parts = Vec::new();
        if let Some(event) = &self.event {
            parts.push(format!("event={event}"));
        }
        if let Some(id) = self.actor {
            parts.push(format!("actor_id={id}"));
        }
        if let Some(id) = self.subject {
            parts.push(format!("subject_id={id}"));
        }
        if parts.is_empty() {
            "/admin/audit".to_owned()
        } else {
            format!("/admin/audit?{}", parts.join("&"))
        }
    }

    fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A person's number as typed: empty is "anyone".
fn parse_id(typed: &str) -> Result<Option<i64>, ()> {
    let typed = typed.trim().trim_start_matches('#');
    if typed.is_empty() {
        return Ok(None);
    }
    match typed.parse::<i64>() {
        Ok(n) if n > 0 => Ok(Some(n)),
        _ => Err(()),
    }
}

#[derive(Clone, Debug, PartialEq)]
enum LogLoad {
    Loading,
    Ready,
    Failed(ApiError),
}

#[derive(Clone, Debug, PartialEq)]
enum More {
    Idle,
    Loading,
    Failed(String),
}

#[component]
pub fn AuditPage() -> impl IntoView {
    set_page_title("Audit log");
    view! {
        <main id="main" class="page audit-page">
            <h1 id="audit-heading" tabindex="-1">
                "Audit log"
            </h1>
            <AdminOnly>
                <AuditLog />
            </AdminOnly>
        </main>
    }
}

/// A person and their number; `nobody` when the entry names no one (a
/// log-in is done by nobody signed in yet, and is about the account).
fn person(who: Option<UserSummary>, nobody: &'static str) -> AnyView {
    match who {
        Some(p) => view! {
            <span class="audit-person">{p.display_name}</span>
            " "
            <span class="muted audit-person-id">{format!("#{}", p.id)}</span>
        }
        .into_any(),
        None => view! { <span class="muted">{nobody}</span> }.into_any(),
    }
}

fn entry_row(e: AuditEntryView) -> impl IntoView {
    let at = format_time(&e.at);
    let at_iso = e.at.to_rfc3339();
    let label = event_label(&e.event).to_owned();
    view! {
        <tr class="audit-row" data-audit-id=e.id>
            <td class="audit-time">
                <time datetime=at_iso>{at}</time>
            </td>
            <td class="audit-event">
                {label}
                <br />
                <code class="audit-event-name">{e.event}</code>
            </td>
            <td class="audit-actor">{person(e.actor, "Not signed in")}</td>
            <td class="audit-subject">{person(e.subject, "No one")}</td>
            <td class="audit-ip">
                {match e.ip {
                    Some(ip) => view! { <span>{ip}</span> }.into_any(),
                    None => view! { <span class="muted">"Not recorded"</span> }.into_any(),
                }}
            </td>
            <td class="audit-detail">{e.detail.unwrap_or_default()}</td>
        </tr>
    }
}

#[component]
fn AuditLog() -> impl IntoView {
    let session = use_session();
    let query = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let filter = Memo::new(move |_| {
        let q = query.read();
        Filter {
            event: q
                .get("event")
                .filter(|e| AUDIT_EVENTS.contains(&e.as_str())),
            actor: q.get("actor_id").and_then(|v| parse_id(&v).ok().flatten()),
            subject: q
                .get("subject_id")
                .and_then(|v| parse_id(&v).ok().flatten()),
        }
    });

    // The form, as typed until "Show entries"; it follows the address.
    let event = RwSignal::new(String::new());
    let actor = RwSignal::new(String::new());
    let subject = RwSignal::new(String::new());
    let form_errors = RwSignal::new(FormErrors::default());
    Effect::new(move |_| {
        let f = filter.get();
        event.set(f.event.unwrap_or_default());
        actor.set(f.actor.map(|n| n.to_string()).unwrap_or_default());
        subject.set(f.subject.map(|n| n.to_string()).unwrap_or_default());
        form_errors.set(FormErrors::default());
    });

    let entries = RwSignal::new(Vec::<AuditEntryView>::new());
    let has_more = RwSignal::new(false);
    let load = RwSignal::new(LogLoad::Loading);
    let more = RwSignal::new(More::Idle);
    let status = RwSignal::new(None::<String>);
    // Answers can come back after the filter changed: only the newest counts.
    let latest = StoredValue::new(0u64);

    let fetch = move |before: Option<i64>| {
        let Some(ticket) = latest.try_update_value(|n| {
            *n += 1;
            *n
        }) else {
            return;
        };
        let f = filter.get_untracked();
        if before.is_none() {
            load.set(LogLoad::Loading);
            entries.set(Vec::new());
            has_more.set(false);
            more.set(More::Idle);
        } else {
            more.set(More::Loading);
        }
        spawn_local(async move {
            let request = ListAudit {
                event: f.event,
                actor_id: f.actor,
                subject_id: f.subject,
                before_id: before,
            };
            let result = account::list_audit(&request).await;
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            match result {
                Ok(page) => {
                    let added = page.entries.len();
                    let _ = entries.try_update(|list| list.extend(page.entries));
                    let _ = has_more.try_set(page.has_more);
                    if before.is_none() {
                        let _ = load.try_set(LogLoad::Ready);
                    } else {
                        let _ = more.try_set(More::Idle);
                        let sentence = match added {
                            1 => "1 older entry added to the table.".to_owned(),
                            n => format!("{n} older entries added to the table."),
                        };
                        let _ = status.try_set(Some(sentence));
                    }
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    if before.is_none() {
                        let _ = load.try_set(LogLoad::Failed(e));
                    } else {
                        let _ = more.try_set(More::Failed(format!(
                            "Could not load older entries. {}",
                            e.message
                        )));
                    }
                }
            }
        });
    };
    Effect::new(move |_| {
        filter.track();
        status.set(None);
        fetch(None);
    });

    let go_to = move |next: Filter| {
        if next == filter.get_untracked() {
            // The same view again: read it afresh.
            status.set(None);
            fetch(None);
            return;
        }
        let options = NavigateOptions {
            scroll: false,
            ..Default::default()
        };
        navigate.with_value(|navigate| navigate(&next.path(), options));
    };

    let apply = move |ev: SubmitEvent| {
        ev.prevent_default();
        let mut found = FormErrors::default();
        let wrong = "Enter a person's number, such as 12, or leave it empty for anyone.";
        let actor_id = parse_id(&actor.get_untracked()).unwrap_or_else(|()| {
            found.field("actor_id", wrong);
            None
        });
        let subject_id = parse_id(&subject.get_untracked()).unwrap_or_else(|()| {
            found.field("subject_id", wrong);
            None
        });
        if !found.is_empty() {
            focus_later(
                found.focus_target(&[("actor_id", "audit-actor"), ("subject_id", "audit-subject")]),
            );
            form_errors.set(found);
            return;
        }
        form_errors.set(FormErrors::default());
        let chosen = event.get_untracked();
        go_to(Filter {
            event: AUDIT_EVENTS.contains(&chosen.as_str()).then_some(chosen),
            actor: actor_id,
            subject: subject_id,
        });
    };

    let field_error = move |name: &'static str| {
        Signal::derive(move || form_errors.with(|e| e.fields.get(name).cloned()))
    };

    let options = EVENT_LABELS
        .iter()
        .map(|(name, label)| {
            let name = *name;
            view! {
                <option value=name prop:selected=move || event.with(|e| e == name)>
                    {format!("{label} ({name})")}
                </option>
            }
        })
        .collect_view();

    let summary = move || {
        let n = entries.with(Vec::len);
        let filtered = !filter.with(Filter::is_empty);
        match (n, filtered) {
            (0, true) => "No entries match these filters.".to_owned(),
            (0, false) => "The audit log is empty.".to_owned(),
            (1, _) => "1 entry, newest first.".to_owned(),
            (n, _) if has_more.get() => {
                format!("{n} entries shown, newest first. There are older ones.")
            }
            (n, _) => format!("{n} entries, newest first."),
        }
    };

    view! {
        <p>
            "Security events on the platform: log-ins and failed attempts, sessions ended, two-factor changes, access refused, the programme team's steps and sensitive records read. It never holds a password, a code or what anyone wrote."
        </p>
        <form
            id="audit-filter"
            class="audit-filter"
            role="search"
            aria-label="Filter the audit log"
            novalidate
            on:submit=apply
        >
            <div class="field">
                <label for="audit-event">"Event"</label>
                <select
                    id="audit-event"
                    name="event"
                    on:change=move |ev| event.set(event_target_value(&ev))
                >
                    <option value="" prop:selected=move || event.with(String::is_empty)>
                        "Any event"
                    </option>
                    {options}
                </select>
            </div>
            <IdField
                id="audit-actor"
                label="Who acted (person's number)"
                value=actor
                error=field_error("actor_id")
            />
            <IdField
                id="audit-subject"
                label="About whom (person's number)"
                value=subject
                error=field_error("subject_id")
            />
            <p class="hint audit-filter-hint" id="audit-id-hint">
                "A person's number is shown after their name in the table, like #12."
            </p>
            <div class="inline-actions audit-filter-actions">
                <button type="submit" id="audit-apply" class="button primary">
                    "Show entries"
                </button>
                <Show when=move || !filter.with(Filter::is_empty)>
                    <a href="/admin/audit" id="audit-clear" class="button secondary">
                        "Clear filters"
                    </a>
                </Show>
            </div>
        </form>
        <p id="audit-status" class="form-status" role="status">
            {move || status.get()}
        </p>
        {move || match load.get() {
            LogLoad::Loading => {
                view! { <p class="muted" role="status">"Loading the audit log…"</p> }.into_any()
            }
            LogLoad::Failed(e) if e.kind == ErrorKind::TwoFactorSetupRequired => {
                view! { <TwoFactorNeeded /> }.into_any()
            }
            LogLoad::Failed(e) if e.kind == ErrorKind::Forbidden => {
                view! {
                    <p class="notice" id="audit-forbidden">
                        "The audit log is for the programme team. "
                        <a href="/programme">"Go to your programme page"</a>
                    </p>
                }
                    .into_any()
            }
            LogLoad::Failed(e) => {
                view! { <RetryNotice message=e.message on_retry=Callback::new(move |()| fetch(None)) /> }
                    .into_any()
            }
            LogLoad::Ready => view! { <p id="audit-count" class="muted">{summary}</p> }.into_any(),
        }}
        <Show when=move || !entries.with(Vec::is_empty)>
            <div class="table-scroll" role="region" aria-labelledby="audit-caption" tabindex="0">
                <table id="audit-table" class="audit-table">
                    <caption id="audit-caption" class="visually-hidden">
                        "Audit log entries, newest first"
                    </caption>
                    <thead>
                        <tr>
                            <th scope="col">"Time"</th>
                            <th scope="col">"Event"</th>
                            <th scope="col">"Who"</th>
                            <th scope="col">"About whom"</th>
                            <th scope="col">"Address"</th>
                            <th scope="col">"Detail"</th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || entries.get() key=|e| e.id children=entry_row />
                    </tbody>
                </table>
            </div>
        </Show>
        <Show when=move || has_more.get() && load.with(|l| *l == LogLoad::Ready)>
            <p class="audit-more">
                <button
                    type="button"
                    id="audit-older"
                    class="button secondary"
                    aria-busy=move || more.with(|m| *m == More::Loading).then_some("true")
                    on:click=move |_| {
                        if more.with_untracked(|m| *m == More::Loading) {
                            return;
                        }
                        let last = entries.with_untracked(|list| list.last().map(|e| e.id));
                        status.set(None);
                        fetch(last);
                    }
                >
                    "Older entries"
                </button>
            </p>
        </Show>
        <div id="audit-more-error" class="form-error" role="alert">
            {move || match more.get() {
                More::Failed(m) => Some(view! { <p>{m}</p> }),
                _ => None,
            }}
        </div>
    }
}

/// A person's number, or empty for anyone.
#[component]
fn IdField(
    id: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let described_by = {
        let error_id = error_id.clone();
        move || {
            if error.with(Option::is_some) {
                format!("audit-id-hint {error_id}")
            } else {
                "audit-id-hint".to_owned()
            }
        }
    };
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for=id>{label}</label>
            <input
                id=id
                name=id
                type="text"
                inputmode="numeric"
                autocomplete="off"
                spellcheck="false"
                class="id-input"
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
