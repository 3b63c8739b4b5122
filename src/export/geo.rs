//! GeoJSON of the localities, with what the plan brings to each, for any
//! GIS or web map.

use super::lookup::Names;
use super::{ExportError, OutFile};
use crate::model::Scenario;
use crate::plan::format::Plan;
use geojson::{Feature, FeatureCollection, Geometry, JsonObject};
use std::collections::{BTreeMap, BTreeSet};

/// `map/localities.geojson`: a point per locality with its zone,
/// population, planned visits, consultation days and specialties.
pub fn localities(s: &Scenario, names: &Names, plan: &Plan) -> Result<OutFile, ExportError> {
    let mut visits: BTreeMap<&str, (usize, u32, BTreeSet<String>)> = BTreeMap::new();
    for v in plan.made_visits() {
        let e = visits.entry(&v.locality).or_default();
        e.0 += 1;
        e.1 += v.days;
        e.2.insert(names.specialty_name(&v.specialty));
    }
    let features = s
        .localities
        .iter()
        .map(|l| {
            let (n, days, specs) = visits.get(l.code.as_str()).cloned().unwrap_or_default();
            let mut p = JsonObject::new();
            p.insert("id".into(), l.code.clone().into());
            p.insert("name".into(), l.name.clone().into());
            p.insert("zone".into(), l.zone.clone().into());
            p.insert("population".into(), l.population.into());
            p.insert("visits".into(), n.into());
            p.insert("consultation_days".into(), days.into());
            p.insert(
                "specialties".into(),
                specs.into_iter().collect::<Vec<_>>().into(),
            );
            Feature {
                bbox: None,
                geometry: Some(Geometry::new_point(vec![l.lon, l.lat])),
                id: Some(geojson::feature::Id::String(l.code.clone())),
                properties: Some(p),
                foreign_members: None,
            }
        })
        .collect();
    let fc = FeatureCollection {
        bbox: None,
        features,
        foreign_members: None,
    };
    let text = serde_json::to_vec_pretty(&fc).map_err(|e| ExportError::Encoding {
        what: "map/localities.geojson".to_string(),
        message: e.to_string(),
    })?;
    Ok(OutFile::new("map/localities.geojson", text))
}
