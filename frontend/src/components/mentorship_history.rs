//! A mentorship's history: who moved it, to what, when, and why.

use leptos::prelude::*;
use shared::api::mentorships::TransitionRecord;
use shared::taxonomy::MentorshipStatus as S;

use crate::components::message_item::format_time;

/// "Asha Patel accepted", "Ben Carter asked for this mentor", …
pub fn step_sentence(record: &TransitionRecord) -> String {
    let who = &record.actor.display_name;
    let what = match (record.from, record.to) {
        (None, S::Requested) => "asked for this mentor".to_owned(),
        (None, S::Proposed) => "proposed the match".to_owned(),
        (Some(S::Requested), S::Proposed) => "approved the request".to_owned(),
        (_, S::Active) if record.from == Some(S::Paused) => "resumed it".to_owned(),
        (_, S::Active) => "accepted".to_owned(),
        (_, S::Declined) => "declined".to_owned(),
        (_, S::Withdrawn) => "withdrew it".to_owned(),
        (_, S::Paused) => "paused it".to_owned(),
        (_, S::Completed) => "marked it completed".to_owned(),
        (_, to) => format!("moved it to “{}”", to.label()),
    };
    format!("{who} {what}")
}

#[component]
pub fn MentorshipHistory(#[prop(into)] history: Signal<Vec<TransitionRecord>>) -> impl IntoView {
    view! {
        <section class="programme-section" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <ol class="history" id="history">
                {move || {
                    history
                        .get()
                        .into_iter()
                        .map(|record| {
                            let sentence = step_sentence(&record);
                            let when = format_time(&record.at);
                            let stamp = record.at.to_rfc3339();
                            view! {
                                <li class="history-step">
                                    <p class="history-what">
                                        {sentence} " "
                                        <time class="muted" datetime=stamp>{format!("({when})")}</time>
                                    </p>
                                    {record
                                        .reason
                                        .map(|r| {
                                            view! {
                                                <p class="history-reason">
                                                    <span class="muted">"Reason: "</span>
                                                    {r}
                                                </p>
                                            }
                                        })}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ol>
        </section>
    }
}
