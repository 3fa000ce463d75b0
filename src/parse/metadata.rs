//! Stage 6: who filed the report, for which year, when it was published, and what kind
//! of document it is.
//!
//! The report's own words decide: its title first, then sentences of the body that
//! name the agency (`2022年，XX局坚持…`, `请与XX办公室联系`), then the signature. A name
//! that is only a department type (`统计局`, `区统计局`) is completed from the body
//! (`互助县统计局`). When nothing certain is found the agency stays null with a finding —
//! a wrong agency would put a report's numbers under someone else's name.

use crate::model::{Finding, MetaSource, PageMeta, Severity, Sourced, Table};
use crate::normalise::{match_key, Line, Trim};
use crate::segment::is_prose;

mod author;

use author::{clean_name, looks_like_agency, Context};

/// Metadata read from a document.
#[derive(Debug, Default)]
pub struct Metadata {
    /// Agency.
    pub agency: Option<Sourced<String>>,
    /// Year covered.
    pub year: Option<Sourced<i32>>,
    /// Publication date (ISO).
    pub published_date: Option<Sourced<String>>,
    /// The title as printed, when a title line was found.
    pub title: Option<String>,
    /// A title line was found.
    pub has_title: bool,
    /// The text calls itself an annual report (年度报告, 年报, 工作报告).
    pub calls_itself_annual_report: bool,
    /// The text is a partial-year bulletin (上半年, 季度).
    pub partial_year: bool,
    /// Findings.
    pub findings: Vec<Finding>,
}

/// Reads metadata from the normalised lines; `page` (HTML `<meta>` and `<title>`) fills
/// in only what the text does not say, and a disagreement is a finding.
pub fn read(lines: &[Line], page: &PageMeta) -> Metadata {
    let mut md = Metadata::default();
    let body: String = lines
        .iter()
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    // `本报告根据…编制`, `本报告所列数据…`: the opening of every annual report, title or not.
    md.calls_itself_annual_report = [
        "年度报告",
        "年报",
        "年度工作报告",
        "工作报告",
        "工作年度",
        "本报告根据",
        "本报告所列数据",
    ]
    .iter()
    .any(|k| body.contains(k));
    md.partial_year = ["上半年", "下半年", "季度"].iter().any(|k| {
        lines
            .iter()
            .take(12)
            // A title's words, not a sentence wrapped into a short line (`在省办2024年四个
            // 季度政务新媒体检查抽查中，合格率均`): titles hold no clause punctuation.
            // Nor a sub-heading (`(二)按季度更新公开目录`): titles open with no
            // enumerator.
            // And a title names what it is part of (`2024年第一季度…`, `…政务公开…`): a
            // site's menu item (`季度数据`) does not.
            .any(|l| {
                l.text.contains(k)
                    && l.text.chars().count() < 40
                    && (["公开", "情况", "统计", "工作", "报告", "申请", "办理"]
                        .iter()
                        .any(|w| l.text.contains(w))
                        || l.text
                            .contains(|c: char| c.is_ascii_digit() || "〇○零".contains(c)))
                    && !l.text.contains(['，', ',', '。', '；', ';'])
                    && crate::normalise::strip_enumerator(l.text.trim_ws()).len()
                        == l.text.trim_ws().len()
            })
    });

    let page_title = page_titles(page).into_iter().find_map(title_of);
    let page_year = page_title.as_ref().and_then(|t| t.year);
    // What the text says of its own year besides the title: the statistics period, a
    // sentence naming the report (`现将…2023年度…报告如下`).
    let period = statistics_period_year(lines);
    let sentence = report_sentence_year(lines);
    // Every title of the first lines, found once: most texts have one.
    let mut titles: Vec<Title> = find_titles(lines).collect();
    // A page's related links print other years' titles before its own: the title line
    // of the year its metadata (ArticleTitle, `<title>`) or its statistics period names
    // is the page's.
    let first = match page_year.or(period.as_ref().map(|p| p.value)) {
        Some(y) => titles
            .iter()
            .position(|t| t.year == Some(y))
            .or((!titles.is_empty()).then_some(0)),
        None => (!titles.is_empty()).then_some(0),
    };
    // A sidebar of reports may stand above the page's own title: where the titles before
    // the body name different agencies or years, the one the body follows is the report's.
    let own = first.map(|first| {
        let differ = |i: usize| {
            titles[i].agency != titles[first].agency || titles[i].year != titles[first].year
        };
        if !(0..titles.len()).any(differ) {
            return first;
        }
        let body = lines
            .iter()
            .find(|l| {
                let t = l.text.trim_ws();
                crate::segment::heading(t) == Some(1)
                    || ["本报告根据", "本报告由", "本年度报告根据"]
                        .iter()
                        .any(|w| t.starts_with(w))
            })
            .map(|l| l.no);
        let Some(body) = body else {
            return first;
        };
        let before = |i: &usize| titles[*i].line < body;
        if !(0..titles.len()).filter(before).any(differ) {
            return first;
        }
        // A list's label (`相关推荐`) after a title: that title is the page's own, the
        // titles after the label are the list. With the label before every title, the
        // list ends where the body's own title stands, next to the body.
        let label = lines
            .iter()
            .take_while(|l| l.no < body)
            .filter(|l| {
                let t = l.text.trim_ws();
                t.chars().count() <= 8 && LIST_LABELS.iter().any(|w| t.contains(w))
            })
            .map(|l| l.no)
            .last();
        let mut candidates = (0..titles.len()).filter(before);
        match label {
            Some(at) if candidates.clone().any(|i| titles[i].line < at) => {
                candidates.rfind(|&i| titles[i].line < at)
            }
            _ => candidates.next_back(),
        }
        .unwrap_or(first)
    });
    let title = own.map(|i| titles.swap_remove(i));
    md.has_title = title.is_some();
    if let Some(t) = &title {
        md.title = Some(t.text.clone());
        if let Some(y) = t.year {
            md.year = Some(Sourced {
                value: y,
                source: MetaSource::Title,
                line: Some(t.line),
            });
        }
    }
    let (agency, findings) = author::read(lines, page, title.as_ref());
    md.agency = agency;
    md.findings.extend(findings);
    if let Some(title_year) = md.year.as_ref().filter(|y| y.source == MetaSource::Title) {
        let others: Vec<i32> = [
            page_year,
            period.as_ref().map(|p| p.value),
            sentence.as_ref().map(|p| p.value),
        ]
        .into_iter()
        .flatten()
        .filter(|y| *y != title_year.value)
        .collect();
        if let Some(other) = others.first() {
            md.findings.push(
                Finding::new(
                    Severity::Warning,
                    "year_disagrees",
                    format!(
                        "the title says {}, but the page or the text names {other} as the report's year; the title's is kept",
                        title_year.value
                    ),
                )
                .at(Table::Reports, None, Some("year"))
                .values(title_year.value.to_string(), other.to_string()),
            );
        }
    }
    if md.year.is_none() {
        md.year = period.or(sentence).or_else(|| {
            page_title.as_ref().and_then(|t| t.year).map(|y| Sourced {
                value: y,
                source: MetaSource::PageMeta,
                line: None,
            })
        });
    }
    if md.year.is_none() {
        if let Some((year, other)) = body_year(lines) {
            if let Some(other) = other {
                md.findings.push(
                    Finding::new(
                        Severity::Warning,
                        "year_disagrees",
                        format!(
                            "no title or statistics period gives the year; the text names {} most often, but also {other}",
                            year.value
                        ),
                    )
                    .at(Table::Reports, None, Some("year"))
                    .values(year.value.to_string(), other.to_string()),
                );
            }
            md.year = Some(year);
        }
    }
    if md.year.is_none() {
        md.findings.push(
            Finding::new(
                Severity::Warning,
                "year_unknown",
                "the year the report covers is not printed",
            )
            .at(Table::Reports, None, None),
        );
    }
    md.published_date = published_date(lines, title.as_ref().map(|t| t.line)).or_else(|| {
        page.pub_date
            .as_deref()
            .and_then(parse_date)
            .map(|d| Sourced {
                value: d,
                source: MetaSource::PageMeta,
                line: None,
            })
    });
    md
}

/// The page's titles, `ArticleTitle` first, each cut to its part that names a report
/// (`<title>` ends with the site's name after `_` or `|`).
fn page_titles(page: &PageMeta) -> Vec<&str> {
    let candidates = [page.article_title.as_deref(), page.title.as_deref()];
    candidates.into_iter().flatten().map(report_part).collect()
}

/// What a site or a crawler puts between the parts of a page's title.
pub const TITLE_SEPARATORS: [char; 5] = ['_', '|', '-', '－', '—'];

/// The part of a page's or a crawler's title that names the report: `<title>` adds the
/// site's column and name after `_`, `|` or a dash (`…年度报告_政策解读_某县人民政府`).
fn report_part(title: &str) -> &str {
    title
        .split(TITLE_SEPARATORS)
        .find(|p| contains_report_word(p))
        .unwrap_or(title)
}

/// A title read from one line of metadata (a page's title, a crawler header's `标题:`).
fn title_of(text: &str) -> Option<Title> {
    let line = Line::new(
        0,
        text,
        crate::normalise::normalise(text)
            .into_iter()
            .next()
            .map(|l| l.text)
            .unwrap_or_default(),
    );
    find_title(std::slice::from_ref(&line))
}

struct Title {
    line: u32,
    /// The title as printed (both lines of a wrapped title).
    text: String,
    agency_line: u32,
    agency: Option<String>,
    year: Option<i32>,
}

/// Report titles: `[agency][year年(度)][agency]政府信息公开(工作)年度报告` and variants,
/// possibly wrapped over two lines or preceded by a page label (`Page 8 - …`).
fn find_title(lines: &[Line]) -> Option<Title> {
    find_titles(lines).next()
}

/// Every title line of the opening lines, in order (a page's related links print other
/// reports' titles before its own).
fn find_titles(lines: &[Line]) -> impl Iterator<Item = Title> + '_ {
    let candidates: Vec<&Line> = lines
        .iter()
        .filter(|l| !l.text.trim_ws().is_empty())
        .take(25)
        .collect();
    (0..candidates.len()).filter_map(move |i| {
        let line = candidates[i];
        // A title holds 报 (报告, 年报), or is the first line of one wrapped after its
        // 政府信息公开 or its 年度: most lines are ruled out without a copy.
        if !line.text.contains(['报', '开', '度']) {
            return None;
        }
        let mut t = line.text.trim_ws().to_string();
        if let Some((_, rest)) = t.split_once(" - ") {
            t = rest.trim_ws().to_string();
        }
        // A title letter-spaced across its line (`宁 波 市 … 年 度 报 告`), as pdftotext
        // prints a justified heading.
        if letter_spaced(&t) {
            t.retain(|c| c != ' ');
        }
        // `《某局2022年政府信息公开工作年度报告》`: the whole line in title marks.
        if let Some(inner) = t.strip_prefix('《').and_then(|r| r.strip_suffix('》')) {
            if !inner.contains(['《', '》']) {
                t = inner.to_string();
            }
        }
        // Breadcrumbs (`首页 > 乡镇信息公开 > …`) and labelled metadata lines are not titles.
        if t.chars().count() > 60
            || is_prose(&t)
            || t.contains('《')
            || t.contains(',')
            || t.contains('>')
            || t.contains(':')
        {
            return None;
        }
        // A title wrapped after 政府信息公开, or after its year (`2022年度某局` /
        // `政府信息公开工作年度报告`, `某局关于2022年度` / `…工作的年度报告`): join with the
        // next line. A date line is no piece of a title.
        let wrapped = t.contains("政府信息公开")
            || t.contains("年度") && whole_line_date(&t).is_none() && split_year(&t).1.is_some();
        let joined;
        let text = if !contains_report_word(&t) && wrapped {
            match candidates.get(i + 1) {
                Some(n) if n.text.trim_ws().chars().count() < 20 => {
                    joined = format!("{}{}", t, n.text.trim_ws());
                    joined.as_str()
                }
                _ => return None,
            }
        } else {
            t.as_str()
        };
        if !contains_report_word(text) {
            return None;
        }
        let cut = title_stem_end(text)?;
        let stem = &text[..cut];
        let (agency, year) = split_year(stem);
        // `2020年报_审计局`: a page label with the year and a bare department.
        let year = year.or_else(|| leading_year(text));
        let mut agency_line = line.no;
        let mut agency = agency.filter(|a| looks_like_agency(a, Context::Title));
        let mut name_at = i;
        if agency.is_none() && i > 0 {
            // The agency on the line above the title (`沙坡头区统计局` / `2020年…报告`); a
            // labelled, numbered or tabular line there is metadata or a table, not a name.
            let prev = candidates[i - 1];
            let above = prev.text.trim_ws();
            let p = clean_name(above);
            let plain = !above.contains([':', '|', '\t']) && author::digits_inside_han(above);
            if plain && looks_like_agency(&p, Context::Title) {
                agency = Some(p);
                agency_line = prev.no;
                name_at = i - 1;
            }
        }
        if let Some(a) = agency.as_mut().filter(|_| name_at > 0) {
            // A centred title wraps its agency's name: the line above ends where the name
            // breaks (`国家税务总局杭州市` / `西湖区税务局2021年…`).
            let above = &candidates[name_at - 1];
            if let Some(head) = wrapped_name_head(above.text.trim_ws(), a) {
                *a = format!("{head}{a}");
                agency_line = above.no;
            }
        }
        if agency.is_none() && year.is_none() {
            return None;
        }
        Some(Title {
            line: line.no,
            text: if text.len() > t.len() {
                format!("{}{}", printed(line), printed(candidates[i + 1]))
            } else {
                printed(line)
            },
            agency_line,
            agency,
            year,
        })
    })
}

/// A line of single characters between single spaces, eight or more.
fn letter_spaced(t: &str) -> bool {
    let mut n = 0;
    for w in t.split(' ') {
        if w.chars().count() != 1 {
            return false;
        }
        n += 1;
    }
    n >= 8
}

/// Labels of a page's lists of other articles.
const LIST_LABELS: &[&str] = &[
    "相关推荐",
    "热点推荐",
    "推荐阅读",
    "相关链接",
    "相关文章",
    "相关阅读",
    "热门文章",
    "热点文章",
    "猜你喜欢",
    "最新发布",
];

/// The head of a name broken over two lines, when `above` is one: a short plain line
/// ending in a place or zone (`杭州市`, `开发区`, `第八师`), or a department above its
/// branch (`宁波市市场监督管理局` / `鄞州分局`). Not a sentence, a label or a table row.
fn wrapped_name_head(above: &str, name: &str) -> Option<String> {
    let plain = !above.is_empty()
        && above.chars().count() <= 20
        && above.chars().all(crate::normalise::is_han)
        && !is_prose(above);
    let last = above.chars().last()?;
    // A place's or a zone's end, or a bureau above a unit of its own branch
    // (`宁波市市场监督管理局` / `鄞州分局`), not above another bureau's (`抚州市公安局` /
    // `金溪县公安局交通管理大队`).
    let breaks = ['市', '县', '区', '旗', '州', '盟', '师'].contains(&last)
        || last == '局'
            && ["分局", "支队", "大队", "所"]
                .iter()
                .filter_map(|b| name.strip_suffix(b))
                .any(|stem| !stem.contains('局'));
    let head = clean_name(above);
    let place_alone = crate::agency::only_divisions(&head);
    // The head of a name opens with a place or the state (`杭州市…`, `国家税务总局…`,
    // `新疆生产建设兵团…`); a menu's `各县区` or `所辖区县` does not.
    let opens = place_alone
        || crate::agency::opens_with_division(&head)
        || ["国家", "中国", "新疆生产建设兵团", "兵团"]
            .iter()
            .any(|p| head.starts_with(p));
    // A banner naming the agency a title then names in full (`上海市公安局` /
    // `上海市公安局浦东分局2019年…`) is no head of it.
    (plain
        && breaks
        && opens
        && head == above
        && !["各", "所辖", "市辖"].iter().any(|p| head.starts_with(p))
        && !name.starts_with(head.as_str())
        // A place alone above a name that opens with its own place (a menu's `抚州市`
        // above `金溪县农业农村局…`): the name stands complete, unless its place is one
        // that several divisions share and the place above decides which (`北京市` /
        // `朝阳区人民政府…`): then the title wraps the name.
        && !(place_alone
            && crate::agency::opens_with_division(name)
            && !decides_shared_place(&head, name))
        && looks_like_agency(&format!("{head}{name}"), Context::Title))
    .then_some(head)
}

/// Whether `name` alone is placed in no one division (`朝阳区人民政府`: of 北京市 or of
/// 长春市) and `head` before it places it (`北京市朝阳区人民政府`).
fn decides_shared_place(head: &str, name: &str) -> bool {
    crate::agency::place(name, &[]).ambiguous
        && !crate::agency::place(&format!("{head}{name}"), &[]).ambiguous
}

/// A line as printed, without conversion residue (`[bookmark: …]`).
fn printed(line: &Line) -> String {
    crate::normalise::remove_bracketed(line.raw(), "[bookmark:")
        .trim_ws()
        .to_string()
}

fn contains_report_word(t: &str) -> bool {
    t.contains("报告") || t.contains("年报") || t.contains("告年度报") || t.ends_with("年度报")
}

/// Byte offset where the title's stem (agency and year) ends: at 政府信息公开 / 政务公开
/// or at 年报.
fn title_stem_end(t: &str) -> Option<usize> {
    ["政府信息公开", "政务公开", "信息公开", "年报"]
        .iter()
        .filter_map(|k| t.find(k))
        .min()
}

/// Splits `2023年度兵团统计局` or `兵团统计局2023年` into agency and year.
fn split_year(stem: &str) -> (Option<String>, Option<i32>) {
    let chars: Vec<char> = stem.chars().collect();
    let mut year = None;
    let mut name = String::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            let mut j = i;
            while j < chars.len() && chars[j] == ' ' {
                j += 1;
            }
            if digits.len() == 4 && chars.get(j) == Some(&'年') {
                year = digits.parse().ok();
                i = j + 1;
                // `2021年 度`: a letter-spaced title keeps a space inside 年度.
                let du = chars[i..].iter().position(|c| *c != ' ').map(|k| i + k);
                if let Some(k) = du.filter(|k| chars[*k] == '度') {
                    i = k + 1;
                }
                continue;
            }
            name.push_str(&digits);
            continue;
        }
        name.push(chars[i]);
        i += 1;
    }
    // `X关于2023年度政府信息公开工作的年度报告`; `关于公布X2023年度…报告的公告`: a notice
    // publishing the report names its agency after its own opening words.
    let name = name.trim_end().trim_end_matches("关于");
    let name = ["关于公布", "关于发布", "关于印发", "关于公开"]
        .iter()
        .find_map(|p| name.trim_start().strip_prefix(p))
        .unwrap_or(name);
    // `某县人民政府转发某市统计局2019年…报告`: the report is the one forwarded.
    let name = ["转发", "印发"]
        .iter()
        .find_map(|w| name.rsplit_once(w).map(|(_, r)| r))
        .unwrap_or(name);
    // `一图读懂某局2023年…`: an explainer's genre words stand before the agency.
    let name = ["一图读懂", "图解", "政策解读", "解读", "图说", "数读"]
        .iter()
        .find_map(|w| name.trim_start().strip_prefix(w))
        .unwrap_or(name);
    let name = clean_name(name);
    (
        if name.is_empty() { None } else { Some(name) },
        year.filter(|y| (2000..=2100).contains(y)),
    )
}

fn leading_year(t: &str) -> Option<i32> {
    let digits: String = t
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(|c| c.is_ascii_digit())
        .collect();
    let y: i32 = digits.parse().ok()?;
    (digits.len() == 4 && (2000..=2100).contains(&y) && t.contains(&format!("{y}年"))).then_some(y)
}

/// `统计期限自2023年1月1日起至2023年12月31日止` and similar.
fn statistics_period_year(lines: &[Line]) -> Option<Sourced<i32>> {
    for l in lines {
        // Most lines say nothing of a statistics period: no copy made for them.
        if !l.text.contains('统') {
            continue;
        }
        let t = l.text.replace(' ', "");
        for key in ["统计期限", "统计时限", "统计期为", "统计时间"] {
            if let Some(p) = t.find(key) {
                if let Some(y) = first_year(&t[p..]) {
                    return Some(Sourced {
                        value: y,
                        source: MetaSource::StatisticsPeriod,
                        line: Some(l.no),
                    });
                }
            }
        }
    }
    None
}

/// Where the next report of `lines` (one report's, from its title on) starts: the line
/// of its title, and the title. A report title line opens a report again when its
/// opening section or the sentence that introduces a report follows within three lines,
/// or its section 二 straight after (`Opens`). It is looked for after this report's
/// first section-二 heading (`after_tables`: a page carrying two units' reports, two
/// files joined), or before it when a section of this report came first
/// (`opened_before_tables`: this report prints no section 二 heading that can be read,
/// so its end cannot be found after it). Section 二 and the titles before it are found
/// once.
pub fn next_report(lines: &[Line]) -> Option<(u32, String)> {
    let tables = tables_heading(lines);
    let end = tables.unwrap_or(lines.len());
    let before = report_titles(&lines[..end]);
    opened_before_tables(&lines[..end], &before).or_else(|| after_tables(lines, tables?, &before))
}

/// The next report after section 二 (at line index `tables`), `before` the titles
/// before it.
fn after_tables(
    lines: &[Line],
    tables: usize,
    before: &[(u32, String, Opens)],
) -> Option<(u32, String)> {
    // The titles before the tables: a running header prints one of them again.
    let own: Vec<String> = before.iter().map(|(_, t, _)| match_key(t)).collect();
    report_titles(&lines[tables + 1..])
        .into_iter()
        .find(|(_, t, opens)| match opens {
            // Another agency's report, opening straight with its section 二 (a
            // compilation of departments' reports).
            Opens::Tables => !own.contains(&match_key(t)),
            Opens::Report => true,
            Opens::No => false,
        })
        .map(|(line, t, _)| (line, t))
}

/// The line index of section 二's heading, not its entry in a table of contents (a
/// heading followed by another heading).
fn tables_heading(lines: &[Line]) -> Option<usize> {
    let heading = |l: &Line| crate::segment::heading(&l.text);
    (0..lines.len()).find(|&i| {
        heading(&lines[i]) == Some(2)
            && lines[i + 1..]
                .iter()
                .find(|l| !l.text.trim_ws().is_empty())
                .is_none_or(|l| heading(l).is_none())
    })
}

/// Whether a title line is followed by a report's beginning.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Opens {
    /// Section 二 follows straight away.
    Tables,
    /// Section 一 or the sentence introducing a report follows within three lines.
    Report,
    /// Neither: a running header, a link, a quotation.
    No,
}

/// The report title lines of `lines` (a title wrapped over two lines read as one): line
/// number, title, and what follows it.
fn report_titles(lines: &[Line]) -> Vec<(u32, String, Opens)> {
    let nonblank: Vec<&Line> = lines
        .iter()
        .filter(|l| !l.text.trim_ws().is_empty())
        .collect();
    // `…政务公开工作年度报告`: a report of open government, which prints the same tables.
    let titled = |t: &str| {
        (t.contains("政府信息公开") || t.contains("政务公开"))
            && contains_report_word(t)
            && t.chars().count() <= 60
            && !t.contains(['，', ',', '。', '；', ';', '《'])
            && title_of(t).is_some()
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < nonblank.len() {
        let t = nonblank[i].text.trim_ws();
        // Both ways below need 政 (政府信息公开, 政务公开), which one search for a
        // character rules out of nearly every line.
        if !t.contains('政') {
            i += 1;
            continue;
        }
        // `朔州市财政局2022年政府信息公开` / `工作年度报告`: the title wraps.
        let (title, next) = if titled(t) {
            (t.to_string(), i + 1)
        } else {
            match nonblank.get(i + 1).map(|n| n.text.trim_ws()) {
                Some(n)
                    if t.contains("政府信息公开")
                        && !contains_report_word(t)
                        && contains_report_word(n)
                        && crate::segment::heading(t).is_none()
                        && crate::segment::heading(n).is_none()
                        && !titled(n)
                        && titled(&format!("{t}{n}")) =>
                {
                    (format!("{t}{n}"), i + 2)
                }
                _ => {
                    i += 1;
                    continue;
                }
            }
        };
        let after = &nonblank[next.min(nonblank.len())..];
        let opens = if after
            .first()
            .is_some_and(|n| crate::segment::heading(n.text.trim_ws()) == Some(2))
        {
            Opens::Tables
        } else if after.iter().take(3).any(|n| {
            let k = n.text.trim_ws();
            crate::segment::heading(k) == Some(1)
                || [
                    "本报告根据",
                    "本报告由",
                    "根据《中华人民共和国政府信息公开条例》",
                    "现将",
                ]
                .iter()
                .any(|w| k.starts_with(w))
                || k.contains("特向社会公布")
        }) {
            Opens::Report
        } else {
            Opens::No
        };
        out.push((nonblank[i].no, title, opens));
        i = next;
    }
    out
}

/// A report that opens in `region` (one report's lines before its first section 二)
/// after a section of the first, `titles` the title lines of `region`.
fn opened_before_tables(region: &[Line], titles: &[(u32, String, Opens)]) -> Option<(u32, String)> {
    let mut opening = titles.iter().filter(|(_, _, opens)| *opens != Opens::No);
    let (first, own, _) = opening.next()?;
    let own = match_key(own);
    // Another title right after the first (a compilation's cover, then its first
    // report) opens nothing unread: a section of the first report must come between.
    opening
        .find(|(line, t, _)| {
            match_key(t) != own
                && region.iter().any(|l| {
                    l.no > *first && l.no < *line && crate::segment::heading(&l.text).is_some()
                })
        })
        .map(|(line, t, _)| (*line, t.clone()))
}

/// The year of a sentence that names the report itself (`现将…2023年度政府信息公开工作情况
/// 报告如下`, `特向社会公布…2023年度…年度报告`), before the tables.
fn report_sentence_year(lines: &[Line]) -> Option<Sourced<i32>> {
    for l in lines
        .iter()
        .take_while(|l| !l.text.contains("第二十条"))
        .take(40)
    {
        if !l.text.contains('度') {
            continue;
        }
        let t = l.text.replace(' ', "");
        if !["现将", "特向社会公布", "现公布", "本报告"]
            .iter()
            .any(|w| t.contains(w))
        {
            continue;
        }
        let Some(p) = t.find("年度") else { continue };
        let before = &t[..p];
        let digits = before.len() - before.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits != 4 || !t[p..].contains("报告") {
            continue;
        }
        let y: i32 = before[before.len() - 4..].parse().ok()?;
        if (2000..=2100).contains(&y) {
            return Some(Sourced {
                value: y,
                source: MetaSource::Body,
                line: Some(l.no),
            });
        }
    }
    None
}

/// The most frequent `YYYY年` of the text before the tables; none on a tie (a page that
/// names this year's work and next year's plans once each says neither is its year),
/// with the next most named.
fn body_year(lines: &[Line]) -> Option<(Sourced<i32>, Option<i32>)> {
    let mut counts: Vec<(i32, usize, u32)> = Vec::new();
    let mut compared_years: Vec<i32> = Vec::new();
    for l in lines.iter().take_while(|l| !l.text.contains("第二十条")) {
        // A date line (the signature's, the page's 发布时间) is when the report was
        // published, the year after the one it covers: the last page of a report, or a
        // page of its tables, would otherwise take the signature's year as its own.
        if l.text.len() <= 48 && whole_line_date(&l.text).is_some()
            || ["发布日期", "发布时间", "成文日期"]
                .iter()
                .any(|k| l.text.contains(k))
        {
            continue;
        }
        let t = l.text.replace(' ', "");
        let mut rest = t.as_str();
        while let Some(y) = first_year(rest) {
            let at = rest.find(&format!("{y}年"));
            // `较2020年增长15%`, `与2020年相比`, `自2019年起`: a year compared with, or
            // counted from, is not the one reported on.
            let compared = at.is_some_and(|p| {
                rest[..p]
                    .chars()
                    .next_back()
                    .is_some_and(|c| matches!(c, '较' | '比' | '与'))
            });
            if compared {
                if !compared_years.contains(&y) {
                    compared_years.push(y);
                }
            } else {
                match counts.iter_mut().find(|(v, _, _)| *v == y) {
                    Some(c) => c.1 += 1,
                    None => counts.push((y, 1, l.no)),
                }
            }
            let p = at.map_or(rest.len(), |p| p + 4 + '年'.len_utf8());
            rest = &rest[p.min(rest.len())..];
        }
    }
    counts.sort_by_key(|(y, c, _)| std::cmp::Reverse((*c, *y)));
    if counts.len() > 1 && counts[0].1 == counts[1].1 {
        return None;
    }
    // Any other year named, compared with or not, makes the pick a guess worth a finding.
    let top = counts.first().map(|(y, _, _)| *y);
    let other = counts
        .get(1)
        .map(|(y, _, _)| *y)
        .or_else(|| compared_years.into_iter().find(|y| Some(*y) != top));
    counts.into_iter().next().map(|(y, _, line)| {
        let year = Sourced {
            value: y,
            source: MetaSource::Body,
            line: Some(line),
        };
        (year, other)
    })
}

fn first_year(t: &str) -> Option<i32> {
    let b = t.as_bytes();
    let mut i = 0;
    while i + 4 <= b.len() {
        if b[i..i + 4].iter().all(u8::is_ascii_digit)
            && (i == 0 || !b[i - 1].is_ascii_digit())
            && t[i + 4..].starts_with('年')
        {
            let y: i32 = t[i..i + 4].parse().ok()?;
            if (2000..=2100).contains(&y) {
                return Some(y);
            }
        }
        i += 1;
    }
    None
}

/// A date `YYYY年M月D日` or `YYYY-MM-DD` filling a whole line (or a parenthesised line)
/// near the end — the signature — or just under the title; else a page-metadata line.
fn published_date(lines: &[Line], title_line: Option<u32>) -> Option<Sourced<String>> {
    let nonblank: Vec<&Line> = lines
        .iter()
        .filter(|l| !l.text.trim_ws().is_empty())
        .collect();
    for l in nonblank.iter().rev().take(8) {
        if let Some(d) = whole_line_date(&l.text) {
            return Some(Sourced {
                value: d,
                source: MetaSource::Signature,
                line: Some(l.no),
            });
        }
    }
    if let Some(tl) = title_line {
        for l in nonblank.iter().filter(|l| l.no > tl).take(2) {
            if let Some(d) = whole_line_date(&l.text) {
                return Some(Sourced {
                    value: d,
                    source: MetaSource::Title,
                    line: Some(l.no),
                });
            }
        }
    }
    for l in nonblank.iter().take(15) {
        for key in ["发布日期", "发布时间", "成文日期", "日期"] {
            if let Some(p) = l.text.find(key) {
                let rest = l.text[p + key.len()..].trim_start_matches([':', ' ', '\u{3000}']);
                if let Some(d) = parse_date(rest) {
                    return Some(Sourced {
                        value: d,
                        source: MetaSource::PageMeta,
                        line: Some(l.no),
                    });
                }
            }
        }
    }
    None
}

fn whole_line_date(t: &str) -> Option<String> {
    let t = t
        .trim_ws()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .replace(' ', "");
    let d = parse_date(&t)?;
    let len = t.chars().count();
    (len <= 14).then_some(d)
}

/// Parses `2024年1月15日` or `2024-01-15` at the start of `t`.
fn parse_date(t: &str) -> Option<String> {
    let nums: Vec<u32> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .filter_map(|s| s.parse().ok())
        .collect();
    if nums.len() < 3 && t.starts_with(|c: char| c.is_ascii_digit()) {
        return chinese_month_day(t);
    }
    if nums.len() < 3 || !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (y, m, d) = (nums[0], nums[1], nums[2]);
    let sep_ok = t.contains('年') && t.contains('月')
        || t.contains('-')
        || t.contains('/')
        || t.contains('.');
    ((2000..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d) && sep_ok)
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// `2024年一月十五日`, `2023年十二月三十一日` (the year already in digits: see
/// `normalise::chinese_years`).
fn chinese_month_day(t: &str) -> Option<String> {
    let (y, rest) = t.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let (d, _) = rest.split_once('日')?;
    let y: u32 = y.trim_ws().parse().ok()?;
    let (m, d) = (
        small_chinese_number(m.trim_ws())?,
        small_chinese_number(d.trim_ws())?,
    );
    ((2000..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// 一 … 三十一 as a number.
fn small_chinese_number(s: &str) -> Option<u32> {
    let digit = crate::normalise::chinese_digit;
    let chars: Vec<char> = s.chars().collect();
    match chars[..] {
        ['十'] => Some(10),
        [a] => digit(a),
        ['十', b] => Some(10 + digit(b)?),
        [a, '十'] => Some(digit(a)? * 10),
        [a, '十', b] => Some(digit(a)? * 10 + digit(b)?),
        _ => None,
    }
}

/// The title of a crawler export's header block (`标题: …`), if the text opens with one.
pub fn crawler_title(lines: &[Line]) -> Option<String> {
    author::crawler_title(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::normalise;

    fn md(text: &str) -> Metadata {
        read(&normalise(text), &PageMeta::default())
    }

    #[test]
    fn a_title_wrapped_spaced_or_split_names_its_whole_agency() {
        let sig = "\n一、总体情况\n2021年，我局认真落实《条例》。\n";
        for (text, agency) in [
            (
                "国家税务总局杭州市\n西湖区税务局\n2021年政府信息公开工作年度报告",
                "国家税务总局杭州市西湖区税务局",
            ),
            (
                "成都高新技术产业开发区\n管理委员会2021年政府信息公开工作年度报告",
                "成都高新技术产业开发区管理委员会",
            ),
            (
                "宁波市市场监督管理局\n鄞州分局2021年政府信息公开工作年度报告",
                "宁波市市场监督管理局鄞州分局",
            ),
            (
                "宁 波 市 统 计 局 2 0 2 1 年 度 政 府 信 息 公 开 工 作 年 度 报 告",
                "宁波市统计局",
            ),
            (
                "2021年 度宁波市统计局政府信息公开工作年度报告",
                "宁波市统计局",
            ),
            (
                "2021年度宁波市统计局\n政府信息公开工作年度报告",
                "宁波市统计局",
            ),
            (
                "宁波市统计局关于2021年度\n政府信息公开工作的年度报告",
                "宁波市统计局",
            ),
            (
                "《宁波市统计局2021年政府信息公开工作年度报告》",
                "宁波市统计局",
            ),
        ] {
            let m = md(&format!("{text}{sig}"));
            assert_eq!(m.agency.map(|a| a.value).as_deref(), Some(agency), "{text}");
            assert_eq!(m.year.map(|y| y.value), Some(2021), "{text}");
        }
        // Shapes outside divisions and organ words: digits inside a name, the State
        // Council's departments, an attachment's number before the title.
        for (text, agency) in [
            (
                "宁波市81890求助服务中心2021年政府信息公开工作年度报告",
                "宁波市81890求助服务中心",
            ),
            ("教育部2021年政府信息公开工作年度报告", "教育部"),
            (
                "附件2 宁波市统计局2021年政府信息公开工作年度报告",
                "宁波市统计局",
            ),
            ("2021年度海关总署政府信息公开工作年度报告", "海关总署"),
        ] {
            let m = md(&format!("{text}{sig}"));
            assert_eq!(m.agency.map(|a| a.value).as_deref(), Some(agency), "{text}");
        }
        let m = md("2021年政府信息公开工作年度报告\n一、总体情况\n我局认真落实《条例》。\n宁波市81890求助服务中心\n2022年1月15日\n");
        assert_eq!(m.agency.unwrap().value, "宁波市81890求助服务中心");
        // The signature beside its date on one line.
        let m = md("2021年政府信息公开工作年度报告\n一、总体情况\n我局认真落实《条例》。\n宁波市统计局    2022年1月15日\n");
        assert_eq!(m.agency.unwrap().value, "宁波市统计局");
        // A place above a name that several divisions' names share is its head.
        let m = md(&format!(
            "北京市\n朝阳区人民政府2021年政府信息公开工作年度报告{}",
            sig.replace("我局", "我区")
        ));
        assert_eq!(m.agency.unwrap().value, "北京市朝阳区人民政府");
        // A list after the page's own title.
        let m = md("金溪县统计局2023年政府信息公开工作年度报告\n相关推荐\n金溪县应急管理局2023年政府信息公开工作年度报告\n一、总体情况\n本局坚持公开。\n");
        assert_eq!(m.agency.unwrap().value, "金溪县统计局");
        // A forwarded report's agency.
        let m = md("修武县人民政府转发焦作市统计局2019年政府信息公开工作年度报告\n正文。\n");
        assert_eq!(m.agency.unwrap().value, "焦作市统计局");
        // A banner naming the agency the title then names in full is no head of it.
        let m = md("上海市公安局\n上海市公安局浦东分局2021年政府信息公开工作年度报告\n正文。\n");
        assert_eq!(m.agency.unwrap().value, "上海市公安局浦东分局");
    }

    #[test]
    fn the_signature_or_the_body_corrects_a_banner_or_a_bare_type() {
        let end = "\n六、其他需要报告的事项\n无。\n";
        // The line above a title yields to the signature, flagged.
        let m = md(&format!("宁波市人民政府\n2021年政府信息公开工作年度报告\n一、总体情况\n2021年，宁波市自然资源和规划局认真落实《条例》。{end}宁波市自然资源和规划局\n2022年1月15日\n"));
        assert_eq!(m.agency.unwrap().value, "宁波市自然资源和规划局");
        assert!(m.findings.iter().any(|f| f.check == "agency_disagrees"));
        // A department's type alone in the title is completed from the body.
        let m = md("住房和城乡建设局2021年政府信息公开工作年度报告\n一、总体情况\n2021年，南京市住房和城乡建设局认真落实《条例》。\n");
        assert_eq!(m.agency.unwrap().value, "南京市住房和城乡建设局");
        // A sidebar of another agency's report above the page's own title.
        let m = md(&format!("热点推荐\n某县教育局2023年政府信息公开工作年度报告\n某县统计局2023年政府信息公开工作年度报告\n一、总体情况\n本局坚持公开。{end}某县统计局\n2024年1月15日\n"));
        assert_eq!(m.agency.unwrap().value, "某县统计局");
        // A seal's placeholder between the signature and its date.
        let m = md(&format!("2021年政府信息公开工作年度报告\n一、总体情况\n本局坚持公开。{end}宁波市统计局\n（盖章）\n2022年1月15日\n"));
        assert_eq!(m.agency.unwrap().value, "宁波市统计局");
        let m = md("2021年政府信息公开工作年度报告\n根据《条例》，特向社会公布宁波市统计局2021年度政府信息公开工作年度报告。\n");
        assert_eq!(m.agency.unwrap().value, "宁波市统计局");
    }

    #[test]
    fn menus_superiors_offices_and_abbreviations_are_not_the_agency() {
        let body = "\n一、总体情况\n本局坚持公开。\n六、其他需要报告的事项\n无。\n";
        let county = "\n一、总体情况\n我县坚持公开。\n六、其他需要报告的事项\n无。\n";
        for (text, agency) in [
            // A menu's item above the title is no head of its name.
            (format!("各县区\n金溪县农业农村局2023年政府信息公开工作年度报告{body}"), "金溪县农业农村局"),
            (format!("抚州市公安局\n金溪县公安局交通管理大队2023年政府信息公开工作年度报告{body}"), "金溪县公安局交通管理大队"),
            // The body above the agency, named in the body; the signature names the agency.
            ("住房和城乡建设局2023年政府信息公开工作年度报告\n一、总体情况\n在抚州市住房和城乡建设局的指导下，我局坚持公开。\n六、其他需要报告的事项\n无。\n金溪县住房和城乡建设局\n2024年1月15日\n".to_string(), "金溪县住房和城乡建设局"),
            // An abbreviated signature, and a government's report signed by its office.
            (format!("金溪县卫生健康委员会\n2023年政府信息公开工作年度报告{body}金溪县卫健委\n2024年1月15日\n"), "金溪县卫生健康委员会"),
            (format!("金溪县人民政府\n2023年政府信息公开工作年度报告{county}金溪县人民政府办公室\n2024年1月15日\n"), "金溪县人民政府"),
            // A related report's title above the page's own.
            (format!("热点推荐\n金溪县人民政府办公室2023年政府信息公开工作年度报告\n金溪县人民政府2023年政府信息公开工作年度报告{county}金溪县人民政府办公室\n2024年1月15日\n"), "金溪县人民政府"),
        ] {
            let m = md(&text);
            assert_eq!(m.agency.map(|a| a.value).as_deref(), Some(agency), "{text}");
        }
        // A township's government signing under its county's banner is another body.
        let m = md(&format!("桐庐县人民政府\n2023年政府信息公开工作年度报告{body}桐庐县分水镇人民政府\n2024年1月15日\n"));
        assert_eq!(m.agency.unwrap().value, "桐庐县分水镇人民政府");
    }

    #[test]
    fn years_compared_with_are_not_the_reports_year() {
        let m = md("政府信息公开工作年度报告\n一、总体情况\n2021年，我局共主动公开信息120条，较2020年增长15%；受理申请8件，比2020年减少8件，与2020年相比持平。\n");
        assert_eq!(m.year.map(|y| y.value), Some(2021));
        // `于2023年` names the report's own year; the plans' year is flagged.
        let m = md("政府信息公开工作年度报告\n一、总体情况\n我局于2023年全面梳理公开目录。\n我局于2023年更新办事指南。\n2024年，我局将继续深化政务公开。\n");
        assert_eq!(m.year.map(|y| y.value), Some(2023));
        assert!(m.findings.iter().any(|f| f.check == "year_disagrees"));
        // Two years named as often: the body gives none.
        let m = md("政府信息公开工作年度报告\n2021年工作。2022年计划。\n");
        assert!(m.year.is_none());
    }

    #[test]
    fn the_agency_named_by_who_wrote_or_publishes_the_report() {
        for text in [
            "2023年政府信息公开工作年度报告\n本报告由北京市朝阳区建外街道办事处根据《条例》要求编制。\n",
            "2023年政府信息公开工作年度报告\n现公布北京市朝阳区建外街道办事处2023年政府信息公开工作年度报告。\n",
            "北京市朝阳区建外街道办事处关于2023年度政府信息公开工作的年度报告\n正文。\n",
        ] {
            let m = md(text);
            assert_eq!(m.agency.map(|a| a.value).as_deref(), Some("北京市朝阳区建外街道办事处"), "{text}");
        }
        let m = md("2023年政府信息公开工作年度报告\n本报告由新疆生产建设兵团第八师石河子市发展和改革委员会根据《条例》编制。\n");
        assert_eq!(
            m.agency.unwrap().value,
            "新疆生产建设兵团第八师石河子市发展和改革委员会"
        );
        let m = md("2023年政府信息公开工作年度报告\n本报告由国家统计局根据《条例》编制。\n");
        assert_eq!(m.agency.unwrap().value, "国家统计局");
        // A national agency cited in a township's sentence is not its author.
        let m = md("2023年政府信息公开工作年度报告\n2023年，国务院办公厅持续深化政务公开，我镇认真落实。\n");
        assert!(m.agency.is_none());
        // `由于…` is no author; a government's report drafted by its office is the
        // government's.
        let m = md("2023年政府信息公开工作年度报告\n由于乌苏市统计局组织得力，工作顺利。\n");
        assert!(m.agency.is_none());
        // A government's report drafted by its office, or the office's own: not told.
        let m = md("2023年政府信息公开工作年度报告\n本报告由淮安市洪泽区人民政府办公室根据《条例》编制。\n");
        assert!(m.agency.is_none());
        let m = md("2023年政府信息公开工作年度报告\n本报告根据《条例》要求，由广州经济技术开发区管理委员会编制本报告。\n");
        assert_eq!(m.agency.unwrap().value, "广州经济技术开发区管理委员会");
        // Not a name: what follows 由 is a sentence.
        let m = md("2023年政府信息公开工作年度报告\n本报告由办公室根据要求编制。\n");
        assert!(m.agency.is_none());
    }

    #[test]
    fn the_years_a_report_names_itself() {
        // A sentence naming the report outweighs next year's plans.
        let m = md("乌苏市统计局政府信息公开工作年度报告\n现将乌苏市统计局2023年度政府信息公开工作情况报告如下。\n一、总体情况\n2024年，我局将深化公开；2024年，我局将继续。\n");
        assert_eq!(m.year.unwrap().value, 2023);
        // The title and the statistics period disagree: the title's, with a warning.
        let m = md("乌苏市统计局2022年政府信息公开工作年度报告\n本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n");
        assert_eq!(m.year.as_ref().unwrap().value, 2022);
        assert!(m.findings.iter().any(|f| f.check == "year_disagrees"));
        // Agreeing sources: no warning.
        let m = md("乌苏市统计局2023年政府信息公开工作年度报告\n本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。\n");
        assert!(m.findings.iter().all(|f| f.check != "year_disagrees"));
    }

    #[test]
    fn a_second_report_after_the_first_ones_tables_is_found() {
        let one = |agency: &str| {
            format!("{agency}2023年政府信息公开工作年度报告\n根据《中华人民共和国政府信息公开条例》，特向社会公布{agency}2023年度政府信息公开工作年度报告。\n一、总体情况\n略。\n二、主动公开政府信息情况\n规章\t0\t0\t1\n六、其他需要报告的事项\n无。\n")
        };
        let lines = normalise(&format!("{}{}", one("乌苏市统计局"), one("沙湾市统计局")));
        let (line, title) = next_report(&lines).unwrap();
        assert_eq!(line, 9);
        assert!(title.starts_with("沙湾市统计局"));
        assert_eq!(next_report(&normalise(&one("乌苏市统计局"))), None);
        // A related report's title quoted in the closing section is no second report.
        let quoted = format!(
            "{}相关阅读\n沙湾市统计局2023年政府信息公开工作年度报告\n",
            one("乌苏市统计局")
        );
        assert_eq!(next_report(&normalise(&quoted)), None);
    }

    #[test]
    fn the_next_report_is_found_when_its_title_wraps_or_this_one_prints_no_section_two() {
        // `wrap`: the title over two lines; `s2`: section 二's heading printed.
        let report = |agency: &str, wrap: bool, s2: bool| {
            let title = format!(
                "{agency}2023年政府信息公开{}工作年度报告",
                if wrap { "\n" } else { "" }
            );
            let s2 = if s2 {
                "二、主动公开政府信息情况\n"
            } else {
                ""
            };
            format!("{title}\n根据《中华人民共和国政府信息公开条例》，特向社会公布{agency}2023年度政府信息公开工作年度报告。\n一、总体情况\n略。\n{s2}规章\t0\t0\t1\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n无。\n")
        };
        let text = report("乌苏市统计局", false, true) + &report("沙湾市统计局", true, true);
        let (line, title) = next_report(&normalise(&text)).unwrap();
        assert_eq!(
            (line, title.as_str()),
            (11, "沙湾市统计局2023年政府信息公开工作年度报告")
        );
        // The first prints no section 二 heading: the second opens before the first
        // section 二 of the text, after a section of the first.
        let text = report("乌苏市统计局", false, false) + &report("沙湾市统计局", false, true);
        assert_eq!(next_report(&normalise(&text)).map(|(l, _)| l), Some(10));
        // A compilation's cover title right before its first report opens nothing unread.
        let text = format!(
            "某市2023年度政府信息公开工作年度报告汇编\n{}",
            report("乌苏市统计局", false, true)
        );
        assert_eq!(next_report(&normalise(&text)), None);
        let one = report("乌苏市统计局", false, true);
        assert_eq!(next_report(&normalise(&one)), None);
        assert_eq!(next_report(&normalise(&one)), None);
    }

    #[test]
    fn a_related_link_before_the_article_is_not_its_title() {
        let page = PageMeta {
            article_title: Some("乌苏市统计局2023年政府信息公开工作年度报告".into()),
            ..PageMeta::default()
        };
        let lines = normalise("相关链接\n乌苏市统计局2022年政府信息公开工作年度报告\n乌苏市统计局2023年政府信息公开工作年度报告\n一、总体情况\n");
        let m = read(&lines, &page);
        assert_eq!(m.year.unwrap().value, 2023);
    }

    #[test]
    fn a_compilation_of_departments_reports_holds_several() {
        let block = |a: &str| {
            format!("{a}2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n规章\t0\t0\t1\n三、收到和处理政府信息公开申请情况\n")
        };
        let text = format!(
            "某市2023年度市直部门政府信息公开工作年度报告汇编\n{}{}",
            block("市公安局"),
            block("市民政局")
        );
        let second = next_report(&normalise(&text)).map(|(_, t)| t);
        assert_eq!(
            second.as_deref(),
            Some("市民政局2023年政府信息公开工作年度报告")
        );
        // The report's own title printed again above its next page is no second report.
        let text = format!("{}{}", block("市公安局"), block("市公安局"));
        assert_eq!(next_report(&normalise(&text)), None);
    }

    #[test]
    fn dates_with_the_month_and_day_in_chinese_numerals() {
        assert_eq!(
            whole_line_date("2024年一月十五日").as_deref(),
            Some("2024-01-15")
        );
        assert_eq!(
            whole_line_date("2023年十二月三十一日").as_deref(),
            Some("2023-12-31")
        );
        assert_eq!(whole_line_date("2023年十三月一日"), None);
        let lines = normalise(
            "二〇二三年度工作计划要点\n本局将继续推进公开。\n乌苏市统计局\n二〇二四年一月十五日\n",
        );
        assert_eq!(body_year(&lines).map(|(y, _)| y.value), Some(2023));
    }

    #[test]
    fn a_signature_date_is_not_the_year_covered() {
        let lines = normalise("四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n0\t0\n五、存在的主要问题及改进情况\n某州统计局\n2022年1月15日\n");
        assert_eq!(body_year(&lines), None);
        let lines = normalise("发布时间：2022年01月15日\n本机关2021年共收到申请5件。\n");
        assert_eq!(body_year(&lines).map(|(y, _)| y.value), Some(2021));
    }

    #[test]
    fn a_body_naming_two_years_as_often_names_no_year() {
        let m = md("五、存在的主要问题及改进情况\n2024 年，全区工作取得一定成绩。\n针对存在问题，2025 年我们将抓好以下工作。\n");
        assert!(m.year.is_none());
        let m = md("2024年，全区工作取得成绩。2024年共收到申请。\n2025年我们将继续。\n");
        assert_eq!(m.year.unwrap().value, 2024);
    }

    #[test]
    fn a_quarter_in_a_sentence_is_no_partial_year_title() {
        assert!(md("2024年第一季度政府信息公开申请办理情况\n正文。\n").partial_year);
        // A page of a report cut from its PDF: a sentence wrapped into short lines.
        let m = md("个，在省办 2024 年四个季度政务新媒体检查抽查中，合格率均\n为100%。\n");
        assert!(!m.partial_year);
    }

    #[test]
    fn place_names_that_begin_like_a_pronoun_are_names() {
        let m = md("2023年度本溪市明山区统计局政府信息公开工作年度报告\n正文。\n");
        assert_eq!(m.agency.unwrap().value, "本溪市明山区统计局");
        let m = md("本市统计局2023年政府信息公开工作年度报告\n正文。\n");
        assert!(m.agency.is_none_or(|a| a.value != "本市统计局"));
    }

    #[test]
    fn title_with_year_first_or_last() {
        let m = md("2023 年度兵团统计局政府信息公开工作报告\n正文");
        assert_eq!(m.agency.unwrap().value, "兵团统计局");
        assert_eq!(m.year.unwrap().value, 2023);
        let m = md("乌苏市统计局2023年政府信息公开\n工作年度报告\n正文");
        assert_eq!(m.agency.unwrap().value, "乌苏市统计局");
    }

    #[test]
    fn agency_on_the_line_above() {
        let m = md("沙坡头区统计局\n\n2020 年政府信息公开工作年度报告\n");
        let a = m.agency.unwrap();
        assert_eq!(a.value, "沙坡头区统计局");
        assert_eq!(a.source, MetaSource::TitleLine);
    }

    #[test]
    fn bare_department_is_completed_from_the_body() {
        let m = md("统计局 2023 年度政府信息公开工作报告\n2023 年，互助县统计局坚持以习近平新时代中国特色社会主义思想为指导。\n");
        assert_eq!(m.agency.unwrap().value, "互助县统计局");
    }

    #[test]
    fn agency_from_body_sentences() {
        let m =
            md("一、總體情況\n2022年,濱江區統計局堅持以習近平新時代中國特色社會主義思想為指導。\n");
        assert_eq!(m.agency.unwrap().value, "滨江区统计局");
        let m = md("如有疑问,请与阿巴嘎旗自然资源局办公室联系(电话:0479-2022416)。\n");
        assert_eq!(m.agency.unwrap().value, "阿巴嘎旗自然资源局");
    }

    #[test]
    fn pronouns_and_level_words_are_not_agencies() {
        for text in [
            "2022年,我镇持续强化组织领导,严格按照要求\n",
            "2021年,县乡村振兴局严格按照县委县政府要求\n",
            "2021年,市农业农村局认真贯彻落实\n",
        ] {
            assert!(md(text).agency.is_none(), "{text}");
        }
    }

    #[test]
    fn the_title_wins_over_the_office_that_signs() {
        let m = md("平潭综合实验区2021年度政府信息公开工作年度报告\n一、总体情况\n本年度,我区认真贯彻。\n平潭综合实验区管委会办公室\n2022年2月8日\n");
        let a = m.agency.unwrap();
        assert_eq!(
            (a.value.as_str(), a.source),
            ("平潭综合实验区", MetaSource::Title)
        );
        let m = md("2023年政府信息公开工作年度报告\n一、总体情况\n本年度,我委认真贯彻。\n湛江市发展和改革委员会\n2024年1月20日\n");
        let a = m.agency.unwrap();
        assert_eq!(
            (a.value.as_str(), a.source),
            ("湛江市发展和改革委员会", MetaSource::Signature)
        );
    }

    #[test]
    fn crawler_headers_and_page_sources() {
        let m = md("标题: 平潭综合实验区2019年度政府信息公开工作年度报告\n发布时间: 2020-01-20 15:22\n发布机构: \n==================== 正文 ====================\n一、总体情况2019年,我区认真贯彻落实新修订的《条例》。\n");
        let a = m.agency.unwrap();
        assert_eq!(
            (a.value.as_str(), a.source),
            ("平潭综合实验区", MetaSource::PageMeta)
        );
        // The source names the place the bulletin calls 全区; a county's office does not
        // write a township's report (我镇).
        let m = md("2022年上半年政府信息公开数据统计\n2022年07月25日 来源: 上海普陀\n2022年上半年,全区各级行政机关共制发公文707件。\n");
        assert_eq!(m.agency.unwrap().value, "上海市普陀区");
        let m = md("2023年政府信息公开工作年度报告\n来源:昌图县人民政府办公室 时间:2024-01-31\n一、总体情况\n2023年,我镇认真贯彻落实《条例》。\n");
        assert!(m.agency.is_none());
    }

    #[test]
    fn unnamed_agency_is_flagged() {
        let m = md("一、总体情况\n2022年,我局认真贯彻。\n");
        assert!(m.agency.is_none());
        assert!(m.findings.iter().any(|f| f.check == "agency_unknown"));
    }

    #[test]
    fn dates() {
        let m = md("乌苏市统计局2023年政府信息公开工作年度报告\n正文。\n        乌苏市统计局\n      2024年1月15日\n");
        assert_eq!(m.published_date.unwrap().value, "2024-01-15");
        assert_eq!(parse_date("2021-01-19 14:36:15").unwrap(), "2021-01-19");
    }

    #[test]
    fn year_from_statistics_period() {
        let m = md("乌海市工业和信息化局\n政府信息公开工作年度报告\n本报告所列数据的统计期限自2020年1月1日起至2020年12月31日。\n");
        assert_eq!(m.year.unwrap().value, 2020);
    }
}
