//! A Markdown text box with Write and Preview (the preview is rendered by
//! the server, exactly as the post will be shown), a line of Markdown help
//! and a character counter against the post limit.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::limits::POST_MAX_CHARS;

use crate::api;
use crate::app::use_session;
use crate::components::form_errors::focus_later;

const HELP: &str =
    "Markdown: **bold**, *italic*, lists, > quotes, [links](https://…). No images or HTML.";

/// How long a post is, as the server counts it.
pub fn post_length(text: &str) -> usize {
    text.trim().chars().count()
}

#[derive(Clone, Debug, PartialEq)]
enum Preview {
    Loading,
    Shown(String),
    Failed(String),
}

#[component]
pub fn MarkdownEditor(
    /// The textarea's id; the other ids (`{id}-write`, `{id}-preview`,
    /// `{id}-help`, `{id}-count`, `{id}-error`) derive from it.
    #[prop(into)]
    id: String,
    #[prop(into)] label: String,
    value: RwSignal<String>,
    #[prop(optional, into)] error: MaybeProp<String>,
    /// Showing the preview rather than the text box; a page sets it to
    /// false to bring the text box back (before focusing it, say).
    #[prop(optional)]
    previewing: Option<RwSignal<bool>>,
    #[prop(default = 6)] rows: u32,
) -> impl IntoView {
    let session = use_session();
    let previewing = previewing.unwrap_or_else(|| RwSignal::new(false));
    let preview = RwSignal::new(Preview::Loading);
    // Answers can come back after the text changed again; only the newest counts.
    let latest = StoredValue::new(0u64);
    let length = Memo::new(move |_| value.with(|v| post_length(v)));
    let over = move || length.get() > POST_MAX_CHARS;

    let write_id = format!("{id}-write");
    let preview_button_id = format!("{id}-show-preview");
    let preview_id = format!("{id}-preview");
    let help_id = format!("{id}-help");
    let count_id = format!("{id}-count");
    let error_id = format!("{id}-error");

    let show_write = {
        let id = id.clone();
        move |_| {
            previewing.set(false);
            focus_later(id.clone());
        }
    };
    let show_preview = move |_| {
        let ticket = latest.get_value() + 1;
        latest.set_value(ticket);
        previewing.set(true);
        let text = value.get_untracked();
        if text.trim().is_empty() {
            preview.set(Preview::Shown(String::new()));
            return;
        }
        preview.set(Preview::Loading);
        spawn_local(async move {
            let result = api::preview_markdown(&text).await;
            if latest.try_get_value() != Some(ticket) {
                return;
            }
            let next = match result {
                Ok(answer) => Preview::Shown(answer.html),
                Err(e) if session.auth.check(&e) => return,
                Err(e) => Preview::Failed(format!("Could not show the preview. {}", e.message)),
            };
            let _ = preview.try_set(next);
        });
    };

    let counter = move || {
        let n = length.get();
        if n > POST_MAX_CHARS {
            format!(
                "{} characters over the limit of {POST_MAX_CHARS}",
                n - POST_MAX_CHARS
            )
        } else {
            format!("{n} of {POST_MAX_CHARS} characters")
        }
    };
    let invalid = move || (over() || error.with(Option::is_some)).then_some("true");
    let described_by = format!("{help_id} {count_id} {error_id}");
    let group_label = format!("Write or preview: {label}");

    view! {
        <div class="field markdown-editor" class:has-error=move || error.with(Option::is_some)>
            <div class="editor-head">
                <label for=id.clone()>{label}</label>
                <div class="editor-modes" role="group" aria-label=group_label>
                    <button
                        type="button"
                        id=write_id
                        class="mode-button"
                        aria-pressed=move || if previewing.get() { "false" } else { "true" }
                        on:click=show_write
                    >
                        "Write"
                    </button>
                    <button
                        type="button"
                        id=preview_button_id
                        class="mode-button"
                        aria-pressed=move || if previewing.get() { "true" } else { "false" }
                        aria-controls=preview_id.clone()
                        on:click=show_preview
                    >
                        "Preview"
                    </button>
                </div>
            </div>
            <textarea
                id=id.clone()
                name=id
                rows=rows
                hidden=move || previewing.get()
                aria-describedby=described_by
                aria-invalid=invalid
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            ></textarea>
            <div
                id=preview_id
                class="markdown-preview post-body"
                hidden=move || !previewing.get()
                aria-busy=move || (preview.get() == Preview::Loading).then_some("true")
            >
                {move || match preview.get() {
                    Preview::Loading => view! { <p class="muted">"Loading the preview…"</p> }.into_any(),
                    Preview::Failed(message) => {
                        view! { <p class="field-error">{message}</p> }.into_any()
                    }
                    Preview::Shown(html) if html.is_empty() => {
                        view! { <p class="muted">"Nothing to preview yet."</p> }.into_any()
                    }
                    Preview::Shown(html) => view! { <div inner_html=html></div> }.into_any(),
                }}
            </div>
            <div class="editor-foot">
                <p class="hint" id=help_id>
                    {HELP}
                </p>
                <p class="count" id=count_id class:over=over>
                    {counter}
                </p>
            </div>
            <p class="field-error" id=error_id role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
