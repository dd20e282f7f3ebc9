//! A co-op's upcoming events (members only), soonest first, in the reader's
//! own time (all-day ones by date only); edit and delete for their author
//! or a coordinator; the form that adds (or edits) one; and the calendar links.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::coops::{CoopId, EventKind, EventView, SaveEvent};
use wasm_bindgen::JsValue;

use crate::api::coops;
use crate::app::use_session;
use crate::components::coop_calendar::CoopCalendar;
use crate::components::delete_confirm::DeleteConfirm;
use crate::components::form_errors::focus_later;
use crate::components::retry_notice::RetryNotice;
use crate::pages::coop::Part;

fn kind_label(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Meeting => "Meeting",
        EventKind::Deadline => "Deadline",
    }
}

fn kind_slug(kind: EventKind) -> &'static str {
    match kind {
        EventKind::Meeting => "meeting",
        EventKind::Deadline => "deadline",
    }
}

fn js_date(at: &DateTime<Utc>) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(at.timestamp_millis() as f64))
}

fn locale_options(pairs: &[(&str, &str)]) -> js_sys::Object {
    let options = js_sys::Object::new();
    for (key, value) in pairs {
        let _ = js_sys::Reflect::set(&options, &(*key).into(), &(*value).into());
    }
    options
}

/// "Tue 4 Mar 2025, 14:00–15:30" in the reader's time zone; all-day events
/// by their date only ("Tue 4 Mar 2025"), which is the date in UTC.
pub fn event_when(e: &SaveEvent) -> String {
    if e.all_day {
        return e.starts_at.date_naive().format("%a %-d %b %Y").to_string();
    }
    let start = js_date(&e.starts_at);
    let day = locale_options(&[
        ("weekday", "short"),
        ("day", "numeric"),
        ("month", "short"),
        ("year", "numeric"),
    ]);
    let clock = locale_options(&[("hour", "2-digit"), ("minute", "2-digit")]);
    let date: String = start.to_locale_date_string("en-GB", &day).into();
    let time: String = start
        .to_locale_time_string_with_options("en-GB", &clock)
        .into();
    let Some(end) = e.ends_at.as_ref().filter(|end| **end > e.starts_at) else {
        return format!("{date}, {time}");
    };
    let end = js_date(end);
    let end_time: String = end
        .to_locale_time_string_with_options("en-GB", &clock)
        .into();
    let same_day = end.get_full_year() == start.get_full_year()
        && end.get_month() == start.get_month()
        && end.get_date() == start.get_date();
    if same_day {
        format!("{date}, {time}–{end_time}")
    } else {
        let end_date: String = end.to_locale_date_string("en-GB", &day).into();
        format!("{date}, {time} to {end_date}, {end_time}")
    }
}

/// The date and time inputs' values for `at` in the reader's time zone.
fn local_parts(at: &DateTime<Utc>) -> (String, String) {
    let d = js_date(at);
    (
        format!(
            "{:04}-{:02}-{:02}",
            d.get_full_year(),
            d.get_month() + 1,
            d.get_date()
        ),
        format!("{:02}:{:02}", d.get_hours(), d.get_minutes()),
    )
}

/// A date and time the person typed, in their own time zone, as UTC.
fn local_to_utc(date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
    use chrono::{Datelike, Timelike};
    let local = js_sys::Date::new_with_year_month_day_hr_min(
        date.year() as u32,
        date.month0() as i32,
        date.day() as i32,
        time.hour() as i32,
        time.minute() as i32,
    );
    let millis = local.get_time();
    if millis.is_nan() {
        return None;
    }
    DateTime::from_timestamp_millis(millis as i64)
}

fn is_web_link(link: &str) -> bool {
    let l = link.trim().to_ascii_lowercase();
    l.starts_with("https://") || l.starts_with("http://")
}

/// Everything an event shows, so a changed one is drawn again.
fn event_key(e: &EventView) -> impl std::hash::Hash + Eq + use<> {
    let v = &e.event;
    (
        e.id,
        v.title.clone(),
        v.starts_at,
        v.ends_at,
        v.all_day,
        v.place.clone(),
        v.link.clone(),
        v.description.clone(),
        e.may_edit,
    )
}

/// API field name and DOM id of the add form's fields, in form order.
const FIELDS: [(&str, &str); 6] = [
    ("title", "event-new-title"),
    ("kind", "event-new-kind"),
    ("starts_at", "event-new-date"),
    ("time", "event-new-time"),
    ("place", "event-new-place"),
    ("link", "event-new-link"),
];

#[component]
pub fn CoopEvents(
    coop_id: CoopId,
    events: RwSignal<Part<Vec<EventView>>>,
    retry: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let list = Memo::new(move |_| {
        events.with(|e| match e {
            Part::Ready(list) => list.clone(),
            _ => Vec::new(),
        })
    });
    let loaded = move || events.with(|e| matches!(e, Part::Ready(_)));
    let status = RwSignal::new(None::<String>);
    let deleting = RwSignal::new(None::<i64>);
    let delete_busy = RwSignal::new(false);
    let delete_error = RwSignal::new(None::<String>);

    let title = RwSignal::new(String::new());
    let kind = RwSignal::new(EventKind::Meeting);
    let date = RwSignal::new(String::new());
    let time = RwSignal::new(String::new());
    let all_day = RwSignal::new(false);
    let place = RwSignal::new(String::new());
    let link = RwSignal::new(String::new());
    let errors = RwSignal::new(crate::components::form_errors::FormErrors::default());
    let busy = RwSignal::new(false);
    // The event being edited in the form; `None` while adding.
    let editing = RwSignal::new(None::<EventView>);
    let field_error =
        move |name: &'static str| move || errors.with(|e| e.fields.get(name).cloned());
    let invalid = move |name: &'static str| {
        move || {
            errors
                .with(|e| e.fields.contains_key(name))
                .then_some("true")
        }
    };

    let reset_form = move || {
        for s in [title, date, time, place, link] {
            let _ = s.try_set(String::new());
        }
        let _ = all_day.try_set(false);
        let _ = kind.try_set(EventKind::Meeting);
        let _ = editing.try_set(None);
        let _ = errors.try_set(Default::default());
    };
    let start_edit = move |e: EventView| {
        let v = &e.event;
        title.set(v.title.clone());
        kind.set(v.kind);
        all_day.set(v.all_day);
        if v.all_day {
            date.set(v.starts_at.date_naive().format("%Y-%m-%d").to_string());
            time.set(String::new());
        } else {
            let (d, t) = local_parts(&v.starts_at);
            date.set(d);
            time.set(t);
        }
        place.set(v.place.clone());
        link.set(v.link.clone());
        errors.set(Default::default());
        status.set(None);
        editing.set(Some(e));
        focus_later("event-new-title");
    };

    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = crate::components::form_errors::FormErrors::default();
        let t = title.get_untracked().trim().to_owned();
        if t.is_empty() {
            found.field("title", "Give the event a title.");
        }
        let day = NaiveDate::parse_from_str(&date.get_untracked(), "%Y-%m-%d").ok();
        if day.is_none() {
            found.field("starts_at", "Choose the date.");
        }
        let whole_day = all_day.get_untracked();
        let at = NaiveTime::parse_from_str(&time.get_untracked(), "%H:%M").ok();
        if !whole_day && at.is_none() {
            found.field("time", "Choose the start time, or tick “All day”.");
        }
        let l = link.get_untracked().trim().to_owned();
        if !l.is_empty() && !is_web_link(&l) {
            found.field(
                "link",
                "Give a web address starting with https:// (or leave it empty).",
            );
        }
        let starts_at = match (day, whole_day, at) {
            (Some(d), true, _) => Some(d.and_time(NaiveTime::MIN).and_utc()),
            (Some(d), false, Some(t)) => {
                let utc = local_to_utc(d, t);
                if utc.is_none() {
                    found.field("time", "That date and time could not be read. Try again.");
                }
                utc
            }
            _ => None,
        };
        let (Some(starts_at), true) = (starts_at, found.is_empty()) else {
            focus_later(found.focus_target(&FIELDS));
            errors.set(found);
            return;
        };
        errors.set(Default::default());
        let before = editing.get_untracked();
        // What the form does not show stays as it was (an end only while
        // it is still after the start).
        let (ends_at, description) = before
            .as_ref()
            .map(|b| {
                (
                    b.event.ends_at.filter(|end| *end > starts_at),
                    b.event.description.clone(),
                )
            })
            .unwrap_or_default();
        let body = SaveEvent {
            title: t,
            kind: kind.get_untracked(),
            starts_at,
            ends_at,
            all_day: whole_day,
            place: place.get_untracked().trim().to_owned(),
            link: l,
            description,
        };
        let edited = before.map(|b| b.id);
        busy.set(true);
        spawn_local(async move {
            let result = match edited {
                Some(id) => coops::update_event(id, &body).await,
                None => coops::create_event(coop_id, &body).await,
            };
            let _ = busy.try_set(false);
            match result {
                Ok(created) => {
                    let said = format!(
                        "{} “{}” on {}.",
                        if edited.is_some() { "Saved" } else { "Added" },
                        created.event.title,
                        event_when(&created.event)
                    );
                    let _ = events.try_update(|e| {
                        if let Part::Ready(list) = e {
                            list.retain(|x| x.id != created.id);
                            list.push(created);
                            list.sort_by_key(|x| x.event.starts_at);
                        }
                    });
                    reset_form();
                    let _ = status.try_set(Some(said));
                    if let Some(id) = edited {
                        focus_later(format!("coop-event-edit-{id}"));
                    }
                }
                Err(e) if session.auth.check(&e) => {}
                Err(e) => {
                    let names: Vec<&str> = FIELDS.iter().map(|(n, _)| *n).collect();
                    let found = crate::components::form_errors::FormErrors::from_api(e, &names);
                    focus_later(if found.fields.is_empty() {
                        "event-new-error"
                    } else {
                        found.focus_target(&FIELDS)
                    });
                    let _ = errors.try_set(found);
                }
            }
        });
    };

    let described = |name: &'static str, id: &'static str, hint: Option<&'static str>| {
        move || {
            let mut ids: Vec<String> = hint.map(str::to_owned).into_iter().collect();
            if errors.with(|e| e.fields.contains_key(name)) {
                ids.push(format!("{id}-error"));
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };

    view! {
        <section id="coop-events" class="coop-section" aria-labelledby="coop-events-heading">
            <h2 id="coop-events-heading" tabindex="-1">
                "Events"
            </h2>
            {move || match events.get() {
                Part::Loading => view! { <p class="muted">"Loading events…"</p> }.into_any(),
                Part::Failed(message) => {
                    view! { <RetryNotice message=message on_retry=retry /> }.into_any()
                }
                Part::Ready(_) => ().into_any(),
            }}
            <Show when=move || loaded() && list.with(Vec::is_empty)>
                <p class="empty-note" id="coop-events-empty">
                    "No upcoming events. Add a meeting or a deadline below."
                </p>
            </Show>
            <ul class="coop-events">
                <For
                    each=move || list.get()
                    key=event_key
                    children=move |e: EventView| {
                        let id = e.id;
                        let when = event_when(&e.event);
                        let iso = if e.event.all_day {
                            e.event.starts_at.date_naive().format("%Y-%m-%d").to_string()
                        } else {
                            e.event.starts_at.to_rfc3339()
                        };
                        let title = e.event.title.clone();
                        let delete_id = format!("coop-event-delete-{id}");
                        let for_edit = StoredValue::new(e.clone());
                        let web_link = Some(e.event.link.trim().to_owned()).filter(|l| is_web_link(l));
                        let delete = Callback::new(move |()| {
                            if delete_busy.get_untracked() {
                                return;
                            }
                            delete_busy.set(true);
                            delete_error.set(None);
                            spawn_local(async move {
                                let result = coops::delete_event(id).await;
                                let _ = delete_busy.try_set(false);
                                match result {
                                    Ok(()) => {
                                        let _ = deleting.try_set(None);
                                        let _ = status.try_set(Some("Deleted the event.".to_owned()));
                                        focus_later("coop-events-heading");
                                        let _ = events.try_update(|e| {
                                            if let Part::Ready(list) = e {
                                                list.retain(|x| x.id != id);
                                            }
                                        });
                                    }
                                    Err(e) if session.auth.check(&e) => {}
                                    Err(e) => {
                                        let _ = delete_error.try_set(Some(format!("Could not delete it. {}", e.message)));
                                    }
                                }
                            });
                        });
                        let cancel = {
                            let delete_id = delete_id.clone();
                            Callback::new(move |()| {
                                deleting.set(None);
                                delete_error.set(None);
                                focus_later(delete_id.clone());
                            })
                        };
                        view! {
                            <li
                                class="coop-event"
                                class:deadline=e.event.kind == EventKind::Deadline
                                data-event-id=id
                                data-kind=kind_slug(e.event.kind)
                            >
                                <p class="coop-event-title">
                                    <span class="label-tag coop-event-kind">{kind_label(e.event.kind)}</span>
                                    " "
                                    <strong>{title.clone()}</strong>
                                </p>
                                <p class="coop-event-when">
                                    <time datetime=iso>{when}</time>
                                    {e.event.all_day.then_some(" (all day)")}
                                </p>
                                {(!e.event.place.trim().is_empty())
                                    .then(|| view! {
                                        <p class="coop-event-place">"Where: " {e.event.place.clone()}</p>
                                    })}
                                {web_link.map(|l| view! {
                                    <p class="coop-event-link">
                                        <a href=l.clone() rel="noopener noreferrer" target="_blank">
                                            {l.clone()}
                                            <span class="visually-hidden">" (opens in a new tab)"</span>
                                        </a>
                                    </p>
                                })}
                                {(!e.event.description.trim().is_empty())
                                    .then(|| view! { <p class="coop-event-description">{e.event.description.clone()}</p> })}
                                <p class="coop-record-meta muted">"Added by " {e.created_by.display_name.clone()}</p>
                                {e.may_edit.then(|| view! {
                                    <Show
                                        when=move || deleting.get() == Some(id)
                                        fallback={
                                            let (delete_id, title) = (delete_id.clone(), title.clone());
                                            move || view! {
                                                <button
                                                    type="button"
                                                    id=format!("coop-event-edit-{id}")
                                                    class="link-button coop-event-edit"
                                                    on:click=move |_| start_edit(for_edit.get_value())
                                                >
                                                    "Edit"
                                                    <span class="visually-hidden">{format!(" “{title}”")}</span>
                                                </button>
                                                <button
                                                    type="button"
                                                    id=delete_id.clone()
                                                    class="link-button coop-event-delete"
                                                    on:click=move |_| {
                                                        delete_error.set(None);
                                                        deleting.set(Some(id));
                                                        focus_later(format!("coop-event-delete-cancel-{id}"));
                                                    }
                                                >
                                                    "Delete"
                                                    <span class="visually-hidden">{format!(" “{title}”")}</span>
                                                </button>
                                            }
                                        }
                                    >
                                        <DeleteConfirm
                                            question_id=format!("coop-event-delete-question-{id}")
                                            question="Delete this event? This cannot be undone."
                                            cancel_id=format!("coop-event-delete-cancel-{id}")
                                            confirm_class="coop-event-delete-confirm"
                                            busy=delete_busy
                                            on_confirm=delete
                                            on_cancel=cancel
                                        >
                                            <p class="field-error" role="alert">{move || delete_error.get()}</p>
                                        </DeleteConfirm>
                                    </Show>
                                })}
                            </li>
                        }
                    }
                />
            </ul>
            <p id="coop-events-status" class="form-status" role="status">
                {move || status.get()}
            </p>
            <form id="event-new" class="coop-form stack" novalidate on:submit=on_submit>
                <h3 id="event-new-heading">
                    {move || if editing.with(Option::is_some) { "Edit the event" } else { "Add an event" }}
                </h3>
                <div id="event-new-error" class="form-error" role="alert" tabindex="-1">
                    {move || errors.with(|e| e.top.clone()).map(|m| view! { <p>{m}</p> })}
                </div>
                <div class="field" class:has-error=move || field_error("title")().is_some()>
                    <label for="event-new-title">"Title"</label>
                    <input
                        id="event-new-title"
                        name="title"
                        type="text"
                        autocomplete="off"
                        required
                        aria-invalid=invalid("title")
                        aria-describedby=described("title", "event-new-title", None)
                        prop:value=move || title.get()
                        on:input=move |ev| title.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="event-new-title-error" role="alert">
                        {field_error("title")}
                    </p>
                </div>
                <div class="field">
                    <label for="event-new-kind">"Kind"</label>
                    <select
                        id="event-new-kind"
                        name="kind"
                        on:change=move |ev| {
                            let next = if event_target_value(&ev) == "deadline" {
                                EventKind::Deadline
                            } else {
                                EventKind::Meeting
                            };
                            kind.set(next);
                        }
                    >
                        {[EventKind::Meeting, EventKind::Deadline]
                            .into_iter()
                            .map(|k| {
                                view! {
                                    <option value=kind_slug(k) prop:selected=move || kind.get() == k>
                                        {kind_label(k)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field" class:has-error=move || field_error("starts_at")().is_some()>
                    <label for="event-new-date">"Date"</label>
                    <input
                        id="event-new-date"
                        name="date"
                        type="date"
                        required
                        aria-invalid=invalid("starts_at")
                        aria-describedby=described("starts_at", "event-new-date", None)
                        prop:value=move || date.get()
                        on:input=move |ev| date.set(event_target_value(&ev))
                        on:change=move |ev| date.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="event-new-date-error" role="alert">
                        {field_error("starts_at")}
                    </p>
                </div>
                <div class="checkbox">
                    <input
                        id="event-new-all-day"
                        name="all_day"
                        type="checkbox"
                        prop:checked=move || all_day.get()
                        on:change=move |ev| all_day.set(event_target_checked(&ev))
                    />
                    <label for="event-new-all-day">"All day (a deadline, say)"</label>
                </div>
                <div class="field" class:has-error=move || field_error("time")().is_some()>
                    <label for="event-new-time">"Start time"</label>
                    <input
                        id="event-new-time"
                        name="time"
                        type="time"
                        disabled=move || all_day.get()
                        aria-invalid=invalid("time")
                        aria-describedby=described("time", "event-new-time", Some("event-new-time-hint"))
                        prop:value=move || time.get()
                        on:input=move |ev| time.set(event_target_value(&ev))
                        on:change=move |ev| time.set(event_target_value(&ev))
                    />
                    <p class="hint" id="event-new-time-hint">
                        "In your own time zone. Not needed for an all-day event."
                    </p>
                    <p class="field-error" id="event-new-time-error" role="alert">
                        {field_error("time")}
                    </p>
                </div>
                <div class="field" class:has-error=move || field_error("place")().is_some()>
                    <label for="event-new-place">"Place (optional)"</label>
                    <input
                        id="event-new-place"
                        name="place"
                        type="text"
                        autocomplete="off"
                        aria-invalid=invalid("place")
                        aria-describedby=described("place", "event-new-place", None)
                        prop:value=move || place.get()
                        on:input=move |ev| place.set(event_target_value(&ev))
                    />
                    <p class="field-error" id="event-new-place-error" role="alert">
                        {field_error("place")}
                    </p>
                </div>
                <div class="field" class:has-error=move || field_error("link")().is_some()>
                    <label for="event-new-link">"Link (optional)"</label>
                    <input
                        id="event-new-link"
                        name="link"
                        type="url"
                        inputmode="url"
                        autocomplete="off"
                        aria-invalid=invalid("link")
                        aria-describedby=described("link", "event-new-link", Some("event-new-link-hint"))
                        prop:value=move || link.get()
                        on:input=move |ev| link.set(event_target_value(&ev))
                    />
                    <p class="hint" id="event-new-link-hint">
                        "A video call, or the funder's page for a deadline."
                    </p>
                    <p class="field-error" id="event-new-link-error" role="alert">
                        {field_error("link")}
                    </p>
                </div>
                <button
                    type="submit"
                    id="event-new-submit"
                    class="button primary"
                    aria-busy=move || busy.get().then_some("true")
                >
                    {move || if editing.with(Option::is_some) { "Save event" } else { "Add event" }}
                </button>
                <Show when=move || editing.with(Option::is_some)>
                    <button
                        type="button"
                        id="event-edit-cancel"
                        class="button secondary"
                        on:click=move |_| {
                            let id = editing.get_untracked().map(|e| e.id);
                            reset_form();
                            if let Some(id) = id {
                                focus_later(format!("coop-event-edit-{id}"));
                            }
                        }
                    >
                        "Cancel editing"
                    </button>
                </Show>
            </form>
            <CoopCalendar coop_id=coop_id />
        </section>
    }
}
