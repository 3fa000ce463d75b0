//! The `agency_kinds` class: reports of agencies that are not county governments or
//! bureaus (zones and their committees, new areas, street offices, towns, committees,
//! parks), some signed by an office other than the one the title names.

use super::super::draft::{divisions, Agency, AgencyIn, Draft, DEPARTMENTS};
use super::super::rng::Rng;
use super::super::{extension, pick_format, File, SynthFormat};
use super::Place;

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

pub(super) fn agency_kind(rng: &mut Rng, at: &Place, formats: &[SynthFormat]) -> File {
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
    at.report_with(&d, layout, extension(format), bytes, encoding, &variations)
}
