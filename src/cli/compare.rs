//! `itinera compare`: plans side by side.

use super::plan::write_atomically;
use super::{Failure, load, read_plan};
use anyhow::Context as _;
use clap::Args;
use itinera::export::{Lang, compare};
use itinera::plan::metrics::backlog_total;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct CompareArgs {
    /// Plans to compare, the first being the reference; each a plan.json,
    /// optionally labelled as LABEL=PATH. Write the status quo as a plan
    /// with `itinera evaluate SCENARIO --as-plan FILE`.
    #[arg(required = true, num_args = 2..)]
    plans: Vec<String>,
    /// Scenario of the plans: adds the backlog curves to --html.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    /// Also write the comparison as CSV (one row per plan).
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Also write an HTML comparison page with charts.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// The global `--lang` (set by `cli::run`).
    #[arg(skip)]
    pub(crate) lang: Lang,
}

/// `LABEL=PATH`, or PATH labelled by its folder (or file) name.
fn label_and_path(arg: &str) -> (String, PathBuf) {
    if let Some((label, path)) = arg.split_once('=') {
        return (label.to_string(), PathBuf::from(path));
    }
    let path = PathBuf::from(arg);
    let from_folder = path
        .parent()
        .and_then(Path::file_name)
        .filter(|_| path.file_name().is_some_and(|n| n == "plan.json"));
    let label = from_folder
        .or_else(|| path.file_stem())
        .map_or_else(|| arg.to_string(), |n| n.to_string_lossy().into_owned());
    (label, path)
}

pub fn run(a: &CompareArgs) -> Result<(), Failure> {
    let mut plans = Vec::new();
    for arg in &a.plans {
        let (label, path) = label_and_path(arg);
        plans.push((label, read_plan(&path)?));
    }
    let cols = compare::compare(&plans);
    if a.json {
        let doc = serde_json::json!({"schema": "itinera.compare/1", "plans": cols});
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).context("encoding JSON")?
        );
    } else {
        out!("{}", compare::table(&cols, a.lang));
    }
    if let Some(path) = &a.csv {
        let bytes = compare::csv(&cols, a.lang).map_err(Failure::from)?;
        write_atomically(path, &bytes)?;
    }
    if let Some(path) = &a.html {
        let curves = match &a.scenario {
            Some(sc) => {
                let s = load(sc)?;
                Some(
                    plans
                        .iter()
                        .map(|(label, p)| (label.clone(), backlog_total(&s, &p.visits)))
                        .collect::<Vec<_>>(),
                )
            }
            None => None,
        };
        let page = compare::html(&cols, curves.as_deref(), a.lang).map_err(Failure::from)?;
        write_atomically(path, page.as_bytes())?;
    }
    Ok(())
}
