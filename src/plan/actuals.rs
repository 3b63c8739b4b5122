//! Programmed against delivered: what really happened at each visit of a
//! plan (held or not, patients seen, no-shows), summed per specialty, per
//! facility and per month — the goal-against-achieved view that IMSS's
//! extraordinary care days report (150,345 services programmed, 190,796
//! delivered).
//!
//! A visit's programme is its capacity (consultation days × patients per
//! day). Visits the attendance file does not mention are counted as not
//! reported, never as held or missed.

use super::format::Plan;
use crate::scenario::Code;
use crate::scenario::csvin::{self, Problems};
use crate::tr;
use chrono::Datelike;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// The columns of an attendance file.
pub const COLUMNS: [&str; 4] = ["visit", "held", "seen", "no_shows"];

/// What happened at one visit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attendance {
    /// Plan visit id.
    pub visit: String,
    /// Whether the visit took place.
    pub held: bool,
    /// Patients seen.
    pub seen: u32,
    /// Patients booked who did not come.
    pub no_shows: u32,
}

/// Programmed and delivered, for one group of visits.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Visits the plan makes.
    pub visits: u32,
    /// Of those, reported in the attendance file.
    pub reported: u32,
    /// Reported as held.
    pub held: u32,
    /// Patients programmed (capacity of the reported visits).
    pub programmed: u32,
    /// Patients seen.
    pub delivered: u32,
    /// Patients who did not come.
    pub no_shows: u32,
}

impl Tally {
    /// Delivered over programmed (None when nothing was programmed).
    pub fn achieved(&self) -> Option<f64> {
        (self.programmed > 0).then(|| f64::from(self.delivered) / f64::from(self.programmed))
    }

    fn add(&mut self, capacity: u32, a: Option<&Attendance>) {
        self.visits += 1;
        if let Some(a) = a {
            self.reported += 1;
            self.programmed += capacity;
            self.held += u32::from(a.held);
            self.delivered += a.seen;
            self.no_shows += a.no_shows;
        }
    }
}

/// The whole comparison.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Comparison {
    /// Every reported visit together.
    pub total: Tally,
    /// Per specialty code.
    pub by_specialty: BTreeMap<String, Tally>,
    /// Per facility code.
    pub by_facility: BTreeMap<String, Tally>,
    /// Per month of the visit's first day (`YYYY-MM`).
    pub by_month: BTreeMap<String, Tally>,
}

/// Read the attendance file at `path` against `plan`: every problem at once.
pub fn read(plan: &Plan, path: &Path) -> Result<Vec<Attendance>, Vec<crate::scenario::Diagnostic>> {
    let capacity: HashMap<&str, u32> = plan
        .made_visits()
        .map(|v| (v.id.as_str(), v.capacity))
        .collect();
    let mut seen_at: HashMap<String, u64> = HashMap::new();
    csvin::read(
        path,
        &COLUMNS,
        tr!("asistencia", "attendance"),
        "docs/plan-format.md",
        |problems, line, cells| {
            let cell = |i: usize| cells.get(i);
            let before = problems.len();
            let visit = cell(0);
            if !capacity.contains_key(visit.as_str()) {
                problems.push(
                    line,
                    0,
                    Code::PlanMismatch,
                    tr!(
                        "el plan no hace la visita `{visit}`",
                        "the plan makes no visit `{visit}`"
                    ),
                    tr!(
                        "use los ids de visita de plan.json (P0001…) del plan que se ejecutó",
                        "use the visit ids of plan.json (P0001…) of the plan that was carried out"
                    ),
                );
            } else if let Some(first) = seen_at.insert(visit.clone(), line) {
                problems.push(
                    line,
                    0,
                    Code::DuplicateId,
                    tr!(
                        "la visita `{visit}` ya figura en la línea {first}",
                        "visit `{visit}` is already on line {first}"
                    ),
                    tr!("deje una fila por visita", "keep one row per visit"),
                );
            }
            let held = match cell(1).to_lowercase().as_str() {
                "yes" | "sí" | "si" | "true" | "1" => Some(true),
                "no" | "false" | "0" => Some(false),
                _ => None,
            };
            if held.is_none() {
                let v = cell(1);
                problems.push(
                    line,
                    1,
                    Code::CsvValue,
                    tr!("`{v}` no es sí ni no", "`{v}` is neither yes nor no"),
                    tr!("escriba sí o no (yes/no)", "write yes or no (sí/no)"),
                );
            }
            let count = |problems: &mut Problems, i: usize| -> Option<u32> {
                let v = cell(i);
                let n = v.parse::<u32>().ok();
                if n.is_none() {
                    problems.push(
                        line,
                        i,
                        Code::CsvValue,
                        tr!(
                            "`{v}` no es un número entero de pacientes",
                            "`{v}` is not a whole number of patients"
                        ),
                        tr!("escriba 0 o más", "write 0 or more"),
                    );
                }
                n
            };
            let seen = count(problems, 2);
            let no_shows = count(problems, 3);
            if held == Some(false) && seen.is_some_and(|n| n > 0) {
                problems.push(
                    line,
                    2,
                    Code::CsvValue,
                    tr!(
                        "una visita que no se hizo no atendió pacientes",
                        "a visit that did not take place saw no patients"
                    ),
                    tr!(
                        "corrija `held` o ponga 0 en `seen`",
                        "fix `held` or write 0 in `seen`"
                    ),
                );
            }
            if problems.len() > before {
                return None;
            }
            if let (Some(held), Some(seen), Some(no_shows)) = (held, seen, no_shows) {
                return Some(Attendance {
                    visit,
                    held,
                    seen,
                    no_shows,
                });
            }
            None
        },
    )
}

/// Compare `plan` with what `attendance` says happened.
pub fn compare(plan: &Plan, attendance: &[Attendance]) -> Comparison {
    let by_visit: HashMap<&str, &Attendance> =
        attendance.iter().map(|a| (a.visit.as_str(), a)).collect();
    let mut c = Comparison::default();
    for v in plan.made_visits() {
        let a = by_visit.get(v.id.as_str()).copied();
        let month = format!("{:04}-{:02}", v.start.year(), v.start.month());
        c.total.add(v.capacity, a);
        c.by_specialty
            .entry(v.specialty.clone())
            .or_default()
            .add(v.capacity, a);
        c.by_facility
            .entry(v.facility.clone())
            .or_default()
            .add(v.capacity, a);
        c.by_month.entry(month).or_default().add(v.capacity, a);
    }
    c
}

/// Patients the attendance leaves waiting beyond what the plan expected, per
/// list, at the end of the week before `week`: the waiting-list dynamics run
/// twice up to then, once with each visit's capacity and once with what
/// the attendance says it saw (a visit not reported counts as planned).
/// Lists where nothing differs are left out; fewer waiting than planned
/// (more seen than programmed) counts as nothing, so the next plan never
/// drops a patient the attendance did not account for.
pub fn unseen_before(
    s: &crate::model::Scenario,
    plan: &Plan,
    attendance: &[Attendance],
    week: u32,
) -> Vec<(String, String, f64)> {
    use crate::model::waiting::simulate;
    let (planned, _) = super::metrics::delivered(s, &plan.visits);
    let seen: HashMap<&str, &Attendance> =
        attendance.iter().map(|a| (a.visit.as_str(), a)).collect();
    let mut actual = planned.clone();
    for v in plan.made_visits() {
        let (Some(a), Some(w)) = (seen.get(v.id.as_str()), s.horizon.week_of(v.start)) else {
            continue;
        };
        let (Some(l), Some(sp)) = (
            s.localities.iter().position(|x| x.code == v.locality),
            s.specialties.iter().position(|x| x.code == v.specialty),
        ) else {
            continue;
        };
        let key = (
            crate::model::LocalityId::from_index(l),
            crate::model::SpecialtyId::from_index(sp),
        );
        if let Some(cap) = actual.get_mut(&key) {
            cap[w as usize] += f64::from(a.seen) - f64::from(v.capacity);
        }
    }
    let upto = week.min(s.horizon.weeks) as usize;
    let mut out = Vec::new();
    let none = vec![0.0; s.horizon.weeks as usize];
    for d in &s.demand {
        if upto == 0 {
            break;
        }
        let key = (d.locality, d.specialty);
        let referrals = d.referrals_by_week(&s.horizon);
        let run = |cap: &[f64]| {
            let cap: Vec<f64> = cap.iter().map(|c| c.max(0.0)).collect();
            simulate(d.waiting, &referrals[..upto], &cap[..upto]).unmet_at_end
        };
        let extra =
            run(actual.get(&key).unwrap_or(&none)) - run(planned.get(&key).unwrap_or(&none));
        if extra > 1e-9 {
            out.push((
                s.locality(d.locality).code.clone(),
                s.specialty(d.specialty).code.clone(),
                extra,
            ));
        }
    }
    out
}

/// A what-if overlay (YAML) that puts the `unseen` patients back on their
/// lists in the week starting `monday`, for `replan --what-if`.
pub fn overlay(unseen: &[(String, String, f64)], monday: chrono::NaiveDate) -> String {
    let sunday = monday + chrono::Duration::days(6);
    let mut y = format!(
        "name: actual-waiting-{monday}\ndescription: patients programmed but not seen before {monday}, back on their lists (itinera actuals)\ndemand:\n"
    );
    if unseen.is_empty() {
        return y.replace("demand:\n", "demand: []\n");
    }
    for (l, sp, n) in unseen {
        y += &format!(
            "  - {{ locality: {l}, specialty: {sp}, dates: {monday}..{sunday}, extra_per_week: {n:.2} }}\n"
        );
    }
    y
}
