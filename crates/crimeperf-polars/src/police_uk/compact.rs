//! One police.uk file's rows in compact form: every label (month, forces, location, LSOA and its
//! place, crime type, outcome) coded once per file as a small integer into the file's own label
//! table, coordinates as whole micro-degrees, Crime IDs as their 32 bytes. About 55 bytes a row,
//! against some 350 for the built frame, so a decade of national downloads fits in memory; the
//! frame is built from it only when asked for (see [`CompactFile::frame`]).

use std::sync::{Arc, Mutex, PoisonError};

use polars::prelude::*;
use polars_arrow::array::View;

use super::views::ViewColumn;
use super::FileKind;
use crate::geography::LsoaPlace;

/// Codes into a label table, one a row, as narrow as the table allows: a byte while it has up to
/// 256 labels, two bytes up to 65,536, four beyond (widened in place when a table outgrows them).
#[derive(Debug, Clone)]
pub(crate) enum Codes {
    U8(Vec<u8>),
    U16(Vec<u16>),
    U32(Vec<u32>),
}

impl Codes {
    pub fn with_capacity(rows: usize) -> Self {
        Codes::U8(Vec::with_capacity(rows))
    }

    #[inline]
    pub fn push(&mut self, code: u32) {
        match self {
            Codes::U8(v) if code <= u32::from(u8::MAX) => v.push(code as u8),
            Codes::U16(v) if code <= u32::from(u16::MAX) => v.push(code as u16),
            Codes::U32(v) => v.push(code),
            _ => {
                self.widen(code);
                self.push(code);
            }
        }
    }

    fn widen(&mut self, code: u32) {
        let room = self.capacity();
        let codes: Vec<u32> = self.iter().collect();
        *self = if code <= u32::from(u16::MAX) {
            let mut wide = Vec::with_capacity(room);
            wide.extend(codes.iter().map(|&c| c as u16));
            Codes::U16(wide)
        } else {
            let mut wide = Vec::with_capacity(room);
            wide.extend(codes);
            Codes::U32(wide)
        };
    }

    fn capacity(&self) -> usize {
        match self {
            Codes::U8(v) => v.capacity(),
            Codes::U16(v) => v.capacity(),
            Codes::U32(v) => v.capacity(),
        }
    }

    #[inline]
    pub fn get(&self, row: usize) -> u32 {
        match self {
            Codes::U8(v) => u32::from(v[row]),
            Codes::U16(v) => u32::from(v[row]),
            Codes::U32(v) => v[row],
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Codes::U8(v) => v.len(),
            Codes::U16(v) => v.len(),
            Codes::U32(v) => v.len(),
        }
    }

    pub fn iter(&self) -> Box<dyn Iterator<Item = u32> + Send + '_> {
        match self {
            Codes::U8(v) => Box::new(v.iter().map(|&c| u32::from(c))),
            Codes::U16(v) => Box::new(v.iter().map(|&c| u32::from(c))),
            Codes::U32(v) => Box::new(v.iter().copied()),
        }
    }

    /// Keeps the rows whose `keep` is true.
    fn retain(&mut self, keep: &[bool]) {
        match self {
            Codes::U8(v) => retain_rows(v, keep),
            Codes::U16(v) => retain_rows(v, keep),
            Codes::U32(v) => retain_rows(v, keep),
        }
    }

    fn shrink_to_fit(&mut self) {
        match self {
            Codes::U8(v) => v.shrink_to_fit(),
            Codes::U16(v) => v.shrink_to_fit(),
            Codes::U32(v) => v.shrink_to_fit(),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Codes::U8(v) => v.capacity(),
            Codes::U16(v) => v.capacity() * 2,
            Codes::U32(v) => v.capacity() * 4,
        }
    }
}

/// Keeps the rows of `values` whose `keep` is true.
fn retain_rows<T>(values: &mut Vec<T>, keep: &[bool]) {
    let mut row = 0;
    values.retain(|_| {
        row += 1;
        keep[row - 1]
    });
    values.shrink_to_fit();
}

/// Longitudes and latitudes: whole micro-degrees while every value of the file is exactly one
/// (police.uk writes six decimals, so all are), `f64` once one is not. `None` is a blank.
#[derive(Debug, Clone)]
enum Coordinates {
    /// `i32::MIN` is a blank.
    Micro(Vec<i32>),
    /// NaN is a blank (the parser refuses values that are not finite).
    Float(Vec<f64>),
}

const NO_MICRO: i32 = i32::MIN;

impl Coordinates {
    #[inline]
    fn push(&mut self, value: Option<f64>) {
        match (&mut *self, value) {
            (Coordinates::Micro(v), None) => v.push(NO_MICRO),
            (Coordinates::Float(v), None) => v.push(f64::NAN),
            (Coordinates::Float(v), Some(x)) => v.push(x),
            (Coordinates::Micro(v), Some(x)) => {
                let micro = (x * 1e6).round();
                // Division by 1e6 is correctly rounded, so this is exact when it gives `x` back.
                if micro.abs() < 2e9 && micro / 1e6 == x {
                    v.push(micro as i32);
                } else {
                    let floats = v.iter().map(|&m| micro_to_float(m)).collect();
                    *self = Coordinates::Float(floats);
                    self.push(value);
                }
            }
        }
    }

    #[inline]
    fn get(&self, row: usize) -> Option<f64> {
        match self {
            Coordinates::Micro(v) => micro_to_float(v[row]).into_finite(),
            Coordinates::Float(v) => v[row].into_finite(),
        }
    }

    fn retain(&mut self, keep: &[bool]) {
        match self {
            Coordinates::Micro(v) => retain_rows(v, keep),
            Coordinates::Float(v) => retain_rows(v, keep),
        }
    }

    fn shrink_to_fit(&mut self) {
        match self {
            Coordinates::Micro(v) => v.shrink_to_fit(),
            Coordinates::Float(v) => v.shrink_to_fit(),
        }
    }

    fn bytes(&self) -> usize {
        match self {
            Coordinates::Micro(v) => v.capacity() * 4,
            Coordinates::Float(v) => v.capacity() * 8,
        }
    }
}

fn micro_to_float(micro: i32) -> f64 {
    if micro == NO_MICRO {
        f64::NAN
    } else {
        f64::from(micro) / 1e6
    }
}

trait IntoFinite {
    fn into_finite(self) -> Option<f64>;
}

impl IntoFinite for f64 {
    fn into_finite(self) -> Option<f64> {
        (!self.is_nan()).then_some(self)
    }
}

/// A Crime ID to compare and hash: its 32 bytes when it is 64 lower-case hex digits (every
/// police.uk ID), its text otherwise. The two kinds never name the same ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum IdKey<'a> {
    Packed(&'a [u8; 32]),
    Text(&'a str),
}

/// Crime IDs: 32 bytes a row, with the rare ID that is not 64 hex digits kept as text.
#[derive(Debug, Clone, Default)]
pub(crate) struct Ids {
    packed: Vec<[u8; 32]>,
    /// 0 a blank, 1 packed, 2 text.
    form: Vec<u8>,
    texts: PlHashMap<u32, Box<str>>,
}

const BLANK: u8 = 0;
const PACKED: u8 = 1;
const TEXT: u8 = 2;

/// The value of each byte as a lower-case hex digit; 0x10 for every other byte.
const HEX: [u8; 256] = {
    let mut table = [0x10u8; 256];
    let mut digit = 0;
    while digit < 10 {
        table[b'0' as usize + digit] = digit as u8;
        digit += 1;
    }
    let mut letter = 0;
    while letter < 6 {
        table[b'a' as usize + letter] = 10 + letter as u8;
        letter += 1;
    }
    table
};

/// The 32 bytes that 64 lower-case hex digits write, or `None` (no branch per digit: this runs
/// on every row).
#[inline]
fn unhex(digits: &[u8]) -> Option<[u8; 32]> {
    let digits: &[u8; 64] = digits.try_into().ok()?;
    let mut packed = [0u8; 32];
    let mut bad = 0u8;
    for (byte, pair) in packed.iter_mut().zip(digits.chunks_exact(2)) {
        let (high, low) = (HEX[usize::from(pair[0])], HEX[usize::from(pair[1])]);
        bad |= high | low;
        *byte = high << 4 | (low & 0x0f);
    }
    (bad & 0x10 == 0).then_some(packed)
}

impl Ids {
    pub fn with_capacity(rows: usize) -> Self {
        Ids {
            packed: Vec::with_capacity(rows),
            form: Vec::with_capacity(rows),
            texts: PlHashMap::default(),
        }
    }

    /// Appends an ID (`""` is a blank).
    #[inline]
    pub fn push(&mut self, id: &str) {
        let bytes = id.as_bytes();
        if bytes.is_empty() {
            self.packed.push([0; 32]);
            self.form.push(BLANK);
            return;
        }
        if let Some(packed) = unhex(bytes) {
            self.packed.push(packed);
            self.form.push(PACKED);
        } else {
            let row = u32::try_from(self.form.len()).unwrap_or(u32::MAX);
            self.texts.insert(row, id.into());
            self.packed.push([0; 32]);
            self.form.push(TEXT);
        }
    }

    pub fn len(&self) -> usize {
        self.form.len()
    }

    #[inline]
    pub fn key(&self, row: usize) -> Option<IdKey<'_>> {
        match self.form[row] {
            PACKED => Some(IdKey::Packed(&self.packed[row])),
            TEXT => self.texts.get(&(row as u32)).map(|text| IdKey::Text(text)),
            _ => None,
        }
    }

    /// Writes the ID of `row` into `out` (cleared first); false for a blank.
    #[inline]
    pub fn write(&self, row: usize, out: &mut String) -> bool {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        out.clear();
        match self.key(row) {
            None => false,
            Some(IdKey::Text(text)) => {
                out.push_str(text);
                true
            }
            Some(IdKey::Packed(bytes)) => {
                let mut digits = [0u8; 64];
                for (pair, b) in digits.chunks_exact_mut(2).zip(bytes) {
                    pair[0] = DIGITS[usize::from(b >> 4)];
                    pair[1] = DIGITS[usize::from(b & 15)];
                }
                // Hex digits are ASCII: this never fails.
                out.push_str(std::str::from_utf8(&digits).unwrap_or_default());
                true
            }
        }
    }

    fn retain(&mut self, keep: &[bool]) {
        let mut texts = PlHashMap::default();
        let (mut packed, mut form) = (Vec::new(), Vec::new());
        for (row, _) in keep.iter().enumerate().filter(|(_, &k)| k) {
            if self.form[row] == TEXT {
                if let Some(text) = self.texts.remove(&(row as u32)) {
                    texts.insert(form.len() as u32, text);
                }
            }
            packed.push(self.packed[row]);
            form.push(self.form[row]);
        }
        *self = Ids {
            packed,
            form,
            texts,
        };
    }

    fn bytes(&self) -> usize {
        self.packed.capacity() * 32
            + self.form.capacity()
            + self.texts.values().map(|t| t.len() + 16).sum::<usize>()
    }
}

/// A crime type as written in a file: its label (the taxonomy's when known), whether it is in
/// the taxonomy, and whether it is anti-social behaviour.
#[derive(Debug, Clone)]
pub(crate) struct CrimeTypeLabel {
    pub text: Box<str>,
    pub known: bool,
    pub asb: bool,
}

/// An outcome as written in a file: its label (the taxonomy's when known) and its group's
/// label (`None` when it is not in the taxonomy).
#[derive(Debug, Clone)]
pub(crate) struct OutcomeLabel {
    pub text: Box<str>,
    pub group: Option<&'static str>,
}

/// An LSOA as written in a file (code and name) and its place in the geography.
#[derive(Debug, Clone, Default)]
pub(crate) struct Area {
    pub code: Option<Box<str>>,
    pub name: Option<Box<str>>,
    pub place: Option<LsoaPlace>,
}

/// Label tables: a file's own while it is parsed, then the read's, shared by every file (see
/// [`Interner`]). Index 0 of `outcomes`, `areas` and `locations` is the blank (no outcome, no
/// LSOA, no location). A file's own `locations` and `areas` hold only the blank: those two,
/// thousands a file and the same from month to month, are coded straight into the read's
/// tables ([`Interner::location`], [`Interner::area`]); the small tables are a file's own, then
/// remapped.
#[derive(Debug, Clone)]
pub(crate) struct Labels {
    pub months: Vec<i32>,
    pub reporting_forces: Vec<Box<str>>,
    pub forces: Vec<Box<str>>,
    pub locations: Vec<Box<str>>,
    pub areas: Vec<Area>,
    pub crime_types: Vec<CrimeTypeLabel>,
    pub outcomes: Vec<Option<OutcomeLabel>>,
}

impl Default for Labels {
    fn default() -> Self {
        Labels {
            months: Vec::new(),
            reporting_forces: Vec::new(),
            forces: Vec::new(),
            locations: vec!["".into()],
            areas: vec![Area::default()],
            crime_types: Vec::new(),
            outcomes: vec![None],
        }
    }
}

impl Labels {
    /// The bytes the tables take (an estimate: the text and a fixed amount per entry).
    pub fn bytes(&self) -> usize {
        let texts = |t: &[Box<str>]| t.iter().map(|s| s.len() + 16).sum::<usize>();
        let option = |t: &Option<Box<str>>| t.as_ref().map_or(0, |s| s.len());
        self.months.len() * 4
            + texts(&self.reporting_forces)
            + texts(&self.forces)
            + texts(&self.locations)
            + self
                .areas
                .iter()
                .map(|a| std::mem::size_of::<Area>() + option(&a.code) + option(&a.name))
                .sum::<usize>()
            + self.crime_types.len() * 48
            + self.outcomes.len() * 48
    }
}

/// The read's label tables, built as files are parsed: each file's own labels are looked up
/// (added when new) once per file, and its codes rewritten to the read's, so that a label is
/// stored once per read rather than once per file (a decade of national downloads is some
/// 5,000 files, each with its own thousands of locations and LSOAs).
#[derive(Default)]
pub(crate) struct Interner {
    labels: Labels,
    months: PlHashMap<i32, u32>,
    reporting_forces: PlHashMap<Box<str>, u32>,
    forces: PlHashMap<Box<str>, u32>,
    locations: PlHashMap<Box<str>, u32>,
    /// By LSOA code and name as written (see [`Interner::add`]).
    areas: PlHashMap<Box<str>, u32>,
    crime_types: PlHashMap<Box<str>, u32>,
    outcomes: PlHashMap<Box<str>, u32>,
}

/// The read's code of each of a file's own codes, column by column.
pub(crate) struct Remaps {
    months: Vec<u32>,
    reporting_forces: Vec<u32>,
    forces: Vec<u32>,
    crime_types: Vec<u32>,
    outcomes: Vec<u32>,
}

/// The code of the label `key` names (pushing `label()` to `labels` when it is new): looked up
/// by `&str`, so a label already known costs no copy (most labels of a file are).
fn intern_text<T>(
    codes: &mut PlHashMap<Box<str>, u32>,
    labels: &mut Vec<T>,
    key: &str,
    label: impl FnOnce() -> T,
) -> u32 {
    if let Some(&code) = codes.get(key) {
        return code;
    }
    let code = code_of(labels, label());
    codes.insert(key.into(), code);
    code
}

impl Interner {
    pub fn new() -> Self {
        let mut interner = Interner::default();
        // The blanks keep their codes.
        interner.locations.insert("".into(), 0);
        interner.areas.insert("\u{1f}".into(), 0);
        interner
    }

    /// The read's code of a location (added when new). Locations are coded straight into the
    /// read's table, not the file's (see `parse::Scratch`).
    pub fn location(&mut self, text: &str) -> u32 {
        intern_text(
            &mut self.locations,
            &mut self.labels.locations,
            text,
            || text.into(),
        )
    }

    /// The read's code of an LSOA area: its code and name as written, and its place (added
    /// when new; coded straight into the read's table, as the locations are).
    pub fn area(&mut self, code: &str, name: &str, place: Option<&LsoaPlace>) -> u32 {
        let key = format!("{code}\u{1f}{name}");
        intern_text(&mut self.areas, &mut self.labels.areas, &key, || Area {
            code: Some(code.into()),
            name: Some(name.into()),
            place: place.cloned(),
        })
    }

    /// Adds a file's labels, giving how its codes map to the read's (every label but the
    /// locations and areas, which are the read's already).
    pub fn add(&mut self, file: &Labels) -> Remaps {
        let l = &mut self.labels;
        let texts =
            |codes: &mut PlHashMap<Box<str>, u32>, table: &mut Vec<Box<str>>, own: &[Box<str>]| {
                own.iter()
                    .map(|f| intern_text(codes, table, f, || f.clone()))
                    .collect()
            };
        Remaps {
            months: file
                .months
                .iter()
                .map(|&m| {
                    *self
                        .months
                        .entry(m)
                        .or_insert_with(|| code_of(&mut l.months, m))
                })
                .collect(),
            reporting_forces: texts(
                &mut self.reporting_forces,
                &mut l.reporting_forces,
                &file.reporting_forces,
            ),
            forces: texts(&mut self.forces, &mut l.forces, &file.forces),
            crime_types: file
                .crime_types
                .iter()
                .map(|t| {
                    intern_text(&mut self.crime_types, &mut l.crime_types, &t.text, || {
                        t.clone()
                    })
                })
                .collect(),
            outcomes: file
                .outcomes
                .iter()
                .map(|o| match o {
                    None => 0,
                    Some(o) => intern_text(&mut self.outcomes, &mut l.outcomes, &o.text, || {
                        Some(o.clone())
                    }),
                })
                .collect(),
        }
    }

    /// Runs `f` on the interner shared by a read's workers (held only while `f` runs; a worker
    /// that panicked leaves tables that are still whole, so a poisoned lock is taken as it is).
    pub fn with<T>(shared: &Mutex<Interner>, f: impl FnOnce(&mut Interner) -> T) -> T {
        f(&mut shared.lock().unwrap_or_else(PoisonError::into_inner))
    }

    pub fn finish(self) -> Arc<Labels> {
        Arc::new(self.labels)
    }
}

/// The code a new label gets: its index in the table it is pushed to.
pub(crate) fn code_of<T>(table: &mut Vec<T>, label: T) -> u32 {
    table.push(label);
    u32::try_from(table.len() - 1).unwrap_or(u32::MAX)
}

/// One file's rows, coded.
#[derive(Debug, Clone)]
pub(crate) struct CompactFile {
    pub display: String,
    pub kind: FileKind,
    /// The file's own tables while it is parsed; the read's, shared, once it is read.
    pub labels: Arc<Labels>,
    pub ids: Ids,
    pub month: Codes,
    pub reported_by: Codes,
    pub falls_within: Codes,
    longitude: Coordinates,
    latitude: Coordinates,
    pub location: Codes,
    pub area: Codes,
    /// Empty in outcome files.
    pub crime_type: Codes,
    pub outcome: Codes,
    /// 0 or 1.
    pub outside_force: Codes,
    pub line: Vec<u32>,
}

/// One row of a file, as the parser gives it.
pub(crate) struct RowCodes {
    pub month: u32,
    pub reported_by: u32,
    pub falls_within: u32,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub location: u32,
    pub area: u32,
    pub crime_type: Option<u32>,
    pub outcome: u32,
    pub outside_force: bool,
    pub line: u64,
}

impl CompactFile {
    pub fn new(display: &str, kind: FileKind, rows: usize) -> Self {
        CompactFile {
            display: display.to_owned(),
            kind,
            labels: Arc::default(),
            ids: Ids::with_capacity(rows),
            month: Codes::with_capacity(rows),
            reported_by: Codes::with_capacity(rows),
            falls_within: Codes::with_capacity(rows),
            longitude: Coordinates::Micro(Vec::with_capacity(rows)),
            latitude: Coordinates::Micro(Vec::with_capacity(rows)),
            location: Codes::with_capacity(rows),
            area: Codes::with_capacity(rows),
            crime_type: Codes::with_capacity(if kind == FileKind::Street { rows } else { 0 }),
            outcome: Codes::with_capacity(rows),
            outside_force: Codes::with_capacity(rows),
            line: Vec::with_capacity(rows),
        }
    }

    /// Appends a row (its Crime ID already pushed to `ids`).
    #[inline]
    pub fn push(&mut self, row: RowCodes) {
        self.month.push(row.month);
        self.reported_by.push(row.reported_by);
        self.falls_within.push(row.falls_within);
        self.longitude.push(row.longitude);
        self.latitude.push(row.latitude);
        self.location.push(row.location);
        self.area.push(row.area);
        if let Some(code) = row.crime_type {
            self.crime_type.push(code);
        }
        self.outcome.push(row.outcome);
        self.outside_force.push(u32::from(row.outside_force));
        self.line.push(u32::try_from(row.line).unwrap_or(u32::MAX));
    }

    /// Rewrites the file's codes as the read's (see [`Interner`]), and points it at `labels`.
    pub fn remap(&mut self, remaps: &Remaps, labels: Arc<Labels>) {
        fn go(codes: &mut Codes, to: &[u32]) {
            let widest = to.iter().copied().max().unwrap_or(0);
            // In place while the read's codes fit the file's width (nearly always).
            match codes {
                Codes::U8(v) if widest <= u32::from(u8::MAX) => {
                    v.iter_mut().for_each(|c| *c = to[usize::from(*c)] as u8);
                }
                Codes::U16(v) if widest <= u32::from(u16::MAX) => {
                    v.iter_mut().for_each(|c| *c = to[usize::from(*c)] as u16);
                }
                Codes::U32(v) => v.iter_mut().for_each(|c| *c = to[*c as usize]),
                _ => {
                    let mut mapped = Codes::with_capacity(codes.len());
                    for code in codes.iter() {
                        mapped.push(to[code as usize]);
                    }
                    *codes = mapped;
                }
            }
        }
        go(&mut self.month, &remaps.months);
        go(&mut self.reported_by, &remaps.reporting_forces);
        go(&mut self.falls_within, &remaps.forces);
        go(&mut self.crime_type, &remaps.crime_types);
        go(&mut self.outcome, &remaps.outcomes);
        self.labels = labels;
    }

    /// Every coded column (`crime_type` is empty in outcome files).
    fn codes(&self) -> [&Codes; 8] {
        [
            &self.month,
            &self.reported_by,
            &self.falls_within,
            &self.location,
            &self.area,
            &self.crime_type,
            &self.outcome,
            &self.outside_force,
        ]
    }

    fn codes_mut(&mut self) -> [&mut Codes; 8] {
        [
            &mut self.month,
            &mut self.reported_by,
            &mut self.falls_within,
            &mut self.location,
            &mut self.area,
            &mut self.crime_type,
            &mut self.outcome,
            &mut self.outside_force,
        ]
    }

    /// Gives back the room reserved for rows that never came.
    pub fn shrink_to_fit(&mut self) {
        for codes in self.codes_mut() {
            codes.shrink_to_fit();
        }
        self.ids.packed.shrink_to_fit();
        self.ids.form.shrink_to_fit();
        self.longitude.shrink_to_fit();
        self.latitude.shrink_to_fit();
        self.line.shrink_to_fit();
    }

    pub fn rows(&self) -> usize {
        self.line.len()
    }

    /// Keeps the rows whose `keep` is true.
    pub fn retain(&mut self, keep: &[bool]) {
        self.ids.retain(keep);
        for codes in self.codes_mut() {
            // `keep` indexes rows; an empty column (crime types of outcome files) stays empty.
            codes.retain(keep);
        }
        self.longitude.retain(keep);
        self.latitude.retain(keep);
        retain_rows(&mut self.line, keep);
    }

    /// The bytes the rows take in memory (the label tables are the read's: see
    /// [`Labels::bytes`]).
    pub fn bytes(&self) -> usize {
        self.ids.bytes()
            + self.codes().iter().map(|c| c.bytes()).sum::<usize>()
            + self.longitude.bytes()
            + self.latitude.bytes()
            + self.line.capacity() * 4
            + self.display.len()
    }

    pub fn longitude(&self, row: usize) -> Option<f64> {
        self.longitude.get(row)
    }

    pub fn latitude(&self, row: usize) -> Option<f64> {
        self.latitude.get(row)
    }

    pub fn month_days(&self, row: usize) -> i32 {
        self.labels.months[self.month.get(row) as usize]
    }

    pub fn force(&self, row: usize) -> &str {
        &self.labels.forces[self.falls_within.get(row) as usize]
    }

    pub fn area_of(&self, row: usize) -> &Area {
        &self.labels.areas[self.area.get(row) as usize]
    }

    pub fn outcome_of(&self, row: usize) -> Option<&OutcomeLabel> {
        self.labels.outcomes[self.outcome.get(row) as usize].as_ref()
    }

    pub fn crime_type_of(&self, row: usize) -> Option<&CrimeTypeLabel> {
        (self.kind == FileKind::Street)
            .then(|| &self.labels.crime_types[self.crime_type.get(row) as usize])
    }

    pub fn is_asb(&self, row: usize) -> bool {
        self.crime_type_of(row).is_some_and(|t| t.asb)
    }

    /// Whether two rows are the same record in every column but `file` and `line`.
    pub fn same_record(&self, row: usize, other: &CompactFile, other_row: usize) -> bool {
        let (a, b) = (&self.labels, &other.labels);
        let area = (self.area_of(row), other.area_of(other_row));
        self.ids.key(row) == other.ids.key(other_row)
            && self.month_days(row) == other.month_days(other_row)
            && a.reporting_forces[self.reported_by.get(row) as usize]
                == b.reporting_forces[other.reported_by.get(other_row) as usize]
            && self.force(row) == other.force(other_row)
            && self.longitude(row).map(f64::to_bits) == other.longitude(other_row).map(f64::to_bits)
            && self.latitude(row).map(f64::to_bits) == other.latitude(other_row).map(f64::to_bits)
            && a.locations[self.location.get(row) as usize]
                == b.locations[other.location.get(other_row) as usize]
            && area.0.code == area.1.code
            && area.0.name == area.1.name
            && self.crime_type_of(row).map(|t| &t.text)
                == other.crime_type_of(other_row).map(|t| &t.text)
            && self.outcome_of(row).map(|o| &o.text) == other.outcome_of(other_row).map(|o| &o.text)
            && self.outside_force.get(row) == other.outside_force.get(other_row)
    }

    /// The rows as the records frame (only the rows whose `keep` is true, when given).
    pub fn frame(&self, keep: Option<&[bool]>) -> PolarsResult<DataFrame> {
        let selected: Vec<usize> = match keep {
            Some(keep) => (0..self.rows()).filter(|&r| keep[r]).collect(),
            None => (0..self.rows()).collect(),
        };
        let n = selected.len();
        let l = &self.labels;
        let mut text = String::with_capacity(64);
        let mut crime_id = ViewColumn::with_capacity_and_text(n, n * 64);
        for &row in &selected {
            if self.ids.write(row, &mut text) {
                crime_id.push_text(&text);
            } else {
                crime_id.push_null();
            }
        }
        let month = Int32Chunked::from_iter_values(
            "month".into(),
            selected.iter().map(|&r| self.month_days(r)),
        )
        .into_date()
        .into_column();
        let area = |code: u32| &l.areas[code as usize];
        let place = |code: u32, get: fn(&LsoaPlace) -> &str| {
            area(code).place.as_ref().map(get).filter(|s| !s.is_empty())
        };
        let coordinate = |name: &str, get: fn(&CompactFile, usize) -> Option<f64>| {
            Float64Chunked::from_iter_options(name.into(), selected.iter().map(|&r| get(self, r)))
                .into_column()
        };
        let mut columns = vec![
            crime_id.finish("crime_id")?.into_column(),
            month,
            labelled(
                "reported_by",
                &|c| Some(&l.reporting_forces[c as usize]),
                &self.reported_by,
                &selected,
            )?,
            labelled(
                "falls_within",
                &|c| Some(&l.forces[c as usize]),
                &self.falls_within,
                &selected,
            )?,
            coordinate("longitude", CompactFile::longitude),
            coordinate("latitude", CompactFile::latitude),
            labelled(
                "location",
                &|c| Some(&l.locations[c as usize]),
                &self.location,
                &selected,
            )?,
            labelled(
                "lsoa_code",
                &|c| area(c).code.as_deref(),
                &self.area,
                &selected,
            )?,
            labelled(
                "lsoa_name",
                &|c| area(c).name.as_deref(),
                &self.area,
                &selected,
            )?,
            labelled(
                "local_authority_code",
                &|c| place(c, |p| &p.local_authority_code),
                &self.area,
                &selected,
            )?,
            labelled(
                "local_authority_name",
                &|c| place(c, |p| &p.local_authority_name),
                &self.area,
                &selected,
            )?,
            labelled(
                "csp_code",
                &|c| place(c, |p| &p.csp_code),
                &self.area,
                &selected,
            )?,
            labelled(
                "csp_name",
                &|c| place(c, |p| &p.csp_name),
                &self.area,
                &selected,
            )?,
        ];
        let outcome = |c: u32| l.outcomes[c as usize].as_ref();
        let outcome_text = |c: u32| outcome(c).map(|o| &*o.text);
        let outcome_group = |c: u32| outcome(c).and_then(|o| o.group);
        let outcome_known = BooleanChunked::from_iter_options(
            "outcome_known".into(),
            selected
                .iter()
                .map(|&r| self.outcome_of(r).map(|o| o.group.is_some())),
        )
        .into_column();
        let outcome_name = match self.kind {
            FileKind::Street => {
                columns.push(labelled(
                    "crime_type",
                    &|c| Some(&l.crime_types[c as usize].text),
                    &self.crime_type,
                    &selected,
                )?);
                columns.push(Column::new(
                    "crime_type_known".into(),
                    selected
                        .iter()
                        .map(|&r| self.crime_type_of(r).is_some_and(|t| t.known))
                        .collect::<Vec<bool>>(),
                ));
                "last_outcome"
            }
            FileKind::Outcomes => "outcome",
        };
        columns.push(labelled(
            outcome_name,
            &outcome_text,
            &self.outcome,
            &selected,
        )?);
        columns.push(labelled(
            "outcome_group",
            &outcome_group,
            &self.outcome,
            &selected,
        )?);
        columns.push(outcome_known);
        if self.kind == FileKind::Street {
            columns.push(Column::new(
                "is_asb".into(),
                selected
                    .iter()
                    .map(|&r| self.is_asb(r))
                    .collect::<Vec<bool>>(),
            ));
        }
        columns.push(Column::new(
            "outside_force".into(),
            selected
                .iter()
                .map(|&r| self.outside_force.get(r) == 1)
                .collect::<Vec<bool>>(),
        ));
        // Materialised (one shared copy of the name, a view per row) so that every column of a
        // file's frame is one chunk of the same length, and the frames stack chunk by chunk.
        columns.push(StringChunked::full("file".into(), &self.display, n).into_column());
        columns.push(Column::new(
            "line".into(),
            selected.iter().map(|&r| self.line[r]).collect::<Vec<u32>>(),
        ));
        DataFrame::new(n, columns)
    }
}

/// A string column of the `selected` rows whose values are the `labels` of their `codes`: each
/// label stored once, a view of it pushed row after row.
fn labelled<'l>(
    name: &str,
    labels: &dyn Fn(u32) -> Option<&'l str>,
    codes: &Codes,
    selected: &[usize],
) -> PolarsResult<Column> {
    let mut column = ViewColumn::with_capacity(selected.len());
    // The read's tables are large (every location of every file): only the labels of these rows
    // are stored, each once.
    let mut views: PlHashMap<u32, Option<View>> = PlHashMap::default();
    let mut last: Option<(u32, Option<View>)> = None;
    for &row in selected {
        let code = codes.get(row);
        let view = match last {
            Some((previous, view)) if previous == code => view,
            _ => {
                let view = *views
                    .entry(code)
                    .or_insert_with(|| labels(code).map(|text| column.store(text)));
                last = Some((code, view));
                view
            }
        };
        column.push_option(view);
    }
    Ok(column.finish(name)?.into_column())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_widen_as_tables_grow() {
        let mut codes = Codes::with_capacity(4);
        codes.push(3);
        codes.push(300);
        codes.push(70_000);
        codes.push(1);
        assert!(matches!(codes, Codes::U32(_)));
        assert_eq!(codes.iter().collect::<Vec<_>>(), [3, 300, 70_000, 1]);
        codes.retain(&[true, false, true, true]);
        assert_eq!(codes.iter().collect::<Vec<_>>(), [3, 70_000, 1]);
    }

    #[test]
    fn coordinates_round_trip_exactly() {
        let mut c = Coordinates::Micro(Vec::new());
        for x in [Some(51.566208), None, Some(-0.703617), Some(0.0)] {
            c.push(x);
        }
        assert!(matches!(c, Coordinates::Micro(_)));
        assert_eq!(c.get(0), Some(51.566208));
        assert_eq!(c.get(1), None);
        assert_eq!(c.get(2), Some(-0.703617));
        // A seventh decimal is not whole micro-degrees: every value becomes a float, unchanged.
        c.push(Some(1.234_567_8));
        assert!(matches!(c, Coordinates::Float(_)));
        assert_eq!(c.get(0), Some(51.566208));
        assert_eq!(c.get(1), None);
        assert_eq!(c.get(4), Some(1.234_567_8));
    }

    #[test]
    fn ids_pack_hex_and_keep_other_text() {
        let hex = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
        let mut ids = Ids::with_capacity(4);
        for id in [hex, "", "ABC-123", &hex.to_uppercase()] {
            ids.push(id);
        }
        let mut out = String::new();
        assert!(ids.write(0, &mut out));
        assert_eq!(out, hex);
        assert!(!ids.write(1, &mut out));
        assert!(ids.write(2, &mut out));
        assert_eq!(out, "ABC-123");
        // Upper-case hex is kept as written.
        assert!(ids.write(3, &mut out));
        assert_eq!(out, hex.to_uppercase());
        assert!(matches!(ids.key(0), Some(IdKey::Packed(_))));
        // Every byte: a lower-case hex digit packs, anything else keeps the ID as text.
        for byte in 0..=255u8 {
            let mut digits = hex.as_bytes().to_vec();
            digits[17] = byte;
            let is_digit = byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte);
            assert_eq!(unhex(&digits).is_some(), is_digit, "byte {byte}");
        }
        assert_eq!(unhex(&hex.as_bytes()[..62]), None);
        assert!(matches!(ids.key(3), Some(IdKey::Text(_))));
        ids.retain(&[false, true, true, false]);
        assert!(ids.write(1, &mut out));
        assert_eq!(out, "ABC-123");
    }
}
