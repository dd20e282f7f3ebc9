//! Plain text with the first appearance of each approved glossary term
//! explained in place. The HTML is the same the server renders inside thread
//! posts, so one stylesheet and one Escape handler serve both:
//! `<span class="gloss-wrap"><span class="gloss" tabindex="0"
//! aria-describedby="ID">ICB</span><span class="gloss-tip" role="tooltip"
//! id="ID"><strong>ICB</strong>: definition</span></span>`.

use leptos::prelude::*;
use shared::glossary::{Segment, segments};

use crate::glossary::{patterns, use_glossary};

/// One stretch of the text, owned, so the view outlives the borrow.
#[derive(Clone, Debug, PartialEq)]
enum Piece {
    Plain(String),
    Term {
        text: String,
        term: String,
        definition: String,
    },
}

#[component]
pub fn GlossaryText(
    #[prop(into)] text: Signal<String>,
    /// Starts the tooltips' ids, which must be unique on the page:
    /// `gl-m{message_id}` gives `gl-m42-1`, `gl-m42-2`, …
    #[prop(into)]
    id_prefix: String,
) -> impl IntoView {
    let glossary = use_glossary();
    let pieces = Memo::new(move |_| {
        text.with(|text| {
            glossary.with_terms(|terms| {
                if terms.is_empty() {
                    return vec![Piece::Plain(text.clone())];
                }
                segments(text, &patterns(terms))
                    .into_iter()
                    .map(|segment| match segment {
                        Segment::Plain(t) => Piece::Plain(t.to_owned()),
                        Segment::Term { text, term_id } => {
                            match terms.iter().find(|t| t.id == term_id) {
                                Some(t) => Piece::Term {
                                    text: text.to_owned(),
                                    term: t.term.clone(),
                                    definition: t.definition.clone(),
                                },
                                None => Piece::Plain(text.to_owned()),
                            }
                        }
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    move || {
        let mut n = 0;
        pieces.with(|pieces| {
            pieces
                .iter()
                .map(|piece| match piece {
                    Piece::Plain(t) => t.clone().into_any(),
                    Piece::Term {
                        text,
                        term,
                        definition,
                    } => {
                        n += 1;
                        let id = format!("{id_prefix}-{n}");
                        view! {
                            <span class="gloss-wrap">
                                <span class="gloss" tabindex="0" aria-describedby=id.clone()>
                                    {text.clone()}
                                </span>
                                <span class="gloss-tip" role="tooltip" id=id>
                                    <strong>{term.clone()}</strong>
                                    ": "
                                    {definition.clone()}
                                </span>
                            </span>
                        }
                        .into_any()
                    }
                })
                .collect_view()
        })
    }
}
