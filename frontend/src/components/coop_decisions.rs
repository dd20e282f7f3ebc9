//! A co-op's decisions log (members only), newest first, each with the
//! message it came from; and "Record a decision".

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::coops::{CoopId, CreateRecord, RecordKind, RecordView, RecordsResponse};

use crate::api::coops;
use crate::app::use_session;
use crate::components::coop_action_item::source_link;
use crate::components::coop_actions::{apply_record, remove_record};
use crate::components::coop_history::short_date;
use crate::components::delete_confirm::DeleteConfirm;
use crate::components::form_errors::focus_later;
use crate::components::retry_notice::RetryNotice;
use crate::pages::coop::Part;

#[component]
pub fn CoopDecisions(
    coop_id: CoopId,
    records: RwSignal<Part<RecordsResponse>>,
    retry: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let decisions = Memo::new(move |_| {
        records.with(|r| match r {
            Part::Ready(log) => log.decisions.clone(),
            _ => Vec::new(),
        })
    });
    let loaded = move || records.with(|r| matches!(r, Part::Ready(_)));
    let status = RwSignal::new(None::<String>);
    let text = RwSignal::new(String::new());
    let text_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let deleting = RwSignal::new(None::<i64>);
    let delete_busy = RwSignal::new(false);
    let delete_error = RwSignal::new(None::<String>);

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let body_text = text.get_untracked().trim().to_owned();
        if body_text.is_empty() {
            text_error.set(Some("Write down what was decided.".to_owned()));
            focus_later("decision-new-text");
            return;
        }
        text_error.set(None);
        busy.set(true);
        let body = CreateRecord {
            kind: RecordKind::Decision,
            text: body_text,
            message_id: None,
            owner: None,
            due_on: None,
        };
        spawn_local(async move {
            let result = coops::create_record(coop_id, &body).await;
            let _ = busy.try_set(false);
            match result {
                Ok(record) => {
                    let _ = records.try_update(|r| {
                        if let Part::Ready(log) = r {
                            apply_record(log, record);
                        }
                    });
                    let _ = text.try_set(String::new());
                    let _ = status.try_set(Some("The decision is recorded.".to_owned()));
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    let _ = text_error.try_set(Some(e.message));
                    focus_later("decision-new-text");
                }
            }
        });
    };

    view! {
        <section id="coop-decisions" class="coop-section" aria-labelledby="coop-decisions-heading">
            <h2 id="coop-decisions-heading" tabindex="-1">
                "Decisions"
            </h2>
            {move || match records.get() {
                Part::Loading => {
                    view! { <p class="muted">"Loading decisions…"</p> }.into_any()
                }
                Part::Failed(message) => {
                    view! { <RetryNotice message=message on_retry=retry /> }.into_any()
                }
                Part::Ready(_) => ().into_any(),
            }}
            <Show when=move || loaded() && decisions.with(Vec::is_empty)>
                <p class="empty-note" id="coop-decisions-empty">
                    "No decisions recorded yet."
                </p>
            </Show>
            <ol class="coop-records coop-decision-log">
                <For
                    each=move || decisions.get()
                    key=|d| (d.id, d.text.clone(), d.may_delete)
                    children=move |d: RecordView| {
                        let id = d.id;
                        let when = short_date(&d.created_at);
                        let iso = d.created_at.to_rfc3339();
                        let delete_id = format!("coop-decision-delete-{id}");
                        let delete = Callback::new(move |()| {
                            if delete_busy.get_untracked() {
                                return;
                            }
                            delete_busy.set(true);
                            delete_error.set(None);
                            spawn_local(async move {
                                let result = coops::delete_record(id).await;
                                let _ = delete_busy.try_set(false);
                                match result {
                                    Ok(()) => {
                                        let _ = deleting.try_set(None);
                                        let _ = status.try_set(Some("Deleted the decision.".to_owned()));
                                        focus_later("coop-decisions-heading");
                                        let _ = records.try_update(|r| {
                                            if let Part::Ready(log) = r {
                                                remove_record(log, id);
                                            }
                                        });
                                    }
                                    Err(e) if session.auth.check(&e) => {}
                                    Err(e) => {
                                        let _ = delete_error.try_set(Some(format!("Could not delete it. {}", e.message)));
                                    }
                                }
                            });
                        });
                        let cancel = {
                            let delete_id = delete_id.clone();
                            Callback::new(move |()| {
                                deleting.set(None);
                                delete_error.set(None);
                                focus_later(delete_id.clone());
                            })
                        };
                        view! {
                            <li class="coop-decision coop-record" data-record-id=id>
                                <p class="coop-decision-text">{d.text.clone()}</p>
                                {d.source.as_ref().map(source_link)}
                                <p class="coop-record-meta muted">
                                    "Recorded by " {d.created_by.display_name.clone()} " · "
                                    <time datetime=iso>{when}</time>
                                </p>
                                {d.may_delete.then(|| view! {
                                    <Show
                                        when=move || deleting.get() == Some(id)
                                        fallback={
                                            let delete_id = delete_id.clone();
                                            move || view! {
                                                <button
                                                    type="button"
                                                    id=delete_id.clone()
                                                    class="link-button coop-decision-delete"
                                                    on:click=move |_| {
                                                        delete_error.set(None);
                                                        deleting.set(Some(id));
                                                        focus_later(format!("coop-decision-delete-cancel-{id}"));
                                                    }
                                                >
                                                    "Delete" <span class="visually-hidden">" this decision"</span>
                                                </button>
                                            }
                                        }
                                    >
                                        <DeleteConfirm
                                            question_id=format!("coop-decision-delete-question-{id}")
                                            question="Delete this decision? This cannot be undone."
                                            cancel_id=format!("coop-decision-delete-cancel-{id}")
                                            confirm_class="coop-decision-delete-confirm"
                                            busy=delete_busy
                                            on_confirm=delete
                                            on_cancel=cancel
                                        >
                                            <p class="field-error" role="alert">{move || delete_error.get()}</p>
                                        </DeleteConfirm>
                                    </Show>
                                })}
                            </li>
                        }
                    }
                />
            </ol>
            <p id="coop-decisions-status" class="form-status" role="status">
                {move || status.get()}
            </p>
            <form id="decision-new" class="coop-form" novalidate on:submit=on_submit>
                <div class="field" class:has-error=move || text_error.with(Option::is_some)>
                    <label for="decision-new-text">"Record a decision"</label>
                    <textarea
                        id="decision-new-text"
                        name="text"
                        rows="3"
                        required
                        aria-invalid=move || text_error.with(Option::is_some).then_some("true")
                        aria-describedby="decision-new-text-hint decision-new-text-error"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    ></textarea>
                    <p class="hint" id="decision-new-text-hint">
                        "What was agreed, in a sentence, such as “We will submit the joint bid by 31 March.”"
                    </p>
                    <p class="field-error" id="decision-new-text-error" role="alert">
                        {move || text_error.get()}
                    </p>
                </div>
                <button
                    type="submit"
                    id="decision-new-submit"
                    class="button primary"
                    aria-busy=move || busy.get().then_some("true")
                >
                    "Record decision"
                </button>
            </form>
        </section>
    }
}
