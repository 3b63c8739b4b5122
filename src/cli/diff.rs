//! `itinera diff`: what changes from one plan to another, per facility.

use super::plan::write_atomically;
use super::{Failure, read_plan, render};
use anyhow::Context as _;
use clap::Args;
use itinera::export::compare::diff_csv;
use itinera::plan::diff::{by_facility, diff};
use std::path::PathBuf;

#[derive(Args)]
pub struct DiffArgs {
    /// The plan in force (e.g. the one published).
    old: PathBuf,
    /// The plan that would replace it.
    new: PathBuf,
    /// Also write one row per visit and what became of it as CSV.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// Print JSON (schema itinera.diff/1) instead of a table.
    #[arg(long)]
    json: bool,
    /// The global `--lang` (set by `cli::run`).
    #[arg(skip)]
    pub(crate) lang: itinera::export::Lang,
}

pub fn run(a: &DiffArgs) -> Result<(), Failure> {
    let old = read_plan(&a.old)?;
    let new = read_plan(&a.new)?;
    let changes = diff(&old, &new);
    let counts = by_facility(&changes);
    if a.json {
        let doc = serde_json::json!({
            "schema": "itinera.diff/1",
            "old": a.old,
            "new": a.new,
            "by_facility": counts,
            "changes": changes,
        });
        outln!(
            "{}",
            serde_json::to_string_pretty(&doc).context("encoding JSON")?
        );
    } else {
        out!(
            "{} → {}\n\n{}",
            old.label(),
            new.label(),
            render::diff_table(&counts, a.lang)
        );
    }
    if let Some(path) = &a.csv {
        let bytes = diff_csv(&changes).map_err(Failure::from)?;
        write_atomically(path, &bytes)?;
    }
    Ok(())
}
