//! Agencies and regions: an agency's name placed in the division hierarchy (province,
//! prefecture, county) of `data/gazetteer/divisions.tsv` and classified by kind with
//! `data/gazetteer/agency_kinds.tsv` (see `data/gazetteer/README.md`).
//!
//! Division names are found in the name longest-first, left to right, then the most
//! specific division consistent with all of them is taken. A wrong division would put a
//! report's numbers under another place, so doubt leaves the code null:
//! - a county name several counties share (朝阳区, 市中区, …) is decided by the province or
//!   prefecture in the name, else by the hints (corpus path, page site name), else the
//!   placement is `ambiguous`; names that contradict each other are `ambiguous` too;
//! - two-character names occur inside other words (`通道县` is 通道侗族自治县, not 道县):
//!   they count only at the start of the name or right after another division, and the
//!   generic `X区` ones (城区, 郊区, 新区 …) only right after another division;
//! - a province or prefecture without its suffix (`杭州`, `上海`) counts only when no
//!   other division has that short form and a division inside it or a department word
//!   (`统计局`) follows: `北海` alone is a common word, `杭州西湖区` is not;
//! - `XX县` for an autonomous county (`互助县` for 互助土族自治县) counts when exactly
//!   one current 自治县 starts with those two characters and no current division has
//!   that name (an old county of that name in the same province is the same place);
//! - current rows first; historical rows (襄樊市) when no current reading fits.
//!
//! Townships (镇, 乡, 街道, 苏木 of `townships.tsv`, NBS 2023) are read where a township's
//! name can begin: at the start of the name, or right after a division (and its
//! `人民政府`). A township places the agency in its county (the prefecture for the cities
//! without counties, 东莞市 …) with level `township` and its 9-digit code in the evidence;
//! `division_code` stays the county's. Township names repeat (88 城关镇), so:
//! - with divisions in the name, the township must lie inside them and then settles which
//!   of several same-named counties is meant; a township outside them (renamed since 2023,
//!   or a word that only looks like one) is not used, and the divisions place the agency
//!   as they would alone;
//! - a bare township counts only when one township of all has its name, or the hints
//!   decide between those that do (the county, prefecture or province in the path or site
//!   name); a hint naming another province than the township's leaves it unplaced, because
//!   a name unique among today's townships may be a former township elsewhere.
//!
//! The data is parsed once; matching costs one hash look-up per position and distinct
//! name length.
//!
//! Here what is asked of the gazetteer: [`place`] and the questions other stages ask about
//! names. The data is read in `gazetteer`, names are normalised and classified by kind in
//! `name`, and `locate` finds the divisions and townships in a name and decides between
//! them.

use serde::Serialize;

use gazetteer::{
    gazetteer, townships, Div, Gazetteer, Via, PREFECTURE, PROVINCE, TOWNSHIP_ENDINGS,
};
use locate::{locate, scan, township_at};
use name::{classify, without_trailing_paren};

mod gazetteer;
mod locate;
mod name;

pub(crate) use gazetteer::current_counties;
#[cfg(test)]
pub(crate) use gazetteer::DIVISIONS;
pub use name::{kind_label, normalise};

/// An agency placed in the division hierarchy and classified.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Placed {
    /// The name as [`normalise`] leaves it.
    pub normalised: String,
    /// Six-digit code of the most specific division the name (or the evidence) names.
    pub division_code: Option<String>,
    /// Province-level unit, full name (`浙江省`, `北京市`, `新疆生产建设兵团`).
    pub province: Option<String>,
    /// Prefecture, full name; none for provinces, the municipalities' districts and
    /// counties directly under a province.
    pub prefecture: Option<String>,
    /// County-level division, full name (`西湖区`, `互助土族自治县`).
    pub county: Option<String>,
    /// `national`, `provincial`, `prefecture`, `county` or `township`.
    pub level: Option<&'static str>,
    /// Code of the kind in `agency_kinds.tsv`, `other` when nothing matches.
    pub kind: &'static str,
    /// How the division was decided: `name:杭州市西湖区`, `name:西湖区+path:杭州`,
    /// `historical:襄樊市`, `alias:互助县`, `ambiguous:朝阳区(110105,220104)`,
    /// `inconsistent:杭州市朝阳区`, `national`; empty when the name names no place. A
    /// township that placed the agency adds its code: `name:昌图县七家子镇+township:211224120`
    /// (ambiguous ones list theirs: `ambiguous:七家子镇(210921126,211224120)`).
    pub evidence: String,
    /// The name fits several divisions and nothing decided between them: code null.
    pub ambiguous: bool,
}

/// Words that end the name of a special zone (`平潭综合实验区`, `杭州高新区`,
/// `苏州工业园区`): zones are not divisions, so a zone's name names a division only through
/// `zones.tsv` or the division it begins with.
pub const ZONE_WORDS: &[&str] = &[
    "经济技术开发区",
    "高新技术产业开发区",
    "经济开发区",
    "开发区",
    "高新区",
    "经开区",
    "综合实验区",
    "实验区",
    "试验区",
    "自由贸易试验区",
    "自贸试验区",
    "示范区",
    "新区",
    "工业园区",
    "园区",
    "合作区",
    "保税区",
    "自贸区",
    "集聚区",
    "度假区",
    "管理区",
];

fn is_national(name: &str) -> bool {
    if ["国家", "国务院", "中国", "中华人民共和国"]
        .iter()
        .any(|p| name.starts_with(p))
    {
        return true;
    }
    let mut c = name.chars();
    // `市委宣传部`, `县政府…`: a local body whose place is left out; `行政公署` is local.
    let local = matches!(
        c.next(),
        Some('省' | '市' | '区' | '县' | '州' | '盟' | '旗')
    ) && matches!(c.next(), Some('委' | '政' | '人'));
    !local && !name.ends_with("公署") && ["部", "署", "总局"].iter().any(|s| name.ends_with(s))
}

/// Places an agency in the division hierarchy and classifies it. `hints` are other
/// strings about the report (corpus path `浙江/杭州/…`, a page's site name) used only to
/// choose among divisions that share the name's place name.
pub fn place(name: &str, hints: &[&str]) -> Placed {
    let g = gazetteer();
    let normalised = normalise(name);
    let kind = classify(g, &normalised);
    let mut p = Placed {
        kind,
        ..Placed::default()
    };
    locate(g, &normalised, hints, &mut p);
    if p.level.is_some_and(|l| l != "national") && matches!(p.kind, "township" | "street_office") {
        // A township the gazetteer does not name (or not uniquely) is still one: the code
        // stays the enclosing division's.
        p.level = Some("township");
    }
    p.normalised = normalised;
    p
}

/// What a normalised agency name says after the divisions it opens with: `人民政府` of
/// `淮安市洪泽区人民政府` and of `洪泽区人民政府`, `杨林镇` of `衡阳市衡东县杨林镇`; the whole
/// name when it opens with a township's (`佳荣里街道办事处`). With the division's own name
/// in front it is the agency's name however the report printed its place (see
/// [`crate::across::link`]). `None` when the name names no division, or nothing after it.
pub fn local_part(name: &str) -> Option<&str> {
    let g = gazetteer();
    let text = without_trailing_paren(name);
    let tokens = scan(g, text);
    // A township's name is the agency's own even where it begins with a division's
    // (`西城区街道` of 定州市), and one placed without its county is the same agency as
    // with it (`佳荣里街道办事处`, `北辰区佳荣里街道办事处`).
    let town = TOWNSHIP_ENDINGS
        .iter()
        .any(|e| text.contains(e))
        .then(|| township_at(townships(), text, &tokens))
        .flatten()
        .map_or(usize::MAX, |w| w.start);
    if town == 0 {
        return Some(name);
    }
    // Only the places the name opens with: in 杭州市公安局西湖区分局 the district names a
    // branch of the 公安局, and the two 西湖区分局 of 公安 and 市场监管 are not one agency.
    // A zone is not its division's name: 平潭综合实验区公安局 keeps its whole name.
    let mut end = 0;
    for t in tokens {
        if t.start > end || t.entry.via == Via::Zone || t.start >= town {
            break;
        }
        end = end.max(t.end);
    }
    (end > 0)
        .then(|| &name[end..])
        .filter(|rest| !rest.is_empty())
}

/// Whether the name opens with a division's name (`镇江市…`, `市中区…`), not with a
/// level word standing for the place (`市农业农村局`, `县乡村振兴局`).
pub fn opens_with_division(name: &str) -> bool {
    scan(gazetteer(), &normalise(name))
        .first()
        .is_some_and(|t| t.start == 0)
}

/// Whether the name is only divisions, each by its name or short form (`上海市普陀区`,
/// `杭州西湖区`, `上海普陀`): a place standing for its government, with nothing else in it.
pub fn only_divisions(name: &str) -> bool {
    let normalised = normalise(name);
    let mut end = 0;
    for t in scan(gazetteer(), &normalised) {
        if t.start != end {
            return false;
        }
        end = t.end;
    }
    end > 0 && end == normalised.len() || place_in_full(&normalised).is_some()
}

/// Why a zone's name is left without a division: it names a special zone
/// (`某某高新区管委会`, `雄安新区`) that neither `zones.tsv` nor a division in its name
/// places. `None` for every other name, placed or not.
pub fn unplaced_zone(name: &str) -> Option<String> {
    let normalised = normalise(name);
    let text = without_trailing_paren(&normalised);
    let zone = ZONE_WORDS.iter().find(|z| text.contains(**z))?;
    let mut p = Placed::default();
    locate(gazetteer(), &normalised, &[], &mut p);
    (p.level.is_none() && !p.ambiguous).then(|| {
        format!(
            "{name} names a special zone ({zone}) that is not an administrative division and that the gazetteer does not place; division left null"
        )
    })
}

/// A place written with short forms (`上海普陀`) or in full, in full (`上海市普陀区`):
/// a province or prefecture by its name or short form, then divisions inside it by their
/// names or by a county's name without its suffix (`普陀` for 普陀区 inside 上海市). `None`
/// unless the whole string is read so, one way only.
pub fn place_in_full(s: &str) -> Option<String> {
    let g = gazetteer();
    let mut found: Vec<String> = Vec::new();
    spell_out(g, s, None, String::new(), &mut found);
    match found.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    }
}

/// Every way `rest` reads as divisions inside `parent`, each path's full names appended
/// to `done` and pushed to `found` (stopping at two: one is all that is wanted).
fn spell_out(
    g: &Gazetteer,
    rest: &str,
    parent: Option<&Div>,
    done: String,
    found: &mut Vec<String>,
) {
    if rest.is_empty() {
        if !done.is_empty() {
            found.push(done);
        }
        return;
    }
    for d in g.divs.iter().filter(|d| d.current) {
        if found.len() > 1 {
            return;
        }
        let inside = match parent {
            None => true,
            Some(p) if p.rank == PROVINCE => {
                d.province_code == p.code
                    && d.code != p.code
                    && (d.rank == PREFECTURE || d.prefecture_code.is_empty())
            }
            Some(p) => d.rank > PREFECTURE && d.prefecture_code == p.code,
        };
        if !inside {
            continue;
        }
        // A county's bare name (`普陀`) is read only inside its parent: alone, it is a word.
        let bare = (d.rank > PREFECTURE && parent.is_some())
            .then(|| d.name.strip_suffix(['区', '县', '市', '旗']))
            .flatten()
            .filter(|b| b.chars().count() >= 2);
        for form in [Some(d.name), d.short, bare].into_iter().flatten() {
            if let Some(after) = rest.strip_prefix(form) {
                spell_out(g, after, Some(d), format!("{done}{}", d.name), found);
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `name | hints (;-separated) | code | level | evidence | province/prefecture/county`
    /// (the last checked when given); evidence `ambiguous:…` or `inconsistent:…` means
    /// the placement is ambiguous.
    const CASES: &str = "
浙江省杭州市西湖区统计局 | | 330106 | county | name:浙江省杭州市西湖区 | 浙江省/杭州市/西湖区
杭州市统计局 | | 330100 | prefecture | name:杭州市 | 浙江省/杭州市/
浙江省统计局 | | 330000 | provincial | name:浙江省 | 浙江省//
北京市朝阳区人民政府办公室 | | 110105 | county | name:北京市朝阳区 | 北京市//朝阳区
国家统计局 | | | national | national
国务院办公厅 | | | national | national
生态环境部 | | | national | national
兵团统计局 | | | provincial | name:兵团 | 新疆生产建设兵团//
新疆生产建设兵团统计局 | | | provincial | name:兵团
国家税务总局杭州市西湖区税务局 | | 330106 | county | name:杭州市西湖区
国家统计局杭州调查队 | | 330100 | prefecture | name:杭州
互助土族自治县威远镇人民政府 | | 630223 | township | name:互助土族自治县威远镇+township:630223100
西湖区北山街道办事处 | | 330106 | township | name:西湖区北山街道+township:330106002
杭州市西湖区人民政府北山街道办事处 | | 330106 | township | name:杭州市西湖区+北山街道+township:330106002
互助土族自治县乡村振兴局 | | 630223 | county | name:互助土族自治县
杭州西湖区统计局 | | 330106 | county | name:杭州西湖区
上海普陀区 | | 310107 | county | name:上海普陀区
杭州统计局 | | 330100 | prefecture | name:杭州
广西南宁市统计局 | | 450100 | prefecture | name:广西南宁市
北海公园管理处
中山街道办事处 | | | township | ambiguous:中山街道(130104002,230503001,310117004,421002001,431128002,440802004,445202003,450103002,460106001) | //
大同煤矿集团
互助县统计局 | | 630223 | county | alias:互助县 | 青海省/海东市/互助土族自治县
通道县统计局 | | 431230 | county | alias:通道县
长阳县统计局 | | 420528 | county | alias:长阳县
沛县人民政府 | | 320322 | county | name:沛县
阳泉市城区人民政府 | | 140302 | county | name:阳泉市城区
城区人民政府
高新区管理委员会
某市新区管理委员会
朝阳区统计局 | | | county | ambiguous:朝阳区(110105,220104) | //
朝阳区统计局 | 北京/2020/a.html | 110105 | county | name:朝阳区+path:北京
市中区政府 | | | county | ambiguous:市中区(370103,370402,511002,511102) | //
市中区政府 | 山东/济南 | 370103 | county | name:市中区+path:济南
市中区政府 | 山东/a.html | | county | ambiguous:市中区(370103,370402,511002,511102) | //
市中区政府 | 山东/a.html;济南市市中区人民政府 | 370103 | county | name:市中区+hint:济南市
西湖区统计局 | 浙江西湖区政府 | 330106 | county | name:西湖区+hint:浙江
西湖区统计局 | 杭州西湖区政府 | 330106 | county | name:西湖区+hint:杭州
济南市中区公安局 | | 370103 | county | name:济南市中区
江苏省鼓楼区统计局 | | | county | ambiguous:江苏省鼓楼区(320106,320302) | //
杭州市朝阳区统计局 | | | | inconsistent:杭州市朝阳区 | //
襄樊市统计局 | | 420600 | prefecture | historical:襄樊市 | 湖北省/襄樊市/
大同市城区人民政府 | | 140202 | county | historical:大同市城区
杭州市人民政府驻北京市办事处 | | 330100 | prefecture | name:杭州市
统计局
某某有限公司
市委宣传部
平潭综合实验区 | | 350128 | county | zone:平潭综合实验区 | 福建省/福州市/平潭县
福建省平潭综合实验区管委会办公室 | | 350128 | county | zone:福建省平潭综合实验区
湛江经济技术开发区管委会 | | 440800 | prefecture | name:湛江 | 广东省/湛江市/
杭州高新区(滨江)财政局 | | 330100 | prefecture | name:杭州
黄河三角洲农业高新技术产业示范区
昌图县七家子镇 | | 211224 | township | name:昌图县七家子镇+township:211224120 | 辽宁省/铁岭市/昌图县
衡东县杨林镇人民政府 | | 430424 | township | name:衡东县杨林镇+township:430424106
衡阳市杨林镇 | | 430424 | township | name:衡阳市杨林镇+township:430424106 | 湖南省/衡阳市/衡东县
朝阳区八里庄街道办事处 | | 110105 | township | name:朝阳区八里庄街道+township:110105015 | 北京市//朝阳区
东莞市长安镇人民政府 | | 441900 | township | name:东莞市长安镇+township:441900119 | 广东省/东莞市/
七家子镇人民政府 | | | township | ambiguous:七家子镇(210921126,211224120) | //
七家子镇人民政府 | 辽宁/铁岭/2023.html | 211224 | township | name:七家子镇+path:铁岭+township:211224120
七家子镇人民政府 | 辽宁/昌图县/2023.html | 211224 | township | name:七家子镇+path:昌图县+township:211224120
七家子镇人民政府 | 昌图县人民政府 | 211224 | township | name:七家子镇+hint:昌图县+township:211224120
七家子镇人民政府 | 辽宁/阜新蒙古族自治县/2023.html | 210921 | township | name:七家子镇+path:阜新蒙古族自治县+township:210921126
七家子镇人民政府 | 辽宁/2023.html | | township | ambiguous:七家子镇(210921126,211224120) | //
七家子镇（昌图县） | | 211224 | township | name:七家子镇+昌图县+township:211224120
辽宁省七家子镇 | | 210000 | township | name:辽宁省 | 辽宁省//
杭州市西湖区七家子镇 | | 330106 | township | name:杭州市西湖区
佳荣里街道办事处 | | 120113 | township | name:佳荣里街道+township:120113005 | 天津市//北辰区
佳荣里街道办事处 | 天津/2021/a.html | 120113 | township | name:佳荣里街道+township:120113005
佳荣里街道办事处 | 河北/2021/a.html | | township | inconsistent:佳荣里街道(120113005) | //
西城区街道办事处 | | 130682 | township | name:西城区街道+township:130682003 | 河北省/保定市/定州市
城关镇人民政府 | | | township | ambiguous:城关镇(120114110,150123100,150124100,150802105,150924106,340322100,340421100,341222100,341522100,341523100,…+78) | //
衡东县乡村振兴局 | | 430424 | county | name:衡东县
南环街道办事处 | | | township | ambiguous:南环街道(152921403,450204008) | //
";

    #[test]
    fn places_written_out() {
        for (short, full) in [
            ("上海普陀", Some("上海市普陀区")),
            ("舟山普陀", Some("舟山市普陀区")),
            ("上海市普陀区", Some("上海市普陀区")),
            ("浙江杭州西湖", Some("浙江省杭州市西湖区")),
            // 普陀区 of 上海市 and of 舟山市; 吉林 is a province and a city.
            ("普陀", None),
            ("普陀区", None),
            ("吉林", None),
            ("上海普陀统计局", None),
        ] {
            assert_eq!(place_in_full(short).as_deref(), full, "{short}");
        }
        assert!(only_divisions("上海市普陀区") && only_divisions("杭州西湖区"));
        assert!(only_divisions("上海普陀") && !only_divisions("关于公布西湖区"));
        assert!(opens_with_division("镇江市农业农村局") && opens_with_division("市中区统计局"));
        assert!(!opens_with_division("市农业农村局") && !opens_with_division("县乡村振兴局"));
    }

    #[test]
    fn branches_of_national_bodies_are_placed_where_they_are() {
        let at = |name: &str| {
            let p = place(name, &[]);
            (p.division_code, p.level, p.ambiguous)
        };
        let placed = |code: &str, level: &'static str| (Some(code.to_string()), Some(level), false);
        assert_eq!(
            at("中国（上海）自由贸易试验区临港新片区管理委员会"),
            placed("310000", "provincial")
        );
        assert_eq!(
            at("国家金融监督管理总局湖州监管分局"),
            placed("330500", "prefecture")
        );
        assert_eq!(
            at("中国证券监督管理委员会浙江监管局"),
            placed("330000", "provincial")
        );
        // 吉林省 or 吉林市: somewhere, not national, and not decided.
        assert_eq!(at("国家统计局吉林调查总队"), (None, None, true));
        assert_eq!(at("国家统计局"), (None, Some("national"), false));
        assert_eq!(at("海关总署"), (None, Some("national"), false));
        // An autonomous prefecture as its departments print it.
        assert_eq!(at("红河州统计局"), placed("532500", "prefecture"));
        assert_eq!(at("黔东南州人民政府"), placed("522600", "prefecture"));
        assert_eq!(place("杭州海关", &[]).kind, "customs");
        // A local regulator is no national one's branch.
        assert_eq!(place("某市食品药品监管局", &[]).kind, "other");
        assert_eq!(place("杭州市市场监管局", &[]).kind, "market_regulation");
    }

    #[test]
    fn zones_are_placed_or_flagged() {
        assert!(unplaced_zone("黄河三角洲农业高新技术产业示范区").is_some());
        assert!(unplaced_zone("高新区管委会").is_some());
        for placed in [
            "平潭综合实验区",
            "湛江经济技术开发区管委会",
            "高新区(新市区)司法局",
            "苏州工业园区",
            // Not zones.
            "北海公园管理处",
            "某某有限公司",
        ] {
            assert_eq!(unplaced_zone(placed), None, "{placed}");
        }
        // A zone is not its division's name: its bodies keep their whole names.
        assert_eq!(local_part("平潭综合实验区公安局"), None);
    }

    #[test]
    fn local_part_is_the_name_after_its_places() {
        for (name, local) in [
            ("淮安市洪泽区人民政府", Some("人民政府")),
            ("洪泽区人民政府", Some("人民政府")),
            ("衡阳市衡东县杨林镇", Some("杨林镇")),
            ("衡东县石湾镇人民政府", Some("石湾镇人民政府")),
            ("互助县统计局", Some("统计局")),
            ("杭州市公安局西湖区分局", Some("公安局西湖区分局")),
            (
                "杭州市市场监督管理局西湖区分局",
                Some("市场监督管理局西湖区分局"),
            ),
            ("济南市市中区统计局", Some("统计局")),
            ("佳荣里街道办事处", Some("佳荣里街道办事处")),
            ("北辰区佳荣里街道办事处", Some("佳荣里街道办事处")),
            ("西城区街道办事处", Some("西城区街道办事处")),
            (
                "杭州市西湖区人民政府北山街道办事处",
                Some("人民政府北山街道办事处"),
            ),
            ("杭州市西湖区", None),
            ("国家统计局", None),
        ] {
            assert_eq!(local_part(name), local, "{name}");
        }
    }

    #[test]
    fn places() {
        for line in CASES.lines().filter(|l| !l.is_empty()) {
            let mut f: Vec<&str> = line.split('|').map(str::trim).collect();
            f.resize(6, "");
            let hints: Vec<&str> = f[1].split(';').filter(|h| !h.is_empty()).collect();
            let p = place(f[0], &hints);
            let ambiguous = f[4].starts_with("ambiguous") || f[4].starts_with("inconsistent");
            let code = p.division_code.as_deref().unwrap_or("");
            let got = (
                code,
                p.level.unwrap_or(""),
                p.evidence.as_str(),
                p.ambiguous,
            );
            assert_eq!(got, (f[2], f[3], f[4], ambiguous), "{line}");
            if ambiguous {
                assert_eq!(
                    (&p.province, &p.prefecture, &p.county),
                    (&None, &None, &None),
                    "{line}"
                );
            }
            if !f[5].is_empty() {
                let names =
                    [&p.province, &p.prefecture, &p.county].map(|n| n.as_deref().unwrap_or(""));
                assert_eq!(names.join("/"), f[5], "{line}");
            }
        }
        assert_eq!(place("", &[]).level, None);
    }
}
