//! Frames in and out through the Arrow PyCapsule interface (the C stream interface), using
//! polars' own Arrow implementation.
//!
//! This is the only module with `unsafe` code: taking ownership of a C stream from a capsule and
//! handing one to Python. Every block states why it is sound.
#![allow(unsafe_code)]

use std::ffi::CStr;

use polars_arrow::array::{Array, StructArray};
use polars_arrow::compute::concatenate::concatenate;
use polars_arrow::datatypes::{ArrowDataType, Field};
use polars_arrow::ffi::{export_iterator, ArrowArrayStream, ArrowArrayStreamReader};
use pyo3::prelude::*;
use pyo3::types::{PyCapsule, PyList, PyTuple};

use crate::error::{BindingError, Result};

/// A finished result column: its field and its values.
pub type Finished = (Field, Box<dyn Array>);

/// The capsule name the PyCapsule interface gives to C streams.
const STREAM: &CStr = c"arrow_array_stream";

/// A table imported from a C stream: the schema and the chunks of each column.
pub struct Table {
    /// The columns of the table.
    pub fields: Vec<Field>,
    /// For each column (in the order of `fields`), its arrays: a record batch's, or a Series'
    /// chunks.
    pub chunks: Vec<Vec<Box<dyn Array>>>,
    /// The number of rows over all batches.
    pub len: usize,
    /// The names of all the columns of the frame the stream was taken from, when the caller
    /// passed only some of them (used to say what the frame has when a column is missing).
    pub frame_columns: Option<Vec<String>>,
}

impl Table {
    /// Imports a table from an object with `__arrow_c_stream__` (or a stream capsule itself).
    ///
    /// `frame_columns` are the names of all the columns of the frame the stream was taken from,
    /// if the stream holds only some of them.
    pub fn import(source: &Bound<'_, PyAny>, frame_columns: Option<Vec<String>>) -> Result<Table> {
        let (field, arrays) = read_stream(source)?;
        let fields = match field.dtype() {
            ArrowDataType::Struct(fields) => fields.clone(),
            other => {
                return Err(BindingError::NotATable(format!(
                    "expected a table (a stream of record batches), got a stream of {other:?}"
                )))
            }
        };
        let mut chunks: Vec<Vec<Box<dyn Array>>> = fields.iter().map(|_| Vec::new()).collect();
        let mut len = 0;
        for array in arrays {
            let Some(batch) = array.as_any().downcast_ref::<StructArray>() else {
                return Err(BindingError::NotATable(
                    "a batch of the stream is not a record batch".to_owned(),
                ));
            };
            len += batch.len();
            for (column, values) in chunks.iter_mut().zip(batch.values()) {
                column.push(values.clone());
            }
        }
        Ok(Table {
            fields,
            chunks,
            len,
            frame_columns,
        })
    }

    /// Imports a table given column by column, as `(name, column)` pairs whose columns have
    /// `__arrow_c_stream__` (polars Series): a polars DataFrame's own stream joins its chunks
    /// into one first, a Series' stream passes them as they are.
    pub fn import_columns(
        columns: &Bound<'_, PyAny>,
        frame_columns: Option<Vec<String>>,
    ) -> Result<Table> {
        let mut fields = Vec::new();
        let mut chunks = Vec::new();
        let not_pairs =
            |err: PyErr| BindingError::NotATable(format!("expected (name, column) pairs: {err}"));
        for pair in columns.try_iter().map_err(not_pairs)? {
            let (name, column): (String, Bound<'_, PyAny>) =
                pair.and_then(|p| p.extract()).map_err(not_pairs)?;
            let (field, arrays) = read_stream(&column)?;
            fields.push(Field::new(name.into(), field.dtype().clone(), true));
            chunks.push(arrays);
        }
        let rows = |arrays: &Vec<Box<dyn Array>>| arrays.iter().map(|a| a.len()).sum::<usize>();
        let len = chunks.first().map_or(0, rows);
        if chunks.iter().any(|arrays| rows(arrays) != len) {
            return Err(BindingError::NotATable(
                "the columns passed have different lengths".to_owned(),
            ));
        }
        Ok(Table {
            fields,
            chunks,
            len,
            frame_columns,
        })
    }

    /// [`Table::import_columns`] for a list or tuple of pairs, [`Table::import`] otherwise.
    pub fn import_any(
        source: &Bound<'_, PyAny>,
        frame_columns: Option<Vec<String>>,
    ) -> Result<Table> {
        if source.is_instance_of::<PyList>() || source.is_instance_of::<PyTuple>() {
            Table::import_columns(source, frame_columns)
        } else {
            Table::import(source, frame_columns)
        }
    }
}

/// The field and arrays of the C stream of `source` (an object with `__arrow_c_stream__`, or a
/// stream capsule itself).
fn read_stream(source: &Bound<'_, PyAny>) -> Result<(Field, Vec<Box<dyn Array>>)> {
    let capsule = match source.cast::<PyCapsule>() {
        Ok(capsule) => capsule.clone(),
        Err(_) => {
            // `None` is passed explicitly: some producers (polars 1.3) require the argument.
            let requested_schema = source.py().None();
            let exported = source
                .call_method1("__arrow_c_stream__", (requested_schema,))
                .map_err(|err| {
                    BindingError::NotATable(format!(
                        "expected an object with the Arrow PyCapsule interface \
                         (__arrow_c_stream__), got {}: {err}",
                        type_name(source)
                    ))
                })?;
            exported.cast_into::<PyCapsule>().map_err(|_| {
                BindingError::NotATable("__arrow_c_stream__ did not return a capsule".to_owned())
            })?
        }
    };
    if !capsule.is_valid_checked(Some(STREAM)) {
        return Err(BindingError::NotATable(
            "the capsule is not an Arrow C stream (its name is not \"arrow_array_stream\")"
                .to_owned(),
        ));
    }
    let pointer = capsule
        .pointer_checked(Some(STREAM))
        .map_err(|err| BindingError::NotATable(err.to_string()))?;
    // SAFETY: a valid capsule named "arrow_array_stream" points to an `ArrowArrayStream`
    // (the PyCapsule interface). We move the stream out and leave a released (empty) one in
    // its place, which is how the interface says a consumer takes ownership: the capsule's
    // destructor then sees `release == NULL` and does nothing.
    let stream = unsafe {
        std::ptr::replace(
            pointer.as_ptr().cast::<ArrowArrayStream>(),
            ArrowArrayStream::empty(),
        )
    };
    // SAFETY: the stream came from a producer of the C stream interface (checked above).
    let mut reader = unsafe { ArrowArrayStreamReader::try_new(Box::new(stream)) }
        .map_err(|err| BindingError::NotATable(format!("cannot read the stream: {err}")))?;
    let field = reader.field().clone();
    let mut arrays = Vec::new();
    loop {
        // SAFETY: as above; each array imported holds on to its producer's memory until it
        // is dropped.
        let Some(next) = (unsafe { reader.next() }) else {
            break;
        };
        arrays.push(
            next.map_err(|err| BindingError::NotATable(format!("the stream failed: {err}")))?,
        );
    }
    Ok((field, arrays))
}

fn type_name(object: &Bound<'_, PyAny>) -> String {
    object
        .get_type()
        .name()
        .map_or_else(|_| "an object".to_owned(), |name| name.to_string())
}

/// Result columns, handed to Python through the Arrow PyCapsule interface.
///
/// `polars.DataFrame(stream)` (or `pyarrow.table(stream)`) reads it without copying.
#[pyclass(frozen, module = "crimeperf._crimeperf", name = "ArrowStream")]
pub struct ArrowStream {
    fields: Vec<Field>,
    batches: Vec<(usize, Vec<Box<dyn Array>>)>,
}

impl ArrowStream {
    /// A stream of record batches with these columns; each batch has its length and arrays.
    ///
    /// `fields` is used when there are no batches (an empty frame).
    pub fn new(fields: Vec<Field>, batches: Vec<(usize, Vec<Finished>)>) -> Self {
        let fields = batches
            .first()
            .map(|(_, columns)| columns.iter().map(|(f, _)| f.clone()).collect())
            .unwrap_or(fields);
        let batches = batches
            .into_iter()
            .map(|(len, columns)| (len, columns.into_iter().map(|(_, a)| a).collect()))
            .collect();
        ArrowStream { fields, batches }
    }
}

#[pymethods]
impl ArrowStream {
    /// Exports the columns as an Arrow C stream capsule (the PyCapsule interface).
    ///
    /// `requested_schema` is accepted and ignored, as the interface allows.
    #[pyo3(signature = (requested_schema = None))]
    fn __arrow_c_stream__<'py>(
        &self,
        py: Python<'py>,
        requested_schema: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyCapsule>> {
        let _ = requested_schema;
        let dtype = ArrowDataType::Struct(self.fields.clone());
        let mut arrays: Vec<Box<dyn Array>> = Vec::new();
        for (len, columns) in &self.batches {
            let batch = StructArray::try_new(dtype.clone(), *len, columns.clone(), None)
                .map_err(|err| BindingError::NotATable(format!("cannot build a batch: {err}")))?;
            arrays.push(batch.boxed());
        }
        let field = Field::new("".into(), dtype, false);
        let stream = export_iterator(Box::new(arrays.into_iter().map(Ok)), field);
        PyCapsule::new_with_value(py, stream, STREAM)
    }

    /// The same columns as a stream of one record batch (for consumers, such as polars 1.3,
    /// that read only the first batch of a stream).
    fn single_batch(&self) -> Result<ArrowStream> {
        if self.batches.len() <= 1 {
            return Ok(ArrowStream {
                fields: self.fields.clone(),
                batches: self.batches.clone(),
            });
        }
        let rows = self.__len__();
        let mut columns = Vec::with_capacity(self.fields.len());
        for index in 0..self.fields.len() {
            let arrays: Vec<&dyn Array> = self
                .batches
                .iter()
                .map(|(_, arrays)| arrays[index].as_ref())
                .collect();
            let array = concatenate(&arrays).map_err(|err| {
                BindingError::NotATable(format!("cannot join the batches: {err}"))
            })?;
            columns.push(array);
        }
        Ok(ArrowStream {
            fields: self.fields.clone(),
            batches: vec![(rows, columns)],
        })
    }

    /// The number of record batches.
    #[getter]
    fn batches(&self) -> usize {
        self.batches.len()
    }

    /// The names of the result columns.
    #[getter]
    fn columns(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.name.to_string()).collect()
    }

    /// The number of rows.
    fn __len__(&self) -> usize {
        self.batches.iter().map(|(len, _)| len).sum()
    }

    fn __repr__(&self) -> String {
        format!(
            "ArrowStream(columns={:?}, rows={})",
            self.columns(),
            self.__len__()
        )
    }
}
