//! The HTML reader. (Placeholder: decodes as text until the real reader lands.)

use crate::read::{text, Document, Format};

/// Reads an HTML page.
pub fn read(bytes: &[u8]) -> Document {
    let mut d = text::read(bytes);
    d.format = Format::Html;
    d
}
