//! The admin matching console: the whole-programme plan with its explanations.
//!
//! The server plans a mentor for every waiting organisation at once, within
//! every mentor's places; nothing reaches a mentor until the team proposes,
//! one row at a time or all together.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::mentorships::CreateMentorship;
use shared::api::programme::{PlannedMatch, ProgrammePlan, Unmatched};
use shared::{ApiError, MentorshipId, OrganisationId, UserId};

use crate::api;
use crate::app::{Session, set_page_title, use_session};
use crate::components::admin_only::AdminOnly;
use crate::components::factor_list::{FactorList, FactorScoreLine, points};
use crate::components::form_errors::focus_later;
use crate::components::retry_notice::RetryNotice;

#[derive(Clone, Debug, PartialEq)]
enum Row {
    Sending,
    Proposed(MentorshipId),
    Failed(String),
}

type Rows = RwSignal<HashMap<OrganisationId, Row>>;

#[component]
pub fn MatchingPage() -> impl IntoView {
    set_page_title("Matching");
    view! {
        <main id="main" class="page programme-page">
            <h1>"Matching"</h1>
            <AdminOnly>
                <MatchingConsole />
            </AdminOnly>
        </main>
    }
}

/// Proposes one planned match; the row's state says how it went.
async fn propose(
    session: Session,
    rows: Rows,
    organisation_id: OrganisationId,
    mentor_id: UserId,
) -> bool {
    let _ = rows.try_update(|r| {
        r.insert(organisation_id, Row::Sending);
    });
    let body = CreateMentorship {
        organisation_id,
        mentor_id,
        note: None,
    };
    let (row, ok) = match api::create_mentorship(&body).await {
        Ok(m) => (Row::Proposed(m.id), true),
        Err(e) => {
            session.auth.check(&e);
            (Row::Failed(e.message), false)
        }
    };
    let _ = rows.try_update(|r| {
        r.insert(organisation_id, row);
    });
    ok
}

#[component]
fn MatchingConsole() -> impl IntoView {
    let session = use_session();
    let plan = LocalResource::new(api::programme_plan);
    Effect::new(move |_| {
        if let Some(Err(e)) = plan.get() {
            session.auth.check(&e);
        }
    });
    let rows: Rows = RwSignal::new(HashMap::new());
    let all_running = RwSignal::new(false);
    let all_status = RwSignal::new(None::<String>);

    let propose_all = move |_| {
        if all_running.get_untracked() {
            return;
        }
        let Some(Ok(current)) = plan.get_untracked() else {
            return;
        };
        let todo: Vec<(OrganisationId, UserId)> = current
            .matches
            .iter()
            .filter(|m| {
                !rows.with_untracked(|r| {
                    matches!(
                        r.get(&m.organisation.id),
                        Some(Row::Proposed(_) | Row::Sending)
                    )
                })
            })
            .map(|m| (m.organisation.id, m.mentor.id))
            .collect();
        if todo.is_empty() {
            all_status.set(Some("Every planned match has been proposed.".to_owned()));
            return;
        }
        all_running.set(true);
        all_status.set(Some(format!("Proposing {} matches…", todo.len())));
        spawn_local(async move {
            let total = todo.len();
            let mut done = 0;
            // One at a time: each proposal takes a mentor's place, and the
            // server's answer to the next must see it.
            for (org, mentor) in todo {
                if propose(session, rows, org, mentor).await {
                    done += 1;
                }
            }
            let sentence = if done == total {
                format!("Proposed all {total}. Each mentor is asked to accept.")
            } else {
                format!("Proposed {done} of {total}. The rows that could not be proposed say why.")
            };
            let _ = all_status.try_set(Some(sentence));
            let _ = all_running.try_set(false);
        });
    };

    let refresh = move |_| {
        rows.set(HashMap::new());
        all_status.set(None);
        plan.refetch();
    };

    view! {
        <p class="intro">
            "A mentor for every organisation that is waiting, planned together so that no mentor gets more than their places and the overall fit is as good as it can be. Nothing is sent until you propose."
        </p>
        <p>
            <a href="/admin">"Back to the programme dashboard"</a>
        </p>
        {move || match plan.get() {
            None => view! { <p class="muted">"Planning…"</p> }.into_any(),
            Some(Err(e)) => plan_failed(e, plan),
            Some(Ok(p)) => {
                view! {
                    <PlanView
                        plan=p
                        rows=rows
                        all_running=all_running
                        on_propose_all=Callback::new(propose_all)
                        on_refresh=Callback::new(refresh)
                    />
                }
                    .into_any()
            }
        }}
        <p id="propose-all-status" class="settings-status" role="status">
            {move || all_status.get()}
        </p>
    }
}

fn plan_failed(e: ApiError, plan: LocalResource<Result<ProgrammePlan, ApiError>>) -> AnyView {
    let retry = Callback::new(move |()| plan.refetch());
    view! { <RetryNotice message=e.message on_retry=retry /> }.into_any()
}

#[component]
fn PlanView(
    plan: ProgrammePlan,
    rows: Rows,
    all_running: RwSignal<bool>,
    on_propose_all: Callback<()>,
    on_refresh: Callback<()>,
) -> impl IntoView {
    let count = plan.matches.len();
    let summary = match count {
        0 if plan.unmatched.is_empty() => {
            "No organisation is waiting for a mentor right now.".to_owned()
        }
        0 => "No match could be planned.".to_owned(),
        1 => format!(
            "1 planned match, scoring {} of 100.",
            points(plan.total_score)
        ),
        n => format!(
            "{n} planned matches, scoring {} together.",
            points(plan.total_score)
        ),
    };
    let unmatched = plan.unmatched;
    view! {
        <section class="programme-section" aria-labelledby="plan-heading">
            <h2 id="plan-heading">"Planned matches"</h2>
            <p id="plan-summary">{summary}</p>
            <div class="inline-actions plan-actions">
                {(count > 0)
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                id="propose-all"
                                class="button primary"
                                aria-busy=move || all_running.get().then_some("true")
                                aria-describedby="propose-all-status"
                                on:click=move |_| on_propose_all.run(())
                            >
                                "Propose all"
                            </button>
                        }
                    })}
                <button
                    type="button"
                    id="refresh-plan"
                    class="button secondary"
                    on:click=move |_| on_refresh.run(())
                >
                    "Plan again"
                </button>
            </div>
            {(count > 0)
                .then(|| {
                    view! {
                        <ol class="plan" id="plan">
                            {plan
                                .matches
                                .into_iter()
                                .map(|m| view! { <PlannedRow planned=m rows=rows /> })
                                .collect_view()}
                        </ol>
                    }
                })}
        </section>
        <section class="programme-section" aria-labelledby="unmatched-heading">
            <h2 id="unmatched-heading">"Not matched"</h2>
            {if unmatched.is_empty() {
                view! {
                    <p class="empty-note" id="unmatched-empty">
                        {if count > 0 {
                            "None: every waiting organisation has a planned match."
                        } else {
                            "None."
                        }}
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="unmatched" id="unmatched">
                        {unmatched
                            .into_iter()
                            .map(|u| view! { <UnmatchedRow unmatched=u /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

fn rank_text(rank: u32) -> String {
    if rank <= 1 {
        "top suggestion".to_owned()
    } else {
        format!("ranked {rank}")
    }
}

#[component]
fn PlannedRow(planned: PlannedMatch, rows: Rows) -> impl IntoView {
    let org_id = planned.organisation.id;
    let mentor_id = planned.mentor.id;
    let org_name = planned.organisation.name.clone();
    let mentor_name = planned.mentor.display_name.clone();
    let row = move || rows.with(|r| r.get(&org_id).cloned());
    let heading_id = format!("plan-{org_id}-name");
    let error_id = format!("propose-org-{org_id}-error");
    let pair = format!("{org_name} and {mentor_name}");

    let session = use_session();
    let on_click = move |_| {
        let busy_or_done = rows
            .with_untracked(|r| matches!(r.get(&org_id), Some(Row::Sending | Row::Proposed(_))));
        if busy_or_done {
            return;
        }
        spawn_local(async move {
            if propose(session, rows, org_id, mentor_id).await {
                // The button is gone; the link that replaced it takes focus.
                focus_later(format!("proposed-org-{org_id}-link"));
            }
        });
    };

    view! {
        <li class="planned-match" id=format!("plan-{org_id}")>
            <h3 id=heading_id>
                <a href=format!("/organisations/{org_id}")>{org_name.clone()}</a>
            </h3>
            <p class="planned-mentor">
                "Mentor: " <a href=format!("/mentors/{mentor_id}")>{mentor_name}</a>
                <span class="rank-note">{format!(" ({})", rank_text(planned.rank))}</span>
            </p>
            <FactorScoreLine score=planned.score />
            <p class="plan-explanation">{planned.explanation}</p>
            <FactorList factors=planned.factors />
            <div class="plan-row-actions">
                {move || match row() {
                    Some(Row::Proposed(id)) => {
                        view! {
                            <p class="success-note" id=format!("proposed-org-{org_id}")>
                                "Proposed. "
                                <a
                                    href=format!("/mentorships/{id}")
                                    id=format!("proposed-org-{org_id}-link")
                                >
                                    "Open the mentorship"
                                    <span class="visually-hidden">" of " {pair.clone()}</span>
                                </a>
                            </p>
                        }
                            .into_any()
                    }
                    other => {
                        let error_id = error_id.clone();
                        let failed = matches!(other, Some(Row::Failed(_)));
                        view! {
                            <button
                                type="button"
                                id=format!("propose-org-{org_id}")
                                class="button primary small propose"
                                aria-busy=matches!(other, Some(Row::Sending)).then_some("true")
                                aria-describedby=failed.then_some(error_id)
                                on:click=on_click
                            >
                                "Propose"
                                <span class="visually-hidden">" " {pair.clone()}</span>
                            </button>
                        }
                            .into_any()
                    }
                }}
                <a class="suggestions-link" href=format!("/organisations/{org_id}/mentors")>
                    "All suggestions"
                    <span class="visually-hidden">" for " {org_name}</span>
                </a>
            </div>
            <p class="field-error" id=format!("propose-org-{org_id}-error") role="alert">
                {move || match row() {
                    Some(Row::Failed(m)) => Some(m),
                    _ => None,
                }}
            </p>
        </li>
    }
}

#[component]
fn UnmatchedRow(unmatched: Unmatched) -> impl IntoView {
    let id = unmatched.organisation.id;
    let name = unmatched.organisation.name;
    view! {
        <li class="unmatched-item" id=format!("unmatched-{id}")>
            <p class="unmatched-name">
                <a href=format!("/organisations/{id}")>{name.clone()}</a>
            </p>
            <p class="unmatched-reason">{unmatched.reason}</p>
            <a href=format!("/organisations/{id}/mentors")>
                "See its suggestions"
                <span class="visually-hidden">" (" {name} ")"</span>
            </a>
        </li>
    }
}
