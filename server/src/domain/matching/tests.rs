//! Scoring and planning rules, by example and by property.

use std::collections::HashSet;

use proptest::prelude::*;
use shared::api::programme::Factor;
use shared::taxonomy::{ActivityType, Depth, Priority, Topic};

use super::*;

fn org(needs: &[(Topic, Priority)]) -> OrgInput {
    OrgInput {
        id: 1,
        name: "Harbour Arts".into(),
        locality: "Plymouth".into(),
        activity_types: vec![ActivityType::Arts, ActivityType::Heritage],
        needs: needs.to_vec(),
    }
}

fn mentor(id: i64, expertise: &[(Topic, Depth)]) -> MentorInput {
    MentorInput {
        id,
        name: format!("Mentor {id}"),
        expertise: expertise.to_vec(),
        activity_types: vec![ActivityType::Arts],
        localities: vec!["plymouth ".into()],
        remote: false,
        in_person: true,
        capacity: 3,
        load: 2,
    }
}

fn explanation(s: &Scored, f: Factor) -> &str {
    &s.factors
        .iter()
        .find(|x| x.factor == f)
        .expect("factor")
        .explanation
}

#[test]
fn explains_each_factor_in_words() {
    use Topic::*;
    let o = org(&[
        (Safeguarding, Priority::High),
        (CommissioningAndSocialPrescribing, Priority::Medium),
        (FundingAndSustainability, Priority::Low),
        (EvaluationAndOutcomes, Priority::Low),
    ]);
    let m = mentor(
        7,
        &[
            (Safeguarding, Depth::Expert),
            (CommissioningAndSocialPrescribing, Depth::Experienced),
            (FundingAndSustainability, Depth::Working),
        ],
    );
    let s = score(&o, &m);
    assert_eq!(
        explanation(&s, Factor::Topics),
        "covers 3 of 4 needed topics: Safeguarding (expert), Commissioning and social \
         prescribing (experienced), Funding and sustainability (working knowledge); not \
         Evaluation and outcomes"
    );
    assert_eq!(explanation(&s, Factor::Place), "same locality: Plymouth");
    assert_eq!(
        explanation(&s, Factor::Activities),
        "knows 1 of 2 activity types: Arts"
    );
    assert_eq!(explanation(&s, Factor::Capacity), "1 of 3 places free");
    // (3·1 + 2·0.75 + 1·0.5) / 7 of 60 = 42.9; 15; 5; 5.
    assert_eq!(s.points(Factor::Topics), 42.9);
    assert_eq!(s.score, 67.9);
    assert_eq!(s.covered.len(), 3);
}

#[test]
fn remote_beats_elsewhere_in_person_but_not_local() {
    let o = org(&[(Topic::Safeguarding, Priority::High)]);
    let local = mentor(1, &[(Topic::Safeguarding, Depth::Expert)]);
    let remote = MentorInput {
        localities: vec!["Bristol".into()],
        remote: true,
        ..mentor(2, &[(Topic::Safeguarding, Depth::Expert)])
    };
    let away = MentorInput {
        localities: vec!["Bristol".into()],
        ..mentor(3, &[(Topic::Safeguarding, Depth::Expert)])
    };
    let ranked = suggest(&o, &[away, remote, local], &HashSet::new());
    let ids: Vec<i64> = ranked.iter().map(|s| s.mentor_id).collect();
    assert_eq!(ids, [1, 2, 3]);
}

#[test]
fn full_and_excluded_mentors_are_not_suggested() {
    let o = org(&[(Topic::Safeguarding, Priority::High)]);
    let full = MentorInput {
        load: 3,
        ..mentor(1, &[(Topic::Safeguarding, Depth::Expert)])
    };
    let matched = mentor(2, &[(Topic::Safeguarding, Depth::Expert)]);
    let free = mentor(3, &[]);
    let ranked = suggest(&o, &[full, matched, free], &HashSet::from([2]));
    assert_eq!(ranked.len(), 1);
    assert_eq!(ranked[0].mentor_id, 3);
}

#[test]
fn equal_scores_rank_by_mentor_id_whatever_the_input_order() {
    let o = org(&[(Topic::Safeguarding, Priority::High)]);
    let a = mentor(9, &[(Topic::Safeguarding, Depth::Expert)]);
    let b = mentor(4, &[(Topic::Safeguarding, Depth::Expert)]);
    let one = suggest(&o, &[a.clone(), b.clone()], &HashSet::new());
    let two = suggest(&o, &[b, a], &HashSet::new());
    assert_eq!(one, two);
    assert_eq!(one[0].mentor_id, 4);
}

#[test]
fn plan_gives_the_contested_mentor_where_it_adds_most_and_says_why() {
    use Topic::*;
    // Both organisations rank mentor 1 first, but it has one place; the
    // second organisation has a decent alternative, the first has none.
    let first = OrgInput {
        id: 10,
        name: "Moor Walkers".into(),
        ..org(&[(Safeguarding, Priority::High)])
    };
    let second = OrgInput {
        id: 11,
        name: "Dock Library".into(),
        ..org(&[
            (Safeguarding, Priority::High),
            (FundingAndSustainability, Priority::High),
        ])
    };
    let star = MentorInput {
        capacity: 1,
        load: 0,
        ..mentor(
            1,
            &[
                (Safeguarding, Depth::Expert),
                (FundingAndSustainability, Depth::Expert),
            ],
        )
    };
    let funder = MentorInput {
        capacity: 1,
        load: 0,
        ..mentor(2, &[(FundingAndSustainability, Depth::Expert)])
    };
    let p = plan(&[first, second], &[star, funder], &HashSet::new());
    let pairs: Vec<(i64, i64, u32)> = p
        .matches
        .iter()
        .map(|m| (m.org_id, m.scored.mentor_id, m.rank))
        .collect();
    assert_eq!(pairs, [(10, 1, 1), (11, 2, 2)]);
    assert!(
        p.matches[1].explanation.contains("Mentor 1")
            && p.matches[1]
                .explanation
                .contains("matched with Moor Walkers"),
        "{}",
        p.matches[1].explanation
    );
    assert!(p.unmatched.is_empty());
}

#[test]
fn plan_leaves_organisations_without_a_covering_mentor_unmatched_with_a_reason() {
    let needy = org(&[(Topic::Safeguarding, Priority::High)]);
    let silent = OrgInput { id: 2, ..org(&[]) };
    let p = plan(
        &[needy, silent],
        &[mentor(
            1,
            &[(Topic::FundingAndSustainability, Depth::Expert)],
        )],
        &HashSet::new(),
    );
    assert!(p.matches.is_empty());
    assert_eq!(
        p.unmatched,
        [
            (
                1,
                "No mentor with a free place covers any of its needed topics.".to_owned()
            ),
            (2, "It has not listed any needs yet.".to_owned()),
        ]
    );
}

#[test]
fn hungarian_finds_the_cheapest_assignment() {
    let cost = vec![vec![4, 1, 3], vec![2, 0, 5], vec![3, 2, 2]];
    let a = min_cost_assignment(&cost);
    let total: i64 = a.iter().enumerate().map(|(i, &j)| cost[i][j]).sum();
    assert_eq!(total, 5);
}

fn topic() -> impl Strategy<Value = Topic> {
    proptest::sample::select(Topic::ALL)
}

fn priority() -> impl Strategy<Value = Priority> {
    proptest::sample::select(Priority::ALL)
}

fn depth() -> impl Strategy<Value = Depth> {
    proptest::sample::select(Depth::ALL)
}

fn dedup<T: PartialEq + Copy, U>(v: Vec<(T, U)>) -> Vec<(T, U)> {
    let mut out: Vec<(T, U)> = Vec::new();
    for (t, u) in v {
        if !out.iter().any(|(x, _)| *x == t) {
            out.push((t, u));
        }
    }
    out
}

fn arb_org(id: i64) -> impl Strategy<Value = OrgInput> {
    (
        proptest::collection::vec((topic(), priority()), 0..5),
        proptest::sample::select(vec!["Plymouth", "Bristol"]),
        proptest::collection::vec(proptest::sample::select(ActivityType::ALL), 0..3),
    )
        .prop_map(move |(needs, place, mut acts)| {
            acts.sort();
            acts.dedup();
            OrgInput {
                id,
                name: format!("Org {id}"),
                locality: place.into(),
                activity_types: acts,
                needs: dedup(needs),
            }
        })
}

fn arb_mentor(id: i64) -> impl Strategy<Value = MentorInput> {
    (
        proptest::collection::vec((topic(), depth()), 0..5),
        any::<bool>(),
        any::<bool>(),
        1u32..4,
        0u32..4,
        proptest::collection::vec(proptest::sample::select(ActivityType::ALL), 0..3),
    )
        .prop_map(
            move |(exp, remote, in_person, capacity, load, acts)| MentorInput {
                id,
                name: format!("Mentor {id}"),
                expertise: dedup(exp),
                activity_types: acts,
                localities: vec!["Plymouth".into()],
                remote,
                in_person,
                capacity,
                load: load.min(capacity),
            },
        )
}

fn arb_world() -> impl Strategy<Value = (Vec<OrgInput>, Vec<MentorInput>)> {
    (1usize..5, 1usize..4).prop_flat_map(|(n, m)| {
        (
            (0..n).map(|i| arb_org(100 + i as i64)).collect::<Vec<_>>(),
            (0..m).map(|i| arb_mentor(1 + i as i64)).collect::<Vec<_>>(),
        )
    })
}

/// The best total by trying every assignment (small worlds only).
fn brute_force_best(orgs: &[OrgInput], mentors: &[MentorInput]) -> f64 {
    fn go(i: usize, orgs: &[OrgInput], mentors: &[MentorInput], free: &mut Vec<u32>) -> f64 {
        if i == orgs.len() {
            return 0.0;
        }
        let mut best = go(i + 1, orgs, mentors, free);
        for (k, m) in mentors.iter().enumerate() {
            let s = score(&orgs[i], m);
            if free[k] > 0 && !s.covered.is_empty() {
                free[k] -= 1;
                best = best.max(s.score + go(i + 1, orgs, mentors, free));
                free[k] += 1;
            }
        }
        best
    }
    let mut free: Vec<u32> = mentors.iter().map(MentorInput::free_places).collect();
    go(0, orgs, mentors, &mut free)
}

proptest! {
    #[test]
    fn more_topic_overlap_never_lowers_the_score(
        o in arb_org(1),
        m in arb_mentor(2),
        extra in topic(),
        d in depth(),
    ) {
        let before = score(&o, &m);
        let mut more = m.clone();
        if let Some(e) = more.expertise.iter_mut().find(|(t, _)| *t == extra) {
            // Deepening a topic the mentor already has.
            if depth_factor(d) > depth_factor(e.1) {
                e.1 = d;
            }
        } else {
            more.expertise.push((extra, d));
        }
        let after = score(&o, &more);
        prop_assert!(after.score >= before.score, "{} < {}", after.score, before.score);
        prop_assert!(after.covered.len() >= before.covered.len());
    }

    #[test]
    fn scores_stay_between_0_and_100(o in arb_org(1), m in arb_mentor(2)) {
        let s = score(&o, &m);
        prop_assert!((0.0..=100.0).contains(&s.score));
        for f in &s.factors {
            prop_assert!(f.points >= 0.0 && f.points <= f.max_points);
        }
    }

    #[test]
    fn the_plan_never_gives_a_mentor_more_than_their_free_places((orgs, mentors) in arb_world()) {
        let p = plan(&orgs, &mentors, &HashSet::new());
        for m in &mentors {
            let given = p.matches.iter().filter(|x| x.scored.mentor_id == m.id).count() as u32;
            prop_assert!(given <= m.free_places(), "mentor {} given {given} of {}", m.id, m.free_places());
        }
        for x in &p.matches {
            prop_assert!(!x.scored.covered.is_empty());
        }
        prop_assert_eq!(p.matches.len() + p.unmatched.len(), orgs.len());
    }

    #[test]
    fn the_plan_is_optimal_and_deterministic((orgs, mentors) in arb_world()) {
        let p = plan(&orgs, &mentors, &HashSet::new());
        let best = brute_force_best(&orgs, &mentors);
        prop_assert!((p.total_score - best).abs() < 0.05, "plan {} best {best}", p.total_score);
        let mut reversed_orgs = orgs.clone();
        reversed_orgs.reverse();
        let mut reversed_mentors = mentors.clone();
        reversed_mentors.reverse();
        prop_assert_eq!(plan(&reversed_orgs, &reversed_mentors, &HashSet::new()), p);
    }
}
