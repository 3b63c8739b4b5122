//! Supply logistics of a scenario (the `logistics` section): where supplies
//! leave from, what carries them, what each consultation day needs, and the
//! routine monthly deliveries of each locality.

use super::{LocalityId, SpecialtyId};
use chrono::{NaiveTime, Weekday};

/// Everything the delivery routes are planned from.
#[derive(Clone, Debug, PartialEq)]
pub struct Logistics {
    /// Warehouses that load vehicles.
    pub depots: Vec<Depot>,
    /// Vehicles, each based at one depot.
    pub vehicles: Vec<Vehicle>,
    /// Supplies per consultation day of a specialty (specialties without a
    /// kit need no delivery).
    pub kits: Vec<Kit>,
    /// Routine monthly deliveries per locality.
    pub routine: Vec<Routine>,
    /// A visit's supplies may arrive up to this many days before its first
    /// consultation day (and must arrive by the day before).
    pub lead_days: u32,
    /// Minutes spent unloading at each stop.
    pub unload_minutes: u32,
    /// Driving hours in a vehicle's day; longer trips stop overnight.
    pub driving_hours_per_day: f64,
    /// Local time vehicles leave the depot.
    pub departure_time: NaiveTime,
    /// When set, a specialist whose base is a depot locality carries the kit
    /// of their visit if it fits.
    pub kit_with_specialist: Option<Carry>,
    /// Iterations of the routing search per month (a deterministic budget;
    /// the search also stops after a quarter of it without improvement).
    pub search_iterations: u64,
}

/// A warehouse.
#[derive(Clone, Debug, PartialEq)]
pub struct Depot {
    /// Id from the scenario.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Where it is.
    pub locality: LocalityId,
    /// Weekdays it loads vehicles.
    pub open: Vec<Weekday>,
}

/// One vehicle.
#[derive(Clone, Debug, PartialEq)]
pub struct Vehicle {
    /// Id from the scenario.
    pub code: String,
    /// Index into [`Logistics::depots`].
    pub depot: usize,
    /// Payload in kg.
    pub capacity_kg: f64,
    /// Payload in m³, when volume binds.
    pub capacity_m3: Option<f64>,
    /// Whether it keeps the cold chain.
    pub refrigerated: bool,
    /// Cost per km driven.
    pub cost_per_km: f64,
    /// Most km driven per day of trip.
    pub max_km_per_day: Option<f64>,
    /// Weekdays it leaves on a trip.
    pub runs: Vec<Weekday>,
    /// Longest trip, in days (1: back the same day).
    pub max_days: u32,
}

/// Supplies one consultation day of a specialty needs.
#[derive(Clone, Debug, PartialEq)]
pub struct Kit {
    /// The specialty.
    pub specialty: SpecialtyId,
    /// Weight per consultation day, kg.
    pub kg_per_day: f64,
    /// Volume per consultation day, m³.
    pub m3_per_day: f64,
    /// Whether it must travel refrigerated.
    pub cold_chain: bool,
}

/// A routine monthly delivery to a locality.
#[derive(Clone, Debug, PartialEq)]
pub struct Routine {
    /// Where.
    pub locality: LocalityId,
    /// Weight, kg.
    pub kg: f64,
    /// Volume, m³.
    pub m3: f64,
    /// Whether it must travel refrigerated.
    pub cold_chain: bool,
}

/// What a specialist may carry on their own trip.
#[derive(Clone, Debug, PartialEq)]
pub struct Carry {
    /// Most kg.
    pub max_kg: f64,
    /// Most m³.
    pub max_m3: f64,
    /// Whether a cooler goes along (cold-chain kits may travel).
    pub cold_chain: bool,
}
