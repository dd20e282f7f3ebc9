//! Co-operatives through the API: a small world of people and approved
//! organisations, creating a co-op, asking to join and admitting, staff
//! joining by invitation, and DELETE with a JSON body.

use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde::Serialize;
use shared::api::coops::{
    CoopRequestView, CoopRoom, CoopView, CreateCoopRequest, CreateCoopRoom, DecideCoopRequest,
    SaveCoop,
};
use shared::api::organisations::OrganisationView;
use shared::api::rooms::ListMessagesResponse;
use shared::taxonomy::{Priority, Topic};

use super::{Api, TestApp, TestUser, json};

/// The people and organisations most co-op tests start from: a co-op with
/// one coordinator and no members yet; Harbour Arts (lead and a staff
/// member) and Tamar Gardens (lead only), both approved and outside it; a
/// signed-in stranger; and the programme team.
pub struct CoopWorld {
    pub admin: TestUser,
    pub coordinator: TestUser,
    /// Leads Harbour Arts.
    pub lead: TestUser,
    /// Works for Harbour Arts (not a lead).
    pub staff: TestUser,
    pub harbour: OrganisationView,
    /// Leads Tamar Gardens.
    pub other_lead: TestUser,
    pub tamar: OrganisationView,
    pub stranger: TestUser,
    pub coop: CoopView,
}

impl CoopWorld {
    pub async fn new(app: &TestApp) -> Self {
        let admin = app.admin("Asha Patel").await;
        let coordinator = app.user("Cora Quinn").await;
        let lead = app.user("Lowen Tremayne").await;
        let staff = app.user("Kit Colenso").await;
        let other_lead = app.user("Bryn Hale").await;
        let stranger = app.user("Sam Stranger").await;
        let harbour = app
            .approved_organisation(
                &admin,
                &lead,
                "Harbour Arts",
                "Plymouth",
                &[(Topic::Safeguarding, Priority::High)],
            )
            .await;
        app.join_staff(&lead, harbour.id, &staff).await;
        let tamar = app
            .approved_organisation(
                &admin,
                &other_lead,
                "Tamar Gardens",
                "Saltash",
                &[(Topic::FundingAndSustainability, Priority::Medium)],
            )
            .await;
        let coop = app
            .create_coop(
                &admin,
                "Plymouth Wellbeing Co-op",
                "Plymouth",
                &[coordinator.id],
            )
            .await;
        Self {
            admin,
            coordinator,
            lead,
            staff,
            harbour,
            other_lead,
            tamar,
            stranger,
            coop,
        }
    }

    pub fn coop_path(&self) -> String {
        format!("/api/coops/{}", self.coop.id)
    }
}

pub fn save_coop(name: &str, locality: &str, coordinators: &[i64]) -> SaveCoop {
    SaveCoop {
        name: name.into(),
        locality: locality.into(),
        purpose: "A joint bid for wellbeing funding".into(),
        coordinator_ids: coordinators.to_vec(),
    }
}

impl Api {
    /// A request with a JSON body (DELETE needs one, as the app sends).
    pub async fn delete_with<T: Serialize>(
        &self,
        path: &str,
        user: Option<&TestUser>,
        body: &T,
    ) -> reqwest::Response {
        self.request(Method::DELETE, path, user)
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_vec(body).expect("json"))
            .send()
            .await
            .expect("DELETE")
    }

    /// An organisation led by `lead`, approved by `admin`.
    pub async fn approved_organisation(
        &self,
        admin: &TestUser,
        lead: &TestUser,
        name: &str,
        locality: &str,
        needs: &[(Topic, Priority)],
    ) -> OrganisationView {
        let org = self.organisation(lead, name, locality, needs).await;
        self.approve_organisation(admin, org.id).await
    }

    /// `who` joins the organisation's staff through a lead's invitation link.
    pub async fn join_staff(&self, lead: &TestUser, org: i64, who: &TestUser) -> OrganisationView {
        let invite = self.invite(lead, org).await;
        json(
            self.post(
                &format!("/api/invites/{}/accept", invite.token),
                Some(who),
                &(),
            )
            .await,
            StatusCode::OK,
        )
        .await
    }

    pub async fn create_coop(
        &self,
        admin: &TestUser,
        name: &str,
        locality: &str,
        coordinators: &[i64],
    ) -> CoopView {
        json(
            self.post(
                "/api/coops",
                Some(admin),
                &save_coop(name, locality, coordinators),
            )
            .await,
            StatusCode::CREATED,
        )
        .await
    }

    pub async fn coop(&self, who: &TestUser, id: i64) -> CoopView {
        json(
            self.get(&format!("/api/coops/{id}"), Some(who)).await,
            StatusCode::OK,
        )
        .await
    }

    pub async fn ask_to_join(
        &self,
        lead: &TestUser,
        coop: i64,
        org: i64,
        message: &str,
    ) -> reqwest::Response {
        self.post(
            &format!("/api/coops/{coop}/requests"),
            Some(lead),
            &CreateCoopRequest {
                organisation_id: org,
                message: message.into(),
            },
        )
        .await
    }

    pub async fn decide_coop_request(
        &self,
        who: &TestUser,
        request: i64,
        accept: bool,
        reason: Option<&str>,
    ) -> reqwest::Response {
        self.post(
            &format!("/api/coop-requests/{request}/decide"),
            Some(who),
            &DecideCoopRequest {
                accept,
                reason: reason.map(str::to_owned),
            },
        )
        .await
    }

    /// The lead asks for their organisation to join and a coordinator admits it.
    pub async fn admit(
        &self,
        coordinator: &TestUser,
        lead: &TestUser,
        coop: i64,
        org: i64,
    ) -> CoopRequestView {
        let asked: CoopRequestView = json(
            self.ask_to_join(lead, coop, org, "").await,
            StatusCode::CREATED,
        )
        .await;
        json(
            self.decide_coop_request(coordinator, asked.id, true, None)
                .await,
            StatusCode::OK,
        )
        .await
    }

    /// The organisation's lead takes it out of the co-op.
    pub async fn leave_coop(&self, lead: &TestUser, coop: i64, org: i64) -> CoopView {
        json(
            self.delete_with(
                &format!("/api/coops/{coop}/members/{org}"),
                Some(lead),
                &serde_json::json!({}),
            )
            .await,
            StatusCode::OK,
        )
        .await
    }

    pub async fn coop_room(&self, coordinator: &TestUser, coop: i64, title: &str) -> CoopRoom {
        json(
            self.post(
                &format!("/api/coops/{coop}/rooms"),
                Some(coordinator),
                &CreateCoopRoom {
                    title: title.into(),
                },
            )
            .await,
            StatusCode::CREATED,
        )
        .await
    }

    pub async fn history_of(&self, who: &TestUser, room: i64) -> reqwest::Response {
        self.get(&format!("/api/rooms/{room}/messages"), Some(who))
            .await
    }

    pub async fn messages(&self, who: &TestUser, room: i64) -> ListMessagesResponse {
        json(self.history_of(who, room).await, StatusCode::OK).await
    }
}
