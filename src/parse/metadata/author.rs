//! Who wrote the report: the agency as the report names itself.
//!
//! The sources, strongest first — the report's own words before what a page or crawler
//! says about it:
//! 1. the title, or the line above it (`平潭综合实验区2019年度…报告`);
//! 2. the signature, a name alone on the line by the closing date;
//! 3. sentences of the body that name the agency (`2022年，XX局坚持…`, `请与XX联系`);
//! 4. the page's title (HTML `ArticleTitle`/`<title>`, a crawler header's `标题:`);
//! 5. the publisher a page or crawler header names (`发布机构:`, `来源:`, `ContentSource`),
//!    only when the report's self-references (`我局`, `全区`) fit that body: a county's
//!    office publishes its townships' reports under its own name.
//!
//! A later source never overrides an earlier one: the signature of
//! `平潭综合实验区管委会办公室` under a title naming `平潭综合实验区` is the office that
//! issued the report for the area. A name that is only a type (`统计局`, `区统计局`,
//! `高新区管委会`) is completed from the body (`互助县统计局`) or left null. Form and table
//! residue (`名称沭阳县…`, `单位：…`) is not a name.

use crate::agency;
use crate::model::{Finding, MetaSource, PageMeta, Severity, Sourced, Table};
use crate::normalise::{is_han, Line, Trim};

use super::{page_titles, title_of, Title};

/// Suffixes that end the name of an organ of government.
const ORGAN_SUFFIXES: &[&str] = &[
    "人民政府办公室",
    "人民政府办公厅",
    "人民政府",
    "政府办公室",
    "办公室",
    "办公厅",
    "委员会",
    "管委会",
    "管理委员会",
    "局",
    "委",
    "厅",
    "署",
    "办",
    "中心",
    "街道办事处",
    "办事处",
    "街道",
    "镇",
    "乡",
    "苏木",
    "街",
    "院",
    "馆",
    "所",
    "站",
    "队",
    "部",
    "政府",
    "公司",
];

/// Suffixes of bodies that file reports under the Regulations but that a sentence of the
/// body names as partners far more often than as the author (`联合市总工会`, `会同第一中学`):
/// customs, river and park authorities, the people's organisations (残联, 红十字会, 总工会,
/// 科协), the central bank's branches, a government's research office, schools. Names in
/// titles, signatures and page metadata only.
const TITLE_ORGAN_SUFFIXES: &[&str] = &[
    "海关",
    "管理处",
    "联合会",
    "红十字会",
    "工会",
    "协会",
    "促进会",
    "分行",
    "支行",
    "研究室",
    "学校",
    "农场",
    "林场",
    "中学",
    "小学",
    "大学",
];

/// The State Council's departments whose names open with neither `国家` nor `国务院`
/// and name no place (`教育部`, `审计署`): their names are the state's own, so they are
/// names of a body, not types wanting a place (`宣传部`, `统计局`).
const NATIONAL_DEPARTMENTS: &[&str] = &[
    "外交部",
    "国防部",
    "教育部",
    "科学技术部",
    "工业和信息化部",
    "公安部",
    "民政部",
    "司法部",
    "财政部",
    "人力资源和社会保障部",
    "自然资源部",
    "生态环境部",
    "住房和城乡建设部",
    "交通运输部",
    "水利部",
    "农业农村部",
    "商务部",
    "文化和旅游部",
    "退役军人事务部",
    "应急管理部",
    "中国人民银行",
    "审计署",
    "海关总署",
];

/// Zone types that name no zone in particular at the start of a name (`高新区管委会`, like
/// `区统计局`), unless a parenthetical says where (`高新区(新市区)司法局`).
const GENERIC_ZONES: &[&str] = &[
    "高新区",
    "开发区",
    "经开区",
    "新区",
    "园区",
    "示范区",
    "实验区",
    "试验区",
    "保税区",
    "自贸区",
    "度假区",
    "管理区",
];

/// Divisions standing for their government (`上海市普陀区`, `杭州市`): a title, a signature
/// or page metadata may name the author so, a sentence of the body does not (`2022年，
/// 全县…`, `湘阴县坚持…` speak of the place).
const DIVISION_SUFFIXES: &[&str] = &["区", "县", "市", "旗", "盟", "州", "省"];

/// Administrative-division markers: a name holding one of them names a place, not just
/// a department type.
const PLACE_MARKERS: &[char] = &[
    '省', '市', '县', '区', '旗', '州', '盟', '镇', '乡', '街', '村',
];

/// Characters that stand for an administrative level (`市` in `市统计局`).
const LEVEL_CHARS: [char; 9] = ['省', '市', '县', '区', '镇', '乡', '旗', '州', '街'];

/// Labels of forms and metadata lines. A name that starts with one is residue of a form
/// row or table cell run together with its label (`名称沭阳县…`, `单位：…`).
const FORM_LABELS: &[&str] = &[
    "单位名称",
    "机关名称",
    "名称",
    "填报单位",
    "报送单位",
    "编制单位",
    "发布单位",
    "发布机构",
    "发布者",
    "发文机关",
    "发文单位",
    "信息来源",
    "来源",
    "单位",
    "标题",
    "题目",
    "文件名称",
    "主办单位",
    "主办",
    "承办",
    "索引号",
    // `附件2 某县统计局2023年…`: an attachment's number before the title it carries.
    "附件",
];

/// Where a name was read: sentences of the body are looser than titles, so they must name
/// an organ or a zone, never only a division.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Context {
    /// Titles, signatures, page metadata.
    Title,
    /// Sentences of the body.
    Sentence,
}

/// Whether `s` has the shape of a body's name: Han characters (one parenthetical allowed,
/// `高新区(新市区)司法局`) ending with an organ's or zone's suffix — or, outside sentences,
/// a division's.
pub(super) fn looks_like_agency(s: &str, context: Context) -> bool {
    let n = s.chars().count();
    if !(2..=30).contains(&n) || !han_with_parenthetical(s) || is_residue(s) {
        return false;
    }
    // Two names of one body (`XX局(XX办公室)`, since the 2018 reforms): the first says
    // what it is, and the second must be an organ's name too (not `(盖章)`, `(本级)`).
    let (core, second) = s
        .strip_suffix(')')
        .and_then(|c| c.rsplit_once('('))
        .map_or((s, None), |(c, second)| (c, Some(second)));
    let organ = |name: &str| organ_name(name, context);
    // (or its short form: `(市残联)`, `(区委网信办)`).
    let short_form = |n: &str| {
        n.chars().next().is_some_and(|c| LEVEL_CHARS.contains(&c)) && n.chars().count() <= 6
    };
    if second.is_some_and(|n| !organ(n) && !short_form(n)) {
        return false;
    }
    // A division alone must be one the gazetteer knows, whole: `关于XX区` is not a name.
    organ(core)
        || NATIONAL_DEPARTMENTS.contains(&core)
        || agency::ZONE_WORDS.iter().any(|z| core.ends_with(z))
        || context == Context::Title && bingtuan(core)
        || context == Context::Title
            && DIVISION_SUFFIXES.iter().any(|d| s.ends_with(d))
            && agency::only_divisions(s)
}

/// Whether `name` ends as an organ's name does (`TITLE_ORGAN_SUFFIXES` only outside
/// body sentences).
fn organ_name(name: &str, context: Context) -> bool {
    ORGAN_SUFFIXES.iter().any(|suf| name.ends_with(suf))
        || context == Context::Title && TITLE_ORGAN_SUFFIXES.iter().any(|suf| name.ends_with(suf))
}

/// A division or regiment of the Xinjiang Production and Construction Corps
/// (`新疆生产建设兵团第八师`, `第八师石河子市`, `第八师一四三团`).
fn bingtuan(name: &str) -> bool {
    let Some(at) = name.find('第') else {
        return name.ends_with("兵团");
    };
    let numeral = |c: char| "一二三四五六七八九十".contains(c);
    let rest: Vec<char> = name[at + '第'.len_utf8()..].chars().collect();
    let n = rest.iter().take_while(|c| numeral(**c)).count();
    n > 0 && rest.get(n) == Some(&'师') && name.ends_with(['师', '团', '市'])
}

/// The name without a second name in brackets after it (`…办公厅(市政府外事办公室)`).
fn without_second_name(name: &str) -> &str {
    name.strip_suffix(')')
        .and_then(|c| c.rsplit_once('('))
        .map(|(core, _)| core.trim_end())
        .filter(|core| !core.is_empty())
        .unwrap_or(name)
}

/// Han characters, with at most one parenthetical of Han characters after the first one,
/// and ASCII digits only between two Han characters (`宁波市81890求助服务中心`).
fn han_with_parenthetical(s: &str) -> bool {
    let (mut open, mut groups) = (false, 0);
    for (i, c) in s.chars().enumerate() {
        match c {
            '(' if !open && i > 0 => (open, groups) = (true, groups + 1),
            ')' if open => open = false,
            c if is_han(c) => {}
            c if c.is_ascii_digit() => {}
            _ => return false,
        }
    }
    !open && groups <= 1 && !s.contains("()") && digits_inside_han(s)
}

/// Every run of ASCII digits stands between two Han characters: a hotline's number in a
/// body's name (`杭州市12345政务服务热线管理中心`), not a page number or a date's residue.
pub(super) fn digits_inside_han(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    (0..chars.len()).all(|i| !chars[i].is_ascii_digit() || digit_inside_han(&chars, i))
}

/// Whether the run of ASCII digits holding `chars[i]` has a Han character on each side.
fn digit_inside_han(chars: &[char], i: usize) -> bool {
    let before = chars[..i].iter().rev().find(|c| !c.is_ascii_digit());
    let after = chars[i..].iter().find(|c| !c.is_ascii_digit());
    before.is_some_and(|c| is_han(*c)) && after.is_some_and(|c| is_han(*c))
}

/// A form label run together with what follows it, or a page's footer (`版权所有…`).
fn is_residue(s: &str) -> bool {
    FORM_LABELS.iter().any(|l| s.starts_with(l))
        || ["版权", "网站", "技术支持", "联系我们"]
            .iter()
            .any(|w| s.contains(w))
}

/// Keeps the Han characters and parentheses of a name, without a form label run
/// together with it (`名称沭阳县统计局`, `单位:沭阳县统计局` → `沭阳县统计局`).
pub(super) fn clean_name(s: &str) -> String {
    let s = s.trim_ws().trim_start_matches(['_', '-', ' ']);
    let s = s.rsplit('_').next().unwrap_or(s);
    // A character that stands for an ideograph the text could not give (a PDF font's
    // private-use code for a rare character, a replacement character, a letter of
    // another script inside the Han run) would be dropped below, and the name read
    // silently wrong (`黑江省` for 黑龙江省): no name rather than a wrong one.
    // Only within a run of Han: a bilingual title prints the name in another script
    // (Mongolian, Uyghur, Tibetan) as a word of its own beside the Han one.
    let unreadable = |c: char| {
        matches!(c as u32, 0x2E80..=0x2FDF | 0xE000..=0xF8FF | 0xF0000..=0x10FFFF | 0xFFFD)
            || c.is_alphabetic() && !c.is_ascii() && !is_han(c) && c != '〇'
    };
    if s.split_whitespace()
        .filter(|w| w.chars().any(is_han))
        .any(|w| w.chars().any(unreadable))
    {
        return String::new();
    }
    // Latin letters are kept so that a banner (`某县人民政府 The People's Government…`)
    // is not taken for a name. Digits between Han characters are part of the name
    // (`宁波市81890求助服务中心`): dropped, they left another name, silently wrong.
    let chars: Vec<char> = s.chars().collect();
    let kept: String = chars
        .iter()
        .enumerate()
        .filter(|&(i, c)| {
            is_han(*c)
                || c.is_ascii_alphabetic()
                || matches!(c, '(' | ')')
                || c.is_ascii_digit() && digit_inside_han(&chars, i)
        })
        .map(|(_, c)| *c)
        .collect();
    let label = FORM_LABELS.iter().find(|l| kept.starts_with(**l));
    // The label's number goes with it (`附件2某县统计局`).
    let name = label.map_or(kept.as_str(), |l| {
        kept[l.len()..].trim_start_matches(|c: char| c.is_ascii_digit())
    });
    // A parenthesis the cut left open is not part of the name.
    name.strip_suffix('(').unwrap_or(name).to_string()
}

/// A name that says where it is (`乌苏市统计局`, `平潭综合实验区`, `高新区(新市区)司法局`),
/// not only what it is (`统计局`, `区统计局`, `本局`, `高新区管委会`).
pub(super) fn is_specific(name: &str) -> bool {
    let chars: Vec<char> = name.chars().collect();
    // `我局`, `本镇`, `本市统计局`, and a level word standing for the place (`县乡村振兴局`,
    // `市农业农村局`, `区统计局`) name no agency in particular. Place names that begin with
    // one of those characters (`本溪市…`) do: after a pronoun, only a level or agency
    // word makes the name a pronoun phrase.
    let pronoun = matches!(chars.first(), Some('我' | '本' | '该'))
        && chars.get(1).is_none_or(|c| {
            matches!(
                c,
                '局' | '委' | '办' | '厅' | '院' | '所' | '部' | '站' | '会' | '机' | '单'
            ) || LEVEL_CHARS.contains(c)
        });
    if NATIONAL_DEPARTMENTS.contains(&name) {
        return true;
    }
    if chars.len() < 3 || pronoun {
        return false;
    }
    // `镇江市…`, `乡城县…`, `市中区…` begin with a level character and name a place.
    if LEVEL_CHARS.contains(&chars[0]) && !agency::opens_with_division(name) {
        return false;
    }
    if let Some(zone) = GENERIC_ZONES.iter().find(|z| name.starts_with(**z)) {
        let rest = &name[zone.len()..];
        return rest.starts_with('(')
            && rest
                .split(')')
                .next()
                .is_some_and(|p| p.chars().any(|c| PLACE_MARKERS.contains(&c)));
    }
    // A place marker after the first character: `区统计局` names no place, `福田区…` does.
    chars.iter().skip(1).any(|c| PLACE_MARKERS.contains(c))
        || looks_like_agency(name, Context::Title) && chars.len() >= 4 && !is_bare_department(name)
}

/// Words of departments' types that hold a place marker without naming a place
/// (`住房和城乡建设局`, `乡村振兴局`, `市场监督管理局`, `城市管理局`).
const TYPE_WORDS_WITH_MARKERS: &[&str] = &[
    "城乡", "乡村", "市场", "市政", "城市", "区域", "社区", "县域", "村镇",
];

/// A department's type with no place in it (`住房和城乡建设局`, `管理委员会`), which the
/// signature or the body may print in full.
fn type_only(name: &str) -> bool {
    let mut rest = name.to_string();
    for w in TYPE_WORDS_WITH_MARKERS {
        rest = rest.replace(w, "");
    }
    // `兵团…` is the Corps' own short name, as a place's.
    !rest.contains(PLACE_MARKERS) && !name.starts_with("兵团") && !agency::opens_with_division(name)
}

/// Body sentences are looser than titles, so a name read from them must name a place
/// (`滨江区统计局`), not only be shaped like an agency (`统筹部署`).
fn names_place(name: &str) -> bool {
    is_specific(name) && name.chars().skip(1).any(|c| PLACE_MARKERS.contains(&c))
}

/// A national agency names the state instead of a place (`国家统计局`, `国务院国资委`):
/// taken only where the report says who wrote it, never from a sentence that may cite a
/// higher authority (`国务院办公厅持续深化政务公开，我镇…`).
///
/// So are the bodies of national systems named after no division: a customs district
/// (`拱北海关`) and the Corps' departments (`兵团统计局`).
fn national(name: &str) -> bool {
    NATIONAL_DEPARTMENTS.contains(&name)
        || is_specific(name)
            && (["国家", "国务院", "中国", "兵团", "新疆生产建设兵团"]
                .iter()
                .any(|p| name.starts_with(p) && name.len() > p.len() + 3)
                || name.ends_with("海关"))
}

/// Department types that need a place to be a name.
fn is_bare_department(name: &str) -> bool {
    let n = name.chars().count();
    n <= 4
        && (name.ends_with('局')
            || name.ends_with('委')
            || name.ends_with("中心")
            || name.ends_with('办')
            || name.ends_with('署'))
}

/// The agency of a report, and the findings about it. `title` is the report's own title,
/// when one was found.
pub(super) fn read(
    lines: &[Line],
    page: &PageMeta,
    title: Option<&Title>,
) -> (Option<Sourced<String>>, Vec<Finding>) {
    let mut findings = Vec::new();
    let header = Header::read(lines);
    // The crawler's record of the page's title, else the page's own.
    let header_title = header.title.as_deref().and_then(title_of);
    let page_line = header_title.as_ref().and(header.title_line);
    let page_agency = header_title
        .or_else(|| page_titles(page).into_iter().find_map(title_of))
        .and_then(|t| t.agency);
    let signature = from_signature(lines);
    let agency = title
        .and_then(|t| from_title(t, lines, signature.as_ref()))
        // A government's name on the line above the title of a report that calls itself
        // `我局`: the portal's banner, not the author.
        .filter(|a| a.source != MetaSource::TitleLine || !another_organ(&a.value, lines, None))
        .or_else(|| signature.clone())
        .or_else(|| from_body(lines))
        .or_else(|| {
            let a = page_agency.clone().filter(|a| is_specific(a))?;
            Some(Sourced {
                value: a,
                source: MetaSource::PageMeta,
                line: page_line,
            })
        })
        .or_else(|| from_publisher(&header, page, lines));
    match (&agency, &page_agency) {
        (Some(ours), Some(theirs))
            if ours.value != *theirs
                && !ours.value.ends_with(theirs.as_str())
                && !theirs.ends_with(ours.value.as_str()) =>
        {
            findings.push(
                Finding::new(
                    Severity::Warning,
                    "page_meta_disagrees",
                    format!("the page metadata names the agency {theirs}, the report itself {}; the report wins", ours.value),
                )
                .at(Table::Reports, None, None)
                .values(ours.value.clone(), theirs.clone()),
            );
        }
        _ => {}
    }
    // `中卫市残疾人联合会(市残联)`: the bracket holds the body's short name, not a second
    // name; the agency is the full one.
    let agency = agency.map(|mut a| {
        if let Some((core, second)) = a.value.strip_suffix(')').and_then(|c| c.rsplit_once('(')) {
            if !organ_name(second, Context::Title) && !core.is_empty() {
                a.value = core.to_string();
            }
        }
        a
    });
    let mut agency = agency;
    if let Some(a) = agency
        .as_mut()
        .filter(|a| matches!(a.source, MetaSource::Title | MetaSource::TitleLine))
    {
        // The body's own naming stands in for a missing signature against the line above
        // a title, which may be the portal's banner.
        let sig = signature.clone().or_else(|| {
            (a.source == MetaSource::TitleLine)
                .then(|| from_body(lines))
                .flatten()
        });
        if let Some(sig) = sig.as_ref().filter(|s| s.value != a.value) {
            // One name within the other, or one an abbreviation of the other (`金溪县卫健委`
            // of `金溪县卫生健康委员会`): the same body.
            let related = |x: &str, y: &str| {
                x.contains(y) || y.contains(x) || abbreviates(x, y) || abbreviates(y, x)
            };
            if sig.source == MetaSource::Signature
                && sig.value.ends_with(a.value.as_str())
                && type_only(&a.value)
            {
                // The title's name is the end of the signature's (`西湖区税务局`, wrapped
                // from `国家税务总局杭州市` on the line above): the signature prints it whole.
                *a = sig.clone();
            } else if a.source == MetaSource::TitleLine
                && sig.value.starts_with(a.value.as_str())
                // A government's report signed by its office is the government's.
                && !["办公室", "办公厅", "办"]
                    .iter()
                    .any(|o| sig.value[a.value.len()..] == **o)
            {
                // A banner above the title naming the body the agency belongs to
                // (`上海市公安局` above the report of its 浦东分局).
                findings.push(disagreement(sig, a));
                *a = sig.clone();
            } else if !related(&sig.value, &a.value) && !one_character_apart(&sig.value, &a.value) {
                // Two bodies: a portal's banner above the title (`宁波市人民政府`), another
                // report's title in a sidebar. A government's name on the line above a title
                // may be its portal's banner, and yields to the signature; a department's
                // there, or a name in the title itself, is kept.
                let banner = a.source == MetaSource::TitleLine && a.value.ends_with("政府");
                let (kept, other) = if banner {
                    (sig.clone(), a.clone())
                } else {
                    (a.clone(), sig.clone())
                };
                findings.push(disagreement(&kept, &other));
                *a = kept;
            } else if sig.source == MetaSource::Signature
                && one_character_apart(&sig.value, &a.value)
            {
                // The title and the signature naming the same body but for one character:
                // one of them is misprinted (`统汁局`, `鸟苏市`), and which cannot be told.
                findings.push(
                    Finding::new(
                        Severity::Warning,
                        "agency_disagrees",
                        format!(
                            "the title names the agency {}, the signature {}: one of them is misprinted; the title's is kept",
                            a.value, sig.value
                        ),
                    )
                    .at(Table::Reports, None, None)
                    .values(a.value.clone(), sig.value.clone()),
                );
            }
        }
    }
    match &agency {
        None => findings.push(
            Finding::new(
                Severity::Warning,
                "agency_unknown",
                "the report does not name its agency in a way that can be read with certainty",
            )
            .at(Table::Reports, None, None),
        ),
        Some(a) => {
            if let Some(why) = agency::unplaced_zone(&a.value) {
                findings.push(
                    Finding::new(Severity::Warning, "division_unplaced", why)
                        .at(Table::Reports, None, None)
                        .values("a division".to_string(), a.value.clone()),
                );
            }
        }
    }
    (agency, findings)
}

/// Two names of different bodies for the report's agency, and which was kept.
fn disagreement(kept: &Sourced<String>, other: &Sourced<String>) -> Finding {
    Finding::new(
        Severity::Warning,
        "agency_disagrees",
        format!(
            "the {} names the agency {}, the {} {}; the {}'s is kept",
            source_word(kept.source),
            kept.value,
            source_word(other.source),
            other.value,
            source_word(kept.source)
        ),
    )
    .at(Table::Reports, None, Some("agency"))
    .values(kept.value.clone(), other.value.clone())
}

/// Where a name was read, in words for a finding.
fn source_word(source: MetaSource) -> &'static str {
    match source {
        MetaSource::Title => "title",
        MetaSource::TitleLine => "line above the title",
        MetaSource::Signature => "signature",
        _ => "text",
    }
}

/// `short` is `long` abbreviated: the same first character, and every character of
/// `short` in `long` in order (`卫健委` in `卫生健康委员会`, `住建局` in `住房和城乡建设局`).
/// Not two names ending alike (`桐庐县人民政府`, `桐庐县分水镇人民政府`): an abbreviation
/// shortens the type, these are two bodies of one type.
fn abbreviates(short: &str, long: &str) -> bool {
    let (s, l) = (short.chars().count(), long.chars().count());
    if s >= l || s < 3 || short.chars().next() != long.chars().next() {
        return false;
    }
    let same_ending = short
        .chars()
        .rev()
        .zip(long.chars().rev())
        .take_while(|(a, b)| a == b)
        .count()
        >= 2;
    if same_ending {
        return false;
    }
    let mut rest = long.chars();
    short.chars().all(|c| rest.any(|d| d == c))
}

/// Two names of the same length that differ in exactly one character.
fn one_character_apart(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    a.len() == b.len() && a.iter().zip(&b).filter(|(x, y)| x != y).count() == 1
}

/// The agency a title names (or the line above it), completed from the body when the title
/// gives only its type.
fn from_title(
    t: &Title,
    lines: &[Line],
    signature: Option<&Sourced<String>>,
) -> Option<Sourced<String>> {
    let name = t.agency.as_ref()?;
    // A type that reads as a name (`住房和城乡建设局`, `发展和改革委员会`: 乡 and 州 stand
    // in them) but names no place is completed like a bare type, when the body can.
    // The signature first: the body may name the body above the agency (`在抚州市住房和
    // 城乡建设局的指导下`).
    if type_only(name) {
        let longer = |full: &str| full.ends_with(name.as_str()) && full.len() > name.len();
        if let Some(sig) = signature.filter(|s| longer(&s.value)) {
            return Some(sig.clone());
        }
        if let Some((full, line)) = complete_from_body(name, lines).filter(|(f, _)| longer(f)) {
            return Some(Sourced {
                value: full,
                source: MetaSource::Body,
                line: Some(line),
            });
        }
    }
    if is_specific(name) {
        let source = if t.agency_line == t.line {
            MetaSource::Title
        } else {
            MetaSource::TitleLine
        };
        return Some(Sourced {
            value: name.clone(),
            source,
            line: Some(t.agency_line),
        });
    }
    let (full, line) = complete_from_body(name, lines)?;
    Some(Sourced {
        value: full,
        source: MetaSource::Body,
        line: Some(line),
    })
}

/// The signature: a name alone on a line next to the closing date (`乌苏市统计局` /
/// `2024年1月15日`), among the last lines of the text.
fn from_signature(lines: &[Line]) -> Option<Sourced<String>> {
    let nonblank: Vec<&Line> = lines
        .iter()
        .filter(|l| !l.text.trim_ws().is_empty())
        .collect();
    let tail = &nonblank[nonblank.len().saturating_sub(8)..];
    let Some(date) = tail
        .iter()
        .rposition(|l| super::whole_line_date(&l.text).is_some())
    else {
        return signature_beside_date(tail, lines);
    };
    // A seal's placeholder may stand between the name and the date (`（盖章）`).
    let seal = |i: usize| {
        tail.get(i).is_some_and(|l| {
            let k = crate::normalise::match_key(&l.text);
            ["盖章", "印章", "章", "公章"].contains(&k.as_str())
        })
    };
    let above = match date.checked_sub(1) {
        Some(i) if seal(i) => i.checked_sub(1),
        other => other,
    };
    let around = [above, Some(date + 1)];
    for line in around.into_iter().flatten().filter_map(|i| tail.get(i)) {
        if let Some(name) = signature_name(&line.text) {
            return signed(name, line, lines);
        }
    }
    None
}

/// The agency a signature's text names. Only a name: text with digits, a colon or cell
/// separators is something else (digits only inside a name, `宁波市81890求助服务中心`).
fn signature_name(t: &str) -> Option<String> {
    let t = t.trim_ws();
    if t.contains([':', '|', '\t']) || !digits_inside_han(t) {
        return None;
    }
    let name = clean_name(t);
    looks_like_agency(&name, Context::Title).then_some(name)
}

/// The signature `name` of `line`, a bare department completed from the body.
fn signed(name: String, line: &Line, lines: &[Line]) -> Option<Sourced<String>> {
    let value = if is_specific(&name) {
        name
    } else {
        complete_from_body(&name, lines)?.0
    };
    Some(Sourced {
        value,
        source: MetaSource::Signature,
        line: Some(line.no),
    })
}

/// The signature and the date on one line (`乌苏市统计局    2024年1月15日`), as a page
/// that runs the closing block together prints them: the last such line of the tail.
fn signature_beside_date(tail: &[&Line], lines: &[Line]) -> Option<Sourced<String>> {
    let split = |t: &str| -> Option<String> {
        let t = t.trim_ws();
        let (at, _) = t
            .char_indices()
            .filter(|&(_, c)| c.is_whitespace())
            .find(|&(at, _)| super::whole_line_date(&t[at..]).is_some())?;
        Some(t[..at].trim_ws().to_string())
    };
    let (line, head) = tail
        .iter()
        .rev()
        .find_map(|l| split(&l.text).map(|h| (l, h)))?;
    signed(signature_name(&head)?, line, lines)
}

/// Completes a bare department name from the body: the most frequent `<place><name>`,
/// shortest on ties (`福田区集体经济发展服务署` over `深圳市福田区…`).
fn complete_from_body(name: &str, lines: &[Line]) -> Option<(String, u32)> {
    let core = name.trim_start_matches(['区', '县', '市', '镇', '乡']);
    if core.chars().count() < 2 {
        return None;
    }
    let mut found: Vec<(String, u32)> = Vec::new();
    for l in lines {
        let t = &l.text;
        let mut from = 0;
        while let Some(pos) = t[from..].find(core) {
            let at = from + pos;
            let prefix: String = t[..at]
                .chars()
                .rev()
                .take_while(|c| is_han(*c))
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            // A body the agency answers to (`在X的指导下`, `按照X部署`) is not the agency.
            let after = &t[at + core.len()..];
            let superior = ["在", "按照", "根据", "遵照", "依据"]
                .iter()
                .any(|w| prefix.ends_with(w) || prefix.contains(w) && after.starts_with('的'))
                || ["的指导", "的领导", "的部署", "的统一", "指导下", "的要求"]
                    .iter()
                    .any(|w| after.starts_with(w));
            let prefix = trim_prefix_words(&prefix);
            let full = format!("{prefix}{core}");
            // The name alone (the title's own mention) completes nothing.
            if !superior
                && !prefix.is_empty()
                && names_place(&full)
                && !is_residue(&full)
                && full.chars().count() <= 25
            {
                found.push((full, l.no));
            }
            from = at + core.len();
        }
    }
    most_frequent(found)
}

/// Words that precede a name in a sentence but are not part of it.
fn trim_prefix_words(prefix: &str) -> String {
    let mut p = prefix.to_string();
    for w in [
        "本报告由",
        "现将",
        "根据",
        "按照",
        "依据",
        "结合",
        "对照",
        "请与",
        "特向社会公布",
        "现公布",
        "公布",
        "经",
        "由",
        "向",
        "与",
        "为",
        "对",
        "在",
        "年度",
        "年",
    ] {
        if let Some(pos) = p.rfind(w) {
            p = p[pos + w.len()..].to_string();
        }
    }
    p
}

fn most_frequent(found: Vec<(String, u32)>) -> Option<(String, u32)> {
    let mut best: Option<(String, u32, usize)> = None;
    for (name, line) in &found {
        let count = found.iter().filter(|(n, _)| n == name).count();
        let better = match &best {
            None => true,
            Some((bn, _, bc)) => {
                count > *bc || count == *bc && name.chars().count() < bn.chars().count()
            }
        };
        if better {
            best = Some((name.clone(), *line, count));
        }
    }
    best.map(|(n, l, _)| (n, l))
}

/// The run of Han characters that ends a piece of a sentence: the name just before a verb
/// (`2022年,我镇持续…` gives `我镇`, not `年我镇`). Digits and a middle dot between Han
/// characters, and one parenthetical of Han characters, belong to it as to a name
/// (`杭州高新区(滨江)财政局`, `宁波市81890求助服务中心`, `杭州·钱塘新区管理委员会`): cut
/// there, the run was the name's end alone.
fn last_name_run(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let han_at = |k: usize| chars.get(k).copied().is_some_and(is_han);
    let mut i = chars.len();
    let mut paren = false;
    while i > 0 {
        let c = chars[i - 1];
        let start = if is_han(c) || matches!(c, '·' | '・') && han_at(i) {
            Some(i - 1)
        } else if c.is_ascii_digit() && han_at(i) {
            let from = chars[..i].iter().rposition(|c| !c.is_ascii_digit());
            from.map(|p| p + 1)
        } else if c == ')' && !paren {
            paren = true;
            let open = chars[..i - 1].iter().rposition(|&c| c == '(');
            // Not a definition (`(以下简称我局)`) or a predecessor (`(原…局)`).
            let second_name = |o: usize| {
                let inner: String = chars[o + 1..i - 1].iter().collect();
                !inner.is_empty()
                    && inner.chars().all(is_han)
                    && !["以下", "下称", "简称", "原", "前"]
                        .iter()
                        .any(|w| inner.starts_with(w))
            };
            open.filter(|&o| second_name(o))
        } else {
            None
        };
        // Digits and parentheticals only after a Han character.
        match start {
            Some(k) if is_han(c) || k > 0 && han_at(k - 1) => i = k,
            _ => break,
        }
    }
    // The dot between a name's parts is dropped, as titles' names drop it (`杭州·钱塘新区`).
    chars[i..]
        .iter()
        .filter(|c| !matches!(c, '·' | '・'))
        .collect()
}

/// Body sentences that name the agency.
fn from_body(lines: &[Line]) -> Option<Sourced<String>> {
    // A government or its office named in a sentence of a report that calls itself
    // `我局` leads or directs the agency (`焦作市人民政府高度重视…，我局认真…`).
    let named = |name: &str, sentence: &str| {
        looks_like_agency(name, Context::Sentence)
            && names_place(name)
            && name.chars().count() <= 20
            && !another_organ(name, lines, Some(sentence))
    };
    for l in lines.iter().take(60) {
        let t = l.text.trim_ws();
        // `2022年,濱江區統計局堅持…`, `文登区住建局高度重视…`
        let after_year = t
            .find("年,")
            .filter(|p| {
                *p >= 4 && t[..*p].chars().rev().take(4).all(|c| c.is_ascii_digit()) && *p <= 8
            })
            .map(|p| &t[p + "年,".len()..]);
        for (s, opens_year) in after_year
            .map(|s| (s, true))
            .into_iter()
            .chain(std::iter::once((t, false)))
        {
            for verb in [
                "坚持",
                "严格",
                "认真",
                "高度重视",
                "紧紧",
                "持续",
                "深入",
                "全面",
                "始终",
                "围绕",
                "按照",
            ] {
                if let Some(pos) = s.find(verb) {
                    let name = last_name_run(&s[..pos]);
                    let whole = opens_year && name.len() == pos;
                    if named(&name, t) || whole && delimited_name(&name, lines, false, Some(t)) {
                        return Some(Sourced {
                            value: name,
                            source: MetaSource::Body,
                            line: Some(l.no),
                        });
                    }
                }
            }
        }
    }
    // The report defining its word for itself: `X（以下简称“我局”）`, `我局（X）`.
    for l in lines.iter().take(60) {
        if let Some(name) = self_definition(l.text.trim_ws())
            .filter(|n| delimited_name(n, lines, true, Some(&l.text)))
        {
            return Some(Sourced {
                value: name.to_string(),
                source: MetaSource::Body,
                line: Some(l.no),
            });
        }
    }
    // The sentences that say who wrote or publishes the report: `本报告由X根据…编制`,
    // `现公布X2023年…`, `现将X2023年…`. After the sentences above: `本报告由X办公室…`
    // names the office that drafted a government's report, not its author.
    for l in lines.iter().take(60) {
        let t = l.text.trim_ws();
        // `由X编制` only where 由 opens a clause (`…要求，由X编制本报告`), never inside a
        // word (`由于`, `理由`, `由此`).
        let clause_by = t.match_indices('由').map(|(i, _)| i).find(|&i| {
            let before = t[..i].chars().next_back();
            let after = t[i + '由'.len_utf8()..].chars().next();
            before.is_none_or(|c| matches!(c, '，' | ',' | '。' | '、' | ';' | '；'))
                && !after.is_some_and(|c| matches!(c, '于' | '此'))
        });
        let by = clause_by.map(|i| &t[i..]);
        for (text, open, closes) in [
            (
                t,
                "报告由",
                &["根据", "依据", "按照", "编制", "负责", "组织", "牵头"][..],
            ),
            (by.unwrap_or(""), "由", &["编制"][..]),
            (t, "现公布", &["20"][..]),
            (t, "向社会公布", &["20"][..]),
            (t, "现予公布", &["20"][..]),
            (t, "现将", &["20"][..]),
        ] {
            let Some(a) = text.find(open) else { continue };
            let rest = &text[a + open.len()..];
            // A closing word that goes on into an organ's word is part of the name
            // (`中共某县委组织部`, `某县委机构编制委员会办公室`): the name ends at the next.
            let inside_name = |at: usize, c: &str| {
                let next = rest[at + c.len()..].chars().next();
                next.is_some_and(|n| "部委办局处科室会".contains(n))
            };
            let ends = closes.iter().flat_map(|c| {
                rest.match_indices(c)
                    .map(|(at, _)| at)
                    .filter(move |&at| !inside_name(at, c))
            });
            let Some(b) = ends.min() else {
                continue;
            };
            let name = &rest[..b];
            // `由X县人民政府办公室…编制` names the office that drafted a government's report,
            // or the office's own report: which one cannot be told here (nor when the
            // office has a second name, `…办公室(县政府外事办公室)`).
            if without_second_name(name).ends_with("办公室") {
                continue;
            }
            if han_with_parenthetical(name) && delimited_name(name, lines, true, Some(t)) {
                return Some(Sourced {
                    value: name.to_string(),
                    source: MetaSource::Body,
                    line: Some(l.no),
                });
            }
        }
    }
    // `根据…规定，X2024年政府信息公开工作年度报告如下`: the report's own name.
    for l in lines.iter().take(60) {
        let t = l.text.trim_ws();
        let Some(end) = t.find("报告如下") else {
            continue;
        };
        // The year that opens the report's name (`X2024年政府信息公开…报告如下`), the last
        // before it, outside a cited document's title (`《抚州市2023年政务公开工作要点》`).
        let Some(year) = t[..end]
            .match_indices('年')
            .map(|(y, _)| y)
            .rfind(|&y| t[..y].bytes().rev().take_while(u8::is_ascii_digit).count() == 4)
            .map(|y| y - 4)
        else {
            continue;
        };
        let cited = t[..year].matches('《').count() > t[..year].matches('》').count();
        if cited || !t[year..end].contains("信息公开") {
            continue;
        }
        let name = trim_prefix_words(&last_name_run(&t[..year]));
        if delimited_name(&name, lines, true, Some(t)) {
            return Some(Sourced {
                value: name,
                source: MetaSource::Body,
                line: Some(l.no),
            });
        }
    }
    // `请与XX办公室联系`, `直接与XX联系`, `请联系XX`.
    for l in lines {
        let t = &l.text;
        for (open, close) in [("请与", "联系"), ("与", "联系"), ("请联系", "。")] {
            let Some(a) = t.find(open) else { continue };
            let rest = &t[a + open.len()..];
            let Some(b) = rest
                .find(close)
                .or_else(|| (close == "。").then_some(rest.len()))
            else {
                continue;
            };
            let mut name = last_name_run(&rest[..b]);
            if let Some(p) = name.find("党政办").or_else(|| name.find("办公室")) {
                name.truncate(p);
            }
            if named(&name, t) {
                return Some(Sourced {
                    value: name,
                    source: MetaSource::Body,
                    line: Some(l.no),
                });
            }
        }
    }
    None
}

/// The title of a crawler export's header block (`标题: …`).
pub(super) fn crawler_title(lines: &[Line]) -> Option<String> {
    Header::read(lines).title
}

/// Labelled lines at the top of the text: a crawler export's header block (`标题: …`,
/// `发布机构: …`) or a CMS page's metadata (`来源:龙华区… 日期:…`, `发文机关: 市民政局`).
#[derive(Default)]
struct Header {
    title: Option<String>,
    title_line: Option<u32>,
    /// Who published the page, with its line.
    publishers: Vec<(String, u32)>,
}

/// Labels whose value names the publisher.
const PUBLISHER_LABELS: &[&str] = &[
    "发布机构",
    "发文机关",
    "发文单位",
    "发布单位",
    "信息来源",
    "来源",
    "发布者",
];

impl Header {
    fn read(lines: &[Line]) -> Header {
        let mut h = Header::default();
        let nonblank = lines.iter().filter(|l| !l.text.trim_ws().is_empty());
        for l in nonblank.take(20) {
            let t = l.text.trim_ws();
            // A crawler's body separator ends its header.
            if t.starts_with("=====") {
                break;
            }
            // Every label is followed by a colon or ends its cell: a line without either
            // has none of them, and eight substring searches per line were 2 % of a text
            // build.
            if memchr::memchr(b':', t.as_bytes()).is_none() {
                // Without a colon, only a label ending its cell is one.
                let label_cell = memchr::memchr_iter(b'\t', t.as_bytes()).any(|p| {
                    let before = &t[..p];
                    before.ends_with("标题") || PUBLISHER_LABELS.iter().any(|l| before.ends_with(l))
                });
                if !label_cell {
                    continue;
                }
            }
            if h.title.is_none() {
                if let Some(v) = labelled(t, "标题") {
                    h.title = Some(v.trim_ws().to_string()).filter(|v| !v.is_empty());
                    h.title_line = Some(l.no);
                }
            }
            for label in PUBLISHER_LABELS {
                if let Some(v) = labelled(t, label) {
                    let v = v.split_whitespace().next().unwrap_or("");
                    if !v.is_empty() {
                        h.publishers.push((v.to_string(), l.no));
                    }
                }
            }
        }
        h
    }
}

/// The value after `label:` (or after the label's own cell, `label⇥`) when the label
/// begins the line or follows a space (`信息来源` is not `来源`): the rest of the line.
fn labelled<'a>(line: &'a str, label: &str) -> Option<&'a str> {
    let mut from = 0;
    while let Some(p) = line[from..].find(label) {
        let at = from + p;
        let before = line[..at].chars().next_back();
        let rest = line[at + label.len()..].trim_start();
        if before.is_none_or(char::is_whitespace) {
            if let Some(v) = rest.strip_prefix(':') {
                return Some(v.trim_start());
            }
            // An information box's table: the label a cell of its own, the value the next
            // (`发布机构⇥焦作市统计局`).
            if line[at + label.len()..].starts_with('\t') {
                return Some(rest);
            }
        }
        from = at + label.len();
    }
    None
}

/// The publisher as the author, when the report's self-references fit it (`全区` and
/// `上海普陀` → `上海市普陀区`; `我镇` and `昌图县人民政府办公室` do not fit).
fn from_publisher(header: &Header, page: &PageMeta, lines: &[Line]) -> Option<Sourced<String>> {
    let itself = self_reference(lines)?;
    let page_source = page
        .content_source
        .as_deref()
        .map(|s| (s.to_string(), None));
    let candidates = header
        .publishers
        .iter()
        .map(|(v, l)| (v.clone(), Some(*l)))
        .chain(page_source);
    for (value, line) in candidates {
        let value = crate::normalise::normalise(&value)
            .into_iter()
            .next()
            .map(|l| l.text)
            .unwrap_or_default();
        let name = clean_name(&value);
        let name = if looks_like_agency(&name, Context::Title) && is_specific(&name) {
            name
        } else if let Some(full) = agency::place_in_full(&name) {
            full
        } else {
            continue;
        };
        if fits_self_reference(&name, itself) {
            return Some(Sourced {
                value: name,
                source: MetaSource::PageMeta,
                line,
            });
        }
    }
    None
}

/// Words a report calls itself by after `我`/`本` (or, failing those, `全`): a customs
/// office says `我关`, a ministry `我部`, the central bank `我行`, a tax or market office
/// `我所`, an autonomous prefecture `我州`, a league `我盟`, a sumu `我苏木`.
const SELF_WORDS: &[&str] = &[
    "中心", "局", "委", "办", "厅", "署", "院", "部", "关", "行", "会", "队", "所", "镇", "乡",
    "街道", "苏木", "区", "县", "市", "旗", "州", "盟",
];

/// The words of [`SELF_WORDS`] that name an organ, not a place (`我局`, not `我县`).
const ORGAN_SELF_WORDS: &[&str] = &[
    "中心", "局", "委", "办", "厅", "署", "院", "部", "关", "行", "会", "队", "所",
];

/// Characters that make a self word the start of a longer word: `本部门`, `本行政区域`,
/// `本行业`, `我关注`, `本队伍` call nothing by its name.
fn self_word_continues(word: &str, rest: &str) -> bool {
    let next = rest[word.len()..].chars().next();
    let longer: &[char] = match word {
        "部" => &['门', '分', '署', '长', '位', '件'],
        "关" => &['注', '心', '于', '系', '键', '切', '联', '爱', '怀', '口'],
        "行" => &['业', '政', '为', '动', '使', '文', '列', '程', '走', '驶'],
        "会" => &[
            '同', '议', '商', '签', '计', '员', '谈', '务', '展', '见', '上',
        ],
        "所" => &['有', '属', '在', '辖', '得', '需', '以', '谓'],
        "队" => &['伍'],
        _ => &[],
    };
    next.is_some_and(|c| longer.contains(&c))
}

/// The word the report most often calls itself by (`局` of `我局`, `区` of `全区`).
fn self_reference(lines: &[Line]) -> Option<&'static str> {
    // One pass over the text: counts of `我X`/`本X` and of `全X` for each word.
    let mut own = [0usize; SELF_WORDS.len()];
    let mut whole = [0usize; SELF_WORDS.len()];
    for l in lines {
        for (at, c) in l.text.match_indices(['我', '本', '全']) {
            let rest = &l.text[at + c.len()..];
            let word = SELF_WORDS
                .iter()
                .position(|w| rest.starts_with(w) && !self_word_continues(w, rest));
            if let Some(k) = word {
                if c == "全" {
                    whole[k] += 1;
                } else {
                    own[k] += 1;
                }
            }
        }
    }
    // The most frequent, the first of the list on ties.
    let best = |counts: &[usize]| {
        let (k, n) = counts.iter().enumerate().fold(
            (0, 0),
            |(bk, bn), (k, &n)| if n > bn { (k, n) } else { (bk, bn) },
        );
        (n > 0).then_some(SELF_WORDS[k])
    };
    // `全局` is an idiom (`统筹全局`), `全县` a place.
    best(&own).or_else(|| best(&whole).filter(|w| !ORGAN_SELF_WORDS.contains(w)))
}

/// A name a sentence delimits on both sides (the subject opening on the year, `本报告由X
/// 编制`, `X（以下简称“我局”）`): of any shape titles use, as long as names get
/// (`新疆生产建设兵团第八师石河子市发展和改革委员会`), naming a place — or the state, where
/// the sentence says who wrote the report (`national`).
fn delimited_name(name: &str, lines: &[Line], national_ok: bool, sentence: Option<&str>) -> bool {
    // A division alone speaks of the place (`2023年，湘阴县坚持…`), unless the report calls
    // itself by its level (`全区`, `我县`) where the sentence says whose report it is.
    let division_alone = !organ_name(without_second_name(name), Context::Title)
        && !NATIONAL_DEPARTMENTS.contains(&name)
        && !agency::ZONE_WORDS.iter().any(|z| name.ends_with(z))
        && !bingtuan(name);
    if division_alone
        && !(national_ok && self_reference(lines).is_some_and(|w| fits_self_reference(name, w)))
    {
        return false;
    }
    looks_like_agency(name, Context::Title)
        && (names_place(name)
            || agency::opens_with_division(name)
            || bingtuan(name)
            || national_ok && national(name))
        && name.chars().count() <= 32
        && !another_organ(name, lines, sentence)
}

/// The name a report gives itself a short word for: `X(以下简称“我局”)`, `X(以下简称我局)`,
/// `我局(X)`, `本局(X)` (brackets normalised).
fn self_definition(t: &str) -> Option<String> {
    if let Some(at) = t.find("(以下简称") {
        let word = t[at + "(以下简称".len()..].trim_start_matches(['“', '"', '「', '\'']);
        if word.starts_with(['我', '本']) {
            let name = last_name_run(&t[..at]);
            if name.is_empty() {
                return None;
            }
            return Some(trim_prefix_words(&name));
        }
    }
    // Each form below holds `(` and its pronoun: most lines have neither, and are
    // spared a search per word.
    if !t.contains('(') {
        return None;
    }
    for pronoun in ["我", "本"] {
        if !t.contains(pronoun) {
            continue;
        }
        for w in SELF_WORDS {
            let open = format!("{pronoun}{w}(");
            if let Some(at) = t.find(&open) {
                let rest = &t[at + open.len()..];
                let name = &rest[..rest.find(')')?];
                // `我局（原某县国土资源局）` names the body it was.
                if name.chars().all(is_han) && !name.starts_with(['原', '前']) {
                    return Some(name.to_string());
                }
            }
        }
    }
    None
}

/// A government, or its office, that the report's word for itself (`我局`, `我县`) says
/// is not its author but a body leading or directing it: one that does not fit an organ's
/// word (`我局`, `我办`: an office calls itself `我办`), or, in a sentence that names the
/// report's own place word too (`X办公室全面部署…，我县认真落实`), one that does not fit
/// that word.
fn another_organ(name: &str, lines: &[Line], sentence: Option<&str>) -> bool {
    let name = without_second_name(name);
    let office = ["办公厅", "办公室"].iter().any(|s| name.ends_with(s));
    if !office && !name.ends_with("政府") {
        return false;
    }
    self_reference(lines).is_some_and(|w| {
        if ORGAN_SELF_WORDS.contains(&w) {
            !fits_self_reference(name, w)
        } else {
            sentence.is_some_and(|s| {
                (s.contains(&format!("我{w}")) || s.contains(&format!("本{w}")))
                    && (office || !fits_self_reference(name, w))
            })
        }
    })
}

/// Whether a body of this name may call itself `我<word>`: its name, without the organ
/// that governs it (`人民政府`, `管委会`), ends with the word (`办` also for `办公室`,
/// `委` for `委员会`).
fn fits_self_reference(name: &str, word: &str) -> bool {
    // `X局(Y中心)`: the first name says what the body is.
    let name = without_second_name(name);
    let core = [
        "人民政府",
        "政府",
        "行政公署",
        "管理委员会",
        "管委会",
        "办事处",
    ]
    .iter()
    .find_map(|s| name.strip_suffix(s).filter(|c| !c.is_empty()))
    .unwrap_or(name);
    // A prefecture's commissioner office calls itself by its place (`我盟`) or by its
    // own word (`我署`).
    core.ends_with(word)
        || name.ends_with(word)
        || word == "办" && name.ends_with("办公室")
        || word == "委" && name.ends_with("委员会")
        || word == "街道" && core.ends_with('街')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_title_and_signature_one_character_apart_are_flagged() {
        let text = "乌苏市统汁局2023年政府信息公开工作年度报告\n一、总体情况\n本局坚持公开。\n乌苏市统计局\n2024年1月15日\n";
        let lines = crate::normalise::normalise(text);
        let title = super::super::title_of("乌苏市统汁局2023年政府信息公开工作年度报告");
        let (agency, findings) = read(&lines, &PageMeta::default(), title.as_ref());
        assert_eq!(agency.map(|a| a.value).as_deref(), Some("乌苏市统汁局"));
        assert!(findings.iter().any(|f| f.check == "agency_disagrees"));
        assert!(one_character_apart("乌苏市统计局", "鸟苏市统计局"));
        assert!(!one_character_apart("乌苏市统计局", "乌苏市统计局办公室"));
    }

    #[test]
    fn shapes() {
        assert!(!is_specific("") && !looks_like_agency("", Context::Title));
        for (name, context, ok) in [
            ("平潭综合实验区", Context::Title, true),
            ("平潭综合实验区", Context::Sentence, true),
            ("上海市普陀区", Context::Title, true),
            ("上海市普陀区", Context::Sentence, false),
            ("关于公布西湖区", Context::Title, false),
            ("杭州西湖区", Context::Title, true),
            ("高新区(新市区)司法局", Context::Title, true),
            ("高新区(新市区", Context::Title, false),
            ("名称沭阳县人民政府", Context::Title, false),
            ("单位沭阳县统计局", Context::Title, false),
            ("七家子镇", Context::Sentence, true),
            ("杭州海关", Context::Title, true),
            ("北京市颐和园管理处", Context::Title, true),
            ("杭州市残疾人联合会", Context::Title, true),
            ("中国人民银行浙江省分行", Context::Title, true),
            ("杭州市人民政府研究室", Context::Title, true),
            ("新疆生产建设兵团第八师石河子市", Context::Title, true),
            ("第八师一四三团", Context::Title, true),
            (
                "杭州市人民政府办公厅(市政府外事办公室)",
                Context::Title,
                true,
            ),
            ("杭州市人民政府办公厅(市政府外事", Context::Title, false),
            ("关于律师", Context::Title, false),
            ("乌苏市统计局(盖章)", Context::Title, false),
            ("乌苏市统计局(修订版)", Context::Title, false),
            ("中卫市残疾人联合会(市残联)", Context::Title, true),
            ("乌苏市统计局联合乌苏市总工会", Context::Sentence, false),
            ("乌苏市第一中学", Context::Title, true),
        ] {
            assert_eq!(looks_like_agency(name, context), ok, "{name}");
        }
        for (name, specific) in [
            ("平潭综合实验区", true),
            ("高新区(新市区)司法局", true),
            ("高新区管委会", false),
            ("新区管委会", false),
            ("杭州高新区管委会", true),
            ("区统计局", false),
        ] {
            assert_eq!(is_specific(name), specific, "{name}");
        }
        assert_eq!(clean_name("单位:沭阳县统计局"), "沭阳县统计局");
        assert_eq!(clean_name("名称沭阳县人民政府"), "沭阳县人民政府");
        assert_eq!(clean_name("单位:万元"), "万元");
        // A character the name cannot be read through (a PDF font's private-use code, a
        // radical left unmapped, a letter of another script) gives no name, not the name
        // with a character missing.
        assert_eq!(clean_name("黑\u{E3A1}江省人民政府"), "");
        assert_eq!(clean_name("黑⻳江省人民政府"), "");
        assert_eq!(clean_name("某県人民政府の"), "");
        // A bilingual title: the other script's words stand apart from the Han name.
        assert_eq!(
            clean_name("ᠰᠢᠯᠢ ᠶᠢᠨ ᠭᠣᠣᠯ 锡林郭勒盟统计局"),
            "锡林郭勒盟统计局"
        );
        assert!(clean_name("二〇二三年某县人民政府").ends_with("某县人民政府"));
    }

    #[test]
    fn a_body_leading_the_agency_is_not_its_author() {
        let read_agency = |text: &str| {
            let lines = crate::normalise::normalise(text);
            let title = super::super::find_title(&lines);
            read(&lines, &PageMeta::default(), title.as_ref())
                .0
                .map(|a| a.value)
        };
        let head = "2019年政府信息公开工作年度报告\n来源：焦作市统计局\n";
        for sentence in [
            "2019年，焦作市人民政府高度重视政务公开工作，我局认真贯彻落实各项要求。",
            "2019年，河南省人民政府办公厅持续深化政务公开，我局认真落实。",
        ] {
            let agency = read_agency(&format!("{head}一、总体情况\n{sentence}\n"));
            assert_eq!(agency.as_deref(), Some("焦作市统计局"), "{sentence}");
        }
        // A county's report: its government's office directs, the county reports.
        let text = "清涧县人民政府2024年政府信息公开工作年度报告\n一、总体情况\n2024年，清涧县人民政府办公室全面部署政务公开工作，我县认真贯彻落实。\n";
        assert_eq!(read_agency(text).as_deref(), Some("清涧县人民政府"));
        let text = "2024年政府信息公开工作年度报告\n一、总体情况\n2024年，清涧县人民政府办公室全面部署政务公开工作，我县认真贯彻落实。\n";
        assert_eq!(read_agency(text), None);
        // The portal's banner above the title of a bureau's report.
        let text = "焦作市人民政府\n2019年政府信息公开工作年度报告\n来源：焦作市统计局\n一、总体情况\n我局认真贯彻落实。\n";
        assert_eq!(read_agency(text).as_deref(), Some("焦作市统计局"));
        // An information box printed as a table: the label a cell of its own.
        let text = "2019年政府信息公开工作年度报告\n发布机构\t焦作市统计局\t发布日期\t2020-01-15\n一、总体情况\n我局认真贯彻落实。\n";
        assert_eq!(read_agency(text).as_deref(), Some("焦作市统计局"));
        // Sentences that define the report's word for itself, or name the report.
        for (sentence, agency) in [
            (
                "东山县公安局（以下简称“我局”）认真贯彻落实《条例》要求。",
                "东山县公安局",
            ),
            (
                "2020年，宁海县住房和城乡建设局(以下简称我局)认真贯彻落实各项要求。",
                "宁海县住房和城乡建设局",
            ),
            (
                "2022年，我局（金口河区自然资源局）认真贯彻落实各项要求。",
                "金口河区自然资源局",
            ),
            (
                "根据《条例》规定，清涧县人民政府2024年政府信息公开工作年度报告如下。",
                "清涧县人民政府",
            ),
            (
                "根据《条例》要求，现将宁波市统计局2022年度政府信息公开工作情况报告如下。",
                "宁波市统计局",
            ),
            (
                "本报告由桂林市残疾人联合会根据《条例》编制。",
                "桂林市残疾人联合会",
            ),
        ] {
            let text = format!("2021年政府信息公开工作年度报告\n一、总体情况\n{sentence}\n");
            assert_eq!(read_agency(&text).as_deref(), Some(agency), "{sentence}");
        }
        // A second review's counter-examples: the words before a defined name, a
        // predecessor in brackets, a superior's plan before `报告如下`, a county as the
        // subject of a department's sentence, an office calling itself `我办`.
        let head = "2023年政府信息公开工作年度报告\n来源：湘阴县农业农村局\n一、总体情况\n";
        for (sentence, agency) in [
            (
                "根据《条例》，现将金溪县统计局（以下简称“我局”）2023年工作报告如下。",
                Some("金溪县统计局"),
            ),
            (
                "2023年，我局（原金溪县国土资源局）认真贯彻落实各项要求。",
                Some("湘阴县农业农村局"),
            ),
            (
                "按照抚州市统计局2023年度工作安排，现将本局2023年政府信息公开工作年度报告如下。",
                Some("湘阴县农业农村局"),
            ),
            (
                "2023年，湘阴县坚持以人民为中心，我局认真贯彻落实。",
                Some("湘阴县农业农村局"),
            ),
        ] {
            let agency_read = read_agency(&format!("{head}{sentence}\n"));
            assert_eq!(agency_read.as_deref(), agency, "{sentence}");
        }
        let text = "抚州市人民防空办公室\n2023年政府信息公开工作年度报告\n一、总体情况\n2023年，我办认真贯彻落实《条例》。\n";
        assert_eq!(read_agency(text).as_deref(), Some("抚州市人民防空办公室"));
        // The State Council's departments, customs districts and the Corps' departments
        // where the report says who wrote it; a party department whose name holds a
        // closing word (`组织`); a ministry cited in a bureau's report is not its author.
        for (sentence, agency) in [
            ("本报告由生态环境部根据《条例》编制。", Some("生态环境部")),
            ("本报告由拱北海关根据《条例》编制。", Some("拱北海关")),
            ("本报告由兵团统计局根据《条例》编制。", Some("兵团统计局")),
            (
                "本报告由中共桐庐县委组织部根据《条例》编制。",
                Some("中共桐庐县委组织部"),
            ),
            (
                "本报告由杭州高新区（滨江）财政局根据《条例》编制。",
                Some("杭州高新区(滨江)财政局"),
            ),
            ("本报告由中共桐庐县委机构编制委员会办公室编制。", None),
            (
                "2023年，教育部认真部署政务公开工作，我局认真贯彻落实。",
                None,
            ),
            (
                "2023年，杭州高新区（滨江）财政局认真贯彻落实《条例》。",
                Some("杭州高新区(滨江)财政局"),
            ),
        ] {
            let text = format!("2023年政府信息公开工作年度报告\n一、总体情况\n{sentence}\n");
            assert_eq!(read_agency(&text).as_deref(), agency, "{sentence}");
        }
        // The sentence opening on the year names an agency of any shape titles use.
        let text = "2021年政府信息公开工作年度报告\n一、总体情况\n2021年，杭州海关认真贯彻落实《条例》。\n";
        assert_eq!(read_agency(text).as_deref(), Some("杭州海关"));
    }

    #[test]
    fn names_of_shapes_outside_divisions_and_organ_words() {
        for (name, ok) in [
            ("宁波市81890求助服务中心", true),
            ("杭州市12345政务服务热线管理中心", true),
            // Digits at a name's edge are a page's or a date's, not the name's.
            ("2宁波市统计局", false),
            ("宁波市统计局2", false),
            ("中国人民银行", true),
            ("海南省国营东昌农场", true),
        ] {
            assert_eq!(looks_like_agency(name, Context::Title), ok, "{name}");
        }
        // The State Council's departments are names; a party department's type is not.
        for (name, specific) in [("教育部", true), ("审计署", true), ("宣传部", false)] {
            assert_eq!(is_specific(name), specific, "{name}");
        }
        assert!(national("海关总署") && national("拱北海关") && national("兵团统计局"));
        assert!(!national("桐庐县统计局"));
        assert_eq!(
            clean_name("宁波市81890求助服务中心"),
            "宁波市81890求助服务中心"
        );
        assert_eq!(clean_name("附件2 桐庐县统计局"), "桐庐县统计局");
        assert_eq!(clean_name("附件2桐庐县统计局"), "桐庐县统计局");
        for (text, run) in [
            ("2023年,杭州高新区(滨江)财政局", "杭州高新区(滨江)财政局"),
            ("2023年,宁波市81890求助服务中心", "宁波市81890求助服务中心"),
            ("2023年,杭州·钱塘新区管理委员会", "杭州钱塘新区管理委员会"),
            (
                "2023年,某县人民政府办公室(县政府外事办公室)",
                "某县人民政府办公室(县政府外事办公室)",
            ),
            ("请与办公室(电话:0571)", ""),
            ("电话12345", ""),
            ("2022年,我镇", "我镇"),
            ("2020年,宁海县住房和城乡建设局(以下简称我局)", ""),
            ("2022年,我局(原金溪县国土资源局)", ""),
        ] {
            assert_eq!(last_name_run(text), run, "{text}");
        }
    }

    #[test]
    fn self_words_of_customs_ministries_banks_and_leagues() {
        let word = |text: &str| self_reference(&crate::normalise::normalise(text));
        assert_eq!(word("我关认真落实。我关持续推进。"), Some("关"));
        assert_eq!(word("我盟认真落实。"), Some("盟"));
        // Longer words that begin like a self word.
        assert_eq!(
            word("本行政区域内，本部门认真落实，我局持续推进。"),
            Some("局")
        );
        assert!(fits_self_reference("锡林郭勒盟行政公署", "盟"));
        assert!(fits_self_reference("大兴安岭地区行政公署", "署"));
        assert!(fits_self_reference(
            "宁波市统计局(宁波市统计调查中心)",
            "局"
        ));
        assert!(fits_self_reference("中国人民银行", "行"));
        assert!(!fits_self_reference("桐庐县人民政府", "镇"));
    }

    #[test]
    fn self_references_decide_whether_a_publisher_wrote_the_report() {
        assert!(fits_self_reference("上海市普陀区", "区"));
        assert!(fits_self_reference("平潭综合实验区管委会", "区"));
        assert!(fits_self_reference("七家子镇人民政府", "镇"));
        assert!(!fits_self_reference("昌图县人民政府办公室", "镇"));
        assert!(fits_self_reference("某市发展和改革委员会", "委"));
        assert!(fits_self_reference("某县人民政府办公室", "办"));
    }
}
