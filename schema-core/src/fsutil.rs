//! The one place pgcanon touches files it reads or produces: atomic, change-only writes and
//! bounded reads, for every artifact (snapshot, generated models, docs, change log, build.rs
//! outputs).
//!
//! Policy, enforced here so no caller can forget it:
//! - Only **regular files** are read or replaced. A device node, FIFO, socket or directory is
//!   refused before it is opened (so a FIFO cannot block and `/dev/null` is never replaced).
//! - A **symbolic link stays a symbolic link**: the write goes through it, atomically replacing
//!   the file it points to. A link whose target does not exist is refused.
//! - **Reads are bounded** ([`MAX_READ_BYTES`]); the old content is compared with the new only
//!   when their sizes agree, so checking "unchanged" never reads more than the new content.
//! - A write goes to a hidden temp file beside the target (`.<name>.<pid>.<n>.tmp`), fsynced and
//!   renamed over it. Temp files left by a killed writer (`kill -9`) are removed by the next
//!   write to the same file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// The largest file pgcanon reads (1 GiB). A 2,000-table snapshot is about 15 MB, so anything
/// near this is a wrong path, and reading it would only exhaust memory.
pub const MAX_READ_BYTES: u64 = 1 << 30;

/// Writes `contents` to `path` atomically (temp file in the same directory, fsync, rename),
/// and only when the file does not already hold exactly these bytes.
///
/// Returns true when the file was written. Missing parent directories are created. See the
/// module documentation for the file-type, symlink and temp-file policy.
pub fn write_if_changed(path: &Path, contents: &[u8]) -> Result<bool> {
    let io_err = |action: &'static str, source: std::io::Error| Error::Io { action, path: path.display().to_string(), source };
    let target = match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => resolve_link(path)?,
        Ok(_) => path.to_path_buf(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(io_err("inspect", e)),
    };
    let dir = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file_name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    match std::fs::metadata(&target) {
        Ok(meta) => {
            require_regular(path, &meta)?;
            remove_stale_temps(&dir, &file_name);
            // Different sizes mean different content: no need to read a byte of the old file.
            if meta.len() == contents.len() as u64 && read_exact_len(&target, contents.len()).is_ok_and(|old| old == contents) {
                return Ok(false);
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(&dir).map_err(|e| io_err("create directory for", e))?;
            remove_stale_temps(&dir, &file_name);
        }
        Err(e) => return Err(io_err("inspect", e)),
    }
    // Unique per process and call so concurrent writers never share a temp file.
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let tmp = dir.join(format!(".{file_name}.{}.{n}.tmp", std::process::id()));
    let result = (|| {
        // `create_new` never follows a link someone planted at the temp name.
        let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(contents)?;
        f.sync_all()?;
        std::fs::rename(&tmp, &target)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_err("write", e));
    }
    Ok(true)
}

/// Ok when [`write_if_changed`] could replace `path`: it does not exist yet, or it is a regular
/// file (or a link to one). Lets a command that writes several files refuse a bad one before
/// it has written any of the others.
pub fn check_writable(path: &Path) -> Result<()> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let target = resolve_link(path)?;
            let meta = std::fs::metadata(&target).map_err(|source| Error::Io { action: "inspect", path: path.display().to_string(), source })?;
            require_regular(path, &meta)
        }
        Ok(meta) => require_regular(path, &meta),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(Error::Io { action: "inspect", path: path.display().to_string(), source }),
    }
}

/// Reads a regular file of at most [`MAX_READ_BYTES`] as UTF-8. `action` completes "cannot …"
/// in errors (e.g. `read snapshot`).
pub fn read_to_string(path: &Path, action: &'static str) -> Result<String> {
    read_to_string_limited(path, action, MAX_READ_BYTES)
}

/// [`read_to_string`] with an explicit size bound, in bytes.
pub fn read_to_string_limited(path: &Path, action: &'static str, limit: u64) -> Result<String> {
    String::from_utf8(read_limited(path, action, limit)?).map_err(|e| Error::Io {
        action,
        path: path.display().to_string(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.utf8_error()),
    })
}

/// Reads a regular file of at most [`MAX_READ_BYTES`] as bytes.
pub fn read(path: &Path, action: &'static str) -> Result<Vec<u8>> {
    read_limited(path, action, MAX_READ_BYTES)
}

/// [`read`] with an explicit size bound, in bytes. The file type is checked before the file is
/// opened, so a FIFO is refused instead of blocking.
pub fn read_limited(path: &Path, action: &'static str, limit: u64) -> Result<Vec<u8>> {
    let io_err = |source: std::io::Error| Error::Io { action, path: path.display().to_string(), source };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    require_regular(path, &meta)?;
    if meta.len() > limit {
        return Err(Error::TooLarge { path: path.display().to_string(), size: meta.len(), limit });
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // `take` keeps the bound even if the file grows between the check and the read.
    std::fs::File::open(path).map_err(io_err)?.take(limit).read_to_end(&mut bytes).map_err(io_err)?;
    Ok(bytes)
}

/// Opens a regular file of at most [`MAX_READ_BYTES`] to read in pieces, with the checks of
/// [`read`] (regular file, size bound, refused before it is opened): for a reader that must
/// not hold a large file whole in memory. Like [`read`], the reader stops at the bound even if
/// the file grows after the check.
pub fn open_bounded(path: &Path, action: &'static str) -> Result<std::io::Take<std::fs::File>> {
    let io_err = |source: std::io::Error| Error::Io { action, path: path.display().to_string(), source };
    let meta = std::fs::metadata(path).map_err(io_err)?;
    require_regular(path, &meta)?;
    if meta.len() > MAX_READ_BYTES {
        return Err(Error::TooLarge { path: path.display().to_string(), size: meta.len(), limit: MAX_READ_BYTES });
    }
    Ok(std::fs::File::open(path).map_err(io_err)?.take(MAX_READ_BYTES))
}

/// The final target of the symbolic link `path`, which must exist.
fn resolve_link(path: &Path) -> Result<PathBuf> {
    std::fs::canonicalize(path).map_err(|_| Error::DanglingSymlink {
        path: path.display().to_string(),
        target: std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default(),
    })
}

/// An error unless `meta` (of `path`, links followed) describes a regular file.
fn require_regular(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    let ft = meta.file_type();
    if ft.is_file() {
        return Ok(());
    }
    let kind = if ft.is_dir() { "directory" } else { special_kind(&ft) };
    Err(Error::NotARegularFile { path: path.display().to_string(), kind })
}

#[cfg(unix)]
fn special_kind(ft: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if ft.is_char_device() {
        "character device"
    } else if ft.is_block_device() {
        "block device"
    } else if ft.is_fifo() {
        "FIFO (named pipe)"
    } else if ft.is_socket() {
        "socket"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_ft: &std::fs::FileType) -> &'static str {
    "special file"
}

/// The first `len` bytes of `path`, failing if there are fewer.
fn read_exact_len(path: &Path, len: usize) -> std::io::Result<Vec<u8>> {
    let mut buf = vec![0; len];
    std::fs::File::open(path)?.read_exact(&mut buf)?;
    Ok(buf)
}

/// Removes temp files of earlier writes of `file_name` in `dir` whose writer is gone. Best
/// effort: a failure to list or remove must never fail the write itself.
fn remove_stale_temps(dir: &Path, file_name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let prefix = format!(".{file_name}.");
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|n| temp_owner(n, &prefix)) else { continue };
        if pid != std::process::id() && writer_is_gone(pid, &entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The writer's pid when `name` is one of our temp names, `<prefix><pid>.<n>.tmp`.
fn temp_owner(name: &str, prefix: &str) -> Option<u32> {
    let (pid, n) = name.strip_prefix(prefix)?.strip_suffix(".tmp")?.split_once('.')?;
    n.parse::<u64>().ok()?;
    pid.parse().ok()
}

/// True when the process that made a temp file no longer runs. Where processes cannot be
/// looked up, a temp file untouched for an hour counts as abandoned (no write takes that long).
fn writer_is_gone(pid: u32, entry: &std::fs::DirEntry) -> bool {
    if cfg!(target_os = "linux") && Path::new("/proc/self").exists() {
        return !Path::new(&format!("/proc/{pid}")).exists();
    }
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > std::time::Duration::from_secs(3600))
}

#[cfg(test)]
mod tests;
