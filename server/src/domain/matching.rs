//! Matching mentors to organisations: the score factors and their weights,
//! the ranked list for one organisation, and the whole-programme plan. Pure:
//! no database, no clock, so every rule here is unit- and property-tested.
//!
//! A score is out of 100, the sum of four factors:
//!
//! | factor     | max | what earns it |
//! |------------|-----|---------------|
//! | topics     | 60  | needed topics the mentor knows: each need weighs 3/2/1 by priority (high/medium/low), and counts 1, 0.75 or 0.5 by the mentor's depth (expert/experienced/working knowledge) |
//! | place      | 15  | meets in person in the organisation's locality (15), or works remotely (10) |
//! | activities | 10  | share of the organisation's activity types the mentor knows |
//! | capacity   | 15  | share of the mentor's places still free |
//!
//! Topics dominate because a mentor who cannot help with the need is no
//! match however close or free they are; place comes next because the
//! research found local knowledge and trust matter; capacity spreads the
//! load so that busy mentors are not the default answer.

use std::cmp::Ordering;
use std::collections::HashSet;

use shared::api::programme::{Factor, FactorScore};
use shared::taxonomy::{ActivityType, Depth, Priority, Topic};

pub const TOPICS_MAX: f64 = 60.0;
pub const PLACE_MAX: f64 = 15.0;
/// Remote working earns this much of the place factor.
pub const REMOTE_POINTS: f64 = 10.0;
pub const ACTIVITIES_MAX: f64 = 10.0;
pub const CAPACITY_MAX: f64 = 15.0;

pub fn priority_weight(p: Priority) -> f64 {
    match p {
        Priority::High => 3.0,
        Priority::Medium => 2.0,
        Priority::Low => 1.0,
    }
}

pub fn depth_factor(d: Depth) -> f64 {
    match d {
        Depth::Expert => 1.0,
        Depth::Experienced => 0.75,
        Depth::Working => 0.5,
    }
}

#[derive(Clone, Debug)]
pub struct OrgInput {
    pub id: i64,
    pub name: String,
    pub locality: String,
    pub activity_types: Vec<ActivityType>,
    pub needs: Vec<(Topic, Priority)>,
}

#[derive(Clone, Debug)]
pub struct MentorInput {
    pub id: i64,
    pub name: String,
    pub expertise: Vec<(Topic, Depth)>,
    pub activity_types: Vec<ActivityType>,
    pub localities: Vec<String>,
    pub remote: bool,
    pub in_person: bool,
    pub capacity: u32,
    /// Places in use (active, paused and proposed mentorships).
    pub load: u32,
}

impl MentorInput {
    pub fn free_places(&self) -> u32 {
        self.capacity.saturating_sub(self.load)
    }
}

/// One mentor scored for one organisation.
#[derive(Clone, Debug, PartialEq)]
pub struct Scored {
    pub mentor_id: i64,
    pub score: f64,
    pub factors: Vec<FactorScore>,
    pub covered: Vec<Topic>,
}

#[cfg(test)]
impl Scored {
    fn points(&self, factor: Factor) -> f64 {
        self.factors
            .iter()
            .find(|f| f.factor == factor)
            .map_or(0.0, |f| f.points)
    }
}

/// Tenths of a point: what the API shows, and what ties are decided on.
fn tenths(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn same_place(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

fn list(items: &[&str]) -> String {
    items.join(", ")
}

/// Score `mentor` for `org`, with a sentence per factor.
pub fn score(org: &OrgInput, mentor: &MentorInput) -> Scored {
    let mut factors = Vec::with_capacity(4);

    // Topics: weighted share of the needs the mentor covers.
    let total_weight: f64 = org.needs.iter().map(|&(_, p)| priority_weight(p)).sum();
    let mut earned = 0.0;
    let mut covered = Vec::new();
    let mut covered_text = Vec::new();
    let mut missing = Vec::new();
    for &(topic, priority) in &org.needs {
        match mentor.expertise.iter().find(|(t, _)| *t == topic) {
            Some(&(_, depth)) => {
                earned += priority_weight(priority) * depth_factor(depth);
                covered.push(topic);
                covered_text.push(format!(
                    "{} ({})",
                    topic.label(),
                    depth.label().to_lowercase()
                ));
            }
            None => missing.push(topic.label()),
        }
    }
    let topic_points = if total_weight > 0.0 {
        tenths(TOPICS_MAX * earned / total_weight)
    } else {
        0.0
    };
    let mut explanation = if org.needs.is_empty() {
        "no needs listed yet".to_owned()
    } else if covered.is_empty() {
        format!("covers none of the {} needed topics", org.needs.len())
    } else {
        format!(
            "covers {} of {} needed topics: {}",
            covered.len(),
            org.needs.len(),
            covered_text.join(", ")
        )
    };
    if !covered.is_empty() && !missing.is_empty() {
        explanation.push_str(&format!("; not {}", list(&missing)));
    }
    factors.push(FactorScore {
        factor: Factor::Topics,
        points: topic_points,
        max_points: TOPICS_MAX,
        explanation,
    });

    // Place: in person where the organisation is, else remote.
    let local = mentor.in_person
        && mentor
            .localities
            .iter()
            .any(|l| same_place(l, &org.locality));
    let (place_points, explanation) = if local {
        (PLACE_MAX, format!("same locality: {}", org.locality.trim()))
    } else if mentor.remote {
        (
            REMOTE_POINTS,
            format!("works remotely (not based in {})", org.locality.trim()),
        )
    } else {
        (
            0.0,
            format!("meets in person only, not in {}", org.locality.trim()),
        )
    };
    factors.push(FactorScore {
        factor: Factor::Place,
        points: place_points,
        max_points: PLACE_MAX,
        explanation,
    });

    // Activities: share of the organisation's activity types the mentor knows.
    let known: Vec<&str> = org
        .activity_types
        .iter()
        .filter(|a| mentor.activity_types.contains(a))
        .map(|a| a.label())
        .collect();
    let (activity_points, explanation) = if org.activity_types.is_empty() {
        (0.0, "no activity types listed".to_owned())
    } else if known.is_empty() {
        (
            0.0,
            format!(
                "knows none of your {} activity types",
                org.activity_types.len()
            ),
        )
    } else {
        (
            tenths(ACTIVITIES_MAX * known.len() as f64 / org.activity_types.len() as f64),
            format!(
                "knows {} of {} activity types: {}",
                known.len(),
                org.activity_types.len(),
                list(&known)
            ),
        )
    };
    factors.push(FactorScore {
        factor: Factor::Activities,
        points: activity_points,
        max_points: ACTIVITIES_MAX,
        explanation,
    });

    // Capacity: share of places free.
    let free = mentor.free_places();
    let capacity_points = if mentor.capacity == 0 {
        0.0
    } else {
        tenths(CAPACITY_MAX * f64::from(free) / f64::from(mentor.capacity))
    };
    factors.push(FactorScore {
        factor: Factor::Capacity,
        points: capacity_points,
        max_points: CAPACITY_MAX,
        explanation: format!(
            "{free} of {} place{} free",
            mentor.capacity,
            if mentor.capacity == 1 { "" } else { "s" }
        ),
    });

    Scored {
        mentor_id: mentor.id,
        score: tenths(factors.iter().map(|f| f.points).sum()),
        factors,
        covered,
    }
}

/// Best first; equal scores go to the lower mentor id, so the order never
/// depends on how the database returned the rows.
fn rank_order(a: &Scored, b: &Scored) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(a.mentor_id.cmp(&b.mentor_id))
}

/// The ranked list for one organisation: every mentor with a place free and
/// not in `excluded` (already matched with it).
pub fn suggest(org: &OrgInput, mentors: &[MentorInput], excluded: &HashSet<i64>) -> Vec<Scored> {
    let mut out: Vec<Scored> = mentors
        .iter()
        .filter(|m| m.free_places() > 0 && !excluded.contains(&m.id))
        .map(|m| score(org, m))
        .collect();
    out.sort_by(rank_order);
    out
}

#[derive(Clone, Debug, PartialEq)]
pub struct PlannedPair {
    pub org_id: i64,
    pub scored: Scored,
    /// 1 = the organisation's own top suggestion.
    pub rank: u32,
    pub explanation: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    pub matches: Vec<PlannedPair>,
    pub unmatched: Vec<(i64, String)>,
    pub total_score: f64,
}

/// A mentor for every waiting organisation at once, maximising the total
/// score while giving no mentor more organisations than their free places.
/// Only pairs where the mentor covers at least one needed topic count.
/// `excluded` holds `(org_id, mentor_id)` pairs already matched.
pub fn plan(orgs: &[OrgInput], mentors: &[MentorInput], excluded: &HashSet<(i64, i64)>) -> Plan {
    let mut orgs: Vec<&OrgInput> = orgs.iter().collect();
    orgs.sort_by_key(|o| o.id);
    let mut mentors: Vec<&MentorInput> = mentors.iter().filter(|m| m.free_places() > 0).collect();
    mentors.sort_by_key(|m| m.id);

    // Each free place is a column; one "no mentor" column per organisation
    // lets an organisation stay unmatched at no cost.
    let slots: Vec<usize> = mentors
        .iter()
        .enumerate()
        .flat_map(|(i, m)| std::iter::repeat_n(i, m.free_places().min(orgs.len() as u32) as usize))
        .collect();
    let scores: Vec<Vec<Option<Scored>>> = orgs
        .iter()
        .map(|o| {
            mentors
                .iter()
                .map(|m| {
                    let s = score(o, m);
                    let eligible = !s.covered.is_empty() && !excluded.contains(&(o.id, m.id));
                    eligible.then_some(s)
                })
                .collect()
        })
        .collect();
    // Costs in tenths of a point, negated: the solver minimises.
    const FORBIDDEN: i64 = 1_000_000_000;
    let cost: Vec<Vec<i64>> = scores
        .iter()
        .map(|row| {
            let mut r: Vec<i64> = slots
                .iter()
                .map(|&m| {
                    row[m]
                        .as_ref()
                        .map_or(FORBIDDEN, |s| -((s.score * 10.0).round() as i64))
                })
                .collect();
            r.extend(std::iter::repeat_n(0, orgs.len()));
            r
        })
        .collect();
    let assignment = min_cost_assignment(&cost);

    let mut matches = Vec::new();
    let mut unmatched = Vec::new();
    let mut mentor_of: Vec<Option<usize>> = vec![None; orgs.len()];
    for (i, &col) in assignment.iter().enumerate() {
        if col < slots.len() && cost[i][col] < FORBIDDEN {
            mentor_of[i] = Some(slots[col]);
        }
    }
    for (i, org) in orgs.iter().enumerate() {
        let own_list = {
            let mut l: Vec<&Scored> = scores[i].iter().flatten().collect();
            l.sort_by(|a, b| rank_order(a, b));
            l
        };
        match mentor_of[i] {
            Some(m) => {
                let scored = scores[i][m].clone().expect("assigned pairs are eligible");
                let rank = own_list
                    .iter()
                    .position(|s| s.mentor_id == scored.mentor_id)
                    .map_or(1, |p| p as u32 + 1);
                let explanation = if rank == 1 {
                    format!("Top suggestion for {} (score {}).", org.name, scored.score)
                } else {
                    let top = own_list[0];
                    let top_name = mentors
                        .iter()
                        .find(|m| m.id == top.mentor_id)
                        .map_or("", |m| m.name.as_str());
                    let took: Vec<&str> = orgs
                        .iter()
                        .enumerate()
                        .filter(|&(j, _)| {
                            j != i && mentor_of[j].is_some_and(|mm| mentors[mm].id == top.mentor_id)
                        })
                        .map(|(_, o)| o.name.as_str())
                        .collect();
                    format!(
                        "Ranked {rank} here: the top suggestion, {top_name}, has no place left \
                         in this plan ({}), and this gives the best total across all waiting \
                         organisations.",
                        if took.is_empty() {
                            "places taken".to_owned()
                        } else {
                            format!("matched with {}", list(&took))
                        }
                    )
                };
                matches.push(PlannedPair {
                    org_id: org.id,
                    scored,
                    rank,
                    explanation,
                });
            }
            None => {
                let reason = if org.needs.is_empty() {
                    "It has not listed any needs yet.".to_owned()
                } else if own_list.is_empty() {
                    "No mentor with a free place covers any of its needed topics.".to_owned()
                } else {
                    "Every mentor who covers its needs is fully used by this plan.".to_owned()
                };
                unmatched.push((org.id, reason));
            }
        }
    }
    let total_score = tenths(matches.iter().map(|p| p.scored.score).sum());
    Plan {
        matches,
        unmatched,
        total_score,
    }
}

/// The Hungarian algorithm (Kuhn–Munkres with potentials, O(n²m)): for an
/// n × m cost matrix with n ≤ m, the column of each row in an assignment of
/// least total cost. Deterministic for a given matrix.
pub fn min_cost_assignment(cost: &[Vec<i64>]) -> Vec<usize> {
    let n = cost.len();
    if n == 0 {
        return Vec::new();
    }
    let m = cost[0].len();
    assert!(n <= m, "more rows than columns");
    // 1-based, with row/column 0 as the sentinel, as in the classic form.
    let mut u = vec![0i64; n + 1];
    let mut v = vec![0i64; m + 1];
    let mut p = vec![0usize; m + 1];
    let mut way = vec![0usize; m + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0usize;
        let mut minv = vec![i64::MAX; m + 1];
        let mut used = vec![false; m + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = i64::MAX;
            let mut j1 = 0usize;
            for j in 1..=m {
                if !used[j] {
                    let cur = cost[i0 - 1][j - 1] - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=m {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    let mut out = vec![0usize; n];
    for j in 1..=m {
        if p[j] != 0 {
            out[p[j] - 1] = j - 1;
        }
    }
    out
}

#[cfg(test)]
mod tests;
