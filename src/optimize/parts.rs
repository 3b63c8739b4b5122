//! The pieces of the integer program as the constraint families add them.

use good_lp::{Constraint, Expression};
use serde::{Deserialize, Serialize};

/// Rule groups, for reporting model size and explaining infeasibility.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// A trip's days fit the week and match its route.
    TripShape,
    /// One trip a week per person; monthly trip and day limits.
    Person,
    /// No duplicate specialty visit within the minimum spacing.
    Spacing,
    /// Coverage rhythm (soft).
    Coverage,
    /// Consulting rooms per facility.
    Rooms,
    /// Waiting-list dynamics.
    Backlog,
    /// Confirmed visits kept (hard only when pinned).
    Commitments,
    /// A published plan being repaired: its past weeks fixed, its later
    /// visits kept where possible.
    Published,
    /// Travel budgets (km or cost) over the whole plan.
    Budget,
}

impl Group {
    /// Every group, in a stable order.
    pub const ALL: [Group; 9] = [
        Group::TripShape,
        Group::Person,
        Group::Spacing,
        Group::Coverage,
        Group::Rooms,
        Group::Backlog,
        Group::Commitments,
        Group::Published,
        Group::Budget,
    ];

    /// What the group means, for explanations.
    pub fn describe(self, lang: crate::lang::Lang) -> &'static str {
        let (es, en) = match self {
            Group::TripShape => (
                "los viajes deben caber en los días libres de la semana de la persona",
                "trips must fit the person's free days of the week",
            ),
            Group::Person => (
                "un viaje por semana por persona y los límites mensuales de viajes y días",
                "one trip a week per person and the monthly trip/day limits",
            ),
            Group::Spacing => (
                "ninguna especialidad dos veces en una localidad dentro de su separación mínima",
                "no specialty twice at a locality within its minimum spacing",
            ),
            Group::Coverage => (
                "cada lista de espera visitada al menos cada max-gap semanas",
                "every waiting list visited at least every max-gap weeks",
            ),
            Group::Rooms => (
                "consultorios por establecimiento",
                "consulting rooms per facility",
            ),
            Group::Backlog => ("evolución de las listas de espera", "waiting-list dynamics"),
            Group::Commitments => (
                "visitas confirmadas fijas en su semana",
                "confirmed visits pinned to their week",
            ),
            Group::Published => (
                "los viajes del plan publicado antes de la fecha de replanificación",
                "the published plan's trips before the replanning date",
            ),
            Group::Budget => (
                "el presupuesto de viaje (km o costo) de todo el plan",
                "the travel budget (km or cost) of the whole plan",
            ),
        };
        lang.pick(es, en)
    }
}

/// The part of the scenario a program covers: some specialties (a component
/// of the decomposition, or all) in some planning regions (or all), and how
/// many room-days of each facility and week it may use (all of them unless
/// rooms are being shared out).
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Specialties covered.
    pub specialties: std::collections::BTreeSet<crate::model::SpecialtyId>,
    /// Planning regions covered; `None` for all. Regions share no
    /// specialist, facility or waiting list except through a person with
    /// records in several, so programs of disjoint regions are independent.
    pub regions: Option<std::collections::BTreeSet<String>>,
    /// Room-days per (facility, week) this program may use, where limited.
    pub room_quota: std::collections::BTreeMap<(crate::model::FacilityId, u32), f64>,
    /// Per week, rooms of each (facility, date) left to the other
    /// components: this program's trips are laid out in what remains.
    pub rooms_taken:
        Vec<std::collections::BTreeMap<(crate::model::FacilityId, chrono::NaiveDate), u32>>,
}

impl Scope {
    /// Every specialty of the scenario, all rooms: the whole program.
    pub fn all(s: &crate::model::Scenario) -> Scope {
        Scope {
            specialties: (0..s.specialties.len())
                .map(crate::model::SpecialtyId::from_index)
                .collect(),
            ..Scope::default()
        }
    }

    /// Whether the program covers this specialty.
    pub fn has(&self, s: crate::model::SpecialtyId) -> bool {
        self.specialties.contains(&s)
    }

    /// Whether the program covers this locality's region.
    pub fn covers_locality(&self, s: &crate::model::Scenario, l: crate::model::LocalityId) -> bool {
        self.regions
            .as_ref()
            .is_none_or(|rs| rs.contains(&s.locality(l).region))
    }

    /// Whether the program plans this record: its specialty, in its base's region.
    pub fn covers_record(&self, s: &crate::model::Scenario, r: crate::model::SpecialistId) -> bool {
        let rec = s.specialist(r);
        self.has(rec.specialty) && self.covers_locality(s, rec.base)
    }

    /// Whether the program covers this waiting list.
    pub fn covers_demand(&self, s: &crate::model::Scenario, d: &crate::model::Demand) -> bool {
        self.has(d.specialty) && self.covers_locality(s, d.locality)
    }
}

/// Constraints (tagged) and objective terms collected from the families.
#[derive(Default)]
pub struct Parts {
    pub rows: Vec<(Group, Constraint)>,
    pub objective: Expression,
    /// Constant part of the objective (e.g. the penalty of every confirmed
    /// visit, which keeping a visit then earns back).
    pub constant: f64,
    /// Room rows whose upper bound drops to this program's share of the
    /// rooms during the neighbourhood search: (row index, share).
    pub shares: Vec<(usize, f64)>,
}

impl Parts {
    /// Add a constraint of a group.
    pub fn row(&mut self, g: Group, c: Constraint) {
        self.rows.push((g, c));
    }

    /// Rows per group.
    pub fn count(&self, g: Group) -> usize {
        self.rows.iter().filter(|(x, _)| *x == g).count()
    }
}
