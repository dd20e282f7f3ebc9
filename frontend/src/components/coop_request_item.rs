//! One pending join request or invitation, said in a sentence, with what the
//! viewer may do about it: admit or accept, decline (with a reason), withdraw.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::ErrorKind;
use shared::api::coops::{CoopRequestView, DecideCoopRequest, RequestKind};

use crate::api::coops;
use crate::app::use_session;
use crate::components::form_errors::focus_later;
use crate::components::message_item::format_time;

/// "Riverside Mind asked to join", "Plymouth Co-op invited Riverside Mind".
fn request_sentence(r: &CoopRequestView, show_coop: bool) -> String {
    let org = &r.organisation.name;
    match (r.kind, show_coop) {
        (RequestKind::Request, true) => format!("{org} asked to join {}", r.coop_name),
        (RequestKind::Request, false) => format!("{org} asked to join"),
        (RequestKind::Invite, true) => format!("{} invited {org} to join", r.coop_name),
        (RequestKind::Invite, false) => format!("{org} is invited to join"),
    }
}

#[component]
pub fn CoopRequestItem(
    request: CoopRequestView,
    /// Name and link the co-op (on the directory, where requests of many co-ops meet).
    #[prop(optional)]
    show_coop: bool,
    /// After it was decided or withdrawn: what it is now, and what to say.
    on_done: Callback<(CoopRequestView, String)>,
) -> impl IntoView {
    let session = use_session();
    let id = request.id;
    let sentence = request_sentence(&request, show_coop);
    let org_name = request.organisation.name.clone();
    let coop_name = request.coop_name.clone();
    let kind = request.kind;
    let when = format_time(&request.created_at);
    let iso = request.created_at.to_rfc3339();
    let busy = RwSignal::new(false);
    let declining = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let reason_error = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);

    let reason_id = format!("coop-decline-reason-{id}");
    let reason_error_id = format!("coop-decline-reason-{id}-error");
    let decline_id = format!("coop-request-decline-{id}");
    let back_to_decline = decline_id.clone();
    let question_id = format!("coop-request-question-{id}");

    let failed = move |e: shared::ApiError, what: &str| {
        if !session.auth.check(&e) {
            let _ = error.try_set(Some(format!("{what} {}", e.message)));
        }
    };

    let decide = move |accept: bool| {
        if busy.get_untracked() {
            return;
        }
        let why = reason.get_untracked().trim().to_owned();
        if !accept && why.is_empty() {
            reason_error.set(Some(
                "Say why, so they know where they stand and what they could do next.".to_owned(),
            ));
            focus_later(format!("coop-decline-reason-{id}"));
            return;
        }
        reason_error.set(None);
        error.set(None);
        busy.set(true);
        let body = DecideCoopRequest {
            accept,
            reason: (!accept).then_some(why),
        };
        let (org_name, coop_name) = (org_name.clone(), coop_name.clone());
        spawn_local(async move {
            let result = coops::decide_coop_request(id, &body).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    let said = match (accept, kind) {
                        (true, RequestKind::Request) => format!("{org_name} is now a member."),
                        (true, RequestKind::Invite) => {
                            format!("{org_name} has joined {coop_name}.")
                        }
                        (false, RequestKind::Request) => {
                            format!("You declined the request from {org_name}.")
                        }
                        (false, RequestKind::Invite) => {
                            format!("You declined the invitation from {coop_name}.")
                        }
                    };
                    on_done.try_run((view, said));
                }
                // While declining, a refusal about the reason belongs to its box.
                Err(e)
                    if !accept
                        && (e.field.as_deref() == Some("reason")
                            || (e.kind == ErrorKind::Validation && e.field.is_none())) =>
                {
                    if !session.auth.check(&e) {
                        let _ = reason_error.try_set(Some(e.message));
                        focus_later(format!("coop-decline-reason-{id}"));
                    }
                }
                Err(e) => failed(e, "Could not record your answer."),
            }
        });
    };
    let decide = StoredValue::new(decide);

    let withdraw = move |_| {
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        busy.set(true);
        let said = match kind {
            RequestKind::Request => "You withdrew the request.".to_owned(),
            RequestKind::Invite => "You withdrew the invitation.".to_owned(),
        };
        spawn_local(async move {
            let result = coops::withdraw_coop_request(id).await;
            let _ = busy.try_set(false);
            match result {
                Ok(view) => {
                    on_done.try_run((view, said));
                }
                Err(e) => failed(e, "Could not withdraw it."),
            }
        });
    };

    let admit_label = match kind {
        RequestKind::Request => "Admit",
        RequestKind::Invite => "Accept",
    };
    let decline_question = match kind {
        RequestKind::Request => format!("Decline the request from {}?", request.organisation.name),
        RequestKind::Invite => format!("Decline the invitation from {}?", request.coop_name),
    };

    view! {
        <li class="coop-request" data-request-id=id data-kind=match kind {
            RequestKind::Request => "request",
            RequestKind::Invite => "invite",
        }>
            <p class="coop-request-what">
                <strong>{sentence}</strong>
                {show_coop
                    .then(|| {
                        view! {
                            " "
                            <a href=format!("/coops/{}", request.coop_id)>
                                "See the co-operative"
                                <span class="visually-hidden">" " {request.coop_name.clone()}</span>
                            </a>
                        }
                    })}
            </p>
            <p class="coop-request-meta muted">
                "From " {request.created_by.display_name.clone()} " · "
                <time datetime=iso>{when}</time>
            </p>
            {(!request.message.is_empty())
                .then(|| {
                    view! {
                        <blockquote class="coop-request-note">
                            <p>{request.message.clone()}</p>
                        </blockquote>
                    }
                })}
            <Show when=move || !declining.get()>
                <div class="inline-actions">
                    {request
                        .may_decide
                        .then(|| {
                            let decline_id = decline_id.clone();
                            view! {
                                <button
                                    type="button"
                                    class="button primary small coop-request-admit"
                                    aria-busy=move || busy.get().then_some("true")
                                    on:click=move |_| decide.with_value(|d| d(true))
                                >
                                    {admit_label}
                                </button>
                                <button
                                    type="button"
                                    id=decline_id
                                    class="button secondary small coop-request-decline"
                                    disabled=move || busy.get()
                                    on:click=move |_| {
                                        error.set(None);
                                        declining.set(true);
                                        focus_later(format!("coop-decline-reason-{id}"));
                                    }
                                >
                                    "Decline"
                                </button>
                            }
                        })}
                    {request
                        .may_withdraw
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="button secondary small coop-request-withdraw"
                                    aria-busy=move || busy.get().then_some("true")
                                    on:click=withdraw
                                >
                                    "Withdraw"
                                </button>
                            }
                        })}
                </div>
            </Show>
            <Show when=move || declining.get()>
                <div class="coop-decline" role="group" aria-labelledby=question_id.clone()>
                    <p id=question_id.clone() class="coop-decline-question">
                        {decline_question.clone()}
                    </p>
                    <div class="field" class:has-error=move || reason_error.with(Option::is_some)>
                        <label for=reason_id.clone()>"Reason (they will see it)"</label>
                        <textarea
                            id=reason_id.clone()
                            name="reason"
                            rows="2"
                            required
                            aria-invalid=move || reason_error.with(Option::is_some).then_some("true")
                            aria-describedby={
                                let error_id = reason_error_id.clone();
                                move || reason_error.with(Option::is_some).then(|| error_id.clone())
                            }
                            prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev))
                        ></textarea>
                        <p class="field-error" id=reason_error_id.clone() role="alert">
                            {move || reason_error.get()}
                        </p>
                    </div>
                    <div class="inline-actions">
                        <button
                            type="button"
                            class="button danger small coop-request-decline-confirm"
                            aria-busy=move || busy.get().then_some("true")
                            on:click=move |_| decide.with_value(|d| d(false))
                        >
                            "Decline"
                        </button>
                        <button
                            type="button"
                            class="button secondary small coop-request-decline-cancel"
                            on:click={
                                let decline_id = back_to_decline.clone();
                                move |_| {
                                    declining.set(false);
                                    reason_error.set(None);
                                    focus_later(decline_id.clone());
                                }
                            }
                        >
                            "Cancel"
                        </button>
                    </div>
                </div>
            </Show>
            <p class="field-error coop-request-error" role="alert">
                {move || error.get()}
            </p>
        </li>
    }
}
