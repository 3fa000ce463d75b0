//! Reader throughput: how fast `read::read` turns HTML pages, DOCX files and text
//! reports into text, alone (no normalise, no writer), on a fixed number of threads.
//!
//! ```text
//! cargo bench --no-default-features --bench read -- gen html|docx|text N DIR [SEED]
//! cargo bench --no-default-features --bench read -- run DIR [THREADS] [ROUNDS]
//! cargo bench --no-default-features --bench read -- once FILE ITERATIONS
//! cargo bench --no-default-features --bench read -- digest DIR
//! ```
//!
//! `gen` writes what a scraped corpus holds rather than the bare pages `nianbao synth`
//! writes (which are ~9 KB): each synthetic report's HTML is dressed as a government CMS
//! page of 50–200 KB (head scripts and styles, navigation menus, Word-pasted table markup,
//! related-article lists, footer), and its DOCX as a LibreOffice export (run and cell
//! properties on every run and cell, runs split, styles and settings parts, deflated, ~26
//! KB). `run` reads every file of DIR once per round with THREADS workers and prints the
//! median docs/s per format (and docs/s per two CPU-seconds, which other jobs on the
//! machine do not distort); `once` reads one file in a loop, for callgrind; `digest`
//! prints a digest of each file's reading, to compare two builds of the reader.
//!
//! The library is built without the `tables` feature: readers do not need polars, so the
//! harness compiles in a minute instead of a release polars build.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use nianbao::read::archive::stored::{build, crc32, Entry};

mod pages;
use pages::{cms_page, Rng};

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use nianbao::synth::{self, SynthFormat};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    match arg(0) {
        Some("gen") => {
            let format = match arg(1) {
                Some("html") => SynthFormat::Html,
                Some("docx") => SynthFormat::Docx,
                Some("text") => SynthFormat::Text,
                other => usage(&format!("unknown format {other:?}")),
            };
            let n: u64 = arg(2).and_then(|s| s.parse().ok()).unwrap_or(1000);
            let dir = PathBuf::from(arg(3).unwrap_or_else(|| usage("no DIR")));
            let seed: u64 = arg(4).and_then(|s| s.parse().ok()).unwrap_or(42);
            generate(format, n, &dir, seed);
        }
        Some("run") => {
            let dir = PathBuf::from(arg(1).unwrap_or_else(|| usage("no DIR")));
            let threads = arg(2).and_then(|s| s.parse().ok()).unwrap_or(2);
            let rounds = arg(3).and_then(|s| s.parse().ok()).unwrap_or(5);
            run(&dir, threads, rounds);
        }
        // One line per file: a digest of what the reader produced, to compare builds.
        Some("digest") => {
            use std::hash::{Hash, Hasher};
            let dir = PathBuf::from(arg(1).unwrap_or_else(|| usage("no DIR")));
            for (name, bytes) in files(&dir) {
                let doc = nianbao::read::read(&bytes, &name);
                let mut h = std::collections::hash_map::DefaultHasher::new();
                format!(
                    "{:?}",
                    (
                        &doc.text,
                        &doc.encoding,
                        &doc.findings,
                        &doc.page,
                        doc.failed
                    )
                )
                .hash(&mut h);
                println!("{:016x} {name}", h.finish());
            }
        }
        Some("once") => {
            let file = arg(1).unwrap_or_else(|| usage("no FILE"));
            let iterations: usize = arg(2).and_then(|s| s.parse().ok()).unwrap_or(10);
            let bytes = std::fs::read(file).expect("read FILE");
            let mut out = 0;
            for _ in 0..iterations {
                out += nianbao::read::read(&bytes, file).text.len();
            }
            println!("{out}");
        }
        // `cargo bench` with no arguments: a quick smoke run on a small generated corpus.
        None => {
            let dir =
                std::env::temp_dir().join(format!("nianbao-read-bench-{}", std::process::id()));
            for format in [SynthFormat::Text, SynthFormat::Html, SynthFormat::Docx] {
                generate(format, 200, &dir, 42);
            }
            run(&dir, 2, 3);
            let _ = std::fs::remove_dir_all(&dir);
        }
        Some(other) => usage(&format!("unknown command {other}")),
    }
}

fn usage(why: &str) -> ! {
    eprintln!("{why}\nusage: read gen html|docx|text N DIR [SEED] | run DIR [THREADS] [ROUNDS] | once FILE N");
    std::process::exit(2)
}

// ---------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------

/// A file's name and bytes.
type File = (String, Vec<u8>);

fn files(dir: &Path) -> Vec<File> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if !path.to_string_lossy().ends_with(".gold.json") {
                let name = path.to_string_lossy().into_owned();
                out.push((name, std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

fn run(dir: &Path, threads: usize, rounds: usize) {
    let all = files(dir);
    let mut by_format: Vec<(&'static str, Vec<&File>)> = Vec::new();
    for f in &all {
        // The format read, not sniffed: an OLE file is a Word document or another kind.
        let code = nianbao::read::read(&f.1, &f.0).format.code();
        match by_format.iter_mut().find(|(c, _)| *c == code) {
            Some((_, v)) => v.push(f),
            None => by_format.push((code, vec![f])),
        }
    }
    println!(
        "{:<8} {:>7} {:>8} {:>7} {:>10} {:>8} {:>10} {:>11}",
        "format", "files", "MB", "avg_KB", "docs/s", "MB/s", "cpu_ms/doc", "docs/s/2cpu"
    );
    for (code, docs) in &by_format {
        let bytes: usize = docs.iter().map(|d| d.1.len()).sum();
        // A round reads the corpus as many times as make it last ~0.3 s, so that small
        // corpora are timed above the clock's and the CPU counter's resolution (10 ms).
        let pass = |docs: &[&File]| {
            let next = AtomicUsize::new(0);
            std::thread::scope(|s| {
                for _ in 0..threads.max(1) {
                    s.spawn(|| {
                        let mut sink = 0usize;
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some((name, b)) = docs.get(i) else { break };
                            sink += nianbao::read::read(b, name).text.len();
                        }
                        std::hint::black_box(sink);
                    });
                }
            });
        };
        let t0 = Instant::now();
        pass(docs);
        let once = t0.elapsed().as_secs_f64();
        let passes = ((0.3 / once.max(1e-6)).ceil() as usize).clamp(1, 10_000);
        let mut times = Vec::new();
        let mut cpu = Vec::new();
        for _ in 0..rounds.max(1) {
            let cpu0 = cpu_seconds();
            let t0 = Instant::now();
            for _ in 0..passes {
                pass(docs);
            }
            times.push(t0.elapsed().as_secs_f64() / passes as f64);
            cpu.push((cpu_seconds() - cpu0) / passes as f64);
        }
        times.sort_by(f64::total_cmp);
        cpu.sort_by(f64::total_cmp);
        let median = times[times.len() / 2];
        let cpu_median = cpu[cpu.len() / 2];
        let n = docs.len() as f64;
        println!(
            "{:<8} {:>7} {:>8.1} {:>7.1} {:>10.0} {:>8.1} {:>10.3} {:>11.0}",
            code,
            docs.len(),
            bytes as f64 / 1e6,
            bytes as f64 / 1024.0 / n,
            n / median,
            bytes as f64 / 1e6 / median,
            cpu_median * 1000.0 / n,
            2.0 * n / cpu_median
        );
    }
}

/// CPU time of this process so far (user + system, from `/proc/self/stat`): on a machine
/// shared with other jobs, the wall clock measures them too, CPU time only this run.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at `) `.
    let rest = stat.rsplit_once(") ").map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of stat(5), 12 and 13 after the name.
    (ticks(11) + ticks(12)) / 100.0
}

// ---------------------------------------------------------------------------------------
// Generating
// ---------------------------------------------------------------------------------------

fn generate(format: SynthFormat, n: u64, dir: &Path, seed: u64) {
    let options = synth::Options {
        seed,
        defect_rate: 0.1,
        formats: vec![format],
        panel: None,
    };
    let mut rng = Rng(seed ^ 0x5EED);
    for i in 0..n {
        for file in synth::report(&options, i) {
            let path = dir.join(&file.path);
            std::fs::create_dir_all(path.parent().unwrap()).expect("mkdir");
            // Not dressed: a page whose body is a script's string (the Word-pasted markup
            // would put quotes into that string) and a page saved through a wrong charset
            // (a frame in the right one would make it half repaired).
            let undressed = matches!(
                file.truth["class"].as_str(),
                Some("script_html" | "wrong_charset")
            );
            let bytes = match nianbao::read::sniff(&file.bytes) {
                nianbao::read::Format::Html if format == SynthFormat::Html && !undressed => {
                    cms_page(&file.bytes, &mut rng)
                }
                nianbao::read::Format::Docx => libreoffice_docx(&file.bytes, &mut rng),
                _ => file.bytes,
            };
            std::fs::write(&path, bytes).expect("write");
        }
    }
}

/// A synthetic DOCX re-dressed as LibreOffice writes one: namespaces, paragraph, run,
/// row, cell and table properties everywhere, long runs split, style/settings/font parts,
/// every part deflated. The text it holds is unchanged.
fn libreoffice_docx(docx: &[u8], rng: &mut Rng) -> Vec<u8> {
    let members = nianbao::read::archive::members(docx).expect("synthetic docx");
    let xml = members
        .iter()
        .find(|m| m.name == "word/document.xml")
        .and_then(|m| m.bytes.as_ref().ok())
        .expect("document.xml");
    let xml = String::from_utf8_lossy(xml);
    const RPR: &str = "<w:rPr><w:rFonts w:ascii=\"仿宋_GB2312\" w:hAnsi=\"仿宋_GB2312\" w:eastAsia=\"仿宋_GB2312\" w:cs=\"仿宋_GB2312\"/><w:kern w:val=\"0\"/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:rPr>";
    let ppr = "<w:pPr><w:pStyle w:val=\"Normal\"/><w:widowControl/><w:spacing w:lineRule=\"exact\" w:line=\"560\" w:before=\"0\" w:after=\"0\"/><w:ind w:firstLine=\"640\"/><w:jc w:val=\"both\"/><w:rPr><w:rFonts w:ascii=\"仿宋_GB2312\" w:hAnsi=\"仿宋_GB2312\" w:eastAsia=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/></w:rPr></w:pPr>";
    let borders = "<w:tcBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/></w:tcBorders><w:shd w:fill=\"auto\" w:val=\"clear\"/><w:vAlign w:val=\"center\"/>";
    // Runs split every few characters, as LibreOffice does at each rsid or attribute change.
    let mut split = String::with_capacity(xml.len() * 2);
    let mut rest = &*xml;
    while let Some(at) = rest.find("<w:t xml:space=\"preserve\">") {
        let open = at + "<w:t xml:space=\"preserve\">".len();
        split.push_str(&rest[..open]);
        let close = open + rest[open..].find("</w:t>").expect("closed w:t");
        let text = &rest[open..close];
        let mut count = 0;
        let cut = 4 + rng.below(12);
        let mut in_entity = false;
        for c in text.chars() {
            if count >= cut && !in_entity {
                split.push_str("</w:t></w:r><w:r><w:t xml:space=\"preserve\">");
                count = 0;
            }
            match c {
                '&' => in_entity = true,
                ';' => in_entity = false,
                _ => {}
            }
            split.push(c);
            count += 1;
        }
        rest = &rest[close..];
    }
    split.push_str(rest);
    let document = split
        .replacen(
            "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">",
            "<w:document xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" xmlns:v=\"urn:schemas-microsoft-com:vml\" xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" xmlns:w10=\"urn:schemas-microsoft-com:office:word\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" xmlns:wps=\"http://schemas.microsoft.com/office/word/2010/wordprocessingShape\" xmlns:wpg=\"http://schemas.microsoft.com/office/word/2010/wordprocessingGroup\" xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\" xmlns:wp14=\"http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing\" xmlns:w14=\"http://schemas.microsoft.com/office/word/2010/wordml\" mc:Ignorable=\"w14 wp14\">",
            1,
        )
        .replace("<w:p>", &format!("<w:p>{ppr}"))
        .replace("<w:r>", &format!("<w:r>{RPR}"));
    // Revision ids on paragraphs and runs, as an edited document carries them: they are
    // what keeps a real body from compressing to nothing.
    let mut document = document;
    for (tag, attrs) in [
        (
            "<w:p>",
            "w:rsidR=\"00{:06X}\" w:rsidRDefault=\"00{:06X}\" w:rsidP=\"00{:06X}\"",
        ),
        (
            "<w:r>",
            "w:rsidRPr=\"00{:06X}\" w:rsidR=\"00{:06X}\" w:rsidDel=\"00{:06X}\"",
        ),
    ] {
        let mut out = String::with_capacity(document.len() * 2);
        let mut pieces = document.split(tag);
        out.push_str(pieces.next().unwrap_or(""));
        for piece in pieces {
            let ids: Vec<String> = (0..3)
                .map(|_| format!("{:06X}", rng.next() & 0xFF_FFFF))
                .collect();
            let filled = attrs
                .replacen("{:06X}", &ids[0], 1)
                .replacen("{:06X}", &ids[1], 1)
                .replacen("{:06X}", &ids[2], 1);
            out.push_str(&tag[..tag.len() - 1]);
            out.push(' ');
            out.push_str(&filled);
            out.push('>');
            out.push_str(piece);
        }
        document = out;
    }
    let document = document
        .replace("<w:tcPr>", "<w:tcPr><w:tcW w:w=\"1020\" w:type=\"dxa\"/>")
        .replace("</w:tcPr>", &format!("{borders}</w:tcPr>"))
        .replace("<w:tr>", "<w:tr><w:trPr><w:trHeight w:val=\"454\" w:hRule=\"atLeast\"/></w:trPr>")
        .replace("<w:tbl>", "<w:tbl><w:tblPr><w:tblW w:w=\"8520\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>")
        .replace("</w:body>", "<w:sectPr><w:type w:val=\"nextPage\"/><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:left=\"1587\" w:right=\"1474\" w:header=\"0\" w:top=\"2098\" w:footer=\"1417\" w:bottom=\"1984\" w:gutter=\"0\"/><w:pgNumType w:fmt=\"decimal\"/><w:formProt w:val=\"false\"/><w:textDirection w:val=\"lrTb\"/><w:docGrid w:type=\"lines\" w:linePitch=\"579\" w:charSpace=\"0\"/></w:sectPr></w:body>");
    let mut styles = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:hAnsi=\"Times New Roman\" w:eastAsia=\"宋体\"/><w:sz w:val=\"21\"/></w:rPr></w:rPrDefault></w:docDefaults>");
    for i in 0..60 {
        styles.push_str(&format!("<w:style w:type=\"paragraph\" w:styleId=\"Style{i}\"><w:name w:val=\"Style {i}\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:before=\"{}\" w:after=\"{}\"/></w:pPr><w:rPr><w:sz w:val=\"{}\"/></w:rPr></w:style>", rng.below(400), rng.below(400), 18 + rng.below(20)));
    }
    styles.push_str("</w:styles>");
    let parts: [(&str, String); 9] = [
        ("[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/><Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/><Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/><Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/><Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/><Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>".into()),
        ("_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>".into()),
        ("docProps/app.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Template></Template><TotalTime>0</TotalTime><Application>LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2</Application><Pages>6</Pages><Words>1203</Words><Characters>4620</Characters></Properties>".into()),
        ("docProps/core.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\"><dcterms:created>2024-01-15T09:21:00Z</dcterms:created><dc:creator>admin</dc:creator><cp:revision>3</cp:revision></cp:coreProperties>".into()),
        ("word/_rels/document.xml.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/><Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable\" Target=\"fontTable.xml\"/><Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" Target=\"settings.xml\"/></Relationships>".into()),
        ("word/styles.xml", styles),
        ("word/fontTable.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:fonts xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:font w:name=\"Times New Roman\"><w:charset w:val=\"00\"/><w:family w:val=\"roman\"/><w:pitch w:val=\"variable\"/></w:font><w:font w:name=\"仿宋_GB2312\"><w:charset w:val=\"86\"/><w:family w:val=\"modern\"/><w:pitch w:val=\"fixed\"/></w:font><w:font w:name=\"宋体\"><w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"default\"/></w:font></w:fonts>".into()),
        ("word/settings.xml", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/><w:autoHyphenation w:val=\"true\"/><w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat><w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>".into()),
        ("word/document.xml", document),
    ];
    let deflated: Vec<(Vec<u8>, u32, u32)> = parts
        .iter()
        .map(|(_, data)| {
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            enc.write_all(data.as_bytes()).expect("deflate");
            (
                enc.finish().expect("deflate"),
                crc32(data.as_bytes()),
                data.len() as u32,
            )
        })
        .collect();
    let entries: Vec<Entry> = parts
        .iter()
        .zip(&deflated)
        .map(|((name, _), (data, crc, size))| Entry {
            inflated: Some((*crc, *size)),
            ..Entry::new(name, data)
        })
        .collect();
    build(&entries)
}
