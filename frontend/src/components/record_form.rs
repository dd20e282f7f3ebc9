//! Turning a message in a co-op room into a decision or an action in the
//! co-op's log: the "Record…" button under each message, and the small
//! inline form it opens (kind, text, for actions an owner and a due date).
//! One form is open at a time in a room, so its fields can keep fixed ids;
//! Escape closes it and puts focus back on the button that opened it.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::MessageId;
use shared::api::coops::{CoopId, CoopView, CreateRecord, Owner, RecordKind};
use shared::limits::RECORD_TEXT_MAX_CHARS;

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::{FormErrors, focus_later};

/// API field names and DOM ids, in form order.
const FIELDS: [(&str, &str); 4] = [
    ("kind", "record-kind-decision"),
    ("text", "record-text"),
    ("owner", "record-owner"),
    ("due_on", "record-due"),
];

/// What the open room offers its messages: provided by the room view, so a
/// message knows whether it can become a record (mentorship conversations
/// provide nothing, and their messages get no button).
#[derive(Clone, Copy)]
pub struct RecordTarget {
    /// The room's co-op, once the room list says it is a co-op room.
    pub coop_id: Memo<Option<CoopId>>,
    /// The message whose form is open.
    pub open: RwSignal<Option<MessageId>>,
}

impl RecordTarget {
    pub fn provide(coop_id: Memo<Option<CoopId>>) -> Self {
        let target = Self {
            coop_id,
            open: RwSignal::new(None),
        };
        provide_context(target);
        target
    }
}

pub fn use_record_target() -> Option<RecordTarget> {
    use_context::<RecordTarget>()
}

fn button_id(message_id: MessageId) -> String {
    format!("record-button-{message_id}")
}

/// "Record…", next to a message's other actions; opens or closes the form.
#[component]
pub fn RecordButton(target: RecordTarget, message_id: MessageId) -> impl IntoView {
    let open = move || target.open.get() == Some(message_id);
    let toggle = move |_| {
        if target.open.get_untracked() == Some(message_id) {
            target.open.set(None);
        } else {
            target.open.set(Some(message_id));
            focus_later("record-kind-decision");
        }
    };
    view! {
        <button
            type="button"
            id=button_id(message_id)
            class="link-button message-record"
            aria-expanded=move || if open() { "true" } else { "false" }
            on:click=toggle
        >
            "Record…"
            <span class="visually-hidden">" as a decision or action"</span>
        </button>
    }
}

/// Who may own an action: the co-op's member organisations and its coordinators.
#[derive(Clone, Debug, PartialEq)]
enum Owners {
    Loading,
    Ready(Box<CoopView>),
    Failed(String),
}

/// `organisation:3` / `person:7`, the owner select's values.
fn owner_value(owner: &Owner) -> String {
    match owner {
        Owner::Organisation { organisation_id } => format!("organisation:{organisation_id}"),
        Owner::Person { user_id } => format!("person:{user_id}"),
    }
}

fn parse_owner(value: &str) -> Option<Owner> {
    let (kind, id) = value.split_once(':')?;
    let id = id.parse().ok()?;
    match kind {
        "organisation" => Some(Owner::Organisation {
            organisation_id: id,
        }),
        "person" => Some(Owner::Person { user_id: id }),
        _ => None,
    }
}

/// The form for one message. `body` fills the text to start with.
#[component]
pub fn RecordForm(
    target: RecordTarget,
    coop_id: CoopId,
    message_id: MessageId,
    body: String,
) -> impl IntoView {
    let session = use_session();
    let kind = RwSignal::new(RecordKind::Decision);
    let text = RwSignal::new(body);
    let owner = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let done = RwSignal::new(None::<RecordKind>);
    let owners = RwSignal::new(Owners::Loading);

    let load_owners = move || {
        owners.set(Owners::Loading);
        spawn_local(async move {
            let next = match api::coops::coop(coop_id).await {
                Ok(view) => Owners::Ready(Box::new(view)),
                Err(e) if session.auth.check(&e) => return,
                Err(e) => Owners::Failed(e.message),
            };
            let _ = owners.try_set(next);
        });
    };
    load_owners();

    let close = move || {
        target.open.set(None);
        focus_later(button_id(message_id));
    };
    let is_action = move || kind.get() == RecordKind::Action;
    let field_error = move |name: &'static str| errors.with(|e| e.fields.get(name).cloned());

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let chosen = kind.get_untracked();
        let words = text.get_untracked().trim().to_owned();
        let mut found = FormErrors::default();
        let length = words.chars().count();
        if length == 0 {
            found.field(
                "text",
                match chosen {
                    RecordKind::Decision => "Say what was decided.",
                    RecordKind::Action => "Say what needs doing.",
                },
            );
        } else if length > RECORD_TEXT_MAX_CHARS {
            found.field(
                "text",
                format!(
                    "Use at most {RECORD_TEXT_MAX_CHARS} characters; this has {length}. Keep the gist and link to the message for the rest."
                ),
            );
        }
        let (owner_choice, due_on) = if chosen == RecordKind::Action {
            let due_text = due.get_untracked();
            let due_on = if due_text.trim().is_empty() {
                None
            } else {
                match NaiveDate::parse_from_str(due_text.trim(), "%Y-%m-%d") {
                    Ok(date) => Some(date),
                    Err(_) => {
                        found.field("due_on", "Enter the date as day, month and year.");
                        None
                    }
                }
            };
            (owner.with_untracked(|o| parse_owner(o)), due_on)
        } else {
            (None, None)
        };
        if !found.is_empty() {
            focus_later(found.focus_target(&FIELDS));
            errors.set(found);
            return;
        }
        errors.set(FormErrors::default());
        busy.set(true);
        let request = CreateRecord {
            kind: chosen,
            text: words,
            message_id: Some(message_id),
            owner: owner_choice,
            due_on,
        };
        spawn_local(async move {
            let result = api::coops::create_record(coop_id, &request).await;
            let _ = busy.try_set(false);
            match result {
                Ok(record) => {
                    let _ = done.try_set(Some(record.kind));
                    focus_later(format!("record-done-{message_id}"));
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    let names: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
                    let found = FormErrors::from_api(e, &names);
                    let focus = if found.fields.is_empty() {
                        "record-error"
                    } else {
                        found.focus_target(&FIELDS)
                    };
                    let _ = errors.try_set(found);
                    focus_later(focus);
                }
            }
        });
    };

    let described = move |hint: &'static str, field: &'static str, error_id: &'static str| {
        move || {
            if errors.with(|e| e.fields.contains_key(field)) {
                format!("{hint} {error_id}")
            } else {
                hint.to_owned()
            }
        }
    };

    let owner_options = move || match owners.get() {
        Owners::Ready(view) => {
            let organisations = view
                .members
                .iter()
                .map(|m| {
                    let value = owner_value(&Owner::Organisation {
                        organisation_id: m.organisation.id,
                    });
                    let selected = value.clone();
                    view! {
                        <option value=value prop:selected=move || owner.with(|o| *o == selected)>
                            {m.organisation.name.clone()}
                        </option>
                    }
                })
                .collect_view();
            let people = view
                .coordinators
                .iter()
                .map(|u| {
                    let value = owner_value(&Owner::Person { user_id: u.id });
                    let selected = value.clone();
                    view! {
                        <option value=value prop:selected=move || owner.with(|o| *o == selected)>
                            {u.display_name.clone()}
                        </option>
                    }
                })
                .collect_view();
            view! {
                {(!view.members.is_empty())
                    .then(|| view! { <optgroup label="Member organisations">{organisations}</optgroup> })}
                {(!view.coordinators.is_empty())
                    .then(|| view! { <optgroup label="Coordinators">{people}</optgroup> })}
            }
            .into_any()
        }
        Owners::Loading | Owners::Failed(_) => ().into_any(),
    };
    let owner_note = move || match owners.get() {
        Owners::Loading => Some(view! { "Loading the co-op’s members…" }.into_any()),
        Owners::Failed(message) => Some(
            view! {
                {format!("Could not load the co-op’s members. {message} ")}
                <button type="button" class="link-button" on:click=move |_| load_owners()>
                    "Try again"
                </button>
            }
            .into_any(),
        ),
        Owners::Ready(_) => None,
    };

    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" && !ev.default_prevented() {
            ev.prevent_default();
            close();
        }
    };

    view! {
        <div class="record-panel" id=format!("record-form-{message_id}") on:keydown=on_keydown>
            {move || match done.get() {
                Some(recorded) => {
                    let what = match recorded {
                        RecordKind::Decision => "Recorded as a decision in the co-op’s log. ",
                        RecordKind::Action => "Recorded as an action in the co-op’s log. ",
                    };
                    view! {
                        <div
                            class="record-done"
                            id=format!("record-done-{message_id}")
                            role="status"
                            tabindex="-1"
                        >
                            <p>
                                {what}
                                <a href=format!("/coops/{coop_id}")>"See the co-op's actions"</a>
                            </p>
                            <button
                                type="button"
                                class="button secondary small"
                                on:click=move |_| close()
                            >
                                "Close"
                            </button>
                        </div>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <form class="record-form" aria-labelledby="record-heading" novalidate on:submit=submit>
                            <p class="record-heading" id="record-heading">
                                "Record this message in the co-op’s log"
                            </p>
                            <fieldset class="record-kind">
                                <legend>"Record it as"</legend>
                                <div class="radio">
                                    <input
                                        type="radio"
                                        id="record-kind-decision"
                                        name="record-kind"
                                        value="decision"
                                        prop:checked=move || kind.get() == RecordKind::Decision
                                        on:change=move |_| kind.set(RecordKind::Decision)
                                    />
                                    <label for="record-kind-decision">"A decision"</label>
                                </div>
                                <div class="radio">
                                    <input
                                        type="radio"
                                        id="record-kind-action"
                                        name="record-kind"
                                        value="action"
                                        prop:checked=move || kind.get() == RecordKind::Action
                                        on:change=move |_| kind.set(RecordKind::Action)
                                    />
                                    <label for="record-kind-action">"An action"</label>
                                </div>
                            </fieldset>
                            <div class="field" class:has-error=move || field_error("text").is_some()>
                                <label for="record-text">
                                    {move || {
                                        if is_action() { "What needs doing" } else { "What was decided" }
                                    }}
                                </label>
                                <textarea
                                    id="record-text"
                                    name="text"
                                    rows="3"
                                    aria-describedby=described("record-text-hint", "text", "record-text-error")
                                    aria-invalid=move || field_error("text").is_some().then_some("true")
                                    prop:value=move || text.get()
                                    on:input=move |ev| text.set(event_target_value(&ev))
                                ></textarea>
                                <p class="hint" id="record-text-hint">
                                    {format!(
                                        "Starts as the message; edit it to say it plainly. Up to {RECORD_TEXT_MAX_CHARS} characters."
                                    )}
                                </p>
                                <p class="field-error" id="record-text-error" role="alert">
                                    {move || field_error("text")}
                                </p>
                            </div>
                            <Show when=is_action>
                                <div class="field" class:has-error=move || field_error("owner").is_some()>
                                    <label for="record-owner">"Who will do it"</label>
                                    <select
                                        id="record-owner"
                                        name="owner"
                                        aria-describedby=described("record-owner-hint", "owner", "record-owner-error")
                                        aria-invalid=move || field_error("owner").is_some().then_some("true")
                                        on:change=move |ev| owner.set(event_target_value(&ev))
                                    >
                                        <option value="" prop:selected=move || owner.with(String::is_empty)>
                                            "No owner"
                                        </option>
                                        {owner_options}
                                    </select>
                                    <p class="hint" id="record-owner-hint">
                                        {owner_note}
                                    </p>
                                    <p class="field-error" id="record-owner-error" role="alert">
                                        {move || field_error("owner")}
                                    </p>
                                </div>
                                <div class="field" class:has-error=move || field_error("due_on").is_some()>
                                    <label for="record-due">"Due by (optional)"</label>
                                    <input
                                        type="date"
                                        id="record-due"
                                        name="due_on"
                                        aria-describedby=described("record-due-hint", "due_on", "record-due-error")
                                        aria-invalid=move || field_error("due_on").is_some().then_some("true")
                                        prop:value=move || due.get()
                                        on:input=move |ev| due.set(event_target_value(&ev))
                                    />
                                    <p class="hint" id="record-due-hint">
                                        "Overdue actions are marked on the co-op’s page."
                                    </p>
                                    <p class="field-error" id="record-due-error" role="alert">
                                        {move || field_error("due_on")}
                                    </p>
                                </div>
                            </Show>
                            <p class="field-error" id="record-error" role="alert" tabindex="-1">
                                {move || errors.with(|e| e.top.clone())}
                            </p>
                            <div class="inline-actions">
                                <button
                                    type="submit"
                                    id="record-submit"
                                    class="button primary small"
                                    aria-busy=move || busy.get().then_some("true")
                                >
                                    {move || match (busy.get(), kind.get()) {
                                        (true, _) => "Recording…",
                                        (false, RecordKind::Decision) => "Record decision",
                                        (false, RecordKind::Action) => "Record action",
                                    }}
                                </button>
                                <button
                                    type="button"
                                    class="button secondary small"
                                    on:click=move |_| close()
                                >
                                    "Cancel"
                                </button>
                            </div>
                            <p class="hint">"Escape closes this form."</p>
                        </form>
                    }
                        .into_any()
                }
            }}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_values_round_trip() {
        for owner in [
            Owner::Organisation { organisation_id: 3 },
            Owner::Person { user_id: 7 },
        ] {
            assert_eq!(parse_owner(&owner_value(&owner)), Some(owner));
        }
        assert_eq!(parse_owner(""), None);
        assert_eq!(parse_owner("team:1"), None);
        assert_eq!(parse_owner("person:x"), None);
    }
}
