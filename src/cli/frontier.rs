//! `itinera frontier`: the plan solved along travel budgets, each point's
//! plan checked and kept in its own folder, and the trade-off written as
//! frontier.csv and frontier.html (with the status quo marked).

use super::{Failure, Source};
use anyhow::Context;
use clap::Args;
use itinera::export::report::{STYLE, charts, esc};
use itinera::lang::Lang;
use itinera::network::RoadNetwork;
use itinera::optimize::budget::Kind;
use itinera::plan::frontier::{self, Point};
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct FrontierArgs {
    #[command(flatten)]
    scenario: Source,
    /// Output folder: frontier.csv, frontier.html and one folder per point.
    #[arg(short, long)]
    output: PathBuf,
    /// What the budgets cap: km or cost (travel cost).
    #[arg(long, default_value = "km", value_parser = ["km", "cost"])]
    by: String,
    /// Points, the unconstrained plan included (budgets at equal shares of
    /// what it uses).
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(2..=50))]
    points: u32,
    /// Seconds each point's solver may spend.
    #[arg(long, default_value_t = 30.0)]
    time_limit: f64,
    /// Points solved at once (one solver thread each).
    #[arg(long, default_value_t = 2)]
    threads: u32,
}

pub fn run(a: &FrontierArgs, lang: Lang) -> Result<(), Failure> {
    let s = a.scenario.load()?;
    let net = RoadNetwork::new(&s);
    let kind = if a.by == "cost" { Kind::Cost } else { Kind::Km };
    let opts = itinera::optimize::Options {
        time_limit: a.time_limit,
        threads: a.threads,
        ..itinera::optimize::Options::default()
    };
    // Supply routes as `plan` adds them, then the checker: a point is kept
    // only when every rule holds.
    let finish = |p: &mut itinera::plan::format::Plan| -> Result<(), itinera::lang::Text> {
        if let Some((routes, supply)) = itinera::logistics::plan_supply(&s, &net, p.made_visits()) {
            p.routes = routes;
            p.supply = Some(supply);
        }
        let found = itinera::check::check(&s, &net, p);
        match found.first() {
            None => Ok(()),
            Some(v) => Err(itinera::tr!(
                "{}: {} ({} regla(s) incumplida(s))",
                "{}: {} ({} rule(s) broken)",
                v.rule, v.message.es, found.len();
                v.rule, v.message.en, found.len()
            )),
        }
    };
    let points = frontier::frontier(&s, &net, &opts, kind, a.points as usize, &finish)
        .map_err(|e| Failure::Said(e.text(&s)))?;
    // The status quo as a plan: its value under the same objective.
    let sq = itinera::plan::status_quo::as_plan(&s, &net);
    let sq_used = frontier::used(&sq, kind);
    let mut stage = itinera::output::Stage::begin(&a.output)?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "point",
        "budget",
        "km",
        "travel_cost",
        "patient_weeks_waiting",
        "unmet_at_end",
        "lists_beyond_max_gap",
        "objective",
        "bound",
        "gap",
        "status",
        "plan_of",
    ])
    .context("writing frontier.csv")?;
    let mut rows = Vec::new();
    for (k, p) in points.iter().enumerate() {
        let folder = folder(k, p);
        let json = serde_json::to_vec_pretty(&p.plan).context("encoding plan.json")?;
        // A plan names persons by their ids (national ids in Santa Cruz).
        stage.write_private(&Path::new(&folder).join("plan.json"), &json)?;
        let m = &p.plan.metrics;
        let gap = p.gap();
        // A smaller budget's plan, when better, stands for this point too.
        let plan_of = p.plan_of.map(|j| self::folder(j, &points[j]));
        let budget = p
            .budget
            .map_or("-".to_string(), |b| format!("{:.0}", b.limit));
        csv.write_record([
            folder.clone(),
            budget.clone(),
            format!("{:.0}", m.km),
            format!("{:.0}", m.travel_cost),
            format!("{:.1}", m.patient_weeks_waiting),
            format!("{:.1}", m.unmet_at_end),
            m.coverage_gaps.to_string(),
            p.plan
                .solver
                .objective
                .map_or(String::new(), |x| format!("{x:.0}")),
            p.bound.map_or(String::new(), |x| format!("{x:.0}")),
            gap.map_or(String::new(), |g| format!("{g:.4}")),
            p.plan.solver.status.code().to_string(),
            plan_of.clone().unwrap_or_default(),
        ])
        .context("writing frontier.csv")?;
        let mut label = if p.budget.is_some() {
            budget
        } else {
            lang.pick("sin límite", "unlimited").to_string()
        };
        if let Some(j) = p.plan_of {
            label += &lang.fill(" (plan del punto {})", " (plan of point {})", &[&(j + 1)]);
        }
        rows.push(vec![
            label,
            lang.int(m.km),
            lang.int(m.travel_cost),
            lang.int(m.patient_weeks_waiting),
            m.coverage_gaps.to_string(),
            p.plan
                .solver
                .objective
                .map_or("-".to_string(), |x| lang.int(x)),
            gap.map_or("-".to_string(), |g| lang.percent(g)),
        ]);
    }
    let header = [
        lang.pick("presupuesto", "budget"),
        "km",
        lang.pick("costo de viaje", "travel cost"),
        lang.pick("pacientes-semana en espera", "patient-weeks waiting"),
        lang.pick("listas sin visita en su máximo", "lists beyond max gap"),
        lang.pick("objetivo", "objective"),
        lang.pick("brecha", "gap"),
    ];
    let csv = csv.into_inner().context("writing frontier.csv")?;
    stage.write(Path::new("frontier.csv"), &csv)?;
    let html = page(
        &points,
        kind,
        sq_used,
        sq.metrics.objective,
        &header,
        &rows,
        lang,
    )?;
    stage.write(Path::new("frontier.html"), html.as_bytes())?;
    stage.commit()?;
    out!("{}", super::render::table(&header, &rows));
    outln!(
        "{}",
        lang.fill(
            "frontera de {} puntos escrita en {} (frontier.csv, frontier.html, un plan por punto)",
            "frontier of {} points written to {} (frontier.csv, frontier.html, one plan per point)",
            &[&points.len(), &a.output.display()]
        )
    );
    Ok(())
}

/// A point's folder: its order and budget, or `unlimited`.
fn folder(k: usize, p: &Point) -> String {
    match p.budget {
        Some(b) => format!("{:02}-{}-{:.0}", k + 1, b.code(), b.limit),
        None => format!("{:02}-unlimited", k + 1),
    }
}

fn page(
    points: &[Point],
    kind: Kind,
    sq_used: f64,
    sq_objective: f64,
    header: &[&str],
    rows: &[Vec<String>],
    lang: Lang,
) -> Result<String, Failure> {
    let chart_points: Vec<charts::FrontierPoint> = points
        .iter()
        .filter_map(|p| {
            Some(charts::FrontierPoint {
                x: frontier::used(&p.plan, kind),
                y: p.plan.solver.objective?,
                bound: p.bound,
            })
        })
        .collect();
    let x_desc = match kind {
        Kind::Km => lang.pick("km recorridos", "km driven"),
        Kind::Cost => lang.pick("costo de viaje", "travel cost"),
    };
    let svg = charts::frontier(
        &chart_points,
        &[(
            lang.pick("situación actual", "status quo").to_string(),
            sq_used,
            sq_objective,
        )],
        x_desc,
        lang.pick(
            "objetivo (barra: hasta la cota probada)",
            "objective (bar: down to the proven bound)",
        ),
    )
    .map_err(|e| Failure::Other(anyhow::anyhow!("chart: {e}")))?;
    let title = lang.pick(
        "Frontera: lo que compra el viaje",
        "Frontier: what travel buys",
    );
    let mut table = String::from("<table>\n<tr>");
    for h in header {
        table += &format!("<th>{}</th>", esc(h));
    }
    table += "</tr>\n";
    for r in rows {
        table += "<tr>";
        for (i, c) in r.iter().enumerate() {
            let class = if i == 0 { "" } else { " class=\"n\"" };
            table += &format!("<td{class}>{}</td>", esc(c));
        }
        table += "</tr>\n";
    }
    table += "</table>\n";
    let note = lang.pick(
        "Cada punto es un plan resuelto con ese presupuesto como regla dura y verificado; la barra baja hasta su cota probada: cuanto más corta, más seguro es el punto. Un plan de un presupuesto menor que resulta mejor vale también para los mayores, y la cota de un presupuesto mayor vale también para los menores: por eso la frontera nunca sube.",
        "Each point is a plan solved with that budget as a hard rule and checked; the bar goes down to its proven bound: the shorter, the more certain the point. A smaller budget's plan that turns out better holds for larger budgets too, and a larger budget's bound holds for smaller ones: so the frontier never rises.",
    );
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{t}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{t}</h1>\n<p class=\"note\">{}</p>\n{svg}\n{table}</body>\n</html>\n",
        lang.tag(),
        esc(note),
        t = esc(title),
    ))
}

/// The report's section: the frontier of `dir` (its frontier.csv) with
/// `plan` marked on it.
pub fn report_section(
    dir: &Path,
    plan: &itinera::plan::format::Plan,
    lang: Lang,
) -> Result<String, Failure> {
    let path = dir.join("frontier.csv");
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let p = path.display();
        Failure::Said(itinera::scenario::io_reason(&e).around(
            &format!("{p}: {{}} (¿escribió `itinera frontier -o` esa carpeta?)"),
            &format!("{p}: {{}} (did `itinera frontier -o` write that folder?)"),
        ))
    })?;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().context("reading frontier.csv")?.clone();
    let col = |name: &str| header.iter().position(|h| h == name);
    let (Some(km), Some(cost), Some(obj), Some(bound)) = (
        col("km"),
        col("travel_cost"),
        col("objective"),
        col("bound"),
    ) else {
        return Err(Failure::Said(itinera::tr!(
            "{} no es un frontier.csv de itinera",
            "{} is not an itinera frontier.csv",
            path.display(); path.display()
        )));
    };
    // The frontier's own axis: cost when its budgets were costs.
    let by_cost = text.lines().nth(1).is_some_and(|l| l.contains("-cost-"));
    let x = if by_cost { cost } else { km };
    let mut points = Vec::new();
    for r in reader.records() {
        let r = r.context("reading frontier.csv")?;
        let num = |i: usize| r.get(i).and_then(|v| v.parse::<f64>().ok());
        if let (Some(x), Some(y)) = (num(x), num(obj)) {
            points.push(charts::FrontierPoint {
                x,
                y,
                bound: num(bound),
            });
        }
    }
    let here = if by_cost {
        plan.metrics.travel_cost
    } else {
        plan.metrics.km
    };
    let svg = charts::frontier(
        &points,
        &[(
            lang.pick("este plan", "this plan").to_string(),
            here,
            plan.metrics.objective,
        )],
        if by_cost {
            lang.pick("costo de viaje", "travel cost")
        } else {
            lang.pick("km recorridos", "km driven")
        },
        lang.pick(
            "objetivo (barra: hasta la cota probada)",
            "objective (bar: down to the proven bound)",
        ),
    )
    .map_err(|e| Failure::Other(anyhow::anyhow!("chart: {e}")))?;
    Ok(format!(
        "<section>\n<h2>{}</h2>\n<p class=\"note\">{}</p>\n{svg}\n</section>\n",
        esc(lang.pick("Dónde está este plan en la frontera", "Where this plan sits on the frontier")),
        esc(lang.pick(
            "Cada punto es el mejor plan hallado con ese presupuesto de viaje (`itinera frontier`); el cuadrado es este plan.",
            "Each point is the best plan found under that travel budget (`itinera frontier`); the square is this plan.",
        ))
    ))
}
