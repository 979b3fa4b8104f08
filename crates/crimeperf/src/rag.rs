//! Red/amber/green status against a target, with the reason in words.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::change::percent_change;
use crate::option::{self, OptionLabel};
use crate::{
    input, text, Change, ChangeOptions, Confidence, Error, Polarity, ProportionChange, Result,
    Significance,
};

/// A RAG status.
///
/// Labels (`label()`, `FromStr`, serde and Python): `"green"`, `"amber"`, `"red"`; `Display`
/// gives the capitalised word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RagStatus {
    /// On target.
    Green,
    /// Moving the right way but not (yet, or not demonstrably) on target.
    Amber,
    /// Not improving.
    Red,
}

impl RagStatus {
    /// Every status.
    pub const ALL: [RagStatus; 3] = [RagStatus::Green, RagStatus::Amber, RagStatus::Red];

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

impl OptionLabel for RagStatus {
    const WHAT: &'static str = "RAG status";
    const EXPECTED: &'static str = "green, amber, red";
    fn all() -> &'static [Self] {
        &Self::ALL
    }
    fn label(self) -> &'static str {
        RagStatus::label(self)
    }
}

impl FromStr for RagStatus {
    type Err = Error;

    /// Parses a [`label`](RagStatus::label), case-insensitive and trimmed; nothing else.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownOption`], listing the labels and suggesting the closest.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::RagStatus;
    ///
    /// assert_eq!("Green".parse::<RagStatus>()?, RagStatus::Green);
    /// assert!("g".parse::<RagStatus>().is_err());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        option::parse(s)
    }
}

/// The rule that turns baseline, actual and target into a status.
///
/// Labels (`label()`, `FromStr` and serde): `"target_met"`, `"target_met_and_significant"`
/// (serde writes the second with its confidence: `{"target_met_and_significant": 0.95}`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RagRule {
    /// Green when the target is met; amber when the indicator moved the right way from the
    /// baseline but fell short; red when it did not improve.
    #[default]
    TargetMet,
    /// As `TargetMet`, but green also needs the change from the baseline to be statistically
    /// significant at this confidence; a met target without that evidence is amber. For counts
    /// ([`Rag::assess`]) the test is the exact conditional test of two Poisson counts, and
    /// baseline and actual must be whole counts; for proportions ([`Rag::assess_proportion`])
    /// it is Newcombe's interval for the change in percentage points.
    TargetMetAndSignificant(Confidence),
}

impl RagRule {
    /// Both rules, the significance rule at 95%.
    pub const ALL: [RagRule; 2] = [
        RagRule::TargetMet,
        RagRule::TargetMetAndSignificant(Confidence::NINETY_FIVE),
    ];

    /// `"target_met"` or `"target_met_and_significant"`.
    pub fn label(self) -> &'static str {
        match self {
            RagRule::TargetMet => "target_met",
            RagRule::TargetMetAndSignificant(_) => "target_met_and_significant",
        }
    }
}

impl OptionLabel for RagRule {
    const WHAT: &'static str = "RAG rule";
    const EXPECTED: &'static str = "target_met, target_met_and_significant";
    fn all() -> &'static [Self] {
        &Self::ALL
    }
    fn label(self) -> &'static str {
        RagRule::label(self)
    }
}

impl FromStr for RagRule {
    type Err = Error;

    /// Parses a [`label`](RagRule::label), case-insensitive and trimmed; nothing else.
    /// `"target_met_and_significant"` is the rule at 95% confidence.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownOption`], listing the labels and suggesting the closest.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, RagRule};
    ///
    /// assert_eq!(
    ///     "target_met_and_significant".parse::<RagRule>()?,
    ///     RagRule::TargetMetAndSignificant(Confidence::default())
    /// );
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        option::parse(s)
    }
}

/// A RAG status with the reason a committee reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rag {
    /// The status.
    pub status: RagStatus,
    /// Why, in words: "152 meets the target of 162 (10.6% reduction on the baseline of 170)".
    pub reason: String,
    /// The baseline (a percentage for [`Rag::assess_proportion`]).
    pub baseline: f64,
    /// The actual value (a percentage for [`Rag::assess_proportion`]).
    pub actual: f64,
    /// The target (a percentage for [`Rag::assess_proportion`]).
    pub target: f64,
    /// Which direction is good.
    pub polarity: Polarity,
    /// The test of change from baseline to actual counts, when the rule asked for one.
    pub change: Option<Change>,
    /// The change from the baseline proportion to the actual one (Newcombe), from
    /// [`Rag::assess_proportion`]; `None` for counts.
    #[serde(default)]
    pub proportion_change: Option<ProportionChange>,
}

/// What the significance rule found, for the reason.
struct Evidence {
    /// The change went the good way and was significant.
    shown: bool,
    /// The test and its result in words: "exact test p = 0.056".
    basis: String,
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
        let evidence = change.map(|c| {
            let mut basis = String::from("exact test p = ");
            text::push_fixed(&mut basis, c.p_value, 3);
            Evidence {
                shown: good_way(polarity, c.significance),
                basis,
            }
        });
        let (status, reason) = decide(
            [
                text::amount(actual),
                text::amount(target),
                text::amount(baseline),
            ],
            movement(baseline, actual),
            (
                polarity.meets(actual, target),
                polarity.improved(actual, baseline),
            ),
            evidence,
        );
        Ok(Rag {
            status,
            reason,
            baseline,
            actual,
            target,
            polarity,
            change,
            proportion_change: None,
        })
    }

    /// The status of a proportion — a solved rate, a survey share — against a target
    /// percentage, from a baseline proportion: `numerator / denominator` now against
    /// `baseline_numerator / baseline_denominator`.
    ///
    /// `baseline`, `actual` and `target` of the result are percentages. Under
    /// [`RagRule::TargetMetAndSignificant`] the evidence is the change in proportions, with
    /// Newcombe's hybrid score interval ([`ProportionChange::newcombe`]) on the numerators and
    /// denominators: a met target is green only if that interval lies wholly on the good side
    /// of zero. (Treating the two rates as Poisson counts, as [`Rag::assess`] does for crimes,
    /// would ignore the denominators.)
    ///
    /// # Errors
    ///
    /// As [`ProportionChange::newcombe`] for the counts, and [`Error::InvalidValue`] for a
    /// target that is negative or not finite.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Confidence, Polarity, Rag, RagRule, RagStatus};
    ///
    /// // Solved rate 1,098 of 4,208 (26.1%) against 1,080 of 4,445 (24.3%), target 25%.
    /// let rule = RagRule::TargetMet;
    /// let rag = Rag::assess_proportion(1098, 4208, 1080, 4445, 25.0, Polarity::HigherIsBetter, rule)?;
    /// assert_eq!(rag.status, RagStatus::Green);
    /// assert_eq!(
    ///     rag.reason,
    ///     "26.1% meets the target of 25.0% (rise of 1.8 percentage points on the baseline of 24.3%)"
    /// );
    ///
    /// // Newcombe's 95% interval for the rise, -0.03 to 3.63 points, includes zero.
    /// let strict = RagRule::TargetMetAndSignificant(Confidence::default());
    /// let rag = Rag::assess_proportion(1098, 4208, 1080, 4445, 25.0, Polarity::HigherIsBetter, strict)?;
    /// assert_eq!(rag.status, RagStatus::Amber);
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn assess_proportion(
        numerator: i64,
        denominator: i64,
        baseline_numerator: i64,
        baseline_denominator: i64,
        target: f64,
        polarity: Polarity,
        rule: RagRule,
    ) -> Result<Self> {
        let target = input::non_negative("target", target)?;
        let confidence = match rule {
            RagRule::TargetMet => Confidence::default(),
            RagRule::TargetMetAndSignificant(confidence) => confidence,
        };
        let change = ProportionChange::newcombe(
            numerator,
            denominator,
            baseline_numerator,
            baseline_denominator,
            confidence,
        )?;
        let (actual, baseline) = (change.current.percent(), change.previous.percent());
        let evidence = match rule {
            RagRule::TargetMet => None,
            RagRule::TargetMetAndSignificant(_) => Some(Evidence {
                shown: good_way(polarity, change.significance),
                basis: format!(
                    "{} Newcombe interval {} to {} percentage points",
                    change.confidence,
                    text::signed_fixed(change.lower, 2),
                    text::signed_fixed(change.upper, 2)
                ),
            }),
        };
        let percent = |value: f64| format!("{}%", text::format_fixed(value, 1));
        let points = text::format_fixed(change.value.abs(), 1);
        let movement = if points == "0.0" {
            "no change".to_owned()
        } else if change.value > 0.0 {
            format!("rise of {points} percentage points")
        } else {
            format!("fall of {points} percentage points")
        };
        let (status, reason) = decide(
            [percent(actual), percent(target), percent(baseline)],
            movement,
            (
                polarity.meets(actual, target),
                polarity.improved(actual, baseline),
            ),
            evidence,
        );
        Ok(Rag {
            status,
            reason,
            baseline,
            actual,
            target,
            polarity,
            change: None,
            proportion_change: Some(change),
        })
    }
}

/// True when a significant change went the way `polarity` calls good.
fn good_way(polarity: Polarity, significance: Significance) -> bool {
    matches!(
        (polarity, significance),
        (Polarity::LowerIsBetter, Significance::Reduction)
            | (Polarity::HigherIsBetter, Significance::Increase)
    )
}

/// The status and its reason, from the printed actual, target and baseline, the movement in
/// words, whether the target was met and the indicator improved, and what the significance rule
/// found (`None` when the rule asked for no test).
fn decide(
    [a, t, b]: [String; 3],
    movement: String,
    (met, improved): (bool, bool),
    evidence: Option<Evidence>,
) -> (RagStatus, String) {
    match evidence {
        _ if !met && improved => (
            RagStatus::Amber,
            format!(
                "{a} is better than the baseline of {b} ({movement}) but misses the target of {t}"
            ),
        ),
        _ if !met => (
            RagStatus::Red,
            format!("{a} is no better than the baseline of {b} ({movement}); the target is {t}"),
        ),
        Some(Evidence {
            shown: false,
            basis,
        }) => (
            RagStatus::Amber,
            format!(
                "{a} meets the target of {t} but the {movement} on the baseline of {b} is not \
                 statistically significant ({basis})"
            ),
        ),
        _ => (
            RagStatus::Green,
            format!("{a} meets the target of {t} ({movement} on the baseline of {b})"),
        ),
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
    let percent = percent_change(actual, baseline);
    let direction = if percent > 0.0 {
        "increase"
    } else {
        "reduction"
    };
    format!("{}% {direction}", text::format_fixed(percent.abs(), 1))
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
