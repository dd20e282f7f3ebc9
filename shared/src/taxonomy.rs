//! The one taxonomy of `DOMAIN.md`: topics (needs, expertise, threads),
//! activity types, and the small scales that go with them. Slugs are the
//! wire and database form; labels are what people read.

use serde::{Deserialize, Serialize};

macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $slug:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $(#[serde(rename = $slug)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The wire and database form.
            pub fn slug(self) -> &'static str {
                match self { $($name::$variant => $slug,)+ }
            }

            /// What a person reads.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            pub fn from_slug(slug: &str) -> Option<Self> {
                match slug { $($slug => Some($name::$variant),)+ _ => None }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

vocabulary! {
    /// What an organisation needs help with, what a mentor knows, what a thread is about.
    Topic {
        Safeguarding = "safeguarding", "Safeguarding";
        MentalHealthSupport = "mental-health-support", "Mental health support";
        BoundariesAndWellbeing = "boundaries-and-wellbeing", "Boundaries and wellbeing";
        CommissioningAndSocialPrescribing = "commissioning-and-social-prescribing", "Commissioning and social prescribing";
        FundingAndSustainability = "funding-and-sustainability", "Funding and sustainability";
        GovernanceAndStatutoryDuties = "governance-and-statutory-duties", "Governance and statutory duties";
        TrainingAndSupervision = "training-and-supervision", "Training and supervision";
        EvaluationAndOutcomes = "evaluation-and-outcomes", "Evaluation and outcomes";
        PartnershipsWithHealth = "partnerships-with-health", "Partnerships with health";
        InclusionAndOutreach = "inclusion-and-outreach", "Inclusion and outreach";
        LivedExperienceInvolvement = "lived-experience-involvement", "Lived experience involvement";
        NetworksAndBridgeBuilding = "networks-and-bridge-building", "Networks and bridge building";
    }
}

vocabulary! {
    /// What an organisation does with the people it supports.
    ActivityType {
        Arts = "arts", "Arts";
        Heritage = "heritage", "Heritage";
        Library = "library", "Library";
        Volunteering = "volunteering", "Volunteering";
        Nature = "nature", "Nature";
        SportAndMovement = "sport-and-movement", "Sport and movement";
        CommunityGroup = "community-group", "Community group";
        PeerSupport = "peer-support", "Peer support";
        FaithGroup = "faith-group", "Faith group";
        EmploymentAndTraining = "employment-and-training", "Employment and training";
    }
}

vocabulary! {
    /// How much an organisation wants help with a topic.
    Priority {
        High = "high", "High";
        Medium = "medium", "Medium";
        Low = "low", "Low";
    }
}

vocabulary! {
    /// How deeply a mentor knows a topic.
    Depth {
        Expert = "expert", "Expert";
        Experienced = "experienced", "Experienced";
        Working = "working", "Working knowledge";
    }
}

vocabulary! {
    /// Paid staff and regular volunteers together.
    OrganisationSize {
        Micro = "micro", "Fewer than 5 people";
        Small = "small", "5 to 24 people";
        Medium = "medium", "25 to 99 people";
        Large = "large", "100 people or more";
    }
}

vocabulary! {
    /// Where an organisation or a mentor application stands with the programme team.
    ApprovalStatus {
        Pending = "pending", "Waiting for approval";
        Approved = "approved", "Approved";
        Declined = "declined", "Declined";
    }
}

vocabulary! {
    /// Where a mentorship stands. See `DOMAIN.md` for the lifecycle.
    MentorshipStatus {
        Requested = "requested", "Requested by the organisation";
        Proposed = "proposed", "Proposed to the mentor";
        Active = "active", "Active";
        Paused = "paused", "Paused";
        Completed = "completed", "Completed";
        Declined = "declined", "Declined by the mentor";
        Withdrawn = "withdrawn", "Withdrawn";
    }
}

vocabulary! {
    /// A step someone takes on a mentorship; `domain::lifecycle` on the server
    /// decides who may take which step from which status.
    LifecycleAction {
        Approve = "approve", "Approve the request";
        Accept = "accept", "Accept";
        Decline = "decline", "Decline";
        Pause = "pause", "Pause";
        Resume = "resume", "Resume";
        Complete = "complete", "Mark completed";
        Withdraw = "withdraw", "Withdraw";
    }
}

vocabulary! {
    /// Progress on a mentorship goal.
    GoalStatus {
        NotStarted = "not-started", "Not started";
        InProgress = "in-progress", "In progress";
        Done = "done", "Done";
    }
}

impl MentorshipStatus {
    /// Still going or about to: holds one of the mentor's places, and blocks
    /// a second mentorship between the same two.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Self::Requested | Self::Proposed | Self::Active | Self::Paused
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_round_trip_and_match_serde() {
        for &t in Topic::ALL {
            assert_eq!(Topic::from_slug(t.slug()), Some(t));
            let json = serde_json::to_string(&t).expect("serialise");
            assert_eq!(json, format!("\"{}\"", t.slug()));
        }
        for &a in ActivityType::ALL {
            assert_eq!(ActivityType::from_slug(a.slug()), Some(a));
        }
        assert_eq!(Topic::ALL.len(), 12);
        assert_eq!(ActivityType::ALL.len(), 10);
    }
}
