//! Travel budgets: `plan --budget km=N` and `--budget cost=N` cap the km
//! driven or the money spent on travel (km and nights, in the scenario's
//! currency) over the whole plan, as hard rows of the program.
//!
//! Why hard rows and not a weight: a ministry is given a travel budget and
//! asks what it buys; the trade-off frontier (`itinera frontier`) solves
//! the plan along such budgets.

use super::parts::{Group, Parts};
use super::vars::WeekVars;
use crate::lang::Text;
use crate::model::Scenario;
use crate::tr;
use crate::trips::Route;
use good_lp::Expression;
use serde::{Deserialize, Serialize};

/// What a budget caps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Kilometres driven.
    Km,
    /// Travel cost (km and nights).
    Cost,
}

/// A cap on the whole plan's travel.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// What it caps.
    pub kind: Kind,
    /// The most the plan may use.
    pub limit: f64,
}

impl Budget {
    /// Read `km=N` or `cost=N` (N ≥ 0; `_` allowed as a thousands mark).
    pub fn parse(text: &str) -> Result<Budget, Text> {
        let (kind, value) = text.split_once('=').unwrap_or((text, ""));
        let kind = match kind.trim() {
            "km" => Kind::Km,
            "cost" | "costo" => Kind::Cost,
            other => {
                return Err(tr!(
                    "presupuesto desconocido `{other}`: use km=N o cost=N",
                    "unknown budget `{other}`: use km=N or cost=N"
                ));
            }
        };
        let limit: f64 = value.trim().replace('_', "").parse().map_err(|_| {
            tr!(
                "`{value}` no es un número: escriba p. ej. km=500000",
                "`{value}` is not a number: write e.g. km=500000"
            )
        })?;
        if !(limit.is_finite() && limit >= 0.0) {
            return Err(tr!(
                "un presupuesto no puede ser negativo",
                "a budget cannot be negative"
            ));
        }
        Ok(Budget { kind, limit })
    }

    /// What a trip on `route` with `days` consultation days uses of it.
    pub fn of_trip(&self, s: &Scenario, route: &Route, days: u32) -> f64 {
        match self.kind {
            Kind::Km => km_of_trip(route, days),
            Kind::Cost => route.fixed_cost(s) + route.cost_per_day(s) * f64::from(days),
        }
    }

    /// `km` or `cost`, as written on the command line.
    pub fn code(&self) -> &'static str {
        match self.kind {
            Kind::Km => "km",
            Kind::Cost => "cost",
        }
    }
}

/// Km a trip on `route` with `days` consultation days drives: a commuter
/// drives the round trip every consultation day.
pub fn km_of_trip(route: &Route, days: u32) -> f64 {
    if route.commute {
        route.km * f64::from(days)
    } else {
        route.km
    }
}

/// The travel cost of a record's week: each route's fixed part on its
/// choice, and each consultation day at its route's price per day (a
/// night, or a commuting round trip). The objective's travel term.
pub fn travel_cost(s: &Scenario, wv: &WeekVars) -> Expression {
    let mut e = Expression::default();
    for rv in &wv.routes {
        e.add_mul(rv.route.fixed_cost(s), rv.z);
    }
    let per_day = |commute: bool, l| {
        wv.routes
            .iter()
            .find(|rv| rv.route.commute == commute && rv.route.stops.iter().any(|(x, _)| *x == l))
            .map_or(0.0, |rv| rv.route.cost_per_day(s))
    };
    for (l, (v, _)) in &wv.stay_days {
        e.add_mul(per_day(false, *l), *v);
    }
    for (l, (v, _)) in &wv.commute_days {
        e.add_mul(per_day(true, *l), *v);
    }
    e
}

/// The km a record's week drives: a staying route's round trip on its
/// choice, a commuting route's round trip on each of its days.
pub fn km_driven(wv: &WeekVars) -> Expression {
    let mut e = Expression::default();
    for rv in wv.routes.iter().filter(|rv| !rv.route.commute) {
        e.add_mul(rv.route.km, rv.z);
    }
    for (l, (v, _)) in &wv.commute_days {
        let km = wv
            .routes
            .iter()
            .find(|rv| rv.route.commute && rv.route.stops.iter().any(|(x, _)| x == l))
            .map_or(0.0, |rv| rv.route.km);
        e.add_mul(km, *v);
    }
    e
}

/// One row per budget over every week of the program.
pub fn add(s: &Scenario, budgets: &[Budget], weeks: &[WeekVars], p: &mut Parts) {
    for b in budgets {
        let mut e = Expression::default();
        for wv in weeks {
            match b.kind {
                Kind::Km => e += km_driven(wv),
                Kind::Cost => e += travel_cost(s, wv),
            }
        }
        p.row(Group::Budget, e.leq(b.limit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_are_read_and_bad_ones_refused() {
        assert_eq!(
            Budget::parse("km=500_000").unwrap(),
            Budget {
                kind: Kind::Km,
                limit: 500_000.0
            }
        );
        assert_eq!(Budget::parse("cost=1e9").unwrap().kind, Kind::Cost);
        assert!(Budget::parse("fuel=3").is_err());
        assert!(Budget::parse("km=-1").is_err());
        assert!(Budget::parse("km=lots").is_err());
    }

    #[test]
    fn a_commuter_drives_the_round_trip_every_day() {
        let mut route = Route {
            record: crate::model::SpecialistId::from_index(0),
            stops: Vec::new(),
            legs: Vec::new(),
            travel_days: 0,
            km: 60.0,
            commute: true,
        };
        assert_eq!(km_of_trip(&route, 3), 180.0);
        route.commute = false;
        assert_eq!(km_of_trip(&route, 3), 60.0);
    }
}
