//! The demo world's practice threads: a handful across the topics, with
//! replies (one quoting), "this helped me" marks, an answer, a pinned
//! welcome, a closed thread, and a few people following topics.

use sea_orm::DatabaseConnection;
use shared::taxonomy::{ActivityType, Topic};

use crate::db;
use crate::db::threads::NewThread;
use crate::domain::markdown::plain_text;
use crate::error::{AppError, AppResult};

struct DemoThread {
    author: &'static str,
    title: &'static str,
    body: &'static str,
    topics: &'static [Topic],
    activities: &'static [ActivityType],
    /// (author, body, quotes the opening post)
    replies: &'static [(&'static str, &'static str, bool)],
    /// Who marked which reply (by index) helpful.
    helpful: &'static [(&'static str, usize)],
    answer: Option<usize>,
    pinned: bool,
    closed: bool,
}

const THREADS: &[DemoThread] = &[
    DemoThread {
        author: "admin@demo.example",
        title: "Welcome: how practice threads work",
        body: "Ask the questions you would ask a peer organisation over a cup of tea.\n\n\
               - Choose **one to four topics** so people can find your thread.\n\
               - Mark a reply with *This helped me* when it did.\n\
               - The author can mark the reply that answered the question.\n\n\
               Words like ICB or link worker are explained when you hover or focus them; \
               the Glossary page has the full list, and you can suggest more.",
        topics: &[Topic::NetworksAndBridgeBuilding],
        activities: &[],
        replies: &[],
        helpful: &[],
        answer: None,
        pinned: true,
        closed: false,
    },
    DemoThread {
        author: "priya@demo.example",
        title: "What should a volunteer do in the first ten minutes after a disclosure?",
        body: "One of our open studio volunteers was told something worrying by a participant last week. \
               She handled it kindly but did not know who to tell or what to write down.\n\n\
               How do you brief volunteers for this? We are rewriting our safeguarding policy now.",
        topics: &[Topic::Safeguarding, Topic::TrainingAndSupervision],
        activities: &[ActivityType::Arts, ActivityType::Volunteering],
        replies: &[
            (
                "tom@demo.example",
                "Keep it to three steps on one card: **listen without promising secrecy**, \
              write down the person's own words with the time, and tell the designated safeguarding lead the same day. \
              If anyone is in immediate danger, call 999 first.",
                true,
            ),
            (
                "ellis@demo.example",
                "We laminate that card and keep it in every walk leader's bag. \
              It made volunteers much less anxious.",
                false,
            ),
            (
                "kieran@demo.example",
                "We role-play a disclosure at induction. Ten minutes, and it sticks.",
                false,
            ),
        ],
        helpful: &[
            ("priya@demo.example", 0),
            ("kieran@demo.example", 0),
            ("priya@demo.example", 1),
        ],
        answer: Some(0),
        pinned: false,
        closed: false,
    },
    DemoThread {
        author: "sam@demo.example",
        title: "What do commissioners look for in the outcomes section of a bid?",
        body: "The ICB has a small grants round for social prescribing. Our library reading groups help people, \
               but we have never measured anything formally. What counts as evidence?",
        topics: &[
            Topic::CommissioningAndSocialPrescribing,
            Topic::EvaluationAndOutcomes,
        ],
        activities: &[ActivityType::Library],
        replies: &[
            (
                "margaret@demo.example",
                "Honest, small and person-centred beats big promises. Say how people reach you \
              (which link worker or PCN), what changes for them in their own words, and how you will know. \
              A short wellbeing measure at the start and after eight weeks is plenty.",
                false,
            ),
            (
                "ruth@demo.example",
                "If you use a measure, pick one and stick with it. Happy to share a simple outcomes framework \
              we built with three reading groups.",
                false,
            ),
        ],
        helpful: &[
            ("sam@demo.example", 0),
            ("megan@demo.example", 0),
            ("sam@demo.example", 1),
        ],
        answer: Some(0),
        pinned: false,
        closed: false,
    },
    DemoThread {
        author: "megan@demo.example",
        title: "Stopping volunteer burn-out in the growing season",
        body: "Spring is lovely and exhausting. Three of our core volunteers are running on empty. \
               How do you protect your people when demand peaks?",
        topics: &[Topic::BoundariesAndWellbeing],
        activities: &[ActivityType::Nature, ActivityType::Volunteering],
        replies: &[
            (
                "jo@demo.example",
                "Name a rota of who is *off*, not only who is on. And have a debrief after hard sessions; \
              ten minutes with tea is enough.",
                false,
            ),
            (
                "aisha@demo.example",
                "We cap sessions per volunteer per month. People grumbled, then thanked us.",
                false,
            ),
        ],
        helpful: &[("megan@demo.example", 0), ("ellis@demo.example", 1)],
        answer: None,
        pinned: false,
        closed: false,
    },
    DemoThread {
        author: "aisha@demo.example",
        title: "Reaching women who have never joined a sports club",
        body: "Our football sessions are full of people who already feel confident. \
               How have you reached people who are put off by the word *sport*?",
        topics: &[Topic::InclusionAndOutreach],
        activities: &[ActivityType::SportAndMovement],
        replies: &[(
            "ellis@demo.example",
            "We stopped calling it a walk and started calling it a chat outside. \
              Numbers doubled.",
            false,
        )],
        helpful: &[("aisha@demo.example", 0)],
        answer: None,
        pinned: false,
        closed: false,
    },
    DemoThread {
        author: "kieran@demo.example",
        title: "Do trustees need DBS checks?",
        body: "Our board asked whether every trustee needs an enhanced DBS check now that we work with adults referred \
               by the mental health team.",
        topics: &[Topic::GovernanceAndStatutoryDuties, Topic::Safeguarding],
        activities: &[ActivityType::Heritage],
        replies: &[(
            "tom@demo.example",
            "Only for roles that meet the eligibility rules, but your safeguarding trustee should \
              have one. Write the reasoning into your policy either way.",
            false,
        )],
        helpful: &[("kieran@demo.example", 0)],
        answer: Some(0),
        pinned: false,
        closed: true,
    },
    DemoThread {
        author: "ellis@demo.example",
        title: "Involving people with lived experience in planning walks",
        body: "We want walkers to shape the programme, not just attend it. Has anyone paid people for their time, \
               and how did you handle benefits?",
        topics: &[Topic::LivedExperienceInvolvement],
        activities: &[ActivityType::Nature, ActivityType::PeerSupport],
        replies: &[(
            "jo@demo.example",
            "Co-production works when people choose the questions, not only answer them. \
              Offer vouchers or cash and a plain note about permitted earnings; let people decide.",
            false,
        )],
        helpful: &[],
        answer: None,
        pinned: false,
        closed: false,
    },
    DemoThread {
        author: "priya@demo.example",
        title: "Multi-year funding when every grant is for twelve months",
        body: "Short grants keep us in a cycle of stopping and starting. Has anyone persuaded a funder to commit \
               for three years?",
        topics: &[
            Topic::FundingAndSustainability,
            Topic::PartnershipsWithHealth,
        ],
        activities: &[ActivityType::Arts],
        replies: &[(
            "daniel@demo.example",
            "Ask for three years with break clauses tied to simple milestones. \
              Funders say yes more often than you think when the risk is shared.",
            false,
        )],
        helpful: &[("priya@demo.example", 0)],
        answer: None,
        pinned: false,
        closed: false,
    },
];

/// Who follows which topic (notified of new threads there).
const TOPIC_FOLLOWS: &[(&str, Topic)] = &[
    ("tom@demo.example", Topic::Safeguarding),
    (
        "margaret@demo.example",
        Topic::CommissioningAndSocialPrescribing,
    ),
    ("ruth@demo.example", Topic::EvaluationAndOutcomes),
    ("jo@demo.example", Topic::LivedExperienceInvolvement),
];

async fn user_id(db: &DatabaseConnection, email: &str) -> AppResult<i64> {
    Ok(db::users::find_by_email(db, email)
        .await?
        .ok_or(AppError::NotFound)?
        .id)
}

async fn organisation_of(db: &DatabaseConnection, user: i64) -> AppResult<Option<i64>> {
    Ok(db::organisations::of_user(db, user)
        .await?
        .iter()
        .map(|(o, _)| o.id)
        .min())
}

pub async fn seed(db: &DatabaseConnection) -> AppResult<()> {
    if !db::threads::list(db, db::threads::Scope::Readable(&[]), None)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    for t in THREADS {
        let author = user_id(db, t.author).await?;
        let plain = plain_text(t.body);
        let (thread, _) = db::threads::create(
            db,
            NewThread {
                title: t.title,
                body: t.body,
                plain: &plain,
                topics: t.topics,
                activity_types: t.activities,
                coop_id: None,
                author_id: author,
                organisation_id: organisation_of(db, author).await?,
            },
        )
        .await?;
        let opening = db::threads::posts(db, thread.id).await?[0].id;
        let mut reply_ids = Vec::new();
        for (who, body, quotes) in t.replies {
            let who = user_id(db, who).await?;
            let p = db::threads::reply(
                db,
                thread.id,
                who,
                organisation_of(db, who).await?,
                body,
                &plain_text(body),
                quotes.then_some(opening),
            )
            .await?;
            reply_ids.push(p.id);
        }
        for (who, i) in t.helpful {
            db::threads::set_helpful(db, reply_ids[*i], user_id(db, who).await?, true).await?;
        }
        if let Some(i) = t.answer {
            db::threads::set_answer(db, &thread, Some(reply_ids[i])).await?;
        }
        if t.pinned || t.closed {
            let thread = db::threads::find(db, thread.id)
                .await?
                .ok_or(AppError::NotFound)?;
            db::threads::set_state(db, &thread, Some(t.pinned), None, Some(t.closed)).await?;
        }
    }
    for (who, topic) in TOPIC_FOLLOWS {
        db::threads::set_topic_follow(db, *topic, user_id(db, who).await?, true).await?;
    }
    Ok(())
}
