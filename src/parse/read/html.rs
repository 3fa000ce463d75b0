//! The HTML reader: a government CMS page → the reader contract's text (one line per
//! paragraph, one tab-separated line per table row).
//!
//! 1. **Charset.** A BOM decides; else the page's own declaration (`<meta charset>`, then
//!    `<meta http-equiv="Content-Type" content="…charset=…">`); else the text reader's
//!    detection. Pages often declare one charset and are written in another (GBK bytes
//!    under `charset=utf-8`): when the declared charset leaves U+FFFD replacements and
//!    detection decodes cleanly, the detected one is used and `charset_mismatch` says so.
//! 2. **Parse** with html5ever's tree builder, so broken markup is repaired the way a
//!    browser repairs it. The tokens come from our own tokenizer ([`tokenize`]) and the
//!    tree is a flat arena ([`dom`]): html5ever's tokenizer and scraper's tree were four
//!    fifths of the time of a CMS page (docs/performance.md).
//! 3. **Choose what to read.** Scripts, styles, forms and frames are never text; `<nav>`,
//!    `<header>`, `<footer>` and elements whose class/id names navigation or a footer are
//!    dropped unless they hold a table or most of the page's text. When an article
//!    container (`TRS_Editor`, `zoom`, `content`, …) holds all the tables and most of the
//!    text, only it is read, after the title heading that precedes it.
//! 4. **Lay out.** Block elements and `<br>` end lines; whitespace collapses. A table is
//!    expanded into the grid a browser shows (`rowspan`/`colspan`), one line per grid row,
//!    each cell's text at its origin and blanks where a span covers; tables inside a cell
//!    follow the row as lines of their own. One-column tables and tables with an
//!    article-sized cell are layout, read as blocks.
//!
//! The tree is walked with explicit stacks, never by recursion, so absurdly deep pages
//! cost memory, not the call stack.
//!
//! Here the steps run in order, with the nesting guard that comes before parsing and the
//! markup held in script strings; each step's own code is in `charset` (1), `select`
//! (3), `layout` (4) and `meta` (the page's metadata). `equivalence` holds this
//! reader to the one it replaced, kept verbatim in `reference` as the tests' oracle.

mod charset;
mod dom;
#[cfg(test)]
mod equivalence;
mod layout;
mod meta;
#[cfg(test)]
#[path = "../../../benches/read/pages.rs"]
mod pages;
#[cfg(test)]
mod reference;
mod select;
mod tokenize;

use crate::read::{Document, Format, PageMeta};
use charset::decode;
use layout::render;
use meta::page_meta;
use select::kinds;

/// Deepest element nesting a page may have. The HTML tree builder checks the stack of
/// open elements at every start tag, so its time grows with the square of the depth; real
/// pages nest a few dozen deep, hostile ones hundreds of thousands.
const MAX_NESTING: usize = 4096;

/// A quick upper estimate of the depth of open elements, from the tags alone: `Some` with
/// the depth reached once it passes `limit`. Void elements and those the parser closes
/// by itself (`p`, `li`, `td`, …) do not count.
fn open_depth_over(text: &str, limit: usize) -> Option<usize> {
    let b = text.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr(b'<', &b[i..]) {
        i += off + 1;
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |e| start + e);
        if end == start || closes_itself(&b[start..end]) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if memchr::memchr2(b'/', b'>', &b[end..]).is_none_or(|j| b[end + j] == b'>') {
            depth += 1;
            if depth > limit {
                return Some(depth);
            }
        }
    }
    None
}

/// Tags that do not nest for [`open_depth_over`]: void elements and those the parser
/// closes by itself.
fn closes_itself(name: &[u8]) -> bool {
    const SELF_CLOSING: [&str; 22] = [
        "p", "li", "td", "th", "tr", "dd", "dt", "option", "br", "img", "meta", "link", "input",
        "hr", "col", "area", "base", "wbr", "source", "embed", "param", "track",
    ];
    name.len() <= 6
        && SELF_CLOSING
            .iter()
            .any(|t| t.len() == name.len() && t.as_bytes().eq_ignore_ascii_case(name))
}

/// Reads an HTML page.
pub fn read(bytes: &[u8]) -> Document {
    read_places(bytes, true)
}

/// Reads an HTML page as a browser shows it, without the body a page may hold where a
/// browser shows nothing ([`held`]): what the reader this one replaced read.
#[cfg(test)]
fn read_shown(bytes: &[u8]) -> Document {
    read_places(bytes, false)
}

fn read_places(bytes: &[u8], held_places: bool) -> Document {
    let mut decoded = decode(bytes);
    let repaired = super::mojibake::repair_page(&decoded.text, &decoded.encoding, bytes);
    if let Some(repaired) = repaired {
        decoded.text = repaired.text;
        if let Some(encoding) = repaired.encoding {
            decoded.encoding = encoding.to_string();
        }
        decoded.findings.extend(repaired.findings);
    }
    if decoded.binary {
        return Document {
            text: String::new(),
            format: Format::Html,
            encoding: decoded.encoding,
            findings: decoded.findings,
            page: PageMeta::default(),
            failed: true,
        };
    }
    if let Some(depth) = open_depth_over(&decoded.text, MAX_NESTING) {
        let mut doc = Document::failed(
            Format::Html,
            "limit_exceeded",
            format!(
                "the page nests elements at least {depth} deep (limit {MAX_NESTING}); not parsed"
            ),
        );
        doc.encoding = decoded.encoding;
        return doc;
    }
    let dom = tokenize::parse_document(&decoded.text);
    let page_kinds = kinds(&dom);
    let mut text = render(&dom, &page_kinds);
    // A saved page whose body is filled in by a script carries the report as markup in a
    // JavaScript string (`let content = "<p …>…</p>"`), and a page saved whole
    // (SingleFile) or a CMS preview holds it in an `<iframe srcdoc>`: read that when it
    // holds more of the text than the page around it.
    for markup in [script_markup(&decoded.text), frame_markup(&dom)]
        .into_iter()
        .flatten()
    {
        let inner = render_markup(&markup);
        if han_count(&inner) > han_count(&text) {
            text = inner;
        }
    }
    // A page may also keep its body where a browser shows nothing until a script moves
    // it (a textarea's value, a `<noscript>`, a template, a comment, a `data-*`
    // attribute): read the one place that holds more of the text than the page shows.
    let mut shown = han_count(&text);
    let places = if held_places { held(&dom) } else { Vec::new() };
    for place in places {
        // The source counts at least the Han characters its rendering will: most places
        // are skipped without parsing.
        let (Held::Markup(s) | Held::Text(s)) = &place;
        if han_count(s) <= shown {
            continue;
        }
        let inner = match place {
            Held::Markup(markup) => render_markup(&markup),
            Held::Text(t) => plain_lines(&t),
        };
        let n = han_count(&inner);
        if n > shown {
            text = inner;
            shown = n;
        }
    }
    // A template's contents join the page where the script instantiates them; read with
    // them when they hold more of the text than the page around them.
    if let Some(with_templates) = held_places
        .then(|| template_text(&dom, &page_kinds))
        .flatten()
    {
        if han_count(&with_templates) > 2 * han_count(&text) {
            text = with_templates;
        }
    }
    Document {
        text,
        format: Format::Html,
        encoding: decoded.encoding,
        findings: decoded.findings,
        page: page_meta(&dom, &page_kinds),
        failed: false,
    }
}

fn han_count(s: &str) -> usize {
    s.chars().filter(|c| crate::normalise::is_han(*c)).count()
}

/// The text of a document held inside the page as markup (a script's string, an
/// `<iframe srcdoc>`, a textarea's or a comment's content).
fn render_markup(markup: &str) -> String {
    let dom = tokenize::parse_document(markup);
    render(&dom, &kinds(&dom))
}

/// A place of a page that a browser does not show as its text.
enum Held {
    /// Markup (a `<noscript>` or a `text/template` script's content, a comment, a
    /// textarea or `data-*` attribute holding tags).
    Markup(String),
    /// Plain text (a textarea holding a text export: its lines and tabs are the layout).
    Text(String),
}

/// The places of the page where a body may wait for a script: a textarea's value (an
/// editor's source, a crawler's text pasted in a form), `<noscript>` (raw text when
/// scripting is on, as the tree builder parses it), a script of a template type
/// (`text/template`, `text/html`, `text/x-template`), a comment, a `data-*` attribute.
/// Only those that hold markup or, for a textarea, text of several lines.
fn held(dom: &dom::Dom) -> Vec<Held> {
    let text_of = |id: dom::Id| -> String {
        dom.children(id)
            .filter_map(|c| match &dom.nodes[c].data {
                dom::Data::Text(t) => Some(&**t),
                _ => None,
            })
            .collect()
    };
    let tagged = |s: &str| s.contains("</") || s.contains("<br") || s.contains("<BR");
    let mut out = Vec::new();
    for (id, node) in dom.nodes.iter().enumerate() {
        match &node.data {
            dom::Data::Comment(t) if tagged(t) => out.push(Held::Markup(t.to_string())),
            dom::Data::Element(el) => {
                let holds_markup = match el.name() {
                    "noscript" => true,
                    "script" => el.attr(&html5ever::local_name!("type")).is_some_and(|t| {
                        let t = t.to_ascii_lowercase();
                        t.contains("template") || t.contains("html")
                    }),
                    "textarea" => {
                        let value = text_of(id);
                        if tagged(&value) {
                            out.push(Held::Markup(value));
                        } else if value.trim().lines().nth(1).is_some() {
                            out.push(Held::Text(value));
                        }
                        false
                    }
                    _ => false,
                };
                if holds_markup {
                    let value = text_of(id);
                    if tagged(&value) {
                        out.push(Held::Markup(value));
                    }
                }
                out.extend(
                    el.data_attrs()
                        .filter(|v| tagged(v))
                        .map(|v| Held::Markup(v.to_string())),
                );
            }
            _ => {}
        }
    }
    out
}

/// Plain text as the reader's lines: line ends and tabs kept as the text reader keeps
/// them (a text layout's indents and blank lines are its layout too).
fn plain_lines(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The page's text with its `<template>` elements' contents read as part of it; `None`
/// when it has no template.
fn template_text(dom: &dom::Dom, page_kinds: &[u16]) -> Option<String> {
    let templates: Vec<dom::Id> = dom
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| matches!(&n.data, dom::Data::Element(el) if el.name() == "template"))
        .map(|(id, _)| id)
        .collect();
    if templates.is_empty() {
        return None;
    }
    let mut kinds = page_kinds.to_vec();
    for t in templates {
        kinds[t] &= !select::kind::NEVER_TEXT;
    }
    Some(render(dom, &kinds))
}

/// The documents of the page's `<iframe srcdoc="…">` elements (the attribute's value is
/// markup, its references already decoded), joined; `None` when there are none.
fn frame_markup(dom: &dom::Dom) -> Option<String> {
    let mut out = String::new();
    for node in &dom.nodes {
        let dom::Data::Element(el) = &node.data else {
            continue;
        };
        if el.name() == "iframe" {
            if let Some(doc) = el.attr(&html5ever::local_name!("srcdoc")) {
                out.push_str(doc);
                out.push('\n');
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

/// The markup held in JavaScript string literals (`= "<p…"`, `content: '<table…'`),
/// unescaped and joined; `None` when there is too little to be a page's body.
fn script_markup(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    // Only a quote followed by `<` (spaces between) can open markup: found from the `<`s,
    // which are far fewer than the quotes of a page's attributes.
    // A `<` may also be escaped (`\u003C`, `\x3C`), as serialisers that embed markup
    // in a script write it (Nuxt's `window.__NUXT__`, serialize-javascript).
    let mut at = 0;
    while let Some(off) = memchr::memchr2(b'<', b'\\', &b[at.max(i)..]) {
        let lt = at.max(i) + off;
        at = lt + 1;
        if b[lt] == b'\\' && !escaped_lt(&b[lt..]) {
            continue;
        }
        let Some(q_at) = b[i..lt].iter().rposition(|c| !c.is_ascii_whitespace()) else {
            continue;
        };
        i += q_at;
        let q = b[i];
        if !matches!(q, b'"' | b'\'' | b'`') {
            i = lt;
            continue;
        }
        let opens_js_value = b[..i]
            .iter()
            .rev()
            .find(|c| !c.is_ascii_whitespace())
            .is_some_and(|c| matches!(c, b'=' | b':' | b'(' | b'+' | b',' | b'['));
        let starts_markup = b[i + 1..]
            .iter()
            .position(|c| !c.is_ascii_whitespace())
            .is_some_and(|p| b[i + 1 + p] == b'<' || escaped_lt(&b[i + 1 + p..]));
        if !(opens_js_value && starts_markup) {
            i += 1;
            continue;
        }
        let (literal, end) = js_string(&text[i + 1..], q as char);
        // A whole element, or a start tag alone (`document.write('<table border=1>')`,
        // one line of the page at a time): not a `<` compared in code.
        let tag = literal.trim_start().as_bytes().get(1);
        if literal.contains("</") || tag.is_some_and(|c| c.is_ascii_alphabetic()) {
            out.push_str(&literal);
            out.push('\n');
        }
        i += 1 + end;
    }
    (out.chars().count() >= 100).then_some(out)
}

/// True when `b` opens with a JavaScript escape of `<` (`\u003C`, `\x3C`, either case).
fn escaped_lt(b: &[u8]) -> bool {
    let is = |esc: &[u8]| {
        b.get(..esc.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(esc))
    };
    is(b"\\u003c") || is(b"\\x3c")
}

/// The value of a JavaScript string literal whose opening quote was just passed, and the
/// byte length consumed (through the closing quote).
fn js_string(s: &str, quote: char) -> (String, usize) {
    let mut out = String::new();
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        if c == quote {
            return (out, i + c.len_utf8());
        }
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some((_, e)) = chars.next() else { break };
        match e {
            'n' => out.push('\n'),
            'r' => {}
            't' => out.push('\t'),
            'u' => {
                let hex: String = chars.clone().take(4).map(|(_, h)| h).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 4 => {
                        out.push(ch);
                        for _ in 0..4 {
                            chars.next();
                        }
                    }
                    _ => out.push('u'),
                }
            }
            'x' => {
                let hex: String = chars.clone().take(2).map(|(_, h)| h).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == 2 => {
                        out.push(ch);
                        chars.next();
                        chars.next();
                    }
                    _ => out.push('x'),
                }
            }
            '\n' => {}
            other => out.push(other),
        }
    }
    (out, s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text's lines, with grid positions covered by a merged cell shown as `^`.
    pub(super) fn lines(html: &str) -> Vec<String> {
        read(html.as_bytes())
            .text
            .lines()
            .map(|l| l.replace(crate::read::COVERED, "^"))
            .collect()
    }

    #[test]
    fn pages_nested_too_deep_are_refused_before_parsing() {
        let deep = format!("<html><body>{}x", "<div>".repeat(MAX_NESTING + 1));
        let doc = read(deep.as_bytes());
        assert!(doc.failed);
        assert_eq!(doc.findings[0].check, "limit_exceeded");
        // Unclosed cells, paragraphs and void elements do not nest.
        let flat = format!(
            "<html><body><table>{}</table>",
            "<tr><td>1<td>2<p>x<br>".repeat(10_000)
        );
        assert!(!read(flat.as_bytes()).failed);
        let ok = format!(
            "<html><body>{}<table><tr><td>规章</td></tr></table>",
            "<div>".repeat(1000)
        );
        assert!(read(ok.as_bytes()).text.contains("规章"));
    }

    #[test]
    fn markup_in_a_script_string_is_read() {
        let page = r#"<html><head><title>t</title></head><body><div id="app"></div><script>let content = "<p class=\"title\">某县2023年政府信息公开工作年度报告</p><table><tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr></table><p>一、总体情况\u3002本年度我县认真贯彻落实条例。</p>";</script></body></html>"#;
        let doc = read(page.as_bytes());
        assert!(
            doc.text.contains("某县2023年政府信息公开工作年度报告"),
            "{}",
            doc.text
        );
        assert!(doc.text.contains("规章\t1\t2\t3"), "{}", doc.text);
        assert!(doc.text.contains("一、总体情况。"), "{}", doc.text);
    }

    #[test]
    fn pdf2htmlex_gaps_part_cells() {
        let page = r#"<html><body><div class="pf"><div class="t m0 x0 h1 y27">一、本年新收政府信息公开申请数量<span class="_ _0"></span>20<span class="_ _3"></span>3<span class="_ _3"></span>0</div><div class="t">规<span class="a">章</span> 制度</div></div></body></html>"#;
        assert_eq!(
            lines(page),
            ["一、本年新收政府信息公开申请数量  20  3  0", "规章 制度"]
        );
    }

    #[test]
    fn report_in_an_iframe_srcdoc_or_an_escaped_script_string_is_read() {
        let body = "<p>某县2023年政府信息公开工作年度报告</p><table><tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr></table><p>一、总体情况。本年度我县认真贯彻落实条例，及时主动公开政策文件和政策解读。</p>";
        let frame = format!(
            "<html><head><title>t</title></head><body><iframe srcdoc=\"{}\"></iframe></body></html>",
            body.replace('"', "&quot;")
        );
        assert!(read(frame.as_bytes()).text.contains("规章\t1\t2\t3"));
        let escaped = body.replace('<', "\\u003C").replace('>', "\\u003E");
        let nuxt = format!(
            "<html><body><div id=\"__nuxt\"></div><script>window.__NUXT__={{data:[{{content:\"{escaped}\"}}]}}</script></body></html>"
        );
        assert!(
            read(nuxt.as_bytes()).text.contains("规章\t1\t2\t3"),
            "{}",
            read(nuxt.as_bytes()).text
        );
        let tfoot = "<table><tfoot><tr><td>四、结转</td><td>1</td></tr></tfoot><tbody><tr><td>一、新收</td><td>2</td></tr></tbody></table>";
        assert_eq!(lines(tfoot), ["一、新收\t2", "四、结转\t1"]);
    }

    #[test]
    fn a_body_held_where_a_browser_shows_nothing_is_read() {
        let body = "<p>某县2023年政府信息公开工作年度报告</p><table><tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr></table><p>一、总体情况。本年度我县认真贯彻落实条例，及时主动公开政策文件和政策解读。</p>";
        let escaped = body
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('"', "&quot;");
        let page = |inner: &str| {
            format!("<html><head><title>政府信息公开</title></head><body><div class=\"nav\">首页</div><div id=\"app\"></div>{inner}</body></html>")
        };
        for inner in [
            format!("<textarea style=\"display:none\">{escaped}</textarea>"),
            format!("<noscript>{body}</noscript>"),
            format!("<template id=\"t\">{body}</template>"),
            format!("<!-- {body} -->"),
            format!("<script type=\"text/template\">{body}</script>"),
            format!("<script type=\"text/html\">{body}</script>"),
            format!("<div data-content=\"{escaped}\"></div>"),
        ] {
            let text = read(page(&inner).as_bytes()).text;
            assert!(text.contains("规章\t1\t2\t3"), "{inner}: {text}");
        }
        // A text export in a textarea keeps its lines and tabs.
        let export = "某县2023年政府信息公开工作年度报告\n二、主动公开政府信息情况\n规章\t1\t\t3\n";
        let text = read(page(&format!("<textarea>{export}</textarea>")).as_bytes()).text;
        assert!(text.contains("\n规章\t1\t\t3\n"), "{text}");
        // What a page shows is kept when the hidden place holds less (a fallback notice,
        // a commented-out menu).
        let shown = page(&format!(
            "{body}<noscript>请启用JavaScript</noscript><!-- <ul><li>首页</li></ul> --><textarea>留言</textarea>"
        ));
        let text = read(shown.as_bytes()).text;
        assert!(
            text.contains("规章\t1\t2\t3") && !text.contains("请启用"),
            "{text}"
        );
        // Script code is no template.
        let code = page(&format!(
            "<script>var s = \"{}\";</script>",
            "中".repeat(300)
        ));
        assert!(!read(code.as_bytes()).text.contains('中'));
    }

    #[test]
    fn raw_text_elements_keep_their_lines_and_tabs() {
        let page = "<html><body><xmp>二、主动公开政府信息情况\n规章\t1\t\t3\n<b>不是标签</b></xmp><plaintext>行政许可\t5\n</p>";
        assert_eq!(
            lines(page),
            [
                "二、主动公开政府信息情况",
                "规章\t1\t\t3",
                "<b>不是标签</b>",
                "行政许可\t5",
                "</p>"
            ]
        );
    }

    #[test]
    fn a_table_drawn_as_svg_is_read_by_position() {
        let t = |x: u32, y: u32, s: &str| format!("<text x=\"{x}\" y=\"{y}\">{s}</text>");
        let svg = format!(
            "<html><body><p>二、主动公开政府信息情况</p><svg>{}{}{}{}{}{}<line x1=\"0\"/></svg></body></html>",
            t(4, 24, "信息内容"),
            t(124, 24, "本年制发件数"),
            t(244, 24, "现行有效件数"),
            t(4, 48, "规章"),
            // Out of order in the source, and a blank middle cell drawing nothing.
            t(244, 48, "3"),
            t(4, 72, "<tspan>规范性</tspan><tspan>文件</tspan>"),
        );
        assert_eq!(
            lines(&svg),
            [
                "二、主动公开政府信息情况",
                "信息内容\t本年制发件数\t现行有效件数",
                "规章\t\t3",
                "规范性文件"
            ]
        );
        // The rest of a table drawn alone (no label of the template in it) is read on a
        // page whose other drawing is the report's table.
        let rest = format!(
            "<svg>{}{}{}{}</svg>",
            t(4, 10, "（二）其他处理"),
            t(124, 10, "0"),
            t(4, 30, "（三）总计"),
            t(124, 30, "7")
        );
        let text = read(svg.replace("</body>", &format!("{rest}</body>")).as_bytes()).text;
        assert!(
            text.ends_with("\n（二）其他处理\t0\n（三）总计\t7\n"),
            "{text}"
        );
        assert_eq!(
            lines(&format!("<html><body>{rest}</body></html>")),
            Vec::<String>::new()
        );
        // A chart's labels are no table.
        let chart = format!(
            "<html><body><p>图</p><svg>{}{}</svg></body></html>",
            t(0, 10, "2022年"),
            t(50, 10, "2023年")
        );
        assert_eq!(lines(&chart), ["图"]);
    }

    #[test]
    fn a_fragment_without_frame_is_read() {
        let doc = crate::read::read(
            "<p>某县2023年政府信息公开工作年度报告</p><table><tr><td>规章</td><td>1</td></tr></table><p>正文</p>".as_bytes(),
            "x.txt",
        );
        assert_eq!(doc.format, crate::read::Format::Html);
        assert!(doc.text.contains("规章\t1"), "{}", doc.text);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let deep = "<div>".repeat(4_000) + "深" + &"</div>".repeat(4_000);
        assert_eq!(lines(&deep), ["深"]);
        let deeper = "<div>".repeat(50_000) + "深" + &"</div>".repeat(50_000);
        assert!(read(deeper.as_bytes()).failed, "refused past MAX_NESTING");
        let tables = "<table><tr><td>".repeat(2_000) + "x";
        assert!(lines(&tables).iter().any(|l| l == "x"));
        let spans = "<table><tr><td rowspan=99999999999 colspan=99999999999>a</td><td colspan=-3>b</td></tr>\
                     <tr><td rowspan=0>c</td></tr></table>";
        let got = lines(spans);
        assert_eq!(got[0].split('\t').next(), Some("a"));
        assert!(got[0].ends_with("\tb"));
        let attr = format!("<p class=\"{}\">ok</p>", "nav".repeat(100_000));
        let _ = lines(&attr);
        for junk in [
            &b"<meta charset="[..],
            b"<meta content=\"charset=\">",
            b"<meta =\"\" '>",
            b"<",
            b"\xff\xfe<\x00",
            b"<table><td rowspan=2><tr><th>",
        ] {
            let _ = read(junk);
        }
    }
}
