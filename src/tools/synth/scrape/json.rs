//! The `json_export` class: a report saved as a crawler keeps it in JSON — a CMS article
//! API's answer (`{"code":200,"data":{"title":…,"content":"<p>…"}}`) or a line of a
//! scraper's JSON Lines export — sometimes with `<` written `\u003c`. The reader must find
//! the page in it and read it whole.

use serde_json::json;

use super::super::draft::{Agency, Draft};
use super::super::rng::Rng;
use super::super::{pick_format, File, SynthFormat};
use super::Place;

pub(super) fn json_export(rng: &mut Rng, at: &Place, formats: &[SynthFormat]) -> File {
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
    let body = encoding_rs::Encoding::for_label(encoding.as_bytes())
        .unwrap_or(encoding_rs::UTF_8)
        .decode(&bytes)
        .0
        .into_owned();
    let title: String = d.title().lines().map(str::trim).collect();
    let date = format!(
        "{}-{:02}-{:02} 10:{:02}:00",
        d.year + 1,
        rng.range(1, 3),
        rng.range(1, 28),
        rng.range(0, 59)
    );
    let record = json!({
        "id": rng.range(10_000, 99_999),
        "title": title,
        "publishTime": date,
        "url": format!("https://www.example.gov.cn/zwgk/ndbg/t{}.html", rng.range(100_000, 999_999)),
        "content": body,
    });
    let (mut text, variation) = if rng.chance(0.5) {
        (
            json!({"code": 200, "msg": "success", "data": record}).to_string(),
            "api_answer",
        )
    } else {
        (format!("{record}\n"), "json_lines")
    };
    let mut variations = vec![variation];
    if rng.chance(0.5) {
        text = text.replace('<', "\\u003c").replace('>', "\\u003e");
        variations.push("escaped_markup");
    }
    at.report_with(&d, layout, "json", text.into_bytes(), "utf-8", &variations)
}
