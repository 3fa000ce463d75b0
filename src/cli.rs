//! Command-line options (clap derive); the doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use nianbao::write::Format;

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
