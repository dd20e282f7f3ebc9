//! The directory of organisations, filtered by topic, locality and activity type.

use leptos::prelude::*;
use shared::api::organisations::{ListOrganisations, OrganisationCard};

use crate::api;
use crate::app::set_page_title;
use crate::components::directory::{Filters, Listing, count_sentence, listing};
use crate::components::retry_notice::RetryNotice;
use crate::components::taxonomy_filters::DirectoryFilters;

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    set_page_title("Organisations");
    let filters = Filters::new();
    let Filters {
        topic,
        activity_type,
        locality,
    } = filters;
    let Listing {
        resource: list,
        items: cards,
        failure,
    } = listing(move || {
        let filter = ListOrganisations {
            topic: topic.get(),
            activity_type: activity_type.get(),
            locality: filters.locality(),
            status: None,
        };
        async move {
            api::list_organisations(&filter)
                .await
                .map(|r| r.organisations)
        }
    });
    let status_text = move || {
        count_sentence(
            cards.with(|c| c.as_ref().map(Vec::len)),
            failure.with(Option::is_some),
            filters.is_active(),
            ("organisation", "organisations"),
        )
    };

    view! {
        <main id="main" class="page">
            <h1>"Organisations"</h1>
            <p>
                "Community organisations in the programme, and what they want help with. "
                <a href="/organisations/new" id="add-organisation">
                    "Add your organisation"
                </a>
            </p>
            <DirectoryFilters
                name="Filter organisations"
                topic_label="Needs help with"
                activity_label="Activity"
                locality_label="Locality"
                topic=topic
                activity_type=activity_type
                locality=locality
            />
            <p id="directory-status" class="directory-status" role="status">
                {status_text}
            </p>
            {move || {
                failure
                    .get()
                    .map(|e| {
                        view! {
                            <RetryNotice message=e.message on_retry=Callback::new(move |()| list.refetch()) />
                        }
                    })
            }}
            <ul id="organisation-list" class="card-list">
                <For
                    each=move || cards.get().unwrap_or_default()
                    key=card_key
                    children=|card| view! { <OrgCard card=card /> }
                />
            </ul>
        </main>
    }
}

/// Everything a card shows, so a changed organisation is drawn again.
fn card_key(c: &OrganisationCard) -> impl std::hash::Hash + Eq + use<> {
    (
        c.id,
        c.name.clone(),
        c.locality.clone(),
        c.activity_types.clone(),
        c.need_topics.clone(),
        c.mentored,
    )
}

#[component]
fn OrgCard(card: OrganisationCard) -> impl IntoView {
    let activities = card
        .activity_types
        .iter()
        .map(|a| a.label())
        .collect::<Vec<_>>()
        .join(", ");
    let needs = card
        .need_topics
        .iter()
        .map(|t| t.label())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="org-card card" data-organisation-id=card.id>
            <h2 class="card-title">
                <a href=format!("/organisations/{}", card.id)>{card.name}</a>
            </h2>
            {card
                .mentored
                .then(|| {
                    view! {
                        <p class="card-marker">
                            <span class="label-tag mentored">"Mentored"</span>
                        </p>
                    }
                })}
            <dl class="facts compact">
                <div>
                    <dt>"Locality"</dt>
                    <dd>{card.locality}</dd>
                </div>
                {(!activities.is_empty())
                    .then(|| {
                        view! {
                            <div>
                                <dt>"Activities"</dt>
                                <dd>{activities}</dd>
                            </div>
                        }
                    })}
                <div>
                    <dt>"Needs help with"</dt>
                    <dd class="card-needs">
                        {if needs.is_empty() { "Nothing listed yet".to_owned() } else { needs }}
                    </dd>
                </div>
            </dl>
        </li>
    }
}
