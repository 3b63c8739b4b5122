//! Every file itinera writes goes through this module, so that a write can
//! neither destroy what is not its own nor leave a half-written result:
//!
//! - only a regular file (or nothing) is ever replaced: a symlink, device or
//!   folder at the target is refused, so `--csv /dev/stdout` as root cannot
//!   turn /dev/stdout into a file, and a link cannot redirect a write;
//! - a single file is written to a temporary file beside the target and
//!   renamed over it; the temporary file is removed on every exit path (an
//!   error, a panic, or SIGINT/SIGTERM through [`install_signal_cleanup`]);
//! - a publication (plan.json, calendars, report…) is staged whole in a
//!   folder inside the output folder, marked complete, then moved into
//!   place. A run killed before the mark leaves the old publication as it
//!   was (the stage is removed by the next run); one killed after it is
//!   completed by the next run that reads the folder ([`recover`]). So a
//!   reader never sees a new plan.json beside old calendars.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Name of the staging folder inside an output folder.
pub const STAGING: &str = ".itinera-staging";
/// File whose presence in a stage says that every file of it is written.
const COMPLETE: &str = ".complete";

impl OutputError {
    /// What went wrong, in both languages.
    pub fn text(&self) -> crate::lang::Text {
        use crate::tr;
        match self {
            OutputError::NotRegular { path, kind } => {
                let path = path.display();
                let es = match *kind {
                    "a symbolic link" => "un enlace simbólico",
                    "a folder" => "una carpeta",
                    "not a folder" => "no es una carpeta",
                    _ => "un dispositivo, tubería o socket",
                };
                tr!(
                    "{path} no es un archivo común ({es}); itinera solo reemplaza archivos comunes: dé otra ruta",
                    "{path} is not a regular file ({kind}); itinera only replaces regular files: give another path"
                )
            }
            OutputError::Io { path, source } => {
                let path = path.display();
                let why = crate::scenario::io_reason(source);
                tr!(
                    "escribiendo {path}: {}",
                    "writing {path}: {}",
                    why.es; why.en
                )
            }
        }
    }
}

/// Why an output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The target exists and is not a regular file.
    #[error(
        "{path} is not a regular file ({kind}); itinera only replaces regular files: give another path"
    )]
    NotRegular {
        /// The target.
        path: PathBuf,
        /// What it is (symbolic link, folder, device…).
        kind: &'static str,
    },
    /// The system refused a read or write.
    #[error("writing {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Temporary files and unfinished stages to remove if the process is
/// stopped by a signal.
static PENDING: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());

fn pending() -> std::sync::MutexGuard<'static, BTreeSet<PathBuf>> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remove pending temporary files and unfinished stages when the process
/// receives SIGINT or SIGTERM, then exit with 130. Call once, from main.
pub fn install_signal_cleanup() {
    let _ = ctrlc::set_handler(|| {
        remove_pending();
        std::process::exit(130);
    });
}

/// Remove every temporary file and unfinished stage, before the process
/// ends abruptly (a signal, a stuck solver).
pub fn remove_pending() {
    for path in pending().iter() {
        if path.is_dir() {
            let _ = fs::remove_dir_all(path);
        } else {
            let _ = fs::remove_file(path);
        }
    }
}

/// A path removed when dropped unless kept: the temporary file or stage of a
/// write in progress.
struct Pending(Option<PathBuf>);

impl Pending {
    fn new(path: PathBuf) -> Pending {
        pending().insert(path.clone());
        Pending(Some(path))
    }

    /// The write went through: nothing to remove.
    fn keep(mut self) {
        if let Some(p) = self.0.take() {
            pending().remove(&p);
        }
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(p) = self.0.take() {
            if p.is_dir() {
                let _ = fs::remove_dir_all(&p);
            } else {
                let _ = fs::remove_file(&p);
            }
            pending().remove(&p);
        }
    }
}

/// Refuse to replace anything but a regular file.
pub fn check_target(path: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(path) {
        Ok(m) => {
            let t = m.file_type();
            if t.is_file() {
                return Ok(());
            }
            let kind = if t.is_symlink() {
                "a symbolic link"
            } else if t.is_dir() {
                "a folder"
            } else {
                "a device, pipe or socket"
            };
            Err(OutputError::NotRegular {
                path: path.to_path_buf(),
                kind,
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

/// Create `dir` and its parents, refusing a path whose existing part is
/// not a folder.
fn create_dir(dir: &Path) -> Result<(), OutputError> {
    if let Ok(m) = fs::symlink_metadata(dir)
        && !m.is_dir()
    {
        return Err(OutputError::NotRegular {
            path: dir.to_path_buf(),
            kind: "not a folder",
        });
    }
    fs::create_dir_all(dir).map_err(io(dir))
}

fn parent(path: &Path) -> &Path {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
}

/// Write `bytes` to `path` whole or not at all (temporary file beside it,
/// then rename), replacing only a regular file.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_with(path, |f| f.write_all(bytes))
}

/// [`write_file`] for a file that holds personal data (a plan's person
/// ids are national ids in Santa Cruz): readable and writable by its owner
/// only (0600), from the moment it is created.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_as(path, true, |f| f.write_all(bytes))
}

/// A new file, owner-only when `private`.
fn create(path: &Path, private: bool) -> std::io::Result<fs::File> {
    let mut o = fs::OpenOptions::new();
    o.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        o.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    o.open(path)
}

/// [`write_file`] with the contents written by `fill` (for files produced
/// by a writer of their own).
pub fn write_with(
    path: &Path,
    fill: impl FnOnce(&mut fs::File) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    write_as(path, false, fill)
}

fn write_as(
    path: &Path,
    private: bool,
    fill: impl FnOnce(&mut fs::File) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    check_target(path)?;
    let dir = parent(path);
    create_dir(dir)?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id()
    ));
    let guard = Pending::new(tmp.clone());
    let mut f = create(&tmp, private).map_err(io(path))?;
    fill(&mut f).map_err(io(path))?;
    f.sync_all().map_err(io(path))?;
    drop(f);
    fs::rename(&tmp, path).map_err(io(path))?;
    guard.keep();
    Ok(())
}

/// A temporary path beside `path` for a writer that must create the file
/// itself (a solver writing a model): the returned guard removes it unless
/// [`TempPath::persist`] moves it into place.
pub fn temp_beside(path: &Path) -> Result<TempPath, OutputError> {
    check_target(path)?;
    let dir = parent(path);
    create_dir(dir)?;
    // The extension is kept: writers choose their format by it.
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("tmp");
    let tmp = dir.join(format!(
        ".{}.tmp-{}.{ext}",
        path.file_stem().and_then(|n| n.to_str()).unwrap_or("out"),
        std::process::id()
    ));
    Ok(TempPath {
        guard: Pending::new(tmp.clone()),
        tmp,
        target: path.to_path_buf(),
    })
}

/// See [`temp_beside`].
pub struct TempPath {
    guard: Pending,
    tmp: PathBuf,
    target: PathBuf,
}

impl TempPath {
    /// Where the writer writes.
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// Move the written file into place.
    pub fn persist(self) -> Result<(), OutputError> {
        check_target(&self.target)?;
        fs::rename(&self.tmp, &self.target).map_err(io(&self.target))?;
        self.guard.keep();
        Ok(())
    }
}

/// A publication being written into an output folder: see the module doc.
pub struct Stage {
    dir: PathBuf,
    stage: PathBuf,
    files: Vec<PathBuf>,
    guard: Pending,
}

impl Stage {
    /// Start a publication into `dir`, finishing or removing any earlier
    /// stage first.
    pub fn begin(dir: &Path) -> Result<Stage, OutputError> {
        create_dir(dir)?;
        recover(dir)?;
        let stage = dir.join(STAGING);
        let guard = Pending::new(stage.clone());
        fs::create_dir(&stage).map_err(io(&stage))?;
        Ok(Stage {
            dir: dir.to_path_buf(),
            stage,
            files: Vec::new(),
            guard,
        })
    }

    /// Stage `bytes` as `rel` (a path relative to the output folder). The
    /// target is checked now, so a refused target stops the publication
    /// before anything is moved into place.
    pub fn write(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_as(rel, bytes, false)
    }

    /// [`Stage::write`] for a file holding personal data (0600, see
    /// [`write_private`]).
    pub fn write_private(&mut self, rel: &Path, bytes: &[u8]) -> Result<(), OutputError> {
        self.write_as(rel, bytes, true)
    }

    fn write_as(&mut self, rel: &Path, bytes: &[u8], private: bool) -> Result<(), OutputError> {
        check_target(&self.dir.join(rel))?;
        let path = self.stage.join(rel);
        create_dir(parent(&path))?;
        let mut f = create(&path, private).map_err(io(&path))?;
        f.write_all(bytes).map_err(io(&path))?;
        f.sync_all().map_err(io(&path))?;
        self.files.push(rel.to_path_buf());
        Ok(())
    }

    /// Mark the stage complete and move every file into place.
    pub fn commit(self) -> Result<(), OutputError> {
        let mark = self.stage.join(COMPLETE);
        let list: String = self
            .files
            .iter()
            .map(|p| format!("{}\n", p.display()))
            .collect();
        fs::write(&mark, list).map_err(io(&mark))?;
        // From here the stage is the publication: a stop leaves it for
        // `recover` to move into place, not to remove.
        self.guard.keep();
        roll_forward(&self.dir, &self.stage)
    }
}

/// Finish or discard a stage left in `dir` by a run that was stopped.
/// Readers of an output folder call this before reading it.
pub fn recover(dir: &Path) -> Result<(), OutputError> {
    let stage = dir.join(STAGING);
    if !stage.is_dir() {
        return Ok(());
    }
    if stage.join(COMPLETE).is_file() {
        roll_forward(dir, &stage)
    } else {
        fs::remove_dir_all(&stage).map_err(io(&stage))
    }
}

fn roll_forward(dir: &Path, stage: &Path) -> Result<(), OutputError> {
    let mark = stage.join(COMPLETE);
    let list = fs::read_to_string(&mark).map_err(io(&mark))?;
    for rel in list.lines().filter(|l| !l.is_empty()) {
        let from = stage.join(rel);
        if !from.exists() {
            continue; // moved before the stop
        }
        let to = dir.join(rel);
        check_target(&to)?;
        create_dir(parent(&to))?;
        fs::rename(&from, &to).map_err(io(&to))?;
    }
    fs::remove_dir_all(stage).map_err(io(stage))
}

/// An `f64` in JSON that may be infinite or NaN (which JSON numbers cannot
/// hold: `serde_json` writes them as `null` and cannot read that back as a
/// number): finite values as numbers, the others as `"inf"`, `"-inf"` and
/// `"nan"`. For a value a job writes and a merge reads back
/// (`optimize::colgen::Bound` in a split folder's `result.json`).
pub mod any_f64 {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Write `x`.
    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_finite() {
            s.serialize_f64(*x)
        } else if x.is_nan() {
            s.serialize_str("nan")
        } else if *x > 0.0 {
            s.serialize_str("inf")
        } else {
            s.serialize_str("-inf")
        }
    }

    /// Read what [`serialize`] wrote.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Any {
            Number(f64),
            Text(String),
        }
        match Any::deserialize(d)? {
            Any::Number(x) => Ok(x),
            Any::Text(t) => match t.as_str() {
                "inf" => Ok(f64::INFINITY),
                "-inf" => Ok(f64::NEG_INFINITY),
                "nan" => Ok(f64::NAN),
                other => Err(serde::de::Error::custom(format!(
                    "expected a number, \"inf\", \"-inf\" or \"nan\", found {other:?}"
                ))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_links_folders_and_devices() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        fs::write(&real, "keep").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        assert!(matches!(
            write_file(&link, b"x"),
            Err(OutputError::NotRegular { .. })
        ));
        assert_eq!(fs::read_to_string(&real).unwrap(), "keep");
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert!(write_file(dir.path(), b"x").is_err());
        assert!(matches!(
            write_file(Path::new("/dev/null"), b"x"),
            Err(OutputError::NotRegular { .. })
        ));
        write_file(&real, b"new").unwrap();
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 2, "no temporary file left");
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.txt");
        let r = write_with(&target, |_| Err(std::io::Error::other("disk full")));
        assert!(r.is_err());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_stage_appears_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("plan.json"), "old").unwrap();
        // Stopped before the mark: the old publication stays.
        {
            let mut s = Stage::begin(dir.path()).unwrap();
            s.write(Path::new("plan.json"), b"new").unwrap();
            std::mem::forget(s); // as if killed: no drop runs
        }
        recover(dir.path()).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("plan.json")).unwrap(),
            "old"
        );
        assert!(!dir.path().join(STAGING).exists());
        // Stopped after the mark, before the moves: the next reader finishes it.
        let mut s = Stage::begin(dir.path()).unwrap();
        s.write(Path::new("plan.json"), b"new").unwrap();
        s.write(Path::new("calendars/a.ics"), b"ics").unwrap();
        fs::write(
            dir.path().join(STAGING).join(COMPLETE),
            "plan.json\ncalendars/a.ics\n",
        )
        .unwrap();
        std::mem::forget(s);
        recover(dir.path()).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("plan.json")).unwrap(),
            "new"
        );
        assert_eq!(
            fs::read_to_string(dir.path().join("calendars/a.ics")).unwrap(),
            "ics"
        );
        assert!(!dir.path().join(STAGING).exists());
    }

    #[test]
    fn a_refused_target_stops_the_stage_before_any_move() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("plan.json"), "old").unwrap();
        std::os::unix::fs::symlink("/dev/null", dir.path().join("report.html")).unwrap();
        let mut s = Stage::begin(dir.path()).unwrap();
        s.write(Path::new("plan.json"), b"new").unwrap();
        assert!(s.write(Path::new("report.html"), b"r").is_err());
        drop(s);
        assert_eq!(
            fs::read_to_string(dir.path().join("plan.json")).unwrap(),
            "old"
        );
        assert!(!dir.path().join(STAGING).exists());
    }

    /// Infinite and NaN values survive a JSON round trip (serde_json alone
    /// writes them as null and then fails to read them).
    #[test]
    fn any_f64_round_trips_what_json_numbers_cannot_hold() {
        #[derive(serde::Serialize, serde::Deserialize)]
        struct X(#[serde(with = "super::any_f64")] f64);
        for x in [1.5, -2.0, f64::INFINITY, f64::NEG_INFINITY] {
            let json = serde_json::to_string(&X(x)).unwrap();
            assert_eq!(serde_json::from_str::<X>(&json).unwrap().0, x, "{json}");
        }
        let nan = serde_json::to_string(&X(f64::NAN)).unwrap();
        assert_eq!(nan, "\"nan\"");
        assert!(serde_json::from_str::<X>(&nan).unwrap().0.is_nan());
        assert!(serde_json::from_str::<X>("\"many\"").is_err());
    }
}
