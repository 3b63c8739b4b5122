//! Synthetic, pseudonymous patients consistent with a scenario's waiting
//! lists: each list's `waiting` patients referred in the half year before
//! the horizon, then its `weekly_referrals` a week (the fractions carried
//! from week to week, so the year's count is the file's rate × weeks).
//!
//! Contact values are fictitious by construction: phone numbers use the
//! area code 000, which Argentina never assigns, and e-mail addresses the
//! domain example.org, reserved for examples (RFC 2606). The same scenario
//! and seed give the same patients.

use crate::lang::Lang;
use crate::model::{Channel, Patient, Priority, Scenario};
use chrono::Duration;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// Days before the horizon over which the initial waiting list was referred.
const BACKLOG_DAYS: i64 = 182;

/// Share of urgent and of preferred referrals (the rest are routine).
const URGENT: f64 = 0.08;
const PREFERRED: f64 = 0.22;

/// Share of patients who consented to each channel.
const CONSENT: [(Channel, f64); 4] = [
    (Channel::WhatsApp, 0.80),
    (Channel::Sms, 0.40),
    (Channel::Phone, 0.85),
    (Channel::Email, 0.25),
];

/// The patients of `s`'s waiting lists, drawn with `seed`.
pub fn synthesize(s: &Scenario, seed: u64) -> Vec<Patient> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut out = Vec::new();
    let start = s.horizon.start;
    let workdays: Vec<i64> = (0..7)
        .filter(|d| s.horizon.is_working_weekday(start + Duration::days(*d)))
        .collect();
    for list in &s.demand {
        let mut referred = Vec::new();
        for _ in 0..list.waiting.round().max(0.0) as u64 {
            referred.push(start - Duration::days(rng.random_range(1..=BACKLOG_DAYS)));
        }
        referred.sort();
        let rate = list.weekly_referrals.max(0.0);
        let offset: f64 = rng.random_range(0.0..1.0);
        for w in 0..s.horizon.weeks {
            let due =
                (rate * f64::from(w + 1) + offset).floor() - (rate * f64::from(w) + offset).floor();
            let monday = s.horizon.week_start(w);
            for _ in 0..due as u64 {
                // Validation keeps at least one working day.
                let day = workdays[rng.random_range(0..workdays.len())];
                referred.push(monday + Duration::days(day));
            }
        }
        for date in referred {
            let n = out.len() + 1;
            out.push(patient(&mut rng, n, list.locality, list.specialty, date));
        }
    }
    out
}

fn patient(
    rng: &mut Pcg64Mcg,
    n: usize,
    locality: crate::model::LocalityId,
    specialty: crate::model::SpecialtyId,
    referred: chrono::NaiveDate,
) -> Patient {
    let roll: f64 = rng.random_range(0.0..1.0);
    let priority = if roll < URGENT {
        Priority::Urgent
    } else if roll < URGENT + PREFERRED {
        Priority::Preferred
    } else {
        Priority::Routine
    };
    let mut channels: Vec<Channel> = CONSENT
        .iter()
        .filter(|(_, share)| rng.random_bool(*share))
        .map(|(c, _)| *c)
        .collect();
    // One in five who can be called prefers a call to a message.
    if channels.contains(&Channel::Phone) && rng.random_bool(0.2) {
        channels.retain(|c| *c != Channel::Phone);
        channels.insert(0, Channel::Phone);
    }
    let phone = (channels.iter().any(|c| c.uses_phone()) || rng.random_bool(0.5))
        .then(|| format!("+54 9 000 {:07}", rng.random_range(0..10_000_000u32)));
    let email = channels
        .contains(&Channel::Email)
        .then(|| format!("paciente{n:06}@example.org"));
    Patient {
        id: format!("HC-{n:06}"),
        locality,
        specialty,
        referred,
        priority,
        channels,
        phone,
        email,
        language: if rng.random_bool(0.02) {
            Lang::En
        } else {
            Lang::Es
        },
    }
}
