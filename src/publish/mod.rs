//! The published report (`nianbao report`): [`report`] lays out the HTML and Markdown
//! pages from an output's tables, [`chart`] draws their SVG charts.

pub mod chart;
#[cfg(feature = "tables")]
pub mod report;
