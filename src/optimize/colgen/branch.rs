//! Branch-and-price: raising the bound past the reformulation's root.
//!
//! The root's LP mixes visit patterns: half of a list's pattern that visits
//! in week 5 and half of one that does not. A branch decides whether list
//! `i` is visited in week `w` (one child forbids it: its pricing gives the
//! week no price; the other requires it: its pricing keeps only patterns
//! that visit then), takes the patterns that break the decision out of the
//! master, and generates columns again. Every node's bound is Lagrangian,
//! valid whenever it stops, and the tree's bound is the least over the
//! branches still open: nodes are taken best bound first, so it rises as
//! they are solved. A branch whose bound reaches a known plan's value is
//! dropped: no plan in it is better.
//!
//! Once every list-week is whole, the trips that give the visits their days
//! may still be mixed (half of one person's trip, half of another's): the
//! branch then decides whether a person's trip of a week consults for a
//! list, and trip pricing keeps to it.
//!
//! The branches' patterns may demand days no trip in the master gives yet,
//! and a branch may send a person on a trip the master has no column for:
//! artificial columns (dearer than every list together) keep the master
//! feasible until pricing finds the trips.

use super::{Generated, Kind, Master, Rmp, Rules, TOL, generate, price};
use std::time::Instant;

/// Relative distance between a node's master LP and its bound at which
/// the node counts as solved: its children re-price anyway, and the last
/// rounds of a node add little (the root uses the strict `TOL`).
const NODE_TOL: f64 = 1e-4;

/// What the tree proved.
pub(super) struct Tree {
    /// The least bound over the branches not pruned (at most the cutoff).
    pub bound: f64,
    /// Nodes solved, the root not counted.
    pub nodes: usize,
    /// Pricing rounds at those nodes.
    pub rounds: usize,
    /// Whether every branch was solved or pruned.
    pub closed: bool,
}

/// A branch waiting to be solved, with its parent's bound and duals.
struct Node {
    rules: Rules,
    bound: f64,
    centre: Vec<f64>,
    depth: usize,
}

/// Whether a branch of bound `b` can hold no plan better than `cutoff`.
fn pruned(b: f64, cutoff: f64) -> bool {
    b >= cutoff - TOL * cutoff.abs().max(1.0)
}

/// Branch from the converged `root` until every branch is pruned by
/// `cutoff` (a plan's value, lowered by every whole plan a node's master
/// finds), cannot be split, `max_nodes` are solved, or `deadline`.
pub(super) fn search(
    m: &Master<'_>,
    rmp: &mut Rmp,
    root: Generated,
    mut cutoff: f64,
    deadline: Instant,
    max_nodes: usize,
) -> Tree {
    let mut tree = Tree {
        bound: root.bound.min(cutoff),
        nodes: 0,
        rounds: 0,
        closed: false,
    };
    // Leaves whose master uses every list-week wholly: their bound stays.
    let mut leaves: Vec<f64> = Vec::new();
    let mut open: Vec<Node> = Vec::new();
    if let Some(plan) = split(m, rmp, &Rules::default(), &root, 0, &mut open, &mut leaves) {
        cutoff = cutoff.min(plan);
    }
    while let Some(k) = next(&open) {
        if m.halted(deadline) || tree.nodes >= max_nodes {
            break;
        }
        let node = open.swap_remove(k);
        if pruned(node.bound, cutoff) {
            continue;
        }
        tree.nodes += 1;
        let Some(g) = solve(m, rmp, &node, cutoff, deadline) else {
            continue; // no plan keeps the branch
        };
        tree.rounds += g.rounds;
        if pruned(g.bound, cutoff) {
            continue;
        }
        if !g.converged {
            // The clock (or an LP HiGHS could not solve) stopped it: it
            // stays open with what it proved, and the tree stops here.
            open.push(Node {
                bound: g.bound,
                centre: g.centre,
                ..node
            });
            break;
        }
        if let Some(plan) = split(m, rmp, &node.rules, &g, node.depth, &mut open, &mut leaves) {
            cutoff = cutoff.min(plan);
        }
        m.proved(least(&open, &leaves, cutoff).max(tree.bound));
    }
    open.retain(|n| !pruned(n.bound, cutoff));
    tree.closed = open.is_empty();
    tree.bound = tree.bound.max(least(&open, &leaves, cutoff));
    tree
}

/// The tree's bound: the least over its open branches and leaves, at most
/// `cutoff`.
fn least(open: &[Node], leaves: &[f64], cutoff: f64) -> f64 {
    open.iter()
        .map(|n| n.bound)
        .chain(leaves.iter().copied())
        .fold(cutoff, f64::min)
}

/// The open node of least bound, the deepest among equals (it is nearest
/// to a plan).
fn next(open: &[Node]) -> Option<usize> {
    (0..open.len()).min_by(|a, b| {
        open[*a]
            .bound
            .total_cmp(&open[*b].bound)
            .then(open[*b].depth.cmp(&open[*a].depth))
    })
}

/// Column generation at `node`: its rules applied to the master's columns,
/// a pattern of each list that keeps them added, then priced to the end.
fn solve(
    m: &Master<'_>,
    rmp: &mut Rmp,
    node: &Node,
    cutoff: f64,
    deadline: Instant,
) -> Option<Generated> {
    for (c, kind) in rmp.kinds.iter().enumerate() {
        let allowed = match kind {
            Kind::Pattern(i, days) => node.rules.allows(*i, days),
            Kind::Trip(k, lists) => node.rules.allows_trip(*k, lists.iter().copied()),
            Kind::Other => continue,
        };
        rmp.lp
            .set_col_upper(c, if allowed { f64::INFINITY } else { 0.0 });
    }
    // A person-week the branch sends on a trip takes exactly one.
    for (k, (_, row)) in m.person_week.iter().enumerate() {
        let lower = if node.rules.requires_trip(k) {
            1.0
        } else {
            f64::NEG_INFINITY
        };
        rmp.lp.set_row_bounds(*row, lower, 1.0);
    }
    rmp.lp.bounds_changed();
    // Pricing at the parent's duals within the branch: a bound of the
    // branch already, and a pattern of every list that keeps it.
    let first = price(m, &node.centre, &node.rules)?;
    for (i, p) in first.patterns.iter().enumerate() {
        // Unvisited is always allowed but where a visit is required.
        if node
            .rules
            .fixes
            .iter()
            .any(|(l, _, visit)| *l == i && *visit)
        {
            m.add_pattern(rmp, i, p);
        }
    }
    generate(
        m,
        rmp,
        &node.rules,
        node.bound.max(first.lagrangian),
        node.centre.clone(),
        (cutoff, NODE_TOL),
        deadline,
    )
}

/// What to decide next at a node whose master `g` solved.
enum Choice {
    /// Every column whole, no artificial used: a plan of the relaxation,
    /// of this value.
    Whole(f64),
    /// Whether list `.0` is visited in week `.1`.
    Visit(usize, u32),
    /// Whether person-week `.0`'s trip consults for list `.1`.
    Trip(usize, usize),
    /// Nothing left to decide, though the master is not whole.
    Leaf,
}

/// The decision the master takes most nearly half: on a list-week first,
/// on a person-week's trip once every visit is whole.
fn choose(m: &Master<'_>, rmp: &Rmp, g: &Generated) -> Choice {
    let whole = rmp.kinds.iter().zip(&g.x).all(|(kind, v)| match kind {
        Kind::Other => *v <= 1e-9,
        _ => v.min((1.0 - v).abs()) <= 1e-9,
    });
    if whole && g.x.len() == rmp.kinds.len() {
        return Choice::Whole(g.master);
    }
    let n = m.ctx.scenario.horizon.weeks as usize;
    let mut visited = vec![vec![0.0; n]; m.lists.len()];
    let mut served: std::collections::BTreeMap<(usize, usize), f64> = Default::default();
    for (c, kind) in rmp.kinds.iter().enumerate() {
        let v = g.x.get(c).copied().unwrap_or(0.0);
        if v <= 0.0 {
            continue;
        }
        match kind {
            Kind::Pattern(i, days) => {
                for (w, d) in days.iter().enumerate() {
                    if *d > 0 {
                        visited[*i][w] += v;
                    }
                }
            }
            Kind::Trip(k, lists) => {
                for i in lists {
                    *served.entry((*k, *i)).or_default() += v;
                }
            }
            Kind::Other => {}
        }
    }
    let fractional = |v: f64| v > 1e-6 && v < 1.0 - 1e-6;
    let score = |v: f64| v.min(1.0 - v);
    let mut best: Option<(f64, Choice)> = None;
    for (i, weeks) in visited.iter().enumerate() {
        for (w, v) in weeks.iter().enumerate() {
            if fractional(*v) && best.as_ref().is_none_or(|b| score(*v) > b.0 + 1e-9) {
                best = Some((score(*v), Choice::Visit(i, w as u32)));
            }
        }
    }
    if best.is_none() {
        for ((k, i), v) in served {
            if fractional(v) && best.as_ref().is_none_or(|b| score(v) > b.0 + 1e-9) {
                best = Some((score(v), Choice::Trip(k, i)));
            }
        }
    }
    best.map_or(Choice::Leaf, |b| b.1)
}

/// `rules` with the decision `c` taken `yes` (visited, or consults) or not.
fn decide(rules: &Rules, c: &Choice, yes: bool) -> Rules {
    match c {
        Choice::Visit(i, w) => rules.with(*i, *w, yes),
        Choice::Trip(k, i) => rules.with_trip(*k, *i, yes),
        Choice::Whole(_) | Choice::Leaf => rules.clone(),
    }
}

/// Children of the node with `rules` that `g` solved: on the decision the
/// master takes most nearly half. A node with none becomes a leaf, unless
/// every column is whole: then the master is a plan of the relaxation, and
/// its value is returned.
fn split(
    m: &Master<'_>,
    rmp: &Rmp,
    rules: &Rules,
    g: &Generated,
    depth: usize,
    open: &mut Vec<Node>,
    leaves: &mut Vec<f64>,
) -> Option<f64> {
    let c = match choose(m, rmp, g) {
        Choice::Whole(value) => return Some(value),
        Choice::Leaf => {
            leaves.push(g.bound);
            return None;
        }
        c => c,
    };
    for yes in [true, false] {
        open.push(Node {
            rules: decide(rules, &c, yes),
            bound: g.bound,
            centre: g.centre.clone(),
            depth: depth + 1,
        });
    }
    None
}

/// A column of each list-week's linking row that supplies a day at a cost
/// above what every list together could cost: the master stays feasible
/// whatever days a branch requires, and no plan uses it.
pub(super) fn add_artificial_supply(m: &Master<'_>, rmp: &mut Rmp) {
    let n = m.ctx.scenario.horizon.weeks as usize;
    let worst: f64 = m.lists.iter().map(|l| l.cost(&vec![0; n])).sum();
    let cost = 10.0 * (worst + 1.0);
    let mut rows: Vec<usize> = m.link.values().copied().collect();
    rows.sort_unstable();
    for r in rows {
        rmp.lp.add_col(cost, &[(r, -1.0)]);
        rmp.kinds.push(Kind::Other);
    }
    // And of each person-week a branch may send on a trip.
    for (_, r) in &m.person_week {
        rmp.lp.add_col(cost, &[(*r, 1.0)]);
        rmp.kinds.push(Kind::Other);
    }
}
