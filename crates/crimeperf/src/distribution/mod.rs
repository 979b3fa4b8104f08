//! Probability distributions behind the exact methods, written for accuracy at crime-count scale.
//!
//! # Numerical tolerance policy
//!
//! This module is the one place that states how accurate the numbers are, and the reference tests
//! in `tests/reference.rs` hold it to that against scipy and statsmodels:
//!
//! * Probability mass functions use Loader's saddle-point form (the internal `stirlerr` and
//!   `bd0` of C. Loader (2000), "Fast and Accurate Computation of Binomial Probabilities"), which keeps about 14 significant digits even for a million events, where the
//!   naive `exp(k ln λ − λ − ln k!)` loses six or more to cancellation.
//! * Tail probabilities are summed outwards from the point of interest, always over terms that
//!   shrink, so each tail is accurate to a relative 1e-12 on its own side however small it is
//!   (measured: 3e-13 at 1e-298); the other side is `1 − tail`, accurate to an absolute 1e-15.
//! * Quantiles (Garwood, Clopper–Pearson) are found by safeguarded Newton iteration on the log of
//!   the tail in log or logit space, so limits keep their relative accuracy (better than 1e-12)
//!   from counts of 1 to 10^6 and beyond.
//! * The normal quantile is Wichura's AS 241 (PPND16), accurate to about 1e-16.
//!
//! Reference tests hold: exact Poisson limits to 1e-10 relative; two-sided binomial-test and
//! conditional Poisson-test p-values to 1e-12 *relative* (1e-10 at n ≥ 20,000, where scipy's own
//! values are only that good), with an absolute floor of 1e-300 near underflow, so that a
//! p-value of 1e-40 is held to its own digits and not passed by any number below 1e-12;
//! Wilson, Newcombe and score limits to 1e-10.

pub mod binomial;
pub(crate) mod cornish_fisher;
pub(crate) mod incomplete;
pub mod normal;
pub mod poisson;
pub(crate) mod root;
pub(crate) mod sampler;
pub(crate) mod stirling;
