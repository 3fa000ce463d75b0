//! Stage 3: decoded text → lines ready for matching, each keeping its original text and
//! line number for provenance.
//!
//! What changes, and why:
//! - NFKC folds full-width digits, letters and punctuation (`０１２`, `（一）`, `：`) and
//!   odd spaces (U+3000, U+00A0) into ASCII, so one set of rules reads them all.
//! - Traditional characters become simplified (reports mirrored on Taiwan/HK sites, or
//!   written that way), so labels and agency names match one spelling.
//! - Conversion residue is removed: `[bookmark: _GoBack]` from DOCX exports, inline pinyin
//!   annotations (`項(xiàng)`) from mirror sites, markdown emphasis and heading marks.
//!
//! Cell separators (tabs, pipes, runs of spaces) are kept: [`crate::segment`] needs them.

use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;

/// `str::trim` with a shortcut for text that starts and ends with no space: the rules
/// trim the same lines and cells over and over, and the standard trim, which decodes a
/// character at each end to ask Unicode, was a sixteenth of a text build's instructions.
pub trait Trim {
    /// The same slice as [`str::trim`].
    fn trim_ws(&self) -> &str;
}

impl Trim for str {
    #[inline]
    fn trim_ws(&self) -> &str {
        let b = self.as_bytes();
        match (b.first(), b.last()) {
            (Some(&first), Some(&last)) if !may_start_space(first) && !may_end_space(b, last) => {
                self
            }
            (None, _) => self,
            _ => self.trim(),
        }
    }
}

/// Whether a character starting with this byte may be white space: an ASCII byte up to
/// the space, or the lead byte of U+0085, U+00A0 (C2), U+1680 (E1), U+2000–U+205F (E2)
/// and U+3000 (E3).
#[inline]
fn may_start_space(b: u8) -> bool {
    b <= b' ' || matches!(b, 0xC2 | 0xE1..=0xE3)
}

/// Whether the character `bytes` ends with (its last byte `last`) may be white space:
/// ASCII up to the space, or a character whose lead byte may start one (every white
/// space beyond ASCII is two or three bytes long).
#[inline]
fn may_end_space(bytes: &[u8], last: u8) -> bool {
    if last < 0x80 {
        return last <= b' ';
    }
    let n = bytes.len();
    let lead2 = n >= 2 && bytes[n - 2] == 0xC2;
    let lead3 = n >= 3 && matches!(bytes[n - 3], 0xE1..=0xE3);
    lead2 || lead3
}

/// One line of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// 1-based line number in the decoded text.
    pub no: u32,
    /// The line as decoded, when normalising changed it (see [`Line::raw`]): most lines
    /// come out as they went in, and a copy of each was an allocation per line.
    raw: Option<String>,
    /// The line normalised (NFKC, simplified, residue removed).
    pub text: String,
}

impl Line {
    /// Line `no`, decoded as `raw` and normalised to `text`.
    pub fn new(no: u32, raw: &str, text: String) -> Line {
        let raw = (raw != text).then(|| raw.to_string());
        Line { no, raw, text }
    }

    /// The line as decoded.
    pub fn raw(&self) -> &str {
        self.raw.as_deref().unwrap_or(&self.text)
    }
}

/// Splits decoded text into normalised lines.
pub fn normalise(text: &str) -> Vec<Line> {
    let raw_lines: Vec<&str> = text.split('\n').collect();
    let cleaned: Vec<Cow<str>> = raw_lines.iter().map(|l| clean_line(l)).collect();
    let texts: Vec<String> = if cleaned.iter().any(|l| has_traditional_marker(l)) {
        let simplified = to_simplified(&cleaned.join("\n"));
        let norm_lines: Vec<&str> = simplified.split('\n').collect();
        // Conversion is phrase-based and must not move line breaks; if it ever did, fall
        // back to converting line by line so provenance stays exact.
        if norm_lines.len() == raw_lines.len() {
            norm_lines.into_iter().map(str::to_string).collect()
        } else {
            cleaned.iter().map(|l| to_simplified(l)).collect()
        }
    } else {
        // Nearly every report: nothing to convert, each cleaned line is its text.
        cleaned.into_iter().map(Cow::into_owned).collect()
    };
    raw_lines
        .iter()
        .zip(texts)
        .enumerate()
        .map(|(i, (raw, text))| Line::new((i + 1) as u32, raw.trim_end_matches('\r'), text))
        .collect()
}

/// NFKC plus residue removal for one line (before simplification). Most lines need
/// none of the steps, or only NFKC of full-width punctuation, so each step borrows what
/// it does not change (this stage was a sixth of a text build's CPU when every step
/// copied the line).
fn clean_line(line: &str) -> Cow<'_, str> {
    let line = line.trim_end_matches('\r');
    let mut s = remove_bracketed(line, "[bookmark:");
    if let Some(folded) = nfkc(&s) {
        s = Cow::Owned(folded);
    }
    if let Some(years) = chinese_years(&s) {
        s = Cow::Owned(years);
    }
    // Each residue below starts with one of these bytes; most lines have none of them, and
    // one scan finds that instead of four searches. (U+FEFF went with the invisible
    // characters, in `nfkc`.)
    if memchr::memchr3(b'<', b'{', b']', s.as_bytes()).is_some() {
        if let Some(t) = without_inline_markup(&s) {
            s = Cow::Owned(t);
        }
    }
    if memchr::memchr3(b'*', b'<', b'(', s.as_bytes()).is_some() {
        if s.contains("**") {
            s = Cow::Owned(s.replace("**", ""));
        }
        if let Cow::Owned(t) = remove_line_breaks_in_cells(&s) {
            s = Cow::Owned(t);
        }
        if let Cow::Owned(t) = strip_pinyin(&s) {
            s = Cow::Owned(t);
        }
    }
    // Markdown headings (`## 二、…`) from document converters.
    if s.trim_start().starts_with('#') {
        return match s {
            Cow::Borrowed(b) => Cow::Borrowed(heading_text(b)),
            Cow::Owned(o) => Cow::Owned(heading_text(&o).to_string()),
        };
    }
    s
}

/// The line with years written in Chinese numerals (`二〇二三年`, `二○二三年度`,
/// `二零二三年`) in digits, `None` when it has none: titles, statistics periods and
/// signatures print them so, and every reader of years reads digits. Only a year of
/// this century followed by 年 (its second numeral a zero), nothing else.
fn chinese_years(line: &str) -> Option<String> {
    // Every such year starts with 二; most lines have none.
    memchr::memmem::find(line.as_bytes(), "二".as_bytes())?;
    let digit = |c: char| match c {
        '〇' | '○' | '零' | 'O' | 'o' | '0' => Some(0),
        c => chinese_digit(c),
    };
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while i + 4 < chars.len() {
        let year = (chars[i].1 == '二'
            && matches!(chars[i + 1].1, '〇' | '○' | '零' | 'O' | 'o' | '0')
            && chars[i + 4].1 == '年'
            && (i == 0 || digit(chars[i - 1].1).is_none() && chars[i - 1].1 != '十'))
            .then(|| Some(2000 + digit(chars[i + 2].1)? * 10 + digit(chars[i + 3].1)?))
            .flatten();
        match year {
            Some(y) => {
                let o = out.get_or_insert_with(|| String::with_capacity(line.len()));
                o.push_str(&line[copied..chars[i].0]);
                o.push_str(&y.to_string());
                copied = chars[i + 4].0;
                i += 4;
            }
            None => i += 1,
        }
    }
    let mut out = out?;
    out.push_str(&line[copied..]);
    Some(out)
}

/// 一 … 九 as 1 … 9.
pub fn chinese_digit(c: char) -> Option<u32> {
    "一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32 + 1)
}

fn heading_text(line: &str) -> &str {
    line.trim_start().trim_start_matches('#').trim_start()
}

/// The NFKC form of `line`, or `None` when it is already in NFKC. A line of ASCII, CJK
/// ideographs and the common punctuation (full-width forms included, which NFKC maps
/// one to one) is folded character by character; any other character sends the whole
/// line through the full algorithm, so combining sequences are never split. The test
/// `fast_fold_is_nfkc` checks every character of the fast set against the full algorithm.
fn nfkc(line: &str) -> Option<String> {
    let mut changed = false;
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // Printable ASCII and the ideographs U+4E00–U+9FFF (E4 B8 80 … E9 BF BF), most of
        // every line, fold to themselves: told by their bytes, without decoding them.
        let lead = b[i];
        if (b' '..=b'~').contains(&lead) || lead == b'\t' {
            i += 1;
            continue;
        }
        if (0xE5..=0xE9).contains(&lead) || lead == 0xE4 && b.get(i + 1).is_some_and(|&n| n >= 0xB8)
        {
            i += 3;
            continue;
        }
        let Some(c) = line[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        match fast_fold(c) {
            Some(f) => changed |= f != c,
            None => {
                let visible = without_invisibles(line);
                let unradical = radicals_as_ideographs(&visible);
                let changed = unradical.is_some() || matches!(visible, Cow::Owned(_));
                let line = unradical.as_deref().unwrap_or(&visible);
                if let Some(stripped) = without_footnote_marks(line) {
                    return Some(stripped.nfkc().collect());
                }
                if changed {
                    return Some(line.nfkc().collect());
                }
                return match unicode_normalization::is_nfkc_quick(line.chars()) {
                    unicode_normalization::IsNormalized::Yes => None,
                    _ => Some(line.nfkc().collect()),
                };
            }
        }
    }
    changed.then(|| {
        // Folding never lengthens a character; the runs it keeps are copied whole.
        let mut folded = String::with_capacity(line.len());
        let mut kept = 0;
        for (i, c) in line.char_indices() {
            if let Some(f) = fast_fold(c).filter(|f| *f != c) {
                folded.push_str(&line[kept..i]);
                folded.push(f);
                kept = i + c.len_utf8();
            }
        }
        folded.push_str(&line[kept..]);
        folded
    })
}

/// The ideographs that characters of the CJK Radicals Supplement stand for. PDF fonts
/// map the glyph shared by a radical and its ideograph to the radical, so `pdftotext`
/// gives `人⺠政府` for 人民政府 and `⿊⻰江` for 黑龙江; NFKC folds the Kangxi radicals
/// (U+2F00–U+2FD5) but only two of these. Radicals that are only components (`⺡` 氵)
/// map to their component form. Pairs of Unicode's EquivalentUnifiedIdeograph.txt.
const RADICALS: [(char, char); 82] = [
    ('⺁', '厂'),
    ('⺆', '冂'),
    ('⺇', '几'),
    ('⺊', '卜'),
    ('⺌', '小'),
    ('⺎', '兀'),
    ('⺏', '尣'),
    ('⺐', '尢'),
    ('⺒', '巳'),
    ('⺓', '幺'),
    ('⺔', '彑'),
    ('⺕', '彐'),
    ('⺖', '忄'),
    ('⺘', '扌'),
    ('⺙', '攵'),
    ('⺛', '旡'),
    ('⺜', '日'),
    ('⺝', '月'),
    ('⺞', '歺'),
    ('⺠', '民'),
    ('⺡', '氵'),
    ('⺢', '氺'),
    ('⺣', '灬'),
    ('⺤', '爫'),
    ('⺦', '丬'),
    ('⺨', '犭'),
    ('⺩', '王'),
    ('⺪', '疋'),
    ('⺫', '罒'),
    ('⺬', '示'),
    ('⺭', '礻'),
    ('⺯', '糸'),
    ('⺰', '纟'),
    ('⺲', '罒'),
    ('⺹', '耂'),
    ('⺻', '聿'),
    ('⺼', '月'),
    ('⺾', '艹'),
    ('⺿', '艹'),
    ('⻀', '艹'),
    ('⻁', '虎'),
    ('⻂', '衤'),
    ('⻃', '覀'),
    ('⻄', '西'),
    ('⻅', '见'),
    ('⻆', '角'),
    ('⻈', '讠'),
    ('⻉', '贝'),
    ('⻋', '车'),
    ('⻌', '辶'),
    ('⻍', '辶'),
    ('⻎', '辶'),
    ('⻏', '阝'),
    ('⻐', '钅'),
    ('⻑', '長'),
    ('⻒', '镸'),
    ('⻓', '长'),
    ('⻔', '门'),
    ('⻖', '阝'),
    ('⻗', '雨'),
    ('⻘', '青'),
    ('⻙', '韦'),
    ('⻚', '页'),
    ('⻛', '风'),
    ('⻜', '飞'),
    ('⻝', '食'),
    ('⻟', '飠'),
    ('⻠', '饣'),
    ('⻡', '首'),
    ('⻢', '马'),
    ('⻣', '骨'),
    ('⻤', '鬼'),
    ('⻥', '鱼'),
    ('⻦', '鸟'),
    ('⻧', '卤'),
    ('⻨', '麦'),
    ('⻩', '黄'),
    ('⻪', '黾'),
    ('⻬', '齐'),
    ('⻮', '齿'),
    ('⻰', '龙'),
    ('⻱', '龜'),
];

/// Characters that print nothing: zero-width spaces and joiners, soft hyphens, direction
/// marks, the word joiner and BOM. Pasted from web pages and Word into a number
/// (`\u{200B}413`, `4\u{200D}13`) they left it unreadable; the number printed is 413.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{FEFF}')
}

fn without_invisibles(line: &str) -> Cow<'_, str> {
    if line.chars().any(is_invisible) {
        Cow::Owned(line.chars().filter(|&c| !is_invisible(c)).collect())
    } else {
        Cow::Borrowed(line)
    }
}

/// `line` with the CJK Radicals Supplement characters of [`RADICALS`] replaced by their
/// ideographs; `None` when it has none.
fn radicals_as_ideographs(line: &str) -> Option<String> {
    if !line.chars().any(|c| ('\u{2E80}'..='\u{2EFF}').contains(&c)) {
        return None;
    }
    Some(
        line.chars()
            .map(|c| {
                RADICALS
                    .binary_search_by(|&(r, _)| r.cmp(&c))
                    .map_or(c, |i| RADICALS[i].1)
            })
            .collect(),
    )
}

/// `1587①`, `413¹`: a circled, parenthesised or superscript number right after a digit
/// is a footnote mark, which NFKC would fold into a digit of the number (`15871`). `None`
/// when there is none; marks elsewhere (`①申请人…`, an enumerator, `m²`) are left to NFKC.
fn without_footnote_marks(line: &str) -> Option<String> {
    let is_mark = |c: char| matches!(c, '\u{2460}'..='\u{24FF}' | '\u{2776}'..='\u{2793}' | '\u{3251}'..='\u{325F}' | '\u{32B1}'..='\u{32BF}' | '¹' | '²' | '³' | '\u{2070}' | '\u{2074}'..='\u{2079}');
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut prev = ' ';
    let mut found = false;
    for c in line.chars() {
        found |= is_digit(prev) && is_mark(c);
        prev = c;
    }
    if !found {
        return None;
    }
    let mut out = String::with_capacity(line.len());
    let mut prev = ' ';
    for c in line.chars() {
        if !(is_mark(c)
            && (is_digit(prev) || is_mark(prev) && out.ends_with(|d: char| is_digit(d))))
        {
            out.push(c);
        }
        prev = c;
    }
    Some(out)
}

/// NFKC of `c` when it is a character whose NFKC is one character and that neither
/// composes with a neighbour nor reorders: printable ASCII and tab, CJK unified
/// ideographs, full-width ASCII and the ideographic space (folded), and CJK punctuation
/// that NFKC keeps. `None` for every other character.
fn fast_fold(c: char) -> Option<char> {
    match c {
        '\t' | ' '..='~' | '\u{4E00}'..='\u{9FFF}' => Some(c),
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
        '\u{3000}' => Some(' '),
        '、' | '。' | '《' | '》' | '〈' | '〉' | '「' | '」' | '『' | '』' | '【' | '】' | '“'
        | '”' | '‘' | '’' | '—' | '·' | '×' | '○' | '〇' | '√' => Some(c),
        _ => None,
    }
}

/// Markdown tables from converters break a long label inside its cell with `<br>`
/// (`| 补正后申请<br>内容仍不明确 | 0 |`): the label is one, so the break goes. Only in
/// lines outside HTML (HTML is rendered by its own reader before this stage).
fn remove_line_breaks_in_cells(line: &str) -> Cow<'_, str> {
    if !line.contains("<br") && !line.contains("<BR") {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(pos) = rest.find('<') {
        out.push_str(&rest[..pos]);
        let tail = &rest[pos..];
        let lower: String = tail
            .chars()
            .take(6)
            .collect::<String>()
            .to_ascii_lowercase();
        let len = ["<br/>", "<br />", "<br>"]
            .iter()
            .find(|t| lower.starts_with(**t))
            .map(|t| t.len());
        match len {
            Some(n) => rest = &tail[n..],
            None => {
                out.push('<');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Inline tags a converter left as they were (`pandoc -t gfm` keeps a CMS page's
/// `<span style="…">0</span>` in every cell), and `pandoc -t markdown`'s bracketed spans
/// with attributes (`[0]{style="…"}`), written as their text: a cell read `<span` as a
/// label and lost its number; Markdown links `[text](url "title")` as their text. Only
/// formatting elements, only whole tags on the line; `None` when there is none.
pub(crate) fn without_inline_markup(line: &str) -> Option<String> {
    const TAGS: [&str; 6] = ["span", "font", "strong", "b", "em", "u"];
    let bytes = line.as_bytes();
    let tag_len = |at: usize| -> Option<usize> {
        let rest = &bytes[at + 1..];
        let rest = rest.strip_prefix(b"/").unwrap_or(rest);
        TAGS.iter().find(|t| {
            rest.get(..t.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(t.as_bytes()))
                && matches!(rest.get(t.len()), Some(b'>' | b' ' | b'/'))
        })?;
        memchr::memchr(b'>', &bytes[at..]).map(|end| end + 1)
    };
    let attributes = |at: usize| -> Option<usize> {
        let rest = &bytes[at + 1..];
        if rest.starts_with(b"(") {
            // A Markdown link's target, `](url)` or `](url "title")`, closed on the line:
            // a list of links to reports is a list of titles (an index page), not a
            // report opening with its title.
            let url = &rest[1..];
            let end = memchr::memchr2(b')', b' ', url)?;
            if url[end] == b')' {
                return Some(end + 3);
            }
            let title = url[end + 1..].strip_prefix(b"\"")?;
            let close = memchr::memmem::find(title, b"\")")?;
            return Some(1 + 1 + end + 1 + 1 + close + 2);
        }
        // `]{` opening `{style=…}`, `{.class}` or `{#id}`, closed on the line.
        let opens =
            rest.starts_with(b"{style=") || rest.starts_with(b"{.") || rest.starts_with(b"{#");
        if !opens {
            return None;
        }
        memchr::memchr(b'}', rest).map(|end| end + 2)
    };
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut i = 0;
    while let Some(off) = memchr::memchr2(b'<', b']', &bytes[i..]) {
        let at = i + off;
        let cut = if bytes[at] == b'<' {
            tag_len(at)
        } else {
            attributes(at)
        };
        match cut {
            Some(len) => {
                let o = out.get_or_insert_with(|| String::with_capacity(line.len()));
                let kept = o.len();
                o.push_str(&line[copied..at]);
                if bytes[at] == b']' {
                    // Its opening bracket goes too: the `[` this `]` closes, if still
                    // copied (with an image's `!`).
                    if let Some(open) = matching_open(o) {
                        let image = o[..open].ends_with('!');
                        let before = &o[..open - usize::from(image)];
                        let text = &o[open + 1..];
                        let digit = |c: char| c.is_ascii_digit();
                        // A link's text glued to digits outside it (`30[1](#fn1)`, a
                        // footnote's number): written as text, the two numbers read as
                        // one (301). Left as it is, the cell is unreadable (a finding).
                        if bytes[at + 1] == b'('
                            && (before.ends_with(digit) && text.starts_with(digit)
                                || text.ends_with(digit) && line[at + len..].starts_with(digit))
                        {
                            o.truncate(kept);
                            i = at + 1;
                            continue;
                        }
                        o.remove(open);
                        if image {
                            o.remove(open - 1);
                        }
                    }
                }
                copied = at + len;
                i = copied;
            }
            None => i = at + 1,
        }
    }
    let mut out = out?;
    out.push_str(&line[copied..]);
    Some(out)
}

/// The position of the `[` that a `]` following `text` closes (brackets between are
/// paired).
fn matching_open(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate().rev() {
        match b {
            b']' => depth += 1,
            b'[' if depth == 0 => return Some(i),
            b'[' => depth -= 1,
            _ => {}
        }
    }
    None
}

/// Removes every `[prefix …]` span.
pub(crate) fn remove_bracketed<'a>(line: &'a str, prefix: &str) -> Cow<'a, str> {
    // Its first byte is looked for first: a substring search costs a searcher's set-up
    // on every line, and nearly no line has the bracket.
    let first = prefix.as_bytes().first().copied().unwrap_or(b'[');
    if memchr::memchr(first, line.as_bytes()).is_none() || !line.contains(prefix) {
        return Cow::Borrowed(line);
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(pos) = rest.find(prefix) {
        out.push_str(&rest[..pos]);
        match rest[pos..].find(']') {
            Some(end) => rest = &rest[pos + end + 1..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Removes `(pīnyīn)` annotations that follow a Han character: lowercase Latin letters,
/// at least one of them with a tone mark or the whole thing a plausible syllable.
fn strip_pinyin(line: &str) -> Cow<'_, str> {
    if !line.contains('(') {
        return Cow::Borrowed(line);
    }
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::with_capacity(line.len());
    let mut stripped = false;
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '(' && i > 0 && is_han(chars[i - 1]) {
            if let Some(len) = pinyin_len(&chars[i + 1..]) {
                if chars.get(i + 1 + len) == Some(&')') {
                    i += len + 2;
                    stripped = true;
                    continue;
                }
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    if stripped {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(line)
    }
}

/// Length of a pinyin syllable at the start of `s`, if there is one.
fn pinyin_len(s: &[char]) -> Option<usize> {
    let len = s
        .iter()
        .take_while(|c| c.is_ascii_lowercase() || is_tone_vowel(**c))
        .count();
    if (1..=7).contains(&len) && s[..len].iter().any(|c| is_tone_vowel(*c)) {
        Some(len)
    } else {
        None
    }
}

fn is_tone_vowel(c: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü".contains(c)
}

/// True for CJK unified ideographs (the characters labels and names are written in).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FA1F)
}

/// Columns a character takes where text is laid out for the eye (`pdftotext`'s columns,
/// a text browser's table): Han and full-width characters two, others one.
pub fn char_width(c: char) -> usize {
    if is_han(c) || ('\u{3000}'..='\u{ffef}').contains(&c) {
        2
    } else {
        1
    }
}

/// Converts traditional characters to simplified. Most of the corpus is already
/// simplified and conversion is the costliest step here, so it runs only on text that
/// holds a character that exists only in traditional writing and that every report in
/// traditional characters is bound to use (公開, 報告, 區, 統計, 條例, 申請 …).
fn to_simplified(text: &str) -> String {
    if has_traditional_marker(text) {
        let converted = zhconv::get_builtin_converter(zhconv::Variant::ZhHans).convert(text);
        converted
            .chars()
            .map(|c| {
                NAME_VARIANTS
                    .iter()
                    .find(|(v, _)| *v == c)
                    .map_or(c, |(_, s)| *s)
            })
            .collect()
    } else {
        text.to_string()
    }
}

/// Traditional characters with two simplified forms, for which the converter keeps the
/// rare one (used in surnames) where place names use the common one: 鍾山區 is 钟山区, not
/// 锺山区; 餘杭 is 余杭. The complete list of such characters in the gazetteer's names,
/// found by converting every name to traditional and back (the test below repeats it).
const NAME_VARIANTS: [(char, char); 8] = [
    ('锺', '钟'),
    ('钜', '巨'),
    ('霑', '沾'),
    ('馀', '余'),
    ('谿', '溪'),
    ('峯', '峰'),
    ('澂', '澄'),
    ('濬', '浚'),
];

/// Whether `text` holds a [traditional marker](is_traditional_marker). Every marker is a
/// three-byte character led by E4–E9 (U+4000–U+9FFF): the bytes are walked a character at
/// a time, and only those characters are decoded and looked up, first in a filter of
/// their last eight bits (every line of every document is asked, and decoding each
/// character to match it against the list was 1.5 % of a text build).
fn has_traditional_marker(text: &str) -> bool {
    const FILTER: [u64; 4] = {
        let mut f = [0u64; 4];
        let mut k = 0;
        while k < TRADITIONAL_MARKERS.len() {
            let low = TRADITIONAL_MARKERS[k] as u32 & 0xFF;
            f[(low / 64) as usize] |= 1 << (low % 64);
            k += 1;
        }
        f
    };
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let lead = b[i];
        if lead < 0x80 {
            i += 1;
            continue;
        }
        let len = match lead {
            0xF0.. => 4,
            0xE0.. => 3,
            _ => 2,
        };
        if (0xE4..=0xE9).contains(&lead) && i + 2 < b.len() {
            let cp = (u32::from(lead & 0x0F) << 12)
                | (u32::from(b[i + 1] & 0x3F) << 6)
                | u32::from(b[i + 2] & 0x3F);
            let low = cp & 0xFF;
            if FILTER[(low / 64) as usize] >> (low % 64) & 1 == 1
                && char::from_u32(cp).is_some_and(is_traditional_marker)
            {
                return true;
            }
        }
        i += len;
    }
    false
}

/// Common characters that simplified writing never uses.
const TRADITIONAL_MARKERS: [char; 23] = [
    '開', '報', '區', '縣', '統', '計', '國', '條', '務', '處', '請', '與', '為', '會', '發', '資',
    '們', '個', '關', '於', '這', '說', '時',
];

/// One of [`TRADITIONAL_MARKERS`].
fn is_traditional_marker(c: char) -> bool {
    TRADITIONAL_MARKERS.contains(&c)
}

/// The matching form of a label: leading enumerators removed (`一、`, `(三)`, `4.`),
/// then only Han characters and ASCII letters kept (no label of the templates holds a
/// digit, so digits left inside are enumerators of merged cells: `不予公开1.属于…`).
/// Labels in [`crate::templates`] are written in this form.
pub fn match_key(s: &str) -> String {
    let s = strip_enumerator(s.trim_ws());
    // Sized once, and copied by runs of kept characters (a label is mostly one run):
    // collecting the filtered characters one by one grew the string from nothing, and
    // this function was a twentieth of a text build's instructions.
    let mut key = String::with_capacity(s.len());
    let mut run = None;
    for (i, c) in s.char_indices() {
        if is_han(c) || c.is_ascii_alphabetic() {
            run.get_or_insert(i);
        } else if let Some(from) = run.take() {
            key.push_str(&s[from..i]);
        }
    }
    if let Some(from) = run {
        key.push_str(&s[from..]);
    }
    key
}

/// Removes enumerators such as `一、`, `三、`, `(一)`, `1.`, `2、`, `(3)` from the start.
pub fn strip_enumerator(s: &str) -> &str {
    let mut s = s.trim_start();
    loop {
        let before = s;
        // (一) (1)
        if let Some(rest) = s.strip_prefix('(') {
            if let Some(end) = rest.find(')') {
                let inner = &rest[..end];
                if !inner.is_empty() && inner.chars().count() <= 3 && inner.chars().all(is_numeral)
                {
                    s = rest[end + 1..].trim_start();
                }
            }
        }
        // 一、 1. 2、 十二、
        let numeral_len: usize = s
            .char_indices()
            .take_while(|(_, c)| is_numeral(*c))
            .map(|(_, c)| c.len_utf8())
            .sum();
        if numeral_len > 0 && numeral_len <= 9 {
            let rest = &s[numeral_len..];
            let rest_trim = rest.trim_start();
            if let Some(r) = rest_trim
                .strip_prefix('、')
                .or_else(|| rest_trim.strip_prefix('.'))
                .or_else(|| rest_trim.strip_prefix(','))
            {
                // `1.5` is a number, not an enumerator.
                if !r.starts_with(|c: char| c.is_ascii_digit()) {
                    s = r.trim_start();
                }
            }
        }
        // `s` only ever loses a prefix: the same length is the same string.
        if s.len() == before.len() {
            return s;
        }
    }
}

/// Digits and Chinese numerals used in enumerators.
fn is_numeral(c: char) -> bool {
    // A `match`, not `"一二…".contains(c)`: that searched the string for the character's
    // UTF-8 bytes on every call (1 % of a text build).
    matches!(
        c,
        '0'..='9' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod equivalence {
    use super::*;
    use std::path::Path;

    /// Every character of the fast set folds as the full algorithm folds it.
    #[test]
    fn fast_fold_is_nfkc() {
        let mut checked = 0;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            if let Some(f) = fast_fold(c) {
                let full: String = c.to_string().nfkc().collect();
                assert_eq!(full, f.to_string(), "U+{:04X}", c as u32);
                checked += 1;
            }
        }
        assert!(checked > 20_000, "{checked}");
    }

    fn texts_under(dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                texts_under(&p, out);
            } else if p.extension().is_some_and(|e| e == "txt" || e == "md") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    out.push(t);
                }
            }
        }
    }

    /// What the stage reads: the hand-read corpora and the sample as decoded text, the
    /// synthetic generator's text layouts, and lines mutated with what the steps act on
    /// (full-width and combining characters, bookmarks, BOMs, emphasis, `<br>`, pinyin,
    /// headings, CR, traditional characters).
    #[test]
    fn inline_markup_left_by_converters_is_its_text() {
        let gfm = r#"| <span style="font-size: 14px;">规章</span> | <SPAN>30</SPAN> | <b>2</b> |"#;
        assert_eq!(
            without_inline_markup(gfm).as_deref(),
            Some("| 规章 | 30 | 2 |")
        );
        let md = r#"[（一）予以公开]{style="font-size: 14px;"}   [0]{.x}"#;
        assert_eq!(
            without_inline_markup(md).as_deref(),
            Some("（一）予以公开   0")
        );
        let link = r#"  * [某区司法局2019年政府信息公开工作年度报告](./202002/t1.html "某区司法局2019年政府信息公开工作年度报告")2020-02-05 ![图](a.png) [x](y)"#;
        assert_eq!(
            without_inline_markup(link).as_deref(),
            Some("  * 某区司法局2019年政府信息公开工作年度报告2020-02-05 图 x")
        );
        // A link glued to digits (a footnote's number) is left: 30 and 1 are not 301.
        assert_eq!(
            without_inline_markup("| 规章 | 30[1](#fn1) | [1](#fn1)30 | ![2](a.png)5 | [7](b) |")
                .as_deref(),
            Some("| 规章 | 30[1](#fn1) | [1](#fn1)30 | ![2](a.png)5 | 7 |")
        );
        assert_eq!(
            without_inline_markup("[30]{.a}[1](#fn1) [30[1](#fn1)]{.b}").as_deref(),
            Some("30[1](#fn1) 30[1](#fn1)")
        );
        // Not a formatting tag, or not a tag: left alone.
        assert_eq!(without_inline_markup("<table> a<b [x]{y}"), None);
        assert_eq!(without_inline_markup("<br>规章"), None);
    }

    #[test]
    fn normalises_as_the_copying_version_did() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut texts = Vec::new();
        for dir in [
            "../shared/gold",
            "../shared/pending",
            "data",
            "tests/fixtures",
        ] {
            texts_under(&root.join(dir), &mut texts);
        }
        let options = crate::synth::Options {
            seed: 5,
            defect_rate: 0.3,
            formats: vec![
                crate::synth::SynthFormat::Text,
                crate::synth::SynthFormat::Html,
                crate::synth::SynthFormat::Docx,
            ],
            panel: None,
        };
        for i in 0..150 {
            for file in crate::synth::report(&options, i) {
                texts.push(crate::read::read(&file.bytes, &file.path).text);
            }
        }
        let inserts = [
            "（一）",
            "０１２",
            "\u{3000}",
            "e\u{301}",
            "\u{301}",
            "Ａ\u{308}",
            "[bookmark: _GoBack]",
            "[bookmark:",
            "\u{FEFF}",
            "*\u{FEFF}*",
            "**",
            "<br>",
            "<BR/>",
            "<br />",
            "<b>",
            "項(xiàng)",
            "(ab)",
            "# ",
            "## 二、",
            "\r",
            "報告",
            "區",
            "鍾山區",
            "…",
            "①",
            "㈠",
            "ｶ",
            "\u{FF65}",
            "\u{2F00}",
            "\u{F900}",
            "\u{1100}\u{1161}",
            "\t",
            "|",
            "﹐",
            "︰",
            "¼",
            "ﬁ",
        ];
        let mut seed = 0x9E37_79B9_7F4A_7C15u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut mutated = Vec::new();
        for t in &texts {
            let mut m = String::new();
            for line in t.split('\n') {
                let chars: Vec<char> = line.chars().collect();
                let at = if chars.is_empty() {
                    0
                } else {
                    next() as usize % (chars.len() + 1)
                };
                m.extend(&chars[..at]);
                if next() % 3 == 0 {
                    m.push_str(inserts[next() as usize % inserts.len()]);
                }
                m.extend(&chars[at..]);
                m.push('\n');
            }
            mutated.push(m);
        }
        assert!(texts.len() > 40, "{} texts", texts.len());
        let mut lines = 0;
        for t in texts.iter().chain(&mutated) {
            let got = normalise(t);
            assert_eq!(got, reference::normalise(t));
            lines += got.len();
        }
        assert!(lines > 20_000, "{lines}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_in_chinese_numerals_are_digits() {
        assert_eq!(
            chinese_years("二〇二三年度乌苏市统计局政府信息公开工作年度报告").as_deref(),
            Some("2023年度乌苏市统计局政府信息公开工作年度报告")
        );
        assert_eq!(
            chinese_years("自二○二三年一月一日起至二零二三年十二月三十一日止").as_deref(),
            Some("自2023年一月一日起至2023年十二月三十一日止")
        );
        assert_eq!(chinese_years("二、主动公开政府信息情况"), None);
        assert_eq!(chinese_years("第二十二条"), None);
        assert_eq!(chinese_years("十二〇二三年"), None);
    }

    #[test]
    fn every_division_name_survives_traditional_and_back() {
        let hant = zhconv::get_builtin_converter(zhconv::Variant::ZhHant);
        let text = crate::agency::DIVISIONS;
        for line in text.lines().skip(1) {
            let name = line.split('\t').nth(1).unwrap_or("");
            // A marker character makes to_simplified convert.
            let traditional = format!("{}區", hant.convert(name));
            assert_eq!(to_simplified(&traditional), format!("{name}区"), "{name}");
        }
    }

    #[test]
    fn folds_full_width_and_traditional() {
        let lines = normalise("第二十條第（一）項\t０\n規範性文件｜３");
        assert_eq!(lines[0].text, "第二十条第(一)项\t0");
        assert_eq!(lines[1].text, "规范性文件|3");
        assert_eq!(lines[0].raw(), "第二十條第（一）項\t０");
        assert_eq!(lines[1].no, 2);
    }

    #[test]
    fn radicals_and_invisible_characters_are_what_they_print() {
        let lines =
            normalise("黑⻰江省⼈⺠政府\n行政许可\t\u{200B}413\t4\u{200D}1\u{AD}3\t\u{FEFF}7");
        assert_eq!(lines[0].text, "黑龙江省人民政府");
        assert_eq!(lines[1].text, "行政许可\t413\t413\t7");
    }

    #[test]
    fn removes_residue() {
        let l = normalise("[bookmark: _GoBack]乌苏市统计局[bookmark: x]报告\n## 二、主动公开")
            .into_iter()
            .map(|l| l.text)
            .collect::<Vec<_>>();
        assert_eq!(l, vec!["乌苏市统计局报告", "二、主动公开"]);
    }

    #[test]
    fn br_inside_markdown_cells_joins_the_label() {
        let l = normalise("| 补正后申请<br>内容仍不明确 | 0<BR/> | <b>x</b> |");
        // `<b>` goes too, with the inline formatting tags a converter leaves.
        assert_eq!(l[0].text, "| 补正后申请内容仍不明确 | 0 | x |");
    }

    #[test]
    fn strips_inline_pinyin_only_after_han() {
        assert_eq!(strip_pinyin("本年制發(fā)件數(shù)"), "本年制發件數");
        assert_eq!(strip_pinyin("金额(万元)"), "金额(万元)");
        assert_eq!(strip_pinyin("1(abc)"), "1(abc)");
    }

    #[test]
    fn marker_search_by_bytes_finds_what_a_character_search_finds() {
        for m in TRADITIONAL_MARKERS {
            assert!(is_traditional_marker(m), "{m}");
            assert!((0x4000..=0x9FFF).contains(&(m as u32)), "{m}");
        }
        let mut texts: Vec<String> = vec![
            String::new(),
            "政府信息公开".into(),
            "政府信息公開".into(),
            "a報".into(),
            "𠀀會\t".into(),
            "é統計".into(),
            "\u{958a}\u{958c}\u{6eb1}".into(),
        ];
        // Every character sharing a marker's last eight bits, alone and after others.
        for c in (0x3000..0xA000u32).filter_map(char::from_u32) {
            if TRADITIONAL_MARKERS
                .iter()
                .any(|m| *m as u32 & 0xFF == c as u32 & 0xFF)
            {
                texts.push(format!("x{c}"));
            }
        }
        for t in &texts {
            assert_eq!(
                has_traditional_marker(t),
                t.chars().any(is_traditional_marker),
                "{t:?}"
            );
        }
    }

    #[test]
    fn trim_ws_is_trim() {
        let pieces = [
            "", " ", "\t", "\n", "\r", "\u{3000}", "\u{a0}", "\u{85}", "\u{1680}", "\u{2009}",
            "\u{205f}", "\u{feff}", "\u{200b}", "a", "中", "é", "¢", "\u{e000}", "𠀀", "\u{2014}",
            "\u{3001}", "\u{c}", "\u{b}", "\u{1c}", "\u{2028}", "\u{202f}", "\u{2060}", "“",
        ];
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    let s = format!("{a}{b}{c}");
                    assert_eq!(s.trim_ws(), s.trim(), "{s:?}");
                    assert_eq!(s.trim_ws().as_ptr(), s.trim().as_ptr(), "{s:?}");
                }
            }
        }
    }

    #[test]
    fn match_key_keeps_the_same_characters_as_a_filter() {
        for s in [
            "",
            "一、",
            "(二) 部分公开(区分处理的,只计这一情形)",
            "结 果 维 持",
            "a1b2中,文x",
            "商业企业 科研机构",
            "𠀀中 \t 国",
            "3. 危及“三安全一稳定”",
        ] {
            let filtered: String = strip_enumerator(s.trim_ws())
                .chars()
                .filter(|c| is_han(*c) || c.is_ascii_alphabetic())
                .collect();
            assert_eq!(match_key(s), filtered, "{s:?}");
        }
    }

    #[test]
    fn match_key_drops_enumerators_and_punctuation() {
        assert_eq!(
            match_key("(二) 部分公开(区分处理的,只计这一情形)"),
            "部分公开区分处理的只计这一情形"
        );
        assert_eq!(
            match_key("一、本年新收政府信息公开申请数量"),
            "本年新收政府信息公开申请数量"
        );
        assert_eq!(match_key("5.属于三类内部事务信息"), "属于三类内部事务信息");
        assert_eq!(match_key("3. 危及“三安全一稳定”"), "危及三安全一稳定");
        assert_eq!(match_key("结 果 维 持"), "结果维持");
        assert_eq!(match_key("1、申请人无正当理由"), "申请人无正当理由");
        assert_eq!(match_key("(七) 总计"), "总计");
        assert_eq!(match_key("四、结转下年度继续办理"), "结转下年度继续办理");
    }
}
