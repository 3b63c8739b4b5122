//! Patients on the waiting lists, one referral each: who waits for what,
//! since when, how urgently, and how they agreed to be contacted.
//!
//! A patient is known by a pseudonymous id; the contact values (phone,
//! e-mail) are personal data. `Debug` leaves them out so that a panic or a
//! log line can never carry them.

use super::{LocalityId, SpecialtyId};
use crate::lang::Lang;
use chrono::NaiveDate;

/// Clinical priority of a referral: booked in this order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// Seen first.
    Urgent,
    /// Before routine referrals ("preferente").
    Preferred,
    /// In order of referral.
    Routine,
}

impl Priority {
    /// Every priority, in booking order.
    pub const ALL: [Priority; 3] = [Priority::Urgent, Priority::Preferred, Priority::Routine];

    /// The code written in files (`urgent`, `preferred`, `routine`).
    pub fn code(self) -> &'static str {
        match self {
            Priority::Urgent => "urgent",
            Priority::Preferred => "preferred",
            Priority::Routine => "routine",
        }
    }

    /// Read a code, English or Spanish (`urgente`, `preferente`, `rutina`).
    pub fn parse(text: &str) -> Option<Priority> {
        match text.to_ascii_lowercase().as_str() {
            "urgent" | "urgente" => Some(Priority::Urgent),
            "preferred" | "preferente" => Some(Priority::Preferred),
            "routine" | "rutina" => Some(Priority::Routine),
            _ => None,
        }
    }

    /// The word a clerk reads.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Priority::Urgent => lang.pick("urgente", "urgent"),
            Priority::Preferred => lang.pick("preferente", "preferred"),
            Priority::Routine => lang.pick("rutina", "routine"),
        }
    }

    /// Its rank in booking order (0 first), as stored in the ledger.
    pub fn rank(self) -> i64 {
        self as i64
    }

    /// The priority of a stored rank.
    pub fn from_rank(rank: i64) -> Option<Priority> {
        Priority::ALL.get(usize::try_from(rank).ok()?).copied()
    }
}

/// A way to reach a patient, which the patient consented to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Channel {
    /// A WhatsApp message to the phone number.
    WhatsApp,
    /// A text message to the phone number.
    Sms,
    /// A call to the phone number.
    Phone,
    /// An e-mail.
    Email,
}

impl Channel {
    /// Every channel.
    pub const ALL: [Channel; 4] = [
        Channel::WhatsApp,
        Channel::Sms,
        Channel::Phone,
        Channel::Email,
    ];

    /// The code written in files.
    pub fn code(self) -> &'static str {
        match self {
            Channel::WhatsApp => "whatsapp",
            Channel::Sms => "sms",
            Channel::Phone => "phone",
            Channel::Email => "email",
        }
    }

    /// Read a code (Spanish `telefono`/`teléfono` and `correo` too).
    pub fn parse(text: &str) -> Option<Channel> {
        match text.to_lowercase().as_str() {
            "whatsapp" => Some(Channel::WhatsApp),
            "sms" => Some(Channel::Sms),
            "phone" | "telefono" | "teléfono" => Some(Channel::Phone),
            "email" | "e-mail" | "correo" => Some(Channel::Email),
            _ => None,
        }
    }

    /// Whether it reaches the patient through the phone number.
    pub fn uses_phone(self) -> bool {
        self != Channel::Email
    }
}

/// One referral of one patient: a place on a waiting list.
#[derive(Clone, PartialEq)]
pub struct Patient {
    /// Pseudonymous id (never a name or a national id).
    pub id: String,
    /// Where the patient lives: the waiting list's locality.
    pub locality: LocalityId,
    /// What the patient waits for.
    pub specialty: SpecialtyId,
    /// Date of the referral: the patient can be booked from then on.
    pub referred: NaiveDate,
    /// Clinical priority.
    pub priority: Priority,
    /// Consented channels, in the patient's order of preference.
    pub channels: Vec<Channel>,
    /// Phone number (personal data), needed by WhatsApp, SMS and calls.
    pub phone: Option<String>,
    /// E-mail address (personal data).
    pub email: Option<String>,
    /// Language of the messages the patient receives.
    pub language: Lang,
}

impl std::fmt::Debug for Patient {
    /// Everything but the contact values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Patient")
            .field("id", &self.id)
            .field("locality", &self.locality)
            .field("specialty", &self.specialty)
            .field("referred", &self.referred)
            .field("priority", &self.priority)
            .field("channels", &self.channels)
            .field("phone", &self.phone.as_ref().map(|_| "…"))
            .field("email", &self.email.as_ref().map(|_| "…"))
            .field("language", &self.language)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_spanish_is_read() {
        for p in Priority::ALL {
            assert_eq!(Priority::parse(p.code()), Some(p));
            assert_eq!(Priority::from_rank(p.rank()), Some(p));
        }
        assert_eq!(Priority::parse("Preferente"), Some(Priority::Preferred));
        for c in Channel::ALL {
            assert_eq!(Channel::parse(c.code()), Some(c));
        }
        assert_eq!(Channel::parse("teléfono"), Some(Channel::Phone));
        assert!(Priority::Urgent < Priority::Routine);
    }

    #[test]
    fn debug_never_shows_contact_values() {
        let p = Patient {
            id: "x1".into(),
            locality: LocalityId::from_index(0),
            specialty: SpecialtyId::from_index(0),
            referred: NaiveDate::from_ymd_opt(2027, 1, 4).unwrap(),
            priority: Priority::Routine,
            channels: vec![Channel::WhatsApp, Channel::Email],
            phone: Some("+5490001234567".into()),
            email: Some("someone@example.org".into()),
            language: Lang::Es,
        };
        let shown = format!("{p:?}");
        assert!(
            !shown.contains("1234567") && !shown.contains("someone"),
            "{shown}"
        );
    }
}
