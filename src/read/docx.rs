//! The DOCX reader. (Placeholder until the real reader lands.)

use crate::read::{Document, Format};

/// Reads a DOCX document.
pub fn read(_bytes: &[u8]) -> Document {
    Document::failed(Format::Docx, "unsupported_format", "DOCX is not read yet")
}
