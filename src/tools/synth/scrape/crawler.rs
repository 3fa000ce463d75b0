//! The `crawler_export` class: a crawler's header block, then the page's body flattened
//! onto one line with the table cells run together. The header is also what a near-miss
//! letter saved by a crawler carries.

use super::super::draft::{Agency, AgencyIn, Draft};
use super::super::rng::Rng;
use super::super::{File, SynthFormat};
use super::{plain, Place};
use crate::templates::printed;

/// A site's host name, as in `原文链接:`.
fn host(rng: &mut Rng) -> String {
    let letters: String = (0..rng.range(4, 9))
        .map(|_| (b'a' + rng.below(26) as u8) as char)
        .collect();
    format!("www.{letters}.gov.cn")
}

/// A crawler's header block for a page titled `title`, published in `year`, the
/// `==== 正文 ====` line included. Returns it with the publication time it prints.
pub(super) fn crawler_header(
    rng: &mut Rng,
    title: &str,
    year: i32,
    publisher: &str,
) -> (String, String) {
    let (m, day) = (rng.range(1, 3), rng.range(1, 28));
    let time = format!(
        "{year}-{m:02}-{day:02} {:02}:{:02}",
        rng.range(8, 18),
        rng.range(0, 59)
    );
    let n = rng.range(10_000, 99_999);
    let mut out = format!(
        "标题: {title}\n发布时间: {time}\n文号: \n发布机构: {publisher}\n栏目: 政府信息公开年报\n\
         原文链接: https://{}/zwgk/zfxxgk/zfxxgknb/{year}{m:02}/t{year}{m:02}{day:02}_{n}.htm\n",
        host(rng)
    );
    if rng.chance(0.6) {
        out += &format!(
            "本地目录: zwgk/zfxxgk/zfxxgknb/{year}{m:02}/{n}_{title}\n页面链接与图片详见 links.tsv(同目录)\n"
        );
    }
    out += "==================== 正文 ====================\n";
    (out, time)
}

/// The report's body as a crawler flattens a page: every paragraph and every table cell
/// run together on one line, headings into the text, cells without separators but for a
/// stray space now and then.
fn flatten(d: &Draft, rng: &mut Rng, title: &str, time: &str) -> String {
    let mut body = String::new();
    if rng.chance(0.4) {
        body += &format!(
            "当前位置： 首页政务公开政府信息公开政府信息公开年报 {title} 来源：{} 时间：{time} 微信 微博 QQ空间 全真版 文字版 文件下载 相关链接： --> ",
            d.agency.name
        );
    } else {
        body += title;
        body.push(' ');
    }
    for p in d.intro() {
        body += &p;
    }
    let stray = if rng.chance(0.5) { 0.06 } else { 0.0 };
    // A table split across pages repeats 三、本年度办理结果 before a later group.
    let groups: Vec<usize> = (3..d.apps.len())
        .filter(|&i| !d.apps[i].group.is_empty())
        .collect();
    let repeat = (rng.chance(0.3) && !groups.is_empty()).then(|| *rng.pick(&groups));
    for (s, grid) in d.grids().iter().enumerate() {
        if rng.chance(0.4) {
            body.push(' ');
        }
        if let Some(h) = &d.headings.tables[s] {
            body += h;
        }
        if rng.chance(0.5) {
            body.push(' ');
        }
        for (i, row) in grid.iter().enumerate() {
            if s == 1 && i >= 3 && repeat == Some(i - 3) {
                body += printed::RESULTS;
            }
            for c in row {
                if !body.ends_with(' ') && rng.chance(stray) {
                    body.push(' ');
                }
                body += &c.text;
            }
        }
    }
    let outro = d.outro();
    if rng.chance(0.5) {
        body.push(' ');
    }
    // The signature and date are often outside the article's container.
    let keep = if rng.chance(0.5) {
        outro.len()
    } else {
        outro.len() - 2
    };
    for p in &outro[..keep] {
        body += p;
    }
    if rng.chance(0.3) {
        body += " 附件下载";
    }
    body
}

pub(super) fn crawler_report(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng);
    let mut d = Draft::draw(rng, agency, SynthFormat::Text, None);
    plain(&mut d);
    if d.agency_in == AgencyIn::LineAbove {
        d.agency_in = AgencyIn::Title;
    }
    let title = d.title();
    let publisher = if rng.chance(0.5) {
        d.agency.name.clone()
    } else {
        String::new()
    };
    let (mut out, time) = crawler_header(rng, &title, d.year + 1, &publisher);
    out += &flatten(&d, rng, &title, &time);
    out.push('\n');
    at.report(&d, "crawler_export", "txt", out.into_bytes(), "utf-8")
}

#[cfg(test)]
mod tests {
    use super::super::tests::{classes, text};

    #[test]
    fn a_flattened_row_is_its_cells_run_together() {
        let mut seen = 0;
        for (_, f) in classes(1000, 0.3)
            .into_iter()
            .filter(|(c, _)| c == "crawler_export")
        {
            let apps = f.truth["applications"].as_object().unwrap();
            let row: String = crate::templates::APPLICANTS
                .iter()
                .map(|a| {
                    apps[&format!("new_received.{a}")]
                        .as_i64()
                        .unwrap()
                        .to_string()
                })
                .collect();
            let s = text(&f);
            let label = "一、本年新收政府信息公开申请数量";
            let from = s.find(label).unwrap() + label.len();
            let to = from + s[from..].find("二、上年结转").unwrap();
            assert_eq!(s[from..to].replace(' ', ""), row, "{}", f.path);
            seen += 1;
        }
        assert!(seen > 10);
    }
}
