//! The demo's mentoring programme. Seeded once: if any organisation exists,
//! nothing is added.

use chrono::{Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use shared::api::mentors::{Expertise, SaveMentorProfile};
use shared::api::organisations::{Need, SaveOrganisation};
use shared::taxonomy::{
    ActivityType as A, Depth as D, GoalStatus, MentorshipStatus as S, OrganisationSize,
    Priority as P, Topic as T,
};

use crate::db;
use crate::db::entities::{mentorship, mentorship_event};
use crate::error::{AppError, AppResult};

struct DemoOrg {
    name: &'static str,
    lead: &'static str,
    locality: &'static str,
    activities: &'static [A],
    size: OrganisationSize,
    description: &'static str,
    populations: &'static str,
    needs: &'static [(T, P, &'static str)],
    approved: bool,
}

const ORGS: &[DemoOrg] = &[
    DemoOrg {
        name: "Harbour Arts Collective",
        lead: "priya@demo.example",
        locality: "Plymouth",
        activities: &[A::Arts, A::Volunteering],
        size: OrganisationSize::Small,
        description: "Open studio sessions for adults referred by GPs and link workers.",
        populations: "Adults with anxiety and depression; many referred through social prescribing.",
        needs: &[
            (
                T::Safeguarding,
                P::High,
                "Our policy predates taking referrals; trustees want it rewritten.",
            ),
            (
                T::TrainingAndSupervision,
                P::Medium,
                "Supporting volunteers after a difficult session.",
            ),
        ],
        approved: true,
    },
    DemoOrg {
        name: "Tamar Valley Walkers",
        lead: "ellis@demo.example",
        locality: "Plymouth",
        activities: &[A::Nature, A::SportAndMovement],
        size: OrganisationSize::Micro,
        description: "Weekly led walks along the Tamar for people recovering from mental illness.",
        populations: "People in recovery, often isolated; some with psychosis.",
        needs: &[
            (
                T::LivedExperienceInvolvement,
                P::High,
                "Bringing walkers into how we plan the programme.",
            ),
            (
                T::BoundariesAndWellbeing,
                P::Medium,
                "Our two walk leaders are close to burning out.",
            ),
        ],
        approved: true,
    },
    DemoOrg {
        name: "Barbican Heritage Volunteers",
        lead: "kieran@demo.example",
        locality: "Plymouth",
        activities: &[A::Heritage, A::Volunteering],
        size: OrganisationSize::Small,
        description: "Archive and oral-history volunteering at the old customs house.",
        populations: "Older adults, veterans, people returning to work after illness.",
        needs: &[
            (
                T::EvaluationAndOutcomes,
                P::High,
                "Showing commissioners what changes for volunteers.",
            ),
            (
                T::FundingAndSustainability,
                P::Medium,
                "Our lottery grant ends next March.",
            ),
        ],
        approved: true,
    },
    DemoOrg {
        name: "Devonport Peer Circle",
        lead: "priya@demo.example",
        locality: "Plymouth",
        activities: &[A::PeerSupport, A::CommunityGroup],
        size: OrganisationSize::Micro,
        description: "A peer-support group that meets twice a week in the community centre.",
        populations: "Adults with lived experience of mental illness.",
        needs: &[(
            T::MentalHealthSupport,
            P::High,
            "Responding well when someone is in crisis.",
        )],
        approved: true,
    },
    DemoOrg {
        name: "Stokes Croft Library Friends",
        lead: "sam@demo.example",
        locality: "Bristol",
        activities: &[A::Library, A::CommunityGroup],
        size: OrganisationSize::Small,
        description: "Reading groups and a quiet room for people referred by the local PCN.",
        populations: "Adults with low mood; people experiencing homelessness.",
        needs: &[
            (
                T::CommissioningAndSocialPrescribing,
                P::High,
                "Our first bid to the ICB's small grants round.",
            ),
            (
                T::PartnershipsWithHealth,
                P::Medium,
                "A referral route with the PCN's link workers.",
            ),
        ],
        approved: true,
    },
    DemoOrg {
        name: "Avon Allotment Growers",
        lead: "megan@demo.example",
        locality: "Bristol",
        activities: &[A::Nature, A::Volunteering],
        size: OrganisationSize::Small,
        description: "Community growing on three allotment sites.",
        populations: "Adults with long-term conditions; refugees and asylum seekers.",
        needs: &[
            (
                T::EvaluationAndOutcomes,
                P::High,
                "Person-centred measures that growers do not find intrusive.",
            ),
            (
                T::InclusionAndOutreach,
                P::Low,
                "Reaching men who would never come to a 'wellbeing' group.",
            ),
        ],
        approved: true,
    },
    DemoOrg {
        name: "Easton Women's Football",
        lead: "aisha@demo.example",
        locality: "Bristol",
        activities: &[A::SportAndMovement, A::CommunityGroup],
        size: OrganisationSize::Medium,
        description: "Friendly football and walking football for women of all ages.",
        populations: "Women, many from Somali and Pakistani communities.",
        needs: &[
            (
                T::FundingAndSustainability,
                P::High,
                "Moving from one-year grants to something steadier.",
            ),
            (
                T::GovernanceAndStatutoryDuties,
                P::Medium,
                "Becoming a CIO: what the trustees take on.",
            ),
        ],
        approved: true,
    },
    DemoOrg {
        name: "Bedminster Faith Kitchen",
        lead: "megan@demo.example",
        locality: "Bristol",
        activities: &[A::FaithGroup, A::CommunityGroup],
        size: OrganisationSize::Small,
        description: "A shared meal and a listening table, hosted by three congregations.",
        populations: "Anyone who is lonely; many older people living alone.",
        needs: &[
            (
                T::Safeguarding,
                P::High,
                "Volunteers from three churches, three different policies.",
            ),
            (
                T::BoundariesAndWellbeing,
                P::Medium,
                "Listening without taking it all home.",
            ),
        ],
        approved: true,
    },
    DemoOrg {
        name: "Plymouth Sound Choir",
        lead: "ellis@demo.example",
        locality: "Plymouth",
        activities: &[A::Arts],
        size: OrganisationSize::Micro,
        description: "A drop-in community choir; no auditions.",
        populations: "Adults with anxiety; carers.",
        needs: &[(
            T::FundingAndSustainability,
            P::Medium,
            "Paying our musical director properly.",
        )],
        approved: false,
    },
];

struct DemoMentor {
    email: &'static str,
    bio: &'static str,
    expertise: &'static [(T, D)],
    activities: &'static [A],
    localities: &'static [&'static str],
    remote: bool,
    in_person: bool,
    capacity: u32,
    lived_experience: bool,
}

const MENTORS: &[DemoMentor] = &[
    DemoMentor {
        email: "margaret@demo.example",
        bio: "Twenty years commissioning community mental-health services for the NHS; now retired and on two charity boards.",
        expertise: &[
            (T::CommissioningAndSocialPrescribing, D::Expert),
            (T::PartnershipsWithHealth, D::Expert),
            (T::EvaluationAndOutcomes, D::Experienced),
            (T::GovernanceAndStatutoryDuties, D::Working),
        ],
        activities: &[A::Library, A::CommunityGroup],
        localities: &["Bristol"],
        remote: true,
        in_person: true,
        capacity: 3,
        lived_experience: false,
    },
    DemoMentor {
        email: "tom@demo.example",
        bio: "Designated safeguarding lead for a county-wide volunteering charity; trains trustees on their duties.",
        expertise: &[
            (T::Safeguarding, D::Expert),
            (T::GovernanceAndStatutoryDuties, D::Experienced),
            (T::TrainingAndSupervision, D::Experienced),
        ],
        activities: &[A::Arts, A::Volunteering, A::Heritage],
        localities: &["Plymouth"],
        remote: false,
        in_person: true,
        capacity: 2,
        lived_experience: false,
    },
    DemoMentor {
        email: "jo@demo.example",
        bio: "Peer-support worker and trainer; helps groups involve the people they support in every decision.",
        expertise: &[
            (T::LivedExperienceInvolvement, D::Expert),
            (T::MentalHealthSupport, D::Expert),
            (T::BoundariesAndWellbeing, D::Experienced),
        ],
        activities: &[A::PeerSupport, A::Nature, A::CommunityGroup],
        localities: &["Plymouth"],
        remote: true,
        in_person: true,
        capacity: 2,
        lived_experience: true,
    },
    DemoMentor {
        email: "daniel@demo.example",
        bio: "Fundraiser for small charities: trusts and foundations, community shares, and earning some of your own income.",
        expertise: &[
            (T::FundingAndSustainability, D::Expert),
            (T::GovernanceAndStatutoryDuties, D::Working),
        ],
        activities: &[A::SportAndMovement, A::Arts],
        localities: &["Bristol"],
        remote: true,
        in_person: true,
        capacity: 3,
        lived_experience: false,
    },
    DemoMentor {
        email: "ruth@demo.example",
        bio: "Evaluation specialist: outcome measures people do not mind filling in, and reports commissioners read.",
        expertise: &[
            (T::EvaluationAndOutcomes, D::Expert),
            (T::TrainingAndSupervision, D::Working),
            (T::InclusionAndOutreach, D::Experienced),
        ],
        activities: &[A::Nature, A::Heritage],
        localities: &[],
        remote: true,
        in_person: false,
        capacity: 3,
        lived_experience: false,
    },
];

async fn user_id(db: &DatabaseConnection, email: &str) -> AppResult<i64> {
    Ok(db::users::find_by_email(db, email)
        .await?
        .ok_or(AppError::NotFound)?
        .id)
}

pub async fn seed(db: &DatabaseConnection) -> AppResult<()> {
    let all = shared::taxonomy::ApprovalStatus::ALL;
    if !db::organisations::list(db, all).await?.is_empty() {
        return Ok(());
    }
    let admin = user_id(db, "admin@demo.example").await?;

    let mut org_ids = Vec::with_capacity(ORGS.len());
    for o in ORGS {
        let lead = user_id(db, o.lead).await?;
        let profile = SaveOrganisation {
            name: o.name.into(),
            description: o.description.into(),
            activity_types: o.activities.to_vec(),
            locality: o.locality.into(),
            populations_served: o.populations.into(),
            size: o.size,
            charity_number: None,
        };
        let mut org = db::organisations::create(db, lead, &profile).await?;
        let needs: Vec<Need> = o
            .needs
            .iter()
            .map(|&(topic, priority, why)| Need {
                topic,
                priority,
                description: why.into(),
            })
            .collect();
        db::organisations::set_needs(db, org.id, &needs).await?;
        if o.approved {
            org = db::organisations::decide(db, org, admin, true, None).await?;
        }
        // The lead is also the safeguarding lead until they name someone else.
        db::organisations::set_safeguarding_lead(db, org.clone(), Some(lead)).await?;
        org_ids.push((o.name, org.id));
    }
    let org = |name: &str| {
        org_ids
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, id)| *id)
            .ok_or(AppError::NotFound)
    };
    // Priya also helps out at the Barbican.
    let priya = user_id(db, "priya@demo.example").await?;
    db::organisations::add_staff(db, org("Barbican Heritage Volunteers")?, priya, false).await?;

    for m in MENTORS {
        let id = user_id(db, m.email).await?;
        let profile = SaveMentorProfile {
            bio: m.bio.into(),
            expertise: m
                .expertise
                .iter()
                .map(|&(topic, depth)| Expertise { topic, depth })
                .collect(),
            activity_types: m.activities.to_vec(),
            localities: m.localities.iter().map(|l| (*l).to_owned()).collect(),
            remote: m.remote,
            in_person: m.in_person,
            capacity: m.capacity,
            lived_experience: m.lived_experience,
        };
        let saved = db::mentors::save(db, id, &profile).await?;
        db::mentors::decide(db, saved, admin, true, None).await?;
    }

    let tom = user_id(db, "tom@demo.example").await?;
    let margaret = user_id(db, "margaret@demo.example").await?;
    let jo = user_id(db, "jo@demo.example").await?;
    let daniel = user_id(db, "daniel@demo.example").await?;
    let ruth = user_id(db, "ruth@demo.example").await?;

    // Active, with goals and notes.
    let harbour = activate(
        db,
        org("Harbour Arts Collective")?,
        "Harbour Arts Collective",
        tom,
        admin,
        40,
    )
    .await?;
    let policy = db::mentorships::create_goal(
        db,
        harbour,
        "Adopt a safeguarding policy the trustees sign off".into(),
        priya,
    )
    .await?;
    db::mentorships::update_goal(db, policy, None, Some(GoalStatus::InProgress)).await?;
    db::mentorships::create_goal(
        db,
        harbour,
        "Every volunteer knows the first ten minutes after a disclosure".into(),
        tom,
    )
    .await?;
    let today = Utc::now().date_naive();
    db::mentorships::create_note(
        db,
        harbour,
        today - Duration::days(6),
        "Walked through the draft policy section by section; agreed Priya is the designated safeguarding lead.".into(),
        "Priya circulates the draft to trustees; Tom sends the disclosure flowchart.".into(),
        tom,
    )
    .await?;
    let harbour_room = db::mentorships::find(db, harbour)
        .await?
        .and_then(|m| m.room_id);
    if let Some(room_id) = harbour_room {
        for (who, id, body) in [
            (
                tom,
                "demo-m1",
                "Here is the disclosure flowchart I mentioned. Have a look before Thursday.",
            ),
            (
                priya,
                "demo-m2",
                "Thank you! The trustees meet on the 12th, so that timing works well.",
            ),
        ] {
            db::messages::insert(
                db,
                &db::messages::NewMessage {
                    room_id,
                    author_id: who,
                    client_msg_id: id,
                    body,
                },
            )
            .await?;
        }
    }
    let stokes = activate(
        db,
        org("Stokes Croft Library Friends")?,
        "Stokes Croft Library Friends",
        margaret,
        admin,
        20,
    )
    .await?;
    let sam = user_id(db, "sam@demo.example").await?;
    db::mentorships::create_goal(db, stokes, "Submit the ICB small grants bid".into(), sam).await?;

    // Active but quiet for over three weeks: the dashboard flags it.
    let tamar = activate(
        db,
        org("Tamar Valley Walkers")?,
        "Tamar Valley Walkers",
        jo,
        admin,
        60,
    )
    .await?;
    age(db, tamar, 30).await?;

    // Waiting on the mentor, and waiting on the programme team.
    db::mentorships::create(
        db,
        org("Easton Women's Football")?,
        daniel,
        S::Proposed,
        admin,
        Some("Daniel has helped three sports clubs off annual grants.".into()),
    )
    .await?;
    let megan = user_id(db, "megan@demo.example").await?;
    db::mentorships::create(
        db,
        org("Avon Allotment Growers")?,
        ruth,
        S::Requested,
        megan,
        Some("Ruth spoke at our network meeting about outcome measures.".into()),
    )
    .await?;

    // Completed, with both reflections.
    let devonport = activate(
        db,
        org("Devonport Peer Circle")?,
        "Devonport Peer Circle",
        jo,
        admin,
        120,
    )
    .await?;
    if let Some(m) = db::mentorships::find(db, devonport).await? {
        db::mentorships::transition(db, &m, S::Completed, jo, None, None).await?;
        if let Some(m) = db::mentorships::find(db, devonport).await? {
            db::mentorships::set_reflection(
                db,
                m.clone(),
                true,
                "The group now has a crisis plan everyone knows, written by its members.".into(),
            )
            .await?;
            if let Some(m) = db::mentorships::find(db, devonport).await? {
                db::mentorships::set_reflection(
                    db,
                    m,
                    false,
                    "Jo helped us trust our own experience as expertise.".into(),
                )
                .await?;
            }
        }
        age(db, devonport, 35).await?;
    }
    Ok(())
}

/// Proposed by the admin `days_ago`, then accepted by the mentor, with its room.
async fn activate(
    db: &DatabaseConnection,
    org_id: i64,
    org_name: &str,
    mentor: i64,
    admin: i64,
    days_ago: i64,
) -> AppResult<i64> {
    let m = db::mentorships::create(db, org_id, mentor, S::Proposed, admin, None).await?;
    let txn = db::begin_write(db).await?;
    let (room_id, _) = db::mentorships::open_room(&txn, &m, org_name).await?;
    db::mentorships::transition(&txn, &m, S::Active, mentor, None, Some(room_id)).await?;
    txn.commit().await?;
    let when = Utc::now() - Duration::days(days_ago);
    mentorship::Entity::update_many()
        .col_expr(mentorship::Column::CreatedAt, Expr::value(when))
        .filter(mentorship::Column::Id.eq(m.id))
        .exec(db)
        .await?;
    mentorship_event::Entity::update_many()
        .col_expr(mentorship_event::Column::At, Expr::value(when))
        .filter(mentorship_event::Column::MentorshipId.eq(m.id))
        .exec(db)
        .await?;
    Ok(m.id)
}

/// Nothing has happened in the mentorship for `days`.
async fn age(db: &DatabaseConnection, id: i64, days: i64) -> AppResult<()> {
    mentorship::Entity::update_many()
        .col_expr(
            mentorship::Column::ActivityAt,
            Expr::value(Utc::now() - Duration::days(days)),
        )
        .filter(mentorship::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
