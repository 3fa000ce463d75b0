//! Agencies placed in the division hierarchy and classified (issue "From tables to
//! published statistics", part 1): the `reports` columns agency_normalised,
//! division_code, province, prefecture, county, level, agency_kind, division_evidence.

use crate::util::{build, field, Row};

fn report(text_title: &str) -> String {
    format!(
        "{text_title}\n\n一、总体情况\n本年度，本机关认真贯彻落实《条例》。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n"
    )
}

fn row<'a>(rows: &'a [Row], path: &str) -> &'a Row {
    rows.iter()
        .find(|r| field(r, "source_path") == Some(path))
        .unwrap_or_else(|| panic!("no report for {path}"))
}

nbtest!(agencies_are_placed_and_classified, |dir| {
    for (path, title) in [
        (
            "zj/a.txt",
            "浙江省杭州市西湖区统计局2023年政府信息公开工作年度报告",
        ),
        (
            "bj/b.txt",
            "北京市朝阳区人民政府办公室2022年政府信息公开工作年度报告",
        ),
        (
            "吉林/长春/c.txt",
            "朝阳区统计局2023年政府信息公开工作年度报告",
        ),
        ("x/d.txt", "朝阳区统计局2021年政府信息公开工作年度报告"),
        ("e.txt", "国家统计局2023年政府信息公开工作年度报告"),
        ("f.txt", "杭州市公安局2023年政府信息公开工作年度报告"),
    ] {
        dir.create(&format!("corpus/{path}"), &report(title));
    }
    let b = build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
    b.assert_success();
    let reports = b.rows("reports");
    let get = |path: &str, col: &str| field(row(&reports, path), col).map(str::to_string);

    assert_eq!(get("zj/a.txt", "division_code").as_deref(), Some("330106"));
    assert_eq!(get("zj/a.txt", "province").as_deref(), Some("浙江省"));
    assert_eq!(get("zj/a.txt", "prefecture").as_deref(), Some("杭州市"));
    assert_eq!(get("zj/a.txt", "county").as_deref(), Some("西湖区"));
    assert_eq!(get("zj/a.txt", "level").as_deref(), Some("county"));
    assert_eq!(
        get("zj/a.txt", "agency_kind").as_deref(),
        Some("statistics")
    );

    assert_eq!(get("bj/b.txt", "division_code").as_deref(), Some("110105"));
    assert_eq!(
        get("bj/b.txt", "agency_kind").as_deref(),
        Some("general_office")
    );

    // 朝阳区 is in Beijing and in Changchun: the corpus path decides, else nothing does.
    assert_eq!(
        get("吉林/长春/c.txt", "division_code").as_deref(),
        Some("220104")
    );
    assert!(get("吉林/长春/c.txt", "division_evidence").is_some());
    assert_eq!(get("x/d.txt", "division_code"), None);
    let ambiguous = get("x/d.txt", "report_id").unwrap();
    assert!(b
        .rows("findings")
        .iter()
        .any(|f| field(f, "report_id") == Some(ambiguous.as_str())
            && field(f, "check") == Some("division_ambiguous")));

    assert_eq!(get("e.txt", "level").as_deref(), Some("national"));
    assert_eq!(get("e.txt", "division_code"), None);
    assert_eq!(get("f.txt", "division_code").as_deref(), Some("330100"));
    assert_eq!(get("f.txt", "level").as_deref(), Some("prefecture"));
    assert_eq!(
        get("f.txt", "agency_kind").as_deref(),
        Some("public_security")
    );
    assert_eq!(
        get("f.txt", "agency_normalised").as_deref(),
        Some("杭州市公安局")
    );
});
