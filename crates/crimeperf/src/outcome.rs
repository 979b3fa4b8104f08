//! Outcomes of investigations as police.uk reports them ("Last outcome category" in street files,
//! "Outcome type" in outcome files), their groups, and the definition of a solved crime.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::category::normalise_label;
use crate::{Error, Result};

/// A group of outcomes, for solved rates and outcome profiles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeGroup {
    /// A suspect was charged or summonsed.
    ChargedOrSummonsed,
    /// A caution, penalty notice, drugs warning or community (local) resolution.
    OutOfCourtDisposal,
    /// The investigation ended without identifying a suspect.
    NoSuspectIdentified,
    /// A suspect was identified but could not be prosecuted (evidence, victim support).
    EvidentialDifficulties,
    /// Further action or investigation was judged not to be in the public interest.
    NotInThePublicInterest,
    /// Action was to be taken by another organisation.
    Transferred,
    /// Still open: under investigation or awaiting the outcome of court.
    AwaitingCourtOrUnderInvestigation,
    /// The case reached court (a sentence, an acquittal, or a result not yet known).
    CourtResult,
    /// No outcome is known ("Status update unavailable", or a blank outcome).
    Unknown,
}

impl OutcomeGroup {
    /// Every group.
    pub const ALL: [OutcomeGroup; 9] = [
        OutcomeGroup::ChargedOrSummonsed,
        OutcomeGroup::OutOfCourtDisposal,
        OutcomeGroup::NoSuspectIdentified,
        OutcomeGroup::EvidentialDifficulties,
        OutcomeGroup::NotInThePublicInterest,
        OutcomeGroup::Transferred,
        OutcomeGroup::AwaitingCourtOrUnderInvestigation,
        OutcomeGroup::CourtResult,
        OutcomeGroup::Unknown,
    ];

    /// The group's label in frames: `"charged or summonsed"`, `"out-of-court disposal"`, ….
    pub fn label(self) -> &'static str {
        match self {
            OutcomeGroup::ChargedOrSummonsed => "charged or summonsed",
            OutcomeGroup::OutOfCourtDisposal => "out-of-court disposal",
            OutcomeGroup::NoSuspectIdentified => "no suspect identified",
            OutcomeGroup::EvidentialDifficulties => "evidential difficulties",
            OutcomeGroup::NotInThePublicInterest => "not in the public interest",
            OutcomeGroup::Transferred => "transferred",
            OutcomeGroup::AwaitingCourtOrUnderInvestigation => {
                "awaiting court or under investigation"
            }
            OutcomeGroup::CourtResult => "court result",
            OutcomeGroup::Unknown => "unknown",
        }
    }
}

impl fmt::Display for OutcomeGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for OutcomeGroup {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        let wanted = normalise_label(s);
        OutcomeGroup::ALL
            .into_iter()
            .find(|g| normalise_label(g.label()) == wanted)
            .ok_or_else(|| Error::UnknownCategory {
                label: s.to_owned(),
                expected: OutcomeGroup::ALL.map(OutcomeGroup::label).join(", "),
            })
    }
}

/// One of the 28 outcome categories police.uk publishes (its API's list), parsed also from the
/// labels its CSV files used before May 2014.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[allow(missing_docs)] // each variant is its label, given by `Outcome::label`
pub enum Outcome {
    SuspectCharged,
    SuspectChargedAsPartOfAnotherCase,
    OffenderGivenACaution,
    OffenderGivenPenaltyNotice,
    OffenderGivenADrugsPossessionWarning,
    LocalResolution,
    InvestigationCompleteNoSuspectIdentified,
    UnableToProsecuteSuspect,
    FormalActionIsNotInThePublicInterest,
    FurtherInvestigationIsNotInThePublicInterest,
    FurtherActionIsNotInThePublicInterest,
    ActionToBeTakenByAnotherOrganisation,
    UnderInvestigation,
    AwaitingCourtOutcome,
    DefendantSentToCrownCourt,
    CourtResultUnavailable,
    CourtCaseUnableToProceed,
    DefendantFoundNotGuilty,
    OffenderSentToPrison,
    OffenderGivenSuspendedPrisonSentence,
    OffenderGivenCommunitySentence,
    OffenderFined,
    OffenderGivenConditionalDischarge,
    OffenderGivenAbsoluteDischarge,
    OffenderOrderedToPayCompensation,
    OffenderDeprivedOfProperty,
    OffenderOtherwiseDealtWith,
    StatusUpdateUnavailable,
}

impl Outcome {
    /// Every outcome, grouped.
    pub const ALL: [Outcome; 28] = [
        Outcome::SuspectCharged,
        Outcome::SuspectChargedAsPartOfAnotherCase,
        Outcome::OffenderGivenACaution,
        Outcome::OffenderGivenPenaltyNotice,
        Outcome::OffenderGivenADrugsPossessionWarning,
        Outcome::LocalResolution,
        Outcome::InvestigationCompleteNoSuspectIdentified,
        Outcome::UnableToProsecuteSuspect,
        Outcome::FormalActionIsNotInThePublicInterest,
        Outcome::FurtherInvestigationIsNotInThePublicInterest,
        Outcome::FurtherActionIsNotInThePublicInterest,
        Outcome::ActionToBeTakenByAnotherOrganisation,
        Outcome::UnderInvestigation,
        Outcome::AwaitingCourtOutcome,
        Outcome::DefendantSentToCrownCourt,
        Outcome::CourtResultUnavailable,
        Outcome::CourtCaseUnableToProceed,
        Outcome::DefendantFoundNotGuilty,
        Outcome::OffenderSentToPrison,
        Outcome::OffenderGivenSuspendedPrisonSentence,
        Outcome::OffenderGivenCommunitySentence,
        Outcome::OffenderFined,
        Outcome::OffenderGivenConditionalDischarge,
        Outcome::OffenderGivenAbsoluteDischarge,
        Outcome::OffenderOrderedToPayCompensation,
        Outcome::OffenderDeprivedOfProperty,
        Outcome::OffenderOtherwiseDealtWith,
        Outcome::StatusUpdateUnavailable,
    ];

    /// The label exactly as police.uk writes it.
    pub fn label(self) -> &'static str {
        use Outcome::*;
        match self {
            SuspectCharged => "Suspect charged",
            SuspectChargedAsPartOfAnotherCase => "Suspect charged as part of another case",
            OffenderGivenACaution => "Offender given a caution",
            OffenderGivenPenaltyNotice => "Offender given penalty notice",
            OffenderGivenADrugsPossessionWarning => "Offender given a drugs possession warning",
            LocalResolution => "Local resolution",
            InvestigationCompleteNoSuspectIdentified => {
                "Investigation complete; no suspect identified"
            }
            UnableToProsecuteSuspect => "Unable to prosecute suspect",
            FormalActionIsNotInThePublicInterest => "Formal action is not in the public interest",
            FurtherInvestigationIsNotInThePublicInterest => {
                "Further investigation is not in the public interest"
            }
            FurtherActionIsNotInThePublicInterest => "Further action is not in the public interest",
            ActionToBeTakenByAnotherOrganisation => "Action to be taken by another organisation",
            UnderInvestigation => "Under investigation",
            AwaitingCourtOutcome => "Awaiting court outcome",
            DefendantSentToCrownCourt => "Defendant sent to Crown Court",
            CourtResultUnavailable => "Court result unavailable",
            CourtCaseUnableToProceed => "Court case unable to proceed",
            DefendantFoundNotGuilty => "Defendant found not guilty",
            OffenderSentToPrison => "Offender sent to prison",
            OffenderGivenSuspendedPrisonSentence => "Offender given suspended prison sentence",
            OffenderGivenCommunitySentence => "Offender given community sentence",
            OffenderFined => "Offender fined",
            OffenderGivenConditionalDischarge => "Offender given conditional discharge",
            OffenderGivenAbsoluteDischarge => "Offender given absolute discharge",
            OffenderOrderedToPayCompensation => "Offender ordered to pay compensation",
            OffenderDeprivedOfProperty => "Offender deprived of property",
            OffenderOtherwiseDealtWith => "Offender otherwise dealt with",
            StatusUpdateUnavailable => "Status update unavailable",
        }
    }

    /// The outcome's group.
    pub fn group(self) -> OutcomeGroup {
        use Outcome::*;
        use OutcomeGroup as G;
        match self {
            SuspectCharged | SuspectChargedAsPartOfAnotherCase => G::ChargedOrSummonsed,
            OffenderGivenACaution
            | OffenderGivenPenaltyNotice
            | OffenderGivenADrugsPossessionWarning
            | LocalResolution => G::OutOfCourtDisposal,
            InvestigationCompleteNoSuspectIdentified => G::NoSuspectIdentified,
            UnableToProsecuteSuspect => G::EvidentialDifficulties,
            FormalActionIsNotInThePublicInterest
            | FurtherInvestigationIsNotInThePublicInterest
            | FurtherActionIsNotInThePublicInterest => G::NotInThePublicInterest,
            ActionToBeTakenByAnotherOrganisation => G::Transferred,
            UnderInvestigation | AwaitingCourtOutcome | DefendantSentToCrownCourt => {
                G::AwaitingCourtOrUnderInvestigation
            }
            CourtResultUnavailable
            | CourtCaseUnableToProceed
            | DefendantFoundNotGuilty
            | OffenderSentToPrison
            | OffenderGivenSuspendedPrisonSentence
            | OffenderGivenCommunitySentence
            | OffenderFined
            | OffenderGivenConditionalDischarge
            | OffenderGivenAbsoluteDischarge
            | OffenderOrderedToPayCompensation
            | OffenderDeprivedOfProperty
            | OffenderOtherwiseDealtWith => G::CourtResult,
            StatusUpdateUnavailable => G::Unknown,
        }
    }

    /// True when the outcome can only follow a charge or summons: every court stage, including
    /// "Awaiting court outcome" and "Defendant sent to Crown Court". police.uk replaces the
    /// charge with the later court stage in "Last outcome category", so these count as charged.
    pub fn implies_charge(self) -> bool {
        matches!(
            self.group(),
            OutcomeGroup::ChargedOrSummonsed | OutcomeGroup::CourtResult
        ) || matches!(
            self,
            Outcome::AwaitingCourtOutcome | Outcome::DefendantSentToCrownCourt
        )
    }

    /// True when the outcome may still change: the investigation or the court case is open.
    /// Recent months have many of these, because outcomes lag the offence.
    pub fn is_pending(self) -> bool {
        matches!(
            self,
            Outcome::UnderInvestigation
                | Outcome::AwaitingCourtOutcome
                | Outcome::DefendantSentToCrownCourt
        )
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Outcome {
    type Err = Error;

    /// Parses a police.uk outcome label, case- and white-space-insensitively.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Outcome, OutcomeGroup};
    ///
    /// let outcome: Outcome = "investigation complete; no suspect identified".parse()?;
    /// assert_eq!(outcome.group(), OutcomeGroup::NoSuspectIdentified);
    /// assert!("Suspect arrested".parse::<Outcome>().is_err());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        let wanted = normalise_label(s);
        // Labels of the CSV files before the May 2014 relabelling, and of the API's codes.
        let legacy = match wanted.as_str() {
            "offender sentenced as part of another case" => {
                Some(Outcome::SuspectChargedAsPartOfAnotherCase)
            }
            "offender given community penalty" => Some(Outcome::OffenderGivenCommunitySentence),
            "offender imprisoned" => Some(Outcome::OffenderSentToPrison),
            "suspect found not guilty" => Some(Outcome::DefendantFoundNotGuilty),
            "no further action" => Some(Outcome::InvestigationCompleteNoSuspectIdentified),
            "offender given a penalty notice" => Some(Outcome::OffenderGivenPenaltyNotice),
            _ => None,
        };
        legacy
            .or_else(|| {
                Outcome::ALL
                    .into_iter()
                    .find(|o| normalise_label(o.label()) == wanted)
            })
            .ok_or_else(|| Error::UnknownCategory {
                label: s.to_owned(),
                expected: Outcome::ALL.map(Outcome::label).join(", "),
            })
    }
}

impl TryFrom<String> for Outcome {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<Outcome> for String {
    fn from(o: Outcome) -> String {
        o.label().to_owned()
    }
}

/// Which outcomes count as "solved" (a positive outcome) in a solved rate.
///
/// The default is the Home Office's charged-or-summonsed plus out-of-court disposals, with every
/// court stage counted as charged (see [`Outcome::implies_charge`]).
///
/// # Examples
///
/// ```
/// use crimeperf::{Outcome, OutcomeGroup, SolvedDefinition};
///
/// let solved = SolvedDefinition::default();
/// assert!(solved.is_solved(Outcome::OffenderSentToPrison));
/// assert!(solved.is_solved(Outcome::LocalResolution));
/// assert!(!solved.is_solved(Outcome::UnableToProsecuteSuspect));
///
/// // Charges only, leaving out-of-court disposals out:
/// let charges = SolvedDefinition::from_groups([OutcomeGroup::ChargedOrSummonsed, OutcomeGroup::CourtResult]);
/// assert!(!charges.is_solved(Outcome::LocalResolution));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SolvedDefinition {
    outcomes: BTreeSet<Outcome>,
}

impl SolvedDefinition {
    /// Solved = the given outcomes.
    pub fn from_outcomes(outcomes: impl IntoIterator<Item = Outcome>) -> Self {
        SolvedDefinition {
            outcomes: outcomes.into_iter().collect(),
        }
    }

    /// Solved = every outcome in the given groups.
    pub fn from_groups(groups: impl IntoIterator<Item = OutcomeGroup>) -> Self {
        let groups: BTreeSet<OutcomeGroup> = groups.into_iter().collect();
        Self::from_outcomes(
            Outcome::ALL
                .into_iter()
                .filter(|o| groups.contains(&o.group())),
        )
    }

    /// Solved = the outcomes named by `labels`, each a police.uk outcome category (current or
    /// pre-2014 wording) or an [`OutcomeGroup`] label, which stands for all its outcomes.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownCategory`] naming the first label that is neither.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::{Outcome, SolvedDefinition};
    ///
    /// let solved = SolvedDefinition::from_labels(["charged or summonsed", "Offender given a caution"])?;
    /// assert!(solved.is_solved(Outcome::SuspectCharged));
    /// assert!(solved.is_solved(Outcome::OffenderGivenACaution));
    /// assert!(!solved.is_solved(Outcome::LocalResolution));
    /// assert!(SolvedDefinition::from_labels(["solved by magic"]).is_err());
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    pub fn from_labels<S: AsRef<str>>(labels: impl IntoIterator<Item = S>) -> Result<Self> {
        let mut outcomes = BTreeSet::new();
        let mut groups = BTreeSet::new();
        for label in labels {
            let label = label.as_ref();
            if let Ok(outcome) = label.parse::<Outcome>() {
                outcomes.insert(outcome);
            } else if let Ok(group) = label.parse::<OutcomeGroup>() {
                groups.insert(group);
            } else {
                return Err(Error::UnknownCategory {
                    label: label.to_owned(),
                    expected: format!(
                        "a police.uk outcome category or an outcome group: {}",
                        OutcomeGroup::ALL.map(OutcomeGroup::label).join(", ")
                    ),
                });
            }
        }
        let mut definition = Self::from_groups(groups);
        definition.outcomes.extend(outcomes);
        Ok(definition)
    }

    /// True when `outcome` counts as solved.
    pub fn is_solved(&self, outcome: Outcome) -> bool {
        self.outcomes.contains(&outcome)
    }

    /// The outcomes that count as solved.
    pub fn outcomes(&self) -> impl Iterator<Item = Outcome> + '_ {
        self.outcomes.iter().copied()
    }
}

impl Default for SolvedDefinition {
    fn default() -> Self {
        Self::from_outcomes(
            Outcome::ALL
                .into_iter()
                .filter(|o| o.implies_charge() || o.group() == OutcomeGroup::OutOfCourtDisposal),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_round_trip_and_are_distinct() {
        let labels: BTreeSet<&str> = Outcome::ALL.iter().map(|o| o.label()).collect();
        assert_eq!(labels.len(), 28);
        for outcome in Outcome::ALL {
            assert_eq!(outcome.label().parse::<Outcome>(), Ok(outcome));
        }
    }

    #[test]
    fn every_group_has_an_outcome() {
        for group in OutcomeGroup::ALL {
            assert!(Outcome::ALL.iter().any(|o| o.group() == group), "{group}");
        }
    }
}
