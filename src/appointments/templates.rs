//! The messages patients read, in Spanish (or English for patients who
//! asked for it): what the message is for, the appointment's date, time,
//! professional, facility and town, and what to bring (the scenario's
//! `publish.patient_note`). The same words go into the WhatsApp template's
//! parameters, the SMS text, the e-mail and the script of a call.

use crate::lang::Lang;
use crate::model::Scenario;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, params};

/// Why a patient is contacted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// A new appointment: please confirm.
    Booking,
    /// The appointment's day or place changed: please confirm.
    Change,
    /// A replan cancelled the appointment; another one will follow.
    Cancellation,
    /// The appointment is soon.
    Reminder,
    /// Waiting without an appointment: do you still need this care?
    ListCheck,
    /// A slot offered after a request: confirm before it goes to another patient.
    Offer,
}

impl Purpose {
    /// Every purpose.
    pub const ALL: [Purpose; 6] = [
        Purpose::Booking,
        Purpose::Change,
        Purpose::Cancellation,
        Purpose::Reminder,
        Purpose::ListCheck,
        Purpose::Offer,
    ];

    /// The code stored in the ledger and written in the outbox.
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Booking => "booking",
            Purpose::Change => "change",
            Purpose::Cancellation => "cancellation",
            Purpose::Reminder => "reminder",
            Purpose::ListCheck => "list_check",
            Purpose::Offer => "offer",
        }
    }

    /// The name of the WhatsApp Business template (registered once, in
    /// both languages, with the parameters of [`Details::parameters`]).
    pub fn template(self) -> String {
        format!("itinera_{}", self.code())
    }

    /// Words for a clerk's call list.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Purpose::Booking => lang.pick("aviso de turno", "booking notice"),
            Purpose::Change => lang.pick("cambio de turno", "changed appointment"),
            Purpose::Cancellation => lang.pick("turno cancelado", "cancelled appointment"),
            Purpose::Reminder => lang.pick("recordatorio", "reminder"),
            Purpose::ListCheck => {
                lang.pick("¿sigue necesitando la atención?", "still need the care?")
            }
            Purpose::Offer => lang.pick("oferta de turno", "appointment offered"),
        }
    }
}

/// What a message says, besides its purpose.
#[derive(Clone, Debug, PartialEq)]
pub struct Details {
    /// Specialty code.
    pub specialty_code: String,
    /// Specialty name.
    pub specialty: String,
    /// The patient's town.
    pub locality: String,
    /// Referral date.
    pub referred: NaiveDate,
    /// The appointment, when there is one: start, professional, facility,
    /// facility's town.
    pub appointment: Option<(NaiveDateTime, String, String, String)>,
    /// What to bring.
    pub note: String,
}

/// The display names messages need, kept in the ledger by `book` so that
/// `contact` runs without the scenario.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Names {
    /// Specialty code → name.
    pub specialties: std::collections::BTreeMap<String, String>,
    /// Locality code → name.
    pub localities: std::collections::BTreeMap<String, String>,
    /// Facility code → (name, town).
    pub facilities: std::collections::BTreeMap<String, (String, String)>,
    /// A specialist's pseudonymous key → name.
    pub persons: std::collections::BTreeMap<String, String>,
    /// What to bring.
    pub note: String,
}

impl Names {
    /// The names of scenario `s`.
    pub fn of(s: &Scenario) -> Names {
        let keys = crate::export::lookup::person_keys(s);
        Names {
            specialties: s
                .specialties
                .iter()
                .map(|x| (x.code.clone(), x.name.clone()))
                .collect(),
            localities: s
                .localities
                .iter()
                .map(|x| (x.code.clone(), x.name.clone()))
                .collect(),
            facilities: s
                .facilities
                .iter()
                .map(|f| {
                    (
                        f.code.clone(),
                        (f.name.clone(), s.locality(f.locality).name.clone()),
                    )
                })
                .collect(),
            persons: s
                .persons
                .iter()
                .map(|p| {
                    (
                        keys.get(p.code.as_str())
                            .cloned()
                            .unwrap_or_else(|| p.code.clone()),
                        p.name.clone(),
                    )
                })
                .collect(),
            note: s.publishing.patient_note.clone(),
        }
    }

    /// Store them in the ledger (replacing earlier ones).
    pub fn store(&self, tx: &Connection) -> rusqlite::Result<()> {
        let json = serde_json::to_string(self).unwrap_or_default();
        tx.execute(
            "INSERT INTO ledger_meta (key, value) VALUES ('names', ?1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            params![json],
        )?;
        Ok(())
    }

    /// The names stored in the ledger.
    pub fn load(tx: &Connection) -> rusqlite::Result<Names> {
        let json: Option<String> = tx
            .query_row(
                "SELECT value FROM ledger_meta WHERE key = 'names'",
                [],
                |r| r.get(0),
            )
            .optional()?;
        Ok(json
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or_default())
    }
}

/// The details of a referral's message about `appointment` (if any).
pub fn details(
    tx: &Connection,
    names: &Names,
    referral: &str,
    appointment: Option<&str>,
) -> rusqlite::Result<Details> {
    let name = |map: &std::collections::BTreeMap<String, String>, code: &str| {
        map.get(code).cloned().unwrap_or_else(|| code.to_string())
    };
    let (specialty, locality, referred): (String, String, String) = tx.query_row(
        "SELECT specialty, locality, referred FROM referrals WHERE id = ?1",
        params![referral],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let appointment = match appointment {
        None => None,
        Some(a) => tx
            .query_row(
                "SELECT s.starts, s.professional, s.facility FROM appointments a
                 JOIN slots s ON s.id = a.slot WHERE a.id = ?1",
                params![a],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                    ))
                },
            )
            .optional()?
            .and_then(|(starts, person, facility)| {
                let t = NaiveDateTime::parse_from_str(&starts, super::slots::TIME_FORMAT).ok()?;
                let (place, town) = names
                    .facilities
                    .get(&facility)
                    .cloned()
                    .unwrap_or_else(|| (facility.clone(), String::new()));
                Some((t, name(&names.persons, &person), place, town))
            }),
    };
    Ok(Details {
        specialty: name(&names.specialties, &specialty),
        specialty_code: specialty,
        locality: name(&names.localities, &locality),
        referred: NaiveDate::parse_from_str(&referred, "%Y-%m-%d").unwrap_or_default(),
        appointment,
        note: names.note.clone(),
    })
}

impl Details {
    /// The template's parameters, in order: specialty, date, time,
    /// professional, facility, town (the referral date and the patient's
    /// town for a waiting-list check), what to bring.
    pub fn parameters(&self, lang: Lang) -> Vec<String> {
        match &self.appointment {
            Some((t, person, facility, town)) => vec![
                self.specialty.clone(),
                format!(
                    "{} {}",
                    lang.weekday(chrono::Datelike::weekday(&t.date())),
                    lang.date(t.date())
                ),
                t.format("%H:%M").to_string(),
                person.clone(),
                facility.clone(),
                town.clone(),
                self.note.clone(),
            ],
            None => vec![
                self.specialty.clone(),
                lang.date(self.referred),
                self.locality.clone(),
            ],
        }
    }

    /// The whole text of a message.
    pub fn text(&self, purpose: Purpose, lang: Lang) -> String {
        let p = self.parameters(lang);
        let get = |i: usize| p.get(i).map_or("", String::as_str);
        match (purpose, self.appointment.is_some()) {
            (Purpose::ListCheck, _) | (_, false) => lang.fill(
                "Hola. Usted está en la lista de espera de {} desde el {} ({}). ¿Sigue necesitando esta atención? Responda SÍ o NO.",
                "Hello. You have been on the {} waiting list since {} ({}). Do you still need this care? Reply YES or NO.",
                &[&get(0), &get(1), &get(2)],
            ),
            (Purpose::Booking, _) => lang.fill(
                "Hola. Tiene turno de {} el {} a las {} con {}, en {} ({}). {} Responda SÍ para confirmar o NO para cancelar.",
                "Hello. You have a {} appointment on {} at {} with {}, at {} ({}). {} Reply YES to confirm or NO to cancel.",
                &[&get(0), &get(1), &get(2), &get(3), &get(4), &get(5), &get(6)],
            ),
            (Purpose::Change, _) => lang.fill(
                "Su turno de {} cambió: ahora es el {} a las {} con {}, en {} ({}). {} Responda SÍ para confirmar o NO para cancelar.",
                "Your {} appointment changed: it is now on {} at {} with {}, at {} ({}). {} Reply YES to confirm or NO to cancel.",
                &[&get(0), &get(1), &get(2), &get(3), &get(4), &get(5), &get(6)],
            ),
            (Purpose::Cancellation, _) => lang.fill(
                "Su turno de {} del {} a las {} con {} en {} ({}) se canceló porque cambió la visita del especialista. Le daremos otro turno y le avisaremos. {}",
                "Your {} appointment on {} at {} with {} at {} ({}) was cancelled because the specialist's visit changed. We will give you another one and let you know. {}",
                &[&get(0), &get(1), &get(2), &get(3), &get(4), &get(5), &""],
            ),
            (Purpose::Offer, _) => lang.fill(
                "Hola. Tenemos un turno de {} para usted el {} a las {} con {}, en {} ({}). {} Responda SÍ para reservarlo; sin respuesta, el turno pasa a otro paciente.",
                "Hello. We have a {} appointment for you on {} at {} with {}, at {} ({}). {} Reply YES to keep it; without an answer it goes to another patient.",
                &[&get(0), &get(1), &get(2), &get(3), &get(4), &get(5), &get(6)],
            ),
            (Purpose::Reminder, _) => lang.fill(
                "Recordatorio: tiene turno de {} el {} a las {} con {}, en {} ({}). {}",
                "Reminder: you have a {} appointment on {} at {} with {}, at {} ({}). {}",
                &[&get(0), &get(1), &get(2), &get(3), &get(4), &get(5), &get(6)],
            ),
        }
        .trim_end()
        .to_string()
    }

    /// The e-mail's subject.
    pub fn subject(&self, purpose: Purpose, lang: Lang) -> String {
        let what = purpose.label(lang);
        format!("{} — {}", self.specialty, what)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details() -> Details {
        Details {
            specialty_code: "cardiology".into(),
            specialty: "Cardiología".into(),
            locality: "Gobernador Gregores".into(),
            referred: NaiveDate::from_ymd_opt(2027, 1, 5).unwrap(),
            appointment: Some((
                NaiveDate::from_ymd_opt(2027, 3, 2)
                    .unwrap()
                    .and_hms_opt(8, 36, 0)
                    .unwrap(),
                "Ana Ruiz".into(),
                "Hospital Distrital".into(),
                "Gobernador Gregores".into(),
            )),
            note: "Traer el DNI.".into(),
        }
    }

    #[test]
    fn a_booking_notice_says_when_where_with_whom_and_what_to_bring() {
        let text = details().text(Purpose::Booking, Lang::Es);
        for part in [
            "Cardiología",
            "02/03/2027",
            "08:36",
            "Ana Ruiz",
            "Hospital Distrital",
            "Traer el DNI.",
            "SÍ",
        ] {
            assert!(text.contains(part), "{part} missing: {text}");
        }
        assert!(
            details()
                .text(Purpose::Reminder, Lang::En)
                .starts_with("Reminder")
        );
        let mut waiting = details();
        waiting.appointment = None;
        assert!(
            waiting
                .text(Purpose::ListCheck, Lang::Es)
                .contains("lista de espera")
        );
    }
}
