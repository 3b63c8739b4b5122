//! Plain-text tables and JSON documents for the terminal.

use itinera::calendar::BookedVisit;
use itinera::calendar::conflicts::{Conflict, ConflictKind};
use itinera::calendar::status_quo::StatusQuo;
use itinera::export::Lang;
use itinera::model::Scenario;
use itinera::plan::diff::ChangeKind;
use std::collections::BTreeMap;

/// Left-aligned text table with a header rule; widths count characters, not bytes.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (w, c) in widths.iter_mut().zip(r) {
            *w = (*w).max(c.chars().count());
        }
    }
    let line = |cells: &mut dyn Iterator<Item = &str>| {
        let mut s = String::new();
        for (i, (c, w)) in cells.zip(&widths).enumerate() {
            if i > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            if i + 1 < widths.len() {
                s.push_str(&" ".repeat(w - c.chars().count()));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(&mut header.iter().copied());
    out += &line(
        &mut widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str),
    );
    for r in rows {
        out += &line(&mut r.iter().map(String::as_str));
    }
    out
}

/// Counts per kind, all kinds listed, in a stable order.
fn counts(found: &[Conflict]) -> BTreeMap<ConflictKind, (usize, usize)> {
    let mut m: BTreeMap<ConflictKind, (usize, usize)> = BTreeMap::new();
    for c in found {
        let e = m.entry(c.kind).or_default();
        e.0 += 1;
        if c.institutions.len() > 1 {
            e.1 += 1;
        }
    }
    m
}

pub fn conflicts_table(
    s: &Scenario,
    visits: &[BookedVisit],
    found: &[Conflict],
    lang: Lang,
) -> String {
    let l = |es, en| lang.pick(es, en);
    let mut out = lang.fill(
        "{}: {} visitas en {} calendarios, {} conflicto(s)\n\n",
        "{}: {} visits in {} calendars, {} conflict(s)\n\n",
        &[&s.name, &visits.len(), &s.institutions.len(), &found.len()],
    );
    if !found.is_empty() {
        let rows: Vec<Vec<String>> = found
            .iter()
            .map(|c| {
                vec![
                    lang.date(c.date),
                    lang.conflict_kind(c.kind.code()).to_string(),
                    c.institutions.join("+"),
                    c.visits.join(", "),
                    c.message.get(lang).to_string(),
                ]
            })
            .collect();
        out += &table(
            &[
                l("fecha", "date"),
                l("conflicto", "conflict"),
                l("instituciones", "institutions"),
                l("visitas", "visits"),
                l("detalle", "detail"),
            ],
            &rows,
        );
        out.push('\n');
    }
    let rows: Vec<Vec<String>> = counts(found)
        .into_iter()
        .map(|(k, (n, cross))| {
            vec![
                lang.conflict_kind(k.code()).to_string(),
                n.to_string(),
                cross.to_string(),
            ]
        })
        .collect();
    if !rows.is_empty() {
        out += &table(
            &[
                l("conflicto", "conflict"),
                l("cantidad", "count"),
                l("entre instituciones", "across institutions"),
            ],
            &rows,
        );
    }
    out
}

/// A JSON document for `--json`, its bilingual texts (`{"es", "en"}`
/// objects, see `Text`) replaced by the text of `lang`: a field holding a
/// message stays a string whatever the language.
pub fn json_in(lang: Lang, doc: impl serde::Serialize) -> serde_json::Value {
    fn walk(v: &mut serde_json::Value, lang: Lang) {
        use serde_json::Value;
        match v {
            Value::Object(map) => {
                let text = (map.len() == 2)
                    .then(|| (map.get("es"), map.get("en")))
                    .and_then(|pair| match pair {
                        (Some(Value::String(es)), Some(Value::String(en))) => {
                            Some(lang.pick(es, en).to_string())
                        }
                        _ => None,
                    });
                match text {
                    Some(t) => *v = Value::String(t),
                    None => map.values_mut().for_each(|x| walk(x, lang)),
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|x| walk(x, lang)),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(doc).unwrap_or_default();
    walk(&mut v, lang);
    v
}

pub fn conflicts_json(s: &Scenario, found: &[Conflict], lang: Lang) -> serde_json::Value {
    let summary: BTreeMap<String, usize> = counts(found)
        .into_iter()
        .map(|(k, (n, _))| {
            (
                serde_json::to_value(k)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                n,
            )
        })
        .collect();
    serde_json::json!({
        "schema": "itinera.conflicts/1",
        "scenario": s.name,
        "visits": s.calendar.len(),
        "summary": summary,
        "conflicts": json_in(lang, found),
    })
}

pub fn status_quo_tables(s: &Scenario, m: &StatusQuo, lang: Lang) -> String {
    let l = |es: &str, en: &str| lang.pick(es, en).to_string();
    let num = |x: f64| lang.int(x);
    let mut out = lang.fill(
        "{}: situación actual de los calendarios existentes, {} semanas desde el {}\n\n",
        "{}: status quo of the existing calendars, {} weeks from {}\n\n",
        &[&s.name, &s.horizon.weeks, &lang.date(s.horizon.start)],
    );
    let by_inst = m
        .visits_by_institution
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ");
    let rows = vec![
        vec![l("visitas", "visits"), format!("{} ({by_inst})", m.visits)],
        vec![
            l("días de consulta", "consultation days"),
            num(f64::from(m.consultation_days)),
        ],
        vec![
            l("turnos ofrecidos", "patient slots offered"),
            num(m.capacity),
        ],
        vec![
            l("pacientes atendidos", "patients served"),
            num(m.patients_served),
        ],
        vec![
            l(
                "pacientes que esperan (inicio + derivaciones)",
                "patients demanding (start + referrals)",
            ),
            num(m.total_demand),
        ],
        vec![
            l("pacientes-semana de espera", "patient-weeks waiting"),
            num(m.patient_weeks_waiting),
        ],
        vec![
            l("pacientes-semana ponderados", "weighted patient-weeks"),
            num(m.weighted_patient_weeks),
        ],
        vec![
            l("esperando al final", "still waiting at the end"),
            num(m.unmet_at_end),
        ],
        vec![l("km recorridos", "km driven"), num(m.km)],
        vec![
            format!(
                "{} ({})",
                l("costo de viaje", "travel cost"),
                s.costs.currency
            ),
            num(m.travel_cost),
        ],
        vec![
            l(
                "visitas de especialidad duplicadas",
                "duplicate specialty visits",
            ),
            m.duplicates.to_string(),
        ],
        vec![
            l("personas con doble reserva", "persons double-booked"),
            m.double_bookings.to_string(),
        ],
        vec![
            l(
                "listas de espera más allá de la brecha máxima",
                "waiting lists beyond max gap",
            ),
            lang.fill(
                "{} de {}",
                "{} of {}",
                &[&m.coverage_gaps, &m.waiting_lists],
            ),
        ],
    ];
    out += &table(
        &[
            lang.pick("indicador", "metric"),
            lang.pick("valor", "value"),
        ],
        &rows,
    );
    out.push('\n');
    let rows: Vec<Vec<String>> = m
        .by_specialty
        .iter()
        .map(|r| {
            vec![
                r.specialty.clone(),
                r.visits.to_string(),
                num(r.served),
                num(r.patient_weeks),
                num(r.unmet_at_end),
            ]
        })
        .collect();
    out += &table(
        &[
            lang.pick("especialidad", "specialty"),
            lang.pick("visitas", "visits"),
            lang.pick("atendidos", "served"),
            lang.pick("pacientes-semana", "patient-weeks"),
            lang.pick("esperando al final", "waiting at end"),
        ],
        &rows,
    );
    out
}

pub fn trips_table(s: &Scenario, c: &itinera::trips::TripCatalog, lang: Lang) -> String {
    let mut rows = Vec::new();
    for (r, rec) in s.specialists.iter().enumerate() {
        let trips: Vec<_> = c.by_state[0]
            .iter()
            .filter(|t| t.record.index() == r)
            .collect();
        let by_stops = |k: usize| {
            trips
                .iter()
                .filter(|t| t.stops.len() == k)
                .count()
                .to_string()
        };
        let placed = c
            .placements
            .iter()
            .filter(|p| p.record.index() == r)
            .count();
        let cheapest = trips
            .iter()
            .map(|t| t.shape.cost)
            .fold(f64::INFINITY, f64::min);
        rows.push(vec![
            rec.code.clone(),
            s.specialty(rec.specialty).code.clone(),
            s.locality(rec.base).name.clone(),
            by_stops(1),
            by_stops(2),
            by_stops(3),
            placed.to_string(),
            if cheapest.is_finite() {
                lang.int(cheapest)
            } else {
                "-".into()
            },
        ]);
    }
    let mut out = lang.fill(
        "{}: {} viajes candidatos (todos los caminos abiertos), {} estado(s) de cierres, {} ubicaciones en {} semanas\n\n",
        "{}: {} candidate trips (all roads open), {} closure state(s), {} placements over {} weeks\n\n",
        &[
            &s.name,
            &c.by_state[0].len(),
            &c.by_state.len(),
            &c.placements.len(),
            &s.horizon.weeks,
        ],
    );
    let l = |es, en| lang.pick(es, en);
    out += &table(
        &[
            l("legajo", "record"),
            l("especialidad", "specialty"),
            l("base", "base"),
            l("1 parada", "1 stop"),
            l("2 paradas", "2 stops"),
            l("3 paradas", "3 stops"),
            l("ubicaciones", "placements"),
            l("más barato", "cheapest"),
        ],
        &rows,
    );
    out
}

/// A solver status in the user's words (see `Lang::status`).
pub fn status_label(s: itinera::optimize::Status, lang: Lang) -> &'static str {
    lang.status(itinera::plan::format::PlanStatus::from(s).code())
}

/// What `plan` and `replan` print: status, bound and gap, supply, and the
/// plan beside the status quo, in the user's language.
pub fn plan_summary(
    s: &Scenario,
    net: &itinera::network::RoadNetwork,
    p: &itinera::plan::format::Plan,
    sq: &StatusQuo,
    path: &std::path::Path,
    lang: Lang,
) -> String {
    let m = &p.metrics;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let pct = |x: Option<f64>| x.map_or("-".to_string(), |g| lang.percent(g));
    let mut out = format!(
        "{}: {} — {} {} {}, {} {}, {} {} ({} s {}, {} s {})\n",
        s.label(),
        lang.status(p.solver.status.code()),
        l("objetivo", "objective"),
        lang.int(p.solver.objective.unwrap_or(m.objective)),
        s.costs.currency,
        l("cota", "bound"),
        p.solver.bound.map_or("-".to_string(), |b| {
            let kind = match p.solver.bound_kind.as_deref() {
                Some("lagrangian") => l(" (lagrangiana)", " (Lagrangian)"),
                Some("branch_and_price") => l(" (ramificación y precio)", " (branch-and-price)"),
                _ => "",
            };
            format!("{}{kind}", lang.int(b))
        }),
        l("brecha", "gap"),
        pct(p.solver.gap),
        lang.decimal(p.solver.build_seconds, 1),
        l("de armado", "build"),
        lang.decimal(p.solver.solve_seconds, 1),
        l("de resolución", "solve"),
    );
    out += &format!("{} {}\n", l("escrito en", "written to"), path.display());
    if p.solver.dropped_for_rooms > 0 {
        out += &format!(
            "{} {}\n",
            p.solver.dropped_for_rooms,
            l(
                "viaje(s) quitados para que los consultorios alcancen día por día",
                "trip(s) dropped so that consulting rooms fit day by day"
            )
        );
    }
    if let Some(supply) = &p.supply {
        let x = &supply.metrics;
        out += &lang.fill(
            "insumos: {} entregas — {} en {} viajes de vehículos ({} km, {} {}), {} llevadas por los especialistas ({} km de camión ahorrados), {} sin hacer\n",
            "supply: {} deliveries — {} by {} vehicle trips ({} km, {} {}), {} carried by the specialists ({} km of trucks saved), {} not made\n",
            &[
                &x.deliveries,
                &x.routed,
                &x.routes,
                &lang.int(x.km),
                &lang.int(x.cost),
                &s.costs.currency,
                &x.carried,
                &lang.int(x.km_saved_by_carrying),
                &x.undelivered,
            ],
        );
        for d in supply
            .deliveries
            .iter()
            .filter(|d| d.status == "undelivered")
            .take(10)
        {
            out += &format!(
                "  {}: {} {} → {} ({}) — {}\n",
                l("sin hacer", "not made"),
                d.id,
                d.kind,
                d.locality,
                d.latest,
                d.detail.as_deref().unwrap_or("")
            );
        }
    }
    out.push('\n');
    let of = l("de", "of");
    let rows = vec![
        vec![
            l("visitas", "visits").into(),
            sq.visits.to_string(),
            m.visits.to_string(),
        ],
        vec![
            l("días de consulta", "consultation days").into(),
            sq.consultation_days.to_string(),
            m.consultation_days.to_string(),
        ],
        vec![
            l("pacientes atendidos", "patients served").into(),
            lang.int(sq.patients_served),
            lang.int(m.patients_served),
        ],
        vec![
            l("pacientes-semana de espera", "patient-weeks waiting").into(),
            lang.int(sq.patient_weeks_waiting),
            lang.int(m.patient_weeks_waiting),
        ],
        vec![
            l("en espera al final", "still waiting at the end").into(),
            lang.int(sq.unmet_at_end),
            lang.int(m.unmet_at_end),
        ],
        vec![
            l("km recorridos", "km driven").into(),
            lang.int(sq.km),
            lang.int(m.km),
        ],
        vec![
            format!(
                "{} ({})",
                l("costo de viaje", "travel cost"),
                s.costs.currency
            ),
            lang.int(sq.travel_cost),
            lang.int(m.travel_cost),
        ],
        vec![
            l(
                "visitas duplicadas de especialidad",
                "duplicate specialty visits",
            )
            .into(),
            sq.duplicates.to_string(),
            m.duplicate_visits.to_string(),
        ],
        vec![
            l("personas con doble reserva", "persons double-booked").into(),
            sq.double_bookings.to_string(),
            itinera::plan::metrics::double_bookings(p).to_string(),
        ],
        vec![
            l(
                "listas más allá del máximo sin visita",
                "waiting lists beyond max gap",
            )
            .into(),
            format!("{} {of} {}", sq.coverage_gaps, sq.waiting_lists),
            format!("{} {of} {}", m.coverage_gaps, sq.waiting_lists),
        ],
    ];
    out += &table(
        &[
            l("indicador", "metric"),
            l("situación actual", "status quo"),
            l("plan", "plan"),
        ],
        &rows,
    );
    let counts = itinera::plan::diff::against_existing(s, net, p);
    let g = |k: ChangeKind| counts.get(&k).copied().unwrap_or(0);
    out += &lang.fill(
        "\nvisitas de los calendarios existentes: {} mantenidas, {} reprogramadas, {} reasignadas, {} canceladas; {} visitas nuevas; {} visita(s) confirmada(s) cambiada(s)\n",
        "\nexisting visits: {} kept, {} moved, {} reassigned, {} dropped; {} new visits; {} confirmed visit(s) changed\n",
        &[
            &g(ChangeKind::Kept),
            &g(ChangeKind::Moved),
            &g(ChangeKind::Reassigned),
            &g(ChangeKind::Cancelled),
            &g(ChangeKind::New),
            &m.confirmed_changed,
        ],
    );
    out
}

pub fn violations(
    p: &itinera::plan::format::Plan,
    found: &[itinera::check::Violation],
    lang: Lang,
) -> String {
    if found.is_empty() {
        return lang.fill(
            "{}: plan correcto — {} visitas, {} viajes: se cumplen todas las reglas y los indicadores coinciden\n",
            "{}: plan ok — {} visits, {} trips: every rule holds and the metrics match\n",
            &[&p.label(), &p.metrics.visits, &p.trips.len()],
        );
    }
    let rows: Vec<Vec<String>> = found
        .iter()
        .map(|v| {
            vec![
                v.rule.to_string(),
                v.items.join(", "),
                v.message.get(lang).to_string(),
            ]
        })
        .collect();
    format!(
        "{}: {} {}\n\n{}",
        p.label(),
        found.len(),
        lang.pick("regla(s) incumplida(s)", "violation(s)"),
        table(
            &[
                lang.pick("regla", "rule"),
                lang.pick("visitas/viajes", "visits/trips"),
                lang.pick("detalle", "detail"),
            ],
            &rows
        )
    )
}

/// Visits kept, moved, reassigned, cancelled and new per facility, with a
/// total row (`itinera diff` and `itinera replan`).
pub fn diff_table(
    counts: &BTreeMap<String, BTreeMap<itinera::plan::diff::ChangeKind, usize>>,
    lang: Lang,
) -> String {
    let kinds = itinera::plan::diff::ChangeKind::ALL;
    let mut totals = [0usize; 5];
    let mut rows: Vec<Vec<String>> = counts
        .iter()
        .map(|(facility, c)| {
            let mut row = vec![facility.clone()];
            for (k, kind) in kinds.iter().enumerate() {
                let n = c.get(kind).copied().unwrap_or(0);
                totals[k] += n;
                row.push(n.to_string());
            }
            row
        })
        .collect();
    let mut total = vec!["total".to_string()];
    total.extend(totals.iter().map(|n| n.to_string()));
    rows.push(total);
    let l = |es, en| lang.pick(es, en);
    table(
        &[
            l("establecimiento", "facility"),
            l("mantenidas", "kept"),
            l("reprogramadas", "moved"),
            l("reasignadas", "reassigned"),
            l("canceladas", "cancelled"),
            l("nuevas", "new"),
        ],
        &rows,
    )
}

/// What a replan kept of the published plan, in a planner's words.
pub fn replan_summary(p: &itinera::plan::format::Plan, currency: &str, lang: Lang) -> String {
    let Some(r) = &p.replan else {
        return String::new();
    };
    let mut out = lang.fill(
        "replanificado desde el {} (pedido: {}); {} visitas anteriores quedan como se publicaron\n",
        "replanned from {} (asked: {}); {} visits before it kept as published\n",
        &[
            &lang.date(r.replanned_from),
            &lang.date(r.from),
            &r.fixed_visits,
        ],
    );
    if !r.impossible.is_empty() {
        out += &lang.fill(
            "canceladas antes del {}: {} visita(s) que las nuevas condiciones impiden: {}\n",
            "cancelled before {}: {} visit(s) the new conditions make impossible: {}\n",
            &[
                &lang.date(r.replanned_from),
                &r.impossible.len(),
                &r.impossible.join(", "),
            ],
        );
    }
    out += &lang.fill(
        "visitas publicadas desde entonces: {}, cambiadas {} (penalidad {} {}, {} cada una)\n",
        "published visits from then on: {}, changed {} (penalty {} {} at {} each)\n",
        &[
            &r.published_visits,
            &r.changed,
            &lang.int(r.penalty),
            &currency,
            &lang.int(r.change_published),
        ],
    );
    out
}
