//! The plain-text reader: bytes → text, whatever the encoding. The HTML reader uses the
//! same detection when a page declares no charset.
//!
//! Government reports reach us as UTF-8 (with or without a BOM), UTF-16 from Word exports
//! (usually with a BOM, sometimes without), GB18030/GBK from older sites and Big5 from
//! traditional-character sites. The order of the checks matters:
//!
//! 1. an empty input is empty text (with an `empty_file` warning);
//! 2. a BOM decides (UTF-8, UTF-16LE, UTF-16BE);
//! 3. a BOM-less UTF-16 file shows itself by NUL bytes on one parity only;
//! 4. anything else with NUL bytes or many control bytes is binary, not text;
//! 5. valid UTF-8 is UTF-8 (also when a cut at the end left a partial character);
//! 6. otherwise `chardetng` guesses, and GBK is decoded as its superset GB18030.
//!
//! Decoding never fails and never panics: malformed sequences become U+FFFD and a
//! `decode_replacement` warning counts them, so the loss is visible in the output.

use encoding_rs::{Encoding, BIG5, GB18030, GBK, UTF_16BE, UTF_16LE, UTF_8};

use crate::model::{Finding, Severity, Table};
use crate::read::{Document, Format, PageMeta};

/// The outcome of decoding one document.
pub struct Decoded {
    /// The decoded text.
    pub text: String,
    /// Name of the encoding used.
    pub encoding: &'static str,
    /// Findings raised while decoding.
    pub findings: Vec<Finding>,
    /// True when the bytes are not text at all.
    pub binary: bool,
}

/// How many leading bytes the UTF-16 and binary sniffers look at.
const SNIFF_LEN: usize = 8192;

/// Share of control bytes (other than whitespace and form feed) above which input is binary.
const MAX_CONTROL_SHARE: f64 = 0.05;

/// Reads a plain-text document.
pub fn read(bytes: &[u8]) -> Document {
    let d = decode(bytes);
    Document {
        text: d.text,
        format: Format::Text,
        encoding: d.encoding.to_string(),
        findings: d.findings,
        page: PageMeta::default(),
        failed: d.binary,
    }
}

/// Decodes bytes to text. Never panics; see the module docs for the order of the checks.
pub fn decode(bytes: &[u8]) -> Decoded {
    if bytes.is_empty() {
        // Not an error of ours, but a document that says nothing must not vanish silently.
        let finding = Finding::new(
            Severity::Warning,
            "empty_file",
            "the file is empty (0 bytes)",
        )
        .at(Table::Reports, None, None);
        return Decoded {
            text: String::new(),
            encoding: name(UTF_8),
            findings: vec![finding],
            binary: false,
        };
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        return decode_with(encoding, &bytes[bom_len..]);
    }
    if let Some(encoding) = sniff_utf16(bytes) {
        return decode_with(encoding, bytes);
    }
    if looks_binary(bytes) {
        let finding = Finding::new(
            Severity::Error,
            "binary_file",
            "the file holds NUL or control bytes: it is not text and was not read",
        )
        .at(Table::Reports, None, None);
        return Decoded {
            text: String::new(),
            encoding: "binary",
            findings: vec![finding],
            binary: true,
        };
    }
    // Most files are valid UTF-8: copied once, not validated again by the decoder.
    match std::str::from_utf8(bytes) {
        Ok(text) => return decoded(UTF_8, text.to_owned(), false),
        // Valid UTF-8 cut inside its last character (a scrape's byte limit): however
        // short, it is UTF-8, not a legacy charset's text.
        Err(e) if e.error_len().is_none() && !bytes[..e.valid_up_to()].is_ascii() => {
            return decode_with(UTF_8, bytes);
        }
        Err(_) => {}
    }
    if mostly_utf8(bytes) {
        return decode_with(UTF_8, bytes);
    }
    // Most non-UTF-8 reports are GB18030/GBK. GBK text almost always holds a trail byte
    // that Big5 does not allow (0x80–0xA0), so when the bytes are valid GB18030 and not
    // valid Big5 the answer is certain without running the detector (a tenth of a build's
    // time). Anything else — Big5 text, which often is valid GBK too — goes to chardetng.
    if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        if !strictly(encoding_rs::BIG5, bytes) {
            // Decoded strictly, so without a replacement: no need to decode a third time.
            return decoded(GB18030, text.into_owned(), false);
        }
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guessed = detector.guess(None, chardetng::Utf8Detection::Allow);
    // GB18030 decodes everything GBK does, and more (four-byte sequences).
    let encoding = if guessed == GBK { GB18030 } else { guessed };
    decode_with(encoding, bytes)
}

/// True when `bytes` decode under `encoding` without a single malformed sequence.
fn strictly(encoding: &'static Encoding, bytes: &[u8]) -> bool {
    encoding
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some()
}

/// The name recorded for an encoding (encoding_rs calls GB18030 `gb18030`).
pub(crate) fn name(encoding: &'static Encoding) -> &'static str {
    if encoding == GB18030 {
        "GB18030"
    } else if encoding == BIG5 {
        "Big5"
    } else {
        encoding.name()
    }
}

/// Decodes with a known encoding (BOM already stripped) and counts replacements.
pub(crate) fn decode_with(encoding: &'static Encoding, bytes: &[u8]) -> Decoded {
    let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
    decoded(encoding, text.into_owned(), had_errors)
}

/// The text `encoding` decoded, with a finding counting the replacements if there were
/// any (`had_errors`).
fn decoded(encoding: &'static Encoding, text: String, had_errors: bool) -> Decoded {
    let mut findings = Vec::new();
    if had_errors {
        let count = text
            .chars()
            .filter(|&c| c == char::REPLACEMENT_CHARACTER)
            .count();
        findings.push(
            Finding::new(
                Severity::Warning,
                "decode_replacement",
                format!(
                    "{count} byte sequence(s) not valid {} were replaced by U+FFFD",
                    name(encoding)
                ),
            )
            .at(Table::Reports, None, None)
            .values("0", count.to_string()),
        );
    }
    Decoded {
        text,
        encoding: name(encoding),
        findings,
        binary: false,
    }
}

/// Detects BOM-less UTF-16: ASCII characters (digits, newlines, spaces) put a NUL in the
/// high byte, so NULs cluster on odd offsets (LE) or even offsets (BE) and not the other.
fn sniff_utf16(bytes: &[u8]) -> Option<&'static Encoding> {
    let sample = &bytes[..bytes.len().min(SNIFF_LEN) & !1];
    if sample.len() < 4 {
        return None;
    }
    let pairs = sample.len() / 2;
    let (mut even, mut odd) = (0usize, 0usize);
    for pair in sample.chunks_exact(2) {
        even += usize::from(pair[0] == 0);
        odd += usize::from(pair[1] == 0);
    }
    // At least 2% of the code units are ASCII, and the other parity has three times fewer
    // NULs (CJK characters such as 一 U+4E00 put a NUL in the low byte now and then).
    let enough = |n: usize| n >= 2 && n * 50 >= pairs;
    let candidate = if enough(odd) && even * 3 <= odd {
        UTF_16LE
    } else if enough(even) && odd * 3 <= even {
        UTF_16BE
    } else {
        return None;
    };
    // Binary files can show the same pattern by chance; UTF-16 text decodes cleanly and has
    // no C0 controls other than whitespace.
    let (text, had_errors) = candidate.decode_without_bom_handling(sample);
    let controls = text.chars().filter(|&c| is_suspect_control(c)).count();
    (!had_errors && controls * 100 <= text.chars().count()).then_some(candidate)
}

/// True for C0 control characters that do not occur in text files (NUL included).
fn is_suspect_control(c: char) -> bool {
    (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r' | '\u{0c}')
}

/// True when the bytes hold a NUL (not UTF-16, checked before) or many control bytes.
fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(SNIFF_LEN)];
    if sample.contains(&0) {
        return true;
    }
    let controls = sample
        .iter()
        .filter(|&&b| is_suspect_control(char::from(b)))
        .count();
    controls as f64 > sample.len() as f64 * MAX_CONTROL_SHARE
}

/// True when the bytes are UTF-8 but for a few bad sequences (a file cut mid-character, a
/// stray byte): those are better replaced than the whole text mis-guessed as a legacy
/// encoding.
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid_multibyte, mut invalid) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        valid_multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid += usize::from(!chunk.invalid().is_empty());
    }
    invalid == 0 || (valid_multibyte >= 20 && invalid * 100 <= valid_multibyte)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "乌苏市统计局2023年政府信息公开工作年度报告\n\
        一、总体情况\n2023年，乌苏市统计局严格学习贯彻《中华人民共和国政府信息公开条例》有关要求，\
        着力深化统计工作试点领域基层政务公开，加大回应群众关切力度，不断提升政务公开工作质量。\n\
        二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n\
        规章\t0\t0\t0\n行政规范性文件\t3\t1\t12\n三、收到和处理政府信息公开申请情况\n\
        一、本年新收政府信息公开申请数量\t5\t1\t0\t0\t0\t0\t6\n";

    const TRADITIONAL: &str = "濱江區統計局2022年政府信息公開工作年度報告\n\
        一、總體情況。2022年,濱江區統計局堅持以習近平新時代中國特色社會主義思想為指導,\
        嚴格貫徹落實《中華人民共和國政府信息公開條例》為主線,全面落實政府信息公開工作取得了積極成效。\n\
        二、主動公開政府信息情況\n規章 | 0 | 0 | 0 |\n行政規範性文件 | 0 | 0 | 1 |\n\
        三、收到和處理政府信息公開申請情況\n(一)予以公開 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n";

    fn encode(encoding: &'static Encoding, text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(
            !unmappable,
            "test text not representable in {}",
            encoding.name()
        );
        bytes.into_owned()
    }

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let units = std::iter::once(0xFEFF)
            .filter(|_| bom)
            .chain(text.encode_utf16());
        for unit in units {
            let pair = if big_endian {
                unit.to_be_bytes()
            } else {
                unit.to_le_bytes()
            };
            out.extend_from_slice(&pair);
        }
        out
    }

    fn assert_clean(decoded: &Decoded, text: &str, encoding: &str) {
        assert_eq!(decoded.encoding, encoding);
        assert_eq!(decoded.text, text);
        assert!(!decoded.binary);
        assert!(decoded.findings.is_empty(), "{:?}", decoded.findings);
    }

    #[test]
    fn empty_input_is_empty_text() {
        let decoded = decode(b"");
        assert_eq!(decoded.text, "");
        assert!(!decoded.binary);
        assert_eq!(decoded.findings.len(), 1);
        assert_eq!(decoded.findings[0].check, "empty_file");
    }

    #[test]
    fn utf8_with_and_without_bom() {
        assert_clean(&decode(REPORT.as_bytes()), REPORT, "UTF-8");
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend_from_slice(REPORT.as_bytes());
        assert_clean(&decode(&bytes), REPORT, "UTF-8");
    }

    #[test]
    fn gbk_is_decoded_as_gb18030() {
        assert_clean(&decode(&encode(GBK, REPORT)), REPORT, "GB18030");
    }

    #[test]
    fn big5() {
        assert_clean(&decode(&encode(BIG5, TRADITIONAL)), TRADITIONAL, "Big5");
    }

    #[test]
    fn utf16_with_bom() {
        assert_clean(&decode(&utf16(REPORT, false, true)), REPORT, "UTF-16LE");
        assert_clean(&decode(&utf16(REPORT, true, true)), REPORT, "UTF-16BE");
    }

    #[test]
    fn utf16_without_bom() {
        assert_clean(&decode(&utf16(REPORT, false, false)), REPORT, "UTF-16LE");
        assert_clean(&decode(&utf16(REPORT, true, false)), REPORT, "UTF-16BE");
    }

    #[test]
    fn short_mixed_text() {
        let text = "Table 1: 行政许可 12 件 (2023)\n";
        assert_clean(&decode(text.as_bytes()), text, "UTF-8");
        assert_clean(&decode(b"plain ascii\r\n"), "plain ascii\r\n", "UTF-8");
        // Too short for a sure guess, but it must decode without panicking.
        let decoded = decode(&encode(GBK, "规章 0"));
        assert!(!decoded.binary);
    }

    #[test]
    fn a_short_utf8_text_cut_mid_character_is_utf8() {
        let text = "乌苏市统计局2023年政府信息公开工作年度报告\n特向社会公布乌苏";
        let bytes = text.as_bytes();
        let d = decode(&bytes[..bytes.len() - 1]);
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.starts_with("乌苏市统计局2023年"));
        assert!(d.findings.iter().any(|f| f.check == "decode_replacement"));
    }

    #[test]
    fn utf8_cut_mid_character_keeps_utf8() {
        // One byte into the three-byte 二 of 二、主动公开: a page cut mid-character.
        let cut = REPORT.find("二、主动").expect("marker") + 1;
        let decoded = decode(&REPORT.as_bytes()[..cut]);
        assert_eq!(decoded.encoding, "UTF-8");
        assert!(decoded.text.starts_with("乌苏市统计局"));
    }

    #[test]
    fn replacements_are_counted() {
        let mut bytes = REPORT.as_bytes().to_vec();
        bytes.insert(40, 0xFF);
        let decoded = decode(&bytes);
        assert_eq!(decoded.encoding, "UTF-8");
        let finding = decoded
            .findings
            .iter()
            .find(|f| f.check == "decode_replacement")
            .expect("a finding");
        assert_eq!(finding.severity, Severity::Warning);
        assert_eq!(finding.table, Some(Table::Reports));
        assert_eq!(finding.actual.as_deref(), Some("1"));
    }

    /// A small xorshift generator: deterministic "random" bytes without a dependency.
    fn noise(len: usize, mut state: u64) -> Vec<u8> {
        (0..len)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn random_bytes_are_binary_and_never_panic() {
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        png.extend(noise(4096, 0x9E37_79B9_7F4A_7C15));
        let decoded = decode(&png);
        assert!(decoded.binary);
        assert_eq!(decoded.text, "");
        assert!(decoded
            .findings
            .iter()
            .any(|f| f.check == "binary_file" && f.severity == Severity::Error));

        for seed in 1..200u64 {
            let len = (seed as usize * 37) % 700;
            let bytes = noise(len, seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
            let decoded = decode(&bytes);
            assert!(decoded.binary || !decoded.encoding.is_empty());
        }
    }
}
