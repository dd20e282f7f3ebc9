//! Errors of a form: which field each belongs to, and the alert shown at the
//! top for errors that belong to no field.

use std::collections::HashMap;

use leptos::prelude::*;
use shared::{ApiError, ErrorKind};
use wasm_bindgen::JsCast;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct FormErrors {
    pub top: Option<String>,
    /// Keyed by the API's field name (`email`, `password`, `display_name`).
    pub fields: HashMap<String, String>,
}

impl FormErrors {
    pub fn field(&mut self, name: &str, message: impl Into<String>) {
        self.fields.insert(name.to_owned(), message.into());
    }

    pub fn is_empty(&self) -> bool {
        self.top.is_none() && self.fields.is_empty()
    }

    /// Puts a server error next to the field it is about. Some kinds name
    /// their field implicitly; anything else goes to the top of the form.
    pub fn from_api(error: ApiError, known_fields: &[&str]) -> Self {
        let field = error.field.clone().or_else(|| {
            match error.kind {
                ErrorKind::WeakPassword | ErrorKind::BreachedPassword => Some("password"),
                ErrorKind::EmailTaken => Some("email"),
                _ => None,
            }
            .map(str::to_owned)
        });
        let mut errors = Self::default();
        match field {
            Some(f) if known_fields.contains(&f.as_str()) => errors.field(&f, error.message),
            _ => errors.top = Some(error.message),
        }
        errors
    }

    /// The DOM id to move focus to, so a keyboard or screen-reader user lands
    /// on the problem: the first field at fault, in form order, else the alert.
    pub fn focus_target(&self, fields_in_order: &[(&str, &'static str)]) -> &'static str {
        fields_in_order
            .iter()
            .find(|(name, _)| self.fields.contains_key(*name))
            .map(|(_, id)| *id)
            .unwrap_or("form-error")
    }
}

/// Focuses an element after the view has caught up with the state change.
pub fn focus_later(id: impl Into<String>) {
    let id = id.into();
    request_animation_frame(move || {
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&id))
            .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    });
}

/// The alert at the top of a form. It is always in the page, so screen readers
/// notice when text appears in it; `tabindex=-1` lets focus be moved to it.
#[component]
pub fn FormAlert(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div id="form-error" class="form-error" role="alert" tabindex="-1">
            {move || message.get().map(|m| view! { <p>{m}</p> })}
        </div>
    }
}
