//! Synthetic reports with known truth (`nianbao synth`): big corpora for tests, the
//! accuracy scorer ([`crate::eval`]) and the benchmark.
//!
//! Report `i` of seed `s` depends on `(s, i)` alone, so a corpus is reproducible, any
//! slice of it can be generated on its own, and generation runs in parallel. Each report
//! draws its template (with the year/template mismatches real agencies make), agency,
//! year, values (mostly small, some large, zeros, blanks, decimals, signed changes),
//! format (text, HTML with rowspan/colspan, DOCX), layout (tab rows, pipe rows, one cell
//! per line, space-aligned columns), encoding, full-width digits, traditional characters,
//! page breaks, wrapped and spaced-out labels, and — at the defect rate — one defect.
//!
//! The truth file has the shape of `shared/gold/*.gold.json` (so one scorer serves both)
//! plus `format`, `layout`, `encoding` and `defects` for the scorer's breakdowns. The
//! truth says what must happen: a value the parser must read, `null` where it must not
//! produce a number (blank cells, cells after a truncation), and for defects that cannot
//! be read with certainty (a row with too many or too few numbers, a garbled row) the
//! true value, which the parser may only give or leave null with a finding naming the
//! cell. PDF is not written: printing Chinese needs an embedded CJK font.
//!
//! At the defect rate again, but from a generator of its own, a report is drawn as one of
//! the documents real scrapers save instead ([`class_names`], module `scrape`): an HTML
//! fragment without a frame, HTML in a script string, a crawler's text export with the
//! body flattened onto one line, OCR Markdown, renumbered or missing headings, an agency
//! that is not a county government or bureau, or a near-miss filed in the 年报 column
//! (kind `not_a_report`). Its truth carries `class`, the scorer's breakdown by class.
//!
//! In panel mode ([`Options::panel`]) the corpus is longitudinal, for the cross-report
//! stage: consecutive reports are the consecutive years of one agency, each year's
//! carried-over applications are the previous year's carried-forward ones, and the
//! defects are those a cross-report check must see (a break in that continuity, the same
//! report in two formats, a corrected re-scrape). Truth files then also carry
//! `panel_agency`, `duplicate_of` on the second file of a duplicate, and `expect_cross`:
//! the cross-report checks that must flag the file (`continuity_mismatch` on both years
//! of a broken pair, `duplicate_values_differ` on the corrected copy), absent when none.

use serde_json::{json, Map, Value};

use crate::model::Template;
use crate::templates::printed::{self, ProactiveGroup};
use crate::templates::{OUTCOMES, PROCEEDINGS};

mod scrape;

pub use scrape::class_names;

/// A format `synth` can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SynthFormat {
    /// Plain text, in one of the text layouts and encodings.
    Text,
    /// An HTML page with the tables as `<table>` (rowspan/colspan).
    Html,
    /// A Word document with the tables as `w:tbl` (gridSpan/vMerge).
    Docx,
}

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The seed: the same seed gives the same corpus.
    pub seed: u64,
    /// The share of reports with one defect (truncation, a row with too many or too few
    /// numbers, a broken balance, a garbled row, a duplicate file, a pre-2019 report, a
    /// page that is not a report), 0.0–1.0. Outside panel mode the same share of reports
    /// is drawn as a real-scraper class ([`class_names`]), so that a rate of 0 gives the
    /// clean corpus of before.
    pub defect_rate: f64,
    /// The formats to draw from (text is drawn most often).
    pub formats: Vec<SynthFormat>,
    /// Panel mode: every N consecutive reports are the N consecutive years of one agency
    /// (report `i` is year `i % N` of agency `i / N`), all within 2019–2024, so N is
    /// taken as 2–6. The defects are then a broken balance, duplicate files and the
    /// cross-report ones (see [`panel_defect_names`]). `None`: independent reports.
    pub panel: Option<u32>,
}

/// One generated file.
#[derive(Debug, Clone)]
pub struct File {
    /// Path relative to the output directory, `/`-separated (`003/003141_tab.txt`).
    pub path: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// The truth, in the gold-file format.
    pub truth: Value,
}

impl File {
    /// The truth file's path: the document's path with its extension replaced by
    /// `.gold.json`.
    pub fn truth_path(&self) -> String {
        let stem = self.path.rsplit_once('.').map_or(&*self.path, |(s, _)| s);
        format!("{stem}.gold.json")
    }
}

/// The files of report `index`: one, or two when the defect is a duplicate file.
pub fn report(options: &Options, index: u64) -> Vec<File> {
    if let Some(years) = options.panel {
        return panel_report(options, years, index);
    }
    scrape::report(options, index).unwrap_or_else(|| ordinary_report(options, index))
}

/// Report `index` when it draws no real-scraper class: a clean report, or one with a
/// defect.
fn ordinary_report(options: &Options, index: u64) -> Vec<File> {
    let mut rng = Rng::new(options.seed, index);
    let defect = if rng.chance(options.defect_rate) {
        Some(*rng.pick(&DEFECTS))
    } else {
        None
    };
    let format = pick_format(&mut rng, &options.formats);
    let id = format!("{index:06}");
    let dir = format!("{:03}", index / 1000);
    let place = Agency::draw(&mut rng);
    match defect {
        Some(Defect::Pre2019) => {
            return vec![other_document(&mut rng, &dir, &id, &place, true)];
        }
        Some(Defect::NotAReport) => {
            return vec![other_document(&mut rng, &dir, &id, &place, false)];
        }
        _ => {}
    }
    let mut doc = Draft::draw(&mut rng, place, format, None);
    let mut defects: Vec<&'static str> = Vec::new();
    let mut expect: Vec<&'static str> = Vec::new();
    match defect {
        // A number too many or too few is detectable only in a row without blank cells
        // (with blanks, 6 blanks + an extra 0 is a well-formed row): only those are hit.
        Some(Defect::ExtraNumber) => {
            if let Some(r) = doc.pick_full_row(&mut rng) {
                let at = rng.below(8);
                let v = doc.number(rng.range(1, 9) as f64);
                doc.apps[r].printed.insert(at, v);
                defects.push(Defect::ExtraNumber.name());
                expect.push("row_cell_count");
            }
        }
        Some(Defect::MissingNumber) => {
            if let Some(r) = doc.pick_full_row(&mut rng) {
                let at = rng.below(7);
                doc.apps[r].printed.remove(at);
                defects.push(Defect::MissingNumber.name());
                expect.push("row_cell_count");
            }
        }
        Some(Defect::BrokenBalance) => {
            doc.break_balance(&mut rng);
            defects.push(Defect::BrokenBalance.name());
            expect.push("balance");
        }
        Some(Defect::Garbled) if format == SynthFormat::Text => {
            defects.push(Defect::Garbled.name());
        }
        Some(Defect::Truncated) if format != SynthFormat::Docx => {
            defects.push(Defect::Truncated.name());
            expect.push("truncated");
        }
        Some(Defect::Duplicate) => defects.push(Defect::Duplicate.name()),
        _ => {}
    }
    let (layout, bytes, encoding, cut) = doc.render(&mut rng, &defects, None);
    let mut truth = doc.truth(&id, layout, encoding, &defects, &expect);
    if let Some(row) = cut {
        truth_after_cut(&mut truth, &doc, row);
    }
    let ext = extension(format);
    let file = File {
        path: format!("{dir}/{id}_{layout}.{ext}"),
        bytes,
        truth,
    };
    if defects.contains(&Defect::Duplicate.name()) {
        let mut copy = file.clone();
        copy.path = format!("{dir}/{id}_{layout}_copy.{ext}");
        copy.truth["id"] = json!(format!("{id}_copy"));
        return vec![file, copy];
    }
    vec![file]
}

fn extension(format: SynthFormat) -> &'static str {
    match format {
        SynthFormat::Text => "txt",
        SynthFormat::Html => "html",
        SynthFormat::Docx => "docx",
    }
}

/// Report `index` of a panel of `years` years per agency. Only defects that leave every
/// value readable are drawn, so that a cross-report check has certain values on both
/// sides and its expectations can be stated exactly.
fn panel_report(options: &Options, years: u32, index: u64) -> Vec<File> {
    let years = u64::from(years.clamp(2, 6));
    let (agency_index, k) = (index / years, index % years);
    let panel = PanelAgency::draw(options.seed, agency_index, years);
    let year = panel.start + k as i32;
    let mut rng = Rng::new(options.seed, index);
    let mut defect = panel_defect(&mut rng, options.defect_rate, k == 0);
    // The checker compares pairs, so a break also shows on the year before it; that
    // year's report knows of it by drawing the next report's defect itself.
    let next_breaks = k + 1 < years
        && panel_defect(
            &mut Rng::new(options.seed, index + 1),
            options.defect_rate,
            false,
        ) == Some(Defect::BrokenContinuity);
    let format = pick_format(&mut rng, &options.formats);
    let id = format!("{index:06}");
    let dir = format!("{:03}", index / 1000);
    let chain = PanelYear {
        year,
        template: panel.template(year),
        carried_over: panel_forward(options.seed, agency_index, year - 1),
        forward: panel_forward(options.seed, agency_index, year),
    };
    let mut doc = Draft::draw(&mut rng, panel.agency, format, Some(&chain));
    let mut expect: Vec<&'static str> = Vec::new();
    let mut cross: Vec<&'static str> = Vec::new();
    match defect {
        Some(Defect::BrokenBalance) => {
            doc.break_balance(&mut rng);
            expect.push("balance");
        }
        Some(Defect::BrokenContinuity) => {
            // Balanced still: a per-report check cannot see it, only the comparison
            // with the previous year.
            let extra = rng.range(1, 3);
            let disposal = 2 + rng.below(doc.apps.len() - 4);
            for row in [1, disposal, doc.apps.len() - 2] {
                doc.bump(row, extra);
            }
            cross.push("continuity_mismatch");
        }
        Some(Defect::DuplicateDiffers) if doc.movable_disposal().is_none() => {
            defect = Some(Defect::DuplicateFormat);
        }
        _ => {}
    }
    if next_breaks && !cross.contains(&"continuity_mismatch") {
        cross.push("continuity_mismatch");
    }
    let defects: Vec<&'static str> = defect.map(Defect::name).into_iter().collect();
    let panel_truth = |doc: &Draft, id: &str, layout: &str, encoding: &str, cross: &[&str]| {
        let mut truth = doc.truth(id, layout, encoding, &defects, &expect);
        truth["panel_agency"] = json!(agency_index);
        if !cross.is_empty() {
            truth["expect_cross"] = json!(cross);
        }
        truth
    };
    let (layout, bytes, encoding, _) = doc.render(&mut rng, &defects, None);
    let file = File {
        path: format!("{dir}/{id}_{layout}.{}", extension(format)),
        bytes,
        truth: panel_truth(&doc, &id, layout, encoding, &cross),
    };
    let (second, suffix, cross) = match defect {
        Some(Defect::Duplicate) => {
            let mut copy = file.clone();
            copy.path = format!("{dir}/{id}_{layout}_copy.{}", extension(format));
            copy.truth["id"] = json!(format!("{id}_copy"));
            copy.truth["duplicate_of"] = json!(id);
            return vec![file, copy];
        }
        Some(Defect::DuplicateFormat) => {
            let mut other = doc.clone();
            other.format = other_format(&mut rng, &options.formats, format);
            (other, "attachment", cross)
        }
        Some(Defect::DuplicateDiffers) => {
            let mut other = doc.clone();
            other.move_one(&mut rng);
            let mut cross = cross;
            cross.push("duplicate_values_differ");
            (other, "corrected", cross)
        }
        _ => return vec![file],
    };
    // A text copy in another layout, so that the two files differ in their bytes even
    // where their values do not.
    let forced = (second.format == SynthFormat::Text).then(|| {
        let others: Vec<&'static str> = TEXT_LAYOUTS
            .iter()
            .copied()
            .filter(|l| *l != layout)
            .collect();
        *rng.pick(&others)
    });
    let (layout2, bytes2, encoding2, _) = second.render(&mut rng, &defects, forced);
    let id2 = format!("{id}_{suffix}");
    let mut truth2 = panel_truth(&second, &id2, layout2, encoding2, &cross);
    truth2["duplicate_of"] = json!(id);
    let copy = File {
        path: format!("{dir}/{id}_{layout2}_{suffix}.{}", extension(second.format)),
        bytes: bytes2,
        truth: truth2,
    };
    vec![file, copy]
}

/// A format for the second file of a `duplicate_format` defect: one of the requested
/// formats other than the first file's, or any other when only one was requested.
fn other_format(rng: &mut Rng, formats: &[SynthFormat], first: SynthFormat) -> SynthFormat {
    let mut others: Vec<SynthFormat> = formats.iter().copied().filter(|f| *f != first).collect();
    if others.is_empty() {
        others = [SynthFormat::Text, SynthFormat::Html, SynthFormat::Docx]
            .into_iter()
            .filter(|f| *f != first)
            .collect();
    }
    *rng.pick(&others)
}

/// The defect of a panel report, from the first draws of its generator (the year before
/// replays them to learn whether the continuity breaks after it).
fn panel_defect(rng: &mut Rng, rate: f64, first_year: bool) -> Option<Defect> {
    if !rng.chance(rate) {
        return None;
    }
    // A first year has no previous year to break with.
    let allowed: Vec<Defect> = PANEL_DEFECTS
        .iter()
        .copied()
        .filter(|d| !(first_year && *d == Defect::BrokenContinuity))
        .collect();
    Some(*rng.pick(&allowed))
}

/// Salts that keep the agency and carried-forward generators apart from the report ones
/// (same seed, small indices).
const AGENCY_SALT: u64 = 0x5A17_0C3E_9B21_4D86;
const FORWARD_SALT: u64 = 0xC0F7_1A2B_6E55_93D1;

/// What the years of one panel agency share.
struct PanelAgency {
    agency: Agency,
    start: i32,
    /// The first year printed on the 2021 template: 2021, or later for the agencies
    /// that kept the 2019 one for a while (never switching back).
    switch: i32,
}

impl PanelAgency {
    fn draw(seed: u64, agency_index: u64, years: u64) -> PanelAgency {
        let mut rng = Rng::new(seed ^ AGENCY_SALT, agency_index);
        let agency = Agency::draw(&mut rng);
        let start = rng.range(2019, 2025 - years as i64) as i32;
        let switch = if rng.chance(0.07) {
            rng.range(2022, 2025) as i32
        } else {
            2021
        };
        PanelAgency {
            agency,
            start,
            switch,
        }
    }

    fn template(&self, year: i32) -> Template {
        if year < self.switch {
            Template::T2019
        } else {
            Template::T2021
        }
    }
}

/// The fixed parts of a panel year's draft.
struct PanelYear {
    year: i32,
    template: Template,
    carried_over: [i64; 6],
    forward: [i64; 6],
}

/// The applications an agency carries forward from `year` into the next, per applicant
/// column: a function of (seed, agency, year) alone, so that year Y's report (its
/// forward) and year Y+1's (its carried-over) get the same numbers without either
/// seeing the other.
fn panel_forward(seed: u64, agency_index: u64, year: i32) -> [i64; 6] {
    let mut rng = Rng::new(
        seed ^ FORWARD_SALT,
        agency_index * 64 + (year - 2000).clamp(0, 63) as u64,
    );
    let mut forward = [0i64; 6];
    forward[0] = if rng.chance(0.3) { 0 } else { rng.range(1, 6) };
    for v in forward.iter_mut().skip(1) {
        if rng.chance(0.1) {
            *v = rng.range(1, 2);
        }
    }
    forward
}

/// A truncated report: the row the cut falls in is not checked (the cut may fall after
/// its last number), the rows after it and section 四 must not be read.
fn truth_after_cut(truth: &mut Value, doc: &Draft, row: usize) {
    let apps = truth["applications"].as_object_mut().expect("applications");
    for (i, r) in doc.apps.iter().enumerate().skip(row) {
        for a in APPLICANT_CODES {
            let key = format!("{}.{a}", r.code);
            if i == row {
                apps.remove(&key);
            } else {
                apps.insert(key, Value::Null);
            }
        }
    }
    let review = truth["review_litigation"]
        .as_object_mut()
        .expect("review_litigation");
    for v in review.values_mut() {
        *v = Value::Null;
    }
}

use crate::templates::APPLICANTS as APPLICANT_CODES;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Defect {
    Truncated,
    ExtraNumber,
    MissingNumber,
    BrokenBalance,
    Garbled,
    Duplicate,
    Pre2019,
    NotAReport,
    BrokenContinuity,
    DuplicateFormat,
    DuplicateDiffers,
}

impl Defect {
    /// The name in truth files (`defects`) and in `eval`'s breakdown.
    fn name(self) -> &'static str {
        match self {
            Defect::Truncated => "truncated",
            Defect::ExtraNumber => "extra_number",
            Defect::MissingNumber => "missing_number",
            Defect::BrokenBalance => "broken_balance",
            Defect::Garbled => "garbled_row",
            Defect::Duplicate => "duplicate",
            Defect::Pre2019 => "pre2019",
            Defect::NotAReport => "not_a_report",
            Defect::BrokenContinuity => "broken_continuity",
            Defect::DuplicateFormat => "duplicate_format",
            Defect::DuplicateDiffers => "duplicate_differs",
        }
    }
}

/// The names of the defects `synth` draws, as truth files list them.
pub fn defect_names() -> impl Iterator<Item = &'static str> {
    DEFECTS.iter().map(|d| d.name())
}

/// The names of the defects `synth` draws in panel mode ([`Options::panel`]).
pub fn panel_defect_names() -> impl Iterator<Item = &'static str> {
    PANEL_DEFECTS.iter().map(|d| d.name())
}

const PANEL_DEFECTS: [Defect; 5] = [
    Defect::BrokenBalance,
    Defect::Duplicate,
    Defect::BrokenContinuity,
    Defect::DuplicateFormat,
    Defect::DuplicateDiffers,
];

const DEFECTS: [Defect; 8] = [
    Defect::Truncated,
    Defect::ExtraNumber,
    Defect::MissingNumber,
    Defect::BrokenBalance,
    Defect::Garbled,
    Defect::Duplicate,
    Defect::Pre2019,
    Defect::NotAReport,
];

fn pick_format(rng: &mut Rng, formats: &[SynthFormat]) -> SynthFormat {
    let weight = |f: &SynthFormat| match f {
        SynthFormat::Text => 7,
        SynthFormat::Html => 2,
        SynthFormat::Docx => 1,
    };
    let total: usize = formats.iter().map(weight).sum();
    if total == 0 {
        return SynthFormat::Text;
    }
    let mut r = rng.below(total);
    for f in formats {
        if r < weight(f) {
            return *f;
        }
        r -= weight(f);
    }
    SynthFormat::Text
}

/// SplitMix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0xD1B5_4A32_D192_ED03));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next() % (hi - lo + 1).max(1) as u64) as i64
    }

    fn chance(&mut self, p: f64) -> bool {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64 <= p && p > 0.0
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// Current county-level divisions with their prefecture and province names, from the
/// gazetteer, less development zones and parks (not where a bureau's report comes from)
/// and any county whose province has no current row (none today).
fn divisions() -> &'static [(&'static str, &'static str, &'static str)] {
    type Division = (&'static str, &'static str, &'static str);
    static CELL: std::sync::OnceLock<Vec<Division>> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        crate::agency::current_counties()
            .filter(|(_, _, county)| !county.contains("开发区") && !county.contains("园区"))
            .filter(|(province, _, _)| !province.is_empty())
            .collect()
    })
}

const DEPARTMENTS: [&str; 14] = [
    "统计局",
    "市场监督管理局",
    "自然资源局",
    "卫生健康委员会",
    "教育局",
    "公安局",
    "人民政府办公室",
    "财政局",
    "民政局",
    "司法局",
    "住房和城乡建设局",
    "农业农村局",
    "生态环境局",
    "人民政府",
];

/// The agency a report is written for.
#[derive(Clone)]
struct Agency {
    name: String,
    /// The signature when it is not the agency's name (the office that issued the report
    /// for the area the title names).
    signature: Option<String>,
}

impl Agency {
    fn draw(rng: &mut Rng) -> Agency {
        let all = divisions();
        let (province, prefecture, county) = rng.pick(all);
        let dept = *rng.pick(&DEPARTMENTS);
        let name = match rng.below(10) {
            0 => format!("{province}{dept}"),
            1..=3 if !prefecture.is_empty() => format!("{prefecture}{dept}"),
            4 if !prefecture.is_empty() => format!("{prefecture}{county}{dept}"),
            _ => format!("{county}{dept}"),
        };
        Agency {
            name,
            signature: None,
        }
    }
}

/// One section-三 row as it will be printed.
#[derive(Debug, Clone)]
struct AppRow {
    code: &'static str,
    group: &'static str,
    label: &'static str,
    /// The true values (None: printed blank).
    values: [Option<i64>; 7],
    /// The printed value cells (a defect may add or remove one).
    printed: Vec<String>,
}

/// A report before rendering: values, labels and the choices that shape its text.
#[derive(Clone)]
struct Draft {
    agency: Agency,
    year: i32,
    template: Template,
    /// (item, measure, value, printed).
    proactive: Vec<(&'static str, &'static str, Option<f64>, String)>,
    apps: Vec<AppRow>,
    review: [Option<i64>; 15],
    format: SynthFormat,
    full_width: bool,
    traditional: bool,
    spaced_headers: bool,
    agency_in: AgencyIn,
    /// Zeros are printed blank (and are `null` in the truth).
    blank_zeros: bool,
    /// The section headings as printed (renumbered, reworded or dropped by a class).
    headings: scrape::Headings,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum AgencyIn {
    Title,
    LineAbove,
    YearFirst,
    BodyOnly,
}

impl Draft {
    fn draw(
        rng: &mut Rng,
        agency: Agency,
        format: SynthFormat,
        panel: Option<&PanelYear>,
    ) -> Draft {
        let (year, template) = match panel {
            Some(p) => (p.year, p.template),
            None => {
                let year = rng.range(2019, 2024) as i32;
                let mut template = if year <= 2020 {
                    Template::T2019
                } else {
                    Template::T2021
                };
                // Some agencies kept the 2019 template after 2021.
                if year >= 2021 && rng.chance(0.07) {
                    template = Template::T2019;
                }
                (year, template)
            }
        };
        let blank_zeros = rng.chance(0.08);
        let scale = if rng.chance(0.1) { 40 } else { 1 };
        let mut d = Draft {
            agency,
            year,
            template,
            proactive: Vec::new(),
            apps: Vec::new(),
            review: [None; 15],
            format,
            full_width: rng.chance(0.08),
            traditional: rng.chance(0.07),
            spaced_headers: rng.chance(0.3),
            agency_in: match rng.below(20) {
                0..=12 => AgencyIn::Title,
                13..=15 => AgencyIn::LineAbove,
                16..=17 => AgencyIn::YearFirst,
                _ => AgencyIn::BodyOnly,
            },
            blank_zeros,
            headings: scrape::Headings::standard(),
        };
        d.draw_proactive(rng);
        d.draw_applications(rng, scale, panel.map(|p| (p.carried_over, p.forward)));
        for (p, _) in PROCEEDINGS.iter().enumerate() {
            let mut sum = 0;
            for o in 0..4 {
                let v = if rng.chance(0.6) { 0 } else { rng.range(0, 6) };
                sum += v;
                d.review[p * 5 + o] = Some(v);
            }
            d.review[p * 5 + 4] = Some(sum);
        }
        if blank_zeros {
            for v in d.review.iter_mut() {
                if *v == Some(0) {
                    *v = None;
                }
            }
        }
        d
    }

    fn groups(&self) -> &'static [ProactiveGroup] {
        match self.template {
            Template::T2019 => printed::PROACTIVE_2019,
            Template::T2021 => printed::PROACTIVE_2021,
        }
    }

    fn draw_proactive(&mut self, rng: &mut Rng) {
        for group in self.groups() {
            for (item, _, measures) in group.items {
                for measure in *measures {
                    let (value, printed) = match *measure {
                        "amount_10k_yuan" => {
                            let v = if rng.chance(0.5) {
                                0.0
                            } else {
                                rng.range(1, 500_000) as f64 / 100.0
                            };
                            (v, self.number(v))
                        }
                        "amount_yuan" => {
                            let yuan = rng.range(0, 9_000) * 100;
                            if yuan == 0 {
                                (0.0, self.number(0.0))
                            } else if rng.chance(0.5) {
                                let wan = yuan as f64 / 10_000.0;
                                let sep = if rng.chance(0.5) { " " } else { "" };
                                (yuan as f64, format!("{}{sep}万元", self.number(wan)))
                            } else {
                                (yuan as f64, format!("{}元", self.number(yuan as f64)))
                            }
                        }
                        "change" => {
                            let v = if rng.chance(0.6) { 0 } else { rng.range(-4, 6) };
                            let shown = if v > 0 && rng.chance(0.3) {
                                format!("+{}", self.number(v as f64))
                            } else if v < 0 {
                                format!("-{}", self.number(-v as f64))
                            } else {
                                self.number(v as f64)
                            };
                            (v as f64, shown)
                        }
                        "decisions" => {
                            let v = if rng.chance(0.3) {
                                0
                            } else {
                                rng.range(0, 900)
                            };
                            (v as f64, self.number(v as f64))
                        }
                        _ => {
                            let v = if rng.chance(0.4) { 0 } else { rng.range(0, 40) };
                            (v as f64, self.number(v as f64))
                        }
                    };
                    self.proactive.push((item, measure, Some(value), printed));
                }
            }
        }
    }

    fn disposals(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        match self.template {
            Template::T2021 => printed::DISPOSALS_2021.to_vec(),
            Template::T2019 => {
                let mut rows = printed::DISPOSALS_2021[..18].to_vec();
                rows.push(printed::OTHER_HANDLING_2019);
                rows
            }
        }
    }

    /// `chain`: the carried-over and carried-forward columns fixed by a panel.
    fn draw_applications(
        &mut self,
        rng: &mut Rng,
        scale: i64,
        chain: Option<([i64; 6], [i64; 6])>,
    ) {
        let blank_zeros = self.blank_zeros;
        let disposals = self.disposals();
        let weights = [6, 2, 0, 0, 1, 0];
        let mut new = [0i64; 6];
        let mut over = [0i64; 6];
        let mut forward = [0i64; 6];
        let mut rows = vec![[0i64; 6]; disposals.len()];
        let likely: Vec<usize> = [
            "granted",
            "partly_granted",
            "unavailable_not_held",
            "withheld_process_info",
            "declined_duplicate",
            "declined_petition",
            "withheld_third_party_rights",
        ]
        .iter()
        .filter_map(|c| disposals.iter().position(|d| d.0 == *c))
        .chain([disposals.len() - 1])
        .collect();
        let quiet = rng.chance(0.25);
        for a in 0..6 {
            if !quiet {
                new[a] = if weights[a] >= 6 {
                    rng.range(0, 20) * scale
                } else {
                    rng.range(0, weights[a] * 2)
                };
                over[a] = if a == 0 { rng.range(0, 3) } else { 0 };
            }
            if let Some((o, f)) = chain {
                over[a] = o[a];
                forward[a] = f[a];
                // More comes forward than there is: more applications came in.
                new[a] = new[a].max(f[a] - o[a]);
            } else {
                let available = new[a] + over[a];
                forward[a] = if a == 0 {
                    available.min(rng.range(0, 2))
                } else {
                    0
                };
            }
            let available = new[a] + over[a];
            let mut left = available - forward[a];
            while left > 0 {
                let take = rng.range(1, left);
                rows[*rng.pick(&likely)][a] += take;
                left -= take;
            }
        }
        let mut total = [0i64; 6];
        for r in &rows {
            for a in 0..6 {
                total[a] += r[a];
            }
        }
        let mut push = |code, group, label, v: [i64; 6]| {
            let mut values = [None; 7];
            let sum: i64 = v.iter().sum();
            for a in 0..6 {
                values[a] = Some(v[a]);
            }
            values[6] = Some(sum);
            if blank_zeros {
                for x in values.iter_mut() {
                    if *x == Some(0) {
                        *x = None;
                    }
                }
            }
            self.apps.push(AppRow {
                code,
                group,
                label,
                values,
                printed: Vec::new(),
            });
        };
        push(printed::INTAKE[0].0, "", printed::INTAKE[0].1, new);
        push(printed::INTAKE[1].0, "", printed::INTAKE[1].1, over);
        for (i, (code, group, label)) in disposals.iter().enumerate() {
            push(code, group, label, rows[i]);
        }
        push(printed::TOTAL.0, "", printed::TOTAL.1, total);
        push(printed::FORWARD.0, "", printed::FORWARD.1, forward);
        for i in 0..self.apps.len() {
            let printed = self.apps[i]
                .values
                .iter()
                .map(|v| v.map_or_else(String::new, |v| self.number(v as f64)))
                .collect();
            self.apps[i].printed = printed;
        }
    }

    /// Adds `delta` to the natural-person and total cells of section-三 row `row`, which
    /// keeps the row sum; the caller keeps the column balance.
    fn bump(&mut self, row: usize, delta: i64) {
        for col in [0, 6] {
            let v = self.apps[row].values[col].unwrap_or(0) + delta;
            let v = (v != 0 || !self.blank_zeros).then_some(v);
            self.apps[row].values[col] = v;
            self.apps[row].printed[col] = v.map_or_else(String::new, |v| self.number(v as f64));
        }
    }

    /// More received than the rest of the table accounts for.
    fn break_balance(&mut self, rng: &mut Rng) {
        let k = rng.range(1, 5);
        self.bump(0, k);
    }

    /// The disposal rows (section-三 indices) with a natural-person application to move.
    fn movable_disposal(&self) -> Option<Vec<usize>> {
        let rows: Vec<usize> = (2..self.apps.len() - 2)
            .filter(|&r| self.apps[r].values[0].unwrap_or(0) >= 1)
            .collect();
        (!rows.is_empty()).then_some(rows)
    }

    /// Moves one natural-person application from one disposal row to another: a
    /// correction that keeps every sum.
    fn move_one(&mut self, rng: &mut Rng) {
        let Some(from) = self.movable_disposal() else {
            return;
        };
        let from = *rng.pick(&from);
        let to: Vec<usize> = (2..self.apps.len() - 2).filter(|&r| r != from).collect();
        let to = *rng.pick(&to);
        self.bump(from, -1);
        self.bump(to, 1);
    }

    /// Index of a section-三 row a defect can hit (any but the last, so a cut or a
    /// change never falls outside the table).
    fn pick_data_row(&self, rng: &mut Rng) -> usize {
        rng.below(self.apps.len() - 1)
    }

    /// Index of a section-三 row with no blank cell, if any.
    fn pick_full_row(&self, rng: &mut Rng) -> Option<usize> {
        let full: Vec<usize> = (0..self.apps.len())
            .filter(|&i| self.apps[i].values.iter().all(Option::is_some))
            .collect();
        (!full.is_empty()).then(|| full[rng.below(full.len())])
    }

    /// A number as this report prints it.
    fn number(&self, v: f64) -> String {
        let s = if v.fract() == 0.0 {
            format!("{}", v as i64)
        } else {
            let s = format!("{v:.4}");
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        };
        if self.full_width {
            s.chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(c as u32 - '0' as u32 + 0xFF10).unwrap_or(c),
                    '.' => '．',
                    _ => c,
                })
                .collect()
        } else {
            s
        }
    }

    fn truth(
        &self,
        id: &str,
        layout: &str,
        encoding: &str,
        defects: &[&str],
        expect: &[&str],
    ) -> Value {
        let num = |v: Option<f64>| v.map_or(Value::Null, |v| json!(v));
        let mut proactive = Map::new();
        for (item, measure, value, _) in &self.proactive {
            let v = if *measure == "amount_yuan" || *measure == "amount_10k_yuan" {
                num(*value)
            } else {
                value.map_or(Value::Null, |v| json!(v as i64))
            };
            proactive.insert(format!("{item}.{measure}"), v);
        }
        let mut apps = Map::new();
        for r in &self.apps {
            for (a, v) in APPLICANT_CODES.iter().zip(r.values) {
                apps.insert(
                    format!("{}.{a}", r.code),
                    v.map_or(Value::Null, |v| json!(v)),
                );
            }
        }
        // The rows of the other template are not printed: nothing may be read into them
        // (a 2021 group label 其他处理 taken for the 2019 row, say).
        let absent: &[&str] = match self.template {
            Template::T2021 => &["other_handling"],
            Template::T2019 => &["other_overdue_correction", "other_unpaid_fee", "other_misc"],
        };
        for row in absent {
            for a in APPLICANT_CODES {
                apps.insert(format!("{row}.{a}"), Value::Null);
            }
        }
        let mut review = Map::new();
        for (p, proceeding) in PROCEEDINGS.iter().enumerate() {
            for (o, outcome) in OUTCOMES.iter().enumerate() {
                review.insert(
                    format!("{proceeding}.{outcome}"),
                    self.review[p * 5 + o].map_or(Value::Null, |v| json!(v)),
                );
            }
        }
        let format = match self.format {
            SynthFormat::Text => "text",
            SynthFormat::Html => "html",
            SynthFormat::Docx => "docx",
        };
        let mut variations = Vec::new();
        if self.full_width {
            variations.push("full_width_digits");
        }
        if self.traditional {
            variations.push("traditional");
        }
        if self.spaced_headers {
            variations.push("spaced_headers");
        }
        if self.agency_in == AgencyIn::BodyOnly {
            variations.push("agency_in_body");
        }
        if self.year >= 2021 && self.template == Template::T2019 {
            variations.push("template_year_mismatch");
        }
        json!({
            "id": id,
            "agency": self.agency.name,
            "year": self.year,
            "template": self.template.code(),
            "kind": "report",
            "format": format,
            "layout": layout,
            "encoding": encoding,
            "defects": defects,
            "variations": variations,
            "proactive": proactive,
            "applications": apps,
            "review_litigation": review,
            "expect_findings": expect,
            "notes": "synthetic (nianbao synth)",
        })
    }

    fn title(&self) -> String {
        let (a, y) = (&self.agency.name, self.year);
        match self.agency_in {
            AgencyIn::Title => format!("{a}{y}年政府信息公开工作年度报告"),
            AgencyIn::LineAbove => format!("{a}\n{y}年政府信息公开工作年度报告"),
            AgencyIn::YearFirst => format!("{y}年度{a}政府信息公开工作年度报告"),
            AgencyIn::BodyOnly => format!("{y}年政府信息公开工作年度报告"),
        }
    }

    fn intro(&self) -> Vec<String> {
        let (a, y) = (&self.agency.name, self.year);
        let mut intro = vec![
            format!("本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。如对本报告有疑问，请与本机关办公室联系。"),
            "一、总体情况".to_string(),
            format!("{y}年，{a}认真贯彻落实政府信息公开工作各项要求，围绕中心工作，及时主动公开政策文件和政策解读，规范依申请公开办理流程，政务公开工作取得新成效。"),
        ];
        if let Some((heading, text)) = &self.headings.inserted {
            intro.push(heading.to_string());
            intro.push(text.to_string());
        }
        intro
    }

    fn outro(&self) -> Vec<String> {
        vec![
            self.headings.outro[0].to_string(),
            "政策解读形式还不够丰富，下一步将加强图表解读，提升公开质量。".to_string(),
            self.headings.outro[1].to_string(),
            "本年度未收取信息处理费。".to_string(),
            self.agency
                .signature
                .clone()
                .unwrap_or_else(|| self.agency.name.clone()),
            format!("{}年1月{}日", self.year + 1, 10 + self.year % 18),
        ]
    }

    fn header(&self, text: &str) -> String {
        if self.spaced_headers && text.chars().count() <= 4 {
            let chars: Vec<String> = text.chars().map(String::from).collect();
            chars.join(" ")
        } else {
            text.to_string()
        }
    }

    /// The three tables as grids of origin cells with their spans (HTML semantics).
    fn grids(&self) -> [Grid; 3] {
        let mut pro: Grid = Vec::new();
        let mut values = self.proactive.iter();
        for group in self.groups() {
            pro.push(vec![Cell::span(group.clause, 4, 1)]);
            let mut head = vec![Cell::text("信息内容")];
            for (i, h) in group.headers.iter().enumerate() {
                let last = i + 1 == group.headers.len();
                let span = if last { 4 - group.headers.len() } else { 1 };
                head.push(Cell::span(h, span, 1));
            }
            pro.push(head);
            for (_, label, measures) in group.items {
                let mut row = vec![Cell::text(label)];
                for (i, _) in measures.iter().enumerate() {
                    let (_, _, _, printed) = values.next().expect("a value per measure");
                    let last = i + 1 == measures.len();
                    let span = if last { 4 - measures.len() } else { 1 };
                    row.push(Cell::span(printed, span, 1));
                }
                pro.push(row);
            }
        }

        let h = printed::APPLICANT_HEADERS;
        let mut apps: Grid = vec![
            vec![
                Cell::span(printed::APPLICATION_CORNER, 3, 3),
                Cell::span(printed::APPLICANT_GROUP, 7, 1),
            ],
            vec![
                Cell::span(&self.header(h[0]), 1, 2),
                Cell::span(printed::ORGANISATIONS, 5, 1),
                Cell::span(&self.header(h[6]), 1, 2),
            ],
            h[1..6]
                .iter()
                .map(|x| Cell::text(&self.header(x)))
                .collect(),
        ];
        let disposals = self.apps.len() - 3;
        for (i, r) in self.apps.iter().enumerate() {
            let mut row = Vec::new();
            let in_results = (2..2 + disposals).contains(&i) || r.code == printed::TOTAL.0;
            if i == 2 {
                row.push(Cell::span(printed::RESULTS, 1, disposals));
            }
            if !in_results {
                row.push(Cell::span(r.label, 3, 1));
            } else if !r.group.is_empty() {
                let size = 1 + self.apps[i + 1..]
                    .iter()
                    .take_while(|n| {
                        n.group.is_empty() && n.label.starts_with(|c: char| c.is_ascii_digit())
                    })
                    .count();
                row.push(Cell::span(r.group, 1, size));
                row.push(Cell::text(r.label));
            } else if r.label.starts_with(|c: char| c.is_ascii_digit()) {
                row.push(Cell::text(r.label));
            } else {
                row.push(Cell::span(r.label, 2, 1));
            }
            row.extend(r.printed.iter().map(|v| Cell::text(v)));
            apps.push(row);
        }

        let mut rev: Grid = vec![
            vec![
                Cell::span(printed::REVIEW, 5, 1),
                Cell::span(printed::LITIGATION, 10, 1),
            ],
            printed::OUTCOMES
                .iter()
                .map(|o| Cell::span(&self.header(o), 1, 2))
                .chain(
                    printed::LITIGATION_KINDS
                        .iter()
                        .map(|k| Cell::span(k, 5, 1)),
                )
                .collect(),
            printed::OUTCOMES
                .iter()
                .chain(printed::OUTCOMES.iter())
                .map(|o| Cell::text(&self.header(o)))
                .collect(),
        ];
        rev.push(
            self.review
                .iter()
                .map(|v| Cell::text(&v.map_or_else(String::new, |v| self.number(v as f64))))
                .collect(),
        );
        [pro, apps, rev]
    }

    /// Renders the report: (layout, bytes, encoding, row the cut falls in).
    /// `layout`: the text layout to use instead of drawing one.
    fn render(
        &self,
        rng: &mut Rng,
        defects: &[&str],
        layout: Option<&'static str>,
    ) -> (&'static str, Vec<u8>, &'static str, Option<usize>) {
        let grids = self.grids();
        match self.format {
            SynthFormat::Html => {
                let gbk = rng.chance(0.3) && !self.traditional;
                let mut page = self.html(&grids, if gbk { "gbk" } else { "utf-8" });
                let mut cut = None;
                if defects.contains(&Defect::Truncated.name()) {
                    let row = self.pick_data_row(rng);
                    let marker = format!("<tr data-row=\"{}\">", self.apps[row].code);
                    if let Some(start) = page.find(&marker) {
                        let next = page[start + marker.len()..]
                            .find("<tr")
                            .map_or(page.len(), |n| start + marker.len() + n);
                        let mut at = start + rng.below(next - start);
                        while !page.is_char_boundary(at) {
                            at -= 1;
                        }
                        page.truncate(at);
                        cut = Some(row);
                    }
                }
                let page = self.convert(&page);
                let bytes = if gbk {
                    encoding_rs::GBK.encode(&page).0.into_owned()
                } else {
                    page.into_bytes()
                };
                ("html", bytes, if gbk { "gbk" } else { "utf-8" }, cut)
            }
            SynthFormat::Docx => {
                let xml = self.convert(&self.docx_xml(&grids));
                (
                    "docx",
                    crate::read::docx::container(xml.as_bytes()),
                    "utf-8",
                    None,
                )
            }
            SynthFormat::Text => {
                let layout = layout.unwrap_or_else(|| *rng.pick(&TEXT_LAYOUTS));
                let mut text = Text::default();
                for line in self.title().lines() {
                    text.line(line);
                }
                text.line("");
                for p in self.intro() {
                    text.line(&p);
                }
                let page_break = rng.chance(0.3).then(|| 3 + rng.below(self.apps.len() - 3));
                for (s, grid) in grids.iter().enumerate() {
                    if let Some(heading) = &self.headings.tables[s] {
                        text.line(heading);
                    }
                    match layout {
                        "tab" => text.tab(&word_rows(grid), s == 1, page_break),
                        "tab_grid" => text.tab(&expand(grid), s == 1, page_break),
                        "pipe" => text.pipe(grid, s == 1, page_break),
                        "cells" => text.cells(grid, s == 1, page_break, rng),
                        _ => text.layout(self, grid, s, page_break),
                    }
                    text.line("");
                }
                for p in self.outro() {
                    text.line(&p);
                }
                let mut cut = None;
                if defects.contains(&Defect::Truncated.name()) {
                    let row = self.pick_data_row(rng);
                    let start = text.row_starts[row];
                    let end = text.row_starts[row + 1];
                    let mut at = start + rng.below(end - start);
                    while !text.out.is_char_boundary(at) {
                        at -= 1;
                    }
                    text.out.truncate(at);
                    cut = Some(row);
                }
                if defects.contains(&Defect::Garbled.name()) {
                    let row = self.pick_data_row(rng);
                    let start = text.row_starts[row];
                    let end = text.out[start..]
                        .find('\n')
                        .map_or(text.out.len(), |n| start + n);
                    let line = &text.out[start..end];
                    let garbled = encoding_rs::GBK.decode(line.as_bytes()).0.into_owned();
                    text.out.replace_range(start..end, &garbled);
                }
                let out = self.convert(&text.out);
                let (bytes, encoding) = encode(rng, &out, self.traditional);
                (layout, bytes, encoding, cut)
            }
        }
    }

    /// Traditional characters, when the report is printed in them.
    fn convert(&self, text: &str) -> String {
        if self.traditional {
            zhconv::get_builtin_converter(zhconv::Variant::ZhHant).convert(text)
        } else {
            text.to_string()
        }
    }

    fn html(&self, grids: &[Grid; 3], charset: &str) -> String {
        let mut out = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"{charset}\"><title>{}</title>\
             <meta name=\"SiteName\" content=\"政府信息公开\"></head>\n<body><div class=\"nav\">首页 &gt; 政府信息公开 &gt; 年度报告</div>\n<div class=\"article\">\n",
            escape(&self.title().replace('\n', " "))
        );
        for line in self.title().lines() {
            out += &format!("<h2>{}</h2>\n", escape(line));
        }
        for p in self.intro() {
            out += &format!("<p>{}</p>\n", escape(&p));
        }
        for (s, grid) in grids.iter().enumerate() {
            if let Some(heading) = &self.headings.tables[s] {
                out += &format!("<p><strong>{heading}</strong></p>\n");
            }
            out += "<table border=\"1\">\n";
            for (i, row) in grid.iter().enumerate() {
                if s == 1 && i >= 3 {
                    out += &format!("<tr data-row=\"{}\">", self.apps[i - 3].code);
                } else {
                    out += "<tr>";
                }
                for c in row {
                    let mut attrs = String::new();
                    if c.colspan > 1 {
                        attrs += &format!(" colspan=\"{}\"", c.colspan);
                    }
                    if c.rowspan > 1 {
                        attrs += &format!(" rowspan=\"{}\"", c.rowspan);
                    }
                    out += &format!("<td{attrs}><p>{}</p></td>", escape(&c.text));
                }
                out += "</tr>\n";
            }
            out += "</table>\n";
        }
        for p in self.outro() {
            out += &format!("<p>{}</p>\n", escape(&p));
        }
        out += "</div>\n<div class=\"footer\">主办单位：政府办公室</div></body></html>\n";
        out
    }

    fn docx_xml(&self, grids: &[Grid; 3]) -> String {
        let para = |t: &str| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                escape(t)
            )
        };
        let mut body = String::new();
        for line in self.title().lines() {
            body += &para(line);
        }
        for p in self.intro() {
            body += &para(&p);
        }
        for (s, grid) in grids.iter().enumerate() {
            if let Some(heading) = &self.headings.tables[s] {
                body += &para(heading);
            }
            let width = grid_width(grid);
            body += "<w:tbl><w:tblGrid>";
            for _ in 0..width {
                body += "<w:gridCol w:w=\"800\"/>";
            }
            body += "</w:tblGrid>";
            for line in slots(grid) {
                body += "<w:tr>";
                for slot in line {
                    match slot {
                        Slot::Origin(c) => {
                            let merge = if c.rowspan > 1 {
                                "<w:vMerge w:val=\"restart\"/>"
                            } else {
                                ""
                            };
                            body += &format!(
                                "<w:tc><w:tcPr>{}{merge}</w:tcPr>{}</w:tc>",
                                grid_span(c.colspan),
                                para(&c.text)
                            );
                        }
                        Slot::Below {
                            first: true,
                            colspan,
                        } => {
                            body += &format!(
                                "<w:tc><w:tcPr>{}<w:vMerge/></w:tcPr><w:p/></w:tc>",
                                grid_span(colspan)
                            );
                        }
                        Slot::Below { .. } | Slot::Right => {}
                        Slot::Empty => break,
                    }
                }
                body += "</w:tr>";
            }
            body += "</w:tbl>";
        }
        for p in self.outro() {
            body += &para(&p);
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
        )
    }
}

const TEXT_LAYOUTS: [&str; 5] = ["tab", "tab_grid", "pipe", "cells", "layout"];

fn grid_span(span: usize) -> String {
    if span > 1 {
        format!("<w:gridSpan w:val=\"{span}\"/>")
    } else {
        String::new()
    }
}

/// What one grid position holds once spans are laid out.
#[derive(Debug, Clone, Copy)]
enum Slot<'a> {
    /// Nothing: the row is shorter here.
    Empty,
    /// A cell's top-left position.
    Origin(&'a Cell),
    /// Covered by the colspan of a cell to the left in the same row.
    Right,
    /// Covered by the rowspan of a cell above; `first` at the first column of its span.
    Below { first: bool, colspan: usize },
}

/// The grid laid out by spans, one slot per position, each row up to its last occupied
/// position (a row with a defect's extra cell is longer than the rest). The one place
/// that knows how spans cover the grid; the text, Word and width views read it.
fn slots(grid: &Grid) -> Vec<Vec<Slot<'_>>> {
    // Per column: rows still covered by a cell above, its colspan, and whether the column
    // is the first of that span.
    let mut below: Vec<(usize, usize, bool)> = Vec::new();
    let mut out = Vec::with_capacity(grid.len());
    for row in grid {
        let mut line = Vec::new();
        let mut col = 0;
        for c in row {
            while take_below(&mut below, col, &mut line) {
                col += 1;
            }
            line.push(Slot::Origin(c));
            line.extend(std::iter::repeat_n(Slot::Right, c.colspan - 1));
            if below.len() < col + c.colspan {
                below.resize(col + c.colspan, (0, 0, false));
            }
            for (i, b) in below[col..col + c.colspan].iter_mut().enumerate() {
                *b = (c.rowspan - 1, c.colspan, i == 0);
            }
            col += c.colspan;
        }
        while col < below.len() {
            if !take_below(&mut below, col, &mut line) {
                line.push(Slot::Empty);
            }
            col += 1;
        }
        while matches!(line.last(), Some(Slot::Empty)) {
            line.pop();
        }
        out.push(line);
    }
    out
}

/// Pushes the slot of a position covered from above, if it is one, counting the row off.
fn take_below(below: &mut [(usize, usize, bool)], col: usize, line: &mut Vec<Slot>) -> bool {
    match below.get_mut(col) {
        Some(b) if b.0 > 0 => {
            b.0 -= 1;
            line.push(Slot::Below {
                first: b.2,
                colspan: b.1,
            });
            true
        }
        _ => false,
    }
}

/// The number of columns the grid spans, cells under row spans included, and at least
/// the four of section 二.
fn grid_width(grid: &Grid) -> usize {
    slots(grid).iter().map(Vec::len).max().unwrap_or(0).max(4)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Encodes a text file: UTF-8 mostly, else with a BOM, GB18030, Big5 (traditional text
/// Big5 can hold) or UTF-16 with a BOM. Returns the bytes and the encoding's name.
fn encode(rng: &mut Rng, text: &str, traditional: bool) -> (Vec<u8>, &'static str) {
    match rng.below(20) {
        0..=10 => (text.as_bytes().to_vec(), "utf-8"),
        11..=12 => {
            let mut b = vec![0xEF, 0xBB, 0xBF];
            b.extend_from_slice(text.as_bytes());
            (b, "utf-8-bom")
        }
        13..=16 => {
            if traditional {
                let (b, _, unmappable) = encoding_rs::BIG5.encode(text);
                if !unmappable {
                    return (b.into_owned(), "big5");
                }
            }
            (encoding_rs::GB18030.encode(text).0.into_owned(), "gb18030")
        }
        17..=18 => {
            let mut b = vec![0xFF, 0xFE];
            for u in text.encode_utf16() {
                b.extend_from_slice(&u.to_le_bytes());
            }
            (b, "utf-16le")
        }
        _ => {
            let mut b = vec![0xFE, 0xFF];
            for u in text.encode_utf16() {
                b.extend_from_slice(&u.to_be_bytes());
            }
            (b, "utf-16be")
        }
    }
}

/// A table cell with its spans.
#[derive(Debug, Clone)]
struct Cell {
    text: String,
    colspan: usize,
    rowspan: usize,
}

impl Cell {
    fn text(t: &str) -> Cell {
        Cell::span(t, 1, 1)
    }
    fn span(t: &str, colspan: usize, rowspan: usize) -> Cell {
        Cell {
            text: t.to_string(),
            colspan: colspan.max(1),
            rowspan: rowspan.max(1),
        }
    }
}

type Grid = Vec<Vec<Cell>>;

/// The grid with spans expanded: text at the origin, blanks under spans.
fn expand(grid: &Grid) -> Vec<Vec<String>> {
    slots(grid)
        .iter()
        .map(|line| {
            let row: Vec<String> = line
                .iter()
                .map(|slot| match slot {
                    Slot::Origin(c) => c.text.clone(),
                    _ => String::new(),
                })
                .collect();
            trim_blank_end(row)
        })
        .collect()
}

fn trim_blank_end(mut row: Vec<String>) -> Vec<String> {
    while row.last().is_some_and(String::is_empty) {
        row.pop();
    }
    row
}

/// The grid as Word's plain-text export prints it: a cell merged across columns once, a
/// cell merged down rows as blanks in the rows below.
fn word_rows(grid: &Grid) -> Vec<Vec<String>> {
    slots(grid)
        .iter()
        .map(|line| {
            let mut row = Vec::new();
            for slot in line {
                match slot {
                    Slot::Origin(c) => row.push(c.text.clone()),
                    Slot::Below { first: true, .. } => row.push(String::new()),
                    Slot::Below { .. } | Slot::Right => {}
                    Slot::Empty => break,
                }
            }
            trim_blank_end(row)
        })
        .collect()
}

/// A text document being written, with where each section-三 data row starts.
#[derive(Default)]
struct Text {
    out: String,
    row_starts: Vec<usize>,
}

const PAGE_MARKS: [&str; 3] = ["- 3 -", "第 3 页 共 6 页", "3"];

impl Text {
    fn line(&mut self, s: &str) {
        self.out += s;
        self.out.push('\n');
    }

    /// A page break before section-三 data row `row`, as pdftotext prints it.
    fn maybe_break(&mut self, apps: bool, i: usize, page_break: Option<usize>) {
        if apps && page_break == Some(i) {
            self.out += &format!("\n{}\n\x0c", PAGE_MARKS[i % PAGE_MARKS.len()]);
        }
    }

    fn mark(&mut self, apps: bool, i: usize) {
        if apps && i >= 3 {
            self.row_starts.push(self.out.len());
        }
    }

    fn finish(&mut self, apps: bool) {
        if apps {
            self.row_starts.push(self.out.len());
        }
    }

    fn tab(&mut self, rows: &[Vec<String>], apps: bool, page_break: Option<usize>) {
        for (i, row) in rows.iter().enumerate() {
            self.maybe_break(apps, i, page_break);
            self.mark(apps, i);
            self.line(&row.join("\t"));
        }
        self.finish(apps);
    }

    fn pipe(&mut self, grid: &Grid, apps: bool, page_break: Option<usize>) {
        for (i, row) in grid.iter().enumerate() {
            self.maybe_break(apps, i, page_break);
            self.mark(apps, i);
            let cells: Vec<&str> = row.iter().map(|c| c.text.as_str()).collect();
            let covered: usize = row.iter().map(|c| c.colspan).sum();
            let pad = "|".repeat(grid_width(grid).saturating_sub(covered));
            self.line(&format!("| {} |{pad}", cells.join(" | ")));
        }
        self.finish(apps);
    }

    fn cells(&mut self, grid: &Grid, apps: bool, page_break: Option<usize>, rng: &mut Rng) {
        for (i, row) in grid.iter().enumerate() {
            self.maybe_break(apps, i, page_break);
            self.mark(apps, i);
            for c in row {
                let n = c.text.chars().count();
                // Long labels wrap inside their cell in Word exports.
                if n > 14 && !c.text.starts_with(|ch: char| ch.is_ascii_digit()) && rng.chance(0.3)
                {
                    let cut: String = c.text.chars().take(n / 2).collect();
                    let rest: String = c.text.chars().skip(n / 2).collect();
                    self.line(&format!("\t{cut}"));
                    self.line(&rest);
                } else {
                    self.line(&format!("\t{}", c.text));
                }
            }
            self.line("");
        }
        self.finish(apps);
    }

    /// Space-aligned columns as `pdftotext -layout` prints a table: labels padded to a
    /// column, long labels wrapped around their numbers.
    fn layout(&mut self, d: &Draft, grid: &Grid, section: usize, page_break: Option<usize>) {
        let pad = |s: &str, n: usize| {
            let w: usize = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
            format!("{s}{}", " ".repeat(n.saturating_sub(w).max(1)))
        };
        let nums = |cells: &[String]| {
            cells
                .iter()
                .map(|c| format!("{c:<9}"))
                .collect::<String>()
                .trim_end()
                .to_string()
        };
        match section {
            0 => {
                for row in grid {
                    let first = pad(&row[0].text, 30);
                    let rest: String = row[1..].iter().map(|c| format!("{:<15}", c.text)).collect();
                    self.line(format!("{first}{rest}").trim_end());
                    self.line("");
                }
            }
            1 => {
                self.line(&format!("{}{}", " ".repeat(57), printed::APPLICANT_GROUP));
                self.line("");
                self.line(
                    "（本列数据的勾稽关系为：第一项加第二项之和，                  法人或其他组织",
                );
                self.line("等于第三项加第四项之和）");
                self.line(&format!("{}自然人{}总计", " ".repeat(31), " ".repeat(46)));
                self.line(&format!(
                    "{}商业企      科研机     社会公益     法律服务",
                    " ".repeat(40)
                ));
                self.line(&format!("{}其他", " ".repeat(75)));
                self.line(&format!(
                    "{}业        构       组织       机构",
                    " ".repeat(40)
                ));
                self.line("");
                // Labels of merged cells are printed where pdftotext finds them: at the
                // vertical middle of the rows they span, on a line of their own.
                let mut middles: Vec<(usize, String)> = Vec::new();
                let results = 2 + (d.apps.len() - 3) / 2;
                middles.push((results, " 三 、本 年 度办 理 结果".to_string()));
                for (g, r) in d
                    .apps
                    .iter()
                    .enumerate()
                    .filter(|(_, r)| !r.group.is_empty())
                {
                    let size = 1 + d.apps[g + 1..]
                        .iter()
                        .take_while(|n| {
                            n.group.is_empty() && n.label.starts_with(|c: char| c.is_ascii_digit())
                        })
                        .count();
                    middles.push((g + size / 2, format!("      {}", r.group)));
                }
                for (i, r) in d.apps.iter().enumerate() {
                    self.maybe_break(true, i + 3, page_break);
                    self.row_starts.push(self.out.len());
                    for (_, label) in middles.iter().filter(|(at, _)| *at == i) {
                        self.line(label);
                        self.line("");
                    }
                    let numbers = nums(&r.printed);
                    let label = r.label;
                    let indent = if i < 2 || r.code == printed::FORWARD.0 {
                        ""
                    } else {
                        "             "
                    };
                    if label.chars().count() > 16 {
                        let half = label.chars().count() / 2;
                        let a: String = label.chars().take(half).collect();
                        let b: String = label.chars().skip(half).collect();
                        self.line(&format!("{indent}{a}"));
                        self.line(&format!("{}{numbers}", " ".repeat(48)));
                        self.line(&format!("{indent}{b}"));
                    } else {
                        self.line(&format!(
                            "{}{numbers}",
                            pad(&format!("{indent}{label}"), 48)
                        ));
                    }
                    self.line("");
                }
                self.row_starts.push(self.out.len());
            }
            _ => {
                self.line("行政复议                          行政诉讼");
                self.line("");
                self.line("                              未经复议直接起诉                              复议后起诉");
                self.line("");
                self.line("结果   结果    其他结    尚未");
                self.line("                        总计");
                self.line("                              结 果   结果       其他       尚未            结果   结果    其他   尚未审");
                self.line("维持   纠正    果      审结");
                self.line("                                                               总计                           总计");
                self.line("                              维持    纠正       结果       审结            维持   纠正    结果   结");
                self.line("");
                let values: Vec<String> = d
                    .review
                    .iter()
                    .map(|v| format!("{:<3}", v.map_or_else(String::new, |v| d.number(v as f64))))
                    .collect();
                self.line(values.join("   ").trim_end());
                self.line("");
            }
        }
    }
}

/// A pre-2019 report (old format, no standard tables) or a page that is not a report.
fn other_document(rng: &mut Rng, dir: &str, id: &str, agency: &Agency, pre2019: bool) -> File {
    let a = &agency.name;
    let (text, truth, layout) = if pre2019 {
        let year = rng.range(2008, 2018);
        let granted = rng.range(0, 60);
        let text = format!(
            "{a}{year}年政府信息公开工作年度报告\n\n\
             本报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括概述、主动公开政府信息情况、依申请公开政府信息情况、存在的主要问题及改进措施等部分。报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。\n\
             一、概述\n{year}年，{a}认真贯彻落实《条例》，不断完善政府信息公开工作机制。\n\
             二、主动公开政府信息情况\n{year}年，我局共主动公开政府信息{}条，其中通过门户网站公开{}条。\n\
             三、依申请公开政府信息情况\n全年共受理政府信息公开申请{}件，已全部按时办结，其中同意公开{granted}件。\n\
             四、政府信息公开的收费及减免情况\n本年度未收取任何费用。\n\
             五、因政府信息公开申请行政复议、提起行政诉讼的情况\n本年度未发生因政府信息公开申请提起行政复议和行政诉讼的情况。\n\
             六、存在的主要问题及改进措施\n下一步，我局将进一步加强政府信息公开工作。\n",
            rng.range(50, 900),
            rng.range(10, 500),
            granted + rng.range(0, 9),
        );
        let truth = json!({
            "id": id, "agency": a, "year": year, "template": null, "kind": "pre2019_report",
            "format": "text", "layout": "prose", "encoding": "utf-8", "defects": [Defect::Pre2019.name()],
            "variations": [], "expect_findings": [], "notes": "synthetic (nianbao synth)",
        });
        (text, truth, "pre2019")
    } else {
        let year = rng.range(2019, 2024);
        let text = format!(
            "{a}召开{year}年政务公开工作推进会\n发布时间：{year}-03-{:02}\n\n\
             近日，{a}召开政务公开工作推进会，总结上一年度政务公开工作，部署本年度重点任务。\
             会议要求，要进一步提高认识，压实责任，做好政府信息主动公开和依申请公开工作，按时编制并发布政府信息公开工作年度报告。\n\
             会上，各科室负责同志汇报了工作进展。\n",
            rng.range(1, 28)
        );
        let truth = json!({
            "id": id, "template": null, "kind": "not_a_report",
            "format": "text", "layout": "prose", "encoding": "utf-8", "defects": [Defect::NotAReport.name()],
            "variations": [], "expect_findings": [], "notes": "synthetic (nianbao synth)",
        });
        (text, truth, "news")
    };
    File {
        path: format!("{dir}/{id}_{layout}.txt"),
        bytes: text.into_bytes(),
        truth,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(defect_rate: f64) -> Options {
        Options {
            seed: 7,
            defect_rate,
            formats: vec![SynthFormat::Text, SynthFormat::Html, SynthFormat::Docx],
            panel: None,
        }
    }

    #[test]
    fn the_same_seed_and_index_give_the_same_bytes() {
        for i in 0..50 {
            let a = report(&options(0.3), i);
            let b = report(&options(0.3), i);
            assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(&b) {
                assert_eq!(x.path, y.path);
                assert_eq!(x.bytes, y.bytes);
                assert_eq!(x.truth, y.truth);
            }
        }
        let other = Options {
            seed: 8,
            ..options(0.3)
        };
        assert_ne!(
            report(&options(0.3), 1)[0].bytes,
            report(&other, 1)[0].bytes
        );
    }

    #[test]
    fn truth_balances_unless_the_balance_is_broken_on_purpose() {
        for i in 0..200 {
            for file in report(&options(0.2), i) {
                let t = &file.truth;
                if t["kind"] != "report" || t["defects"].as_array().is_some_and(|d| !d.is_empty()) {
                    continue;
                }
                let apps = t["applications"].as_object().unwrap();
                let v = |k: &str| apps.get(k).and_then(Value::as_i64).unwrap_or(0);
                for a in APPLICANT_CODES {
                    let intake = v(&format!("new_received.{a}")) + v(&format!("carried_over.{a}"));
                    let out =
                        v(&format!("total_processed.{a}")) + v(&format!("carried_forward.{a}"));
                    assert_eq!(intake, out, "{}: {a}", file.path);
                }
            }
        }
    }

    fn panel_options(defect_rate: f64) -> Options {
        Options {
            panel: Some(3),
            ..options(defect_rate)
        }
    }

    /// Panel corpus: (index, files) per report.
    fn panel_corpus(reports: u64, defect_rate: f64) -> Vec<(u64, Vec<File>)> {
        (0..reports)
            .map(|i| (i, report(&panel_options(defect_rate), i)))
            .collect()
    }

    fn cell(truth: &Value, key: &str) -> i64 {
        truth["applications"]
            .get(key)
            .and_then(Value::as_i64)
            .unwrap_or(0)
    }

    fn has_defect(truth: &Value, name: &str) -> bool {
        truth["defects"]
            .as_array()
            .is_some_and(|d| d.iter().any(|x| x == name))
    }

    fn expects_cross(truth: &Value, check: &str) -> bool {
        truth["expect_cross"]
            .as_array()
            .is_some_and(|d| d.iter().any(|x| x == check))
    }

    #[test]
    fn panel_years_are_consecutive_years_of_one_agency() {
        let corpus = panel_corpus(300, 0.3);
        for pair in corpus.windows(2) {
            let (i, a) = (&pair[0].0, &pair[0].1[0].truth);
            let b = &pair[1].1[0].truth;
            assert_eq!(a["panel_agency"], json!(i / 3));
            if i % 3 < 2 {
                assert_eq!(a["agency"], b["agency"], "{i}");
                assert_eq!(b["panel_agency"], a["panel_agency"]);
                assert_eq!(
                    b["year"].as_i64().unwrap(),
                    a["year"].as_i64().unwrap() + 1,
                    "{i}"
                );
            } else {
                assert_ne!(b["panel_agency"], a["panel_agency"]);
            }
        }
        for (_, files) in &corpus {
            let year = files[0].truth["year"].as_i64().unwrap();
            assert!((2019..=2024).contains(&year));
            for copy in &files[1..] {
                assert_eq!(copy.truth["agency"], files[0].truth["agency"]);
                assert_eq!(copy.truth["panel_agency"], files[0].truth["panel_agency"]);
                assert_eq!(copy.truth["duplicate_of"], files[0].truth["id"]);
            }
        }
        // An agency does not go back to the 2019 template once on the 2021 one.
        for agency in corpus.chunks(3) {
            let templates: Vec<&Value> = agency
                .iter()
                .map(|(_, f)| &f[0].truth["template"])
                .collect();
            let first_2021 = templates
                .iter()
                .position(|t| **t == json!(Template::T2021.code()));
            if let Some(at) = first_2021 {
                assert!(templates[at..]
                    .iter()
                    .all(|t| **t == json!(Template::T2021.code())));
            }
        }
    }

    #[test]
    fn carried_over_is_last_years_carried_forward_unless_broken_on_purpose() {
        let corpus = panel_corpus(600, 0.3);
        let (mut kept, mut broken) = (0, 0);
        for pair in corpus.windows(2) {
            let (i, prev) = (pair[0].0, &pair[0].1[0].truth);
            let next = &pair[1].1[0].truth;
            if i % 3 == 2 {
                continue;
            }
            let differs: Vec<&str> = APPLICANT_CODES
                .iter()
                .copied()
                .filter(|a| {
                    cell(next, &format!("carried_over.{a}"))
                        != cell(prev, &format!("carried_forward.{a}"))
                })
                .collect();
            if has_defect(next, "broken_continuity") {
                broken += 1;
                assert_eq!(differs, ["natural_person", "total"], "{i}");
                assert!(expects_cross(next, "continuity_mismatch"));
                assert!(expects_cross(prev, "continuity_mismatch"));
            } else {
                kept += 1;
                assert!(differs.is_empty(), "{i}: {differs:?}");
            }
        }
        assert!(kept > 300 && broken > 5, "{kept} kept, {broken} broken");
        // Carrying something over is common, and in columns other than natural persons.
        let carried = corpus
            .iter()
            .filter(|(_, f)| cell(&f[0].truth, "carried_over.commercial_enterprise") > 0)
            .count();
        assert!(carried > 10, "{carried}");
    }

    #[test]
    fn every_panel_report_balances_unless_the_balance_is_broken_on_purpose() {
        let outer = [
            "new_received",
            "carried_over",
            "total_processed",
            "carried_forward",
        ];
        for (i, files) in panel_corpus(1500, 0.6) {
            for file in files {
                let t = &file.truth;
                let apps = t["applications"].as_object().unwrap();
                let rows: std::collections::BTreeSet<&str> = apps
                    .keys()
                    .filter_map(|k| k.split_once('.'))
                    .map(|(r, _)| r)
                    .collect();
                for row in &rows {
                    let parts: i64 = APPLICANT_CODES[..6]
                        .iter()
                        .map(|a| cell(t, &format!("{row}.{a}")))
                        .sum();
                    assert_eq!(parts, cell(t, &format!("{row}.total")), "{i} {row}");
                }
                for a in APPLICANT_CODES {
                    let disposed: i64 = rows
                        .iter()
                        .filter(|r| !outer.contains(r))
                        .map(|r| cell(t, &format!("{r}.{a}")))
                        .sum();
                    assert_eq!(
                        disposed,
                        cell(t, &format!("total_processed.{a}")),
                        "{i} {a}"
                    );
                    let intake = cell(t, &format!("new_received.{a}"))
                        + cell(t, &format!("carried_over.{a}"));
                    let out = cell(t, &format!("total_processed.{a}"))
                        + cell(t, &format!("carried_forward.{a}"));
                    if has_defect(t, "broken_balance") && (*a == "natural_person" || *a == "total")
                    {
                        assert!(intake > out, "{i} {a}");
                    } else {
                        assert_eq!(intake, out, "{}: {a}", file.path);
                    }
                }
                // Zeros are printed either all blank or none blank, after the changes of
                // the defects too (rows of the other template are null throughout).
                let printed: Vec<&Value> = rows
                    .iter()
                    .filter(|r| {
                        APPLICANT_CODES
                            .iter()
                            .any(|a| !apps[&format!("{r}.{a}")].is_null())
                    })
                    .flat_map(|r| {
                        APPLICANT_CODES
                            .iter()
                            .map(move |a| &apps[&format!("{r}.{a}")])
                    })
                    .collect();
                let zero = printed.iter().any(|v| **v == json!(0));
                let blank = printed.iter().any(|v| v.is_null());
                assert!(!(zero && blank), "{}", file.path);
            }
        }
    }

    #[test]
    fn panel_duplicates_are_the_same_report_or_a_balanced_correction() {
        let mut seen = std::collections::BTreeSet::new();
        for (i, files) in panel_corpus(600, 0.3) {
            let first = &files[0];
            for d in first.truth["defects"].as_array().unwrap() {
                seen.insert(d.as_str().unwrap().to_string());
            }
            let Some(second) = files.get(1) else {
                continue;
            };
            assert_eq!(files.len(), 2);
            assert_ne!(first.truth_path(), second.truth_path());
            assert_eq!(second.truth["duplicate_of"], first.truth["id"]);
            for key in [
                "year",
                "agency",
                "template",
                "proactive",
                "review_litigation",
            ] {
                assert_eq!(first.truth[key], second.truth[key], "{i} {key}");
            }
            let changed: Vec<&String> = first.truth["applications"]
                .as_object()
                .unwrap()
                .iter()
                .filter(|(k, v)| second.truth["applications"][k.as_str()] != **v)
                .map(|(k, _)| k)
                .collect();
            if has_defect(&first.truth, "duplicate") {
                assert_eq!(first.bytes, second.bytes);
                assert!(changed.is_empty());
            } else if has_defect(&first.truth, "duplicate_format") {
                assert_ne!(first.truth["format"], second.truth["format"], "{i}");
                assert!(second.path.contains("_attachment."));
                assert!(changed.is_empty(), "{i}: {changed:?}");
                assert!(!expects_cross(&second.truth, "duplicate_values_differ"));
            } else {
                assert!(has_defect(&first.truth, "duplicate_differs"));
                assert_ne!(first.bytes, second.bytes);
                assert!(expects_cross(&second.truth, "duplicate_values_differ"));
                // One application moved between two disposal rows: their
                // natural-person and total cells.
                assert_eq!(changed.len(), 4, "{i}: {changed:?}");
                assert_eq!(
                    changed
                        .iter()
                        .filter(|k| k.ends_with(".natural_person"))
                        .count(),
                    2
                );
            }
        }
        for want in panel_defect_names() {
            assert!(seen.contains(want), "{want} never drawn: {seen:?}");
        }
    }

    /// Keys sorted at every level, so the digest does not depend on whether serde_json
    /// keeps insertion order (a feature another dependency may switch on).
    fn canonical(v: &Value, out: &mut String) {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                out.push('{');
                for k in keys {
                    out.push_str(&json!(k).to_string());
                    out.push(':');
                    canonical(&m[k], out);
                    out.push(',');
                }
                out.push('}');
            }
            Value::Array(a) => {
                out.push('[');
                for x in a {
                    canonical(x, out);
                    out.push(',');
                }
                out.push(']');
            }
            _ => out.push_str(&v.to_string()),
        }
    }

    /// The digest of reports `0..50` as `generate` writes them.
    fn digest(generate: impl Fn(u64) -> Vec<File>) -> String {
        let mut hasher = blake3::Hasher::new();
        for i in 0..50 {
            for file in generate(i) {
                let mut truth = String::new();
                canonical(&file.truth, &mut truth);
                for part in [file.path.as_bytes(), &file.bytes, truth.as_bytes()] {
                    hasher.update(&(part.len() as u64).to_le_bytes());
                    hasher.update(part);
                }
            }
        }
        hasher.finalize().to_hex().to_string()
    }

    #[test]
    fn without_panels_the_corpus_is_what_it_was() {
        // The reports that draw no scraper class are what they were before classes.
        assert_eq!(
            digest(|i| ordinary_report(&options(0.3), i)),
            "7bda14276a44d1a88a7d3b3e9736f0d0f7c2381aded50f4057a0b8a6510745e4"
        );
        // With them: changed on purpose whenever a class is added or changed.
        assert_eq!(
            digest(|i| report(&options(0.3), i)),
            "97eaad50502d7b57824d966f28f1e6bfde8064b59ec50eda85ade71ef6935255"
        );
    }

    #[test]
    fn expanding_spans_keeps_text_at_the_origin() {
        let grid = vec![
            vec![Cell::span("a", 2, 2), Cell::text("b")],
            vec![Cell::text("c")],
        ];
        assert_eq!(expand(&grid), vec![vec!["a", "", "b"], vec!["", "", "c"]]);
        assert_eq!(
            grid_width(&grid),
            4,
            "at least the four columns of section 二"
        );
    }

    #[test]
    fn every_format_and_defect_occurs_in_a_few_hundred_reports() {
        let mut seen = std::collections::BTreeSet::new();
        for i in 0..400 {
            for f in report(&options(0.3), i) {
                seen.insert(f.truth["format"].as_str().unwrap_or("").to_string());
                seen.insert(f.truth["layout"].as_str().unwrap_or("").to_string());
                for d in f.truth["defects"].as_array().into_iter().flatten() {
                    seen.insert(d.as_str().unwrap_or("").to_string());
                }
            }
        }
        let formats = ["text", "html", "docx"];
        let layouts = ["tab", "tab_grid", "pipe", "cells", "layout"];
        for want in formats.into_iter().chain(layouts).chain(defect_names()) {
            assert!(seen.contains(want), "{want} never drawn: {seen:?}");
        }
    }
}
