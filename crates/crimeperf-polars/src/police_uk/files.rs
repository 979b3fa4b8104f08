//! Finding police.uk files: unzipped monthly folders, single files, or the zip archive itself.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::FileKind;
use crate::error::{DataError, Result};

/// One police.uk CSV, found but not yet read.
pub(crate) struct SourceFile {
    /// How the file is named in the log: its path, or `archive.zip!inner/path.csv`.
    pub display: String,
    /// The file name alone, e.g. `2025-01-essex-street.csv`, which identifies force and month.
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
}

impl SourceFile {
    /// Reads the file's bytes into `buffer` (emptied first). A worker reuses one buffer for all
    /// its files: fresh memory for each would have to be zeroed by the kernel page by page.
    pub fn load_into(&self, buffer: &mut Vec<u8>) -> Result<()> {
        buffer.clear();
        match &self.content {
            Content::File(path) => {
                let mut file = std::fs::File::open(path).map_err(io(path))?;
                file.read_to_end(buffer).map_err(io(path))?;
                Ok(())
            }
            Content::ZipEntry { archive, index } => {
                let mut zip = open_archive(archive)?;
                let mut entry = zip
                    .by_index(*index)
                    .map_err(|e| zip_error(archive, e.to_string()))?;
                entry
                    .read_to_end(buffer)
                    .map_err(|e| zip_error(archive, format!("{}: {e}", self.display)))?;
                Ok(())
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

/// True for a file name of the kind wanted: `2025-01-essex-street.csv` for street files.
fn wanted(name: &str, kind: FileKind) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(&format!("-{}.csv", kind.suffix()))
}

/// Every file of `kind` under `source`, sorted by name then location so results are repeatable.
pub(crate) fn discover(source: &Path, kind: FileKind) -> Result<Vec<SourceFile>> {
    let mut files = Vec::new();
    collect(source, kind, &mut files, true)?;
    if files.is_empty() {
        return Err(DataError::NoFiles {
            path: source.to_owned(),
            kind: kind.suffix(),
        });
    }
    files.sort_by(|a, b| (&a.name, &a.display).cmp(&(&b.name, &b.display)));
    Ok(files)
}

fn collect(path: &Path, kind: FileKind, files: &mut Vec<SourceFile>, explicit: bool) -> Result<()> {
    let metadata = std::fs::metadata(path).map_err(io(path))?;
    if metadata.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(io(path))?
            .map(|entry| entry.map(|e| e.path()))
            .collect::<std::io::Result<_>>()
            .map_err(io(path))?;
        entries.sort();
        for entry in entries {
            collect(&entry, kind, files, false)?;
        }
        return Ok(());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if name.to_ascii_lowercase().ends_with(".zip") {
        return read_zip(path, kind, files);
    }
    // A file named explicitly is read whatever its name; inside folders only police.uk names.
    if explicit || wanted(&name, kind) {
        files.push(SourceFile {
            display: path.display().to_string(),
            name,
            content: Content::File(path.to_owned()),
        });
    }
    Ok(())
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

fn read_zip(path: &Path, kind: FileKind, files: &mut Vec<SourceFile>) -> Result<()> {
    let zip_error = |reason: String| zip_error(path, reason);
    let mut archive = open_archive(path)?;
    for index in 0..archive.len() {
        let entry = archive
            .by_index(index)
            .map_err(|e| zip_error(e.to_string()))?;
        if !entry.is_file() {
            continue;
        }
        let inner = entry
            .name()
            .map_err(|e| zip_error(e.to_string()))?
            .into_owned();
        let name = inner.rsplit('/').next().unwrap_or(&inner).to_owned();
        if !wanted(&name, kind) {
            continue;
        }
        files.push(SourceFile {
            display: format!("{}!{inner}", path.display()),
            name,
            content: Content::ZipEntry {
                archive: path.to_owned(),
                index,
            },
        });
    }
    Ok(())
}
