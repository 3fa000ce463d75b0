//! The body reader against quick-xml's namespace reader, which it replaced: the old
//! reading (`Body::parse_ns`) kept here as the tests' oracle. Test-only.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::body::Body;
use super::{Failure, Format, MAX_DEPTH, MAX_TEXT_BYTES, MC_NS, W_NS};

impl Body {
    /// The body as read before [`Scopes`] (quick-xml's `NsReader`), for the tests.
    #[cfg(test)]
    fn parse_ns<R: std::io::BufRead>(
        mut self,
        xml: &mut quick_xml::NsReader<R>,
    ) -> Result<String, Failure> {
        let mut buf = Vec::new();
        let mut skip = Vec::new();
        loop {
            let (w, mc, event) = match xml.read_resolved_event_into(&mut buf) {
                Ok((ns, event)) => {
                    let is = |names: &[&[u8]]| matches!(ns, quick_xml::name::ResolveResult::Bound(quick_xml::name::Namespace(n)) if names.contains(&n));
                    (is(&W_NS), is(&[MC_NS]), event)
                }
                Err(e) => return Err(Failure::Unreadable(e.to_string())),
            };
            match event {
                Event::Start(e) => {
                    self.depth += 1;
                    if self.depth > MAX_DEPTH {
                        return Err(Failure::Limit(format!(
                            "word/document.xml nests elements deeper than {MAX_DEPTH}"
                        )));
                    }
                    let local = e.local_name().as_ref().to_vec();
                    let skipped = mc && local == b"Fallback"
                        || w && matches!(
                            local.as_slice(),
                            b"delText" | b"instrText" | b"del" | b"moveFrom"
                        );
                    if skipped {
                        // The fallback repeats the choice; deleted text is not text.
                        let end = e.name().as_ref().to_vec();
                        xml.read_to_end_into(quick_xml::name::QName(&end), &mut skip)
                            .map_err(|e| Failure::Unreadable(e.to_string()))?;
                        skip.clear();
                        self.depth -= 1;
                    } else if w {
                        self.start(&local, &e, false)?;
                    }
                }
                Event::Empty(e) if w => {
                    let local = e.local_name().as_ref().to_vec();
                    self.start(&local, &e, true)?;
                }
                Event::End(e) => {
                    self.depth = self.depth.saturating_sub(1);
                    if w {
                        self.end(e.local_name().as_ref());
                    }
                }
                Event::Text(t) if self.in_text => {
                    let s = t
                        .xml_content()
                        .map_err(|e| Failure::Unreadable(e.to_string()))?;
                    self.push_text(&s);
                }
                Event::CData(t) if self.in_text => {
                    let s = t.decode().map_err(|e| Failure::Unreadable(e.to_string()))?;
                    self.push_text(&s);
                }
                Event::GeneralRef(r) if self.in_text => {
                    let resolved = match r
                        .resolve_char_ref()
                        .map_err(|e| Failure::Unreadable(e.to_string()))?
                    {
                        Some(c) => c.to_string(),
                        None => {
                            let name =
                                r.decode().map_err(|e| Failure::Unreadable(e.to_string()))?;
                            quick_xml::escape::resolve_predefined_entity(&name)
                                .ok_or_else(|| {
                                    Failure::Unreadable(format!(
                                        "word/document.xml uses an unknown entity &{name};"
                                    ))
                                })?
                                .to_string()
                        }
                    };
                    self.push_text(&resolved);
                }
                Event::Eof => break,
                _ if self.emitted > MAX_TEXT_BYTES => {
                    return Err(Failure::Limit(format!(
                        "word/document.xml produces more than {MAX_TEXT_BYTES} bytes of text"
                    )));
                }
                _ => {}
            }
            buf.clear();
        }
        if self.depth != 0 {
            return Err(Failure::Unreadable(
                "word/document.xml ends before its elements are closed".to_string(),
            ));
        }
        let mut text = self.out.join("\n");
        text.push('\n');
        Ok(text)
    }
}

/// Markup inserted into bodies at random: namespace declarations and other prefixes
/// for the scopes, skipped content, references, malformed tags.
const SNIPPETS: [&str; 24] = [
    "<w:p>", "</w:p>", "<w:r><w:t>x</w:t></w:r>", "</w:r>", "<w:tc>", "</w:tc>", "<w:tr>",
    "</w:tbl>", "<w:gridSpan w:val=\"3\"/>", "<w:vMerge/>", "<w:tab/>", "<w:br/>",
    "<x:p xmlns:x=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><x:r><x:t>ns</x:t></x:r></x:p>",
    "<w:p xmlns:w=\"urn:other\"><w:r><w:t>other</w:t></w:r></w:p>",
    "<p xmlns=\"http://purl.oclc.org/ooxml/wordprocessingml/main\"><r><t>strict</t></r></p>",
    "<mc:AlternateContent><mc:Choice><w:t>c</w:t></mc:Choice><mc:Fallback><w:t>f</w:t></mc:Fallback></mc:AlternateContent>",
    "<w:del><w:r><w:delText>gone</w:delText></w:r></w:del>", "&amp;", "&#x4E00;", "&bogus;",
    "<![CDATA[cd]]>", "<!-- c -->", "<?pi x?>", "<",
];

fn body_xml(docx: &[u8]) -> Vec<u8> {
    crate::read::archive::members(docx)
        .unwrap()
        .into_iter()
        .find(|m| m.name == "word/document.xml")
        .unwrap()
        .bytes
        .unwrap()
}

fn same_as_before(xml: &[u8], what: &str) {
    let outcome = |r: Result<String, Failure>| match r {
        Ok(text) => Ok(text),
        Err(Failure::Unreadable(_)) => Err("unreadable"),
        Err(Failure::Limit(_)) => Err("limit"),
    };
    let new = outcome(Body::default().parse(&mut Reader::from_reader(xml)));
    let old = outcome(Body::default().parse_ns(&mut quick_xml::NsReader::from_reader(xml)));
    assert_eq!(new, old, "{what}: {}", String::from_utf8_lossy(xml));
    // The fast path reads what quick-xml reads, or gives up.
    let fast = Body::default().parse_fast(xml);
    if let Some(text) = &fast {
        assert_eq!(
            Ok(text.clone()),
            new,
            "fast path, {what}: {}",
            String::from_utf8_lossy(xml)
        );
    }
    FAST.with(|f| {
        let mut f = f.borrow_mut();
        f.0 += usize::from(fast.is_some());
        f.1 += 1;
    });
}

thread_local! {
    /// (bodies the fast path read, bodies seen), per test thread.
    static FAST: std::cell::RefCell<(usize, usize)> = const { std::cell::RefCell::new((0, 0)) };
}

/// The body reader against quick-xml's namespace reader, which it replaced: the same
/// text (or the same kind of failure) for every DOCX synth writes, and for bodies
/// with elements dropped and markup inserted.
#[test]
fn reads_what_the_namespace_reader_read() {
    let options = crate::synth::Options {
        seed: 11,
        defect_rate: 0.3,
        formats: vec![crate::synth::SynthFormat::Docx],
        panel: None,
    };
    let mut rng = 11u64;
    let mut next = |n: usize| {
        rng = rng
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((rng >> 33) as usize) % n.max(1)
    };
    let fixture = include_bytes!("../../../../tests/fixtures/docx/gold/wusu_stats_2023.docx");
    let mut bodies = vec![("fixture".to_string(), body_xml(fixture))];
    for i in 0..150 {
        for file in crate::synth::report(&options, i) {
            if crate::read::sniff(&file.bytes) == Format::Docx {
                bodies.push((file.path.clone(), body_xml(&file.bytes)));
            }
        }
    }
    for (what, xml) in &bodies {
        let (what, xml) = (what.clone(), xml.clone());
        same_as_before(&xml, &what);
        let read_fast = Body::default().parse_fast(&xml).is_some();
        assert!(
            read_fast,
            "the fast path gave up on an unmutated body: {what}"
        );
        let text = String::from_utf8_lossy(&xml).into_owned();
        for _ in 0..6 {
            let mut m = text.clone();
            for _ in 0..1 + next(3) {
                let mut at = next(m.len() + 1);
                while !m.is_char_boundary(at) {
                    at -= 1;
                }
                if next(3) == 0 {
                    // A tag dropped.
                    if let (Some(lt), Some(gt)) = (m[at..].find('<'), m[at..].find('>')) {
                        if lt < gt {
                            m.replace_range(at + lt..at + gt + 1, "");
                        }
                    }
                } else {
                    m.insert_str(at, SNIPPETS[next(SNIPPETS.len())]);
                }
            }
            same_as_before(m.as_bytes(), &format!("{what} mutated"));
        }
    }
    // Mutations put comments, CDATA and instructions in some; most are still read fast,
    // so both paths of the comparison are exercised.
    let (fast, seen) = FAST.with(|f| *f.borrow());
    assert!(
        fast * 3 > seen && fast < seen,
        "fast path read {fast} of {seen}"
    );
}
