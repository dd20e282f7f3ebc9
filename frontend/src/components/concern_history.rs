//! A concern's history, oldest first: who did what and when, with their note.

use leptos::prelude::*;
use shared::api::concerns::ConcernHistoryEntry;

use crate::components::message_item::format_time;

fn action_sentence(action: &str) -> &'static str {
    match action {
        "raised" => "raised the concern",
        "acknowledged" => "acknowledged it",
        "actioned" => "marked it actioned",
        "closed" => "closed it",
        "reopened" => "reopened it",
        "note" => "added a note",
        _ => "updated it",
    }
}

#[component]
pub fn ConcernHistory(#[prop(into)] history: Signal<Vec<ConcernHistoryEntry>>) -> impl IntoView {
    view! {
        <section id="concern-history" class="concern-section" aria-labelledby="concern-history-heading">
            <h2 id="concern-history-heading">"History"</h2>
            <ol class="coop-history concern-history">
                <For
                    each=move || history.get().into_iter().enumerate()
                    key=|(i, e)| (*i, e.at, e.action.clone())
                    children=|(_, entry)| {
                        let who = entry
                            .actor
                            .as_ref()
                            .map(|a| a.display_name.clone())
                            .unwrap_or_else(|| "Someone".to_owned());
                        let when = format_time(&entry.at);
                        let stamp = entry.at.to_rfc3339();
                        let sentence = format!("{who} {}", action_sentence(&entry.action));
                        let note = (!entry.note.is_empty()).then_some(entry.note.clone());
                        view! {
                            <li class="coop-history-entry concern-history-entry" data-action=entry.action.clone()>
                                <p>
                                    {sentence} " · " <time datetime=stamp>{when}</time>
                                </p>
                                {note.map(|n| view! { <p class="concern-history-note">{n}</p> })}
                            </li>
                        }
                    }
                />
            </ol>
        </section>
    }
}
