//! Typed access to the input columns of a frame, and the builders of the result columns.

use polars_arrow::array::{
    Array, BooleanArray, MutableBinaryViewArray, MutableBooleanArray, MutablePrimitiveArray,
    PrimitiveArray, Utf8ViewArray,
};
use polars_arrow::datatypes::{ArrowDataType, Field};
use polars_arrow::types::NativeType;

use crate::arrow::{Finished, Table};
use crate::cell::{whole_number, Cell};
use crate::error::{BindingError, Result, RowProblem};

/// A numeric input column: a name and one cell per row.
pub struct Column {
    /// The column's name in the frame.
    pub name: String,
    /// The values, in row order across all batches.
    pub cells: Vec<Cell>,
}

impl Column {
    /// The value of `row` as a count (a whole number).
    ///
    /// Whole floats are accepted (pandas turns integer columns with gaps into floats).
    #[inline]
    pub fn count(&self, row: usize) -> std::result::Result<i64, RowProblem> {
        match self.cells[row] {
            Cell::Int(v) => Ok(v),
            Cell::UInt(v) => Err(RowProblem::TooLarge {
                column: self.name.clone(),
                value: v,
            }),
            Cell::Float(v) => whole_number(v).ok_or_else(|| RowProblem::NotWhole {
                column: self.name.clone(),
                value: v,
            }),
            Cell::Null => Err(RowProblem::Missing {
                column: self.name.clone(),
            }),
        }
    }

    /// The value of `row` as a real number (populations, exposures, baselines).
    #[inline]
    pub fn real(&self, row: usize) -> std::result::Result<f64, RowProblem> {
        match self.cells[row] {
            Cell::Int(v) => Ok(v as f64),
            Cell::UInt(v) => Ok(v as f64),
            Cell::Float(v) => Ok(v),
            Cell::Null => Err(RowProblem::Missing {
                column: self.name.clone(),
            }),
        }
    }
}

/// Where a per-row number comes from: a column, or one value for every row.
pub enum Source {
    /// A column of the frame.
    Column(Column),
    /// The same value on every row.
    Constant(f64),
}

impl Source {
    /// The value of `row` as a real number.
    #[inline]
    pub fn real(&self, row: usize) -> std::result::Result<f64, RowProblem> {
        match self {
            Source::Column(column) => column.real(row),
            Source::Constant(value) => Ok(*value),
        }
    }

    /// The column, if the values come from one.
    pub fn column(&self) -> Option<&Column> {
        match self {
            Source::Column(column) => Some(column),
            Source::Constant(_) => None,
        }
    }
}

/// A column name or a constant, as passed from Python (read by
/// [`crate::arguments::name_or_value`]).
pub enum NameOrValue {
    /// The name of a column.
    Name(String),
    /// One value for every row.
    Value(f64),
}

/// Describes an Arrow type in the words polars users know.
fn describe(dtype: &ArrowDataType) -> String {
    match dtype {
        ArrowDataType::Utf8 | ArrowDataType::LargeUtf8 | ArrowDataType::Utf8View => {
            "String".to_owned()
        }
        ArrowDataType::Boolean => "Boolean".to_owned(),
        ArrowDataType::Dictionary(..) => "Categorical".to_owned(),
        other => format!("{other:?}"),
    }
}

fn push_primitive<T: NativeType>(
    array: &dyn Array,
    cells: &mut Vec<Cell>,
    convert: impl Fn(T) -> Cell,
) -> Option<()> {
    let array = array.as_any().downcast_ref::<PrimitiveArray<T>>()?;
    if array.null_count() == 0 {
        cells.extend(array.values().iter().map(|&v| convert(v)));
    } else {
        cells.extend(array.iter().map(|v| v.map_or(Cell::Null, |&v| convert(v))));
    }
    Some(())
}

fn push_cells(array: &dyn Array, cells: &mut Vec<Cell>) -> Option<()> {
    use ArrowDataType as D;
    match array.dtype() {
        D::Null => {
            cells.extend(std::iter::repeat_n(Cell::Null, array.len()));
            Some(())
        }
        D::Int8 => push_primitive::<i8>(array, cells, |v| Cell::Int(v.into())),
        D::Int16 => push_primitive::<i16>(array, cells, |v| Cell::Int(v.into())),
        D::Int32 => push_primitive::<i32>(array, cells, |v| Cell::Int(v.into())),
        D::Int64 => push_primitive::<i64>(array, cells, Cell::Int),
        D::UInt8 => push_primitive::<u8>(array, cells, |v| Cell::Int(v.into())),
        D::UInt16 => push_primitive::<u16>(array, cells, |v| Cell::Int(v.into())),
        D::UInt32 => push_primitive::<u32>(array, cells, |v| Cell::Int(v.into())),
        D::UInt64 => push_primitive::<u64>(array, cells, |v| {
            i64::try_from(v).map_or(Cell::UInt(v), Cell::Int)
        }),
        D::Float32 => push_primitive::<f32>(array, cells, |v| Cell::Float(v.into())),
        D::Float64 => push_primitive::<f64>(array, cells, Cell::Float),
        _ => None,
    }
}

impl Table {
    /// Checks that every name in `names` is a column, naming all that are not.
    pub fn require(&self, names: &[&str]) -> Result<()> {
        let available: Vec<String> = self.fields.iter().map(|f| f.name.to_string()).collect();
        let mut missing: Vec<String> = Vec::new();
        for name in names {
            if !available.iter().any(|a| a == name) && !missing.iter().any(|m| m == name) {
                missing.push((*name).to_owned());
            }
        }
        if missing.is_empty() {
            Ok(())
        } else {
            let available = self.frame_columns.clone().unwrap_or(available);
            Err(BindingError::MissingColumns { missing, available })
        }
    }

    /// The position of column `name`, or the error naming it (and the frame's columns).
    pub fn index_of(&self, name: &str) -> Result<usize> {
        self.require(&[name])?;
        Ok(self
            .fields
            .iter()
            .position(|f| f.name.as_str() == name)
            .unwrap_or_default())
    }

    /// The numeric column `name`, with every batch read into cells.
    pub fn numeric(&self, name: &str) -> Result<Column> {
        let index = self.index_of(name)?;
        let mut cells = Vec::with_capacity(self.len);
        for array in &self.chunks[index] {
            if push_cells(array.as_ref(), &mut cells).is_none() {
                return Err(BindingError::ColumnType {
                    column: name.to_owned(),
                    dtype: describe(array.dtype()),
                    expected: "numbers",
                });
            }
        }
        Ok(Column {
            name: name.to_owned(),
            cells,
        })
    }

    /// A column if `source` names one, or a constant.
    pub fn source(&self, source: Option<NameOrValue>, default: f64) -> Result<Source> {
        Ok(match source {
            None => Source::Constant(default),
            Some(NameOrValue::Value(value)) => Source::Constant(value),
            Some(NameOrValue::Name(name)) => Source::Column(self.numeric(&name)?),
        })
    }
}

/// A float result column.
pub fn float_column(name: &str, values: MutablePrimitiveArray<f64>) -> Finished {
    let array: PrimitiveArray<f64> = values.into();
    (
        Field::new(name.into(), ArrowDataType::Float64, true),
        array.boxed(),
    )
}

/// An integer result column.
pub fn int_column(name: &str, values: MutablePrimitiveArray<i64>) -> Finished {
    let array: PrimitiveArray<i64> = values.into();
    (
        Field::new(name.into(), ArrowDataType::Int64, true),
        array.boxed(),
    )
}

/// A boolean result column.
pub fn bool_column(name: &str, values: MutableBooleanArray) -> Finished {
    let array: BooleanArray = values.into();
    (
        Field::new(name.into(), ArrowDataType::Boolean, true),
        array.boxed(),
    )
}

/// A text result column.
pub fn text_column(name: &str, values: MutableBinaryViewArray<str>) -> Finished {
    let array: Utf8ViewArray = values.into();
    (
        Field::new(name.into(), ArrowDataType::Utf8View, true),
        array.boxed(),
    )
}
