//! The network picture: organisations, mentors and co-ops, and who mentors
//! whom and belongs to which co-op, filtered by locality and topic (kept in
//! the address, `?locality=&topic=`). Drawn as an SVG laid out by
//! `network_layout`, and said again in words in the list below it.
//!
//! The SVG is `aria-hidden` and its links are out of the tab order: the list
//! carries every node, link and bridge builder, with the same links, in an
//! order a screen reader or a keyboard can follow (a few hundred shapes
//! scattered by a simulation are neither). Everyone still sees the picture,
//! and mouse and touch users can open a node from it.

use std::collections::BTreeMap;
use std::time::Duration;

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::params::ParamsMap;
use shared::api::network::{
    LinkKind, NetworkNode, NetworkQuery, NetworkResponse, NodeKind, NodeRef,
};
use shared::taxonomy::Topic;

use crate::api;
use crate::app::{set_page_title, use_session};
use crate::components::retry_notice::RetryNotice;
use crate::components::taxonomy_select::TaxonomySelect;
use crate::network_layout::{Frame, layout};

/// Wait for a pause in typing before asking for another locality.
const LOCALITY_DELAY: Duration = Duration::from_millis(350);

/// Labels longer than this are cut (the full name is in the list and the
/// shape's title).
const LABEL_MAX_CHARS: usize = 16;
/// Roughly how wide a label's character is, relative to the font size, to
/// keep labels near an edge inside the picture.
const LABEL_CHAR_WIDTH: f64 = 0.55;

/// `organisation:3`, `mentor:7`, `coop:2`: the `data-node` of shapes,
/// lines and list entries.
pub fn node_key(node: NodeRef) -> String {
    let kind = match node.kind {
        NodeKind::Organisation => "organisation",
        NodeKind::Mentor => "mentor",
        NodeKind::Coop => "coop",
    };
    format!("{kind}:{}", node.id)
}

fn node_ref(node: &NetworkNode) -> NodeRef {
    NodeRef {
        kind: node.kind,
        id: node.id,
    }
}

/// The page a node opens.
pub fn node_href(node: NodeRef) -> String {
    match node.kind {
        NodeKind::Organisation => format!("/organisations/{}", node.id),
        NodeKind::Mentor => format!("/mentors/{}", node.id),
        NodeKind::Coop => format!("/coops/{}", node.id),
    }
}

/// "A", "A and B", "A, B and C".
pub fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// A name short enough to sit under a shape.
pub fn short_label(name: &str) -> String {
    let name = name.trim();
    if name.chars().count() <= LABEL_MAX_CHARS {
        name.to_owned()
    } else {
        let cut: String = name.chars().take(LABEL_MAX_CHARS - 1).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Who each node is linked to, by name, in the answer's node order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Neighbours {
    /// Organisation: its mentors. Mentor: the organisations they mentor.
    pub mentoring: Vec<String>,
    /// Organisation: its co-ops. Co-op: its member organisations.
    pub membership: Vec<String>,
}

/// Everything drawn and listed, worked out once per answer.
#[derive(Clone, Debug, PartialEq)]
pub struct Picture {
    pub frame: Frame,
    pub nodes: Vec<PlacedNode>,
    pub links: Vec<PlacedLink>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlacedNode {
    pub node: NodeRef,
    pub key: String,
    pub name: String,
    pub locality: String,
    pub x: f64,
    pub y: f64,
    pub neighbours: Neighbours,
    /// Links two or more organisations (a mentor of several, a co-op of several).
    pub bridge: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLink {
    pub kind: LinkKind,
    pub from: String,
    pub to: String,
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
}

/// The picture's size grows with the number of nodes, so a small network is
/// not lost in a big box and the labels stay legible on a phone.
pub fn frame_for(count: usize) -> Frame {
    let side = (300.0 + 60.0 * (count as f64).sqrt()).clamp(400.0, 960.0);
    Frame {
        width: side.round(),
        height: (side * 0.8).round(),
        margin: 36.0,
    }
}

/// Lays the answer out and works out each node's neighbours and bridges.
/// Links to nodes missing from the answer are left out.
pub fn picture(network: &NetworkResponse) -> Picture {
    let index: BTreeMap<NodeRef, usize> = network
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (node_ref(n), i))
        .collect();
    let links: Vec<(LinkKind, usize, usize)> = network
        .links
        .iter()
        .filter_map(|l| Some((l.kind, *index.get(&l.from)?, *index.get(&l.to)?)))
        .collect();

    let keys: Vec<NodeRef> = network.nodes.iter().map(node_ref).collect();
    let edges: Vec<(usize, usize)> = links.iter().map(|&(_, a, b)| (a, b)).collect();
    let frame = frame_for(keys.len());
    let placed = layout(&keys, &edges, frame);

    let mut neighbours = vec![Neighbours::default(); network.nodes.len()];
    // Distinct organisations per mentor or co-op, for bridges.
    let mut reached: Vec<Vec<usize>> = vec![Vec::new(); network.nodes.len()];
    let name = |i: usize| network.nodes[i].name.clone();
    for &(kind, from, to) in &links {
        match kind {
            LinkKind::Mentors => {
                neighbours[from].mentoring.push(name(to));
                neighbours[to].mentoring.push(name(from));
            }
            LinkKind::MemberOf => {
                neighbours[from].membership.push(name(to));
                neighbours[to].membership.push(name(from));
            }
        }
        let (org, other) = if network.nodes[from].kind == NodeKind::Organisation {
            (from, to)
        } else {
            (to, from)
        };
        if network.nodes[org].kind == NodeKind::Organisation
            && network.nodes[other].kind != NodeKind::Organisation
            && !reached[other].contains(&org)
        {
            reached[other].push(org);
        }
    }

    let nodes = network
        .nodes
        .iter()
        .zip(placed.iter().zip(neighbours))
        .zip(&reached)
        .map(|((n, (p, neighbours)), reached)| PlacedNode {
            node: node_ref(n),
            key: node_key(node_ref(n)),
            name: n.name.clone(),
            locality: n.locality.clone(),
            x: p.x,
            y: p.y,
            neighbours,
            bridge: n.kind != NodeKind::Organisation && reached.len() >= 2,
        })
        .collect();
    let links = links
        .iter()
        .map(|&(kind, a, b)| PlacedLink {
            kind,
            from: node_key(keys[a]),
            to: node_key(keys[b]),
            x1: placed[a].x,
            y1: placed[a].y,
            x2: placed[b].x,
            y2: placed[b].y,
        })
        .collect();
    Picture {
        frame,
        nodes,
        links,
    }
}

/// "Mentored by X, Y · Member of Co-op Z", "Members: A and B", "Mentors A".
pub fn entry_sentence(n: &PlacedNode) -> String {
    let Neighbours {
        mentoring,
        membership,
    } = &n.neighbours;
    match n.node.kind {
        NodeKind::Organisation => {
            let mut parts = Vec::new();
            if !mentoring.is_empty() {
                parts.push(format!("Mentored by {}", join_names(mentoring)));
            }
            if !membership.is_empty() {
                parts.push(format!("Member of {}", join_names(membership)));
            }
            if parts.is_empty() {
                "No mentor or co-op linked here yet.".to_owned()
            } else {
                parts.join(" · ")
            }
        }
        NodeKind::Mentor if mentoring.is_empty() => {
            "Not mentoring an organisation shown here.".to_owned()
        }
        NodeKind::Mentor => format!("Mentors {}", join_names(mentoring)),
        NodeKind::Coop if membership.is_empty() => "No member organisations shown here.".to_owned(),
        NodeKind::Coop => format!("Members: {}", join_names(membership)),
    }
}

/// What a bridge builder connects, after their name.
pub fn bridge_sentence(n: &PlacedNode) -> String {
    match n.node.kind {
        NodeKind::Mentor => format!(" mentors {}.", join_names(&n.neighbours.mentoring)),
        NodeKind::Coop => format!(" brings together {}.", join_names(&n.neighbours.membership)),
        NodeKind::Organisation => String::new(),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "3 organisations, 2 mentors and 1 co-op, with 4 links."
pub fn count_sentence(p: &Picture) -> String {
    let count = |kind: NodeKind| p.nodes.iter().filter(|n| n.node.kind == kind).count();
    let parts = [
        plural(
            count(NodeKind::Organisation),
            "organisation",
            "organisations",
        ),
        plural(count(NodeKind::Mentor), "mentor", "mentors"),
        plural(count(NodeKind::Coop), "co-op", "co-ops"),
    ];
    format!(
        "{}, with {}.",
        join_names(&parts),
        plural(p.links.len(), "link", "links")
    )
}

/// The filters as the address holds them; anything unreadable is ignored.
fn criteria(params: &ParamsMap) -> NetworkQuery {
    NetworkQuery {
        locality: params
            .get("locality")
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty()),
        topic: params.get("topic").and_then(|t| Topic::from_slug(&t)),
    }
}

/// `/network?locality=…&topic=…` with only the parts that are set.
fn criteria_path(c: &NetworkQuery) -> String {
    let parts: Vec<String> = [
        ("locality", c.locality.as_deref().unwrap_or_default()),
        ("topic", c.topic.map(Topic::slug).unwrap_or_default()),
    ]
    .into_iter()
    .filter(|(_, v)| !v.is_empty())
    .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v)))
    .collect();
    if parts.is_empty() {
        "/network".to_owned()
    } else {
        format!("/network?{}", parts.join("&"))
    }
}

#[component]
pub fn NetworkPage() -> impl IntoView {
    set_page_title("Network");
    let session = use_session();
    let params = use_query_map();
    let navigate = StoredValue::new_local(use_navigate());
    let applied = Memo::new(move |_| params.with(criteria));

    // The form follows the address (Back, a followed link); changing the
    // form changes the address.
    let topic = RwSignal::new(applied.get_untracked().topic);
    let draft = RwSignal::new(applied.get_untracked().locality.unwrap_or_default());
    Effect::new(move |_| {
        let c = applied.get();
        if topic.get_untracked() != c.topic {
            topic.set(c.topic);
        }
        let locality = c.locality.unwrap_or_default();
        if draft.with_untracked(|d| d.trim() != locality) {
            draft.set(locality);
        }
    });
    let go = move |c: NetworkQuery| {
        if c == applied.get_untracked() {
            return;
        }
        let path = criteria_path(&c);
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate.with_value(|navigate| navigate(&path, options));
    };
    Effect::new(move |_| {
        let chosen = topic.get();
        let mut c = applied.get_untracked();
        c.topic = chosen;
        go(c);
    });

    let timer = StoredValue::new_local(None::<TimeoutHandle>);
    let clear_timer = move || {
        if let Some(t) = timer.try_update_value(Option::take).flatten() {
            t.clear();
        }
    };
    on_cleanup(clear_timer);
    let apply_locality = move || {
        clear_timer();
        let Some(text) = draft.try_get_untracked() else {
            return;
        };
        let mut c = applied.get_untracked();
        c.locality = Some(text.trim().to_owned()).filter(|l| !l.is_empty());
        go(c);
    };
    let on_locality_input = move |ev| {
        draft.set(event_target_value(&ev));
        clear_timer();
        if let Ok(handle) = set_timeout_with_handle(apply_locality, LOCALITY_DELAY) {
            timer.set_value(Some(handle));
        }
    };
    let clear = move |_| {
        clear_timer();
        draft.set(String::new());
        go(NetworkQuery::default());
    };

    let answer = LocalResource::new(move || {
        let c = applied.get();
        async move { api::network::network(&c).await }
    });
    // The last picture that loaded stays on screen while another loads.
    let shown = Memo::new(move |was: Option<&Option<Picture>>| match answer.get() {
        Some(Ok(network)) => Some(picture(&network)),
        _ => was.cloned().flatten(),
    });
    let failure = Memo::new(move |_| match answer.get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(e) = failure.get() {
            session.auth.check(&e);
        }
    });
    let loading = move || answer.with(Option::is_none);
    let filtered = move || applied.with(|c| c.locality.is_some() || c.topic.is_some());
    let is_empty = move || shown.with(|p| p.as_ref().is_some_and(|p| p.nodes.is_empty()));
    let has_nodes = move || shown.with(|p| p.as_ref().is_some_and(|p| !p.nodes.is_empty()));

    let status = move || {
        if failure.with(Option::is_some) {
            return String::new();
        }
        match shown.get() {
            None => "Loading the network…".to_owned(),
            Some(p) if p.nodes.is_empty() && filtered() => {
                "Nobody in the network matches these filters.".to_owned()
            }
            Some(p) if p.nodes.is_empty() => "The network is empty for now.".to_owned(),
            Some(p) => count_sentence(&p),
        }
    };

    view! {
        <main id="main" class="page network-page">
            <h1>"Network"</h1>
            <p>
                "Who mentors whom, and which organisations work together in co-ops. Bridge builders, the mentors and co-ops that link two or more organisations, are named under the picture."
            </p>
            <form
                class="directory-filters network-filters"
                role="search"
                aria-label="Filter the network"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    apply_locality();
                }
            >
                <div class="field">
                    <label for="network-locality">"Locality"</label>
                    <input
                        id="network-locality"
                        name="locality"
                        type="search"
                        autocomplete="address-level2"
                        spellcheck="false"
                        aria-describedby="network-locality-hint"
                        prop:value=move || draft.get()
                        on:input=on_locality_input
                    />
                    <p class="hint" id="network-locality-hint">
                        "A town, city or area, such as Plymouth."
                    </p>
                </div>
                <TaxonomySelect
                    id="network-topic"
                    value=topic
                    empty_label="Any topic"
                    hint="Organisations that need it and mentors who know it."
                >
                    "Topic"
                </TaxonomySelect>
                <div class="filter-actions">
                    <button type="submit" class="button secondary" id="network-apply">
                        "Filter"
                    </button>
                    <button type="button" class="link-button" id="network-clear" on:click=clear>
                        "Clear filters"
                    </button>
                </div>
            </form>
            <p
                id="network-status"
                class="directory-status"
                role="status"
                aria-busy=move || (loading() && shown.with(Option::is_some)).then_some("true")
            >
                {status}
            </p>
            {move || {
                failure
                    .get()
                    .map(|e| {
                        view! {
                            <RetryNotice
                                message=e.message
                                on_retry=Callback::new(move |()| answer.refetch())
                            />
                        }
                    })
            }}
            <Show when=is_empty>
                <p id="network-empty" class="notice">
                    {move || {
                        if filtered() {
                            view! {
                                "Try a nearby town or another topic, or "
                                <a href="/network">"see the whole network"</a>
                                "."
                            }
                                .into_any()
                        } else {
                            "Once organisations, mentors and co-ops are approved, they and their links appear here."
                                .into_any()
                        }
                    }}
                </p>
            </Show>
            <Show when=has_nodes>
                {move || shown.get().map(|p| view! { <NetworkView picture=p /> })}
            </Show>
        </main>
    }
}

/// The picture, its key, the bridge builders and the list.
#[component]
fn NetworkView(picture: Picture) -> impl IntoView {
    let bridges: Vec<PlacedNode> = picture.nodes.iter().filter(|n| n.bridge).cloned().collect();
    let section = |kind: NodeKind| -> Vec<PlacedNode> {
        picture
            .nodes
            .iter()
            .filter(|n| n.node.kind == kind)
            .cloned()
            .collect()
    };
    let (organisations, mentors, coops) = (
        section(NodeKind::Organisation),
        section(NodeKind::Mentor),
        section(NodeKind::Coop),
    );
    view! {
        <div class="network-picture">
            <p class="hint" id="network-picture-note">
                "Everything in the picture is also listed in words below. Select a shape to open its page."
            </p>
            <NetworkGraph picture=picture />
            <NetworkLegend />
        </div>
        <section class="network-section" aria-labelledby="network-bridges-heading">
            <h2 id="network-bridges-heading">"Bridge builders"</h2>
            {if bridges.is_empty() {
                view! {
                    <p class="empty-note" id="network-no-bridges">
                        "Nobody here links two or more organisations yet."
                    </p>
                }
                    .into_any()
            } else {
                view! {
                    <ul id="network-bridges" class="network-bridges">
                        {bridges
                            .into_iter()
                            .map(|n| {
                                let sentence = bridge_sentence(&n);
                                view! {
                                    <li class="network-bridge" data-node=n.key.clone()>
                                        <a href=node_href(n.node)>{n.name.clone()}</a>
                                        {sentence}
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }}
        </section>
        <section class="network-section" aria-labelledby="network-list-heading">
            <h2 id="network-list-heading">"Who is linked to whom"</h2>
            <div id="network-list">
                <EntryGroup heading="Organisations" nodes=organisations />
                <EntryGroup heading="Mentors" nodes=mentors />
                <EntryGroup heading="Co-ops" nodes=coops />
            </div>
        </section>
    }
}

#[component]
fn EntryGroup(heading: &'static str, nodes: Vec<PlacedNode>) -> impl IntoView {
    (!nodes.is_empty()).then(|| {
        view! {
            <h3 class="network-group">{heading}</h3>
            <ul class="network-entries">
                {nodes
                    .into_iter()
                    .map(|n| {
                        let sentence = entry_sentence(&n);
                        view! {
                            <li
                                class="network-entry"
                                class:bridge=n.bridge
                                data-node=n.key.clone()
                            >
                                <a href=node_href(n.node) class="network-entry-name">
                                    {n.name.clone()}
                                </a>
                                {(!n.locality.is_empty())
                                    .then(|| {
                                        view! {
                                            " "
                                            <span class="muted network-locality">
                                                "(" {n.locality.clone()} ")"
                                            </span>
                                        }
                                    })}
                                {n.bridge
                                    .then(|| {
                                        view! { " " <span class="label-tag bridge">"Bridge builder"</span> }
                                    })}
                                <p class="network-entry-links">{sentence}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
    })
}

/// The labels' size in the picture's units: a big picture is shown smaller,
/// so its labels are drawn a little larger.
fn label_size(width: f64) -> f64 {
    (width / 40.0).clamp(12.0, 16.0).round()
}

/// Where a label sits: under the shape, and pulled inwards near the sides.
fn label_anchor(x: f64, label: &str, width: f64, size: f64) -> (&'static str, f64) {
    let half = label.chars().count() as f64 * LABEL_CHAR_WIDTH * size / 2.0;
    if x - half < 2.0 {
        ("start", (x - 10.0).max(2.0))
    } else if x + half > width - 2.0 {
        ("end", (x + 10.0).min(width - 2.0))
    } else {
        ("middle", x)
    }
}

/// The shape of each kind of node, centred on (x, y); `grow` enlarges it
/// (the ring behind a bridge builder).
fn shape(kind: NodeKind, x: f64, y: f64, grow: f64, class: &'static str) -> AnyView {
    match kind {
        NodeKind::Organisation => view! {
            <g>
                <circle class=class cx=x cy=y r=9.0 + grow></circle>
            </g>
        }
        .into_any(),
        NodeKind::Mentor => {
            let r = 11.5 + grow * 1.3;
            let points = format!(
                "{x:.1},{:.1} {:.1},{y:.1} {x:.1},{:.1} {:.1},{y:.1}",
                y - r,
                x + r,
                y + r,
                x - r
            );
            view! {
                <g>
                    <polygon class=class points=points></polygon>
                </g>
            }
            .into_any()
        }
        NodeKind::Coop => {
            let half = 9.0 + grow;
            view! {
                <g>
                    <rect
                        class=class
                        x=x - half
                        y=y - half
                        width=half * 2.0
                        height=half * 2.0
                        rx="4"
                    ></rect>
                </g>
            }
            .into_any()
        }
    }
}

fn kind_class(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Organisation => "organisation",
        NodeKind::Mentor => "mentor",
        NodeKind::Coop => "coop",
    }
}

fn kind_word(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::Organisation => "Organisation",
        NodeKind::Mentor => "Mentor",
        NodeKind::Coop => "Co-op",
    }
}

#[component]
fn NetworkGraph(picture: Picture) -> impl IntoView {
    let navigate = StoredValue::new_local(use_navigate());
    let Frame { width, height, .. } = picture.frame;
    let size = label_size(width);
    // The router only follows HTML links itself; an SVG link would reload
    // the whole app, so plain clicks are routed here (modified clicks still
    // open a new tab as usual).
    let follow = move |ev: leptos::ev::MouseEvent, href: &str| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        ev.prevent_default();
        navigate.with_value(|navigate| navigate(href, Default::default()));
    };
    let links = picture
        .links
        .into_iter()
        .map(|l| {
            let kind = match l.kind {
                LinkKind::Mentors => "mentors",
                LinkKind::MemberOf => "member-of",
            };
            view! {
                <g>
                    <line
                        class=format!("network-link {kind}")
                        data-from=l.from
                        data-to=l.to
                        data-kind=kind
                        x1=format!("{:.1}", l.x1)
                        y1=format!("{:.1}", l.y1)
                        x2=format!("{:.1}", l.x2)
                        y2=format!("{:.1}", l.y2)
                    ></line>
                </g>
            }
        })
        .collect_view();
    let nodes = picture
        .nodes
        .into_iter()
        .map(|n| {
            let href = node_href(n.node);
            let kind = n.node.kind;
            let label = short_label(&n.name);
            let (anchor, label_x) = label_anchor(n.x, &label, width, size);
            let title = if n.bridge {
                format!("{}: {} (bridge builder)", kind_word(kind), n.name)
            } else {
                format!("{}: {}", kind_word(kind), n.name)
            };
            let (x, y) = ((n.x * 10.0).round() / 10.0, (n.y * 10.0).round() / 10.0);
            let target = href.clone();
            view! {
                <g>
                    <a
                        class=format!("network-node {}", kind_class(kind))
                        class:bridge=n.bridge
                        href=href
                        data-node=n.key
                        tabindex="-1"
                        on:click=move |ev| follow(ev, &target)
                    >
                        <title>{title}</title>
                        {n.bridge.then(|| shape(kind, x, y, 5.0, "network-ring"))}
                        {shape(kind, x, y, 0.0, "network-shape")}
                        <text
                            class="network-label"
                            x=format!("{label_x:.1}")
                            y=format!("{:.1}", y + 13.0 + size)
                            text-anchor=anchor
                        >
                            {label}
                        </text>
                    </a>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg
            id="network-graph"
            class="network-graph"
            viewBox=format!("0 0 {width} {height}")
            // Drawn at its own size where there is room, never blown up;
            // CSS shrinks it to fit a narrower screen.
            width=width
            height=height
            preserveAspectRatio="xMidYMid meet"
            aria-hidden="true"
            focusable="false"
        >
            <g class="network-links">{links}</g>
            <g class="network-nodes" font-size=size>
                {nodes}
            </g>
        </svg>
    }
}

/// The key to the picture's shapes and lines (part of the picture, so
/// hidden from screen readers along with it).
#[component]
fn NetworkLegend() -> impl IntoView {
    let item = |kind: NodeKind, bridge: bool, text: &'static str| {
        view! {
            <li>
                <svg class="legend-swatch" viewBox="0 0 36 36" width="28" height="28">
                    <g class=format!("network-node {}", kind_class(kind)) class:bridge=bridge>
                        {bridge.then(|| shape(kind, 18.0, 18.0, 5.0, "network-ring"))}
                        {shape(kind, 18.0, 18.0, 0.0, "network-shape")}
                    </g>
                </svg>
                {text}
            </li>
        }
    };
    let line = |kind: &'static str, text: &'static str| {
        view! {
            <li>
                <svg class="legend-swatch" viewBox="0 0 36 36" width="28" height="28">
                    <line class=format!("network-link {kind}") x1="2" y1="18" x2="34" y2="18"></line>
                </svg>
                {text}
            </li>
        }
    };
    view! {
        <ul class="network-legend" aria-hidden="true">
            {item(NodeKind::Organisation, false, "Organisation")}
            {item(NodeKind::Mentor, false, "Mentor")}
            {item(NodeKind::Coop, false, "Co-op")}
            {item(NodeKind::Mentor, true, "Bridge builder (thick outline)")}
            {line("mentors", "Mentors (dashed)")}
            {line("member-of", "Member of a co-op (solid)")}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use shared::api::network::NetworkLink;

    use super::*;

    fn node(kind: NodeKind, id: i64, name: &str) -> NetworkNode {
        NetworkNode {
            kind,
            id,
            name: name.to_owned(),
            locality: "Plymouth".to_owned(),
            topics: Vec::new(),
        }
    }

    fn link(kind: LinkKind, from: (NodeKind, i64), to: (NodeKind, i64)) -> NetworkLink {
        NetworkLink {
            kind,
            from: NodeRef {
                kind: from.0,
                id: from.1,
            },
            to: NodeRef {
                kind: to.0,
                id: to.1,
            },
        }
    }

    use NodeKind::{Coop, Mentor, Organisation};

    fn sample() -> NetworkResponse {
        NetworkResponse {
            nodes: vec![
                node(Organisation, 1, "Riverside Arts"),
                node(Organisation, 2, "Hope Library"),
                node(Organisation, 3, "Green Walks"),
                node(Mentor, 7, "Asha Patel"),
                node(Mentor, 8, "Tom Reed"),
                node(Coop, 2, "Plymouth Co-op"),
            ],
            links: vec![
                link(LinkKind::Mentors, (Mentor, 7), (Organisation, 1)),
                link(LinkKind::Mentors, (Mentor, 7), (Organisation, 2)),
                link(LinkKind::Mentors, (Mentor, 8), (Organisation, 3)),
                link(LinkKind::MemberOf, (Organisation, 1), (Coop, 2)),
                // A link to a node outside the answer is left out.
                link(LinkKind::MemberOf, (Organisation, 99), (Coop, 2)),
            ],
        }
    }

    #[test]
    fn keys_and_pages() {
        let r = NodeRef {
            kind: Organisation,
            id: 3,
        };
        assert_eq!(node_key(r), "organisation:3");
        assert_eq!(node_href(r), "/organisations/3");
        let r = NodeRef { kind: Coop, id: 2 };
        assert_eq!(node_key(r), "coop:2");
        assert_eq!(node_href(r), "/coops/2");
    }

    #[test]
    fn names_join_in_english() {
        let names = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(join_names(&names(&[])), "");
        assert_eq!(join_names(&names(&["A"])), "A");
        assert_eq!(join_names(&names(&["A", "B"])), "A and B");
        assert_eq!(join_names(&names(&["A", "B", "C"])), "A, B and C");
    }

    #[test]
    fn long_names_are_cut() {
        assert_eq!(short_label("Hope Library"), "Hope Library");
        let cut = short_label("The Very Long Community Garden Trust");
        assert!(cut.ends_with('…'));
        assert!(cut.chars().count() <= LABEL_MAX_CHARS);
    }

    #[test]
    fn bridges_link_two_or_more_organisations() {
        let p = picture(&sample());
        let bridges: Vec<&str> = p
            .nodes
            .iter()
            .filter(|n| n.bridge)
            .map(|n| n.key.as_str())
            .collect();
        // Asha mentors two; Tom one; the co-op has one member in the answer.
        assert_eq!(bridges, vec!["mentor:7"]);
        assert_eq!(p.links.len(), 4);
    }

    #[test]
    fn the_list_says_who_is_linked_to_whom() {
        let p = picture(&sample());
        let sentence = |key: &str| {
            entry_sentence(
                p.nodes
                    .iter()
                    .find(|n| n.key == key)
                    .expect("the node is in the picture"),
            )
        };
        assert_eq!(
            sentence("organisation:1"),
            "Mentored by Asha Patel · Member of Plymouth Co-op"
        );
        assert_eq!(sentence("organisation:2"), "Mentored by Asha Patel");
        assert_eq!(
            sentence("mentor:7"),
            "Mentors Riverside Arts and Hope Library"
        );
        assert_eq!(sentence("coop:2"), "Members: Riverside Arts");
        assert_eq!(
            count_sentence(&p),
            "3 organisations, 2 mentors and 1 co-op, with 4 links."
        );
    }

    #[test]
    fn every_node_is_inside_the_picture() {
        let p = picture(&sample());
        assert!(p.nodes.iter().all(|n| {
            n.x >= p.frame.margin
                && n.x <= p.frame.width - p.frame.margin
                && n.y >= p.frame.margin
                && n.y <= p.frame.height - p.frame.margin
        }));
    }
}
