//! Stage 2: bytes → text. (Placeholder: UTF-8 only; replaced by the real detector.)

use crate::model::Finding;

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

/// Decodes bytes to text.
pub fn decode(bytes: &[u8]) -> Decoded {
    Decoded {
        text: String::from_utf8_lossy(bytes).into_owned(),
        encoding: "UTF-8",
        findings: Vec::new(),
        binary: false,
    }
}
