//! Namespace prefixes in scope, resolved only for the elements the body reader acts on.

use quick_xml::events::BytesStart;
use quick_xml::name::QName;

use super::{Failure, MC_NS, W_NS};

/// The namespaces the reader tells apart.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Ns {
    W,
    Mc,
    Other,
}

/// Namespace prefixes in scope. quick-xml's `NsReader` parses every element's attributes
/// to look for declarations (two thirds of the time of a LibreOffice body, whose runs all
/// carry properties); declarations are rare, so an element's attributes are only parsed
/// when its tag mentions `xmlns` (found from its `x`s: a searcher built per tag cost more
/// than the parse it saved).
#[derive(Default)]
pub(super) struct Scopes {
    /// `(prefix, namespace, depth of the declaring element)`; the default namespace has
    /// the empty prefix.
    bound: Vec<(Vec<u8>, Ns, usize)>,
    /// The last prefix resolved (nearly every element is `w:`), until the bindings change.
    cache: Option<(Vec<u8>, Ns)>,
}

impl Scopes {
    pub(super) fn declare(&mut self, e: &BytesStart, depth: usize) -> Result<(), Failure> {
        let raw = e.attributes_raw();
        if raw.len() < 6 || !memchr::memchr_iter(b'x', raw).any(|i| raw[i..].starts_with(b"xmlns"))
        {
            return Ok(());
        }
        self.cache = None;
        // As quick-xml's resolver: attributes unchecked, the first malformed one ends the
        // declarations, and binding the reserved prefixes or namespaces is an error.
        for attr in e.attributes().with_checks(false) {
            let Ok(attr) = attr else { break };
            let key = attr.key.as_ref();
            let prefix = match key.strip_prefix(b"xmlns") {
                Some([]) => &[][..],
                Some([b':', prefix @ ..]) => prefix,
                _ => continue,
            };
            let value = attr.value.as_ref();
            const XML: &[u8] = b"http://www.w3.org/XML/1998/namespace";
            const XMLNS: &[u8] = b"http://www.w3.org/2000/xmlns/";
            let reserved = match prefix {
                b"xml" if value == XML => continue,
                b"xml" | b"xmlns" => true,
                [] => false,
                _ => value == XML || value == XMLNS,
            };
            if reserved {
                return Err(Failure::Unreadable(format!(
                    "word/document.xml binds a reserved namespace prefix or name ({})",
                    String::from_utf8_lossy(key)
                )));
            }
            let ns = if W_NS.contains(&value) {
                Ns::W
            } else if value == MC_NS {
                Ns::Mc
            } else {
                Ns::Other
            };
            self.bound.push((prefix.to_vec(), ns, depth));
        }
        Ok(())
    }

    /// Drops the declarations of the element at `depth`, which is closing.
    pub(super) fn leave(&mut self, depth: usize) {
        while self.bound.last().is_some_and(|b| b.2 >= depth) {
            self.bound.pop();
            self.cache = None;
        }
    }

    pub(super) fn resolve(&mut self, name: QName) -> Ns {
        let name = name.into_inner();
        let prefix = name
            .iter()
            .position(|&b| b == b':')
            .map_or(&[][..], |i| &name[..i]);
        if let Some((cached, ns)) = &self.cache {
            if cached == prefix {
                return *ns;
            }
        }
        let ns = self
            .bound
            .iter()
            .rev()
            .find(|b| b.0 == prefix)
            .map_or(Ns::Other, |b| b.1);
        self.cache = Some((prefix.to_vec(), ns));
        ns
    }
}
