//! The reader against the one it replaced (`reference`, scraper over html5ever's own
//! tokenizer), over generated, dressed and mutated pages: test-only.

use super::{pages, read, read_shown, reference};

/// Markup that exercises the tokenizer's states and the tree builder's repairs,
/// inserted into pages at random.
const SNIPPETS: [&str; 64] = [
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<b>",
    "</b>",
    "<i>",
    "</i>",
    "<td>",
    "</td>",
    "<tr>",
    "</tr>",
    "<table>",
    "</table>",
    "<tbody>",
    "<th rowspan=2>",
    "<caption>",
    "<col>",
    "<font class=\"nav\">",
    "<font face=仿宋 size=3>",
    "</font>",
    "<span class='Content'>",
    "</span>",
    "&nbsp",
    "&amp;",
    "&notit;",
    "&lt",
    "&#x80;",
    "&#0;",
    "&#128512;",
    "&#xD800;",
    "&copy=",
    "<!--",
    "-->",
    "<!-->",
    "<!--->",
    "<script>",
    "</script>",
    "<script><!--<script>x</script>-->",
    "<style>p{}</style>",
    "<![CDATA[x]]>",
    "<svg><p>svg</p></svg>",
    "<math><mi>m</mi></math>",
    "<select>",
    "</select>",
    "<textarea>",
    "<title>t&amp;</title>",
    "<form>",
    "</form>",
    "<li>",
    "<pre>\nx\n</pre>",
    "\r\n",
    "\r",
    "\0",
    "<a href=\"x\" class=a>",
    "</a>",
    "<!DOCTYPE html>",
    "<div class=\"content\">",
    "<h2>",
    "<br/>",
    "</br>",
    "<input type=hidden>",
    "<noscript>",
    "<b><p>x</b>y</p>",
];

fn mutate(page: &str, rng: &mut pages::Rng) -> String {
    let cut = |rng: &mut pages::Rng| {
        let mut at = rng.below(page.len() + 1);
        while !page.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match rng.below(4) {
        0 => page[..cut(rng)].to_string(),
        1 => {
            // A tag dropped.
            let at = cut(rng);
            match (page[at..].find('<'), page[at..].find('>')) {
                (Some(lt), Some(gt)) if lt < gt => {
                    format!("{}{}", &page[..at + lt], &page[at + gt + 1..])
                }
                _ => page.to_string(),
            }
        }
        _ => {
            let mut out = page.to_string();
            for _ in 0..1 + rng.below(4) {
                let mut at = rng.below(out.len() + 1);
                while !out.is_char_boundary(at) {
                    at -= 1;
                }
                out.insert_str(at, SNIPPETS[rng.below(SNIPPETS.len())]);
            }
            out
        }
    }
}

fn same_as_before(bytes: &[u8], what: &str) {
    // The places a page may hold its body where a browser shows nothing (a textarea's
    // value, `<noscript>`, a comment…) are read by this reader only: a mutation that opens
    // one (an unclosed `<textarea>` or `<!--`) may make it win. The page as shown reads as
    // before, and a page not mutated reads as shown.
    let new = read_shown(bytes);
    if !what.contains("mutated") {
        assert_eq!(read(bytes).text, new.text, "{what}");
    }
    let old = reference::read(bytes);
    assert_eq!(
        format!(
            "{:?}",
            (
                &new.text,
                &new.encoding,
                &new.findings,
                &new.page,
                new.failed
            )
        ),
        format!(
            "{:?}",
            (
                &old.text,
                &old.encoding,
                &old.findings,
                &old.page,
                old.failed
            )
        ),
        "{what}: {}",
        String::from_utf8_lossy(&bytes[..bytes.len().min(3000)])
    );
}

/// The reader against the one it replaced (scraper over html5ever's own tokenizer):
/// the same text, page metadata and findings for every generated page — all of
/// synth's HTML (frameless fragments, bodies in script strings, every defect), the
/// same pages dressed as 50–200 KB CMS pages, the fixtures — and for mutations of
/// them (cut anywhere, a tag dropped, tokenizer and tree-builder edge cases inserted).
/// `NIANBAO_HTML_EQUIV=N` checks N reports instead of 300.
#[test]
fn reads_what_the_html5ever_reader_read() {
    let n: u64 = std::env::var("NIANBAO_HTML_EQUIV")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    let options = crate::synth::Options {
        seed: 7,
        defect_rate: 0.3,
        formats: vec![crate::synth::SynthFormat::Html],
        panel: None,
    };
    let mut rng = pages::Rng(7);
    for i in 0..n {
        for file in crate::synth::report(&options, i) {
            same_as_before(&file.bytes, &file.path);
            let page = String::from_utf8_lossy(&file.bytes).into_owned();
            for _ in 0..4 {
                let mutated = mutate(&page, &mut rng);
                same_as_before(mutated.as_bytes(), &format!("{} mutated", file.path));
            }
            if i % 10 == 0 {
                let dressed = pages::cms_page(&file.bytes, &mut rng);
                same_as_before(&dressed, &format!("{} dressed", file.path));
                let dressed = String::from_utf8_lossy(&dressed).into_owned();
                let mutated = mutate(&dressed, &mut rng);
                same_as_before(
                    mutated.as_bytes(),
                    &format!("{} dressed, mutated", file.path),
                );
            }
        }
    }
    let fixtures = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/html");
    for entry in std::fs::read_dir(fixtures).unwrap().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html") {
            let bytes = std::fs::read(&path).unwrap();
            same_as_before(&bytes, &path.display().to_string());
            let page = String::from_utf8_lossy(&bytes).into_owned();
            for _ in 0..20 {
                let mutated = mutate(&page, &mut rng);
                same_as_before(mutated.as_bytes(), &format!("{} mutated", path.display()));
            }
        }
    }
}
