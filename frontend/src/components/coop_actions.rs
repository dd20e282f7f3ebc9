//! A co-op's actions (members only): the open ones by due date, the closed
//! ones folded away, and the form that adds one (text, owner, due date).

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::coops::{
    ActionStatus, CoopView, CreateRecord, Owner, RecordKind, RecordView, RecordsResponse,
};

use crate::api::coops;
use crate::app::use_session;
use crate::components::coop_action_item::CoopActionItem;
use crate::components::form_errors::focus_later;
use crate::components::retry_notice::RetryNotice;
use crate::pages::coop::Part;

/// Puts a changed record where it now belongs: decisions newest first, open
/// actions soonest due first (no date last), closed actions latest first.
pub fn apply_record(log: &mut RecordsResponse, record: RecordView) {
    remove_record(log, record.id);
    match (record.kind, record.status) {
        (RecordKind::Decision, _) => log.decisions.insert(0, record),
        (RecordKind::Action, ActionStatus::Open) => {
            log.open_actions.push(record);
            log.open_actions
                .sort_by_key(|r| (r.due_on.is_none(), r.due_on, r.created_at));
        }
        (RecordKind::Action, _) => log.closed_actions.insert(0, record),
    }
}

pub fn remove_record(log: &mut RecordsResponse, id: i64) {
    log.open_actions.retain(|r| r.id != id);
    log.closed_actions.retain(|r| r.id != id);
    log.decisions.retain(|r| r.id != id);
}

/// An owner as the select's value: `org:3`, `user:7`, or empty for nobody.
pub fn owner_value(owner: &Owner) -> String {
    match owner {
        Owner::Organisation { organisation_id } => format!("org:{organisation_id}"),
        Owner::Person { user_id } => format!("user:{user_id}"),
    }
}

pub fn parse_owner(value: &str) -> Option<Owner> {
    let (kind, id) = value.split_once(':')?;
    let id = id.parse().ok()?;
    match kind {
        "org" => Some(Owner::Organisation {
            organisation_id: id,
        }),
        "user" => Some(Owner::Person { user_id: id }),
        _ => None,
    }
}

/// Who may own an action: the member organisations, then the coordinators,
/// then the viewer (a member too) if not already listed; as (value, label).
pub fn owner_choices(c: &CoopView, me: Option<(i64, String)>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = c
        .members
        .iter()
        .map(|m| {
            (
                owner_value(&Owner::Organisation {
                    organisation_id: m.organisation.id,
                }),
                m.organisation.name.clone(),
            )
        })
        .collect();
    for u in &c.coordinators {
        out.push((
            owner_value(&Owner::Person { user_id: u.id }),
            format!("{} (coordinator)", u.display_name),
        ));
    }
    if let Some((id, name)) = me
        && c.viewer.member
        && !c.coordinators.iter().any(|u| u.id == id)
    {
        out.push((
            owner_value(&Owner::Person { user_id: id }),
            format!("{name} (you)"),
        ));
    }
    out
}

#[component]
pub fn CoopActions(
    coop: RwSignal<CoopView>,
    records: RwSignal<Part<RecordsResponse>>,
    retry: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let coop_id = coop.with_untracked(|c| c.id);
    let me = untrack(|| session.auth.user()).map(|u| (u.id, u.display_name));
    let open_ids = Memo::new(move |_| {
        records.with(|r| match r {
            Part::Ready(log) => log.open_actions.iter().map(|a| a.id).collect(),
            _ => Vec::new(),
        })
    });
    let closed_ids = Memo::new(move |_| {
        records.with(|r| match r {
            Part::Ready(log) => log.closed_actions.iter().map(|a| a.id).collect(),
            _ => Vec::<i64>::new(),
        })
    });
    let status = RwSignal::new(None::<String>);
    let choices = Memo::new({
        let me = me.clone();
        move |_| coop.with(|c| owner_choices(c, me.clone()))
    });

    let text = RwSignal::new(String::new());
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let text_error = RwSignal::new(None::<String>);
    let due_error = RwSignal::new(None::<String>);
    let form_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body_text = text.get_untracked().trim().to_owned();
        let due_text = due.get_untracked();
        let due_on = NaiveDate::parse_from_str(&due_text, "%Y-%m-%d").ok();
        text_error.set(None);
        due_error.set(None);
        form_error.set(None);
        if body_text.is_empty() {
            text_error.set(Some("Say what needs doing.".to_owned()));
            focus_later("action-new-text");
            return;
        }
        if !due_text.is_empty() && due_on.is_none() {
            due_error.set(Some(
                "Give the due date as a whole date, or leave it empty.".to_owned(),
            ));
            focus_later("action-new-due");
            return;
        }
        let body = CreateRecord {
            kind: RecordKind::Action,
            text: body_text,
            message_id: None,
            owner: parse_owner(&owner.get_untracked()),
            due_on,
        };
        busy.set(true);
        spawn_local(async move {
            let result = coops::create_record(coop_id, &body).await;
            let _ = busy.try_set(false);
            match result {
                Ok(record) => {
                    let said = format!("Added the action “{}”.", record.text);
                    let _ = records.try_update(|r| {
                        if let Part::Ready(log) = r {
                            apply_record(log, record);
                        }
                    });
                    let _ = text.try_set(String::new());
                    let _ = owner.try_set(String::new());
                    let _ = due.try_set(String::new());
                    let _ = status.try_set(Some(said));
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => match e.field.as_deref() {
                    Some("text") => {
                        let _ = text_error.try_set(Some(e.message));
                        focus_later("action-new-text");
                    }
                    Some("due_on") => {
                        let _ = due_error.try_set(Some(e.message));
                        focus_later("action-new-due");
                    }
                    _ => {
                        let _ = form_error
                            .try_set(Some(format!("Could not add the action. {}", e.message)));
                        focus_later("action-new-error");
                    }
                },
            }
        });
    };

    let loaded = move || records.with(|r| matches!(r, Part::Ready(_)));

    view! {
        <section id="coop-actions" class="coop-section" aria-labelledby="coop-actions-heading">
            <h2 id="coop-actions-heading">"Actions"</h2>
            {move || match records.get() {
                Part::Loading => {
                    view! { <p class="muted">"Loading actions…"</p> }.into_any()
                }
                Part::Failed(message) => {
                    view! { <RetryNotice message=message on_retry=retry /> }.into_any()
                }
                Part::Ready(_) => ().into_any(),
            }}
            <Show when=move || loaded() && open_ids.with(Vec::is_empty)>
                <p class="empty-note" id="coop-actions-empty">
                    "No open actions. Add one below when someone agrees to do something."
                </p>
            </Show>
            <ul class="coop-records coop-open-actions">
                <For
                    each=move || open_ids.get()
                    key=|id| *id
                    children=move |id| {
                        view! {
                            <CoopActionItem record_id=id records=records status=status />
                        }
                    }
                />
            </ul>
            <Show when=move || !closed_ids.with(Vec::is_empty)>
                <details class="coop-closed-actions">
                    <summary>
                        {move || {
                            let n = closed_ids.with(Vec::len);
                            if n == 1 {
                                "1 done or dropped action".to_owned()
                            } else {
                                format!("{n} done or dropped actions")
                            }
                        }}
                    </summary>
                    <ul class="coop-records">
                        <For
                            each=move || closed_ids.get()
                            key=|id| *id
                            children=move |id| {
                                view! {
                                    <CoopActionItem record_id=id records=records status=status />
                                }
                            }
                        />
                    </ul>
                </details>
            </Show>
            <p id="coop-actions-status" class="form-status" role="status">
                {move || status.get()}
            </p>
            <form id="action-new" class="coop-form stack" novalidate on:submit=on_submit>
                <h3 id="action-new-heading">"Add an action"</h3>
                <div id="action-new-error" class="form-error" role="alert" tabindex="-1">
                    {move || form_error.get().map(|m| view! { <p>{m}</p> })}
                </div>
                <div class="field" class:has-error=move || text_error.with(Option::is_some)>
                    <label for="action-new-text">"What needs doing"</label>
                    <input
                        id="action-new-text"
                        name="text"
                        type="text"
                        autocomplete="off"
                        required
                        aria-invalid=move || text_error.with(Option::is_some).then_some("true")
                        aria-describedby=move || {
                            text_error.with(Option::is_some).then_some("action-new-text-error")
                        }
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="action-new-text-error" role="alert">
                        {move || text_error.get()}
                    </p>
                </div>
                <div class="field">
                    <label for="action-new-owner">"Who will do it"</label>
                    <select
                        id="action-new-owner"
                        name="owner"
                        on:change=move |ev| owner.set(event_target_value(&ev))
                    >
                        <option value="" prop:selected=move || owner.with(String::is_empty)>
                            "Nobody yet"
                        </option>
                        <For
                            each=move || choices.get()
                            key=|c| c.clone()
                            children=move |(value, label)| {
                                let mine = value.clone();
                                view! {
                                    <option value=value prop:selected=move || owner.get() == mine>
                                        {label}
                                    </option>
                                }
                            }
                        />
                    </select>
                </div>
                <div class="field" class:has-error=move || due_error.with(Option::is_some)>
                    <label for="action-new-due">"Due date (optional)"</label>
                    <input
                        id="action-new-due"
                        name="due_on"
                        type="date"
                        aria-invalid=move || due_error.with(Option::is_some).then_some("true")
                        aria-describedby=move || {
                            due_error.with(Option::is_some).then_some("action-new-due-error")
                        }
                        prop:value=move || due.get()
                        on:input=move |ev| due.set(event_target_value(&ev))
                        on:change=move |ev| due.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="action-new-due-error" role="alert">
                        {move || due_error.get()}
                    </p>
                </div>
                <button
                    type="submit"
                    id="action-new-submit"
                    class="button primary"
                    aria-busy=move || busy.get().then_some("true")
                >
                    "Add action"
                </button>
            </form>
        </section>
    }
}
