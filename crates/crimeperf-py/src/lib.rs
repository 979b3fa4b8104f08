//! # crimeperf._crimeperf
//!
//! The compiled part of the `crimeperf` Python package. It is thin on purpose: it converts
//! Python numbers and Arrow tables into calls of the `crimeperf` core crate, converts the results
//! back, and maps every error to a Python exception in one place ([`error`]). The statistics
//! themselves live in the core; the public Python API, its docstrings and the polars/pandas
//! handling live in `python/crimeperf/`.
//!
//! * [`scalar`]: one set of numbers in (read by [`arguments`]), one named result ([`results`])
//!   out.
//! * [`frames`]: the same kernels over every row of an Arrow table, which comes in through the
//!   Arrow PyCapsule interface and goes back out through it ([`arrow`]), so that any polars
//!   (1.x or 2.x), pandas (via pyarrow) or pyarrow table can be used without pinning a version.
//! * [`data`]: the data layer of `crimeperf-polars` (police.uk files, the ONS CSP tables,
//!   counting, solved rates), its frames crossing the same way.
//!
//! The modules form layers, each using only those before it: [`cell`] (an input value) and
//! [`error`] (the exceptions); [`arrow`] (tables in, result streams out) and [`arguments`];
//! [`columns`] (typed columns of a table, result columns); then the functions ([`scalar`],
//! [`memo`], [`frames`], [`data`]) and their [`results`].

pub mod arguments;
pub mod arrow;
pub mod cell;
pub mod columns;
pub mod data;
pub mod disclosure;
pub mod error;
pub mod frames;
pub mod memo;
pub mod peers;
pub mod results;
pub mod scalar;
pub mod trends;

use pyo3::prelude::*;

/// The compiled module `crimeperf._crimeperf`.
#[pymodule]
fn _crimeperf(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<arrow::ArrowStream>()?;
    m.add_class::<results::Rate>()?;
    m.add_class::<results::Proportion>()?;
    m.add_class::<results::ProportionChange>()?;
    m.add_class::<results::Change>()?;
    m.add_class::<results::Target>()?;
    m.add_class::<results::Rag>()?;
    m.add_class::<results::ETest>()?;
    m.add_class::<results::Wdd>()?;
    m.add_class::<results::SurveyProportion>()?;
    m.add_class::<results::SurveyChange>()?;
    m.add_class::<results::StandardisedRatio>()?;
    m.add_class::<data::Progress>()?;
    m.add_class::<data::PyCompactRecords>()?;
    m.add_function(wrap_pyfunction!(scalar::rate, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::proportion, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::proportion_change, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::change, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::target, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::rag, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::rag_proportion, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::e_test, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::wdd, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::survey_proportion, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::survey_change, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::standardised_ratio, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::format_fixed, m)?)?;
    m.add_function(wrap_pyfunction!(scalar::period_months, m)?)?;
    m.add_function(wrap_pyfunction!(frames::rates_frame, m)?)?;
    m.add_function(wrap_pyfunction!(frames::proportions_frame, m)?)?;
    m.add_function(wrap_pyfunction!(frames::changes_frame, m)?)?;
    m.add_function(wrap_pyfunction!(frames::targets_frame, m)?)?;
    m.add_function(wrap_pyfunction!(data::read_police_uk_files, m)?)?;
    m.add_function(wrap_pyfunction!(data::read_ons_tables, m)?)?;
    m.add_function(wrap_pyfunction!(data::count_police_uk_files, m)?)?;
    m.add_function(wrap_pyfunction!(data::count_crimes_frame, m)?)?;
    m.add_function(wrap_pyfunction!(data::solved_rates_frame, m)?)?;
    m.add_function(wrap_pyfunction!(data::outcome_table, m)?)?;
    m.add_function(wrap_pyfunction!(data::bundled_table_text, m)?)?;
    m.add_function(wrap_pyfunction!(data::offence_groups, m)?)?;
    m.add_function(wrap_pyfunction!(data::did_you_mean, m)?)?;
    m.add_function(wrap_pyfunction!(data::indicator_catalogue, m)?)?;
    m.add_function(wrap_pyfunction!(trends::year_to_date_frame_py, m)?)?;
    m.add_function(wrap_pyfunction!(trends::rolling_frame_py, m)?)?;
    m.add_function(wrap_pyfunction!(trends::spc_frame_py, m)?)?;
    m.add_function(wrap_pyfunction!(trends::project_year_end_frame_py, m)?)?;
    m.add_function(wrap_pyfunction!(trends::outcome_maturity_frame, m)?)?;
    m.add_function(wrap_pyfunction!(trends::solved_within_frame, m)?)?;
    m.add_function(wrap_pyfunction!(disclosure::suppress_table, m)?)?;
    m.add_function(wrap_pyfunction!(peers::peer_compare_frame_py, m)?)?;
    m.add_function(wrap_pyfunction!(peers::similar_areas_frame_py, m)?)?;
    m.add_function(wrap_pyfunction!(peers::similar_groups_frame_py, m)?)?;
    m.add_function(wrap_pyfunction!(peers::read_similar_groups_file, m)?)?;
    m.add_function(wrap_pyfunction!(peers::funnel_frame_py, m)?)?;
    m.add_function(wrap_pyfunction!(peers::funnel_limits, m)?)?;
    m.add_function(wrap_pyfunction!(peers::csp_characteristics, m)?)?;
    m.add_function(wrap_pyfunction!(peers::demonstration_groups, m)?)?;
    m.add_function(wrap_pyfunction!(peers::demonstration_variables, m)?)?;
    Ok(())
}
