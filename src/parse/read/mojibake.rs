//! Text that was decoded with the wrong character set and saved again.
//!
//! Scrapers damage pages before we see them. The commonest case is a page fetched without
//! a charset in its HTTP headers: Python's `requests` then decodes the bytes as
//! ISO-8859-1, and `response.text` saved as UTF-8 turns every Chinese character into two
//! or three Latin letters (`æ”¿åºœ` for 政府). That decoding maps each byte to one
//! character, so nothing is lost: the characters are mapped back to their bytes and the
//! bytes read again with the usual detection ([`repair`]).
//!
//! Other damage cannot be undone: bytes replaced by U+FFFD (a GBK page decoded as UTF-8
//! with replacement), UTF-8 decoded as GBK (`鏀垮簻淇℃伅` — the decoders drop bytes at
//! every odd boundary, digits included), glyphs without Unicode mapping from a PDF
//! (private-use characters). [`Census::unreadable`] measures such text so that a document
//! in which nothing can be read is kept and flagged instead of being taken for a page
//! that is not a report.

use std::sync::LazyLock;

use encoding_rs::{BIG5, GB18030, UTF_8};

use super::text;
use crate::model::{Finding, Severity, Table};

/// The most frequent characters of Chinese text (simplified), plus the template's own.
/// In the reports of the gold folders 58–91 % of the Han characters are among them; in
/// UTF-8 read as GBK or Big5, 1–2 %.
const COMMON: &str = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞申请息予复议诉讼审纠维持总计";

const HAN_FIRST: u32 = 0x4E00;
const HAN_LAST: u32 = 0x9FFF;

static COMMON_SET: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; ((HAN_LAST - HAN_FIRST) as usize) / 64 + 1];
    for c in COMMON.chars() {
        let i = (c as u32 - HAN_FIRST) as usize;
        bits[i / 64] |= 1 << (i % 64);
    }
    bits
});

/// Below this share of common characters among at least [`MIN_HAN`] Han characters, the
/// Han text is gibberish (real text: 58 % and more; mojibake: about 2 %).
const GIBBERISH_SHARE: f64 = 0.15;
/// A repair is kept only when the repaired text reaches this share.
const REPAIRED_SHARE: f64 = 0.3;
const MIN_HAN: usize = 100;
/// Unreadable characters that make a text unreadable: at least this many, and at least
/// [`UNREADABLE_SHARE`] of the non-ASCII characters. A stray mojibake line or a few icon
/// glyphs of a web page stay below both.
const MIN_UNREADABLE: usize = 50;
const UNREADABLE_SHARE: f64 = 0.1;

/// Counts of the characters of a text that tell damage apart.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct Census {
    /// Characters outside ASCII, whitespace excluded.
    pub non_ascii: usize,
    /// Han characters (CJK unified ideographs).
    pub han: usize,
    /// Han characters among [`COMMON`].
    pub common: usize,
    /// U+0080–U+00FF, and the Windows-1252 characters of 0x80–0x9F that are not common
    /// punctuation of Chinese text: what ISO-8859-1/Windows-1252 mojibake is made of.
    pub latin1: usize,
    /// U+FFFD, C1 controls, Latin-1 letters, private-use characters: characters Chinese
    /// text does not hold.
    pub garbage: usize,
    /// Non-ASCII characters that no Windows-1252 byte decodes to.
    pub unmappable: usize,
}

/// Letters and controls of scripts a Chinese report does not hold, which a PDF font
/// without a Unicode map (its glyph numbers printed as code points) turns its text into:
/// Latin extensions, phonetics, Greek, Cyrillic, Armenian, Hebrew, Syriac and the scripts
/// of South and Southeast Asia, Georgian, Ethiopic, Cherokee…, and bidirectional
/// controls. The scripts of China's own languages — Arabic (Uyghur, Kazakh), Tibetan,
/// Mongolian, Yi, the Dai scripts (Tai Le, New Tai Lue, Tai Tham), Hangul (Korean) —
/// are not counted: bilingual reports print them.
/// Greek letters and a Cyrillic name do occur in Chinese text (α, β): only their share of
/// the whole text (`unreadable`) makes them damage.
fn foreign_script(u: u32) -> bool {
    matches!(u,
        0x0100..=0x05FF
        | 0x0700..=0x0EFF
        | 0x1000..=0x10FF
        | 0x1200..=0x17FF
        | 0x1900..=0x194F
        | 0x1AB0..=0x1FFF
        | 0x200E..=0x200F
        | 0x202A..=0x202E
        | 0x2066..=0x2069)
}

impl Census {
    /// Counts the characters of `text`.
    pub fn of(text: &str) -> Census {
        let mut c = Census::default();
        c.count(text);
        c
    }

    /// Adds the characters of `text`.
    pub fn count(&mut self, text: &str) {
        for ch in text.chars() {
            if !ch.is_ascii() && !ch.is_whitespace() {
                self.add(ch);
            }
        }
    }

    fn add(&mut self, ch: char) {
        self.non_ascii += 1;
        let u = ch as u32;
        if (HAN_FIRST..=HAN_LAST).contains(&u) {
            self.han += 1;
            let i = (u - HAN_FIRST) as usize;
            if COMMON_SET[i / 64] & (1 << (i % 64)) != 0 {
                self.common += 1;
            }
            self.unmappable += 1;
            return;
        }
        match u {
            0x80..=0xFF => {
                self.latin1 += 1;
                // Latin-1 symbols Chinese text uses (· × ÷ ° ± § ¥ ² ³ …) are not damage.
                if matches!(u, 0x80..=0x9F | 0xC0..=0xD6 | 0xD8..=0xF6 | 0xF8..=0xFF) {
                    self.garbage += 1;
                }
            }
            0xFFFD | 0xE000..=0xF8FF => {
                self.garbage += 1;
                self.unmappable += u32::from(u != 0xFFFD) as usize;
            }
            _ if foreign_script(u) && cp1252_byte(ch).is_none() => {
                self.garbage += 1;
                self.unmappable += 1;
            }
            _ => match cp1252_byte(ch) {
                Some(_) if !matches!(ch, '…' | '—' | '–' | '‘' | '’' | '“' | '”' | '•') =>
                {
                    self.latin1 += 1;
                    self.garbage += 1;
                }
                Some(_) => {}
                None => self.unmappable += 1,
            },
        }
    }

    /// Han characters that read as gibberish: a text of Han characters of which few are
    /// common ones.
    fn gibberish(&self) -> bool {
        self.han >= MIN_HAN && (self.common as f64) < GIBBERISH_SHARE * self.han as f64
    }

    /// How many characters cannot be read.
    pub fn unreadable_count(&self) -> usize {
        self.garbage + if self.gibberish() { self.han } else { 0 }
    }

    /// True when so much of the text is damaged that nothing can be said of it.
    pub fn unreadable(&self) -> bool {
        let n = self.unreadable_count();
        n >= MIN_UNREADABLE && n as f64 >= UNREADABLE_SHARE * self.non_ascii as f64
    }

    fn looks_chinese(&self) -> bool {
        self.han >= 30 && self.common as f64 >= REPAIRED_SHARE * self.han as f64
    }

    /// ISO-8859-1/Windows-1252 mojibake: many such characters, few Han, and (nearly)
    /// every non-ASCII character one a byte decodes to.
    fn latin1_mojibake(&self) -> bool {
        self.latin1 >= 32 && self.latin1 > 2 * self.han && self.unmappable * 50 <= self.non_ascii
    }
}

/// The byte Windows-1252 decodes to `ch` (ISO-8859-1 for U+0080–U+00FF, which is how
/// browsers and `encoding_rs` decode the five bytes Windows-1252 leaves undefined).
fn cp1252_byte(ch: char) -> Option<u8> {
    let u = ch as u32;
    if u < 0x100 {
        return Some(u as u8);
    }
    Some(match ch {
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    })
}

/// The bytes a Windows-1252 decoding came from. A character no byte decodes to (U+FFFD
/// where a scraper's decoder gave up, a stray Han character) becomes 0xFF, a byte that
/// starts no sequence in UTF-8, GB18030 or Big5: it reads back as U+FFFD and never joins
/// the bytes after it, so an ASCII digit next to it stays a digit.
fn cp1252_bytes(text: &str) -> Vec<u8> {
    text.chars()
        .map(|ch| cp1252_byte(ch).unwrap_or(0xFF))
        .collect()
}

/// What [`repair`] made of a text.
pub struct Repaired {
    /// The text read again from its bytes.
    pub text: String,
    /// `mojibake_repaired`, and the decoding's own findings (`decode_replacement`).
    pub findings: Vec<Finding>,
    /// The encoding the file is in, when it was not the one it had been read in (the
    /// mojibake came from our detection, not from the file).
    pub encoding: Option<&'static str>,
}

/// Undoes ISO-8859-1/Windows-1252 mojibake: the text mapped back to bytes and read again,
/// when the result is Chinese text. `encoding` is the one the file was read in (the
/// finding's `expected`). An HTML page is repaired as a whole, before it is parsed: its
/// markup is ASCII, and the parser would fold the C1 and no-break characters that some of
/// a character's bytes decode to (U+0085, U+00A0) into spaces.
pub fn repair(text: &str, encoding: &str) -> Option<Repaired> {
    // Every character of such mojibake (U+0080–U+00FF) starts with one of these two bytes
    // in UTF-8; a page without a few dozen of them is not worth counting.
    if memchr::memchr2_iter(0xC2, 0xC3, text.as_bytes())
        .take(32)
        .count()
        < 32
    {
        return None;
    }
    let census = Census::of(text);
    if !census.latin1_mojibake() {
        return None;
    }
    let bytes = cp1252_bytes(text);
    // The bytes are read as each encoding a Chinese page comes in, and the reading with
    // the most common Chinese characters is the one: a detector would rule an encoding
    // out at the first byte a scraper lost.
    let decoded = [BIG5, GB18030, UTF_8]
        .into_iter()
        .map(|encoding| text::decode_with(encoding, &bytes))
        .max_by_key(|d| Census::of(&d.text).common)?;
    if !Census::of(&decoded.text).looks_chinese() {
        return None;
    }
    // Read from UTF-8, the mojibake was in the file; read from a single-byte encoding, it
    // was ours: detection took a short or cut GBK text for Windows-1252.
    let ours = encoding != "UTF-8";
    let message = if ours {
        format!(
            "detection took the bytes for {encoding}, which makes Latin letters of them ({} characters); they read as {}",
            census.latin1, decoded.encoding
        )
    } else {
        format!(
            "the text had been decoded as ISO-8859-1/Windows-1252 and saved again ({} such characters); its bytes were read again as {}",
            census.latin1, decoded.encoding
        )
    };
    let mut findings = vec![
        Finding::new(Severity::Warning, "mojibake_repaired", message)
            .at(Table::Reports, None, None)
            .values(encoding, decoded.encoding),
    ];
    findings.extend(decoded.findings);
    Some(Repaired {
        text: decoded.text,
        encoding: ours.then_some(decoded.encoding),
        findings,
    })
}

/// [`repair`] for an HTML page read in the charset it declares: a page saved as UTF-8
/// through ISO-8859-1 keeps its server's declaration (GBK, say), its bytes read as that
/// charset are gibberish, and it is its UTF-8 reading that is repaired.
pub fn repair_page(text: &str, encoding: &str, bytes: &[u8]) -> Option<Repaired> {
    repair(text, encoding).or_else(|| {
        if encoding == "UTF-8" {
            return None;
        }
        let mut r = repair(std::str::from_utf8(bytes).ok()?, "UTF-8")?;
        r.encoding = Some("UTF-8");
        Some(r)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A text document as the reader returns it.
    struct Doc {
        text: String,
        findings: Vec<Finding>,
    }

    fn doc(text: String) -> Doc {
        Doc {
            text,
            findings: Vec::new(),
        }
    }

    fn repair(d: &mut Doc) {
        if let Some(r) = super::repair(&d.text, "UTF-8") {
            d.text = r.text;
            d.findings = r.findings;
        }
    }

    const REPORT: &str = "某县统计局2023年政府信息公开工作年度报告\n本报告根据《中华人民共和国政府信息公开条例》编制。\n一、本年新收政府信息公开申请数量\t5\t2\t0\t0\t0\t1\t8\n（一）予以公开\t3\t1\t0\t0\t0\t0\t4\n三、收到和处理政府信息公开申请情况，行政复议、行政诉讼情况均为零，办理结果维持。\n";

    fn report() -> String {
        REPORT.repeat(4)
    }

    fn latin1(bytes: &[u8]) -> String {
        bytes.iter().map(|&b| b as char).collect()
    }

    fn cp1252(bytes: &[u8]) -> String {
        encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned()
    }

    #[test]
    fn real_text_is_readable_and_not_repaired() {
        let c = Census::of(&report());
        assert!(c.common as f64 > 0.5 * c.han as f64, "{c:?}");
        assert!(!c.unreadable());
        let mut d = doc(report());
        repair(&mut d);
        assert_eq!(d.text, report());
        assert!(d.findings.is_empty());
        // Chinese punctuation of Windows-1252 (… — “ ” ‘ ’ •) and Latin-1 symbols (· × °)
        // are not damage.
        let punctuated = report().replace('。', "……——“”‘’•·×°").repeat(5);
        let c = Census::of(&punctuated);
        assert_eq!(c.garbage, 0, "{c:?}");
        let mut d = doc(punctuated.clone());
        repair(&mut d);
        assert_eq!(d.text, punctuated);
    }

    #[test]
    fn latin1_mojibake_of_utf8_gbk_and_big5_is_repaired() {
        let text = report();
        for (bytes, encoding) in [
            (text.as_bytes().to_vec(), "UTF-8"),
            (encoding_rs::GB18030.encode(&text).0.into_owned(), "GB18030"),
            (encoding_rs::BIG5.encode(&text).0.into_owned(), "Big5"),
        ] {
            for damaged in [latin1(&bytes), cp1252(&bytes)] {
                assert!(Census::of(&damaged).latin1_mojibake(), "{encoding}");
                let mut d = doc(damaged);
                repair(&mut d);
                let f = d
                    .findings
                    .iter()
                    .find(|f| f.check == "mojibake_repaired")
                    .unwrap_or_else(|| panic!("{encoding} not repaired"));
                assert_eq!(f.severity, Severity::Warning);
                if encoding == "Big5" {
                    // Big5 has no simplified forms: the encoder wrote entities for them,
                    // and the digits and the traditional-or-shared characters come back.
                    assert!(d.text.contains("\t5\t2\t0\t0\t0\t1\t8"));
                } else {
                    assert_eq!(d.text, text, "{encoding}");
                    assert!(f.message.contains(encoding), "{}", f.message);
                }
            }
        }
    }

    #[test]
    fn our_own_single_byte_guess_is_undone_and_the_encoding_corrected() {
        let bytes = encoding_rs::GB18030.encode(&report()).0.into_owned();
        let r = super::repair(&cp1252(&bytes), "windows-1252").expect("repaired");
        assert_eq!(r.text, report());
        assert_eq!(r.encoding, Some("GB18030"));
        assert!(r.findings[0].message.starts_with("detection took"));
        let r = super::repair(&cp1252(&bytes), "UTF-8").expect("repaired");
        assert_eq!(
            r.encoding, None,
            "the file is UTF-8: the mojibake was in it"
        );
    }

    #[test]
    fn a_page_keeps_the_charset_its_server_declared() {
        let bytes = encoding_rs::GB18030.encode(&report()).0.into_owned();
        let saved = latin1(&bytes);
        // Read as the GBK the page declares, the UTF-8 bytes are Han gibberish.
        let as_declared = encoding_rs::GB18030.decode(saved.as_bytes()).0.into_owned();
        assert!(super::repair(&as_declared, "GB18030").is_none());
        let r = repair_page(&as_declared, "GB18030", saved.as_bytes()).expect("repaired");
        assert_eq!(r.text, report());
        assert_eq!(r.encoding, Some("UTF-8"));
    }

    #[test]
    fn a_lost_byte_stays_lost_and_never_eats_a_digit() {
        // A scraper's Windows-1252 decoder replaced an undefined byte: the character it
        // belonged to is U+FFFD after the repair, and the digits after it are intact.
        let text = report();
        let bytes = encoding_rs::GB18030.encode(&text).0.into_owned();
        let mut damaged = latin1(&bytes);
        let at = damaged.find('\t').unwrap();
        let before: String = damaged[..at].chars().collect();
        let last = before.chars().last().unwrap();
        damaged.replace_range(at - last.len_utf8()..at, "\u{FFFD}");
        let mut d = doc(damaged);
        repair(&mut d);
        assert!(d.findings.iter().any(|f| f.check == "mojibake_repaired"));
        assert!(d.text.contains('\u{FFFD}'));
        assert!(d.text.contains("\t5\t2\t0\t0\t0\t1\t8"));
    }

    #[test]
    fn damage_that_cannot_be_undone_is_unreadable() {
        let text = report();
        let gbk = encoding_rs::GB18030.encode(&text).0.into_owned();
        // GBK read as UTF-8 with replacement.
        let replaced = String::from_utf8_lossy(&gbk).into_owned();
        // UTF-8 read as GBK and as Big5.
        let as_gbk = encoding_rs::GBK.decode(text.as_bytes()).0.into_owned();
        let as_big5 = encoding_rs::BIG5.decode(text.as_bytes()).0.into_owned();
        // A PDF's glyphs without a Unicode mapping.
        let private: String = text
            .chars()
            .map(|c| {
                if c.is_ascii() {
                    c
                } else {
                    char::from_u32(0xE000 + (c as u32 % 2000)).unwrap()
                }
            })
            .collect();
        for damaged in [replaced, as_gbk, as_big5, private] {
            let c = Census::of(&damaged);
            assert!(c.unreadable(), "{c:?} {}", &damaged[..60]);
            let mut d = doc(damaged.clone());
            repair(&mut d);
            assert_eq!(d.text, damaged, "not repairable, left as it is");
        }
    }

    #[test]
    fn a_little_damage_is_not_unreadable() {
        // One garbled line in a report, a page with a few icon-font glyphs, French.
        let one_line = format!("{}{}\n", report(), latin1("政府信息公开".as_bytes()));
        let icons = format!("{}{}", report(), "\u{E601}".repeat(30));
        let french = "Le gouvernement a publié à Genève, où l'été est très chaud. ".repeat(3);
        for text in [one_line, icons, french] {
            let c = Census::of(&text);
            assert!(!c.unreadable(), "{c:?}");
        }
    }
}
