//! Compressed files: a page a crawler saved gzipped (`.html.gz`, a `.html` holding the gzip
//! bytes the server sent), a gzipped tar or WARC file (`.tar.gz`, `.warc.gz`, which is a
//! series of gzip members), a zlib stream. Read as they are they are binary, and the
//! reports in them would be lost as `binary_file`.
//!
//! The stream is inflated and the result sniffed again as any file. Compressed input comes
//! from the outside world, so inflation is bounded like an archive's members: past the
//! limit the file fails with `limit_exceeded` (a gzip bomb), having held at most one byte
//! more than the limit in memory.

use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

/// True for the gzip magic number.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1F, 0x8B, 0x08])
}

/// True for a zlib header (RFC 1950: deflate, a window of at most 32 KiB, no preset
/// dictionary, the check bits right). Text can start with such two bytes (`x^`), so a
/// stream is only taken as zlib when it also inflates.
pub fn is_zlib(bytes: &[u8]) -> bool {
    match bytes {
        [cmf, flg, ..] => {
            cmf & 0x0F == 8
                && cmf >> 4 <= 7
                && flg & 0x20 == 0
                && (u16::from(*cmf) * 256 + u16::from(*flg)) % 31 == 0
        }
        _ => false,
    }
}

/// The container of a stream, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrapper {
    /// gzip (RFC 1952), one member or several.
    Gzip,
    /// zlib (RFC 1950).
    Zlib,
    /// A bare deflate stream (RFC 1951), what some servers send as `Content-Encoding: deflate`.
    Deflate,
}

impl Wrapper {
    /// Its name, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Wrapper::Gzip => "gzip",
            Wrapper::Zlib => "zlib",
            Wrapper::Deflate => "deflate",
        }
    }
}

/// What inflating a stream gave.
#[derive(Debug, PartialEq)]
pub enum Inflated {
    /// The whole stream.
    Whole(Vec<u8>),
    /// The stream ends (or breaks) before its end: what came before, and why.
    Cut(Vec<u8>, String),
    /// Nothing could be inflated: why.
    Unreadable(String),
    /// The stream inflates past `cap` bytes.
    OverLimit(u64),
}

/// The largest inflated stream: a compressed file is one file once inflated, so the file
/// limit applies (and the archive limit, which a tar inside is held to).
pub fn cap() -> u64 {
    let l = crate::limits::get();
    l.file_bytes.min(l.archive_bytes)
}

/// Inflates `bytes` as `wrapper` says, holding at most `cap` + 1 bytes.
pub fn inflate(bytes: &[u8], wrapper: Wrapper, cap: u64) -> Inflated {
    let reader: Box<dyn Read + '_> = match wrapper {
        Wrapper::Gzip => Box::new(MultiGzDecoder::new(bytes)),
        Wrapper::Zlib => Box::new(ZlibDecoder::new(bytes)),
        Wrapper::Deflate => Box::new(DeflateDecoder::new(bytes)),
    };
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(cap as usize));
    // One byte past the cap tells "exactly at the cap" from "over it". On an error,
    // `read_to_end` keeps what it read before: the part of a cut stream that is whole.
    let read = reader.take(cap + 1).read_to_end(&mut out);
    if out.len() as u64 > cap {
        return Inflated::OverLimit(cap);
    }
    match read {
        Ok(_) => Inflated::Whole(out),
        Err(e) if out.is_empty() => Inflated::Unreadable(e.to_string()),
        Err(e) => Inflated::Cut(out, e.to_string()),
    }
}

#[cfg(test)]
pub(crate) fn gzip(data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(data).unwrap();
    enc.finish().unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn inflates_gzip_members_in_series() {
        let mut two = gzip(b"first ");
        two.extend(gzip(b"second"));
        assert!(is_gzip(&two));
        assert_eq!(
            inflate(&two, Wrapper::Gzip, 1 << 20),
            Inflated::Whole(b"first second".to_vec())
        );
    }

    #[test]
    fn a_cut_stream_keeps_what_is_whole() {
        let text = "某县2023年政府信息公开工作年度报告\n".repeat(400);
        let z = gzip(text.as_bytes());
        match inflate(&z[..z.len() / 2], Wrapper::Gzip, 1 << 20) {
            Inflated::Cut(part, _) => {
                assert!(!part.is_empty() && part.len() < text.len());
                assert!(text.as_bytes().starts_with(&part));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            inflate(&z[..12], Wrapper::Gzip, 1 << 20),
            Inflated::Unreadable(_)
        ));
    }

    #[test]
    fn a_bomb_stops_at_the_cap() {
        let bomb = gzip(&vec![0u8; 4 << 20]);
        assert!(bomb.len() < 64 << 10);
        assert_eq!(
            inflate(&bomb, Wrapper::Gzip, 1 << 20),
            Inflated::OverLimit(1 << 20)
        );
        // Exactly at the cap is within it.
        let exact = gzip(&[7u8; 1000]);
        assert!(
            matches!(inflate(&exact, Wrapper::Gzip, 1000), Inflated::Whole(v) if v.len() == 1000)
        );
    }

    #[test]
    fn zlib_is_told_by_its_header_and_text_is_not() {
        let mut enc = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(b"<p>x</p>").unwrap();
        let z = enc.finish().unwrap();
        assert!(is_zlib(&z));
        assert_eq!(
            inflate(&z, Wrapper::Zlib, 100),
            Inflated::Whole(b"<p>x</p>".to_vec())
        );
        assert!(!is_zlib(b"x y"));
        assert!(!is_zlib("一、总体情况".as_bytes()));
        // Two bytes that pass the header check, then text: not a stream.
        assert!(is_zlib(b"x^2 + y^2"));
        assert!(matches!(
            inflate(b"x^2 + y^2", Wrapper::Zlib, 100),
            Inflated::Unreadable(_) | Inflated::Cut(..)
        ));
    }
}
