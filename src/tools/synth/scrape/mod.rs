//! Documents as real scrapers save them (issue 13): the classes `synth` draws besides its
//! clean reports, each with the truth the scorer needs.
//!
//! - `frameless_html`: an HTML fragment with no `<html>`/`<head>`/`<body>`, starting with
//!   `<p …>` or `<span>`, its tables a kilobyte or more in;
//! - `script_html`: a saved page whose body is an empty `<div id="app">`, the report held
//!   in a script's string (`let content = "<p …>…";`) with JavaScript escapes;
//! - `crawler_export`: a crawler's header block (`标题:`, `发布时间:`, `原文链接:`, a
//!   `===== 正文 =====` line) and the body flattened onto one line, table cells run
//!   together without separators (now and then a stray space);
//! - `ocr_markdown`: pipe tables under a generic (`项目 | 数据1 | …`) or foreign header,
//!   labels without their numbering, some rows split over two lines;
//! - `renumbered_headings`: a section inserted before the tables (so they are 三, 四, 五),
//!   headings reworded, or one dropped;
//! - `agency_kinds`: agencies that are not county governments or bureaus (综合实验区,
//!   管委会, 开发区, 高新区, 新区, 街道办事处, 镇/乡, 委员会, `高新区(新市区)司法局`);
//! - `wrong_charset`: a report saved after a scraper decoded it with the wrong character
//!   set: as ISO-8859-1 (to be repaired and read in full), or with damage nothing can undo
//!   (to be kept as a report and flagged);
//! - `json_export`: a report as a crawler keeps it in JSON (an article API's answer, a line
//!   of JSON Lines), its markup sometimes escaped as `\u003c`;
//! - near-misses, kind `not_a_report`: a notice that reprints the blank template
//!   (`near_miss_template`), a column page listing reports (`near_miss_index`), a letter
//!   filed in the 年报 column (`near_miss_letter`), a machine-written analysis quoting
//!   figures of two years (`near_miss_analysis`).
//!
//! A class is drawn at the defect rate from a generator of its own (salted), so a report
//! that draws no class is byte for byte what it was before classes existed. The truth of a
//! class report holds every true value even where the document leaves a split ambiguous
//! (a flattened row such as `规范性文件6233440`); the scorer counts a cell the parser
//! leaves null with a finding naming it as flagged, and any other number as silent.
//!
//! Here the drawing of a class and the files it yields; the classes themselves in
//! `html` (fragments and script strings), `crawler` (text exports), `ocr` (Markdown),
//! `headings` (renumbered, reworded, dropped), `agencies` (agencies of other kinds),
//! `charset` (saved through a wrong character set), `json` (kept in JSON) and
//! `near_miss` (documents that are not reports).

use serde_json::json;

use super::draft::{AgencyIn, Draft};
use super::rng::Rng;
use super::{File, Options, SynthFormat};
use agencies::agency_kind;
use charset::wrong_charset;
use crawler::crawler_report;
use headings::renumbered;
use html::{frameless_html, script_html};
use json::json_export;
use near_miss::{cover_letter, data_analysis, report_index, template_notice};
use ocr::ocr_markdown;

mod agencies;
mod charset;
mod crawler;
mod headings;
mod html;
mod json;
mod near_miss;
mod ocr;

/// Keeps the class generator apart from the report's own (same seed and index).
const CLASS_SALT: u64 = 0x7C1A_55E5_D0C5_0013;

/// A kind of document real scrapers save.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    FramelessHtml,
    ScriptHtml,
    CrawlerExport,
    OcrMarkdown,
    RenumberedHeadings,
    AgencyKinds,
    WrongCharset,
    JsonExport,
    TemplateNotice,
    ReportIndex,
    CoverLetter,
    DataAnalysis,
}

const CLASSES: [Class; 12] = [
    Class::FramelessHtml,
    Class::ScriptHtml,
    Class::CrawlerExport,
    Class::OcrMarkdown,
    Class::RenumberedHeadings,
    Class::AgencyKinds,
    Class::WrongCharset,
    Class::JsonExport,
    Class::TemplateNotice,
    Class::ReportIndex,
    Class::CoverLetter,
    Class::DataAnalysis,
];

impl Class {
    /// The name in truth files (`class`) and in `eval`'s breakdown.
    fn name(self) -> &'static str {
        match self {
            Class::FramelessHtml => "frameless_html",
            Class::ScriptHtml => "script_html",
            Class::CrawlerExport => "crawler_export",
            Class::OcrMarkdown => "ocr_markdown",
            Class::RenumberedHeadings => "renumbered_headings",
            Class::AgencyKinds => "agency_kinds",
            Class::WrongCharset => "wrong_charset",
            Class::JsonExport => "json_export",
            Class::TemplateNotice => "near_miss_template",
            Class::ReportIndex => "near_miss_index",
            Class::CoverLetter => "near_miss_letter",
            Class::DataAnalysis => "near_miss_analysis",
        }
    }

    /// The format the class is written in, when it has one (the rest draw theirs).
    fn format(self) -> Option<SynthFormat> {
        match self {
            Class::FramelessHtml | Class::ScriptHtml | Class::ReportIndex => {
                Some(SynthFormat::Html)
            }
            Class::CrawlerExport
            | Class::OcrMarkdown
            | Class::TemplateNotice
            | Class::CoverLetter
            | Class::DataAnalysis => Some(SynthFormat::Text),
            // A web page's answer, drawn only where pages are: a text corpus stays text.
            Class::JsonExport => Some(SynthFormat::Html),
            Class::RenumberedHeadings | Class::AgencyKinds | Class::WrongCharset => None,
        }
    }
}

/// The names of the classes `synth` draws, as truth files give them in `class`.
pub fn class_names() -> impl Iterator<Item = &'static str> {
    CLASSES.iter().map(|c| c.name())
}

/// The files of report `index` when it draws a class, `None` when it is an ordinary one.
pub(super) fn report(options: &Options, index: u64) -> Option<Vec<File>> {
    let mut rng = Rng::new(options.seed ^ CLASS_SALT, index);
    if !rng.chance(options.defect_rate) {
        return None;
    }
    // Only classes in a requested format: a `--formats text` corpus stays text.
    let allowed: Vec<Class> = CLASSES
        .iter()
        .copied()
        .filter(|c| c.format().is_none_or(|f| options.formats.contains(&f)))
        .collect();
    let class = *rng.pick(&allowed);
    let id = format!("{index:06}");
    let dir = format!("{:03}", index / 1000);
    let at = Place { dir, id, class };
    let file = match class {
        Class::FramelessHtml => frameless_html(&mut rng, &at),
        Class::ScriptHtml => script_html(&mut rng, &at),
        Class::CrawlerExport => crawler_report(&mut rng, &at),
        Class::OcrMarkdown => ocr_markdown(&mut rng, &at),
        Class::RenumberedHeadings => renumbered(&mut rng, &at, &options.formats),
        Class::AgencyKinds => agency_kind(&mut rng, &at, &options.formats),
        Class::WrongCharset => wrong_charset(&mut rng, &at, &options.formats),
        Class::JsonExport => json_export(&mut rng, &at, &options.formats),
        Class::TemplateNotice => template_notice(&mut rng, &at),
        Class::ReportIndex => report_index(&mut rng, &at),
        Class::CoverLetter => cover_letter(&mut rng, &at),
        Class::DataAnalysis => data_analysis(&mut rng, &at),
    };
    Some(vec![file])
}

/// Where a class report goes and what it is.
pub(super) struct Place {
    dir: String,
    id: String,
    class: Class,
}

impl Place {
    /// A report's file: the draft's truth with the class.
    pub(super) fn report(
        &self,
        d: &Draft,
        layout: &str,
        ext: &str,
        bytes: Vec<u8>,
        encoding: &str,
    ) -> File {
        self.report_with(d, layout, ext, bytes, encoding, &[])
    }

    pub(super) fn report_with(
        &self,
        d: &Draft,
        layout: &str,
        ext: &str,
        bytes: Vec<u8>,
        encoding: &str,
        variations: &[&str],
    ) -> File {
        let mut truth = d.truth(&self.id, layout, encoding, &[], &[]);
        truth["class"] = json!(self.class.name());
        if let Some(v) = truth["variations"].as_array_mut() {
            v.extend(variations.iter().map(|x| json!(x)));
        }
        File {
            path: format!("{}/{}_{layout}.{ext}", self.dir, self.id),
            bytes,
            truth,
        }
    }

    /// A near-miss's file: kind `not_a_report`, no cells.
    pub(super) fn near_miss(&self, format: &str, ext: &str, text: String) -> File {
        let layout = self.class.name();
        File {
            path: format!("{}/{}_{layout}.{ext}", self.dir, self.id),
            bytes: text.into_bytes(),
            truth: json!({
                "id": self.id, "template": null, "kind": "not_a_report",
                "format": format, "layout": layout, "encoding": "utf-8", "defects": [],
                "class": layout, "variations": [], "expect_findings": [],
                "notes": "synthetic (nianbao synth)",
            }),
        }
    }
}

/// Makes a draft print as the plain sites print: ASCII digits, simplified characters,
/// zeros as `0`, headers unspaced, the agency in the title. For the classes whose layout is
/// hard enough without those (a flattened body, OCR Markdown).
pub(super) fn plain(d: &mut Draft) {
    let ascii = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                '０'..='９' => char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c),
                '．' => '.',
                _ => c,
            })
            .collect()
    };
    d.full_width = false;
    d.traditional = false;
    d.spaced_headers = false;
    if d.agency_in == AgencyIn::BodyOnly {
        d.agency_in = AgencyIn::Title;
    }
    for p in d.proactive.iter_mut() {
        p.3 = ascii(&p.3);
    }
    let blank_zeros = d.blank_zeros;
    d.blank_zeros = false;
    for r in d.apps.iter_mut() {
        for (v, shown) in r.values.iter_mut().zip(r.printed.iter_mut()) {
            if blank_zeros && v.is_none() {
                *v = Some(0);
            }
            *shown = v.map_or_else(String::new, |v| v.to_string());
        }
    }
    if blank_zeros {
        for v in d.review.iter_mut() {
            v.get_or_insert(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(defect_rate: f64) -> Options {
        Options {
            seed: 2024,
            defect_rate,
            formats: vec![SynthFormat::Text, SynthFormat::Html, SynthFormat::Docx],
            panel: None,
        }
    }

    /// (class, file) for the class reports among the first `n`.
    pub(super) fn classes(n: u64, rate: f64) -> Vec<(String, File)> {
        (0..n)
            .filter_map(|i| report(&options(rate), i))
            .flatten()
            .map(|f| (f.truth["class"].as_str().unwrap().to_string(), f))
            .collect()
    }

    #[test]
    fn every_class_is_drawn_dozens_of_times_in_two_thousand_reports() {
        let mut count = std::collections::BTreeMap::new();
        for (class, _) in classes(2000, 0.15) {
            *count.entry(class).or_insert(0) += 1;
        }
        for name in class_names() {
            let n = count.get(name).copied().unwrap_or(0);
            assert!(n >= 15, "{name}: {n} in {count:?}");
        }
    }

    #[test]
    fn no_class_without_a_rate_and_the_rest_unchanged() {
        assert!(classes(500, 0.0).is_empty());
    }

    #[test]
    fn classes_keep_to_the_requested_formats() {
        let text = Options {
            formats: vec![SynthFormat::Text],
            ..options(0.5)
        };
        for i in 0..300 {
            for f in super::super::report(&text, i) {
                assert!(
                    f.path.ends_with(".txt") || f.path.ends_with(".md"),
                    "{}",
                    f.path
                );
            }
        }
    }

    pub(super) fn text(f: &File) -> &str {
        std::str::from_utf8(&f.bytes).unwrap()
    }

    #[test]
    fn each_class_looks_as_the_issue_describes() {
        for (class, f) in classes(1500, 0.3) {
            let t = &f.truth;
            match class.as_str() {
                "frameless_html" => {
                    let s = text(&f);
                    assert!(s.starts_with("<p ") || s.starts_with("<span>"), "{s:.80}");
                    for tag in ["<html", "<head", "<body"] {
                        assert!(!s.contains(tag), "{}", f.path);
                    }
                    let head = &s.as_bytes()[..1024];
                    for tag in [&b"<table"[..], b"<div"] {
                        assert!(!head.windows(tag.len()).any(|w| w == tag), "{}", f.path);
                    }
                    assert!(s.contains("<table"));
                }
                "script_html" => {
                    let s = text(&f);
                    assert!(s.contains("<div id=\"app\"></div>"));
                    assert!(s.contains(" content = \""));
                    assert!(s.contains("\\\"") && s.contains("<table"), "{}", f.path);
                }
                "crawler_export" => {
                    let s = text(&f);
                    assert!(s.starts_with("标题: "));
                    let (head, body) = s
                        .split_once("==================== 正文 ====================\n")
                        .unwrap();
                    assert!(head.contains("\n发布时间: ") && head.contains("\n原文链接: https://"));
                    assert_eq!(body.trim_end().lines().count(), 1, "{}", f.path);
                    assert!(body.contains("本年新收政府信息公开申请数量"));
                }
                "ocr_markdown" => {
                    let s = text(&f);
                    assert!(f.path.ends_with(".md"));
                    assert!(s.contains("| --- |"));
                    assert!(!s.contains("一、本年新收政府信息公开申请数量"));
                    assert!(s.contains("申请数量"));
                }
                "renumbered_headings" => {
                    let v = t["variations"].as_array().unwrap();
                    assert!(v.iter().any(|x| x.as_str().unwrap().starts_with("heading")));
                }
                "agency_kinds" => assert!(t["agency"].is_string()),
                "json_export" => {
                    let s = text(&f);
                    assert!(f.path.ends_with(".json"));
                    let v: serde_json::Value = serde_json::from_str(s.trim()).expect("JSON");
                    assert!(v["content"].is_string() || v["data"]["content"].is_string());
                }
                "wrong_charset" => {
                    // Saved as UTF-8 whatever it was; what the reader must make of it.
                    assert!(std::str::from_utf8(&f.bytes).is_ok(), "{}", f.path);
                    let expect = t["expect_findings"][0].as_str().unwrap();
                    assert!(["mojibake_repaired", "text_unreadable"].contains(&expect));
                    assert_eq!(t["agency"].is_null(), expect == "text_unreadable");
                }
                _ => {
                    assert_eq!(t["kind"], "not_a_report", "{class}");
                    assert!(t.get("applications").is_none());
                }
            }
            if t["kind"] == "report" {
                assert_eq!(t["defects"], json!([]));
                assert!(t["applications"].as_object().unwrap().len() > 100);
            }
        }
    }
}
