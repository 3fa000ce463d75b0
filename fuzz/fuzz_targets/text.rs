//! Any bytes as a text file: decoding (encoding detection, UTF-16, GB18030), normalising,
//! segmenting, extracting and validating. Bytes that sniff as another format go to that
//! reader, which is fine: nothing may panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for report in nianbao::parse_file(data, "fuzz.txt") {
        nianbao::check_invariants(&report);
    }
});
