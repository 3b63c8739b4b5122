//! The sections of the report, each a piece of HTML.

use super::charts::{self, Bar, Cell, Place};
use super::{chart, esc};
use crate::calendar::status_quo::StatusQuo;
use crate::export::lookup::Names;
use crate::export::{ExportError, Lang};
use crate::model::Scenario;
use crate::plan::diff::ChangeKind;
use crate::plan::format::Plan;
use crate::plan::metrics::backlog_by_specialty;
use chrono::Datelike;
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub fn header(s: &Scenario, plan: &Plan, lang: Lang) -> String {
    let sv = &plan.solver;
    let pct = |x: Option<f64>| x.map_or("–".to_string(), |g| format!("{:.2} %", g * 100.0));
    let status = lang.status(sv.status.code());
    format!(
        "<p>{} {} {} {} ({} {}). {}: {} · {}: {} {} · {}: {} · {}: {}.</p>\n",
        lang.pick("Horizonte:", "Horizon:"),
        lang.date(s.horizon.start),
        lang.pick("a", "to"),
        lang.date(s.horizon.end()),
        s.horizon.weeks,
        lang.pick("semanas", "weeks"),
        lang.pick("Estado del optimizador", "Solver status"),
        esc(status),
        lang.pick("objetivo", "objective"),
        lang.int(sv.objective.unwrap_or(plan.metrics.objective)),
        esc(&s.costs.currency),
        lang.pick("cota inferior", "lower bound"),
        sv.bound.map_or("–".to_string(), |b| lang.int(b)),
        lang.pick("brecha", "gap"),
        pct(sv.gap),
    )
}

pub fn summary(s: &Scenario, plan: &Plan, sq: &StatusQuo, lang: Lang) -> String {
    let m = &plan.metrics;
    // (label, status quo, plan, lower is better)
    let rows: Vec<(&str, f64, f64, Option<bool>)> = vec![
        (
            lang.pick("Visitas", "Visits"),
            sq.visits as f64,
            m.visits as f64,
            None,
        ),
        (
            lang.pick("Días de consulta", "Consultation days"),
            f64::from(sq.consultation_days),
            f64::from(m.consultation_days),
            None,
        ),
        (
            lang.pick("Pacientes atendidos", "Patients served"),
            sq.patients_served,
            m.patients_served,
            Some(false),
        ),
        (
            lang.pick("Pacientes-semana de espera", "Patient-weeks waiting"),
            sq.patient_weeks_waiting,
            m.patient_weeks_waiting,
            Some(true),
        ),
        (
            lang.pick("En espera al final", "Still waiting at the end"),
            sq.unmet_at_end,
            m.unmet_at_end,
            Some(true),
        ),
        (
            lang.pick("Km recorridos", "Km driven"),
            sq.km,
            m.km,
            Some(true),
        ),
        (
            lang.pick("Costo de viaje", "Travel cost"),
            sq.travel_cost,
            m.travel_cost,
            Some(true),
        ),
        (
            lang.pick(
                "Visitas duplicadas de una especialidad",
                "Duplicate specialty visits",
            ),
            sq.duplicates as f64,
            m.duplicate_visits as f64,
            Some(true),
        ),
        (
            lang.pick("Personas con doble reserva", "Persons double-booked"),
            sq.double_bookings as f64,
            crate::plan::metrics::double_bookings(plan) as f64,
            Some(true),
        ),
        (
            lang.pick(
                "Listas de espera más allá del intervalo máximo",
                "Waiting lists beyond max gap",
            ),
            sq.coverage_gaps as f64,
            m.coverage_gaps as f64,
            Some(true),
        ),
    ];
    let mut out = format!(
        "<section><h2>{}</h2>\n<table><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr>\n",
        lang.pick(
            "Resumen frente a la situación actual",
            "Summary against the status quo"
        ),
        lang.pick("Indicador", "Metric"),
        lang.pick("Situación actual", "Status quo"),
        lang.pick("Plan", "Plan"),
        lang.pick("Cambio", "Change"),
    );
    for (label, a, b, lower) in rows {
        let change = if a.abs() > 1e-9 {
            format!("{:+.0} %", (b - a) / a * 100.0)
        } else {
            format!("{:+}", lang.int(b - a))
        };
        let class = match lower {
            Some(l) if (b < a) == l && (a - b).abs() > 1e-9 => " better",
            Some(_) if (a - b).abs() > 1e-9 => " worse",
            _ => "",
        };
        out += &format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n{class}\">{}</td></tr>\n",
            esc(label),
            lang.int(a),
            lang.int(b),
            change
        );
    }
    // The one definition of kept and moved (`plan::diff`), as the CLI
    // summary and `compare` count them.
    let net = crate::network::RoadNetwork::new(s);
    let counts = crate::plan::diff::against_existing(s, &net, plan);
    let n = |k: ChangeKind| counts.get(&k).copied().unwrap_or(0);
    out += &format!(
        "</table>\n<p class=\"note\">{} {}: {} · {}: {} · {}: {} · {}: {} · {}: {}. {} {}.</p></section>\n",
        lang.pick(
            "Visitas de los calendarios existentes",
            "Existing calendar visits"
        ),
        lang.pick("mantenidas", "kept"),
        n(ChangeKind::Kept),
        lang.pick("reprogramadas", "moved"),
        n(ChangeKind::Moved),
        lang.pick("reasignadas", "reassigned"),
        n(ChangeKind::Reassigned),
        lang.pick("canceladas", "dropped"),
        n(ChangeKind::Cancelled),
        lang.pick("nuevas", "new"),
        n(ChangeKind::New),
        lang.pick("Moneda:", "Currency:"),
        esc(&s.costs.currency),
    );
    out
}

fn legend(items: &[(String, usize)]) -> String {
    let mut out = String::from("<p class=\"legend\">");
    for (name, i) in items {
        let (r, g, b) = charts::PALETTE[i % charts::PALETTE.len()];
        out += &format!(
            "<span><span class=\"sw\" style=\"background:rgb({r},{g},{b})\"></span>{}</span>",
            esc(name)
        );
    }
    out + "</p>\n"
}

pub fn gantt(s: &Scenario, plan: &Plan, lang: Lang) -> Result<String, ExportError> {
    let localities: BTreeSet<&str> = plan.made_visits().map(|v| v.locality.as_str()).collect();
    // Localities in scenario order (usually by size), only those visited.
    let rows: Vec<&crate::model::Locality> = s
        .localities
        .iter()
        .filter(|l| localities.contains(l.code.as_str()))
        .collect();
    let row_of: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, l)| (l.code.as_str(), i))
        .collect();
    let lane_of: HashMap<&str, usize> = s
        .specialties
        .iter()
        .enumerate()
        .map(|(i, x)| (x.code.as_str(), i))
        .collect();
    let inst_of: HashMap<&str, usize> = s
        .institutions
        .iter()
        .enumerate()
        .map(|(i, x)| (x.code.as_str(), i))
        .collect();
    let day = |d: chrono::NaiveDate| (d - s.horizon.start).num_days() as f64;
    let bars: Vec<Bar> = plan
        .made_visits()
        .filter_map(|v| {
            Some(Bar {
                row: *row_of.get(v.locality.as_str())?,
                lane: *lane_of.get(v.specialty.as_str())?,
                days: (day(v.start), day(*v.dates.last().unwrap_or(&v.start))),
                institution: inst_of.get(v.institution.as_str()).copied().unwrap_or(2),
            })
        })
        .collect();
    let mut months = Vec::new();
    let mut d = s.horizon.start.with_day(1).unwrap_or(s.horizon.start);
    while d <= s.horizon.end() {
        if d >= s.horizon.start {
            months.push((day(d), lang.month(d.month()).to_string()));
        }
        d = d
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(s.horizon.end() + chrono::Duration::days(1));
    }
    let names_of_rows: Vec<String> = rows.iter().map(|l| l.name.clone()).collect();
    let svg = chart(
        charts::gantt(
            &names_of_rows,
            s.specialties.len(),
            day(s.horizon.end()) + 1.0,
            &bars,
            &months,
            lang.pick("mes", "month"),
        ),
        "gantt",
    )?;
    let specialties: Vec<(String, usize)> = s
        .specialties
        .iter()
        .enumerate()
        .map(|(i, x)| (x.name.clone(), i))
        .collect();
    let marks: Vec<String> = s
        .institutions
        .iter()
        .enumerate()
        .map(|(i, x)| format!("{} {}", ["●", "▲", "✕"][i.min(2)], esc(&x.name)))
        .collect();
    Ok(format!(
        "<section><h2>{}</h2>\n<p class=\"note\">{}</p>\n{}<p class=\"legend\">{}</p>\n{}\n</section>\n",
        lang.pick("Visitas por localidad a lo largo del año", "Visits per locality over the year"),
        lang.pick(
            "Cada fila es una localidad; cada franja dentro de la fila, una especialidad (color). El símbolo al inicio de cada barra indica la institución.",
            "Each row is a locality; each lane within it a specialty (colour). The marker at the start of each bar shows the institution."
        ),
        legend(&specialties),
        marks.join(" &nbsp; "),
        svg
    ))
}

pub fn backlog(
    s: &Scenario,
    plan: &Plan,
    sq: &StatusQuo,
    lang: Lang,
) -> Result<String, ExportError> {
    let planned = backlog_by_specialty(s, &plan.visits);
    let before: HashMap<&str, &Vec<f64>> = sq
        .by_specialty
        .iter()
        .map(|r| (r.specialty.as_str(), &r.backlog_by_week))
        .collect();
    let none = vec![0.0; s.horizon.weeks as usize];
    let mut cells = String::new();
    let total_sq: Vec<f64> = (0..s.horizon.weeks as usize)
        .map(|w| {
            sq.by_specialty
                .iter()
                .map(|r| r.backlog_by_week.get(w).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    let total_plan: Vec<f64> = (0..s.horizon.weeks as usize)
        .map(|w| planned.iter().map(|p| p[w]).sum())
        .collect();
    let total = chart(
        charts::curves(
            lang.pick(
                "Pacientes en espera, todas las especialidades",
                "Patients waiting, all specialties",
            ),
            &[
                (
                    lang.pick("situación actual", "status quo").to_string(),
                    total_sq,
                ),
                (lang.pick("plan", "plan").to_string(), total_plan),
            ],
            lang.pick("semana", "week"),
            lang.pick("pacientes en espera", "patients waiting"),
        ),
        "backlog total",
    )?;
    for (i, sp) in s.specialties.iter().enumerate() {
        if !s.demand.iter().any(|d| d.specialty.index() == i) {
            continue;
        }
        let svg = chart(
            charts::backlog(
                &sp.name,
                before.get(sp.code.as_str()).map_or(&none, |v| *v),
                &planned[i],
                i,
                lang.pick("semana", "week"),
            ),
            "backlog",
        )?;
        cells += &format!("<div>{svg}</div>\n");
    }
    Ok(format!(
        "<section><h2>{}</h2>\n{}\n<p class=\"note\">{}</p>\n<div class=\"grid\">\n{}</div>\n</section>\n",
        lang.pick("Listas de espera semana a semana", "Waiting lists week by week"),
        total,
        lang.pick(
            "Pacientes en espera al final de cada semana, sumados sobre las localidades: línea gris discontinua, los calendarios actuales; línea de color, el plan.",
            "Patients waiting at the end of each week, summed over localities: grey dashed line, the existing calendars; coloured line, the plan."
        ),
        cells
    ))
}

pub fn coverage(s: &Scenario, plan: &Plan, lang: Lang) -> Result<String, ExportError> {
    let gaps = &plan.metrics.longest_without_visit;
    let locs: BTreeSet<&str> = gaps.iter().map(|g| g.locality.as_str()).collect();
    let specs: BTreeSet<&str> = gaps.iter().map(|g| g.specialty.as_str()).collect();
    let rows: Vec<&crate::model::Locality> = s
        .localities
        .iter()
        .filter(|l| locs.contains(l.code.as_str()))
        .collect();
    let cols: Vec<&crate::model::Specialty> = s
        .specialties
        .iter()
        .filter(|x| specs.contains(x.code.as_str()))
        .collect();
    let r: HashMap<&str, usize> = rows
        .iter()
        .enumerate()
        .map(|(i, l)| (l.code.as_str(), i))
        .collect();
    let c: HashMap<&str, usize> = cols
        .iter()
        .enumerate()
        .map(|(i, x)| (x.code.as_str(), i))
        .collect();
    let cells: Vec<Cell> = gaps
        .iter()
        .filter_map(|g| {
            Some(Cell {
                at: (*r.get(g.locality.as_str())?, *c.get(g.specialty.as_str())?),
                weeks: g.weeks,
                max_gap: g.max_gap_weeks,
            })
        })
        .collect();
    let svg = chart(
        charts::heatmap(
            &rows.iter().map(|l| l.name.clone()).collect::<Vec<_>>(),
            &cols.iter().map(|x| x.name.clone()).collect::<Vec<_>>(),
            &cells,
        ),
        "coverage",
    )?;
    Ok(format!(
        "<section><h2>{}</h2>\n<p class=\"note\">{}</p>\n{}\n</section>\n",
        lang.pick("Cobertura: semanas seguidas sin visita", "Coverage: consecutive weeks without a visit"),
        lang.pick(
            "Cada celda: la racha más larga sin visita / el intervalo máximo de la especialidad. Verde: holgado; ámbar: cerca del máximo; rojo: lo alcanza o supera. Vacía: sin lista de espera.",
            "Each cell: the longest run without a visit / the specialty's max gap. Green: comfortable; amber: close to it; red: reaches or exceeds it. Empty: no waiting list."
        ),
        svg
    ))
}

pub fn map(s: &Scenario, names: &Names, plan: &Plan, lang: Lang) -> Result<String, ExportError> {
    let at = |code: &str| names.locality(code).map(|l| (l.lon, l.lat));
    let places: Vec<Place> = s
        .localities
        .iter()
        .map(|l| Place {
            name: l.name.clone(),
            at: (l.lon, l.lat),
            population: f64::from(l.population),
        })
        .collect();
    let roads: Vec<_> = s
        .roads
        .iter()
        .map(|r| {
            let (a, b) = (s.locality(r.a), s.locality(r.b));
            ((a.lon, a.lat), (b.lon, b.lat))
        })
        .collect();
    let mut legs: BTreeMap<(String, String), usize> = BTreeMap::new();
    for t in &plan.trips {
        let Some(base) = names
            .record(&t.specialist)
            .map(|r| s.locality(r.base).code.clone())
        else {
            continue;
        };
        let mut path = vec![base.clone()];
        path.extend(t.stops.iter().cloned());
        path.push(base);
        for w in path.windows(2) {
            if w[0] != w[1] {
                let key = if w[0] < w[1] {
                    (w[0].clone(), w[1].clone())
                } else {
                    (w[1].clone(), w[0].clone())
                };
                *legs.entry(key).or_default() += 1;
            }
        }
    }
    let legs: Vec<_> = legs
        .into_iter()
        .filter_map(|((a, b), n)| Some(((at(&a)?, at(&b)?), n)))
        .collect();
    let svg = chart(charts::map(&places, &roads, &legs), "map")?;
    Ok(format!(
        "<section><h2>{}</h2>\n<p class=\"note\">{}</p>\n{}\n</section>\n",
        lang.pick("Mapa de localidades y viajes", "Map of localities and trips"),
        lang.pick(
            "Puntos rojos: localidades (tamaño según población). Gris: rutas. Azul: tramos de los viajes del plan, en línea recta entre paradas; el grosor crece con el número de viajes.",
            "Red dots: localities (size by population). Grey: roads. Blue: legs of the plan's trips, straight between stops; thicker with more trips."
        ),
        svg
    ))
}

pub fn workload(
    s: &Scenario,
    names: &Names,
    plan: &Plan,
    lang: Lang,
) -> Result<String, ExportError> {
    let inst: Vec<String> = s.institutions.iter().map(|i| i.name.clone()).collect();
    let inst_of: HashMap<&str, usize> = s
        .institutions
        .iter()
        .enumerate()
        .map(|(i, x)| (x.code.as_str(), i))
        .collect();
    let mut days: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    let mut trips: HashMap<&str, usize> = HashMap::new();
    let mut km: HashMap<&str, f64> = HashMap::new();
    for v in plan.made_visits() {
        let row = days
            .entry(&v.person)
            .or_insert_with(|| vec![0.0; inst.len()]);
        if let Some(&i) = inst_of.get(v.institution.as_str()) {
            row[i] += v.dates.len() as f64;
        }
    }
    for t in &plan.trips {
        if let Some(r) = names.record(&t.specialist) {
            let p = s.person(r.person).code.as_str();
            *trips.entry(p).or_default() += 1;
            *km.entry(p).or_default() += t.km;
        }
    }
    let mut people: Vec<(&str, Vec<f64>)> = days.into_iter().collect();
    people.sort_by(|a, b| {
        b.1.iter()
            .sum::<f64>()
            .total_cmp(&a.1.iter().sum::<f64>())
            .then(a.0.cmp(b.0))
    });
    let labels: Vec<String> = people.iter().map(|(p, _)| names.person_name(p)).collect();
    let values: Vec<Vec<f64>> = people.iter().map(|(_, v)| v.clone()).collect();
    let svg = chart(
        charts::workload(
            &labels,
            &inst,
            &values,
            lang.pick(
                "días de consulta en el año",
                "consultation days in the year",
            ),
        ),
        "workload",
    )?;
    let mut table = format!(
        "<table><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr>\n",
        lang.pick("Especialista", "Specialist"),
        lang.pick("Viajes", "Trips"),
        lang.pick("Días de consulta", "Consultation days"),
        lang.pick("Km", "Km"),
    );
    for (p, v) in &people {
        table += &format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(&names.person_name(p)),
            trips.get(p).copied().unwrap_or(0),
            lang.int(v.iter().sum()),
            lang.int(km.get(p).copied().unwrap_or(0.0)),
        );
    }
    table += "</table>\n";
    Ok(format!(
        "<section><h2>{}</h2>\n{}\n{}</section>\n",
        lang.pick(
            "Carga de trabajo por especialista",
            "Workload per specialist"
        ),
        svg,
        table
    ))
}

/// The existing calendars' conflicts and what the plan did with each
/// visit involved, in the planner's words: who, where and when by name,
/// not the codes plan.json keeps them under.
pub fn conflicts(names: &Names, plan: &Plan, lang: Lang) -> String {
    let s = names.scenario();
    let mut out = format!(
        "<section><h2>{} ({})</h2>\n",
        lang.pick(
            "Conflictos de los calendarios existentes y su resolución",
            "Conflicts of the existing calendars and their resolution"
        ),
        plan.conflicts.len()
    );
    if plan.conflicts.is_empty() {
        return out + &format!("<p>{}</p></section>\n", lang.pick("Ninguno.", "None."));
    }
    out += &format!(
        "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        lang.pick("Conflicto", "Conflict"),
        lang.pick("Visitas de los calendarios", "Calendar visits"),
        lang.pick("Qué hace el plan", "What the plan does"),
    );
    let existing: HashMap<&str, &crate::model::ExistingVisit> =
        s.calendar.iter().map(|e| (e.code.as_str(), e)).collect();
    let planned: HashMap<&str, &crate::plan::format::Visit> = plan
        .visits
        .iter()
        .filter_map(|v| v.existing.as_deref().map(|e| (e, v)))
        .collect();
    for c in &plan.conflicts {
        let mut who = Vec::new();
        let mut what = Vec::new();
        for id in &c.visits {
            let Some(e) = existing.get(id.as_str()) else {
                who.push(esc(id));
                continue;
            };
            let rec = s.specialist(e.specialist);
            let inst = s.institution(rec.institution);
            who.push(format!(
                "{} ({}), {}, {}",
                esc(&s.person(rec.person).name),
                esc(&inst.name),
                esc(&s.locality(e.locality).name),
                lang.date(e.start)
            ));
            what.push(match planned.get(id.as_str()) {
                Some(v) if v.origin == crate::plan::format::Origin::Kept => format!(
                    "{} {}",
                    lang.pick("se mantiene el", "kept on"),
                    lang.date(v.start)
                ),
                Some(v) if v.origin == crate::plan::format::Origin::Dropped => {
                    lang.pick("cancelada", "cancelled").to_string()
                }
                Some(v) => format!(
                    "{} {} ({}, {})",
                    lang.pick("pasa al", "moved to"),
                    lang.date(v.start),
                    esc(&names.person_name(&v.person)),
                    esc(&names.locality_name(&v.locality))
                ),
                None => lang.pick("cancelada", "cancelled").to_string(),
            });
        }
        out += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            lang.conflict_kind(&c.kind),
            who.join("<br>"),
            what.join("<br>")
        );
    }
    out + "</table></section>\n"
}

/// What a replan changed of the published plan, per facility (only for
/// plans made by `itinera replan`): hospitals read first what moves.
pub fn replan(names: &Names, plan: &Plan, lang: Lang) -> String {
    let Some(r) = &plan.replan else {
        return String::new();
    };
    let mut out = format!(
        "<section><h2>{}</h2>\n<p>{} <b>{}</b>. {} {} ({} {}); {} {} {}.",
        lang.pick(
            "Cambios respecto del plan publicado",
            "Changes from the published plan"
        ),
        lang.pick("Plan publicado:", "Published plan:"),
        esc(&r.current),
        lang.pick("Replanificado desde el", "Replanned from"),
        lang.date(r.replanned_from),
        lang.pick("pedido:", "asked:"),
        lang.date(r.from),
        r.fixed_visits,
        lang.pick(
            "visitas anteriores quedan como se publicaron",
            "earlier visits stay as published"
        ),
        if r.impossible.is_empty() {
            String::new()
        } else {
            format!(
                "{} {}: {}",
                lang.pick(
                    ", salvo las que las nuevas condiciones impiden",
                    ", except those the new conditions make impossible"
                ),
                r.impossible.len(),
                esc(&r.impossible.join(", "))
            )
        },
    );
    out += &format!(
        " {} {} {} {}.</p>\n",
        r.changed,
        lang.pick("de", "of"),
        r.published_visits,
        lang.pick(
            "visitas publicadas desde entonces cambian (otra semana, otro especialista o canceladas)",
            "published visits from then on change (another week, another specialist, or cancelled)"
        ),
    );
    out += &format!(
        "<table><tr><th>{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th><th class=\"n\">{}</th></tr>\n",
        lang.pick("Establecimiento", "Facility"),
        lang.pick("Igual", "Kept"),
        lang.pick("Movidas", "Moved"),
        lang.pick("Otro especialista", "Reassigned"),
        lang.pick("Canceladas", "Cancelled"),
        lang.pick("Nuevas", "New"),
    );
    for f in r
        .changes
        .iter()
        .filter(|f| f.moved + f.reassigned + f.cancelled + f.new > 0)
    {
        let name = names
            .facility(&f.facility)
            .map_or(f.facility.clone(), |x| x.name.clone());
        out += &format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(&name),
            f.kept,
            f.moved,
            f.reassigned,
            f.cancelled,
            f.new
        );
    }
    let unchanged = r
        .changes
        .iter()
        .filter(|f| f.moved + f.reassigned + f.cancelled + f.new == 0)
        .count();
    out + &format!(
        "</table><p class=\"note\">{} {}</p></section>\n",
        unchanged,
        lang.pick(
            "establecimientos más sin ningún cambio.",
            "more facilities without any change."
        )
    )
}

/// The extraordinary care days (jornadas) the plan was made with, from a
/// what-if overlay (`itinera jornadas`): where, when, and the patients each
/// can see, outside the rotation.
pub fn jornadas(s: &Scenario, lang: Lang) -> String {
    if s.jornadas.is_empty() {
        return String::new();
    }
    let mut rows: Vec<&crate::model::Jornada> = s.jornadas.iter().collect();
    rows.sort_by_key(|j| (j.date, j.facility, j.specialty));
    let total: f64 = rows.iter().map(|j| j.patients).sum();
    let mut out = format!(
        "<section><h2>{}</h2>\n<p class=\"note\">{}</p>\n<table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
        esc(lang.pick("Jornadas extraordinarias", "Extraordinary care days")),
        esc(&lang.fill(
            "{} jornadas fuera de la rotación (fin de semana o feriado), con {} turnos programados en total; sus pacientes atendidos ya cuentan en las listas de espera de este informe.",
            "{} care days outside the rotation (a weekend or holiday), with {} consultations programmed in all; the patients they see already count in this report's waiting lists.",
            &[&rows.len(), &lang.int(total)]
        )),
        lang.pick("Fecha", "Date"),
        lang.pick("Establecimiento", "Facility"),
        lang.pick("Localidad", "Locality"),
        lang.pick("Especialidad", "Specialty"),
        lang.pick("Turnos programados", "Consultations programmed"),
    );
    for j in rows {
        let f = s.facility(j.facility);
        out += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>\n",
            esc(&lang.date(j.date)),
            esc(&f.name),
            esc(&s.locality(f.locality).name),
            esc(&s.specialty(j.specialty).name),
            lang.int(j.patients)
        );
    }
    out + "</table>\n</section>\n"
}
