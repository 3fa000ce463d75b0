//! `nianbao merge`: combine the outputs of shards (`build --shard I/N`) into the tables
//! one run over the whole corpus would have written.
//!
//! Every shard output carries its `state.json`, which lists its files in output order
//! with their rows per table. The merge sorts all files by path, as a single run does,
//! and carries each file's rows over from its shard ([`crate::state::Source`]); nothing
//! is parsed. The merged directory has its own state, so it can serve as the previous
//! output of a later incremental build.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::lock::Lock;
use crate::run::{manifest, Config, Error, Summary};
use crate::state::{self, Source, State};
use crate::write::{self, Format, Output};

/// Merges the outputs in `inputs` into `config.out` with `config`'s formats and layout
/// (`config.corpus`, `jobs` and `shard` are not used).
pub fn merge(inputs: &[PathBuf], config: &Config) -> Result<Summary, Error> {
    let start = Instant::now();
    if inputs.is_empty() {
        return Err(Error::Merge("no input directory given".into()));
    }
    let output_err = |source| Error::Output {
        path: config.out.clone(),
        source,
    };
    if config.formats.is_empty() {
        return Err(output_err(write::WriteError::NoFormats));
    }
    Output::check_target(&config.out).map_err(output_err)?;
    let _lock = Lock::acquire(&config.out, |m| eprintln!("nianbao: warning: {m}"))?;
    write::remove_stale_temp_dirs(&config.out).map_err(output_err)?;

    let mut sources = Vec::with_capacity(inputs.len());
    for dir in inputs {
        sources.push(open_source(dir)?);
    }
    let parser_version = sources[0].state.parser_version;
    if let Some(s) = sources
        .iter()
        .find(|s| s.state.parser_version != parser_version)
    {
        return Err(Error::Merge(format!(
            "parser versions differ ({} and {}); rebuild the shards with one version",
            parser_version, s.state.parser_version
        )));
    }

    // Every file of every shard, in the order a single run writes them.
    let mut files: Vec<(&str, usize, usize)> = Vec::new();
    for (s, source) in sources.iter().enumerate() {
        for (f, file) in source.state.files.iter().enumerate() {
            files.push((file.source_path.as_str(), s, f));
        }
    }
    files.sort_unstable();
    if let Some(w) = files.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::Merge(format!(
            "{} is in both {} and {}: the inputs overlap",
            w[0].0,
            inputs[w[0].1].display(),
            inputs[w[1].1].display()
        )));
    }
    let order: Vec<(usize, usize)> = files.iter().map(|&(_, s, f)| (s, f)).collect();

    let mut output = Output::create_with_layout(&config.out, &config.formats, config.layout)
        .map_err(output_err)?;
    let mut summary = Summary::default();
    let mut merged = State {
        parser_version,
        schema_version: write::SCHEMA_VERSION,
        layout: config.layout,
        parquet: config.formats.contains(&Format::Parquet),
        csv: config.formats.contains(&Format::Csv),
        // The shards' files were last checked by the earliest shard run.
        started_ns: sources
            .iter()
            .map(|s| s.state.started_ns)
            .min()
            .unwrap_or(0),
        derived_with: None,
        files: Vec::with_capacity(order.len()),
    };
    for (s, f) in order {
        let source = &mut sources[s];
        source.carry(f, &mut output).map_err(|err| Error::State {
            path: inputs[s].clone(),
            source: err,
        })?;
        let file = source.state.files[f].clone();
        file.reports.iter().for_each(|r| summary.add_state(r));
        summary.counts.reused += 1;
        merged.files.push(file);
    }
    summary.rows = output.finish_tables().map_err(output_err)?;
    crate::run::backfill_csv_bytes_in(&mut output, &mut merged, config)?;
    summary.derived = crate::run::derive_in(output.temp_dir(), config, None, Default::default())?;
    merged.derived_with = Some(state::DerivedWith::now(config.link));
    output
        .add_file(state::STATE_FILE, &merged.to_json())
        .map_err(output_err)?;
    let roots: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let mut config = config.clone();
    config.parser_version = parser_version;
    let manifest = manifest(roots.join(" "), &config, None, &summary);
    output
        .add_file(state::MANIFEST_FILE, &manifest.to_json())
        .map_err(output_err)?;
    output.commit().map_err(output_err)?;
    summary.seconds = start.elapsed().as_secs_f64();
    Ok(summary)
}

fn open_source(dir: &Path) -> Result<Source, Error> {
    let state = State::load(dir)
        .map_err(|source| Error::State {
            path: dir.to_path_buf(),
            source,
        })?
        .ok_or_else(|| {
            Error::Merge(format!(
                "{} has no {}: is it the output of `nianbao build`?",
                dir.display(),
                state::STATE_FILE
            ))
        })?;
    Source::new(dir, state).ok_or_else(|| {
        Error::Merge(format!(
            "{} has no Parquet tables (build the shards with --formats parquet,…)",
            dir.display()
        ))
    })
}
