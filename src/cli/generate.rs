//! `itinera generate`: write a synthetic scenario folder, then read it back
//! with the validator so a generated scenario is always a valid one.

use super::plan::write_atomically;
use super::{Failure, load};
use clap::Args;
use itinera::generate::{Params, generate};
use std::path::PathBuf;

#[derive(Args)]
pub struct GenerateArgs {
    /// Localities (hub cities and towns around them), 4 to 20000.
    #[arg(long, value_parser = clap::value_parser!(u32).range(4..=20_000))]
    localities: u32,
    /// Specialist records (both institutions), 14 to 100000.
    #[arg(long, value_parser = clap::value_parser!(u32).range(14..=100_000))]
    specialists: u32,
    /// Planning regions (provinces), each planned with its own specialists:
    /// 1 to the hub cities (a tenth of the localities), with at least 14
    /// records per region. Default: one per 25 localities.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=2_000))]
    regions: Option<u32>,
    /// Weeks of the horizon (from Monday 2027-03-01), 1 to 104.
    #[arg(long, default_value_t = 52, value_parser = clap::value_parser!(u32).range(1..=104))]
    weeks: u32,
    /// Random seed: the same seed gives the same files.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Output folder (created if missing; its scenario files are replaced).
    #[arg(short, long)]
    output: PathBuf,
}

pub fn run(a: &GenerateArgs, lang: itinera::export::Lang) -> Result<(), Failure> {
    let params = Params {
        localities: a.localities as usize,
        specialists: a.specialists as usize,
        weeks: a.weeks,
        seed: a.seed,
        regions: a.regions.map(|r| r as usize),
    };
    // Parameters that cannot make a scenario are bad input, like clap's ranges.
    let files = match generate(&params) {
        Ok(files) => files,
        Err(e) => {
            eprintln!("error: {e}");
            return Err(Failure::Answer(2));
        }
    };
    for f in &files {
        let path = a.output.join(f.name);
        write_atomically(&path, f.text.as_bytes())?;
    }
    let s = load(&a.output)?;
    // Patients for `itinera book`, consistent with demand.csv; contact data
    // (fictitious) makes the file private.
    let patients = itinera::generate::patients::synthesize(&s, a.seed);
    itinera::output::write_private(
        &a.output.join(itinera::scenario::PATIENTS_FILE),
        &itinera::scenario::patients_csv(&s, &patients),
    )?;
    outln!(
        "{}",
        lang.fill(
            "{}: escrito en {} — {}",
            "{}: written to {} — {}",
            &[&s.name, &a.output.display(), &super::summary(&s, lang)]
        )
    );
    Ok(())
}
