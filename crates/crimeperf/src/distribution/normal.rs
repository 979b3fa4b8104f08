//! The standard normal distribution.

// The AS 241 coefficients are kept with every digit Wichura published, so they can be checked
// against the paper, although f64 holds only about 17 of them.
#![allow(clippy::excessive_precision)]

/// The standard normal quantile: `z` with `P(Z ≤ z) = p`.
///
/// # Formula
///
/// Wichura's algorithm AS 241 (PPND16), Applied Statistics 37(3), 1988: rational approximations in
/// three regions, accurate to about one part in 10^16.
///
/// Returns `-inf` for `p = 0`, `+inf` for `p = 1` and NaN outside `[0, 1]`; callers in this crate
/// only pass validated tail probabilities.
///
/// # Examples
///
/// ```
/// use crimeperf::distribution::normal::quantile;
///
/// // scipy.stats.norm.ppf(0.975) = 1.959963984540054
/// assert!((quantile(0.975) - 1.959963984540054).abs() < 1e-15);
/// // scipy.stats.norm.ppf(0.001) = -3.090232306167813
/// assert!((quantile(0.001) + 3.090232306167813).abs() < 1e-14);
/// ```
pub fn quantile(p: f64) -> f64 {
    if p.is_nan() || !(0.0..=1.0).contains(&p) {
        return f64::NAN;
    }
    if p == 0.0 {
        return f64::NEG_INFINITY;
    }
    if p == 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * polynomial(r, &CENTRAL_NUMERATOR) / polynomial(r, &CENTRAL_DENOMINATOR);
    }
    let tail = if q < 0.0 { p } else { 1.0 - p };
    let mut r = (-tail.ln()).sqrt();
    let z = if r <= 5.0 {
        r -= 1.6;
        polynomial(r, &NEAR_NUMERATOR) / polynomial(r, &NEAR_DENOMINATOR)
    } else {
        r -= 5.0;
        polynomial(r, &FAR_NUMERATOR) / polynomial(r, &FAR_DENOMINATOR)
    };
    if q < 0.0 {
        -z
    } else {
        z
    }
}

/// Evaluates `c[0] + c[1] x + … + c[7] x^7` by Horner's rule.
fn polynomial(x: f64, coefficients: &[f64; 8]) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, c| acc * x + c)
}

// AS 241 coefficients, lowest power first.
const CENTRAL_NUMERATOR: [f64; 8] = [
    3.387_132_872_796_366_608,
    133.141_667_891_784_377_45,
    1_971.590_950_306_551_442_7,
    13_731.693_765_509_461_125,
    45_921.953_931_549_871_457,
    67_265.770_927_008_700_853,
    33_430.575_583_588_128_105,
    2_509.080_928_730_122_672_7,
];
const CENTRAL_DENOMINATOR: [f64; 8] = [
    1.0,
    42.313_330_701_600_911_252,
    687.187_007_492_057_908_3,
    5_394.196_021_424_751_107_7,
    21_213.794_301_586_595_867,
    39_307.895_800_092_710_61,
    28_729.085_735_721_942_674,
    5_226.495_278_852_854_561,
];
const NEAR_NUMERATOR: [f64; 8] = [
    1.423_437_110_749_683_577_34,
    4.630_337_846_156_545_295_9,
    5.769_497_221_460_691_405_5,
    3.647_848_324_763_204_605_04,
    1.270_458_252_452_368_382_58,
    0.241_780_725_177_450_611_77,
    0.022_723_844_989_269_184_583_3,
    7.745_450_142_783_414_076_4e-4,
];
const NEAR_DENOMINATOR: [f64; 8] = [
    1.0,
    2.053_191_626_637_758_821_87,
    1.676_384_830_183_803_849_4,
    0.689_767_334_985_100_004_55,
    0.148_103_976_427_480_074_59,
    0.015_198_666_563_616_457_196_6,
    5.475_938_084_995_344_946e-4,
    1.050_750_071_644_416_843_24e-9,
];
const FAR_NUMERATOR: [f64; 8] = [
    6.657_904_643_501_103_777_2,
    5.463_784_911_164_114_369_9,
    1.784_826_539_917_291_335_8,
    0.296_560_571_828_504_891_23,
    0.026_532_189_526_576_123_093,
    0.001_242_660_947_388_078_438_6,
    2.711_555_568_743_487_578_15e-5,
    2.010_334_399_292_288_132_65e-7,
];
const FAR_DENOMINATOR: [f64; 8] = [
    1.0,
    0.599_832_206_555_887_937_69,
    0.136_929_880_922_735_805_31,
    0.014_875_361_290_850_614_852_5,
    7.868_691_311_456_132_591e-4,
    1.846_318_317_510_054_681_8e-5,
    1.421_511_758_316_445_888_7e-7,
    2.044_263_103_389_939_785_64e-15,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symmetric_and_exact_at_half() {
        assert_eq!(quantile(0.5), 0.0);
        for p in [0.001, 0.025, 0.3, 0.45] {
            assert!((quantile(p) + quantile(1.0 - p)).abs() < 1e-13, "p = {p}");
        }
        assert_eq!(quantile(0.0), f64::NEG_INFINITY);
        assert_eq!(quantile(1.0), f64::INFINITY);
        assert!(quantile(f64::NAN).is_nan() && quantile(-0.1).is_nan());
    }

    #[test]
    fn scipy_values() {
        // scipy.stats.norm.ppf(0.0005) = -3.2905267314918945
        assert!((quantile(0.0005) + 3.2905267314918945).abs() < 1e-14);
        // scipy.stats.norm.ppf(1e-20) = -9.262340089798408
        assert!((quantile(1e-20) + 9.262340089798409).abs() < 1e-13);
        // scipy.stats.norm.ppf(0.05) = -1.6448536269514729
        assert!((quantile(0.05) + 1.6448536269514729).abs() < 1e-15);
    }
}
