//! The `logistics` section of scenario.yaml: depots, vehicles, supply kits
//! and routine deliveries, checked against the localities and specialties.

use super::diagnostic::{Code, Diagnostics};
use super::limits::{self, Range};
use super::settings::{parse_hours, positive_int, ranged, weekdays};
use super::tables::Ids;
use super::yaml::{RawLogistics, S, pos};
use crate::model::{Carry, Depot, Kit, Logistics, Routine, Vehicle};
use crate::tr;
use chrono::{NaiveTime, Weekday};
use std::collections::HashMap;
use std::path::Path;

/// Validates the section; `None` when absent or when it has problems (all
/// of which are in `d`).
pub fn validate(
    raw: Option<&S<RawLogistics>>,
    ids: &Ids,
    working_days: &[Weekday],
    default_cost_per_km: f64,
    default_driving_hours: f64,
    file: &Path,
    d: &mut Diagnostics,
) -> Option<Logistics> {
    let section = raw?;
    let raw = &section.value;
    let before = d.len();
    // Capacities, km and hours: above zero, up to the range's maximum.
    let positive = |v: &S<f64>, range: Range, field: &str, d: &mut Diagnostics| -> f64 {
        let range = Range {
            open_min: true,
            ..range
        };
        ranged(v, range, field, file, d)
    };
    let locality = |v: &S<String>, field: &str, d: &mut Diagnostics| {
        let found = ids.localities.get(&v.value).copied();
        if found.is_none() {
            d.push(
                Code::UnknownLocality,
                file,
                &pos(v),
                field,
                {
                    let v = &v.value;
                    tr!("no existe la localidad `{v}`", "unknown locality `{v}`")
                },
                tr!(
                    "use un id de localidad de localities.csv",
                    "use a locality id from localities.csv"
                ),
            );
        }
        found
    };

    let mut depots = Vec::new();
    let mut depot_ids = HashMap::new();
    for (i, rd) in raw.depots.iter().enumerate() {
        let f = format!("logistics.depots[{i}]");
        let r = &rd.value;
        if depot_ids.insert(r.id.clone(), depots.len()).is_some() {
            d.push(
                Code::DuplicateId,
                file,
                &pos(rd),
                format!("{f}.id"),
                {
                    let id = &r.id;
                    tr!(
                        "el depósito `{id}` se define dos veces",
                        "depot `{id}` is defined twice"
                    )
                },
                tr!(
                    "dele a cada depósito su propio id",
                    "give each depot its own id"
                ),
            );
        }
        let open = match &r.open {
            Some(list) => weekdays(list, &format!("{f}.open"), file, d),
            None => working_days.to_vec(),
        };
        if let Some(loc) = locality(&r.locality, &format!("{f}.locality"), d) {
            depots.push(Depot {
                code: r.id.clone(),
                name: r.name.clone().unwrap_or_else(|| r.id.clone()),
                locality: loc,
                open,
            });
        }
    }
    if raw.depots.is_empty() {
        d.push(
            Code::MissingField,
            file,
            &pos(section),
            "logistics.depots",
            tr!(
                "la logística necesita al menos un depósito",
                "logistics needs at least one depot"
            ),
            tr!(
                "liste en logistics.depots los depósitos que cargan vehículos",
                "list the warehouses that load vehicles under logistics.depots"
            ),
        );
    }

    let mut vehicles = Vec::new();
    let mut vehicle_ids = HashMap::new();
    for (i, rv) in raw.vehicles.iter().enumerate() {
        let f = format!("logistics.vehicles[{i}]");
        let r = &rv.value;
        if vehicle_ids.insert(r.id.clone(), i).is_some() {
            d.push(
                Code::DuplicateId,
                file,
                &pos(rv),
                format!("{f}.id"),
                {
                    let id = &r.id;
                    tr!(
                        "el vehículo `{id}` se define dos veces",
                        "vehicle `{id}` is defined twice"
                    )
                },
                tr!(
                    "dele a cada vehículo su propio id",
                    "give each vehicle its own id"
                ),
            );
        }
        let depot = depot_ids.get(&r.depot.value).copied();
        if depot.is_none() {
            d.push(
                Code::UnknownDepot,
                file,
                &pos(&r.depot),
                format!("{f}.depot"),
                {
                    let v = &r.depot.value;
                    tr!("no existe el depósito `{v}`", "unknown depot `{v}`")
                },
                tr!(
                    "use un id de depósito de logistics.depots",
                    "use a depot id from logistics.depots"
                ),
            );
        }
        let capacity_kg = positive(&r.capacity_kg, limits::LOAD, &format!("{f}.capacity_kg"), d);
        let capacity_m3 = r
            .capacity_m3
            .as_ref()
            .map(|v| positive(v, limits::LOAD, &format!("{f}.capacity_m3"), d));
        let cost_per_km = r.cost_per_km.as_ref().map_or(default_cost_per_km, |v| {
            ranged(v, limits::COST_PER_KM, &format!("{f}.cost_per_km"), file, d)
        });
        let max_km_per_day = r
            .max_km_per_day
            .as_ref()
            .map(|v| positive(v, limits::KM_PER_DAY, &format!("{f}.max_km_per_day"), d));
        let runs = weekdays(&r.runs, &format!("{f}.runs"), file, d);
        let max_days = r.max_days.as_ref().map_or(Some(1), |v| {
            positive_int(v, &format!("{f}.max_days"), file, d)
        });
        if let (Some(depot), Some(max_days)) = (depot, max_days) {
            vehicles.push(Vehicle {
                code: r.id.clone(),
                depot,
                capacity_kg,
                capacity_m3,
                refrigerated: r.refrigerated,
                cost_per_km,
                max_km_per_day,
                runs,
                max_days,
            });
        }
    }
    if raw.vehicles.is_empty() {
        d.push(
            Code::MissingField,
            file,
            &pos(section),
            "logistics.vehicles",
            tr!(
                "la logística necesita al menos un vehículo",
                "logistics needs at least one vehicle"
            ),
            tr!(
                "liste los vehículos en logistics.vehicles",
                "list the vehicles under logistics.vehicles"
            ),
        );
    }

    let mut kits: Vec<Kit> = Vec::new();
    for (i, rk) in raw.kits.iter().enumerate() {
        let f = format!("logistics.kits[{i}]");
        let r = &rk.value;
        let Some(&specialty) = ids.specialties.get(&r.specialty.value) else {
            d.push(
                Code::UnknownSpecialty,
                file,
                &pos(&r.specialty),
                format!("{f}.specialty"),
                {
                    let v = &r.specialty.value;
                    tr!("no existe la especialidad `{v}`", "unknown specialty `{v}`")
                },
                tr!(
                    "use un id de especialidad de `specialties:`",
                    "use a specialty id from `specialties:`"
                ),
            );
            continue;
        };
        if kits.iter().any(|k| k.specialty == specialty) {
            d.push(
                Code::DuplicateId,
                file,
                &pos(&r.specialty),
                format!("{f}.specialty"),
                {
                    let v = &r.specialty.value;
                    tr!(
                        "la especialidad `{v}` tiene dos kits",
                        "specialty `{v}` has two kits"
                    )
                },
                tr!(
                    "dele a cada especialidad un solo kit",
                    "give each specialty one kit"
                ),
            );
        }
        kits.push(Kit {
            specialty,
            kg_per_day: ranged(
                &r.kg_per_day,
                limits::LOAD,
                &format!("{f}.kg_per_day"),
                file,
                d,
            ),
            m3_per_day: r.m3_per_day.as_ref().map_or(0.0, |v| {
                ranged(v, limits::LOAD, &format!("{f}.m3_per_day"), file, d)
            }),
            cold_chain: r.cold_chain,
        });
    }

    let mut routine = Vec::new();
    for (i, rr) in raw.routine.iter().enumerate() {
        let f = format!("logistics.routine[{i}]");
        let r = &rr.value;
        let kg = ranged(&r.kg, limits::LOAD, &format!("{f}.kg"), file, d);
        let m3 = r.m3.as_ref().map_or(0.0, |v| {
            ranged(v, limits::LOAD, &format!("{f}.m3"), file, d)
        });
        if let Some(loc) = locality(&r.locality, &format!("{f}.locality"), d) {
            routine.push(Routine {
                locality: loc,
                kg,
                m3,
                cold_chain: r.cold_chain,
            });
        }
    }

    let kit_with_specialist = raw.kit_with_specialist.as_ref().map(|c| Carry {
        max_kg: ranged(
            &c.value.max_kg,
            limits::LOAD,
            "logistics.kit_with_specialist.max_kg",
            file,
            d,
        ),
        max_m3: c.value.max_m3.as_ref().map_or(f64::INFINITY, |v| {
            ranged(
                v,
                limits::LOAD,
                "logistics.kit_with_specialist.max_m3",
                file,
                d,
            )
        }),
        cold_chain: c.value.cold_chain,
    });
    let lead_days = raw
        .lead_days
        .as_ref()
        .map_or(Some(7), |v| positive_int(v, "logistics.lead_days", file, d));
    let unload_minutes = raw.unload_minutes.as_ref().map_or(30, |v| {
        u32::try_from(v.value).unwrap_or_else(|_| {
            d.push(
                Code::NotPositive,
                file,
                &pos(v),
                "logistics.unload_minutes",
                {
                    let v = v.value;
                    tr!("{v} debe ser cero o más", "{v} must be zero or more")
                },
                tr!("use minutos enteros", "use whole minutes"),
            );
            0
        })
    });
    let driving_hours_per_day =
        raw.driving_hours_per_day
            .as_ref()
            .map_or(default_driving_hours, |v| {
                let h = positive(v, limits::LOAD, "logistics.driving_hours_per_day", d);
                if h > 24.0 {
                    d.push(
                        Code::NotPositive,
                        file,
                        &pos(v),
                        "logistics.driving_hours_per_day",
                        tr!(
                            "{h} horas no caben en un día",
                            "{h} hours do not fit in a day"
                        ),
                        tr!("use como máximo 24 horas", "use at most 24 hours"),
                    );
                }
                h
            });
    let departure_time = match &raw.departure_time {
        None => NaiveTime::from_hms_opt(7, 0, 0).expect("valid time"),
        Some(t) => match parse_hours(&format!("{}-23:59", t.value)) {
            Some((from, _)) => from,
            None => {
                d.push(
                    Code::BadHours,
                    file,
                    &pos(t),
                    "logistics.departure_time",
                    {
                        let v = &t.value;
                        tr!("{v:?} no es una hora del día", "{v:?} is not a time of day")
                    },
                    tr!(
                        "escriba la hora local de salida como HH:MM, p. ej. 07:00",
                        "write the local departure time as HH:MM, e.g. 07:00"
                    ),
                );
                NaiveTime::MIN
            }
        },
    };
    let search_iterations = raw.search_iterations.as_ref().map_or(Some(300), |v| {
        positive_int(v, "logistics.search_iterations", file, d)
    });
    if d.len() > before {
        return None;
    }
    Some(Logistics {
        depots,
        vehicles,
        kits,
        routine,
        lead_days: lead_days?,
        unload_minutes,
        driving_hours_per_day,
        departure_time,
        kit_with_specialist,
        search_iterations: u64::from(search_iterations?),
    })
}
