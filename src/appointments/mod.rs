//! From plan to patients: the consultation slots of a plan, the patients
//! booked into them, and a ledger that records every change verifiably.
//!
//! The last stage of the pipeline: it reads a plan (and the scenario it was
//! made from) and the waiting lists' patients, and keeps its state in the
//! ledger (`ledger`). `slots` cuts each consultation day into appointments,
//! `book` books and re-books, `verify` checks the record, `stats` counts
//! for the planner and `publish` writes the appointments for hospitals.

pub mod book;
pub mod contact;
pub mod exits;
pub mod ledger;
pub mod outbox;
pub mod publish;
pub mod request;
pub mod respond;
pub mod slots;
pub mod stats;
pub mod templates;
pub mod verify;

use crate::lang::Text;
use crate::tr;
use std::path::PathBuf;

pub use ledger::Ledger;

/// Why an appointment command failed. Never carries personal data.
#[derive(Debug, thiserror::Error)]
pub enum AppointmentError {
    /// The ledger file does not exist.
    #[error("no ledger at {path}")]
    NoLedger {
        /// The path given.
        path: PathBuf,
    },
    /// The file could not be created or read.
    #[error("{path}: {reason}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why, in words.
        reason: Text,
    },
    /// SQLite refused an operation (a damaged or locked file).
    #[error("{path}: {message}")]
    Sql {
        /// The ledger file.
        path: PathBuf,
        /// SQLite's message (never holds a value from a row).
        message: String,
    },
    /// The ledger belongs to another scenario.
    #[error("the ledger belongs to scenario {ledger}, not {given}")]
    OtherScenario {
        /// The ledger's scenario.
        ledger: String,
        /// The scenario given.
        given: String,
    },
}

impl AppointmentError {
    /// An SQLite error on the ledger at `path`.
    pub fn sql(path: &std::path::Path, e: &rusqlite::Error) -> Self {
        // SQLite's own messages name tables and constraints, never values.
        let message = match e {
            rusqlite::Error::SqliteFailure(f, Some(m)) => format!("{m} ({:?})", f.code),
            rusqlite::Error::SqliteFailure(f, None) => format!("{:?}", f.code),
            other => other.to_string(),
        };
        AppointmentError::Sql {
            path: path.to_path_buf(),
            message,
        }
    }

    /// The error in words, with what to do.
    pub fn text(&self) -> Text {
        match self {
            AppointmentError::NoLedger { path } => {
                let p = path.display();
                tr!(
                    "no existe el registro de turnos {p}: créelo con `itinera book ESCENARIO PLAN --db {p}`",
                    "there is no appointment ledger at {p}: create it with `itinera book SCENARIO PLAN --db {p}`"
                )
            }
            AppointmentError::Io { path, reason } => {
                let p = path.display();
                reason.around(&format!("{p}: {{}}"), &format!("{p}: {{}}"))
            }
            AppointmentError::Sql { path, message } => {
                let p = path.display();
                tr!(
                    "{p}: la base de datos rechazó la operación ({message}); nada se cambió. ¿Es un registro de itinera? ¿Lo usa otro proceso?",
                    "{p}: the database refused the operation ({message}); nothing was changed. Is it an itinera ledger? Is another process using it?"
                )
            }
            AppointmentError::OtherScenario { ledger, given } => tr!(
                "el registro de turnos es del escenario «{ledger}», no de «{given}»: use el registro de ese escenario o uno nuevo",
                "the appointment ledger belongs to scenario \"{ledger}\", not \"{given}\": use that scenario's ledger or a new one"
            ),
        }
    }
}
