//! The `nianbao` binary: parses arguments, runs the library, sets the exit code.
//!
//! Exit codes: 0 when the tables were written (even if some inputs were bad: those are
//! recorded in the tables), 2 when the run itself failed (bad arguments, output not
//! writable, output locked by another run); `eval` exits 1 when a threshold it was
//! given is not met.

mod cli;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{
    BuildArgs, Command, EvalArgs, MergeArgs, Opts, ParseArgs, ReportArgs, StatsArgs, SynthArgs,
    SynthFormatArg,
};
use nianbao::run::{self, Config};

fn main() -> ExitCode {
    forget_polars_settings();
    let opts = Opts::parse();
    let result = match opts.command {
        Command::Build(args) => build(args),
        Command::Parse(args) => parse(args),
        Command::Merge(args) => merge(args),
        Command::Synth(args) => synth(args),
        Command::Stats(args) => stats(args),
        Command::Report(args) => report(args),
        Command::Eval(args) => match eval(args) {
            Ok(true) => Ok(()),
            Ok(false) => return ExitCode::from(1),
            Err(e) => Err(e),
        },
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("nianbao: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Removes every `POLARS_*` variable from this process's environment. Polars reads them
/// when first used, and one left over from someone's Python session changes what nianbao
/// does behind its back: `POLARS_VERBOSE=1` prints query plans (`ESTIMATED ROWS: N`, …)
/// among nianbao's own messages on stderr, others switch engines, panic on errors or add
/// backtraces to messages. nianbao's tables and messages depend on its arguments alone.
fn forget_polars_settings() {
    let polars: Vec<_> = std::env::vars_os()
        .map(|(key, _)| key)
        .filter(|key| key.to_string_lossy().starts_with("POLARS_"))
        .collect();
    for key in polars {
        // Before any thread is started, so no other thread reads the environment meanwhile.
        std::env::remove_var(key);
    }
}

fn build(args: BuildArgs) -> anyhow::Result<()> {
    let jobs = match args.jobs {
        Some(n) => n,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut config = Config::new(&args.corpus_dir, &args.out, jobs);
    config.formats = args.formats.into_iter().map(Into::into).collect();
    config.progress = std::io::stderr().is_terminal();
    config.layout = args.layout.into();
    config.full = args.full;
    config.link = args.link.into();
    if let Some(v) = args.parser_version_override {
        config.parser_version = v;
    }
    if let Some(shard) = &args.shard {
        config.shard = Some(
            cli::parse_shard(shard)
                .with_context(|| format!("bad --shard {shard:?}: expected I/N with I < N"))?,
        );
    }
    if args.timings {
        nianbao::timing::enable();
    }
    let defaults = nianbao::limits::Limits::default();
    nianbao::limits::set(nianbao::limits::Limits {
        file_bytes: args.max_file_size.saturating_mul(1 << 20),
        pdf_timeout: std::time::Duration::from_secs(args.pdf_timeout.max(1)),
        archive_members: args.max_archive_members,
        archive_bytes: args.max_archive_size.saturating_mul(1 << 20),
        member_bytes: defaults
            .member_bytes
            .min(args.max_archive_size.saturating_mul(1 << 20)),
    });
    let summary = run::build(&config).with_context(|| {
        format!(
            "building {} from {}",
            args.out.display(),
            args.corpus_dir.display()
        )
    })?;
    eprintln!("{summary}");
    if args.timings {
        let stages: Vec<String> = nianbao::timing::totals()
            .iter()
            .map(|(stage, secs)| format!("{} {secs:.2}s", stage.name()))
            .collect();
        eprintln!("stage time (summed over threads): {}", stages.join(", "));
    }
    Ok(())
}

fn merge(args: MergeArgs) -> anyhow::Result<()> {
    let mut config = Config::new(".", &args.out, 1);
    config.formats = args.formats.into_iter().map(Into::into).collect();
    config.layout = args.layout.into();
    config.link = args.link.into();
    let summary = nianbao::merge::merge(&args.inputs, &config)
        .with_context(|| format!("merging into {}", args.out.display()))?;
    eprintln!("{summary}");
    Ok(())
}

fn stats(args: StatsArgs) -> anyhow::Result<()> {
    let derived = run::stats(&args.dir, &args.link.into())?;
    let rows: Vec<String> = derived
        .rows
        .iter()
        .map(|(table, n)| format!("{table} {n}"))
        .collect();
    let findings: Vec<String> = nianbao::link::CHECKS
        .iter()
        .map(|c| format!("{c} {}", derived.findings.get(*c).copied().unwrap_or(0)))
        .collect();
    eprintln!(
        "rows: {}; duplicates: {} groups; across reports: {}",
        rows.join(", "),
        derived.duplicate_groups,
        findings.join(", ")
    );
    Ok(())
}

fn report(args: ReportArgs) -> anyhow::Result<()> {
    let written = nianbao::publish::report::publish(&args.dir, &args.out).with_context(|| {
        format!(
            "writing the report of {} into {}",
            args.dir.display(),
            args.out.display()
        )
    })?;
    eprintln!(
        "wrote {} and {} ({} charts)",
        written.html.display(),
        written.markdown.display(),
        written.charts
    );
    Ok(())
}

fn parse(args: ParseArgs) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
    if args.text {
        let doc = nianbao::read::read(&bytes, &args.file.to_string_lossy());
        for f in &doc.findings {
            eprintln!("{}: {}: {}", f.severity.code(), f.check, f.message);
        }
        let mut stdout = std::io::stdout().lock();
        write!(stdout, "{}", doc.text).context("writing to stdout")?;
        return Ok(());
    }
    let reports = run::parse_bytes(&bytes, &args.file.to_string_lossy());
    // One document prints as an object; an archive as an array of its members.
    let json = if reports.len() == 1 {
        serde_json::to_string_pretty(&reports[0])
    } else {
        serde_json::to_string_pretty(&reports)
    }
    .context("serialising the report")?;
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "{json}").context("writing to stdout")?;
    Ok(())
}

fn set_jobs(jobs: Option<usize>) -> anyhow::Result<()> {
    if let Some(n) = jobs {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("starting the worker threads")?;
    }
    Ok(())
}

fn synth(args: SynthArgs) -> anyhow::Result<()> {
    use nianbao::synth::{self, Options, SynthFormat};
    use rayon::prelude::*;
    anyhow::ensure!(
        (0.0..=1.0).contains(&args.defect_rate),
        "--defect-rate must be between 0 and 1, not {}",
        args.defect_rate
    );
    if std::fs::read_dir(&args.out).is_ok_and(|mut d| d.next().is_some()) {
        anyhow::bail!(
            "{} exists and is not empty; synth writes a new corpus only into an empty or new directory",
            args.out.display()
        );
    }
    let options = Options {
        seed: args.seed,
        defect_rate: args.defect_rate,
        formats: args
            .formats
            .iter()
            .map(|f| match f {
                SynthFormatArg::Text => SynthFormat::Text,
                SynthFormatArg::Html => SynthFormat::Html,
                SynthFormatArg::Docx => SynthFormat::Docx,
            })
            .collect(),
        panel: args.panel_years,
    };
    // Written beside the target and renamed into place, so an interrupted run leaves no
    // half corpus behind.
    let parent = match args.out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).with_context(|| format!("creating {}", parent.display()))?;
    let tmp = tempfile::Builder::new()
        .prefix(".nianbao-synth-")
        .tempdir_in(&parent)
        .with_context(|| format!("creating a temporary directory in {}", parent.display()))?;
    let started = std::time::Instant::now();
    let (files, bytes) = (0..args.reports)
        .into_par_iter()
        .map(|i| -> anyhow::Result<(u64, u64)> {
            let mut n = (0, 0);
            for file in synth::report(&options, i) {
                let path = tmp.path().join(&file.path);
                if let Some(dir) = path.parent() {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("creating {}", dir.display()))?;
                }
                std::fs::write(&path, &file.bytes)
                    .with_context(|| format!("writing {}", path.display()))?;
                if !args.no_truth {
                    let truth = serde_json::to_string_pretty(&file.truth)? + "\n";
                    let tpath = tmp.path().join(file.truth_path());
                    std::fs::write(&tpath, truth)
                        .with_context(|| format!("writing {}", tpath.display()))?;
                }
                n.0 += 1;
                n.1 += file.bytes.len() as u64;
            }
            Ok(n)
        })
        .try_reduce(|| (0, 0), |a, b| Ok((a.0 + b.0, a.1 + b.1)))?;
    if args.out.exists() {
        std::fs::remove_dir(&args.out)
            .with_context(|| format!("replacing the empty {}", args.out.display()))?;
    }
    let kept = tmp.keep();
    std::fs::rename(&kept, &args.out)
        .with_context(|| format!("moving the corpus into {}", args.out.display()))?;
    eprintln!(
        "nianbao synth: {} reports, {files} files, {:.1} MB in {} ({:.1}s)",
        args.reports,
        bytes as f64 / 1e6,
        args.out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Runs an evaluation; Ok(false) when a threshold is not met.
fn eval(args: EvalArgs) -> anyhow::Result<bool> {
    set_jobs(args.jobs)?;
    let evaluation = nianbao::eval::evaluate(&args.gold_dir, args.truth.as_deref())
        .with_context(|| format!("evaluating {}", args.gold_dir.display()))?;
    let mut stdout = std::io::stdout().lock();
    if args.json {
        let json = serde_json::to_string_pretty(&evaluation).context("serialising")?;
        writeln!(stdout, "{json}").context("writing to stdout")?;
    } else {
        write!(stdout, "{}", nianbao::eval::render(&evaluation, 50))
            .context("writing to stdout")?;
    }
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
        let json = serde_json::to_string_pretty(&evaluation).context("serialising")?;
        std::fs::write(dir.join("eval.json"), json + "\n").context("writing eval.json")?;
        let mut csv =
            csv::Writer::from_path(dir.join("misses.csv")).context("writing misses.csv")?;
        csv.write_record(["file", "key", "gold", "ours", "outcome"])?;
        for m in &evaluation.misses {
            let outcome = serde_json::to_value(m.outcome)?;
            csv.write_record([
                m.file.as_str(),
                &m.key,
                &m.gold,
                &m.ours,
                outcome.as_str().unwrap_or(""),
            ])?;
        }
        csv.flush().context("writing misses.csv")?;
    }
    let gates = nianbao::eval::Gates {
        min_accuracy: args.min_accuracy,
        max_silent: args.max_silent,
        max_lost: args.max_lost,
        max_agency_wrong: args.max_agency_wrong,
    };
    let failed = evaluation.failed_gates(&gates);
    for why in &failed {
        eprintln!("nianbao eval: {why}");
    }
    Ok(failed.is_empty())
}
