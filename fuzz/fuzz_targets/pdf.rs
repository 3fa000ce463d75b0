//! Any bytes as a PDF: through `pdftotext` (poppler) with its time and size limits, then
//! the text pipeline. A `%PDF-` header is added when missing so the PDF reader is used.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut file = Vec::new();
    if !data.starts_with(b"%PDF-") {
        file.extend_from_slice(b"%PDF-1.4\n");
    }
    file.extend_from_slice(data);
    for report in nianbao::parse_file(&file, "fuzz.pdf") {
        nianbao::check_invariants(&report);
    }
});
