//! `nianbao report`: the published report of an output directory, as one self-contained
//! HTML page (inline SVG charts and CSS, nothing fetched when it is opened) and the same
//! sections in Markdown beside it (`report.md`, linking `charts/*.svg`).
//!
//! Every figure comes from the `aggregates` table (rolled up with polars: counts summed,
//! rates recomputed from the sums) and the findings tables; each chart has its table
//! beside it, so a reader can quote the number rather than read it off a bar.

use crate::aggregate::{APPLICATION_FIGURES, REVIEW_FIGURES};
use crate::chart::{self, esc as escape, Bar, BarChart, LineChart, Series};
use crate::dataset::{self, polars_err, DatasetError};
use polars::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

/// Why the report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// Reading the tables.
    #[error(transparent)]
    Dataset(#[from] DatasetError),
    /// Writing a file of the site.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// Writing a file of the site.
    #[error(transparent)]
    Write(crate::write::WriteError),
    /// The site directory holds files the report does not write.
    #[error(
        "{0} exists and holds {1:?}, which `nianbao report` did not write; choose another --out"
    )]
    NotOurs(PathBuf, String),
}

/// What was written.
#[derive(Debug, Clone)]
pub struct Written {
    /// `index.html`.
    pub html: PathBuf,
    /// `report.md`.
    pub markdown: PathBuf,
    /// Number of SVG charts.
    pub charts: usize,
}

/// A table of the report: header and rows of display text.
#[derive(Debug, Clone, Default)]
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// One section: a heading, a sentence on what it shows, charts, a table.
#[derive(Debug, Clone, Default)]
struct Section {
    id: &'static str,
    title: String,
    intro: String,
    /// (file stem, SVG).
    charts: Vec<(String, String)>,
    table: Table,
}

/// Summed figures of a set of `aggregates` rows.
#[derive(Debug, Clone, Default)]
struct Figures {
    key: Option<String>,
    reports: i64,
    agencies: i64,
    applications_coverage: i64,
    review_coverage: i64,
    /// Figure column → sum (None when no complete table contributed).
    sums: BTreeMap<&'static str, Option<i64>>,
}

impl Figures {
    fn get(&self, name: &str) -> Option<i64> {
        self.sums.get(name).copied().flatten()
    }

    fn ratio(&self, num: &[&str], den: &str) -> Option<f64> {
        let den = self.get(den)?;
        let mut total = 0;
        for n in num {
            total += self.get(n)?;
        }
        (den > 0).then(|| total as f64 / den as f64)
    }

    fn grant_rate(&self) -> Option<f64> {
        self.ratio(&["granted"], "processed")
    }

    fn disclosure_rate(&self) -> Option<f64> {
        self.ratio(&["granted", "partly_granted"], "processed")
    }

    fn review_rate(&self) -> Option<f64> {
        self.ratio(&["review_corrected"], "review_decided")
    }

    fn litigation_rate(&self) -> Option<f64> {
        self.ratio(&["litigation_corrected"], "litigation_decided")
    }
}

fn figure_names() -> impl Iterator<Item = &'static str> {
    APPLICATION_FIGURES
        .iter()
        .map(|(n, _)| *n)
        .chain(REVIEW_FIGURES.iter().map(|(n, _)| *n))
}

/// Rolls `aggregates` up by `key` (a column name; the key value is shown as text), over
/// the rows `filter` keeps, with polars; rows come back sorted by key, nulls last.
fn rollup(agg: &DataFrame, key: &str, filter: Expr) -> Result<Vec<Figures>, DatasetError> {
    // Cast first: read back from CSV, a column that is all blank comes in as text.
    let sum = |n: &str| col(n).cast(DataType::Int64).sum().alias(n);
    let mut sums = vec![
        sum("reports"),
        sum("agencies"),
        sum("applications_coverage"),
        sum("review_coverage"),
    ];
    sums.extend(figure_names().map(sum));
    let df = agg
        .clone()
        .lazy()
        .filter(filter)
        .group_by([col(key).cast(DataType::String).alias("key")])
        .agg(sums)
        .sort(
            ["key"],
            SortMultipleOptions::default().with_nulls_last(true),
        )
        .collect()
        .map_err(polars_err(format!("rolling aggregates up by {key}")))?;
    let keys = dataset::strings(&df, "key")?;
    let int = |name: &str| dataset::integers(&df, name);
    let reports = int("reports")?;
    let agencies = int("agencies")?;
    let app_cov = int("applications_coverage")?;
    let rev_cov = int("review_coverage")?;
    let mut columns = BTreeMap::new();
    for name in figure_names() {
        columns.insert(name, int(name)?);
    }
    Ok((0..df.height())
        .map(|i| {
            let applications_coverage = app_cov[i].unwrap_or(0);
            let review_coverage = rev_cov[i].unwrap_or(0);
            let sums = columns
                .iter()
                .map(|(name, values)| {
                    let covered = if REVIEW_FIGURES.iter().any(|(n, _)| n == name) {
                        review_coverage
                    } else {
                        applications_coverage
                    };
                    // A sum over no complete table is unknown, not 0.
                    (*name, values[i].filter(|_| covered > 0))
                })
                .collect();
            Figures {
                key: keys[i].map(str::to_string),
                reports: reports[i].unwrap_or(0),
                agencies: agencies[i].unwrap_or(0),
                applications_coverage,
                review_coverage,
                sums,
            }
        })
        .collect())
}

fn count(n: Option<i64>) -> String {
    // Counts of requests are far below 2^53: exact as f64.
    n.map_or_else(|| "–".into(), |n| crate::chart::group(n as f64, 0))
}

fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "–".into(), |r| format!("{:.1}%", r * 100.0))
}

fn share(part: i64, whole: i64) -> String {
    if whole == 0 {
        "–".into()
    } else {
        format!("{part} of {whole}")
    }
}

/// The year the comparisons show: the most recent year with at least half as many
/// complete section-三 tables as the best-covered year (a scrape early in the year holds
/// a few of that year's reports, too few to compare provinces on).
fn latest_year(years: &[Figures]) -> Option<String> {
    let best = years
        .iter()
        .filter(|f| f.key.is_some())
        .map(|f| f.applications_coverage)
        .max()?;
    years
        .iter()
        .filter(|f| best > 0 && f.applications_coverage * 2 >= best)
        .filter_map(|f| f.key.clone())
        .next_back()
}

fn national(years: &[Figures]) -> Section {
    // Reports of unknown year are in the table, not on a time axis.
    let dated: Vec<&Figures> = years.iter().filter(|f| f.key.is_some()).collect();
    let labels: Vec<String> = dated
        .iter()
        .map(|f| f.key.clone().unwrap_or_default())
        .collect();
    let series = |name: &str, f: &dyn Fn(&Figures) -> Option<f64>| Series {
        name: name.into(),
        values: dated.iter().map(|x| f(x)).collect(),
    };
    let requests = chart::line_chart(&LineChart {
        title: "Requests received and processed, by year".into(),
        x_labels: labels.clone(),
        series: vec![
            series("received (new)", &|f| {
                f.get("new_received").map(|v| v as f64)
            }),
            series("processed", &|f| f.get("processed").map(|v| v as f64)),
        ],
        y_label: "requests".into(),
        percent: false,
    });
    let rates = chart::line_chart(&LineChart {
        title: "How requests were answered, by year".into(),
        x_labels: labels.clone(),
        series: vec![
            series("granted", &Figures::grant_rate),
            series("granted in full or part", &Figures::disclosure_rate),
            series("review corrected", &Figures::review_rate),
            series("litigation corrected", &Figures::litigation_rate),
        ],
        y_label: "share".into(),
        percent: true,
    });
    let table = Table {
        header: [
            "year",
            "reports",
            "agencies",
            "complete §3 tables",
            "received",
            "processed",
            "granted",
            "partly granted",
            "withheld",
            "unavailable",
            "declined",
            "grant rate",
            "review cases",
            "review corrected",
            "litigation cases",
            "litigation corrected",
        ]
        .map(String::from)
        .to_vec(),
        rows: years
            .iter()
            .map(|f| {
                vec![
                    f.key.clone().unwrap_or_else(|| "(year unknown)".into()),
                    count(Some(f.reports)),
                    count(Some(f.agencies)),
                    share(f.applications_coverage, f.reports),
                    count(f.get("new_received")),
                    count(f.get("processed")),
                    count(f.get("granted")),
                    count(f.get("partly_granted")),
                    count(f.get("withheld")),
                    count(f.get("unavailable")),
                    count(f.get("declined")),
                    percent(f.grant_rate()),
                    count(f.get("review_total")),
                    percent(f.review_rate()),
                    count(f.get("litigation_total")),
                    percent(f.litigation_rate()),
                ]
            })
            .collect(),
    };
    Section {
        id: "national",
        title: "National trends".into(),
        intro: "All primary reports of each year (one report per agency and year; duplicate \
                files counted once). Figures are sums over the reports whose table was read \
                complete; rates are ratios of those sums."
            .into(),
        charts: vec![
            ("national_requests".into(), requests),
            ("national_rates".into(), rates),
        ],
        table,
    }
}

/// A comparison across `key` values in one year: received and grant rate.
fn compared(
    id: &'static str,
    title: &str,
    what: &str,
    year: &str,
    rows: &[Figures],
    unknown: &str,
) -> Section {
    let label = |f: &Figures| f.key.clone().unwrap_or_else(|| unknown.to_string());
    let received = chart::bar_chart(&BarChart {
        title: format!("Requests received, {year}, by {what}"),
        bars: rows
            .iter()
            .map(|f| Bar {
                label: label(f),
                value: f.get("new_received").map(|v| v as f64),
            })
            .collect(),
        x_label: "requests".into(),
        percent: false,
    });
    let granted = chart::bar_chart(&BarChart {
        title: format!("Share of processed requests granted, {year}, by {what}"),
        bars: rows
            .iter()
            .map(|f| Bar {
                label: label(f),
                value: f.grant_rate(),
            })
            .collect(),
        x_label: "granted / processed".into(),
        percent: true,
    });
    let table = Table {
        header: [
            what,
            "reports",
            "agencies",
            "complete §3 tables",
            "received",
            "received per complete report",
            "processed",
            "grant rate",
            "review corrected",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|f| {
                let per = f
                    .get("new_received")
                    .filter(|_| f.applications_coverage > 0)
                    .map(|v| format!("{:.1}", v as f64 / f.applications_coverage as f64))
                    .unwrap_or_else(|| "–".into());
                vec![
                    label(f),
                    count(Some(f.reports)),
                    count(Some(f.agencies)),
                    share(f.applications_coverage, f.reports),
                    count(f.get("new_received")),
                    per,
                    count(f.get("processed")),
                    percent(f.grant_rate()),
                    percent(f.review_rate()),
                ]
            })
            .collect(),
    };
    Section {
        id,
        title: title.into(),
        intro: format!(
            "Primary reports of {year}: the latest year with at least half as many complete \
             section-三 tables as the best-covered year."
        ),
        charts: vec![
            (format!("{id}_received"), received),
            (format!("{id}_grant_rate"), granted),
        ],
        table,
    }
}

/// Findings by check and severity, per-report and across reports.
fn quality(dir: &Path, years: &[Figures]) -> Result<Section, DatasetError> {
    let by_check = |table: &str| -> Result<Vec<(String, String, i64)>, DatasetError> {
        let df = dataset::collect(dir, table, |lf| {
            lf.group_by([col("check"), col("severity")])
                .agg([len().cast(DataType::Int64).alias("n")])
                .sort(
                    ["n", "check", "severity"],
                    SortMultipleOptions::default()
                        .with_order_descending_multi([true, false, false]),
                )
        })?;
        let checks = dataset::strings(&df, "check")?;
        let severities = dataset::strings(&df, "severity")?;
        let n = dataset::integers(&df, "n")?;
        Ok((0..df.height())
            .map(|i| {
                (
                    checks[i].unwrap_or_default().to_string(),
                    severities[i].unwrap_or_default().to_string(),
                    n[i].unwrap_or(0),
                )
            })
            .collect())
    };
    let mut rows: Vec<(String, String, i64, &str)> = by_check("findings")?
        .into_iter()
        .map(|(c, s, n)| (c, s, n, "report"))
        .chain(
            by_check("cross_findings")?
                .into_iter()
                .map(|(c, s, n)| (c, s, n, "across reports")),
        )
        .filter(|(_, s, _, _)| s != "info")
        .collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| (&a.0, &a.1).cmp(&(&b.0, &b.1))));
    let chart = chart::bar_chart(&BarChart {
        title: "Findings by check (errors and warnings)".into(),
        bars: rows
            .iter()
            .take(20)
            .map(|(c, s, n, _)| Bar {
                label: format!("{c} ({s})"),
                value: Some(*n as f64),
            })
            .collect(),
        x_label: "findings".into(),
        percent: false,
    });
    let years: Vec<&Figures> = years.iter().filter(|f| f.key.is_some()).collect();
    let coverage = chart::line_chart(&LineChart {
        title: "Primary reports with a complete table, by year".into(),
        x_labels: years
            .iter()
            .map(|f| f.key.clone().unwrap_or_default())
            .collect(),
        series: vec![
            Series {
                name: "section 三 (applications)".into(),
                values: years
                    .iter()
                    .map(|f| {
                        (f.reports > 0).then(|| f.applications_coverage as f64 / f.reports as f64)
                    })
                    .collect(),
            },
            Series {
                name: "section 四 (review, litigation)".into(),
                values: years
                    .iter()
                    .map(|f| (f.reports > 0).then(|| f.review_coverage as f64 / f.reports as f64))
                    .collect(),
            },
        ],
        y_label: "share of reports".into(),
        percent: true,
    });
    Ok(Section {
        id: "quality",
        title: "Data quality".into(),
        intro: "What the checks found. An error is a value lost or not trusted (null in the \
                tables); a warning is something to look at while the values stay as printed \
                (the report's own arithmetic, duplicates or years that disagree)."
            .into(),
        charts: vec![
            ("quality_findings".into(), chart),
            ("quality_coverage".into(), coverage),
        ],
        table: Table {
            header: ["check", "severity", "findings", "about"]
                .map(String::from)
                .to_vec(),
            rows: rows
                .iter()
                .map(|(c, s, n, about)| {
                    vec![c.clone(), s.clone(), count(Some(*n)), about.to_string()]
                })
                .collect(),
        },
    })
}

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

const STYLE: &str =
    "body{font-family:sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}\
h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
.charts{display:flex;flex-wrap:wrap;gap:1em}.charts figure{margin:0}\
table{border-collapse:collapse;font-size:.85em;margin-top:1em}\
th,td{border:1px solid #ccc;padding:.25em .5em;text-align:right}\
th:first-child,td:first-child{text-align:left}th{background:#f3f3f3}\
nav a{margin-right:1em}.note{color:#555;font-size:.9em}";

fn html(title: &str, lead: &str, sections: &[Section]) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n\
         <p class=\"note\">{}</p>\n<nav>",
        escape(title),
        escape(title),
        escape(lead)
    );
    for s in sections {
        let _ = write!(out, "<a href=\"#{}\">{}</a>", s.id, escape(&s.title));
    }
    out.push_str("</nav>\n");
    for s in sections {
        let _ = write!(
            out,
            "<section id=\"{}\">\n<h2>{}</h2>\n<p>{}</p>\n<div class=\"charts\">\n",
            s.id,
            escape(&s.title),
            escape(&s.intro)
        );
        for (_, svg) in &s.charts {
            let _ = writeln!(out, "<figure>{svg}</figure>");
        }
        out.push_str("</div>\n<table>\n<thead><tr>");
        for h in &s.table.header {
            let _ = write!(out, "<th>{}</th>", escape(h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &s.table.rows {
            out.push_str("<tr>");
            for c in row {
                let _ = write!(out, "<td>{}</td>", escape(c));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n</section>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn markdown(title: &str, lead: &str, sections: &[Section]) -> String {
    let mut out = format!("# {title}\n\n{lead}\n");
    for s in sections {
        let _ = write!(out, "\n## {}\n\n{}\n\n", s.title, s.intro);
        for (stem, _) in &s.charts {
            let _ = writeln!(out, "![{stem}](charts/{stem}.svg)\n");
        }
        let header: Vec<String> = s.table.header.iter().map(|h| md_cell(h)).collect();
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let rule: Vec<&str> = (0..header.len())
            .map(|i| if i == 0 { "---" } else { "---:" })
            .collect();
        let _ = writeln!(out, "| {} |", rule.join(" | "));
        for row in &s.table.rows {
            let cells: Vec<String> = row.iter().map(|c| md_cell(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    }
    out
}

/// The files `publish` writes (besides `charts/*.svg`): a site directory holding
/// anything else is not replaced.
const SITE_FILES: [&str; 3] = ["index.html", "report.md", "charts"];

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), PublishError> {
    crate::write::replace_file(path, bytes).map_err(PublishError::Write)
}

/// Writes the report of output directory `dir` into `out`.
pub fn publish(dir: &Path, out: &Path) -> Result<Written, PublishError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| PublishError::Io { path, source }
    };
    let agg = dataset::collect(dir, "aggregates", |lf| lf)?;
    let all = lit(true);
    let years = rollup(&agg, "year", all)?;
    let latest = latest_year(&years);
    let mut sections = vec![national(&years)];
    if let Some(year) = &latest {
        let in_year = col("year").cast(DataType::String).eq(lit(year.as_str()));
        let provinces = rollup(&agg, "province", in_year.clone())?;
        sections.push(compared(
            "provinces",
            "Provinces compared",
            "province",
            year,
            &provinces,
            "(not placed)",
        ));
        let levels = rollup(&agg, "level", in_year.clone())?;
        sections.push(compared(
            "levels",
            "Levels of government compared",
            "level",
            year,
            &levels,
            "(not placed)",
        ));
        let mut kinds = rollup(&agg, "agency_kind", in_year)?;
        for f in &mut kinds {
            // 公安局/公安厅 (public_security): readable, and the code a query needs.
            f.key = f
                .key
                .take()
                .map(|code| match crate::agency::kind_label(&code) {
                    Some(label) => format!("{label} ({code})"),
                    None => code,
                });
        }
        sections.push(compared(
            "kinds",
            "Agency kinds compared",
            "agency kind",
            year,
            &kinds,
            "(unknown)",
        ));
    }
    sections.push(quality(dir, &years)?);

    let reports: i64 = years.iter().map(|f| f.reports).sum();
    let title = "Government information disclosure: annual reports in figures";
    let lead = format!(
        "{} primary reports from {}. Generated by nianbao {} from the tables in {}.",
        count(Some(reports)),
        match (years.first().and_then(|f| f.key.clone()), latest.as_ref()) {
            (Some(first), Some(last)) if first != *last => format!("{first} to {last}"),
            (Some(first), _) => first,
            _ => "no year".into(),
        },
        env!("CARGO_PKG_VERSION"),
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| dir.display().to_string())
    );

    if out.exists() {
        for entry in fs::read_dir(out).map_err(io(out))? {
            let name = entry
                .map_err(io(out))?
                .file_name()
                .to_string_lossy()
                .into_owned();
            // `.index.html.partial`: what a killed run left of one of ours.
            if !SITE_FILES.contains(&crate::write::settled_name(&name)) {
                return Err(PublishError::NotOurs(out.to_path_buf(), name));
            }
        }
    }
    let charts = out.join("charts");
    fs::create_dir_all(&charts).map_err(io(&charts))?;
    let mut written = std::collections::BTreeSet::new();
    for s in &sections {
        for (stem, svg) in &s.charts {
            let name = format!("{stem}.svg");
            write_atomic(&charts.join(&name), svg.as_bytes())?;
            written.insert(name);
        }
    }
    // Charts of an earlier report that this one does not have (a section it had then).
    for entry in fs::read_dir(&charts).map_err(io(&charts))? {
        let path = entry.map_err(io(&charts))?.path();
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let ours = name.ends_with(".svg") || name.ends_with(".partial");
        if ours && !written.contains(&name) {
            fs::remove_file(&path).map_err(io(&path))?;
        }
    }
    let n = written.len();
    let markdown_path = out.join("report.md");
    write_atomic(&markdown_path, markdown(title, &lead, &sections).as_bytes())?;
    let html_path = out.join("index.html");
    write_atomic(&html_path, html(title, &lead, &sections).as_bytes())?;
    Ok(Written {
        html: html_path,
        markdown: markdown_path,
        charts: n,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_percents_print_for_people() {
        assert_eq!(count(Some(1_234_567)), "1,234,567");
        assert_eq!(count(Some(-12)), "-12");
        assert_eq!(count(Some(999)), "999");
        assert_eq!(count(None), "–");
        assert_eq!(percent(Some(0.375)), "37.5%");
        assert_eq!(share(0, 0), "–");
    }

    #[test]
    fn rates_are_ratios_of_sums_and_unknown_without_a_denominator() {
        let mut f = Figures::default();
        f.sums.insert("granted", Some(3));
        f.sums.insert("partly_granted", Some(1));
        f.sums.insert("processed", Some(8));
        assert_eq!(f.grant_rate(), Some(0.375));
        assert_eq!(f.disclosure_rate(), Some(0.5));
        f.sums.insert("processed", Some(0));
        assert_eq!(f.grant_rate(), None);
        f.sums.insert("processed", None);
        assert_eq!(f.grant_rate(), None);
    }

    #[test]
    fn comparisons_skip_a_thinly_covered_last_year() {
        let year = |y: &str, covered: i64| Figures {
            key: Some(y.into()),
            applications_coverage: covered,
            ..Figures::default()
        };
        let years = [
            year("2021", 40),
            year("2022", 50),
            year("2023", 26),
            year("2024", 3),
        ];
        assert_eq!(latest_year(&years).as_deref(), Some("2023"));
        assert_eq!(latest_year(&years[..2]).as_deref(), Some("2022"));
        assert_eq!(latest_year(&[year("2024", 0)]), None);
        assert_eq!(latest_year(&[]), None);
    }

    #[test]
    fn markdown_and_html_escape_cells() {
        let s = Section {
            id: "x",
            title: "T<1>".into(),
            intro: "a & b".into(),
            charts: vec![],
            table: Table {
                header: vec!["k".into(), "v".into()],
                rows: vec![vec!["a|b".into(), "<i>".into()]],
            },
        };
        let md = markdown("t", "l", std::slice::from_ref(&s));
        assert!(md.contains("| a\\|b | <i> |"), "{md}");
        let h = html("t", "l", &[s]);
        assert!(
            h.contains("<td>&lt;i&gt;</td>") && h.contains("T&lt;1&gt;"),
            "{h}"
        );
    }
}
