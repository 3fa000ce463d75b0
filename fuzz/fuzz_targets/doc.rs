//! Any bytes as the streams of a Word 97 file in a well-formed OLE container (split at the
//! position the first two bytes give: `WordDocument`, then the table stream), so they reach
//! the FIB, piece table and paragraph properties; a first byte of 0 instead feeds the rest
//! to the container reader raw (`nianbao::read::doc::fuzz_file`).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for report in nianbao::parse_file(&nianbao::read::doc::fuzz_file(data), "fuzz.doc") {
        nianbao::check_invariants(&report);
    }
});
