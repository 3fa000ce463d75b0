//! Panel mode ([`Options::panel`]): consecutive reports are the consecutive years of one
//! agency, drawn so that what one year carries forward is what the next carries over
//! without either report seeing the other, and with the defects only a comparison of
//! reports can see.

use serde_json::json;

use super::draft::{Agency, Draft};
use super::render_text::TEXT_LAYOUTS;
use super::rng::Rng;
use super::{extension, pick_format, Defect, File, Options, SynthFormat, PANEL_DEFECTS};
use crate::model::Template;

/// Report `index` of a panel of `years` years per agency. Only defects that leave every
/// value readable are drawn, so that a cross-report check has certain values on both
/// sides and its expectations can be stated exactly.
pub(super) fn panel_report(options: &Options, years: u32, index: u64) -> Vec<File> {
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
pub(super) struct PanelYear {
    pub(super) year: i32,
    pub(super) template: Template,
    pub(super) carried_over: [i64; 6],
    pub(super) forward: [i64; 6],
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

#[cfg(test)]
mod tests {
    use super::super::{panel_defect_names, report};
    use super::*;
    use crate::templates::APPLICANTS as APPLICANT_CODES;
    use serde_json::Value;

    fn panel_options(defect_rate: f64) -> Options {
        Options {
            seed: 7,
            defect_rate,
            formats: vec![SynthFormat::Text, SynthFormat::Html, SynthFormat::Docx],
            panel: Some(3),
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
}
