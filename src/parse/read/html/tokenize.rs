//! An HTML tokenizer that feeds html5ever's tree builder.
//!
//! html5ever's own tokenizer walks the page one character at a time through a queue of
//! tendrils (`BufferQueue::next`, `Tendril::pop_front_char`, a state-machine step per
//! character): three quarters of parsing a CMS page, which is mostly scripts, styles and
//! attribute-laden menus. This one scans bytes for the next delimiter and hands the tree
//! builder whole text runs and whole tags, so the tree — and every repair rule the
//! builder applies — is the one html5ever's tokenizer produces. It follows the WHATWG
//! tokenizer states (character references with the legacy no-semicolon forms, comments,
//! doctype, bogus comments, RCDATA/RAWTEXT/script data with its escape states, PLAINTEXT,
//! CDATA in foreign content); parse errors are not reported. `equivalence` (beside it)
//! compares the trees' text with the html5ever tokenizer's over generated pages.

use std::borrow::Cow;

use html5ever::data::{C1_REPLACEMENTS, NAMED_ENTITIES};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    Doctype, EndTag, StartTag, Tag, TagKind, Token, TokenSink, TokenSinkResult,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, TreeSink};
use html5ever::{local_name, ns, Attribute, LocalName, QualName};

use super::dom::{Dom, Sink};

/// Parses a whole document into the arena, as `scraper::Html::parse_document` would.
pub(crate) fn parse_document(text: &str) -> Dom {
    // Newlines are normalised before tokenizing (CR LF and CR become LF).
    let text: Cow<str> = if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    };
    let builder = TreeBuilder::new(Sink::for_page(text.len()), TreeBuilderOpts::default());
    let mut t = Tokenizer {
        src: &text,
        shared: StrTendril::from_slice(&text),
        pos: 0,
        builder,
        text: String::new(),
        span: None,
    };
    t.run();
    let _ = t.builder.process_token(Token::EOFToken, 1);
    t.builder.end();
    t.builder.sink.finish()
}

/// What the tokenizer is reading after the tree builder has seen a start tag.
enum Mode {
    Data,
    Raw(RawKind, LocalName),
    Plaintext,
}

struct Tokenizer<'a> {
    src: &'a str,
    /// The input as one tendril: text runs and attribute values without character
    /// references are handed over as slices of it, without a copy or an allocation.
    shared: StrTendril,
    pos: usize,
    builder: TreeBuilder<usize, Sink>,
    /// Character data not yet handed to the tree builder: a run of the input (`span`),
    /// or, once a character reference or a second run joins it, `text`.
    text: String,
    span: Option<(usize, usize)>,
}

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b' ')
}

impl<'a> Tokenizer<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.src.as_bytes()
    }

    /// Input `start..end` as character data.
    fn push_run(&mut self, start: usize, end: usize) {
        if start == end {
            return;
        }
        match self.span {
            None if self.text.is_empty() => self.span = Some((start, end)),
            Some((s, e)) if e == start => self.span = Some((s, end)),
            _ => {
                self.materialise();
                self.text.push_str(&self.src[start..end]);
            }
        }
    }

    /// Character data that is not a run of the input (decoded references, `<`).
    fn push_str(&mut self, s: &str) {
        self.materialise();
        self.text.push_str(s);
    }

    fn materialise(&mut self) {
        if let Some((s, e)) = self.span.take() {
            self.text.push_str(&self.src[s..e]);
        }
    }

    fn slice(&self, start: usize, end: usize) -> StrTendril {
        self.shared.subtendril(start as u32, (end - start) as u32)
    }

    fn flush_text(&mut self) {
        let t = match self.span.take() {
            Some((s, e)) => self.slice(s, e),
            None if self.text.is_empty() => return,
            None => {
                let t = StrTendril::from_slice(&self.text);
                self.text.clear();
                t
            }
        };
        let _ = self.builder.process_token(Token::CharacterTokens(t), 1);
    }

    fn emit(&mut self, token: Token) -> TokenSinkResult<usize> {
        self.flush_text();
        self.builder.process_token(token, 1)
    }

    fn run(&mut self) {
        let mut mode = Mode::Data;
        while self.pos < self.src.len() {
            mode = match mode {
                Mode::Data => self.data(),
                Mode::Raw(kind, name) => self.raw(kind, &name),
                Mode::Plaintext => {
                    let rest = &self.src[self.pos..];
                    self.push_str(&rest.replace('\0', "\u{FFFD}"));
                    self.pos = self.src.len();
                    Mode::Plaintext
                }
            };
        }
        self.flush_text();
    }

    /// The data state, up to the first tag that changes the mode (or the end).
    fn data(&mut self) -> Mode {
        let b = self.bytes();
        while self.pos < b.len() {
            let start = self.pos;
            let run = b[start..]
                .iter()
                .position(|&c| matches!(c, b'<' | b'&' | b'\0'))
                .map_or(b.len(), |i| start + i);
            self.push_run(start, run);
            self.pos = run;
            match b.get(run) {
                None => break,
                Some(b'&') => {
                    self.pos += 1;
                    self.char_ref(false);
                }
                Some(b'\0') => {
                    self.pos += 1;
                    let _ = self.emit(Token::NullCharacterToken);
                }
                Some(_) => {
                    if let Some(mode) = self.tag_open() {
                        return mode;
                    }
                }
            }
        }
        Mode::Data
    }

    /// At a `<` in the data state.
    fn tag_open(&mut self) -> Option<Mode> {
        let b = self.bytes();
        let at = self.pos;
        match b.get(at + 1) {
            Some(b'!') => {
                self.pos = at + 2;
                self.markup_declaration();
                None
            }
            Some(b'/') => match b.get(at + 2) {
                Some(c) if c.is_ascii_alphabetic() => {
                    self.pos = at + 2;
                    self.tag(EndTag)
                }
                Some(b'>') => {
                    self.pos = at + 3;
                    None
                }
                None => {
                    self.push_str("</");
                    self.pos = at + 2;
                    None
                }
                Some(_) => {
                    self.pos = at + 2;
                    self.bogus_comment();
                    None
                }
            },
            Some(c) if c.is_ascii_alphabetic() => {
                self.pos = at + 1;
                self.tag(StartTag)
            }
            Some(b'?') => {
                self.pos = at + 1;
                self.bogus_comment();
                None
            }
            _ => {
                self.push_str("<");
                self.pos = at + 1;
                None
            }
        }
    }

    fn markup_declaration(&mut self) {
        let b = self.bytes();
        let rest = &b[self.pos..];
        if rest.starts_with(b"--") {
            self.pos += 2;
            self.comment();
        } else if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"doctype") {
            self.pos += 7;
            self.doctype();
        } else if rest.starts_with(b"[CDATA[")
            && self
                .builder
                .adjusted_current_node_present_but_not_in_html_namespace()
        {
            self.pos += 7;
            let end = find(&b[self.pos..], b"]]>").map_or(b.len(), |i| self.pos + i);
            self.push_run(self.pos, end);
            self.pos = (end + 3).min(b.len());
        } else {
            self.bogus_comment();
        }
    }

    fn comment(&mut self) {
        let b = self.bytes();
        let start = self.pos;
        let rest = &b[self.pos..];
        // `<!-->` and `<!--->` are empty comments. The text is kept (a slice of the
        // input, no copy): a CMS template may comment a page's body out.
        let (text_end, end) = if rest.starts_with(b">") {
            (start, self.pos + 1)
        } else if rest.starts_with(b"->") {
            (start, self.pos + 2)
        } else {
            // The first `-->` or `--!>`, in one pass (a page has many comments).
            let mut i = 0;
            loop {
                match find(&rest[i..], b"--") {
                    None => break (b.len(), b.len()),
                    Some(p) => {
                        let j = i + p + 2;
                        if rest.get(j) == Some(&b'>') {
                            break (self.pos + i + p, self.pos + j + 1);
                        }
                        if rest[j..].starts_with(b"!>") {
                            break (self.pos + i + p, self.pos + j + 2);
                        }
                        i += p + 1;
                    }
                }
            }
        };
        self.pos = end;
        let text = self.slice(start, text_end);
        let _ = self.emit(Token::CommentToken(text));
    }

    fn bogus_comment(&mut self) {
        let b = self.bytes();
        self.pos = b[self.pos..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |i| self.pos + i + 1);
        let _ = self.emit(Token::CommentToken(StrTendril::new()));
    }

    fn doctype(&mut self) {
        let b = self.bytes();
        let end = b[self.pos..].iter().position(|&c| c == b'>');
        let body = &self.src[self.pos..end.map_or(b.len(), |i| self.pos + i)];
        self.pos = end.map_or(b.len(), |i| self.pos + i + 1);
        let mut d = Doctype {
            force_quirks: end.is_none(),
            ..Doctype::default()
        };
        let body = body.trim_start_matches(['\t', '\n', '\x0C', ' ']);
        if body.is_empty() {
            d.force_quirks = true;
        } else {
            let name_end = body.find(['\t', '\n', '\x0C', ' ']).unwrap_or(body.len());
            d.name = Some(StrTendril::from_slice(
                &body[..name_end]
                    .to_ascii_lowercase()
                    .replace('\0', "\u{FFFD}"),
            ));
            let rest = body[name_end..].trim_start_matches(['\t', '\n', '\x0C', ' ']);
            let keyword = rest.get(..6).map(str::to_ascii_lowercase);
            match keyword.as_deref() {
                _ if rest.is_empty() => {}
                Some("public") => {
                    let (public, after) = quoted(&rest[6..]);
                    match public {
                        Some(p) => {
                            d.public_id = Some(StrTendril::from_slice(p));
                            let (system, _) = quoted(after);
                            d.system_id = system.map(StrTendril::from_slice);
                        }
                        None => d.force_quirks = true,
                    }
                }
                Some("system") => {
                    let (system, _) = quoted(&rest[6..]);
                    match system {
                        Some(s) => d.system_id = Some(StrTendril::from_slice(s)),
                        None => d.force_quirks = true,
                    }
                }
                _ => d.force_quirks = true,
            }
        }
        let _ = self.emit(Token::DoctypeToken(d));
    }

    /// A start or end tag whose name starts at `pos`; the mode the tree builder asks for.
    fn tag(&mut self, kind: TagKind) -> Option<Mode> {
        let b = self.bytes();
        let start = self.pos;
        let end = b[start..]
            .iter()
            .position(|&c| is_space(c) || c == b'/' || c == b'>')
            .map_or(b.len(), |i| start + i);
        if end == b.len() {
            // EOF in a tag: the tag is dropped.
            self.pos = b.len();
            return None;
        }
        let name = atom(&self.src[start..end]);
        self.pos = end;
        let (attrs, self_closing, duplicates) = self.attributes()?;
        let tag = Tag {
            kind,
            name,
            self_closing,
            attrs: if kind == StartTag { attrs } else { Vec::new() },
            had_duplicate_attributes: duplicates,
        };
        let last = tag.name.clone();
        match self.emit(Token::TagToken(tag)) {
            TokenSinkResult::RawData(raw) => Some(Mode::Raw(raw, last)),
            TokenSinkResult::Plaintext => Some(Mode::Plaintext),
            _ => None,
        }
    }

    /// The attributes after a tag name, through the closing `>`: `None` at EOF (the tag
    /// is dropped, and with it the rest of the input).
    fn attributes(&mut self) -> Option<(Vec<Attribute>, bool, bool)> {
        let found = self.attributes_to_end();
        if found.is_none() {
            self.pos = self.src.len();
        }
        found
    }

    fn attributes_to_end(&mut self) -> Option<(Vec<Attribute>, bool, bool)> {
        let b = self.bytes();
        let n = b.len();
        let mut i = self.pos;
        let mut attrs: Vec<Attribute> = Vec::new();
        let mut duplicates = false;
        let mut push = |attrs: &mut Vec<Attribute>, name: LocalName, value: StrTendril| {
            if attrs.iter().any(|a| a.name.local == name) {
                duplicates = true;
            } else {
                attrs.push(Attribute {
                    name: QualName::new(None, ns!(), name),
                    value,
                });
            }
        };
        let skip_space = |i: &mut usize| {
            while *i < n && is_space(b[*i]) {
                *i += 1;
            }
        };
        loop {
            // Before attribute name.
            skip_space(&mut i);
            match *b.get(i)? {
                b'>' => {
                    self.pos = i + 1;
                    return Some((attrs, false, duplicates));
                }
                b'/' => {
                    i += 1;
                    if *b.get(i)? == b'>' {
                        self.pos = i + 1;
                        return Some((attrs, true, duplicates));
                    }
                    continue;
                }
                _ => {}
            }
            // Attribute name: the first character may be `=`.
            let start = i;
            i += 1;
            while i < n && !(is_space(b[i]) || matches!(b[i], b'/' | b'>' | b'=')) {
                i += 1;
            }
            if i >= n {
                return None;
            }
            let name = &self.src[start..i];
            // `style` is kept only when it hides the element (see `hides`).
            let style = name.eq_ignore_ascii_case("style");
            // A `data-*` attribute is kept only when it holds markup (a page's body kept
            // for a script to insert, `data-content="&lt;p&gt;…"`; see `html::held`).
            let data = name.len() > 5 && name.as_bytes()[..5].eq_ignore_ascii_case(b"data-");
            let keep = kept(name);
            let name = if keep || style || data {
                atom(name)
            } else {
                local_name!("")
            };
            // After attribute name.
            skip_space(&mut i);
            if *b.get(i)? != b'=' {
                if keep {
                    push(&mut attrs, name, StrTendril::new());
                }
                continue;
            }
            i += 1;
            skip_space(&mut i);
            let value = match *b.get(i)? {
                q @ (b'"' | b'\'') => {
                    let vstart = i + 1;
                    let close = memchr::memchr(q, &b[vstart..])? + vstart;
                    i = close + 1;
                    // After a quoted value anything but space, `/` or `>` starts the next
                    // attribute: the loop does that.
                    let v = &b[vstart..close];
                    if !(keep || style && hides(v) || data && holds_markup(v)) {
                        continue;
                    }
                    self.attribute_value(vstart, close)
                }
                b'>' => {
                    // `name=>`: an empty value, and the tag ends.
                    if keep {
                        push(&mut attrs, name, StrTendril::new());
                    }
                    self.pos = i + 1;
                    return Some((attrs, false, duplicates));
                }
                _ => {
                    let vstart = i;
                    while i < n && !is_space(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    if i >= n {
                        return None;
                    }
                    let v = &b[vstart..i];
                    if !(keep || style && hides(v) || data && holds_markup(v)) {
                        continue;
                    }
                    self.attribute_value(vstart, i)
                }
            };
            push(&mut attrs, name, value);
        }
    }

    /// RCDATA, RAWTEXT or script data up to the end tag of `name`.
    fn raw(&mut self, kind: RawKind, name: &LocalName) -> Mode {
        let b = self.bytes();
        let start = self.pos;
        let (end, tag_end) = match kind {
            RawKind::ScriptData | RawKind::ScriptDataEscaped(_) => script_end(b, start, name),
            RawKind::Rcdata | RawKind::Rawtext => {
                let mut at = start;
                loop {
                    match b[at..].iter().position(|&c| c == b'<') {
                        None => break (b.len(), b.len()),
                        Some(i) => {
                            let lt = at + i;
                            if let Some(after) = end_tag_at(b, lt, name) {
                                break (lt, after);
                            }
                            at = lt + 1;
                        }
                    }
                }
            }
        };
        let references = matches!(kind, RawKind::Rcdata);
        let mut i = start;
        while i < end {
            let next = b[i..end]
                .iter()
                .position(|&c| c == b'\0' || references && c == b'&')
                .map_or(end, |p| i + p);
            self.push_run(i, next);
            if next == end {
                break;
            }
            if b[next] == b'\0' {
                self.push_str("\u{FFFD}");
                i = next + 1;
            } else {
                let (decoded, used) = char_ref(&self.src[next + 1..end], false);
                self.push_str(&decoded);
                i = next + 1 + used;
            }
        }
        self.pos = end;
        if end == b.len() {
            return Mode::Data;
        }
        // The end tag: `</name` then, as any tag, attributes through `>`.
        self.pos = tag_end;
        let Some((_, self_closing, duplicates)) = self.attributes() else {
            return Mode::Data;
        };
        let tag = Tag {
            kind: EndTag,
            name: name.clone(),
            self_closing,
            attrs: Vec::new(),
            had_duplicate_attributes: duplicates,
        };
        match self.emit(Token::TagToken(tag)) {
            TokenSinkResult::RawData(raw) => Mode::Raw(raw, name.clone()),
            TokenSinkResult::Plaintext => Mode::Plaintext,
            _ => Mode::Data,
        }
    }

    /// A character reference in data, `pos` just past the `&`.
    fn char_ref(&mut self, in_attribute: bool) {
        let (decoded, used) = char_ref(&self.src[self.pos..], in_attribute);
        self.push_str(&decoded);
        self.pos += used;
    }

    /// An attribute value (input `start..end`) with its character references decoded.
    fn attribute_value(&self, start: usize, end: usize) -> StrTendril {
        let raw = &self.src[start..end];
        if !raw.bytes().any(|b| b == b'&' || b == 0) {
            return self.slice(start, end);
        }
        attribute_value(raw)
    }
}

/// True for the attributes anything reads: the reader (`class`, `id`, spans, `<meta>`'s
/// `name`/`content`) and html5ever's tree builder (`type` of a hidden input in a table,
/// `color`/`face`/`size` of a `<font>` leaving SVG, `encoding` of MathML annotations,
/// `<meta>` charsets, declarative shadow roots). The rest — `href`, `style`, `src`,
/// `title`, `onclick`… most of a CMS page's bytes — is skipped without decoding or
/// allocating. (The builder also compares whole attribute lists of unclosed formatting
/// elements, to keep at most three identical ones open; that decides only how many
/// identical inline wrappers a text gets, not the text.)
fn kept(name: &str) -> bool {
    let is = |k: &str| k.as_bytes().eq_ignore_ascii_case(name.as_bytes());
    match name.len() {
        // An SVG `<text>`'s position: a table drawn as SVG (`layout::svg_rows`).
        1 => is("x") || is("y"),
        2 => is("id"),
        // Hidden elements are not read (`select::kinds`); an `<iframe srcdoc>` holds a
        // page of its own (`html::frame_markup`).
        6 => is("hidden") || is("srcdoc"),
        4 => is("name") || is("type") || is("face") || is("size"),
        5 => is("class") || is("color"),
        7 => is("colspan") || is("rowspan") || is("content") || is("charset"),
        8 => is("encoding"),
        10 => is("http-equiv"),
        14 => is("shadowrootmode"),
        18 => is("shadowrootclonable"),
        22 => is("shadowrootserializable"),
        24 => is("shadowrootdelegatesfocus"),
        31 => is("shadowrootcustomelementregistry"),
        _ => false,
    }
}

/// True when an attribute's value holds an end tag, written or escaped (`</p>`,
/// `&lt;/p&gt;`).
fn holds_markup(value: &[u8]) -> bool {
    memchr::memmem::find(value, b"</").is_some() || memchr::memmem::find(value, b"&lt;/").is_some()
}

/// True when a `style` value may hide its element (`display:none`, `visibility:hidden`,
/// Word's `mso-hide:all`): only then is it kept, for `select::kinds` to decide; the
/// other styles, most of a Word-exported page's bytes, are skipped as before.
fn hides(value: &[u8]) -> bool {
    // One pass, no searcher built: Word-exported pages carry thousands of styles.
    let at = |i: usize, word: &[u8]| {
        value
            .get(i..i + word.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
    };
    // `property : value`, spaces allowed around the colon (`border:none` hides nothing).
    let declares = |i: usize, property: &[u8], value_word: &[u8]| {
        if !at(i, property) {
            return false;
        }
        let mut j = i + property.len();
        while value.get(j).is_some_and(|b| b.is_ascii_whitespace()) {
            j += 1;
        }
        if value.get(j) != Some(&b':') {
            return false;
        }
        j += 1;
        while value.get(j).is_some_and(|b| b.is_ascii_whitespace()) {
            j += 1;
        }
        at(j, value_word)
    };
    let starts = |i: usize| match value[i] | 0x20 {
        b'd' => declares(i, b"display", b"none"),
        b'v' => declares(i, b"visibility", b"hidden"),
        b'm' => declares(i, b"mso-hide", b"all"),
        _ => false,
    };
    memchr::memchr3_iter(b'd', b'v', b'm', value).any(starts)
        || memchr::memchr3_iter(b'D', b'V', b'M', value).any(starts)
}

/// A tag or attribute name as html5ever names it: ASCII lower case, NUL replaced, and
/// the common names matched to their static atoms without hashing.
fn atom(s: &str) -> LocalName {
    if s.bytes().any(|b| b.is_ascii_uppercase() || b == 0) {
        return LocalName::from(&*s.to_ascii_lowercase().replace('\0', "\u{FFFD}"));
    }
    match s {
        "a" => local_name!("a"),
        "p" => local_name!("p"),
        "div" => local_name!("div"),
        "span" => local_name!("span"),
        "li" => local_name!("li"),
        "ul" => local_name!("ul"),
        "td" => local_name!("td"),
        "tr" => local_name!("tr"),
        "th" => local_name!("th"),
        "table" => local_name!("table"),
        "tbody" => local_name!("tbody"),
        "br" => local_name!("br"),
        "img" => local_name!("img"),
        "b" => local_name!("b"),
        "strong" => local_name!("strong"),
        "font" => local_name!("font"),
        "meta" => local_name!("meta"),
        "link" => local_name!("link"),
        "script" => local_name!("script"),
        "style" => local_name!("style"),
        "input" => local_name!("input"),
        "h1" => local_name!("h1"),
        "h2" => local_name!("h2"),
        "h3" => local_name!("h3"),
        "class" => local_name!("class"),
        "id" => local_name!("id"),
        "href" => local_name!("href"),
        "src" => local_name!("src"),
        "title" => local_name!("title"),
        "target" => local_name!("target"),
        "type" => local_name!("type"),
        "name" => local_name!("name"),
        "content" => local_name!("content"),
        "width" => local_name!("width"),
        "height" => local_name!("height"),
        "align" => local_name!("align"),
        "valign" => local_name!("valign"),
        "colspan" => local_name!("colspan"),
        "rowspan" => local_name!("rowspan"),
        "border" => local_name!("border"),
        "alt" => local_name!("alt"),
        "rel" => local_name!("rel"),
        "lang" => local_name!("lang"),
        "onclick" => local_name!("onclick"),
        "value" => local_name!("value"),
        _ => LocalName::from(s),
    }
}

/// An attribute value with its character references decoded.
fn attribute_value(raw: &str) -> StrTendril {
    let mut out = String::with_capacity(raw.len());
    let b = raw.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let next = b[i..]
            .iter()
            .position(|&c| c == b'&' || c == b'\0')
            .map_or(b.len(), |p| i + p);
        out.push_str(&raw[i..next]);
        if next == b.len() {
            break;
        }
        if b[next] == b'\0' {
            out.push('\u{FFFD}');
            i = next + 1;
        } else {
            let (decoded, used) = char_ref(&raw[next + 1..], true);
            out.push_str(&decoded);
            i = next + 1 + used;
        }
    }
    StrTendril::from_slice(&out)
}

/// The value of the character reference at the start of `s` (just past its `&`) and the
/// bytes it takes; `("&", 0)` when there is none.
fn char_ref(s: &str, in_attribute: bool) -> (Cow<'static, str>, usize) {
    let b = s.as_bytes();
    match b.first() {
        Some(b'#') => numeric_ref(s),
        Some(c) if c.is_ascii_alphanumeric() => named_ref(s, in_attribute),
        _ => (Cow::Borrowed("&"), 0),
    }
}

fn numeric_ref(s: &str) -> (Cow<'static, str>, usize) {
    let b = s.as_bytes();
    let (base, mut i) = match b.get(1) {
        Some(b'x' | b'X') => (16, 2),
        _ => (10, 1),
    };
    let digits_start = i;
    let mut num: u32 = 0;
    let mut too_big = false;
    while let Some(d) = b.get(i).and_then(|&c| (c as char).to_digit(base)) {
        num = num.wrapping_mul(base);
        if num > 0x10FFFF {
            too_big = true;
        }
        num = num.wrapping_add(d);
        i += 1;
    }
    if i == digits_start {
        // No digits: `&#` (and the `x`) are text.
        return (Cow::Borrowed("&"), 0);
    }
    if b.get(i) == Some(&b';') {
        i += 1;
    }
    let c = match num {
        n if n > 0x10FFFF || too_big => '\u{FFFD}',
        0x00 | 0xD800..=0xDFFF => '\u{FFFD}',
        0x80..=0x9F => C1_REPLACEMENTS[(num - 0x80) as usize]
            .unwrap_or_else(|| char::from_u32(num).unwrap_or('\u{FFFD}')),
        n => char::from_u32(n).unwrap_or('\u{FFFD}'),
    };
    (Cow::Owned(c.to_string()), i)
}

fn named_ref(s: &str, in_attribute: bool) -> (Cow<'static, str>, usize) {
    let mut best: Option<((u32, u32), usize)> = None;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        end = i + c.len_utf8();
        match NAMED_ENTITIES.get(&s[..end]) {
            Some(&m) if m.0 != 0 => best = Some((m, end)),
            Some(_) => {}
            None => break,
        }
    }
    let _ = end;
    let Some(((c1, c2), len)) = best else {
        return (Cow::Borrowed("&"), 0);
    };
    let last_is_semicolon = s.as_bytes()[len - 1] == b';';
    let next = s.as_bytes().get(len).copied();
    if in_attribute
        && !last_is_semicolon
        && next.is_some_and(|n| n == b'=' || n.is_ascii_alphanumeric())
    {
        return (Cow::Borrowed("&"), 0);
    }
    let mut out = String::new();
    out.extend(char::from_u32(c1));
    if c2 != 0 {
        out.extend(char::from_u32(c2));
    }
    (Cow::Owned(out), len)
}

/// `Some(position after the name)` when an end tag for `name` (that ends the raw text)
/// starts at `lt`: `</name` followed by space, `/` or `>`.
fn end_tag_at(b: &[u8], lt: usize, name: &str) -> Option<usize> {
    let n = name.len();
    if b.get(lt + 1) != Some(&b'/') {
        return None;
    }
    let candidate = b.get(lt + 2..lt + 2 + n)?;
    if !candidate.eq_ignore_ascii_case(name.as_bytes()) {
        return None;
    }
    match b.get(lt + 2 + n) {
        Some(&c) if is_space(c) || c == b'/' || c == b'>' => Some(lt + 2 + n),
        _ => None,
    }
}

/// Where script data starting at `start` ends: `(start of the end tag, position after its
/// name)`, following the script data escape states (`<!--` … `<script>` … `</script>` …
/// `-->` does not end the script at its inner end tag).
fn script_end(b: &[u8], start: usize, name: &str) -> (usize, usize) {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut s = S::Data;
    // Dashes just read in an escaped state: `>` after two of them (those of the opening
    // `<!--` count) leaves the escape.
    let mut dashes = 0;
    let mut i = start;
    while i < b.len() {
        let c = b[i];
        if s != S::Data {
            if c == b'-' {
                dashes += 1;
                i += 1;
                continue;
            }
            let after_dashes = dashes;
            dashes = 0;
            if c == b'>' && after_dashes >= 2 {
                s = S::Data;
                i += 1;
                continue;
            }
        }
        match (s, c) {
            (S::Data, b'<') => {
                if let Some(after) = end_tag_at(b, i, name) {
                    return (i, after);
                }
                if b[i + 1..].starts_with(b"!--") {
                    s = S::Escaped;
                    dashes = 2;
                    i += 4;
                    continue;
                }
                i += 1;
            }
            (S::Escaped, b'<') => {
                if let Some(after) = end_tag_at(b, i, name) {
                    return (i, after);
                }
                let letters = b[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
                let word = &b[i + 1..i + 1 + letters];
                let delimited = b
                    .get(i + 1 + letters)
                    .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>');
                if delimited && word.eq_ignore_ascii_case(b"script") {
                    s = S::DoubleEscaped;
                }
                i += 1 + letters;
            }
            (S::DoubleEscaped, b'<') if b.get(i + 1) == Some(&b'/') => {
                let letters = b[i + 2..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphabetic())
                    .count();
                let word = &b[i + 2..i + 2 + letters];
                let delimited = b
                    .get(i + 2 + letters)
                    .is_some_and(|&c| is_space(c) || c == b'/' || c == b'>');
                if delimited && word.eq_ignore_ascii_case(b"script") {
                    s = S::Escaped;
                }
                i += 2 + letters;
            }
            _ => i += 1,
        }
    }
    (b.len(), b.len())
}

/// A quoted doctype identifier at the start of `s` (after spaces): its value and the
/// rest.
fn quoted(s: &str) -> (Option<&str>, &str) {
    let s = s.trim_start_matches(['\t', '\n', '\x0C', ' ']);
    let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') else {
        return (None, s);
    };
    match s[1..].find(q) {
        Some(end) => (Some(&s[1..1 + end]), &s[2 + end..]),
        None => (Some(&s[1..]), ""),
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}
