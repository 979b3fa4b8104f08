//! Calendar arithmetic shared by the readers: polars stores a date as days since 1970-01-01, and
//! both the police.uk months and the ONS "year ending" titles are turned into such days here.
//!
//! The conversions are Howard Hinnant's `days_from_civil` and `civil_from_days` for the
//! proleptic Gregorian calendar, in `i64` so that no year a [`Month`] can hold overflows.

use crimeperf::Month;

/// Days from 1970-01-01 to `year`-`month`-`day` (the proleptic Gregorian calendar). `month` is
/// 1–12; `day` is not checked against the month's length.
pub(crate) fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let (mut y, m, d) = (i64::from(year), i64::from(month), i64::from(day));
    if m <= 2 {
        y -= 1;
    }
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    // Callers pass four-digit years ([`Month`] and the ONS titles both limit them to those), whose
    // day counts are far inside an i32.
    (era * 146_097 + doe - 719_468) as i32
}

/// The number of days in `month` (1–12) of `year`.
pub(crate) fn last_day_of_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the first day of a month.
pub(crate) fn month_to_days(month: Month) -> i32 {
    days_from_civil(month.year(), month.month(), 1)
}

/// The month containing `days` since 1970-01-01 (`None` outside the months [`Month`] allows).
pub(crate) fn days_to_month(days: i32) -> Option<Month> {
    // Howard Hinnant's civil_from_days.
    let z = i64::from(days) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    Month::new(i32::try_from(y).ok()?, m as u32).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(days_from_civil(2024, 12, 31), 20_088);
        // 2000 is a leap year, 1900 is not.
        assert_eq!(
            days_from_civil(2000, 3, 1) - days_from_civil(2000, 2, 28),
            2
        );
        assert_eq!(
            days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28),
            1
        );
    }

    #[test]
    fn month_lengths() {
        assert_eq!(last_day_of_month(2024, 2), 29);
        assert_eq!(last_day_of_month(2023, 2), 28);
        assert_eq!(last_day_of_month(1900, 2), 28);
        assert_eq!(last_day_of_month(2000, 2), 29);
        assert_eq!(last_day_of_month(2024, 4), 30);
        assert_eq!(last_day_of_month(2024, 12), 31);
    }

    #[test]
    fn month_days_round_trip() {
        for (label, days) in [("1970-01", 0), ("2025-01", 20_089), ("2000-03", 11_017)] {
            let month: Month = label.parse().expect("valid");
            assert_eq!(month_to_days(month), days, "{label}");
            assert_eq!(days_to_month(days), Some(month));
        }
        assert_eq!(
            days_to_month(20_100).map(|m| m.to_string()),
            Some("2025-01".to_owned())
        );
        // Every day of a month maps back to it, across a century of month ends.
        for year in [1999, 2000, 2024, 2100] {
            for m in 1..=12 {
                let month = Month::new(year, m).expect("valid");
                let last = days_from_civil(year, m, last_day_of_month(year, m));
                assert_eq!(days_to_month(last), Some(month));
                assert_eq!(
                    last + 1 - month_to_days(month),
                    last_day_of_month(year, m) as i32
                );
            }
        }
    }
}
