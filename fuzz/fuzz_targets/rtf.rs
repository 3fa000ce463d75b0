//! Any bytes after an RTF header, so they reach the RTF tokenizer (groups, control words,
//! code pages, `\u`, `\bin`) and the table layout (`\cell`, `\row`, `\cellx`, nesting).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut file = b"{\\rtf1\\ansi\\ansicpg936 ".to_vec();
    file.extend_from_slice(data);
    for report in nianbao::parse_file(&file, "fuzz.rtf") {
        nianbao::check_invariants(&report);
    }
});
