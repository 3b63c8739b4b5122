//! Criterion benchmarks of the foundation stages on the Santa Cruz scenario:
//! loading and validating, all-pairs road distances, and the calendar merge,
//! conflicts and status quo. Figures are recorded in BENCHMARKS.md.

use criterion::{Criterion, criterion_group, criterion_main};
use itinera::calendar::{self, conflicts, status_quo};
use itinera::network::RoadNetwork;
use itinera::scenario;
use std::hint::black_box;
use std::path::Path;

fn santa_cruz() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/santa-cruz"))
}

fn bench(c: &mut Criterion) {
    let s = scenario::load(santa_cruz()).expect("Santa Cruz scenario is valid");
    c.bench_function("load_and_validate_santa_cruz", |b| {
        b.iter(|| scenario::load(black_box(santa_cruz())).unwrap())
    });
    c.bench_function("all_pairs_distances_santa_cruz", |b| {
        b.iter(|| RoadNetwork::new(black_box(&s)).open())
    });
    c.bench_function("conflicts_and_status_quo_santa_cruz", |b| {
        b.iter(|| {
            let net = RoadNetwork::new(&s);
            let visits = calendar::merge(&s);
            let found = conflicts::find(&s, &net, &visits);
            status_quo::evaluate(&s, &net, &visits, &found)
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
