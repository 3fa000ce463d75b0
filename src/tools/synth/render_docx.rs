//! Word documents: `word/document.xml` with the tables as `w:tbl` (gridSpan across,
//! vMerge down), laid out from the grid's slots; `read::docx::container` zips it.

use super::draft::Draft;
use super::grid::{grid_width, slots, Grid, Slot};
use crate::chart::esc as escape;

impl Draft {
    pub(super) fn docx_xml(&self, grids: &[Grid; 3]) -> String {
        let para = |t: &str| {
            format!(
                "<w:p><w:r><w:t xml:space=\"preserve\">{}</w:t></w:r></w:p>",
                escape(t)
            )
        };
        let mut body = String::new();
        for line in self.title().lines() {
            body += &para(line);
        }
        for p in self.intro() {
            body += &para(&p);
        }
        for (s, grid) in grids.iter().enumerate() {
            if let Some(heading) = &self.headings.tables[s] {
                body += &para(heading);
            }
            let width = grid_width(grid);
            body += "<w:tbl><w:tblGrid>";
            for _ in 0..width {
                body += "<w:gridCol w:w=\"800\"/>";
            }
            body += "</w:tblGrid>";
            for line in slots(grid) {
                body += "<w:tr>";
                for slot in line {
                    match slot {
                        Slot::Origin(c) => {
                            let merge = if c.rowspan > 1 {
                                "<w:vMerge w:val=\"restart\"/>"
                            } else {
                                ""
                            };
                            body += &format!(
                                "<w:tc><w:tcPr>{}{merge}</w:tcPr>{}</w:tc>",
                                grid_span(c.colspan),
                                para(&c.text)
                            );
                        }
                        Slot::Below {
                            first: true,
                            colspan,
                        } => {
                            body += &format!(
                                "<w:tc><w:tcPr>{}<w:vMerge/></w:tcPr><w:p/></w:tc>",
                                grid_span(colspan)
                            );
                        }
                        Slot::Below { .. } | Slot::Right => {}
                        Slot::Empty => break,
                    }
                }
                body += "</w:tr>";
            }
            body += "</w:tbl>";
        }
        for p in self.outro() {
            body += &para(&p);
        }
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>{body}</w:body></w:document>"
        )
    }
}

fn grid_span(span: usize) -> String {
    if span > 1 {
        format!("<w:gridSpan w:val=\"{span}\"/>")
    } else {
        String::new()
    }
}
