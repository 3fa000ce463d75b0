//! The batch run: discover → read → [`crate::parse_file`] → [`crate::write`].
//!
//! The sorted file list is cut into fixed-size chunks. Each chunk is read and parsed in
//! parallel on a pool of `jobs` threads (`par_iter().map().collect()` keeps the order),
//! then written before the next chunk starts. So the output is the same whatever the
//! number of threads, and memory holds one chunk of reports at a time.
//!
//! Files unchanged since the previous run in the output directory are not parsed again:
//! their rows are carried over from the previous tables (see [`crate::state`]). A lock
//! file keeps a second run off the same output ([`crate::lock`]).
//!
//! One bad file never stops the run: a file that cannot be read, or whose parse panics,
//! becomes a `failed` report with an error finding.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::derive::Derived;
use crate::discover::{discover, Entry};
use crate::link;
use crate::lock::{Lock, LockError};
use crate::model::{Report, Severity, Status};
use crate::state::{
    self, DerivedWith, FileState, Manifest, ReportState, Source, State, StateError,
};
use crate::write::{self, Format, Layout, Output, WriteError, TABLES};

mod file;
mod summary;

pub use file::{parse_bytes, parse_path};
use file::{process, Work};
pub use summary::Summary;

/// Files parsed in parallel before their reports are written.
pub const DEFAULT_CHUNK_SIZE: usize = 512;

/// Errors that stop a run (a bad input file never does).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The corpus directory does not exist or cannot be inspected.
    #[error("cannot read corpus directory {path}")]
    Corpus {
        /// The path given.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The corpus path is not a directory.
    #[error("corpus {0} is not a directory")]
    CorpusNotDir(PathBuf),
    /// `jobs` is zero.
    #[error("the number of jobs must be at least 1")]
    NoJobs,
    /// `chunk_size` is zero.
    #[error("the chunk size must be at least 1")]
    NoChunkSize,
    /// The output cannot be written.
    #[error("cannot write output {path}")]
    Output {
        /// The output directory.
        path: PathBuf,
        /// What went wrong.
        source: WriteError,
    },
    /// Another run holds the output's lock.
    #[error(transparent)]
    Lock(#[from] LockError),
    /// The rows of a previous output could not be carried over.
    #[error("reusing the previous output {path} (--full parses every file instead)")]
    State {
        /// The previous output directory.
        path: PathBuf,
        /// What went wrong.
        source: StateError,
    },
    /// The shard is not `I/N` with `I < N`.
    #[error("bad shard {0:?}: expected I/N with 0 <= I < N")]
    BadShard(String),
    /// An option is out of range.
    #[error("{0}")]
    BadOption(String),
    /// The directories given to `merge` cannot be merged.
    #[error("cannot merge: {0}")]
    Merge(String),
    /// The tables across reports (groups, cross findings, aggregates) could not be made.
    #[error("computing the tables across reports in {path}")]
    Derive {
        /// The output directory.
        path: PathBuf,
        /// What went wrong.
        source: crate::derive::DeriveError,
    },
    /// The thread pool could not be started.
    #[error("cannot start {jobs} worker threads")]
    ThreadPool {
        /// Threads asked for.
        jobs: usize,
        /// The underlying error.
        source: rayon::ThreadPoolBuildError,
    },
}

/// What to build and how.
#[derive(Debug, Clone)]
pub struct Config {
    /// The corpus root.
    pub corpus: PathBuf,
    /// The output directory (replaced at the end of a successful run).
    pub out: PathBuf,
    /// Worker threads.
    pub jobs: usize,
    /// Output formats.
    pub formats: Vec<Format>,
    /// Files parsed in parallel before writing. By default, [`DEFAULT_CHUNK_SIZE`].
    pub chunk_size: usize,
    /// Draw a progress bar on stderr. By default, false.
    pub progress: bool,
    /// Parquet layout. By default, [`Layout::Single`].
    pub layout: Layout,
    /// Parse every file even when the previous output could be reused. By default, false.
    pub full: bool,
    /// The parser version recorded and compared with the previous run's. By default,
    /// [`crate::PARSER_VERSION`]; tests override it to simulate a parser change.
    pub parser_version: u32,
    /// Process only shard `(i, n)`: the files whose path hash is `i` modulo `n`. By
    /// default, `None` (every file).
    pub shard: Option<(u64, u64)>,
    /// Thresholds of the checks across years. By default, [`link::Options::default`].
    pub link: link::Options,
}

impl Config {
    /// A configuration with the default chunk size, both formats, and no progress bar.
    pub fn new(corpus: impl Into<PathBuf>, out: impl Into<PathBuf>, jobs: usize) -> Self {
        Config {
            corpus: corpus.into(),
            out: out.into(),
            jobs,
            formats: Format::ALL.to_vec(),
            chunk_size: DEFAULT_CHUNK_SIZE,
            progress: false,
            layout: Layout::Single,
            full: false,
            parser_version: crate::PARSER_VERSION,
            shard: None,
            link: link::Options::default(),
        }
    }

    /// Checks everything that can be checked before any file is read: the corpus is a
    /// directory, `jobs` and `chunk_size` are at least 1, a format is selected, and the
    /// output's parent is writable and the output replaceable.
    pub fn validate(&self) -> Result<(), Error> {
        let meta = fs::metadata(&self.corpus).map_err(|source| Error::Corpus {
            path: self.corpus.clone(),
            source,
        })?;
        if !meta.is_dir() {
            return Err(Error::CorpusNotDir(self.corpus.clone()));
        }
        if self.jobs == 0 {
            return Err(Error::NoJobs);
        }
        if self.chunk_size == 0 {
            return Err(Error::NoChunkSize);
        }
        if let Some((i, n)) = self.shard {
            if i >= n {
                return Err(Error::BadShard(format!("{i}/{n}")));
            }
        }
        let output = |source| Error::Output {
            path: self.out.clone(),
            source,
        };
        if self.formats.is_empty() {
            return Err(output(WriteError::NoFormats));
        }
        check_link_options(&self.link)?;
        Output::check_target(&self.out).map_err(output)
    }
}

/// Runs the whole pipeline and writes the tables. Bad inputs are recorded in the tables;
/// only a failure of the run itself (bad configuration, output not writable, output
/// locked by another run) is an error.
pub fn build(config: &Config) -> Result<Summary, Error> {
    let start = Instant::now();
    config.validate()?;
    let output_err = |source| Error::Output {
        path: config.out.clone(),
        source,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(config.jobs)
        .build()
        .map_err(|source| Error::ThreadPool {
            jobs: config.jobs,
            source,
        })?;
    let _lock = Lock::acquire(&config.out, |m| eprintln!("nianbao: warning: {m}"))?;
    // Holding the lock, whatever is left beside the output by a killed run is garbage.
    write::remove_stale_temp_dirs(&config.out).map_err(output_err)?;
    let mut previous = if config.full {
        None
    } else {
        previous_output(config)
    };
    let prev_index: std::collections::HashMap<String, usize> = previous
        .as_ref()
        .map(|p| {
            p.state
                .files
                .iter()
                .enumerate()
                .map(|(i, f)| (f.source_path.clone(), i))
                .collect()
        })
        .unwrap_or_default();
    let previous_tables = previous.as_ref().and_then(Source::previous_tables);
    let mut output = Output::create_incremental(
        &config.out,
        &config.formats,
        config.layout,
        previous_tables.as_ref(),
    )
    .map_err(output_err)?;

    // An output directory inside the corpus would be read back as input next time.
    let out_abs = fs::canonicalize(&config.out).ok();
    let entries: Vec<Entry> = discover(&config.corpus)
        .into_iter()
        // Truth files beside the documents of a gold or synthetic corpus are not reports.
        .filter(|e| !e.relative.ends_with(crate::eval::GOLD_SUFFIX))
        .filter(|e| {
            out_abs
                .as_ref()
                .is_none_or(|o| fs::canonicalize(&e.path).map_or(true, |p| !p.starts_with(o)))
        })
        .filter(|e| {
            config
                .shard
                .is_none_or(|(i, n)| shard_of(&e.relative, n) == i)
        })
        .collect();
    let progress = progress_bar(config.progress, entries.len());
    let mut summary = Summary::default();
    let mut new_state = State {
        parser_version: config.parser_version,
        schema_version: write::SCHEMA_VERSION,
        layout: config.layout,
        parquet: config.formats.contains(&Format::Parquet),
        csv: config.formats.contains(&Format::Csv),
        started_ns: state::now_ns(),
        derived_with: None,
        files: Vec::with_capacity(entries.len()),
    };
    // The previous tables across reports stand if they were computed as this run would
    // compute them and the per-report tables come out row for row the same (every file
    // of the previous run reused, in the same order, in the same layout and formats).
    let derived_with = DerivedWith::now(config.link);
    let previous_derived = previous.as_ref().is_some_and(|p| {
        p.state.derived_with.as_ref() == Some(&derived_with)
            && p.state.layout == new_state.layout
            && p.state.parquet == new_state.parquet
            && p.state.csv == new_state.csv
    });
    // The previous memo of the derived tables stands if computed by this code, whatever
    // the thresholds (it holds no finding); in the same layout and formats, so that its
    // values were read back from tables as this run's are.
    let previous_memo = previous.as_ref().is_some_and(|p| {
        p.state
            .derived_with
            .as_ref()
            .is_some_and(|d| d.nianbao_version == derived_with.nianbao_version)
            && p.state.layout == new_state.layout
            && p.state.parquet == new_state.parquet
            && p.state.csv == new_state.csv
    });
    // Read on a thread of its own from the first parsed file on, while the rest are
    // parsed and written (a night without a parsed file reuses the tables or loads it
    // in `derive`).
    let memo_loader: std::sync::OnceLock<std::thread::JoinHandle<Option<crate::memo::Memo>>> =
        std::sync::OnceLock::new();
    let load_memo = || {
        if previous_memo {
            let dir = config.out.clone();
            memo_loader.get_or_init(|| std::thread::spawn(move || crate::memo::Memo::load(&dir)));
        }
    };
    let trusted_before = previous.as_ref().map_or(0, |p| {
        p.state.started_ns.saturating_sub(state::RACY_MTIME_NS)
    });
    // What the parsing threads need of the previous run (size, mtime, hash per file); the
    // writer owns the previous tables, which it reads while carrying rows over.
    let prev_files: Vec<FileState> = previous
        .as_ref()
        .map(|p| {
            p.state
                .files
                .iter()
                .map(|f| FileState {
                    reports: Vec::new(),
                    ..f.clone()
                })
                .collect()
        })
        .unwrap_or_default();
    // Parsing chunk k+1 (on the pool) overlaps writing chunk k (on its own thread); the
    // channel holds one chunk, so at most three chunks of reports are in memory.
    let chunk_size = config.chunk_size.max(1);
    // Which files of `new_state` were parsed (their CSV bytes come from this run's writer).
    let mut parsed_files: Vec<bool> = Vec::with_capacity(entries.len());
    let (seen_previous, mut output, mut summary, mut new_state, parsed_files, parsed_ids, fresh) =
        std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, Vec<Work>)>(1);
            let entries = &entries;
            let prev_index = &prev_index;
            let writer_progress = progress.clone();
            // Named, like the tables' threads (`nianbao-write-<table>`), so that
            // `perf report --sort comm` separates writing from parsing (docs/performance.md).
            let writer = std::thread::Builder::new().name("nianbao-writer".into());
            let writer = writer.spawn_scoped(scope, move || -> Result<_, Error> {
                let progress = writer_progress;
                let mut seen_previous = 0;
                let mut parsed_ids: HashSet<String> = HashSet::new();
                let mut fresh = crate::facts::Fresh::default();
                // Consecutive unchanged files of the previous run, carried over together.
                let mut run: Option<(usize, usize)> = None;
                let flush = |run: &mut Option<(usize, usize)>,
                             previous: &mut Option<state::Source>,
                             output: &mut Output|
                 -> Result<(), Error> {
                    if let (Some((first, last)), Some(source)) = (run.take(), previous.as_mut()) {
                        source
                            .carry_run(first, last, output)
                            .map_err(|source| Error::State {
                                path: config.out.clone(),
                                source,
                            })?;
                    }
                    Ok(())
                };
                for (first, work) in rx {
                    for (entry, w) in entries[first..].iter().zip(work) {
                        if prev_index.contains_key(&entry.relative) {
                            seen_previous += 1;
                        }
                        match w {
                            Work::Reuse { prev, mut file } => {
                                // `Reuse` is only produced when there is a previous output.
                                let Some(source) = previous.as_ref() else {
                                    continue;
                                };
                                file.reports = source.state.files[prev].reports.clone();
                                run = match run {
                                    Some((a, b)) if b + 1 == prev && prev - a < CARRY_RUN_FILES => {
                                        Some((a, prev))
                                    }
                                    _ => {
                                        flush(&mut run, &mut previous, &mut output)?;
                                        Some((prev, prev))
                                    }
                                };
                                file.reports.iter().for_each(|r| summary.add_state(r));
                                summary.counts.reused += 1;
                                new_state.files.push(file);
                                parsed_files.push(false);
                            }
                            Work::Parsed { reports, mut file } => {
                                load_memo();
                                flush(&mut run, &mut previous, &mut output)?;
                                for report in &reports {
                                    summary.add(report);
                                    report_failure(&progress, report);
                                }
                                file.reports = reports.iter().map(ReportState::of).collect();
                                parsed_ids.extend(reports.iter().map(|r| r.report_id.clone()));
                                reports.iter().for_each(|r| fresh.add(r));
                                // The tables' threads take the reports (and drop them).
                                let t = crate::timing::start();
                                output.write(reports).map_err(output_err)?;
                                crate::timing::record(crate::timing::Stage::Write, t);
                                summary.counts.parsed += 1;
                                new_state.files.push(file);
                                parsed_files.push(true);
                            }
                        }
                    }
                }
                flush(&mut run, &mut previous, &mut output)?;
                Ok((
                    seen_previous,
                    output,
                    summary,
                    new_state,
                    parsed_files,
                    parsed_ids,
                    fresh,
                ))
            });
            let writer = writer.map_err(|source| Error::Output {
                path: config.out.clone(),
                source: WriteError::Io {
                    path: config.out.clone(),
                    source,
                },
            })?;
            for (k, chunk) in entries.chunks(chunk_size).enumerate() {
                let work: Vec<Work> = pool.install(|| {
                    chunk
                        .par_iter()
                        .map(|entry| {
                            let prev = prev_index
                                .get(&entry.relative)
                                .map(|&i| (i, &prev_files[i]));
                            let work = process(entry, prev, trusted_before);
                            progress.inc(1);
                            work
                        })
                        .collect()
                });
                // A closed channel means the writer stopped on an error, which join reports.
                if tx.send((k * chunk_size, work)).is_err() {
                    break;
                }
            }
            drop(tx);
            writer
                .join()
                .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
        })?;
    summary.counts.removed = prev_index.len() - seen_previous;
    summary.rows = output.finish_tables().map_err(output_err)?;
    record_csv_bytes(&mut new_state, &parsed_files, output.take_csv_bytes());
    backfill_csv_bytes_in(&mut output, &mut new_state, config)?;
    // No file parsed and none removed: every file is a previous one, in the same order.
    let unchanged = previous_derived && summary.counts.parsed == 0 && summary.counts.removed == 0;
    let reused = if unchanged {
        reuse_derived_in(output.temp_dir(), config)?
    } else {
        None
    };
    summary.derived = match reused {
        Some(derived) => derived,
        None => {
            load_memo();
            let memo = memo_loader
                .into_inner()
                .map(|loader| crate::derive::Previous {
                    memo: loader.join().ok().flatten(),
                    parsed: &parsed_ids,
                });
            derive_in(output.temp_dir(), config, memo, fresh)?
        }
    };
    new_state.derived_with = Some(derived_with);
    output
        .add_file(state::STATE_FILE, &new_state.to_json())
        .map_err(output_err)?;
    let manifest = manifest(
        config.corpus.display().to_string(),
        config,
        config.shard.map(|(i, n)| format!("{i}/{n}")),
        &summary,
    );
    output
        .add_file(state::MANIFEST_FILE, &manifest.to_json())
        .map_err(output_err)?;
    output.commit().map_err(output_err)?;
    progress.finish_and_clear();
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

/// Records in `state` the CSV bytes of the parsed files' reports (`bytes`: per table, per
/// report handed to the writer, in order); reused files keep what they had.
fn record_csv_bytes(state: &mut State, parsed: &[bool], bytes: Vec<Vec<u64>>) {
    if !state.csv || bytes.iter().any(Vec::is_empty) && bytes.iter().any(|b| !b.is_empty()) {
        return;
    }
    let mut next = 0;
    for (file, &parsed) in state.files.iter_mut().zip(parsed) {
        if !parsed {
            continue;
        }
        for report in &mut file.reports {
            report.csv_bytes = bytes
                .iter()
                .map(|b| b.get(next).copied())
                .collect::<Option<Vec<u64>>>()
                .and_then(|v| <[u64; 6]>::try_from(v).ok());
            next += 1;
        }
    }
}

/// Records the CSV bytes of the reports of `state` that lack them, from the CSV files
/// `output` wrote ([`state::backfill_csv_bytes`]), once their carried bytes are in them.
pub(crate) fn backfill_csv_bytes_in(
    output: &mut Output,
    state: &mut State,
    config: &Config,
) -> Result<(), Error> {
    if !state::needs_csv_backfill(state) {
        return Ok(());
    }
    output.wait_for_csv().map_err(|source| Error::Output {
        path: config.out.clone(),
        source,
    })?;
    state::backfill_csv_bytes(output.temp_dir(), state).map_err(|source| Error::State {
        path: config.out.clone(),
        source,
    })
}

/// Runs the stages across reports on the finished per-report tables in `dir` (the
/// temporary directory of the run, so the derived tables are committed with the rest).
/// `previous`: the output this run replaces, when its memo may be reused; `fresh`: what
/// the run computed of the reports it parsed.
pub(crate) fn derive_in(
    dir: &Path,
    config: &Config,
    previous: Option<crate::derive::Previous>,
    fresh: crate::facts::Fresh,
) -> Result<Derived, Error> {
    derive_timed(config, || {
        crate::derive::derive(dir, &config.formats, &config.link, previous, fresh)
    })
}

/// The previous output's tables across reports, linked into `dir` (see
/// [`crate::derive::reuse`]); `None` when they cannot be, and they are computed instead.
fn reuse_derived_in(dir: &Path, config: &Config) -> Result<Option<Derived>, Error> {
    derive_timed(config, || {
        crate::derive::reuse(&config.out, dir, &config.formats)
    })
}

/// Runs `stage` of the tables across reports, timed, its error told against the output.
fn derive_timed<T>(
    config: &Config,
    stage: impl FnOnce() -> Result<T, crate::derive::DeriveError>,
) -> Result<T, Error> {
    let t = crate::timing::start();
    let out = stage().map_err(|source| Error::Derive {
        path: config.out.clone(),
        source,
    })?;
    crate::timing::record(crate::timing::Stage::Derive, t);
    Ok(out)
}

/// `nianbao stats`: recomputes the tables across reports of the existing output `dir` in
/// place (under its lock), in the formats its tables were written in, and records their
/// row counts in its manifest.
pub fn stats(dir: &Path, options: &link::Options) -> Result<Derived, Error> {
    check_link_options(options)?;
    let formats = crate::derive::formats_of(dir);
    if formats.is_empty() {
        return Err(Error::BadOption(format!(
            "{} has no reports table: is it the output of `nianbao build`?",
            dir.display()
        )));
    }
    let _lock = Lock::acquire(dir, |m| eprintln!("nianbao: warning: {m}"))?;
    let derive_err = |source| Error::Derive {
        path: dir.to_path_buf(),
        source,
    };
    // The state says how the tables across reports were computed, so that an incremental
    // build may reuse them: unknown while they are rewritten (a stats run stopped
    // part-way leaves some tables of each kind), then these thresholds. A state that
    // cannot be read is left alone: a build does not use it either.
    let mut state = State::load(dir).ok().flatten();
    let save = |state: &State| {
        write::replace_file(&dir.join(state::STATE_FILE), &state.to_json())
            .map_err(|e| derive_err(crate::derive::DeriveError::Write(e)))
    };
    if let Some(state) = &mut state {
        state.derived_with = None;
        save(state)?;
    }
    // Recomputed from the tables alone: `stats` is what a user runs when in doubt.
    let derived = crate::derive::derive(dir, &formats, options, None, Default::default())
        .map_err(derive_err)?;
    if let Some(state) = &mut state {
        state.derived_with = Some(DerivedWith::now(*options));
        save(state)?;
    }
    let manifest = dir.join(state::MANIFEST_FILE);
    if let Ok(bytes) = fs::read(&manifest) {
        if let Ok(mut json) = serde_json::from_slice::<serde_json::Value>(&bytes) {
            if let Some(tables) = json.get_mut("tables").and_then(|t| t.as_object_mut()) {
                for (name, n) in &derived.rows {
                    tables.insert(name.clone(), (*n).into());
                }
            }
            let mut bytes = serde_json::to_vec_pretty(&json).unwrap_or_default();
            bytes.push(b'\n');
            write::replace_file(&manifest, &bytes)
                .map_err(|e| derive_err(crate::derive::DeriveError::Write(e)))?;
        }
    }
    Ok(derived)
}

/// Checks the thresholds of the cross-year checks.
pub fn check_link_options(options: &link::Options) -> Result<(), Error> {
    if !(options.jump_factor.is_finite() && options.jump_factor > 1.0) {
        return Err(Error::BadOption(format!(
            "--jump-factor must be a number above 1, not {}",
            options.jump_factor
        )));
    }
    if options.jump_floor < 0 {
        return Err(Error::BadOption(format!(
            "--jump-floor must be 0 or more, not {}",
            options.jump_floor
        )));
    }
    Ok(())
}

/// Most unchanged files carried over in one slice per table (bounds the rows a slice
/// holds: ~256 × 200 rows).
const CARRY_RUN_FILES: usize = 256;

/// The manifest of a finished run.
pub(crate) fn manifest(
    corpus_root: String,
    config: &Config,
    shard: Option<String>,
    summary: &Summary,
) -> Manifest {
    Manifest {
        nianbao_version: env!("CARGO_PKG_VERSION"),
        parser_version: config.parser_version,
        schema_version: write::SCHEMA_VERSION,
        run_time: state::now_utc(),
        corpus_root,
        layout: config.layout,
        formats: config.formats.iter().map(|f| f.to_string()).collect(),
        shard,
        tables: TABLES
            .iter()
            .zip(&summary.rows)
            .map(|(t, n)| (t.name.to_string(), *n))
            .chain(summary.derived.rows.iter().cloned())
            .collect(),
        files: summary.counts,
    }
}

/// The previous output in `config.out`, when its rows can be reused: same parser and
/// schema version, Parquet tables present. A state that cannot be read means a full
/// build (with a warning), never a failed run.
fn previous_output(config: &Config) -> Option<Source> {
    let state = match State::load(&config.out) {
        Ok(state) => state?,
        Err(err) => {
            eprintln!("nianbao: warning: {err}; parsing every file");
            return None;
        }
    };
    if state.parser_version != config.parser_version
        || state.schema_version != write::SCHEMA_VERSION
    {
        return None;
    }
    Source::for_build(
        &config.out,
        state,
        config.layout,
        config.formats.contains(&Format::Parquet),
        config.formats.contains(&Format::Csv),
    )
}

/// The shard of a file: the BLAKE3 hash of its relative path modulo `n`.
pub fn shard_of(relative: &str, n: u64) -> u64 {
    let hash = blake3::hash(relative.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first) % n.max(1)
}

/// Prints the error of a failed report, above the progress bar.
fn report_failure(progress: &ProgressBar, report: &Report) {
    if report.status == Status::Failed {
        if let Some(f) = report
            .findings
            .iter()
            .find(|f| f.severity == Severity::Error)
        {
            progress.suspend(|| eprintln!("nianbao: {}: {}", report.source_path, f.message));
        }
    }
}

fn progress_bar(enabled: bool, len: usize) -> ProgressBar {
    if !enabled {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    // The template is a constant; should it ever be rejected the default style is fine.
    if let Ok(style) = ProgressStyle::with_template(
        "{elapsed_precise} [{wide_bar}] {pos}/{len} files ({per_sec}, eta {eta})",
    ) {
        bar.set_style(style);
    }
    bar
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (i, rel) in ["b/2.txt", "a.txt", "b/1.txt", "c/d/e.txt", "空.txt"]
            .iter()
            .enumerate()
        {
            let path = dir.path().join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(&path, format!("二〇二〇年 报告 {i}\n").repeat(i * 50)).unwrap();
        }
        fs::create_dir(dir.path().join("many")).unwrap();
        for i in 0..40 {
            fs::write(dir.path().join(format!("many/{i:03}.txt")), vec![b'x'; i]).unwrap();
        }
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dangling.txt"))
            .unwrap();
        dir
    }

    fn read_all(dir: &Path) -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (
                    e.file_name().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect();
        files.sort();
        files
    }

    #[test]
    fn same_csv_whatever_the_thread_count() {
        let corpus = corpus();
        let out = tempfile::tempdir().unwrap();
        let mut csvs = Vec::new();
        for (jobs, chunk) in [(1, 512), (2, 512), (2, 3)] {
            let mut config = Config::new(
                corpus.path(),
                out.path().join(format!("o{jobs}-{chunk}")),
                jobs,
            );
            config.formats = vec![Format::Csv];
            config.chunk_size = chunk;
            let summary = build(&config).unwrap();
            assert_eq!(summary.files, 46);
            // The tables; state.json and manifest.json (with its run time) aside.
            let mut files = read_all(&config.out);
            files.retain(|(name, _)| name.ends_with(".csv"));
            csvs.push(files);
        }
        assert_eq!(csvs[0].len(), TABLES.len() + write::DERIVED_TABLES.len());
        assert_eq!(csvs[0], csvs[1]);
        assert_eq!(csvs[0], csvs[2]);
        let reports = String::from_utf8(
            csvs[0]
                .iter()
                .find(|(n, _)| n == "reports.csv")
                .unwrap()
                .1
                .clone(),
        )
        .unwrap();
        let paths: Vec<&str> = reports
            .lines()
            .skip(1)
            .map(|l| l.split(',').nth(1).unwrap())
            .collect();
        let mut sorted = paths.clone();
        sorted.sort();
        assert_eq!(paths, sorted);
        assert_eq!(paths[0], "a.txt");
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_entry_is_a_failed_report() {
        let corpus = corpus();
        let out = tempfile::tempdir().unwrap();
        let config = Config::new(corpus.path(), out.path().join("out"), 2);
        let summary = build(&config).unwrap();
        assert_eq!(summary.statuses.get("failed"), Some(&1));
        assert!(summary.findings.get("error").is_some_and(|&n| n >= 1));
        let findings = fs::read_to_string(config.out.join("findings.csv")).unwrap();
        assert!(findings.contains("unreadable_entry"), "{findings}");
        let line = summary.to_string();
        assert!(line.starts_with("46 files in "), "{line}");
        assert!(line.contains(", failed 1; findings: error "), "{line}");
    }

    #[test]
    fn validation_happens_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("out");
        let missing = Config::new(dir.path().join("missing"), &out, 1);
        assert!(matches!(build(&missing), Err(Error::Corpus { .. })));
        let file = dir.path().join("f.txt");
        fs::write(&file, "x").unwrap();
        assert!(matches!(
            build(&Config::new(&file, &out, 1)),
            Err(Error::CorpusNotDir(_))
        ));
        assert!(matches!(
            build(&Config::new(dir.path(), &out, 0)),
            Err(Error::NoJobs)
        ));
        let mut no_formats = Config::new(dir.path(), &out, 1);
        no_formats.formats.clear();
        assert!(matches!(build(&no_formats), Err(Error::Output { .. })));
        let bad_parent = Config::new(dir.path(), dir.path().join("no/such/out"), 1);
        assert!(matches!(build(&bad_parent), Err(Error::Output { .. })));
        assert!(!out.exists());
    }
}
