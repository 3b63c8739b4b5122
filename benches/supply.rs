//! The year's supply routes for Santa Cruz: `plan_supply` on the status-quo
//! visits, and on each plan file named in `SUPPLY_PLANS` (comma-separated,
//! e.g. `out/santa-cruz/plan.json` after `make demo`). Prints wall time and
//! the supply metrics per run; the issue 5 target is under 10 s on 2 cores.

use itinera::network::RoadNetwork;
use itinera::plan::format::Plan;
use itinera::plan::status_quo::as_plan;
use std::path::Path;
use std::time::Instant;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = itinera::scenario::load(&root.join("scenarios/santa-cruz")).expect("scenario");
    let net = RoadNetwork::new(&s);
    let mut plans = vec![("status quo".to_string(), as_plan(&s, &net))];
    for file in std::env::var("SUPPLY_PLANS").unwrap_or_default().split(',') {
        if file.is_empty() {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("a readable plan file");
        let plan: Plan = serde_json::from_str(&text).expect("a plan file");
        plans.push((file.to_string(), plan));
    }
    for (name, plan) in &plans {
        let started = Instant::now();
        let (_, supply) =
            itinera::logistics::plan_supply(&s, &net, plan.made_visits()).expect("logistics");
        let m = &supply.metrics;
        println!(
            "{name}: {:.2} s — {} deliveries, {} routed on {} trips ({} km), {} carried ({} km saved), {} undelivered",
            started.elapsed().as_secs_f64(),
            m.deliveries,
            m.routed,
            m.routes,
            m.km,
            m.carried,
            m.km_saved_by_carrying,
            m.undelivered
        );
    }
}
