//! Trip shape: consultation days at a locality only on a route stopping
//! there, within the specialty's days per visit, and the whole trip (travel
//! and consultation days) within the person's longest free run of the week.
//! Also prices the trips.

use super::parts::{Group, Parts};
use super::vars::WeekVars;
use crate::model::Scenario;
use good_lp::Expression;

pub fn add(s: &Scenario, weeks: &[WeekVars], p: &mut Parts) {
    for wv in weeks {
        let sp = s.specialty(s.specialist(wv.record).specialty);
        let (lo, hi) = (f64::from(sp.min_days), f64::from(sp.max_days));
        for (l, (visit, _)) in &wv.visit {
            p.row(
                Group::TripShape,
                Expression::from(*visit).eq(wv.routes_at(*l)),
            );
            // A commuting route stops at one locality only: at most one per l.
            let commuting = wv
                .routes
                .iter()
                .find(|rv| rv.route.commute && rv.route.stops[0].0 == *l)
                .map(|rv| rv.z);
            let mut on_stay = Expression::from(*visit);
            if let Some(z) = commuting {
                on_stay.add_mul(-1.0, z);
            }
            for (days, on) in [
                (wv.stay_days.get(l), on_stay),
                (
                    wv.commute_days.get(l),
                    commuting.map_or_else(Expression::default, Expression::from),
                ),
            ] {
                if let Some((d, _)) = days {
                    p.row(Group::TripShape, (lo * on.clone()).leq(*d));
                    p.row(Group::TripShape, Expression::from(*d).leq(hi * on));
                }
            }
        }
        p.row(Group::TripShape, wv.away_days().leq(f64::from(wv.budget)));
        p.objective += super::budget::travel_cost(s, wv);
    }
}
