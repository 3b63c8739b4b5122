//! Criterion benchmarks on generated networks (`itinera generate`, seed 1,
//! 52 weeks, one region per 25 localities): candidate routes, building one
//! region's program and the whole program, and a full `plan` solve with a
//! 5-second limit (what the pipeline costs around the solver), at ×1 (25
//! localities, 60 records), ×10 and ×40 the size of Santa Cruz.
//! `SCALES=1,10` (the default) picks the sizes for the front end,
//! `SOLVE_SCALES=1` (the default) for the full solve. Longer solves, with
//! their gaps and peak memory, are recorded in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use itinera::generate::{Params, generate};
use itinera::network::RoadNetwork;
use itinera::optimize::{Context, Options, Scope, build_for_bench, region_groups};
use itinera::{plan, scenario};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let scales = std::env::var("SCALES").unwrap_or_else(|_| "1,10".to_string());
    for k in scales
        .split(',')
        .filter_map(|x| x.trim().parse::<usize>().ok())
    {
        let dir = tempfile::tempdir().expect("temp dir");
        let files = generate(&Params {
            localities: 25 * k,
            specialists: 60 * k,
            weeks: 52,
            seed: 1,
            regions: None,
        })
        .expect("valid parameters");
        for f in files {
            std::fs::write(dir.path().join(f.name), f.text).expect("write");
        }
        let s = scenario::load(dir.path()).expect("generated scenarios are valid");
        let net = RoadNetwork::new(&s);
        let mut g = c.benchmark_group(format!("x{k}"));
        g.sample_size(10);
        g.bench_function("routes_for_every_record", |b| {
            b.iter(|| Context::new(black_box(&s), &net))
        });
        let ctx = Context::new(&s, &net);
        let all = Scope::all(&s);
        let first = Scope {
            regions: region_groups(&s).into_iter().next(),
            ..Scope::all(&s)
        };
        g.bench_function("build_one_region", |b| {
            b.iter(|| build_for_bench(&ctx, &Options::default(), &first))
        });
        g.bench_function("build_whole_program", |b| {
            b.iter(|| build_for_bench(&ctx, &Options::default(), &all))
        });
        let solve = std::env::var("SOLVE_SCALES").unwrap_or_else(|_| "1".to_string());
        if solve.split(',').any(|x| x.trim() == k.to_string()) {
            let opts = Options {
                time_limit: 5.0,
                ..Options::default()
            };
            g.bench_function("plan_5s", |b| {
                b.iter(|| plan::solve(&s, &net, &opts, None).expect("solver runs"))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
