//! The deliveries a plan needs: one supply kit per visit of a specialty with
//! a kit (unless the specialist carries it), and each locality's routine
//! delivery every month of the horizon. Deliveries to one locality whose
//! windows overlap are unloaded at one stop.

use crate::model::{Logistics, Scenario};
use crate::plan::format::Visit;
use crate::plan::supply::Delivery;
use chrono::{Datelike, Days, NaiveDate};

/// First day of the month of `d`.
pub fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

/// Last day of the month starting on `m`.
pub fn month_end(m: NaiveDate) -> NaiveDate {
    m.checked_add_months(chrono::Months::new(1))
        .expect("date in range")
        - Days::new(1)
}

/// Every delivery, in visit order then routine by month, with status
/// `routed` (to be routed) or `carried`.
pub fn build(s: &Scenario, l: &Logistics, visits: &[&Visit]) -> Vec<Delivery> {
    let mut out = Vec::new();
    let depot_localities: Vec<&str> = l
        .depots
        .iter()
        .map(|d| s.localities[d.locality.index()].code.as_str())
        .collect();
    for v in visits {
        let Some(sp) = s.specialties.iter().position(|x| x.code == v.specialty) else {
            continue;
        };
        let Some(kit) = l.kits.iter().find(|k| k.specialty.index() == sp) else {
            continue;
        };
        let days = f64::from(v.days);
        let (kg, m3) = (kit.kg_per_day * days, kit.m3_per_day * days);
        let latest = v.start - Days::new(1);
        let earliest = v.start - Days::new(u64::from(l.lead_days));
        let base = s
            .specialists
            .iter()
            .find(|r| r.code == v.specialist)
            .map(|r| s.localities[r.base.index()].code.as_str());
        let carrier = l.kit_with_specialist.as_ref().filter(|c| {
            v.trip.is_some()
                && base.is_some_and(|b| depot_localities.contains(&b))
                && kg <= c.max_kg
                && m3 <= c.max_m3
                && (!kit.cold_chain || c.cold_chain)
        });
        out.push(Delivery {
            id: String::new(),
            kind: "visit_kit".to_string(),
            visit: Some(v.id.clone()),
            specialty: Some(v.specialty.clone()),
            locality: v.locality.clone(),
            facility: Some(v.facility.clone()),
            kg,
            m3,
            cold_chain: kit.cold_chain,
            earliest,
            latest,
            status: if carrier.is_some() {
                "carried"
            } else {
                "routed"
            }
            .to_string(),
            route: None,
            carried_by: carrier.map(|_| v.specialist.clone()),
            reason: None,
            detail: None,
        });
    }
    let (first, last) = (s.horizon.start, s.horizon.end());
    let mut month = month_of(first);
    while month <= last {
        for r in &l.routine {
            out.push(Delivery {
                id: String::new(),
                kind: "routine".to_string(),
                visit: None,
                specialty: None,
                locality: s.localities[r.locality.index()].code.clone(),
                facility: None,
                kg: r.kg,
                m3: r.m3,
                cold_chain: r.cold_chain,
                earliest: month.max(first),
                latest: month_end(month).min(last),
                status: "routed".to_string(),
                route: None,
                carried_by: None,
                reason: None,
                detail: None,
            });
        }
        month = month_end(month) + Days::new(1);
    }
    for (i, d) in out.iter_mut().enumerate() {
        d.id = format!("D{:04}", i + 1);
    }
    out
}

/// Groups deliveries (indices into `all`) to one stop: same locality and
/// cold chain, windows that overlap, and together no heavier than `max_kg`.
/// Each group's window is the intersection of its members'.
pub fn stops(all: &[Delivery], members: &[usize], max_kg: impl Fn(bool) -> f64) -> Vec<Vec<usize>> {
    let mut order = members.to_vec();
    order.sort_by(|&a, &b| {
        let (x, y) = (&all[a], &all[b]);
        (&x.locality, x.cold_chain, x.latest, x.earliest, a).cmp(&(
            &y.locality,
            y.cold_chain,
            y.latest,
            y.earliest,
            b,
        ))
    });
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut window = (NaiveDate::MIN, NaiveDate::MAX);
    let mut kg = 0.0;
    for i in order {
        let d = &all[i];
        let joins = groups.last().is_some_and(|g| {
            let head = &all[g[0]];
            head.locality == d.locality
                && head.cold_chain == d.cold_chain
                && window.0.max(d.earliest) <= window.1.min(d.latest)
                && kg + d.kg <= max_kg(d.cold_chain)
        });
        if joins {
            groups.last_mut().expect("a group").push(i);
            window = (window.0.max(d.earliest), window.1.min(d.latest));
            kg += d.kg;
        } else {
            groups.push(vec![i]);
            window = (d.earliest, d.latest);
            kg = d.kg;
        }
    }
    groups
}
