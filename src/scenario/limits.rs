//! The documented range of every number a scenario or what-if file holds
//! (docs/scenario.md, "Ranges"). A NaN, an infinity or a huge value would
//! pass the type check and then stall or break the solver, so each number
//! is checked against one definition here, wherever it is read.

use super::diagnostic::Code;
use crate::lang::Text;
use crate::tr;

/// Where a number may lie.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    /// Smallest value.
    pub min: f64,
    /// Whether `min` itself is excluded (a positive number).
    pub open_min: bool,
    /// Largest value.
    pub max: f64,
}

impl Range {
    const fn closed(min: f64, max: f64) -> Range {
        Range {
            min,
            open_min: false,
            max,
        }
    }

    const fn positive(max: f64) -> Range {
        Range {
            min: 0.0,
            open_min: true,
            max,
        }
    }

    /// `Ok(v)` when `v` is in range; otherwise the code, the message and the fix.
    pub fn check(&self, v: f64) -> Result<f64, (Code, Text, Text)> {
        let low = if self.open_min {
            v <= self.min
        } else {
            v < self.min
        };
        if v.is_nan() || v.is_infinite() || v > self.max {
            let range = self.describe();
            Err((
                Code::OutOfRange,
                range.around(
                    &format!("{v} está fuera del rango admitido {{}}"),
                    &format!("{v} is outside the supported range {{}}"),
                ),
                range.around("use un número finito {}", "use a finite number {}"),
            ))
        } else if low {
            let min = self.min;
            let need = if self.open_min {
                tr!("mayor que {min}", "more than {min}")
            } else {
                tr!("al menos {min}", "at least {min}")
            };
            Err((
                Code::NotPositive,
                need.around(&format!("{v} debe ser {{}}"), &format!("{v} must be {{}}")),
                self.describe()
                    .around("use un número {}", "use a number {}"),
            ))
        } else {
            Ok(v)
        }
    }

    /// `from 0 to 100000000`, `above 0 up to 100`.
    pub fn describe(&self) -> Text {
        let (min, max) = (self.min, self.max);
        if self.open_min {
            tr!("mayor que {min} y hasta {max}", "above {min} up to {max}")
        } else {
            tr!("de {min} a {max}", "from {min} to {max}")
        }
    }
}

/// Weights of the objective, in currency (per patient-week, per change, per
/// week of coverage gap).
pub const WEIGHT: Range = Range::closed(0.0, 1e8);
/// Travel cost per km, in currency.
pub const COST_PER_KM: Range = Range::closed(0.0, 1e6);
/// Per-diem per night away, in currency.
pub const COST_PER_NIGHT: Range = Range::closed(0.0, 1e8);
/// Patients waiting on one list.
pub const WAITING: Range = Range::closed(0.0, 1e6);
/// New referrals a week to one list.
pub const REFERRALS: Range = Range::closed(0.0, 1e4);
/// A specialty's waiting weight (1 is neutral).
pub const WAITING_WEIGHT: Range = Range::positive(100.0);
/// A what-if's factor on referrals (0.5 halves, 2 doubles).
pub const REFERRAL_FACTOR: Range = Range::closed(0.0, 100.0);
/// A road's length in km.
pub const ROAD_KM: Range = Range::positive(10_000.0);
/// An average speed in km/h.
pub const SPEED: Range = Range::positive(200.0);
/// Weights and volumes of supplies and vehicles (kg, m³, kg a day).
pub const LOAD: Range = Range::closed(0.0, 1e6);
/// A vehicle's km a day.
pub const KM_PER_DAY: Range = Range::positive(5_000.0);

/// Every named range, for the docs and their test.
pub const ALL: [(&str, Range); 11] = [
    ("weights.*", WEIGHT),
    ("costs.per_km, vehicles[].cost_per_km", COST_PER_KM),
    ("costs.per_night", COST_PER_NIGHT),
    ("demand.csv waiting, add_waiting", WAITING),
    ("demand.csv weekly_referrals, extra_per_week", REFERRALS),
    ("specialties[].waiting_weight", WAITING_WEIGHT),
    ("demand[].factor", REFERRAL_FACTOR),
    ("roads.csv km", ROAD_KM),
    ("travel.speed_kmh.*", SPEED),
    ("logistics loads (kg, m³)", LOAD),
    ("vehicles[].max_km_per_day", KM_PER_DAY),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_infinity_and_huge_values_are_out_of_range() {
        for v in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 1e308, 1e15] {
            assert_eq!(WAITING.check(v).unwrap_err().0, Code::OutOfRange, "{v}");
        }
        assert_eq!(WAITING.check(-1.0).unwrap_err().0, Code::NotPositive);
        assert_eq!(WAITING.check(0.0), Ok(0.0));
        assert_eq!(WAITING_WEIGHT.check(0.0).unwrap_err().0, Code::NotPositive);
        assert_eq!(WAITING_WEIGHT.check(1.3), Ok(1.3));
    }
}
