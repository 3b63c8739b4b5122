//! Synthetic geography: hub cities with towns clustered around them, and a
//! road graph that connects them all (a spanning tree of the shortest links,
//! hub-to-hub highways and a few extra local roads), in the style of a
//! Patagonian province repeated over a larger territory.

use rand::{Rng, RngExt};

/// Km of road per km of straight line.
const ROAD_FACTOR: f64 = 1.25;

/// A generated locality, on a plane in km and in degrees.
#[derive(Clone, Debug)]
pub struct Place {
    /// Stable id, e.g. `villa-3`.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Health zone: the hub's cluster.
    pub zone: String,
    /// Planning region (province): a run of neighbouring hubs' zones.
    pub region: String,
    /// Whether it is a hub city.
    pub is_hub: bool,
    /// Position in km.
    pub x: f64,
    /// Position in km.
    pub y: f64,
    /// Inhabitants.
    pub population: u32,
}

impl Place {
    /// Latitude and longitude around 46°S 68°W.
    pub fn lat_lon(&self) -> (f64, f64) {
        let lat = -40.0 - self.y / 111.0;
        let lon = -68.0 + self.x / (111.0 * (lat.to_radians().cos()));
        (lat, lon)
    }
}

/// A generated road.
#[derive(Clone, Debug)]
pub struct Link {
    /// One end (index into the places).
    pub a: usize,
    /// Other end.
    pub b: usize,
    /// Km.
    pub km: f64,
    /// `paved`, `gravel` or `mixed`.
    pub surface: &'static str,
    /// Route name.
    pub route: String,
}

const STEMS: [&str; 16] = [
    "Villa",
    "Puerto",
    "Cerro",
    "Laguna",
    "Paso",
    "Cañadón",
    "Estancia",
    "Colonia",
    "Bahía",
    "Río",
    "Valle",
    "Sierra",
    "Pampa",
    "Fortín",
    "Lago",
    "Monte",
];
const SAINTS: [&str; 12] = [
    "San Martín",
    "Belgrano",
    "Esperanza",
    "del Sur",
    "Grande",
    "Chico",
    "Nuevo",
    "Alto",
    "Verde",
    "Blanco",
    "del Viento",
    "Austral",
];

/// Hub cities among `n` localities: one per ten (at least two).
pub fn hubs(n: usize) -> usize {
    (n / 10).max(2).min(n)
}

/// Hubs and towns: one hub per ten localities (at least two), towns around
/// their hub within 160 km; hubs 30,000–120,000 inhabitants, towns 300–20,000
/// (log-uniform: many villages, few towns). The hubs, taken along their grid
/// row by row (alternating direction, so neighbours follow each other), are
/// split into `regions` runs of neighbouring hubs.
pub fn places(n: usize, regions: usize, rng: &mut impl Rng) -> Vec<Place> {
    let hubs = hubs(n);
    let side = 260.0 * (hubs as f64).sqrt();
    let cols = (hubs as f64).sqrt().ceil() as usize;
    let snake = |h: usize| {
        let (row, col) = (h / cols, h % cols);
        row * cols + if row % 2 == 0 { col } else { cols - 1 - col }
    };
    let mut order: Vec<usize> = (0..hubs).collect();
    order.sort_by_key(|h| snake(*h));
    let mut region_of = vec![0; hubs];
    for (i, h) in order.iter().enumerate() {
        region_of[*h] = i * regions / hubs;
    }
    let mut out = Vec::with_capacity(n);
    for (h, region) in region_of.iter().enumerate() {
        // Jittered grid, so hubs spread over the territory.
        let cell = side / cols as f64;
        let x = (h % cols) as f64 * cell + rng.random_range(0.2..0.8) * cell;
        let y = (h / cols) as f64 * cell + rng.random_range(0.2..0.8) * cell;
        out.push(Place {
            code: format!("ciudad-{}", h + 1),
            name: format!("Ciudad {}", h + 1),
            zone: format!("Zona {}", h + 1),
            region: format!("Provincia {}", region + 1),
            is_hub: true,
            x,
            y,
            population: rng.random_range(30_000..120_000),
        });
    }
    for t in 0..n - hubs {
        let h = t % hubs;
        let angle = rng.random_range(0.0..std::f64::consts::TAU);
        let r = rng.random_range(20.0..160.0);
        let (hx, hy) = (out[h].x, out[h].y);
        let region = out[h].region.clone();
        let population = (rng.random_range(300f64.ln()..20_000f64.ln())).exp() as u32;
        let name = format!(
            "{} {} {}",
            STEMS[t % STEMS.len()],
            SAINTS[(t / STEMS.len()) % SAINTS.len()],
            t / (STEMS.len() * SAINTS.len()) + 1
        );
        out.push(Place {
            code: format!("pueblo-{}", t + 1),
            name,
            zone: format!("Zona {}", h + 1),
            region,
            is_hub: false,
            x: hx + r * angle.cos(),
            y: hy + r * angle.sin(),
            population,
        });
    }
    out
}

fn dist(a: &Place, b: &Place) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

/// Roads: the minimum spanning tree (so every place is reachable), each hub
/// linked to its two nearest hubs by a paved highway, and each town to its
/// second-nearest neighbour within 120 km half the time.
pub fn roads(places: &[Place], rng: &mut impl Rng) -> Vec<Link> {
    let n = places.len();
    let mut edges: std::collections::BTreeSet<(usize, usize)> = Default::default();
    // Prim's algorithm on straight-line distances.
    let mut in_tree = vec![false; n];
    let mut best = vec![(f64::INFINITY, 0usize); n];
    best[0] = (0.0, 0);
    for _ in 0..n {
        let Some(u) = (0..n)
            .filter(|&i| !in_tree[i])
            .min_by(|&a, &b| best[a].0.total_cmp(&best[b].0))
        else {
            break;
        };
        in_tree[u] = true;
        if u != best[u].1 {
            edges.insert((u.min(best[u].1), u.max(best[u].1)));
        }
        for v in 0..n {
            let d = dist(&places[u], &places[v]);
            if !in_tree[v] && d < best[v].0 {
                best[v] = (d, u);
            }
        }
    }
    let hubs: Vec<usize> = (0..n).filter(|&i| places[i].is_hub).collect();
    for &h in &hubs {
        let mut near: Vec<usize> = hubs.iter().copied().filter(|&o| o != h).collect();
        near.sort_by(|&a, &b| {
            dist(&places[h], &places[a]).total_cmp(&dist(&places[h], &places[b]))
        });
        for &o in near.iter().take(2) {
            edges.insert((h.min(o), h.max(o)));
        }
    }
    for t in (0..n).filter(|&i| !places[i].is_hub) {
        let mut near: Vec<usize> = (0..n).filter(|&o| o != t).collect();
        near.sort_by(|&a, &b| {
            dist(&places[t], &places[a]).total_cmp(&dist(&places[t], &places[b]))
        });
        if let Some(&o) = near.get(1)
            && dist(&places[t], &places[o]) <= 120.0
            && rng.random_bool(0.5)
        {
            edges.insert((t.min(o), t.max(o)));
        }
    }
    let mut national = 0;
    let mut provincial = 0;
    edges
        .into_iter()
        .map(|(a, b)| {
            let (pa, pb) = (&places[a], &places[b]);
            let km = (dist(pa, pb) * ROAD_FACTOR).max(5.0).round();
            let highway = pa.is_hub && pb.is_hub;
            let big = pa.population.min(pb.population) >= 5_000 || pa.is_hub || pb.is_hub;
            let surface = if highway || (big && rng.random_bool(0.8)) {
                "paved"
            } else if rng.random_bool(0.55) {
                "gravel"
            } else {
                "mixed"
            };
            let route = if highway {
                national += 1;
                format!("RN{national}")
            } else {
                provincial += 1;
                format!("RP{provincial}")
            };
            Link {
                a,
                b,
                km,
                surface,
                route,
            }
        })
        .collect()
}

/// Road km from `from` to every place (Dijkstra over the links).
pub fn road_km(n: usize, links: &[Link], from: usize) -> Vec<f64> {
    let mut adj: Vec<Vec<(usize, f64)>> = vec![Vec::new(); n];
    for l in links {
        adj[l.a].push((l.b, l.km));
        adj[l.b].push((l.a, l.km));
    }
    let mut km = vec![f64::INFINITY; n];
    let mut done = vec![false; n];
    km[from] = 0.0;
    for _ in 0..n {
        let Some(u) = (0..n)
            .filter(|&i| !done[i] && km[i].is_finite())
            .min_by(|&a, &b| km[a].total_cmp(&km[b]))
        else {
            break;
        };
        done[u] = true;
        for &(v, w) in &adj[u] {
            if km[u] + w < km[v] {
                km[v] = km[u] + w;
            }
        }
    }
    km
}
