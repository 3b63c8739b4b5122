//! The independent checker: re-derives every hard rule from the scenario and
//! a plan file alone. It shares no code with the trip generator or the
//! solver (it has its own travel-day rule and reads only `plan.json`), so a
//! bug there cannot hide here. Metrics are recomputed from the file with the
//! waiting-list rule of the model and compared with what the file claims and
//! with the solver's objective.

mod rules;
mod supply;

use crate::lang::Text;
use crate::model::Scenario;
use crate::network::RoadNetwork;
use crate::plan::format::Plan;
use crate::tr;
use serde::Serialize;

/// One broken rule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Violation {
    /// Rule id, e.g. `person_double_booked`, `spacing`, `holiday`.
    pub rule: &'static str,
    /// Plan visit or trip ids involved.
    pub items: Vec<String>,
    /// What is wrong, in both languages.
    pub message: Text,
}

/// Check `plan` against `scenario`; an empty list means every rule holds.
pub fn check(s: &Scenario, net: &RoadNetwork, plan: &Plan) -> Vec<Violation> {
    let mut out = Vec::new();
    // A plan is checked against the scenario it was made for: the same
    // what-if overlays, in the same order.
    let planned: Vec<&str> = plan.what_if.iter().map(|w| w.name.as_str()).collect();
    let given: Vec<&str> = s.what_if.iter().map(|w| w.name.as_str()).collect();
    if planned != given {
        out.push(Violation {
            rule: "what_if_mismatch",
            items: Vec::new(),
            message: tr!(
                "el plan se hizo con los what-if [{}] pero se verifica con [{}]: pase los mismos archivos --what-if",
                "the plan was made under what-if [{}] but is checked under [{}]: pass the same --what-if files",
                planned.join(", "),
                given.join(", ")
            ),
        });
    }
    unique_ids(plan, &mut out);
    let ctx = rules::Ctx::new(s, net, plan, &mut out);
    ctx.visits(&mut out);
    ctx.trips(&mut out);
    ctx.persons(&mut out);
    ctx.monthly(&mut out);
    ctx.spacing(&mut out);
    ctx.rooms(&mut out);
    ctx.existing(&mut out);
    ctx.metrics(&mut out);
    ctx.budgets(&mut out);
    supply::check(s, net, plan, &mut out);
    out
}

/// Visit and trip ids name one thing each: calendars, diffs and replans
/// refer to them.
fn unique_ids(plan: &Plan, out: &mut Vec<Violation>) {
    let mut seen = std::collections::BTreeMap::new();
    for id in plan.visits.iter().map(|v| &v.id) {
        *seen.entry(("visit", id.as_str())).or_insert(0) += 1;
    }
    for id in plan.trips.iter().map(|t| &t.id) {
        *seen.entry(("trip", id.as_str())).or_insert(0) += 1;
    }
    for ((kind, id), n) in seen {
        if n > 1 {
            out.push(Violation {
                rule: "duplicate_id",
                items: vec![id.to_string()],
                message: tr!(
                    "{n} registros tienen el id {id}: cada id nombra uno solo",
                    "{n} {kind}s have the id {id}: each id names one {kind}"
                ),
            });
        }
    }
}
