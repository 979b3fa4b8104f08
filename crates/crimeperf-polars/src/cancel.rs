//! Stopping long work early: a flag set from another thread (the Python binding sets it when
//! Ctrl-C arrives) and checked by the work between files and every few thousand rows.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{DataError, Result};

/// A request to stop, shared between the caller and the work.
///
/// # Examples
///
/// ```
/// use crimeperf_polars::Cancel;
///
/// let cancel = Cancel::default();
/// assert!(!cancel.is_cancelled());
/// cancel.cancel();
/// assert!(cancel.is_cancelled());
/// ```
#[derive(Debug, Default)]
pub struct Cancel(AtomicBool);

impl Cancel {
    /// Asks the work to stop; it returns [`DataError::Cancelled`] at its next check.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether [`Cancel::cancel`] has been called.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// `Err(Cancelled)` once `cancel` (if any) has been set.
pub(crate) fn check(cancel: Option<&Cancel>) -> Result<()> {
    match cancel {
        Some(cancel) if cancel.is_cancelled() => Err(DataError::Cancelled),
        _ => Ok(()),
    }
}
