//! Line and bar charts for the static report, written as SVG text by hand.
//!
//! Not a plotting crate: plotters lays text out itself and so needs font files, which
//! turns CJK labels into boxes wherever those fonts are missing. A browser lays out SVG
//! `<text>` with the reader's own fonts, so 浙江省 or 公安 render wherever the report is
//! opened. The same `.svg` documents serve the HTML report (inline or linked) and the
//! Markdown one (linked).
//!
//! Output is a pure function of the input (no clock, no hash order, coordinates rounded
//! to one decimal), so rebuilding a report from the same data gives identical bytes and
//! a diff of two reports shows only real changes.
//!
//! Text widths are estimates (the layout cannot measure fonts): a CJK character counts as
//! one em, anything else as 0.6 em, which errs on the wide side for Latin text so labels
//! do not run into the plot.
//!
//! Here the two charts' layouts; `scale` chooses the value axis and formats numbers for
//! readers, `svg` writes the elements, escapes text and estimates its width.

use scale::{format_value, tick_labels, Scale};
use svg::{dash_attr, fit, line, no_data, num, open, style, text, text_width, truncate};

#[cfg(feature = "tables")]
pub(crate) use scale::group;
pub(crate) use svg::esc;

mod scale;
mod svg;

/// One named series of a line chart; `None` is a gap (no point, the line breaks).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Series {
    /// Shown in the legend (when there is more than one series) and in point tooltips.
    pub name: String,
    /// One value per x label, in the same order. Missing trailing values, NaN and
    /// infinities are gaps too, so a caller never has to pad or sanitise.
    pub values: Vec<Option<f64>>,
}

/// A line chart over categories (years, as strings), one line per series.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LineChart {
    /// Printed above the plot and used as the SVG's accessible name.
    pub title: String,
    /// Category labels along the x axis. A series longer than this still shows its extra
    /// points (with blank labels) rather than losing data silently.
    pub x_labels: Vec<String>,
    /// The lines, coloured in order from a fixed colour-blind-safe palette.
    pub series: Vec<Series>,
    /// Written along the y axis; empty for none.
    pub y_label: String,
    /// Values are fractions 0–1 shown as percentages rather than counts.
    pub percent: bool,
}

/// One row of a bar chart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Bar {
    /// Row label; cut with "…" past 12 characters (the full text stays in the tooltip).
    pub label: String,
    /// `None` (or NaN/infinite) prints "n/a" and draws no bar.
    pub value: Option<f64>,
}

/// A horizontal bar chart, one bar per row in the given order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BarChart {
    /// Printed above the plot and used as the SVG's accessible name.
    pub title: String,
    /// The rows; the chart grows by a fixed height per row.
    pub bars: Vec<Bar>,
    /// Written under the value axis; empty for none.
    pub x_label: String,
    /// Values are fractions 0–1 shown as percentages rather than counts.
    pub percent: bool,
}

const WIDTH: f64 = 720.0;
const FONT: f64 = 12.0;
const TITLE_FONT: f64 = 15.0;
const TITLE_Y: f64 = 24.0;
const PLOT_TOP: f64 = 48.0;
const LINE_HEIGHT: f64 = 400.0;
const LINE_BOTTOM: f64 = 36.0;
const LEGEND_ROW: f64 = 18.0;
const LEGEND_TEXT_MAX: f64 = 160.0;
const ROW_H: f64 = 24.0;
const BAR_H: f64 = 16.0;
const BAR_BOTTOM: f64 = 48.0;
const LABEL_CHARS: usize = 12;
const TICK_TARGET: f64 = 5.0;
const MUTED: &str = "#666";
const GRID: &str = "#e0e0e0";
const AXIS: &str = "#888";
const NO_DATA: &str = "no data";

/// Okabe–Ito: distinguishable under the common colour-vision deficiencies. Yellow is last
/// because it is faint on white; black is kept because it is the most legible of all.
const PALETTE: [&str; 8] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000", "#F0E442",
];
/// Past eight series colours repeat, so each further round of the palette gets its own
/// dash pattern to keep lines apart.
const DASHES: [&str; 3] = ["", "6 3", "2 2"];

/// Renders a line chart as a complete SVG document.
///
/// The y axis starts at 0 and ends at a "nice" value; a chart whose values are all
/// missing or zero is drawn empty with a "no data" note instead of a meaningless scale.
pub fn line_chart(c: &LineChart) -> String {
    let n = c
        .series
        .iter()
        .map(|s| s.values.len())
        .fold(c.x_labels.len(), usize::max);
    let values: Vec<Vec<Option<f64>>> = c
        .series
        .iter()
        .map(|s| {
            (0..n)
                .map(|i| clean(s.values.get(i).copied().flatten()))
                .collect()
        })
        .collect();
    let max = values
        .iter()
        .flatten()
        .flatten()
        .fold(0.0_f64, |m, v| m.max(*v));
    let scale = Scale::new(max);
    let ticks = tick_labels(scale.as_ref(), c.percent);

    let legend: Vec<String> = if c.series.len() > 1 {
        c.series
            .iter()
            .map(|s| fit(&s.name, LEGEND_TEXT_MAX, FONT))
            .collect()
    } else {
        Vec::new()
    };
    let tick_w = ticks
        .iter()
        .map(|(_, s)| text_width(s, FONT))
        .fold(0.0, f64::max);
    let ylab_w = if c.y_label.is_empty() {
        0.0
    } else {
        FONT + 8.0
    };
    let left = (12.0 + ylab_w + tick_w + 8.0).min(WIDTH * 0.4);
    let legend_w = legend
        .iter()
        .map(|s| 28.0 + text_width(s, FONT))
        .fold(0.0, f64::max);
    let right = if legend.is_empty() {
        20.0
    } else {
        legend_w + 28.0
    };
    let height = LINE_HEIGHT
        .max(PLOT_TOP + legend.len() as f64 * LEGEND_ROW + LINE_BOTTOM + 8.0)
        .ceil();
    let plot_w = (WIDTH - left - right).max(40.0);
    let plot_h = height - PLOT_TOP - LINE_BOTTOM;
    let (x0, y0, y1) = (left, PLOT_TOP, PLOT_TOP + plot_h);
    let x1 = x0 + plot_w;
    let band = plot_w / n.max(1) as f64;
    let px = |i: usize| x0 + (i as f64 + 0.5) * band;
    let py = |v: f64| match &scale {
        Some(s) => y1 - s.frac(v) * plot_h,
        None => y1,
    };

    let mut out = open(WIDTH, height, &c.title);
    if !c.y_label.is_empty() {
        let (x, y) = (12.0 + FONT, y0 + plot_h / 2.0);
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" transform=\"rotate(-90 {} {})\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>\n",
            num(x),
            num(y),
            num(x),
            num(y),
            esc(&fit(&c.y_label, plot_h, FONT))
        ));
    }
    for (t, label) in &ticks {
        let y = py(*t);
        let stroke = if *t == 0.0 { AXIS } else { GRID };
        out.push_str(&line(x0, y, x1, y, stroke));
        out.push_str(&text(x0 - 6.0, y, " text-anchor=\"end\"", label));
    }
    // Thin the x labels when they would overlap: every k-th one, always from the first.
    let labels: Vec<String> = (0..n)
        .map(|i| truncate(c.x_labels.get(i).map_or("", |s| s.as_str())))
        .collect();
    let label_w = labels
        .iter()
        .map(|s| text_width(s, FONT))
        .fold(0.0, f64::max);
    let every = ((label_w + 8.0) / band).ceil().max(1.0) as usize;
    for (i, label) in labels.iter().enumerate().step_by(every) {
        let x = px(i);
        out.push_str(&line(x, y1, x, y1 + 4.0, AXIS));
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            num(x),
            num(y1 + 18.0),
            esc(label)
        ));
    }
    if scale.is_some() {
        for (k, (s, vals)) in c.series.iter().zip(&values).enumerate() {
            let (colour, dash) = style(k);
            let mut d = String::new();
            let mut run: Vec<(f64, f64)> = Vec::new();
            let mut flush = |run: &mut Vec<(f64, f64)>| {
                // A lone point between gaps has no segment: its marker alone shows it.
                if run.len() > 1 {
                    for (j, (x, y)) in run.iter().enumerate() {
                        let cmd = if j == 0 { "M" } else { "L" };
                        if !d.is_empty() {
                            d.push(' ');
                        }
                        d.push_str(&format!("{cmd}{} {}", num(*x), num(*y)));
                    }
                }
                run.clear();
            };
            for (i, v) in vals.iter().enumerate() {
                match v {
                    Some(v) => run.push((px(i), py(*v))),
                    None => flush(&mut run),
                }
            }
            flush(&mut run);
            if !d.is_empty() {
                out.push_str(&format!(
                    "<path d=\"{d}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" stroke-linejoin=\"round\"{}/>\n",
                    dash_attr(dash)
                ));
            }
            for (i, v) in vals.iter().enumerate() {
                let Some(v) = v else { continue };
                let at = c.x_labels.get(i).map_or("", |l| l.as_str());
                let tip = match (s.name.is_empty(), at.is_empty()) {
                    (true, true) => format_value(*v, c.percent),
                    (true, false) => format!("{at}: {}", format_value(*v, c.percent)),
                    (false, true) => format!("{}: {}", s.name, format_value(*v, c.percent)),
                    (false, false) => {
                        format!("{} {at}: {}", s.name, format_value(*v, c.percent))
                    }
                };
                out.push_str(&format!(
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{colour}\" stroke=\"#fff\"><title>{}</title></circle>\n",
                    num(px(i)),
                    num(py(*v)),
                    esc(&tip)
                ));
            }
        }
    } else {
        out.push_str(&no_data(x0 + plot_w / 2.0, y0 + plot_h / 2.0));
    }
    let lx = x1 + 16.0;
    for (k, name) in legend.iter().enumerate() {
        let (colour, dash) = style(k);
        let y = y0 + k as f64 * LEGEND_ROW + LEGEND_ROW / 2.0;
        out.push_str(&format!(
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{colour}\" stroke-width=\"2\"{}/>\n",
            num(lx),
            num(y),
            num(lx + 20.0),
            num(y),
            dash_attr(dash)
        ));
        out.push_str(&format!(
            "<circle cx=\"{}\" cy=\"{}\" r=\"3.5\" fill=\"{colour}\" stroke=\"#fff\"/>\n",
            num(lx + 10.0),
            num(y)
        ));
        out.push_str(&text(lx + 26.0, y, "", name));
    }
    out.push_str("</svg>\n");
    out
}

/// Renders a horizontal bar chart as a complete SVG document.
///
/// The value axis starts at 0; negative values (not expected) print as they are but draw
/// no bar. All-missing or all-zero data gets a "no data" note and no scale.
pub fn bar_chart(c: &BarChart) -> String {
    let rows = c.bars.len();
    let labels: Vec<String> = c.bars.iter().map(|b| truncate(&b.label)).collect();
    let vals: Vec<Option<f64>> = c.bars.iter().map(|b| clean(b.value)).collect();
    let printed: Vec<String> = vals
        .iter()
        .map(|v| v.map_or_else(|| "n/a".to_string(), |v| format_value(v, c.percent)))
        .collect();
    let max = vals.iter().flatten().fold(0.0_f64, |m, v| m.max(*v));
    let scale = Scale::new(max);
    let ticks = tick_labels(scale.as_ref(), c.percent);

    let label_w = labels
        .iter()
        .map(|s| text_width(s, FONT))
        .fold(0.0, f64::max);
    let left = (12.0 + label_w + 8.0).min(WIDTH * 0.4);
    // Room for the value printed past the longest bar, and for the last tick label,
    // which is centred on the plot's right edge.
    let value_w = printed
        .iter()
        .map(|s| text_width(s, FONT))
        .chain(ticks.iter().map(|(_, s)| text_width(s, FONT) / 2.0))
        .fold(0.0, f64::max);
    let right = (value_w + 16.0).clamp(40.0, WIDTH * 0.3);
    let plot_w = (WIDTH - left - right).max(40.0);
    let rows_h = rows.max(1) as f64 * ROW_H;
    let height = PLOT_TOP + rows_h + BAR_BOTTOM;
    let (x0, y0) = (left, PLOT_TOP);
    let y1 = y0 + rows_h;
    let px = |v: f64| match &scale {
        Some(s) => x0 + s.frac(v) * plot_w,
        None => x0,
    };

    let mut out = open(WIDTH, height, &c.title);
    for (t, label) in &ticks {
        let x = px(*t);
        let stroke = if *t == 0.0 { AXIS } else { GRID };
        out.push_str(&line(x, y0, x, y1, stroke));
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
            num(x),
            num(y1 + 16.0),
            esc(label)
        ));
    }
    if !c.x_label.is_empty() {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"{MUTED}\">{}</text>\n",
            num(x0 + plot_w / 2.0),
            num(y1 + 38.0),
            esc(&fit(&c.x_label, plot_w, FONT))
        ));
    }
    for (i, ((bar, label), (v, shown))) in c
        .bars
        .iter()
        .zip(&labels)
        .zip(vals.iter().zip(&printed))
        .enumerate()
    {
        let cy = y0 + i as f64 * ROW_H + ROW_H / 2.0;
        // The tooltip carries the full label, which the row may show cut.
        let tip = if bar.label.is_empty() {
            shown.clone()
        } else {
            format!("{}: {shown}", bar.label)
        };
        out.push_str(&format!("<g><title>{}</title>\n", esc(&tip)));
        out.push_str(&text(x0 - 8.0, cy, " text-anchor=\"end\"", label));
        let end = match v {
            Some(v) => {
                let w = px(*v) - x0;
                if w >= 0.05 {
                    out.push_str(&format!(
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>\n",
                        num(x0),
                        num(cy - BAR_H / 2.0),
                        num(w),
                        num(BAR_H),
                        PALETTE[0]
                    ));
                }
                px(*v)
            }
            None => x0,
        };
        let colour = if v.is_some() { "" } else { " fill=\"#666\"" };
        out.push_str(&text(end + 4.0, cy, colour, shown));
        out.push_str("</g>\n");
    }
    if scale.is_none() {
        out.push_str(&no_data(x0 + plot_w / 2.0, y0 + rows_h / 2.0));
    }
    out.push_str("</svg>\n");
    out
}

/// Non-finite values are gaps: they cannot be placed, and printing them would put "NaN"
/// into the report.
fn clean(v: Option<f64>) -> Option<f64> {
    v.filter(|v| v.is_finite())
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;

    fn series(name: &str, values: &[Option<f64>]) -> Series {
        Series {
            name: name.into(),
            values: values.to_vec(),
        }
    }

    fn years(from: i32, n: usize) -> Vec<String> {
        (0..n).map(|i| (from + i as i32).to_string()).collect()
    }

    fn bars(values: &[Option<f64>]) -> BarChart {
        BarChart {
            title: "申请数".into(),
            bars: values
                .iter()
                .enumerate()
                .map(|(i, v)| Bar {
                    label: format!("机关{i}"),
                    value: *v,
                })
                .collect(),
            x_label: "件".into(),
            percent: false,
        }
    }

    /// Parses the SVG as XML and returns the text content of every `<title>` and
    /// `<text>` element, entities resolved: proves well-formedness and lets tests look at
    /// what a reader would see.
    fn texts(svg: &str) -> Vec<String> {
        let mut r = quick_xml::Reader::from_str(svg);
        let mut out = Vec::new();
        let mut current: Option<String> = None;
        let mut depth = 0usize;
        loop {
            match r.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(e)) => {
                    depth += 1;
                    for a in e.attributes() {
                        a.expect("attribute")
                            .unescape_value()
                            .expect("attribute value");
                    }
                    if matches!(e.name().as_ref(), b"title" | b"text") {
                        current = Some(String::new());
                    }
                }
                Ok(Event::Empty(e)) => {
                    for a in e.attributes() {
                        a.expect("attribute")
                            .unescape_value()
                            .expect("attribute value");
                    }
                }
                Ok(Event::End(e)) => {
                    depth -= 1;
                    if matches!(e.name().as_ref(), b"title" | b"text") {
                        out.extend(current.take());
                    }
                }
                Ok(Event::Text(t)) => {
                    if let Some(c) = current.as_mut() {
                        c.push_str(&t.decode().expect("utf-8"));
                    }
                }
                Ok(Event::GeneralRef(g)) => {
                    let resolved = match g.resolve_char_ref().expect("char ref") {
                        Some(ch) => ch,
                        None => match g.decode().expect("utf-8").as_ref() {
                            "amp" => '&',
                            "lt" => '<',
                            "gt" => '>',
                            "quot" => '"',
                            "apos" => '\'',
                            other => panic!("unknown entity {other}"),
                        },
                    };
                    if let Some(c) = current.as_mut() {
                        c.push(resolved);
                    }
                }
                Ok(_) => {}
                Err(e) => panic!("not well-formed XML: {e}\n{svg}"),
            }
        }
        assert_eq!(depth, 0, "unclosed elements");
        out
    }

    fn attr(svg: &str, name: &str) -> f64 {
        let key = format!(" {name}=\"");
        let start = svg.find(&key).expect("attribute") + key.len();
        let end = start + svg[start..].find('"').unwrap();
        svg[start..end].parse().unwrap()
    }

    fn assert_clean(svg: &str) {
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.trim_end().ends_with("</svg>"));
        for bad in ["NaN", "inf", "-0 ", "-0\""] {
            assert!(!svg.contains(bad), "{bad:?} in\n{svg}");
        }
        texts(svg);
        // Every numeric token of every attribute has at most one decimal.
        let mut rest = svg;
        while let Some(i) = rest.find("=\"") {
            rest = &rest[i + 2..];
            let end = rest.find('"').unwrap();
            for tok in rest[..end].split([' ', ',', '(', ')']) {
                let tok = tok.trim_start_matches(['M', 'L']);
                if tok.parse::<f64>().is_ok() {
                    let decimals = tok.split_once('.').map_or(0, |(_, f)| f.len());
                    assert!(decimals <= 1, "{tok} has {decimals} decimals");
                }
            }
            rest = &rest[end..];
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("a<b>&\"c\" 'd'\u{1}"),
            "a&lt;b&gt;&amp;&quot;c&quot; &#39;d&#39;\u{FFFD}"
        );
        let nasty = "<script>&\"x\"</script>";
        let svg = line_chart(&LineChart {
            title: nasty.into(),
            x_labels: vec![nasty.into(), "2021".into()],
            series: vec![
                series(nasty, &[Some(1.0), Some(2.0)]),
                series("b\u{0}", &[Some(3.0), None]),
            ],
            y_label: nasty.into(),
            percent: false,
        });
        assert!(!svg.contains("<script>"));
        assert_clean(&svg);
        let t = texts(&svg);
        assert_eq!(t[0], nasty, "the <title> round-trips");
        let mut b = bars(&[Some(1.0)]);
        b.bars[0].label = "A&B".into();
        let svg = bar_chart(&b);
        assert!(svg.contains(">A&amp;B<"));
        assert!(texts(&svg).contains(&"A&B: 1".to_string()));
    }

    #[test]
    fn empty_and_missing_data_give_an_empty_chart() {
        let lines = [
            LineChart::default(),
            LineChart {
                x_labels: years(2019, 4),
                ..LineChart::default()
            },
            LineChart {
                x_labels: years(2019, 3),
                series: vec![series("a", &[None, None, None])],
                percent: true,
                ..LineChart::default()
            },
            LineChart {
                x_labels: years(2019, 3),
                series: vec![
                    series("a", &[Some(0.0), Some(0.0)]),
                    series("b", &[Some(f64::NAN), Some(f64::INFINITY), Some(-3.0)]),
                ],
                ..LineChart::default()
            },
        ];
        for c in &lines {
            let svg = line_chart(c);
            assert_clean(&svg);
            assert!(svg.contains(NO_DATA), "{svg}");
            // Legend swatches are empty elements; only data markers carry a tooltip.
            assert!(!svg.contains("</circle>"), "no markers without data");
        }
        for values in [
            &[][..],
            &[None, None],
            &[Some(0.0), Some(0.0), None],
            &[Some(f64::NAN), Some(f64::NEG_INFINITY)],
            &[Some(-5.0)],
        ] {
            let svg = bar_chart(&bars(values));
            assert_clean(&svg);
            assert!(svg.contains(NO_DATA), "{svg}");
            assert!(!svg.contains("fill=\"#0072B2\""), "no bars without data");
        }
        let svg = line_chart(&LineChart {
            x_labels: years(2019, 2),
            series: vec![series("a", &[Some(5.0), Some(7.0)])],
            ..LineChart::default()
        });
        assert!(!svg.contains(NO_DATA));
    }

    #[test]
    fn output_is_deterministic() {
        let c = LineChart {
            title: "公开申请 浙江省".into(),
            x_labels: years(2015, 9),
            series: (0..10)
                .map(|k| Series {
                    name: format!("系列{k}"),
                    values: (0..9)
                        .map(|i| (i != k % 9).then_some((i * k) as f64 / 81.0))
                        .collect(),
                })
                .collect(),
            y_label: "share".into(),
            percent: true,
        };
        let first = line_chart(&c);
        assert_eq!(first, line_chart(&c.clone()));
        assert_clean(&first);
        let b = bars(&[Some(1.0 / 3.0), None, Some(2.0 / 7.0)]);
        assert_eq!(bar_chart(&b), bar_chart(&b.clone()));
    }

    #[test]
    fn bar_chart_grows_by_one_row_per_bar() {
        let h = |n: usize| {
            let svg = bar_chart(&bars(&vec![Some(3.0); n]));
            let h = attr(&svg, "height");
            assert!(svg.contains(&format!("viewBox=\"0 0 720 {h}\"")));
            h
        };
        for n in 1..30 {
            assert_eq!(h(n + 1) - h(n), ROW_H, "{n}");
        }
        assert!(h(0) > 0.0);
        assert_eq!(h(0), h(1), "an empty chart keeps one row for its note");
    }

    #[test]
    fn bars_show_values_labels_and_gaps() {
        let mut c = bars(&[Some(12345.0), None, Some(500.0), Some(-2.0)]);
        c.bars[0].label = "浙江省人民政府办公厅信息公开".into();
        c.bars[2].label = "abcdefghijkl".into();
        let svg = bar_chart(&c);
        assert_clean(&svg);
        let t = texts(&svg);
        assert!(t.contains(&"浙江省人民政府办公厅信…".to_string()), "{t:?}");
        assert!(t.contains(&"浙江省人民政府办公厅信息公开: 12,345".to_string()));
        assert!(t.contains(&"abcdefghijkl".to_string()), "12 chars are kept");
        assert!(t.contains(&"n/a".to_string()));
        assert!(t.contains(&"-2".to_string()), "negatives print as they are");
        assert!(
            t.contains(&"15,000".to_string()),
            "axis ends at a nice tick"
        );
        // Bars for 12345 and 500 only: none for n/a, none for the negative.
        assert_eq!(svg.matches("fill=\"#0072B2\"").count(), 2);
        let widths: Vec<f64> = svg
            .split("<rect x")
            .skip(1)
            .map(|r| attr(&format!(" x{r}"), "width"))
            .collect();
        assert_eq!(widths.len(), 2);
        assert!((widths[0] / widths[1] - 12345.0 / 500.0).abs() < 0.5);

        let mut p = bars(&[Some(0.375), Some(0.05)]);
        p.percent = true;
        let t = texts(&bar_chart(&p));
        assert!(t.contains(&"37.5%".to_string()), "{t:?}");
        assert!(t.contains(&"40%".to_string()), "{t:?}");
    }

    #[test]
    fn lines_break_at_gaps_and_series_get_a_legend() {
        let one = LineChart {
            title: "t".into(),
            x_labels: years(2019, 5),
            series: vec![series(
                "solo",
                &[Some(1.0), Some(2.0), None, Some(3.0), Some(4.0)],
            )],
            y_label: String::new(),
            percent: false,
        };
        let svg = line_chart(&one);
        assert_clean(&svg);
        let path = svg.split("<path d=\"").nth(1).unwrap();
        let d = &path[..path.find('"').unwrap()];
        assert_eq!(d.matches('M').count(), 2, "{d}");
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(
            !texts(&svg).contains(&"solo".to_string()),
            "no legend for one"
        );

        let mut two = one.clone();
        two.series
            .push(series("公安", &[Some(9.0), None, Some(8.0)]));
        let svg = line_chart(&two);
        assert_clean(&svg);
        let t = texts(&svg);
        assert!(t.contains(&"solo".to_string()) && t.contains(&"公安".to_string()));
        assert!(t.contains(&"公安 2021: 8".to_string()), "{t:?}");
        assert!(svg.contains(&format!("stroke=\"{}\"", PALETTE[0])));
        assert!(svg.contains(&format!("stroke=\"{}\"", PALETTE[1])));
        // The lone 9 (its neighbour is a gap) is a marker without a segment.
        assert_eq!(svg.matches("<path").count(), 1);
        assert_ne!(style(0), style(8), "the ninth series is dashed");
    }

    #[test]
    fn mismatched_lengths_neither_panic_nor_lose_points() {
        let c = LineChart {
            x_labels: years(2020, 2),
            series: vec![series("a", &[Some(1.0), Some(2.0), Some(3.0)])],
            ..LineChart::default()
        };
        let svg = line_chart(&c);
        assert_clean(&svg);
        assert_eq!(svg.matches("<circle").count(), 3);
        let c = LineChart {
            x_labels: years(2000, 40),
            series: vec![series("a", &[Some(1.0)])],
            percent: true,
            ..LineChart::default()
        };
        let svg = line_chart(&c);
        assert_clean(&svg);
        // 40 year labels do not fit side by side: some are left out.
        let shown = texts(&svg).iter().filter(|t| t.starts_with("20")).count();
        assert!(shown > 1 && shown < 40, "{shown}");
    }
}
