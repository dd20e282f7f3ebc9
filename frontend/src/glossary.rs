//! The approved glossary terms every conversation explains inline: read once
//! after sign-in (and again when the glossary page changes them), with the
//! patterns `shared::glossary::segments` finds them by, and the one Escape
//! key handler that dismisses an explanation wherever it shows.

use leptos::ev;
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::glossary::GlossaryTerm;
use shared::glossary::Pattern;
use wasm_bindgen::JsCast;

use crate::api;
use crate::auth::Auth;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Load {
    Idle,
    Loading,
    Loaded,
}

#[derive(Clone, Copy)]
pub struct Glossary {
    auth: Auth,
    /// Approved terms, A–Z.
    terms: RwSignal<Vec<GlossaryTerm>>,
    load: StoredValue<Load>,
    /// Bumped by `reset`, so an answer for the previous person is dropped.
    generation: StoredValue<u64>,
}

impl Glossary {
    pub fn provide(auth: Auth) -> Self {
        let glossary = Self {
            auth,
            terms: RwSignal::new(Vec::new()),
            load: StoredValue::new(Load::Idle),
            generation: StoredValue::new(0),
        };
        provide_context(glossary);
        dismiss_on_escape();
        glossary
    }

    /// Forget the terms: the next person signs in afresh.
    pub fn reset(&self) {
        self.generation.update_value(|g| *g += 1);
        self.load.set_value(Load::Idle);
        self.terms.set(Vec::new());
    }

    /// Reads the terms unless they are loaded or on their way. A failure
    /// leaves the conversations unexplained, not broken; the next call tries again.
    pub fn load_once(&self) {
        if self.load.get_value() != Load::Idle {
            return;
        }
        self.load.set_value(Load::Loading);
        let this = *self;
        let generation = self.generation.get_value();
        spawn_local(async move {
            let result = api::glossary().await;
            if this.generation.try_get_value() != Some(generation) {
                return;
            }
            match result {
                Ok(glossary) => this.set_terms(glossary.terms),
                Err(e) => {
                    this.load.set_value(Load::Idle);
                    this.auth.check(&e);
                }
            }
        });
    }

    /// The glossary page read the list (after a suggestion or a decision):
    /// what it got is the freshest there is.
    pub fn set_terms(&self, terms: Vec<GlossaryTerm>) {
        self.load.set_value(Load::Loaded);
        self.terms.set(terms);
    }

    pub fn with_terms<T>(&self, f: impl FnOnce(&[GlossaryTerm]) -> T) -> T {
        self.terms.with(|terms| f(terms))
    }
}

/// Every way each term is written: the term and its aliases.
pub fn patterns(terms: &[GlossaryTerm]) -> Vec<Pattern<'_>> {
    terms
        .iter()
        .flat_map(|t| {
            std::iter::once(t.term.as_str())
                .chain(t.aliases.iter().map(String::as_str))
                .map(|text| Pattern {
                    term_id: t.id,
                    text,
                })
        })
        .collect()
}

pub fn use_glossary() -> Glossary {
    expect_context::<Glossary>()
}

/// Explanations show on hover and focus; Escape hides them without moving
/// either (WCAG 1.4.13). One listener serves the chat's marks and the ones
/// the server renders in thread posts, which share the `gloss` classes.
fn dismiss_on_escape() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let doc = document.clone();
    // Both live as long as the app does.
    let _keys = window_event_listener(ev::keydown, move |ev| {
        if ev.key() != "Escape" {
            return;
        }
        if let Some(active) = doc.active_element()
            && active.matches(".gloss").unwrap_or(false)
            && let Ok(active) = active.dyn_into::<web_sys::HtmlElement>()
        {
            let _ = active.blur();
        }
        if let Ok(Some(hovered)) = doc.query_selector(".gloss-wrap:hover") {
            let _ = hovered.set_attribute("data-dismissed", "");
        }
    });
    // Once the pointer leaves a dismissed term, hovering it again shows it again.
    let _pointer = window_event_listener(ev::mouseover, move |ev| {
        let Ok(Some(dismissed)) = document.query_selector(".gloss-wrap[data-dismissed]") else {
            return;
        };
        let inside = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
            .is_some_and(|node| dismissed.contains(Some(&node)));
        if !inside {
            let _ = dismissed.remove_attribute("data-dismissed");
        }
    });
}
