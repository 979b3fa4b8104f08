//! Numbers written the way committee reports write them. One place, so every sentence agrees.

/// A whole number with thousands separators: `1000.0` → `"1,000"`; other values keep up to two
/// decimals without trailing zeros.
pub(crate) fn thousands(value: f64) -> String {
    if value.fract() != 0.0 || value.abs() >= 1e15 {
        let text = format!("{value:.2}");
        return text.trim_end_matches('0').trim_end_matches('.').to_owned();
    }
    // Whole numbers below 2^53 are exact as integers, and integers print far faster than floats
    // with a precision (which take the exact, big-number path).
    let digits = if value.abs() < 9_007_199_254_740_992.0 {
        (value.abs() as u64).to_string()
    } else {
        format!("{:.0}", value.abs())
    };
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if value < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
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
    let tenths = (value * 10.0 * (1.0 + 1e-12)).round();
    if (0.0..9_007_199_254_740_992.0).contains(&tenths) {
        // The same digits as formatting `tenths / 10` with `{:.1}`, without the float path.
        let tenths = tenths as u64;
        format!("{}.{}", tenths / 10, tenths % 10)
    } else {
        format!("{:.1}", tenths / 10.0)
    }
}

/// The singular of a plural unit word: "crimes" → "crime", "burglaries" → "burglary".
pub(crate) fn singular(unit: &str) -> String {
    if let Some(stem) = unit.strip_suffix("ies") {
        format!("{stem}y")
    } else if let Some(stem) = unit.strip_suffix('s') {
        stem.to_owned()
    } else {
        unit.to_owned()
    }
}

/// "1 crime", "38 crimes".
pub(crate) fn counted(count: u64, unit: &str) -> String {
    if count == 1 {
        format!("1 {}", singular(unit))
    } else {
        format!("{} {unit}", thousands(count as f64))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(1000.0), "1,000");
        assert_eq!(thousands(1234567.0), "1,234,567");
        assert_eq!(thousands(-4445.0), "-4,445");
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
        }
    }
}
