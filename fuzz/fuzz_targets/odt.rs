//! Any bytes as `content.xml` of an OpenDocument text package, so they reach the ODT
//! reader (paragraphs, tables, covered and repeated cells, hidden styles, nesting).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for report in nianbao::parse_file(&nianbao::read::odt::container(data), "fuzz.odt") {
        nianbao::check_invariants(&report);
    }
});
