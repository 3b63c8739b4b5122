//! Supply logistics: the deliveries a plan's visits and the localities'
//! routine need, routed month by month on the road network by the
//! [`crate::routing`] engine. Months are independent problems solved in
//! parallel; each has a fixed iteration budget and seed, so the same plan
//! always gets the same routes. A delivery that cannot be made is reported
//! with its reason, never dropped silently.

mod carried;
mod deliveries;
mod feasibility;
mod month;

use crate::model::Scenario;
use crate::network::RoadNetwork;
use crate::plan::format::Visit;
use crate::plan::supply::{Delivery, Supply, SupplyMetrics, SupplyRoute};
use chrono::NaiveDate;
use month::Start;
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
    // Per month: the deliveries to route and the kits carried.
    let mut by_month: BTreeMap<NaiveDate, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
    for (i, d) in all.iter().enumerate() {
        let month = by_month.entry(month_of(d.earliest)).or_default();
        match d.status.as_str() {
            "routed" => month.0.push(i),
            "carried" => month.1.push(i),
            _ => {}
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
    let months: Vec<Month> = by_month
        .iter()
        .map(|(&m, (routed, carried))| {
            // The same month with the carried kits on the trucks too.
            let both = (!carried.is_empty()).then(|| {
                let mut both = routed.clone();
                both.extend(carried);
                deliveries::stops(&all, &both, largest)
            });
            (m, deliveries::stops(&all, routed, largest), both)
        })
        .collect();
    let solved: Vec<(month::MonthPlan, f64)> = months
        .par_iter()
        .enumerate()
        .map(|(k, (m, groups, both))| {
            let travel = net.with_closed(closed_during(net, *m));
            let seed = k as u64 + 1;
            let plan = month::plan(s, l, &travel, *m, &all, groups, (seed, Start::Fresh));
            let extra = both.as_ref().map_or(0.0, |both| {
                let start = Start::From(&plan.made);
                let with = month::plan(s, l, &travel, *m, &all, both, (seed, start));
                (with.km - plan.km).max(0.0)
            });
            (plan, extra)
        })
        .collect();
    let mut routes = Vec::new();
    let mut km_saved = 0.0;
    for ((_, groups, _), (plan, extra)) in months.iter().zip(solved) {
        km_saved += extra;
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

/// Roads closed on any day of the month starting on `m`: a month is one
/// routing problem, on one road state.
pub fn closed_during(net: &RoadNetwork, m: NaiveDate) -> Vec<u32> {
    net.closed_between(m, month_end(m))
}

/// Deliveries by id, for the checker and the exports.
pub fn by_id(supply: &Supply) -> BTreeMap<&str, &Delivery> {
    supply
        .deliveries
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect()
}
