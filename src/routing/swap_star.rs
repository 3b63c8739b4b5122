//! SWAP* (Vidal 2022, section 4): exchange two clients of two routes, each
//! going to its best position in the other route rather than to the place of
//! the other. Used for problems without time windows, on route pairs that
//! share granular neighbours (the published design filters by polar sectors,
//! which needs coordinates that road networks do not have).

use super::cost::route_cost;
use super::local_search::LocalSearch;

const EPSILON: f64 = 1e-5;

/// The three cheapest insertions of one client into a route.
#[derive(Clone, Copy)]
struct Best3 {
    cost: [i64; 3],
    after: [usize; 3],
}

impl Best3 {
    fn new() -> Self {
        Best3 {
            cost: [i64::MAX; 3],
            after: [usize::MAX; 3],
        }
    }

    fn add(&mut self, cost: i64, after: usize) {
        if cost >= self.cost[2] {
            return;
        }
        if cost >= self.cost[1] {
            self.cost[2] = cost;
            self.after[2] = after;
        } else if cost >= self.cost[0] {
            self.cost[2] = self.cost[1];
            self.after[2] = self.after[1];
            self.cost[1] = cost;
            self.after[1] = after;
        } else {
            self.cost[2] = self.cost[1];
            self.after[2] = self.after[1];
            self.cost[1] = self.cost[0];
            self.after[1] = self.after[0];
            self.cost[0] = cost;
            self.after[0] = after;
        }
    }
}

/// Runs SWAP* over every pair of neighbouring routes modified since the last
/// pass; returns whether anything improved.
pub(crate) fn run(ls: &mut LocalSearch<'_>, loop_id: u64) -> bool {
    let used: Vec<usize> = (0..ls.routes.len())
        .filter(|&r| !ls.routes[r].is_empty())
        .collect();
    let mut index = vec![usize::MAX; ls.routes.len()];
    for (i, &r) in used.iter().enumerate() {
        index[r] = i;
    }
    let mut near = vec![false; used.len() * used.len()];
    for &r in &used {
        for &c in ls.routes[r].clients() {
            for &w in ls.neighbours_of(c) {
                let s = ls.route_index(w);
                if s != r {
                    near[index[r] * used.len() + index[s]] = true;
                    near[index[s] * used.len() + index[r]] = true;
                }
            }
        }
    }
    let since = ls.swap_star_mark;
    ls.swap_star_mark = ls.moves_now();
    let mut improved = false;
    for i in 0..used.len() {
        for j in i + 1..used.len() {
            let (r, s) = (used[i], used[j]);
            if !near[i * used.len() + j] || ls.routes[r].is_empty() || ls.routes[s].is_empty() {
                continue;
            }
            if loop_id > 0 && !ls.modified_since(r, since) && !ls.modified_since(s, since) {
                continue;
            }
            if swap_star(ls, r, s) {
                improved = true;
            }
        }
    }
    improved
}

/// Cheapest insertions of every client of `from` into `into`.
fn insertions(ls: &LocalSearch<'_>, from: usize, into: usize) -> Vec<Best3> {
    let p = ls.problem;
    let target = &ls.routes[into].visits;
    ls.routes[from]
        .clients()
        .iter()
        .map(|&u| {
            let mut best = Best3::new();
            for k in 0..target.len() - 1 {
                let (a, b) = (target[k], target[k + 1]);
                best.add(p.distance(a, u) + p.distance(u, b) - p.distance(a, b), k);
            }
            best
        })
        .collect()
}

/// Distance saved by removing each client of a route.
fn removals(ls: &LocalSearch<'_>, r: usize) -> Vec<i64> {
    let p = ls.problem;
    let v = &ls.routes[r].visits;
    (1..v.len() - 1)
        .map(|k| {
            p.distance(v[k - 1], v[k + 1]) - p.distance(v[k - 1], v[k]) - p.distance(v[k], v[k + 1])
        })
        .collect()
}

/// Best place (position after which) for `u` in route `into` once the
/// client at position `pv` has left it, and the added distance.
fn insert_replacing(
    ls: &LocalSearch<'_>,
    best: &Best3,
    u: usize,
    into: usize,
    pv: usize,
) -> (i64, usize) {
    let p = ls.problem;
    let v = &ls.routes[into].visits;
    let mut out = (
        p.distance(v[pv - 1], u) + p.distance(u, v[pv + 1]) - p.distance(v[pv - 1], v[pv + 1]),
        pv - 1,
    );
    for k in 0..3 {
        let after = best.after[k];
        if after != usize::MAX && after != pv && after + 1 != pv && best.cost[k] < out.0 {
            out = (best.cost[k], after);
            break;
        }
    }
    out
}

fn swap_star(ls: &mut LocalSearch<'_>, r: usize, s: usize) -> bool {
    let p = ls.problem;
    let pen = ls.penalties;
    let unit = |q: usize| p.vehicle_types()[ls.routes[q].vt].unit_cost;
    let (ur, us) = (unit(r), unit(s));
    let into_s = insertions(ls, r, s);
    let into_r = insertions(ls, s, r);
    let rem_r = removals(ls, r);
    let rem_s = removals(ls, s);
    let (load_r, load_s) = (ls.routes[r].load(), ls.routes[s].load());
    let load_pen = |q: usize, delta: [i64; 2]| -> f64 {
        let cap = p.vehicle_types()[ls.routes[q].vt].capacity;
        let load = if q == r { load_r } else { load_s };
        (0..2)
            .map(|d| {
                pen.load[d]
                    * ((load[d] + delta[d] - cap[d]).max(0) - (load[d] - cap[d]).max(0)) as f64
            })
            .sum()
    };
    // Best move: (cost, u position in r, where u goes in s, v position in s, where v goes in r).
    let mut best: Option<(f64, usize, usize, usize, usize)> = None;
    let (lr, ls_len) = (ls.routes[r].len(), ls.routes[s].len());
    for pu in 1..=lr {
        let u = ls.routes[r].visits[pu];
        let du = p.client(u).demand;
        for pv in 1..=ls_len {
            let v = ls.routes[s].visits[pv];
            let dv = p.client(v).demand;
            let swing = [dv[0] - du[0], dv[1] - du[1]];
            let pen_r = load_pen(r, swing);
            let pen_s = load_pen(s, [-swing[0], -swing[1]]);
            let quick = pen_r + pen_s + (ur * rem_r[pu - 1] + us * rem_s[pv - 1]) as f64;
            if quick > 0.0 {
                continue;
            }
            let (add_s, at_s) = insert_replacing(ls, &into_s[pu - 1], u, s, pv);
            let (add_r, at_r) = insert_replacing(ls, &into_r[pv - 1], v, r, pu);
            let cost = quick + (us * add_s + ur * add_r) as f64;
            if best.is_none_or(|b| cost < b.0) {
                best = Some((cost, pu, at_s, pv, at_r));
            }
        }
    }
    // Plain relocations of one client to its best place in the other route:
    // (cost, position in `from`, where it goes in `to`).
    let relocations = |from: usize, to: usize, rem: &[i64], into: &[Best3]| {
        let (unit_from, unit_to) = (unit(from), unit(to));
        (1..=ls.routes[from].len())
            .map(|k| {
                let d = p.client(ls.routes[from].visits[k]).demand;
                let cost = (unit_from * rem[k - 1] + unit_to * into[k - 1].cost[0]) as f64
                    + load_pen(from, [-d[0], -d[1]])
                    + load_pen(to, d);
                (cost, k, into[k - 1].after[0])
            })
            .collect::<Vec<_>>()
    };
    for (cost, pu, at_s) in relocations(r, s, &rem_r, &into_s) {
        if best.is_none_or(|b| cost < b.0) {
            best = Some((cost, pu, at_s, 0, 0));
        }
    }
    for (cost, pv, at_r) in relocations(s, r, &rem_s, &into_r) {
        if best.is_none_or(|b| cost < b.0) {
            best = Some((cost, 0, 0, pv, at_r));
        }
    }
    let Some((cost, pu, at_s, pv, at_r)) = best else {
        return false;
    };
    if cost > -EPSILON {
        return false;
    }
    let new_r = rebuild(
        &ls.routes[r].visits,
        pu,
        at_r,
        (pv > 0).then(|| ls.routes[s].visits[pv]),
    );
    let new_s = rebuild(
        &ls.routes[s].visits,
        pv,
        at_s,
        (pu > 0).then(|| ls.routes[r].visits[pu]),
    );
    let old = ls.routes[r].penalized + ls.routes[s].penalized;
    let new = route_cost(p, ls.routes[r].vt, &new_r).penalized(&pen)
        + route_cost(p, ls.routes[s].vt, &new_s).penalized(&pen);
    if new >= old - EPSILON {
        return false;
    }
    ls.replace(r, &new_r);
    ls.replace(s, &new_s);
    true
}

/// Clients of a route once the client at `remove` (0: none) leaves and
/// `insert` (if any) comes after position `after` of the old route.
fn rebuild(visits: &[usize], remove: usize, after: usize, insert: Option<usize>) -> Vec<usize> {
    let mut out = Vec::with_capacity(visits.len());
    if let (Some(c), 0) = (insert, after) {
        out.push(c);
    }
    for (k, &node) in visits.iter().enumerate().take(visits.len() - 1).skip(1) {
        if k != remove {
            out.push(node);
        }
        if let Some(c) = insert
            && k == after
        {
            out.push(c);
        }
    }
    out
}
