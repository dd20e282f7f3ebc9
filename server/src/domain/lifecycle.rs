//! The mentorship lifecycle: the one place that decides which step may be
//! taken from which status, and by whom.
//!
//! ```text
//! requested ──approve (admin)──▶ proposed ──accept (mentor)──▶ active ⇄ paused
//!     │                            │                           │         │
//!     └─withdraw (admin, lead)     ├─decline (mentor, reason)  └──┬──────┘
//!                                  └─withdraw (admin, lead)       ├─complete (mentor, lead, admin) ─▶ completed
//!                                                                 └─withdraw (mentor, lead, admin) ─▶ withdrawn
//! ```
//!
//! `completed`, `declined` and `withdrawn` are final.

use shared::taxonomy::{LifecycleAction, MentorshipStatus};

/// How the person taking a step relates to the mentorship; one person can
/// be several at once (an admin who also leads the organisation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Roles {
    pub admin: bool,
    pub mentor: bool,
    /// A lead of the mentored organisation.
    pub lead: bool,
    /// Any staff member of the mentored organisation (leads included).
    pub staff: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No such step from this status, whoever asks.
    NotFromStatus,
    /// The step exists, but it is someone else's to take.
    NotYourStep,
}

/// Who may take `action` from `from`, and where it leads.
fn rule(from: MentorshipStatus, action: LifecycleAction) -> Option<(MentorshipStatus, Who)> {
    use LifecycleAction as A;
    use MentorshipStatus as S;
    Some(match (from, action) {
        (S::Requested, A::Approve) => (S::Proposed, Who::Admin),
        (S::Requested | S::Proposed, A::Withdraw) => (S::Withdrawn, Who::AdminOrLead),
        (S::Proposed, A::Accept) => (S::Active, Who::Mentor),
        (S::Proposed, A::Decline) => (S::Declined, Who::Mentor),
        (S::Active, A::Pause) => (S::Paused, Who::Anyone),
        (S::Paused, A::Resume) => (S::Active, Who::Anyone),
        (S::Active | S::Paused, A::Complete) => (S::Completed, Who::Anyone),
        (S::Active | S::Paused, A::Withdraw) => (S::Withdrawn, Who::Anyone),
        _ => return None,
    })
}

/// The parties a rule allows ("anyone" means the mentor, a lead or an admin;
/// staff who do not lead take no lifecycle steps).
#[derive(Clone, Copy)]
enum Who {
    Admin,
    Mentor,
    AdminOrLead,
    Anyone,
}

impl Who {
    fn includes(self, r: Roles) -> bool {
        match self {
            Who::Admin => r.admin,
            Who::Mentor => r.mentor,
            Who::AdminOrLead => r.admin || r.lead,
            Who::Anyone => r.admin || r.lead || r.mentor,
        }
    }
}

/// The status after `action`, or why it is refused.
pub fn next(
    from: MentorshipStatus,
    action: LifecycleAction,
    roles: Roles,
) -> Result<MentorshipStatus, Refusal> {
    let (to, who) = rule(from, action).ok_or(Refusal::NotFromStatus)?;
    if who.includes(roles) {
        Ok(to)
    } else {
        Err(Refusal::NotYourStep)
    }
}

/// The steps `roles` may take now, in a stable order for the UI.
pub fn allowed(from: MentorshipStatus, roles: Roles) -> Vec<LifecycleAction> {
    LifecycleAction::ALL
        .iter()
        .copied()
        .filter(|&a| next(from, a, roles).is_ok())
        .collect()
}

/// Declining and withdrawing need a reason the other side will read.
pub fn needs_reason(action: LifecycleAction) -> bool {
    matches!(action, LifecycleAction::Decline | LifecycleAction::Withdraw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use LifecycleAction as A;
    use MentorshipStatus as S;

    const ADMIN: Roles = Roles {
        admin: true,
        mentor: false,
        lead: false,
        staff: false,
    };
    const MENTOR: Roles = Roles {
        admin: false,
        mentor: true,
        lead: false,
        staff: false,
    };
    const LEAD: Roles = Roles {
        admin: false,
        mentor: false,
        lead: true,
        staff: true,
    };
    const STAFF: Roles = Roles {
        admin: false,
        mentor: false,
        lead: false,
        staff: true,
    };
    const NOBODY: Roles = Roles {
        admin: false,
        mentor: false,
        lead: false,
        staff: false,
    };

    #[test]
    fn the_happy_path() {
        let s = next(S::Requested, A::Approve, ADMIN).expect("approve");
        assert_eq!(s, S::Proposed);
        let s = next(s, A::Accept, MENTOR).expect("accept");
        assert_eq!(s, S::Active);
        let s = next(s, A::Pause, LEAD).expect("pause");
        let s = next(s, A::Resume, MENTOR).expect("resume");
        assert_eq!(next(s, A::Complete, MENTOR), Ok(S::Completed));
    }

    #[test]
    fn only_the_mentor_accepts_or_declines() {
        for who in [ADMIN, LEAD, STAFF, NOBODY] {
            assert_eq!(next(S::Proposed, A::Accept, who), Err(Refusal::NotYourStep));
            assert_eq!(
                next(S::Proposed, A::Decline, who),
                Err(Refusal::NotYourStep)
            );
        }
        assert_eq!(next(S::Proposed, A::Decline, MENTOR), Ok(S::Declined));
    }

    #[test]
    fn staff_who_do_not_lead_and_strangers_take_no_step() {
        for &from in S::ALL {
            assert!(allowed(from, STAFF).is_empty(), "{from:?}");
            assert!(allowed(from, NOBODY).is_empty(), "{from:?}");
        }
    }

    #[test]
    fn final_statuses_allow_nothing() {
        let everyone = Roles {
            admin: true,
            mentor: true,
            lead: true,
            staff: true,
        };
        for from in [S::Completed, S::Declined, S::Withdrawn] {
            for &a in A::ALL {
                assert_eq!(next(from, a, everyone), Err(Refusal::NotFromStatus));
            }
        }
    }

    /// Every (status, action) pair not in the diagram is refused for
    /// everyone, and every pair in it is refused for someone.
    #[test]
    fn every_illegal_transition_is_refused() {
        let legal = [
            (S::Requested, A::Approve),
            (S::Requested, A::Withdraw),
            (S::Proposed, A::Accept),
            (S::Proposed, A::Decline),
            (S::Proposed, A::Withdraw),
            (S::Active, A::Pause),
            (S::Active, A::Complete),
            (S::Active, A::Withdraw),
            (S::Paused, A::Resume),
            (S::Paused, A::Complete),
            (S::Paused, A::Withdraw),
        ];
        let everyone = Roles {
            admin: true,
            mentor: true,
            lead: true,
            staff: true,
        };
        for &from in S::ALL {
            for &a in A::ALL {
                let result = next(from, a, everyone);
                if legal.contains(&(from, a)) {
                    assert!(result.is_ok(), "{from:?} {a:?} should be possible");
                    assert_eq!(next(from, a, STAFF), Err(Refusal::NotYourStep));
                } else {
                    assert_eq!(result, Err(Refusal::NotFromStatus), "{from:?} {a:?}");
                }
            }
        }
    }

    #[test]
    fn reasons_are_required_to_say_no() {
        assert!(needs_reason(A::Decline) && needs_reason(A::Withdraw));
        assert!(!needs_reason(A::Accept));
    }
}
