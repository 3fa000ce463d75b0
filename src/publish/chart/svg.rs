//! SVG writing: elements and their attributes, text escaped for XML, coordinates rounded,
//! and text widths estimated so labels can be fitted without measuring fonts.

use super::{DASHES, FONT, LABEL_CHARS, MUTED, NO_DATA, PALETTE, TITLE_FONT, TITLE_Y};

/// A coordinate with at most one decimal: enough for the eye, and few enough digits that
/// float noise cannot change the output.
pub(super) fn num(x: f64) -> String {
    let r = (x * 10.0).round() / 10.0;
    if !r.is_finite() || r == 0.0 {
        "0".to_string()
    } else if r.fract() == 0.0 {
        format!("{r:.0}")
    } else {
        format!("{r:.1}")
    }
}

/// Escapes text for element content and attribute values alike. Characters XML forbids
/// (most control characters) become U+FFFD: one stray byte in a label must not make the
/// whole SVG unreadable.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' => out.push(ch),
            c if c >= '\u{10000}' => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// Estimated rendered width (see the module notes).
pub(super) fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| if c >= '\u{2E80}' { 1.0 } else { 0.6 })
        .sum::<f64>()
        * size
}

/// Category labels past [`LABEL_CHARS`] are cut so every row and column has the same room.
pub(super) fn truncate(s: &str) -> String {
    if s.chars().count() > LABEL_CHARS {
        let mut t: String = s.chars().take(LABEL_CHARS - 1).collect();
        t.push('…');
        t
    } else {
        s.to_string()
    }
}

/// `s` cut with "…" so that its estimated width fits `max`.
pub(super) fn fit(s: &str, max: f64, size: f64) -> String {
    if text_width(s, size) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = text_width("…", size);
    for c in s.chars() {
        w += text_width(c.encode_utf8(&mut [0; 4]), size);
        if w > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

pub(super) fn style(k: usize) -> (&'static str, &'static str) {
    (
        PALETTE[k % PALETTE.len()],
        DASHES[(k / PALETTE.len()) % DASHES.len()],
    )
}

pub(super) fn dash_attr(dash: &str) -> String {
    if dash.is_empty() {
        String::new()
    } else {
        format!(" stroke-dasharray=\"{dash}\"")
    }
}

/// The document head. The `<title>` comes first because screen readers take it as the
/// image's name; the white background keeps the chart legible in dark-mode viewers.
pub(super) fn open(width: f64, height: f64, title: &str) -> String {
    let (w, h) = (num(width), num(height));
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"{}\" role=\"img\">\n<title>{}</title>\n<rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/>\n<text x=\"12\" y=\"{}\" font-size=\"{}\" font-weight=\"bold\">{}</text>\n",
        num(FONT),
        esc(title),
        num(TITLE_Y),
        num(TITLE_FONT),
        esc(&fit(title, width - 24.0, TITLE_FONT))
    )
}

pub(super) fn line(x1: f64, y1: f64, x2: f64, y2: f64, stroke: &str) -> String {
    format!(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{stroke}\"/>\n",
        num(x1),
        num(y1),
        num(x2),
        num(y2)
    )
}

/// Text vertically centred on `y` (`dy` rather than `dominant-baseline`, which some
/// renderers ignore).
pub(super) fn text(x: f64, y: f64, attrs: &str, content: &str) -> String {
    format!(
        "<text x=\"{}\" y=\"{}\" dy=\"0.35em\"{attrs}>{}</text>\n",
        num(x),
        num(y),
        esc(content)
    )
}

pub(super) fn no_data(x: f64, y: f64) -> String {
    text(
        x,
        y,
        &format!(" text-anchor=\"middle\" fill=\"{MUTED}\""),
        NO_DATA,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_fit_estimated_widths() {
        assert_eq!(text_width("公安", 10.0), 20.0);
        assert_eq!(text_width("ab", 10.0), 12.0);
        assert_eq!(fit("short", 100.0, 10.0), "short");
        let cut = fit("一二三四五六七八九十", 50.0, 10.0);
        assert_eq!(cut, "一二三四…");
        assert!(text_width(&cut, 10.0) <= 50.0);
        assert_eq!(
            truncate("一二三四五六七八九十一二"),
            "一二三四五六七八九十一二"
        );
        assert_eq!(
            truncate("一二三四五六七八九十一二三"),
            "一二三四五六七八九十一…"
        );
    }
}
