//! Starting a practice thread: a title, who can read it (everyone, or one
//! of the author's co-ops; the one in `?coop=` chosen already), one to four
//! topics (the one in `?topic=` ticked already), activity types if they
//! help, and the opening post in Markdown.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use shared::api::coops::CoopCard;
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
const FIELDS: [(&str, &str); 5] = [
    ("title", "thread-title"),
    ("visibility", "thread-visibility"),
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
    let preset_coop = query.with_untracked(|q| q.get("coop").and_then(|s| s.parse::<i64>().ok()));

    let title = RwSignal::new(String::new());
    let topics = RwSignal::new(preset.into_iter().collect::<Vec<Topic>>());
    let activity_types = RwSignal::new(Vec::<ActivityType>::new());
    let body = RwSignal::new(String::new());
    let previewing = RwSignal::new(false);
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    // `None`: everyone on the platform; else the co-op whose members may read it.
    let coop = RwSignal::new(preset_coop);
    let my_coops = RwSignal::new(Vec::<CoopCard>::new());
    let coops_error = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::coops::list_coops(&shared::api::coops::ListCoops::default()).await {
            Ok(found) => {
                let mine: Vec<CoopCard> = found.coops.into_iter().filter(|c| c.is_member).collect();
                // A co-op in the address that is not one of the author's
                // cannot be chosen; say so rather than post somewhere else.
                if let Some(id) = preset_coop
                    && !mine.iter().any(|c| c.id == id)
                {
                    let _ = coop.try_set(None);
                    let _ = coops_error.try_set(Some(
                        "You are not a member of that co-op, so this thread is for everyone unless you choose another."
                            .to_owned(),
                    ));
                }
                let _ = my_coops.try_set(mine);
            }
            Err(e) => {
                if !session.auth.check(&e) {
                    let _ = coop.try_set(None);
                    let _ = coops_error.try_set(Some(format!(
                        "Could not load your co-ops, so only “Everyone on the platform” can be chosen. {}",
                        e.message
                    )));
                }
            }
        }
    });

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
            visibility: match coop.get_untracked() {
                Some(coop_id) => Visibility::Coop { coop_id },
                None => Visibility::Members,
            },
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
                "Ask a question or share a piece of practice, with everyone on the platform or, if you belong to one, only with your co-op."
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
                <VisibilitySelect
                    coop=coop
                    coops=my_coops
                    note=coops_error
                    error=field_error("visibility")
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

/// "Who can read this": everyone, or the members of one of the author's co-ops.
#[component]
fn VisibilitySelect(
    coop: RwSignal<Option<i64>>,
    coops: RwSignal<Vec<CoopCard>>,
    /// Why a co-op asked for could not be chosen.
    note: RwSignal<Option<String>>,
    error: MaybeProp<String>,
) -> impl IntoView {
    let describe = move || {
        let mut ids = vec!["thread-visibility-hint"];
        if note.with(Option::is_some) {
            ids.push("thread-visibility-note");
        }
        if error.with(Option::is_some) {
            ids.push("thread-visibility-error");
        }
        ids.join(" ")
    };
    let hint = move || match coop
        .get()
        .and_then(|id| coops.with(|list| list.iter().find(|c| c.id == id).map(|c| c.name.clone())))
    {
        Some(name) => format!(
            "Only the staff of {name}’s member organisations and its coordinators can read and reply."
        ),
        None => "Every member of the platform can read it and reply.".to_owned(),
    };
    view! {
        <div class="field" class:has-error=move || error.with(Option::is_some)>
            <label for="thread-visibility">"Who can read this"</label>
            <select
                id="thread-visibility"
                name="visibility"
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                aria-describedby=describe
                on:change=move |ev| coop.set(event_target_value(&ev).parse::<i64>().ok())
            >
                <option value="" prop:selected=move || coop.with(Option::is_none)>
                    "Everyone on the platform"
                </option>
                <For
                    each=move || coops.get()
                    key=|c| (c.id, c.name.clone())
                    children=move |c| {
                        let id = c.id;
                        view! {
                            <option value=id prop:selected=move || coop.get() == Some(id)>
                                {format!("Members of {}", c.name)}
                            </option>
                        }
                    }
                />
            </select>
            <p class="hint" id="thread-visibility-hint">
                {hint}
            </p>
            <p class="hint" id="thread-visibility-note">
                {move || note.get()}
            </p>
            <p class="field-error" id="thread-visibility-error" role="alert">
                {move || error.get()}
            </p>
        </div>
    }
}
