//! Visit patterns of one waiting list: which weeks it is visited and with
//! how many consultation days, and what that costs over the horizon.
//!
//! A pattern carries everything that belongs to its list: the spacing rule
//! (visits at least `spacing` weeks apart), the coverage windows it leaves
//! empty (each costs `gap_penalty`), and the waiting list's own sawtooth —
//! referrals pile up between visits and a visit serves at most its days ×
//! patients a day — priced in weighted patient-weeks exactly as the
//! compact program's backlog rows do. The relaxation of the compact program
//! sees none of that sawtooth (fractional visits serve referrals as they
//! arrive), which is why its bound is weak.
//!
//! Pricing finds the pattern of least cost plus a price per consultation
//! day and week, by a labelling dynamic program over the weeks: a label is
//! (weeks since the last visit, backlog, cost so far), and one label
//! dominates another of the same weeks-since-visit when neither its cost
//! nor its backlog is higher (a smaller backlog never costs more later).
//! The result is exact.

/// What a list's patterns depend on.
#[derive(Clone, Debug)]
pub struct List {
    /// Patients waiting at the start.
    pub waiting: f64,
    /// New referrals each week, less what extraordinary care days serve
    /// that week without a visit (so possibly negative): the backlog
    /// recursion is the same.
    pub referrals: Vec<f64>,
    /// Cost of one patient waiting one week.
    pub weight: f64,
    /// Patients seen per consultation day.
    pub per_day: f64,
    /// Fewest and most consultation days of a visit.
    pub min_days: u32,
    /// See `min_days`.
    pub max_days: u32,
    /// Weeks between two visits, at least.
    pub spacing: u32,
    /// Length of a coverage window (a window without a visit is penalised);
    /// no window when longer than the horizon.
    pub max_gap: u32,
    /// Cost of a coverage window without a visit.
    pub gap_penalty: f64,
}

/// A pattern: consultation days per week (0 = no visit) and its cost.
#[derive(Clone, Debug, PartialEq)]
pub struct Pattern {
    /// Days per week.
    pub days: Vec<u32>,
    /// Weighted patient-weeks plus coverage penalties.
    pub cost: f64,
}

impl List {
    fn weeks(&self) -> usize {
        self.referrals.len()
    }

    /// The cost of visiting on `days` (0 = no visit), whatever the rules:
    /// the backlog recursion serving as many as the days allow, and the
    /// coverage windows left empty.
    pub fn cost(&self, days: &[u32]) -> f64 {
        let n = self.weeks();
        let mut b = self.waiting;
        let mut cost = 0.0;
        for (r, d) in self.referrals.iter().zip(days) {
            b = (b + r - self.per_day * f64::from(*d)).max(0.0);
            cost += self.weight * b;
        }
        let g = self.max_gap as usize;
        if g >= 1 && g <= n {
            for start in 0..=n - g {
                if days[start..start + g].iter().all(|d| *d == 0) {
                    cost += self.gap_penalty;
                }
            }
        }
        cost
    }

    /// Whether `days` keeps the list's rules: days of a visit within
    /// bounds, visits `spacing` weeks apart, only where `price` allows.
    pub fn allows(&self, days: &[u32], price: &[Option<f64>]) -> bool {
        let mut last: Option<usize> = None;
        for (w, d) in days.iter().enumerate() {
            if *d == 0 {
                continue;
            }
            if *d < self.min_days || *d > self.max_days || price[w].is_none() {
                return false;
            }
            if last.is_some_and(|v| w - v < self.spacing as usize) {
                return false;
            }
            last = Some(w);
        }
        true
    }

    /// The pattern of least `cost + Σ price[w] × days[w]`, visiting only in
    /// weeks with a price (`None`: nothing can supply a visit that week).
    /// Returns the pattern (its `cost` without the prices) and that least value.
    pub fn price(&self, price: &[Option<f64>]) -> (Pattern, f64) {
        self.price_within(price, &[])
            .expect("the no-visit pattern is always there")
    }

    /// As [`List::price`], among the patterns that visit in every week
    /// `required` marks (a branch of the search tree: weeks a branch
    /// forbids have no price); `None` when no pattern does.
    pub fn price_within(&self, price: &[Option<f64>], required: &[bool]) -> Option<(Pattern, f64)> {
        let n = self.weeks();
        let g = self.max_gap as usize;
        let windows = g >= 1 && g <= n;
        let spacing = self.spacing.max(1) as usize;
        // Weeks since the last visit, capped where the rules stop caring.
        let cap = spacing.max(if windows { g } else { 0 }).max(1);
        let mut arena: Vec<(u32, u32)> = Vec::new(); // (parent node, days)
        const ROOT: u32 = u32::MAX;
        let mut labels: Vec<Vec<Label>> = vec![Vec::new(); cap + 1];
        labels[cap].push(Label {
            cost: 0.0,
            backlog: self.waiting,
            node: ROOT,
        });
        for (w, (referrals, price)) in self.referrals.iter().zip(price).enumerate() {
            let mut next: Vec<Vec<Label>> = vec![Vec::new(); cap + 1];
            let penalty_at = |k: usize| {
                if windows && w + 1 >= g && k >= g {
                    self.gap_penalty
                } else {
                    0.0
                }
            };
            let must = required.get(w).copied().unwrap_or(false);
            for (k, list) in labels.iter().enumerate() {
                for l in list {
                    let k2 = (k + 1).min(cap);
                    // Referrals net of care days' capacity may be negative.
                    let b = (l.backlog + referrals).max(0.0);
                    if !must {
                        arena.push((l.node, 0));
                        next[k2].push(Label {
                            cost: l.cost + self.weight * b + penalty_at(k2),
                            backlog: b,
                            node: arena.len() as u32 - 1,
                        });
                    }
                    let Some(p) = *price else { continue };
                    if k + 1 < spacing {
                        continue;
                    }
                    for d in self.min_days.max(1)..=self.max_days {
                        let b = (l.backlog + referrals - self.per_day * f64::from(d)).max(0.0);
                        arena.push((l.node, d));
                        next[0].push(Label {
                            cost: l.cost + self.weight * b + p * f64::from(d),
                            backlog: b,
                            node: arena.len() as u32 - 1,
                        });
                    }
                }
            }
            for list in &mut next {
                prune(list);
            }
            labels = next;
        }
        let best = labels
            .iter()
            .flatten()
            .min_by(|a, b| a.cost.total_cmp(&b.cost))
            .copied()?;
        let mut days = vec![0; n];
        let mut node = best.node;
        for w in (0..n).rev() {
            let (parent, d) = arena[node as usize];
            days[w] = d;
            node = parent;
        }
        let cost = self.cost(&days);
        Some((Pattern { days, cost }, best.cost))
    }
}

#[derive(Clone, Copy, Debug)]
struct Label {
    cost: f64,
    backlog: f64,
    node: u32,
}

/// Keep the labels no other label dominates (neither costlier nor with a
/// larger backlog).
fn prune(list: &mut Vec<Label>) {
    list.sort_by(|a, b| {
        a.backlog
            .total_cmp(&b.backlog)
            .then(a.cost.total_cmp(&b.cost))
    });
    let mut best = f64::INFINITY;
    list.retain(|l| {
        if best.is_infinite() || l.cost < best - 1e-9 * best.abs().max(1.0) {
            best = l.cost;
            true
        } else {
            false
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(n: usize, seed: u64) -> List {
        let mut x = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |m: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % m
        };
        List {
            waiting: next(60) as f64,
            referrals: (0..n).map(|_| next(12) as f64 * 0.5).collect(),
            weight: 1.0 + next(3) as f64,
            per_day: 4.0 + next(10) as f64,
            min_days: 1 + next(2) as u32,
            max_days: 2 + next(3) as u32,
            spacing: 1 + next(3) as u32,
            max_gap: 2 + next(4) as u32,
            gap_penalty: next(200) as f64,
        }
    }

    /// Every pattern of a small horizon, by brute force.
    fn all_patterns(l: &List, n: usize) -> Vec<Vec<u32>> {
        let choices: Vec<u32> = std::iter::once(0).chain(l.min_days..=l.max_days).collect();
        let mut out = vec![Vec::new()];
        for _ in 0..n {
            out = out
                .into_iter()
                .flat_map(|p| {
                    choices.iter().map(move |d| {
                        let mut q = p.clone();
                        q.push(*d);
                        q
                    })
                })
                .collect();
        }
        out
    }

    /// A pattern's cost plus its days at `price` (what pricing minimises).
    fn priced(l: &List, days: &[u32], price: &[Option<f64>]) -> f64 {
        l.cost(days)
            + days
                .iter()
                .zip(price)
                .map(|(d, pr)| f64::from(*d) * pr.unwrap_or(0.0))
                .sum::<f64>()
    }

    #[test]
    fn pricing_finds_the_least_pattern_that_brute_force_finds() {
        for seed in 0..60 {
            let n = 4 + (seed as usize % 4);
            let l = list(n, seed);
            let price: Vec<Option<f64>> = (0..n)
                .map(|w| {
                    (!(w as u64 + seed).is_multiple_of(5))
                        .then(|| ((w as u64 * 7 + seed) % 13) as f64)
                })
                .collect();
            let value = |p: &[u32]| priced(&l, p, &price);
            let brute = all_patterns(&l, n)
                .into_iter()
                .filter(|p| l.allows(p, &price))
                .map(|p| value(&p))
                .fold(f64::INFINITY, f64::min);
            let (pattern, best) = l.price(&price);
            assert!(
                (best - brute).abs() < 1e-6,
                "seed {seed}: {best} vs {brute}"
            );
            assert!(l.allows(&pattern.days, &price), "seed {seed}: {pattern:?}");
            assert!((value(&pattern.days) - best).abs() < 1e-6, "seed {seed}");
            assert!((pattern.cost - l.cost(&pattern.days)).abs() < 1e-9);
        }
    }

    /// Branches require visits in some weeks and forbid them in others (no
    /// price): pricing within them finds what brute force finds among the
    /// patterns that keep them, and nothing when none does.
    #[test]
    fn pricing_within_a_branch_keeps_its_required_weeks() {
        let mut empty = 0;
        for seed in 0..80 {
            let n = 4 + (seed as usize % 4);
            let l = list(n, seed + 1000);
            let price: Vec<Option<f64>> = (0..n)
                .map(|w| (!(w as u64 + seed).is_multiple_of(4)).then_some(-((w * 3) as f64)))
                .collect();
            let required: Vec<bool> = (0..n)
                .map(|w| (w as u64 * 5 + seed).is_multiple_of(3 + seed % 3))
                .collect();
            let value = |p: &[u32]| priced(&l, p, &price);
            let keeps = |p: &[u32]| p.iter().zip(&required).all(|(d, r)| !*r || *d > 0);
            let brute = all_patterns(&l, n)
                .into_iter()
                .filter(|p| l.allows(p, &price) && keeps(p))
                .map(|p| value(&p))
                .fold(f64::INFINITY, f64::min);
            match l.price_within(&price, &required) {
                None => {
                    assert!(
                        brute.is_infinite(),
                        "seed {seed}: brute force found {brute}"
                    );
                    empty += 1;
                }
                Some((pattern, best)) => {
                    assert!(
                        (best - brute).abs() < 1e-6,
                        "seed {seed}: {best} vs {brute}"
                    );
                    assert!(keeps(&pattern.days) && l.allows(&pattern.days, &price));
                }
            }
        }
        assert!(
            empty > 0 && empty < 80,
            "{empty} branches without a pattern"
        );
    }
}
