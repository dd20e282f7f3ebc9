//! A mentorship's goals: each with its status (changed in place with a
//! select), and a form to add one. Only the mentor and the organisation's
//! staff load this; the programme team sees metadata only.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::MentorshipId;
use shared::api::mentorships::{CreateGoal, GoalView, UpdateGoal};
use shared::taxonomy::GoalStatus;

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::focus_later;
use crate::components::mentorship_list::{Load, MemberList, member_list};
use crate::components::message_item::format_time;
use crate::components::retry_notice::RetryNotice;

#[component]
pub fn MentorshipGoals(mentorship_id: MentorshipId) -> impl IntoView {
    let session = use_session();
    let MemberList {
        items: goals,
        load,
        retry,
    } = member_list(mentorship_id, move || async move {
        api::goals(mentorship_id).await.map(|list| list.goals)
    });
    let status = RwSignal::new(None::<String>);

    let title = RwSignal::new(String::new());
    let title_error = RwSignal::new(None::<String>);
    let adding = RwSignal::new(false);

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if adding.get_untracked() {
            return;
        }
        let text = title.get_untracked().trim().to_owned();
        if text.is_empty() {
            title_error.set(Some("Write the goal first.".to_owned()));
            focus_later("goal-title");
            return;
        }
        adding.set(true);
        title_error.set(None);
        spawn_local(async move {
            let result = api::create_goal(mentorship_id, &CreateGoal { title: text }).await;
            let _ = adding.try_set(false);
            match result {
                Ok(goal) => {
                    let _ = status.try_set(Some(format!("Added the goal “{}”.", goal.title)));
                    let _ = goals.try_update(|g| g.push(goal));
                    let _ = title.try_set(String::new());
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let _ = title_error.try_set(Some(e.message));
                        focus_later("goal-title");
                    }
                }
            }
        });
    };

    view! {
        <section class="programme-section" aria-labelledby="goals-heading">
            <h2 id="goals-heading">"Goals"</h2>
            {move || match load.get() {
                Load::Loading => view! { <p class="muted">"Loading goals…"</p> }.into_any(),
                Load::Failed(message) => {
                    view! { <RetryNotice message=message on_retry=retry /> }.into_any()
                }
                Load::Loaded if goals.with(Vec::is_empty) => {
                    view! {
                        <p class="empty-note" id="goals-empty">
                            "No goals yet. What should this mentorship achieve? Add the first one below."
                        </p>
                    }
                        .into_any()
                }
                Load::Loaded => ().into_any(),
            }}
            <ul class="goals" id="goals">
                <For
                    each=move || goals.get()
                    key=|g| g.id
                    children=move |g| {
                        view! {
                            <GoalItem mentorship_id=mentorship_id goal_id=g.id goals=goals status=status />
                        }
                    }
                />
            </ul>
            <p class="settings-status" id="goals-status" role="status">
                {move || status.get()}
            </p>
            <form class="goal-form" novalidate on:submit=add>
                <label for="goal-title">"New goal"</label>
                <input
                    id="goal-title"
                    name="title"
                    type="text"
                    autocomplete="off"
                    required
                    aria-invalid=move || title_error.with(Option::is_some).then_some("true")
                    aria-describedby=move || {
                        title_error.with(Option::is_some).then_some("goal-title-error")
                    }
                    prop:value=move || title.get()
                    on:input=move |ev| title.set(event_target_value(&ev))
                />
                <p class="field-error" id="goal-title-error" role="alert">
                    {move || title_error.get()}
                </p>
                <button
                    type="submit"
                    id="goal-add"
                    class="button primary"
                    aria-busy=move || adding.get().then_some("true")
                >
                    "Add goal"
                </button>
            </form>
        </section>
    }
}

#[component]
fn GoalItem(
    mentorship_id: MentorshipId,
    goal_id: i64,
    goals: RwSignal<Vec<GoalView>>,
    status: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let goal = Memo::new(move |_| goals.with(|g| g.iter().find(|x| x.id == goal_id).cloned()));
    let current = move || goal.with(|g| g.as_ref().map(|g| g.status));
    let error = RwSignal::new(None::<String>);
    let select_id = format!("goal-status-{goal_id}");
    let error_id = format!("goal-{goal_id}-error");

    let on_change = move |ev: leptos::ev::Event| {
        let Some(next) = GoalStatus::from_slug(&event_target_value(&ev)) else {
            return;
        };
        let select: Option<wasm_bindgen::JsValue> = ev.target().map(Into::into);
        let saved = goal.with_untracked(|g| g.as_ref().map(|g| g.status));
        error.set(None);
        spawn_local(async move {
            let body = UpdateGoal {
                status: Some(next),
                ..Default::default()
            };
            match api::update_goal(mentorship_id, goal_id, &body).await {
                Ok(updated) => {
                    let _ = status.try_set(Some(format!(
                        "“{}” is now {}.",
                        updated.title,
                        updated.status.label().to_lowercase()
                    )));
                    let _ = goals.try_update(|g| {
                        if let Some(known) = g.iter_mut().find(|x| x.id == goal_id) {
                            *known = updated;
                        }
                    });
                }
                Err(e) => {
                    if session.auth.check(&e) {
                        return;
                    }
                    let _ = error.try_set(Some(format!("Could not change it. {}", e.message)));
                    // Put the select back to what is saved.
                    if let (Some(select), Some(saved)) = (select, saved) {
                        let _ =
                            js_sys::Reflect::set(&select, &"value".into(), &saved.slug().into());
                    }
                }
            }
        });
    };

    let title = move || goal.with(|g| g.as_ref().map(|g| g.title.clone()).unwrap_or_default());
    let meta = move || {
        goal.with(|g| {
            g.as_ref().map(|g| {
                format!(
                    "Added by {} · changed {}",
                    g.created_by.display_name,
                    format_time(&g.updated_at)
                )
            })
        })
    };
    let described_by = {
        let error_id = error_id.clone();
        move || error.with(Option::is_some).then(|| error_id.clone())
    };

    view! {
        <li class="goal" id=format!("goal-{goal_id}") data-status=move || current().map(GoalStatus::slug)>
            <p class="goal-title">{title}</p>
            <p class="goal-meta muted">{meta}</p>
            <div class="goal-status-row">
                <label for=select_id.clone() class="goal-status-label">
                    "Status" <span class="visually-hidden">" of “" {title} "”"</span>
                </label>
                <select
                    id=select_id
                    class="goal-status"
                    aria-describedby=described_by
                    on:change=on_change
                >
                    {GoalStatus::ALL
                        .iter()
                        .map(|&s| {
                            view! {
                                <option value=s.slug() prop:selected=move || current() == Some(s)>
                                    {s.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </li>
    }
}
