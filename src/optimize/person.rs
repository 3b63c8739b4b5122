//! A person makes at most one trip a week, whichever records (institutions)
//! are used; each record keeps its monthly trip and days-away limits.

use super::context::Context;
use super::parts::{Group, Parts};
use super::vars::WeekVars;
use crate::model::{PersonId, SpecialistId};
use good_lp::Expression;
use std::collections::BTreeMap;

pub fn add(ctx: &Context<'_>, weeks: &[WeekVars], p: &mut Parts) {
    let s = ctx.scenario;
    let mut per_person: BTreeMap<(PersonId, u32), Expression> = BTreeMap::new();
    let mut trips: BTreeMap<(SpecialistId, (i32, u32)), Expression> = BTreeMap::new();
    let mut days: BTreeMap<(SpecialistId, (i32, u32)), Expression> = BTreeMap::new();
    for wv in weeks {
        let person = s.specialist(wv.record).person;
        *per_person.entry((person, wv.week)).or_default() += wv.trips();
        for m in ctx.months(wv.week) {
            *trips.entry((wv.record, m)).or_default() += wv.trips();
            *days.entry((wv.record, m)).or_default() += wv.away_days();
        }
    }
    for (_, e) in per_person {
        p.row(Group::Person, e.leq(1.0));
    }
    for ((r, _), e) in trips {
        p.row(
            Group::Person,
            e.leq(f64::from(s.specialist(r).max_trips_per_month)),
        );
    }
    for ((r, _), e) in days {
        p.row(
            Group::Person,
            e.leq(f64::from(s.specialist(r).max_days_away_per_month)),
        );
    }
}
