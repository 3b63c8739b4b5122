//! Measure the column-generation bound on a scenario:
//! `cargo run --release --example cg_bound -- SCENARIO [SECONDS]`.

use itinera::network::RoadNetwork;
use itinera::optimize::{Context, colgen};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let s = itinera::scenario::load(std::path::Path::new(&args[1])).expect("a valid scenario");
    let seconds: f64 = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(30.0);
    let net = RoadNetwork::new(&s);
    let t = Instant::now();
    let ctx = Context::new(&s, &net);
    eprintln!("context {:.2} s", t.elapsed().as_secs_f64());
    let start = colgen::greedy_start(&ctx);
    eprintln!(
        "greedy {:.2} s, {} trips",
        t.elapsed().as_secs_f64(),
        start.len()
    );
    let b = colgen::bound(
        &ctx,
        &start,
        1,
        Instant::now() + Duration::from_secs_f64(seconds),
    );
    println!("{b:#?}");
}
