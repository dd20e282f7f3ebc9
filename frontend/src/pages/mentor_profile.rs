//! Applying to mentor, and editing one's own mentor profile.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::mentors::{Expertise, MentorView, SaveMentorProfile};
use shared::limits::MENTOR_CAPACITY_MAX;
use shared::taxonomy::{ApprovalStatus, Depth, Topic};
use shared::{ApiError, ErrorKind};

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::form_errors::{FormAlert, FormErrors, focus_later};
use crate::components::org_text_field::InputField;
use crate::components::retry_notice::RetryNotice;
use crate::components::taxonomy_checkboxes::TaxonomyCheckboxes;
use crate::components::taxonomy_select::TaxonomySelect;

const CAPACITY_MIN: u32 = 1;
const CAPACITY_MAX: u32 = MENTOR_CAPACITY_MAX;

/// API field name and DOM id (the one to focus), in the order they appear.
const FIELDS: [(&str, &str); 8] = [
    ("bio", "mentor-bio"),
    ("expertise", "expertise-safeguarding"),
    ("activity_types", "mentor-activity-arts"),
    ("remote", "mentor-remote"),
    ("in_person", "mentor-remote"),
    ("localities", "mentor-localities"),
    ("capacity", "mentor-capacity"),
    ("lived_experience", "mentor-lived-experience"),
];

#[derive(Clone, Debug, PartialEq)]
enum Phase {
    Loading,
    /// `None`: they have not applied yet.
    Ready(Option<MentorView>),
    Failed(String),
}

#[component]
pub fn MentorProfilePage() -> impl IntoView {
    set_page_title("Your mentor profile");
    let session = use_session();
    let phase = RwSignal::new(Phase::Loading);
    let shown = Memo::new(move |_| match phase.get() {
        Phase::Loading => 0,
        Phase::Ready(_) => 1,
        Phase::Failed(_) => 2,
    });
    // The saved profile, once there is one; the form keeps its own drafts.
    let saved = RwSignal::new(None::<MentorView>);

    let load = move || {
        phase.set(Phase::Loading);
        spawn_local(async move {
            let result = api::my_mentor_profile().await;
            // The person may have left the page meanwhile.
            if phase.try_get_untracked().is_none() {
                return;
            }
            match result {
                Ok(view) => {
                    saved.set(Some(view.clone()));
                    phase.set(Phase::Ready(Some(view)));
                }
                Err(e) if e.kind == ErrorKind::NotFound => {
                    set_page_title("Apply to mentor");
                    phase.set(Phase::Ready(None));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        phase.set(Phase::Failed(e.message));
                    }
                }
            }
        });
    };
    load();

    let heading = move || {
        if saved.with(Option::is_some) {
            "Your mentor profile"
        } else {
            "Apply to mentor"
        }
    };

    view! {
        <main id="main" class="page narrow">
            <h1 id="mentor-profile-heading">{heading}</h1>
            {move || match shown.get() {
                0 => view! { <p class="muted" role="status">"Loading your mentor profile…"</p> }.into_any(),
                2 => {
                    let message = match phase.get_untracked() {
                        Phase::Failed(m) => m,
                        _ => String::new(),
                    };
                    view! { <RetryNotice message=message on_retry=Callback::new(move |()| load()) /> }
                        .into_any()
                }
                _ => {
                    let initial = match phase.get_untracked() {
                        Phase::Ready(v) => v,
                        _ => None,
                    };
                    view! {
                        <MentorStatus saved=saved />
                        <MentorProfileForm initial=initial saved=saved />
                    }
                        .into_any()
                }
            }}
        </main>
    }
}

/// Where the application stands, with the programme team's reason when declined.
#[component]
fn MentorStatus(saved: RwSignal<Option<MentorView>>) -> impl IntoView {
    move || {
        match saved.get() {
        None => view! {
            <p id="mentor-intro">
                "Mentors help small community organisations with the hard parts of their work: safeguarding, supporting people in distress, funding, commissioning, measuring outcomes. Tell the programme team what you know and how much time you have; they approve each mentor before organisations can find them."
            </p>
        }
        .into_any(),
        Some(view) => {
            let (class, text) = match view.status {
                ApprovalStatus::Pending => (
                    "status-banner pending",
                    "Your application is waiting for approval. The programme team will look at it soon; you can still change your profile meanwhile.",
                ),
                ApprovalStatus::Approved => (
                    "status-banner approved",
                    "You are an approved mentor. Organisations can find you in the mentors directory.",
                ),
                ApprovalStatus::Declined => (
                    "status-banner declined",
                    "The programme team did not approve your application.",
                ),
            };
            let id = view.user.id;
            view! {
                <div id="mentor-status" class=class role="status">
                    <p class="status-banner-title">{view.status.label()}</p>
                    <p>{text}</p>
                    {view.decision_reason.map(|r| view! { <p>"Their reason: " {r}</p> })}
                    {(view.status == ApprovalStatus::Approved)
                        .then(|| {
                            view! {
                                <p>
                                    <a href=format!("/mentors/{id}")>"See your profile as others see it"</a>
                                </p>
                            }
                        })}
                </div>
            }
            .into_any()
        }
    }
    }
}

#[component]
fn MentorProfileForm(
    initial: Option<MentorView>,
    saved: RwSignal<Option<MentorView>>,
) -> impl IntoView {
    let session = use_session();
    let applying = initial.is_none();
    let p = initial.map(|v| v.profile);
    let bio = RwSignal::new(p.as_ref().map(|p| p.bio.clone()).unwrap_or_default());
    let depths: Vec<(Topic, RwSignal<Option<Depth>>)> = Topic::ALL
        .iter()
        .map(|&topic| {
            let depth = p
                .as_ref()
                .and_then(|p| p.expertise.iter().find(|e| e.topic == topic))
                .map(|e| e.depth);
            (topic, RwSignal::new(depth))
        })
        .collect();
    let depths = StoredValue::new(depths);
    let activity_types = RwSignal::new(
        p.as_ref()
            .map(|p| p.activity_types.clone())
            .unwrap_or_default(),
    );
    let localities = RwSignal::new(
        p.as_ref()
            .map(|p| p.localities.join(", "))
            .unwrap_or_default(),
    );
    let remote = RwSignal::new(p.as_ref().is_none_or(|p| p.remote));
    let in_person = RwSignal::new(p.as_ref().is_some_and(|p| p.in_person));
    let capacity = RwSignal::new(p.as_ref().map_or(2, |p| p.capacity).to_string());
    let lived = RwSignal::new(p.as_ref().is_some_and(|p| p.lived_experience));
    let errors = RwSignal::new(FormErrors::default());
    let busy = RwSignal::new(false);
    let status = RwSignal::new(None::<String>);
    let is_new = RwSignal::new(applying);

    let field_error = move |name: &'static str| {
        MaybeProp::derive(move || errors.with(|e| e.fields.get(name).cloned()))
    };
    let meeting_error = MaybeProp::derive(move || {
        errors.with(|e| {
            e.fields
                .get("remote")
                .or_else(|| e.fields.get("in_person"))
                .cloned()
        })
    });

    let show_errors = move |found: FormErrors| {
        focus_later(found.focus_target(&FIELDS));
        errors.set(found);
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let expertise: Vec<Expertise> = depths.with_value(|d| {
            d.iter()
                .filter_map(|(topic, depth)| {
                    depth.get_untracked().map(|depth| Expertise {
                        topic: *topic,
                        depth,
                    })
                })
                .collect()
        });
        let mut found = FormErrors::default();
        if expertise.is_empty() {
            found.field("expertise", "Choose how well you know at least one topic.");
        }
        if !remote.get_untracked() && !in_person.get_untracked() {
            found.field(
                "remote",
                "Tick remote, in person, or both: how can you meet an organisation?",
            );
        }
        let has_locality =
            localities.with_untracked(|l| l.split(',').any(|x| !x.trim().is_empty()));
        if in_person.get_untracked() && !has_locality {
            found.field(
                "localities",
                "Name at least one town or area where you can meet in person.",
            );
        }
        let places = capacity
            .get_untracked()
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (CAPACITY_MIN..=CAPACITY_MAX).contains(n));
        if places.is_none() {
            found.field(
                "capacity",
                format!("Enter a whole number from {CAPACITY_MIN} to {CAPACITY_MAX}."),
            );
        }
        let Some(places) = places.filter(|_| found.is_empty()) else {
            show_errors(found);
            return;
        };
        errors.set(FormErrors::default());
        status.set(None);
        busy.set(true);
        let body = SaveMentorProfile {
            bio: bio.get_untracked().trim().to_owned(),
            expertise,
            activity_types: activity_types.get_untracked(),
            localities: localities
                .get_untracked()
                .split(',')
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_owned)
                .collect(),
            remote: remote.get_untracked(),
            in_person: in_person.get_untracked(),
            capacity: places,
            lived_experience: lived.get_untracked(),
        };
        spawn_local(async move {
            let result = api::save_mentor_profile(&body).await;
            let Some(first) = is_new.try_get_untracked() else {
                return;
            };
            match result {
                Ok(view) => {
                    let said = if first {
                        "Thank you for applying. Your application is waiting for approval."
                    } else {
                        "Your mentor profile is saved."
                    };
                    set_page_title("Your mentor profile");
                    saved.set(Some(view));
                    is_new.set(false);
                    status.set(Some(said.to_owned()));
                }
                Err(e) => {
                    if !session.auth.check(&e) {
                        show_errors(api_errors(e));
                    }
                }
            }
            busy.set(false);
        });
    };

    let expertise_selects = depths.with_value(|d| {
        d.iter()
            .map(|&(topic, depth)| {
                view! {
                    <TaxonomySelect
                        id=format!("expertise-{}", topic.slug())
                        value=depth
                        empty_label="Not my area"
                    >
                        {topic.label()}
                    </TaxonomySelect>
                }
            })
            .collect_view()
    });

    view! {
        <form id="mentor-form" class="stack" novalidate on:submit=on_submit>
            <FormAlert message=Signal::derive(move || errors.with(|e| e.top.clone())) />
            <InputField
                id="mentor-bio"
                label="About you"
                value=bio
                multiline=true
                hint="Your experience in a few sentences: where you have worked, what you have done, what you enjoy helping with."
                error=field_error("bio")
            />
            <fieldset
                class="expertise-fieldset"
                aria-describedby="expertise-hint expertise-error"
            >
                <legend>"Your expertise"</legend>
                <p class="hint" id="expertise-hint">
                    "For each topic, say how well you know it. Leave “Not my area” for the rest."
                </p>
                <div class="expertise-grid">{expertise_selects}</div>
                <p class="field-error" id="expertise-error" role="alert">
                    {move || errors.with(|e| e.fields.get("expertise").cloned())}
                </p>
            </fieldset>
            <TaxonomyCheckboxes
                id_prefix="mentor-activity"
                legend="Kinds of activity you know well"
                value=activity_types
                hint="Optional. Organisations are often arts, nature or peer-support groups; tick the ones you know from the inside."
                error=field_error("activity_types")
            />
            <fieldset
                class="checkbox-group"
                aria-describedby="mentor-meeting-error"
            >
                <legend>"How you can meet"</legend>
                <div class="checkbox">
                    <input
                        type="checkbox"
                        id="mentor-remote"
                        prop:checked=move || remote.get()
                        on:change=move |ev| remote.set(event_target_checked(&ev))
                    />
                    <label for="mentor-remote">"Remotely (video or phone)"</label>
                </div>
                <div class="checkbox">
                    <input
                        type="checkbox"
                        id="mentor-in-person"
                        prop:checked=move || in_person.get()
                        on:change=move |ev| in_person.set(event_target_checked(&ev))
                    />
                    <label for="mentor-in-person">"In person"</label>
                </div>
                <p class="field-error" id="mentor-meeting-error" role="alert">
                    {move || meeting_error.get()}
                </p>
            </fieldset>
            <InputField
                id="mentor-localities"
                label="Places where you can meet in person"
                value=localities
                hint="Towns or areas, separated by commas, for example: Plymouth, Exeter. Needed if you meet in person."
                error=field_error("localities")
            />
            <div class="field" class:has-error=move || errors.with(|e| e.fields.contains_key("capacity"))>
                <label for="mentor-capacity">"How many organisations you can mentor at once"</label>
                <input
                    id="mentor-capacity"
                    name="capacity"
                    type="number"
                    inputmode="numeric"
                    min=CAPACITY_MIN
                    max=CAPACITY_MAX
                    step="1"
                    required
                    aria-invalid=move || {
                        errors.with(|e| e.fields.contains_key("capacity")).then_some("true")
                    }
                    aria-describedby="mentor-capacity-hint mentor-capacity-error"
                    prop:value=move || capacity.get()
                    on:input=move |ev| capacity.set(event_target_value(&ev))
                />
                <p class="hint" id="mentor-capacity-hint">
                    {format!(
                        "From {CAPACITY_MIN} to {CAPACITY_MAX}. Most mentors meet each organisation about once a month.",
                    )}
                </p>
                <p class="field-error" id="mentor-capacity-error" role="alert">
                    {move || errors.with(|e| e.fields.get("capacity").cloned())}
                </p>
            </div>
            <div class="field">
                <div class="checkbox align-top">
                    <input
                        type="checkbox"
                        id="mentor-lived-experience"
                        aria-describedby="mentor-lived-experience-hint"
                        prop:checked=move || lived.get()
                        on:change=move |ev| lived.set(event_target_checked(&ev))
                    />
                    <label for="mentor-lived-experience">"Show that I have lived experience"</label>
                </div>
                <p class="hint" id="mentor-lived-experience-hint">
                    "Optional, and entirely your choice. Tick it if you have lived experience of mental illness and want organisations to see that on your profile. Leave it unticked and nothing about it is shown."
                </p>
            </div>
            <p id="mentor-save-status" class="form-status" role="status">
                {move || status.get()}
            </p>
            <button
                type="submit"
                id="mentor-save"
                class="button primary"
                aria-busy=move || busy.get().then_some("true")
            >
                {move || if is_new.get() { "Apply to mentor" } else { "Save profile" }}
            </button>
        </form>
    }
}

/// A server refusal, put next to its field when the form has one.
fn api_errors(e: ApiError) -> FormErrors {
    let names: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
    FormErrors::from_api(e, &names)
}
