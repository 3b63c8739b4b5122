//! The routing engine on public benchmarks: every CVRPLIB and Solomon
//! instance in a folder, solved within the published budget, verified in
//! exact arithmetic and compared with the best known cost. Prints a Markdown
//! table for BENCHMARKS.md (also written to target/routing-bench.md).
//!
//! `cargo bench --bench routing` reads ../shared/data/vrp-benchmarks, or the
//! folder in ROUTING_BENCH_DIR. ROUTING_BENCH_FILTER keeps instances whose
//! name contains it; ROUTING_BENCH_SECONDS_PER_CLIENT (default 0.1) sets the
//! CVRP budget and ROUTING_BENCH_SOLOMON_SECONDS (default 1) the Solomon one;
//! ROUTING_BENCH_JOBS (default 2) instances run at once, one core each.

use itinera::routing::{SearchParams, formats, solve};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

struct Row {
    class: String,
    name: String,
    clients: usize,
    best_known: f64,
    cost: Option<f64>,
    vehicles: usize,
    seconds: f64,
    note: String,
}

fn env_f64(key: &str, default: f64) -> f64 {
    std::env::var(key)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // `cargo bench` passes --bench; nothing else is expected.
    let dir = std::env::var("ROUTING_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/vrp-benchmarks")
        });
    let filter = std::env::var("ROUTING_BENCH_FILTER").unwrap_or_default();
    let per_client = env_f64("ROUTING_BENCH_SECONDS_PER_CLIENT", 0.1);
    let solomon_seconds = env_f64("ROUTING_BENCH_SOLOMON_SECONDS", 1.0);
    let jobs = env_f64("ROUTING_BENCH_JOBS", 2.0) as usize;
    let mut work = Vec::new();
    for (set, ext) in [("cvrp", "vrp"), ("vrptw", "txt")] {
        let folder = dir.join(set);
        let Ok(bks) = std::fs::read_to_string(folder.join("BKS.json")) else {
            eprintln!("skipping {}: no BKS.json", folder.display());
            continue;
        };
        let bks: BTreeMap<String, serde_json::Value> =
            serde_json::from_str(&bks).expect("BKS.json is JSON");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
            .expect("benchmark folder is readable")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == ext))
            .filter(|p| {
                p.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains(&filter))
            })
            .collect();
        files.sort();
        for f in files {
            let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
            let key = if set == "vrptw" {
                format!("{stem}_distance")
            } else {
                stem.clone()
            };
            let Some(best) = bks.get(&key).and_then(|v| v["best_known_cost"].as_f64()) else {
                eprintln!("skipping {stem}: no best known cost");
                continue;
            };
            let class = if set == "vrptw" {
                stem.trim_end_matches(|c: char| c.is_ascii_digit())
                    .to_string()
            } else {
                stem.split('-').next().unwrap_or("").to_string()
            };
            // The classic sets' best known costs use the fleet in their name.
            let fleet = (set == "cvrp" && class != "X")
                .then(|| bks[&key]["vehicles"].as_u64())
                .flatten()
                .map(|k| k as usize);
            work.push((class, f, best, set == "vrptw", fleet));
        }
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs.max(1))
        .build()
        .expect("thread pool");
    let rows: Vec<Row> = pool.install(|| {
        work.par_iter()
            .map(|(class, file, best, solomon, fleet)| {
                let mut instance = formats::read(file).expect("instance is readable");
                if let Some(k) = fleet {
                    instance = instance.with_fleet(*k).expect("a positive fleet");
                }
                let n = instance.problem.clients().len();
                let budget = if *solomon {
                    solomon_seconds
                } else {
                    per_client * n as f64
                };
                let params = SearchParams {
                    time_limit: Some(Duration::from_secs_f64(budget)),
                    ..SearchParams::default()
                };
                let s = solve(&instance.problem, &params);
                let routes: Vec<Vec<usize>> = s.routes.iter().map(|r| r.clients.clone()).collect();
                let checked = if s.feasible {
                    formats::verify(&instance, &routes)
                } else {
                    Err("no feasible solution".into())
                };
                let row = Row {
                    class: class.clone(),
                    name: instance.name.clone(),
                    clients: n,
                    best_known: *best,
                    cost: checked.as_ref().ok().copied(),
                    vehicles: routes.len(),
                    seconds: s.elapsed.as_secs_f64(),
                    note: checked.err().unwrap_or_default(),
                };
                eprintln!(
                    "{} {:?} / {} in {:.1} s",
                    row.name, row.cost, row.best_known, row.seconds
                );
                row
            })
            .collect()
    });
    let mut out = String::new();
    writeln!(
        out,
        "| instance | n | best known | cost | gap % | vehicles | seconds | check |"
    )
    .unwrap();
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|---|").unwrap();
    let mut by_class: BTreeMap<String, Vec<(f64, f64)>> = BTreeMap::new();
    for r in &rows {
        let gap = r.cost.map(|c| 100.0 * (c - r.best_known) / r.best_known);
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {:.1} | {} |",
            r.name,
            r.clients,
            r.best_known,
            r.cost.map_or("—".into(), |c| format!("{c:.2}")),
            gap.map_or("—".into(), |g| format!("{g:.2}")),
            r.vehicles,
            r.seconds,
            if r.note.is_empty() {
                "ok".to_string()
            } else {
                r.note.clone()
            }
        )
        .unwrap();
        by_class
            .entry(r.class.clone())
            .or_default()
            .push((gap.unwrap_or(f64::NAN), r.seconds));
    }
    writeln!(
        out,
        "\n| class | instances | mean gap % | max gap % | mean seconds | failed checks |"
    )
    .unwrap();
    writeln!(out, "|---|---:|---:|---:|---:|---:|").unwrap();
    for (class, v) in &by_class {
        let ok: Vec<f64> = v.iter().map(|x| x.0).filter(|g| g.is_finite()).collect();
        let mean = ok.iter().sum::<f64>() / ok.len().max(1) as f64;
        let max = ok.iter().copied().fold(0.0, f64::max);
        let secs = v.iter().map(|x| x.1).sum::<f64>() / v.len() as f64;
        writeln!(
            out,
            "| {class} | {} | {mean:.2} | {max:.2} | {secs:.1} | {} |",
            v.len(),
            v.len() - ok.len()
        )
        .unwrap();
    }
    print!("{out}");
    let target = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/routing-bench.md");
    if let Err(e) = std::fs::write(&target, &out) {
        eprintln!("could not write {}: {e}", target.display());
    }
}
