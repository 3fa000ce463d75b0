//! The gazetteer as the placement reads it: `divisions.tsv`, `zones.tsv`,
//! `townships.tsv` and the kind patterns of `agency_kinds.tsv`, parsed once into the
//! look-ups matching needs (every name and short form by key, codes, townships by name).

use std::collections::HashMap;
use std::sync::OnceLock;

/// The division table (`code name level province_code prefecture_code status`), also read
/// by a test of [`crate::normalise`].
pub(crate) const DIVISIONS: &str = include_str!("../../../data/gazetteer/divisions.tsv");
pub(super) const KINDS: &str = include_str!("../../../data/gazetteer/agency_kinds.tsv");
const ZONES: &str = include_str!("../../../data/gazetteer/zones.tsv");
const TOWNSHIPS: &str = include_str!("../../../data/gazetteer/townships.tsv");
/// The header of `townships.tsv`.
const TOWNSHIPS_HEADER: &str = "code\tname\tparent_code";
/// The endings of the townships' names that are read. The other rows of `townships.tsv`
/// are farms, mines, development zones and prisons (`经济开发区`, `监狱`), whose names are
/// words of agencies' names far more often than places.
pub(super) const TOWNSHIP_ENDINGS: [&str; 4] = ["镇", "乡", "街道", "苏木"];
/// Characters that, right after a township's name, show it to be the start of a longer
/// word (`新镇街道`, `…乡村振兴局`).
pub(super) const TOWNSHIP_CONTINUED: [char; 5] = ['镇', '乡', '街', '道', '村'];
/// Ambiguous townships listed in the evidence, at most (城关镇 is in 88 counties).
pub(super) const TOWNSHIPS_LISTED: usize = 10;
/// The header of `zones.tsv`.
const ZONES_HEADER: &str = "name\tcode\tevidence";

/// The header of `agency_kinds.tsv`.
pub(super) const KINDS_HEADER: &str = "kind\tpattern\tmatch\tpriority\tlabel_zh\tlabel_en";

/// [`Div::rank`] → level; ranks grow downwards so the deepest division is the maximum.
pub(super) const LEVELS: [&str; 3] = ["provincial", "prefecture", "county"];
pub(super) const PROVINCE: u8 = 0;
pub(super) const PREFECTURE: u8 = 1;
const COUNTY: u8 = 2;

pub(super) struct Div {
    pub(super) code: &'static str,
    pub(super) name: &'static str,
    pub(super) rank: u8,
    pub(super) province_code: &'static str,
    /// Empty for provinces and for counties directly under a province-level unit.
    pub(super) prefecture_code: &'static str,
    pub(super) current: bool,
    /// The name without its level suffix (`杭州`, `广西`), provinces and prefectures only.
    pub(super) short: Option<&'static str>,
}

#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub(super) enum Via {
    #[default]
    Name,
    Short,
    Alias,
    /// A special zone of `zones.tsv`, standing for the division it lies in.
    Zone,
}

/// What a string found in a name may stand for.
#[derive(Default)]
pub(super) struct Entry {
    pub(super) current: Vec<usize>,
    pub(super) historical: Vec<usize>,
    pub(super) via: Via,
}

impl Entry {
    /// The rows a match stands for: current ones when there are any; with `history`, all.
    pub(super) fn rows(&self, history: bool) -> impl Iterator<Item = usize> + '_ {
        let old = history || self.current.is_empty();
        let historical = self.historical.iter().filter(move |_| old);
        self.current.iter().chain(historical).copied()
    }
}

pub(super) struct Gazetteer {
    pub(super) divs: Vec<Div>,
    pub(super) keys: HashMap<String, Entry>,
    /// Distinct byte lengths of `keys`, longest first.
    pub(super) key_lens: Vec<usize>,
    /// The current row of a code, else its first historical row.
    pub(super) by_code: HashMap<&'static str, usize>,
    /// kind, pattern, suffix (else contains), priority.
    pub(super) kinds: Vec<(&'static str, &'static str, bool, i64)>,
    /// Short forms two current divisions share (吉林 of 吉林省 and 吉林市): not keys, but
    /// a name printing one names a place all the same.
    pub(super) shared_short: Vec<String>,
}

pub(super) fn gazetteer() -> &'static Gazetteer {
    static GAZETTEER: OnceLock<Gazetteer> = OnceLock::new();
    GAZETTEER.get_or_init(load)
}

/// A township of `townships.tsv`.
pub(super) struct Township {
    /// Nine-digit NBS code.
    pub(super) code: &'static str,
    /// Row in [`Gazetteer::divs`] of the county (or city without counties) it lies in.
    pub(super) parent: usize,
    /// The next township of the same name, [`NONE`] after the last.
    pub(super) next: u32,
}

const NONE: u32 = u32::MAX;

pub(super) struct Townships {
    pub(super) rows: Vec<Township>,
    /// Name → the first of its townships in `rows` (a chain through [`Township::next`],
    /// which spares the load a sort or a vector per name).
    pub(super) by_name: HashMap<&'static str, u32>,
    /// The longest name, in bytes.
    pub(super) max_len: usize,
    /// Current provinces and prefectures, which [`super::locate::places_named`] looks for.
    pub(super) places: Vec<usize>,
}

impl Townships {
    pub(super) fn named(&self, name: &str) -> Option<u32> {
        self.by_name.get(name).copied()
    }

    pub(super) fn chain(&self, first: u32) -> impl Iterator<Item = &Township> {
        let mut at = first;
        std::iter::from_fn(move || {
            let t = self.rows.get(at as usize)?;
            at = t.next;
            Some(t)
        })
    }
}

/// Apart from the divisions because only [`super::place`] needs them.
pub(super) fn townships() -> &'static Townships {
    static TOWNSHIPS_CELL: OnceLock<Townships> = OnceLock::new();
    TOWNSHIPS_CELL.get_or_init(|| load_townships(gazetteer()))
}

fn load_townships(g: &Gazetteer) -> Townships {
    let mut lines = TOWNSHIPS.lines();
    assert_eq!(lines.next(), Some(TOWNSHIPS_HEADER), "townships.tsv header");
    let mut rows: Vec<Township> = Vec::with_capacity(TOWNSHIPS.len() / 28);
    let mut by_name: HashMap<&'static str, u32> = HashMap::with_capacity(rows.capacity());
    let (mut max_len, mut last) = (0, ("", 0));
    for line in lines {
        let mut f = line.split('\t');
        let (Some(code), Some(name), Some(parent_code), None) =
            (f.next(), f.next(), f.next(), f.next())
        else {
            panic!("townships.tsv: bad row {line:?}");
        };
        let Some(name) = township_name(name) else {
            continue;
        };
        // The file is sorted by code, so a county's townships follow each other.
        if last.0 != parent_code {
            let parent = *g
                .by_code
                .get(parent_code)
                .expect("townships.tsv: parent not in divisions.tsv");
            assert!(
                g.divs[parent].current,
                "townships.tsv: {parent_code} is not current"
            );
            last = (parent_code, parent);
        }
        let i = rows.len() as u32;
        let next = by_name.insert(name, i).unwrap_or(NONE);
        rows.push(Township {
            code,
            parent: last.1,
            next,
        });
        max_len = max_len.max(name.len());
    }
    let places = (0..g.divs.len())
        .filter(|&r| g.divs[r].current && g.divs[r].rank <= PREFECTURE)
        .collect();
    Townships {
        rows,
        by_name,
        max_len,
        places,
    }
}

/// The current county-level divisions in the order of `divisions.tsv`, each as (province,
/// prefecture, county) names, the prefecture empty for a county directly under its
/// province: the places `nianbao synth` writes reports for, read from the parse that
/// [`super::place`] uses so the file is read in one place.
pub(crate) fn current_counties() -> impl Iterator<Item = (&'static str, &'static str, &'static str)>
{
    let g = gazetteer();
    let current_name = |code: &str| {
        g.by_code
            .get(code)
            .map(|&r| &g.divs[r])
            .filter(|d| d.current)
            .map_or("", |d| d.name)
    };
    g.divs
        .iter()
        .filter(|d| d.current && d.rank == COUNTY)
        .map(move |d| {
            let province = current_name(d.province_code);
            (province, current_name(d.prefecture_code), d.name)
        })
}

/// The township's name a row of `townships.tsv` gives: its name when that ends as a
/// township's, else the township's name inside it (`南环街道办事处`, `科技城（东渚街道）`), so
/// that a name two townships share is not taken for one's.
fn township_name(name: &str) -> Option<&str> {
    // One row is named just `街道`.
    let township = |n: &&str| {
        TOWNSHIP_ENDINGS
            .iter()
            .any(|e| n.ends_with(e) && n.len() > e.len())
    };
    if township(&name) {
        return Some(name);
    }
    if let Some((head, paren)) = name.strip_suffix('）').and_then(|n| n.split_once('（')) {
        return [paren, head].into_iter().find(township);
    }
    let trailers = ["办事处", "筹备处", "筹备组", "服务中心", "片区", "地区"];
    trailers
        .iter()
        .find_map(|t| name.strip_suffix(t))
        .filter(township)
}

pub(super) fn tsv_rows(tsv: &'static str, header: &str) -> impl Iterator<Item = Vec<&'static str>> {
    let mut lines = tsv.lines();
    assert_eq!(lines.next(), Some(header), "gazetteer header");
    lines.map(|l| l.split('\t').collect())
}

pub(super) fn load() -> Gazetteer {
    let (mut divs, mut by_code, mut keys) = (Vec::new(), HashMap::new(), HashMap::new());
    let header = "code\tname\tlevel\tprovince_code\tprefecture_code\tstatus";
    for (i, f) in tsv_rows(DIVISIONS, header).enumerate() {
        let [code, name, level, province_code, prefecture_code, status] = f[..] else {
            panic!("divisions.tsv: bad row {f:?}");
        };
        let rank = ["province", "prefecture", "county"]
            .iter()
            .position(|&l| l == level);
        let rank = rank.expect("divisions.tsv: level") as u8;
        let current = status == "current";
        let slot = by_code.entry(code).or_insert(i);
        if current {
            *slot = i;
        }
        // One historical row is named `市`.
        if name.chars().count() >= 2 {
            let e: &mut Entry = keys.entry(name.to_string()).or_default();
            if current {
                &mut e.current
            } else {
                &mut e.historical
            }
            .push(i);
        }
        let short = short_form(name, rank);
        divs.push(Div {
            code,
            name,
            rank,
            province_code,
            prefecture_code,
            current,
            short,
        });
    }
    let mut derived: HashMap<(String, Via), Vec<usize>> = HashMap::new();
    for (i, d) in divs.iter().enumerate().filter(|(_, d)| d.current) {
        if let Some(s) = d.short {
            derived
                .entry((s.to_string(), Via::Short))
                .or_default()
                .push(i);
        }
        if d.name.ends_with("自治县") {
            let alias: String = d.name.chars().take(2).chain(['县']).collect();
            derived.entry((alias, Via::Alias)).or_default().push(i);
        }
        // `红河州` for 红河哈尼族彝族自治州: the place before its peoples, and 州.
        if let Some(place) = d
            .name
            .strip_suffix("自治州")
            .and_then(|n| {
                ETHNIC
                    .iter()
                    .filter_map(|e| n.find(e))
                    .min()
                    .map(|at| &n[..at])
            })
            .filter(|p| p.chars().count() >= 2)
        {
            derived
                .entry((format!("{place}州"), Via::Alias))
                .or_default()
                .push(i);
        }
    }
    let mut shared_short = Vec::new();
    for ((key, via), current) in derived {
        // A short form two divisions share (吉林省, 吉林市) or that is a division's name
        // would be a guess; an autonomous county's old name as a county in the same
        // province (长阳县) is the county itself.
        let same = |h: &usize| {
            via == Via::Alias && divs[*h].province_code == divs[current[0]].province_code
        };
        let historical = match keys.get(&key) {
            None => Some(Vec::new()),
            Some(e) if e.current.is_empty() && e.historical.iter().all(same) => {
                Some(e.historical.clone())
            }
            Some(_) => None,
        };
        if via == Via::Short && current.len() > 1 {
            shared_short.push(key.clone());
        }
        if let (1, Some(historical)) = (current.len(), historical) {
            keys.insert(
                key,
                Entry {
                    current,
                    historical,
                    via,
                },
            );
        }
    }
    for f in tsv_rows(ZONES, ZONES_HEADER) {
        let [name, code, _evidence] = f[..] else {
            panic!("zones.tsv: bad row {f:?}");
        };
        let row = *by_code
            .get(code)
            .expect("zones.tsv: code not in divisions.tsv");
        assert!(divs[row].current, "zones.tsv: {code} is not current");
        assert!(!keys.contains_key(name), "zones.tsv: {name} is a division");
        let current = vec![row];
        let (historical, via) = (Vec::new(), Via::Zone);
        keys.insert(
            name.to_string(),
            Entry {
                current,
                historical,
                via,
            },
        );
    }
    let mut key_lens: Vec<usize> = keys.keys().map(String::len).collect();
    key_lens.sort_unstable_by(|a, b| b.cmp(a));
    key_lens.dedup();
    let header = KINDS_HEADER;
    let kinds = tsv_rows(KINDS, header).map(|f| {
        let [kind, pattern, how, priority, _, _] = f[..] else {
            panic!("agency_kinds.tsv: bad row {f:?}");
        };
        (
            kind,
            pattern,
            how == "suffix",
            priority.parse().expect("agency_kinds.tsv: priority"),
        )
    });
    shared_short.sort_unstable();
    Gazetteer {
        divs,
        keys,
        key_lens,
        by_code,
        shared_short,
        kinds: kinds.collect(),
    }
}

/// The peoples named in autonomous prefectures' names, after the place.
const ETHNIC: &[&str] = &[
    "哈尼族",
    "彝族",
    "苗族",
    "侗族",
    "土家族",
    "布依族",
    "壮族",
    "藏族",
    "羌族",
    "白族",
    "傣族",
    "景颇族",
    "傈僳族",
    "回族",
    "蒙古",
    "朝鲜族",
    "哈萨克",
    "柯尔克孜",
    "黎族",
];

/// The form people write without the level: 杭州市 → 杭州, 广西壮族自治区 → 广西.
/// Autonomous prefectures are left out: their short forms (`恩施州`) keep a suffix.
fn short_form(name: &'static str, rank: u8) -> Option<&'static str> {
    let suffixes: &[&str] = match rank {
        PROVINCE => &[
            "特别行政区",
            "壮族自治区",
            "回族自治区",
            "维吾尔自治区",
            "自治区",
            "省",
            "市",
        ],
        PREFECTURE => &["地区", "市", "盟"],
        _ => &[],
    };
    let base = suffixes.iter().find_map(|s| name.strip_suffix(s))?;
    (base.chars().count() >= 2).then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_parses() {
        let g = gazetteer();
        let count = |rank: u8, current: bool| {
            g.divs
                .iter()
                .filter(|d| d.rank == rank && d.current == current)
                .count()
        };
        let counts =
            [(0, true), (1, true), (2, true), (1, false), (2, false)].map(|(r, c)| count(r, c));
        assert_eq!(counts, [34, 333, 2974, 220, 3603]);
        assert_eq!(g.kinds.len(), 267);
        // Short forms two divisions share are not keys.
        assert!(g.keys.contains_key("杭州") && !g.keys.contains_key("吉林"));
    }

    #[test]
    fn townships_load() {
        let t = townships();
        assert_eq!((t.rows.len(), t.by_name.len()), (38727, 30194));
        let codes = |name: &str| {
            let first = t.named(name)?;
            let mut codes: Vec<&str> = t.chain(first).map(|r| r.code).collect();
            codes.sort_unstable();
            Some(codes)
        };
        assert_eq!(codes("七家子镇"), Some(vec!["210921126", "211224120"]));
        // The second from a row named `南环街道办事处`.
        assert_eq!(codes("南环街道"), Some(vec!["152921403", "450204008"]));
        assert_eq!(codes("城关镇").map(|c| c.len()), Some(88));
        assert_eq!(codes("经济开发区"), None);
        assert_eq!(codes("街道"), None);
        for (row, name) in [
            ("杨林镇", Some("杨林镇")),
            ("南环街道办事处", Some("南环街道")),
            ("科技城（东渚街道）", Some("东渚街道")),
            ("三星镇（叠石桥家纺产业园区）", Some("三星镇")),
            ("香山街道筹备组", Some("香山街道")),
            ("浒墅关经开区（镇）", None),
            ("山西省永济虞乡强制隔离戒毒所", None),
            ("天津经济技术开发区（其他片区）", None),
            ("街道", None),
        ] {
            assert_eq!(township_name(row), name, "{row}");
        }
        // Every parent is a current county, or a city without counties.
        let parents = t.rows.iter().map(|r| &gazetteer().divs[r.parent]);
        assert!(parents.clone().all(|d| d.current && d.rank > PROVINCE));
        let cities: std::collections::BTreeSet<&str> = parents
            .filter(|d| d.rank == PREFECTURE)
            .map(|d| d.name)
            .collect();
        assert_eq!(
            cities.into_iter().collect::<Vec<_>>(),
            ["东莞市", "中山市", "儋州市", "嘉峪关市"]
        );
    }
}
