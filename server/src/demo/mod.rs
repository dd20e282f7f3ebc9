//! The demo world of `DOMAIN.md`: mentors and staff in Plymouth and Bristol,
//! with a few conversations, and a living mentoring programme: approved and
//! pending organisations with needs, five approved mentors, and mentorships
//! that are active, stalled, proposed, requested and completed, with goals
//! and session notes; practice threads across the topics; and two local
//! co-operatives (Plymouth and Bristol) with rooms, decisions, actions and
//! events. Idempotent: running it twice changes nothing.

use sea_orm::DatabaseConnection;

mod coops;
mod programme;
mod threads;

use crate::auth::password;
use crate::db;
use crate::error::AppResult;

/// Every demo account shares this password (it passes the password policy).
pub const DEMO_PASSWORD: &str = "harbour lantern teacup";

pub struct DemoPerson {
    pub email: &'static str,
    pub name: &'static str,
    /// Who they are in the demo world (printed with the logins).
    pub role: &'static str,
}

pub const PEOPLE: &[DemoPerson] = &[
    DemoPerson {
        email: "admin@demo.example",
        name: "Programme Team",
        role: "admin",
    },
    DemoPerson {
        email: "margaret@demo.example",
        name: "Margaret Osei",
        role: "mentor: retired NHS commissioner, Bristol",
    },
    DemoPerson {
        email: "tom@demo.example",
        name: "Tom Penhaligon",
        role: "mentor: safeguarding lead, Plymouth",
    },
    DemoPerson {
        email: "jo@demo.example",
        name: "Jo Reid",
        role: "mentor: peer-support worker with lived experience, Plymouth",
    },
    DemoPerson {
        email: "daniel@demo.example",
        name: "Daniel Kaur",
        role: "mentor: fundraiser, Bristol",
    },
    DemoPerson {
        email: "ruth@demo.example",
        name: "Ruth Adeyemi",
        role: "mentor: evaluation specialist, remote",
    },
    DemoPerson {
        email: "priya@demo.example",
        name: "Priya Shah",
        role: "staff: Harbour Arts Collective (arts), Plymouth",
    },
    DemoPerson {
        email: "ellis@demo.example",
        name: "Ellis Morgan",
        role: "staff: Tamar Valley Walkers (nature), Plymouth",
    },
    DemoPerson {
        email: "kieran@demo.example",
        name: "Kieran Walsh",
        role: "staff: Barbican Heritage Volunteers (heritage), Plymouth",
    },
    DemoPerson {
        email: "sam@demo.example",
        name: "Sam Okafor",
        role: "staff: Stokes Croft Library Friends (library), Bristol",
    },
    DemoPerson {
        email: "megan@demo.example",
        name: "Megan Hughes",
        role: "staff: Avon Allotment Growers (nature), Bristol",
    },
    DemoPerson {
        email: "aisha@demo.example",
        name: "Aisha Rahman",
        role: "staff: Easton Women's Football (sport-and-movement), Bristol",
    },
];

/// (from, to, client_msg_id, body): conversations that show the platform's purpose.
const CONVERSATIONS: &[(&str, &str, &str, &str)] = &[
    (
        "priya@demo.example",
        "tom@demo.example",
        "demo-1",
        "Hi Tom, our trustees have asked us to rewrite our safeguarding policy before we take referrals from the link workers. Could we talk it through?",
    ),
    (
        "tom@demo.example",
        "priya@demo.example",
        "demo-2",
        "Of course. Start with who your designated safeguarding lead is and what a volunteer does in the first ten minutes after a disclosure. I'll share the template we use.",
    ),
    (
        "priya@demo.example",
        "tom@demo.example",
        "demo-3",
        "That would help a lot. Thursday after the open studio session?",
    ),
    (
        "sam@demo.example",
        "margaret@demo.example",
        "demo-4",
        "Margaret, the ICB has opened a small grants round for social prescribing. What do commissioners actually want to see in the outcomes section?",
    ),
    (
        "margaret@demo.example",
        "sam@demo.example",
        "demo-5",
        "Fewer big promises, more honest measures. Tell them how people are referred to you, what changes for them, and how you'll know. Happy to read a draft.",
    ),
];

pub struct Seeded {
    pub created_people: usize,
}

pub async fn seed(db: &DatabaseConnection) -> AppResult<Seeded> {
    let mut created_people = 0;
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    for person in PEOPLE {
        if db::users::find_by_email(db, person.email).await?.is_some() {
            continue;
        }
        db::users::create(
            db,
            db::users::NewUser {
                email: person.email,
                password_hash: hash.clone(),
                display_name: person.name,
                is_admin: person.role == "admin",
            },
        )
        .await?;
        created_people += 1;
    }
    for (from, to, client_msg_id, body) in CONVERSATIONS {
        let (Some(a), Some(b)) = (
            db::users::find_by_email(db, from).await?,
            db::users::find_by_email(db, to).await?,
        ) else {
            continue;
        };
        let (room, _) = db::rooms::open_direct(db, a.id, b.id).await?;
        // The unique (author, client_msg_id) makes a second run store nothing.
        let new = db::messages::NewMessage {
            room_id: room.id,
            author_id: a.id,
            client_msg_id,
            body,
        };
        db::messages::insert(db, &new).await?;
    }
    programme::seed(db).await?;
    threads::seed(db).await?;
    coops::seed(db).await?;
    Ok(Seeded { created_people })
}

/// The logins to print after seeding.
pub fn logins() -> String {
    let mut out = format!("Demo logins (password for all: \"{DEMO_PASSWORD}\"):\n");
    for p in PEOPLE {
        out.push_str(&format!("  {:<24} {:<16} {}\n", p.email, p.name, p.role));
    }
    out.push_str(
        "The programme team's pages ask admin@demo.example to set up two-factor sign-in \
         first (Settings), unless APP_ADMIN_TWO_FACTOR_REQUIRED=false.\n",
    );
    out
}
