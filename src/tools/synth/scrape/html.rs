//! The `frameless_html` and `script_html` classes: a report's body as a CMS stores it (no
//! document frame, inline styles, its tables a kilobyte or more in), saved as it is or held
//! in a script's string behind JavaScript escapes.

use super::super::draft::{Agency, Draft};
use super::super::grid::Grid;
use super::super::rng::Rng;
use super::super::{File, SynthFormat};
use super::Place;
use crate::chart::esc as escape;

/// Paragraphs of 总体情况 that push the first table past the first kilobyte, as the long
/// openings of real reports do.
const FILLER: [&str; 4] = [
    "（一）主动公开方面。坚持以公开为常态、不公开为例外，推进决策、执行、管理、服务、结果公开，及时发布政策文件、规划计划、财政预决算等信息。",
    "（二）依申请公开方面。严格按照法定程序和时限办理政府信息公开申请，规范答复文书格式，加强与申请人沟通，依法保障公众知情权。",
    "（三）政府信息管理方面。落实政府信息公开属性源头认定机制，严格执行信息发布审核制度，对已公开的规范性文件进行清理。",
    "（四）平台建设方面。优化政府网站信息公开专栏设置，发挥政务新媒体作用，拓宽公开渠道，提升公开实效。",
];

/// How far into a fragment its first table comes at the least.
const FRAGMENT_TABLE_AFTER: usize = 1100;

/// The report as a CMS stores its body: paragraphs and tables with inline styles, no
/// document frame, starting with `<p …>` or `<span>`; one line per block or all on one.
fn fragment(d: &Draft, rng: &mut Rng) -> String {
    let nl = if rng.chance(0.5) { "\n" } else { "" };
    let mut out = String::new();
    let span_first = rng.chance(0.4);
    for (i, line) in d.title().lines().enumerate() {
        if i == 0 && span_first {
            out += &format!("<span>{}</span>{nl}", escape(line));
        } else {
            out += &format!(
                "<p style=\"text-align: center;\"><strong><span style=\"font-size: 22px;\">{}</span></strong></p>{nl}",
                escape(line)
            );
        }
    }
    let para = |t: &str| {
        format!(
            "<p style=\"text-indent: 2em; line-height: 2;\"><span style=\"font-family: 仿宋_GB2312;\">{}</span></p>",
            escape(t)
        )
    };
    let intro = d.intro();
    for p in &intro {
        out += &para(p);
        out += nl;
    }
    for f in FILLER.iter().cycle().take(8) {
        if out.len() >= FRAGMENT_TABLE_AFTER {
            break;
        }
        out += &para(f);
        out += nl;
    }
    for (s, grid) in d.grids().iter().enumerate() {
        if let Some(h) = &d.headings.tables[s] {
            out += &format!(
                "<p style=\"text-indent: 2em;\"><strong><span style=\"font-family: 黑体;\">{h}</span></strong></p>{nl}"
            );
        }
        out += &fragment_table(grid, nl);
    }
    for p in d.outro() {
        out += &para(&p);
        out += nl;
    }
    d.convert(&out)
}

fn fragment_table(grid: &Grid, nl: &str) -> String {
    let mut t = format!(
        "<table border=\"1\" cellspacing=\"0\" cellpadding=\"0\" width=\"100%\" style=\"border-collapse: collapse;\"><tbody>{nl}"
    );
    for row in grid {
        t += "<tr>";
        for c in row {
            let mut attrs = String::new();
            if c.colspan > 1 {
                attrs += &format!(" colspan=\"{}\"", c.colspan);
            }
            if c.rowspan > 1 {
                attrs += &format!(" rowspan=\"{}\"", c.rowspan);
            }
            t += &format!(
                "<td{attrs} style=\"border: 1px solid #000000;\"><p style=\"text-align: center;\"><span style=\"font-size: 14px;\">{}</span></p></td>",
                escape(&c.text)
            );
        }
        t += "</tr>";
        t += nl;
    }
    t += "</tbody></table>";
    t += nl;
    t
}

pub(super) fn frameless_html(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng);
    let d = Draft::draw(rng, agency, SynthFormat::Html, None);
    let page = fragment(&d, rng);
    // A fragment saved as the CMS's text field as often as as a page.
    let ext = if rng.chance(0.3) { "txt" } else { "html" };
    at.report(&d, "frameless_html", ext, page.into_bytes(), "utf-8")
}

/// How much of a string JavaScript escapes beyond what it must (`"`, `\`, line ends).
#[derive(Clone, Copy, PartialEq)]
enum JsEscape {
    Minimal,
    /// `\/` and some punctuation as `\uXXXX`.
    Some,
    /// Everything outside ASCII as `\uXXXX` (`JSON.stringify` with ASCII output).
    Ascii,
}

fn js_string(s: &str, how: JsEscape) -> String {
    const PUNCTUATION: &str = "“”（）、，。：；《》";
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '"' => out += "\\\"",
            '\\' => out += "\\\\",
            '\n' => out += "\\n",
            '\r' => out += "\\r",
            '\t' => out += "\\t",
            '/' if how != JsEscape::Minimal => out += "\\/",
            c if !c.is_ascii()
                && (how == JsEscape::Ascii
                    || (how == JsEscape::Some && PUNCTUATION.contains(c))) =>
            {
                let mut units = [0u16; 2];
                for u in c.encode_utf16(&mut units) {
                    out += &format!("\\u{u:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out
}

pub(super) fn script_html(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng);
    let d = Draft::draw(rng, agency, SynthFormat::Html, None);
    let content = fragment(&d, rng);
    let how = *rng.pick(&[JsEscape::Minimal, JsEscape::Some, JsEscape::Ascii]);
    let title = d.convert(&d.title().replace('\n', ""));
    let page_title = if rng.chance(0.5) {
        escape(&title)
    } else {
        "政务公开".to_string()
    };
    let keyword = if rng.chance(0.75) { "let" } else { "var" };
    let title_var = if rng.chance(0.5) {
        format!("  {keyword} title = \"{}\";\n", js_string(&title, how))
    } else {
        String::new()
    };
    let page = format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n<title>{page_title}</title>\n\
         <link rel=\"stylesheet\" href=\"/static/css/app.css\">\n</head>\n<body>\n<div id=\"app\"></div>\n\
         <script src=\"/static/js/vue.min.js\"></script>\n<script>\n{title_var}  {keyword} content = \"{}\";\n\
         \x20 new Vue({{ el: '#app', data: {{ content: content }} }});\n</script>\n</body>\n</html>\n",
        js_string(&content, how)
    );
    let variation = match how {
        JsEscape::Minimal => "js_escape_minimal",
        JsEscape::Some => "js_escape_some",
        JsEscape::Ascii => "js_escape_ascii",
    };
    at.report_with(
        &d,
        "script_html",
        "html",
        page.into_bytes(),
        "utf-8",
        &[variation],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_strings_escape_what_they_must() {
        let s = "<p class=\"a\">（一）x</p>\n";
        assert_eq!(
            js_string(s, JsEscape::Minimal),
            "<p class=\\\"a\\\">（一）x</p>\\n"
        );
        assert_eq!(
            js_string(s, JsEscape::Some),
            "<p class=\\\"a\\\">\\uff08一\\uff09x<\\/p>\\n"
        );
        assert!(js_string(s, JsEscape::Ascii).is_ascii());
    }
}
