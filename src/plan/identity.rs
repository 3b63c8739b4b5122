//! The identity of a plan's visits: what a calendar event (its UID) and a
//! replan's "same visit" stand on. It belongs to the plan, so that
//! replanning and publishing share one definition without the plan stage
//! reaching into the exports.

use super::format::Plan;
use std::collections::HashMap;

/// The identity of each visit of the plan (by index): the one a replan
/// carried over (`event`), else the existing visit's id when it has one,
/// else record, locality, specialty and its ordinal among that record's
/// new visits there.
pub fn identities(plan: &Plan) -> Vec<String> {
    let mut order: Vec<usize> = (0..plan.visits.len()).collect();
    // Carried-over identities claim theirs first.
    order.sort_by_key(|&i| {
        let v = &plan.visits[i];
        (v.event.is_none(), v.start, v.id.clone())
    });
    let mut seen: HashMap<(String, String, String), u32> = HashMap::new();
    let mut used: HashMap<String, u32> = HashMap::new();
    let mut out = vec![String::new(); plan.visits.len()];
    for i in order {
        let v = &plan.visits[i];
        let mut id = match v.event.as_ref().or(v.existing.as_ref()) {
            Some(e) => e.clone(),
            None => {
                let k = seen
                    .entry((
                        v.specialist.clone(),
                        v.locality.clone(),
                        v.specialty.clone(),
                    ))
                    .or_insert(0);
                *k += 1;
                format!("{}.{}.{}.{}", v.specialist, v.locality, v.specialty, k)
            }
        };
        // An existing id is claimed once; a second claimant gets a suffix.
        let n = used.entry(id.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            id = format!("{id}.{n}");
        }
        out[i] = id;
    }
    out
}
