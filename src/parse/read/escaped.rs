//! Text saved as an escaped string: a database dump (mysqldump's `INSERT … VALUES (…,'…\n…')`,
//! pg_dump's `COPY … FROM stdin` rows), a log line, a string literal copied out of code.
//! The report's line breaks and tabs are the two characters `\n` and `\t`, so the whole
//! report is one line in which no title, heading or table row can be found, and it would
//! be taken for a page that is not a report.
//!
//! A text whose escapes outnumber its real line breaks many times over is such a string:
//! its escapes are undone once (`\n`, `\r\n`, `\r`, `\t`, `\\`, `\'`, `\"`). A text with
//! ordinary line breaks is left alone, whatever backslashes it holds (a path, a regex).

/// Fewest escaped line breaks for a text to be taken as escaped: a report has dozens of
/// lines, a text quoting one path has one.
const MIN_ESCAPES: usize = 20;

/// How many escaped line breaks per real one make a text escaped.
const ESCAPES_PER_LINE: usize = 4;

/// The text with its escapes undone, or `None` when it is not an escaped string.
pub fn unescape(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let escaped = memchr::memmem::find_iter(bytes, b"\\n").count();
    if escaped < MIN_ESCAPES {
        return None;
    }
    let real = memchr::memchr_iter(b'\n', bytes).count();
    if escaped < ESCAPES_PER_LINE * real.max(1) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
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
            Some(q @ ('\\' | '\'' | '"')) => {
                chars.next();
                out.push(q);
            }
            _ => out.push(c),
        }
    }
    Some(out)
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
    fn ordinary_text_is_left_alone() {
        // A few escapes, or as many real lines as escapes.
        assert_eq!(unescape("路径 C:\\new\\table\n"), None);
        let lines = "正则 a\\nb\n".repeat(30);
        assert_eq!(unescape(&lines), None);
        let report = "一、总体情况\n".repeat(100);
        assert_eq!(unescape(&report), None);
    }
}
