//! The demo's two co-operatives, one in Plymouth and one in Bristol, each
//! with coordinators, member organisations, rooms with a conversation,
//! decisions and actions made from messages (one overdue, one done),
//! events, a co-op thread and a pending request. Seeded once: if any co-op
//! exists, nothing is added.

use chrono::{Duration, NaiveTime, Utc};
use shared::api::coops::{
    ActionStatus, EventKind, Owner, RecordKind, RequestKind, RequestStatus, SaveEvent,
};
use shared::taxonomy::Topic;

use crate::db;
use crate::db::coop_log::{NewRecord, RecordState};
use crate::db::threads::NewThread;
use crate::domain::markdown::plain_text;
use crate::error::{AppError, AppResult};
use sea_orm::DatabaseConnection;

/// Who says what in a room, in order.
type Line = (&'static str, &'static str);

/// An action: text, owner (an organisation's name or a person's email),
/// due in days from today, done, and which line it was made from.
type Action = (&'static str, &'static str, i64, bool, usize);

struct DemoRoom {
    title: &'static str,
    lines: &'static [Line],
    archived: bool,
}

struct DemoCoop {
    name: &'static str,
    locality: &'static str,
    purpose: &'static str,
    coordinators: &'static [&'static str],
    members: &'static [&'static str],
    /// An organisation (by name) whose lead has asked to join.
    pending: Option<&'static str>,
    rooms: &'static [DemoRoom],
    /// A decision made from a line of the first room.
    decision: (&'static str, usize),
    actions: &'static [Action],
    /// Title, meeting or deadline, days ahead, place, link.
    events: &'static [(&'static str, EventKind, i64, &'static str, &'static str)],
    thread: (&'static str, &'static str, &'static str),
}

const COOPS: &[DemoCoop] = &[
    DemoCoop {
        name: "Plymouth Wellbeing Co-operative",
        locality: "Plymouth",
        purpose: "Small Plymouth groups bidding together to the ICB, sharing one referral route \
                  from GPs and link workers, and one voice to commissioners.",
        coordinators: &["ellis@demo.example"],
        members: &[
            "Harbour Arts Collective",
            "Tamar Valley Walkers",
            "Barbican Heritage Volunteers",
        ],
        pending: Some("Devonport Peer Circle"),
        rooms: &[
            DemoRoom {
                title: "General",
                lines: &[
                    (
                        "ellis@demo.example",
                        "Welcome, everyone. This is where we plan the joint bid and the shared referral route.",
                    ),
                    (
                        "kieran@demo.example",
                        "The ICB said bids close at the end of March. Can we agree to go in together?",
                    ),
                    (
                        "priya@demo.example",
                        "Yes from Harbour Arts. We will submit the joint bid by 31 March.",
                    ),
                    (
                        "ellis@demo.example",
                        "Agreed. Kieran, could you collect last year's outcome figures from each of us?",
                    ),
                    (
                        "priya@demo.example",
                        "We'll draft the shared safeguarding referral route for everyone to comment on.",
                    ),
                ],
                archived: false,
            },
            DemoRoom {
                title: "Joint bid to the ICB",
                lines: &[
                    (
                        "kieran@demo.example",
                        "First draft of the outcomes section is in our shared folder.",
                    ),
                    (
                        "ellis@demo.example",
                        "Thanks. Let's use WEMWBS for everyone so the figures add up.",
                    ),
                ],
                archived: false,
            },
        ],
        decision: ("We will submit the joint bid to the ICB by 31 March.", 2),
        actions: &[
            (
                "Collect last year's outcome figures from each member",
                "kieran@demo.example",
                -3,
                false,
                3,
            ),
            (
                "Draft the shared safeguarding referral route",
                "Harbour Arts Collective",
                14,
                false,
                4,
            ),
            (
                "Book the Guildhall for the steering group",
                "Tamar Valley Walkers",
                -10,
                true,
                0,
            ),
        ],
        events: &[
            (
                "Steering group",
                EventKind::Meeting,
                7,
                "Plymouth Guildhall, Room 2",
                "",
            ),
            (
                "ICB community grants: bids close",
                EventKind::Deadline,
                30,
                "",
                "https://example.org/icb-community-grants",
            ),
        ],
        thread: (
            "Sharing volunteer supervision across the co-op",
            "kieran@demo.example",
            "Could we run **one** monthly supervision group for volunteers from all our \
             organisations? Smaller groups struggle to find a supervisor on their own.",
        ),
    },
    DemoCoop {
        name: "Bristol Community Minds",
        locality: "Bristol",
        purpose: "Bristol community groups sharing referral pathways and training, and speaking \
                  to commissioners together about what small groups need.",
        coordinators: &["megan@demo.example", "sam@demo.example"],
        members: &[
            "Stokes Croft Library Friends",
            "Avon Allotment Growers",
            "Easton Women's Football",
        ],
        pending: None,
        rooms: &[
            DemoRoom {
                title: "General",
                lines: &[
                    (
                        "megan@demo.example",
                        "Hello all. Shall we map who takes referrals from which PCN?",
                    ),
                    (
                        "aisha@demo.example",
                        "We take self-referrals and a few from the Easton PCN link worker.",
                    ),
                    (
                        "sam@demo.example",
                        "Let's keep one shared list of referral pathways and review it each quarter.",
                    ),
                    (
                        "megan@demo.example",
                        "Aisha, could you ask the link worker which groups they refer to most?",
                    ),
                ],
                archived: false,
            },
            DemoRoom {
                title: "Winter planning",
                lines: &[(
                    "sam@demo.example",
                    "Thanks all, the winter sessions are wrapped up.",
                )],
                archived: true,
            },
        ],
        decision: (
            "We keep one shared list of referral pathways and review it each quarter.",
            2,
        ),
        actions: &[(
            "Ask the Easton link worker which groups they refer to most",
            "aisha@demo.example",
            10,
            false,
            3,
        )],
        events: &[(
            "Quarterly pathways review",
            EventKind::Meeting,
            21,
            "Stokes Croft Library, back room",
            "https://meet.example.org/bcm-review",
        )],
        thread: (
            "Our referral pathways, in one place",
            "megan@demo.example",
            "Here is the start of our shared list of referral pathways. Add yours as a reply, \
             with who refers and how.",
        ),
    },
];

async fn user_id(db: &DatabaseConnection, email: &str) -> AppResult<i64> {
    Ok(db::users::find_by_email(db, email)
        .await?
        .ok_or(AppError::NotFound)?
        .id)
}

async fn org_id(db: &DatabaseConnection, name: &str) -> AppResult<i64> {
    db::organisations::list(db, &[shared::taxonomy::ApprovalStatus::Approved])
        .await?
        .into_iter()
        .find(|o| o.name == name)
        .map(|o| o.id)
        .ok_or(AppError::NotFound)
}

pub async fn seed(db: &DatabaseConnection) -> AppResult<()> {
    if !db::coops::list(db).await?.is_empty() {
        return Ok(());
    }
    let admin = user_id(db, "admin@demo.example").await?;
    for c in COOPS {
        let mut coordinators = Vec::new();
        for email in c.coordinators {
            coordinators.push(user_id(db, email).await?);
        }
        let coop =
            db::coops::create(db, admin, c.name, c.locality, c.purpose, &coordinators).await?;
        for name in c.members {
            let org = org_id(db, name).await?;
            let lead = db::organisations::staff_of(db, org)
                .await?
                .into_iter()
                .find(|s| s.is_lead)
                .map_or(admin, |s| s.user_id);
            let asked =
                db::coops::create_request(db, coop.id, org, RequestKind::Request, "", lead).await?;
            db::coops::settle_request(db, &asked, RequestStatus::Accepted, coordinators[0], None)
                .await?;
        }
        if let Some(name) = c.pending {
            let org = org_id(db, name).await?;
            let lead = db::organisations::staff_of(db, org)
                .await?
                .into_iter()
                .find(|s| s.is_lead)
                .map_or(admin, |s| s.user_id);
            db::coops::create_request(
                db,
                coop.id,
                org,
                RequestKind::Request,
                "We run peer support circles in Devonport and would like to join the bid.",
                lead,
            )
            .await?;
        }
        let people = db::coops::people_of(db, coop.id).await?;
        let mut first_room_messages = Vec::new();
        for (i, r) in c.rooms.iter().enumerate() {
            let room =
                db::coops::create_room(db, coop.id, r.title, &people, coordinators[0]).await?;
            for (n, (email, body)) in r.lines.iter().enumerate() {
                let client_msg_id = format!("demo-coop-{}-{i}-{n}", coop.id);
                let stored = db::messages::insert(
                    db,
                    &db::messages::NewMessage {
                        room_id: room.id,
                        author_id: user_id(db, email).await?,
                        client_msg_id: &client_msg_id,
                        body,
                    },
                )
                .await?;
                if i == 0 {
                    first_room_messages.push(stored.message.id);
                }
            }
            if r.archived {
                db::coops::update_room(db, &room, None, Some(true), coordinators[0]).await?;
            }
        }
        let (text, line) = c.decision;
        db::coop_log::create_record(
            db,
            NewRecord {
                coop_id: coop.id,
                kind: RecordKind::Decision,
                text,
                message_id: first_room_messages.get(line).copied(),
                owner: None,
                due_on: None,
                by: coordinators[0],
            },
        )
        .await?;
        let today = Utc::now().date_naive();
        for (text, owner, due_in, done, line) in c.actions {
            let owner = if owner.contains('@') {
                Owner::Person {
                    user_id: user_id(db, owner).await?,
                }
            } else {
                Owner::Organisation {
                    organisation_id: org_id(db, owner).await?,
                }
            };
            let due_on = Some(today + Duration::days(*due_in));
            let made = db::coop_log::create_record(
                db,
                NewRecord {
                    coop_id: coop.id,
                    kind: RecordKind::Action,
                    text,
                    message_id: first_room_messages.get(*line).copied(),
                    owner: Some(&owner),
                    due_on,
                    by: coordinators[0],
                },
            )
            .await?;
            if *done {
                db::coop_log::update_record(
                    db,
                    made.id,
                    RecordState {
                        text,
                        status: ActionStatus::Done,
                        owner: Some(&owner),
                        due_on,
                    },
                    coordinators[0],
                )
                .await?;
            }
        }
        for (title, kind, days, place, link) in c.events {
            let day = today + Duration::days(*days);
            let all_day = *kind == EventKind::Deadline;
            let time = NaiveTime::from_hms_opt(if all_day { 0 } else { 10 }, 0, 0)
                .ok_or(AppError::NotFound)?;
            let starts_at = day.and_time(time).and_utc();
            let event = SaveEvent {
                title: (*title).into(),
                kind: *kind,
                starts_at,
                ends_at: (!all_day).then(|| starts_at + Duration::minutes(90)),
                all_day,
                place: (*place).into(),
                link: (*link).into(),
                description: String::new(),
            };
            db::coop_log::create_event(db, coop.id, &event, coordinators[0]).await?;
        }
        let (title, author, body) = c.thread;
        let author = user_id(db, author).await?;
        let organisation_id = db::organisations::of_user(db, author)
            .await?
            .iter()
            .map(|(o, _)| o.id)
            .min();
        db::threads::create(
            db,
            NewThread {
                title,
                body,
                plain: &plain_text(body),
                topics: &[Topic::TrainingAndSupervision],
                activity_types: &[],
                coop_id: Some(coop.id),
                author_id: author,
                organisation_id,
            },
        )
        .await?;
    }
    Ok(())
}
