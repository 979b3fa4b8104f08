//! Numbers written the way committee reports write them. One place, so every sentence agrees.

use std::fmt::Write;

/// A whole number with thousands separators: `1000.0` → `"1,000"`; other values keep up to two
/// decimals without trailing zeros.
pub(crate) fn thousands(value: f64) -> String {
    if value.fract() != 0.0 || value.abs() >= 1e15 {
        let text = format!("{value:.2}");
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
        format!("{value:.1}")
    }
}

/// A non-negative value to one decimal place, half-way cases rounded up (away from zero) as ONS
/// and spreadsheets print them: 1.75 → "1.8", where `format!("{:.1}")` gives "1.7" for the
/// binary number just below 1.75 that a division may produce.
pub(crate) fn one_decimal(value: f64) -> String {
    let mut out = String::new();
    push_one_decimal(&mut out, value);
    out
}

/// Appends [`one_decimal`] of `value`.
pub(crate) fn push_one_decimal(out: &mut String, value: f64) {
    let tenths = (value * 10.0 * (1.0 + 1e-12)).round();
    // Writing to a String cannot fail.
    let _ = if (0.0..9_007_199_254_740_992.0).contains(&tenths) {
        // The same digits as formatting `tenths / 10` with `{:.1}`, without the float path.
        let tenths = tenths as u64;
        write!(out, "{}.{}", tenths / 10, tenths % 10)
    } else {
        write!(out, "{:.1}", tenths / 10.0)
    };
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
        assert_eq!(counted(1, "theft"), "1 theft");
        assert_eq!(counted(1204, "burglaries"), "1,204 burglaries");
        assert_eq!(thousands(12.5), "12.5");
        assert_eq!(amount(292.5), "292.5");
        assert_eq!(counted(1, "offences"), "1 offence");
        assert_eq!(counted(38, "crimes"), "38 crimes");
        assert_eq!(counted(1, "burglaries"), "1 burglary");
        assert_eq!(one_decimal(1.75), "1.8");
        assert_eq!(one_decimal(1.7499999999999996), "1.8");
        assert_eq!(one_decimal(22.61904761904762), "22.6");
        assert_eq!(one_decimal(0.04), "0.0");
        assert_eq!(one_decimal(0.05), "0.1");
        assert_eq!(one_decimal(100.0), "100.0");
        assert_eq!(one_decimal(f64::INFINITY), "inf");
        // The fast paths agree with the float formatting they replace.
        for i in 0..200_000u32 {
            let value = f64::from(i) * 0.37 + 0.001 * f64::from(i % 7);
            let tenths = (value * 10.0 * (1.0 + 1e-12)).round() / 10.0;
            assert_eq!(one_decimal(value), format!("{tenths:.1}"), "{value}");
            let whole = f64::from(i) * 1_234.0;
            assert_eq!(thousands(whole).replace(',', ""), format!("{whole:.0}"));
            assert_eq!(
                thousands(-whole).replace(',', ""),
                format!("{:.0}", -whole).replace("-0", "0")
            );
        }
    }
}
