//! Numbers written the way committee reports write them. One place, so every sentence agrees.
//!
//! Every figure crimeperf prints — in `describe()`, in `Display`, and through them in the Python
//! `str` and `repr` — goes through [`format_fixed`], so a proportion of 1/16 is 6.3% in every one
//! of them, never 6.2% in one and 6.3% in another.

use std::fmt::Write;

/// `10^i` for the places the fast path of [`push_fixed`] handles.
const POWERS_OF_TEN: [f64; 16] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
];

/// The significant digits a value is read to before it is rounded: every decimal of up to 15
/// significant digits survives the round trip through an `f64`.
const SIGNIFICANT: usize = 15;

/// `value` with `decimals` places after the point, half-way cases rounded away from zero, as
/// ONS tables, published plans and spreadsheets print them.
///
/// Rust's `format!("{:.1}")` rounds the binary value exactly, so the exact tie 6.25 becomes
/// "6.2" (ties to even) and 1.75 computed as 1.7499999999999996 becomes "1.7". Here the value is
/// first read as the decimal of 15 significant digits it stands for (the most an `f64` holds
/// faithfully), and that decimal is rounded half away from zero: 6.25 → "6.3", 1.7499999999999996
/// → "1.8", −2.5 → "−3" with no places. A result that rounds to zero has no minus sign;
/// infinities print as `inf` and `-inf`, NaN as `NaN`.
///
/// # Examples
///
/// ```
/// use crimeperf::format_fixed;
///
/// assert_eq!(format_fixed(6.25, 1), "6.3"); // format!("{:.1}", 6.25) gives "6.2"
/// assert_eq!(format_fixed(0.125, 2), "0.13");
/// assert_eq!(format_fixed(-2.5, 0), "-3");
/// assert_eq!(format_fixed(100.0 * 7.0 / 400.0, 1), "1.8"); // 1.7500000000000002
/// assert_eq!(format_fixed(-0.04, 1), "0.0");
/// ```
pub fn format_fixed(value: f64, decimals: usize) -> String {
    let mut out = String::new();
    push_fixed(&mut out, value, decimals);
    out
}

/// Appends [`format_fixed`] of `value`.
pub(crate) fn push_fixed(out: &mut String, value: f64, decimals: usize) {
    if !value.is_finite() {
        out.push_str(if value.is_nan() {
            "NaN"
        } else if value > 0.0 {
            "inf"
        } else {
            "-inf"
        });
        return;
    }
    // Fast path: away from a half-way point the binary value and the 15-digit decimal it stands
    // for round the same way (they differ by under 6e-15 relative), so the scaled value is
    // rounded directly. Frames describe hundreds of thousands of changes.
    if let Some(&scale) = POWERS_OF_TEN.get(decimals) {
        let scaled = value.abs() * scale;
        if scaled < 4e15 {
            let whole = scaled.floor();
            let fraction = scaled - whole;
            if (fraction - 0.5).abs() > 1e-13 * scaled.max(1.0) {
                let rounded = whole as u64 + u64::from(fraction > 0.5);
                if value < 0.0 && rounded > 0 {
                    out.push('-');
                }
                let unit = 10u64.pow(decimals as u32);
                // Writing to a String cannot fail.
                let _ = write!(out, "{}", rounded / unit);
                if decimals > 0 {
                    let _ = write!(out, ".{:0decimals$}", rounded % unit);
                }
                return;
            }
        }
    }
    push_fixed_decimal(out, value, decimals);
}

/// [`push_fixed`] through the decimal digits: `value` read to [`SIGNIFICANT`] digits, then
/// rounded half away from zero at `decimals` places.
fn push_fixed_decimal(out: &mut String, value: f64, decimals: usize) {
    let scientific = format!("{:.*e}", SIGNIFICANT - 1, value.abs());
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i64 = exponent.parse().unwrap_or(0);
    let digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    // The value is 0.d₁d₂…d₁₅ × 10^(exponent + 1); `kept` digits of it reach `decimals` places.
    let kept = exponent + 1 + decimals as i64;
    let mut number: Vec<u8> = if kept <= 0 {
        Vec::new()
    } else {
        let kept = kept as usize;
        let mut number: Vec<u8> = digits.iter().copied().take(kept).collect();
        number.resize(kept, b'0');
        number
    };
    let round_up = kept >= 0 && digits.get(kept as usize).is_some_and(|&d| d >= b'5');
    if round_up {
        let mut carry = true;
        for digit in number.iter_mut().rev() {
            if *digit == b'9' {
                *digit = b'0';
            } else {
                *digit += 1;
                carry = false;
                break;
            }
        }
        if carry {
            number.insert(0, b'1');
        }
    }
    let is_zero = number.iter().all(|&d| d == b'0');
    if number.len() <= decimals {
        let mut padded = vec![b'0'; decimals + 1 - number.len()];
        padded.extend_from_slice(&number);
        number = padded;
    }
    if value < 0.0 && !is_zero {
        out.push('-');
    }
    let point = number.len() - decimals;
    out.extend(number[..point].iter().map(|&d| char::from(d)));
    if decimals > 0 {
        out.push('.');
        out.extend(number[point..].iter().map(|&d| char::from(d)));
    }
}

/// [`format_fixed`] with a sign: `"+1.8"`, `"-0.3"`, and `"0.0"` for what rounds to zero.
pub(crate) fn signed_fixed(value: f64, decimals: usize) -> String {
    let text = format_fixed(value, decimals);
    let is_zero = text.bytes().all(|b| b == b'0' || b == b'.');
    if text.starts_with('-') || is_zero || value.is_nan() {
        text
    } else {
        format!("+{text}")
    }
}

/// A whole number with thousands separators: `1000.0` → `"1,000"`; other values keep up to two
/// decimals without trailing zeros.
pub(crate) fn thousands(value: f64) -> String {
    if value.fract() != 0.0 || value.abs() >= 1e15 {
        let text = format_fixed(value, 2);
        return text.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    let mut out = String::new();
    if value < 0.0 {
        out.push('-');
    }
    // Whole numbers below 1e15 are exact as integers.
    push_grouped(&mut out, value.abs() as u64);
    out
}

/// Appends `n` with thousands separators: 1234567 → "1,234,567".
pub(crate) fn push_grouped(out: &mut String, n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    let mut rest = n;
    loop {
        digits[len] = b'0' + (rest % 10) as u8;
        len += 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for i in (0..len).rev() {
        out.push(char::from(digits[i]));
        if i > 0 && i % 3 == 0 {
            out.push(',');
        }
    }
}

/// A count or target, whole numbers without decimals and others to one decimal place.
pub(crate) fn amount(value: f64) -> String {
    if value.fract() == 0.0 {
        thousands(value)
    } else {
        format_fixed(value, 1)
    }
}

/// Appends the singular of a plural unit word: "crimes" → "crime", "burglaries" → "burglary".
fn push_singular(out: &mut String, unit: &str) {
    if let Some(stem) = unit.strip_suffix("ies") {
        out.push_str(stem);
        out.push('y');
    } else {
        out.push_str(unit.strip_suffix('s').unwrap_or(unit));
    }
}

/// Appends a count with its unit: "1 crime", "38 crimes", "1,204 burglaries".
pub(crate) fn push_counted(out: &mut String, count: u64, unit: &str) {
    if count == 1 {
        out.push_str("1 ");
        push_singular(out, unit);
    } else {
        push_grouped(out, count);
        out.push(' ');
        out.push_str(unit);
    }
}

/// A share and its interval, given as fractions, for a report: "55.7% (52.6% to 58.8%)".
pub(crate) fn percent_with_interval(value: f64, lower: f64, upper: f64) -> String {
    format!(
        "{}% ({}% to {}%)",
        format_fixed(value * 100.0, 1),
        format_fixed(lower * 100.0, 1),
        format_fixed(upper * 100.0, 1)
    )
}

/// A change in percentage points for a report: "1.8 percentage points higher (26.1% against
/// 24.3%)", or "no change (…)" when it rounds to 0.0.
pub(crate) fn points_sentence(points: f64, now: f64, then: f64) -> String {
    let (now, then) = (format_fixed(now, 1), format_fixed(then, 1));
    let size = format_fixed(points.abs(), 1);
    if size == "0.0" {
        return format!("no change ({now}% against {then}%)");
    }
    let direction = if points > 0.0 { "higher" } else { "lower" };
    format!("{size} percentage points {direction} ({now}% against {then}%)")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counted(count: u64, unit: &str) -> String {
        let mut out = String::new();
        push_counted(&mut out, count, unit);
        out
    }

    #[test]
    fn formats() {
        assert_eq!(thousands(1000.0), "1,000");
        assert_eq!(thousands(1234567.0), "1,234,567");
        assert_eq!(thousands(-4445.0), "-4,445");
        assert_eq!(thousands(0.0), "0");
        assert_eq!(thousands(999.0), "999");
        assert_eq!(thousands(100_000.0), "100,000");
        assert_eq!(thousands(12.5), "12.5");
        assert_eq!(thousands(0.125), "0.13");
        assert_eq!(counted(1, "theft"), "1 theft");
        assert_eq!(counted(1204, "burglaries"), "1,204 burglaries");
        assert_eq!(amount(292.5), "292.5");
        assert_eq!(amount(0.25), "0.3");
        assert_eq!(counted(1, "offences"), "1 offence");
        assert_eq!(counted(38, "crimes"), "38 crimes");
        assert_eq!(counted(1, "burglaries"), "1 burglary");
    }

    /// Exact ties (values an `f64` holds exactly, half-way between two printable values) round
    /// away from zero at every number of places; `format!` rounds them to even.
    #[test]
    fn exact_ties_round_away_from_zero() {
        let table: &[(f64, usize, &str)] = &[
            (0.5, 0, "1"),
            (1.5, 0, "2"),
            (2.5, 0, "3"),
            (-0.5, 0, "-1"),
            (-2.5, 0, "-3"),
            (292.5, 0, "293"),
            (0.25, 1, "0.3"),
            (0.75, 1, "0.8"),
            (6.25, 1, "6.3"),
            (-6.25, 1, "-6.3"),
            (12.25, 1, "12.3"),
            (1_048_576.25, 1, "1048576.3"),
            (0.125, 2, "0.13"),
            (0.375, 2, "0.38"),
            (2.675, 2, "2.68"), // 2.67499999999999982236431605997495353221893310546875
            (0.0625, 3, "0.063"),
            (0.3125, 3, "0.313"),
            (-0.0625, 3, "-0.063"),
            (0.03125, 4, "0.0313"),
            (1.015625, 5, "1.01563"),
            (0.0078125, 6, "0.007813"),
            (0.5, 0, "1"),
            (9.5, 0, "10"),
            (99.95, 1, "100.0"),
            (999.9995, 3, "1000.000"),
        ];
        for &(value, decimals, expected) in table {
            assert_eq!(
                format_fixed(value, decimals),
                expected,
                "{value} to {decimals}"
            );
        }
        // The binary neighbours of decimal ties that arithmetic produces are ties too.
        assert_eq!(format_fixed(1.7499999999999996, 1), "1.8");
        assert_eq!(format_fixed(1.7500000000000002, 1), "1.8");
        assert_eq!(format_fixed(292.49999999999997, 0), "293");
        assert_eq!(format_fixed(100.0 / 16.0, 1), "6.3");
    }

    #[test]
    fn edge_values() {
        assert_eq!(format_fixed(0.0, 1), "0.0");
        assert_eq!(format_fixed(-0.0, 1), "0.0");
        assert_eq!(format_fixed(-0.04, 1), "0.0");
        assert_eq!(format_fixed(-0.05, 1), "-0.1");
        assert_eq!(format_fixed(0.04, 1), "0.0");
        assert_eq!(format_fixed(0.05, 1), "0.1");
        assert_eq!(format_fixed(100.0, 1), "100.0");
        assert_eq!(format_fixed(22.61904761904762, 1), "22.6");
        assert_eq!(format_fixed(f64::INFINITY, 1), "inf");
        assert_eq!(format_fixed(f64::NEG_INFINITY, 3), "-inf");
        assert_eq!(format_fixed(f64::NAN, 2), "NaN");
        // Read to 15 significant digits: 1e300 is the decimal 1e300, not the binary's tail.
        assert_eq!(format_fixed(1e300, 0), format!("1{}", "0".repeat(300)));
        assert_eq!(format_fixed(1e20, 2), "100000000000000000000.00");
        assert_eq!(format_fixed(4e-7, 6), "0.000000");
        assert_eq!(format_fixed(5e-7, 6), "0.000001");
        assert_eq!(format_fixed(123.456, 20), "123.45600000000000000000");
        assert_eq!(format_fixed(0.9999, 2), "1.00");
        assert_eq!(signed_fixed(1.75, 1), "+1.8");
        assert_eq!(signed_fixed(-0.25, 1), "-0.3");
        assert_eq!(signed_fixed(-0.01, 1), "0.0");
        assert_eq!(signed_fixed(f64::INFINITY, 1), "+inf");
    }

    #[test]
    fn agrees_with_format_away_from_ties() {
        // Away from a half-way point there is nothing to decide, and the digits are the exact
        // rounding that `format!` gives, on the fast path and the slow one.
        for i in 0..200_000u32 {
            let value = f64::from(i) * 0.37 + 0.001 * f64::from(i % 7) - 5_000.0;
            for decimals in [0usize, 1, 2, 3, 4] {
                let scaled = value.abs() * 10f64.powi(decimals as i32);
                if (scaled.fract() - 0.5).abs() < 1e-12 * scaled.max(1.0) {
                    continue;
                }
                let expected = format!("{value:.decimals$}");
                let expected = if expected
                    .trim_start_matches('-')
                    .bytes()
                    .all(|b| b == b'0' || b == b'.')
                {
                    expected.trim_start_matches('-').to_owned()
                } else {
                    expected
                };
                assert_eq!(
                    format_fixed(value, decimals),
                    expected,
                    "{value} to {decimals}"
                );
                let mut slow = String::new();
                push_fixed_decimal(&mut slow, value, decimals);
                assert_eq!(slow, expected, "{value} to {decimals} (slow path)");
            }
        }
    }
}
