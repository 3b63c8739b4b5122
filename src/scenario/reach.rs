//! Checks that each waiting list can be served at all: some specialist of the
//! specialty exists, some base of it reaches the locality by road, and some
//! facility there can host the specialty.
//!
//! Connectivity only (every road open); seasonal closures are the network's
//! business and only make some weeks impossible, not the whole demand.

use super::diagnostic::{Code, Diagnostics, Position};
use crate::model::{Demand, Facility, Locality, Road, Specialist, Specialty};
use crate::tr;
use petgraph::unionfind::UnionFind;
use std::path::Path;

pub struct Input<'a> {
    pub localities: &'a [Locality],
    pub roads: &'a [Road],
    pub facilities: &'a [Facility],
    pub specialists: &'a [Specialist],
    pub specialties: &'a [Specialty],
    pub demand: &'a [(Demand, Position)],
    pub file: &'a Path,
}

/// Connected component of each locality, by union-find over the roads.
fn components(n: usize, roads: &[Road]) -> Vec<usize> {
    let mut sets = UnionFind::<usize>::new(n);
    for r in roads {
        sets.union(r.a.index(), r.b.index());
    }
    sets.into_labeling()
}

pub fn check(input: &Input<'_>, d: &mut Diagnostics) {
    let comp = components(input.localities.len(), input.roads);
    for (dem, pos) in input.demand {
        let sp = &input.specialties[dem.specialty.index()];
        let loc = &input.localities[dem.locality.index()];
        let bases: Vec<usize> = input
            .specialists
            .iter()
            .filter(|s| s.specialty == dem.specialty)
            .map(|s| s.base.index())
            .collect();
        // Specialists serve only their own region.
        let region = &loc.region;
        let in_region: Vec<usize> = bases
            .iter()
            .copied()
            .filter(|b| &input.localities[*b].region == region)
            .collect();
        if bases.is_empty() {
            d.push(
                Code::DemandWithoutSpecialist,
                input.file,
                pos,
                "specialty",
                {
                    let (sp, loc) = (&sp.code, &loc.code);
                    tr!(
                        "se pide {sp} en {loc} pero ningún legajo de especialista la ejerce",
                        "{sp} is demanded at {loc} but no specialist record practises it"
                    )
                },
                tr!(
                    "agregue un especialista de esta especialidad o quite la fila de demanda",
                    "add a specialist of this specialty or remove the demand row"
                ),
            );
        } else if in_region.is_empty() {
            d.push(
                Code::DemandUnreachable,
                input.file,
                pos,
                "locality",
                {
                    let (sp, loc) = (&sp.code, &loc.code);
                    tr!(
                        "se pide {sp} en {loc} (región `{region}`) pero todos sus especialistas tienen base en otra región, y cada especialista atiende solo su región",
                        "{sp} is demanded at {loc} (region `{region}`) but every specialist of it is based in another region, and specialists serve only their own region"
                    )
                },
                tr!(
                    "agregue un especialista de esta especialidad con base en esa región, o corrija la columna `region` de localities.csv",
                    "add a specialist of this specialty based in that region, or correct the `region` column of localities.csv"
                ),
            );
        } else if !in_region
            .iter()
            .any(|b| comp[*b] == comp[dem.locality.index()])
        {
            d.push(
                Code::DemandUnreachable,
                input.file,
                pos,
                "locality",
                {
                    let (sp, loc) = (&sp.code, &loc.code);
                    tr!(
                        "ninguna base de {sp} está unida por camino a {loc}",
                        "no base of {sp} is connected by road to {loc}"
                    )
                },
                tr!(
                    "agregue el tramo que falta en roads.csv, o un especialista con base en esa parte de la red",
                    "add the missing road link in roads.csv, or a specialist based in that part of the network"
                ),
            );
        }
        let hosted = input
            .facilities
            .iter()
            .any(|f| f.locality == dem.locality && f.hosts(dem.specialty));
        if !hosted {
            d.push(
                Code::DemandWithoutFacility,
                input.file,
                pos,
                "locality",
                {
                    let (sp, loc) = (&sp.code, &loc.code);
                    tr!(
                        "{loc} tiene demanda de {sp} pero ningún establecimiento que pueda recibirla",
                        "{loc} has demand for {sp} but no facility that can host it"
                    )
                },
                tr!(
                    "agregue un establecimiento en esa localidad (facilities.csv) o amplíe las `specialties` de uno",
                    "add a facility in that locality (facilities.csv) or widen a facility's `specialties`"
                ),
            );
        }
    }
}
