//! `itinera export`, and the publication `plan` makes after solving:
//! calendars, FHIR bundles, GeoJSON and report.html, written file by file
//! atomically.

use super::Failure;
use anyhow::Context as _;
use clap::Args;
use itinera::calendar::status_quo::StatusQuo;
use itinera::calendar::{self, conflicts, status_quo};
use itinera::export::{self, ExportOptions, Lang, Manifest};
use itinera::model::Scenario;
use itinera::network::RoadNetwork;
use itinera::plan::format::Plan;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ExportArgs {
    #[command(flatten)]
    scenario: super::Source,
    /// The plan.json to publish.
    plan: PathBuf,
    /// Output folder (default: the plan's folder). Publishing again into the
    /// same folder updates the calendar events instead of duplicating them.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// The global `--lang` (set by `cli::run`).
    #[arg(skip)]
    pub(crate) lang: Lang,
    /// Publish even a plan that `check` refuses (its violations and a
    /// warning are printed on stderr): for a plan edited by hand on purpose,
    /// or the status quo written as a plan.
    #[arg(long)]
    force: bool,
    /// Add the appointment ledger's numbers (`itinera book`) to report.html.
    #[arg(long, value_name = "FILE")]
    ledger: Option<PathBuf>,
    /// Show in report.html where the plan sits on the frontier written by
    /// `itinera frontier -o DIR`.
    #[arg(long, value_name = "DIR")]
    frontier: Option<PathBuf>,
}

pub fn run(a: &ExportArgs) -> Result<(), Failure> {
    let s = a.scenario.load()?;
    let plan = super::plan_for(&s, &a.plan)?;
    let dir = a
        .output
        .clone()
        .or_else(|| a.plan.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("."));
    let net = RoadNetwork::new(&s);
    let visits = calendar::merge(&s);
    let found = conflicts::find(&s, &net, &visits);
    let sq = status_quo::evaluate(&s, &net, &visits, &found);
    let target = Target {
        dir: &dir,
        lang: a.lang,
        earlier: None,
        force: a.force,
        sections: {
            let mut v = Vec::new();
            if let Some(db) = &a.ledger {
                v.push(super::appointments::report_section(db, a.lang)?);
            }
            if let Some(dir) = &a.frontier {
                v.push(super::frontier::report_section(dir, &plan, a.lang)?);
            }
            v
        },
        published_at: None,
    };
    out!("{}", publish(&s, &plan, &sq, &target, Vec::new())?);
    Ok(())
}

/// Where and how a plan is published.
pub struct Target<'a> {
    /// The publication folder.
    pub dir: &'a Path,
    /// Language of calendars, sheets and the report.
    pub lang: Lang,
    /// A folder whose publication this one continues when `dir` has none
    /// yet (a replan written to a new folder still updates the events its
    /// published plan put in calendars).
    pub earlier: Option<&'a Path>,
    /// Publish a plan that `check` refuses.
    pub force: bool,
    /// Extra sections at the end of report.html (the appointment ledger's).
    pub sections: Vec<String>,
    /// When the publication was made (calendars' DTSTAMP, FHIR timestamps):
    /// now, unless the plan has a time of its own (a merge: when its last
    /// part was solved, so that merging again writes the same files).
    pub published_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// Publish `plan` (`sq`: the status quo the report compares with), with
/// `extra` files (plan.json, diff.csv) staged with the publication so that
/// all appear together; returns the lines to print.
///
/// The plan is checked first: hospitals must never receive a calendar that
/// breaks a rule (a visit of 100,000 days, a date outside the horizon, one
/// visit twice), unless `force` says so. A folder holding another
/// scenario's publication is refused: publishing there would cancel every
/// event it holds.
pub fn publish(
    s: &Scenario,
    plan: &Plan,
    sq: &StatusQuo,
    target: &Target<'_>,
    extra: Vec<(PathBuf, Vec<u8>)>,
) -> Result<String, Failure> {
    let (dir, lang) = (target.dir, target.lang);
    let net = RoadNetwork::new(s);
    let violations = itinera::check::check(s, &net, plan);
    if !violations.is_empty() {
        for v in violations.iter().take(20) {
            eprintln!("  {}: {}", v.rule, v.message.get(lang));
        }
        let n = violations.len();
        if !target.force {
            eprintln!(
                "{}",
                lang.fill(
                    "error: el plan incumple {} regla(s) (`itinera check` las lista todas); no se publicó nada. \
                     Corrija el plan, o publíquelo igual con --force.",
                    "error: the plan breaks {} rule(s) (`itinera check` lists them all); nothing was published. \
                     Fix the plan, or publish it anyway with --force.",
                    &[&n]
                )
            );
            return Err(Failure::Answer(6));
        }
        eprintln!(
            "{}",
            lang.fill(
                "aviso: se publica un plan que incumple {} regla(s), como pide --force",
                "warning: publishing a plan that breaks {} rule(s), as --force asks",
                &[&n]
            )
        );
    }
    itinera::output::recover(dir)?;
    let earlier = target.earlier;
    let mut manifest_path = dir.join(export::MANIFEST_PATH);
    if let Some(e) = earlier.map(|e| e.join(export::MANIFEST_PATH))
        && !manifest_path.exists()
        && e.exists()
    {
        manifest_path = e;
    }
    let previous: Option<Manifest> = match std::fs::read_to_string(&manifest_path) {
        Ok(text) => Some(serde_json::from_str(&text).with_context(|| {
            lang.fill(
                "leyendo {}: no es un manifiesto escrito por itinera; muévalo a otro lado para empezar una publicación nueva (los eventos de calendario serán nuevos, no actualizaciones)",
                "reading {}: it is not a manifest written by itinera; move it away to start a new publication (calendar events will then be new, not updates)",
                &[&manifest_path.display()],
            )
        })?),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Failure::Other(
                anyhow::Error::new(e).context(lang.fill(
                    "leyendo {}",
                    "reading {}",
                    &[&manifest_path.display()],
                )),
            ));
        }
    };
    if let Some(m) = previous.as_ref().filter(|m| m.scenario != s.name) {
        return Err(Failure::Other(anyhow::anyhow!(
            "{}",
            lang.fill(
                "{} tiene la publicación del escenario \"{}\", no de \"{}\": publicar ahí cancelaría todos sus eventos. \
                 Publique en otra carpeta (-o), o mueva {} a otro lado para empezar esa carpeta de nuevo",
                "{} holds the publication of scenario \"{}\", not \"{}\": publishing there would cancel all its events. \
                 Publish into another folder (-o), or move {} away to start that folder anew",
                &[
                    &dir.display(),
                    &m.scenario,
                    &s.name,
                    &manifest_path.display()
                ]
            )
        )));
    }
    let opts = ExportOptions {
        lang,
        published_at: target.published_at.unwrap_or_else(chrono::Utc::now),
    };
    let publication = export::publish(s, plan, previous.as_ref(), &opts).map_err(Failure::from)?;
    // Why lists go without, then the sections the caller adds.
    let ctx = itinera::optimize::Context::new(s, &net);
    let unattended = itinera::plan::explain::explain(&ctx, plan, &|_, _| true, false);
    let mut sections = vec![export::report::unattended::section(s, &unattended, lang)];
    sections.extend(target.sections.iter().cloned());
    let report = export::report::html(s, plan, sq, lang, &sections).map_err(Failure::from)?;
    // Everything is staged, then moved into place together (see
    // `itinera::output`): a stopped run leaves the previous publication.
    let mut stage = itinera::output::Stage::begin(dir)?;
    for (path, bytes) in &extra {
        // A plan names persons by their ids (national ids in Santa Cruz).
        if path.file_name().is_some_and(|n| n == "plan.json") {
            stage.write_private(path, bytes)?;
        } else {
            stage.write(path, bytes)?;
        }
    }
    for f in &publication.files {
        stage.write(&f.path, &f.bytes)?;
    }
    stage.write(Path::new("report.html"), report.as_bytes())?;
    stage.commit()?;
    let count = |prefix: &str| {
        publication
            .files
            .iter()
            .filter(|f| f.path.starts_with(prefix))
            .count()
    };
    let c = publication.changes;
    Ok(lang.fill(
        "publicado en {}: {} calendarios ICS y {} CSV, planilla .xlsx, {} paquetes FHIR, mapa, index.html, report.html\neventos de calendario: {} nuevos, {} actualizados, {} sin cambios, {} cancelados\n",
        "published to {}: {} ICS and {} CSV calendars, .xlsx workbook, {} FHIR bundles, map, index.html, report.html\ncalendar events: {} new, {} updated, {} unchanged, {} cancelled\n",
        &[
            &dir.display(),
            &count("calendars/ics"),
            &count("calendars/csv"),
            &count("fhir"),
            &c.new,
            &c.updated,
            &c.unchanged,
            &c.cancelled,
        ],
    ))
}
