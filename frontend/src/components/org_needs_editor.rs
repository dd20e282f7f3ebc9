//! An organisation's needs: the read-only list everyone sees, and the editor
//! its leads use (one row per topic: a checkbox to include it, then its
//! priority and, in their own words, what they want help with).

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::organisations::{Need, OrganisationView, SetNeeds};
use shared::taxonomy::{Priority, Topic};

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::focus_later;
use crate::components::org_text_field::InputField;
use crate::components::taxonomy_select::TaxonomySelect;

/// "High priority", for the list and the cards.
pub fn priority_text(p: Priority) -> String {
    format!("{} priority", p.label())
}

/// The needs as everyone sees them, highest priority first.
#[component]
pub fn NeedsList(#[prop(into)] needs: Signal<Vec<Need>>) -> impl IntoView {
    let sorted = move || {
        let mut all = needs.get();
        all.sort_by_key(|n| n.priority);
        all
    };
    view! {
        <Show
            when=move || needs.with(|n| !n.is_empty())
            fallback=|| {
                view! { <p class="empty-note" id="needs-empty">"No needs listed yet."</p> }
            }
        >
            <ul class="needs-list" id="needs-list">
                <For
                    each=sorted
                    key=|n| (n.topic, n.priority, n.description.clone())
                    children=|n| {
                        let priority = n.priority;
                        view! {
                            <li class="need" data-topic=n.topic.slug()>
                                <span class="need-topic">{n.topic.label()}</span>
                                " "
                                <span class="label-tag" data-priority=priority.slug()>
                                    {priority_text(priority)}
                                </span>
                                {(!n.description.is_empty())
                                    .then(|| view! { <p class="need-description">{n.description}</p> })}
                            </li>
                        }
                    }
                />
            </ul>
        </Show>
    }
}

/// One topic's row of the editor.
#[derive(Clone, Copy)]
struct Row {
    topic: Topic,
    included: RwSignal<bool>,
    priority: RwSignal<Option<Priority>>,
    description: RwSignal<String>,
}

#[component]
pub fn NeedsEditor(org: RwSignal<Option<OrganisationView>>) -> impl IntoView {
    let session = use_session();
    let (org_id, saved) = org
        .with_untracked(|o| o.as_ref().map(|o| (o.id, o.needs.clone())))
        .unwrap_or_default();
    let rows: Vec<Row> = Topic::ALL
        .iter()
        .map(|&topic| {
            let need = saved.iter().find(|n| n.topic == topic);
            Row {
                topic,
                included: RwSignal::new(need.is_some()),
                priority: RwSignal::new(Some(need.map_or(Priority::Medium, |n| n.priority))),
                description: RwSignal::new(need.map(|n| n.description.clone()).unwrap_or_default()),
            }
        })
        .collect();
    let rows = StoredValue::new(rows);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut needs: Vec<Need> = rows.with_value(|rows| {
            rows.iter()
                .filter(|r| r.included.get_untracked())
                .map(|r| Need {
                    topic: r.topic,
                    priority: r.priority.get_untracked().unwrap_or(Priority::Medium),
                    description: r.description.get_untracked().trim().to_owned(),
                })
                .collect()
        });
        needs.sort_by_key(|n| n.priority);
        busy.set(true);
        error.set(None);
        status.set(None);
        spawn_local(async move {
            let result = api::set_needs(org_id, &SetNeeds { needs }).await;
            match result {
                Ok(view) => {
                    let count = view.needs.len();
                    org.set(Some(view));
                    status.set(Some(match count {
                        0 => "Needs saved. None are listed now.".to_owned(),
                        1 => "Needs saved: 1 topic.".to_owned(),
                        n => format!("Needs saved: {n} topics."),
                    }));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        error.set(Some(format!("Could not save the needs. {}", e.message)));
                        focus_later("needs-error");
                    }
                }
            }
            busy.set(false);
        });
    };

    let row_views = rows.with_value(|rows| {
        rows.iter()
            .map(|&row| view! { <NeedRow row=row /> })
            .collect_view()
    });

    view! {
        <form id="needs-form" class="needs-editor" novalidate on:submit=on_submit>
            <fieldset aria-describedby="needs-hint">
                <legend>"Topics you want help with"</legend>
                <p class="hint" id="needs-hint">
                    "Tick each topic your organisation wants a mentor's help with, then say how much it matters and what you need. The programme team uses these to suggest mentors."
                </p>
                <div class="need-rows">{row_views}</div>
            </fieldset>
            <div id="needs-error" class="form-error" role="alert" tabindex="-1">
                {move || error.get().map(|m| view! { <p>{m}</p> })}
            </div>
            <p id="needs-status" class="form-status" role="status">
                {move || status.get()}
            </p>
            <button
                type="submit"
                id="needs-save"
                class="button primary"
                aria-busy=move || busy.get().then_some("true")
            >
                "Save needs"
            </button>
        </form>
    }
}

#[component]
fn NeedRow(row: Row) -> impl IntoView {
    let slug = row.topic.slug();
    let label = row.topic.label();
    let id = format!("need-{slug}");
    view! {
        <div class="need-row" class:included=move || row.included.get()>
            <div class="checkbox">
                <input
                    type="checkbox"
                    id=id.clone()
                    name="needs"
                    value=slug
                    prop:checked=move || row.included.get()
                    on:change=move |ev| row.included.set(event_target_checked(&ev))
                />
                <label for=id>{label}</label>
            </div>
            <Show when=move || row.included.get()>
                <div class="need-details">
                    <TaxonomySelect id=format!("need-{slug}-priority") value=row.priority>
                        "Priority"
                        <span class="visually-hidden">" for " {label}</span>
                    </TaxonomySelect>
                    <InputField
                        id=format!("need-{slug}-description")
                        label="What you want help with"
                        hidden_label=format!(" on {label}")
                        value=row.description
                        multiline=true
                    />
                </div>
            </Show>
        </div>
    }
}
