//! The inline "Delete this …? This cannot be undone." question with "Yes,
//! delete" and "Cancel", for messages and posts alike. Whoever opens it puts
//! focus on Cancel (a second tap or Enter must not delete by accident);
//! Escape cancels.

use leptos::prelude::*;

#[component]
pub fn DeleteConfirm(
    /// Id of the question, which names the group for screen readers.
    question_id: String,
    question: &'static str,
    cancel_id: String,
    /// Extra classes on the "Yes, delete" button.
    #[prop(optional)]
    confirm_class: &'static str,
    #[prop(into)] busy: Signal<bool>,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
    /// Shown after the buttons, inside the group (an error line).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let labelled_by = question_id.clone();
    view! {
        <div
            class="delete-confirm"
            role="group"
            aria-labelledby=labelled_by
            on:keydown=move |ev| {
                if ev.key() == "Escape" {
                    ev.prevent_default();
                    on_cancel.run(());
                }
            }
        >
            <p id=question_id>{question}</p>
            <div class="inline-actions">
                <button
                    type="button"
                    class=format!("button danger small {confirm_class}").trim_end().to_owned()
                    aria-busy=move || busy.get().then_some("true")
                    on:click=move |_| on_confirm.run(())
                >
                    {move || if busy.get() { "Deleting…" } else { "Yes, delete" }}
                </button>
                <button
                    type="button"
                    id=cancel_id
                    class="button secondary small"
                    on:click=move |_| on_cancel.run(())
                >
                    "Cancel"
                </button>
            </div>
            {children.map(|c| c())}
        </div>
    }
}
