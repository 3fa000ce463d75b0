//! Synthetic reports with known truth (`nianbao synth`): big corpora for tests, the
//! accuracy scorer ([`crate::eval`]) and the benchmark.
//!
//! Report `i` of seed `s` depends on `(s, i)` alone, so a corpus is reproducible, any
//! slice of it can be generated on its own, and generation runs in parallel. Each report
//! draws its template (with the year/template mismatches real agencies make), agency,
//! year, values (mostly small, some large, zeros, blanks, decimals, signed changes),
//! format (text, HTML with rowspan/colspan, DOCX), layout (tab rows, pipe rows, one cell
//! per line, space-aligned columns), encoding, full-width digits, traditional characters,
//! page breaks, wrapped and spaced-out labels, and — at the defect rate — one defect.
//!
//! The truth file has the shape of `shared/gold/*.gold.json` (so one scorer serves both)
//! plus `format`, `layout`, `encoding` and `defects` for the scorer's breakdowns. The
//! truth says what must happen: a value the parser must read, `null` where it must not
//! produce a number (blank cells, cells after a truncation), and for defects that cannot
//! be read with certainty (a row with too many or too few numbers, a garbled row) the
//! true value, which the parser may only give or leave null with a finding naming the
//! cell. PDF is not written: printing Chinese needs an embedded CJK font.
//!
//! At the defect rate again, but from a generator of its own, a report is drawn as one of
//! the documents real scrapers save instead ([`class_names`], module `scrape`): an HTML
//! fragment without a frame, HTML in a script string, a crawler's text export with the
//! body flattened onto one line, OCR Markdown, renumbered or missing headings, an agency
//! that is not a county government or bureau, or a near-miss filed in the 年报 column
//! (kind `not_a_report`). Its truth carries `class`, the scorer's breakdown by class.
//!
//! In panel mode ([`Options::panel`]) the corpus is longitudinal, for the cross-report
//! stage: consecutive reports are the consecutive years of one agency, each year's
//! carried-over applications are the previous year's carried-forward ones, and the
//! defects are those a cross-report check must see (a break in that continuity, the same
//! report in two formats, a corrected re-scrape). Truth files then also carry
//! `panel_agency`, `duplicate_of` on the second file of a duplicate, and `expect_cross`:
//! the cross-report checks that must flag the file (`continuity_mismatch` on both years
//! of a broken pair, `duplicate_values_differ` on the corrected copy), absent when none.
//!
//! The parts: [`report`] and the defects here; `panel` for panel mode; `draft` draws a
//! report's agency, values and the choices that shape its text, and writes its truth;
//! `grid` lays the three tables out as cells with spans; `render` turns a draft into a
//! file, through `render_text` (the text layouts and encodings), `render_html` and
//! `render_docx`; `scrape` draws the real scrapers' documents; `rng` is the generator
//! every draw comes from.

use serde_json::{json, Value};

use crate::templates::APPLICANTS as APPLICANT_CODES;
use draft::{Agency, Draft};
use panel::panel_report;
use rng::Rng;

mod draft;
mod grid;
mod panel;
mod render;
mod render_docx;
mod render_html;
mod render_text;
mod rng;
mod scrape;

pub use scrape::class_names;

/// A format `synth` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SynthFormat {
    /// Plain text, in one of the text layouts and encodings.
    Text,
    /// An HTML page with the tables as `<table>` (rowspan/colspan).
    Html,
    /// A Word document with the tables as `w:tbl` (gridSpan/vMerge).
    Docx,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The seed: the same seed gives the same corpus.
    pub seed: u64,
    /// The share of reports with one defect (truncation, a row with too many or too few
    /// numbers, a broken balance, a garbled row, a duplicate file, a pre-2019 report, a
    /// page that is not a report), 0.0–1.0. Outside panel mode the same share of reports
    /// is drawn as a real-scraper class ([`class_names`]), so that a rate of 0 gives the
    /// clean corpus of before.
    pub defect_rate: f64,
    /// The formats to draw from (text is drawn most often).
    pub formats: Vec<SynthFormat>,
    /// Panel mode: every N consecutive reports are the N consecutive years of one agency
    /// (report `i` is year `i % N` of agency `i / N`), all within 2019–2024, so N is
    /// taken as 2–6. The defects are then a broken balance, duplicate files and the
    /// cross-report ones (see [`panel_defect_names`]). `None`: independent reports.
    pub panel: Option<u32>,
}

/// One generated file.
#[derive(Debug, Clone)]
pub struct File {
    /// Path relative to the output directory, `/`-separated (`003/003141_tab.txt`).
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The truth, in the gold-file format.
    pub truth: Value,
}

impl File {
    /// The truth file's path: the document's path with its extension replaced by
    /// `.gold.json`.
    pub fn truth_path(&self) -> String {
        let stem = self.path.rsplit_once('.').map_or(&*self.path, |(s, _)| s);
        format!("{stem}.gold.json")
    }
}

/// The files of report `index`: one, or two when the defect is a duplicate file.
pub fn report(options: &Options, index: u64) -> Vec<File> {
    if let Some(years) = options.panel {
        return panel_report(options, years, index);
    }
    scrape::report(options, index).unwrap_or_else(|| ordinary_report(options, index))
}

/// Report `index` when it draws no real-scraper class: a clean report, or one with a
/// defect.
fn ordinary_report(options: &Options, index: u64) -> Vec<File> {
    let mut rng = Rng::new(options.seed, index);
    let defect = if rng.chance(options.defect_rate) {
        Some(*rng.pick(&DEFECTS))
    } else {
        None
    };
    let format = pick_format(&mut rng, &options.formats);
    let id = format!("{index:06}");
    let dir = format!("{:03}", index / 1000);
    let place = Agency::draw(&mut rng);
    match defect {
        Some(Defect::Pre2019) => {
            return vec![other_document(&mut rng, &dir, &id, &place, true)];
        }
        Some(Defect::NotAReport) => {
            return vec![other_document(&mut rng, &dir, &id, &place, false)];
        }
        _ => {}
    }
    let mut doc = Draft::draw(&mut rng, place, format, None);
    let mut defects: Vec<&'static str> = Vec::new();
    let mut expect: Vec<&'static str> = Vec::new();
    match defect {
        // A number too many or too few is detectable only in a row without blank cells
        // (with blanks, 6 blanks + an extra 0 is a well-formed row): only those are hit.
        Some(Defect::ExtraNumber) => {
            if let Some(r) = doc.pick_full_row(&mut rng) {
                let at = rng.below(8);
                let v = doc.number(rng.range(1, 9) as f64);
                doc.apps[r].printed.insert(at, v);
                defects.push(Defect::ExtraNumber.name());
                expect.push("row_cell_count");
            }
        }
        Some(Defect::MissingNumber) => {
            if let Some(r) = doc.pick_full_row(&mut rng) {
                let at = rng.below(7);
                doc.apps[r].printed.remove(at);
                defects.push(Defect::MissingNumber.name());
                expect.push("row_cell_count");
            }
        }
        Some(Defect::BrokenBalance) => {
            doc.break_balance(&mut rng);
            defects.push(Defect::BrokenBalance.name());
            expect.push("balance");
        }
        Some(Defect::Garbled) if format == SynthFormat::Text => {
            defects.push(Defect::Garbled.name());
        }
        Some(Defect::Truncated) if format != SynthFormat::Docx => {
            defects.push(Defect::Truncated.name());
            expect.push("truncated");
        }
        Some(Defect::Duplicate) => defects.push(Defect::Duplicate.name()),
        _ => {}
    }
    let (layout, bytes, encoding, cut) = doc.render(&mut rng, &defects, None);
    let mut truth = doc.truth(&id, layout, encoding, &defects, &expect);
    if let Some(row) = cut {
        truth_after_cut(&mut truth, &doc, row);
    }
    let ext = extension(format);
    let file = File {
        path: format!("{dir}/{id}_{layout}.{ext}"),
        bytes,
        truth,
    };
    if defects.contains(&Defect::Duplicate.name()) {
        let mut copy = file.clone();
        copy.path = format!("{dir}/{id}_{layout}_copy.{ext}");
        copy.truth["id"] = json!(format!("{id}_copy"));
        return vec![file, copy];
    }
    vec![file]
}

fn extension(format: SynthFormat) -> &'static str {
    match format {
        SynthFormat::Text => "txt",
        SynthFormat::Html => "html",
        SynthFormat::Docx => "docx",
    }
}

/// A truncated report: the row the cut falls in is not checked (the cut may fall after
/// its last number), the rows after it and section 四 must not be read.
fn truth_after_cut(truth: &mut Value, doc: &Draft, row: usize) {
    let apps = truth["applications"].as_object_mut().expect("applications");
    for (i, r) in doc.apps.iter().enumerate().skip(row) {
        for a in APPLICANT_CODES {
            let key = format!("{}.{a}", r.code);
            if i == row {
                apps.remove(&key);
            } else {
                apps.insert(key, Value::Null);
            }
        }
    }
    let review = truth["review_litigation"]
        .as_object_mut()
        .expect("review_litigation");
    for v in review.values_mut() {
        *v = Value::Null;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Defect {
    Truncated,
    ExtraNumber,
    MissingNumber,
    BrokenBalance,
    Garbled,
    Duplicate,
    Pre2019,
    NotAReport,
    BrokenContinuity,
    DuplicateFormat,
    DuplicateDiffers,
}

impl Defect {
    /// The name in truth files (`defects`) and in `eval`'s breakdown.
    fn name(self) -> &'static str {
        match self {
            Defect::Truncated => "truncated",
            Defect::ExtraNumber => "extra_number",
            Defect::MissingNumber => "missing_number",
            Defect::BrokenBalance => "broken_balance",
            Defect::Garbled => "garbled_row",
            Defect::Duplicate => "duplicate",
            Defect::Pre2019 => "pre2019",
            Defect::NotAReport => "not_a_report",
            Defect::BrokenContinuity => "broken_continuity",
            Defect::DuplicateFormat => "duplicate_format",
            Defect::DuplicateDiffers => "duplicate_differs",
        }
    }
}

/// The names of the defects `synth` draws, as truth files list them.
pub fn defect_names() -> impl Iterator<Item = &'static str> {
    DEFECTS.iter().map(|d| d.name())
}

/// The names of the defects `synth` draws in panel mode ([`Options::panel`]).
pub fn panel_defect_names() -> impl Iterator<Item = &'static str> {
    PANEL_DEFECTS.iter().map(|d| d.name())
}

const PANEL_DEFECTS: [Defect; 5] = [
    Defect::BrokenBalance,
    Defect::Duplicate,
    Defect::BrokenContinuity,
    Defect::DuplicateFormat,
    Defect::DuplicateDiffers,
];

const DEFECTS: [Defect; 8] = [
    Defect::Truncated,
    Defect::ExtraNumber,
    Defect::MissingNumber,
    Defect::BrokenBalance,
    Defect::Garbled,
    Defect::Duplicate,
    Defect::Pre2019,
    Defect::NotAReport,
];

fn pick_format(rng: &mut Rng, formats: &[SynthFormat]) -> SynthFormat {
    let weight = |f: &SynthFormat| match f {
        SynthFormat::Text => 7,
        SynthFormat::Html => 2,
        SynthFormat::Docx => 1,
    };
    let total: usize = formats.iter().map(weight).sum();
    if total == 0 {
        return SynthFormat::Text;
    }
    let mut r = rng.below(total);
    for f in formats {
        if r < weight(f) {
            return *f;
        }
        r -= weight(f);
    }
    SynthFormat::Text
}

/// A pre-2019 report (old format, no standard tables) or a page that is not a report.
fn other_document(rng: &mut Rng, dir: &str, id: &str, agency: &Agency, pre2019: bool) -> File {
    let a = &agency.name;
    let (text, truth, layout) = if pre2019 {
        let year = rng.range(2008, 2018);
        let granted = rng.range(0, 60);
        let text = format!(
            "{a}{year}年政府信息公开工作年度报告\n\n\
             本报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括概述、主动公开政府信息情况、依申请公开政府信息情况、存在的主要问题及改进措施等部分。报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。\n\
             一、概述\n{year}年，{a}认真贯彻落实《条例》，不断完善政府信息公开工作机制。\n\
             二、主动公开政府信息情况\n{year}年，我局共主动公开政府信息{}条，其中通过门户网站公开{}条。\n\
             三、依申请公开政府信息情况\n全年共受理政府信息公开申请{}件，已全部按时办结，其中同意公开{granted}件。\n\
             四、政府信息公开的收费及减免情况\n本年度未收取任何费用。\n\
             五、因政府信息公开申请行政复议、提起行政诉讼的情况\n本年度未发生因政府信息公开申请提起行政复议和行政诉讼的情况。\n\
             六、存在的主要问题及改进措施\n下一步，我局将进一步加强政府信息公开工作。\n",
            rng.range(50, 900),
            rng.range(10, 500),
            granted + rng.range(0, 9),
        );
        let truth = json!({
            "id": id, "agency": a, "year": year, "template": null, "kind": "pre2019_report",
            "format": "text", "layout": "prose", "encoding": "utf-8", "defects": [Defect::Pre2019.name()],
            "variations": [], "expect_findings": [], "notes": "synthetic (nianbao synth)",
        });
        (text, truth, "pre2019")
    } else {
        let year = rng.range(2019, 2024);
        let text = format!(
            "{a}召开{year}年政务公开工作推进会\n发布时间：{year}-03-{:02}\n\n\
             近日，{a}召开政务公开工作推进会，总结上一年度政务公开工作，部署本年度重点任务。\
             会议要求，要进一步提高认识，压实责任，做好政府信息主动公开和依申请公开工作，按时编制并发布政府信息公开工作年度报告。\n\
             会上，各科室负责同志汇报了工作进展。\n",
            rng.range(1, 28)
        );
        let truth = json!({
            "id": id, "template": null, "kind": "not_a_report",
            "format": "text", "layout": "prose", "encoding": "utf-8", "defects": [Defect::NotAReport.name()],
            "variations": [], "expect_findings": [], "notes": "synthetic (nianbao synth)",
        });
        (text, truth, "news")
    };
    File {
        path: format!("{dir}/{id}_{layout}.txt"),
        bytes: text.into_bytes(),
        truth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(defect_rate: f64) -> Options {
        Options {
            seed: 7,
            defect_rate,
            formats: vec![SynthFormat::Text, SynthFormat::Html, SynthFormat::Docx],
            panel: None,
        }
    }

    #[test]
    fn the_same_seed_and_index_give_the_same_bytes() {
        for i in 0..50 {
            let a = report(&options(0.3), i);
            let b = report(&options(0.3), i);
            assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x.path, y.path);
                assert_eq!(x.bytes, y.bytes);
                assert_eq!(x.truth, y.truth);
            }
        }
        let other = Options {
            seed: 8,
            ..options(0.3)
        };
        assert_ne!(
            report(&options(0.3), 1)[0].bytes,
            report(&other, 1)[0].bytes
        );
    }

    #[test]
    fn truth_balances_unless_the_balance_is_broken_on_purpose() {
        for i in 0..200 {
            for file in report(&options(0.2), i) {
                let t = &file.truth;
                if t["kind"] != "report" || t["defects"].as_array().is_some_and(|d| !d.is_empty()) {
                    continue;
                }
                let apps = t["applications"].as_object().unwrap();
                let v = |k: &str| apps.get(k).and_then(Value::as_i64).unwrap_or(0);
                for a in APPLICANT_CODES {
                    let intake = v(&format!("new_received.{a}")) + v(&format!("carried_over.{a}"));
                    let out =
                        v(&format!("total_processed.{a}")) + v(&format!("carried_forward.{a}"));
                    assert_eq!(intake, out, "{}: {a}", file.path);
                }
            }
        }
    }

    /// Keys sorted at every level, so the digest does not depend on whether serde_json
    /// keeps insertion order (a feature another dependency may switch on).
    fn canonical(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for k in keys {
                    out.push_str(&json!(k).to_string());
                    out.push(':');
                    canonical(&m[k], out);
                    out.push(',');
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for x in a {
                    canonical(x, out);
                    out.push(',');
                }
                out.push(']');
            }
            _ => out.push_str(&v.to_string()),
        }
    }

    /// The digest of reports `0..50` as `generate` writes them.
    fn digest(generate: impl Fn(u64) -> Vec<File>) -> String {
        let mut hasher = blake3::Hasher::new();
        for i in 0..50 {
            for file in generate(i) {
                let mut truth = String::new();
                canonical(&file.truth, &mut truth);
                for part in [file.path.as_bytes(), &file.bytes, truth.as_bytes()] {
                    hasher.update(&(part.len() as u64).to_le_bytes());
                    hasher.update(part);
                }
            }
        }
        hasher.finalize().to_hex().to_string()
    }

    #[test]
    fn without_panels_the_corpus_is_what_it_was() {
        // The reports that draw no scraper class are what they were before classes (changed
        // on purpose when a rendering changes: ae48126 repeats section 三's header after
        // page breaks).
        assert_eq!(
            digest(|i| ordinary_report(&options(0.3), i)),
            "5e54c7db95c1888889a16ea9cd84215e8c8ef4cb40cf5d46762ace7b0a33449a"
        );
        // With them: changed on purpose whenever a class is added or changed.
        assert_eq!(
            digest(|i| report(&options(0.3), i)),
            "518aa45add4ec3b37a412100bedb3f99b967f6dc9ea6cf69a9e3f73647f3a083"
        );
    }

    #[test]
    fn every_format_and_defect_occurs_in_a_few_hundred_reports() {
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..400 {
            for f in report(&options(0.3), i) {
                seen.insert(f.truth["format"].as_str().unwrap_or("").to_string());
                seen.insert(f.truth["layout"].as_str().unwrap_or("").to_string());
                for d in f.truth["defects"].as_array().into_iter().flatten() {
                    seen.insert(d.as_str().unwrap_or("").to_string());
                }
            }
        }
        let formats = ["text", "html", "docx"];
        let layouts = ["tab", "tab_grid", "pipe", "cells", "layout"];
        for want in formats.into_iter().chain(layouts).chain(defect_names()) {
            assert!(seen.contains(want), "{want} never drawn: {seen:?}");
        }
    }
}
