//! The ledger's appointments for hospitals: one FHIR R4 Bundle of
//! `Appointment` resources per facility, each referencing the `Slot` the
//! publication gave its consultation day (the same id `export` writes), and
//! a list per facility for the front desk (CSV, in the user's language).
//!
//! Patients appear by their pseudonymous id only. The files still say who
//! is seen for what, so they are written owner-only by the caller.

use super::slots::TIME_FORMAT;
use crate::export::fhir;
use crate::export::lookup::Names;
use crate::lang::Lang;
use crate::model::{Priority, Scenario};
use chrono::NaiveDateTime;
use rusqlite::Connection;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One appointment as published.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// Ledger id.
    pub id: String,
    /// `booked` or `cancelled`.
    pub status: String,
    /// Whether its day or place changed after booking.
    pub changed: bool,
    /// The patient's pseudonymous id.
    pub patient: String,
    /// Priority.
    pub priority: Priority,
    /// Referral date.
    pub referred: String,
    /// The slot's consultation day (its calendar UID).
    pub event_uid: String,
    /// Facility code.
    pub facility: String,
    /// Specialty code.
    pub specialty: String,
    /// The specialist's pseudonymous key.
    pub professional: String,
    /// Local start and end.
    pub starts: NaiveDateTime,
    /// Local end.
    pub ends: NaiveDateTime,
}

/// Every appointment of open slots (booked, and cancelled ones so that a
/// hospital system removes them), by facility and time.
pub fn rows(conn: &Connection) -> rusqlite::Result<BTreeMap<String, Vec<Row>>> {
    let mut st = conn.prepare(
        "SELECT a.id, a.status, a.changed, r.patient, r.priority, r.referred, s.event_uid,
                s.facility, s.specialty, s.professional, s.starts, s.ends
         FROM appointments a JOIN referrals r ON r.id = a.referral JOIN slots s ON s.id = a.slot
         ORDER BY s.facility, s.starts, a.id",
    )?;
    let mut out: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    let rows = st.query_map([], |r| {
        let time = |i: usize| -> rusqlite::Result<NaiveDateTime> {
            let t: String = r.get(i)?;
            NaiveDateTime::parse_from_str(&t, TIME_FORMAT).map_err(|e| {
                rusqlite::Error::FromSqlConversionFailure(
                    i,
                    rusqlite::types::Type::Text,
                    Box::new(e),
                )
            })
        };
        Ok(Row {
            id: r.get(0)?,
            status: r.get(1)?,
            changed: r.get::<_, i64>(2)? != 0,
            patient: r.get(3)?,
            priority: Priority::from_rank(r.get(4)?).unwrap_or(Priority::Routine),
            referred: r.get(5)?,
            event_uid: r.get(6)?,
            facility: r.get(7)?,
            specialty: r.get(8)?,
            professional: r.get(9)?,
            starts: time(10)?,
            ends: time(11)?,
        })
    })?;
    for row in rows {
        let row = row?;
        out.entry(row.facility.clone()).or_default().push(row);
    }
    Ok(out)
}

/// The FHIR Bundle of one facility's appointments.
pub fn bundle(s: &Scenario, names: &Names<'_>, facility: &str, rows: &[Row]) -> Value {
    let sc = s.name.as_str();
    let entries: Vec<Value> = rows
        .iter()
        .map(|a| {
            let id = fhir::id("Appointment", sc, &a.id);
            let status = if a.status == "booked" { "booked" } else { "cancelled" };
            json!({
                "fullUrl": format!("urn:uuid:{id}"),
                "resource": {
                    "resourceType": "Appointment",
                    "id": id,
                    "identifier": [{ "system": "urn:itinera:appointment", "value": a.id }],
                    "status": status,
                    "serviceType": [{ "text": names.specialty_name(&a.specialty) }],
                    "priority": match a.priority { Priority::Urgent => 1, Priority::Preferred => 5, Priority::Routine => 9 },
                    "start": fhir::instant(s, a.starts),
                    "end": fhir::instant(s, a.ends),
                    "slot": [{ "reference": format!("urn:uuid:{}", fhir::id("Slot", sc, &a.event_uid)) }],
                    "participant": [
                        { "actor": { "identifier": { "system": "urn:itinera:patient", "value": a.patient } }, "status": "accepted" },
                        { "actor": { "reference": format!("urn:uuid:{}", fhir::id("Practitioner", sc, &a.professional)), "display": names.person_name(&a.professional) }, "status": "accepted" },
                        { "actor": { "reference": format!("urn:uuid:{}", fhir::id("Location", sc, facility)), "display": names.facility_name(facility) }, "status": "accepted" },
                    ],
                }
            })
        })
        .collect();
    json!({
        "resourceType": "Bundle",
        "id": fhir::id("AppointmentBundle", sc, facility),
        "type": "collection",
        "entry": entries,
    })
}

/// The front desk's list of one facility (CSV, header in `lang`).
pub fn front_desk(names: &Names<'_>, rows: &[Row], lang: Lang) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = if lang == Lang::Es {
        [
            "fecha",
            "hora",
            "fin",
            "especialidad",
            "profesional",
            "paciente",
            "prioridad",
            "derivado",
            "estado",
            "turno",
        ]
    } else {
        [
            "date",
            "time",
            "end",
            "specialty",
            "professional",
            "patient",
            "priority",
            "referred",
            "status",
            "appointment",
        ]
    };
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for a in rows {
        let status = match (a.status.as_str(), a.changed) {
            ("booked", false) => lang.pick("reservado", "booked"),
            ("booked", true) => {
                lang.pick("cambiado: avisar al paciente", "changed: tell the patient")
            }
            _ => lang.pick("cancelado", "cancelled"),
        };
        let _ = w.write_record([
            a.starts.format("%Y-%m-%d").to_string(),
            a.starts.format("%H:%M").to_string(),
            a.ends.format("%H:%M").to_string(),
            names.specialty_name(&a.specialty),
            names.person_name(&a.professional),
            a.patient.clone(),
            a.priority.label(lang).to_string(),
            a.referred.clone(),
            status.to_string(),
            a.id.clone(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}
