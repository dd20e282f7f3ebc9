//! Input rules for concerns: the raiser's texts and notes, trimmed, each
//! error naming its field.

use shared::api::concerns::RaiseConcern;
use shared::limits::{CONCERN_AT_RISK_MAX_CHARS, CONCERN_NOTE_MAX_CHARS, CONCERN_TEXT_MAX_CHARS};

use crate::domain::validate_programme::text;
use crate::error::AppResult;

/// Who is at risk and what happened, trimmed.
pub fn raise(raw: &RaiseConcern) -> AppResult<(String, String)> {
    Ok((
        text(
            "at_risk",
            "who is at risk (no name is needed)",
            &raw.at_risk,
            CONCERN_AT_RISK_MAX_CHARS,
            true,
        )?,
        text(
            "what_happened",
            "what happened",
            &raw.what_happened,
            CONCERN_TEXT_MAX_CHARS,
            true,
        )?,
    ))
}

/// A note: `what` says what it should hold (it starts the message).
pub fn note(raw: &str, what: &str, required: bool) -> AppResult<String> {
    text("note", what, raw, CONCERN_NOTE_MAX_CHARS, required)
}
