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

mod dom;
#[cfg(test)]
#[path = "../../../benches/read/pages.rs"]
mod pages;
#[cfg(test)]
mod reference;
mod tokenize;

use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

use crate::model::{Finding, Severity, Table};
use crate::read::{text, Document, Format, PageMeta};
use dom::{Data, Dom, Edge, Element, Id, ROOT};
use html5ever::{local_name, LocalName};

/// How many leading bytes are searched for a `<meta>` charset declaration (CMS pages put
/// long scripts before it, so more than the 1024 bytes of the HTML standard's prescan).
const PRESCAN_LEN: usize = 16 * 1024;

/// Largest `colspan` honoured (the HTML standard's limit).
const MAX_COLSPAN: usize = 1000;

/// Largest `rowspan` honoured (kept small: a span past the table's end is cut anyway).
const MAX_ROWSPAN: usize = 1000;

/// Column from which every cell is taken as one column wide, so hostile spans cannot make
/// the grid huge.
const MAX_GRID_COLUMNS: usize = 4096;

/// A table cell with more text than this is a layout cell (a whole article), not data.
const LAYOUT_CELL_CHARS: usize = 500;

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
    let decoded = decode(bytes);
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
    // JavaScript string (`let content = "<p …>…</p>"`): read that when it holds more of
    // the text than the page around it.
    if let Some(markup) = script_markup(&decoded.text) {
        let inner_dom = tokenize::parse_document(&markup);
        let inner = render(&inner_dom, &kinds(&inner_dom));
        if han_count(&inner) > han_count(&text) {
            text = inner;
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

/// The markup held in JavaScript string literals (`= "<p…"`, `content: '<table…'`),
/// unescaped and joined; `None` when there is too little to be a page's body.
fn script_markup(text: &str) -> Option<String> {
    let b = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    // Only a quote followed by `<` (spaces between) can open markup: found from the `<`s,
    // which are far fewer than the quotes of a page's attributes.
    let mut at = 0;
    while let Some(off) = memchr::memchr(b'<', &b[at.max(i)..]) {
        let lt = at.max(i) + off;
        at = lt + 1;
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
            .find(|c| !c.is_ascii_whitespace())
            .is_some_and(|c| *c == b'<');
        if !(opens_js_value && starts_markup) {
            i += 1;
            continue;
        }
        let (literal, end) = js_string(&text[i + 1..], q as char);
        if literal.contains("</") {
            out.push_str(&literal);
            out.push('\n');
        }
        i += 1 + end;
    }
    (out.chars().count() >= 100).then_some(out)
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

// ---------------------------------------------------------------------------------------
// Charset
// ---------------------------------------------------------------------------------------

struct Decoded {
    text: String,
    encoding: String,
    findings: Vec<Finding>,
    binary: bool,
}

impl From<text::Decoded> for Decoded {
    fn from(d: text::Decoded) -> Self {
        Decoded {
            text: d.text,
            encoding: d.encoding.to_string(),
            findings: d.findings,
            binary: d.binary,
        }
    }
}

/// Decodes a page: BOM, then the declared charset, then detection (see the module docs).
fn decode(bytes: &[u8]) -> Decoded {
    if Encoding::for_bom(bytes).is_some() {
        return text::decode(bytes).into();
    }
    let Some(declared) = declared_charset(&bytes[..bytes.len().min(PRESCAN_LEN)]) else {
        return text::decode(bytes).into();
    };
    let (text, had_errors) = declared.decode_without_bom_handling(bytes);
    if !had_errors {
        return Decoded {
            text: text.into_owned(),
            encoding: text::name(declared).to_string(),
            findings: Vec::new(),
            binary: false,
        };
    }
    let detected = text::decode(bytes);
    let clean = !detected.binary
        && !detected
            .findings
            .iter()
            .any(|f| f.check == "decode_replacement");
    if clean && detected.encoding != text::name(declared) {
        let mut d: Decoded = detected.into();
        d.findings.push(
            Finding::new(
                Severity::Warning,
                "charset_mismatch",
                format!(
                    "the page declares {} but is written in {}; decoded as {}",
                    text::name(declared),
                    d.encoding,
                    d.encoding
                ),
            )
            .at(Table::Reports, None, None)
            .values(text::name(declared), d.encoding.clone()),
        );
        return d;
    }
    let text = text.into_owned();
    let count = text
        .chars()
        .filter(|&c| c == char::REPLACEMENT_CHARACTER)
        .count();
    Decoded {
        text,
        encoding: text::name(declared).to_string(),
        findings: vec![Finding::new(
            Severity::Warning,
            "decode_replacement",
            format!(
                "{count} byte sequence(s) not valid {} were replaced by U+FFFD",
                text::name(declared)
            ),
        )
        .at(Table::Reports, None, None)
        .values("0", count.to_string())],
        binary: false,
    }
}

/// The charset the page declares in a `<meta>` tag: a `charset` attribute wins over a
/// `content="…charset=…"`, the first of each kind counts, and only the head is searched.
fn declared_charset(head: &[u8]) -> Option<&'static Encoding> {
    let lower = head.to_ascii_lowercase();
    let end = find(&lower, b"<body").unwrap_or(lower.len());
    let lower = &lower[..end];
    let mut attribute = None;
    let mut content = None;
    let mut at = 0;
    while let Some(pos) = find(&lower[at..], b"<meta") {
        let start = at + pos + b"<meta".len();
        let close = find(&lower[start..], b">").map_or(lower.len(), |e| start + e);
        for (key, value) in attributes(&lower[start..close]) {
            if key == b"charset" && attribute.is_none() {
                attribute = label(value);
            } else if key == b"content" && content.is_none() {
                content =
                    find(value, b"charset=").and_then(|i| label(&value[i + b"charset=".len()..]));
            }
        }
        at = close;
    }
    let encoding = attribute.or(content)?;
    // GB18030 decodes everything GBK/GB2312 does; a declared UTF-16 in an ASCII-readable
    // <meta> is a lie the HTML standard resolves as UTF-8.
    Some(if encoding == GBK {
        GB18030
    } else if encoding == UTF_16LE || encoding == UTF_16BE {
        UTF_8
    } else {
        encoding
    })
}

/// The encoding a charset label names (`"gbk"`, `'utf-8'`, `gb2312;`…).
fn label(value: &[u8]) -> Option<&'static Encoding> {
    let value = value.trim_ascii_start();
    let value = value
        .strip_prefix(b"\"")
        .or_else(|| value.strip_prefix(b"'"))
        .unwrap_or(value);
    let end = value
        .iter()
        .position(|&b| matches!(b, b'"' | b'\'' | b';' | b',') || b.is_ascii_whitespace())
        .unwrap_or(value.len());
    Encoding::for_label(&value[..end])
}

/// `(name, value)` pairs of a tag's attribute text (the part after `<meta`).
fn attributes(tag: &[u8]) -> Vec<(&[u8], &[u8])> {
    let mut out = Vec::new();
    let mut i = 0;
    let skip_space = |i: &mut usize| {
        while *i < tag.len() && (tag[*i].is_ascii_whitespace() || tag[*i] == b'/') {
            *i += 1;
        }
    };
    loop {
        skip_space(&mut i);
        if i >= tag.len() {
            break;
        }
        let start = i;
        while i < tag.len() && !tag[i].is_ascii_whitespace() && tag[i] != b'=' && tag[i] != b'/' {
            i += 1;
        }
        let key = &tag[start..i];
        while i < tag.len() && tag[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut value: &[u8] = b"";
        if i < tag.len() && tag[i] == b'=' {
            i += 1;
            while i < tag.len() && tag[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < tag.len() && (tag[i] == b'"' || tag[i] == b'\'') {
                let quote = tag[i];
                i += 1;
                let start = i;
                while i < tag.len() && tag[i] != quote {
                    i += 1;
                }
                value = &tag[start..i];
                i += 1;
            } else {
                let start = i;
                while i < tag.len() && !tag[i].is_ascii_whitespace() {
                    i += 1;
                }
                value = &tag[start..i];
            }
        }
        if key.is_empty() {
            // A stray '=' or quote: step over it so the loop always advances.
            i += 1;
            continue;
        }
        out.push((key, value));
    }
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------
// Page metadata
// ---------------------------------------------------------------------------------------

/// `<title>` and the CMS `<meta name=…>` tags (names matched case-insensitively; the
/// first non-empty value of each wins).
fn page_meta(dom: &Dom, kinds: &[u16]) -> PageMeta {
    let mut page = PageMeta::default();
    let none = Stats::empty(dom, kinds);
    for id in descendants(dom, ROOT) {
        let Some(el) = dom.element(id) else {
            continue;
        };
        match el.name() {
            "title" if page.title.is_none() => {
                page.title = non_empty(inline_text(id, &none).0);
            }
            "meta" => {
                let (Some(key), Some(content)) = (
                    el.attr(&local_name!("name")),
                    el.attr(&local_name!("content")),
                ) else {
                    continue;
                };
                let slot = match key.trim().to_ascii_lowercase().as_str() {
                    "articletitle" => &mut page.article_title,
                    "pubdate" => &mut page.pub_date,
                    "sitename" => &mut page.site_name,
                    "columnname" => &mut page.column_name,
                    "contentsource" => &mut page.content_source,
                    _ => continue,
                };
                if slot.is_none() {
                    *slot = non_empty(collapse(content));
                }
            }
            _ => {}
        }
    }
    page
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Whitespace collapsed to single spaces, trimmed.
fn collapse(s: &str) -> String {
    let mut out = Line::default();
    out.text(s);
    out.cur
}

/// The subtree of `id` in document order (`id` first).
fn descendants(dom: &Dom, id: Id) -> impl Iterator<Item = Id> + '_ {
    dom.traverse(id).filter_map(|e| match e {
        Edge::Open(n) => Some(n),
        Edge::Close(_) => None,
    })
}

// ---------------------------------------------------------------------------------------
// What to read
// ---------------------------------------------------------------------------------------

/// What an element is, decided once from its name and class/id (bits of [`Stats::kind`]).
mod kind {
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
}

/// Every node's [`kind`] bits.
fn kinds(dom: &Dom) -> Vec<u16> {
    dom.nodes
        .iter()
        .map(|n| match &n.data {
            Data::Element(el) => element_kind(el),
            _ => 0,
        })
        .collect()
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
        "pre" => kind::PRE | kind::BLOCK,
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
struct Stats<'a> {
    dom: &'a Dom,
    /// Per node: `(non-space characters, tables including the element itself)`, for the
    /// elements of the body outside never-text ones.
    of: Vec<Option<(usize, usize)>>,
    /// Per node: [`kind`] bits, 0 for non-elements ([`kinds`]).
    kind: &'a [u16],
    /// Non-space characters of the whole body.
    body_chars: usize,
}

impl<'a> Stats<'a> {
    /// No counts (every element counts as empty): for the page's `<title>`.
    fn empty(dom: &'a Dom, kind: &'a [u16]) -> Stats<'a> {
        Stats {
            dom,
            of: vec![None; dom.nodes.len()],
            kind,
            body_chars: 0,
        }
    }

    fn new(dom: &'a Dom, kind: &'a [u16], body: Id) -> Stats<'a> {
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

    fn is(&self, node: Id, bits: u16) -> bool {
        self.kind[node] & bits != 0
    }

    fn chars(&self, node: Id) -> usize {
        self.of[node].map_or(0, |s| s.0)
    }

    fn tables(&self, node: Id) -> usize {
        self.of[node].map_or(0, |s| s.1)
    }

    /// True when an element is not read: never text, or page furniture without a table
    /// and without most of the page's text.
    fn dropped(&self, node: Id) -> bool {
        if self.is(node, kind::NEVER_TEXT) {
            return true;
        }
        self.is(node, kind::FURNITURE)
            && self.tables(node) == 0
            && self.chars(node) * 2 <= self.body_chars
    }
}

fn element_named(dom: &Dom, node: Id, tag: &str) -> bool {
    dom.element(node).is_some_and(|el| el.name() == tag)
}

/// The article container, if the page has one that holds every table and most of the
/// text (the one with most text; on a tie, the innermost).
fn article(body: Id, stats: &Stats) -> Option<Id> {
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
fn title_before(body: Id, container: Id, stats: &Stats) -> Option<String> {
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

// ---------------------------------------------------------------------------------------
// Layout
// ---------------------------------------------------------------------------------------

/// Text being gathered into one line, whitespace collapsed as a browser does.
#[derive(Default)]
struct Line {
    cur: String,
    space: bool,
}

impl Line {
    fn text(&mut self, s: &str) {
        for ch in s.chars() {
            if matches!(ch, '\u{200b}' | '\u{feff}') {
                continue;
            }
            if ch.is_whitespace() {
                self.space = true;
            } else {
                if self.space && !self.cur.is_empty() {
                    self.cur.push(' ');
                }
                self.space = false;
                self.cur.push(ch);
            }
        }
    }
}

/// The document's lines.
#[derive(Default)]
struct Out {
    lines: Vec<String>,
    line: Line,
    /// Depth of `<pre>` elements: inside one, a newline ends a line.
    pre: usize,
}

impl Out {
    fn text(&mut self, s: &str) {
        if self.pre == 0 {
            self.line.text(s);
            return;
        }
        let mut parts = s.split('\n');
        if let Some(first) = parts.next() {
            self.line.text(first);
        }
        for part in parts {
            self.flush();
            self.line.text(part);
        }
    }

    fn flush(&mut self) {
        let line = std::mem::take(&mut self.line);
        if !line.cur.is_empty() {
            self.lines.push(line.cur);
        }
    }

    fn push(&mut self, line: String) {
        self.flush();
        if !line.is_empty() {
            self.lines.push(line);
        }
    }
}

/// Work for the walk: explicit, so nesting depth never reaches the call stack.
enum Task {
    /// Lay out a node and its subtree.
    Enter(Id),
    /// Lay out a node as a block (a layout table's parts).
    Block(Id),
    /// End the current line.
    Break,
    /// Leave a `<pre>`.
    ExitPre,
    /// A finished line (a table row).
    Line(String),
}

/// The page's text: the article container (after its title), else the body.
fn render(dom: &Dom, kinds: &[u16]) -> String {
    let body = descendants(dom, ROOT)
        .find(|n| element_named(dom, *n, "body"))
        .unwrap_or(ROOT);
    let stats = Stats::new(dom, kinds, body);
    let mut out = Out::default();
    let start = match article(body, &stats) {
        Some(container) => {
            if let Some(title) = title_before(body, container, &stats) {
                out.push(title);
            }
            container
        }
        None => body,
    };
    walk(start, &stats, &mut out);
    out.flush();
    let mut text = out.lines.join("\n");
    if !text.is_empty() {
        text.push('\n');
    }
    text
}

fn walk(start: Id, stats: &Stats, out: &mut Out) {
    let dom = stats.dom;
    let mut stack = vec![Task::Enter(start)];
    let children_rev = |stack: &mut Vec<Task>, node: Id| {
        let at = stack.len();
        stack.extend(dom.children(node).map(Task::Enter));
        stack[at..].reverse();
    };
    while let Some(task) = stack.pop() {
        let node = match task {
            Task::Break => {
                out.flush();
                continue;
            }
            Task::ExitPre => {
                out.pre = out.pre.saturating_sub(1);
                out.flush();
                continue;
            }
            Task::Line(line) => {
                out.push(line);
                continue;
            }
            Task::Block(node) => {
                out.flush();
                stack.push(Task::Break);
                children_rev(&mut stack, node);
                continue;
            }
            Task::Enter(node) => node,
        };
        match &dom.nodes[node].data {
            Data::Text(t) => {
                out.text(t);
                continue;
            }
            Data::Element(_) => {}
            Data::Document | Data::Fragment => {
                children_rev(&mut stack, node);
                continue;
            }
            Data::Other => continue,
        }
        if stats.dropped(node) {
            continue;
        }
        if stats.is(node, kind::BR) {
            out.flush();
        } else if stats.is(node, kind::TABLE) && !is_layout(node, stats) {
            out.flush();
            let tasks = table_tasks(node, stats);
            stack.extend(tasks.into_iter().rev());
        } else if stats.is(node, kind::PRE) {
            out.flush();
            out.pre += 1;
            stack.push(Task::ExitPre);
            children_rev(&mut stack, node);
        } else if stats.is(node, kind::BLOCK) {
            stack.push(Task::Block(node));
        } else {
            children_rev(&mut stack, node);
        }
    }
}

/// The rows (`<tr>`) of a table, not of the tables inside it.
fn rows(dom: &Dom, table: Id) -> Vec<Id> {
    let mut rows = Vec::new();
    for child in dom.children(table) {
        let Some(el) = dom.element(child) else {
            continue;
        };
        match el.name() {
            "tr" => rows.push(child),
            "thead" | "tbody" | "tfoot" => {
                rows.extend(dom.children(child).filter(|c| element_named(dom, *c, "tr")))
            }
            _ => {}
        }
    }
    rows
}

/// The cells (`<td>`, `<th>`) of a row.
fn cells(dom: &Dom, row: Id) -> impl Iterator<Item = (Id, &Element)> {
    dom.children(row).filter_map(|c| {
        dom.element(c)
            .filter(|el| matches!(el.name(), "td" | "th"))
            .map(|el| (c, el))
    })
}

/// A span attribute's leading digits (at most nine); `None` when absent or not a number.
fn span(el: &Element, attr: &LocalName) -> Option<usize> {
    let value = el.attr(attr)?.trim();
    let digits = value.bytes().take_while(u8::is_ascii_digit).take(9).count();
    value[..digits].parse().ok()
}

/// A table is layout when its grid has one column, or a cell holds a whole article.
fn is_layout(table: Id, stats: &Stats) -> bool {
    let dom = stats.dom;
    let mut width = 0;
    for row in rows(dom, table) {
        let mut w = 0usize;
        for (cell, el) in cells(dom, row) {
            if stats.chars(cell) > LAYOUT_CELL_CHARS {
                return true;
            }
            w = w.saturating_add(
                span(el, &local_name!("colspan"))
                    .unwrap_or(1)
                    .clamp(1, MAX_COLSPAN),
            );
        }
        width = width.max(w);
    }
    width <= 1
}

/// A data table as tasks: one line per grid row, the tables nested in a row's cells
/// after it.
fn table_tasks(table: Id, stats: &Stats) -> Vec<Task> {
    let dom = stats.dom;
    let mut tasks = Vec::new();
    for child in dom.children(table) {
        if element_named(dom, child, "caption") {
            let (text, nested) = inline_text(child, stats);
            tasks.push(Task::Line(text));
            tasks.extend(nested.into_iter().map(Task::Enter));
        }
    }
    let rows = rows(dom, table);
    let mut occupied: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let mut line: Vec<String> = Vec::new();
        let mut nested_here = Vec::new();
        let mut origin: Vec<usize> = Vec::new();
        let mut c = 0;
        for (cell, el) in cells(dom, *row) {
            while occupied[r].get(c).copied().unwrap_or(false) {
                c += 1;
            }
            let rows_left = rows.len() - r;
            let rowspan = match span(el, &local_name!("rowspan")) {
                // rowspan="0": to the end of the table.
                Some(0) => rows_left,
                Some(n) => n.clamp(1, MAX_ROWSPAN).min(rows_left),
                None => 1,
            };
            let colspan = span(el, &local_name!("colspan"))
                .unwrap_or(1)
                .clamp(1, MAX_COLSPAN)
                .min(MAX_GRID_COLUMNS.saturating_sub(c))
                .max(1);
            for taken in &mut occupied[r..r + rowspan] {
                if taken.len() < c + colspan {
                    taken.resize(c + colspan, false);
                }
                taken[c..c + colspan].fill(true);
            }
            let (text, nested) = inline_text(cell, stats);
            if line.len() <= c {
                line.resize(c + 1, String::new());
            }
            line[c] = text;
            origin.push(c);
            nested_here.extend(nested);
            c += colspan;
        }
        for (i, cell) in line.iter_mut().enumerate() {
            if !origin.contains(&i) && occupied[r].get(i).copied().unwrap_or(false) {
                *cell = super::COVERED.to_string();
            }
        }
        while line
            .last()
            .is_some_and(|c| c.is_empty() || c == super::COVERED)
        {
            line.pop();
        }
        if !line.is_empty() {
            tasks.push(Task::Line(line.join("\t")));
        }
        tasks.extend(nested_here.into_iter().map(Task::Enter));
    }
    tasks
}

/// All text of a subtree on one line (blocks and `<br>` become spaces), and the tables
/// inside it, which are left for the caller to lay out.
fn inline_text(node: Id, stats: &Stats) -> (String, Vec<Id>) {
    let dom = stats.dom;
    let mut line = Line::default();
    let mut tables = Vec::new();
    let mut skip: Option<Id> = None;
    for edge in dom.traverse(node) {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match &dom.nodes[n].data {
                    Data::Text(t) => line.text(t),
                    Data::Element(_) if n != node => {
                        if stats.is(n, kind::TABLE) {
                            tables.push(n);
                            skip = Some(n);
                        } else if stats.dropped(n) {
                            skip = Some(n);
                        } else if stats.is(n, kind::BR | kind::BLOCK) {
                            line.space = true;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip == Some(n) {
                    skip = None;
                } else if skip.is_none() && stats.is(n, kind::BLOCK) {
                    line.space = true;
                }
            }
        }
    }
    (line.cur, tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Markup that exercises the tokenizer's states and the tree builder's repairs,
    /// inserted into pages at random.
    const SNIPPETS: [&str; 64] = [
        "<p>",
        "</p>",
        "<div>",
        "</div>",
        "<b>",
        "</b>",
        "<i>",
        "</i>",
        "<td>",
        "</td>",
        "<tr>",
        "</tr>",
        "<table>",
        "</table>",
        "<tbody>",
        "<th rowspan=2>",
        "<caption>",
        "<col>",
        "<font class=\"nav\">",
        "<font face=仿宋 size=3>",
        "</font>",
        "<span class='Content'>",
        "</span>",
        "&nbsp",
        "&amp;",
        "&notit;",
        "&lt",
        "&#x80;",
        "&#0;",
        "&#128512;",
        "&#xD800;",
        "&copy=",
        "<!--",
        "-->",
        "<!-->",
        "<!--->",
        "<script>",
        "</script>",
        "<script><!--<script>x</script>-->",
        "<style>p{}</style>",
        "<![CDATA[x]]>",
        "<svg><p>svg</p></svg>",
        "<math><mi>m</mi></math>",
        "<select>",
        "</select>",
        "<textarea>",
        "<title>t&amp;</title>",
        "<form>",
        "</form>",
        "<li>",
        "<pre>\nx\n</pre>",
        "\r\n",
        "\r",
        "\0",
        "<a href=\"x\" class=a>",
        "</a>",
        "<!DOCTYPE html>",
        "<div class=\"content\">",
        "<h2>",
        "<br/>",
        "</br>",
        "<input type=hidden>",
        "<noscript>",
        "<b><p>x</b>y</p>",
    ];

    fn mutate(page: &str, rng: &mut pages::Rng) -> String {
        let cut = |rng: &mut pages::Rng| {
            let mut at = rng.below(page.len() + 1);
            while !page.is_char_boundary(at) {
                at -= 1;
            }
            at
        };
        match rng.below(4) {
            0 => page[..cut(rng)].to_string(),
            1 => {
                // A tag dropped.
                let at = cut(rng);
                match (page[at..].find('<'), page[at..].find('>')) {
                    (Some(lt), Some(gt)) if lt < gt => {
                        format!("{}{}", &page[..at + lt], &page[at + gt + 1..])
                    }
                    _ => page.to_string(),
                }
            }
            _ => {
                let mut out = page.to_string();
                for _ in 0..1 + rng.below(4) {
                    let mut at = rng.below(out.len() + 1);
                    while !out.is_char_boundary(at) {
                        at -= 1;
                    }
                    out.insert_str(at, SNIPPETS[rng.below(SNIPPETS.len())]);
                }
                out
            }
        }
    }

    fn same_as_before(bytes: &[u8], what: &str) {
        let new = read(bytes);
        let old = reference::read(bytes);
        assert_eq!(
            format!(
                "{:?}",
                (
                    &new.text,
                    &new.encoding,
                    &new.findings,
                    &new.page,
                    new.failed
                )
            ),
            format!(
                "{:?}",
                (
                    &old.text,
                    &old.encoding,
                    &old.findings,
                    &old.page,
                    old.failed
                )
            ),
            "{what}: {}",
            String::from_utf8_lossy(&bytes[..bytes.len().min(3000)])
        );
    }

    /// The reader against the one it replaced (scraper over html5ever's own tokenizer):
    /// the same text, page metadata and findings for every generated page — all of
    /// synth's HTML (frameless fragments, bodies in script strings, every defect), the
    /// same pages dressed as 50–200 KB CMS pages, the fixtures — and for mutations of
    /// them (cut anywhere, a tag dropped, tokenizer and tree-builder edge cases inserted).
    /// `NIANBAO_HTML_EQUIV=N` checks N reports instead of 300.
    #[test]
    fn reads_what_the_html5ever_reader_read() {
        let n: u64 = std::env::var("NIANBAO_HTML_EQUIV")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(300);
        let options = crate::synth::Options {
            seed: 7,
            defect_rate: 0.3,
            formats: vec![crate::synth::SynthFormat::Html],
            panel: None,
        };
        let mut rng = pages::Rng(7);
        for i in 0..n {
            for file in crate::synth::report(&options, i) {
                same_as_before(&file.bytes, &file.path);
                let page = String::from_utf8_lossy(&file.bytes).into_owned();
                for _ in 0..4 {
                    let mutated = mutate(&page, &mut rng);
                    same_as_before(mutated.as_bytes(), &format!("{} mutated", file.path));
                }
                if i % 10 == 0 {
                    let dressed = pages::cms_page(&file.bytes, &mut rng);
                    same_as_before(&dressed, &format!("{} dressed", file.path));
                    let dressed = String::from_utf8_lossy(&dressed).into_owned();
                    let mutated = mutate(&dressed, &mut rng);
                    same_as_before(
                        mutated.as_bytes(),
                        &format!("{} dressed, mutated", file.path),
                    );
                }
            }
        }
        let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html");
        for entry in std::fs::read_dir(fixtures).unwrap().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "html") {
                let bytes = std::fs::read(&path).unwrap();
                same_as_before(&bytes, &path.display().to_string());
                let page = String::from_utf8_lossy(&bytes).into_owned();
                for _ in 0..20 {
                    let mutated = mutate(&page, &mut rng);
                    same_as_before(mutated.as_bytes(), &format!("{} mutated", path.display()));
                }
            }
        }
    }

    /// The text's lines, with grid positions covered by a merged cell shown as `^`.
    fn lines(html: &str) -> Vec<String> {
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
    fn rowspan_and_colspan_expand_into_the_browser_grid() {
        let got = lines(
            "<table>\
             <tr><td rowspan=2 colspan=2>A</td><td>B</td><td>C</td></tr>\
             <tr><td>D</td><td>E</td></tr>\
             <tr><td>F</td><td colspan=2>G</td><td>H</td></tr>\
             <tr><td rowspan=2>I</td><td>J</td><td>K</td><td>L</td></tr>\
             <tr><td>M</td><td></td><td>O</td></tr>\
             </table>",
        );
        assert_eq!(
            got,
            [
                "A\t^\tB\tC",
                "^\t^\tD\tE",
                "F\tG\t^\tH",
                "I\tJ\tK\tL",
                "^\tM\t\tO",
            ]
        );
    }

    #[test]
    fn the_national_template_header_lines_up_with_its_numbers() {
        let got = lines(
            "<table><tbody>\
             <tr><td colspan=3 rowspan=3>（本列数据的勾稽关系）</td><td colspan=7>申请人情况</td></tr>\
             <tr><td rowspan=2>自然人</td><td colspan=5>法人或其他组织</td><td rowspan=2>总计</td></tr>\
             <tr><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td></tr>\
             <tr><td colspan=3>一、本年新收</td><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td><td>6</td><td>21</td></tr>\
             <tr><td rowspan=2>三、本年度办理结果</td><td colspan=2>（一）予以公开</td><td>7</td></tr>\
             <tr><td rowspan=1>（三）不予公开</td><td>1.属于国家秘密</td><td>8</td></tr>\
             </tbody></table>",
        );
        assert_eq!(got[0], "（本列数据的勾稽关系）\t^\t^\t申请人情况");
        assert_eq!(got[1], "^\t^\t^\t自然人\t法人或其他组织\t^\t^\t^\t^\t总计");
        assert_eq!(
            got[2],
            "^\t^\t^\t^\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他"
        );
        assert_eq!(got[3], "一、本年新收\t^\t^\t1\t2\t3\t4\t5\t6\t21");
        assert_eq!(got[4], "三、本年度办理结果\t（一）予以公开\t^\t7");
        assert_eq!(got[5], "^\t（三）不予公开\t1.属于国家秘密\t8");
    }

    #[test]
    fn a_nested_table_follows_its_row() {
        let got = lines(
            "<table><tr><td>outer</td><td>x<table><tr><td>in1</td><td>in2</td></tr>\
             <tr><td>in3</td></tr></table></td></tr><tr><td>next</td><td>y</td></tr></table>",
        );
        assert_eq!(got, ["outer\tx", "in1\tin2", "in3", "next\ty"]);
    }

    #[test]
    fn br_and_paragraphs_inside_cells_are_spaces() {
        let got = lines(
            "<table><tr><td><p><span>结果</span></p><p>维持</p></td>\
             <td>尚未<br>审结</td><td><p>&nbsp;0&nbsp;</p></td><td></td><td>&nbsp;</td></tr></table>",
        );
        assert_eq!(got, ["结果 维持\t尚未 审结\t0"]);
    }

    #[test]
    fn single_cell_and_one_column_tables_are_blocks() {
        let got = lines(
            "<table><tr><td><p>一、总体情况</p><p>本年度……</p>\
             <table><tr><td>a</td><td>1</td></tr></table><p>落款</p></td></tr></table>",
        );
        assert_eq!(got, ["一、总体情况", "本年度……", "a\t1", "落款"]);
    }

    #[test]
    fn blocks_and_br_end_lines_and_whitespace_collapses() {
        let got = lines(
            "<body><h1>某局 2023年 年报</h1><div>统计期限&nbsp;&nbsp;为 2023年\n 1月1日<br/>至12月31日</div>\
             <p>  <span>某</span><b>局</b> </p><ul><li>一</li><li>二</li></ul><pre>a\nb</pre></body>",
        );
        assert_eq!(
            got,
            [
                "某局 2023年 年报",
                "统计期限 为 2023年 1月1日",
                "至12月31日",
                "某局",
                "一",
                "二",
                "a",
                "b"
            ]
        );
    }

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

    #[test]
    fn meta_tags_fill_page_metadata() {
        let doc = read(
            "<html><head><title> 某局2023年报 _ 某市人民政府 </title>\
             <meta name=\"ArticleTitle\" content=\"某局2023年政府信息公开工作年度报告\">\
             <meta name=\"pubdate\" content=\"2024-01-20 09:00\">\
             <META NAME=\"SiteName\" CONTENT=\"某市人民政府\">\
             <meta name=\"ColumnName\" content=\"政府信息公开年报\">\
             <meta name=\"ContentSource\" content=\" 某局 \"></head><body>x</body></html>"
                .as_bytes(),
        );
        assert_eq!(
            doc.page,
            PageMeta {
                title: Some("某局2023年报 _ 某市人民政府".into()),
                article_title: Some("某局2023年政府信息公开工作年度报告".into()),
                pub_date: Some("2024-01-20 09:00".into()),
                site_name: Some("某市人民政府".into()),
                column_name: Some("政府信息公开年报".into()),
                content_source: Some("某局".into()),
            }
        );
        assert_eq!(doc.format, Format::Html);
        assert_eq!(doc.text, "x\n");
    }

    fn gbk(s: &str) -> Vec<u8> {
        GBK.encode(s).0.into_owned()
    }

    #[test]
    fn declared_gbk_is_used() {
        let page =
            "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gb2312\">\
                    </head><body><p>政府信息公开</p></body></html>";
        let doc = read(&gbk(page));
        assert_eq!(doc.encoding, "GB18030");
        assert_eq!(doc.text, "政府信息公开\n");
        assert!(doc.findings.is_empty(), "{:?}", doc.findings);
    }

    #[test]
    fn declared_utf8_is_used() {
        let doc = read(
            "<meta charset='utf-8'><meta http-equiv=Content-Type content='text/html;charset=gbk'><p>年报</p>"
                .as_bytes(),
        );
        assert_eq!(doc.encoding, "UTF-8");
        assert_eq!(doc.text, "年报\n");
        assert!(doc.findings.is_empty());
    }

    #[test]
    fn gbk_declared_as_utf8_is_decoded_as_gbk_and_flagged() {
        let page = "<html><head><meta charset=\"utf-8\"><title>报告</title></head><body>\
                    <p>本年度新收政府信息公开申请数量为零，上年结转政府信息公开申请数量为零。</p></body></html>";
        let doc = read(&gbk(page));
        assert_eq!(doc.encoding, "GB18030");
        assert!(doc.text.contains("本年度新收政府信息公开申请数量为零"));
        let f = doc
            .findings
            .iter()
            .find(|f| f.check == "charset_mismatch")
            .expect("charset_mismatch");
        assert_eq!(f.severity, Severity::Warning);
        assert_eq!(f.table, Some(Table::Reports));
        assert!(!doc.text.contains('\u{fffd}'));
    }

    #[test]
    fn undeclared_charset_is_detected_and_bom_wins() {
        let doc = read(&gbk(
            "<html><body><p>政府信息公开工作年度报告</p></body></html>",
        ));
        assert_eq!(doc.encoding, "GB18030");
        assert_eq!(doc.text, "政府信息公开工作年度报告\n");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("<meta charset=gbk><p>年报</p>".as_bytes());
        let doc = read(&bom);
        assert_eq!(doc.encoding, "UTF-8");
        assert_eq!(doc.text, "年报\n");
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
