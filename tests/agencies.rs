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

/// The body of a report after its opening lines: the section headings and a sentence.
const BODY: &str = "一、总体情况\n本年度，本机关认真贯彻落实《条例》。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n无。\n";

// See: issue 13, "Who wrote it". Bodies of every kind, named in the title, a crawler
// header, the page metadata or the signature; residue and other bodies' names rejected.
nbtest!(agencies_of_every_kind_are_read, |dir| {
    let titled = |title: &str| format!("{title}\n{BODY}");
    let cases: Vec<(&str, String)> = vec![
        // A crawler export: the header names the area, the flattened body only 我区 and an
        // office to contact.
        (
            "crawler.txt",
            "标题: 平潭综合实验区2019年度政府信息公开工作年度报告\n发布时间: 2020-01-20 15:22\n发布机构: \n栏目: 政府信息公开年报\n原文链接: https://www.pingtan.gov.cn/zwgk/a.htm\n==================== 正文 ====================\n根据《条例》要求，区管委会办公室编制完成了本报告。如对本报告有任何疑问，请与平潭综合实验区政府信息公开工作领导小组办公室联系。一、总体情况2019年，我区认真贯彻落实新修订的《条例》。\n"
                .to_string(),
        ),
        // The office signs, the title names the area: the title wins.
        (
            "signed.txt",
            format!(
                "平潭综合实验区2021年度政府信息公开工作年度报告\n{BODY}平潭综合实验区管委会办公室\n2022年2月8日\n"
            ),
        ),
        // Only the signature names the committee.
        (
            "signature.txt",
            format!("2023年政府信息公开工作年度报告\n{BODY}\n湛江市发展和改革委员会\n2024年1月20日\n"),
        ),
        ("street.txt", titled("佳荣里街道办事处2021年政府信息公开工作年度报告")),
        ("town.txt", titled("衡东县杨林镇2023年政府信息公开工作年度报告")),
        ("township.txt", titled("会昌县中村乡人民政府2020年政府信息公开工作年度报告")),
        ("town_bare.txt", titled("七家子镇2023年政府信息公开工作年度报告")),
        ("committee.txt", titled("广州市卫生健康委员会2022年政府信息公开工作年度报告")),
        ("hitech.txt", titled("高新区(新市区)司法局2023年政府信息公开工作年度报告")),
        ("zone.txt", titled("湛江经济技术开发区管委会2022年政府信息公开工作年度报告")),
        (
            "unplaced.txt",
            titled("黄河三角洲农业高新技术产业示范区2023年政府信息公开工作年度报告"),
        ),
        ("city.txt", titled("杭州市2023年政府信息公开工作年度报告")),
        // A form's label run together with the name above the title.
        (
            "residue.txt",
            format!("名称沭阳县统计局\n2023年政府信息公开工作年度报告\n{BODY}"),
        ),
        (
            "form.txt",
            format!("单位：沭阳县人民政府办公室 电话：0527-83587000\n2023年政府信息公开工作年度报告\n{BODY}"),
        ),
        // The page's source names the district the bulletin speaks of as 全区.
        (
            "source.txt",
            "2022年上半年政府信息公开数据统计\n2022年07月25日 来源: 上海普陀\n一、公文类政府信息公开情况\n2022年上半年,全区各级行政机关共制发公文707件。\n二、依申请公开情况\n2022年上半年,全区各行政机关共受理政府信息公开申请267件。\n".to_string(),
        ),
        // A county's office publishes a township's report: not the author.
        (
            "publisher.txt",
            format!(
                "2023年政府信息公开工作年度报告\n来源:昌图县人民政府办公室 时间:2024-01-31\n{}",
                BODY.replace("本机关", "我镇")
            ),
        ),
        // HTML: the text names no agency, the ArticleTitle does.
        (
            "page.html",
            format!(
                "<html><head><meta name=\"ArticleTitle\" content=\"苏州工业园区管理委员会2023年政府信息公开工作年度报告\"><title>年度报告_苏州工业园区</title></head><body>{}</body></html>",
                BODY.lines().map(|l| format!("<p>{l}</p>")).collect::<String>()
            ),
        ),
    ];
    for (path, text) in &cases {
        dir.create(&format!("corpus/{path}"), text);
    }
    let b = build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
    b.assert_success();
    let reports = b.rows("reports");
    let findings = b.rows("findings");
    let get = |path: &str, col: &str| field(row(&reports, path), col).map(str::to_string);
    let has = |path: &str, check: &str| {
        let id = get(path, "report_id").unwrap();
        findings
            .iter()
            .any(|f| field(f, "report_id") == Some(id.as_str()) && field(f, "check") == Some(check))
    };

    // (file, agency, source, division code)
    for (path, agency, source, code) in [
        ("crawler.txt", "平潭综合实验区", "page_meta", Some("350128")),
        ("signed.txt", "平潭综合实验区", "title", Some("350128")),
        (
            "signature.txt",
            "湛江市发展和改革委员会",
            "signature",
            Some("440800"),
        ),
        ("street.txt", "佳荣里街道办事处", "title", Some("120113")),
        ("town.txt", "衡东县杨林镇", "title", Some("430424")),
        (
            "township.txt",
            "会昌县中村乡人民政府",
            "title",
            Some("360733"),
        ),
        ("town_bare.txt", "七家子镇", "title", None),
        (
            "committee.txt",
            "广州市卫生健康委员会",
            "title",
            Some("440100"),
        ),
        (
            "hitech.txt",
            "高新区(新市区)司法局",
            "title",
            Some("650104"),
        ),
        (
            "zone.txt",
            "湛江经济技术开发区管委会",
            "title",
            Some("440800"),
        ),
        (
            "unplaced.txt",
            "黄河三角洲农业高新技术产业示范区",
            "title",
            None,
        ),
        ("city.txt", "杭州市", "title", Some("330100")),
        ("residue.txt", "沭阳县统计局", "title_line", Some("321322")),
        ("source.txt", "上海市普陀区", "page_meta", Some("310107")),
        (
            "page.html",
            "苏州工业园区管理委员会",
            "page_meta",
            Some("320576"),
        ),
    ] {
        assert_eq!(get(path, "agency").as_deref(), Some(agency), "{path}");
        assert_eq!(
            get(path, "agency_source").as_deref(),
            Some(source),
            "{path}"
        );
        assert_eq!(get(path, "division_code").as_deref(), code, "{path}");
        assert!(!has(path, "agency_unknown"), "{path}");
    }
    assert_eq!(
        get("crawler.txt", "division_evidence").as_deref(),
        Some("zone:平潭综合实验区")
    );
    assert_eq!(get("crawler.txt", "county").as_deref(), Some("平潭县"));
    assert_eq!(get("crawler.txt", "prefecture").as_deref(), Some("福州市"));
    assert_eq!(
        get("hitech.txt", "agency_normalised").as_deref(),
        Some("高新区（新市区）司法局")
    );
    // Townships: one of its name (佳荣里街道) or named with its county (衡东县杨林镇) is
    // placed in its county; 七家子镇 is in two counties, and nothing here says which.
    assert_eq!(
        get("street.txt", "division_evidence").as_deref(),
        Some("name:佳荣里街道+township:120113005")
    );
    assert_eq!(
        get("town.txt", "division_evidence").as_deref(),
        Some("name:衡东县杨林镇+township:430424106")
    );
    for path in ["street.txt", "town.txt", "township.txt", "town_bare.txt"] {
        assert_eq!(get(path, "level").as_deref(), Some("township"), "{path}");
    }
    assert!(has("town_bare.txt", "division_ambiguous"));
    // A zone no division names: the code stays null, and a finding says why.
    assert!(has("unplaced.txt", "division_unplaced"));
    assert!(!has("crawler.txt", "division_unplaced"));
    // Residue and another body's name are never the agency: null, flagged.
    for path in ["form.txt", "publisher.txt"] {
        assert_eq!(get(path, "agency"), None, "{path}");
        assert!(has(path, "agency_unknown"), "{path}");
    }
});

// See: issue 15, "townships.tsv is not read by the code". A township named with its
// county, or alone when its name is unique or the corpus path or the page's SiteName says
// which; never guessed.
nbtest!(townships_are_placed, |dir| {
    let titled = |title: &str| format!("{title}2023年政府信息公开工作年度报告\n{BODY}");
    let page = |site: &str, title: &str| {
        let body: String = BODY.lines().map(|l| format!("<p>{l}</p>")).collect();
        format!(
            "<html><head><meta name=\"SiteName\" content=\"{site}\"><title>{title}</title></head><body><p>{title}2023年政府信息公开工作年度报告</p>{body}</body></html>"
        )
    };
    let cases: Vec<(&str, String)> = vec![
        ("a/county.txt", titled("昌图县七家子镇")),
        // Not the bytes of bare.txt, which would make it the same report.
        (
            "辽宁/铁岭/path.txt",
            titled("七家子镇人民政府").replace("2023", "2022"),
        ),
        ("a/site.html", page("昌图县人民政府", "七家子镇人民政府")),
        ("a/bare.txt", titled("七家子镇人民政府")),
        ("河北/elsewhere.txt", titled("佳荣里街道办事处")),
        ("a/city.txt", titled("东莞市长安镇人民政府")),
        ("a/street.txt", titled("杭州市西湖区人民政府北山街道办事处")),
        // 北山街道 is in 西湖区 of 杭州市, not of 南昌市.
        ("a/district.txt", titled("西湖区北山街道办事处")),
        // Not a township of 西湖区: placed by the district alone, as before.
        ("a/other.txt", titled("杭州市西湖区七家子镇")),
        // One agency, with its place printed or not.
        ("b/bare.txt", titled("佳荣里街道办事处")),
        (
            "b/full.txt",
            titled("天津市北辰区佳荣里街道办事处").replace("2023", "2022"),
        ),
    ];
    for (path, text) in &cases {
        dir.create(&format!("corpus/{path}"), text);
    }
    let b = build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
    b.assert_success();
    let reports = b.rows("reports");
    let findings = b.rows("findings");
    let get = |path: &str, col: &str| field(row(&reports, path), col).map(str::to_string);
    let ambiguous = |path: &str| {
        let id = get(path, "report_id").unwrap();
        findings.iter().any(|f| {
            field(f, "report_id") == Some(id.as_str())
                && field(f, "check") == Some("division_ambiguous")
        })
    };
    // (file, division code, county, evidence)
    for (path, code, county, evidence) in [
        (
            "a/county.txt",
            Some("211224"),
            Some("昌图县"),
            "name:昌图县七家子镇+township:211224120",
        ),
        (
            "辽宁/铁岭/path.txt",
            Some("211224"),
            Some("昌图县"),
            "name:七家子镇+path:铁岭+township:211224120",
        ),
        (
            "a/site.html",
            Some("211224"),
            Some("昌图县"),
            "name:七家子镇+hint:昌图县+township:211224120",
        ),
        (
            "a/bare.txt",
            None,
            None,
            "ambiguous:七家子镇(210921126,211224120)",
        ),
        (
            "河北/elsewhere.txt",
            None,
            None,
            "inconsistent:佳荣里街道(120113005)",
        ),
        (
            "a/city.txt",
            Some("441900"),
            None,
            "name:东莞市长安镇+township:441900119",
        ),
        (
            "a/street.txt",
            Some("330106"),
            Some("西湖区"),
            "name:杭州市西湖区+北山街道+township:330106002",
        ),
        (
            "a/district.txt",
            Some("330106"),
            Some("西湖区"),
            "name:西湖区北山街道+township:330106002",
        ),
        (
            "a/other.txt",
            Some("330106"),
            Some("西湖区"),
            "name:杭州市西湖区",
        ),
    ] {
        assert_eq!(get(path, "division_code").as_deref(), code, "{path}");
        assert_eq!(get(path, "county").as_deref(), county, "{path}");
        assert_eq!(
            get(path, "division_evidence").as_deref(),
            Some(evidence),
            "{path}"
        );
        assert_eq!(get(path, "level").as_deref(), Some("township"), "{path}");
        assert_eq!(ambiguous(path), code.is_none(), "{path}");
    }
    let groups = b.rows("report_groups");
    for path in ["b/bare.txt", "b/full.txt"] {
        let group = groups
            .iter()
            .find(|g| field(g, "source_path") == Some(path));
        assert_eq!(
            group.and_then(|g| field(g, "agency_id")),
            Some("120113/北辰区佳荣里街道办事处"),
            "{path}"
        );
    }
    assert_eq!(get("a/city.txt", "prefecture").as_deref(), Some("东莞市"));
    assert_eq!(get("a/county.txt", "province").as_deref(), Some("辽宁省"));
});
