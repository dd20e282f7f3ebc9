//! Input rules for co-operatives: the co-op's details, notes and reasons,
//! room titles, decisions and actions, events. Each error names its field.

use chrono::{DateTime, Duration, Utc};
use shared::api::coops::{SaveCoop, SaveEvent};
use shared::limits::{
    COOP_COORDINATORS_MAX, COOP_NAME_MAX_CHARS, COOP_PURPOSE_MAX_CHARS,
    COOP_REQUEST_MESSAGE_MAX_CHARS, COOP_ROOM_TITLE_MAX_CHARS, EVENT_DESCRIPTION_MAX_CHARS,
    EVENT_LINK_MAX_CHARS, EVENT_PLACE_MAX_CHARS, EVENT_TITLE_MAX_CHARS, LOCALITY_MAX_CHARS,
    REASON_MAX_CHARS, RECORD_TEXT_MAX_CHARS,
};

use super::validate_programme::text;
use crate::error::{AppError, AppResult};

/// The details, trimmed; coordinators deduplicated (and required when
/// `creating`).
pub fn coop(raw: &SaveCoop, creating: bool) -> AppResult<SaveCoop> {
    let mut coordinator_ids = raw.coordinator_ids.clone();
    coordinator_ids.sort_unstable();
    coordinator_ids.dedup();
    if creating && coordinator_ids.is_empty() {
        return Err(AppError::validation(
            "coordinator_ids",
            "Choose at least one coordinator.",
        ));
    }
    if coordinator_ids.len() > COOP_COORDINATORS_MAX {
        return Err(AppError::validation(
            "coordinator_ids",
            format!("A co-operative can have at most {COOP_COORDINATORS_MAX} coordinators."),
        ));
    }
    Ok(SaveCoop {
        name: text(
            "name",
            "the co-operative's name",
            &raw.name,
            COOP_NAME_MAX_CHARS,
            true,
        )?,
        locality: text(
            "locality",
            "the town or area",
            &raw.locality,
            LOCALITY_MAX_CHARS,
            true,
        )?,
        purpose: text(
            "purpose",
            "what the co-operative is for",
            &raw.purpose,
            COOP_PURPOSE_MAX_CHARS,
            true,
        )?,
        coordinator_ids,
    })
}

/// The note with a request or invitation (may be empty).
pub fn note(raw: &str) -> AppResult<String> {
    text(
        "message",
        "the note",
        raw,
        COOP_REQUEST_MESSAGE_MAX_CHARS,
        false,
    )
}

/// A reason: required (declining, removing) or optional.
pub fn reason(raw: Option<&str>, required: bool) -> AppResult<Option<String>> {
    let value = text(
        "reason",
        "a reason",
        raw.unwrap_or_default(),
        REASON_MAX_CHARS,
        required,
    )?;
    Ok(Some(value).filter(|v| !v.is_empty()))
}

pub fn room_title(raw: &str) -> AppResult<String> {
    text(
        "title",
        "the room's name",
        raw,
        COOP_ROOM_TITLE_MAX_CHARS,
        true,
    )
}

pub fn record_text(raw: &str) -> AppResult<String> {
    text(
        "text",
        "what was decided or needs doing",
        raw,
        RECORD_TEXT_MAX_CHARS,
        true,
    )
}

/// An event, trimmed. Links must be http(s) (they become clickable, and
/// go into calendar apps). Ends must not come before starts.
pub fn event(raw: &SaveEvent, now: DateTime<Utc>) -> AppResult<SaveEvent> {
    let title = text(
        "title",
        "the event's title",
        &raw.title,
        EVENT_TITLE_MAX_CHARS,
        true,
    )?;
    let place = text(
        "place",
        "the place",
        &raw.place,
        EVENT_PLACE_MAX_CHARS,
        false,
    )?;
    let link = text("link", "the link", &raw.link, EVENT_LINK_MAX_CHARS, false)?;
    if !link.is_empty() && !is_web_link(&link) {
        return Err(AppError::validation(
            "link",
            "Enter a web address starting with https:// (or http://).",
        ));
    }
    let description = text(
        "description",
        "the description",
        &raw.description,
        EVENT_DESCRIPTION_MAX_CHARS,
        false,
    )?;
    if raw.ends_at.is_some_and(|end| end < raw.starts_at) {
        return Err(AppError::validation(
            "ends_at",
            "The end must be after the start.",
        ));
    }
    // Far-off dates are almost always a typo in the year.
    let horizon = Duration::days(366 * 5);
    if raw.starts_at > now + horizon || raw.starts_at < now - horizon {
        return Err(AppError::validation(
            "starts_at",
            "Choose a date within five years of today.",
        ));
    }
    Ok(SaveEvent {
        title,
        kind: raw.kind,
        starts_at: raw.starts_at,
        ends_at: raw.ends_at,
        all_day: raw.all_day,
        place,
        link,
        description,
    })
}

fn is_web_link(link: &str) -> bool {
    let lower = link.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://"))
        && link.len() > "https://".len()
        && !link.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::api::coops::EventKind;

    fn event_at(starts_at: DateTime<Utc>, link: &str) -> SaveEvent {
        SaveEvent {
            title: " Steering group ".into(),
            kind: EventKind::Meeting,
            starts_at,
            ends_at: None,
            all_day: false,
            place: String::new(),
            link: link.into(),
            description: String::new(),
        }
    }

    #[test]
    fn events_need_a_web_link_and_a_sensible_date() {
        let now = Utc::now();
        let ok = event(&event_at(now, "https://meet.example/abc"), now).expect("valid");
        assert_eq!(ok.title, "Steering group");
        for bad in ["javascript:alert(1)", "ftp://x", "https://", "https://a b"] {
            assert!(event(&event_at(now, bad), now).is_err(), "{bad}");
        }
        assert!(event(&event_at(now + Duration::days(366 * 6), ""), now).is_err());
        let mut backwards = event_at(now, "");
        backwards.ends_at = Some(now - Duration::hours(1));
        assert!(event(&backwards, now).is_err());
    }

    #[test]
    fn a_new_coop_needs_a_coordinator_and_a_purpose() {
        let raw = SaveCoop {
            name: "North Shields Wellbeing Co-op".into(),
            locality: "North Shields".into(),
            purpose: "A joint bid".into(),
            coordinator_ids: vec![],
        };
        assert!(coop(&raw, true).is_err());
        assert!(coop(&raw, false).is_ok());
        let blank = SaveCoop {
            purpose: "  ".into(),
            coordinator_ids: vec![3, 3],
            ..raw
        };
        assert!(coop(&blank, true).is_err());
    }

    #[test]
    fn reasons_are_required_only_when_asked() {
        assert_eq!(reason(None, false).expect("optional"), None);
        assert!(reason(Some("  "), true).is_err());
        assert_eq!(
            reason(Some(" Not local "), true).expect("given"),
            Some("Not local".into())
        );
    }
}
