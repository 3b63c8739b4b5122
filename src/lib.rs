//! itinera: one unified rotation plan for the itinerant medical specialists of
//! two institutions, and the supply logistics their visits need.
//!
//! The pipeline runs in one direction (see `docs/` and DESIGN): [`scenario`]
//! files are validated into the [`model`]; the [`network`] gives road
//! distances; the [`calendar`] stage merges the institutions' existing
//! calendars, finds their conflicts and scores the status quo.
#![deny(missing_docs)]

pub mod appointments;
pub mod calendar;
pub mod check;
pub mod cluster;
pub mod export;
pub mod generate;
pub mod lang;
pub mod logistics;
pub mod model;
pub mod network;
pub mod optimize;
pub mod output;
pub mod plan;
pub mod routing;
pub mod scenario;
pub mod trips;
