//! The organisation profile form, for adding an organisation and for its
//! leads editing it. The form checks what needs no server, then hands the
//! body to its page, which sends it and puts any refusal back with
//! `show_api_error`.

use leptos::prelude::*;
use shared::ApiError;
use shared::api::organisations::SaveOrganisation;
use shared::limits::ORG_NAME_MAX_CHARS;
use shared::taxonomy::OrganisationSize;

use crate::components::form_errors::{FormAlert, FormErrors, focus_later};
use crate::components::org_text_field::InputField;
use crate::components::taxonomy_checkboxes::TaxonomyCheckboxes;
use crate::components::taxonomy_select::TaxonomySelect;

/// API field name and DOM id (the one to focus), in the order they appear.
const FIELDS: [(&str, &str); 7] = [
    ("name", "org-name"),
    ("description", "org-description"),
    ("activity_types", "org-activity-arts"),
    ("locality", "org-locality"),
    ("populations_served", "org-populations"),
    ("size", "org-size"),
    ("charity_number", "org-charity-number"),
];

/// Puts a server refusal next to its field (or at the top) and moves focus there.
pub fn show_api_error(errors: RwSignal<FormErrors>, error: ApiError) {
    let names: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
    let found = FormErrors::from_api(error, &names);
    focus_later(found.focus_target(&FIELDS));
    errors.set(found);
}

#[component]
pub fn OrgProfileForm(
    /// The saved profile when editing; `None` when adding.
    initial: Option<SaveOrganisation>,
    submit_label: &'static str,
    #[prop(into)] busy: Signal<bool>,
    errors: RwSignal<FormErrors>,
    on_submit: Callback<SaveOrganisation>,
    #[prop(optional)] on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    // Adding starts from nothing; the size has no default, so it is chosen on purpose.
    let size = RwSignal::new(initial.as_ref().map(|o| o.size));
    let start = initial.unwrap_or_else(|| SaveOrganisation {
        name: String::new(),
        description: String::new(),
        activity_types: Vec::new(),
        locality: String::new(),
        populations_served: String::new(),
        size: OrganisationSize::Small,
        charity_number: None,
    });
    let name = RwSignal::new(start.name);
    let description = RwSignal::new(start.description);
    let activity_types = RwSignal::new(start.activity_types);
    let locality = RwSignal::new(start.locality);
    let populations = RwSignal::new(start.populations_served);
    let charity_number = RwSignal::new(start.charity_number.unwrap_or_default());

    let field_error = move |name: &'static str| {
        MaybeProp::derive(move || errors.with(|e| e.fields.get(name).cloned()))
    };

    let on_form_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = FormErrors::default();
        let name_len = name.with_untracked(|n| n.trim().chars().count());
        if name_len == 0 {
            found.field("name", "Enter the organisation's name.");
        } else if name_len > ORG_NAME_MAX_CHARS {
            found.field(
                "name",
                format!("Use at most {ORG_NAME_MAX_CHARS} characters for the name."),
            );
        }
        if locality.with_untracked(|l| l.trim().is_empty()) {
            found.field(
                "locality",
                "Enter the town or area where the organisation works, for example Plymouth.",
            );
        }
        let chosen_size = size.get_untracked();
        if chosen_size.is_none() {
            found.field(
                "size",
                "Choose how many people work or volunteer for the organisation.",
            );
        }
        let Some(chosen_size) = chosen_size.filter(|_| found.is_empty()) else {
            focus_later(found.focus_target(&FIELDS));
            errors.set(found);
            return;
        };
        errors.set(FormErrors::default());
        let charity = charity_number.get_untracked().trim().to_owned();
        on_submit.run(SaveOrganisation {
            name: name.get_untracked().trim().to_owned(),
            description: description.get_untracked().trim().to_owned(),
            activity_types: activity_types.get_untracked(),
            locality: locality.get_untracked().trim().to_owned(),
            populations_served: populations.get_untracked().trim().to_owned(),
            size: chosen_size,
            charity_number: (!charity.is_empty()).then_some(charity),
        });
    };

    view! {
        <form id="org-profile-form" class="stack" novalidate on:submit=on_form_submit>
            <FormAlert message=Signal::derive(move || errors.with(|e| e.top.clone())) />
            <InputField
                id="org-name"
                label="Name of the organisation"
                value=name
                required=true
                autocomplete="organization"
                error=field_error("name")
            />
            <InputField
                id="org-description"
                label="What the organisation does"
                value=description
                multiline=true
                hint="A few sentences in your own words: what you run, where, and for whom."
                error=field_error("description")
            />
            <TaxonomyCheckboxes
                id_prefix="org-activity"
                legend="Activities"
                value=activity_types
                hint="Tick every kind of activity you offer."
                error=field_error("activity_types")
            />
            <InputField
                id="org-locality"
                label="Locality"
                value=locality
                required=true
                autocomplete="address-level2"
                hint="The town or area where you work, for example Plymouth."
                error=field_error("locality")
            />
            <InputField
                id="org-populations"
                label="Who you work with"
                value=populations
                multiline=true
                hint="For example: adults referred by link workers, young carers, older people living alone."
                error=field_error("populations_served")
            />
            <TaxonomySelect
                id="org-size"
                value=size
                empty_label="Choose a size"
                hint="Paid staff and regular volunteers together."
                error=field_error("size")
            >
                "Size"
            </TaxonomySelect>
            <InputField
                id="org-charity-number"
                label="Charity or company number (optional)"
                value=charity_number
                autocomplete="off"
                error=field_error("charity_number")
            />
            <div class="inline-actions">
                <button
                    type="submit"
                    id="org-save"
                    class="button primary"
                    aria-busy=move || busy.get().then_some("true")
                >
                    {submit_label}
                </button>
                {on_cancel
                    .map(|cancel| {
                        view! {
                            <button
                                type="button"
                                id="org-cancel"
                                class="button secondary"
                                on:click=move |_| cancel.run(())
                            >
                                "Cancel"
                            </button>
                        }
                    })}
            </div>
        </form>
    }
}
