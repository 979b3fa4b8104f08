//! "Did you mean …?": the closest valid names to a mistyped one, for error messages about unknown
//! options and missing columns.

/// The candidates closest to `label`, for a "did you mean" hint: those at the smallest edit
/// distance (Levenshtein, ignoring case), when that distance is small for the name's length (at
/// most 2, or a third of the longer name), together with those that start with `label` when
/// it has three characters or more ("lower" → "lower_is_better"). In the candidates' order,
/// without repeats; empty when nothing is close.
///
/// # Examples
///
/// ```
/// use crimeperf::closest_names;
///
/// let columns = ["area", "population", "crimes"];
/// assert_eq!(closest_names("populaton", columns), ["population"]);
/// assert_eq!(closest_names("Crime", columns), ["crimes"]);
/// assert!(closest_names("month", columns).is_empty());
/// assert_eq!(closest_names("half-up", ["half_up", "floor", "ceil", "none"]), ["half_up"]);
/// ```
pub fn closest_names<'a>(
    label: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let wanted: Vec<char> = label.trim().to_lowercase().chars().collect();
    let mut best: Option<usize> = None;
    let mut scored: Vec<(&'a str, usize, bool)> = Vec::new();
    for candidate in candidates {
        if scored.iter().any(|(seen, _, _)| *seen == candidate) {
            continue;
        }
        let name: Vec<char> = candidate.to_lowercase().chars().collect();
        let distance = edit_distance(&wanted, &name);
        let limit = 2.max(wanted.len().max(name.len()) / 3);
        let prefix = wanted.len() >= 3 && name.starts_with(&wanted);
        if distance <= limit {
            best = Some(best.map_or(distance, |b| b.min(distance)));
        }
        scored.push((candidate, distance, prefix));
    }
    scored
        .into_iter()
        .filter(|&(_, distance, prefix)| Some(distance) == best || prefix)
        .map(|(name, _, _)| name)
        .collect()
}

/// The hint for an error message: `"did you mean 'population'?"`, `"did you mean 'a' or
/// 'b'?"`, or `None` when no candidate is close (see [`closest_names`]).
///
/// # Examples
///
/// ```
/// use crimeperf::did_you_mean;
///
/// assert_eq!(
///     did_you_mean("populaton", ["area", "population"]).as_deref(),
///     Some("did you mean 'population'?")
/// );
/// assert_eq!(did_you_mean("month", ["area", "population"]), None);
/// ```
pub fn did_you_mean<'a>(
    label: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    let names = closest_names(label, candidates);
    let (last, rest) = names.split_last()?;
    let mut out = String::from("did you mean ");
    for name in rest {
        out.push('\'');
        out.push_str(name);
        out.push_str("', ");
    }
    if !rest.is_empty() {
        // "'a', 'b' or 'c'": the comma before the last name goes.
        out.truncate(out.len() - 2);
        out.push_str(" or ");
    }
    out.push('\'');
    out.push_str(last);
    out.push_str("'?");
    Some(out)
}

/// `" (did you mean 'x'?)"` or `""`: the tail of [`Error::UnknownOption`](crate::Error)'s message,
/// whose accepted labels are held as one comma-separated list.
pub(crate) fn hint_for_list(label: &str, expected: &str) -> String {
    did_you_mean(label, expected.split(", ")).map_or_else(String::new, |hint| format!(" ({hint})"))
}

/// The Levenshtein distance between two names, with one row of the table.
fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> usize {
        let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
        edit_distance(&a, &b)
    }

    #[test]
    fn edit_distances() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("flaw", "lawn"), 2);
        assert_eq!(distance("half-up", "half_up"), 1);
        assert_eq!(distance("population", "population"), 0);
    }

    #[test]
    fn suggestions() {
        let options = ["lower_is_better", "higher_is_better"];
        assert_eq!(
            closest_names("lower-is-better", options),
            ["lower_is_better"]
        );
        assert_eq!(closest_names("higher", options), ["higher_is_better"]);
        assert_eq!(
            closest_names("LOWER_IS_BETTER ", options),
            ["lower_is_better"]
        );
        assert!(closest_names("sideways", options).is_empty());
        assert!(closest_names("", options).is_empty());
        assert_eq!(
            did_you_mean("ab", ["abc", "abd", "xyz"]).as_deref(),
            Some("did you mean 'abc' or 'abd'?")
        );
        assert_eq!(
            did_you_mean("cat", ["cats", "cut", "cot"]).as_deref(),
            Some("did you mean 'cats', 'cut' or 'cot'?")
        );
        assert_eq!(
            hint_for_list("flor", "half_up, floor, ceil, none"),
            " (did you mean 'floor'?)"
        );
        assert_eq!(hint_for_list("banker", "half_up, floor, ceil, none"), "");
    }
}
