//! Text saved as an escaped string: a database dump (mysqldump's `INSERT … VALUES (…,'…\n…')`,
//! pg_dump's `COPY … FROM stdin` rows), a log line, a string literal copied out of code.
//! The report's line breaks and tabs are the two characters `\n` and `\t`, so the whole
//! report is one line in which no title, heading or table row can be found, and it would
//! be taken for a page that is not a report.
//!
//! A line holding many escaped line breaks is such a string: its escapes are undone once
//! (`\n`, `\r\n`, `\r`, `\t`, `\\`, `\'`, `\"`, `\/`, and `\uXXXX` as JSON encoders write
//! every non-ASCII character by default). The rest of the file (a dump's comments and
//! table definitions) and any line with only a few backslashes (a path, a regex) are left
//! as they are. Per line, not per file: a dump's header has as many lines as a short
//! report has escapes, and a dump cut short keeps few of them.

/// Fewest escaped line breaks on one line for it to be an escaped string: a report has
/// dozens of lines, a line quoting a path or a pattern one or two.
const MIN_LINE_ESCAPES: usize = 8;

/// The text with the escapes of its escaped lines undone, or `None` when it has none.
pub fn unescape(text: &str) -> Option<String> {
    if memchr::memmem::find_iter(text.as_bytes(), b"\\n").count() < MIN_LINE_ESCAPES {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut changed = false;
    for line in text.split_inclusive('\n') {
        if memchr::memmem::find_iter(line.as_bytes(), b"\\n").count() >= MIN_LINE_ESCAPES {
            unescape_line(line, &mut out);
            changed = true;
        } else {
            out.push_str(line);
        }
    }
    changed.then_some(out)
}

fn unescape_line(line: &str, out: &mut String) {
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek().copied() {
            Some('n') => {
                chars.next();
                out.push('\n');
            }
            Some('r') => {
                chars.next();
                // `\r\n` is one line break; a lone `\r` ends a line too.
                let mut lookahead = chars.clone();
                if lookahead.next() == Some('\\') && lookahead.next() == Some('n') {
                    chars.next();
                    chars.next();
                }
                out.push('\n');
            }
            Some('t') => {
                chars.next();
                out.push('\t');
            }
            Some(q @ ('\\' | '\'' | '"' | '/')) => {
                chars.next();
                out.push(q);
            }
            // `\u4e2d`, as a JSON encoder writes every non-ASCII character by default
            // (Python's `ensure_ascii`), a pair for a character past U+FFFF.
            Some('u') => {
                let mut look = chars.clone();
                look.next();
                match hex4(&mut look) {
                    Some(high @ 0xD800..=0xDBFF) => {
                        let mut pair = look.clone();
                        let low = (pair.next() == Some('\\') && pair.next() == Some('u'))
                            .then(|| hex4(&mut pair))
                            .flatten()
                            .filter(|l| (0xDC00..=0xDFFF).contains(l));
                        match low.and_then(|l| {
                            char::from_u32(0x10000 + ((high - 0xD800) << 10) + (l - 0xDC00))
                        }) {
                            Some(ch) => {
                                out.push(ch);
                                chars = pair;
                            }
                            None => out.push(c),
                        }
                    }
                    Some(code) => match char::from_u32(code) {
                        Some(ch) => {
                            out.push(ch);
                            chars = look;
                        }
                        None => out.push(c),
                    },
                    None => out.push(c),
                }
            }
            _ => out.push(c),
        }
    }
}

/// Four hex digits, as a code unit.
fn hex4(chars: &mut impl Iterator<Item = char>) -> Option<u32> {
    let mut v = 0;
    for _ in 0..4 {
        v = v * 16 + chars.next()?.to_digit(16)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dump_line_is_unescaped() {
        let body = "一、总体情况\\n本年新收\\t5\\r\\n".repeat(12);
        let dump = format!("INSERT INTO `a` VALUES (1,'标题','{body}它\\'s \\\\ ok');\n");
        let text = unescape(&dump).expect("escaped");
        assert!(text.contains("一、总体情况\n本年新收\t5\n一、"), "{text}");
        assert!(text.contains("它's \\ ok"));
        assert!(!text.contains("\\n"));
    }

    #[test]
    fn unicode_escapes_are_undone() {
        // `json.dumps` of a report with `ensure_ascii` (its default), written in a log.
        let body = "\\u4e00\\u3001\\u603b\\u4f53\\n".repeat(8);
        let line =
            format!("2024-01-02 INFO item={{\"content\": \"{body}\\ud842\\udfb7 \\u12\"}}\n");
        let text = unescape(&line).expect("escaped");
        assert!(text.contains("一、总体\n一、总体\n"), "{text}");
        assert!(text.contains('𠮷'), "{text}");
        // A broken escape is kept as written.
        assert!(text.contains("\\u12"), "{text}");
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        // A few escapes, or as many real lines as escapes.
        assert_eq!(unescape("路径 C:\\new\\table\n"), None);
        let lines = "正则 a\\nb\\nc\n".repeat(30);
        assert_eq!(unescape(&lines), None);
        // The dump's header lines stay as they are.
        let dump = format!(
            "-- MySQL dump\nSET x='\\n';\nINSERT VALUES ('{}');\n",
            "一\\n".repeat(8)
        );
        assert_eq!(
            unescape(&dump).unwrap(),
            format!(
                "-- MySQL dump\nSET x='\\n';\nINSERT VALUES ('{}');\n",
                "一\n".repeat(8)
            )
        );
        let report = "一、总体情况\n".repeat(100);
        assert_eq!(unescape(&report), None);
    }
}
