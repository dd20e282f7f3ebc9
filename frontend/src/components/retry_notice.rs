//! A load that failed: what went wrong, said as an alert, and a button to
//! try again.

use leptos::prelude::*;

#[component]
pub fn RetryNotice(message: String, on_retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="notice" role="alert">
            <p>{message}</p>
            <button type="button" class="button secondary" on:click=move |_| on_retry.run(())>
                "Try again"
            </button>
        </div>
    }
}
