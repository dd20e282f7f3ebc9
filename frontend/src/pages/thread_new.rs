//! Starting a practice thread: a title, one to four topics (the one in
//! `?topic=` ticked already), activity types if they help, and the opening
//! post in Markdown.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::threads::{CreateThread, Visibility};
use shared::limits::{THREAD_TITLE_MAX_CHARS, THREAD_TOPICS_MAX};
use shared::taxonomy::{ActivityType, Topic};

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::form_errors::{FormAlert, FormErrors, focus_later};
use crate::components::markdown_editor::MarkdownEditor;
use crate::components::org_text_field::InputField;
use crate::components::post_item::body_problem;
use crate::components::taxonomy_checkboxes::TaxonomyCheckboxes;

/// API field name and DOM id (the one to focus), in the order they appear.
const FIELDS: [(&str, &str); 4] = [
    ("title", "thread-title"),
    ("topics", "thread-topics-safeguarding"),
    ("activity_types", "thread-activity-arts"),
    ("body", "thread-body"),
];

/// What is wrong with a thread's title and topics, before asking the server
/// (starting a thread, and its author editing it).
pub fn check_head(title: &str, topic_count: usize) -> FormErrors {
    let mut found = FormErrors::default();
    let title_len = title.trim().chars().count();
    if title_len == 0 {
        found.field("title", "Give the thread a title.");
    } else if title_len > THREAD_TITLE_MAX_CHARS {
        found.field(
            "title",
            format!(
                "Use at most {THREAD_TITLE_MAX_CHARS} characters for the title; this one has {title_len}."
            ),
        );
    }
    if topic_count == 0 {
        found.field("topics", "Choose at least one topic.");
    } else if topic_count > THREAD_TOPICS_MAX {
        found.field(
            "topics",
            format!("Choose at most {THREAD_TOPICS_MAX} topics; {topic_count} are ticked."),
        );
    }
    found
}

#[component]
pub fn NewThreadPage() -> impl IntoView {
    set_page_title("New practice thread");
    let session = use_session();
    let navigate = StoredValue::new_local(use_navigate());
    let query = use_query_map();
    let preset = query.with_untracked(|q| q.get("topic").and_then(|s| Topic::from_slug(&s)));

    let title = RwSignal::new(String::new());
    let topics = RwSignal::new(preset.into_iter().collect::<Vec<Topic>>());
    let activity_types = RwSignal::new(Vec::<ActivityType>::new());
    let body = RwSignal::new(String::new());
    let previewing = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);

    let field_error = move |name: &'static str| {
        MaybeProp::derive(move || errors.with(|e| e.fields.get(name).cloned()))
    };
    let show = move |found: FormErrors| {
        if found.fields.contains_key("body") {
            // The error sits under the text box; show the box, not the preview.
            previewing.set(false);
        }
        focus_later(found.focus_target(&FIELDS));
        errors.set(found);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = title.with_untracked(|t| check_head(t, topics.with_untracked(Vec::len)));
        if let Some(problem) = body.with_untracked(|b| body_problem(b, "Write the opening post.")) {
            found.field("body", problem);
        }
        if !found.is_empty() {
            show(found);
            return;
        }
        errors.set(FormErrors::default());
        busy.set(true);
        let request = CreateThread {
            title: title.get_untracked().trim().to_owned(),
            body: body.get_untracked().trim().to_owned(),
            topics: topics.get_untracked(),
            activity_types: activity_types.get_untracked(),
            // Co-operative threads come with co-operatives.
            visibility: Visibility::Members,
            organisation_id: None,
        };
        spawn_local(async move {
            match api::create_thread(&request).await {
                Ok(created) => {
                    let path = format!("/threads/{}", created.thread.id);
                    navigate.try_with_value(|navigate| navigate(&path, Default::default()));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        let names: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
                        show(FormErrors::from_api(e, &names));
                    }
                }
            }
            let _ = busy.try_set(false);
        });
    };

    view! {
        <main id="main" class="page thread-new-page">
            <p class="back-link">
                <a href="/threads">"All practice threads"</a>
            </p>
            <h1>"New practice thread"</h1>
            <p>
                "Ask a question or share a piece of practice. Every member of the programme can read it and reply."
            </p>
            <form id="new-thread-form" class="stack" novalidate on:submit=on_submit>
                <FormAlert message=Signal::derive(move || errors.with(|e| e.top.clone())) />
                <InputField
                    id="thread-title"
                    label="Title"
                    value=title
                    required=true
                    autocomplete="off"
                    hint=format!(
                        "One line that says what the thread is about, up to {THREAD_TITLE_MAX_CHARS} characters.",
                    )
                    error=field_error("title")
                />
                <TaxonomyCheckboxes
                    id_prefix="thread-topics"
                    legend="Topics"
                    value=topics
                    hint=format!("Choose one to {THREAD_TOPICS_MAX}.")
                    error=field_error("topics")
                />
                <TaxonomyCheckboxes
                    id_prefix="thread-activity"
                    legend="Activity types (optional)"
                    value=activity_types
                    hint="Tick any that the thread is about."
                    error=field_error("activity_types")
                />
                <MarkdownEditor
                    id="thread-body"
                    label="Opening post"
                    value=body
                    error=field_error("body")
                    previewing=previewing
                    rows=10
                />
                <div class="inline-actions">
                    <button
                        type="submit"
                        id="post-thread"
                        class="button primary"
                        aria-busy=move || busy.get().then_some("true")
                    >
                        {move || if busy.get() { "Posting…" } else { "Post thread" }}
                    </button>
                    <a href="/threads" class="button secondary">
                        "Cancel"
                    </a>
                </div>
            </form>
        </main>
    }
}
