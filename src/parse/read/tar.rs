//! Tar archives (`.tar`, and `.tar.gz`/`.tgz` once inflated): a crawler's batch of saved
//! pages. Read as one text, every member's page runs into the next (the first report's
//! tables with the last one's signature, the others lost); each member is a document of
//! its own, as a zip archive's are, under the same limits.
//!
//! The format is simple enough to read here (POSIX ustar headers of 512 bytes, with the
//! GNU long-name and pax path records real tools write); only regular files are members.

use super::archive::{Limits, Member};

const BLOCK: usize = 512;

/// True when `bytes` start with a ustar header whose checksum is right.
pub fn is_tar(bytes: &[u8]) -> bool {
    bytes.len() >= BLOCK && bytes[257..262] == *b"ustar" && checksum_ok(&bytes[..BLOCK])
}

fn checksum_ok(header: &[u8]) -> bool {
    let Some(stored) = octal(&header[148..156]) else {
        return false;
    };
    let sum: u64 = header
        .iter()
        .enumerate()
        .map(|(i, &b)| {
            if (148..156).contains(&i) {
                32
            } else {
                u64::from(b)
            }
        })
        .sum();
    sum == stored
}

/// A numeric field: octal digits (padded with spaces or NULs), or GNU's base-256 form
/// for sizes past 8 GiB.
fn octal(field: &[u8]) -> Option<u64> {
    if field.first().is_some_and(|b| b & 0x80 != 0) {
        return field[1..]
            .iter()
            .try_fold(u64::from(field[0] & 0x7F), |n, &b| {
                n.checked_mul(256).map(|n| n + u64::from(b))
            });
    }
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .skip_while(|b| *b == b' ')
        .take_while(|b| b.is_ascii_digit())
        .collect();
    if digits.is_empty() {
        return field.iter().all(|b| *b == 0 || *b == b' ').then_some(0);
    }
    u64::from_str_radix(std::str::from_utf8(&digits).ok()?, 8).ok()
}

fn text(field: &[u8]) -> String {
    let end = memchr::memchr(0, field).unwrap_or(field.len());
    super::archive::decode_name(&field[..end], false)
}

/// The members of a tar archive (regular files, in archive order), under the limits of
/// a zip archive's. `Err` when the archive itself cannot be read or has too many members.
pub fn members(bytes: &[u8]) -> Result<Vec<Member>, String> {
    members_with(bytes, Limits::default())
}

pub(crate) fn members_with(bytes: &[u8], limits: Limits) -> Result<Vec<Member>, String> {
    if !is_tar(bytes) {
        return Err("not a readable tar archive".into());
    }
    let mut out = Vec::new();
    let mut pos = 0;
    let mut total: u64 = 0;
    let mut long_name: Option<String> = None;
    let mut entries = 0usize;
    while pos + BLOCK <= bytes.len() {
        let header = &bytes[pos..pos + BLOCK];
        if header.iter().all(|&b| b == 0) {
            break;
        }
        if !checksum_ok(header) {
            out.push(Member {
                name: format!("(entry at byte {pos})"),
                bytes: Err("member cannot be read: its header is damaged; the rest of the archive is not read".into()),
            });
            break;
        }
        entries += 1;
        if entries > limits.members {
            return Err(format!(
                "limit_exceeded: the archive holds more entries than the limit of {}",
                limits.members
            ));
        }
        let size = octal(&header[124..136]).unwrap_or(0);
        let kind = header[156];
        let data_at = pos + BLOCK;
        let padded = size.div_ceil(BLOCK as u64).saturating_mul(BLOCK as u64);
        let next = (data_at as u64).saturating_add(padded);
        let available = bytes.len().saturating_sub(data_at) as u64;
        let data = &bytes[data_at..data_at + size.min(available) as usize];
        match kind {
            // GNU long name, pax extended header: the next entry's name.
            b'L' => long_name = Some(text(data)),
            b'x' => {
                if let Some(path) = pax_path(data) {
                    long_name = Some(path);
                }
            }
            b'0' | 0 | b'7' => {
                let name = long_name.take().unwrap_or_else(|| {
                    let prefix = text(&header[345..500]);
                    let name = text(&header[..100]);
                    if prefix.is_empty() {
                        name
                    } else {
                        format!("{prefix}/{name}")
                    }
                });
                let bytes = if let Err(why) =
                    limits.admit(size, total, "member", "the archive's members")
                {
                    Err(why)
                } else if size > available && available == 0 {
                    Err(format!(
                        "member cannot be read: it declares {size} bytes but the archive ends before them"
                    ))
                } else {
                    // A download cut inside its last member: what arrived is read, and the
                    // document's own end (a line or a table cut short) says it is cut.
                    total += size.min(available);
                    Ok(data.to_vec())
                };
                if !super::archive::skipped(&name) {
                    out.push(Member { name, bytes });
                }
            }
            // Directories, links, devices, global pax headers: not documents.
            _ => long_name = None,
        }
        if next > bytes.len() as u64 {
            break;
        }
        pos = next as usize;
    }
    Ok(out)
}

/// The `path` record of a pax extended header (`<len> path=<name>\n` records).
fn pax_path(data: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(data);
    text.lines().find_map(|l| {
        let (_, record) = l.split_once(' ')?;
        record.strip_prefix("path=").map(str::to_string)
    })
}

/// Writing tar archives, for tests and fixtures.
#[cfg(test)]
pub(crate) fn build(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in entries {
        let mut h = [0u8; BLOCK];
        let kind = if name.ends_with('/') { b'5' } else { b'0' };
        if name.len() > 100 {
            let mut long = name.as_bytes().to_vec();
            long.push(0);
            out.extend(header(b"././@LongLink", long.len(), b'L'));
            out.extend(&long);
            out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
            h.copy_from_slice(&header(&name.as_bytes()[..100], data.len(), kind));
        } else {
            h.copy_from_slice(&header(name.as_bytes(), data.len(), kind));
        }
        out.extend(h);
        out.extend(*data);
        out.resize(out.len().div_ceil(BLOCK) * BLOCK, 0);
    }
    out.extend([0u8; 2 * BLOCK]);
    out
}

#[cfg(test)]
fn header(name: &[u8], size: usize, kind: u8) -> [u8; BLOCK] {
    let mut h = [0u8; BLOCK];
    h[..name.len()].copy_from_slice(name);
    h[100..107].copy_from_slice(b"0000644");
    h[124..135].copy_from_slice(format!("{size:011o}").as_bytes());
    h[136..147].copy_from_slice(b"00000000000");
    h[156] = kind;
    h[257..263].copy_from_slice(b"ustar\0");
    h[263..265].copy_from_slice(b"00");
    h[148..156].copy_from_slice(b"        ");
    let sum: u32 = h.iter().map(|&b| u32::from(b)).sum();
    h[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_regular_files_with_long_names() {
        let long = format!("{}/报告.html", "d".repeat(120));
        let tar = build(&[("a.txt", b"first"), ("dir/", b""), (&long, b"second")]);
        assert!(is_tar(&tar));
        let m = members(&tar).unwrap();
        let names: Vec<&str> = m.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["a.txt", long.as_str()]);
        assert_eq!(m[1].bytes.as_deref().unwrap(), b"second");
        assert!(!is_tar(b"plain text"));
    }

    #[test]
    fn a_member_over_the_limit_is_listed_with_the_reason() {
        let big = vec![b'a'; 3000];
        let tar = build(&[("big.txt", &big), ("ok.txt", b"fine")]);
        let limits = Limits {
            member_bytes: 1000,
            total_bytes: 10_000,
            members: 10,
        };
        let m = members_with(&tar, limits).unwrap();
        assert!(m[0]
            .bytes
            .as_ref()
            .unwrap_err()
            .starts_with("limit_exceeded"));
        assert_eq!(m[1].bytes.as_deref().unwrap(), b"fine");
        let few = Limits {
            members: 1,
            ..limits
        };
        assert!(members_with(&tar, few).unwrap_err().contains("limit"));
    }

    #[test]
    fn a_cut_archive_gives_what_arrived_of_its_last_member() {
        let tar = build(&[("a.txt", b"first"), ("b.txt", &[b'b'; 2000])]);
        let cut = &tar[..BLOCK * 3 + 100];
        let m = members(cut).unwrap();
        assert_eq!(m[0].bytes.as_deref().unwrap(), b"first");
        assert_eq!(m[1].bytes.as_deref().unwrap(), &[b'b'; 100][..]);
        // Cut right after the member's header: nothing of it arrived.
        let m = members(&tar[..BLOCK * 3]).unwrap();
        assert!(m[1].bytes.as_ref().unwrap_err().contains("ends before"));
        // A damaged header stops the reading with a member that says so.
        let mut bad = tar.clone();
        bad[BLOCK * 2 + 10] ^= 0xFF;
        let m = members(&bad).unwrap();
        assert_eq!(m.len(), 2);
        assert!(m[1].bytes.is_err());
    }
}
