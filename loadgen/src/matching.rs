//! The programme team's reads at programme size: a generated programme of
//! approved organisations with needs and approved mentors, then the
//! whole-programme plan, one organisation's suggestions and the dashboard,
//! each timed over many requests.

use std::time::Instant;

use hdrhistogram::Histogram;
use sea_orm::{ConnectionTrait, Database};
use shared::api::mentors::{Expertise, SaveMentorProfile};
use shared::api::organisations::{Decide, Need, OrganisationView, SaveOrganisation, SetNeeds};
use shared::api::programme::ProgrammePlan;
use shared::taxonomy::{ActivityType, Depth, OrganisationSize, Priority, Topic};

use crate::BoxError;
use crate::client::{Api, Person};
use crate::server::{Db, Server};

const PLACES: [&str; 2] = ["Plymouth", "Bristol"];

fn pick<T: Copy>(all: &[T], i: usize, n: usize) -> Vec<T> {
    (0..n)
        .map(|k| all[(i * 5 + k * 7) % all.len()])
        .collect::<Vec<_>>()
}

pub async fn run(db: Db, orgs: usize, mentors: usize, requests: usize) -> Result<(), BoxError> {
    let server = Server::start(db).await?;
    let api = Api::new(server.addr);
    let admin = api.register("Load Admin").await?;
    let conn = Database::connect(server.url.clone()).await?;
    conn.execute_unprepared(&format!(
        "UPDATE users SET is_admin = TRUE WHERE id = {}",
        admin.id
    ))
    .await?;

    for i in 0..mentors {
        let m = api.register(&format!("Load Mentor {i}")).await?;
        let mut expertise: Vec<Expertise> = pick(Topic::ALL, i, 4)
            .into_iter()
            .zip([
                Depth::Expert,
                Depth::Experienced,
                Depth::Working,
                Depth::Working,
            ])
            .map(|(topic, depth)| Expertise { topic, depth })
            .collect();
        expertise.dedup_by_key(|e| e.topic);
        let profile = SaveMentorProfile {
            bio: "Generated mentor.".into(),
            expertise,
            activity_types: pick(ActivityType::ALL, i, 2),
            localities: vec![PLACES[i % 2].into()],
            remote: i % 3 != 0,
            in_person: true,
            capacity: 2 + (i % 3) as u32,
            lived_experience: i % 4 == 0,
        };
        api.put_json::<_, serde_json::Value>("/api/mentors/me", &m, &profile)
            .await?;
        api.post_json::<_, serde_json::Value>(
            &format!("/api/mentors/{}/decision", m.id),
            &admin,
            &Decide {
                approve: true,
                reason: None,
            },
        )
        .await?;
    }
    let mut org_ids = Vec::with_capacity(orgs);
    for i in 0..orgs {
        let lead: Person = api.register(&format!("Load Lead {i}")).await?;
        let org: OrganisationView = api
            .post_json(
                "/api/organisations",
                &lead,
                &SaveOrganisation {
                    name: format!("Generated Organisation {i}"),
                    description: String::new(),
                    activity_types: pick(ActivityType::ALL, i + 3, 2),
                    locality: PLACES[i % 2].into(),
                    populations_served: String::new(),
                    size: OrganisationSize::Small,
                    charity_number: None,
                },
            )
            .await?;
        let mut needs: Vec<Need> = pick(Topic::ALL, i + 1, 2 + i % 3)
            .into_iter()
            .zip([
                Priority::High,
                Priority::Medium,
                Priority::Low,
                Priority::Low,
            ])
            .map(|(topic, priority)| Need {
                topic,
                priority,
                description: String::new(),
            })
            .collect();
        needs.dedup_by_key(|n| n.topic);
        api.put_json::<_, serde_json::Value>(
            &format!("/api/organisations/{}/needs", org.id),
            &lead,
            &SetNeeds { needs },
        )
        .await?;
        api.post_json::<_, serde_json::Value>(
            &format!("/api/organisations/{}/decision", org.id),
            &admin,
            &Decide {
                approve: true,
                reason: None,
            },
        )
        .await?;
        org_ids.push(org.id);
    }

    let plan: ProgrammePlan = api.get_json("/api/programme/plan", &admin).await?;
    let mut line = format!(
        "bench=matching db={db} orgs={orgs} mentors={mentors} requests={requests} \
         planned={} unmatched={}",
        plan.matches.len(),
        plan.unmatched.len()
    );
    for (name, path) in [
        ("plan", "/api/programme/plan".to_owned()),
        (
            "suggestions",
            format!("/api/organisations/{}/suggestions", org_ids[0]),
        ),
        ("dashboard", "/api/programme/dashboard".to_owned()),
    ] {
        let mut hist = Histogram::<u64>::new(3)?;
        for _ in 0..requests {
            let t = Instant::now();
            api.get_json::<serde_json::Value>(&path, &admin).await?;
            hist.record(t.elapsed().as_micros() as u64)?;
        }
        line.push_str(&format!(
            " {name}_p50_ms={:.2} {name}_p99_ms={:.2}",
            hist.value_at_quantile(0.50) as f64 / 1000.0,
            hist.value_at_quantile(0.99) as f64 / 1000.0,
        ));
    }
    println!("{line}");
    server.stop().await;
    Ok(())
}
