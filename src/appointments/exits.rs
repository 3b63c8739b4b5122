//! Leaving the waiting list for an administrative cause, with its evidence.
//!
//! The causes follow the administrative exit causes of Chile's waiting-list
//! norm (Norma Técnica N°118, applied to contact campaigns by ORD C21
//! N°1133 of 2024): a patient who cannot be reached, who declines, who was
//! seen elsewhere, who recovered, who died, who changed insurer, or whose
//! referral was a duplicate. A ministry that numbers them differently maps
//! the codes below to its own.

use super::ledger::Log;
use crate::lang::Lang;
use rusqlite::{Connection, params};
use serde_json::json;

/// Why a patient left the waiting list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Cause {
    /// Not reached on any consented channel after the configured attempts.
    NotContactable,
    /// Declines the care (renuncia o rechazo voluntario).
    Declined,
    /// Was seen elsewhere (atención otorgada en el extrasistema).
    TreatedElsewhere,
    /// No longer needs it (recuperación espontánea).
    Recovered,
    /// Died (fallecimiento).
    Deceased,
    /// Changed insurer or moved out of the network (cambio de previsión).
    ChangedInsurer,
    /// The referral was entered twice (error de registro).
    Duplicate,
}

impl Cause {
    /// Every cause.
    pub const ALL: [Cause; 7] = [
        Cause::NotContactable,
        Cause::Declined,
        Cause::TreatedElsewhere,
        Cause::Recovered,
        Cause::Deceased,
        Cause::ChangedInsurer,
        Cause::Duplicate,
    ];

    /// The code in files and in the ledger.
    pub fn code(self) -> &'static str {
        match self {
            Cause::NotContactable => "not_contactable",
            Cause::Declined => "declined",
            Cause::TreatedElsewhere => "treated_elsewhere",
            Cause::Recovered => "recovered",
            Cause::Deceased => "deceased",
            Cause::ChangedInsurer => "changed_insurer",
            Cause::Duplicate => "duplicate",
        }
    }

    /// Read a code.
    pub fn parse(text: &str) -> Option<Cause> {
        Cause::ALL.into_iter().find(|c| c.code() == text)
    }

    /// Words for the planner.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Cause::NotContactable => lang.pick("no contactable", "not contactable"),
            Cause::Declined => lang.pick("renuncia o rechazo", "declined"),
            Cause::TreatedElsewhere => lang.pick("atendido en otro lugar", "treated elsewhere"),
            Cause::Recovered => lang.pick("ya no lo necesita", "no longer needed"),
            Cause::Deceased => lang.pick("fallecimiento", "deceased"),
            Cause::ChangedInsurer => lang.pick("cambio de cobertura", "changed insurer"),
            Cause::Duplicate => lang.pick("derivación duplicada", "duplicate referral"),
        }
    }
}

/// Take `referral` off the list for `cause`, recording `evidence` (attempt
/// or response ids) and the event.
pub fn exit(
    tx: &Connection,
    log: &mut Log,
    referral: &str,
    cause: Cause,
    evidence: &str,
    source: &str,
) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE referrals SET status = 'exited' WHERE id = ?1",
        params![referral],
    )?;
    tx.execute(
        "INSERT INTO exits (referral, cause, at, evidence) VALUES (?1, ?2, ?3, ?4)",
        params![referral, cause.code(), log.at(), evidence],
    )?;
    log.append(
        tx,
        "referral_exited",
        referral,
        source,
        &json!({ "cause": cause.code(), "evidence": evidence }),
    )
}
