//! Existing confirmed visits: keeping one (the same person at the same
//! locality in the same week, under either record) earns back its change
//! penalty; moving or dropping it pays `weights.change_confirmed`. With
//! `pin_confirmed` they must be kept (hard). Tentative visits are free.
//! Confirmed visits with the same person, specialty, locality and week (one
//! person booked twice by both institutions) share one planned visit, so at
//! most one of them can be kept.

use super::parts::{Group, Parts, Scope};
use super::vars::{Book, WeekVars};
use crate::model::{LocalityId, PersonId, Scenario, SpecialtyId, VisitId, VisitStatus};
use good_lp::{Expression, Variable};
use std::collections::BTreeMap;

/// Whether each confirmed visit is kept, by visit.
pub type Kept = Vec<(VisitId, Variable, usize)>;

pub fn add(
    s: &Scenario,
    weeks: &[WeekVars],
    scope: &Scope,
    pin: bool,
    book: &mut Book,
    p: &mut Parts,
) -> Kept {
    let mut out = Vec::new();
    let mut groups: BTreeMap<(PersonId, SpecialtyId, LocalityId, u32), Vec<Variable>> =
        BTreeMap::new();
    for (i, v) in s.calendar.iter().enumerate() {
        if v.status != VisitStatus::Confirmed {
            continue;
        }
        let Some(week) = s.horizon.week_of(v.start) else {
            continue;
        };
        let rec = s.specialist(v.specialist);
        if !scope.covers_record(s, v.specialist) {
            continue;
        }
        let (kept, col) = book.continuous(1.0);
        if pin {
            p.row(Group::Commitments, Expression::from(kept).geq(1.0));
        }
        p.constant += s.weights.change_confirmed;
        p.objective.add_mul(-s.weights.change_confirmed, kept);
        groups
            .entry((rec.person, rec.specialty, v.locality, week))
            .or_default()
            .push(kept);
        out.push((VisitId::from_index(i), kept, col));
    }
    for ((person, specialty, locality, week), kept) in groups {
        let mut made = Expression::default();
        for wv in weeks.iter().filter(|wv| wv.week == week) {
            let other = s.specialist(wv.record);
            if other.person == person && other.specialty == specialty {
                made += wv.visits(locality);
            }
        }
        let mut sum = Expression::default();
        for k in kept {
            sum.add_mul(1.0, k);
        }
        p.row(Group::Commitments, sum.leq(made));
    }
    out
}
