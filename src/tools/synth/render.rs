//! A draft printed as a file: the text around the tables (title, introduction, closing
//! sections, signature), the format's rendering, and the defects that damage the printed
//! document rather than its values (a truncation, a garbled row).

use super::draft::{AgencyIn, Draft};
use super::grid::{expand, word_rows};
use super::render_text::{encode, Text, TEXT_LAYOUTS};
use super::rng::Rng;
use super::{Defect, SynthFormat};

impl Draft {
    pub(super) fn title(&self) -> String {
        let (a, y) = (&self.agency.name, self.year);
        match self.agency_in {
            AgencyIn::Title => format!("{a}{y}年政府信息公开工作年度报告"),
            AgencyIn::LineAbove => format!("{a}\n{y}年政府信息公开工作年度报告"),
            AgencyIn::YearFirst => format!("{y}年度{a}政府信息公开工作年度报告"),
            AgencyIn::BodyOnly => format!("{y}年政府信息公开工作年度报告"),
        }
    }

    pub(super) fn intro(&self) -> Vec<String> {
        let (a, y) = (&self.agency.name, self.year);
        let mut intro = vec![
            format!("本报告根据《中华人民共和国政府信息公开条例》要求编制。本报告所列数据的统计期限自{y}年1月1日起至{y}年12月31日止。如对本报告有疑问，请与本机关办公室联系。"),
            "一、总体情况".to_string(),
            format!("{y}年，{a}认真贯彻落实政府信息公开工作各项要求，围绕中心工作，及时主动公开政策文件和政策解读，规范依申请公开办理流程，政务公开工作取得新成效。"),
        ];
        if let Some((heading, text)) = &self.headings.inserted {
            intro.push(heading.to_string());
            intro.push(text.to_string());
        }
        intro
    }

    pub(super) fn outro(&self) -> Vec<String> {
        vec![
            self.headings.outro[0].to_string(),
            "政策解读形式还不够丰富，下一步将加强图表解读，提升公开质量。".to_string(),
            self.headings.outro[1].to_string(),
            "本年度未收取信息处理费。".to_string(),
            self.agency
                .signature
                .clone()
                .unwrap_or_else(|| self.agency.name.clone()),
            format!("{}年1月{}日", self.year + 1, 10 + self.year % 18),
        ]
    }

    pub(super) fn header(&self, text: &str) -> String {
        if self.spaced_headers && text.chars().count() <= 4 {
            let chars: Vec<String> = text.chars().map(String::from).collect();
            chars.join(" ")
        } else {
            text.to_string()
        }
    }

    /// Renders the report: (layout, bytes, encoding, row the cut falls in).
    /// `layout`: the text layout to use instead of drawing one.
    pub(super) fn render(
        &self,
        rng: &mut Rng,
        defects: &[&str],
        layout: Option<&'static str>,
    ) -> (&'static str, Vec<u8>, &'static str, Option<usize>) {
        let grids = self.grids();
        match self.format {
            SynthFormat::Html => {
                let gbk = rng.chance(0.3) && !self.traditional;
                let mut page = self.html(&grids, if gbk { "gbk" } else { "utf-8" });
                let mut cut = None;
                if defects.contains(&Defect::Truncated.name()) {
                    let row = self.pick_data_row(rng);
                    let marker = format!("<tr data-row=\"{}\">", self.apps[row].code);
                    if let Some(start) = page.find(&marker) {
                        let next = page[start + marker.len()..]
                            .find("<tr")
                            .map_or(page.len(), |n| start + marker.len() + n);
                        let mut at = start + rng.below(next - start);
                        while !page.is_char_boundary(at) {
                            at -= 1;
                        }
                        page.truncate(at);
                        cut = Some(row);
                    }
                }
                let page = self.convert(&page);
                let bytes = if gbk {
                    encoding_rs::GBK.encode(&page).0.into_owned()
                } else {
                    page.into_bytes()
                };
                ("html", bytes, if gbk { "gbk" } else { "utf-8" }, cut)
            }
            SynthFormat::Docx => {
                let xml = self.convert(&self.docx_xml(&grids));
                (
                    "docx",
                    crate::read::docx::container(xml.as_bytes()),
                    "utf-8",
                    None,
                )
            }
            SynthFormat::Text => {
                let layout = layout.unwrap_or_else(|| *rng.pick(&TEXT_LAYOUTS));
                let mut text = Text::default();
                for line in self.title().lines() {
                    text.line(line);
                }
                text.line("");
                for p in self.intro() {
                    text.line(&p);
                }
                let page_break = rng.chance(0.3).then(|| 3 + rng.below(self.apps.len() - 3));
                for (s, grid) in grids.iter().enumerate() {
                    if let Some(heading) = &self.headings.tables[s] {
                        text.line(heading);
                    }
                    match layout {
                        "tab" => text.tab(&word_rows(grid), s == 1, page_break),
                        "tab_grid" => text.tab(&expand(grid), s == 1, page_break),
                        "pipe" => text.pipe(grid, s == 1, page_break),
                        "cells" => text.cells(grid, s == 1, page_break, rng),
                        _ => text.layout(self, grid, s, page_break),
                    }
                    text.line("");
                }
                for p in self.outro() {
                    text.line(&p);
                }
                let mut cut = None;
                if defects.contains(&Defect::Truncated.name()) {
                    let row = self.pick_data_row(rng);
                    let start = text.row_starts[row];
                    let end = text.row_starts[row + 1];
                    let mut at = start + rng.below(end - start);
                    while !text.out.is_char_boundary(at) {
                        at -= 1;
                    }
                    text.out.truncate(at);
                    cut = Some(row);
                }
                if defects.contains(&Defect::Garbled.name()) {
                    let row = self.pick_data_row(rng);
                    let start = text.row_starts[row];
                    let end = text.out[start..]
                        .find('\n')
                        .map_or(text.out.len(), |n| start + n);
                    let line = &text.out[start..end];
                    let garbled = encoding_rs::GBK.decode(line.as_bytes()).0.into_owned();
                    text.out.replace_range(start..end, &garbled);
                }
                let out = self.convert(&text.out);
                let (bytes, encoding) = encode(rng, &out, self.traditional);
                (layout, bytes, encoding, cut)
            }
        }
    }

    /// Traditional characters, when the report is printed in them.
    pub(super) fn convert(&self, text: &str) -> String {
        if self.traditional {
            zhconv::get_builtin_converter(zhconv::Variant::ZhHant).convert(text)
        } else {
            text.to_string()
        }
    }
}
