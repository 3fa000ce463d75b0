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

use serde_json::json;

use super::draft::{divisions, Agency, AgencyIn, Draft, DEPARTMENTS};
use super::grid::{expand, word_rows, Grid};
use super::render_html::escape;
use super::rng::Rng;
use super::{pick_format, File, Options, SynthFormat};
use crate::templates::printed;

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
    TemplateNotice,
    ReportIndex,
    CoverLetter,
    DataAnalysis,
}

const CLASSES: [Class; 10] = [
    Class::FramelessHtml,
    Class::ScriptHtml,
    Class::CrawlerExport,
    Class::OcrMarkdown,
    Class::RenumberedHeadings,
    Class::AgencyKinds,
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
            Class::RenumberedHeadings | Class::AgencyKinds => None,
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
        Class::TemplateNotice => template_notice(&mut rng, &at),
        Class::ReportIndex => report_index(&mut rng, &at),
        Class::CoverLetter => cover_letter(&mut rng, &at),
        Class::DataAnalysis => data_analysis(&mut rng, &at),
    };
    Some(vec![file])
}

/// Where a class report goes and what it is.
struct Place {
    dir: String,
    id: String,
    class: Class,
}

impl Place {
    /// A report's file: the draft's truth with the class.
    fn report(&self, d: &Draft, layout: &str, ext: &str, bytes: Vec<u8>, encoding: &str) -> File {
        self.report_with(d, layout, ext, bytes, encoding, &[])
    }

    fn report_with(
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
    fn near_miss(&self, format: &str, ext: &str, text: String) -> File {
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

/// The section headings a report prints. Standard unless a class changes them.
#[derive(Debug, Clone)]
pub(super) struct Headings {
    /// The headings of sections 二, 三 and 四 (`None`: not printed).
    pub(super) tables: [Option<String>; 3],
    /// A section inserted after 一、总体情况: (heading, paragraph).
    pub(super) inserted: Option<(String, String)>,
    /// The two closing sections' headings.
    pub(super) outro: [String; 2],
}

impl Headings {
    pub(super) fn standard() -> Headings {
        Headings {
            tables: printed::HEADINGS.map(|h| Some(h.to_string())),
            inserted: None,
            outro: [
                "五、存在的主要问题及改进情况".to_string(),
                "六、其他需要报告的事项".to_string(),
            ],
        }
    }
}

const NUMERALS: [&str; 8] = ["一", "二", "三", "四", "五", "六", "七", "八"];

/// Wordings of the three table sections, the template's first.
const WORDINGS: [[&str; 3]; 3] = [
    [
        "主动公开政府信息情况",
        "主动公开工作情况",
        "主动公开政府信息",
    ],
    [
        "收到和处理政府信息公开申请情况",
        "政府信息公开申请情况",
        "依申请公开政府信息情况",
    ],
    [
        "政府信息公开行政复议、行政诉讼情况",
        "因政府信息公开申请行政复议、提起行政诉讼的情况",
        "政府信息公开行政复议和行政诉讼情况",
    ],
];

const INSERTED: [(&str, &str); 3] = [
    (
        "重点领域信息公开情况",
        "围绕财政预决算、重大建设项目、公共资源配置、社会公益事业建设等重点领域，及时公开相关信息，回应社会关切。",
    ),
    (
        "政务公开工作开展情况",
        "健全政务公开工作机制，明确分管领导和工作人员，加强业务培训，推动政务公开标准化规范化建设。",
    ),
    (
        "政府信息管理及平台建设情况",
        "加强政府网站和政务新媒体管理，严格落实信息发布审核制度，做好政府信息保密审查。",
    ),
];

/// Renumbered (a section inserted before the tables), reworded or dropped headings, at
/// least one of the three; with the variations that name what was done.
fn draw_headings(rng: &mut Rng) -> (Headings, Vec<&'static str>) {
    let inserted = rng.chance(0.6);
    let reword = rng.chance(0.5);
    let drop = rng.chance(0.35) || !(inserted || reword);
    let first = if inserted { 2 } else { 1 };
    let mut variations = Vec::new();
    let mut h = Headings::standard();
    for (s, wordings) in WORDINGS.iter().enumerate() {
        let wording = if reword && rng.chance(0.7) {
            *rng.pick(&wordings[1..])
        } else {
            wordings[0]
        };
        h.tables[s] = Some(format!("{}、{wording}", NUMERALS[first + s]));
    }
    if inserted {
        let (heading, text) = *rng.pick(&INSERTED);
        h.inserted = Some((format!("二、{heading}"), text.to_string()));
        h.outro = [
            format!("{}、存在的主要问题及改进情况", NUMERALS[first + 3]),
            format!("{}、其他需要报告的事项", NUMERALS[first + 4]),
        ];
        variations.push("headings_renumbered");
    }
    if reword {
        variations.push("headings_reworded");
    }
    if drop {
        h.tables[rng.below(3)] = None;
        variations.push("heading_missing");
    }
    (h, variations)
}

/// Makes a draft print as the plain sites print: ASCII digits, simplified characters,
/// zeros as `0`, headers unspaced, the agency in the title. For the classes whose layout is
/// hard enough without those (a flattened body, OCR Markdown).
fn plain(d: &mut Draft) {
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

// ---------------------------------------------------------------------------------------
// HTML fragments and script strings

/// Paragraphs of 总体情况 that push the first table past the first kilobyte, as the long
/// openings of real reports do.
const FILLER: [&str; 4] = [
    "（一）主动公开方面。坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开，及时发布政策文件、规划计划、财政预决算等信息。",
    "（二）依申请公开方面。严格按照法定程序和时限办理政府信息公开申请，规范答复文书格式，加强与申请人沟通，依法保障公众知情权。",
    "（三）政府信息管理方面。落实政府信息公开属性源头认定机制，严格执行信息发布审核制度，对已公开的规范性文件进行清理。",
    "（四）平台建设方面。优化政府网站信息公开专栏设置，发挥政务新媒体作用，拓宽公开渠道，提升公开实效。",
];

/// How far into a fragment its first table comes at the least.
const FRAGMENT_TABLE_AFTER: usize = 1100;

/// The report as a CMS stores its body: paragraphs and tables with inline styles, no
/// document frame, starting with `<p …>` or `<span>`; one line per block or all on one.
fn fragment(d: &Draft, rng: &mut Rng) -> String {
    let nl = if rng.chance(0.5) { "\n" } else { "" };
    let mut out = String::new();
    let span_first = rng.chance(0.4);
    for (i, line) in d.title().lines().enumerate() {
        if i == 0 && span_first {
            out += &format!("<span>{}</span>{nl}", escape(line));
        } else {
            out += &format!(
                "<p style=\"text-align: center;\"><strong><span style=\"font-size: 22px;\">{}</span></strong></p>{nl}",
                escape(line)
            );
        }
    }
    let para = |t: &str| {
        format!(
            "<p style=\"text-indent: 2em; line-height: 2;\"><span style=\"font-family: 仿宋_GB2312;\">{}</span></p>",
            escape(t)
        )
    };
    let intro = d.intro();
    for p in &intro {
        out += &para(p);
        out += nl;
    }
    for f in FILLER.iter().cycle().take(8) {
        if out.len() >= FRAGMENT_TABLE_AFTER {
            break;
        }
        out += &para(f);
        out += nl;
    }
    for (s, grid) in d.grids().iter().enumerate() {
        if let Some(h) = &d.headings.tables[s] {
            out += &format!(
                "<p style=\"text-indent: 2em;\"><strong><span style=\"font-family: 黑体;\">{h}</span></strong></p>{nl}"
            );
        }
        out += &fragment_table(grid, nl);
    }
    for p in d.outro() {
        out += &para(&p);
        out += nl;
    }
    d.convert(&out)
}

fn fragment_table(grid: &Grid, nl: &str) -> String {
    let mut t = format!(
        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\" style=\"border-collapse: collapse;\"><tbody>{nl}"
    );
    for row in grid {
        t += "<tr>";
        for c in row {
            let mut attrs = String::new();
            if c.colspan > 1 {
                attrs += &format!(" colspan=\"{}\"", c.colspan);
            }
            if c.rowspan > 1 {
                attrs += &format!(" rowspan=\"{}\"", c.rowspan);
            }
            t += &format!(
                "<td{attrs} style=\"border: 1px solid #000000;\"><p style=\"text-align: center;\"><span style=\"font-size: 14px;\">{}</span></p></td>",
                escape(&c.text)
            );
        }
        t += "</tr>";
        t += nl;
    }
    t += "</tbody></table>";
    t += nl;
    t
}

fn frameless_html(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng);
    let d = Draft::draw(rng, agency, SynthFormat::Html, None);
    let page = fragment(&d, rng);
    // A fragment saved as the CMS's text field as often as as a page.
    let ext = if rng.chance(0.3) { "txt" } else { "html" };
    at.report(&d, "frameless_html", ext, page.into_bytes(), "utf-8")
}

/// How much of a string JavaScript escapes beyond what it must (`"`, `\`, line ends).
#[derive(Clone, Copy, PartialEq)]
enum JsEscape {
    Minimal,
    /// `\/` and some punctuation as `\uXXXX`.
    Some,
    /// Everything outside ASCII as `\uXXXX` (`JSON.stringify` with ASCII output).
    Ascii,
}

fn js_string(s: &str, how: JsEscape) -> String {
    const PUNCTUATION: &str = "“”（）、，。：；《》";
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '"' => out += "\\\"",
            '\\' => out += "\\\\",
            '\n' => out += "\\n",
            '\r' => out += "\\r",
            '\t' => out += "\\t",
            '/' if how != JsEscape::Minimal => out += "\\/",
            c if !c.is_ascii()
                && (how == JsEscape::Ascii
                    || (how == JsEscape::Some && PUNCTUATION.contains(c))) =>
            {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out += &format!("\\u{u:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn script_html(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng);
    let d = Draft::draw(rng, agency, SynthFormat::Html, None);
    let content = fragment(&d, rng);
    let how = *rng.pick(&[JsEscape::Minimal, JsEscape::Some, JsEscape::Ascii]);
    let title = d.convert(&d.title().replace('\n', ""));
    let page_title = if rng.chance(0.5) {
        escape(&title)
    } else {
        "政务公开".to_string()
    };
    let keyword = if rng.chance(0.75) { "let" } else { "var" };
    let title_var = if rng.chance(0.5) {
        format!("  {keyword} title = \"{}\";\n", js_string(&title, how))
    } else {
        String::new()
    };
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{page_title}</title>\n\
         <link rel=\"stylesheet\" href=\"/static/css/app.css\">\n</head>\n<body>\n<div id=\"app\"></div>\n\
         <script src=\"/static/js/vue.min.js\"></script>\n<script>\n{title_var}  {keyword} content = \"{}\";\n\
         \x20 new Vue({{ el: '#app', data: {{ content: content }} }});\n</script>\n</body>\n</html>\n",
        js_string(&content, how)
    );
    let variation = match how {
        JsEscape::Minimal => "js_escape_minimal",
        JsEscape::Some => "js_escape_some",
        JsEscape::Ascii => "js_escape_ascii",
    };
    at.report_with(
        &d,
        "script_html",
        "html",
        page.into_bytes(),
        "utf-8",
        &[variation],
    )
}

// ---------------------------------------------------------------------------------------
// Crawler text exports

/// A site's host name, as in `原文链接:`.
fn host(rng: &mut Rng) -> String {
    let letters: String = (0..rng.range(4, 9))
        .map(|_| (b'a' + rng.below(26) as u8) as char)
        .collect();
    format!("www.{letters}.gov.cn")
}

/// A crawler's header block for a page titled `title`, published in `year`, the
/// `==== 正文 ====` line included. Returns it with the publication time it prints.
fn crawler_header(rng: &mut Rng, title: &str, year: i32, publisher: &str) -> (String, String) {
    let (m, day) = (rng.range(1, 3), rng.range(1, 28));
    let time = format!(
        "{year}-{m:02}-{day:02} {:02}:{:02}",
        rng.range(8, 18),
        rng.range(0, 59)
    );
    let n = rng.range(10_000, 99_999);
    let mut out = format!(
        "标题: {title}\n发布时间: {time}\n文号: \n发布机构: {publisher}\n栏目: 政府信息公开年报\n\
         原文链接: https://{}/zwgk/zfxxgk/zfxxgknb/{year}{m:02}/t{year}{m:02}{day:02}_{n}.htm\n",
        host(rng)
    );
    if rng.chance(0.6) {
        out += &format!(
            "本地目录: zwgk/zfxxgk/zfxxgknb/{year}{m:02}/{n}_{title}\n页面链接与图片详见 links.tsv(同目录)\n"
        );
    }
    out += "==================== 正文 ====================\n";
    (out, time)
}

/// The report's body as a crawler flattens a page: every paragraph and every table cell
/// run together on one line, headings into the text, cells without separators but for a
/// stray space now and then.
fn flatten(d: &Draft, rng: &mut Rng, title: &str, time: &str) -> String {
    let mut body = String::new();
    if rng.chance(0.4) {
        body += &format!(
            "当前位置： 首页政务公开政府信息公开政府信息公开年报 {title} 来源：{} 时间：{time} 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： --> ",
            d.agency.name
        );
    } else {
        body += title;
        body.push(' ');
    }
    for p in d.intro() {
        body += &p;
    }
    let stray = if rng.chance(0.5) { 0.06 } else { 0.0 };
    // A table split across pages repeats 三、本年度办理结果 before a later group.
    let groups: Vec<usize> = (3..d.apps.len())
        .filter(|&i| !d.apps[i].group.is_empty())
        .collect();
    let repeat = (rng.chance(0.3) && !groups.is_empty()).then(|| *rng.pick(&groups));
    for (s, grid) in d.grids().iter().enumerate() {
        if rng.chance(0.4) {
            body.push(' ');
        }
        if let Some(h) = &d.headings.tables[s] {
            body += h;
        }
        if rng.chance(0.5) {
            body.push(' ');
        }
        for (i, row) in grid.iter().enumerate() {
            if s == 1 && i >= 3 && repeat == Some(i - 3) {
                body += printed::RESULTS;
            }
            for c in row {
                if !body.ends_with(' ') && rng.chance(stray) {
                    body.push(' ');
                }
                body += &c.text;
            }
        }
    }
    let outro = d.outro();
    if rng.chance(0.5) {
        body.push(' ');
    }
    // The signature and date are often outside the article's container.
    let keep = if rng.chance(0.5) {
        outro.len()
    } else {
        outro.len() - 2
    };
    for p in &outro[..keep] {
        body += p;
    }
    if rng.chance(0.3) {
        body += " 附件下载";
    }
    body
}

fn crawler_report(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng);
    let mut d = Draft::draw(rng, agency, SynthFormat::Text, None);
    plain(&mut d);
    if d.agency_in == AgencyIn::LineAbove {
        d.agency_in = AgencyIn::Title;
    }
    let title = d.title();
    let publisher = if rng.chance(0.5) {
        d.agency.name.clone()
    } else {
        String::new()
    };
    let (mut out, time) = crawler_header(rng, &title, d.year + 1, &publisher);
    out += &flatten(&d, rng, &title, &time);
    out.push('\n');
    at.report(&d, "crawler_export", "txt", out.into_bytes(), "utf-8")
}

// ---------------------------------------------------------------------------------------
// OCR Markdown

/// A label without its numbering (`一、`, `（三）`, `1.`), as OCR tables often print it.
fn strip_numbering(label: &str) -> &str {
    const CN: &str = "一二三四五六七八九十";
    if let Some((head, rest)) = label.split_once('、') {
        if !head.is_empty() && head.chars().all(|c| CN.contains(c)) {
            return rest;
        }
    }
    if let Some(rest) = label.strip_prefix('（') {
        if let Some((head, rest)) = rest.split_once('）') {
            if !head.is_empty() && head.chars().all(|c| CN.contains(c)) {
                return rest;
            }
        }
    }
    let digits = label.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        if let Some(rest) = label[digits..].strip_prefix('.') {
            return rest;
        }
    }
    label
}

fn md_row<S: AsRef<str>>(cells: &[S]) -> String {
    let cells: Vec<&str> = cells.iter().map(AsRef::as_ref).collect();
    format!("| {} |\n", cells.join(" | "))
}

/// The header row and its `---` line: generic (`项目 | 数据1 | …`) for `width` columns,
/// or `foreign`, the header of another table.
fn md_header(rng: &mut Rng, width: usize, foreign: &[&str]) -> String {
    let header: Vec<String> = if rng.chance(0.35) {
        foreign.iter().map(|s| s.to_string()).collect()
    } else {
        std::iter::once("项目".to_string())
            .chain((1..width).map(|i| format!("数据{i}")))
            .collect()
    };
    md_row(&header) + &md_row(&vec!["---"; header.len()])
}

/// How OCR printed the groups of section 三.
#[derive(Clone, Copy, PartialEq)]
enum MdGroups {
    /// Group labels gone.
    Dropped,
    /// A group label on a row of its own, with blank cells.
    OwnRow,
    /// Two label columns: the group (on its first row) and the label.
    Column,
}

/// A row's label split in two as OCR breaks a wrapped cell.
#[derive(Clone, Copy, PartialEq)]
enum Split {
    /// The first half on a line with blank cells, the rest with the cells.
    BlankCells,
    /// The first half on a line alone.
    Alone,
    /// One line, `<br>` inside the cell.
    Br,
}

fn halves(label: &str) -> (String, String) {
    let n = label.chars().count();
    (
        label.chars().take(n / 2).collect(),
        label.chars().skip(n / 2).collect(),
    )
}

fn md_applications(d: &Draft, rng: &mut Rng) -> String {
    let groups = *rng.pick(&[MdGroups::Dropped, MdGroups::OwnRow, MdGroups::Column]);
    let lead = usize::from(groups == MdGroups::Column);
    let width = 8 + lead;
    let foreign: Vec<&str> = std::iter::once("信息内容")
        .chain(d.groups()[0].headers.iter().copied())
        .collect();
    let mut out = md_header(rng, width, &foreign);
    if rng.chance(0.5) {
        let mut row = vec![""; lead];
        row.push(printed::APPLICANT_GROUP);
        row.extend(printed::APPLICANT_HEADERS);
        out += &md_row(&row);
    }
    let mut splits = 0;
    for (i, r) in d.apps.iter().enumerate() {
        let label = strip_numbering(r.label);
        let group = strip_numbering(r.group);
        if groups == MdGroups::OwnRow && !r.group.is_empty() {
            let mut row = vec![group.to_string()];
            row.resize(width, String::new());
            out += &md_row(&row);
        }
        if groups == MdGroups::OwnRow && i == 2 {
            let mut row = vec![strip_numbering(printed::RESULTS).to_string()];
            row.resize(width, String::new());
            out += &md_row(&row);
        }
        let mut lead_cells: Vec<String> = Vec::new();
        if groups == MdGroups::Column {
            lead_cells.push(group.to_string());
        }
        let split = (label.chars().count() > 10 && splits < 2 && rng.chance(0.3))
            .then(|| *rng.pick(&[Split::BlankCells, Split::Alone, Split::Br]));
        let mut cells = lead_cells.clone();
        match split {
            None => cells.push(label.to_string()),
            Some(how) => {
                splits += 1;
                let (a, b) = halves(label);
                match how {
                    Split::Br => cells.push(format!("{a}<br>{b}")),
                    Split::BlankCells | Split::Alone => {
                        let mut first = lead_cells.clone();
                        first.push(a);
                        if how == Split::BlankCells {
                            first.resize(width, String::new());
                        }
                        out += &md_row(&first);
                        cells = vec![String::new(); lead];
                        cells.push(b);
                    }
                }
            }
        }
        cells.extend(r.printed.iter().cloned());
        out += &md_row(&cells);
    }
    out
}

fn ocr_markdown(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng);
    let mut d = Draft::draw(rng, agency, SynthFormat::Text, None);
    let blank_zeros = d.blank_zeros;
    plain(&mut d);
    // OCR prints blank cells blank: only the variations that spoil its reading go.
    if blank_zeros {
        restore_blank_zeros(&mut d);
    }
    let mut out = String::new();
    let title_style = rng.below(3);
    for line in d.title().lines() {
        out += &match title_style {
            0 => format!("# {line}\n\n"),
            1 => format!("**{line}**\n\n"),
            _ => format!("{line}\n\n"),
        };
    }
    for p in d.intro() {
        out += &p;
        out += "\n\n";
    }
    let heading_style = rng.below(3);
    let grids = d.grids();
    for (s, grid) in grids.iter().enumerate() {
        if let Some(h) = &d.headings.tables[s] {
            out += &match heading_style {
                0 => format!("## {h}\n\n"),
                1 => format!("**{h}**\n\n"),
                _ => format!("{h}\n\n"),
            };
        }
        match s {
            0 => {
                out += &md_header(rng, 4, &applicants_row());
                for row in expand(grid) {
                    let mut row: Vec<String> = row;
                    row.resize(4, String::new());
                    out += &md_row(&row);
                }
            }
            1 => out += &md_applications(&d, rng),
            _ => {
                out += &md_header(rng, 15, &applicants_row());
                if rng.chance(0.6) {
                    for row in expand(&grid[..3].to_vec()) {
                        let mut row: Vec<String> = row;
                        row.resize(15, String::new());
                        out += &md_row(&row);
                    }
                }
                out += &md_row(&expand(&grid[3..].to_vec())[0]);
            }
        }
        out += "\n";
    }
    for p in d.outro() {
        out += &p;
        out += "\n\n";
    }
    at.report(&d, "ocr_markdown", "md", out.into_bytes(), "utf-8")
}

/// Section 三's printed column headers in one row (申请人情况, 自然人, …, 总计).
fn applicants_row() -> Vec<&'static str> {
    std::iter::once(printed::APPLICANT_GROUP)
        .chain(printed::APPLICANT_HEADERS)
        .collect()
}

/// Zeros blank again after [`plain`], in values and print.
fn restore_blank_zeros(d: &mut Draft) {
    d.blank_zeros = true;
    for r in d.apps.iter_mut() {
        for (v, shown) in r.values.iter_mut().zip(r.printed.iter_mut()) {
            if *v == Some(0) {
                *v = None;
                shown.clear();
            }
        }
    }
    for v in d.review.iter_mut() {
        if *v == Some(0) {
            *v = None;
        }
    }
}

// ---------------------------------------------------------------------------------------
// Headings and agencies

fn renumbered(rng: &mut Rng, at: &Place, formats: &[SynthFormat]) -> File {
    let format = pick_format(rng, formats);
    let agency = Agency::draw(rng);
    let mut d = Draft::draw(rng, agency, format, None);
    let (headings, variations) = draw_headings(rng);
    d.headings = headings;
    let (layout, bytes, encoding, _) = d.render(rng, &[], None);
    let ext = super::extension(format);
    at.report_with(&d, layout, ext, bytes, encoding, &variations)
}

/// Development zones, new areas and experimental zones of the gazetteer (current).
fn zones() -> &'static [&'static str] {
    static CELL: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        crate::agency::current_counties()
            .map(|(_, _, county)| county)
            .filter(|n| ["开发区", "新区", "实验区"].iter().any(|k| n.contains(k)))
            .collect()
    })
}

const TOWNS: [&str; 12] = [
    "城关", "新兴", "永安", "太平", "长乐", "兴隆", "龙泉", "石桥", "白沙", "清河", "双河", "三合",
];
const STREETS: [&str; 10] = [
    "东城",
    "西城",
    "城南",
    "城北",
    "新华路",
    "解放路",
    "人民路",
    "中山路",
    "滨江",
    "和平",
];
const COMMITTEES: [&str; 5] = [
    "发展和改革委员会",
    "民族宗教事务委员会",
    "卫生健康委员会",
    "经济和信息化委员会",
    "住房和城乡建设委员会",
];
const PARKS: [&str; 4] = ["工业园区", "经济开发区", "产业集聚区", "旅游度假区"];

/// An agency of the kinds that are neither county governments nor bureaus, as a title
/// prints it, and sometimes the office that signs for it.
fn special_agency(rng: &mut Rng) -> Agency {
    let (province, prefecture, county) = *rng.pick(divisions());
    let city = if prefecture.is_empty() {
        province.trim_end_matches('市').to_string()
    } else {
        prefecture.trim_end_matches('市').to_string()
    };
    let pick_zone = |rng: &mut Rng, key: &str| -> Option<String> {
        let zs: Vec<&&str> = zones().iter().filter(|z| z.contains(key)).collect();
        (!zs.is_empty()).then(|| rng.pick(&zs).to_string())
    };
    let mut signature = None;
    let name = match rng.below(10) {
        0 => {
            let zone = if rng.chance(0.6) {
                "平潭综合实验区".to_string()
            } else {
                pick_zone(rng, "实验区").unwrap_or_else(|| "平潭综合实验区".into())
            };
            // The office signs; the title names the area, and the title wins.
            if rng.chance(0.6) {
                signature = Some(format!("{zone}管委会办公室"));
            }
            zone
        }
        1 => match pick_zone(rng, "经济技术开发区") {
            Some(z) if rng.chance(0.6) => {
                format!("{z}{}", rng.pick(&["管委会", "管理委员会"]))
            }
            _ => format!("{city}经济技术开发区管委会"),
        },
        2 => match rng.below(3) {
            0 => format!("{city}高新区管委会"),
            1 => format!("{city}高新区{}", rng.pick(&DEPARTMENTS[..13])),
            _ => pick_zone(rng, "高新技术产业开发区").map_or_else(
                || format!("{city}高新区管委会"),
                |z| format!("{z}管理委员会"),
            ),
        },
        3 => {
            let zone = pick_zone(rng, "新区").unwrap_or_else(|| format!("{city}新区"));
            if rng.chance(0.5) {
                format!("{zone}管委会")
            } else {
                zone
            }
        }
        4 => format!("{county}{}街道办事处", rng.pick(&STREETS)),
        5 | 6 => {
            let town = rng.pick(&TOWNS);
            let suffix = rng.pick(&["镇人民政府", "镇", "乡人民政府", "乡"]);
            if rng.chance(0.5) {
                format!("{county}{town}{suffix}")
            } else {
                format!("{town}{suffix}")
            }
        }
        7 => {
            let place = if rng.chance(0.5) {
                &prefecture
            } else {
                &county
            };
            format!("{place}{}", rng.pick(&COMMITTEES))
        }
        8 => format!(
            "乌鲁木齐高新区(新市区){}",
            rng.pick(&["司法局", "司法局", "财政局", "教育局"])
        ),
        _ => format!(
            "{county}{}{}",
            rng.pick(&PARKS),
            rng.pick(&["管委会", "管理委员会"])
        ),
    };
    Agency { name, signature }
}

fn agency_kind(rng: &mut Rng, at: &Place, formats: &[SynthFormat]) -> File {
    let format = pick_format(rng, formats);
    let agency = special_agency(rng);
    let mut d = Draft::draw(rng, agency, format, None);
    // The truth is the name as the title prints it: the title must print one.
    if d.agency_in == AgencyIn::BodyOnly {
        d.agency_in = AgencyIn::Title;
    }
    let (layout, bytes, encoding, _) = d.render(rng, &[], None);
    let mut variations = Vec::new();
    if d.agency.signature.is_some() {
        variations.push("signed_by_office");
    }
    at.report_with(
        &d,
        layout,
        super::extension(format),
        bytes,
        encoding,
        &variations,
    )
}

// ---------------------------------------------------------------------------------------
// Near-misses

/// An office that writes to the agencies of its area.
fn upper_office(rng: &mut Rng) -> String {
    let (_, prefecture, county) = *rng.pick(divisions());
    let place = if prefecture.is_empty() || rng.chance(0.4) {
        county
    } else {
        prefecture
    };
    format!(
        "{place}{}",
        rng.pick(&["人民政府办公室", "人民政府办公室", "政务公开办公室"])
    )
}

/// A notice that reprints the blank template: every label, no value.
fn template_notice(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng);
    let mut d = Draft::draw(rng, agency, SynthFormat::Text, None);
    plain(&mut d);
    for p in d.proactive.iter_mut() {
        p.3.clear();
    }
    for r in d.apps.iter_mut() {
        r.printed.iter_mut().for_each(String::clear);
    }
    d.review = [None; 15];
    let y = d.year;
    let issuer = upper_office(rng);
    let mut out = format!(
        "{issuer}\n关于做好{y}年度政府信息公开工作年度报告编制工作的通知\n\n各县（市、区）人民政府，各有关单位：\n\
         为做好{y}年度政府信息公开工作年度报告（以下简称年度报告）编制和发布工作，根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室印发的《中华人民共和国政府信息公开工作年度报告格式》要求，现将有关事项通知如下：\n\
         一、编制要求\n各单位要严格按照年度报告格式编制，数据应真实准确，表格中的数据不得漏填，没有数据的填写“0”。\n\
         二、发布时间\n各单位应于{}年1月31日前在本单位政府网站政府信息公开专栏发布年度报告，并报送{issuer}备案。\n\n\
         附件：政府信息公开工作年度报告格式\n\n政府信息公开工作年度报告格式\n\n一、总体情况\n（总体情况文字说明）\n",
        y + 1
    );
    for (s, grid) in d.grids().iter().enumerate() {
        out += printed::HEADINGS[s];
        out.push('\n');
        for row in word_rows(grid) {
            out += &row.join("\t");
            out.push('\n');
        }
    }
    out += &format!(
        "五、存在的主要问题及改进情况\n六、其他需要报告的事项\n\n{issuer}\n{}年1月{}日\n",
        y + 1,
        rng.range(3, 20)
    );
    at.near_miss("text", "txt", out)
}

/// A column page of the site: the titles of many reports, linked.
fn report_index(rng: &mut Rng, at: &Place) -> File {
    let (_, _, county) = *rng.pick(divisions());
    let mut items = String::new();
    let n = rng.range(12, 30);
    for _ in 0..n {
        let dept = rng.pick(&DEPARTMENTS);
        let year = rng.range(2019, 2024);
        let title = if rng.chance(0.7) {
            format!("{county}{dept}{year}年政府信息公开工作年度报告")
        } else {
            format!("{year}年度{county}{dept}政府信息公开工作年度报告")
        };
        let (m, day) = (rng.range(1, 3), rng.range(1, 28));
        items += &format!(
            "<li><a href=\"./{}{m:02}/t{}{m:02}{day:02}_{}.html\" target=\"_blank\" title=\"{title}\">{title}</a><span class=\"date\">{}-{m:02}-{day:02}</span></li>\n",
            year + 1,
            year + 1,
            rng.range(10_000, 99_999),
            year + 1
        );
    }
    let column = if rng.chance(0.5) {
        "政府信息公开年报"
    } else {
        "政府信息公开工作年度报告"
    };
    let page = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{column}_{county}人民政府</title></head>\n<body>\n\
         <div class=\"nav\">首页 &gt; 政府信息公开 &gt; {column}</div>\n<div class=\"list\"><h3>{column}</h3><ul>\n{items}</ul></div>\n\
         <div class=\"page\">共{}页 首页 上一页 <a href=\"index.html\">1</a> <a href=\"index_1.html\">2</a> 下一页 尾页</div>\n</body></html>\n",
        rng.range(2, 6)
    );
    at.near_miss("html", "html", page)
}

/// A letter filed in the 年报 column: the report is sent or its publication put off.
fn cover_letter(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng).name;
    let y = rng.range(2019, 2024) as i32;
    let upper = upper_office(rng);
    let report = format!("{agency}{y}年政府信息公开工作年度报告");
    let (title, body) = if rng.chance(0.6) {
        (
            format!("关于报送{report}的函"),
            format!(
                "{upper}：\n根据《中华人民共和国政府信息公开条例》第五十条规定，我单位编制完成了《{report}》，现予报送，请审阅。\n附件：{report}\n"
            ),
        )
    } else {
        (
            format!("关于{report}延期发布的说明"),
            format!(
                "因数据核对工作尚未完成，《{report}》将延期至{}年3月31日前发布，特此说明。\n",
                y + 1
            ),
        )
    };
    let tail = format!(
        "{agency}\n{}年1月{}日\n（联系人：王某某，电话：0{}-{}）\n",
        y + 1,
        rng.range(5, 28),
        rng.range(100, 999),
        rng.range(2_000_000, 8_999_999)
    );
    let out = if rng.chance(0.6) {
        let (mut out, _) = crawler_header(rng, &title, y + 1, "");
        out += &format!("{title} {}{tail}", body.replace('\n', "")).replace('\n', "");
        out.push('\n');
        out
    } else {
        format!("{title}\n\n{body}\n{tail}")
    };
    at.near_miss("text", "txt", out)
}

/// A machine-written analysis of an agency's reports: template labels and figures, in
/// two year columns.
fn data_analysis(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng).name;
    let y = rng.range(2022, 2024) as i32;
    let title = match rng.below(4) {
        0 => format!("{agency}政府信息公开年报数据分析报告（AI生成）"),
        1 => format!("{agency}{y}—{}年政府信息公开工作年度报告对比分析", y + 1),
        2 => format!("AI解读：{agency}{}年政府信息公开工作年度报告", y + 1),
        _ => format!(
            "{agency}政务公开决策参考：{}年度政府信息公开年报分析报告",
            y + 1
        ),
    };
    let rows = [
        "本年新收政府信息公开申请数量",
        "上年结转政府信息公开申请数量",
        "予以公开",
        "部分公开",
        "本机关不掌握相关政府信息",
        "总计",
        "结转下年度继续办理",
        "行政复议（总计）",
        "行政诉讼（总计）",
        "行政规范性文件（现行有效件数）",
    ];
    let change = rng.chance(0.4);
    let mut table = if change {
        format!(
            "| 指标 | {y}年 | {}年 | 变化 |\n| --- | --- | --- | --- |\n",
            y + 1
        )
    } else {
        format!("| 指标 | {y}年 | {}年 |\n| --- | --- | --- |\n", y + 1)
    };
    let mut first = (0, 0);
    for (i, label) in rows.iter().enumerate() {
        let (a, b) = (rng.range(0, 300), rng.range(0, 300));
        if i == 0 {
            first = (a, b);
        }
        table += &if change {
            format!("| {label} | {a} | {b} | {:+} |\n", b - a)
        } else {
            format!("| {label} | {a} | {b} |\n")
        };
    }
    let trend = if first.1 >= first.0 {
        "增长"
    } else {
        "下降"
    };
    let out = format!(
        "# {title}\n\n> 本文由AI根据{agency}公开发布的政府信息公开工作年度报告自动生成，数据仅供参考。\n\n\
         ## 一、总体概况\n\n{agency}{y}年共收到政府信息公开申请{}件，{}年{}件，同比{trend}。\n\n\
         ## 二、主要指标对比\n\n{table}\n## 三、分析与建议\n\n1. 依申请公开数量变化较大，建议加强主动公开，减少重复申请。\n\
         2. 行政复议、行政诉讼案件需持续关注，提升答复规范性。\n",
        first.0,
        y + 1,
        first.1
    );
    at.near_miss("text", "md", out)
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
    fn classes(n: u64, rate: f64) -> Vec<(String, File)> {
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
            assert!(n >= 20, "{name}: {n} in {count:?}");
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

    fn text(f: &File) -> &str {
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

    #[test]
    fn a_flattened_row_is_its_cells_run_together() {
        let mut seen = 0;
        for (_, f) in classes(1000, 0.3)
            .into_iter()
            .filter(|(c, _)| c == "crawler_export")
        {
            let apps = f.truth["applications"].as_object().unwrap();
            let row: String = crate::templates::APPLICANTS
                .iter()
                .map(|a| {
                    apps[&format!("new_received.{a}")]
                        .as_i64()
                        .unwrap()
                        .to_string()
                })
                .collect();
            let s = text(&f);
            let label = "一、本年新收政府信息公开申请数量";
            let from = s.find(label).unwrap() + label.len();
            let to = from + s[from..].find("二、上年结转").unwrap();
            assert_eq!(s[from..to].replace(' ', ""), row, "{}", f.path);
            seen += 1;
        }
        assert!(seen > 10);
    }

    #[test]
    fn numbering_is_stripped_from_labels() {
        assert_eq!(
            strip_numbering("一、本年新收政府信息公开申请数量"),
            "本年新收政府信息公开申请数量"
        );
        assert_eq!(strip_numbering("（三）不予公开"), "不予公开");
        assert_eq!(strip_numbering("1.属于国家秘密"), "属于国家秘密");
        assert_eq!(strip_numbering("行政许可"), "行政许可");
    }

    #[test]
    fn js_strings_escape_what_they_must() {
        let s = "<p class=\"a\">（一）x</p>\n";
        assert_eq!(
            js_string(s, JsEscape::Minimal),
            "<p class=\\\"a\\\">（一）x</p>\\n"
        );
        assert_eq!(
            js_string(s, JsEscape::Some),
            "<p class=\\\"a\\\">\\uff08一\\uff09x<\\/p>\\n"
        );
        assert!(js_string(s, JsEscape::Ascii).is_ascii());
    }
}
