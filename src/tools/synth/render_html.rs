//! HTML pages: the tables as `<table>` with rowspan/colspan, in a page's frame (site
//! navigation and footer), as a government site publishes a report.

use super::draft::Draft;
use super::grid::Grid;
use crate::chart::esc as escape;

impl Draft {
    pub(super) fn html(&self, grids: &[Grid; 3], charset: &str) -> String {
        let mut out = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"{charset}\"><title>{}</title>\
             <meta name=\"SiteName\" content=\"政府信息公开\"></head>\n<body><div class=\"nav\">首页 &gt; 政府信息公开 &gt; 年度报告</div>\n<div class=\"article\">\n",
            escape(&self.title().replace('\n', " "))
        );
        for line in self.title().lines() {
            out += &format!("<h2>{}</h2>\n", escape(line));
        }
        for p in self.intro() {
            out += &format!("<p>{}</p>\n", escape(&p));
        }
        for (s, grid) in grids.iter().enumerate() {
            if let Some(heading) = &self.headings.tables[s] {
                out += &format!("<p><strong>{heading}</strong></p>\n");
            }
            out += "<table border=\"1\">\n";
            for (i, row) in grid.iter().enumerate() {
                if s == 1 && i >= 3 {
                    out += &format!("<tr data-row=\"{}\">", self.apps[i - 3].code);
                } else {
                    out += "<tr>";
                }
                for c in row {
                    let mut attrs = String::new();
                    if c.colspan > 1 {
                        attrs += &format!(" colspan=\"{}\"", c.colspan);
                    }
                    if c.rowspan > 1 {
                        attrs += &format!(" rowspan=\"{}\"", c.rowspan);
                    }
                    out += &format!("<td{attrs}><p>{}</p></td>", escape(&c.text));
                }
                out += "</tr>\n";
            }
            out += "</table>\n";
        }
        for p in self.outro() {
            out += &format!("<p>{}</p>\n", escape(&p));
        }
        out += "</div>\n<div class=\"footer\">主办单位：政府办公室</div></body></html>\n";
        out
    }
}
