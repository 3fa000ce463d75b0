//! Command-line options (clap derive); the doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use nianbao::write::{Format, Layout};

/// Parse Chinese government information-disclosure annual reports
/// (政府信息公开工作年度报告) into Parquet and CSV tables.
#[derive(Debug, Parser)]
#[command(name = "nianbao", version, about)]
pub struct Opts {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Parse every file under CORPUS_DIR and write the output tables.
    Build(BuildArgs),
    /// Parse one file and print its report as JSON on stdout.
    Parse(ParseArgs),
    /// Combine the outputs of `build --shard I/N` runs into the tables one run would
    /// have written.
    Merge(MergeArgs),
}

/// Options of `nianbao build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Directory holding the reports (searched recursively; hidden directories skipped).
    pub corpus_dir: PathBuf,

    /// Output directory. It is replaced as a whole at the end of a successful run; an
    /// existing directory is only replaced if it holds nothing but nianbao tables.
    #[arg(long, value_name = "DIR", default_value = "./output")]
    pub out: PathBuf,

    /// Number of worker threads [default: number of CPUs].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Output formats, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "parquet,csv")]
    pub formats: Vec<FormatArg>,

    /// Parquet layout: one file per table, or Hive-style partitions by year
    /// (`NAME/year=2023/part-00000.parquet`). CSV is always one file per table.
    #[arg(long, value_enum, default_value = "single")]
    pub layout: LayoutArg,

    /// Parse every file, even those unchanged since the previous run in --out.
    #[arg(long)]
    pub full: bool,

    /// Process only shard I of N (0-based): the files whose relative path hashes to I
    /// modulo N. Combine the shard outputs with `nianbao merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,

    /// Record this parser version instead of the built-in one (tests simulate a parser
    /// change with it).
    #[arg(long, hide = true)]
    pub parser_version_override: Option<u32>,
}

/// Options of `nianbao merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output directories of `nianbao build --shard I/N` (with Parquet tables).
    #[arg(required = true)]
    pub inputs: Vec<PathBuf>,

    /// Output directory, replaced as a whole like that of `build`.
    #[arg(long, value_name = "DIR", default_value = "./output")]
    pub out: PathBuf,

    /// Output formats, comma-separated.
    #[arg(long, value_enum, value_delimiter = ',', default_value = "parquet,csv")]
    pub formats: Vec<FormatArg>,

    /// Parquet layout of the merged output.
    #[arg(long, value_enum, default_value = "single")]
    pub layout: LayoutArg,
}

/// A Parquet layout on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LayoutArg {
    /// One Parquet file per table.
    Single,
    /// Hive-style partitions by year.
    Partitioned,
}

impl From<LayoutArg> for Layout {
    fn from(l: LayoutArg) -> Self {
        match l {
            LayoutArg::Single => Layout::Single,
            LayoutArg::Partitioned => Layout::Partitioned,
        }
    }
}

/// Parses `I/N`.
pub fn parse_shard(s: &str) -> Option<(u64, u64)> {
    let (i, n) = s.split_once('/')?;
    let (i, n) = (i.trim().parse().ok()?, n.trim().parse().ok()?);
    (i < n).then_some((i, n))
}

/// Options of `nianbao parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// The file to parse; its `source_path` is this path as given.
    pub file: PathBuf,
}

/// An output format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Apache Parquet (zstd).
    Parquet,
    /// CSV with a header line.
    Csv,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Self {
        match f {
            FormatArg::Parquet => Format::Parquet,
            FormatArg::Csv => Format::Csv,
        }
    }
}
