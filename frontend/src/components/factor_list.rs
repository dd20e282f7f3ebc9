//! Why a mentor scored as they did: one line per factor, with its points
//! out of the most it could give ("42.9 of 60"), a small bar drawn for the
//! eye, and the server's sentence explaining it.

use leptos::prelude::*;
use shared::api::programme::{Factor, FactorScore};
use shared::taxonomy::Topic;

/// What a person reads for a factor.
pub fn factor_label(factor: Factor) -> &'static str {
    match factor {
        Factor::Topics => "Topics",
        Factor::Place => "Place",
        Factor::Activities => "Activities",
        Factor::Capacity => "Capacity",
    }
}

/// Points as people write them: "60", "42.9", never "42.857142".
pub fn points(value: f64) -> String {
    let tenths = (value * 10.0).round() / 10.0;
    if tenths.fract() == 0.0 {
        format!("{tenths:.0}")
    } else {
        format!("{tenths:.1}")
    }
}

/// "Score 78 of 100", with the number in its own element for styling.
#[component]
pub fn FactorScoreLine(score: f64) -> impl IntoView {
    view! {
        <p class="match-score">
            "Score " <strong class="score-value">{points(score)}</strong> " of 100"
        </p>
    }
}

#[component]
pub fn FactorList(factors: Vec<FactorScore>) -> impl IntoView {
    view! {
        <ul class="factors">
            {factors
                .into_iter()
                .map(|f| {
                    let share = if f.max_points > 0.0 {
                        (f.points / f.max_points).clamp(0.0, 1.0) * 100.0
                    } else {
                        0.0
                    };
                    view! {
                        <li class="factor" data-factor=factor_label(f.factor).to_lowercase()>
                            <p class="factor-head">
                                <span class="factor-name">{factor_label(f.factor)}</span>
                                <span class="factor-points">
                                    {format!("{} of {}", points(f.points), points(f.max_points))}
                                </span>
                            </p>
                            // The numbers are in the text above; the bar is for the eye only.
                            <svg class="factor-bar" aria-hidden="true" focusable="false" width="100%" height="8">
                                <rect class="factor-track" x="0" y="0" width="100%" height="8" rx="4" />
                                <rect
                                    class="factor-fill"
                                    x="0"
                                    y="0"
                                    width=format!("{share:.1}%")
                                    height="8"
                                    rx="4"
                                />
                            </svg>
                            <p class="factor-explanation">{f.explanation}</p>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The needed topics a mentor covers, as a short list of labels.
#[component]
pub fn CoveredTopics(topics: Vec<Topic>) -> impl IntoView {
    if topics.is_empty() {
        return view! { <p class="covered-topics muted">"Covers none of the needed topics."</p> }
            .into_any();
    }
    view! {
        <div class="covered-topics">
            <p class="covered-label">"Covers these needed topics:"</p>
            <ul class="topic-tags">
                {topics
                    .into_iter()
                    .map(|t| view! { <li class="topic-tag">{t.label()}</li> })
                    .collect_view()}
            </ul>
        </div>
    }
    .into_any()
}
