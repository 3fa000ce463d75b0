//! A file → the documents it holds, each parsed by [`crate::parse_reports`]: the stage
//! before reading. Transport layers come off first (a saved HTTP response's headers and
//! chunking, gzip or zlib: [`read::unwrap`]); then an archive (zip, tar, WARC) gives a
//! document per member, `archive.zip!/member` as source path, opened only at the top
//! level; a crawler's export (JSON, XML, CSV) or a MIME message a document per page;
//! anything else is one document. A document's text that prints several reports gives
//! one per report, the later ones at `document!#N`.

use crate::model::{Finding, Report, Severity, Status, Table};
use crate::{
    empty_report, failed_report, limits, parse_reports, place_agency, read, report_id, too_large,
};

/// The reports of a file (`id`: its [`crate::report_id`] when known): a file over the
/// size limit is one failed report; any other is unpacked.
pub(crate) fn reports(bytes: &[u8], source_path: &str, id: Option<&str>) -> Vec<Report> {
    let limit = limits::get().file_bytes;
    if bytes.len() as u64 > limit {
        let mut r = failed_report(
            bytes,
            id,
            read::sniff(bytes),
            "limit_exceeded",
            too_large(bytes.len() as u64, limit),
        );
        r.source_path = source_path.to_string();
        return vec![r];
    }
    parse_container(bytes, source_path, id, 0)
}

/// The reports of a file or an archive's member at `depth` (0 for a file): its transport
/// layers taken off (a saved HTTP response's headers, gzip), then one report per member of
/// an archive (zip, tar, WARC), per page of an export, or for the document. Archives are
/// opened only at depth 0: an archive inside one is a `nested_archive` failure.
fn parse_container(bytes: &[u8], source_path: &str, id: Option<&str>, depth: usize) -> Vec<Report> {
    let mut layers: Vec<Finding> = Vec::new();
    let mut encoding = None;
    let mut inner: Option<Vec<u8>> = None;
    for _ in 0..read::MAX_LAYERS {
        match read::unwrap(inner.as_deref().unwrap_or(bytes)) {
            None => break,
            Some(Ok(layer)) => {
                layers.extend(layer.findings);
                encoding = layer.encoding.or(encoding);
                inner = Some(layer.bytes);
            }
            Some(Err(doc)) => {
                let mut r = empty_report(bytes, id, &doc);
                layers.extend(doc.findings);
                r.findings = layers;
                r.status = Status::Failed;
                r.source_path = source_path.to_string();
                return vec![r];
            }
        }
    }
    let content = inner.as_deref().unwrap_or(bytes);
    let format = read::sniff(content);
    let members = match format {
        read::Format::Zip | read::Format::Tar | read::Format::Warc if depth > 0 => {
            let mut r = failed_report(
                bytes,
                id,
                format,
                "nested_archive",
                "an archive inside an archive is not opened".into(),
            );
            r.source_path = source_path.to_string();
            return vec![r];
        }
        read::Format::Zip => Some(read::archive::members(content)),
        read::Format::Tar => Some(read::tar::members(content)),
        read::Format::Warc => Some(read::warc::members(content)),
        _ => None,
    };
    let mut reports = match members {
        Some(members) => archive_reports(bytes, id, source_path, format, members, depth),
        None => {
            // The document's id is the file's, whatever layers it came in.
            let id = match (id, &inner) {
                (Some(id), _) => Some(id.to_string()),
                (None, Some(_)) => Some(report_id(bytes)),
                (None, None) => None,
            };
            let mut reports = document_reports(content, source_path, id.as_deref());
            for r in &mut reports {
                r.bytes = bytes.len() as u64;
                if let Some(e) = encoding {
                    r.encoding = e.to_string();
                }
            }
            reports
        }
    };
    if !layers.is_empty() {
        for r in &mut reports {
            r.findings.splice(0..0, layers.iter().cloned());
        }
    }
    reports
}

/// The reports of one document: one, or one per page of a crawler's export or a MIME
/// message.
fn document_reports(bytes: &[u8], source_path: &str, id: Option<&str>) -> Vec<Report> {
    if let Some(export) = read::export(bytes) {
        let one = export.pages.len() == 1;
        return export
            .pages
            .into_iter()
            .flat_map(|rec| {
                let path = if one {
                    source_path.to_string()
                } else {
                    format!("{source_path}!{}", rec.origin)
                };
                let mut reports = parse_reports(&rec.bytes, source_path, None);
                for r in &mut reports {
                    r.findings.push(
                        Finding::new(
                            Severity::Info,
                            export.check,
                            format!("read from {} {}", export.what, rec.origin),
                        )
                        .at(Table::Reports, None, None),
                    );
                }
                placed(reports, &path)
            })
            .collect();
    }
    placed(parse_reports(bytes, source_path, id), source_path)
}

/// `reports` of one document at `source_path`, with their agencies placed: the first
/// report keeps the document's path, a later one of a text holding several gets `!#N`.
fn placed(mut reports: Vec<Report>, source_path: &str) -> Vec<Report> {
    for (k, r) in reports.iter_mut().enumerate() {
        r.source_path = if k == 0 {
            source_path.to_string()
        } else {
            format!("{source_path}!#{}", k + 1)
        };
        place_agency(r);
    }
    reports
}

/// The reports of an archive's members (`archive!/member` as source path): each member
/// read as a file of its own, one level down; a member that cannot be read is a failed
/// report saying why.
fn archive_reports(
    bytes: &[u8],
    id: Option<&str>,
    source_path: &str,
    format: read::Format,
    members: Result<Vec<read::archive::Member>, String>,
    depth: usize,
) -> Vec<Report> {
    match members {
        Ok(members) => {
            let mut out = Vec::new();
            for m in members {
                let path = format!("{source_path}!/{}", m.name);
                match m.bytes {
                    Ok(b) => out.extend(parse_container(&b, &path, None, depth + 1)),
                    Err(why) => {
                        let mut r =
                            failed_report(bytes, id, format, "archive_member_unreadable", why);
                        r.source_path = path;
                        out.push(r);
                    }
                }
            }
            if out.is_empty() {
                let mut r = failed_report(
                    bytes,
                    id,
                    format,
                    "empty_archive",
                    "the archive holds no file".into(),
                );
                r.source_path = source_path.to_string();
                out.push(r);
            }
            out
        }
        Err(why) => {
            let mut r = failed_report(bytes, id, format, "archive_unreadable", why);
            r.source_path = source_path.to_string();
            vec![r]
        }
    }
}
