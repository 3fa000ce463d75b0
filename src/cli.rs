//! Command-line options (clap derive); the doc comments are the help text.

use nianbao::limits;
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
    /// Write synthetic reports with known truth (NAME.gold.json beside each document):
    /// test corpora for `eval` and benchmarks.
    Synth(SynthArgs),
    /// Parse the documents of a gold folder and score them against their NAME.gold.json
    /// files: accuracy, silent errors (wrong numbers without a finding), breakdowns.
    Eval(EvalArgs),
    /// Recompute the tables across reports of an output directory (report_groups,
    /// cross_findings, aggregates) in place, e.g. with other --jump-* thresholds. `build`
    /// and `merge` already write them.
    Stats(StatsArgs),
    /// Write the published report of an output directory: a self-contained HTML page
    /// with SVG charts (national trends, provinces, agency kinds, data quality) and the
    /// same in Markdown.
    Report(ReportArgs),
}

/// Thresholds of the checks across years (`cross_findings`).
#[derive(Debug, Clone, Copy, Args)]
pub struct LinkArgs {
    /// A change of requests received or processed by more than this factor from one year
    /// to the next is a `year_on_year_jump` warning.
    #[arg(long, value_name = "FACTOR", default_value_t = 10.0)]
    pub jump_factor: f64,

    /// Jumps are only flagged when the larger of the two years has at least this many
    /// requests (3 → 40 is noise).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pub jump_floor: i64,
}

impl From<LinkArgs> for nianbao::link::Options {
    fn from(a: LinkArgs) -> Self {
        nianbao::link::Options {
            jump_factor: a.jump_factor,
            jump_floor: a.jump_floor,
        }
    }
}

/// Options of `nianbao stats`.
#[derive(Debug, Args)]
pub struct StatsArgs {
    /// An output directory of `nianbao build` or `nianbao merge`.
    pub dir: PathBuf,

    /// Cross-year thresholds.
    #[command(flatten)]
    pub link: LinkArgs,
}

/// Options of `nianbao report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// An output directory of `nianbao build` or `nianbao merge`.
    pub dir: PathBuf,

    /// Where to write index.html, report.md and charts/*.svg (created or replaced).
    #[arg(long, value_name = "DIR", default_value = "./site")]
    pub out: PathBuf,
}

/// Options of `nianbao synth`.
#[derive(Debug, Args)]
pub struct SynthArgs {
    /// Output directory (created; files go into subdirectories of 1,000 reports).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// Number of reports.
    #[arg(long, default_value_t = 1000)]
    pub reports: u64,

    /// Seed: the same seed and count give the same files, byte for byte.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Share of reports with one defect (truncated, extra or missing number, broken
    /// balance, garbled row, duplicate file, pre-2019 report, not a report), 0–1.
    #[arg(long, default_value_t = 0.1)]
    pub defect_rate: f64,

    /// Formats to write, comma-separated.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        default_value = "text,html,docx"
    )]
    pub formats: Vec<SynthFormatArg>,

    /// Do not write the .gold.json truth files (a corpus for benchmarks only).
    #[arg(long)]
    pub no_truth: bool,

    /// Panel mode, for the cross-report checks: every N consecutive reports are the N
    /// consecutive years of one agency (2–6, all within 2019–2024), each year's carried-over
    /// applications are the previous year's carried-forward ones, and the defects are a
    /// broken balance, duplicate files, a break in that continuity, the same report in a
    /// second format and a corrected copy with one value moved. --reports counts all
    /// reports, not agencies.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(2..=6))]
    pub panel_years: Option<u32>,
}

/// A synthetic format on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SynthFormatArg {
    /// Plain text in the text layouts and encodings.
    Text,
    /// HTML pages with rowspan/colspan tables.
    Html,
    /// Word documents with gridSpan/vMerge tables.
    Docx,
}

/// Options of `nianbao eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Folder of documents with NAME.gold.json beside each (searched recursively).
    pub gold_dir: PathBuf,

    /// Read the NAME.gold.json files from here (same relative paths) instead of beside
    /// the documents.
    #[arg(long, value_name = "DIR")]
    pub truth: Option<PathBuf>,

    /// Also write eval.json and misses.csv (every key not read correctly) here.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Print the evaluation as JSON instead of a table.
    #[arg(long)]
    pub json: bool,

    /// Fail (exit 1) when cell accuracy is below this percentage.
    #[arg(long, value_name = "PERCENT")]
    pub min_accuracy: Option<f64>,

    /// Fail (exit 1) when there are more silent errors than this.
    #[arg(long, value_name = "N")]
    pub max_silent: Option<usize>,

    /// Fail (exit 1) when more reports than this (gold kind `report`) are read as another
    /// kind, flagged or not.
    #[arg(long, value_name = "N")]
    pub max_lost: Option<usize>,

    /// Fail (exit 1) when more agencies than this (where the gold states one) are read
    /// as another agency or not at all, flagged or not.
    #[arg(long, value_name = "N")]
    pub max_agency_wrong: Option<usize>,

    /// Number of worker threads [default: number of CPUs].
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,
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

    /// Files larger than this many mebibytes are not read (a `limit_exceeded` finding).
    #[arg(long, value_name = "MiB", default_value_t = limits::DEFAULT_FILE_MIB)]
    pub max_file_size: u64,

    /// Seconds `pdftotext` may spend on one PDF before it is stopped (`pdf_timeout`).
    #[arg(long, value_name = "SECS", default_value_t = limits::DEFAULT_PDF_TIMEOUT_SECS)]
    pub pdf_timeout: u64,

    /// Zip archives: most members read from one archive.
    #[arg(long, value_name = "N", default_value_t = limits::DEFAULT_ARCHIVE_MEMBERS)]
    pub max_archive_members: usize,

    /// Zip archives: most mebibytes all members together may unpack to (zip bombs).
    #[arg(long, value_name = "MiB", default_value_t = limits::DEFAULT_ARCHIVE_MIB)]
    pub max_archive_size: u64,

    /// Print the time spent in each pipeline stage (summed over worker threads) after
    /// the summary.
    #[arg(long)]
    pub timings: bool,

    /// Cross-year thresholds.
    #[command(flatten)]
    pub link: LinkArgs,

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

    /// Cross-year thresholds.
    #[command(flatten)]
    pub link: LinkArgs,
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
    /// Print the text the format's reader made of the file (tables as tab-separated
    /// rows, a PDF's or OFD's pages laid out) instead of the report: what the parser
    /// reads, to see why a document reads as it does.
    #[arg(long)]
    pub text: bool,
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
