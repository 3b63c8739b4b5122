//! Criterion benchmarks of the optimizer's front end on generated
//! provinces (`itinera generate`, seed 1, 52 weeks): candidate routes and
//! building the whole program, at ×1 (25 localities, 60 records), ×10 and
//! ×40 the size of Santa Cruz. `SCALES=1,10` (the default) picks the sizes;
//! ×40 only on request, it needs tens of GB. Full solves are recorded in
//! BENCHMARKS.md, not timed here.

use criterion::{Criterion, criterion_group, criterion_main};
use itinera::generate::{Params, generate};
use itinera::network::RoadNetwork;
use itinera::optimize::{Context, Options, Scope, build_for_bench};
use itinera::scenario;
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
        g.bench_function("build_whole_program", |b| {
            b.iter(|| build_for_bench(&ctx, &Options::default(), &all))
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
