//! Who a row is about: the area's code, cleaned name, level and force, and the local authority
//! of a single-authority CSP, with a log row for everything that had to be cleaned.

use std::collections::HashMap;

use crimeperf::{AreaCode, AreaLevel};

use super::cells::strip_notes;
use super::log::{Kind, Log};
use super::table::Table;

#[derive(Debug, Clone)]
pub(super) struct Identity {
    pub(super) area_code: Option<String>,
    pub(super) area_name: String,
    pub(super) level: &'static str,
    pub(super) force_name: String,
    /// The force code as printed on the row (checked against the force total rows).
    pub(super) force_code: Option<String>,
    pub(super) local_authority_code: Option<String>,
}

/// Cleans a name: `[note N]` removed, surrounding white space trimmed, with log rows.
fn clean_name(file: &str, line: u64, raw: &str, log: &mut Log) -> String {
    let (without_notes, had_note) = strip_notes(raw);
    let cleaned = without_notes.trim().to_owned();
    if had_note {
        log.add(
            file,
            Some(line),
            Kind::NoteRemoved,
            &format!("{raw:?} read as {cleaned:?}"),
            1,
        );
    } else if cleaned != raw {
        log.add(
            file,
            Some(line),
            Kind::NameWhitespace,
            &format!("{raw:?} read as {cleaned:?}"),
            1,
        );
    }
    cleaned
}

/// The identity of a row from its six identifier cells (local authority name unused).
pub(super) fn identify(file: &str, line: u64, ids: [Option<String>; 5], log: &mut Log) -> Identity {
    let [pfa_code, pfa_name, csp_code, csp_name, la_code] = ids;
    let force_name = pfa_name
        .as_deref()
        .map(|n| clean_name(file, line, n, log))
        .unwrap_or_default();
    let force_code = pfa_code.as_deref().map(|c| c.trim().to_ascii_uppercase());
    let csp_name = csp_name.as_deref().map(|n| clean_name(file, line, n, log));

    let parse_code = |raw: &str, log: &mut Log| -> Option<AreaCode> {
        match raw.parse::<AreaCode>() {
            Ok(code) => Some(code),
            Err(e) => {
                log.add(
                    file,
                    Some(line),
                    Kind::BadAreaCode,
                    &format!("{raw:?}: {e}"),
                    1,
                );
                None
            }
        }
    };
    let level_label = |code: &AreaCode, expected: AreaLevel, log: &mut Log| -> &'static str {
        let level = code.level();
        if level != expected
            && !(expected == AreaLevel::PoliceForceArea && level == AreaLevel::Country)
        {
            log.add(
                file,
                Some(line),
                Kind::UnexpectedAreaLevel,
                &format!(
                    "{} is a {} code where a {} code was expected",
                    code.as_str(),
                    level.label(),
                    expected.label()
                ),
                1,
            );
        }
        level.label()
    };

    let (area_code, area_name, level) = match (csp_code.as_deref(), csp_name) {
        // A CSP with a code.
        (Some(raw), name) => {
            let name = name.unwrap_or_default();
            match parse_code(raw, log) {
                Some(code) => {
                    let level = level_label(&code, AreaLevel::CommunitySafetyPartnership, log);
                    (Some(code.as_str().to_owned()), name, level)
                }
                None => (None, name, "other"),
            }
        }
        // A force (or country) total row.
        (None, None) => match force_code.as_deref().and_then(|raw| parse_code(raw, log)) {
            Some(code) => {
                let level = level_label(&code, AreaLevel::PoliceForceArea, log);
                (Some(code.as_str().to_owned()), force_name.clone(), level)
            }
            None => (None, force_name.clone(), "force"),
        },
        // A named area without a code.
        (None, Some(name)) => {
            let level = if name.to_lowercase().starts_with("unassigned") {
                "unassigned"
            } else {
                "other"
            };
            let detail = if level == "unassigned" {
                String::from("\"Unassigned <force>\" rows: level \"unassigned\"")
            } else {
                format!("{name:?} ({force_name}): level {level:?}")
            };
            log.add(file, Some(line), Kind::AreaWithoutCode, &detail, 1);
            (None, name, level)
        }
    };

    let local_authority_code = la_code.and_then(|raw| {
        let trimmed = raw.trim();
        match trimmed.parse::<AreaCode>() {
            Ok(code) if code.level() == AreaLevel::LocalAuthority => Some(code.as_str().to_owned()),
            _ if trimmed
                .to_lowercase()
                .starts_with("combined local authorit") =>
            {
                log.add(
                    file,
                    Some(line),
                    Kind::CombinedLocalAuthorities,
                    &format!("CSPs with {trimmed:?} in the local authority code column"),
                    1,
                );
                None
            }
            _ => {
                log.add(
                    file,
                    Some(line),
                    Kind::BadLocalAuthorityCode,
                    &format!("{area_name}: {raw:?} is not a local authority code"),
                    1,
                );
                None
            }
        }
    });

    Identity {
        area_code,
        area_name,
        level,
        force_name,
        force_code,
        local_authority_code,
    }
}

/// Checks the force code printed on every row against the force total rows of the table, and
/// notes forces with no total row.
pub(super) fn check_force_codes(table: &Table, log: &mut Log) {
    let mut code_of: HashMap<String, String> = HashMap::new();
    let mut name_of: HashMap<String, String> = HashMap::new();
    for row in &table.rows {
        if matches!(row.identity.level, "force" | "country") {
            if let Some(code) = &row.identity.area_code {
                code_of.insert(row.identity.force_name.to_lowercase(), code.clone());
                name_of.insert(code.clone(), row.identity.force_name.clone());
            }
        }
    }
    let mut without_total: Vec<(String, u64)> = Vec::new();
    for row in &table.rows {
        let id = &row.identity;
        let Some(printed) = &id.force_code else {
            continue;
        };
        match code_of.get(&id.force_name.to_lowercase()) {
            Some(code) if code != printed => {
                let owner = match name_of.get(printed) {
                    Some(n) => format!("the code of {n}"),
                    None => String::from("the code of no force total row"),
                };
                log.add(
                    &table.file,
                    Some(row.line),
                    Kind::ForceCodeMismatch,
                    &format!(
                        "{:?} is printed with force code {printed} ({owner}); {} is {code}",
                        id.area_name, id.force_name
                    ),
                    1,
                );
            }
            Some(_) => {}
            None => {
                if !without_total.iter().any(|(n, _)| *n == id.force_name) {
                    without_total.push((id.force_name.clone(), row.line));
                }
            }
        }
    }
    for (force, line) in without_total {
        log.add(
            &table.file,
            Some(line),
            Kind::ForceWithoutTotalRow,
            &format!("{force} has no force total row"),
            1,
        );
    }
}
