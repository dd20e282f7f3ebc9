//! Where the network picture puts its nodes: a small Fruchterman–Reingold
//! force-directed layout. Deterministic (nodes start on a circle in key
//! order and take a fixed number of steps), so the same network always
//! draws the same picture, and free of web APIs, so its tests run on the
//! host. Each step compares every pair: O(n²), fine for a few hundred nodes.

/// Steps of the simulation; the temperature falls to nothing over them.
pub const ITERATIONS: usize = 200;

/// How much of the frame's shorter half the cloud of nodes should fill: the
/// pull towards the middle is set so that repulsion balances it about there,
/// which keeps unlinked nodes from piling up against the edges.
const FILL: f64 = 0.8;

/// Closer than this counts as on top of each other.
const MIN_DISTANCE: f64 = 0.01;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// The box to draw in: `0..width` by `0..height`, and how far from its
/// edges a node's centre must stay (room for its shape and label).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub margin: f64,
}

impl Frame {
    /// Half the usable width and height around the middle (never negative).
    fn half_extent(&self) -> (f64, f64) {
        (
            ((self.width - 2.0 * self.margin) / 2.0).max(0.0),
            ((self.height - 2.0 * self.margin) / 2.0).max(0.0),
        )
    }
}

/// Positions for the nodes named by `keys`, in the same order, all inside
/// `frame`'s margins. `edges` are pairs of indices into `keys` (self-loops
/// and indices out of range are ignored). The starting circle follows the
/// keys' order, not the slice's, so a reordered input gives the same picture.
pub fn layout<K: Ord>(keys: &[K], edges: &[(usize, usize)], frame: Frame) -> Vec<Point> {
    let n = keys.len();
    let (half_w, half_h) = frame.half_extent();
    let centre = Point {
        x: frame.width / 2.0,
        y: frame.height / 2.0,
    };
    if n <= 1 || half_w == 0.0 || half_h == 0.0 {
        return vec![centre; n];
    }

    // Simulate in key order (node `r` is the r-th key), with the edges
    // normalised, sorted and deduplicated: then every sum is added up in the
    // same order however the input was listed, and so comes out the same.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]).then(a.cmp(&b)));
    let mut rank = vec![0; n];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r;
    }
    let mut edges: Vec<(usize, usize)> = edges
        .iter()
        .filter(|&&(a, b)| a != b && a < n && b < n)
        .map(|&(a, b)| (rank[a].min(rank[b]), rank[a].max(rank[b])))
        .collect();
    edges.sort_unstable();
    edges.dedup();

    // Around the middle (0, 0) while simulating, starting on a circle;
    // shifted into the frame at the end.
    let radius = 0.8 * half_w.min(half_h);
    let mut pos: Vec<Point> = (0..n)
        .map(|r| {
            let angle = std::f64::consts::TAU * r as f64 / n as f64;
            Point {
                x: radius * angle.cos(),
                y: radius * angle.sin(),
            }
        })
        .collect();

    let area = 4.0 * half_w * half_h;
    // The ideal distance between nodes: the area shared out between them.
    let k = 0.75 * (area / n as f64).sqrt();
    // n nodes pushing at k²/d balance a pull of g·r at about r² = n·k²/g.
    let fill_radius = FILL * half_w.min(half_h);
    let gravity = n as f64 * k * k / (fill_radius * fill_radius);
    let start_temperature = half_w.max(half_h) / 5.0;
    let mut disp = vec![Point { x: 0.0, y: 0.0 }; n];

    for step in 0..ITERATIONS {
        disp.fill(Point { x: 0.0, y: 0.0 });

        // Every pair pushes apart, k²/d.
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy, d) = apart(pos[i], pos[j], i, j);
                let force = k * k / d;
                let (fx, fy) = (dx / d * force, dy / d * force);
                disp[i].x += fx;
                disp[i].y += fy;
                disp[j].x -= fx;
                disp[j].y -= fy;
            }
        }
        // Linked nodes pull together, d²/k.
        for &(a, b) in &edges {
            let (dx, dy, d) = apart(pos[a], pos[b], a, b);
            let force = d * d / k;
            let (fx, fy) = (dx / d * force, dy / d * force);
            disp[a].x -= fx;
            disp[a].y -= fy;
            disp[b].x += fx;
            disp[b].y += fy;
        }
        // And everything is pulled towards the middle, g·r.
        for (p, d) in pos.iter().zip(disp.iter_mut()) {
            d.x -= gravity * p.x;
            d.y -= gravity * p.y;
        }

        // Each node moves along its force, at most the temperature, and
        // stays in the frame. Linear cooling: the last step barely moves.
        let temperature = start_temperature * (1.0 - step as f64 / ITERATIONS as f64);
        for (p, d) in pos.iter_mut().zip(&disp) {
            let len = (d.x * d.x + d.y * d.y).sqrt();
            if len > 0.0 && len.is_finite() {
                let step_len = len.min(temperature);
                p.x = (p.x + d.x / len * step_len).clamp(-half_w, half_w);
                p.y = (p.y + d.y / len * step_len).clamp(-half_h, half_h);
            }
        }
    }

    // Spread the cloud over the frame: each axis scaled so its farthest node
    // reaches the margin (at most doubled, so a handful of nodes is not flung
    // into the corners).
    let reach = |f: fn(&Point) -> f64| pos.iter().map(|p| f(p).abs()).fold(0.0, f64::max);
    let stretch = |half: f64, far: f64| {
        if far > MIN_DISTANCE {
            (half / far).clamp(1.0, 2.0)
        } else {
            1.0
        }
    };
    let (sx, sy) = (
        stretch(half_w, reach(|p| p.x)),
        stretch(half_h, reach(|p| p.y)),
    );
    rank.iter()
        .map(|&r| Point {
            x: (centre.x + sx * pos[r].x).clamp(frame.margin, frame.width - frame.margin),
            y: (centre.y + sy * pos[r].y).clamp(frame.margin, frame.height - frame.margin),
        })
        .collect()
}

/// The vector from `b` to `a` and its length. Two nodes on the same spot
/// get a small made-up direction from their indices (never a random one),
/// so they separate the same way every time.
fn apart(a: Point, b: Point, ia: usize, ib: usize) -> (f64, f64, f64) {
    let (dx, dy) = (a.x - b.x, a.y - b.y);
    let d = (dx * dx + dy * dy).sqrt();
    if d >= MIN_DISTANCE {
        return (dx, dy, d);
    }
    let angle = (ia * 31 + ib * 17) as f64;
    (
        MIN_DISTANCE * angle.cos(),
        MIN_DISTANCE * angle.sin(),
        MIN_DISTANCE,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    impl Point {
        fn distance(self, other: Point) -> f64 {
            (self.x - other.x).hypot(self.y - other.y)
        }
    }

    const FRAME: Frame = Frame {
        width: 640.0,
        height: 480.0,
        margin: 24.0,
    };

    /// Two mentors with three organisations each, a co-op joining one of
    /// each group, and three organisations linked to nothing.
    fn sample() -> (Vec<String>, Vec<(usize, usize)>) {
        let keys: Vec<String> = [
            "mentor:1",
            "mentor:2",
            "coop:1",
            "organisation:1",
            "organisation:2",
            "organisation:3",
            "organisation:4",
            "organisation:5",
            "organisation:6",
            "organisation:7",
            "organisation:8",
            "organisation:9",
        ]
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
        let edges = vec![
            (0, 3),
            (0, 4),
            (0, 5),
            (1, 6),
            (1, 7),
            (1, 8),
            (3, 2),
            (6, 2),
        ];
        (keys, edges)
    }

    fn inside(p: Point) -> bool {
        p.x.is_finite()
            && p.y.is_finite()
            && (FRAME.margin..=FRAME.width - FRAME.margin).contains(&p.x)
            && (FRAME.margin..=FRAME.height - FRAME.margin).contains(&p.y)
    }

    #[test]
    fn same_input_same_picture() {
        let (keys, edges) = sample();
        assert_eq!(layout(&keys, &edges, FRAME), layout(&keys, &edges, FRAME));
    }

    #[test]
    fn the_order_of_the_input_does_not_matter() {
        let (keys, edges) = sample();
        let first = layout(&keys, &edges, FRAME);
        // The same graph with its nodes listed backwards.
        let n = keys.len();
        let reversed_keys: Vec<String> = keys.iter().rev().cloned().collect();
        let reversed_edges: Vec<(usize, usize)> =
            edges.iter().map(|&(a, b)| (n - 1 - a, n - 1 - b)).collect();
        let second = layout(&reversed_keys, &reversed_edges, FRAME);
        for (i, p) in first.iter().enumerate() {
            let q = second[n - 1 - i];
            assert!(p.distance(q) < 1e-9, "node {i}: {p:?} against {q:?}");
        }
    }

    #[test]
    fn every_node_stays_inside_the_margins() {
        let (keys, edges) = sample();
        let placed = layout(&keys, &edges, FRAME);
        assert_eq!(placed.len(), keys.len());
        assert!(placed.iter().all(|p| inside(*p)), "{placed:?}");
    }

    #[test]
    fn linked_nodes_end_nearer_than_the_average_pair() {
        let (keys, edges) = sample();
        let placed = layout(&keys, &edges, FRAME);
        let mean = |pairs: &[(usize, usize)]| {
            pairs
                .iter()
                .map(|&(a, b)| placed[a].distance(placed[b]))
                .sum::<f64>()
                / pairs.len() as f64
        };
        let all: Vec<(usize, usize)> = (0..keys.len())
            .flat_map(|a| ((a + 1)..keys.len()).map(move |b| (a, b)))
            .collect();
        let (linked, average) = (mean(&edges), mean(&all));
        assert!(
            linked < 0.75 * average,
            "linked {linked:.1} against average {average:.1}"
        );
    }

    #[test]
    fn nodes_do_not_land_on_each_other() {
        let (keys, edges) = sample();
        let placed = layout(&keys, &edges, FRAME);
        for a in 0..placed.len() {
            for b in (a + 1)..placed.len() {
                assert!(
                    placed[a].distance(placed[b]) > 10.0,
                    "{} and {} overlap",
                    keys[a],
                    keys[b]
                );
            }
        }
    }

    #[test]
    fn small_and_odd_inputs() {
        let none: Vec<u32> = Vec::new();
        assert!(layout(&none, &[], FRAME).is_empty());
        assert_eq!(
            layout(&[7], &[(0, 0)], FRAME),
            vec![Point { x: 320.0, y: 240.0 }]
        );
        // Self-loops, duplicate and out-of-range edges are harmless.
        let placed = layout(&[1, 2, 3], &[(0, 0), (0, 1), (0, 1), (2, 9)], FRAME);
        assert!(placed.iter().all(|p| inside(*p)), "{placed:?}");
        // A frame with no room left puts everything in the middle.
        let tiny = Frame {
            width: 10.0,
            height: 10.0,
            margin: 8.0,
        };
        assert_eq!(
            layout(&[1, 2], &[(0, 1)], tiny),
            vec![Point { x: 5.0, y: 5.0 }; 2]
        );
    }

    #[test]
    fn two_hundred_nodes_stay_finite_and_inside() {
        let keys: Vec<usize> = (0..200).collect();
        // A mentor for every tenth node, and a chain through the rest.
        let edges: Vec<(usize, usize)> = (1..200)
            .map(|i| if i % 10 == 0 { (i, i / 10) } else { (i - 1, i) })
            .collect();
        let placed = layout(&keys, &edges, FRAME);
        assert!(placed.iter().all(|p| inside(*p)));
    }
}
