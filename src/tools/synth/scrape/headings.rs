//! The `renumbered_headings` class: a section inserted before the tables (so they are 三,
//! 四, 五), their headings reworded, or one dropped.

use super::super::draft::{Agency, Draft, Headings};
use super::super::rng::Rng;
use super::super::{extension, pick_format, File, SynthFormat};
use super::Place;

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

pub(super) fn renumbered(rng: &mut Rng, at: &Place, formats: &[SynthFormat]) -> File {
    let format = pick_format(rng, formats);
    let agency = Agency::draw(rng);
    let mut d = Draft::draw(rng, agency, format, None);
    let (headings, variations) = draw_headings(rng);
    d.headings = headings;
    let (layout, bytes, encoding, _) = d.render(rng, &[], None);
    let ext = extension(format);
    at.report_with(&d, layout, ext, bytes, encoding, &variations)
}
