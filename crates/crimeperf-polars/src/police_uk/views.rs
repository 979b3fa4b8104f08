//! String columns built directly as Arrow views (polars' string layout), so that a label which
//! repeats on every row is stored once and each row gets a 16-byte copy of its view.
//!
//! A view holds strings of up to 12 bytes inline and points into a data buffer for longer ones.
//! A file's records are built from its compact form (see `compact.rs`): the view of each distinct
//! label is made once and pushed row after row, and only the strings that are new on each row
//! (Crime IDs) are copied. [`Labels`] codes each distinct raw label of a file once as it is
//! parsed.

use polars::prelude::*;
use polars_arrow::array::{Utf8ViewArray, View};
use polars_arrow::bitmap::MutableBitmap;
use polars_arrow::datatypes::ArrowDataType;
use polars_buffer::Buffer;

/// Views are only ever made here, from `&str`: what makes the arrays built from them UTF-8.
fn store(buffer: &mut Vec<u8>, text: &str) -> View {
    let bytes = text.as_bytes();
    // A file's text is far under 4 GiB (police.uk files are a few MB), and so are the labels.
    let offset = u32::try_from(buffer.len()).unwrap_or(u32::MAX);
    if bytes.len() > View::MAX_INLINE_SIZE as usize {
        buffer.extend_from_slice(bytes);
    }
    View::new_from_bytes(bytes, 0, offset)
}

/// One string column of one file: views, nulls and the column's own data buffer.
pub(crate) struct ViewColumn {
    views: Vec<View>,
    /// Created at the first null.
    validity: Option<MutableBitmap>,
    buffer: Vec<u8>,
    bytes: usize,
}

impl ViewColumn {
    pub fn with_capacity(rows: usize) -> Self {
        Self::with_capacity_and_text(rows, 0)
    }

    /// Room for `rows` views and `text` bytes of long strings, for a column whose strings are
    /// new on every row (growing the buffer by doubling would copy it and touch its pages twice).
    pub fn with_capacity_and_text(rows: usize, text: usize) -> Self {
        ViewColumn {
            views: Vec::with_capacity(rows),
            validity: None,
            buffer: Vec::with_capacity(text),
            bytes: 0,
        }
    }

    /// The view of `text` in this column's buffer (to push now, or to remember and push again).
    pub fn store(&mut self, text: &str) -> View {
        store(&mut self.buffer, text)
    }

    /// Appends a string not seen before (copied into the column's buffer if over 12 bytes).
    #[inline]
    pub fn push_text(&mut self, text: &str) {
        let view = self.store(text);
        self.push_view(view);
    }

    /// Appends a view made by [`ViewColumn::store`] on this column.
    #[inline]
    pub fn push_view(&mut self, view: View) {
        self.bytes += view.length as usize;
        self.views.push(view);
        if let Some(validity) = &mut self.validity {
            validity.push(true);
        }
    }

    pub fn push_null(&mut self) {
        let validity = self.validity.get_or_insert_with(|| {
            let mut validity = MutableBitmap::with_capacity(self.views.capacity());
            validity.extend_constant(self.views.len(), true);
            validity
        });
        validity.push(false);
        self.views.push(View::default());
    }

    #[inline]
    pub fn push_option(&mut self, view: Option<View>) {
        match view {
            Some(view) => self.push_view(view),
            None => self.push_null(),
        }
    }

    /// The column, its long strings in its own buffer.
    pub fn finish(mut self, name: &str) -> PolarsResult<StringChunked> {
        let buffer = Buffer::from(std::mem::take(&mut self.buffer));
        self.finish_with(name, buffer)
    }

    // The one unsafe block of the crate: `try_new` would check every row's string again, which
    // costs more than parsing it.
    #[allow(unsafe_code)]
    fn finish_with(self, name: &str, buffer: Buffer<u8>) -> PolarsResult<StringChunked> {
        let buffer_len = buffer.len();
        // Offsets are `u32`: past 4 GiB `store` could not have made them right.
        if u32::try_from(buffer_len).is_err() {
            polars_bail!(ComputeError: "the text of column {name} of one file is over 4 GiB");
        }
        let views = Buffer::from(self.views);
        let buffers = Buffer::from(vec![buffer]);
        // Every view belongs to the buffer: checked in the test builds, where a view pushed into
        // the wrong column would show.
        debug_assert!(Utf8ViewArray::try_new(
            ArrowDataType::Utf8View,
            views.clone(),
            buffers.clone(),
            None
        )
        .is_ok());
        // SAFETY: every view was made by `store` from a `&str` (so the strings are UTF-8), into
        // this column's buffer, which `buffer` is, at an offset that
        // fitted in `u32` (checked above), so each is in bounds of buffer 0, the only one.
        let array = unsafe {
            Utf8ViewArray::new_unchecked(
                ArrowDataType::Utf8View,
                views,
                buffers,
                self.validity.map(Into::into),
                Some(self.bytes),
                buffer_len,
            )
        };
        Ok(StringChunked::with_chunk(name.into(), array))
    }
}

/// The distinct raw values of a field, each with what was made of it the first time (its views,
/// its parsed meaning), so that each is parsed and stored once per file; the value of the
/// previous row is checked first, for fields that rarely change within a file.
pub(crate) struct Labels<T> {
    seen: PlHashMap<String, T>,
    last: Option<(Box<str>, T)>,
}

impl<T> Default for Labels<T> {
    fn default() -> Self {
        Labels {
            seen: PlHashMap::default(),
            last: None,
        }
    }
}

impl<T: Clone> Labels<T> {
    /// What `make` made of `raw` (called once per distinct `raw`).
    #[inline]
    pub fn get(&mut self, raw: &str, make: impl FnOnce(&str) -> T) -> &T {
        let same = matches!(&self.last, Some((last, _)) if **last == *raw);
        if !same {
            let value = self.lookup(raw, make).clone();
            self.last = Some((raw.into(), value));
        }
        match &self.last {
            Some((_, value)) => value,
            None => unreachable!("set just above"),
        }
    }

    /// As [`Labels::get`] without checking the previous row first, for fields that change from
    /// row to row.
    #[inline]
    pub fn lookup(&mut self, raw: &str, make: impl FnOnce(&str) -> T) -> &T {
        // One hash per row; the key is copied only when it is new.
        self.seen.entry_ref(raw).or_insert_with_key(|raw| make(raw))
    }

    /// Forgets every value, keeping the table's room (for the next file).
    pub fn clear(&mut self) {
        self.seen.clear();
        self.last = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_repeated_and_null_strings() {
        let mut column = ViewColumn::with_capacity(4);
        let long = column.store("Violence and sexual offences");
        column.push_view(long);
        column.push_text("short");
        column.push_null();
        column.push_view(long);
        let strings = column.finish("c").expect("small");
        let values: Vec<Option<&str>> = strings.iter().collect();
        assert_eq!(
            values,
            [
                Some("Violence and sexual offences"),
                Some("short"),
                None,
                Some("Violence and sexual offences")
            ]
        );
    }

    #[test]
    fn labels_make_each_value_once() {
        let mut labels = Labels::default();
        let mut made = 0;
        for raw in ["a", "a", "bb", "a", "bb"] {
            let value = *labels.get(raw, |r| {
                made += 1;
                r.len()
            });
            assert_eq!(value, raw.len());
        }
        assert_eq!(made, 2);
        labels.clear();
        assert_eq!(*labels.lookup("a", |_| 7), 7);
    }
}
