//! Finding police.uk files: unzipped monthly folders, single files, lists of them, or the zip
//! archives themselves. Files are recognised by their header as well as their name, and every
//! file that is not read is accounted for with the reason.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::limits::{self, LineEndings};
use super::FileKind;
use crate::cancel::Cancel;
use crate::error::{DataError, Result};

/// One police.uk CSV, found but not yet read.
pub(crate) struct SourceFile {
    /// How the file is named in the log: its path, or `archive.zip!inner/path.csv`.
    pub display: String,
    /// The file name alone, e.g. `2025-01-essex-street.csv`.
    pub name: String,
    /// Where its bytes are.
    content: Content,
}

/// Where a file's bytes are. They are read only when the file is parsed (by the worker that
/// parses it) and dropped after, so a national download is never held in memory whole.
enum Content {
    /// A file on disk.
    File(PathBuf),
    /// Entry `index` of a zip archive.
    ZipEntry { archive: PathBuf, index: usize },
    /// Bytes already in memory (the fuzz targets' input).
    Memory(std::sync::Arc<[u8]>),
}

/// A file found in a folder or archive and not read.
pub(crate) struct Skipped {
    /// The file, named as in the log.
    pub display: String,
    /// Why it was not read.
    pub reason: String,
}

impl SourceFile {
    /// A file whose bytes are in memory, named `name`.
    pub fn in_memory(name: &str, bytes: &[u8]) -> SourceFile {
        SourceFile {
            display: name.to_owned(),
            name: name.to_owned(),
            content: Content::Memory(bytes.into()),
        }
    }

    /// Reads the file's bytes into `buffer` (emptied first), within the reader's limits (see
    /// [`limits`]) and stopping when `cancel` is set. A worker reuses one buffer for all its
    /// files: fresh memory for each would have to be zeroed by the kernel page by page.
    pub fn load_into(&self, buffer: &mut Vec<u8>, cancel: Option<&Cancel>) -> Result<LineEndings> {
        buffer.clear();
        match &self.content {
            Content::File(path) => {
                let file = std::fs::File::open(path).map_err(io(path))?;
                let size = file.metadata().map_or(0, |m| m.len());
                buffer.reserve(usize::try_from(size.min(limits::MAX_RESERVE)).unwrap_or(0) + 1);
                limits::read_bounded(file, buffer, &self.display, cancel, |source| {
                    DataError::Io {
                        path: path.clone(),
                        source,
                    }
                })
            }
            Content::Memory(bytes) => {
                limits::read_bounded(&bytes[..], buffer, &self.display, cancel, |source| {
                    DataError::Io {
                        path: PathBuf::from(&self.display),
                        source,
                    }
                })
            }
            Content::ZipEntry { archive, index } => {
                let mut zip = open_archive(archive)?;
                let entry = zip
                    .by_index(*index)
                    .map_err(|e| zip_error(archive, e.to_string()))?;
                let size = entry.size();
                limits::check_expansion(archive, &self.name, size, entry.compressed_size())?;
                buffer.reserve(usize::try_from(size.min(limits::MAX_RESERVE)).unwrap_or(0) + 1);
                // An entry that writes more than its header declares is refused as well.
                let endings = limits::read_bounded(
                    entry.take(size.saturating_add(1)),
                    buffer,
                    &self.display,
                    cancel,
                    |e| zip_error(archive, format!("{}: {e}", self.display)),
                )?;
                if buffer.len() as u64 > size {
                    return Err(DataError::ZipBomb {
                        path: archive.clone(),
                        entry: self.name.clone(),
                        reason: format!("it writes more than the {size} bytes its header declares"),
                    });
                }
                Ok(endings)
            }
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DataError + '_ {
    move |source| DataError::Io {
        path: path.to_owned(),
        source,
    }
}

/// What a file's name or header says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recognised {
    /// A police.uk file of this kind.
    PoliceUk(FileKind),
    /// A CSV file that is not a police.uk file.
    OtherCsv,
    /// Not a CSV file.
    NotCsv,
}

/// The kind of a police.uk file from its name (`2025-01-essex-street.csv`), if it is named so.
fn kind_by_name(name: &str) -> Option<FileKind> {
    let lower = name.to_ascii_lowercase();
    [FileKind::Street, FileKind::Outcomes]
        .into_iter()
        .find(|kind| lower.ends_with(&format!("-{}.csv", kind.suffix())))
}

/// The kind of a police.uk file from its header line (the first line of `start`), if it is one.
fn kind_by_header(start: &[u8]) -> Option<FileKind> {
    let text = String::from_utf8_lossy(start);
    // The header may stand below a title a spreadsheet added.
    text.lines()
        .take(super::parse::MAX_LINES_ABOVE_HEADER as usize)
        .find_map(kind_by_header_line)
}

/// The kind of a police.uk file from its header line, if it is one.
fn kind_by_header_line(line: &str) -> Option<FileKind> {
    let delimiter = char::from(super::spreadsheet::delimiter(line));
    let names: Vec<String> = line
        .split(delimiter)
        .map(|f| {
            f.trim_start_matches('\u{feff}')
                .trim()
                .trim_matches('"')
                .to_ascii_lowercase()
        })
        .collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if !(has("month") && has("falls within") && (has("crime id") || has("persistent id"))) {
        return None;
    }
    if has("crime type") {
        Some(FileKind::Street)
    } else if has("outcome type") {
        Some(FileKind::Outcomes)
    } else {
        None
    }
}

/// What a file is, from its name and, for a CSV not named like a police.uk file, its header
/// (read by `header`, which gives the file's first bytes).
fn recognise(name: &str, header: impl FnOnce() -> Result<Vec<u8>>) -> Result<Recognised> {
    if let Some(kind) = kind_by_name(name) {
        return Ok(Recognised::PoliceUk(kind));
    }
    if !name.to_ascii_lowercase().ends_with(".csv") {
        return Ok(Recognised::NotCsv);
    }
    Ok(match kind_by_header(&header()?) {
        Some(kind) => Recognised::PoliceUk(kind),
        None => Recognised::OtherCsv,
    })
}

/// Why a file of another sort is not read, for the log.
fn skip_reason(recognised: Recognised, kind: FileKind) -> String {
    match recognised {
        Recognised::PoliceUk(other) => format!(
            "a data.police.uk {} file; reading {} files (kind=\"{}\" reads it)",
            other.suffix(),
            kind.suffix(),
            other.suffix()
        ),
        Recognised::OtherCsv => format!(
            "a CSV whose header is not a data.police.uk {} header",
            kind.suffix()
        ),
        Recognised::NotCsv => "not a CSV file or a zip archive".to_owned(),
    }
}

/// The first bytes of a file (enough for its header line).
const HEADER_BYTES: u64 = 4096;

fn file_start(path: &Path) -> Result<Vec<u8>> {
    let file = std::fs::File::open(path).map_err(io(path))?;
    let mut start = Vec::new();
    file.take(HEADER_BYTES)
        .read_to_end(&mut start)
        .map_err(io(path))?;
    Ok(start)
}

/// What was expected, for the error when nothing was found.
fn expected(kind: FileKind) -> String {
    let columns = match kind {
        FileKind::Street => "Crime ID, Month, Falls within and Crime type",
        FileKind::Outcomes => "Crime ID, Month, Falls within and Outcome type",
    };
    format!(
        "expected CSV files whose header has {columns} (named like 2025-01-essex-{}.csv), in \
         folders or zip archives",
        kind.suffix()
    )
}

/// Every file of `kind` in `sources` (folders searched recursively, files, zip archives), sorted
/// by name then location so results are repeatable, and the files found and not read.
pub(crate) fn discover(
    sources: &[PathBuf],
    kind: FileKind,
) -> Result<(Vec<SourceFile>, Vec<Skipped>)> {
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for source in sources {
        let mut walk = Walk::new(source)?;
        walk.collect(source, kind, &mut files, &mut skipped, true)?;
    }
    let shown = sources
        .iter()
        .map(|s| s.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    if files.is_empty() {
        let mut detail = expected(kind);
        if !skipped.is_empty() {
            let examples: Vec<String> = skipped
                .iter()
                .take(3)
                .map(|s| format!("{} ({})", s.display, s.reason))
                .collect();
            detail.push_str(&format!(
                "; {} other files were not read, e.g. {}",
                skipped.len(),
                examples.join("; ")
            ));
        }
        return Err(DataError::NoFiles {
            path: PathBuf::from(if shown.is_empty() {
                "(no sources)".to_owned()
            } else {
                shown
            }),
            kind: kind.suffix(),
            detail,
        });
    }
    files.sort_by(|a, b| (&a.name, &a.display).cmp(&(&b.name, &b.display)));
    Ok((files, skipped))
}

/// A search of one source: the folder it started from, so that a link cannot lead out of it,
/// and the folders already searched, so that a link back to one of them cannot loop.
struct Walk {
    root: PathBuf,
    seen: std::collections::BTreeSet<PathBuf>,
}

impl Walk {
    fn new(source: &Path) -> Result<Walk> {
        let root = std::fs::canonicalize(source).map_err(io(source))?;
        Ok(Walk {
            root,
            seen: std::collections::BTreeSet::new(),
        })
    }

    fn collect(
        &mut self,
        path: &Path,
        kind: FileKind,
        files: &mut Vec<SourceFile>,
        skipped: &mut Vec<Skipped>,
        explicit: bool,
    ) -> Result<()> {
        if !explicit
            && std::fs::symlink_metadata(path)
                .map_err(io(path))?
                .is_symlink()
        {
            // A link inside a folder is followed only while it stays inside the folder given.
            let target = std::fs::canonicalize(path).map_err(io(path))?;
            if !target.starts_with(&self.root) {
                return Err(DataError::PathOutside {
                    path: path.display().to_string(),
                    reason: format!(
                        "a link to {}, outside the folder {} given to read",
                        target.display(),
                        self.root.display()
                    ),
                });
            }
        }
        let metadata = std::fs::metadata(path).map_err(io(path))?;
        if metadata.is_dir() {
            let canonical = std::fs::canonicalize(path).map_err(io(path))?;
            if !self.seen.insert(canonical) {
                skipped.push(Skipped {
                    display: path.display().to_string(),
                    reason: "a folder already searched (reached again through a link)".to_owned(),
                });
                return Ok(());
            }
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(io(path))?
                .map(|entry| entry.map(|e| e.path()))
                .collect::<std::io::Result<_>>()
                .map_err(io(path))?;
            entries.sort();
            for entry in entries {
                self.collect(&entry, kind, files, skipped, false)?;
            }
            return Ok(());
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if name.to_ascii_lowercase().ends_with(".zip") {
            return read_zip(path, kind, files, skipped);
        }
        let display = path.display().to_string();
        // A file named explicitly is read whatever it is (a wrong header is an error then); inside
        // folders only police.uk files of the kind, by name or by header.
        let recognised = if explicit {
            Recognised::PoliceUk(kind)
        } else {
            recognise(&name, || file_start(path))?
        };
        if recognised == Recognised::PoliceUk(kind) {
            files.push(SourceFile {
                display,
                name,
                content: Content::File(path.to_owned()),
            });
        } else {
            skipped.push(Skipped {
                display,
                reason: skip_reason(recognised, kind),
            });
        }
        Ok(())
    }
}

fn zip_error(path: &Path, reason: String) -> DataError {
    DataError::Zip {
        path: path.to_owned(),
        reason,
    }
}

fn open_archive(path: &Path) -> Result<zip::ZipArchive<std::io::BufReader<std::fs::File>>> {
    let file = std::fs::File::open(path).map_err(io(path))?;
    zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| zip_error(path, e.to_string()))
}

fn read_zip(
    path: &Path,
    kind: FileKind,
    files: &mut Vec<SourceFile>,
    skipped: &mut Vec<Skipped>,
) -> Result<()> {
    let zip_error = |reason: String| zip_error(path, reason);
    let mut archive = open_archive(path)?;
    for index in 0..archive.len() {
        let entry = archive
            .by_index(index)
            .map_err(|e| zip_error(e.to_string()))?;
        let inner = entry
            .name()
            .map_err(|e| zip_error(e.to_string()))?
            .into_owned();
        // Nothing is extracted, but an archive with entries that would land outside it when
        // extracted is hostile or broken, and refused whole.
        if entry.is_symlink() {
            return Err(DataError::PathOutside {
                path: format!("{}!{inner}", path.display()),
                reason: "a link inside a zip archive (police.uk archives hold only files)"
                    .to_owned(),
            });
        }
        if entry.enclosed_name().is_none() {
            return Err(DataError::PathOutside {
                path: format!("{}!{inner}", path.display()),
                reason:
                    "an entry named with \"..\" or an absolute path, which leaves the archive's \
                         folder"
                        .to_owned(),
            });
        }
        if !entry.is_file() {
            continue;
        }
        let name = inner.rsplit('/').next().unwrap_or(&inner).to_owned();
        let display = format!("{}!{inner}", path.display());
        let recognised = recognise(&name, || {
            let mut start = Vec::new();
            entry
                .take(HEADER_BYTES)
                .read_to_end(&mut start)
                .map_err(|e| zip_error(format!("{display}: {e}")))?;
            Ok(start)
        })?;
        if recognised == Recognised::PoliceUk(kind) {
            let entry = archive
                .by_index(index)
                .map_err(|e| zip_error(e.to_string()))?;
            limits::check_expansion(path, &inner, entry.size(), entry.compressed_size())?;
            files.push(SourceFile {
                display,
                name,
                content: Content::ZipEntry {
                    archive: path.to_owned(),
                    index,
                },
            });
        } else {
            skipped.push(Skipped {
                display,
                reason: skip_reason(recognised, kind),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_tell_street_from_outcome_files() {
        let street = "\u{feff}Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r\nx";
        let outcomes = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type";
        assert_eq!(kind_by_header(street.as_bytes()), Some(FileKind::Street));
        assert_eq!(
            kind_by_header(outcomes.as_bytes()),
            Some(FileKind::Outcomes)
        );
        assert_eq!(kind_by_header(b"a,b,c\n1,2,3"), None);
        assert_eq!(
            kind_by_name("2025-01-essex-Street.CSV"),
            Some(FileKind::Street)
        );
        assert_eq!(kind_by_name("essex_feb.csv"), None);
    }
}
