//! Any bytes as `word/document.xml` of a well-formed DOCX container, so they reach the
//! streaming XML reader (gridSpan, vMerge, nesting limits); a first byte of 0 instead
//! feeds the rest to the zip reader raw.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let file = match data.split_first() {
        Some((0, rest)) => rest.to_vec(),
        _ => nianbao::read::docx::container(data),
    };
    for report in nianbao::parse_file(&file, "fuzz.docx") {
        nianbao::check_invariants(&report);
    }
});
