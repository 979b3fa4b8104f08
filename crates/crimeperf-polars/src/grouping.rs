//! Group keys over string, boolean and date columns, shared by counting and solved rates.

use polars::prelude::*;
use polars_arrow::array::Array;

use crate::error::{DataError, Result};
use crate::police_uk::{days_to_month, CompactRecords, RowValuesOf};

/// What the counting functions count from: the records frame (or any frame with the columns they
/// need), or the compact records of a read, which give the same results without building the
/// frame. Both `&DataFrame` and `&CompactRecords` convert into it.
#[derive(Debug, Clone, Copy)]
pub enum Records<'a> {
    /// A frame of records.
    Frame(&'a DataFrame),
    /// The compact records of a read.
    Compact(&'a CompactRecords),
}

impl<'a> From<&'a DataFrame> for Records<'a> {
    fn from(frame: &'a DataFrame) -> Self {
        Records::Frame(frame)
    }
}

impl<'a> From<&'a CompactRecords> for Records<'a> {
    fn from(records: &'a CompactRecords) -> Self {
        Records::Compact(records)
    }
}

/// Row values of one column, one after another.
pub(crate) type RowValues<'a, T> = Box<dyn Iterator<Item = Option<T>> + 'a>;

impl<'a> Records<'a> {
    pub(crate) fn height(&self) -> usize {
        match self {
            Records::Frame(f) => f.height(),
            Records::Compact(c) => c.height(),
        }
    }

    /// Whether the records have column `name`.
    pub(crate) fn has(&self, name: &str) -> bool {
        match self {
            Records::Frame(f) => f.column(name).is_ok(),
            Records::Compact(c) => c.column_names().contains(&name),
        }
    }

    pub(crate) fn key_column(&self, name: &str) -> Result<KeyColumn> {
        match self {
            Records::Frame(f) => key_column(f, name),
            Records::Compact(c) => c.key_column(name),
        }
    }

    /// The values of a boolean column, row by row.
    pub(crate) fn flags(&self, name: &str) -> Result<RowValues<'a, bool>> {
        match *self {
            Records::Frame(f) => Ok(Box::new(column(f, name)?.bool()?.iter())),
            Records::Compact(c) => match c.row_values(name)? {
                RowValuesOf::Bool(values) => Ok(values),
                _ => Err(wrong_type(name, "str", "must be a boolean column")),
            },
        }
    }

    /// The days of a date column (such as `month`), row by row.
    pub(crate) fn days(&self, name: &str) -> Result<RowValues<'a, i32>> {
        const EXPECTED: &str = "the month column must be a date";
        match *self {
            Records::Frame(f) => {
                let values = column(f, name)?;
                let dates = values
                    .date()
                    .map_err(|_| wrong_type(name, &values.dtype().to_string(), EXPECTED))?;
                Ok(Box::new(dates.physical().iter()))
            }
            Records::Compact(c) => match c.row_values(name)? {
                RowValuesOf::Date(values) => Ok(values),
                _ => Err(wrong_type(name, "str", EXPECTED)),
            },
        }
    }

    /// A text column as a key column, or an error saying it must be text.
    pub(crate) fn text_key(&self, name: &str) -> Result<(Vec<u32>, Vec<Option<String>>)> {
        let key = self.key_column(name)?;
        match key.values {
            KeyValues::Str(values) => Ok((key.codes, values)),
            _ => Err(wrong_type(name, "not text", "must be a text column")),
        }
    }
}

fn wrong_type(name: &str, dtype: &str, expected: &'static str) -> DataError {
    DataError::ColumnType {
        name: name.to_owned(),
        dtype: dtype.to_owned(),
        expected,
    }
}

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
    sorted_codes(codes, first_seen)
}

/// Codes a string column like [`encode`], but keyed by each row's 16-byte view rather than its
/// text: equal views are equal strings, and a file's rows of one label share one view (see the
/// police.uk parser), so the text of a label is hashed once per file rather than once per row.
fn encode_strings(strings: &StringChunked) -> (Vec<u32>, Vec<Option<String>>) {
    let mut first_seen: PlHashMap<Option<String>, u32> = PlHashMap::default();
    let mut codes: Vec<u32> = Vec::with_capacity(strings.len());
    let null_code = |first_seen: &mut PlHashMap<Option<String>, u32>| {
        let next = first_seen.len() as u32;
        *first_seen.entry(None).or_insert(next)
    };
    for array in strings.downcast_iter() {
        // Views mean the same string only within one array (they index its buffers).
        let mut by_view: PlHashMap<u128, u32> = PlHashMap::default();
        let mut last: Option<(u128, u32)> = None;
        let validity = array.validity();
        for (row, view) in array.views().iter().enumerate() {
            if validity.is_some_and(|v| !v.get_bit(row)) {
                codes.push(null_code(&mut first_seen));
                continue;
            }
            let key = view.as_u128();
            let code = match last {
                Some((previous, code)) if previous == key => code,
                _ => {
                    let code = *by_view.entry(key).or_insert_with(|| {
                        let text = array.value(row);
                        let next = first_seen.len() as u32;
                        *first_seen.entry(Some(text.to_owned())).or_insert(next)
                    });
                    last = Some((key, code));
                    code
                }
            };
            codes.push(code);
        }
    }
    sorted_codes(codes, first_seen)
}

/// Renumbers first-seen `codes` in the sorted order of their values, nulls last.
pub(crate) fn sorted_codes<T: Ord>(
    mut codes: Vec<u32>,
    first_seen: PlHashMap<Option<T>, u32>,
) -> (Vec<u32>, Vec<Option<T>>) {
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
            let (codes, v) = encode_strings(column.str()?);
            (codes, KeyValues::Str(v))
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

/// "name=value" for one group key, to name a group in an error.
pub(crate) fn key_text(key: &KeyColumn, code: u32) -> String {
    let code = code as usize;
    let text = match &key.values {
        KeyValues::Str(v) => v[code].clone(),
        KeyValues::Bool(v) => v[code].map(|b| b.to_string()),
        KeyValues::Date(v) => v[code].map(|d| match days_to_month(d) {
            Some(m) => m.to_string(),
            None => d.to_string(),
        }),
    };
    format!("{}={}", key.name, text.as_deref().unwrap_or("null"))
}

/// A numeric column as floats; any other type is an error naming the column.
pub(crate) fn float_values(frame: &DataFrame, name: &str) -> Result<Float64Chunked> {
    let values = column(frame, name)?;
    if !values.dtype().is_primitive_numeric() {
        return Err(DataError::ColumnType {
            name: name.to_owned(),
            dtype: values.dtype().to_string(),
            expected: "the values must be numbers",
        });
    }
    Ok(values.cast(&DataType::Float64)?.f64()?.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn string_codes_by_view_agree_with_codes_by_text() {
        let long = "Violence and sexual offences";
        let values = [
            Some(long),
            Some("Burglary"),
            None,
            Some(long),
            Some("Arson and criminal damage"),
        ];
        let mut strings = StringChunked::from_iter_options("c".into(), values.into_iter());
        // A second chunk: the same strings behind other views and buffers.
        let again = StringChunked::from_iter_options("c".into(), values.into_iter().rev());
        strings.append(&again).expect("same type");
        assert_eq!(strings.chunks().len(), 2);
        let (codes, distinct) = encode_strings(&strings);
        let (expected_codes, expected) = encode(strings.iter());
        assert_eq!(codes, expected_codes);
        assert_eq!(
            distinct,
            expected
                .into_iter()
                .map(|v| v.map(str::to_owned))
                .collect::<Vec<_>>()
        );
        assert_eq!(distinct.last(), Some(&None), "nulls sort last");
    }
}
