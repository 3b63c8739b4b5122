//! The supply part of `plan.json`: every delivery the visits and the routine
//! need, what happened to it, and the vehicle routes that make them.

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

/// Deliveries and their outcome.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Supply {
    /// Every delivery, routed or not.
    pub deliveries: Vec<Delivery>,
    /// Totals.
    pub metrics: SupplyMetrics,
}

/// What one delivery carries, where, and by when.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Delivery {
    /// Delivery id (`D0001`…).
    pub id: String,
    /// `visit_kit` or `routine`.
    pub kind: String,
    /// Visit it supplies (kits only).
    pub visit: Option<String>,
    /// Specialty of the kit.
    pub specialty: Option<String>,
    /// Locality id.
    pub locality: String,
    /// Facility id (kits only).
    pub facility: Option<String>,
    /// Weight, kg.
    pub kg: f64,
    /// Volume, m³.
    pub m3: f64,
    /// Whether it must travel refrigerated.
    pub cold_chain: bool,
    /// First day it may arrive.
    pub earliest: NaiveDate,
    /// Last day it may arrive (the day before the visit, for kits).
    pub latest: NaiveDate,
    /// `routed`, `carried` (by the visiting specialist) or `undelivered`.
    pub status: String,
    /// Route that makes it (routed only).
    pub route: Option<String>,
    /// Specialist record that carries it (carried only).
    pub carried_by: Option<String>,
    /// Why it cannot be made (undelivered only): `no_vehicle`,
    /// `unreachable`, `capacity`, `time_window`, `distance` or `fleet`.
    pub reason: Option<String>,
    /// The reason in words.
    pub detail: Option<String>,
}

/// One vehicle trip.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyRoute {
    /// Route id (`R001`…).
    pub id: String,
    /// Vehicle id.
    pub vehicle: String,
    /// Depot id (start and end).
    pub depot: String,
    /// Departure from the depot, local time.
    pub depart: NaiveDateTime,
    /// Return to the depot, local time.
    pub back: NaiveDateTime,
    /// Nights away from the depot.
    pub nights: u32,
    /// Load on departure, kg.
    pub load_kg: f64,
    /// Load on departure, m³.
    pub load_m3: f64,
    /// Road km driven.
    pub km: f64,
    /// Cost of the km driven.
    pub cost: f64,
    /// Stops in order.
    pub stops: Vec<SupplyStop>,
}

/// One stop of a route.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyStop {
    /// Locality id.
    pub locality: String,
    /// Start of unloading, local time.
    pub arrival: NaiveDateTime,
    /// Deliveries unloaded here.
    pub deliveries: Vec<String>,
    /// Load on board on arrival, kg.
    pub load_kg: f64,
    /// Load on board on arrival, m³.
    pub load_m3: f64,
    /// Whether the vehicle stopped overnight on the way here.
    pub overnight_before: bool,
}

/// Totals of the supply plan.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupplyMetrics {
    /// Deliveries needed.
    pub deliveries: usize,
    /// Made by a vehicle.
    pub routed: usize,
    /// Carried by the visiting specialist.
    pub carried: usize,
    /// Not made (each with its reason).
    pub undelivered: usize,
    /// Vehicle trips.
    pub routes: usize,
    /// Vehicles used at least once.
    pub vehicles_used: usize,
    /// Road km driven by the vehicles.
    pub km: f64,
    /// Cost of those km.
    pub cost: f64,
    /// Km the vehicles would drive more if specialists carried no kit: the
    /// month planned again with the kits on board, from its routes.
    pub km_saved_by_carrying: f64,
}
