//! The crime taxonomy: police.uk crime types (current and legacy), ONS offence groups, and
//! composite groups built from crime types.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// Lower-cases and folds hyphens, underscores and runs of white space to one space, so that
/// "Anti-social behaviour", " anti social  BEHAVIOUR " and "anti_social_behaviour" are one label.
pub(crate) fn normalise_label(label: &str) -> String {
    label
        .to_lowercase()
        .replace(['-', '_'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A police.uk street-level crime type, including the two names used before May 2013.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum CrimeType {
    /// Anti-social behaviour: an incident series, never a crime.
    AntiSocialBehaviour,
    /// Bicycle theft.
    BicycleTheft,
    /// Burglary.
    Burglary,
    /// Criminal damage and arson.
    CriminalDamageAndArson,
    /// Drugs.
    Drugs,
    /// Other crime.
    OtherCrime,
    /// Other theft.
    OtherTheft,
    /// Possession of weapons.
    PossessionOfWeapons,
    /// Public order.
    PublicOrder,
    /// Robbery.
    Robbery,
    /// Shoplifting.
    Shoplifting,
    /// Theft from the person.
    TheftFromThePerson,
    /// Vehicle crime.
    VehicleCrime,
    /// Violence and sexual offences.
    ViolenceAndSexualOffences,
    /// Legacy (to April 2013): "Violent crime", succeeded by violence and sexual offences.
    ViolentCrime,
    /// Legacy (to April 2013): "Public disorder and weapons", split into public order and
    /// possession of weapons.
    PublicDisorderAndWeapons,
}

impl CrimeType {
    /// Every crime type, current ones first, in police.uk's alphabetical order.
    pub const ALL: [CrimeType; 16] = [
        CrimeType::AntiSocialBehaviour,
        CrimeType::BicycleTheft,
        CrimeType::Burglary,
        CrimeType::CriminalDamageAndArson,
        CrimeType::Drugs,
        CrimeType::OtherCrime,
        CrimeType::OtherTheft,
        CrimeType::PossessionOfWeapons,
        CrimeType::PublicOrder,
        CrimeType::Robbery,
        CrimeType::Shoplifting,
        CrimeType::TheftFromThePerson,
        CrimeType::VehicleCrime,
        CrimeType::ViolenceAndSexualOffences,
        CrimeType::ViolentCrime,
        CrimeType::PublicDisorderAndWeapons,
    ];

    /// The 14 types police.uk publishes today.
    pub const CURRENT: [CrimeType; 14] = [
        CrimeType::AntiSocialBehaviour,
        CrimeType::BicycleTheft,
        CrimeType::Burglary,
        CrimeType::CriminalDamageAndArson,
        CrimeType::Drugs,
        CrimeType::OtherCrime,
        CrimeType::OtherTheft,
        CrimeType::PossessionOfWeapons,
        CrimeType::PublicOrder,
        CrimeType::Robbery,
        CrimeType::Shoplifting,
        CrimeType::TheftFromThePerson,
        CrimeType::VehicleCrime,
        CrimeType::ViolenceAndSexualOffences,
    ];

    /// The label exactly as police.uk writes it.
    pub fn label(self) -> &'static str {
        match self {
            CrimeType::AntiSocialBehaviour => "Anti-social behaviour",
            CrimeType::BicycleTheft => "Bicycle theft",
            CrimeType::Burglary => "Burglary",
            CrimeType::CriminalDamageAndArson => "Criminal damage and arson",
            CrimeType::Drugs => "Drugs",
            CrimeType::OtherCrime => "Other crime",
            CrimeType::OtherTheft => "Other theft",
            CrimeType::PossessionOfWeapons => "Possession of weapons",
            CrimeType::PublicOrder => "Public order",
            CrimeType::Robbery => "Robbery",
            CrimeType::Shoplifting => "Shoplifting",
            CrimeType::TheftFromThePerson => "Theft from the person",
            CrimeType::VehicleCrime => "Vehicle crime",
            CrimeType::ViolenceAndSexualOffences => "Violence and sexual offences",
            CrimeType::ViolentCrime => "Violent crime",
            CrimeType::PublicDisorderAndWeapons => "Public disorder and weapons",
        }
    }

    /// True for anti-social behaviour, which is an incident series and never part of a crime
    /// total.
    pub fn is_incident(self) -> bool {
        self == CrimeType::AntiSocialBehaviour
    }

    /// True for the two names police.uk stopped using in May 2013.
    pub fn is_legacy(self) -> bool {
        matches!(
            self,
            CrimeType::ViolentCrime | CrimeType::PublicDisorderAndWeapons
        )
    }

    /// The current types a legacy type corresponds to (itself for a current type), so that
    /// series spanning 2013 can be joined up.
    pub fn current_equivalents(self) -> &'static [CrimeType] {
        match self {
            CrimeType::ViolentCrime => &[CrimeType::ViolenceAndSexualOffences],
            CrimeType::PublicDisorderAndWeapons => {
                &[CrimeType::PublicOrder, CrimeType::PossessionOfWeapons]
            }
            // `ALL` lists the variants in declaration order, so the discriminant indexes it.
            current => {
                let index = current as usize;
                &CrimeType::ALL[index..=index]
            }
        }
    }
}

impl fmt::Display for CrimeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for CrimeType {
    type Err = Error;

    /// Parses a label case- and white-space-insensitively.
    ///
    /// # Examples
    ///
    /// ```
    /// use crimeperf::CrimeType;
    ///
    /// assert_eq!(" anti social BEHAVIOUR".parse::<CrimeType>()?, CrimeType::AntiSocialBehaviour);
    /// assert_eq!("Violent crime".parse::<CrimeType>()?, CrimeType::ViolentCrime);
    /// let err = "Burglery".parse::<CrimeType>().unwrap_err();
    /// assert!(err.to_string().starts_with("unknown crime category \"Burglery\""));
    /// # Ok::<(), crimeperf::Error>(())
    /// ```
    fn from_str(s: &str) -> Result<Self> {
        let wanted = normalise_label(s);
        CrimeType::ALL
            .into_iter()
            .find(|t| normalise_label(t.label()) == wanted)
            .ok_or_else(|| Error::UnknownCategory {
                label: s.to_owned(),
                expected: CrimeType::ALL.map(CrimeType::label).join(", "),
            })
    }
}

impl TryFrom<String> for CrimeType {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<CrimeType> for String {
    fn from(t: CrimeType) -> String {
        t.label().to_owned()
    }
}

/// An offence group of the ONS police recorded crime tables (fraud excluded, as in the CSP and
/// force tables).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum OffenceGroup {
    /// Total recorded crime (excluding fraud).
    TotalRecordedCrime,
    /// Violence against the person.
    ViolenceAgainstThePerson,
    /// Homicide.
    Homicide,
    /// Death or serious injury caused by illegal driving.
    DeathOrSeriousInjuryByIllegalDriving,
    /// Violence with injury.
    ViolenceWithInjury,
    /// Violence without injury.
    ViolenceWithoutInjury,
    /// Stalking and harassment.
    StalkingAndHarassment,
    /// Sexual offences.
    SexualOffences,
    /// Robbery.
    Robbery,
    /// Theft offences.
    TheftOffences,
    /// Burglary.
    Burglary,
    /// Residential burglary (domestic burglary before April 2017).
    ResidentialBurglary,
    /// Non-residential burglary.
    NonResidentialBurglary,
    /// Vehicle offences.
    VehicleOffences,
    /// Theft from the person.
    TheftFromThePerson,
    /// Bicycle theft.
    BicycleTheft,
    /// Shoplifting.
    Shoplifting,
    /// All other theft offences.
    AllOtherTheftOffences,
    /// Criminal damage and arson.
    CriminalDamageAndArson,
    /// Drug offences.
    DrugOffences,
    /// Possession of weapons offences.
    PossessionOfWeaponsOffences,
    /// Public order offences.
    PublicOrderOffences,
    /// Miscellaneous crimes against society.
    MiscellaneousCrimesAgainstSociety,
}

impl OffenceGroup {
    /// Every group, in the order of the ONS tables.
    pub const ALL: [OffenceGroup; 23] = [
        OffenceGroup::TotalRecordedCrime,
        OffenceGroup::ViolenceAgainstThePerson,
        OffenceGroup::Homicide,
        OffenceGroup::DeathOrSeriousInjuryByIllegalDriving,
        OffenceGroup::ViolenceWithInjury,
        OffenceGroup::ViolenceWithoutInjury,
        OffenceGroup::StalkingAndHarassment,
        OffenceGroup::SexualOffences,
        OffenceGroup::Robbery,
        OffenceGroup::TheftOffences,
        OffenceGroup::Burglary,
        OffenceGroup::ResidentialBurglary,
        OffenceGroup::NonResidentialBurglary,
        OffenceGroup::VehicleOffences,
        OffenceGroup::TheftFromThePerson,
        OffenceGroup::BicycleTheft,
        OffenceGroup::Shoplifting,
        OffenceGroup::AllOtherTheftOffences,
        OffenceGroup::CriminalDamageAndArson,
        OffenceGroup::DrugOffences,
        OffenceGroup::PossessionOfWeaponsOffences,
        OffenceGroup::PublicOrderOffences,
        OffenceGroup::MiscellaneousCrimesAgainstSociety,
    ];

    /// The label as the ONS tables print it (notes and line breaks removed).
    pub fn label(self) -> &'static str {
        match self {
            OffenceGroup::TotalRecordedCrime => "Total recorded crime (excluding fraud)",
            OffenceGroup::ViolenceAgainstThePerson => "Violence against the person",
            OffenceGroup::Homicide => "Homicide",
            OffenceGroup::DeathOrSeriousInjuryByIllegalDriving => {
                "Death or serious injury caused by illegal driving"
            }
            OffenceGroup::ViolenceWithInjury => "Violence with injury",
            OffenceGroup::ViolenceWithoutInjury => "Violence without injury",
            OffenceGroup::StalkingAndHarassment => "Stalking and harassment",
            OffenceGroup::SexualOffences => "Sexual offences",
            OffenceGroup::Robbery => "Robbery",
            OffenceGroup::TheftOffences => "Theft offences",
            OffenceGroup::Burglary => "Burglary",
            OffenceGroup::ResidentialBurglary => "Residential burglary",
            OffenceGroup::NonResidentialBurglary => "Non-residential burglary",
            OffenceGroup::VehicleOffences => "Vehicle offences",
            OffenceGroup::TheftFromThePerson => "Theft from the person",
            OffenceGroup::BicycleTheft => "Bicycle theft",
            OffenceGroup::Shoplifting => "Shoplifting",
            OffenceGroup::AllOtherTheftOffences => "All other theft offences",
            OffenceGroup::CriminalDamageAndArson => "Criminal damage and arson",
            OffenceGroup::DrugOffences => "Drug offences",
            OffenceGroup::PossessionOfWeaponsOffences => "Possession of weapons offences",
            OffenceGroup::PublicOrderOffences => "Public order offences",
            OffenceGroup::MiscellaneousCrimesAgainstSociety => {
                "Miscellaneous crimes against society"
            }
        }
    }

    /// The group this one is a part of in the ONS hierarchy (`None` for the total).
    ///
    /// The parts of every group add up to it exactly in the ONS tables; the test
    /// `ons_groups_add_up` checks this on the bundled Essex extract.
    pub fn parent(self) -> Option<OffenceGroup> {
        use OffenceGroup::*;
        match self {
            TotalRecordedCrime => None,
            Homicide
            | DeathOrSeriousInjuryByIllegalDriving
            | ViolenceWithInjury
            | ViolenceWithoutInjury
            | StalkingAndHarassment => Some(ViolenceAgainstThePerson),
            ResidentialBurglary | NonResidentialBurglary => Some(Burglary),
            Burglary
            | VehicleOffences
            | TheftFromThePerson
            | BicycleTheft
            | Shoplifting
            | AllOtherTheftOffences => Some(TheftOffences),
            ViolenceAgainstThePerson
            | SexualOffences
            | Robbery
            | TheftOffences
            | CriminalDamageAndArson
            | DrugOffences
            | PossessionOfWeaponsOffences
            | PublicOrderOffences
            | MiscellaneousCrimesAgainstSociety => Some(TotalRecordedCrime),
        }
    }

    /// The groups directly below this one.
    pub fn parts(self) -> Vec<OffenceGroup> {
        OffenceGroup::ALL
            .into_iter()
            .filter(|g| g.parent() == Some(self))
            .collect()
    }
}

impl fmt::Display for OffenceGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for OffenceGroup {
    type Err = Error;

    /// Parses an ONS label, case- and white-space-insensitively, accepting "Domestic burglary"
    /// for residential burglary and "Total recorded crime" without the fraud note.
    fn from_str(s: &str) -> Result<Self> {
        let wanted = normalise_label(s);
        let alias = match wanted.as_str() {
            "domestic burglary" => Some(OffenceGroup::ResidentialBurglary),
            "non domestic burglary" => Some(OffenceGroup::NonResidentialBurglary),
            "total recorded crime" | "total recorded crime excluding fraud" => {
                Some(OffenceGroup::TotalRecordedCrime)
            }
            "death or serious injury caused by unlawful driving" => {
                Some(OffenceGroup::DeathOrSeriousInjuryByIllegalDriving)
            }
            _ => None,
        };
        alias
            .or_else(|| {
                OffenceGroup::ALL
                    .into_iter()
                    .find(|g| normalise_label(g.label()) == wanted)
            })
            .ok_or_else(|| Error::UnknownCategory {
                label: s.to_owned(),
                expected: OffenceGroup::ALL.map(OffenceGroup::label).join(", "),
            })
    }
}

impl TryFrom<String> for OffenceGroup {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<OffenceGroup> for String {
    fn from(g: OffenceGroup) -> String {
        g.label().to_owned()
    }
}

/// A named group of crime types counted together, such as "serious acquisitive crime".
///
/// Anti-social behaviour can never be a member: it is an incident series.
///
/// # Examples
///
/// ```
/// use crimeperf::{Composite, CrimeCounts, CrimeType};
///
/// let mut counts = CrimeCounts::new();
/// counts.add(CrimeType::Burglary, 188)?;
/// counts.add(CrimeType::Robbery, 31)?;
/// counts.add(CrimeType::VehicleCrime, 250)?;
/// counts.add(CrimeType::Shoplifting, 400)?;
/// counts.add(CrimeType::AntiSocialBehaviour, 1_000)?;
/// assert_eq!(counts.total(&Composite::serious_acquisitive()), 469);
/// assert_eq!(counts.total(&Composite::all_crime()), 869); // ASB is never in a crime total
/// assert_eq!(counts.incidents(), 1_000);
/// assert!(Composite::new("Everything", CrimeType::ALL).is_err());
/// # Ok::<(), crimeperf::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Composite {
    name: String,
    members: BTreeSet<CrimeType>,
}

impl Composite {
    /// A composite of the given crime types.
    ///
    /// # Errors
    ///
    /// [`Error::IncidentInCrimeTotal`] if anti-social behaviour is among the members, and
    /// [`Error::UnknownCategory`] if there are no members.
    pub fn new(
        name: impl Into<String>,
        members: impl IntoIterator<Item = CrimeType>,
    ) -> Result<Self> {
        let name = name.into();
        let members: BTreeSet<CrimeType> = members.into_iter().collect();
        if members.contains(&CrimeType::AntiSocialBehaviour) {
            return Err(Error::IncidentInCrimeTotal(name));
        }
        if members.is_empty() {
            return Err(Error::UnknownCategory {
                label: name,
                expected: "a composite with at least one crime type".to_owned(),
            });
        }
        Ok(Composite { name, members })
    }

    fn known(name: &str, members: &[CrimeType]) -> Self {
        Composite {
            name: name.to_owned(),
            members: members.iter().copied().collect(),
        }
    }

    /// All crime: every crime type, current and legacy, excluding anti-social behaviour.
    pub fn all_crime() -> Self {
        let crimes: Vec<CrimeType> = CrimeType::ALL
            .into_iter()
            .filter(|t| !t.is_incident())
            .collect();
        Self::known("All crime", &crimes)
    }

    /// Acquisitive crime: burglary, robbery, vehicle crime, bicycle theft, shoplifting, theft
    /// from the person and other theft.
    pub fn acquisitive() -> Self {
        Self::known(
            "Acquisitive crime",
            &[
                CrimeType::Burglary,
                CrimeType::Robbery,
                CrimeType::VehicleCrime,
                CrimeType::BicycleTheft,
                CrimeType::Shoplifting,
                CrimeType::TheftFromThePerson,
                CrimeType::OtherTheft,
            ],
        )
    }

    /// Serious acquisitive crime: burglary, robbery and vehicle crime.
    pub fn serious_acquisitive() -> Self {
        Self::known(
            "Serious acquisitive crime",
            &[
                CrimeType::Burglary,
                CrimeType::Robbery,
                CrimeType::VehicleCrime,
            ],
        )
    }

    /// The built-in composites.
    pub fn builtin() -> [Composite; 3] {
        [
            Self::all_crime(),
            Self::acquisitive(),
            Self::serious_acquisitive(),
        ]
    }

    /// The composite's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The member crime types, in order.
    pub fn members(&self) -> impl Iterator<Item = CrimeType> + '_ {
        self.members.iter().copied()
    }

    /// True when `crime_type` is a member.
    pub fn contains(&self, crime_type: CrimeType) -> bool {
        self.members.contains(&crime_type)
    }
}

impl FromStr for Composite {
    type Err = Error;

    /// "All crime", "acquisitive crime" or "serious acquisitive crime" (also "SAC").
    fn from_str(s: &str) -> Result<Self> {
        match normalise_label(s).as_str() {
            "all crime" | "all crime excluding asb" | "total crime" => Ok(Self::all_crime()),
            "acquisitive crime" | "acquisitive" => Ok(Self::acquisitive()),
            "serious acquisitive crime" | "serious acquisitive" | "sac" => {
                Ok(Self::serious_acquisitive())
            }
            _ => Err(Error::UnknownCategory {
                label: s.to_owned(),
                expected: "All crime, Acquisitive crime, Serious acquisitive crime".to_owned(),
            }),
        }
    }
}

/// Counts by crime type, for totals over composites.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrimeCounts {
    counts: BTreeMap<CrimeType, u64>,
}

impl CrimeCounts {
    /// No counts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `count` to a crime type.
    ///
    /// # Errors
    ///
    /// [`Error::NegativeCount`] for a negative count, [`Error::CountTooLarge`] above
    /// [`MAX_COUNT`](crate::MAX_COUNT), [`Error::CountOverflow`] if the running total overflows.
    pub fn add(&mut self, crime_type: CrimeType, count: i64) -> Result<()> {
        let count = crate::input::count("count", count)?;
        let entry = self.counts.entry(crime_type).or_insert(0);
        *entry = entry.checked_add(count).ok_or(Error::CountOverflow {
            first: i64::try_from(*entry).unwrap_or(i64::MAX),
            second: i64::try_from(count).unwrap_or(i64::MAX),
        })?;
        Ok(())
    }

    /// The count of one crime type (0 when absent: a zero is data).
    pub fn get(&self, crime_type: CrimeType) -> u64 {
        self.counts.get(&crime_type).copied().unwrap_or(0)
    }

    /// The total over a composite's members (saturating at `u64::MAX`).
    pub fn total(&self, composite: &Composite) -> u64 {
        composite
            .members()
            .map(|t| self.get(t))
            .fold(0u64, u64::saturating_add)
    }

    /// Anti-social behaviour incidents, which are kept apart from every crime total.
    pub fn incidents(&self) -> u64 {
        self.get(CrimeType::AntiSocialBehaviour)
    }
}
