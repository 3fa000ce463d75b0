//! Stage 6b: what kind of document this is, from positive evidence.
//!
//! A document is a report when it names itself the annual report of a year (its title
//! line, the page's `<title>`/ArticleTitle, a crawler's `标题:` header, or its opening
//! lines), when it carries the template's tables with values, or when it prints the
//! report's section headings. `not_a_report` needs evidence too: nothing of the above, or
//! a recognised near-miss — a summary or analysis that quotes a report's figures, a
//! notice that reprints the blank template, an index page listing many reports, a
//! partial-year bulletin. When in doubt the document stays a report: a report whose
//! tables cannot be read is kept with error findings (see [`crate::parse_named`]), so
//! that no report leaves the dataset without a word.

use crate::metadata::Metadata;
use crate::model::{Finding, Kind, PageMeta, Severity, Table};
use crate::normalise::{is_han, Line, Trim};
use crate::read::mojibake::Census;

/// What the kind decision rests on (the `kind_evidence` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    /// The title line names the document an annual report.
    Title,
    /// The HTML page's `<title>` or ArticleTitle does.
    PageMeta,
    /// A crawler export's `标题:` header does.
    CrawlerHeader,
    /// The opening lines do (`本报告根据…`, a title inside the first lines).
    Opening,
    /// The file's name does (scrapers name files after the page's title).
    FileName,
    /// The template's tables were read with values.
    TableLabels,
    /// The report's numbered section headings are printed.
    SectionHeadings,
    /// A summary, analysis or comparison that quotes a report (near-miss).
    DerivedDocument,
    /// A notice or form that reprints the blank template (near-miss).
    BlankTemplate,
    /// A page listing several reports' titles (near-miss).
    IndexPage,
    /// A letter or notice about reports, not a report (near-miss).
    Letter,
    /// A bulletin of part of a year (上半年, 季度).
    PartialYear,
    /// Nothing could be read: the text is damaged (mojibake, U+FFFD). Kept as a report.
    UnreadableText,
    /// The template's rows print numbers that no layout rule could read. A report.
    TableRows,
    /// Its text names itself a report and holds the words of the template's tables, but
    /// no title, heading or row could be read in its layout. A report, flagged.
    TemplateWords,
    /// Nothing says it is a report.
    NoReportEvidence,
}

impl Evidence {
    /// The code written to the `reports` table.
    pub fn code(self) -> &'static str {
        match self {
            Evidence::Title => "title",
            Evidence::PageMeta => "page_meta",
            Evidence::CrawlerHeader => "crawler_header",
            Evidence::Opening => "opening",
            Evidence::FileName => "file_name",
            Evidence::TableLabels => "table_labels",
            Evidence::SectionHeadings => "section_headings",
            Evidence::DerivedDocument => "derived_document",
            Evidence::BlankTemplate => "blank_template",
            Evidence::IndexPage => "index_page",
            Evidence::Letter => "letter",
            Evidence::PartialYear => "partial_year",
            Evidence::UnreadableText => "unreadable_text",
            Evidence::TableRows => "table_rows",
            Evidence::TemplateWords => "template_words",
            Evidence::NoReportEvidence => "no_report_evidence",
        }
    }
}

/// What the tables and sections of a document showed.
#[derive(Debug, Clone, Copy, Default)]
pub struct TableEvidence {
    /// Template labels were found (a table, blank or not).
    pub labels: bool,
    /// Cells read with a number.
    pub values: usize,
    /// How many of the sections 二, 三, 四 were found under their heading.
    pub headings: usize,
}

/// The decision.
#[derive(Debug)]
pub struct Classified {
    /// The kind.
    pub kind: Kind,
    /// What it rests on.
    pub evidence: Evidence,
    /// Why a document is not a report (near-misses), as a finding.
    pub finding: Option<Finding>,
}

/// Words of a title that name a report of a disclosure year.
const REPORT_WORDS: &[&str] = &["年度报告", "年报", "工作报告", "年度工作报告"];

/// Words that make a title a document *about* reports: machine-written summaries,
/// analyses, comparisons and explainers that quote a report's figures. Not 摘要 or 汇总:
/// an agency's abridged report, or a city's report summing its departments, is a report.
const DERIVED_WORDS: &[&str] = &[
    "分析",
    "解读",
    "图解",
    "一图读懂",
    "数读",
    "对比",
    "比较",
    "测评",
    "评估",
    "决策参考",
    "速览",
    "AI",
    "一图",
    "图说",
    "长图",
    "数据看板",
];

/// Words of a notice or letter about reports (关于…的通知).
const LETTER_ENDINGS: &[&str] = &["通知", "函", "批复", "公告", "意见", "通报", "方案", "目录"];

/// The sentences an annual report opens with (`本报告根据《条例》…编制`, `本报告所列数据的统计
/// 期限…`): a report's own words about itself.
const OPENING_SENTENCES: &[&str] = &[
    "本报告根据",
    "本年度报告根据",
    "本报告由",
    "本报告所列数据",
    "报告中所列数据的统计期限",
    "本报告中所列数据",
];

/// `某区发布2023年政府信息公开工作年度报告`: a headline on the report's publication (not a
/// notice 关于发布…, which [`letter`] knows).
fn news_headline(title: &str) -> bool {
    let k = key(title);
    let Some(report) = k.find("信息公开") else {
        return false;
    };
    claims_report(title)
        && !k.starts_with("关于")
        && ["发布", "公布", "出炉", "亮相"]
            .iter()
            .any(|w| k[..report].contains(w) || k.ends_with(w))
}

/// A page's or a crawler's title without what the site adds after the report's own
/// title: its column and its name (`…年度报告_政策解读_某县人民政府`, `…年度报告-统计分析`).
/// What stands before the title (`一图读懂-…`) and a suffix naming a genre of explainer
/// (`…年度报告-图文解读`) are the page's own words and stay.
fn site_suffix_cut(title: &str) -> &str {
    use crate::metadata::TITLE_SEPARATORS as SEPARATORS;
    const GENRES: [&str; 7] = ["图", "读懂", "速览", "数读", "看板", "AI", "对比"];
    let mut end = 0;
    let mut reported = false;
    for part in title.split_inclusive(SEPARATORS) {
        let words = part.trim_end_matches(SEPARATORS);
        if reported && !GENRES.iter().any(|g| words.contains(g)) {
            break;
        }
        reported |= words.contains("报告") || words.contains("年报");
        end += part.len();
    }
    title[..end].trim_end_matches(SEPARATORS)
}

/// A site's trail of columns down to the page (`当前位置：首页 > 政务公开 > 年报`).
fn breadcrumb(line: &str) -> bool {
    line.contains(['>', '»', '›'])
        || ["当前位置", "您的位置", "您所在的位置", "所在位置"]
            .iter()
            .any(|w| line.starts_with(w))
}

/// A page's links to the articles before and after it.
const NAV_LINKS: &[&str] = &[
    "上一篇",
    "下一篇",
    "上一条",
    "下一条",
    "上篇",
    "下篇",
    "前一篇",
    "后一篇",
];

/// Words of a partial-year bulletin.
const PARTIAL_WORDS: &[&str] = &["上半年", "下半年", "季度", "月份"];

/// Decides the kind. `name` is the file's name (or archive member's), empty when unknown.
pub fn classify(
    lines: &[Line],
    md: &Metadata,
    page: &PageMeta,
    name: &str,
    tables: TableEvidence,
) -> Classified {
    let year = md.year.as_ref().map(|y| y.value);
    let header_title = crate::metadata::crawler_title(lines);
    let claim = title_claim(lines, md, page, header_title.as_deref());
    // Template rows printed with numbers are a report's own body. Then a title that a
    // site or a crawler gave the page counts only for its part that names the report
    // (`…年度报告_政策解读_某县人民政府` names the column the site filed it under), and a
    // breadcrumb (`首页 > 政策解读 > 年报`) is no title.
    let body_read = tables.values > 0;
    fn given(body_read: bool, t: &str) -> &str {
        if body_read {
            site_suffix_cut(t)
        } else {
            t
        }
    }
    let titles: Vec<&str> = [
        md.title.as_deref(),
        header_title.as_deref().map(|t| given(body_read, t)),
        page.article_title.as_deref().map(|t| given(body_read, t)),
        page.title.as_deref().map(|t| given(body_read, t)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let first_line = lines
        .iter()
        .map(|l| l.text.trim_ws())
        .find(|t| !t.is_empty())
        .filter(|t| !(body_read && breadcrumb(t)))
        .map(|t| given(body_read, t))
        .unwrap_or("");
    let near = |evidence: Evidence, why: String| Classified {
        kind: Kind::NotAReport,
        evidence,
        finding: Some(Finding::new(Severity::Warning, "not_a_report", why).at(
            Table::Reports,
            None,
            None,
        )),
    };
    let report = |evidence: Evidence| Classified {
        kind: if year.is_some_and(|y| y < 2019) && tables.values == 0 {
            Kind::Pre2019Report
        } else {
            Kind::Report
        },
        evidence,
        finding: None,
    };

    // The report's own title, when it names the report and not something about it,
    // decides: a page's `<title>` with the column's name (`政策解读`) does not.
    let agency = md.agency.as_ref().map(|a| a.value.as_str());
    let own_title_claims = md
        .title
        .as_deref()
        .is_some_and(|t| claims_report(t) && !derived_title(t, agency));
    if let Some(t) = titles
        .iter()
        .copied()
        .chain(std::iter::once(first_line).filter(|l| l.chars().count() <= 60))
        .filter(|_| !own_title_claims)
        .find(|t| derived_title(t, agency))
    {
        return near(
            Evidence::DerivedDocument,
            format!("{t:?} is a summary or analysis of a report, not the report itself; its figures are not read"),
        );
    }
    let two_years = two_year_columns(lines);
    if let Some(evidence) = claim.filter(|_| two_years) {
        // A report that prints the year before beside its own: still the report its
        // title names. Its rows print two numbers a column, which no rule places.
        let mut kept = report(evidence);
        kept.finding = Some(
            Finding::new(
                Severity::Error,
                "two_year_columns",
                "a table prints two years side by side: the report is kept, and rows whose numbers cannot be told apart by year are left out",
            )
            .at(Table::Reports, None, None),
        );
        return kept;
    }
    if two_years {
        return near(
            Evidence::DerivedDocument,
            "its tables compare two years side by side: a summary quoting reports, not a report; its figures are not read".into(),
        );
    }
    // The first line counts as a title only where nothing else names the document a
    // report (a page header `某局政府信息公开 2021年01月` stands above many reports).
    if let Some(t) = titles
        .iter()
        .copied()
        .chain(std::iter::once(first_line).filter(|l| l.chars().count() <= 60 && claim.is_none()))
        .find(|t| partial(t))
    {
        return near(
            Evidence::PartialYear,
            format!("{t:?} covers part of a year, not the annual report"),
        );
    }
    if claim.is_none() && md.partial_year {
        return near(
            Evidence::PartialYear,
            "a bulletin of part of a year (上半年/季度), not the annual report".into(),
        );
    }
    if tables.values > 0 {
        return report(Evidence::TableLabels);
    }
    // A page that names itself a report and prints its section headings is one, whatever
    // links to other years' reports it carries (上一篇/下一篇, 相关文章).
    if index_page(lines) && !(claim.is_some() && tables.headings >= 1) {
        return near(
            Evidence::IndexPage,
            "the page lists the titles of several reports: an index, not a report".into(),
        );
    }
    // `关于公布…年度报告的公告` followed by the report: the report, published by its notice.
    let publishes = |t: &str| {
        let k = key(t);
        ["关于公布", "关于发布", "关于印发", "关于公开"]
            .iter()
            .any(|w| k.starts_with(w))
            && !["模板", "格式", "样式", "要求", "范本"]
                .iter()
                .any(|w| k.contains(w))
            && tables.headings >= 2
            // A blank template prints the labels without values.
            && (!tables.labels || tables.values > 0)
    };
    if let Some(t) = titles.iter().find(|t| letter(t) && !publishes(t)) {
        let why = if tables.labels {
            format!(
                "{t:?} is a notice that reprints the blank template; it holds no report's figures"
            )
        } else {
            format!("{t:?} is a letter or notice about reports, not a report")
        };
        let evidence = if tables.labels {
            Evidence::BlankTemplate
        } else {
            Evidence::Letter
        };
        return near(evidence, why);
    }
    // Nothing of a report's body (no section heading, no table): two reports' titles are
    // a list of links, and a headline on a report's publication (`某区发布…年度报告`) is
    // news about it. Kept as reports they would stand as phantom reports of a real
    // agency and year beside the real ones.
    let bare = tables.headings == 0 && !tables.labels;
    if bare && index_titles(lines, true) >= 2 {
        return near(
            Evidence::IndexPage,
            "the page lists the titles of reports and prints no report's sections: an index, not a report".into(),
        );
    }
    if let Some(t) = titles
        .iter()
        .copied()
        .chain(std::iter::once(first_line).filter(|l| l.chars().count() <= 60))
        .filter(|_| bare)
        .find(|t| news_headline(t))
    {
        return near(
            Evidence::DerivedDocument,
            format!("{t:?} is news of a report's publication, and the page prints none of its sections; its figures are not read"),
        );
    }
    // `…年度报告（参考格式）` over the template's blank tables (none printed a value, or the
    // document would be a report above): the form, not a report.
    if tables.labels && names_a_form(lines) {
        return near(
            Evidence::BlankTemplate,
            "the document names itself the report's format or template and prints its tables without any value: a blank form".into(),
        );
    }
    if let Some(evidence) = claim {
        return report(evidence);
    }
    let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if claims_report(file_name) && !derived(file_name) && !partial(file_name) {
        return report(Evidence::FileName);
    }
    // Nothing above could be read in a text that is mostly damage: it may well be a report
    // (a scraper's crawl is of reports), and it is kept as one, flagged, rather than
    // dropped as a page that is not.
    let census = lines.iter().fold(Census::default(), |mut c, l| {
        c.count(&l.text);
        c
    });
    if census.unreadable() {
        return Classified {
            kind: Kind::Report,
            evidence: Evidence::UnreadableText,
            finding: Some(
                Finding::new(
                    Severity::Error,
                    "text_unreadable",
                    format!(
                        "{} of its {} non-ASCII characters cannot be read (U+FFFD, text decoded with a wrong character set, glyphs without a Unicode mapping): the text was damaged before it was saved, and nothing can be read from it; kept as a report of which nothing is known",
                        census.unreadable_count(),
                        census.non_ascii
                    ),
                )
                .at(Table::Reports, None, None),
            ),
        };
    }
    if tables.labels && template_rows_with_numbers(lines) >= 2 {
        // Not a blank form: its rows print numbers, which no layout rule could read.
        return Classified {
            kind: Kind::Report,
            evidence: Evidence::TableRows,
            finding: Some(
                Finding::new(
                    Severity::Error,
                    "values_unread",
                    "the template's rows print numbers, but none of them could be read in this layout; kept as a report",
                )
                .at(Table::Reports, None, None),
            ),
        };
    }
    if closing_sections(lines)
        && !titles.iter().any(|t| {
            ["总结", "要点", "方案", "计划"]
                .iter()
                .any(|w| t.contains(w))
        })
    {
        // The last page of a report, cut from its document: kept as the report it is a
        // piece of (its tables are then reported lost), not dropped as something else.
        // Its tables may print their labels with every cell blank (zeros left blank, a
        // row's numbers past reading): a blank form ends at its tables, and has no
        // closing sections of its own.
        return report(Evidence::SectionHeadings);
    }
    if tables.labels {
        return near(
            Evidence::BlankTemplate,
            "the template's labels are printed without any value and nothing names the document an annual report: a blank form".into(),
        );
    }
    if tables.headings >= 2 {
        return report(Evidence::SectionHeadings);
    }
    if md.calls_itself_annual_report && md.has_title && tables.headings >= 1 {
        return report(Evidence::SectionHeadings);
    }
    if tables.headings >= 1 && cut_inside_the_tables(lines) {
        // A report cut (a scrape's byte limit) after its opening section and the start of
        // its tables, before any row: its own headings and the template's column headers
        // are printed, which only a report prints; its tables are then reported lost.
        return report(Evidence::SectionHeadings);
    }
    if let Some(tables) = buried_report(lines) {
        // What every report must contain, anywhere in its text: its name, and the words of
        // at least two of its tables. No layout rule found a title, heading or row in it
        // (one long line with its breaks escaped, markup left in, a crawler's own
        // format): kept as the report it says it is, flagged, rather than dropped.
        return Classified {
            kind: Kind::Report,
            evidence: Evidence::TemplateWords,
            finding: Some(
                Finding::new(
                    Severity::Error,
                    "layout_unread",
                    format!("the text names itself an annual report on government information disclosure and holds the words of {tables} of the template's tables, but no title, heading or table row could be read in its layout; kept as a report"),
                )
                .at(Table::Reports, None, None),
            ),
        };
    }
    Classified {
        kind: Kind::NotAReport,
        evidence: Evidence::NoReportEvidence,
        finding: None,
    }
}

/// The number of the template's tables (of three) whose rows the text prints (two distinct
/// words of a table each followed by a number), when it also names itself a report in its
/// first lines and two tables or more are there; `None` otherwise.
fn buried_report(lines: &[Line]) -> Option<usize> {
    use crate::templates::headings::{APPLICATION_ROWS, PROACTIVE_ROWS, REVIEW_ROWS};
    // The name where a title stands, at the start of one of the first lines: a work plan
    // or a rubric names the report in a sentence, and the tables' words too.
    let head = |t: &str| -> String { t.trim_ws().chars().take(80).collect() };
    if !lines
        .iter()
        .filter(|l| !l.text.trim_ws().is_empty())
        .take(3)
        .any(|l| claims_report(&head(&l.text)))
    {
        return None;
    }
    // A word of a table with a number after it, as its row prints.
    let printed = |w: &str| {
        lines.iter().any(|l| {
            l.text.match_indices(w).any(|(at, _)| {
                l.text[at + w.len()..]
                    .chars()
                    .take(16)
                    .any(|c| c.is_ascii_digit())
            })
        })
    };
    let holds = |words: &[&str]| words.iter().filter(|w| printed(w)).count() >= 2;
    let tables = [PROACTIVE_ROWS, APPLICATION_ROWS, REVIEW_ROWS]
        .iter()
        .filter(|w| holds(w))
        .count();
    (tables >= 2).then_some(tables)
}

/// A document that calls itself the report's format or template (`年度报告格式`,
/// `参考模板`) in its first lines: a blank form, whatever outline it prints.
fn names_a_form(lines: &[Line]) -> bool {
    lines
        .iter()
        .map(|l| l.text.trim_ws())
        .filter(|t| !t.is_empty())
        .take(10)
        .any(|t| {
            t.chars().count() <= 40
                && ["格式", "模板", "样式", "范本", "样表"]
                    .iter()
                    .any(|w| t.contains(w))
        })
}

/// The opening section's heading (`一、总体情况`) and the template's own table furniture
/// (`第二十条第（一）项`, the column headers `本年制发件数`…, `申请人情况`, `结果维持`) are both
/// printed.
fn cut_inside_the_tables(lines: &[Line]) -> bool {
    use crate::templates::{headings as H, printed, MEASURE_LABELS_2019, MEASURE_LABELS_2021};
    let opening = lines
        .iter()
        .any(|l| crate::segment::heading(&l.text) == Some(1));
    opening
        && lines.iter().any(|l| {
            let k = crate::normalise::match_key(&l.text);
            k.starts_with(H::PROACTIVE_START)
                || MEASURE_LABELS_2021
                    .iter()
                    .chain(MEASURE_LABELS_2019)
                    .any(|m| k.contains(m))
                || k.contains(printed::APPLICANT_GROUP)
                || k.contains(printed::OUTCOMES[0])
        })
}

/// The closing sections the Regulations prescribe for the annual report, printed as
/// headings (`五、政府信息公开工作存在的主要问题及改进情况`, `六、其他需要报告的事项`), in a
/// text about 政府信息公开: no other document ends that way.
fn closing_sections(lines: &[Line]) -> bool {
    let closing = lines.iter().any(|l| {
        // Numbered as the report numbers them: a work summary's `二、存在的主要问题…` is not.
        let numeral = l.text.trim_start().chars().next();
        numeral.is_some_and(|c| matches!(c, '五' | '六' | '七' | '5' | '6' | '7'))
            && crate::segment::heading(&l.text) == Some(5)
            && {
                let k = crate::normalise::match_key(&l.text);
                k.contains("其他需要报告的事项") || k.contains("主要问题") && k.contains("改进")
            }
    });
    closing && lines.iter().any(|l| l.text.contains("政府信息公开"))
}

/// Han characters and ASCII letters only: the form titles are compared in.
fn key(s: &str) -> String {
    s.chars()
        .filter(|c| is_han(*c) || c.is_ascii_alphanumeric())
        .collect()
}

/// A title that names an annual report of information disclosure.
pub fn claims_report(title: &str) -> bool {
    // Every report word holds 报: most lines are ruled out without building their key
    // (index_page asks this of hundreds of lines a document).
    if !title.contains('报') || !title.contains('信') {
        return false;
    }
    let k = key(title);
    k.contains("信息公开") && REPORT_WORDS.iter().any(|w| k.contains(w))
}

fn derived(title: &str) -> bool {
    let k = key(title);
    claims_report(title) && DERIVED_WORDS.iter().any(|w| k.contains(w))
        || k.contains("信息公开") && k.contains("年度报告") && k.contains("AI")
}

fn partial(title: &str) -> bool {
    let k = key(title);
    k.contains("信息公开") && (PARTIAL_WORDS.iter().any(|w| k.contains(w)) || months(title))
}

/// A title naming months (`2024年1-9月`, `1—6月`, `11月份`, `2024年1月`), not the whole
/// year (`1-12月`, `1至12月`).
fn months(title: &str) -> bool {
    // An annual report's title may carry its publication month (`…年度报告（2021年1月）`),
    // and a breadcrumb or a page header a date: neither names a part of a year.
    if REPORT_WORDS.iter().any(|w| title.contains(w))
        || title.contains(['>', '|'])
        || ["星期", "日期", "时间", "截至", "截止"]
            .iter()
            .any(|w| title.contains(w))
    {
        return false;
    }
    let t: String = title.chars().filter(|c| !c.is_whitespace()).collect();
    const RANGE: [char; 6] = ['-', '—', '–', '~', '至', '到'];
    let digits_at = |s: &str| -> Option<(u32, usize)> {
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=2).contains(&n) {
            return None;
        }
        Some((s[..n].parse().ok()?, n))
    };
    // `2024年1-9月`, `2024年1月至9月`, `2024年11月份`: months right after a year.
    for (i, _) in t.match_indices('年') {
        if t[..i].bytes().rev().take_while(u8::is_ascii_digit).count() != 4 {
            continue;
        }
        let rest = &t[i + '年'.len_utf8()..];
        let Some((from, n)) = digits_at(rest) else {
            continue;
        };
        let rest = &rest[n..];
        let (named_month, rest) = match rest.strip_prefix('月') {
            Some(r) => (true, r),
            None => (false, rest),
        };
        let (to, rest) = match rest.strip_prefix(RANGE) {
            Some(r) => match digits_at(r) {
                Some((to, n)) => (Some(to), &r[n..]),
                None => continue,
            },
            None => (None, rest),
        };
        let after = match rest.strip_prefix('月') {
            Some(r) => r,
            None if named_month && to.is_none() => rest,
            None => continue,
        };
        // `2024年1月15日`: a date.
        if after.starts_with(|c: char| c.is_ascii_digit()) {
            continue;
        }
        if !(1..=12).contains(&from) || to.is_some_and(|m| !(1..=12).contains(&m)) {
            continue;
        }
        // `1-12月`, `1月至12月`: the whole year.
        if from == 1 && to == Some(12) {
            continue;
        }
        return true;
    }
    false
}

/// [`derived`] of a title, without the agency's own name (`某市质量评估中心`), and
/// not for the report with its explainer (`…年度报告及解读`).
fn derived_title(title: &str, agency: Option<&str>) -> bool {
    // The agency's own name is left out (`某市质量评估中心`), unless the name read took a
    // derived word in with it (`解读某局`, `一图读懂某局`).
    let own_word = |a: &str| {
        !DERIVED_WORDS
            .iter()
            .any(|w| a.find(w).is_some_and(|at| at < 6))
    };
    let t = match agency {
        Some(a) if !a.is_empty() && own_word(a) => title.replacen(a, "", 1),
        _ => title.to_string(),
    };
    if !derived(&t) {
        return false;
    }
    let k = key(&t);
    match k.find("年度报告") {
        Some(at) => {
            let (before, after) = (&k[..at], &k[at + "年度报告".len()..]);
            let with_explainer = ["及", "和", "与", "暨", "附"]
                .iter()
                .any(|w| after.starts_with(w));
            !with_explainer || DERIVED_WORDS.iter().any(|w| before.contains(w))
        }
        None => true,
    }
}

fn letter(title: &str) -> bool {
    let k = key(title);
    // 关于…的通知/说明/函: a report is never titled 关于… unless it ends as a report.
    k.starts_with("关于") && !k.ends_with("报告")
        || LETTER_ENDINGS
            .iter()
            .any(|w| k.ends_with(&format!("报告的{w}")) || k.ends_with(&format!("工作的{w}")))
}

/// Where the document names itself an annual report, if it does.
fn title_claim(
    lines: &[Line],
    md: &Metadata,
    page: &PageMeta,
    header_title: Option<&str>,
) -> Option<Evidence> {
    if md.title.as_deref().is_some_and(claims_report) {
        return Some(Evidence::Title);
    }
    if header_title.is_some_and(claims_report) {
        return Some(Evidence::CrawlerHeader);
    }
    if [page.article_title.as_deref(), page.title.as_deref()]
        .into_iter()
        .flatten()
        .any(claims_report)
    {
        return Some(Evidence::PageMeta);
    }
    // The first lines, or the start of a body saved on one line: a title stands before
    // the first sentence's punctuation; a sentence that mentions a report (`按时发布年度
    // 报告`) is not one.
    let opening = lines
        .iter()
        .filter(|l| !l.text.trim_ws().is_empty())
        .take(12)
        .any(|l| {
            let t = l.text.trim_ws();
            let head: String = t
                .chars()
                .take_while(|c| !matches!(c, '。' | ',' | '，' | ';' | '；' | ':' | '：'))
                .take(60)
                .collect();
            claims_report(&head) && has_year(&head) && !derived(&head) && !letter(&head)
                || OPENING_SENTENCES.iter().any(|o| t.contains(o)) && t.contains("信息公开")
        });
    opening.then_some(Evidence::Opening)
}

/// Several distinct lines that are each the title of a report with its year: a list.
fn index_page(lines: &[Line]) -> bool {
    index_titles(lines, false) >= 3
}

/// How many distinct report titles with their year the page prints on lines of their own;
/// `strict`: not counting a line that reads as a sentence (`本年度报告根据《条例》…`, cut).
fn index_titles(lines: &[Line], strict: bool) -> usize {
    let sentence = |t: &str| {
        t.contains(['，', ',', '。', '《', '：', ':', '；', ';'])
            || OPENING_SENTENCES.iter().any(|o| t.starts_with(o))
    };
    let mut titles: Vec<String> = lines
        .iter()
        .take(400)
        .map(|l| l.text.trim_ws())
        .filter(|t| t.chars().count() <= 80 && claims_report(t) && has_year(t))
        .filter(|t| !(strict && sentence(t)))
        // The page's links to its neighbours (`上一篇：…2022年…报告`) are not a list.
        .filter(|t| !NAV_LINKS.iter().any(|n| t.starts_with(n)))
        .map(key)
        .collect();
    titles.sort();
    titles.dedup();
    titles.len()
}

fn has_year(t: &str) -> bool {
    years(t).next().is_some()
}

/// Four-digit years 2000–2099 in `t`.
fn years(t: &str) -> impl Iterator<Item = u32> + '_ {
    let b = t.as_bytes();
    let mut from = 0;
    // From one `2` to the next (memchr), not byte by byte: asked of every row of a
    // table printed as cells, this was 1.4 % of a text build.
    std::iter::from_fn(move || {
        while let Some(p) = memchr::memchr(b'2', &b[from..]) {
            let i = from + p;
            from = i + 1;
            let Some(w) = b.get(i..i + 4) else {
                break;
            };
            let bounded = (i == 0 || !b[i - 1].is_ascii_digit())
                && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
            if bounded && w[1] == b'0' && w[2..].iter().all(u8::is_ascii_digit) {
                return Some(w.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')));
            }
        }
        from = b.len();
        None
    })
}

/// A table header that puts two years side by side (`2024年 | 2025年`, `同比`): the mark
/// of a comparison written from reports.
fn two_year_columns(lines: &[Line]) -> bool {
    lines.iter().enumerate().any(|(i, l)| {
        let t = &l.text;
        let cells = t.contains('\t') || t.contains('|');
        if !cells || t.chars().count() > 120 || years(t).nth(1).is_none() {
            return false;
        }
        // A column header is the year and little more (`2024年`, `2025年度（件）`); a page's
        // information box (`索引号：…/2024-00012`, `发布日期：2024-01-16`) is not one.
        let year_cells: Vec<String> = t
            .split(['\t', '|'])
            .filter(|c| has_year(c))
            .map(|c| without_parenthetical(c.trim_ws()))
            .filter(|c| c.chars().count() <= 12 && !c.contains([':', '：']) && has_year(c))
            .collect();
        let header_like = year_cells.len() >= 2;
        let mut ys: Vec<u32> = year_cells.iter().flat_map(|c| years(c)).collect();
        ys.sort();
        ys.dedup();
        // Only where the template's own rows follow: a report may compare two years in
        // a table of its own (work done, visits) without being a summary.
        ys.len() >= 2
            && header_like
            && lines.iter().skip(i + 1).take(12).any(|n| {
                let k = crate::normalise::match_key(&n.text);
                TEMPLATE_ROW_STARTS.iter().any(|s| k.starts_with(s))
            })
    })
}

/// A header cell without its unit (`2023年（单位：件）`).
fn without_parenthetical(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut depth = 0usize;
    for c in cell.chars() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// Lines that open a row of the template's tables and print a number: in the rest of
/// the line, or as the next line (one cell per line). A blank form prints none.
fn template_rows_with_numbers(lines: &[Line]) -> usize {
    let number = |t: &str| {
        let t = t.trim_ws();
        !t.is_empty()
            && t.chars().any(|c| c.is_ascii_digit())
            && t.chars().all(|c| c.is_ascii_digit() || ".,-+ ".contains(c))
    };
    lines
        .iter()
        .enumerate()
        .filter(|(i, l)| {
            let text = crate::normalise::strip_enumerator(l.text.trim_ws());
            let k = crate::normalise::match_key(text);
            TEMPLATE_ROW_STARTS.iter().any(|s| k.starts_with(s))
                && (text.chars().any(|c| c.is_ascii_digit())
                    || lines[i + 1..]
                        .iter()
                        .map(|n| n.text.trim_ws())
                        .find(|t| !t.is_empty())
                        .is_some_and(number))
        })
        .count()
}

/// Labels that open rows of the template's tables (matching form).
const TEMPLATE_ROW_STARTS: &[&str] = &[
    "本年新收",
    "上年结转",
    "予以公开",
    "规章",
    "规范性文件",
    "行政规范性文件",
    "行政许可",
    "行政处罚",
    "结转下年度",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_are_four_digit_runs_from_2000() {
        let by_bytes = |t: &str| -> Vec<u32> {
            let b = t.as_bytes();
            (0..b.len().saturating_sub(3))
                .filter_map(|i| {
                    let w = &b[i..i + 4];
                    let bounded = (i == 0 || !b[i - 1].is_ascii_digit())
                        && b.get(i + 4).is_none_or(|c| !c.is_ascii_digit());
                    (bounded && w[0] == b'2' && w[1] == b'0' && w.iter().all(u8::is_ascii_digit))
                        .then(|| std::str::from_utf8(w).ok()?.parse().ok())
                        .flatten()
                })
                .collect()
        };
        for t in [
            "",
            "2",
            "2023",
            "2023年",
            "22023",
            "20230",
            "2023|2024",
            "x2099y2000",
            "2019\t2020年度",
            "12023 2024",
            "202",
            "索引号:2024-00012",
            "二〇二三2022",
            "2022-2023-2",
        ] {
            assert_eq!(years(t).collect::<Vec<_>>(), by_bytes(t), "{t:?}");
        }
    }
    use crate::normalise::normalise;

    fn decide(text: &str, tables: TableEvidence) -> Classified {
        let lines = normalise(text);
        let md = crate::metadata::read(&lines, &PageMeta::default());
        classify(&lines, &md, &PageMeta::default(), "", tables)
    }

    #[test]
    fn read_tables_outweigh_what_a_site_or_a_menu_says_of_the_page() {
        let body = "一、总体情况\n本局坚持公开。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n";
        let read = TableEvidence {
            labels: true,
            values: 40,
            headings: 2,
        };
        let page = |title: &str| PageMeta {
            title: Some(title.into()),
            ..Default::default()
        };
        let classify_with = |text: &str, page: &PageMeta, tables| {
            let lines = normalise(text);
            let md = crate::metadata::read(&lines, page);
            classify(&lines, &md, page, "", tables)
        };
        for title in [
            "某县统计局2023年政府信息公开工作年度报告_政策解读_某县人民政府",
            "某县统计局2023年政府信息公开工作年度报告-统计分析-某县人民政府",
        ] {
            let c = classify_with(body, &page(title), read);
            assert_eq!(c.kind, Kind::Report, "{title}");
            // Without a table read, the site's column still says what the page is.
            let c = classify_with(body, &page(title), TableEvidence::default());
            assert_eq!(c.evidence, Evidence::DerivedDocument, "{title}");
        }
        let none = PageMeta::default();
        for first in [
            "当前位置：首页 > 政务公开 > 政策解读 > 政府信息公开年报",
            "标题: 某县统计局2023年政府信息公开工作年度报告_统计分析_某县统计局",
        ] {
            let text = format!("{first}\n{body}");
            assert_eq!(
                classify_with(&text, &none, read).kind,
                Kind::Report,
                "{first}"
            );
        }
        // A menu item is no partial-year title, and an information box's dates are no
        // comparison of two years.
        let text = format!("首页\n季度数据\n{body}");
        assert_eq!(classify_with(&text, &none, read).kind, Kind::Report);
        let text = "索引号：001/2024-00012\t名称：某县统计局2023年政府信息公开工作年度报告\t发布日期：2024-01-16\n二、主动公开政府信息情况\n规章\t0\t0\t0\n";
        assert_eq!(classify_with(text, &none, read).kind, Kind::Report);
        for text in [
            "二、主动公开政府信息情况\n项目\t2023年\t2024年\n规章\t0\t0\n",
            "二、主动公开政府信息情况\n项目\t2023年（单位：件）\t2024年（单位：件）\n规章\t0\t0\n",
        ] {
            let c = classify_with(text, &none, read);
            assert_eq!(c.evidence, Evidence::DerivedDocument, "{text}");
        }
        // An explainer's own words before the report's title, or its genre after it.
        for title in [
            "一图读懂-某县统计局2023年政府信息公开工作年度报告",
            "某县统计局2023年政府信息公开工作年度报告-图文解读-某县人民政府",
        ] {
            let c = classify_with(body, &page(title), read);
            assert_eq!(c.evidence, Evidence::DerivedDocument, "{title}");
        }
        // A quarter's statistics are part of a year, whatever they print.
        let text = format!("某县农业农村局一季度依申请办理情况\n{body}");
        assert_eq!(
            classify_with(&text, &none, read).evidence,
            Evidence::PartialYear
        );
    }

    #[test]
    fn the_last_pages_of_a_report_with_blank_cells_are_no_blank_form() {
        let text = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n政策解读形式还不够丰富。\n六、其他需要报告的事项\n本年度未收取信息处理费。\n";
        let labels = TableEvidence {
            labels: true,
            headings: 2,
            ..Default::default()
        };
        assert_eq!(decide(text, labels).kind, Kind::Report);
        // The form alone, nothing after its tables: blank; and the form with the report's
        // outline, or titled as the report's format.
        let form = "一、本年新收政府信息公开申请数量\n二、上年结转政府信息公开申请数量\n";
        assert_eq!(decide(form, labels).evidence, Evidence::BlankTemplate);
        let outline = format!("附件2\n政府信息公开工作年度报告格式\n{text}");
        assert_eq!(decide(&outline, labels).evidence, Evidence::BlankTemplate);
        let titled = format!("某县农业农村局政府信息公开工作年度报告（参考格式）\n{text}");
        assert_eq!(decide(&titled, labels).evidence, Evidence::BlankTemplate);
    }

    #[test]
    fn links_to_other_years_do_not_make_a_report_an_index() {
        let text = "某县自然资源局2023年政府信息公开工作年度报告\n一、总体情况\n本局坚持公开。\n二、主动公开政府信息情况\n（图片）\n上一篇：某县自然资源局2022年政府信息公开工作年度报告\n下一篇：某县自然资源局2024年政府信息公开工作年度报告\n";
        let headings = TableEvidence {
            headings: 1,
            ..Default::default()
        };
        assert_eq!(decide(text, headings).kind, Kind::Report);
        // A list of reports is still an index.
        let list = "某县2023年政府信息公开工作年度报告\n某县2022年政府信息公开工作年度报告\n某县2021年政府信息公开工作年度报告\n";
        assert_eq!(
            decide(list, TableEvidence::default()).evidence,
            Evidence::IndexPage
        );
    }

    #[test]
    fn a_notice_publishing_its_report_is_the_report() {
        let text = "关于公布某县自然资源局2023年政府信息公开工作年度报告的公告\n现将本局2023年报告公布如下。\n一、总体情况\n本局坚持公开。\n二、主动公开政府信息情况\n（图片）\n三、收到和处理政府信息公开申请情况\n（图片）\n";
        let headings = TableEvidence {
            headings: 2,
            ..Default::default()
        };
        let lines = normalise(text);
        let md = crate::metadata::read(&lines, &PageMeta::default());
        assert_eq!(
            md.agency.as_ref().map(|a| a.value.as_str()),
            Some("某县自然资源局")
        );
        assert_eq!(decide(text, headings).kind, Kind::Report);
    }

    #[test]
    fn a_sub_heading_about_quarters_is_no_partial_year() {
        let text = "某县2023年度政务公开工作报告\n一、总体情况\n（二）按季度更新公开目录\n本局坚持公开。\n";
        let lines = normalise(text);
        assert!(!crate::metadata::read(&lines, &PageMeta::default()).partial_year);
    }

    #[test]
    fn two_links_or_a_headline_without_a_report_body_are_no_report() {
        let links = "某县水利局2023年政府信息公开工作年度报告 2024-01-20\n某县水利局2022年政府信息公开工作年度报告 2023-01-18\n共2条 1/1页\n";
        assert_eq!(
            decide(links, TableEvidence::default()).kind,
            Kind::NotAReport
        );
        let news = "某区发布2023年政府信息公开工作年度报告\n近日，我区正式发布年度报告，全年共收到申请120件。\n";
        assert_eq!(
            decide(news, TableEvidence::default()).kind,
            Kind::NotAReport
        );
        // With its sections printed, the same headline heads the report.
        let sections = TableEvidence {
            headings: 2,
            ..Default::default()
        };
        assert_eq!(decide(news, sections).kind, Kind::Report);
        assert!(!news_headline("某区2023年政府信息公开工作年度报告"));
    }

    #[test]
    fn titles_of_months_are_part_of_a_year() {
        for t in [
            "某县2024年1-9月政府信息公开申请办理情况",
            "某县2024年1—6月政府信息公开工作情况",
            "某县2023年11月份政府信息公开统计",
            "某县2024年1月政府信息公开申请情况统计表",
        ] {
            assert!(partial(t), "{t}");
        }
        for t in [
            "某县2023年政府信息公开工作年度报告",
            "某县2023年1-12月政府信息公开工作年度报告",
            "信息公开目录 发布日期：2024年1月15日",
            "某县2021年政府信息公开工作年度报告（2021年1月）",
            "某县2020年1月至12月政府信息公开情况",
            "首页 > 政府信息公开 > 年度报告 2021年1月",
            "2021年1月 星期五 政府信息公开",
            "政府信息公开 2024年1月15日",
        ] {
            assert!(!partial(t), "{t}");
        }
    }

    #[test]
    fn a_report_with_its_explainer_or_an_agency_named_for_evaluation_is_a_report() {
        assert!(!derived_title(
            "某县2023年政府信息公开工作年度报告及解读",
            None
        ));
        assert!(derived_title(
            "一图读懂某县2023年政府信息公开工作年度报告",
            None
        ));
        assert!(derived_title(
            "某县2023年政府信息公开工作年度报告解读",
            None
        ));
        assert!(derived_title(
            "解读某县统计局2023年政府信息公开工作年度报告",
            Some("解读某县统计局")
        ));
        assert!(derived_title(
            "一图读懂某县统计局2023年政府信息公开工作年度报告",
            Some("一图读懂某县统计局")
        ));
        assert!(!derived_title(
            "某市质量评估中心2023年政府信息公开工作年度报告",
            Some("某市质量评估中心")
        ));
    }

    #[test]
    fn a_titled_report_without_tables_stays_a_report() {
        let c = decide(
            "某县统计局2023年政府信息公开工作年度报告\n正文没有表格。\n",
            TableEvidence::default(),
        );
        assert_eq!(c.kind, Kind::Report);
        assert_eq!(c.evidence, Evidence::Title);
    }

    #[test]
    fn a_titled_report_printing_the_year_before_beside_its_own_stays_a_report() {
        let body = "二、主动公开政府信息情况\n信息内容\t本年制发件数\t\t本年废止件数\n\t2023年\t2024年\t2023年\t2024年\n规章\t2\t1\t1\t0\n";
        let tables = TableEvidence {
            labels: true,
            values: 4,
            headings: 1,
        };
        let c = decide(
            &format!("淮安市人民政府2024年政府信息公开工作年度报告\n{body}"),
            tables,
        );
        assert_eq!(c.kind, Kind::Report);
        let f = c.finding.unwrap();
        assert_eq!((f.check, f.severity), ("two_year_columns", Severity::Error));
        // Without a title naming the report: a summary comparing two years.
        let c = decide(&format!("各部门政府信息公开情况\n{body}"), tables);
        assert_eq!(c.kind, Kind::NotAReport);
        assert_eq!(c.evidence, Evidence::DerivedDocument);
    }

    #[test]
    fn a_report_cut_before_its_first_row_is_a_report() {
        let c = decide(
            "2022年，滨江区统计局坚持以习近平新时代中国特色社会主义思想为指导。\n一、总体情况\n本年度工作情况略。\n二、主动公开政府信息情况\n第二十条第（一）项\t\t\t\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n",
            TableEvidence {
                headings: 1,
                ..TableEvidence::default()
            },
        );
        assert_eq!(c.kind, Kind::Report);
        // Headings alone, without the template's table furniture: nothing says report.
        let c = decide(
            "一、总体情况\n本年度工作情况略。\n二、主动公开政府信息情况\n我们公开了文件。\n",
            TableEvidence {
                headings: 1,
                ..TableEvidence::default()
            },
        );
        assert_eq!(c.kind, Kind::NotAReport);
    }

    #[test]
    fn a_work_summary_with_a_problems_section_is_not_a_report() {
        let c = decide(
            "2023年政务公开工作总结\n一、工作开展情况\n略。\n二、存在的主要问题及改进情况\n政府信息公开工作仍有不足。\n",
            TableEvidence::default(),
        );
        assert_eq!(c.kind, Kind::NotAReport);
    }

    #[test]
    fn the_last_page_of_a_report_is_a_report() {
        let c = decide(
            "降低行政复议、行政诉讼发生率和纠错率。\n  六、其他需要报告的事项\n 2024 年，区政府严格落实《政府信息公开信息处理费管理办法》，全年收取信息处理费 0 元。\n -5-\n",
            TableEvidence::default(),
        );
        assert_eq!(c.kind, Kind::Report);
        assert_eq!(c.evidence, Evidence::SectionHeadings);
        // The same heading in a text about something else says nothing.
        let c = decide(
            "六、其他需要报告的事项\n本单位全年安全生产无事故。\n",
            TableEvidence::default(),
        );
        assert_eq!(c.kind, Kind::NotAReport);
    }

    #[test]
    fn a_crawler_header_is_evidence() {
        let c = decide(
            "标题: 平潭综合实验区2019年度政府信息公开工作年度报告\n发布时间: 2020-01-20\n==== 正文 ====\n一段没有标点的正文\n",
            TableEvidence::default(),
        );
        assert_eq!(c.kind, Kind::Report);
    }

    #[test]
    fn a_report_no_layout_rule_reads_is_kept_flagged() {
        // A report's text in one line with its breaks escaped (an SQL dump's INSERT): its
        // name and the words of its tables are there, nothing else can be read.
        let text = r"INSERT INTO article VALUES (7,'某县统计局2023年政府信息公开工作年度报告\n一、总体情况\n…\n二、主动公开政府信息情况\n规章\t0\t0\t0\n规范性文件\t1\t0\t3\n行政许可\t5\n三、收到和处理政府信息公开申请情况\n本年新收政府信息公开申请数量\t3\n（一）予以公开\t2\n四、…行政复议\t结果维持\t结果纠正');";
        let c = decide(text, TableEvidence::default());
        assert_eq!(
            (c.kind, c.evidence),
            (Kind::Report, Evidence::TemplateWords)
        );
        assert_eq!(c.finding.unwrap().check, "layout_unread");
        // A page that only mentions a report, or quotes a few of its words, is not one.
        for text in [
            "关于发布某县统计局2023年政府信息公开工作年度报告的通知\n请登录网站查看。\n",
            "本网讯\n日前，某县2023年政府信息公开工作年度报告已在网站发布：全年新收申请3件，行政复议1件。\n",
            // A rubric naming the report in a sentence, with points after the tables' words.
            "2023年度政务公开工作考核评分细则\n考核内容：主动公开规章、行政规范性文件情况（10分）；行政许可、行政处罚、行政强制信息公开情况（10分）；依申请公开办理情况，包括予以公开、部分公开、不予公开答复规范性（20分）；政府信息公开行政复议、行政诉讼结果纠正情况（10分）；按时发布政府信息公开工作年度报告情况（5分）。\n",
            // A work plan naming the report and the tables' words, without their rows.
            "2024年政务公开工作要点\n一、做好政府信息公开工作年度报告编制发布\n规范行政许可、行政处罚、规范性文件公开，提高予以公开比例，减少行政复议、行政诉讼和本年新收申请的积压。\n",
        ] {
            let c = decide(text, TableEvidence::default());
            assert_eq!(c.kind, Kind::NotAReport, "{text}");
        }
    }

    #[test]
    fn near_misses_say_why() {
        let c = decide(
            "XX市2024年政府信息公开工作年度报告AI分析\n",
            TableEvidence {
                labels: true,
                values: 20,
                headings: 0,
            },
        );
        assert_eq!(c.kind, Kind::NotAReport);
        assert_eq!(c.evidence, Evidence::DerivedDocument);
        let c = decide(
            "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知\n附件 模板\n",
            TableEvidence {
                labels: true,
                values: 0,
                headings: 0,
            },
        );
        assert_eq!(c.evidence, Evidence::BlankTemplate);
        let c = decide(
            "年报栏目\nA区2023年政府信息公开工作年度报告\nB区2023年政府信息公开工作年度报告\nC区2022年政府信息公开工作年度报告\n",
            TableEvidence::default(),
        );
        assert_eq!(c.evidence, Evidence::IndexPage);
        let c = decide(
            "指标\t2024年\t2025年\n本年新收\t3\t5\n",
            TableEvidence {
                labels: true,
                values: 4,
                headings: 0,
            },
        );
        assert_eq!(c.evidence, Evidence::DerivedDocument);
        let c = decide("今天天气很好。\n", TableEvidence::default());
        assert_eq!(c.kind, Kind::NotAReport);
        assert_eq!(c.evidence, Evidence::NoReportEvidence);
    }

    #[test]
    fn a_damaged_text_that_says_nothing_is_kept_as_a_report() {
        let text = "本年度认真贯彻落实《条例》，做好政府信息公开工作。\n".repeat(20);
        let gbk = encoding_rs::GB18030.encode(&text).0.into_owned();
        let replaced = String::from_utf8_lossy(&gbk).into_owned();
        let c = decide(&replaced, TableEvidence::default());
        assert_eq!(c.kind, Kind::Report);
        assert_eq!(c.evidence, Evidence::UnreadableText);
        let f = c.finding.expect("an error says why");
        assert_eq!((f.severity, f.check), (Severity::Error, "text_unreadable"));
        // A readable page with a stray damaged line is what it reads as.
        let c = decide(
            &format!(
                "{}{}\n",
                "今天天气很好。\n".repeat(20),
                replaced.lines().next().unwrap()
            ),
            TableEvidence::default(),
        );
        assert_eq!(c.evidence, Evidence::NoReportEvidence);
    }

    #[test]
    fn template_rows_with_numbers_are_no_blank_form() {
        let labels = TableEvidence {
            labels: true,
            values: 0,
            headings: 0,
        };
        for text in [
            "本年新收政府信息公开申请数量,5,2,0,0,0,1,8\n上年结转政府信息公开申请数量,0,0,0,0,0,0,0\n",
            "一、本年新收政府信息公开申请数量\n5\n2\n二、上年结转政府信息公开申请数量\n0\n0\n",
        ] {
            let c = decide(text, labels);
            assert_eq!((c.kind, c.evidence), (Kind::Report, Evidence::TableRows), "{text}");
            assert_eq!(c.finding.map(|f| f.check), Some("values_unread"));
        }
        // Labels with empty cells, or enumerated sub-rows, are a blank form.
        let c = decide(
            "一、本年新收政府信息公开申请数量\t\t\t\n二、上年结转政府信息公开申请数量\t\t\n（一）予以公开\n1.属于国家秘密\n",
            labels,
        );
        assert_eq!(c.evidence, Evidence::BlankTemplate);
    }

    #[test]
    fn a_file_named_after_its_report_is_one() {
        let lines = normalise("一、总体情况\n本年度我局认真贯彻落实条例。\n");
        let md = crate::metadata::read(&lines, &PageMeta::default());
        let c = classify(
            &lines,
            &md,
            &PageMeta::default(),
            "年报/某县水利局2023年政府信息公开工作年度报告.txt",
            TableEvidence::default(),
        );
        assert_eq!(c.kind, Kind::Report);
        assert_eq!(c.evidence, Evidence::FileName);
    }

    #[test]
    fn an_older_report_is_pre2019() {
        let c = decide(
            "丽水市人民政府2017年政府信息公开工作年度报告\n一、概述\n",
            TableEvidence::default(),
        );
        assert_eq!(c.kind, Kind::Pre2019Report);
    }
}
