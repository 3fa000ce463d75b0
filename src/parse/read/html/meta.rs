//! The page's metadata: `<title>` and the CMS `<meta name=…>` tags, which name the
//! article, its date, the site and the publishing agency.

use super::dom::{Dom, Edge, Id, ROOT};
use super::layout::{inline_text, Line};
use super::select::Stats;
use crate::read::PageMeta;
use html5ever::local_name;

/// `<title>` and the CMS `<meta name=…>` tags (names matched case-insensitively; the
/// first non-empty value of each wins).
pub(super) fn page_meta(dom: &Dom, kinds: &[u16]) -> PageMeta {
    let mut page = PageMeta::default();
    let none = Stats::empty(dom, kinds);
    for id in descendants(dom, ROOT) {
        let Some(el) = dom.element(id) else {
            continue;
        };
        match el.name() {
            "title" if page.title.is_none() => {
                page.title = non_empty(inline_text(id, &none).0);
            }
            "meta" => {
                let (Some(key), Some(content)) = (
                    el.attr(&local_name!("name")),
                    el.attr(&local_name!("content")),
                ) else {
                    continue;
                };
                let slot = match key.trim().to_ascii_lowercase().as_str() {
                    "articletitle" => &mut page.article_title,
                    "pubdate" => &mut page.pub_date,
                    "sitename" => &mut page.site_name,
                    "columnname" => &mut page.column_name,
                    "contentsource" => &mut page.content_source,
                    _ => continue,
                };
                if slot.is_none() {
                    *slot = non_empty(collapse(content));
                }
            }
            _ => {}
        }
    }
    page
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Whitespace collapsed to single spaces, trimmed.
fn collapse(s: &str) -> String {
    let mut out = Line::default();
    out.text(s);
    out.cur
}

/// The subtree of `id` in document order (`id` first).
pub(super) fn descendants(dom: &Dom, id: Id) -> impl Iterator<Item = Id> + '_ {
    dom.traverse(id).filter_map(|e| match e {
        Edge::Open(n) => Some(n),
        Edge::Close(_) => None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::read;
    use super::*;
    use crate::read::Format;

    #[test]
    fn meta_tags_fill_page_metadata() {
        let doc = read(
            "<html><head><title> 某局2023年报 _ 某市人民政府 </title>\
             <meta name=\"ArticleTitle\" content=\"某局2023年政府信息公开工作年度报告\">\
             <meta name=\"pubdate\" content=\"2024-01-20 09:00\">\
             <META NAME=\"SiteName\" CONTENT=\"某市人民政府\">\
             <meta name=\"ColumnName\" content=\"政府信息公开年报\">\
             <meta name=\"ContentSource\" content=\" 某局 \"></head><body>x</body></html>"
                .as_bytes(),
        );
        assert_eq!(
            doc.page,
            PageMeta {
                title: Some("某局2023年报 _ 某市人民政府".into()),
                article_title: Some("某局2023年政府信息公开工作年度报告".into()),
                pub_date: Some("2024-01-20 09:00".into()),
                site_name: Some("某市人民政府".into()),
                column_name: Some("政府信息公开年报".into()),
                content_source: Some("某局".into()),
            }
        );
        assert_eq!(doc.format, Format::Html);
        assert_eq!(doc.text, "x\n");
    }
}
