//! The near-miss classes, kind `not_a_report`: documents filed where reports are, which
//! a reader must not take for one (a notice reprinting the blank template, a column page
//! listing reports, a cover letter, a machine-written analysis quoting two years).

use super::super::draft::{divisions, Agency, Draft, DEPARTMENTS};
use super::super::grid::word_rows;
use super::super::rng::Rng;
use super::super::{File, SynthFormat};
use super::crawler::crawler_header;
use super::{plain, Place};
use crate::templates::printed;

/// An office that writes to the agencies of its area.
fn upper_office(rng: &mut Rng) -> String {
    let (_, prefecture, county) = *rng.pick(divisions());
    let place = if prefecture.is_empty() || rng.chance(0.4) {
        county
    } else {
        prefecture
    };
    format!(
        "{place}{}",
        rng.pick(&["人民政府办公室", "人民政府办公室", "政务公开办公室"])
    )
}

/// A notice that reprints the blank template: every label, no value.
pub(super) fn template_notice(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng);
    let mut d = Draft::draw(rng, agency, SynthFormat::Text, None);
    plain(&mut d);
    for p in d.proactive.iter_mut() {
        p.3.clear();
    }
    for r in d.apps.iter_mut() {
        r.printed.iter_mut().for_each(String::clear);
    }
    d.review = [None; 15];
    let y = d.year;
    let issuer = upper_office(rng);
    let mut out = format!(
        "{issuer}\n关于做好{y}年度政府信息公开工作年度报告编制工作的通知\n\n各县（市、区）人民政府，各有关单位：\n\
         为做好{y}年度政府信息公开工作年度报告（以下简称年度报告）编制和发布工作，根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室印发的《中华人民共和国政府信息公开工作年度报告格式》要求，现将有关事项通知如下：\n\
         一、编制要求\n各单位要严格按照年度报告格式编制，数据应真实准确，表格中的数据不得漏填，没有数据的填写“0”。\n\
         二、发布时间\n各单位应于{}年1月31日前在本单位政府网站政府信息公开专栏发布年度报告，并报送{issuer}备案。\n\n\
         附件：政府信息公开工作年度报告格式\n\n政府信息公开工作年度报告格式\n\n一、总体情况\n（总体情况文字说明）\n",
        y + 1
    );
    for (s, grid) in d.grids().iter().enumerate() {
        out += printed::HEADINGS[s];
        out.push('\n');
        for row in word_rows(grid) {
            out += &row.join("\t");
            out.push('\n');
        }
    }
    out += &format!(
        "五、存在的主要问题及改进情况\n六、其他需要报告的事项\n\n{issuer}\n{}年1月{}日\n",
        y + 1,
        rng.range(3, 20)
    );
    at.near_miss("text", "txt", out)
}

/// A column page of the site: the titles of many reports, linked.
pub(super) fn report_index(rng: &mut Rng, at: &Place) -> File {
    let (_, _, county) = *rng.pick(divisions());
    let mut items = String::new();
    let n = rng.range(12, 30);
    for _ in 0..n {
        let dept = rng.pick(&DEPARTMENTS);
        let year = rng.range(2019, 2024);
        let title = if rng.chance(0.7) {
            format!("{county}{dept}{year}年政府信息公开工作年度报告")
        } else {
            format!("{year}年度{county}{dept}政府信息公开工作年度报告")
        };
        let (m, day) = (rng.range(1, 3), rng.range(1, 28));
        items += &format!(
            "<li><a href=\"./{}{m:02}/t{}{m:02}{day:02}_{}.html\" target=\"_blank\" title=\"{title}\">{title}</a><span class=\"date\">{}-{m:02}-{day:02}</span></li>\n",
            year + 1,
            year + 1,
            rng.range(10_000, 99_999),
            year + 1
        );
    }
    let column = if rng.chance(0.5) {
        "政府信息公开年报"
    } else {
        "政府信息公开工作年度报告"
    };
    let page = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{column}_{county}人民政府</title></head>\n<body>\n\
         <div class=\"nav\">首页 &gt; 政府信息公开 &gt; {column}</div>\n<div class=\"list\"><h3>{column}</h3><ul>\n{items}</ul></div>\n\
         <div class=\"page\">共{}页 首页 上一页 <a href=\"index.html\">1</a> <a href=\"index_1.html\">2</a> 下一页 尾页</div>\n</body></html>\n",
        rng.range(2, 6)
    );
    at.near_miss("html", "html", page)
}

/// A letter filed in the 年报 column: the report is sent or its publication put off.
pub(super) fn cover_letter(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng).name;
    let y = rng.range(2019, 2024) as i32;
    let upper = upper_office(rng);
    let report = format!("{agency}{y}年政府信息公开工作年度报告");
    let (title, body) = if rng.chance(0.6) {
        (
            format!("关于报送{report}的函"),
            format!(
                "{upper}：\n根据《中华人民共和国政府信息公开条例》第五十条规定，我单位编制完成了《{report}》，现予报送，请审阅。\n附件：{report}\n"
            ),
        )
    } else {
        (
            format!("关于{report}延期发布的说明"),
            format!(
                "因数据核对工作尚未完成，《{report}》将延期至{}年3月31日前发布，特此说明。\n",
                y + 1
            ),
        )
    };
    let tail = format!(
        "{agency}\n{}年1月{}日\n（联系人：王某某，电话：0{}-{}）\n",
        y + 1,
        rng.range(5, 28),
        rng.range(100, 999),
        rng.range(2_000_000, 8_999_999)
    );
    let out = if rng.chance(0.6) {
        let (mut out, _) = crawler_header(rng, &title, y + 1, "");
        out += &format!("{title} {}{tail}", body.replace('\n', "")).replace('\n', "");
        out.push('\n');
        out
    } else {
        format!("{title}\n\n{body}\n{tail}")
    };
    at.near_miss("text", "txt", out)
}

/// A machine-written analysis of an agency's reports: template labels and figures, in
/// two year columns.
pub(super) fn data_analysis(rng: &mut Rng, at: &Place) -> File {
    let agency = Agency::draw(rng).name;
    let y = rng.range(2022, 2024) as i32;
    let title = match rng.below(4) {
        0 => format!("{agency}政府信息公开年报数据分析报告（AI生成）"),
        1 => format!("{agency}{y}—{}年政府信息公开工作年度报告对比分析", y + 1),
        2 => format!("AI解读：{agency}{}年政府信息公开工作年度报告", y + 1),
        _ => format!(
            "{agency}政务公开决策参考：{}年度政府信息公开年报分析报告",
            y + 1
        ),
    };
    let rows = [
        "本年新收政府信息公开申请数量",
        "上年结转政府信息公开申请数量",
        "予以公开",
        "部分公开",
        "本机关不掌握相关政府信息",
        "总计",
        "结转下年度继续办理",
        "行政复议（总计）",
        "行政诉讼（总计）",
        "行政规范性文件（现行有效件数）",
    ];
    let change = rng.chance(0.4);
    let mut table = if change {
        format!(
            "| 指标 | {y}年 | {}年 | 变化 |\n| --- | --- | --- | --- |\n",
            y + 1
        )
    } else {
        format!("| 指标 | {y}年 | {}年 |\n| --- | --- | --- |\n", y + 1)
    };
    let mut first = (0, 0);
    for (i, label) in rows.iter().enumerate() {
        let (a, b) = (rng.range(0, 300), rng.range(0, 300));
        if i == 0 {
            first = (a, b);
        }
        table += &if change {
            format!("| {label} | {a} | {b} | {:+} |\n", b - a)
        } else {
            format!("| {label} | {a} | {b} |\n")
        };
    }
    let trend = if first.1 >= first.0 {
        "增长"
    } else {
        "下降"
    };
    let out = format!(
        "# {title}\n\n> 本文由AI根据{agency}公开发布的政府信息公开工作年度报告自动生成，数据仅供参考。\n\n\
         ## 一、总体概况\n\n{agency}{y}年共收到政府信息公开申请{}件，{}年{}件，同比{trend}。\n\n\
         ## 二、主要指标对比\n\n{table}\n## 三、分析与建议\n\n1. 依申请公开数量变化较大，建议加强主动公开，减少重复申请。\n\
         2. 行政复议、行政诉讼案件需持续关注，提升答复规范性。\n",
        first.0,
        y + 1,
        first.1
    );
    at.near_miss("text", "md", out)
}
