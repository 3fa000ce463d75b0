//! The HTML reader as it was before its own tokenizer and tree (scraper over html5ever's
//! tokenizer and tree builder, `HashMap` statistics): kept for the tests only, which
//! compare its output with the reader's over generated and mutated pages.
#![allow(dead_code)]

use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use encoding_rs::{Encoding, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};
use scraper::node::Element;
use scraper::{Html, Node};

use crate::model::{Finding, Severity, Table};
use crate::read::{text, Document, Format, PageMeta};

type NodeR<'a> = NodeRef<'a, Node>;

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

/// Elements that are never text.
const NEVER_TEXT: [&str; 19] = [
    "script", "style", "noscript", "iframe", "frame", "frameset", "template", "head", "title",
    "select", "option", "button", "textarea", "input", "svg", "object", "embed", "canvas", "map",
];

/// Page furniture, dropped unless it holds a table or most of the text.
const FURNITURE: [&str; 3] = ["nav", "header", "footer"];

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

/// Block elements: each starts and ends a line.
const BLOCKS: [&str; 33] = [
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "section",
    "article",
    "aside",
    "main",
    "blockquote",
    "pre",
    "address",
    "figure",
    "figcaption",
    "center",
    "form",
    "fieldset",
    "hr",
    "caption",
    "table",
    "tr",
    "td",
    "th",
    "body",
];

/// Deepest element nesting a page may have. The HTML tree builder checks the stack of
/// open elements at every start tag, so its time grows with the square of the depth; real
/// pages nest a few dozen deep, hostile ones hundreds of thousands.
const MAX_NESTING: usize = 4096;

/// A quick upper estimate of the depth of open elements, from the tags alone: `Some` with
/// the depth reached once it passes `limit`. Void elements and those the parser closes
/// by itself (`p`, `li`, `td`, …) do not count.
fn open_depth_over(text: &str, limit: usize) -> Option<usize> {
    const SELF_CLOSING: [&str; 22] = [
        "p", "li", "td", "th", "tr", "dd", "dt", "option", "br", "img", "meta", "link", "input",
        "hr", "col", "area", "base", "wbr", "source", "embed", "param", "track",
    ];
    let b = text.as_bytes();
    let mut depth: usize = 0;
    let mut i = 0;
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let end = b[start..]
            .iter()
            .position(|c| !c.is_ascii_alphanumeric())
            .map_or(b.len(), |e| start + e);
        if end == start {
            continue;
        }
        let name = &b[start..end];
        if SELF_CLOSING
            .iter()
            .any(|t| t.as_bytes().eq_ignore_ascii_case(name))
        {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if !b[end..]
            .iter()
            .take_while(|&&c| c != b'>')
            .any(|&c| c == b'/')
        {
            depth += 1;
            if depth > limit {
                return Some(depth);
            }
        }
    }
    None
}

/// Reads an HTML page.
pub fn read(bytes: &[u8]) -> Document {
    let mut decoded = decode(bytes);
    // The repair of mojibake comes before parsing and is no part of what is compared.
    let repaired = crate::read::mojibake::repair_page(&decoded.text, &decoded.encoding, bytes);
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
    let html = Html::parse_document(&decoded.text);
    let mut text = render(&html);
    // A saved page whose body is filled in by a script carries the report as markup in a
    // JavaScript string (`let content = "<p …>…</p>"`): read that when it holds more of
    // the text than the page around it.
    if let Some(markup) = script_markup(&decoded.text) {
        let inner = render(&Html::parse_document(&markup));
        if han_count(&inner) > han_count(&text) {
            text = inner;
        }
    }
    Document {
        text,
        format: Format::Html,
        encoding: decoded.encoding,
        findings: decoded.findings,
        page: page_meta(&html),
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
    while i < b.len() {
        let q = b[i];
        if !matches!(q, b'"' | b'\'' | b'`') {
            i += 1;
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
fn page_meta(html: &Html) -> PageMeta {
    let mut page = PageMeta::default();
    for node in html.tree.root().descendants() {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        match el.name() {
            "title" if page.title.is_none() => {
                page.title = non_empty(inline_text(node, &Stats::default()).0);
            }
            "meta" => {
                let (Some(key), Some(content)) = (el.attr("name"), el.attr("content")) else {
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

// ---------------------------------------------------------------------------------------
// What to read
// ---------------------------------------------------------------------------------------

/// Text size and table count of every element (never-text elements excluded), computed
/// once bottom-up so the drop and container decisions do not rescan subtrees.
#[derive(Default)]
struct Stats {
    /// `(non-space characters, tables including the element itself)`.
    of: HashMap<NodeId, (usize, usize)>,
    /// Non-space characters of the whole body.
    body_chars: usize,
}

impl Stats {
    fn new(body: NodeR<'_>) -> Stats {
        let mut of = HashMap::new();
        let mut open: Vec<(usize, usize)> = vec![(0, 0)];
        let mut skip: Option<NodeId> = None;
        for edge in body.traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    match node.value() {
                        Node::Text(t) => {
                            if let Some(top) = open.last_mut() {
                                top.0 += t.chars().filter(|c| !c.is_whitespace()).count();
                            }
                        }
                        Node::Element(el) if NEVER_TEXT.contains(&el.name()) => {
                            skip = Some(node.id())
                        }
                        Node::Element(_) => open.push((0, 0)),
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if skip == Some(node.id()) {
                        skip = None;
                        continue;
                    }
                    let Some(el) = node.value().as_element().filter(|_| skip.is_none()) else {
                        continue;
                    };
                    let (chars, mut tables) = open.pop().unwrap_or((0, 0));
                    if el.name() == "table" {
                        tables += 1;
                    }
                    of.insert(node.id(), (chars, tables));
                    if let Some(top) = open.last_mut() {
                        top.0 += chars;
                        top.1 += tables;
                    }
                }
            }
        }
        let body_chars = of.get(&body.id()).map_or(0, |s| s.0);
        Stats { of, body_chars }
    }

    fn chars(&self, node: NodeR<'_>) -> usize {
        self.of.get(&node.id()).map_or(0, |s| s.0)
    }

    fn tables(&self, node: NodeR<'_>) -> usize {
        self.of.get(&node.id()).map_or(0, |s| s.1)
    }

    /// True when an element is not read: never text, or page furniture without a table
    /// and without most of the page's text.
    fn dropped(&self, node: NodeR<'_>, el: &Element) -> bool {
        let tag = el.name();
        if NEVER_TEXT.contains(&tag) {
            return true;
        }
        let furniture = FURNITURE.contains(&tag) || marked(el, &FURNITURE_MARKS);
        furniture && self.tables(node) == 0 && self.chars(node) * 2 <= self.body_chars
    }
}

/// True when the element's class or id contains one of `marks` (lower case).
fn marked(el: &Element, marks: &[&str]) -> bool {
    [el.attr("class"), el.attr("id")]
        .into_iter()
        .flatten()
        .any(|v| {
            let v = v.to_ascii_lowercase();
            marks.iter().any(|m| v.contains(m))
        })
}

fn element_named<'a>(node: NodeR<'a>, tag: &str) -> Option<&'a Element> {
    node.value().as_element().filter(|el| el.name() == tag)
}

/// The article container, if the page has one that holds every table and most of the
/// text (the one with most text; on a tie, the innermost).
fn article<'a>(body: NodeR<'a>, stats: &Stats) -> Option<NodeR<'a>> {
    let all_tables = stats.tables(body);
    let mut best: Option<(usize, NodeR<'a>)> = None;
    for node in body.descendants().skip(1) {
        let Some(el) = node.value().as_element() else {
            continue;
        };
        if !stats.of.contains_key(&node.id()) || !marked(el, &ARTICLE_MARKS) {
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
fn title_before(body: NodeR<'_>, container: NodeR<'_>, stats: &Stats) -> Option<String> {
    let mut title = None;
    let mut skip: Option<NodeId> = None;
    for edge in body.traverse() {
        match edge {
            Edge::Open(node) => {
                if node.id() == container.id() {
                    break;
                }
                if skip.is_none() {
                    if let Some(el) = node.value().as_element() {
                        if stats.dropped(node, el) {
                            skip = Some(node.id());
                        }
                    }
                }
            }
            Edge::Close(node) => {
                if skip == Some(node.id()) {
                    skip = None;
                    continue;
                }
                let Some(el) = node.value().as_element().filter(|_| skip.is_none()) else {
                    continue;
                };
                if matches!(el.name(), "h1" | "h2" | "h3") || marked(el, &["title"]) {
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
enum Task<'a> {
    /// Lay out a node and its subtree.
    Enter(NodeR<'a>),
    /// Lay out a node as a block (a layout table's parts).
    Block(NodeR<'a>),
    /// End the current line.
    Break,
    /// Leave a `<pre>`.
    ExitPre,
    /// A finished line (a table row).
    Line(String),
}

/// The page's text: the article container (after its title), else the body.
fn render(html: &Html) -> String {
    let root = html.tree.root();
    let body = root
        .descendants()
        .find(|n| element_named(*n, "body").is_some())
        .unwrap_or(root);
    let stats = Stats::new(body);
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

fn walk<'a>(start: NodeR<'a>, stats: &Stats, out: &mut Out) {
    let mut stack = vec![Task::Enter(start)];
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
                stack.extend(node.children().rev().map(Task::Enter));
                continue;
            }
            Task::Enter(node) => node,
        };
        let el = match node.value() {
            Node::Text(t) => {
                out.text(t);
                continue;
            }
            Node::Element(el) => el,
            Node::Document | Node::Fragment => {
                stack.extend(node.children().rev().map(Task::Enter));
                continue;
            }
            _ => continue,
        };
        if stats.dropped(node, el) {
            continue;
        }
        match el.name() {
            "br" => out.flush(),
            "table" if !is_layout(node, stats) => {
                out.flush();
                let tasks = table_tasks(node, stats);
                stack.extend(tasks.into_iter().rev());
            }
            "pre" => {
                out.flush();
                out.pre += 1;
                stack.push(Task::ExitPre);
                stack.extend(node.children().rev().map(Task::Enter));
            }
            tag if BLOCKS.contains(&tag) => stack.push(Task::Block(node)),
            _ => stack.extend(node.children().rev().map(Task::Enter)),
        }
    }
}

/// The rows (`<tr>`) of a table, not of the tables inside it.
fn rows(table: NodeR<'_>) -> Vec<NodeR<'_>> {
    let (mut head, mut body, mut foot) = (Vec::new(), Vec::new(), Vec::new());
    for child in table.children() {
        let Some(el) = child.value().as_element() else {
            continue;
        };
        let group = match el.name() {
            "tr" => {
                body.push(child);
                continue;
            }
            "thead" => &mut head,
            "tbody" => &mut body,
            "tfoot" => &mut foot,
            _ => continue,
        };
        group.extend(
            child
                .children()
                .filter(|c| element_named(*c, "tr").is_some()),
        );
    }
    head.append(&mut body);
    head.append(&mut foot);
    head
}

/// The cells (`<td>`, `<th>`) of a row.
fn cells(row: NodeR<'_>) -> impl Iterator<Item = (NodeR<'_>, &Element)> {
    row.children().filter_map(|c| {
        c.value()
            .as_element()
            .filter(|el| matches!(el.name(), "td" | "th"))
            .map(|el| (c, el))
    })
}

/// A span attribute's leading digits (at most nine); `None` when absent or not a number.
fn span(el: &Element, attr: &str) -> Option<usize> {
    let value = el.attr(attr)?.trim();
    let digits: String = value
        .chars()
        .take_while(char::is_ascii_digit)
        .take(9)
        .collect();
    digits.parse().ok()
}

/// A table is layout when its grid has one column, or a cell holds a whole article.
fn is_layout(table: NodeR<'_>, stats: &Stats) -> bool {
    let mut width = 0;
    for row in rows(table) {
        let mut w = 0usize;
        for (cell, el) in cells(row) {
            if stats.chars(cell) > LAYOUT_CELL_CHARS {
                return true;
            }
            w = w.saturating_add(span(el, "colspan").unwrap_or(1).clamp(1, MAX_COLSPAN));
        }
        width = width.max(w);
    }
    width <= 1
}

/// A data table as tasks: one line per grid row, the tables nested in a row's cells
/// after it.
fn table_tasks<'a>(table: NodeR<'a>, stats: &Stats) -> Vec<Task<'a>> {
    let mut tasks = Vec::new();
    for child in table.children() {
        if element_named(child, "caption").is_some() {
            let (text, nested) = inline_text(child, stats);
            tasks.push(Task::Line(text));
            tasks.extend(nested.into_iter().map(Task::Enter));
        }
    }
    let rows = rows(table);
    let mut occupied: Vec<Vec<bool>> = vec![Vec::new(); rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let mut line: Vec<String> = Vec::new();
        let mut nested_here = Vec::new();
        let mut origin: Vec<usize> = Vec::new();
        let mut c = 0;
        for (cell, el) in cells(*row) {
            while occupied[r].get(c).copied().unwrap_or(false) {
                c += 1;
            }
            let rows_left = rows.len() - r;
            let rowspan = match span(el, "rowspan") {
                // rowspan="0": to the end of the table.
                Some(0) => rows_left,
                Some(n) => n.clamp(1, MAX_ROWSPAN).min(rows_left),
                None => 1,
            };
            let colspan = span(el, "colspan")
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
                *cell = crate::read::COVERED.to_string();
            }
        }
        while line
            .last()
            .is_some_and(|c| c.is_empty() || c == crate::read::COVERED)
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
fn inline_text<'a>(node: NodeR<'a>, stats: &Stats) -> (String, Vec<NodeR<'a>>) {
    let mut line = Line::default();
    let mut tables = Vec::new();
    let mut skip: Option<NodeId> = None;
    for edge in node.traverse() {
        match edge {
            Edge::Open(n) => {
                if skip.is_some() {
                    continue;
                }
                match n.value() {
                    Node::Text(t) => line.text(t),
                    Node::Element(el) if n.id() != node.id() => {
                        if el.name() == "table" {
                            tables.push(n);
                            skip = Some(n.id());
                        } else if stats.dropped(n, el) {
                            skip = Some(n.id());
                        } else if el.name() == "br" || BLOCKS.contains(&el.name()) {
                            line.space = true;
                        }
                    }
                    _ => {}
                }
            }
            Edge::Close(n) => {
                if skip == Some(n.id()) {
                    skip = None;
                } else if skip.is_none()
                    && n.value()
                        .as_element()
                        .is_some_and(|el| BLOCKS.contains(&el.name()))
                {
                    line.space = true;
                }
            }
        }
    }
    (line.cur, tables)
}
