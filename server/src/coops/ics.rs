//! Co-op events as an iCalendar (RFC 5545) document, for a download and for
//! the private feed calendar apps subscribe to. Written by hand: the format
//! is small, and what matters (escaping, line folding, all-day dates, UTC
//! times) is tested here and by parsing the output with a calendar crate in
//! the integration tests.

use std::fmt::Write as _;

use chrono::{DateTime, Duration, Utc};
use shared::api::coops::EventKind;

use crate::db::entities::coop_event;

/// How far back a feed reaches, so this week's past meetings stay visible.
pub const PAST_DAYS: i64 = 90;

/// The events of co-ops named in `coop_names` (id → name).
pub fn calendar(
    title: &str,
    events: &[coop_event::Model],
    coop_name: impl Fn(i64) -> String,
) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN:VCALENDAR");
    line(&mut out, "VERSION:2.0");
    line(
        &mut out,
        "PRODID:-//Community mentoring platform//Co-operatives//EN",
    );
    line(&mut out, "CALSCALE:GREGORIAN");
    line(&mut out, "METHOD:PUBLISH");
    line(&mut out, &format!("X-WR-CALNAME:{}", escape(title)));
    for e in events {
        event(&mut out, e, &coop_name(e.coop_id));
    }
    line(&mut out, "END:VCALENDAR");
    out
}

fn event(out: &mut String, e: &coop_event::Model, coop: &str) {
    line(out, "BEGIN:VEVENT");
    line(out, &format!("UID:coop-event-{}@community-mentoring", e.id));
    line(out, &format!("DTSTAMP:{}", utc(e.updated_at)));
    line(out, &format!("CREATED:{}", utc(e.created_at)));
    line(out, &format!("LAST-MODIFIED:{}", utc(e.updated_at)));
    if e.all_day {
        let day = e.starts_at.date_naive();
        let last = e.ends_at.map_or(day, |end| end.date_naive().max(day));
        line(out, &format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")));
        // The end of an all-day event is the day after its last day.
        let after = last + Duration::days(1);
        line(out, &format!("DTEND;VALUE=DATE:{}", after.format("%Y%m%d")));
    } else {
        line(out, &format!("DTSTART:{}", utc(e.starts_at)));
        let end = e.ends_at.unwrap_or(e.starts_at + Duration::hours(1));
        line(out, &format!("DTEND:{}", utc(end)));
    }
    line(out, &format!("SUMMARY:{}", escape(&e.title)));
    let kind = match crate::db::coop_log::event_kind_of(e) {
        EventKind::Meeting => "Meeting",
        EventKind::Deadline => "Deadline",
    };
    line(out, &format!("CATEGORIES:{kind}"));
    if !e.place.is_empty() {
        line(out, &format!("LOCATION:{}", escape(&e.place)));
    }
    if !e.link.is_empty() {
        line(out, &format!("URL:{}", e.link));
    }
    let mut description = format!("{kind} of {coop}.");
    if !e.description.is_empty() {
        let _ = write!(description, "\n\n{}", e.description);
    }
    if !e.link.is_empty() {
        let _ = write!(description, "\n\n{}", e.link);
    }
    line(out, &format!("DESCRIPTION:{}", escape(&description)));
    line(out, "END:VEVENT");
}

fn utc(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// TEXT values escape backslash, semicolon, comma and newlines.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A content line, folded so no physical line exceeds 75 octets (never
/// inside a UTF-8 character), ended by CRLF.
fn line(out: &mut String, content: &str) {
    let mut width = 0;
    for c in content.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_lines_are_folded_within_75_octets() {
        let mut out = String::new();
        let long = format!("SUMMARY:{}", escape(&"Joint bid; ICB, ü\\ ".repeat(12)));
        line(&mut out, &long);
        for physical in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                physical.len() <= 75,
                "{} octets: {physical}",
                physical.len()
            );
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.strip_suffix("\r\n"), Some(long.as_str()));
        assert!(long.contains("Joint bid\\; ICB\\, ü\\\\"));
        assert_eq!(escape("a\r\nb\u{7}"), "a\\nb");
    }
}
