//! Any bytes after an HTML prologue, so they reach the HTML reader (charset sniffing,
//! html5ever, the rowspan/colspan grid) and then the rest of the pipeline.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut page = b"<!DOCTYPE html><html><body>".to_vec();
    page.extend_from_slice(data);
    for report in nianbao::parse_file(&page, "fuzz.html") {
        nianbao::check_invariants(&report);
    }
});
