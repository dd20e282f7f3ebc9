//! A co-op's pending join requests and invitations that the viewer may see,
//! each with what they may do about it.

use leptos::prelude::*;
use shared::api::coops::{CoopRequestView, CoopView};

use crate::components::coop_request_item::CoopRequestItem;
use crate::components::form_errors::focus_later;

#[component]
pub fn CoopRequests(
    coop: RwSignal<CoopView>,
    /// After one was decided or withdrawn: the page reloads the co-op.
    on_changed: Callback<()>,
) -> impl IntoView {
    let requests = Memo::new(move |_| coop.with(|c| c.requests.clone()));
    let status = RwSignal::new(None::<String>);
    let on_done = Callback::new(move |(done, said): (CoopRequestView, String)| {
        // Gone from the list at once; the reload brings the members and history.
        let _ = coop.try_update(|c| c.requests.retain(|r| r.id != done.id));
        let _ = status.try_set(Some(said));
        focus_later("coop-requests-heading");
        on_changed.try_run(());
    });

    view! {
        <Show when=move || !requests.with(Vec::is_empty) || status.with(Option::is_some)>
            <section id="coop-requests" class="coop-section" aria-labelledby="coop-requests-heading">
                <h2 id="coop-requests-heading" tabindex="-1">
                    "Requests and invitations"
                </h2>
                <p id="coop-requests-status" class="form-status" role="status">
                    {move || status.get()}
                </p>
                <Show
                    when=move || !requests.with(Vec::is_empty)
                    fallback=|| view! { <p class="empty-note">"Nothing is waiting."</p> }
                >
                    <ul class="coop-requests">
                        <For
                            each=move || requests.get()
                            key=|r| r.id
                            children=move |request| {
                                view! { <CoopRequestItem request=request on_done=on_done /> }
                            }
                        />
                    </ul>
                </Show>
            </section>
        </Show>
    }
}
