//! Readers of the public benchmark formats: CVRPLIB (TSPLIB `.vrp`, EUC_2D,
//! each distance rounded to the nearest integer as CVRPLIB does) and Solomon
//! VRPTW text files (Euclidean distances, not rounded: kept in thousandths,
//! travel times rounded up so that a feasible route stays feasible in exact
//! arithmetic).

use std::path::Path;

use thiserror::Error;

use super::problem::{Client, Matrix, Problem, ProblemError, VehicleType};

/// Why a benchmark file cannot be read.
#[derive(Debug, Error)]
pub enum FormatError {
    /// The file cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// File.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
    /// A line does not fit the format.
    #[error("{path}:{line}: {message}")]
    Syntax {
        /// File.
        path: String,
        /// 1-based line.
        line: usize,
        /// What is wrong and what was expected.
        message: String,
    },
    /// The numbers do not make a valid problem.
    #[error("{path}: {source}")]
    Problem {
        /// File.
        path: String,
        /// Cause.
        source: ProblemError,
    },
}

/// A benchmark instance ready to solve.
#[derive(Debug, Clone)]
pub struct Instance {
    /// Instance name (file stem or NAME field).
    pub name: String,
    /// The problem.
    pub problem: Problem,
    /// Divide engine costs by this to get the instance's own units.
    pub scale: f64,
    /// Coordinates of every node (depot first).
    pub coordinates: Vec<(f64, f64)>,
}

/// Reads a `.vrp` (CVRPLIB) or `.txt` (Solomon) file by its extension.
pub fn read(path: &Path) -> Result<Instance, FormatError> {
    let text = std::fs::read_to_string(path).map_err(|source| FormatError::Io {
        path: path.display().to_string(),
        source,
    })?;
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let shown = path.display().to_string();
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("vrp"))
    {
        parse_cvrplib(&shown, &name, &text)
    } else {
        parse_solomon(&shown, &name, &text)
    }
}

/// Straight-line distance between two points.
fn euclid(a: (f64, f64), b: (f64, f64)) -> f64 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

fn syntax(path: &str, line: usize, message: impl Into<String>) -> FormatError {
    FormatError::Syntax {
        path: path.to_string(),
        line,
        message: message.into(),
    }
}

fn numbers<T: std::str::FromStr>(
    path: &str,
    line: usize,
    text: &str,
    want: usize,
) -> Result<Vec<T>, FormatError> {
    let values: Vec<T> = text
        .split_whitespace()
        .map(|w| w.parse::<T>())
        .collect::<Result<_, _>>()
        .map_err(|_| {
            syntax(
                path,
                line,
                format!("expected {want} numbers, found `{}`", text.trim()),
            )
        })?;
    if values.len() != want {
        return Err(syntax(
            path,
            line,
            format!("expected {want} numbers, found {}", values.len()),
        ));
    }
    Ok(values)
}

/// Parses CVRPLIB text.
pub fn parse_cvrplib(path: &str, stem: &str, text: &str) -> Result<Instance, FormatError> {
    let mut name = stem.to_string();
    let mut dimension = None;
    let mut capacity = None;
    let mut coords: Vec<Option<(f64, f64)>> = Vec::new();
    let mut demands: Vec<Option<i64>> = Vec::new();
    let mut depots = Vec::new();
    let mut section = "";
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let t = raw.trim();
        if t.is_empty() || t == "EOF" {
            continue;
        }
        if let Some((key, value)) = t.split_once(':') {
            let (key, value) = (key.trim(), value.trim());
            match key {
                "NAME" => name = value.to_string(),
                "DIMENSION" => {
                    let n: usize = value
                        .parse()
                        .map_err(|_| syntax(path, line, "DIMENSION must be a whole number"))?;
                    dimension = Some(n);
                    coords = vec![None; n];
                    demands = vec![None; n];
                }
                "CAPACITY" => {
                    capacity = Some(
                        value
                            .parse::<i64>()
                            .map_err(|_| syntax(path, line, "CAPACITY must be a whole number"))?,
                    )
                }
                "EDGE_WEIGHT_TYPE" if value != "EUC_2D" => {
                    return Err(syntax(
                        path,
                        line,
                        format!("EDGE_WEIGHT_TYPE {value} is not supported; use EUC_2D"),
                    ));
                }
                "TYPE" if value != "CVRP" => {
                    return Err(syntax(
                        path,
                        line,
                        format!("TYPE {value} is not supported; use CVRP"),
                    ));
                }
                _ => {}
            }
            section = "";
            continue;
        }
        if t.ends_with("_SECTION") {
            if dimension.is_none() {
                return Err(syntax(
                    path,
                    line,
                    "DIMENSION must come before the sections",
                ));
            }
            section = match t {
                "NODE_COORD_SECTION" => "coord",
                "DEMAND_SECTION" => "demand",
                "DEPOT_SECTION" => "depot",
                other => {
                    return Err(syntax(
                        path,
                        line,
                        format!("section {other} is not supported"),
                    ));
                }
            };
            continue;
        }
        let n = dimension.unwrap_or(0);
        let index = |id: f64| -> Result<usize, FormatError> {
            let k = id as usize;
            if id.fract() != 0.0 || k == 0 || k > n {
                return Err(syntax(path, line, format!("node {id} is outside 1..={n}")));
            }
            Ok(k - 1)
        };
        match section {
            "coord" => {
                let v: Vec<f64> = numbers(path, line, t, 3)?;
                coords[index(v[0])?] = Some((v[1], v[2]));
            }
            "demand" => {
                let v: Vec<i64> = numbers(path, line, t, 2)?;
                demands[index(v[0] as f64)?] = Some(v[1]);
            }
            "depot" => {
                let v: Vec<i64> = numbers(path, line, t, 1)?;
                if v[0] >= 0 {
                    depots.push(index(v[0] as f64)?);
                }
            }
            _ => return Err(syntax(path, line, format!("unexpected line `{t}`"))),
        }
    }
    let last = text.lines().count();
    let n = dimension.ok_or_else(|| syntax(path, last, "DIMENSION is missing"))?;
    let capacity = capacity.ok_or_else(|| syntax(path, last, "CAPACITY is missing"))?;
    if depots != [0] {
        return Err(syntax(
            path,
            last,
            "DEPOT_SECTION must name node 1 as the only depot",
        ));
    }
    let coords: Vec<(f64, f64)> = coords
        .into_iter()
        .enumerate()
        .map(|(k, c)| {
            c.ok_or_else(|| syntax(path, last, format!("node {} has no coordinates", k + 1)))
        })
        .collect::<Result<_, _>>()?;
    let demands: Vec<i64> = demands
        .into_iter()
        .enumerate()
        .map(|(k, d)| d.ok_or_else(|| syntax(path, last, format!("node {} has no demand", k + 1))))
        .collect::<Result<_, _>>()?;
    let distance = Matrix::from_fn(n, |i, j| euclid(coords[i], coords[j]).round() as i64);
    let clients: Vec<Client> = demands[1..]
        .iter()
        .map(|&d| Client::with_demand(d))
        .collect();
    let total: i64 = demands.iter().sum();
    // HGS-CVRP's fleet: enough vehicles that the fleet never binds.
    let fleet = ((1.3 * total as f64 / capacity.max(1) as f64).ceil() as usize + 3).max(1);
    let problem = Problem::new(
        1,
        clients,
        vec![VehicleType::new(0, fleet, capacity)],
        distance,
        None,
    )
    .map_err(|source| FormatError::Problem {
        path: path.to_string(),
        source,
    })?;
    Ok(Instance {
        name,
        problem,
        scale: 1.0,
        coordinates: coords,
    })
}

impl Instance {
    /// Limits the fleet to `vehicles` (the classic A, B, E and P best known
    /// costs use the fleet size in the instance name; X uses no limit).
    pub fn with_fleet(mut self, vehicles: usize) -> Result<Self, ProblemError> {
        let p = &self.problem;
        let mut types = p.vehicle_types().to_vec();
        types[0].count = vehicles;
        let n = p.nodes();
        self.problem = Problem::new(
            p.depots(),
            p.clients().to_vec(),
            types,
            Matrix::from_fn(n, |i, j| p.distance(i, j)),
            Some(Matrix::from_fn(n, |i, j| p.time(i, j))),
        )?;
        Ok(self)
    }
}

/// Thousandths: the unit of Solomon distances and times.
pub const SOLOMON_SCALE: f64 = 1000.0;

/// Parses Solomon text.
pub fn parse_solomon(path: &str, stem: &str, text: &str) -> Result<Instance, FormatError> {
    let lines: Vec<&str> = text.lines().collect();
    let name = lines
        .first()
        .map(|l| l.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or(stem.to_string());
    let mut fleet = None;
    let mut rows: Vec<[f64; 7]> = Vec::new();
    let mut i = 1;
    while i < lines.len() {
        let t = lines[i].trim();
        if t.starts_with("NUMBER") {
            // The next non-empty line holds the fleet size and capacity.
            let k = (i + 1..lines.len())
                .find(|&k| !lines[k].trim().is_empty())
                .ok_or_else(|| syntax(path, i + 1, "vehicle number and capacity are missing"))?;
            let v: Vec<i64> = numbers(path, k + 1, lines[k], 2)?;
            fleet = Some((v[0], v[1]));
            i = k + 1;
            continue;
        }
        if t.starts_with("CUST NO") {
            for (k, line) in lines.iter().enumerate().skip(i + 1) {
                if line.trim().is_empty() {
                    continue;
                }
                let v: Vec<f64> = numbers(path, k + 1, line, 7)?;
                if v[0] as usize != rows.len() {
                    return Err(syntax(
                        path,
                        k + 1,
                        format!("customer {} is out of order; expected {}", v[0], rows.len()),
                    ));
                }
                rows.push([v[0], v[1], v[2], v[3], v[4], v[5], v[6]]);
            }
            break;
        }
        i += 1;
    }
    let (count, capacity) = fleet.ok_or_else(|| {
        syntax(
            path,
            lines.len(),
            "the VEHICLE section (NUMBER CAPACITY) is missing",
        )
    })?;
    if rows.len() < 2 {
        return Err(syntax(
            path,
            lines.len(),
            "the CUSTOMER section needs the depot (0) and at least one customer",
        ));
    }
    let coords: Vec<(f64, f64)> = rows.iter().map(|r| (r[1], r[2])).collect();
    let n = rows.len();
    let distance = Matrix::from_fn(n, |i, j| {
        (euclid(coords[i], coords[j]) * SOLOMON_SCALE).round() as i64
    });
    let time = Matrix::from_fn(n, |i, j| {
        (euclid(coords[i], coords[j]) * SOLOMON_SCALE).ceil() as i64
    });
    let scaled = |x: f64| (x * SOLOMON_SCALE).round() as i64;
    let clients = rows[1..]
        .iter()
        .map(|r| Client {
            demand: [r[3] as i64, 0],
            service: scaled(r[6]),
            window: (scaled(r[4]), scaled(r[5])),
            cold_chain: false,
        })
        .collect();
    let mut vehicle = VehicleType::new(0, count.max(0) as usize, capacity);
    vehicle.start_window = (scaled(rows[0][4]), scaled(rows[0][5]));
    vehicle.latest_return = scaled(rows[0][5]);
    let problem =
        Problem::new(1, clients, vec![vehicle], distance, Some(time)).map_err(|source| {
            FormatError::Problem {
                path: path.to_string(),
                source,
            }
        })?;
    Ok(Instance {
        name,
        problem,
        scale: SOLOMON_SCALE,
        coordinates: coords,
    })
}

/// Checks routes (client indices per route, as returned by the engine)
/// against an instance independently of the search, in exact arithmetic:
/// every client served once, capacity, fleet size and, for Solomon, time
/// windows with unrounded travel times. Returns the cost in the instance's
/// units (CVRPLIB: rounded distances; Solomon: exact Euclidean).
pub fn verify(instance: &Instance, routes: &[Vec<usize>]) -> Result<f64, String> {
    let p = &instance.problem;
    let clients = p.clients();
    let vehicle = &p.vehicle_types()[0];
    if routes.len() > vehicle.count {
        return Err(format!(
            "{} routes for a fleet of {}",
            routes.len(),
            vehicle.count
        ));
    }
    let mut seen = vec![false; clients.len()];
    let xy = &instance.coordinates;
    let exact = |a: usize, b: usize| euclid(xy[a], xy[b]);
    let solomon = instance.scale != 1.0;
    let mut total = 0.0;
    for (k, route) in routes.iter().enumerate() {
        let mut load = 0;
        let mut time = vehicle.start_window.0 as f64 / instance.scale;
        let mut last = 0;
        for &c in route {
            if c >= clients.len() {
                return Err(format!("route {}: client {} does not exist", k + 1, c + 1));
            }
            if std::mem::replace(&mut seen[c], true) {
                return Err(format!("client {} is served twice", c + 1));
            }
            let node = c + 1;
            let client = &clients[c];
            load += client.demand[0];
            let leg = if solomon {
                exact(last, node)
            } else {
                p.distance(last, node) as f64
            };
            total += leg;
            let (ready, due) = (
                client.window.0 as f64 / instance.scale,
                client.window.1 as f64 / instance.scale,
            );
            time = (time + leg).max(ready);
            if solomon && time > due + 1e-9 {
                return Err(format!(
                    "route {}: client {} served at {time:.3}, after its due time {due}",
                    k + 1,
                    c + 1
                ));
            }
            time += client.service as f64 / instance.scale;
            last = node;
        }
        let leg = if solomon {
            exact(last, 0)
        } else {
            p.distance(last, 0) as f64
        };
        total += leg;
        let back = time + leg;
        let latest = vehicle.latest_return as f64 / instance.scale;
        if solomon && back > latest + 1e-9 {
            return Err(format!(
                "route {}: back at the depot at {back:.3}, after {latest}",
                k + 1
            ));
        }
        if load > vehicle.capacity[0] {
            return Err(format!(
                "route {}: load {load} above capacity {}",
                k + 1,
                vehicle.capacity[0]
            ));
        }
    }
    if let Some(c) = seen.iter().position(|s| !s) {
        return Err(format!("client {} is not served", c + 1));
    }
    Ok(total)
}
