//! Plans side by side (`itinera compare`): the metrics a planner weighs,
//! how many visits of the first plan each other plan disturbs, as a table,
//! CSV, JSON and an HTML page with charts.

use super::report::{STYLE, charts, esc};
use super::{ExportError, Lang};
use crate::plan::diff::ChangeKind;
use crate::plan::format::Plan;
use serde::Serialize;

/// One plan's column of the comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Column {
    /// Label (file name or given name).
    pub label: String,
    /// Solver status (`status_quo` for the existing calendars).
    pub status: String,
    /// Patient-weeks of waiting.
    pub patient_weeks_waiting: f64,
    /// Patients seen.
    pub patients_served: f64,
    /// Patients still waiting at the end.
    pub unmet_at_end: f64,
    /// Km driven.
    pub km: f64,
    /// Travel cost.
    pub travel_cost: f64,
    /// Visits made.
    pub visits: usize,
    /// Duplicate specialty visits.
    pub duplicate_visits: usize,
    /// Longest run of weeks without a visit over all waiting lists.
    pub worst_gap_weeks: u32,
    /// Waiting lists at or beyond their max gap.
    pub coverage_gaps: usize,
    /// Visits of the first plan this plan does not keep (`plan::diff`):
    /// moved, reassigned or cancelled.
    pub changed_vs_first: usize,
    /// Visits this plan adds to the first.
    pub added_vs_first: usize,
    /// Objective.
    pub objective: f64,
    /// Solver's relative gap.
    pub solver_gap: Option<f64>,
}

/// The columns of `plans`, compared with the first.
pub fn compare(plans: &[(String, Plan)]) -> Vec<Column> {
    plans
        .iter()
        .map(|(label, p)| {
            let m = &p.metrics;
            // Changes as `plan::diff` defines them, the one definition.
            let changes = plans
                .first()
                .map(|f| crate::plan::diff::counts(&crate::plan::diff::diff(&f.1, p)))
                .unwrap_or_default();
            let count = |k: ChangeKind| changes.get(&k).copied().unwrap_or(0);
            Column {
                label: label.clone(),
                status: p.solver.status.code().to_string(),
                patient_weeks_waiting: m.patient_weeks_waiting,
                patients_served: m.patients_served,
                unmet_at_end: m.unmet_at_end,
                km: m.km,
                travel_cost: m.travel_cost,
                visits: m.visits,
                duplicate_visits: m.duplicate_visits,
                worst_gap_weeks: m
                    .longest_without_visit
                    .iter()
                    .map(|g| g.weeks)
                    .max()
                    .unwrap_or(0),
                coverage_gaps: m.coverage_gaps,
                changed_vs_first: count(ChangeKind::Moved)
                    + count(ChangeKind::Reassigned)
                    + count(ChangeKind::Cancelled),
                added_vs_first: count(ChangeKind::New),
                objective: m.objective,
                solver_gap: p.solver.gap,
            }
        })
        .collect()
}

/// Row labels and values (as text) of the comparison.
fn rows(cols: &[Column], lang: Lang) -> Vec<(String, Vec<String>)> {
    let gap = |g: Option<f64>| g.map_or("–".to_string(), |g| lang.percent(g));
    let row = |label: &str, f: &dyn Fn(&Column) -> String| {
        (label.to_string(), cols.iter().map(f).collect())
    };
    vec![
        row(lang.pick("estado", "status"), &|c| {
            lang.status(&c.status).to_string()
        }),
        row(
            lang.pick("pacientes-semana de espera", "patient-weeks waiting"),
            &|c| lang.int(c.patient_weeks_waiting),
        ),
        row(lang.pick("pacientes atendidos", "patients served"), &|c| {
            lang.int(c.patients_served)
        }),
        row(
            lang.pick("en espera al final", "still waiting at the end"),
            &|c| lang.int(c.unmet_at_end),
        ),
        row(lang.pick("km recorridos", "km driven"), &|c| lang.int(c.km)),
        row(lang.pick("costo de viaje", "travel cost"), &|c| {
            lang.int(c.travel_cost)
        }),
        row(lang.pick("visitas", "visits"), &|c| c.visits.to_string()),
        row(lang.pick("visitas duplicadas", "duplicate visits"), &|c| {
            c.duplicate_visits.to_string()
        }),
        row(
            lang.pick("peor racha sin visita (semanas)", "worst gap (weeks)"),
            &|c| c.worst_gap_weeks.to_string(),
        ),
        row(
            lang.pick("listas más allá del máximo", "lists beyond max gap"),
            &|c| c.coverage_gaps.to_string(),
        ),
        row(
            lang.pick(
                "visitas cambiadas vs el primero",
                "visits changed vs the first",
            ),
            &|c| c.changed_vs_first.to_string(),
        ),
        row(
            lang.pick(
                "visitas agregadas vs el primero",
                "visits added vs the first",
            ),
            &|c| c.added_vs_first.to_string(),
        ),
        row(lang.pick("objetivo", "objective"), &|c| {
            lang.int(c.objective)
        }),
        row(lang.pick("brecha del optimizador", "solver gap"), &|c| {
            gap(c.solver_gap)
        }),
    ]
}

/// A plain-text table for the terminal.
pub fn table(cols: &[Column], lang: Lang) -> String {
    let rows = rows(cols, lang);
    let first_w = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols.len())
        .map(|i| {
            rows.iter()
                .map(|r| r.1[i].chars().count())
                .chain(std::iter::once(cols[i].label.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = format!("{:first_w$}", lang.pick("indicador", "metric"));
    for (c, w) in cols.iter().zip(&widths) {
        out += &format!("  {:>w$}", c.label);
    }
    out.push('\n');
    out += &"-".repeat(first_w);
    for w in &widths {
        out += &format!("  {}", "-".repeat(*w));
    }
    out.push('\n');
    for (label, values) in &rows {
        out += &format!("{label:first_w$}");
        for (v, w) in values.iter().zip(&widths) {
            out += &format!("  {v:>w$}");
        }
        out.push('\n');
    }
    out
}

/// CSV: one row per plan, the columns of the table, numbers rounded (no
/// float noise) in the spreadsheet dialect of `lang` (see `sheets::writer`).
pub fn csv(cols: &[Column], lang: Lang) -> Result<Vec<u8>, ExportError> {
    let fail = |e: csv::Error| ExportError::Encoding {
        what: "comparison CSV".to_string(),
        message: e.to_string(),
    };
    let mut w = super::sheets::writer(lang);
    w.write_record([
        lang.pick("plan", "plan"),
        lang.pick("estado", "status"),
        lang.pick("pacientes_semana_de_espera", "patient_weeks_waiting"),
        lang.pick("pacientes_atendidos", "patients_served"),
        lang.pick("en_espera_al_final", "still_waiting_at_end"),
        lang.pick("km", "km"),
        lang.pick("costo_de_viaje", "travel_cost"),
        lang.pick("visitas", "visits"),
        lang.pick("visitas_duplicadas", "duplicate_visits"),
        lang.pick("peor_racha_sin_visita_semanas", "worst_gap_weeks"),
        lang.pick("listas_mas_alla_del_maximo", "lists_beyond_max_gap"),
        lang.pick("visitas_cambiadas_vs_primero", "visits_changed_vs_first"),
        lang.pick("visitas_agregadas_vs_primero", "visits_added_vs_first"),
        lang.pick("objetivo", "objective"),
        lang.pick("brecha", "gap"),
    ])
    .map_err(fail)?;
    for c in cols {
        w.write_record([
            super::sheets::text_cell(&c.label),
            lang.status(&c.status).to_string(),
            lang.decimal(c.patient_weeks_waiting, 1),
            lang.decimal(c.patients_served, 1),
            lang.decimal(c.unmet_at_end, 1),
            lang.decimal(c.km, 0),
            lang.decimal(c.travel_cost, 0),
            c.visits.to_string(),
            c.duplicate_visits.to_string(),
            c.worst_gap_weeks.to_string(),
            c.coverage_gaps.to_string(),
            c.changed_vs_first.to_string(),
            c.added_vs_first.to_string(),
            lang.decimal(c.objective, 0),
            c.solver_gap.map_or(String::new(), |g| lang.decimal(g, 6)),
        ])
        .map_err(fail)?;
    }
    w.into_inner().map_err(|e| ExportError::Encoding {
        what: "comparison CSV".to_string(),
        message: e.to_string(),
    })
}

/// The comparison page: the table, bars of the main metrics, and (when
/// given) the backlog curve of each plan on one chart.
pub fn html(
    cols: &[Column],
    backlog: Option<&[(String, Vec<f64>)]>,
    lang: Lang,
) -> Result<String, ExportError> {
    let rows = rows(cols, lang);
    let mut body = format!(
        "<h1>{}</h1>\n<table><tr><th></th>",
        lang.pick("Comparación de planes", "Plan comparison")
    );
    for c in cols {
        body += &format!("<th class=\"n\">{}</th>", esc(&c.label));
    }
    body += "</tr>\n";
    for (label, values) in &rows {
        body += &format!("<tr><td>{}</td>", esc(label));
        for v in values {
            body += &format!("<td class=\"n\">{}</td>", esc(v));
        }
        body += "</tr>\n";
    }
    body += "</table>\n";
    let labels: Vec<String> = cols.iter().map(|c| c.label.clone()).collect();
    let bars: [(&str, Vec<f64>); 3] = [
        (
            lang.pick("Pacientes-semana de espera", "Patient-weeks waiting"),
            cols.iter().map(|c| c.patient_weeks_waiting).collect(),
        ),
        (
            lang.pick("Km recorridos", "Km driven"),
            cols.iter().map(|c| c.km).collect(),
        ),
        (
            lang.pick("Visitas duplicadas", "Duplicate visits"),
            cols.iter().map(|c| c.duplicate_visits as f64).collect(),
        ),
    ];
    body += "<section class=\"grid\">\n";
    for (title, per_plan) in &bars {
        let values: Vec<Vec<f64>> = per_plan.iter().map(|x| vec![*x]).collect();
        let svg =
            charts::workload(&labels, &[title.to_string()], &values, title).map_err(|message| {
                ExportError::Encoding {
                    what: format!("chart {title}"),
                    message,
                }
            })?;
        body += &format!("<div><h2>{}</h2>{svg}</div>\n", esc(title));
    }
    body += "</section>\n";
    if let Some(series) = backlog {
        let svg = charts::curves(
            lang.pick(
                "Pacientes en espera por semana",
                "Patients waiting per week",
            ),
            series,
            lang.pick("semana", "week"),
            lang.pick("pacientes en espera", "patients waiting"),
        )
        .map_err(|message| ExportError::Encoding {
            what: "backlog chart".to_string(),
            message,
        })?;
        body += &format!("<section>{svg}</section>\n");
    }
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n{}</body>\n</html>\n",
        lang.tag(),
        lang.pick("Comparación de planes", "Plan comparison"),
        STYLE,
        body
    ))
}

/// CSV of a plan diff: one row per visit of either plan, with what became
/// of it (kind, old and new id, facility, specialty, people and dates).
pub fn diff_csv(changes: &[crate::plan::diff::Change]) -> Result<Vec<u8>, ExportError> {
    let fail = |e: csv::Error| ExportError::Encoding {
        what: "diff CSV".to_string(),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "change",
        "facility",
        "specialty",
        "locality",
        "old_visit",
        "old_specialist",
        "old_dates",
        "new_visit",
        "new_specialist",
        "new_dates",
    ])
    .map_err(fail)?;
    let dates = |d: &[chrono::NaiveDate]| {
        d.iter()
            .map(|x| x.to_string())
            .collect::<Vec<_>>()
            .join(";")
    };
    for c in changes {
        let any = c.old.as_ref().or(c.new.as_ref());
        let field = |f: fn(&crate::plan::diff::VisitRef) -> String| any.map(f).unwrap_or_default();
        let side = |v: &Option<crate::plan::diff::VisitRef>| match v {
            Some(v) => [v.id.clone(), v.specialist.clone(), dates(&v.dates)],
            None => Default::default(),
        };
        let [oi, os, od] = side(&c.old);
        let [ni, ns, nd] = side(&c.new);
        let kind = serde_json::to_value(c.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        w.write_record([
            kind,
            c.facility().to_string(),
            field(|v| v.specialty.clone()),
            field(|v| v.locality.clone()),
            oi,
            os,
            od,
            ni,
            ns,
            nd,
        ])
        .map_err(fail)?;
    }
    w.into_inner().map_err(|e| ExportError::Encoding {
        what: "diff CSV".to_string(),
        message: e.to_string(),
    })
}
