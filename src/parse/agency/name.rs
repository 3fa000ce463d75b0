//! An agency's name as a key (normalised for grouping reports by agency) and its kind
//! (the `agency_kinds.tsv` rule that fits it best), as `scripts/build_gazetteer.py`
//! classifies.

use super::gazetteer::{tsv_rows, Gazetteer, KINDS, KINDS_HEADER};

/// The Chinese name of an agency kind code (`public_security` → 公安局/公安厅), from the
/// `label_zh` column of `agency_kinds.tsv`.
pub fn kind_label(kind: &str) -> Option<&'static str> {
    tsv_rows(KINDS, KINDS_HEADER)
        .find(|r| r.first() == Some(&kind))
        .and_then(|r| r.get(4).copied())
        .filter(|l| !l.is_empty())
}

/// Whitespace as Python's `str.split()` sees it, so the kind is the one
/// `classify_agency` in `scripts/build_gazetteer.py` gives.
fn is_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Punctuation NFKC leaves outside ASCII (the full-width forms are ASCII by then).
const PUNCTUATION: &str =
    "、。〃〈〉《》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〰〽・·‐‑‒–—―‖‘’‚‛“”„‟†‡•‣…‧‰′″※¡§«¶»¿";

/// The name as a key for grouping reports by agency (the input is NFKC, simplified):
/// whitespace and punctuation removed except parentheses, which become full-width, and a
/// trailing `政府办` written out as `人民政府办公室`. Nothing else is rewritten: `办公厅` and
/// `办公室`, or a leading `中共`, may mark different bodies.
pub fn normalise(name: &str) -> String {
    let keep = |c: &char| {
        let punct =
            (c.is_ascii_punctuation() || PUNCTUATION.contains(*c)) && !matches!(c, '(' | ')');
        !is_space(*c) && !punct
    };
    let paren = |c| match c {
        '(' => '（',
        ')' => '）',
        c => c,
    };
    let mut out: String = name.chars().filter(keep).map(paren).collect();
    if let Some(stem) = out.strip_suffix("政府办") {
        out = format!(
            "{}人民政府办公室",
            stem.strip_suffix("人民").unwrap_or(stem)
        );
    }
    out
}

/// The name without one trailing parenthetical (`…办公室（市政府外事办公室）`), as the
/// kind rule reads it; the whole name when that would leave nothing.
pub(super) fn without_trailing_paren(s: &str) -> &str {
    let Some(body) = s.strip_suffix([')', '）']) else {
        return s;
    };
    match body.rfind(['(', ')', '（', '）']) {
        Some(at) if at > 0 && matches!(body[at..].chars().next(), Some('(' | '（')) => &s[..at],
        _ => s,
    }
}

pub(super) fn classify(g: &Gazetteer, name: &str) -> &'static str {
    let clean: String = name.chars().filter(|&c| !is_space(c)).collect();
    let n = without_trailing_paren(&clean);
    let matching = g
        .kinds
        .iter()
        .enumerate()
        .filter(|(_, &(_, pattern, suffix, _))| {
            if suffix {
                n.ends_with(pattern)
            } else {
                n.contains(pattern)
            }
        });
    let best = matching.max_by_key(|&(i, &(_, pattern, _, priority))| {
        (priority, pattern.chars().count(), std::cmp::Reverse(i))
    });
    best.map_or("other", |(_, k)| k.0)
}

/// A department's own name starts here (`统计局`, `公安局…`), not a township's, whose
/// names reuse place names (`中山街道`).
pub(super) fn department_follows(g: &Gazetteer, rest: &str) -> bool {
    g.kinds.iter().any(|&(kind, pattern, _, priority)| {
        priority >= 60 && !matches!(kind, "township" | "street_office") && rest.starts_with(pattern)
    })
}

#[cfg(test)]
mod tests {
    use super::super::place;
    use super::*;

    #[test]
    fn every_kind_has_a_label() {
        let kinds: std::collections::BTreeSet<&str> = tsv_rows(KINDS, KINDS_HEADER)
            .filter_map(|r| r.first().copied())
            .collect();
        for kind in kinds {
            assert!(kind_label(kind).is_some(), "{kind} has no label");
        }
        assert!(kind_label("public_security").is_some_and(|l| l.contains("公安")));
        assert_eq!(kind_label("no_such_kind"), None);
    }

    #[test]
    fn normalised_names() {
        assert_eq!(normalise("某县 政府办"), "某县人民政府办公室");
        assert_eq!(normalise("某县人民政府办"), "某县人民政府办公室");
        assert_eq!(normalise("某市人民政府办公厅"), "某市人民政府办公厅");
        assert_eq!(
            normalise("“某市”统计局(某市调查队)。"),
            "某市统计局（某市调查队）"
        );
        assert_eq!(normalise("中共某县委办公室"), "中共某县委办公室");
    }

    /// `KIND_EXAMPLES` of scripts/build_gazetteer.py, then normalised variants.
    const KIND_EXAMPLES: &str = "
北京市朝阳区人民政府办公室 general_office | 北京市朝阳区人民政府 people_government
杭州市西湖区人民政府北山街道办事处 street_office | 北山街道 street_office
杭州市西湖区三墩镇人民政府 township | 互助土族自治县五十镇人民政府 township
兵团统计局 statistics | 新疆生产建设兵团统计局 statistics | 互助县统计局 statistics
国家统计局 statistics | 国家统计局互助调查队 statistics
上海市公安局浦东分局 public_security | 上海市公安局 public_security | 浙江省公安厅 public_security
杭州市规划和自然资源局 natural_resources | 北京市规划和自然资源委员会 natural_resources
杭州市规划和自然资源局西湖分局 natural_resources | 杭州市卫生健康委员会 health
北京市教育委员会 education | 互助县教育体育局 education
国家税务总局杭州市西湖区税务局 taxation | 国家税务总局 taxation
杭州市生态环境局西湖分局 ecology_environment | 某县农业农村和水利局 agriculture_rural
某县水利局 water_resources | 某市文化广电旅游局 culture_tourism
杭州高新技术产业开发区管理委员会 development_zone | 杭州经济技术开发区管委会 development_zone
杭州经济技术开发区管委会财政局 finance | 某市人民政府国有资产监督管理委员会 state_assets
某市人民政府政务服务中心 government_services | 某市政务服务和大数据管理局 government_services
某市人民政府新闻办公室 other | 某市人民政府驻北京办事处 other
某市人民防空办公室 civil_air_defense | 某市中级人民法院 court | 某县司法局 justice
阿拉善盟行政公署 people_government | 某市人民政府办公室（市政府外事办公室） general_office
某县政府办 general_office | 某县 统计局(某县调查队) statistics
";

    #[test]
    fn kinds_match_the_reference() {
        let examples = KIND_EXAMPLES
            .lines()
            .flat_map(|l| l.split(" | "))
            .filter(|e| !e.is_empty());
        let mut n = 0;
        for example in examples {
            let (name, kind) = example.rsplit_once(' ').unwrap();
            assert_eq!(place(name, &[]).kind, kind, "{name}");
            n += 1;
        }
        assert_eq!(n, 41);
    }
}
