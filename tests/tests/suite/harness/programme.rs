//! Setting up the mentoring programme through the API: organisations with
//! needs, mentor applications, approvals and proposals.

use reqwest::StatusCode;
use shared::api::mentors::{Expertise, MentorView, SaveMentorProfile};
use shared::api::mentorships::{CreateMentorship, MentorshipView, Transition};
use shared::api::organisations::{
    Decide, InviteCreated, Need, OrganisationView, SaveOrganisation, SetNeeds,
};
use shared::taxonomy::{ActivityType, Depth, LifecycleAction, OrganisationSize, Priority, Topic};

use super::{Api, TestUser, json};

pub fn profile(name: &str, locality: &str) -> SaveOrganisation {
    SaveOrganisation {
        name: name.into(),
        description: format!("{name} runs weekly sessions."),
        activity_types: vec![ActivityType::Arts, ActivityType::Nature],
        locality: locality.into(),
        populations_served: "Adults referred by link workers".into(),
        size: OrganisationSize::Small,
        charity_number: None,
    }
}

pub fn mentor_profile(
    expertise: &[(Topic, Depth)],
    locality: &str,
    capacity: u32,
) -> SaveMentorProfile {
    SaveMentorProfile {
        bio: "Twenty years in the sector.".into(),
        expertise: expertise
            .iter()
            .map(|&(topic, depth)| Expertise { topic, depth })
            .collect(),
        activity_types: vec![ActivityType::Arts],
        localities: vec![locality.into()],
        remote: true,
        in_person: true,
        capacity,
        lived_experience: false,
    }
}

impl Api {
    /// `lead` adds an organisation and lists its needs (still pending).
    pub async fn organisation(
        &self,
        lead: &TestUser,
        name: &str,
        locality: &str,
        needs: &[(Topic, Priority)],
    ) -> OrganisationView {
        let org: OrganisationView = json(
            self.post("/api/organisations", Some(lead), &profile(name, locality))
                .await,
            StatusCode::CREATED,
        )
        .await;
        let body = SetNeeds {
            needs: needs
                .iter()
                .map(|&(topic, priority)| Need {
                    topic,
                    priority,
                    description: format!("Help with {}", topic.label()),
                })
                .collect(),
        };
        json(
            self.put(
                &format!("/api/organisations/{}/needs", org.id),
                Some(lead),
                &body,
            )
            .await,
            StatusCode::OK,
        )
        .await
    }

    pub async fn approve_organisation(&self, admin: &TestUser, id: i64) -> OrganisationView {
        json(
            self.post(
                &format!("/api/organisations/{id}/decision"),
                Some(admin),
                &Decide {
                    approve: true,
                    reason: None,
                },
            )
            .await,
            StatusCode::OK,
        )
        .await
    }

    pub async fn apply_to_mentor(&self, who: &TestUser, profile: &SaveMentorProfile) -> MentorView {
        json(
            self.put("/api/mentors/me", Some(who), profile).await,
            StatusCode::OK,
        )
        .await
    }

    pub async fn approve_mentor(&self, admin: &TestUser, id: i64) -> MentorView {
        json(
            self.post(
                &format!("/api/mentors/{id}/decision"),
                Some(admin),
                &Decide {
                    approve: true,
                    reason: None,
                },
            )
            .await,
            StatusCode::OK,
        )
        .await
    }

    pub async fn propose(&self, admin: &TestUser, org: i64, mentor: i64) -> MentorshipView {
        json(
            self.post(
                "/api/mentorships",
                Some(admin),
                &CreateMentorship {
                    organisation_id: org,
                    mentor_id: mentor,
                    note: None,
                },
            )
            .await,
            StatusCode::CREATED,
        )
        .await
    }

    pub async fn step(
        &self,
        who: &TestUser,
        mentorship: i64,
        action: LifecycleAction,
        reason: Option<&str>,
    ) -> reqwest::Response {
        self.post(
            &format!("/api/mentorships/{mentorship}/transition"),
            Some(who),
            &Transition {
                action,
                reason: reason.map(str::to_owned),
            },
        )
        .await
    }

    pub async fn invite(&self, lead: &TestUser, org: i64) -> InviteCreated {
        json(
            self.post(
                &format!("/api/organisations/{org}/invites"),
                Some(lead),
                &(),
            )
            .await,
            StatusCode::CREATED,
        )
        .await
    }
}
