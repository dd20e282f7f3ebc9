//! The rules of a concern, pure and unit-tested: when it must be
//! acknowledged by, which status moves are allowed (and what a refusal
//! says), when it is overdue, and the order lists show.

use std::cmp::Ordering;

use chrono::{DateTime, Datelike, Days, Duration, NaiveTime, Utc, Weekday};
use shared::api::concerns::{ConcernPriority, ConcernStatus, ConcernSummary};

/// When a weekend concern is due: the Monday's end of the working day.
const WEEKEND_DUE_HOUR: i64 = 17;

/// When a concern raised at `raised` must be acknowledged by. Immediate
/// risk: within the hour. Otherwise one working day (Monday to Friday, UTC):
/// the same time on the next weekday, and a concern raised at the weekend
/// by the end of Monday.
pub fn ack_due_at(priority: ConcernPriority, raised: DateTime<Utc>) -> DateTime<Utc> {
    match priority {
        ConcernPriority::Immediate => raised + Duration::hours(1),
        ConcernPriority::Concern | ConcernPriority::Information => next_working_day(raised),
    }
}

fn next_working_day(t: DateTime<Utc>) -> DateTime<Utc> {
    let monday_close = |days: u64| {
        let midnight = t.date_naive().and_time(NaiveTime::MIN).and_utc();
        midnight + Days::new(days) + Duration::hours(WEEKEND_DUE_HOUR)
    };
    match t.weekday() {
        Weekday::Mon | Weekday::Tue | Weekday::Wed | Weekday::Thu => t + Days::new(1),
        Weekday::Fri => t + Days::new(3),
        Weekday::Sat => monday_close(2),
        Weekday::Sun => monday_close(1),
    }
}

/// Still new after its acknowledgement deadline.
pub fn overdue(status: ConcernStatus, ack_due_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    status == ConcernStatus::New && now > ack_due_at
}

/// The history action of moving `from` → `to`, or why it is refused:
/// new → acknowledged → actioned → closed; new or acknowledged straight to
/// closed (with a note saying why); closed → acknowledged reopens it.
pub fn step(from: ConcernStatus, to: ConcernStatus) -> Result<&'static str, String> {
    use ConcernStatus as S;
    match (from, to) {
        (S::New, S::Acknowledged) => Ok("acknowledged"),
        (S::Acknowledged, S::Actioned) => Ok("actioned"),
        (S::New | S::Acknowledged | S::Actioned, S::Closed) => Ok("closed"),
        (S::Closed, S::Acknowledged) => Ok("reopened"),
        (from, to) if from == to => Err(format!(
            "This concern is already {}.",
            to.label().to_lowercase()
        )),
        (_, S::New) => Err("A concern cannot go back to new once it has been handled.".into()),
        (S::New, S::Actioned) => Err("Acknowledge this concern before marking it actioned.".into()),
        (S::Closed, _) => {
            Err("This concern is closed: reopen it (mark it acknowledged) first.".into())
        }
        (from, to) => Err(format!(
            "A concern that is {} cannot be marked {}.",
            from.label().to_lowercase(),
            to.label().to_lowercase()
        )),
    }
}

/// Whether moving to `to` needs a note: what was done, or why it is closed.
pub fn needs_note(to: ConcernStatus) -> bool {
    matches!(to, ConcernStatus::Actioned | ConcernStatus::Closed)
}

fn urgency(p: ConcernPriority) -> usize {
    ConcernPriority::ALL
        .iter()
        .position(|&q| q == p)
        .unwrap_or(0)
}

/// The list order: open concerns first (overdue ones, then the most urgent,
/// then the oldest), closed ones last, newest first.
pub fn list_order(a: &ConcernSummary, b: &ConcernSummary) -> Ordering {
    let closed = |s: &ConcernSummary| s.status == ConcernStatus::Closed;
    closed(a).cmp(&closed(b)).then_with(|| {
        if closed(a) {
            (b.created_at, b.id).cmp(&(a.created_at, a.id))
        } else {
            b.overdue
                .cmp(&a.overdue)
                .then(urgency(a.priority).cmp(&urgency(b.priority)))
                .then((a.created_at, a.id).cmp(&(b.created_at, b.id)))
        }
    })
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use shared::api::users::UserSummary;

    use super::*;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, min, 0)
            .single()
            .expect("a valid time")
    }

    #[test]
    fn immediate_risk_is_due_within_the_hour_any_day() {
        // 2026-11-28 is a Saturday.
        for raised in [at(2026, 11, 25, 23, 30), at(2026, 11, 28, 3, 0)] {
            assert_eq!(
                ack_due_at(ConcernPriority::Immediate, raised),
                raised + Duration::hours(1)
            );
        }
    }

    #[test]
    fn other_concerns_are_due_the_next_working_day() {
        // Monday 23 November 2026 to Sunday 29 November.
        let cases = [
            // Monday to Thursday: the same time the next day.
            (at(2026, 11, 23, 9, 15), at(2026, 11, 24, 9, 15)),
            (at(2026, 11, 25, 23, 59), at(2026, 11, 26, 23, 59)),
            (at(2026, 11, 26, 0, 1), at(2026, 11, 27, 0, 1)),
            // Friday: Monday, same time.
            (at(2026, 11, 27, 16, 45), at(2026, 11, 30, 16, 45)),
            // The weekend: Monday at 17:00.
            (at(2026, 11, 28, 0, 0), at(2026, 11, 30, 17, 0)),
            (at(2026, 11, 28, 22, 10), at(2026, 11, 30, 17, 0)),
            (at(2026, 11, 29, 23, 59), at(2026, 11, 30, 17, 0)),
            // Across a month and a year.
            (at(2026, 12, 31, 10, 0), at(2027, 1, 1, 10, 0)),
            (at(2027, 1, 1, 10, 0), at(2027, 1, 4, 10, 0)),
        ];
        for (raised, due) in cases {
            for p in [ConcernPriority::Concern, ConcernPriority::Information] {
                assert_eq!(ack_due_at(p, raised), due, "{p:?} raised {raised}");
            }
        }
    }

    #[test]
    fn a_deadline_is_always_later_and_never_on_a_weekend() {
        let mut t = at(2026, 1, 1, 0, 0);
        while t < at(2026, 1, 15, 0, 0) {
            let due = ack_due_at(ConcernPriority::Concern, t);
            assert!(due > t);
            assert!(!matches!(due.weekday(), Weekday::Sat | Weekday::Sun), "{t}");
            t += Duration::minutes(37);
        }
    }

    #[test]
    fn only_new_concerns_past_their_deadline_are_overdue() {
        let due = at(2026, 11, 23, 10, 0);
        let later = due + Duration::seconds(1);
        assert!(overdue(ConcernStatus::New, due, later));
        assert!(!overdue(ConcernStatus::New, due, due));
        assert!(!overdue(ConcernStatus::Acknowledged, due, later));
        assert!(!overdue(ConcernStatus::Closed, due, later));
    }

    #[test]
    fn the_allowed_moves_and_nothing_else() {
        use ConcernStatus as S;
        let allowed = [
            (S::New, S::Acknowledged, "acknowledged"),
            (S::Acknowledged, S::Actioned, "actioned"),
            (S::Actioned, S::Closed, "closed"),
            (S::New, S::Closed, "closed"),
            (S::Acknowledged, S::Closed, "closed"),
            (S::Closed, S::Acknowledged, "reopened"),
        ];
        for from in S::ALL {
            for to in S::ALL {
                let expected = allowed
                    .iter()
                    .find(|(f, t, _)| *f == from && *t == to)
                    .map(|(_, _, action)| *action);
                match (step(from, to), expected) {
                    (Ok(action), Some(want)) => assert_eq!(action, want),
                    (Err(why), None) => assert!(!why.is_empty()),
                    (got, want) => panic!("{from:?} → {to:?}: got {got:?}, want {want:?}"),
                }
            }
        }
        assert!(needs_note(S::Actioned) && needs_note(S::Closed));
        assert!(!needs_note(S::Acknowledged));
    }

    fn summary(
        id: i64,
        priority: ConcernPriority,
        status: ConcernStatus,
        created: DateTime<Utc>,
        overdue: bool,
    ) -> ConcernSummary {
        ConcernSummary {
            id,
            priority,
            status,
            organisation: None,
            raised_by: UserSummary {
                id: 1,
                display_name: "Ana".into(),
            },
            excerpt: String::new(),
            created_at: created,
            ack_due_at: created,
            overdue,
        }
    }

    #[test]
    fn lists_put_overdue_then_urgent_then_old_first_and_closed_last() {
        use ConcernPriority as P;
        use ConcernStatus as S;
        let day = |d| at(2026, 11, d, 9, 0);
        let mut list = [
            summary(1, P::Information, S::Closed, day(2), false),
            summary(2, P::Information, S::Acknowledged, day(3), false),
            summary(3, P::Immediate, S::Actioned, day(9), false),
            summary(4, P::Concern, S::New, day(1), true),
            summary(5, P::Immediate, S::Closed, day(5), false),
            summary(6, P::Information, S::New, day(4), false),
            summary(7, P::Immediate, S::New, day(8), false),
            summary(8, P::Information, S::Acknowledged, day(1), false),
        ];
        list.sort_by(list_order);
        let ids: Vec<i64> = list.iter().map(|s| s.id).collect();
        assert_eq!(ids, [4, 7, 3, 8, 2, 6, 5, 1]);
    }
}
