//! Step 3 of the HTML reader, what to read: each element's kind decided once (never text,
//! furniture, block, table, article or title mark), the text and tables under each node
//! counted, and the article container chosen when it holds the report.

use super::dom::{Data, Dom, Edge, Element, Id};
use super::layout::inline_text;
use super::meta::descendants;
use html5ever::local_name;

/// Class/id fragments that mark navigation and footers (lower case).
const FURNITURE_MARKS: [&str; 5] = ["nav", "footer", "breadcrumb", "crumb", "menu"];

/// Class/id fragments that mark the article container of CMS templates (lower case).
const ARTICLE_MARKS: [&str; 8] = [
    "content",
    "article",
    "zoom",
    "trs_editor",
    "custom_unionstyle",
    "xxgk",
    "detail",
    "zwgk",
];

/// What an element is, decided once from its name and class/id (bits of [`Stats::kind`]).
pub(super) mod kind {
    pub const ELEMENT: u16 = 1;
    pub const NEVER_TEXT: u16 = 1 << 1;
    pub const FURNITURE: u16 = 1 << 2;
    pub const BLOCK: u16 = 1 << 3;
    pub const TABLE: u16 = 1 << 4;
    pub const BR: u16 = 1 << 5;
    pub const PRE: u16 = 1 << 6;
    pub const ARTICLE_MARK: u16 = 1 << 7;
    pub const TITLE_MARK: u16 = 1 << 8;
    pub const HEADING: u16 = 1 << 9;
    /// A `<sup>` element.
    pub const SUP: u16 = 1 << 10;
    /// Text inside a `<sup>` (set on text nodes, by [`super::kinds`]).
    pub const RAISED: u16 = 1 << 11;
    /// An element whose content is raw text shown as it is typed (`<xmp>`,
    /// `<plaintext>`, `<listing>`): a crawler's text export dropped into a page keeps its
    /// lines and its tab-separated rows there.
    pub const RAW: u16 = 1 << 12;
}

/// Every node's [`kind`] bits.
///
/// Hidden elements (`style="display:none"`, Word's `mso-hide:all`, `hidden`) are not
/// what a reader sees: hidden inline text inside a cell (`<span style="display:none">9
/// </span>146`, planted against scrapers or left by Word) is never read, and hidden
/// blocks (a stale copy of the article, a hidden cell) are not read when the page shows
/// a table elsewhere. A page whose only tables are hidden (revealed by a script) is read
/// whole, hidden parts included, rather than lost.
pub(super) fn kinds(dom: &Dom) -> Vec<u16> {
    let mut kinds: Vec<u16> = dom
        .nodes
        .iter()
        .map(|n| match &n.data {
            Data::Element(el) => element_kind(el),
            _ => 0,
        })
        .collect();
    if kinds.iter().any(|k| k & kind::SUP != 0) {
        raise(dom, &mut kinds);
    }
    let hidden: Vec<bool> = dom
        .nodes
        .iter()
        .map(|n| matches!(&n.data, Data::Element(el) if is_hidden(el)))
        .collect();
    if !hidden.contains(&true) {
        return kinds;
    }
    // A visible table of the report's own (a navigation or layout table does not count):
    // one whose visible text holds a label of the template's tables.
    let mut visible_table = false;
    let mut skip: Option<Id> = None;
    let mut tables: Vec<Id> = Vec::new();
    let mut text = String::new();
    for edge in dom.traverse(super::dom::ROOT) {
        match edge {
            Edge::Open(n) if skip.is_none() => match &dom.nodes[n].data {
                Data::Element(_) if hidden[n] => skip = Some(n),
                Data::Element(_) if kinds[n] & kind::TABLE != 0 => tables.push(n),
                Data::Text(t) if !tables.is_empty() => text.push_str(t),
                _ => {}
            },
            Edge::Close(n) if skip == Some(n) => skip = None,
            Edge::Close(n) if skip.is_none() && tables.last() == Some(&n) => {
                tables.pop();
                if tables.is_empty() {
                    visible_table |= TEMPLATE_WORDS.iter().any(|w| text.contains(w));
                    text.clear();
                }
            }
            _ => {}
        }
    }
    for (n, k) in kinds.iter_mut().enumerate() {
        if hidden[n] && (visible_table || *k & (kind::BLOCK | kind::TABLE) == 0) {
            *k |= kind::NEVER_TEXT;
        }
    }
    kinds
}

/// Marks the text nodes inside `<sup>` elements [`kind::RAISED`].
fn raise(dom: &Dom, kinds: &mut [u16]) {
    let mut open = 0usize;
    for edge in dom.traverse(super::dom::ROOT) {
        match edge {
            Edge::Open(n) if kinds[n] & kind::SUP != 0 => open += 1,
            Edge::Close(n) if kinds[n] & kind::SUP != 0 => open = open.saturating_sub(1),
            Edge::Open(n) if open > 0 && matches!(dom.nodes[n].data, Data::Text(_)) => {
                kinds[n] |= kind::RAISED
            }
            _ => {}
        }
    }
}

/// Labels only the template's tables print (a table holding one is the report's).
const TEMPLATE_WORDS: [&str; 6] = [
    "行政许可",
    "规章",
    "本年新收",
    "申请人情况",
    "结果维持",
    "信息内容",
];

/// True when an element's own attributes hide it.
fn is_hidden(el: &Element) -> bool {
    if el.attr(&local_name!("hidden")).is_some() {
        return true;
    }
    el.attr(&local_name!("style")).is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        ["display:none", "visibility:hidden", "mso-hide:all"]
            .iter()
            .any(|h| style.contains(h))
    })
}

/// Never text: scripts, styles, forms' controls, frames, embedded objects. Page furniture:
/// `nav`, `header`, `footer`, dropped unless it holds a table or most of the text. Blocks
/// start and end a line.
fn element_kind(el: &Element) -> u16 {
    let mut k = kind::ELEMENT;
    k |= match el.name() {
        "script" | "style" | "noscript" | "iframe" | "frame" | "frameset" | "template" | "head"
        | "title" | "select" | "option" | "button" | "textarea" | "input" | "svg" | "object"
        | "embed" | "canvas" | "map" => kind::NEVER_TEXT,
        "table" => kind::TABLE | kind::BLOCK,
        "br" => kind::BR,
        "sup" => kind::SUP,
        "pre" => kind::PRE | kind::BLOCK,
        "xmp" | "plaintext" | "listing" => kind::RAW | kind::PRE | kind::BLOCK,
        "h1" | "h2" | "h3" => kind::HEADING | kind::BLOCK,
        "nav" | "header" | "footer" => kind::FURNITURE,
        "p" | "div" | "h4" | "h5" | "h6" | "li" | "ul" | "ol" | "dl" | "dt" | "dd" | "section"
        | "article" | "aside" | "main" | "blockquote" | "address" | "figure" | "figcaption"
        | "center" | "form" | "fieldset" | "hr" | "caption" | "tr" | "td" | "th" | "body" => {
            kind::BLOCK
        }
        _ => 0,
    };
    for value in [el.attr(&local_name!("class")), el.attr(&local_name!("id"))]
        .into_iter()
        .flatten()
    {
        k |= marks(value);
    }
    k
}

/// The [`kind`] bits of the fragments a class or id contains, ASCII case ignored
/// ([`FURNITURE_MARKS`], [`ARTICLE_MARKS`], `title`), in one pass over its bytes.
fn marks(value: &str) -> u16 {
    let b = value.as_bytes();
    let mut k = 0;
    for i in 0..b.len() {
        let rest = &b[i..];
        let at =
            |m: &str| rest.len() >= m.len() && rest[..m.len()].eq_ignore_ascii_case(m.as_bytes());
        let hit = |marks: &[&str]| marks.iter().any(|m| at(m));
        let first = b[i].to_ascii_lowercase();
        if FURNITURE_MARKS.iter().any(|m| m.as_bytes()[0] == first) && hit(&FURNITURE_MARKS) {
            k |= kind::FURNITURE;
        }
        if ARTICLE_MARKS.iter().any(|m| m.as_bytes()[0] == first) && hit(&ARTICLE_MARKS) {
            k |= kind::ARTICLE_MARK;
        }
        if first == b't' && at("title") {
            k |= kind::TITLE_MARK;
        }
    }
    k
}

/// Text size and table count of every element (never-text elements excluded), computed
/// once bottom-up so the drop and container decisions do not rescan subtrees; and what
/// each element is.
pub(super) struct Stats<'a> {
    pub(super) dom: &'a Dom,
    /// Per node: `(non-space characters, tables including the element itself)`, for the
    /// elements of the body outside never-text ones.
    pub(super) of: Vec<Option<(usize, usize)>>,
    /// Per node: [`kind`] bits, 0 for non-elements ([`kinds`]).
    pub(super) kind: &'a [u16],
    /// Non-space characters of the whole body.
    pub(super) body_chars: usize,
}

impl<'a> Stats<'a> {
    /// No counts (every element counts as empty): for the page's `<title>`.
    pub(super) fn empty(dom: &'a Dom, kind: &'a [u16]) -> Stats<'a> {
        Stats {
            dom,
            of: vec![None; dom.nodes.len()],
            kind,
            body_chars: 0,
        }
    }

    pub(super) fn new(dom: &'a Dom, kind: &'a [u16], body: Id) -> Stats<'a> {
        let mut stats = Stats::empty(dom, kind);
        let mut open: Vec<(usize, usize)> = vec![(0, 0)];
        let mut skip: Option<Id> = None;
        for edge in dom.traverse(body) {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match &dom.nodes[node].data {
                        Data::Text(t) => {
                            if let Some(top) = open.last_mut() {
                                top.0 += t.chars().filter(|c| !c.is_whitespace()).count();
                            }
                        }
                        Data::Element(_) if stats.is(node, kind::NEVER_TEXT) => skip = Some(node),
                        Data::Element(_) => open.push((0, 0)),
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skip == Some(node) {
                        skip = None;
                        continue;
                    }
                    if skip.is_some() || !stats.is(node, kind::ELEMENT) {
                        continue;
                    }
                    let (chars, mut tables) = open.pop().unwrap_or((0, 0));
                    if stats.is(node, kind::TABLE) {
                        tables += 1;
                    }
                    stats.of[node] = Some((chars, tables));
                    if let Some(top) = open.last_mut() {
                        top.0 += chars;
                        top.1 += tables;
                    }
                }
            }
        }
        stats.body_chars = stats.of[body].map_or(0, |s| s.0);
        stats
    }

    pub(super) fn is(&self, node: Id, bits: u16) -> bool {
        self.kind[node] & bits != 0
    }

    pub(super) fn chars(&self, node: Id) -> usize {
        self.of[node].map_or(0, |s| s.0)
    }

    pub(super) fn tables(&self, node: Id) -> usize {
        self.of[node].map_or(0, |s| s.1)
    }

    /// True when an element is not read: never text, or page furniture without a table
    /// and without most of the page's text.
    pub(super) fn dropped(&self, node: Id) -> bool {
        if self.is(node, kind::NEVER_TEXT) {
            return true;
        }
        self.is(node, kind::FURNITURE)
            && self.tables(node) == 0
            && self.chars(node) * 2 <= self.body_chars
    }
}

pub(super) fn element_named(dom: &Dom, node: Id, tag: &str) -> bool {
    dom.element(node).is_some_and(|el| el.name() == tag)
}

/// The article container, if the page has one that holds every table and most of the
/// text (the one with most text; on a tie, the innermost).
pub(super) fn article(body: Id, stats: &Stats) -> Option<Id> {
    let all_tables = stats.tables(body);
    let mut best: Option<(usize, Id)> = None;
    for node in descendants(stats.dom, body).skip(1) {
        if stats.of[node].is_none() || !stats.is(node, kind::ARTICLE_MARK) {
            continue;
        }
        let chars = stats.chars(node);
        if stats.tables(node) != all_tables || chars * 2 < stats.body_chars || chars == 0 {
            continue;
        }
        if best.is_none_or(|(most, _)| chars >= most) {
            best = Some((chars, node));
        }
    }
    best.map(|(_, node)| node)
}

/// The title heading read before an article container: the last `<h1>`–`<h3>` or
/// element whose class/id says `title` that closes before the container opens.
pub(super) fn title_before(body: Id, container: Id, stats: &Stats) -> Option<String> {
    let mut title = None;
    let mut skip: Option<Id> = None;
    for edge in stats.dom.traverse(body) {
        match edge {
            Edge::Open(node) => {
                if node == container {
                    break;
                }
                if skip.is_none() && stats.is(node, kind::ELEMENT) && stats.dropped(node) {
                    skip = Some(node);
                }
            }
            Edge::Close(node) => {
                if skip == Some(node) {
                    skip = None;
                    continue;
                }
                if skip.is_some() || !stats.is(node, kind::ELEMENT) {
                    continue;
                }
                if stats.is(node, kind::HEADING | kind::TITLE_MARK) {
                    let (text, _) = inline_text(node, stats);
                    if !text.is_empty() && text.chars().count() <= 200 {
                        title = Some(text);
                    }
                }
            }
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::super::tests::lines;

    #[test]
    fn scripts_styles_and_furniture_are_dropped() {
        let got = lines(
            "<html><head><style>p{}</style><script>var a='<p>x</p>';</script></head><body>\
             <nav>首页 | 政务公开</nav><div class=\"breadcrumb\">当前位置：首页</div>\
             <div id=\"topMenu\">菜单</div><header>网站头</header>\
             <p>正文</p><noscript>请启用</noscript><iframe src=x></iframe>\
             <div class=\"footer\">版权所有 2023<table><tr><td>1</td><td>2</td></tr></table></div>\
             <footer>主办单位</footer><script>document.write('x')</script></body></html>",
        );
        // A footer that holds a table is kept: tables are never dropped.
        assert_eq!(got, ["正文", "版权所有 2023", "1\t2"]);
    }

    #[test]
    fn the_article_container_is_preferred_after_its_title() {
        let got = lines(
            "<body><div class=\"top\"><a>首页</a> <a>信息公开</a></div>\
             <div class=\"title\"><h1>某局2023年政府信息公开工作年度报告</h1></div>\
             <div class=\"side\"><p>相关链接</p><p>2022年度报告</p></div>\
             <div class=\"TRS_Editor\"><p>一、总体情况</p><p>本年度，某局认真贯彻落实《中华人民共和国政府信息公开条例》要求，以公开促落实、促规范、促服务，做好政务公开工作。</p>\
             <table><tr><td>规章</td><td>0</td></tr></table></div>\
             <div><p>上一篇：某局2022年报</p></div></body>",
        );
        assert_eq!(
            got,
            [
                "某局2023年政府信息公开工作年度报告",
                "一、总体情况",
                "本年度，某局认真贯彻落实《中华人民共和国政府信息公开条例》要求，以公开促落实、促规范、促服务，做好政务公开工作。",
                "规章\t0"
            ]
        );
    }
}
#[cfg(test)]
mod hidden_tests {
    use super::super::tests::lines;

    #[test]
    fn hidden_text_is_not_read() {
        let page = r#"<html><body><div class="article"><table><tr><td>行政许可</td><td><span style="display:none">9</span>146</td></tr></table></div></body></html>"#;
        assert_eq!(lines(page), vec!["行政许可\t146"]);
        let word = r#"<html><body><table><tr><td>行政许可</td><td><span style='DISPLAY: none; mso-hide: all'>9</span>146</td><td style="display:none">7</td><td hidden>8</td></tr></table></body></html>"#;
        assert_eq!(lines(word), vec!["行政许可\t146"]);
    }

    #[test]
    fn a_navigation_table_does_not_make_the_hidden_article_a_copy() {
        let page = r#"<html><body><table><tr><td>首页</td><td>政务公开</td></tr></table><div id="content" style="display:none"><table><tr><td>行政许可</td><td>146</td></tr></table></div></body></html>"#;
        assert_eq!(lines(page), vec!["首页\t政务公开", "行政许可\t146"]);
    }

    #[test]
    fn a_hidden_copy_is_not_read_unless_it_is_the_only_one() {
        let table = |v: &str| format!("<table><tr><td>行政许可</td><td>{v}</td></tr></table>");
        // A stale copy for phones, hidden, before the visible article.
        let page = format!(
            r#"<html><body><div class="mobile" style="display:none">{}</div><div class="article">{}</div></body></html>"#,
            table("145"),
            table("146")
        );
        assert_eq!(lines(&page), vec!["行政许可\t146"]);
        // The article hidden until a script shows it: read rather than lost.
        let page = format!(
            r#"<html><body><div id="content" style="display: none">{}</div></body></html>"#,
            table("146")
        );
        assert_eq!(lines(&page), vec!["行政许可\t146"]);
    }
}
