//! Where an LSOA is: its ward, local authority, Community Safety Partnership and police force.
//!
//! The lookup comes from this crate's `data/geography/lsoa_lookup.csv`, built by
//! `scripts/build_geography_extract.py` from ONS lookups (2011 and 2021 LSOA boundaries), so that
//! police.uk rows on either vintage of LSOA code can be placed.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use polars::prelude::PlHashMap;

use crate::error::{DataError, Result};

/// The areas an LSOA belongs to. Fields are empty strings where the lookup has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LsoaPlace {
    /// The census boundaries the code exists on: "2011", "2021" or "2011;2021".
    pub boundary_years: Arc<str>,
    /// Electoral ward code (2021 boundaries; empty for codes that exist only on 2011 ones).
    pub ward_code: Arc<str>,
    /// Local authority district code (April 2021 boundaries), e.g. E07000075.
    pub local_authority_code: Arc<str>,
    /// Local authority name.
    pub local_authority_name: Arc<str>,
    /// Community Safety Partnership code, e.g. E22000088.
    pub csp_code: Arc<str>,
    /// Community Safety Partnership name.
    pub csp_name: Arc<str>,
    /// Police force area code, e.g. E23000028.
    pub force_code: Arc<str>,
    /// Police force area name as ONS writes it, e.g. "Essex".
    pub force_name: Arc<str>,
    /// [`force_key`] of the force name, to compare with police.uk's "Falls within".
    pub force_key: Arc<str>,
}

/// The LSOA lookup.
#[derive(Debug, Clone, Default)]
pub struct Geography {
    lsoas: PlHashMap<Box<str>, LsoaPlace>,
    source: PathBuf,
}

/// The columns `lsoa_lookup.csv` must have.
const LSOA_COLUMNS: [&str; 8] = [
    "lsoa_code",
    "boundary_year",
    "ward_code",
    "local_authority_code",
    "local_authority_name",
    "csp_code",
    "csp_name",
    "force_code",
];

/// Reads a CSV lookup, calling `row` with a field getter for each data line. `path` names the
/// lookup in errors.
pub(crate) fn read_lookup(
    path: &Path,
    input: impl std::io::Read,
    required: &[&str],
    mut row: impl FnMut(u64, &dyn Fn(&str) -> String) -> Result<()>,
) -> Result<()> {
    let lookup_error = |line: u64, reason: String| DataError::Lookup {
        path: path.to_owned(),
        line,
        reason,
    };
    let mut reader = csv::Reader::from_reader(input);
    let headers = reader
        .headers()
        .map_err(|e| lookup_error(1, e.to_string()))?
        .clone();
    let mut index = HashMap::new();
    for name in required {
        let position = headers
            .iter()
            .position(|h| h == *name)
            .ok_or_else(|| lookup_error(1, format!("missing column {name:?}")))?;
        index.insert(*name, position);
    }
    for (number, record) in reader.records().enumerate() {
        let line = number as u64 + 2;
        let record = record.map_err(|e| lookup_error(line, e.to_string()))?;
        let field = |name: &str| -> String {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .trim()
                .to_owned()
        };
        row(line, &field)?;
    }
    Ok(())
}

impl Geography {
    /// Reads the lookup from a folder in the layout of `data/geography/`: `lsoa_lookup.csv` (LSOA
    /// to ward, local authority, CSP and force codes) and `csp_lookup.csv` (force names).
    ///
    /// # Errors
    ///
    /// [`DataError::Io`] when a file cannot be read and [`DataError::Lookup`] for a missing
    /// column or a malformed row (naming the file and line).
    ///
    /// # Examples
    ///
    /// ```
    /// let geography = crimeperf_polars::Geography::bundled()?;
    /// let place = geography.get("E01021914").expect("a Rochford LSOA");
    /// assert_eq!(&*place.local_authority_code, "E07000075");
    /// assert_eq!(&*place.csp_code, "E22000088");
    /// assert_eq!(&*place.force_name, "Essex");
    /// # Ok::<(), crimeperf_polars::DataError>(())
    /// ```
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Self> {
        let dir = dir.as_ref();
        let open = |name: &str| {
            let path = dir.join(name);
            std::fs::File::open(&path)
                .map(std::io::BufReader::new)
                .map_err(|source| DataError::Io { path, source })
        };
        Self::from_readers(open("lsoa_lookup.csv")?, open("csp_lookup.csv")?, dir)
    }

    /// Reads the lookup from the contents of `lsoa_lookup.csv` and `csp_lookup.csv`; `source`
    /// names them in errors.
    fn from_readers(
        lsoa: impl std::io::Read,
        csp: impl std::io::Read,
        source: &Path,
    ) -> Result<Self> {
        let dir = source;
        let mut interned: HashMap<String, Arc<str>> = HashMap::new();
        let mut intern = |text: String| -> Arc<str> {
            interned
                .entry(text)
                .or_insert_with_key(|t| Arc::from(t.as_str()))
                .clone()
        };
        let mut force_names: HashMap<String, Arc<str>> = HashMap::new();
        let csp_path = dir.join("csp_lookup.csv");
        read_lookup(&csp_path, csp, &["force_code", "force_name"], |_, field| {
            let code = field("force_code");
            if !code.is_empty() {
                force_names.insert(code, intern(field("force_name")));
            }
            Ok(())
        })?;
        let lsoa_path = dir.join("lsoa_lookup.csv");
        let mut lsoas = PlHashMap::default();
        read_lookup(&lsoa_path, lsoa, &LSOA_COLUMNS, |line, field| {
            let code = field("lsoa_code");
            if code.is_empty() {
                return Err(DataError::Lookup {
                    path: lsoa_path.clone(),
                    line,
                    reason: "blank lsoa_code".to_owned(),
                });
            }
            let force_code = field("force_code");
            let force_name = force_names
                .get(&force_code)
                .cloned()
                .unwrap_or_else(|| intern(String::new()));
            let key = force_key(&force_name);
            let place = LsoaPlace {
                boundary_years: intern(field("boundary_year")),
                ward_code: intern(field("ward_code")),
                local_authority_code: intern(field("local_authority_code")),
                local_authority_name: intern(field("local_authority_name")),
                csp_code: intern(field("csp_code")),
                csp_name: intern(field("csp_name")),
                force_code: intern(force_code),
                force_name,
                force_key: intern(key),
            };
            lsoas.insert(code.into_boxed_str(), place);
            Ok(())
        })?;
        Ok(Geography {
            lsoas,
            source: dir.to_owned(),
        })
    }

    /// The lookup built into the library: this crate's `data/geography/` (England and Wales,
    /// 2011 and 2021 LSOAs; see its README for sources and gaps). Reading it takes about a tenth
    /// of a second, so keep the result rather than calling this for every file.
    ///
    /// # Errors
    ///
    /// Only if the built-in tables were corrupted ([`DataError::Lookup`]).
    pub fn bundled() -> Result<Self> {
        Self::from_readers(
            BUNDLED_LSOA_LOOKUP.as_bytes(),
            BUNDLED_CSP_LOOKUP.as_bytes(),
            Path::new("(built-in crimeperf-polars/data/geography)"),
        )
    }

    /// The place of an LSOA code (either boundary vintage).
    pub fn get(&self, lsoa_code: &str) -> Option<&LsoaPlace> {
        self.lsoas.get(lsoa_code)
    }

    /// The number of LSOA codes known.
    pub fn len(&self) -> usize {
        self.lsoas.len()
    }

    /// True when the lookup is empty.
    pub fn is_empty(&self) -> bool {
        self.lsoas.is_empty()
    }

    /// The folder the lookup was read from.
    pub fn source(&self) -> &Path {
        &self.source
    }
}

/// `data/geography/lsoa_lookup.csv` (inside this crate, so that the published crate has it),
/// compiled in so the library works from any directory.
const BUNDLED_LSOA_LOOKUP: &str = include_str!("../data/geography/lsoa_lookup.csv");
/// `data/geography/csp_lookup.csv`.
const BUNDLED_CSP_LOOKUP: &str = include_str!("../data/geography/csp_lookup.csv");

/// The tables of this crate's `data/` compiled into the library, by name: those of
/// `data/geography/` (the file name without `.csv`; see that folder's README for their columns,
/// sources and gaps) and `ons_csp_tables`, the ONS CSP tables for the year ending December 2024
/// for every CSP and force in England and Wales, in the columns of
/// [`OnsCspTables::frame`](crate::OnsCspTables) (`data/ons/README.md`), and
/// `csp_characteristics`, the area characteristics of every CSP behind the illustrative
/// [`demonstration_groups`](crate::demonstration_groups) (`data/peers/README.md`).
pub const BUNDLED_TABLES: [(&str, &str); 7] = [
    ("lsoa_lookup", BUNDLED_LSOA_LOOKUP),
    ("csp_lookup", BUNDLED_CSP_LOOKUP),
    ("wards", include_str!("../data/geography/wards.csv")),
    (
        "la_population",
        include_str!("../data/geography/la_population.csv"),
    ),
    (
        "la_households",
        include_str!("../data/geography/la_households.csv"),
    ),
    (
        "ons_csp_tables",
        include_str!("../data/ons/ons_csp_tables_ye_dec2024.csv"),
    ),
    (
        "csp_characteristics",
        include_str!("../data/peers/csp_characteristics.csv"),
    ),
];

/// The CSV text of the bundled table `name` (one of [`BUNDLED_TABLES`]).
///
/// # Errors
///
/// [`crimeperf::Error::UnknownOption`] for a name that is not a bundled table.
///
/// # Examples
///
/// ```
/// let population = crimeperf_polars::bundled_table("la_population")?;
/// assert!(population.starts_with("local_authority_code,local_authority_name,country,year,population,basis"));
/// # Ok::<(), crimeperf::Error>(())
/// ```
pub fn bundled_table(name: &str) -> std::result::Result<&'static str, crimeperf::Error> {
    BUNDLED_TABLES
        .iter()
        .find(|(table, _)| *table == name)
        .map(|(_, text)| *text)
        .ok_or_else(|| crimeperf::Error::UnknownOption {
            what: "bundled table",
            label: name.to_owned(),
            expected:
                "lsoa_lookup, csp_lookup, wards, la_population, la_households, ons_csp_tables, csp_characteristics",
        })
}

/// A key under which the police.uk force names ("Essex Police", "Metropolitan Police Service")
/// and the ONS police force area names ("Essex", "Metropolitan Police") agree.
pub fn force_key(name: &str) -> String {
    let lower = name.to_lowercase().replace('&', " and ");
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .filter(|w| {
            !matches!(
                *w,
                "police" | "constabulary" | "service" | "force" | "of" | "the"
            )
        })
        .collect();
    let key = words.join(" ");
    // ONS writes "London, City of"; police.uk "City of London Police".
    match key.as_str() {
        "london city" => "city london".to_owned(),
        "metropolitan" => "metropolitan".to_owned(),
        _ => key,
    }
}

#[cfg(test)]
mod tests {
    use super::force_key;

    #[test]
    fn force_names_agree() {
        assert_eq!(force_key("Essex Police"), force_key("Essex"));
        assert_eq!(
            force_key("Metropolitan Police Service"),
            force_key("Metropolitan Police")
        );
        assert_eq!(
            force_key("City of London Police"),
            force_key("London, City of")
        );
        assert_eq!(
            force_key("Avon and Somerset Constabulary"),
            force_key("Avon & Somerset")
        );
        assert_eq!(force_key("Dyfed-Powys Police"), force_key("Dyfed-Powys"));
        assert_ne!(force_key("Norfolk Constabulary"), force_key("Suffolk"));
    }
}
