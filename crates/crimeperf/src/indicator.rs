//! Indicators defined once: what is counted (ONS offence groups or police.uk crime types), over
//! what (residents, households or nothing), per how many, which direction is better and the
//! target rule; a bundled catalogue of common ones, extended or replaced from TOML by the user.

use std::collections::HashSet;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{CrimeType, Error, OffenceGroup, Polarity, Result, Rounding};

/// What an indicator's count is divided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Denominator {
    /// Residents (ONS mid-year population estimates).
    Residents,
    /// Households (Census households).
    Households,
    /// None: the indicator is a count.
    None,
}

impl Denominator {
    /// `"residents"`, `"households"` or `"none"`.
    pub fn label(self) -> &'static str {
        match self {
            Denominator::Residents => "residents",
            Denominator::Households => "households",
            Denominator::None => "none",
        }
    }
}

/// A plan's target rule: a percentage change on the previous period, rounded as the plan says.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetRule {
    /// The change asked for, in percent (−5 for a 5% reduction).
    pub change_percent: f64,
    /// How the target is rounded (half up by default).
    #[serde(default)]
    pub rounding: Rounding,
}

fn per_thousand() -> f64 {
    1000.0
}

/// One indicator's definition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// A short identifier, unique in its catalogue (`"serious_acquisitive_crime"`).
    pub id: String,
    /// The title for a report.
    pub title: String,
    /// The ONS offence groups summed for the count (from the ONS CSP tables).
    #[serde(default)]
    pub offence_groups: Vec<String>,
    /// The data.police.uk crime types summed for the count (from street files).
    #[serde(default)]
    pub crime_types: Vec<String>,
    /// What the count is divided by.
    pub denominator: Denominator,
    /// The multiplier (1,000 for "per 1,000"; 1 for a count).
    #[serde(default = "per_thousand")]
    pub per: f64,
    /// Which direction is better.
    #[serde(default)]
    pub polarity: Polarity,
    /// The target rule, if the plan sets one.
    #[serde(default)]
    pub target: Option<TargetRule>,
    /// Where the numbers come from.
    #[serde(default)]
    pub source: String,
}

impl Indicator {
    /// Checks the definition: a numerator, known offence groups and crime types, a sensible
    /// multiplier, and none with a denominator of "none" but a multiplier other than 1.
    fn check(&self) -> Result<()> {
        let invalid = |reason: &'static str, value: f64| Error::InvalidValue {
            what: "indicator",
            reason,
            value,
        };
        let named = |error: Error| Error::InIndicator {
            id: self.id.clone(),
            source: Box::new(error),
        };
        if self.id.trim().is_empty() {
            return Err(named(invalid("needs an id", f64::NAN)));
        }
        if self.offence_groups.is_empty() && self.crime_types.is_empty() {
            return Err(named(invalid(
                "needs offence_groups or crime_types to count",
                0.0,
            )));
        }
        for group in &self.offence_groups {
            OffenceGroup::from_str(group).map_err(named)?;
        }
        for crime_type in &self.crime_types {
            CrimeType::from_str(crime_type).map_err(named)?;
        }
        if !(self.per.is_finite() && self.per > 0.0) {
            return Err(named(invalid(
                "per must be a finite number above zero",
                self.per,
            )));
        }
        if let Some(rule) = self.target {
            if !(rule.change_percent.is_finite() && rule.change_percent >= -100.0) {
                return Err(named(invalid(
                    "target change_percent must be a finite number of at least -100",
                    rule.change_percent,
                )));
            }
        }
        Ok(())
    }
}

/// A list of indicators, unique by id.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalogue {
    /// The indicators, in their order of definition.
    #[serde(rename = "indicator", default)]
    pub indicators: Vec<Indicator>,
}

const BUNDLED: &str = include_str!("../data/indicators.toml");

impl Catalogue {
    /// crimeperf's bundled catalogue: total recorded crime, serious acquisitive crime,
    /// residential burglary per 1,000 households, violence with injury, criminal damage and
    /// arson, vehicle offences, shoplifting and ASB incidents.
    ///
    /// # Errors
    ///
    /// Never in practice: the bundled file is checked by the tests.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Catalogue;
    ///
    /// let catalogue = Catalogue::bundled()?;
    /// assert!(catalogue.get("serious_acquisitive_crime").is_some());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn bundled() -> Result<Self> {
        Self::from_toml(BUNDLED)
    }

    /// A catalogue from TOML text: `[[indicator]]` tables with the fields of [`Indicator`].
    ///
    /// # Errors
    ///
    /// [`Error::InvalidCatalogue`] for TOML that does not parse or has unknown fields (with the
    /// line), [`Error::InIndicator`] for an indicator that fails its checks (an unknown offence
    /// group or crime type, no numerator, a bad multiplier), naming it, and
    /// [`Error::InvalidCatalogue`] for an id used twice.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Catalogue, Denominator};
    ///
    /// let mine = Catalogue::from_toml(r#"
    ///     [[indicator]]
    ///     id = "robbery"
    ///     title = "Robbery per 1,000 residents"
    ///     offence_groups = ["Robbery"]
    ///     denominator = "residents"
    ///     target = { change_percent = -10 }
    /// "#)?;
    /// assert_eq!(mine.indicators[0].denominator, Denominator::Residents);
    /// assert_eq!(mine.indicators[0].per, 1000.0);
    /// assert!(Catalogue::from_toml("[[indicator]]\nid = \"x\"\ntitle = \"x\"\ncrime_types = [\"Arson\"]\ndenominator = \"none\"").is_err());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn from_toml(text: &str) -> Result<Self> {
        let catalogue: Catalogue =
            toml::from_str(text).map_err(|e| Error::InvalidCatalogue(e.to_string()))?;
        let mut seen = HashSet::new();
        for indicator in &catalogue.indicators {
            indicator.check()?;
            if !seen.insert(indicator.id.as_str()) {
                return Err(Error::InvalidCatalogue(format!(
                    "the id {:?} is used by two indicators",
                    indicator.id
                )));
            }
        }
        Ok(catalogue)
    }

    /// This catalogue with `other`'s indicators: one with an id already here replaces it (in
    /// place), the others are added at the end.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::Catalogue;
    ///
    /// let mine = Catalogue::from_toml(r#"
    ///     [[indicator]]
    ///     id = "shoplifting"
    ///     title = "Shoplifting per 1,000 residents"
    ///     offence_groups = ["Shoplifting"]
    ///     denominator = "residents"
    /// "#)?;
    /// let both = Catalogue::bundled()?.extended(mine);
    /// assert_eq!(both.get("shoplifting").unwrap().title, "Shoplifting per 1,000 residents");
    /// assert_eq!(both.indicators.len(), Catalogue::bundled()?.indicators.len());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn extended(mut self, other: Catalogue) -> Self {
        for indicator in other.indicators {
            match self.indicators.iter_mut().find(|i| i.id == indicator.id) {
                Some(existing) => *existing = indicator,
                None => self.indicators.push(indicator),
            }
        }
        self
    }

    /// The indicator with this id.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }
}
