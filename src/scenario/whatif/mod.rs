//! What-if overlays: a YAML file that patches a validated scenario (a
//! specialist on leave, a road closed by snow, an outbreak that doubles
//! referrals, a new hire, other weights). Overlays apply in order, each
//! checked against the scenario as the previous ones left it, with the same
//! diagnostics as the scenario files (file, line, field, code, fix).
//! The format is documented in docs/what-if.md.

mod raw;

use super::ScenarioError;
use super::diagnostic::{Code, Diagnostics, Position};
use super::limits::{self, Range};
use super::table::parse_range;
use super::tables::noun;
use super::yaml::{S, parse, pos};
use crate::lang::{Lang, Text};
use crate::model::*;
use crate::tr;
use chrono::Datelike;
use raw::*;
use std::path::Path;

/// The scenario `base` patched by the what-if files, in order.
pub fn apply_all(base: Scenario, files: &[impl AsRef<Path>]) -> Result<Scenario, ScenarioError> {
    files.iter().try_fold(base, |s, f| apply(s, f.as_ref()))
}

/// The scenario `s` patched by the what-if file at `path`.
pub fn apply(mut s: Scenario, path: &Path) -> Result<Scenario, ScenarioError> {
    let mut d = Diagnostics::default();
    let Some(raw) = parse::<RawWhatIf>(
        path,
        tr!(
            "un what-if es un archivo YAML (vea docs/what-if.md)",
            "a what-if is a YAML file (see docs/what-if.md)"
        ),
        &mut d,
    ) else {
        return Err(ScenarioError::Invalid(d.into_sorted()));
    };
    let mut c = Ctx {
        s: &mut s,
        path,
        d: &mut d,
    };
    if raw.name.trim().is_empty() {
        c.err(
            Code::EmptyId,
            &Position::default(),
            "name",
            tr!("el what-if no tiene nombre", "the what-if has no name"),
            tr!(
                "dele un nombre corto: rotula el plan y el informe",
                "give it a short name: it labels the plan and the report"
            ),
        );
    }
    for (i, x) in raw.new_specialists.iter().enumerate() {
        c.new_record(&format!("new_specialists[{i}]"), x);
    }
    for (i, x) in raw.specialists.iter().enumerate() {
        c.record(&format!("specialists[{i}]"), x);
    }
    for (i, x) in raw.roads.iter().enumerate() {
        c.road(&format!("roads[{i}]"), x);
    }
    for (i, x) in raw.demand.iter().enumerate() {
        c.demand(&format!("demand[{i}]"), x);
    }
    for (i, x) in raw.specialties.iter().enumerate() {
        c.specialty(&format!("specialties[{i}]"), x);
    }
    for (i, x) in raw.care_days.iter().enumerate() {
        c.care_days(&format!("care_days[{i}]"), x);
    }
    for (i, x) in raw.jornadas.iter().enumerate() {
        c.jornada(&format!("jornadas[{i}]"), x);
    }
    if let Some(w) = &raw.weights {
        c.weights(w);
    }
    if !d.is_empty() {
        return Err(ScenarioError::Invalid(d.into_sorted()));
    }
    s.what_if.push(WhatIf {
        name: raw.name,
        description: raw.description.unwrap_or_default(),
    });
    Ok(s)
}

/// The scenario being patched and where problems go.
struct Ctx<'a> {
    s: &'a mut Scenario,
    path: &'a Path,
    d: &'a mut Diagnostics,
}

impl Ctx<'_> {
    fn err(&mut self, code: Code, p: &Position, field: &str, message: Text, fix: Text) {
        self.d.push(code, self.path, p, field, message, fix);
    }

    /// `v` when it lies in `range` (see `limits`), else a diagnostic.
    fn number(&mut self, v: f64, range: Range, p: &Position, field: &str) -> Option<f64> {
        match range.check(v) {
            Ok(v) => Some(v),
            Err((code, message, fix)) => {
                self.err(code, p, field, message, fix);
                None
            }
        }
    }

    fn range(&mut self, text: &str, p: &Position, field: &str) -> Option<DateRange> {
        match parse_range(text) {
            Ok(r) if self.s.horizon.contains(r.from) || self.s.horizon.contains(r.to) => Some(r),
            Ok(r) => {
                self.err(
                    Code::DateOutsideHorizon,
                    p,
                    field,
                    {
                        let (from, to) = (r.from, r.to);
                        let (start, end) = (self.s.horizon.start, self.s.horizon.end());
                        tr!(
                            "{from}..{to} está fuera del horizonte ({start}..{end})",
                            "{from}..{to} is outside the horizon ({start}..{end})"
                        )
                    },
                    tr!(
                        "use fechas del período planificado",
                        "use dates of the planned period"
                    ),
                );
                None
            }
            Err((message, fix)) => {
                self.err(Code::BadDateRange, p, field, message, fix);
                None
            }
        }
    }

    fn unknown(&mut self, code: Code, field: &str, p: &Position, what: &str, id: &str) {
        self.err(
            code,
            p,
            field,
            {
                let es = noun(what);
                tr!("no existe {es} `{id}`", "unknown {what} `{id}`")
            },
            tr!(
                "use un id del escenario base o de una entrada nueva anterior",
                "use an id of the base scenario or of an earlier new entry"
            ),
        );
    }

    fn locality(&mut self, id: &str, field: &str, p: &Position) -> Option<usize> {
        let k = self.s.localities.iter().position(|l| l.code == id);
        if k.is_none() {
            self.unknown(Code::UnknownLocality, field, p, "locality", id);
        }
        k
    }

    fn specialty_index(&mut self, id: &str, field: &str, p: &Position) -> Option<usize> {
        let k = self.s.specialties.iter().position(|l| l.code == id);
        if k.is_none() {
            self.unknown(Code::UnknownSpecialty, field, p, "specialty", id);
        }
        k
    }

    fn record(&mut self, at: &str, x: &S<RawRecordChange>) {
        let p = pos(x);
        let x = &x.value;
        let field = format!("{at}.record");
        let Some(k) = self.s.specialists.iter().position(|r| r.code == x.record) else {
            return self.unknown(
                Code::UnknownSpecialist,
                &field,
                &p,
                "specialist record",
                &x.record,
            );
        };
        let whole = DateRange {
            from: self.s.horizon.start,
            to: self.s.horizon.end(),
        };
        if x.remove {
            // The record stays (its existing visits refer to it) but can no
            // longer be booked: the plan must do without it.
            self.s.specialists[k].unavailable = vec![whole];
        }
        if let Some(text) = &x.unavailable
            && let Some(r) = self.range(text, &p, &format!("{at}.unavailable"))
        {
            self.s.specialists[k].unavailable.push(r);
        }
        let rec = &mut self.s.specialists[k];
        if let Some(m) = x.max_trips_per_month {
            rec.max_trips_per_month = m;
        }
        if let Some(m) = x.max_days_away_per_month {
            rec.max_days_away_per_month = m;
        }
    }

    fn new_record(&mut self, at: &str, x: &S<RawNewRecord>) {
        let p = pos(x);
        let x = &x.value;
        if self.s.specialists.iter().any(|r| r.code == x.record) {
            self.err(
                Code::DuplicateId,
                &p,
                &format!("{at}.record"),
                {
                    let r = &x.record;
                    tr!(
                        "el legajo de especialista `{r}` ya existe",
                        "specialist record `{r}` already exists"
                    )
                },
                tr!(
                    "dele al legajo nuevo un id propio",
                    "give the new record an id of its own"
                ),
            );
            return;
        }
        let institution = self
            .s
            .institutions
            .iter()
            .position(|i| i.code == x.institution);
        if institution.is_none() {
            self.unknown(
                Code::UnknownInstitution,
                &format!("{at}.institution"),
                &p,
                "institution",
                &x.institution,
            );
        }
        let specialty = self.specialty_index(&x.specialty, &format!("{at}.specialty"), &p);
        let base = self.locality(&x.base, &format!("{at}.base"), &p);
        let unavailable = match &x.unavailable {
            Some(t) => match self.range(t, &p, &format!("{at}.unavailable")) {
                Some(r) => vec![r],
                None => return,
            },
            None => Vec::new(),
        };
        let (Some(institution), Some(specialty), Some(base)) = (institution, specialty, base)
        else {
            return;
        };
        let institution = InstitutionId::from_index(institution);
        let id = SpecialistId::from_index(self.s.specialists.len());
        let person = match self.s.persons.iter().position(|q| q.code == x.person) {
            Some(k) => {
                let q = &self.s.persons[k];
                if q.name != x.name {
                    self.err(
                        Code::PersonNameMismatch,
                        &p,
                        &format!("{at}.name"),
                        {
                            // Named, never by the person id (a national id).
                            let (base, here) = (&q.name, &x.name);
                            tr!(
                                "esta persona se llama `{base}` en el escenario base, no `{here}`",
                                "this person is named `{base}` in the base scenario, not `{here}`"
                            )
                        },
                        tr!(
                            "use el mismo nombre en todos los legajos de una persona",
                            "use the same name for every record of a person"
                        ),
                    );
                    return;
                }
                if q.records
                    .iter()
                    .any(|r| self.s.specialists[r.index()].institution == institution)
                {
                    self.err(
                        Code::PersonDuplicateInstitution,
                        &p,
                        &format!("{at}.institution"),
                        {
                            let (name, inst) = (&q.name, &x.institution);
                            tr!(
                                "`{name}` ya tiene un legajo en `{inst}`",
                                "`{name}` already has a record in `{inst}`"
                            )
                        },
                        tr!(
                            "una persona tiene a lo sumo un legajo por institución",
                            "a person holds at most one record per institution"
                        ),
                    );
                    return;
                }
                self.s.persons[k].records.push(id);
                PersonId::from_index(k)
            }
            None => {
                self.s.persons.push(Person {
                    code: x.person.clone(),
                    name: x.name.clone(),
                    records: vec![id],
                });
                PersonId::from_index(self.s.persons.len() - 1)
            }
        };
        if x.max_trips_per_month == 0 || x.max_days_away_per_month == 0 {
            self.err(
                Code::NotPositive,
                &p,
                &format!("{at}.max_trips_per_month"),
                tr!(
                    "un legajo nuevo necesita al menos un viaje y un día fuera por mes",
                    "a new record needs at least one trip and one day away a month"
                ),
                tr!(
                    "ponga ambos límites en 1 o más",
                    "set both limits to 1 or more"
                ),
            );
            return;
        }
        self.s.specialists.push(Specialist {
            code: x.record.clone(),
            person,
            institution,
            specialty: SpecialtyId::from_index(specialty),
            base: LocalityId::from_index(base),
            unavailable,
            max_trips_per_month: x.max_trips_per_month,
            max_days_away_per_month: x.max_days_away_per_month,
        });
    }

    fn road(&mut self, at: &str, x: &S<RawRoadChange>) {
        let p = pos(x);
        let x = &x.value;
        let a = self.locality(&x.from, &format!("{at}.from"), &p);
        let b = self.locality(&x.to, &format!("{at}.to"), &p);
        let (Some(a), Some(b)) = (a, b) else { return };
        let joins =
            |r: &Road| (r.a.index(), r.b.index()) == (a, b) || (r.a.index(), r.b.index()) == (b, a);
        let roads: Vec<usize> = (0..self.s.roads.len())
            .filter(|&k| joins(&self.s.roads[k]))
            .collect();
        if roads.is_empty() {
            self.err(
                Code::UnknownLocality,
                &p,
                at,
                {
                    let (a, b) = (&x.from, &x.to);
                    tr!(
                        "ningún camino une `{a}` y `{b}`",
                        "no road joins `{a}` and `{b}`"
                    )
                },
                tr!(
                    "nombre los dos extremos de un camino de roads.csv",
                    "name the two ends of a road of roads.csv"
                ),
            );
            return;
        }
        if x.open == x.closed.is_some() {
            self.err(
                Code::MissingField,
                &p,
                at,
                tr!(
                    "un cambio de camino necesita `closed: DESDE..HASTA` u `open: true`",
                    "a road change needs either `closed: FROM..TO` or `open: true`"
                ),
                tr!(
                    "ciérrelo por fechas, o ábralo para todo el horizonte",
                    "close it for dates, or open it for the whole horizon"
                ),
            );
            return;
        }
        let closed = match &x.closed {
            Some(t) => match self.range(t, &p, &format!("{at}.closed")) {
                Some(r) => Some(r),
                None => return,
            },
            None => None,
        };
        for k in roads {
            match closed {
                Some(r) => self.s.roads[k].closed.push(r),
                None => self.s.roads[k].closed.clear(),
            }
        }
    }

    fn demand(&mut self, at: &str, x: &S<RawDemandChange>) {
        let p = pos(x);
        let x = &x.value;
        let locality = match &x.locality {
            Some(code) => match self.locality(code, &format!("{at}.locality"), &p) {
                Some(k) => Some(k),
                None => return,
            },
            None => None,
        };
        if let Some(z) = &x.zone
            && !self.s.localities.iter().any(|l| &l.zone == z)
        {
            self.err(
                Code::UnknownLocality,
                &p,
                &format!("{at}.zone"),
                tr!(
                    "ninguna localidad está en la zona `{z}`",
                    "no locality is in zone `{z}`"
                ),
                tr!(
                    "use una zona de localities.csv",
                    "use a zone of localities.csv"
                ),
            );
            return;
        }
        let specialty = match &x.specialty {
            Some(code) => match self.specialty_index(code, &format!("{at}.specialty"), &p) {
                Some(k) => Some(k),
                None => return,
            },
            None => None,
        };
        let checked = [
            ("factor", x.factor, limits::REFERRAL_FACTOR),
            ("extra_per_week", x.extra_per_week, limits::REFERRALS),
            ("add_waiting", x.add_waiting, limits::WAITING),
        ]
        .map(|(name, v, r)| v.map(|v| self.number(v, r, &p, &format!("{at}.{name}"))));
        if checked.iter().any(|c| matches!(c, Some(None))) {
            return;
        }
        let factor = x.factor.unwrap_or(1.0);
        let extra = x.extra_per_week.unwrap_or(0.0);
        if x.factor.is_none() && x.extra_per_week.is_none() && x.add_waiting.is_none() {
            self.err(
                Code::MissingField,
                &p,
                at,
                tr!(
                    "el cambio no dice `factor`, `extra_per_week` ni `add_waiting`",
                    "the change says neither `factor`, `extra_per_week` nor `add_waiting`"
                ),
                tr!("diga cómo cambia la demanda", "say how the demand changes"),
            );
            return;
        }
        let dates = match &x.dates {
            Some(t) => match self.range(t, &p, &format!("{at}.dates")) {
                Some(r) => r,
                None => return,
            },
            None => DateRange {
                from: self.s.horizon.start,
                to: self.s.horizon.end(),
            },
        };
        let zones: Vec<String> = self.s.localities.iter().map(|l| l.zone.clone()).collect();
        let matches = |d: &Demand| {
            locality.is_none_or(|k| d.locality.index() == k)
                && x.zone
                    .as_ref()
                    .is_none_or(|z| &zones[d.locality.index()] == z)
                && specialty.is_none_or(|k| d.specialty.index() == k)
        };
        let mut touched = 0;
        let mut over = false;
        for d in self.s.demand.iter_mut().filter(|d| matches(d)) {
            touched += 1;
            if factor != 1.0 || extra != 0.0 {
                d.referral_changes.push(ReferralChange {
                    dates,
                    factor,
                    extra_per_week: extra,
                });
            }
            d.waiting += x.add_waiting.unwrap_or(0.0);
            over |= limits::WAITING.check(d.waiting).is_err();
        }
        if over {
            self.err(
                Code::OutOfRange,
                &p,
                &format!("{at}.add_waiting"),
                {
                    let most = limits::WAITING.max;
                    tr!(
                        "una lista de espera tendría más de {most} pacientes",
                        "a waiting list would hold more than {most} patients"
                    )
                },
                tr!(
                    "agregue menos pacientes, o divida la lista",
                    "add fewer patients, or split the list"
                ),
            );
        }
        if touched == 0 {
            self.err(
                Code::DemandWithoutSpecialist,
                &p,
                at,
                tr!(
                    "ninguna lista de espera coincide con este cambio",
                    "no waiting list matches this change"
                ),
                tr!(
                    "compare localidad, zona y especialidad con demand.csv",
                    "check locality, zone and specialty against demand.csv"
                ),
            );
        }
    }

    fn specialty(&mut self, at: &str, x: &S<RawSpecialtyChange>) {
        let p = pos(x);
        let x = &x.value;
        let Some(k) = self.specialty_index(&x.specialty, &format!("{at}.specialty"), &p) else {
            return;
        };
        let sp = &mut self.s.specialties[k];
        if let Some(v) = x.min_spacing_weeks {
            sp.min_spacing_weeks = v;
        }
        if let Some(v) = x.max_gap_weeks {
            sp.max_gap_weeks = v;
        }
        if let Some(v) = x.waiting_weight {
            match limits::WAITING_WEIGHT.check(v) {
                Ok(v) => sp.waiting_weight = v,
                Err((code, message, fix)) => {
                    let field = format!("{at}.waiting_weight");
                    self.d.push(code, self.path, &p, field, message, fix);
                }
            }
        }
        let (spacing, gap) = (sp.min_spacing_weeks, sp.max_gap_weeks);
        if spacing > gap {
            self.err(
                Code::SpacingAboveGap,
                &p,
                at,
                tr!(
                    "min_spacing_weeks {spacing} supera max_gap_weeks {gap}",
                    "min_spacing_weeks {spacing} is above max_gap_weeks {gap}"
                ),
                tr!(
                    "una especialidad no puede esperar entre visitas más de lo que su regla de cobertura permite",
                    "a specialty cannot need to wait longer between visits than its coverage rule allows"
                ),
            );
        }
    }

    /// An extraordinary care day: any date of the horizon (a weekend or a
    /// holiday is the point), at a facility that hosts the specialty, in a
    /// locality with that waiting list.
    fn jornada(&mut self, at: &str, x: &S<raw::RawJornada>) {
        let p = pos(x);
        let x = &x.value;
        let Some(f) = self.s.facilities.iter().position(|f| f.code == x.facility) else {
            return self.unknown(
                Code::UnknownFacility,
                &format!("{at}.facility"),
                &p,
                "facility",
                &x.facility,
            );
        };
        let Some(sp) = self
            .s
            .specialties
            .iter()
            .position(|s| s.code == x.specialty)
        else {
            return self.unknown(
                Code::UnknownSpecialty,
                &format!("{at}.specialty"),
                &p,
                "specialty",
                &x.specialty,
            );
        };
        let (fid, spid) = (FacilityId::from_index(f), SpecialtyId::from_index(sp));
        let facility = self.s.facility(fid);
        let listed = self
            .s
            .demand
            .iter()
            .any(|d| d.locality == facility.locality && d.specialty == spid);
        if !facility.hosts(spid) || !listed {
            let (fc, sc) = (x.facility.clone(), x.specialty.clone());
            return self.err(
                Code::FacilityMismatch,
                &p,
                &format!("{at}.facility"),
                tr!(
                    "`{fc}` no atiende `{sc}` o su localidad no tiene esa lista de espera",
                    "`{fc}` does not host `{sc}` or its locality has no such waiting list"
                ),
                tr!(
                    "elija un establecimiento que atienda la especialidad, en una localidad con esa lista en demand.csv",
                    "choose a facility that hosts the specialty, in a locality with that list in demand.csv"
                ),
            );
        }
        if x.days == 0 {
            return self.err(
                Code::NotPositive,
                &p,
                &format!("{at}.days"),
                tr!(
                    "una jornada dura al menos un día",
                    "a jornada lasts at least one day"
                ),
                tr!("ponga days: 1 o más", "set days: 1 or more"),
            );
        }
        let Some(r) = self.range(&x.date, &p, &format!("{at}.date")) else {
            return;
        };
        if !self.s.horizon.contains(r.from) {
            return;
        }
        let patients = f64::from(x.days) * f64::from(self.s.specialty(spid).patients_per_day);
        self.s.jornadas.push(crate::model::Jornada {
            facility: fid,
            specialty: spid,
            date: r.from,
            patients,
        });
    }

    fn care_days(&mut self, at: &str, x: &S<RawCareDays>) {
        let p = pos(x);
        let x = &x.value;
        let Some(k) = self.s.facilities.iter().position(|f| f.code == x.facility) else {
            return self.unknown(
                Code::UnknownFacility,
                &format!("{at}.facility"),
                &p,
                "facility",
                &x.facility,
            );
        };
        if x.extra_rooms == 0 {
            self.err(
                Code::NotPositive,
                &p,
                &format!("{at}.extra_rooms"),
                tr!(
                    "un día de atención agrega al menos un consultorio",
                    "a care day adds at least one consulting room"
                ),
                tr!(
                    "ponga en extra_rooms los consultorios abiertos para itinerantes esos días",
                    "set extra_rooms to the rooms opened for itinerants on those days"
                ),
            );
            return;
        }
        let Some(r) = self.range(&x.dates, &p, &format!("{at}.dates")) else {
            return;
        };
        let h = &self.s.horizon;
        let mut d = r.from;
        let mut days = Vec::new();
        let mut closed = Vec::new();
        while d <= r.to {
            if !h.contains(d) {
                // Dates beyond the horizon are not planned; `range` made sure
                // some are inside.
            } else if h.is_working_weekday(d) && !h.is_holiday(d) {
                days.push(d);
            } else {
                closed.push(d);
            }
            d = d
                .succ_opt()
                .expect("a date inside the horizon has a successor");
        }
        if !closed.is_empty() {
            let list = |lang: Lang| {
                let days: Vec<String> = closed
                    .iter()
                    .map(|d| format!("{d} ({})", lang.weekday(d.weekday())))
                    .collect();
                days.join(", ")
            };
            let (es, en) = (list(Lang::Es), list(Lang::En));
            self.err(
                Code::StartOnNonWorkingDay,
                &p,
                &format!("{at}.dates"),
                tr!(
                    "días de atención en días sin consultas: {es}",
                    "care days on days without consultations: {en}"
                ),
                tr!(
                    "itinera planifica consultas en los horizon.working_days que no son feriados: liste solo esas fechas (o agregue el día a working_days en el escenario)",
                    "itinera plans consultations on horizon.working_days that are not holidays: list those dates only (or add the weekday to working_days in the scenario)"
                ),
            );
            return;
        }
        for d in days {
            *self.s.facilities[k].extra_rooms.entry(d).or_default() += x.extra_rooms;
        }
    }

    fn weights(&mut self, w: &S<RawWeights>) {
        let p = pos(w);
        let w = &w.value;
        for (name, v) in [
            ("weights.patient_week", w.patient_week),
            ("weights.change_confirmed", w.change_confirmed),
            ("weights.change_published", w.change_published),
            ("weights.coverage_gap_week", w.coverage_gap_week),
        ] {
            if let Some(v) = v {
                self.number(v, limits::WEIGHT, &p, name);
            }
        }
        let ok = |v: Option<f64>| v.filter(|v| limits::WEIGHT.check(*v).is_ok());
        let ws = &mut self.s.weights;
        ws.patient_week = ok(w.patient_week).unwrap_or(ws.patient_week);
        ws.change_confirmed = ok(w.change_confirmed).unwrap_or(ws.change_confirmed);
        ws.change_published = ok(w.change_published).unwrap_or(ws.change_published);
        ws.coverage_gap_week = ok(w.coverage_gap_week).unwrap_or(ws.coverage_gap_week);
    }
}
