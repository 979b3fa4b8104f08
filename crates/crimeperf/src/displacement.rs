//! Did an operation work, and did crime move next door? The weighted displacement difference
//! (Wheeler and Ratcliffe) and the weighted displacement quotient (Bowers and Johnson) of a
//! treated area, a control area and a displacement buffer before and after an intervention.

use serde::{Deserialize, Serialize};

use crate::distribution::incomplete::gamma_q;
use crate::{format_fixed, input, Confidence, Error, Result};

/// Counts in one area before and after an intervention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrePost {
    /// Crimes before.
    pub before: u64,
    /// Crimes after.
    pub after: u64,
}

impl PrePost {
    /// Counts before and after, checked; an error names `area`.
    ///
    /// # Errors
    ///
    /// [`Error::InArea`] around [`Error::NegativeCount`] or [`Error::CountTooLarge`].
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::PrePost;
    ///
    /// let treated = PrePost::new("treated", 20, 10)?;
    /// assert_eq!((treated.before, treated.after), (20, 10));
    /// let error = PrePost::new("control", -1, 10).unwrap_err();
    /// assert_eq!(error.to_string(), "area control: count before must not be negative, got -1");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn new(area: &str, before: i64, after: i64) -> Result<Self> {
        let before = input::in_area(area, input::count("count before", before))?;
        let after = input::in_area(area, input::count("count after", after))?;
        Ok(PrePost { before, after })
    }
}

/// Weights for periods of different lengths and areas of different sizes: each count is divided
/// by its period's weight times its area's weight, so that the difference is in crimes per unit
/// time (and per unit area). All 1 by default.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WddWeights {
    /// The length of the period before (e.g. 2 for two years against one after).
    pub before: f64,
    /// The length of the period after.
    pub after: f64,
    /// The size of the treated area.
    pub treated: f64,
    /// The size of the control area.
    pub control: f64,
    /// The size of the displacement buffer.
    pub displacement: f64,
    /// The size of the buffer's control area.
    pub control_displacement: f64,
}

impl Default for WddWeights {
    fn default() -> Self {
        WddWeights {
            before: 1.0,
            after: 1.0,
            treated: 1.0,
            control: 1.0,
            displacement: 1.0,
            control_displacement: 1.0,
        }
    }
}

/// The weighted displacement difference test of a place-based intervention.
///
/// # Formula
///
/// With `ΔX = X₁/w₁ − X₀/w₀` the weighted change in area `X` (after minus before, each count
/// over its period's and area's weights),
/// `WDD = (ΔT − ΔC) + (ΔD − ΔCD)`: the treated area's change beyond the control's, plus the
/// buffer's beyond its control's (zero without a buffer). Each count is taken as Poisson, so
/// `Var(WDD) = Σ X/w²` over all eight counts; `z = WDD/√Var`, the p-value is two-sided normal
/// and the interval is `WDD ± z₁₋α/₂ √Var` (A. P. Wheeler and J. H. Ratcliffe (2018), "A simple
/// weighted displacement difference test to evaluate place based crime interventions", *Crime
/// Science* 7(11)). A negative estimate is fewer crimes than the control's trend predicts.
///
/// The normal approximation wants counts that are not tiny; for two counts alone the
/// [`ETest`](crate::ETest) is exact. When every count is zero there is nothing to test: `z`,
/// `p_value` and the interval are `None` and `undefined` says why.
///
/// Intervals are at the confidence asked for, 95% by default; ptools' `wdd` defaults to 90%
/// (`alpha = 0.1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wdd {
    /// The treated area's counts.
    pub treated: PrePost,
    /// The control area's counts.
    pub control: PrePost,
    /// The displacement buffer's counts, if given.
    pub displacement: Option<PrePost>,
    /// The buffer's control counts, if given.
    pub control_displacement: Option<PrePost>,
    /// The weights used.
    pub weights: WddWeights,
    /// `ΔT − ΔC`: the local estimate.
    pub local: f64,
    /// Its standard error.
    pub local_se: f64,
    /// `ΔD − ΔCD`: the buffer's estimate (0 without a buffer).
    pub displacement_estimate: f64,
    /// Its standard error.
    pub displacement_se: f64,
    /// The total: `local + displacement_estimate`.
    pub estimate: f64,
    /// Its standard error.
    pub se: f64,
    /// `estimate / se`; `None` when undefined.
    pub z: Option<f64>,
    /// Two-sided p-value; `None` when undefined.
    pub p_value: Option<f64>,
    /// Lower limit of the interval; `None` when undefined.
    pub lower: Option<f64>,
    /// Upper limit of the interval; `None` when undefined.
    pub upper: Option<f64>,
    /// The confidence level.
    pub confidence: Confidence,
    /// Why there is no test, if there is none.
    pub undefined: Option<String>,
}

impl Wdd {
    /// The WDD of `treated` against `control`, with an optional displacement buffer and its control.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidDenominator`] for a weight that is not a finite number above zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, PrePost, Wdd, WddWeights};
    ///
    /// // ptools' example: control 20 and 20, treated 20 and 10.
    /// let wdd = Wdd::new(
    ///     PrePost { before: 20, after: 10 },
    ///     PrePost { before: 20, after: 20 },
    ///     None,
    ///     None,
    ///     &WddWeights::default(),
    ///     Confidence::default(),
    /// )?;
    /// assert_eq!(wdd.estimate, -10.0);
    /// assert_eq!(wdd.se, 70f64.sqrt());
    /// // scipy: 2 * norm.sf(10 / sqrt(70)) = 0.23199
    /// assert_eq!(format!("{:.4}", wdd.p_value.unwrap()), "0.2320");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn new(
        treated: PrePost,
        control: PrePost,
        displacement: Option<PrePost>,
        control_displacement: Option<PrePost>,
        weights: &WddWeights,
        confidence: Confidence,
    ) -> Result<Self> {
        let time = (
            input::denominator("weight of the period before", weights.before)?,
            input::denominator("weight of the period after", weights.after)?,
        );
        let size = [
            input::denominator("weight of the treated area", weights.treated)?,
            input::denominator("weight of the control area", weights.control)?,
            input::denominator("weight of the displacement buffer", weights.displacement)?,
            input::denominator(
                "weight of the buffer's control area",
                weights.control_displacement,
            )?,
        ];
        // (weighted change, its variance) of one area.
        let change = |counts: Option<PrePost>, area: f64| -> (f64, f64) {
            let Some(c) = counts else { return (0.0, 0.0) };
            let (w0, w1) = (time.0 * area, time.1 * area);
            (
                c.after as f64 / w1 - c.before as f64 / w0,
                c.after as f64 / (w1 * w1) + c.before as f64 / (w0 * w0),
            )
        };
        let (dt, vt) = change(Some(treated), size[0]);
        let (dc, vc) = change(Some(control), size[1]);
        let (dd, vd) = change(displacement, size[2]);
        let (dcd, vcd) = change(control_displacement, size[3]);
        let local = dt - dc;
        let displacement_estimate = dd - dcd;
        let estimate = local + displacement_estimate;
        let variance = vt + vc + vd + vcd;
        let se = variance.sqrt();
        let mut wdd = Wdd {
            treated,
            control,
            displacement,
            control_displacement,
            weights: *weights,
            local,
            local_se: (vt + vc).sqrt(),
            displacement_estimate,
            displacement_se: (vd + vcd).sqrt(),
            estimate,
            se,
            z: None,
            p_value: None,
            lower: None,
            upper: None,
            confidence,
            undefined: None,
        };
        if variance == 0.0 {
            wdd.undefined =
                Some("every count is zero: there is no variation to test against".to_owned());
            return Ok(wdd);
        }
        let z = estimate / se;
        let half_width = confidence.z() * se;
        wdd.z = Some(z);
        // P(|Z| > |z|) = Q(½, z²/2), accurate in the far tail where 1 − Φ is not.
        wdd.p_value = Some(gamma_q(0.5, 0.5 * z * z));
        wdd.lower = Some(estimate - half_width);
        wdd.upper = Some(estimate + half_width);
        Ok(wdd)
    }

    /// The committee sentence: what the estimate means, its interval and whether it is beyond
    /// chance, in `unit` (the plural word for what is counted).
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, PrePost, Wdd, WddWeights};
    ///
    /// let wdd = Wdd::new(PrePost { before: 207, after: 110 }, PrePost { before: 308, after: 318 },
    ///                    None, None, &WddWeights::default(), Confidence::default())?;
    /// assert_eq!(
    ///     wdd.describe("crimes"),
    ///     "107.0 fewer crimes in the treated area than the control area's trend predicts \
    ///      (95% interval 46.8 to 167.2 fewer; z = -3.48, p < 0.001): a statistically \
    ///      significant difference"
    /// );
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn describe(&self, unit: &str) -> String {
        let Some((z, p, lower, upper)) = self
            .z
            .zip(self.p_value)
            .zip(self.lower.zip(self.upper))
            .map(|((z, p), (l, u))| (z, p, l, u))
        else {
            return format!(
                "no {unit} in any area before or after: nothing to compare ({})",
                self.undefined.as_deref().unwrap_or("undefined")
            );
        };
        let places = if self.displacement.is_some() || self.control_displacement.is_some() {
            "in the treated area and its buffer together"
        } else {
            "in the treated area"
        };
        let amount = |value: f64| format_fixed(value.abs(), 1);
        let direction = |value: f64| if value <= 0.0 { "fewer" } else { "more" };
        let interval = if lower.signum() == upper.signum() || lower == 0.0 || upper == 0.0 {
            format!(
                "{} to {} {}",
                amount(if self.estimate <= 0.0 { upper } else { lower }),
                amount(if self.estimate <= 0.0 { lower } else { upper }),
                direction(self.estimate)
            )
        } else {
            format!(
                "{} {} to {} {}",
                amount(lower),
                direction(lower),
                amount(upper),
                direction(upper)
            )
        };
        let shown_p = if p < 0.001 {
            "p < 0.001".to_owned()
        } else {
            format!("p = {}", format_fixed(p, 3))
        };
        let verdict = if p < self.confidence.alpha() {
            "a statistically significant difference"
        } else {
            "not a statistically significant difference"
        };
        format!(
            "{} {} {unit} {places} than the control area's trend predicts ({} interval \
             {interval}; z = {}, {shown_p}): {verdict}",
            amount(self.estimate),
            direction(self.estimate),
            self.confidence,
            format_fixed(z, 2),
        )
    }
}

/// What a weighted displacement quotient says about the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WdqReading {
    /// Above 1: the buffer improved by more than the treated area did.
    DiffusionGreaterThanEffect,
    /// Between 0 and 1: the buffer improved too (a diffusion of benefits).
    Diffusion,
    /// Exactly 0: no change in the buffer relative to the control.
    Neither,
    /// Between −1 and 0: crime moved into the buffer, less than the treated area gained.
    Displacement,
    /// Below −1: more crime moved into the buffer than the treated area gained.
    DisplacementGreaterThanEffect,
}

impl WdqReading {
    /// `"diffusion_greater_than_effect"`, `"diffusion"`, `"neither"`, `"displacement"` or
    /// `"displacement_greater_than_effect"` (the serde names).
    pub fn label(self) -> &'static str {
        match self {
            WdqReading::DiffusionGreaterThanEffect => "diffusion_greater_than_effect",
            WdqReading::Diffusion => "diffusion",
            WdqReading::Neither => "neither",
            WdqReading::Displacement => "displacement",
            WdqReading::DisplacementGreaterThanEffect => "displacement_greater_than_effect",
        }
    }

    /// The words for a report.
    pub fn words(self) -> &'static str {
        match self {
            WdqReading::DiffusionGreaterThanEffect => {
                "diffusion of benefits greater than the direct effect"
            }
            WdqReading::Diffusion => "diffusion of benefits into the buffer",
            WdqReading::Neither => "neither displacement nor diffusion",
            WdqReading::Displacement => {
                "some displacement into the buffer, smaller than the direct effect"
            }
            WdqReading::DisplacementGreaterThanEffect => {
                "displacement into the buffer greater than the direct effect"
            }
        }
    }
}

/// The weighted displacement quotient of a buffer.
///
/// # Formula
///
/// With treated area `R`, buffer `D` and control `C`, before `b` and after `a`:
/// success `S = Rₐ/Cₐ − R_b/C_b`, buffer measure `B = Dₐ/Cₐ − D_b/C_b` and `WDQ = B/S`
/// (K. J. Bowers and S. D. Johnson (2003), "Measuring the geographical displacement and
/// diffusion of benefit effects of crime prevention activity", *Journal of Quantitative
/// Criminology* 19(3), 275–301). The quotient is read only when the treated area improved
/// against the control (`S < 0`); otherwise `wdq` is `None` and `undefined` says why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Wdq {
    /// `S`: the treated area's change relative to the control (negative is success).
    pub success: f64,
    /// `B`: the buffer's change relative to the control.
    pub buffer: f64,
    /// `B/S`, when the treated area improved.
    pub wdq: Option<f64>,
    /// What the quotient says, when it is defined.
    pub reading: Option<WdqReading>,
    /// Why there is no quotient, if there is none.
    pub undefined: Option<String>,
}

impl Wdq {
    /// The WDQ of a buffer around `treated`, against `control`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when the control area has no crimes before or after (its counts
    /// are the denominators).
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{PrePost, Wdq, WdqReading};
    ///
    /// // Treated 100 to 60, buffer 80 to 70, control 200 to 200.
    /// let wdq = Wdq::new(PrePost { before: 100, after: 60 }, PrePost { before: 80, after: 70 },
    ///                    PrePost { before: 200, after: 200 })?;
    /// assert!((wdq.wdq.unwrap() - 0.25).abs() < 1e-12);
    /// assert_eq!(wdq.reading, Some(WdqReading::Diffusion));
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn new(treated: PrePost, buffer: PrePost, control: PrePost) -> Result<Self> {
        if control.before == 0 || control.after == 0 {
            return Err(Error::InvalidValue {
                what: "the control area's count before or after",
                reason: "must be above zero for a displacement quotient",
                value: control.before.min(control.after) as f64,
            });
        }
        let (cb, ca) = (control.before as f64, control.after as f64);
        let success = treated.after as f64 / ca - treated.before as f64 / cb;
        let buffer_measure = buffer.after as f64 / ca - buffer.before as f64 / cb;
        if success >= 0.0 {
            return Ok(Wdq {
                success,
                buffer: buffer_measure,
                wdq: None,
                reading: None,
                undefined: Some(
                    "the treated area did not improve relative to the control, so there is no \
                     effect to weigh displacement against"
                        .to_owned(),
                ),
            });
        }
        let wdq = buffer_measure / success;
        let reading = if wdq > 1.0 {
            WdqReading::DiffusionGreaterThanEffect
        } else if wdq > 0.0 {
            WdqReading::Diffusion
        } else if wdq == 0.0 {
            WdqReading::Neither
        } else if wdq >= -1.0 {
            WdqReading::Displacement
        } else {
            WdqReading::DisplacementGreaterThanEffect
        };
        Ok(Wdq {
            success,
            buffer: buffer_measure,
            wdq: Some(wdq),
            reading: Some(reading),
            undefined: None,
        })
    }

    /// What the quotient says, for a report: "displacement quotient 0.25: diffusion of benefits
    /// into the buffer", or why there is none.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{PrePost, Wdq};
    ///
    /// let wdq = Wdq::new(PrePost { before: 100, after: 60 }, PrePost { before: 80, after: 70 },
    ///                    PrePost { before: 200, after: 200 })?;
    /// assert_eq!(wdq.describe(), "displacement quotient 0.25: diffusion of benefits into the buffer");
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn describe(&self) -> String {
        match (self.wdq, self.reading) {
            (Some(wdq), Some(reading)) => format!(
                "displacement quotient {}: {}",
                format_fixed(wdq, 2),
                reading.words()
            ),
            _ => format!(
                "no displacement quotient: {}",
                self.undefined.as_deref().unwrap_or("undefined")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn counts(before: u64, after: u64) -> PrePost {
        PrePost { before, after }
    }

    #[test]
    fn wheeler_and_ratcliffe_published_example() {
        // Their table: control 308 → 318, treated 207 → 110, buffer control 150 → 140,
        // buffer 178 → 157: WDD −118, variance 1568, z −2.98, 95% interval −196 to −40.
        let wdd = Wdd::new(
            counts(207, 110),
            counts(308, 318),
            Some(counts(178, 157)),
            Some(counts(150, 140)),
            &WddWeights::default(),
            Confidence::default(),
        )
        .unwrap();
        assert_eq!(wdd.estimate, -118.0);
        assert!((wdd.se * wdd.se - 1568.0).abs() < 1e-9);
        assert_eq!(format_fixed(wdd.z.unwrap(), 2), "-2.98");
        assert_eq!(format_fixed(wdd.lower.unwrap(), 0), "-196");
        assert_eq!(format_fixed(wdd.upper.unwrap(), 0), "-40");
    }

    #[test]
    fn all_zero_is_undefined_not_a_number() {
        let wdd = Wdd::new(
            counts(0, 0),
            counts(0, 0),
            None,
            None,
            &WddWeights::default(),
            Confidence::default(),
        )
        .unwrap();
        assert!(wdd.z.is_none() && wdd.p_value.is_none() && wdd.undefined.is_some());
        assert!(wdd.describe("crimes").starts_with("no crimes in any area"));
    }

    #[test]
    fn a_quotient_without_success_is_undefined() {
        let wdq = Wdq::new(counts(50, 60), counts(10, 10), counts(100, 100)).unwrap();
        assert!(wdq.wdq.is_none() && wdq.undefined.is_some());
        assert!(Wdq::new(counts(50, 40), counts(10, 10), counts(0, 100)).is_err());
    }
}
