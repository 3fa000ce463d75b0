//! The `wrong_charset` class: a report saved after a scraper decoded it with the wrong
//! character set. Mostly the bytes read as ISO-8859-1 (`requests` on a page served without
//! a charset) and saved as UTF-8, which loses nothing: the reader must repair it and read
//! every cell (`mojibake_repaired`). Otherwise damage nothing can undo — GBK bytes read as
//! UTF-8 with replacement, UTF-8 read as GBK: the document must stay a report, flagged
//! (`text_unreadable`), its cells null, its agency, year and template not checked.

use serde_json::json;

use super::super::draft::{Agency, Draft};
use super::super::rng::Rng;
use super::super::{extension, pick_format, File, SynthFormat};
use super::Place;

pub(super) fn wrong_charset(rng: &mut Rng, at: &Place, formats: &[SynthFormat]) -> File {
    let readable: Vec<SynthFormat> = formats
        .iter()
        .copied()
        .filter(|f| *f != SynthFormat::Docx)
        .collect();
    let format = if readable.is_empty() {
        SynthFormat::Text
    } else {
        pick_format(rng, &readable)
    };
    let agency = Agency::draw(rng);
    let d = Draft::draw(rng, agency, format, None);
    let (layout, bytes, encoding, _) = d.render(rng, &[], None);
    // The text as the page's own encoding gives it (UTF-16 and all).
    let text = encoding_rs::Encoding::for_label(encoding.as_bytes())
        .unwrap_or(encoding_rs::UTF_8)
        .decode(&bytes)
        .0
        .into_owned();
    // An HTML page keeps the bytes its charset declaration names; a text file is UTF-8 or
    // GBK on the server.
    let served = if format == SynthFormat::Html || !encoding.starts_with("utf-16") {
        bytes
    } else if rng.chance(0.5) {
        text.clone().into_bytes()
    } else {
        encoding_rs::GB18030.encode(&text).0.into_owned()
    };
    let (variation, saved, expect) = match rng.below(10) {
        0..=6 => (
            "latin1",
            served.iter().map(|&b| b as char).collect::<String>(),
            "mojibake_repaired",
        ),
        7 | 8 => (
            "replacement",
            String::from_utf8_lossy(&encoding_rs::GB18030.encode(&text).0).into_owned(),
            "text_unreadable",
        ),
        _ => (
            "utf8_as_gbk",
            encoding_rs::GBK.decode(text.as_bytes()).0.into_owned(),
            "text_unreadable",
        ),
    };
    let mut file = at.report_with(
        &d,
        layout,
        extension(format),
        saved.into_bytes(),
        "utf-8",
        &[variation],
    );
    file.truth["expect_findings"] = json!([expect]);
    if expect == "text_unreadable" {
        // Nothing of the text can be read: its cells are null with the loss flagged, and
        // its name, year and template are not there to be checked.
        let truth = file.truth.as_object_mut().expect("truth object");
        for key in ["agency", "year", "template"] {
            truth.remove(key);
        }
    }
    file
}
