//! Group keys over string, boolean and date columns, shared by counting and solved rates.

use polars::prelude::*;

use crate::error::{DataError, Result};

/// The distinct values of one column, sorted (nulls last), and each row's index into them.
pub(crate) struct KeyColumn {
    pub name: String,
    pub codes: Vec<u32>,
    pub values: KeyValues,
}

/// The distinct values, in the column's own type.
pub(crate) enum KeyValues {
    Str(Vec<Option<String>>),
    Bool(Vec<Option<bool>>),
    Date(Vec<Option<i32>>),
}

impl KeyValues {
    pub fn len(&self) -> usize {
        match self {
            KeyValues::Str(v) => v.len(),
            KeyValues::Bool(v) => v.len(),
            KeyValues::Date(v) => v.len(),
        }
    }

    /// A column holding the values at `indices`: the distinct values gathered, so that a
    /// value's text is not copied once per row.
    pub fn column(&self, name: &str, indices: &[u32]) -> Result<Column> {
        let name: PlSmallStr = name.into();
        let distinct: Series = match self {
            KeyValues::Str(v) => Series::new(name, v),
            KeyValues::Bool(v) => Series::new(name, v),
            KeyValues::Date(v) => Int32Chunked::from_iter_options(name, v.iter().copied())
                .into_date()
                .into_series(),
        };
        gather(&distinct, indices)
    }
}

/// The values of `distinct` at `indices`, as a column.
pub(crate) fn gather(distinct: &Series, indices: &[u32]) -> Result<Column> {
    let indices = IdxCa::from_vec("".into(), indices.to_vec());
    Ok(distinct.take(&indices)?.into_column())
}

/// Codes `values` (in row order) by their sorted distinct values, nulls last.
fn encode<T: Ord + Clone + std::hash::Hash>(
    values: impl Iterator<Item = Option<T>>,
) -> (Vec<u32>, Vec<Option<T>>) {
    // First-seen codes, then a remap to sorted order: one hash lookup per row, no copies.
    let mut first_seen: PlHashMap<Option<T>, u32> = PlHashMap::default();
    let mut codes: Vec<u32> = Vec::new();
    // Records come in runs (police.uk files are ordered by place, and one file is one force and
    // month), so a row usually has the value of the row before: no hash lookup for it.
    let mut last: Option<(Option<T>, u32)> = None;
    for value in values {
        let code = match &last {
            Some((previous, code)) if *previous == value => *code,
            _ => {
                let next = first_seen.len() as u32;
                let code = *first_seen.entry(value.clone()).or_insert(next);
                last = Some((value, code));
                code
            }
        };
        codes.push(code);
    }
    let mut distinct: Vec<(Option<T>, u32)> = first_seen.into_iter().collect();
    distinct.sort_by(|(a, _), (b, _)| match (a, b) {
        (None, None) => std::cmp::Ordering::Equal,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (Some(_), None) => std::cmp::Ordering::Less,
        (Some(x), Some(y)) => x.cmp(y),
    });
    let mut remap = vec![0u32; distinct.len()];
    for (sorted, (_, seen)) in distinct.iter().enumerate() {
        remap[*seen as usize] = sorted as u32;
    }
    for code in &mut codes {
        *code = remap[*code as usize];
    }
    (codes, distinct.into_iter().map(|(v, _)| v).collect())
}

/// Reads `name` from `frame` as a key column.
pub(crate) fn key_column(frame: &DataFrame, name: &str) -> Result<KeyColumn> {
    let column = column(frame, name)?;
    let (codes, values) = match column.dtype() {
        DataType::String => {
            let (codes, v) = encode(column.str()?.iter());
            (
                codes,
                KeyValues::Str(v.into_iter().map(|s| s.map(str::to_owned)).collect()),
            )
        }
        DataType::Boolean => {
            let (codes, v) = encode(column.bool()?.iter());
            (codes, KeyValues::Bool(v))
        }
        DataType::Date => {
            let (codes, v) = encode(column.date()?.physical().iter());
            (codes, KeyValues::Date(v))
        }
        other => {
            return Err(DataError::ColumnType {
                name: name.to_owned(),
                dtype: other.to_string(),
                expected: "only string, boolean and date columns can be grouped by",
            })
        }
    };
    Ok(KeyColumn {
        name: name.to_owned(),
        codes,
        values,
    })
}

/// A column by name, or an error that lists the columns there are.
pub(crate) fn column<'a>(frame: &'a DataFrame, name: &str) -> Result<&'a Column> {
    frame.column(name).map_err(|_| DataError::MissingColumn {
        name: name.to_owned(),
        available: frame
            .get_column_names()
            .iter()
            .map(|n| n.to_string())
            .collect(),
    })
}
