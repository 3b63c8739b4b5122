//! Consulting rooms: the consultation days booked at a facility in a week fit
//! its rooms on the week's free working days. Days are then laid out so that
//! no day exceeds the rooms (see `crate::plan::schedule`).

use super::context::Context;
use super::parts::{Group, Parts, Scope};
use super::vars::WeekVars;
use crate::model::FacilityId;
use good_lp::Expression;
use std::collections::BTreeMap;

pub fn add(ctx: &Context<'_>, weeks: &[WeekVars], scope: &Scope, p: &mut Parts) {
    let s = ctx.scenario;
    let mut load: BTreeMap<(FacilityId, u32), Expression> = BTreeMap::new();
    for wv in weeks {
        // A record uses one facility per locality, so its days at l are its days at f.
        let mut pairs: Vec<(FacilityId, crate::model::LocalityId)> = wv
            .routes
            .iter()
            .flat_map(|rv| rv.route.stops.iter().map(|(l, f)| (*f, *l)))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        for (f, l) in pairs {
            *load.entry((f, wv.week)).or_default() += wv.days_at(l);
        }
    }
    for ((f, w), e) in load {
        let full = s.facility(f).room_days(&ctx.free_dates[w as usize]);
        // The bound counts every room; the plans of separately solved
        // components fit together when each keeps to its share.
        if let Some(share) = scope.room_quota.get(&(f, w)).filter(|q| **q < full) {
            p.shares.push((p.rows.len(), *share));
        }
        p.row(Group::Rooms, e.leq(full));
    }
}
