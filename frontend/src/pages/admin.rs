//! The programme team's dashboard: approvals, counts, capacity chart and stalled mentorships.
//!
//! Everything here is metadata: the dashboard never shows what is said in a
//! mentorship's room, goals or notes.

use std::collections::HashMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::mentors::{ListMentors, MentorView};
use shared::api::mentorships::ListMentorships;
use shared::api::organisations::{ListOrganisations, OrganisationCard};
use shared::api::programme::{Dashboard, StalledMentorship};
use shared::taxonomy::{ApprovalStatus, MentorshipStatus};
use shared::{ApiError, MentorshipId};

use crate::api::{self, ApiResult};
use crate::app::{set_page_title, use_session};
use crate::components::admin_approval::{Applicant, ApprovalActions};
use crate::components::admin_only::AdminOnly;
use crate::components::chart_bars::{Bar, BarChart};
use crate::components::form_errors::focus_later;
use crate::components::message_item::format_time;
use crate::components::retry_notice::RetryNotice;

#[component]
pub fn AdminPage() -> impl IntoView {
    set_page_title("Programme dashboard");
    view! {
        <main id="main" class="page programme-page">
            <h1>"Programme dashboard"</h1>
            <AdminOnly>
                <AdminDashboard />
            </AdminOnly>
        </main>
    }
}

/// A failed load that means "log in again" goes to the login page; any
/// other is shown where the content would be.
fn watch_auth<T: Clone + Send + Sync + 'static>(resource: LocalResource<ApiResult<T>>) {
    let auth = use_session().auth;
    Effect::new(move |_| {
        if let Some(Err(e)) = resource.get() {
            auth.check(&e);
        }
    });
}

fn failed(error: ApiError, retry: impl Fn() + Send + Sync + 'static) -> AnyView {
    let on_retry = Callback::new(move |()| retry());
    view! { <RetryNotice message=error.message on_retry=on_retry /> }.into_any()
}

#[derive(Clone, Debug, PartialEq)]
enum Nudge {
    Sending,
    Sent,
    Failed(String),
}

#[component]
fn AdminDashboard() -> impl IntoView {
    let pending_orgs = LocalResource::new(|| async {
        let filter = ListOrganisations {
            status: Some(ApprovalStatus::Pending),
            ..Default::default()
        };
        api::list_organisations(&filter)
            .await
            .map(|r| r.organisations)
    });
    let pending_mentors = LocalResource::new(|| async {
        let filter = ListMentors {
            status: Some(ApprovalStatus::Pending),
            ..Default::default()
        };
        api::list_mentors(&filter).await.map(|r| r.mentors)
    });
    // Requests wait for the team's approval on the mentorship's own page.
    let requests = LocalResource::new(|| async {
        let filter = ListMentorships {
            status: Some(MentorshipStatus::Requested),
            ..Default::default()
        };
        api::list_mentorships(&filter).await.map(|r| r.mentorships)
    });
    let dashboard = LocalResource::new(api::dashboard);
    watch_auth(requests);
    watch_auth(pending_orgs);
    watch_auth(pending_mentors);
    watch_auth(dashboard);

    let status = RwSignal::new(None::<String>);
    let nudges = RwSignal::new(HashMap::<MentorshipId, Nudge>::new());

    // A decision changes the queue and the figures; the row that had focus
    // is gone, so focus goes to the heading of its list.
    let decided = move |heading: &'static str| {
        Callback::new(move |sentence: String| {
            status.set(Some(sentence));
            pending_orgs.refetch();
            pending_mentors.refetch();
            dashboard.refetch();
            focus_later(heading);
        })
    };
    let org_decided = decided("pending-orgs-heading");
    let mentor_decided = decided("pending-mentors-heading");

    view! {
        <p class="lead-actions inline-actions">
            <a href="/admin/matching" id="matching-link" class="button primary">
                "Open the matching console"
            </a>
            <a href="/admin/audit" id="audit-link" class="button secondary">
                "Audit log"
            </a>
        </p>
        <p id="admin-status" class="settings-status" role="status">
            {move || status.get()}
        </p>

        <section class="programme-section" aria-labelledby="approvals-heading">
            <h2 id="approvals-heading">"Waiting for approval"</h2>
            <h3 id="pending-orgs-heading" tabindex="-1">
                "Organisations"
            </h3>
            {move || match pending_orgs.get() {
                None => view! { <p class="muted">"Loading organisations…"</p> }.into_any(),
                Some(Err(e)) => failed(e, move || pending_orgs.refetch()),
                Some(Ok(orgs)) if orgs.is_empty() => {
                    view! {
                        <p class="empty-note" id="pending-orgs-empty">
                            "No organisation is waiting for approval."
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(orgs)) => {
                    view! {
                        <ul class="approval-list" id="pending-orgs">
                            {orgs
                                .into_iter()
                                .map(|org| view! { <PendingOrganisation org=org on_decided=org_decided /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
            <h3 id="pending-mentors-heading" tabindex="-1">
                "Mentor applications"
            </h3>
            {move || match pending_mentors.get() {
                None => view! { <p class="muted">"Loading mentor applications…"</p> }.into_any(),
                Some(Err(e)) => failed(e, move || pending_mentors.refetch()),
                Some(Ok(mentors)) if mentors.is_empty() => {
                    view! {
                        <p class="empty-note" id="pending-mentors-empty">
                            "No mentor application is waiting for approval."
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(mentors)) => {
                    view! {
                        <ul class="approval-list" id="pending-mentors">
                            {mentors
                                .into_iter()
                                .map(|m| view! { <PendingMentor mentor=m on_decided=mentor_decided /> })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
            <h3 id="requests-heading">"Organisations asking for a mentor"</h3>
            {move || match requests.get() {
                None => view! { <p class="muted">"Loading requests…"</p> }.into_any(),
                Some(Err(e)) => failed(e, move || requests.refetch()),
                Some(Ok(list)) if list.is_empty() => {
                    view! {
                        <p class="empty-note" id="requests-empty">
                            "No organisation is waiting for its request to be approved."
                        </p>
                    }
                        .into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <ul class="approval-list" id="requests">
                            {list
                                .into_iter()
                                .map(|m| {
                                    view! {
                                        <li class="approval-item" id=format!("request-{}", m.id)>
                                            <p class="approval-name">
                                                <a href=format!("/mentorships/{}", m.id)>
                                                    {format!(
                                                        "{} asked for {}",
                                                        m.organisation.name,
                                                        m.mentor.display_name,
                                                    )}
                                                </a>
                                            </p>
                                            <p class="approval-details muted">
                                                {format!("Asked {}", format_time(&m.created_at))}
                                            </p>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                        .into_any()
                }
            }}
        </section>

        {move || match dashboard.get() {
            None => {
                view! {
                    <section class="programme-section" aria-labelledby="figures-heading">
                        <h2 id="figures-heading">"Programme figures"</h2>
                        <p class="muted">"Loading the figures…"</p>
                    </section>
                }
                    .into_any()
            }
            Some(Err(e)) => {
                view! {
                    <section class="programme-section" aria-labelledby="figures-heading">
                        <h2 id="figures-heading">"Programme figures"</h2>
                        {failed(e, move || dashboard.refetch())}
                    </section>
                }
                    .into_any()
            }
            Some(Ok(d)) => view! { <DashboardFigures dashboard=d nudges=nudges /> }.into_any(),
        }}
    }
}

#[component]
fn PendingOrganisation(org: OrganisationCard, on_decided: Callback<String>) -> impl IntoView {
    let details = [
        Some(org.locality.clone()).filter(|l| !l.is_empty()),
        Some(org.size.label().to_owned()),
        (!org.activity_types.is_empty()).then(|| {
            org.activity_types
                .iter()
                .map(|a| a.label())
                .collect::<Vec<_>>()
                .join(", ")
        }),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(" · ");
    let needs = if org.need_topics.is_empty() {
        "No needs listed yet.".to_owned()
    } else {
        format!(
            "Needs help with: {}.",
            org.need_topics
                .iter()
                .map(|t| t.label())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    view! {
        <li class="approval-item" id=format!("pending-org-{}", org.id)>
            <p class="approval-name">
                <a href=format!("/organisations/{}", org.id)>{org.name.clone()}</a>
            </p>
            <p class="approval-details muted">{details}</p>
            <p class="approval-details">{needs}</p>
            <ApprovalActions
                applicant=Applicant::Organisation(org.id)
                name=org.name
                on_decided=on_decided
            />
        </li>
    }
}

#[component]
fn PendingMentor(mentor: MentorView, on_decided: Callback<String>) -> impl IntoView {
    let p = &mentor.profile;
    let expertise = if p.expertise.is_empty() {
        "No expertise listed.".to_owned()
    } else {
        format!(
            "Knows: {}.",
            p.expertise
                .iter()
                .map(|e| format!("{} ({})", e.topic.label(), e.depth.label().to_lowercase()))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut ways = Vec::new();
    if p.remote {
        ways.push("remote".to_owned());
    }
    if p.in_person {
        if p.localities.is_empty() {
            ways.push("in person".to_owned());
        } else {
            ways.push(format!("in person in {}", p.localities.join(", ")));
        }
    }
    let places = match p.capacity {
        1 => "1 place".to_owned(),
        n => format!("{n} places"),
    };
    let how = if ways.is_empty() {
        format!("Offers {places}.")
    } else {
        format!("Offers {places}, {}.", ways.join(" or "))
    };
    let bio = p.bio.clone();
    let name = mentor.user.display_name.clone();
    view! {
        <li class="approval-item" id=format!("pending-mentor-{}", mentor.user.id)>
            <p class="approval-name">
                <a href=format!("/mentors/{}", mentor.user.id)>{name.clone()}</a>
            </p>
            <p class="approval-details">{expertise}</p>
            <p class="approval-details muted">{how}</p>
            {(!bio.is_empty()).then(|| view! { <p class="approval-bio">{bio}</p> })}
            <ApprovalActions
                applicant=Applicant::Mentor(mentor.user.id)
                name=name
                on_decided=on_decided
            />
        </li>
    }
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[component]
fn DashboardFigures(
    dashboard: Dashboard,
    nudges: RwSignal<HashMap<MentorshipId, Nudge>>,
) -> impl IntoView {
    let d = dashboard;
    let match_rate = format!("{:.0}%", (d.match_rate * 100.0).clamp(0.0, 100.0));
    let by_status = [
        ("Requested", d.requested),
        ("Proposed", d.proposed),
        ("Active", d.active),
        ("Paused", d.paused),
        ("Completed", d.completed),
    ];
    let most = by_status.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let status_bars = by_status
        .iter()
        .map(|(label, n)| Bar {
            label: (*label).to_owned(),
            value: *n,
            max: most,
            value_text: n.to_string(),
            full: false,
        })
        .collect::<Vec<_>>();
    let load_bars = d
        .mentor_load
        .iter()
        .map(|m| {
            let full = m.capacity > 0 && m.load >= m.capacity;
            Bar {
                label: m.mentor.display_name.clone(),
                value: m.load,
                max: m.capacity,
                value_text: format!(
                    "{} of {} {}{}",
                    m.load,
                    m.capacity,
                    if m.capacity == 1 { "place" } else { "places" },
                    if full { ", full" } else { "" }
                ),
                full,
            }
        })
        .collect::<Vec<_>>();
    let stalled_after = d.stalled_after_days;
    let stalled = d.stalled.clone();

    view! {
        <section class="programme-section" aria-labelledby="figures-heading">
            <h2 id="figures-heading">"Programme figures"</h2>
            <dl class="figures">
                <div class="figure">
                    <dt>"Organisations waiting for a mentor"</dt>
                    <dd id="dashboard-waiting">{d.organisations_waiting}</dd>
                </div>
                <div class="figure">
                    <dt>"Match rate"</dt>
                    <dd id="dashboard-match-rate">{match_rate}</dd>
                </div>
                <div class="figure">
                    <dt>"Requested by organisations"</dt>
                    <dd id="dashboard-requested">{d.requested}</dd>
                </div>
                <div class="figure">
                    <dt>"Proposed to mentors"</dt>
                    <dd id="dashboard-proposed">{d.proposed}</dd>
                </div>
                <div class="figure">
                    <dt>"Active"</dt>
                    <dd id="dashboard-active">{d.active}</dd>
                </div>
                <div class="figure">
                    <dt>"Paused"</dt>
                    <dd id="dashboard-paused">{d.paused}</dd>
                </div>
                <div class="figure">
                    <dt>"Completed"</dt>
                    <dd id="dashboard-completed">{d.completed}</dd>
                </div>
                <div class="figure">
                    <dt>"Mentors’ places used"</dt>
                    <dd id="dashboard-capacity">
                        {format!("{} of {}", d.capacity_used, d.capacity_total)}
                    </dd>
                </div>
            </dl>
            <p class="hint">
                {format!(
                    "The match rate is the share of approved organisations ({}) with an active or paused mentorship. Waiting for approval: {} and {}.",
                    d.organisations_approved,
                    plural(d.organisations_pending.into(), "organisation", "organisations"),
                    plural(d.mentors_pending.into(), "mentor application", "mentor applications"),
                )}
            </p>

            <h3 id="status-chart-heading">"Mentorships by status"</h3>
            <BarChart
                id="chart-status"
                title="Mentorships by status".to_owned()
                label_header="Status"
                value_header="Mentorships"
                bars=status_bars
                empty_text="No mentorships yet."
            />
            <h3 id="load-chart-heading">"Mentors’ load"</h3>
            <BarChart
                id="chart-load"
                title="Places in use for each mentor".to_owned()
                label_header="Mentor"
                value_header="Places in use"
                bars=load_bars
                empty_text="No approved mentors yet."
            />
        </section>

        <section class="programme-section" aria-labelledby="stalled-heading">
            <h2 id="stalled-heading">"Stalled mentorships"</h2>
            <p class="hint">
                {format!(
                    "Quiet for {} or more: no message, note, goal change or step. A nudge reminds the mentor and the organisation’s staff.",
                    plural(stalled_after, "day", "days"),
                )}
            </p>
            {if stalled.is_empty() {
                view! {
                    <p class="empty-note" id="stalled-empty">
                        "No mentorship is stalled."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul class="stalled-list" id="stalled">
                        {stalled
                            .into_iter()
                            .map(|s| view! { <StalledItem stalled=s nudges=nudges /> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
    }
}

#[component]
fn StalledItem(
    stalled: StalledMentorship,
    nudges: RwSignal<HashMap<MentorshipId, Nudge>>,
) -> impl IntoView {
    let session = use_session();
    let id = stalled.id;
    let pair = format!(
        "{} and {}",
        stalled.organisation.name, stalled.mentor.display_name
    );
    let last_nudged = stalled
        .last_nudged_at
        .as_ref()
        .map(format_time)
        .unwrap_or_else(|| "never".to_owned());
    let state = move || nudges.with(|n| n.get(&id).cloned());

    let nudge = move |_| {
        let busy_or_done =
            nudges.with_untracked(|n| matches!(n.get(&id), Some(Nudge::Sending | Nudge::Sent)));
        if busy_or_done {
            return;
        }
        nudges.update(|n| {
            n.insert(id, Nudge::Sending);
        });
        spawn_local(async move {
            let result = api::nudge(id).await;
            let next = match result {
                Ok(()) => Nudge::Sent,
                Err(e) => {
                    if session.auth.check(&e) {
                        return;
                    }
                    Nudge::Failed(format!("Could not nudge. {}", e.message))
                }
            };
            let _ = nudges.try_update(|n| {
                n.insert(id, next);
            });
        });
    };

    let hidden_pair = pair.clone();
    view! {
        <li class="stalled-item" id=format!("stalled-{id}")>
            <p class="stalled-name">
                <a href=format!("/mentorships/{id}")>{pair}</a>
            </p>
            <p class="stalled-meta">
                {format!("Quiet for {}", plural(stalled.days_quiet, "day", "days"))}
                " · "
                <span class="stalled-nudged">{format!("Last nudged: {last_nudged}")}</span>
            </p>
            <div class="stalled-action">
                <button
                    type="button"
                    id=format!("nudge-{id}")
                    class="button secondary small nudge"
                    aria-busy=move || matches!(state(), Some(Nudge::Sending)).then_some("true")
                    // Stays focusable once sent, so keyboard focus is not lost.
                    aria-disabled=move || matches!(state(), Some(Nudge::Sent)).then_some("true")
                    on:click=nudge
                >
                    {move || if matches!(state(), Some(Nudge::Sent)) { "Nudged" } else { "Nudge" }}
                    <span class="visually-hidden">" " {hidden_pair}</span>
                </button>
                <p class="nudge-status" role="status">
                    {move || {
                        matches!(state(), Some(Nudge::Sent))
                            .then_some("Nudged: the mentor and the organisation’s staff have been reminded.")
                    }}
                </p>
                <p class="field-error" role="alert">
                    {move || match state() {
                        Some(Nudge::Failed(m)) => Some(m),
                        _ => None,
                    }}
                </p>
            </div>
        </li>
    }
}
