//! Supply logistics: the deliveries a plan's visits and the localities'
//! routine need, routed month by month on the road network by the
//! [`crate::routing`] engine. Months are independent problems solved in
//! parallel; each has a fixed iteration budget and seed, so the same plan
//! always gets the same routes. A delivery that cannot be made is reported
//! with its reason, never dropped silently.

mod deliveries;
mod month;

use crate::model::Scenario;
use crate::network::RoadNetwork;
use crate::plan::format::Visit;
use crate::plan::supply::{Delivery, Supply, SupplyMetrics, SupplyRoute};
use chrono::{Days, NaiveDate};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

pub use deliveries::{month_end, month_of};

/// A month, its stop groups, and the groups with the carried kits added.
type Month = (NaiveDate, Vec<Vec<usize>>, Option<Vec<Vec<usize>>>);

/// Routes and deliveries for the visits of a plan; `None` when the
/// scenario has no `logistics` section.
pub fn plan_supply<'a>(
    s: &Scenario,
    net: &RoadNetwork,
    visits: impl IntoIterator<Item = &'a Visit>,
) -> Option<(Vec<SupplyRoute>, Supply)> {
    let l = s.logistics.as_ref()?;
    let visits: Vec<&Visit> = visits.into_iter().collect();
    let mut all = deliveries::build(s, l, &visits);
    let mut by_month: BTreeMap<NaiveDate, Vec<usize>> = BTreeMap::new();
    for (i, d) in all.iter().enumerate() {
        if d.status == "routed" {
            by_month.entry(month_of(d.earliest)).or_default().push(i);
        }
    }
    let largest = |cold: bool| -> f64 {
        l.vehicles
            .iter()
            .filter(|v| v.refrigerated || !cold)
            .map(|v| v.capacity_kg)
            .fold(0.0, f64::max)
            / 2.0
    };
    let carried_by_month: BTreeMap<NaiveDate, Vec<usize>> = all
        .iter()
        .enumerate()
        .filter(|(_, d)| d.status == "carried")
        .fold(BTreeMap::new(), |mut m, (i, d)| {
            m.entry(month_of(d.earliest))
                .or_insert_with(Vec::new)
                .push(i);
            m
        });
    let months: Vec<Month> = by_month
        .iter()
        .map(|(&m, members)| {
            let groups = deliveries::stops(&all, members, largest);
            // The same month with the carried kits on the trucks too.
            let without_carrying = carried_by_month.get(&m).map(|carried| {
                let mut both = members.clone();
                both.extend(carried);
                deliveries::stops(&all, &both, largest)
            });
            (m, groups, without_carrying)
        })
        .collect();
    let solved: Vec<(month::MonthPlan, Option<f64>)> = months
        .par_iter()
        .enumerate()
        .map(|(k, (m, groups, without))| {
            let travel = net.with_closed(closed_during(net, *m));
            let seed = k as u64 + 1;
            let plan = month::plan(s, l, &travel, *m, &all, groups, seed);
            let extra = without
                .as_ref()
                .map(|g| month::plan(s, l, &travel, *m, &all, g, seed).km - plan.km);
            (plan, extra)
        })
        .collect();
    let mut routes = Vec::new();
    let mut km_saved = 0.0;
    for ((_, groups, _), (plan, extra)) in months.iter().zip(solved) {
        km_saved += extra.unwrap_or(0.0);
        let offset = routes.len();
        for (g, outcome) in groups.iter().zip(&plan.outcome) {
            for &i in g {
                match outcome {
                    Ok(r) => all[i].route = Some(format!("R{:03}", offset + r + 1)),
                    Err((reason, detail)) => {
                        all[i].status = "undelivered".to_string();
                        all[i].reason = Some(reason.clone());
                        all[i].detail = Some(detail.clone());
                    }
                }
            }
        }
        for (r, mut route) in plan.routes.into_iter().enumerate() {
            route.id = format!("R{:03}", offset + r + 1);
            routes.push(route);
        }
    }
    let count = |status: &str| all.iter().filter(|d| d.status == status).count();
    let metrics = SupplyMetrics {
        deliveries: all.len(),
        routed: count("routed"),
        carried: count("carried"),
        undelivered: count("undelivered"),
        routes: routes.len(),
        vehicles_used: routes
            .iter()
            .map(|r| &r.vehicle)
            .collect::<BTreeSet<_>>()
            .len(),
        km: round2(routes.iter().map(|r| r.km).sum()),
        cost: round2(routes.iter().map(|r| r.cost).sum()),
        km_saved_by_carrying: round2(km_saved),
    };
    Some((
        routes,
        Supply {
            deliveries: all,
            metrics,
        },
    ))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Roads closed on any day of the month starting on `m`.
fn closed_during(net: &RoadNetwork, m: NaiveDate) -> Vec<u32> {
    let mut closed = BTreeSet::new();
    let mut d = m;
    while d <= month_end(m) {
        closed.extend(net.closed_on(d));
        d = d + Days::new(1);
    }
    closed.into_iter().collect()
}

/// Deliveries by id, for the checker and the exports.
pub fn by_id(supply: &Supply) -> BTreeMap<&str, &Delivery> {
    supply
        .deliveries
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect()
}
