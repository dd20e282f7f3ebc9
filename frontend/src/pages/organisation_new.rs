//! Creating an organisation (it waits for the programme team's approval).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use shared::api::organisations::SaveOrganisation;

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::form_errors::FormErrors;
use crate::components::org_profile_form::{OrgProfileForm, show_api_error};

#[component]
pub fn NewOrganisationPage() -> impl IntoView {
    set_page_title("Add your organisation");
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let busy = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());

    let on_submit = Callback::new(move |body: SaveOrganisation| {
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            match api::create_organisation(&body).await {
                Ok(org) => {
                    let path = format!("/organisations/{}", org.id);
                    navigate.try_with_value(|navigate| navigate(&path, Default::default()));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        show_api_error(errors, e);
                    }
                }
            }
            busy.set(false);
        });
    });

    view! {
        <main id="main" class="page narrow">
            <h1>"Add your organisation"</h1>
            <p>
                "Tell the programme team about your organisation. They approve each one before it appears in the directory; until then only you and they can see it."
            </p>
            <p class="muted">
                "You become its first lead: you can then list what you want help with and invite your colleagues as staff."
            </p>
            <OrgProfileForm
                initial=None
                submit_label="Add organisation"
                busy=busy
                errors=errors
                on_submit=on_submit
            />
        </main>
    }
}
