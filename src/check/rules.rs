//! The rules `itinera check` verifies, one method each.

use super::Violation;
use crate::lang::Text;
use crate::model::*;
use crate::network::RoadNetwork;
use crate::plan::format::{Origin, Plan, TripRecord, Visit};
use crate::plan::metrics;
use crate::tr;
use chrono::{Datelike, Days, NaiveDate};
use std::collections::{BTreeMap, HashMap};

/// Trips, days away and trip ids of a record in a month.
#[derive(Default)]
struct MonthUse {
    trips: u32,
    days: u32,
    ids: Vec<String>,
}

pub struct Ctx<'a> {
    s: &'a Scenario,
    net: &'a RoadNetwork,
    plan: &'a Plan,
    /// Visits actually made (not dropped), with their resolved record.
    made: Vec<(&'a Visit, SpecialistId)>,
    trips: HashMap<&'a str, &'a TripRecord>,
}

fn v(rule: &'static str, items: Vec<String>, message: Text) -> Violation {
    Violation {
        rule,
        items,
        message,
    }
}

impl<'a> Ctx<'a> {
    pub fn new(
        s: &'a Scenario,
        net: &'a RoadNetwork,
        plan: &'a Plan,
        out: &mut Vec<Violation>,
    ) -> Self {
        let records: HashMap<&str, usize> = s
            .specialists
            .iter()
            .enumerate()
            .map(|(i, r)| (r.code.as_str(), i))
            .collect();
        let mut made = Vec::new();
        for visit in plan.made_visits() {
            match records.get(visit.specialist.as_str()) {
                Some(&r) => made.push((visit, SpecialistId::from_index(r))),
                None => out.push(v(
                    "unknown_reference",
                    vec![visit.id.clone()],
                    tr!(
                        "no existe el legajo de especialista `{}`",
                        "unknown specialist record `{}`",
                        visit.specialist
                    ),
                )),
            }
        }
        let trips = plan.trips.iter().map(|t| (t.id.as_str(), t)).collect();
        Ctx {
            s,
            net,
            plan,
            made,
            trips,
        }
    }

    fn free(&self, rec: &Specialist, d: NaiveDate) -> bool {
        let p = self.s.person(rec.person);
        !p.records
            .iter()
            .any(|r| self.s.specialist(*r).is_unavailable_on(d))
    }

    /// Each visit: consistent ids, a facility that hosts it, plausible dates.
    pub fn visits(&self, out: &mut Vec<Violation>) {
        let s = self.s;
        for (visit, rid) in &self.made {
            let rec = s.specialist(*rid);
            let sp = s.specialty(rec.specialty);
            let id = vec![visit.id.clone()];
            if visit.person != s.person(rec.person).code
                || visit.institution != s.institution(rec.institution).code
                || visit.specialty != sp.code
            {
                out.push(v(
                    "record_mismatch",
                    id.clone(),
                    tr!(
                        "{}: persona/institución/especialidad difieren del legajo {}",
                        "{}: person/institution/specialty differ from record {}",
                        visit.id,
                        rec.code
                    ),
                ));
            }
            match s.facilities.iter().find(|f| f.code == visit.facility) {
                Some(f) if s.locality(f.locality).code != visit.locality => out.push(v(
                    "facility",
                    id.clone(),
                    tr!(
                        "el establecimiento {} no está en {}",
                        "facility {} is not in {}",
                        f.code,
                        visit.locality
                    ),
                )),
                Some(f) if !f.hosts(rec.specialty) => out.push(v(
                    "facility",
                    id.clone(),
                    tr!(
                        "el establecimiento {} no puede recibir {}",
                        "facility {} cannot host {}",
                        f.code,
                        sp.code
                    ),
                )),
                Some(_) => {}
                None => out.push(v(
                    "unknown_reference",
                    id.clone(),
                    tr!(
                        "no existe el establecimiento `{}`",
                        "unknown facility `{}`",
                        visit.facility
                    ),
                )),
            }
            if let Some(l) = s.localities.iter().position(|l| l.code == visit.locality)
                && !s.serves(*rid, LocalityId::from_index(l))
            {
                out.push(v(
                    "region",
                    id.clone(),
                    tr!(
                        "{}: {} tiene base en la región `{}`, {} está en la región `{}`",
                        "{}: {} is based in region `{}`, {} is in region `{}`",
                        visit.id,
                        rec.code,
                        s.locality(rec.base).region,
                        visit.locality,
                        s.localities[l].region
                    ),
                ));
            }
            let n = visit.dates.len() as u32;
            if n != visit.days
                || n < sp.min_days
                || n > sp.max_days
                || visit.dates.first() != Some(&visit.start)
            {
                out.push(v(
                    "visit_days",
                    id.clone(),
                    tr!(
                        "{}: {} día(s) de consulta listados, {} declarados, {} admite {}..{}",
                        "{}: {} consultation day(s) listed, {} declared, {} allows {}..{}",
                        visit.id,
                        n,
                        visit.days,
                        sp.code,
                        sp.min_days,
                        sp.max_days
                    ),
                ));
            }
            if visit.capacity != visit.days * sp.patients_per_day {
                out.push(v(
                    "capacity",
                    id.clone(),
                    tr!(
                        "{}: la capacidad {} no es días × {} pacientes",
                        "{}: capacity {} is not days × {} patients",
                        visit.id,
                        visit.capacity,
                        sp.patients_per_day
                    ),
                ));
            }
            for d in &visit.dates {
                if !s.horizon.contains(*d) {
                    out.push(v(
                        "outside_horizon",
                        id.clone(),
                        tr!(
                            "{}: {d} está fuera del horizonte",
                            "{}: {d} is outside the horizon",
                            visit.id
                        ),
                    ));
                } else if !s.horizon.is_working_weekday(*d) {
                    out.push(v(
                        "non_working_day",
                        id.clone(),
                        tr!(
                            "{}: {d} no es día hábil",
                            "{}: {d} is not a working day",
                            visit.id
                        ),
                    ));
                } else if s.horizon.is_holiday(*d) {
                    out.push(v(
                        "holiday",
                        id.clone(),
                        tr!(
                            "{}: consulta en el feriado {d}",
                            "{}: consultation on the holiday {d}",
                            visit.id
                        ),
                    ));
                }
                if !self.free(rec, *d) {
                    out.push(v(
                        "unavailable",
                        id.clone(),
                        tr!(
                            "{}: {} no está disponible el {d}",
                            "{}: {} is unavailable on {d}",
                            visit.id,
                            s.person(rec.person).name
                        ),
                    ));
                }
            }
            match visit.trip.as_deref().and_then(|t| self.trips.get(t)) {
                Some(t) if t.specialist != visit.specialist => out.push(v(
                    "trip",
                    id.clone(),
                    tr!(
                        "{} pertenece al viaje {} de otro legajo",
                        "{} belongs to trip {} of another record",
                        visit.id,
                        t.id
                    ),
                )),
                Some(t)
                    if visit
                        .dates
                        .iter()
                        .any(|d| *d < t.depart || *d > t.return_date) =>
                {
                    out.push(v(
                        "trip",
                        id.clone(),
                        tr!(
                            "{} cae fuera del viaje {} ({}..{})",
                            "{} falls outside trip {} ({}..{})",
                            visit.id,
                            t.id,
                            t.depart,
                            t.return_date
                        ),
                    ))
                }
                Some(_) => {}
                None => out.push(v(
                    "trip",
                    id.clone(),
                    tr!("{} no tiene viaje", "{} has no trip", visit.id),
                )),
            }
        }
    }

    /// Days of travel a leg needs: none if short enough to drive on a
    /// consultation day, else whole days at the daily driving limit.
    fn travel_days(&self, hours: f64) -> u32 {
        let t = &self.s.travel;
        if hours <= t.same_day_drive_hours {
            0
        } else {
            (hours / t.max_driving_hours_per_day).ceil() as u32
        }
    }

    /// Each trip: one week, its stops are its visits, roads open, enough days to drive.
    pub fn trips(&self, out: &mut Vec<Violation>) {
        let s = self.s;
        let loc: HashMap<&str, LocalityId> = s
            .localities
            .iter()
            .enumerate()
            .map(|(i, l)| (l.code.as_str(), LocalityId::from_index(i)))
            .collect();
        for t in &self.plan.trips {
            let id = vec![t.id.clone()];
            let Some(rec) = s.specialists.iter().find(|r| r.code == t.specialist) else {
                out.push(v(
                    "unknown_reference",
                    id,
                    tr!(
                        "no existe el legajo de especialista `{}`",
                        "unknown specialist record `{}`",
                        t.specialist
                    ),
                ));
                continue;
            };
            if s.horizon.week_of(t.depart) != Some(t.week)
                || s.horizon.week_of(t.return_date) != Some(t.week)
            {
                out.push(v(
                    "trip_week",
                    id.clone(),
                    tr!(
                        "{} ({}..{}) no está dentro de su semana {}",
                        "{} ({}..{}) is not within its week {}",
                        t.id,
                        t.depart,
                        t.return_date,
                        t.week
                    ),
                ));
            }
            let mut visits: Vec<&Visit> = self
                .made
                .iter()
                .map(|(x, _)| *x)
                .filter(|x| x.trip.as_deref() == Some(t.id.as_str()))
                .collect();
            visits.sort_by_key(|x| x.start);
            let stops: Vec<&str> = visits.iter().map(|x| x.locality.as_str()).collect();
            if stops != t.stops.iter().map(String::as_str).collect::<Vec<_>>() {
                out.push(v(
                    "trip_stops",
                    id.clone(),
                    tr!(
                        "{} lista las paradas {:?} pero sus visitas son en {:?}",
                        "{} lists stops {:?} but its visits are at {:?}",
                        t.id,
                        t.stops,
                        stops
                    ),
                ));
                continue;
            }
            let away: Vec<NaiveDate> = (0..=(t.return_date - t.depart).num_days().max(0))
                .map(|k| t.depart + Days::new(k as u64))
                .filter(|d| s.horizon.is_working_weekday(*d))
                .collect();
            if away
                .iter()
                .any(|d| s.horizon.is_holiday(*d) || !self.free(rec, *d))
            {
                out.push(v(
                    "trip_days",
                    id.clone(),
                    tr!(
                        "{} está de viaje en un feriado o durante una licencia",
                        "{} is away on a holiday or during leave",
                        t.id
                    ),
                ));
            }
            // Legs on the road network of the trip's days.
            let mut at = rec.base;
            let mut needed = visits.iter().map(|x| x.dates.len() as u32).sum::<u32>();
            let path: Vec<LocalityId> = t
                .stops
                .iter()
                .filter_map(|c| loc.get(c.as_str()).copied())
                .chain([rec.base])
                .collect();
            for next in path {
                let mut hours = None;
                for d in &away {
                    match self.net.on(*d).hours(at, next) {
                        Some(h) => hours = Some(hours.map_or(h, |x: f64| x.max(h))),
                        None => {
                            out.push(v(
                                "road_closed",
                                id.clone(),
                                tr!(
                                    "{}: de {} a {} no se puede manejar el {d}",
                                    "{}: {} to {} cannot be driven on {d}",
                                    t.id,
                                    s.locality(at).code,
                                    s.locality(next).code
                                ),
                            ));
                            hours = None;
                            break;
                        }
                    }
                }
                needed += hours.map_or(0, |h| self.travel_days(h));
                at = next;
            }
            if (away.len() as u32) < needed {
                out.push(v(
                    "travel_time",
                    id.clone(),
                    tr!(
                        "{} necesita {needed} días (consultas y manejo) pero dura {}",
                        "{} needs {needed} days (consulting and driving) but lasts {}",
                        t.id,
                        away.len()
                    ),
                ));
            }
        }
    }

    /// One trip a week per person, and nobody in two places on a day.
    pub fn persons(&self, out: &mut Vec<Violation>) {
        let s = self.s;
        let person_of = |code: &str| {
            s.specialists
                .iter()
                .find(|r| r.code == code)
                .map(|r| r.person)
        };
        let mut weekly: BTreeMap<(PersonId, u32), Vec<String>> = BTreeMap::new();
        for t in &self.plan.trips {
            if let Some(p) = person_of(&t.specialist) {
                weekly.entry((p, t.week)).or_default().push(t.id.clone());
            }
        }
        for ((p, w), ids) in weekly {
            if ids.len() > 1 {
                out.push(v(
                    "person_one_trip_a_week",
                    ids,
                    tr!(
                        "{} hace varios viajes en la semana {w}",
                        "{} makes several trips in week {w}",
                        s.person(p).name
                    ),
                ));
            }
        }
        let mut daily: BTreeMap<(PersonId, NaiveDate), Vec<String>> = BTreeMap::new();
        for (visit, rid) in &self.made {
            for d in &visit.dates {
                daily
                    .entry((s.specialist(*rid).person, *d))
                    .or_default()
                    .push(visit.id.clone());
            }
        }
        for ((p, d), ids) in daily {
            if ids.len() > 1 {
                out.push(v(
                    "person_double_booked",
                    ids,
                    tr!(
                        "{} tiene doble reserva el {d}",
                        "{} is booked twice on {d}",
                        s.person(p).name
                    ),
                ));
            }
        }
    }

    /// Monthly trip and days-away limits per record, by month of departure.
    pub fn monthly(&self, out: &mut Vec<Violation>) {
        let s = self.s;
        let mut months: BTreeMap<(String, i32, u32), MonthUse> = BTreeMap::new();
        for t in &self.plan.trips {
            let days = (0..=(t.return_date - t.depart).num_days().max(0))
                .map(|k| t.depart + Days::new(k as u64))
                .filter(|d| s.horizon.is_working_weekday(*d))
                .count() as u32;
            let e = months
                .entry((t.specialist.clone(), t.depart.year(), t.depart.month()))
                .or_default();
            e.trips += 1;
            e.days += days;
            e.ids.push(t.id.clone());
        }
        for ((code, y, m), MonthUse { trips, days, ids }) in months {
            let Some(r) = s.specialists.iter().find(|r| r.code == code) else {
                continue;
            };
            if trips > r.max_trips_per_month {
                out.push(v(
                    "monthly_trips",
                    ids.clone(),
                    tr!(
                        "{code}: {trips} viajes en {y}-{m:02}, límite {}",
                        "{code}: {trips} trips in {y}-{m:02}, limit {}",
                        r.max_trips_per_month
                    ),
                ));
            }
            if days > r.max_days_away_per_month {
                out.push(v(
                    "monthly_days",
                    ids,
                    tr!(
                        "{code}: {days} días fuera en {y}-{m:02}, límite {}",
                        "{code}: {days} days away in {y}-{m:02}, limit {}",
                        r.max_days_away_per_month
                    ),
                ));
            }
        }
    }

    /// No specialty twice at a locality within its minimum spacing.
    pub fn spacing(&self, out: &mut Vec<Violation>) {
        let s = self.s;
        let mut groups: BTreeMap<(&str, &str), Vec<&Visit>> = BTreeMap::new();
        for (visit, _) in &self.made {
            groups
                .entry((visit.locality.as_str(), visit.specialty.as_str()))
                .or_default()
                .push(visit);
        }
        for ((l, sp), vs) in groups {
            let Some(spec) = s.specialties.iter().find(|x| x.code == sp) else {
                continue;
            };
            for (i, a) in vs.iter().enumerate() {
                for b in &vs[i + 1..] {
                    let (wa, wb) = (s.horizon.week_of(a.start), s.horizon.week_of(b.start));
                    if let (Some(wa), Some(wb)) = (wa, wb)
                        && wa.abs_diff(wb) < spec.min_spacing_weeks
                    {
                        out.push(v(
                            "spacing",
                            vec![a.id.clone(), b.id.clone()],
                            tr!(
                                "{sp} en {l} en las semanas {wa} y {wb}, separación mínima {}",
                                "{sp} at {l} in weeks {wa} and {wb}, minimum spacing {}",
                                spec.min_spacing_weeks
                            ),
                        ));
                    }
                }
            }
        }
    }

    /// Consulting rooms per facility and day.
    pub fn rooms(&self, out: &mut Vec<Violation>) {
        let mut used: BTreeMap<(&str, NaiveDate), Vec<String>> = BTreeMap::new();
        for (visit, _) in &self.made {
            for d in &visit.dates {
                used.entry((visit.facility.as_str(), *d))
                    .or_default()
                    .push(visit.id.clone());
            }
        }
        for ((f, d), ids) in used {
            if let Some(fac) = self.s.facilities.iter().find(|x| x.code == f)
                && ids.len() as u32 > fac.rooms_on(d)
            {
                out.push(v(
                    "rooms",
                    ids.clone(),
                    tr!(
                        "{} visitas en {f} el {d}, {} consultorio(s)",
                        "{} visits at {f} on {d}, {} room(s)",
                        ids.len(),
                        fac.rooms_on(d)
                    ),
                ));
            }
        }
    }

    /// Every existing visit is accounted for once (kept, moved or dropped).
    pub fn existing(&self, out: &mut Vec<Violation>) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for visit in &self.plan.visits {
            if let Some(e) = &visit.existing {
                *seen.entry(e.as_str()).or_default() += 1;
            }
        }
        for e in &self.s.calendar {
            match seen.get(e.code.as_str()) {
                Some(1) => {}
                n => out.push(v(
                    "existing_visit",
                    vec![e.code.clone()],
                    tr!(
                        "la visita existente {} figura {} veces",
                        "existing visit {} is accounted for {} times",
                        e.code,
                        n.copied().unwrap_or(0)
                    ),
                )),
            }
        }
        let pinned = self.plan.solver.options.pin_confirmed == Some(true);
        if pinned {
            for visit in &self.plan.visits {
                let confirmed = visit
                    .existing
                    .as_ref()
                    .and_then(|e| self.s.calendar.iter().find(|c| &c.code == e))
                    .is_some_and(|c| c.status == VisitStatus::Confirmed);
                if confirmed && visit.origin != Origin::Kept {
                    out.push(v(
                        "pinned_visit",
                        vec![visit.id.clone()],
                        tr!(
                            "la visita confirmada {} estaba fija pero no se mantuvo",
                            "confirmed visit {} was pinned but not kept",
                            visit.id
                        ),
                    ));
                }
            }
        }
    }

    /// Metrics as claimed, and the objective as the solver reported.
    /// The travel budgets the plan was made under (`solver.options.budgets`)
    /// hold for its trips, recomputed from the trips themselves.
    pub fn budgets(&self, out: &mut Vec<Violation>) {
        let m = metrics::compute(self.s, &self.plan.visits, &self.plan.trips);
        for b in &self.plan.solver.options.budgets {
            let used = match b.kind {
                crate::optimize::budget::Kind::Km => m.km,
                crate::optimize::budget::Kind::Cost => m.travel_cost,
            };
            if used > b.limit * (1.0 + 1e-9) + 1e-6 {
                let (what, limit) = (b.code(), b.limit);
                out.push(v(
                    "budget",
                    vec![],
                    tr!(
                        "el plan usa {used:.0} de {what} y su presupuesto es {limit:.0}",
                        "the plan uses {used:.0} {what} and its budget is {limit:.0}"
                    ),
                ));
            }
        }
    }

    pub fn metrics(&self, out: &mut Vec<Violation>) {
        let m = metrics::compute(self.s, &self.plan.visits, &self.plan.trips);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0);
        let claimed = &self.plan.metrics;
        let pairs = [
            (
                "patient_weeks_waiting",
                m.patient_weeks_waiting,
                claimed.patient_weeks_waiting,
            ),
            (
                "patients_served",
                m.patients_served,
                claimed.patients_served,
            ),
            ("unmet_at_end", m.unmet_at_end, claimed.unmet_at_end),
            ("km", m.km, claimed.km),
            ("travel_cost", m.travel_cost, claimed.travel_cost),
            ("objective", m.objective, claimed.objective),
        ];
        for (name, got, said) in pairs {
            if !close(got, said) {
                out.push(v(
                    "metrics",
                    vec![],
                    tr!(
                        "{name}: el plan declara {said} pero sus visitas dan {got}",
                        "{name}: the plan claims {said} but its visits give {got}"
                    ),
                ));
            }
        }
        if m.duplicate_visits != claimed.duplicate_visits || m.visits != claimed.visits {
            out.push(v(
                "metrics",
                vec![],
                tr!(
                    "los conteos de visitas o duplicados difieren de lo que declara el plan",
                    "visit or duplicate counts differ from the plan's claims"
                ),
            ));
        }
        // A replan's solver also priced the published visits it changed.
        let penalty = self.plan.replan.as_ref().map_or(0.0, |r| r.penalty);
        if let Some(r) = &self.plan.replan {
            let w = self.s.weights.change_published;
            if !close(r.change_published, w) || !close(r.penalty, r.changed as f64 * w) {
                out.push(v(
                    "replan_penalty",
                    vec![],
                    tr!(
                        "la replanificación declara una penalidad de {} por {} visitas cambiadas a {} cada una; weights.change_published del escenario es {w}",
                        "the replan claims a penalty of {} for {} changed visits at {} each; the scenario's weights.change_published is {w}",
                        r.penalty, r.changed, r.change_published
                    ),
                ));
            }
        }
        if let Some(obj) = self.plan.solver.objective
            && (m.objective + penalty - obj).abs() > 1e-4 * obj.abs().max(1.0)
        {
            out.push(v(
                "objective",
                vec![],
                tr!(
                    "las visitas del plan dan un objetivo de {:.0}, el solver informó {obj:.0}",
                    "the plan's visits give objective {:.0}, the solver reported {obj:.0}",
                    m.objective + penalty
                ),
            ));
        }
        for t in &self.plan.trips {
            let cost = t.km * self.s.costs.per_km + f64::from(t.nights) * self.s.costs.per_night;
            if !close(cost, t.cost) {
                out.push(v(
                    "trip_cost",
                    vec![t.id.clone()],
                    tr!(
                        "{}: el costo {} no es km × per_km + noches × per_night = {cost}",
                        "{}: cost {} is not km × per_km + nights × per_night = {cost}",
                        t.id,
                        t.cost
                    ),
                ));
            }
        }
    }
}
