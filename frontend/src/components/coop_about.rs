//! A co-op's details (locality and purpose), and for its coordinators and
//! the programme team the form that edits them.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::coops::{CoopView, SaveCoop};

use crate::api::coops;
use crate::app::use_session;
use crate::components::form_errors::{FormErrors, focus_later};
use crate::components::org_text_field::InputField;

/// API field name and DOM id of the edit form's fields, in form order.
const FIELDS: [(&str, &str); 3] = [
    ("name", "coop-edit-name"),
    ("locality", "coop-edit-locality"),
    ("purpose", "coop-edit-purpose"),
];

/// Empty required fields, said per field.
pub fn check_coop(name: &str, locality: &str, purpose: &str) -> FormErrors {
    let mut found = FormErrors::default();
    if name.trim().is_empty() {
        found.field("name", "Give the co-operative a name.");
    }
    if locality.trim().is_empty() {
        found.field("locality", "Say which town, city or area it works in.");
    }
    if purpose.trim().is_empty() {
        found.field(
            "purpose",
            "Say in a sentence or two what the organisations are in it together for.",
        );
    }
    found
}

#[component]
pub fn CoopAbout(coop: RwSignal<CoopView>) -> impl IntoView {
    let locality = Memo::new(move |_| coop.with(|c| c.locality.clone()));
    let purpose = Memo::new(move |_| coop.with(|c| c.purpose.clone()));
    let may_edit = Memo::new(move |_| coop.with(|c| c.viewer.coordinator || c.viewer.admin));
    let editing = RwSignal::new(false);
    let saved = RwSignal::new(None::<String>);

    view! {
        <section class="coop-section" aria-labelledby="coop-about-heading">
            <h2 id="coop-about-heading">"About"</h2>
            <Show
                when=move || editing.get()
                fallback=move || {
                    view! {
                        <dl class="facts">
                            <div>
                                <dt>"Locality"</dt>
                                <dd id="coop-locality">{move || locality.get()}</dd>
                            </div>
                        </dl>
                        <p id="coop-purpose" class="coop-purpose">
                            {move || purpose.get()}
                        </p>
                        <p id="coop-about-status" class="form-status" role="status">
                            {move || saved.get()}
                        </p>
                        <Show when=move || may_edit.get()>
                            <button
                                type="button"
                                id="coop-edit"
                                class="button secondary"
                                on:click=move |_| {
                                    saved.set(None);
                                    editing.set(true);
                                    focus_later("coop-edit-name");
                                }
                            >
                                "Edit details"
                            </button>
                        </Show>
                    }
                }
            >
                <CoopEditForm coop=coop editing=editing saved=saved />
            </Show>
        </section>
    }
}

#[component]
fn CoopEditForm(
    coop: RwSignal<CoopView>,
    editing: RwSignal<bool>,
    saved: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let (coop_id, start) = coop.with_untracked(|c| {
        (
            c.id,
            (c.name.clone(), c.locality.clone(), c.purpose.clone()),
        )
    });
    let name = RwSignal::new(start.0);
    let locality = RwSignal::new(start.1);
    let purpose = RwSignal::new(start.2);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let field_error = move |field: &'static str| {
        MaybeProp::derive(move || errors.with(|e| e.fields.get(field).cloned()))
    };
    let show = move |found: FormErrors| {
        let target = if found.fields.is_empty() {
            "coop-edit-error"
        } else {
            found.focus_target(&FIELDS)
        };
        focus_later(target);
        errors.set(found);
    };
    let close = move || {
        editing.set(false);
        focus_later("coop-edit");
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (n, l, p) = (
            name.get_untracked(),
            locality.get_untracked(),
            purpose.get_untracked(),
        );
        let found = check_coop(&n, &l, &p);
        if !found.is_empty() {
            show(found);
            return;
        }
        errors.set(FormErrors::default());
        let body = SaveCoop {
            name: n.trim().to_owned(),
            locality: l.trim().to_owned(),
            purpose: p.trim().to_owned(),
            coordinator_ids: Vec::new(),
        };
        busy.set(true);
        spawn_local(async move {
            let result = coops::update_coop(coop_id, &body).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    let _ = coop.try_set(view);
                    let _ = saved.try_set(Some("The details are saved.".to_owned()));
                    close();
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
                        show(FormErrors::from_api(e, &names));
                    }
                }
            }
        });
    };

    view! {
        <form id="coop-edit-form" class="stack coop-form" novalidate on:submit=on_submit>
            <div id="coop-edit-error" class="form-error" role="alert" tabindex="-1">
                {move || errors.with(|e| e.top.clone()).map(|m| view! { <p>{m}</p> })}
            </div>
            <InputField
                id="coop-edit-name"
                label="Name"
                value=name
                required=true
                autocomplete="off"
                error=field_error("name")
            />
            <InputField
                id="coop-edit-locality"
                label="Locality"
                value=locality
                required=true
                autocomplete="address-level2"
                hint="The town, city or area it works in."
                error=field_error("locality")
            />
            <InputField
                id="coop-edit-purpose"
                label="Purpose"
                value=purpose
                required=true
                multiline=true
                hint="What the organisations are in it together for."
                error=field_error("purpose")
            />
            <div class="inline-actions">
                <button
                    type="submit"
                    id="coop-edit-save"
                    class="button primary"
                    aria-busy=move || busy.get().then_some("true")
                >
                    {move || if busy.get() { "Saving…" } else { "Save details" }}
                </button>
                <button type="button" class="button secondary" on:click=move |_| close()>
                    "Cancel"
                </button>
            </div>
        </form>
    }
}
