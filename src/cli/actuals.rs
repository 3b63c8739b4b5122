//! `itinera actuals`: programmed against delivered, per specialty, facility
//! and month, printed, and with `-o` written as CSV and as an HTML page
//! with its chart.

use super::{Failure, Source};
use anyhow::Context;
use clap::Args;
use itinera::export::lookup::Names;
use itinera::export::report::{STYLE, charts, esc};
use itinera::lang::Lang;
use itinera::plan::actuals::{self, Comparison, Tally};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ActualsArgs {
    #[command(flatten)]
    scenario: Source,
    /// The plan that was carried out (plan.json or its folder).
    plan: PathBuf,
    /// What happened at each visit (CSV: visit,held,seen,no_shows).
    attendance: PathBuf,
    /// Also write actuals.csv and actuals.html into this folder.
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Print JSON (schema itinera.actuals/1) instead of tables.
    #[arg(long)]
    json: bool,
    /// Also write DIR/actual-waiting.yaml: a what-if overlay that puts the
    /// patients programmed but not seen before this date back on their
    /// lists, for `replan --what-if` (needs -o).
    #[arg(long, value_name = "DATE", requires = "output")]
    waiting_on: Option<chrono::NaiveDate>,
}

pub fn run(a: &ActualsArgs, lang: Lang) -> Result<(), Failure> {
    let s = a.scenario.load()?;
    let plan = super::plan_for(&s, &a.plan)?;
    let attendance = actuals::read(&plan, &a.attendance).map_err(Failure::Invalid)?;
    let c = actuals::compare(&plan, &attendance);
    let names = Names::new(&s);
    let groups = groups(&c, &names, lang);
    if a.json {
        let doc = serde_json::json!({ "schema": "itinera.actuals/1", "scenario": s.name, "comparison": c });
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).context("encoding JSON")?
        );
    } else {
        for (title, rows) in &groups {
            outln!("{title}");
            out!(
                "{}",
                super::render::table(&header(lang), &table_rows(rows, lang))
            );
            outln!();
        }
        outln!(
            "{}",
            lang.fill(
                "{} de {} visitas informadas; {} pacientes atendidos de {} programados ({})",
                "{} of {} visits reported; {} patients seen of {} programmed ({})",
                &[
                    &lang.int(f64::from(c.total.reported)),
                    &lang.int(f64::from(c.total.visits)),
                    &lang.int(f64::from(c.total.delivered)),
                    &lang.int(f64::from(c.total.programmed)),
                    &c.total
                        .achieved()
                        .map_or("-".to_string(), |x| lang.percent(x)),
                ]
            )
        );
    }
    if let Some(dir) = &a.output {
        write(dir, &c, &groups, lang)?;
        if let Some(date) = a.waiting_on {
            waiting(&s, &plan, &attendance, date, dir, lang)?;
        }
    }
    Ok(())
}

/// Write the overlay of the patients not seen before `date` (the first
/// Monday on or after it, as `replan --from`), and check that it applies.
fn waiting(
    s: &itinera::model::Scenario,
    plan: &itinera::plan::format::Plan,
    attendance: &[actuals::Attendance],
    date: chrono::NaiveDate,
    dir: &Path,
    lang: Lang,
) -> Result<(), Failure> {
    use chrono::Datelike;
    let monday =
        date + chrono::Duration::days((7 - i64::from(date.weekday().num_days_from_monday())) % 7);
    let Some(week) = s.horizon.week_of(monday) else {
        return Err(Failure::Said(itinera::tr!(
            "--waiting-on debe caer dentro del horizonte del escenario",
            "--waiting-on must fall within the scenario's horizon"
        )));
    };
    let unseen = actuals::unseen_before(s, plan, attendance, week);
    let total: f64 = unseen.iter().map(|x| x.2).sum();
    if unseen.is_empty() {
        outln!(
            "{}",
            lang.pick(
                "nadie programado quedó sin atender: no hace falta corregir las listas",
                "nobody programmed was left unseen: the lists need no correction"
            )
        );
        return Ok(());
    }
    let path = dir.join("actual-waiting.yaml");
    itinera::output::write_file(&path, actuals::overlay(&unseen, monday).as_bytes())?;
    // The overlay must apply to the scenario it was made for.
    itinera::scenario::apply_what_if(s.clone(), &path).map_err(|e| match e {
        itinera::scenario::ScenarioError::Invalid(d) => Failure::Invalid(d),
    })?;
    outln!(
        "{}",
        lang.fill(
            "{} pacientes programados y no atendidos vuelven a {} listas la semana del {}: {} (replan --what-if)",
            "{} patients programmed and not seen go back on {} lists in the week of {}: {} (replan --what-if)",
            &[&lang.int(total), &unseen.len(), &lang.date(monday), &path.display()]
        )
    );
    Ok(())
}

type Group = (String, Vec<(String, Tally)>);

fn groups(c: &Comparison, names: &Names<'_>, lang: Lang) -> Vec<Group> {
    let named =
        |map: &BTreeMap<String, Tally>, name: &dyn Fn(&str) -> String| -> Vec<(String, Tally)> {
            map.iter().map(|(k, t)| (name(k), t.clone())).collect()
        };
    vec![
        (
            lang.pick("Por especialidad", "By specialty").to_string(),
            named(&c.by_specialty, &|k| names.specialty_name(k)),
        ),
        (
            lang.pick("Por establecimiento", "By facility").to_string(),
            named(&c.by_facility, &|k| names.facility_name(k)),
        ),
        (
            lang.pick("Por mes", "By month").to_string(),
            named(&c.by_month, &|k| k.to_string()),
        ),
        (
            lang.pick("Total", "Total").to_string(),
            vec![(
                lang.pick("todas las visitas", "every visit").to_string(),
                c.total.clone(),
            )],
        ),
    ]
}

fn header(lang: Lang) -> Vec<&'static str> {
    vec![
        "",
        lang.pick("visitas", "visits"),
        lang.pick("informadas", "reported"),
        lang.pick("hechas", "held"),
        lang.pick("programados", "programmed"),
        lang.pick("atendidos", "seen"),
        lang.pick("logro", "achieved"),
        lang.pick("ausentes", "no-shows"),
    ]
}

fn table_rows(rows: &[(String, Tally)], lang: Lang) -> Vec<Vec<String>> {
    rows.iter()
        .map(|(name, t)| {
            vec![
                name.clone(),
                t.visits.to_string(),
                t.reported.to_string(),
                t.held.to_string(),
                lang.int(f64::from(t.programmed)),
                lang.int(f64::from(t.delivered)),
                t.achieved().map_or("-".to_string(), |x| lang.percent(x)),
                lang.int(f64::from(t.no_shows)),
            ]
        })
        .collect()
}

fn write(dir: &Path, c: &Comparison, groups: &[Group], lang: Lang) -> Result<(), Failure> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "group",
        "name",
        "visits",
        "reported",
        "held",
        "programmed",
        "delivered",
        "no_shows",
    ])
    .context("writing actuals.csv")?;
    for (title, rows) in groups {
        for (name, t) in rows {
            w.write_record([
                title.as_str(),
                name,
                &t.visits.to_string(),
                &t.reported.to_string(),
                &t.held.to_string(),
                &t.programmed.to_string(),
                &t.delivered.to_string(),
                &t.no_shows.to_string(),
            ])
            .context("writing actuals.csv")?;
        }
    }
    let csv = w.into_inner().context("writing actuals.csv")?;
    let months: Vec<&Tally> = c.by_month.values().collect();
    let chart = charts::curves(
        lang.pick(
            "Programado y realizado por mes",
            "Programmed and delivered by month",
        ),
        &[
            (
                lang.pick("programados", "programmed").to_string(),
                months.iter().map(|t| f64::from(t.programmed)).collect(),
            ),
            (
                lang.pick("atendidos", "seen").to_string(),
                months.iter().map(|t| f64::from(t.delivered)).collect(),
            ),
        ],
        lang.pick("mes del plan", "month of the plan"),
        lang.pick("pacientes", "patients"),
    )
    .map_err(|e| Failure::Other(anyhow::anyhow!("chart: {e}")))?;
    let title = lang.pick("Programado y realizado", "Programmed and delivered");
    let mut body = format!("<h1>{}</h1>\n{chart}\n", esc(title));
    for (t, rows) in groups {
        body += &format!("<h2>{}</h2>\n<table>\n<tr>", esc(t));
        for h in header(lang) {
            body += &format!("<th>{}</th>", esc(h));
        }
        body += "</tr>\n";
        for r in table_rows(rows, lang) {
            body += "<tr>";
            for (i, cell) in r.iter().enumerate() {
                let class = if i == 0 { "" } else { " class=\"n\"" };
                body += &format!("<td{class}>{}</td>", esc(cell));
            }
            body += "</tr>\n";
        }
        body += "</table>\n";
    }
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang.tag(),
        esc(title)
    );
    let mut stage = itinera::output::Stage::begin(dir)?;
    stage.write(Path::new("actuals.csv"), &csv)?;
    stage.write(Path::new("actuals.html"), html.as_bytes())?;
    stage.commit()?;
    outln!(
        "{}",
        lang.fill(
            "escrito en {}: actuals.csv y actuals.html",
            "written to {}: actuals.csv and actuals.html",
            &[&dir.display()]
        )
    );
    Ok(())
}
