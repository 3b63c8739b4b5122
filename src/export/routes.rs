//! Supply routes for drivers and maps: one CSV route sheet per vehicle
//! (`routes/<vehicle>.csv`, every trip stop by stop) and
//! `map/routes.geojson` (a line per trip along the roads to its stops).

use super::lookup::Names;
use super::text::Lang;
use super::{ExportError, OutFile};
use crate::logistics::{closed_during, month_of};
use crate::model::LocalityId;
use crate::network::RoadNetwork;
use crate::plan::format::Plan;
use crate::plan::supply::Delivery;
use chrono::NaiveDate;
use geojson::{Feature, FeatureCollection, Geometry, JsonObject};
use std::collections::{BTreeMap, HashMap};

fn fail(what: &str) -> impl Fn(csv::Error) -> ExportError + '_ {
    move |e| ExportError::Encoding {
        what: what.to_string(),
        message: e.to_string(),
    }
}

/// What a delivery is, in a few words for the driver.
fn describe(d: &Delivery, names: &Names, lang: Lang) -> String {
    match (&d.specialty, &d.facility) {
        (Some(sp), Some(f)) => format!(
            "{} {} ({}, {})",
            lang.pick("Kit", "Kit"),
            names.specialty_name(sp),
            names.facility_name(f),
            d.visit.as_deref().unwrap_or("")
        ),
        _ => lang
            .pick("Reposición mensual", "Monthly supplies")
            .to_string(),
    }
}

/// One CSV per vehicle.
pub fn sheets(names: &Names, plan: &Plan, lang: Lang) -> Result<Vec<OutFile>, ExportError> {
    let Some(supply) = &plan.supply else {
        return Ok(Vec::new());
    };
    let deliveries: HashMap<&str, &Delivery> = supply
        .deliveries
        .iter()
        .map(|d| (d.id.as_str(), d))
        .collect();
    let mut by_vehicle: BTreeMap<&str, Vec<&crate::plan::supply::SupplyRoute>> = BTreeMap::new();
    for r in &plan.routes {
        by_vehicle.entry(&r.vehicle).or_default().push(r);
    }
    let header = [
        lang.pick("ruta", "route"),
        lang.pick("vehiculo", "vehicle"),
        lang.pick("deposito", "depot"),
        lang.pick("salida", "departure"),
        lang.pick("regreso", "return"),
        lang.pick("parada", "stop"),
        lang.pick("localidad", "locality"),
        lang.pick("fecha_llegada", "arrival_date"),
        lang.pick("hora_llegada", "arrival_time"),
        lang.pick("noche_previa_en_ruta", "overnight_before"),
        lang.pick("carga_a_bordo_kg", "load_on_board_kg"),
        lang.pick("descargar_kg", "unload_kg"),
        lang.pick("descargar_m3", "unload_m3"),
        lang.pick("cadena_de_frio", "cold_chain"),
        lang.pick("entregas", "deliveries"),
        lang.pick("detalle", "detail"),
    ];
    let yes_no = |b: bool| if b { lang.pick("sí", "yes") } else { "no" };
    let mut files = Vec::new();
    let file_names = super::events::unique_slugs(by_vehicle.keys().copied());
    for (vehicle, routes) in by_vehicle {
        let path = format!("routes/{}.csv", file_names[vehicle]);
        let mut w = super::sheets::writer(lang);
        w.write_record(header).map_err(fail(&path))?;
        for r in routes {
            for (k, stop) in r.stops.iter().enumerate() {
                let ds: Vec<&Delivery> = stop
                    .deliveries
                    .iter()
                    .filter_map(|id| deliveries.get(id.as_str()).copied())
                    .collect();
                let kg: f64 = ds.iter().map(|d| d.kg).sum();
                let m3: f64 = ds.iter().map(|d| d.m3).sum();
                let detail: Vec<String> = ds.iter().map(|d| describe(d, names, lang)).collect();
                w.write_record([
                    r.id.clone(),
                    r.vehicle.clone(),
                    r.depot.clone(),
                    format!(
                        "{} {}",
                        lang.date(r.depart.date()),
                        r.depart.format("%H:%M")
                    ),
                    format!("{} {}", lang.date(r.back.date()), r.back.format("%H:%M")),
                    (k + 1).to_string(),
                    super::sheets::text_cell(&names.locality_name(&stop.locality)),
                    lang.date(stop.arrival.date()),
                    stop.arrival.format("%H:%M").to_string(),
                    yes_no(stop.overnight_before).to_string(),
                    lang.decimal(stop.load_kg, 1),
                    lang.decimal(kg, 1),
                    lang.decimal(m3, 3),
                    yes_no(ds.iter().any(|d| d.cold_chain)).to_string(),
                    stop.deliveries.join(" "),
                    super::sheets::text_cell(&detail.join("; ")),
                ])
                .map_err(fail(&path))?;
            }
        }
        let bytes = w.into_inner().map_err(|e| ExportError::Encoding {
            what: path.clone(),
            message: e.to_string(),
        })?;
        files.push(OutFile::new(&path, bytes));
    }
    Ok(files)
}

/// `map/routes.geojson`: a line per trip, depot to stops and back, along
/// the roads it drives (the shortest by km with the roads closed that month,
/// as the routes were planned).
pub fn geojson(names: &Names, plan: &Plan) -> Result<Option<OutFile>, ExportError> {
    if plan.supply.is_none() {
        return Ok(None);
    }
    let s = names.scenario();
    let net = RoadNetwork::new(s);
    let mut closed: BTreeMap<NaiveDate, Vec<u32>> = BTreeMap::new();
    let depot_locality = |code: &str| {
        s.logistics
            .as_ref()
            .and_then(|l| l.depots.iter().find(|d| d.code == code))
            .map(|d| d.locality)
    };
    let id_of: HashMap<&str, LocalityId> = s
        .localities
        .iter()
        .enumerate()
        .map(|(i, l)| (l.code.as_str(), LocalityId::from_index(i)))
        .collect();
    let mut features = Vec::new();
    for r in &plan.routes {
        let Some(depot) = depot_locality(&r.depot) else {
            continue;
        };
        let month = month_of(r.depart.date());
        let closed = closed
            .entry(month)
            .or_insert_with(|| closed_during(&net, month));
        let mut places = vec![depot];
        places.extend(
            r.stops
                .iter()
                .filter_map(|stop| id_of.get(stop.locality.as_str()).copied()),
        );
        places.push(depot);
        let at = |id: LocalityId| {
            let l = &s.localities[id.index()];
            vec![l.lon, l.lat]
        };
        let mut line = vec![at(depot)];
        for leg in places.windows(2) {
            // A leg no open road joins (never in a checked plan) is drawn straight.
            let path = net
                .path(leg[0], leg[1], closed)
                .unwrap_or_else(|| leg.to_vec());
            line.extend(path[1..].iter().map(|&id| at(id)));
        }
        let mut p = JsonObject::new();
        p.insert("route".into(), r.id.clone().into());
        p.insert("vehicle".into(), r.vehicle.clone().into());
        p.insert("depot".into(), r.depot.clone().into());
        p.insert("depart".into(), r.depart.to_string().into());
        p.insert("back".into(), r.back.to_string().into());
        p.insert("km".into(), r.km.into());
        p.insert("load_kg".into(), r.load_kg.into());
        p.insert(
            "stops".into(),
            r.stops
                .iter()
                .map(|x| x.locality.clone())
                .collect::<Vec<_>>()
                .into(),
        );
        features.push(Feature {
            bbox: None,
            geometry: Some(Geometry::new_line_string(line)),
            id: Some(geojson::feature::Id::String(r.id.clone())),
            properties: Some(p),
            foreign_members: None,
        });
    }
    let fc = FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    let text = serde_json::to_vec_pretty(&fc).map_err(|e| ExportError::Encoding {
        what: "map/routes.geojson".to_string(),
        message: e.to_string(),
    })?;
    Ok(Some(OutFile::new("map/routes.geojson", text)))
}
