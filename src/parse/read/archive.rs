//! Zip archives: the members of a `.zip` corpus file, and the container test that tells a
//! DOCX from a plain archive.
//!
//! Archives come from the outside world, so every read is bounded: the number of
//! members, each member's decompressed size (the size the archive declares *and* the
//! bytes actually inflated, since a zip bomb lies about the first) and the total.
//! A member over a limit is still listed, with the reason instead of its bytes, so it
//! becomes a failed report rather than vanishing.

use std::io::{Cursor, Read};

use zip::ZipArchive;

/// The general-purpose flag bit that says a member name is UTF-8 (APPNOTE 4.4.4, bit 11).
const UTF8_FLAG: u16 = 1 << 11;

/// True when a zip file is a Word document: its central directory lists
/// `word/document.xml`.
pub fn is_docx(bytes: &[u8]) -> bool {
    super::docx::main_part_of(bytes).is_some()
}

/// The format of a zip that is a document rather than an archive of documents (its parts
/// are not documents), when it is not a DOCX: an OFD (its `OFD.xml`), an OpenDocument
/// text (its `mimetype`), or another OpenDocument or Office Open XML package
/// (`[Content_Types].xml`): a spreadsheet or presentation. `None` for an archive.
pub fn office_package(bytes: &[u8]) -> Option<crate::read::Format> {
    use crate::read::Format;
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut kind = String::new();
    if let Ok(part) = zip.by_name("mimetype") {
        // Cut at 128 bytes: a mimetype is one short line.
        let _ = part.take(128).read_to_string(&mut kind);
    }
    let kind = kind.trim();
    if super::ofd::is_ofd(&zip) {
        Some(Format::Ofd)
    } else if kind == "application/vnd.oasis.opendocument.text" {
        Some(Format::Odt)
    } else if kind.starts_with("application/vnd.oasis.opendocument.")
        || zip.index_for_name("[Content_Types].xml").is_some()
    {
        Some(Format::OfficeOther)
    } else {
        None
    }
}

/// One member of an archive: its path inside the archive and its bytes.
#[derive(Debug)]
pub struct Member {
    /// Path inside the archive, `/`-separated.
    pub name: String,
    /// The member's bytes, or why they could not be read.
    pub bytes: Result<Vec<u8>, String>,
}

/// The limits [`members`] applies (from [`crate::limits`]; tests use small ones).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub(crate) members: usize,
    pub(crate) member_bytes: u64,
    pub(crate) total_bytes: u64,
}

impl Limits {
    /// Whether a member of `size` bytes may be read beside the `total` bytes already read:
    /// `Err` names the limit it would pass, `one` being what a member is called (`member`,
    /// `record`) and `all` the members together (`the archive's members`, `the records`).
    pub(crate) fn admit(&self, size: u64, total: u64, one: &str, all: &str) -> Result<(), String> {
        if size > self.member_bytes {
            Err(format!(
                "limit_exceeded: the {one} is {size} bytes, over the limit of {} bytes",
                self.member_bytes
            ))
        } else if total.saturating_add(size) > self.total_bytes {
            Err(format!(
                "limit_exceeded: {all} together exceed the limit of {} bytes",
                self.total_bytes
            ))
        } else {
            Ok(())
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        let l = crate::limits::get();
        Limits {
            members: l.archive_members,
            member_bytes: l.member_bytes,
            total_bytes: l.archive_bytes,
        }
    }
}

/// The members of a zip archive (files only: directories and `__MACOSX/` resource forks
/// are skipped), in archive order. `Err` when the archive itself cannot be read or has
/// more members than [`crate::limits::Limits::archive_members`].
pub fn members(bytes: &[u8]) -> Result<Vec<Member>, String> {
    members_with(bytes, Limits::default())
}

pub(crate) fn members_with(bytes: &[u8], limits: Limits) -> Result<Vec<Member>, String> {
    let mut archive = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable zip archive: {e}"))?;
    if archive.len() > limits.members {
        return Err(format!(
            "limit_exceeded: the archive lists {} entries, more than the limit of {}",
            archive.len(),
            limits.members
        ));
    }
    let raw_names: Vec<Vec<u8>> = archive.file_names_raw().map(<[u8]>::to_vec).collect();
    let mut total: u64 = 0;
    let mut out = Vec::new();
    for (index, raw_name) in raw_names.iter().enumerate() {
        // Metadata first, without decompressing: name, kind, declared size.
        let (name, declared) = match archive.by_index_raw(index) {
            Ok(entry) => {
                if !entry.is_file() {
                    continue;
                }
                let utf8 = entry.flags().as_u16() & UTF8_FLAG != 0;
                (decode_name(entry.name_raw(), utf8), entry.size())
            }
            Err(e) => {
                let name = decode_name(raw_name, false);
                if !skipped(&name) {
                    out.push(Member {
                        name,
                        bytes: Err(format!("member cannot be read: {e}")),
                    });
                }
                continue;
            }
        };
        if skipped(&name) {
            continue;
        }
        let bytes = read_member(&mut archive, index, declared, &mut total, limits);
        out.push(Member { name, bytes });
    }
    Ok(out)
}

/// Directories (by name) and macOS resource forks are not documents.
pub(super) fn skipped(name: &str) -> bool {
    name.is_empty()
        || name.ends_with('/')
        || name.starts_with("__MACOSX/")
        || name.contains("/__MACOSX/")
}

/// Reads one member within the per-member and total limits; `total` counts the bytes
/// inflated so far.
fn read_member(
    archive: &mut ZipArchive<Cursor<&[u8]>>,
    index: usize,
    declared: u64,
    total: &mut u64,
    limits: Limits,
) -> Result<Vec<u8>, String> {
    if declared > limits.member_bytes {
        return Err(format!(
            "limit_exceeded: the member declares {declared} bytes uncompressed, over the limit of {} bytes",
            limits.member_bytes
        ));
    }
    let room = limits.total_bytes.saturating_sub(*total);
    if declared > room {
        return Err(format!(
            "limit_exceeded: the archive's members together exceed the limit of {} bytes uncompressed",
            limits.total_bytes
        ));
    }
    let file = archive
        .by_index(index)
        .map_err(|e| format!("member cannot be read: {e}"))?;
    let cap = limits.member_bytes.min(room);
    let mut bytes = Vec::with_capacity(declared.min(cap) as usize);
    // One byte past the cap tells "exactly at the cap" from "over it".
    let read = file.take(cap + 1).read_to_end(&mut bytes);
    *total += bytes.len() as u64;
    if bytes.len() as u64 > cap {
        return Err(if cap == limits.member_bytes {
            format!(
                "limit_exceeded: the member inflates past the limit of {} bytes (its declared size was {declared})",
                limits.member_bytes
            )
        } else {
            format!(
                "limit_exceeded: the archive's members together exceed the limit of {} bytes uncompressed",
                limits.total_bytes
            )
        });
    }
    read.map_err(|e| format!("member cannot be read: {e}"))?;
    Ok(bytes)
}

/// A member name as text, `/`-separated. Names flagged UTF-8 (or valid UTF-8 anyway) are
/// taken as they are; others are GBK/GB18030, which is what Chinese Windows tools write
/// without setting the flag.
pub(super) fn decode_name(raw: &[u8], utf8_flag: bool) -> String {
    let name = match std::str::from_utf8(raw) {
        Ok(s) => s.to_string(),
        Err(_) if utf8_flag => String::from_utf8_lossy(raw).into_owned(),
        Err(_) => encoding_rs::GB18030
            .decode_without_bom_handling(raw)
            .0
            .into_owned(),
    };
    name.replace('\\', "/")
}

/// Writing zip files: synthetic DOCX and zip inputs for `nianbao synth`, the fuzz targets
/// and tests. Members are stored (no compressor needed) or handed over already deflated
/// (zip bombs), and the fields can be made to lie (a wrong declared size) to build hostile
/// archives.
pub mod stored {
    /// One member to write.
    pub struct Entry<'a> {
        /// The member's name, raw bytes (GBK names are possible).
        pub name: &'a [u8],
        /// The member's content as written: the bytes themselves, or their deflate stream
        /// when `inflated` is set.
        pub data: &'a [u8],
        /// The UTF-8 name flag.
        pub utf8: bool,
        /// The uncompressed size to declare, when it should lie.
        pub declared: Option<u32>,
        /// `data` is a deflate stream of content with this CRC-32 and size.
        pub inflated: Option<(u32, u32)>,
    }

    impl<'a> Entry<'a> {
        /// A member with a UTF-8 name and its true size.
        pub fn new(name: &'a str, data: &'a [u8]) -> Self {
            Entry {
                name: name.as_bytes(),
                data,
                utf8: true,
                declared: None,
                inflated: None,
            }
        }
    }

    /// CRC-32 of the bytes, as zip records it.
    pub fn crc32(data: &[u8]) -> u32 {
        let mut crc = flate2::Crc::new();
        crc.update(data);
        crc.sum()
    }

    /// A zip archive of the members.
    pub fn build(entries: &[Entry]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for e in entries {
            let offset = out.len() as u32;
            let flags: u16 = if e.utf8 { 1 << 11 } else { 0 };
            let size = e.data.len() as u32;
            let (crc, method, content_size) = match e.inflated {
                Some((crc, inflated)) => (crc, 8u16, inflated),
                None => (crc32(e.data), 0u16, size),
            };
            let declared = e.declared.unwrap_or(content_size);
            let mut common = Vec::new();
            common.extend_from_slice(&20u16.to_le_bytes()); // version needed
            common.extend_from_slice(&flags.to_le_bytes());
            common.extend_from_slice(&method.to_le_bytes()); // stored or deflate
            common.extend_from_slice(&0u16.to_le_bytes()); // time
            common.extend_from_slice(&0x21u16.to_le_bytes()); // date 1980-01-01
            common.extend_from_slice(&crc.to_le_bytes());
            common.extend_from_slice(&size.to_le_bytes());
            common.extend_from_slice(&declared.to_le_bytes());
            common.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
            common.extend_from_slice(&0u16.to_le_bytes()); // extra
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&common);
            out.extend_from_slice(e.name);
            out.extend_from_slice(e.data);

            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&20u16.to_le_bytes()); // version made by
            central.extend_from_slice(&common);
            central.extend_from_slice(&0u16.to_le_bytes()); // comment
            central.extend_from_slice(&0u16.to_le_bytes()); // disk
            central.extend_from_slice(&0u16.to_le_bytes()); // internal attrs
            central.extend_from_slice(&0u32.to_le_bytes()); // external attrs
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(e.name);
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::stored::{build, Entry};
    use super::*;

    #[test]
    fn lists_files_in_order_skipping_directories_and_macosx() {
        let zip = build(&[
            Entry::new("b.txt", b"second"),
            Entry::new("dir/", b""),
            Entry::new("__MACOSX/._b.txt", b"junk"),
            Entry::new("dir/a.txt", b"first"),
        ]);
        let m = members(&zip).unwrap();
        let names: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["b.txt", "dir/a.txt"]);
        assert_eq!(m[1].bytes.as_deref().unwrap(), b"first");
    }

    #[test]
    fn decodes_gbk_names_without_the_utf8_flag() {
        let (gbk, _, _) = encoding_rs::GBK.encode("年报/乌苏市统计局.txt");
        let zip = build(&[
            Entry {
                name: &gbk,
                utf8: false,
                ..Entry::new("", b"x")
            },
            Entry {
                utf8: false,
                ..Entry::new("政府信息公开.txt", b"y")
            },
            Entry::new("报告\\2023.txt", b"z"),
        ]);
        let names: Vec<String> = members(&zip).unwrap().into_iter().map(|m| m.name).collect();
        assert_eq!(
            names,
            ["年报/乌苏市统计局.txt", "政府信息公开.txt", "报告/2023.txt"]
        );
    }

    #[test]
    fn a_member_declaring_a_huge_size_is_refused_unread() {
        let zip = build(&[
            Entry {
                declared: Some(100 << 20),
                ..Entry::new("bomb.txt", b"small really")
            },
            Entry::new("ok.txt", b"fine"),
        ]);
        let m = members(&zip).unwrap();
        let why = m[0].bytes.as_ref().unwrap_err();
        assert!(why.starts_with("limit_exceeded"), "{why}");
        assert_eq!(m[1].bytes.as_deref().unwrap(), b"fine");
    }

    #[test]
    fn actual_bytes_are_counted_not_only_the_declared_size() {
        let data = vec![b'a'; 1000];
        let zip = build(&[Entry {
            declared: Some(10),
            ..Entry::new("liar.txt", &data)
        }]);
        let limits = Limits {
            member_bytes: 100,
            ..Limits::default()
        };
        let m = members_with(&zip, limits).unwrap();
        assert!(m[0].bytes.is_err());
    }

    #[test]
    fn total_and_count_limits() {
        let data = vec![b'a'; 60];
        let zip = build(&[
            Entry::new("1.txt", &data),
            Entry::new("2.txt", &data),
            Entry::new("3.txt", b"abc"),
        ]);
        let limits = Limits {
            member_bytes: 100,
            total_bytes: 100,
            members: 10,
        };
        let m = members_with(&zip, limits).unwrap();
        assert!(m[0].bytes.is_ok());
        assert!(m[1].bytes.as_ref().unwrap_err().contains("together"));
        assert!(m[2].bytes.is_ok());
        let few = Limits {
            members: 2,
            ..limits
        };
        assert!(members_with(&zip, few).unwrap_err().contains("limit"));
    }

    #[test]
    fn docx_is_told_by_the_central_directory() {
        let docx = build(&[Entry::new("word/document.xml", b"<w:document/>")]);
        assert!(is_docx(&docx));
        // The name in a member's *content* is not enough.
        let zip = build(&[Entry::new("notes.txt", b"see word/document.xml")]);
        assert!(!is_docx(&zip));
        assert!(!is_docx(b"PK\x03\x04word/document.xml"));
        assert!(members(b"PK\x03\x04garbage").is_err());
    }

    #[test]
    fn a_broken_ole_file_fails_whatever_its_name() {
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        ole.extend((0..600u32).map(|i| (i * 37 % 251) as u8));
        for name in ["report.doc", "report.wps", "table.xls"] {
            let doc = crate::read::read(&ole, name);
            assert!(doc.failed);
            assert_eq!(doc.format, crate::read::Format::LegacyOffice);
            assert_eq!(doc.findings[0].check, "ole_unreadable");
        }
    }
}
