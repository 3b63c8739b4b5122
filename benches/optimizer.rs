//! Criterion benchmarks of the optimizer's front end on Santa Cruz: candidate
//! route generation and building the integer program (target: under 1 s),
//! and the time to a first proven bound by column generation (issue 17
//! target: a bound in at most 5 s). The end-to-end solve and the bound's
//! curve over time are recorded in BENCHMARKS.md, not timed here.

use criterion::{Criterion, criterion_group, criterion_main};
use itinera::network::RoadNetwork;
use itinera::optimize::{Context, Options, Scope, build_for_bench, colgen};
use itinera::scenario;
use itinera::trips::TripCatalog;
use std::hint::black_box;
use std::path::Path;

fn bench(c: &mut Criterion) {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/santa-cruz"));
    let s = scenario::load(dir).expect("Santa Cruz scenario is valid");
    let net = RoadNetwork::new(&s);
    let mut g = c.benchmark_group("santa_cruz");
    g.sample_size(10);
    g.bench_function("routes_for_every_record_and_closure_state", |b| {
        b.iter(|| Context::new(black_box(&s), &net))
    });
    g.bench_function("trip_catalogue_with_placements", |b| {
        b.iter(|| TripCatalog::build(black_box(&s), &net))
    });
    let ctx = Context::new(&s, &net);
    let all = Scope::all(&s);
    g.bench_function("build_whole_program", |b| {
        b.iter(|| build_for_bench(&ctx, &Options::default(), &all))
    });
    let start = colgen::greedy_start(&ctx);
    // A deadline already passed: the bound of the first pricing round.
    g.bench_function("first_lagrangian_bound", |b| {
        b.iter(|| colgen::bound(black_box(&ctx), &start, 1, std::time::Instant::now()))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
