//! Areas identified by ONS Government Statistical Service (GSS) codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// The geographic level of an area, read from the first three characters of its GSS code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaLevel {
    /// Lower layer super output area (E01, W01): about 1,500 residents.
    Lsoa,
    /// Middle layer super output area (E02, W02).
    Msoa,
    /// Electoral ward or division (E05, W05).
    Ward,
    /// Local authority district, unitary authority or London borough (E06–E09, W06).
    LocalAuthority,
    /// Community Safety Partnership (E22 in England, W14 in Wales).
    CommunitySafetyPartnership,
    /// Police force area (E23 in England, W15 in Wales).
    PoliceForceArea,
    /// Region of England (E12).
    Region,
    /// Country (E92, W92).
    Country,
}

impl AreaLevel {
    /// The level's name as used in frames: `"lsoa"`, `"local_authority"`, `"csp"`, ….
    pub fn label(self) -> &'static str {
        match self {
            AreaLevel::Lsoa => "lsoa",
            AreaLevel::Msoa => "msoa",
            AreaLevel::Ward => "ward",
            AreaLevel::LocalAuthority => "local_authority",
            AreaLevel::CommunitySafetyPartnership => "csp",
            AreaLevel::PoliceForceArea => "force",
            AreaLevel::Region => "region",
            AreaLevel::Country => "country",
        }
    }

    fn from_prefix(prefix: &str) -> Option<AreaLevel> {
        Some(match prefix {
            "E01" | "W01" => AreaLevel::Lsoa,
            "E02" | "W02" => AreaLevel::Msoa,
            "E05" | "W05" => AreaLevel::Ward,
            "E06" | "E07" | "E08" | "E09" | "W06" => AreaLevel::LocalAuthority,
            "E22" | "W14" => AreaLevel::CommunitySafetyPartnership,
            "E23" | "W15" => AreaLevel::PoliceForceArea,
            "E12" => AreaLevel::Region,
            "E92" | "W92" => AreaLevel::Country,
            _ => return None,
        })
    }
}

impl fmt::Display for AreaLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A validated nine-character GSS code such as `E22000088` (Rochford CSP).
///
/// # Examples
///
/// ```
/// use crimeperf::{AreaCode, AreaLevel};
///
/// let rochford: AreaCode = " e07000075 ".parse()?;
/// assert_eq!(rochford.as_str(), "E07000075");
/// assert_eq!(rochford.level(), AreaLevel::LocalAuthority);
/// assert!("E0700007".parse::<AreaCode>().is_err());
/// assert!("X99000001".parse::<AreaCode>().is_err());
/// # Ok::<(), crimeperf::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AreaCode {
    code: String,
    level: AreaLevel,
}

impl AreaCode {
    /// The code, upper case.
    pub fn as_str(&self) -> &str {
        &self.code
    }

    /// The level the code belongs to.
    pub fn level(&self) -> AreaLevel {
        self.level
    }
}

impl fmt::Display for AreaCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.code)
    }
}

impl FromStr for AreaCode {
    type Err = Error;

    /// Parses a GSS code, ignoring surrounding white space and case.
    fn from_str(s: &str) -> Result<Self> {
        let code = s.trim().to_ascii_uppercase();
        let fail = |reason: &str| Error::InvalidAreaCode {
            code: s.to_owned(),
            reason: reason.to_owned(),
        };
        if code.len() != 9 || !code.is_ascii() {
            return Err(fail("a GSS code has nine characters, such as E22000088"));
        }
        let (prefix, digits) = code.split_at(3);
        if !prefix.starts_with(['E', 'W', 'S', 'N', 'K'])
            || !prefix[1..].bytes().all(|b| b.is_ascii_digit())
            || !digits.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(fail(
                "a GSS code is a country letter and eight digits, such as E22000088",
            ));
        }
        let level = AreaLevel::from_prefix(prefix).ok_or_else(|| {
            fail("not a code of a level crimeperf knows (LSOA, MSOA, ward, local authority, CSP, police force area, region, country)")
        })?;
        Ok(AreaCode { code, level })
    }
}

impl TryFrom<String> for AreaCode {
    type Error = Error;

    fn try_from(s: String) -> Result<Self> {
        s.parse()
    }
}

impl From<AreaCode> for String {
    fn from(code: AreaCode) -> String {
        code.code
    }
}

/// An area: its code and its name.
///
/// # Examples
///
/// ```
/// use crimeperf::{Area, AreaLevel};
///
/// let area = Area::new("E22000088", "Rochford")?;
/// assert_eq!(area.level(), AreaLevel::CommunitySafetyPartnership);
/// assert_eq!(area.to_string(), "Rochford (E22000088)");
/// # Ok::<(), crimeperf::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Area {
    /// The GSS code.
    pub code: AreaCode,
    /// The name, trimmed.
    pub name: String,
}

impl Area {
    /// An area from a code and a name.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidAreaCode`] when the code is not a valid GSS code of a known level.
    pub fn new(code: &str, name: &str) -> Result<Self> {
        Ok(Area {
            code: code.parse()?,
            name: name.trim().to_owned(),
        })
    }

    /// The area's level.
    pub fn level(&self) -> AreaLevel {
        self.code.level()
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.name, self.code)
    }
}
