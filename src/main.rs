//! The `nianbao` binary: parses arguments, runs the library, sets the exit code.
//!
//! Exit codes: 0 when the tables were written (even if some inputs were bad: those are
//! recorded in the tables), 2 when the run itself failed (bad arguments, output not
//! writable, output locked by another run).

mod cli;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use anyhow::Context;
use clap::Parser;

use cli::{BuildArgs, Command, MergeArgs, Opts, ParseArgs};
use nianbao::run::{self, Config};

fn main() -> ExitCode {
    let opts = Opts::parse();
    let result = match opts.command {
        Command::Build(args) => build(args),
        Command::Parse(args) => parse(args),
        Command::Merge(args) => merge(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("nianbao: {err:#}");
            ExitCode::from(2)
        }
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
    if let Some(v) = args.parser_version_override {
        config.parser_version = v;
    }
    if let Some(shard) = &args.shard {
        config.shard = Some(
            cli::parse_shard(shard)
                .with_context(|| format!("bad --shard {shard:?}: expected I/N with I < N"))?,
        );
    }
    let summary = run::build(&config).with_context(|| {
        format!(
            "building {} from {}",
            args.out.display(),
            args.corpus_dir.display()
        )
    })?;
    eprintln!("{summary}");
    Ok(())
}

fn merge(args: MergeArgs) -> anyhow::Result<()> {
    let mut config = Config::new(".", &args.out, 1);
    config.formats = args.formats.into_iter().map(Into::into).collect();
    config.layout = args.layout.into();
    let summary = nianbao::merge::merge(&args.inputs, &config)
        .with_context(|| format!("merging into {}", args.out.display()))?;
    eprintln!("{summary}");
    Ok(())
}

fn parse(args: ParseArgs) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(&args.file).with_context(|| format!("reading {}", args.file.display()))?;
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
