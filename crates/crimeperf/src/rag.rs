//! Red/amber/green status against a target, with the reason in words.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{
    input, text, Change, ChangeOptions, Confidence, Error, Polarity, Result, Significance,
};

/// A RAG status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RagStatus {
    /// On target.
    Green,
    /// Moving the right way but not (yet, or not demonstrably) on target.
    Amber,
    /// Not improving.
    Red,
}

impl RagStatus {
    /// `"green"`, `"amber"` or `"red"`.
    pub fn label(self) -> &'static str {
        match self {
            RagStatus::Green => "green",
            RagStatus::Amber => "amber",
            RagStatus::Red => "red",
        }
    }
}

impl fmt::Display for RagStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RagStatus::Green => "Green",
            RagStatus::Amber => "Amber",
            RagStatus::Red => "Red",
        })
    }
}

impl FromStr for RagStatus {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "green" | "g" => Ok(RagStatus::Green),
            "amber" | "a" => Ok(RagStatus::Amber),
            "red" | "r" => Ok(RagStatus::Red),
            _ => Err(Error::UnknownOption {
                what: "RAG status",
                label: s.to_owned(),
                expected: "green, amber, red",
            }),
        }
    }
}

/// The rule that turns baseline, actual and target into a status.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RagRule {
    /// Green when the target is met; amber when the indicator moved the right way from the
    /// baseline but fell short; red when it did not improve.
    #[default]
    TargetMet,
    /// As `TargetMet`, but green also needs the change from the baseline to be statistically
    /// significant (exact conditional test at this confidence); a met target without that
    /// evidence is amber. Baseline and actual must be whole counts.
    TargetMetAndSignificant(Confidence),
}

/// A RAG status with the reason a committee reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rag {
    /// The status.
    pub status: RagStatus,
    /// Why, in words: "152 meets the target of 162 (10.6% reduction on the baseline of 170)".
    pub reason: String,
    /// The baseline.
    pub baseline: f64,
    /// The actual value.
    pub actual: f64,
    /// The target.
    pub target: f64,
    /// Which direction is good.
    pub polarity: Polarity,
    /// The test of change from baseline to actual, when the rule asked for one.
    pub change: Option<Change>,
}

impl Rag {
    /// The status of `actual` against `target`, starting from `baseline`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidValue`] when a value is negative or not finite, or when the significance
    /// rule is given counts that are not whole numbers.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, Polarity, Rag, RagRule, RagStatus};
    ///
    /// // "Reduce domestic burglary by 5%: 170 -> 152, 10.6%, Green".
    /// let rag = Rag::assess(170.0, 152.0, 162.0, Polarity::LowerIsBetter, RagRule::TargetMet)?;
    /// assert_eq!(rag.status, RagStatus::Green);
    /// assert_eq!(rag.reason, "152 meets the target of 162 (10.6% reduction on the baseline of 170)");
    ///
    /// // Demanding statistical evidence: a fall from 170 to 152 could be chance.
    /// let strict = RagRule::TargetMetAndSignificant(Confidence::default());
    /// let rag = Rag::assess(170.0, 152.0, 162.0, Polarity::LowerIsBetter, strict)?;
    /// assert_eq!(rag.status, RagStatus::Amber);
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn assess(
        baseline: f64,
        actual: f64,
        target: f64,
        polarity: Polarity,
        rule: RagRule,
    ) -> Result<Self> {
        let baseline = input::non_negative("baseline", baseline)?;
        let actual = input::non_negative("actual", actual)?;
        let target = input::non_negative("target", target)?;
        let movement = movement(baseline, actual);
        let met = polarity.meets(actual, target);
        let improved = polarity.improved(actual, baseline);
        let (a, t, b) = (
            text::amount(actual),
            text::amount(target),
            text::amount(baseline),
        );

        let change = match rule {
            RagRule::TargetMet => None,
            RagRule::TargetMetAndSignificant(confidence) => {
                let options = ChangeOptions {
                    confidence,
                    ..ChangeOptions::default()
                };
                Some(Change::with_options(
                    whole("actual", actual)?,
                    whole("baseline", baseline)?,
                    &options,
                )?)
            }
        };
        let evidenced = change.map(|c| {
            matches!(
                (polarity, c.significance),
                (Polarity::LowerIsBetter, Significance::Reduction)
                    | (Polarity::HigherIsBetter, Significance::Increase)
            )
        });

        let (status, reason) = if met && evidenced != Some(false) {
            (
                RagStatus::Green,
                format!("{a} meets the target of {t} ({movement} on the baseline of {b})"),
            )
        } else if met {
            let p = change.map_or(f64::NAN, |c| c.p_value);
            (
                RagStatus::Amber,
                format!(
                    "{a} meets the target of {t} but the {movement} on the baseline of {b} is not \
                     statistically significant (exact test p = {p:.3})"
                ),
            )
        } else if improved {
            (
                RagStatus::Amber,
                format!("{a} is better than the baseline of {b} ({movement}) but misses the target of {t}"),
            )
        } else {
            (
                RagStatus::Red,
                format!(
                    "{a} is no better than the baseline of {b} ({movement}); the target is {t}"
                ),
            )
        };
        Ok(Rag {
            status,
            reason,
            baseline,
            actual,
            target,
            polarity,
            change,
        })
    }
}

impl fmt::Display for Rag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.status, self.reason)
    }
}

/// "10.6% reduction", "5.9% increase", "no change", "increase from zero".
fn movement(baseline: f64, actual: f64) -> String {
    if actual == baseline {
        return "no change".to_owned();
    }
    if baseline == 0.0 {
        return "increase from zero".to_owned();
    }
    let percent = (actual - baseline) / baseline * 100.0;
    let direction = if percent > 0.0 {
        "increase"
    } else {
        "reduction"
    };
    format!("{}% {direction}", text::one_decimal(percent.abs()))
}

fn whole(what: &'static str, value: f64) -> Result<i64> {
    if value.fract() == 0.0 && value <= i64::MAX as f64 {
        Ok(value as i64)
    } else {
        Err(Error::InvalidValue {
            what,
            reason: "must be a whole number of crimes for the significance test",
            value,
        })
    }
}
