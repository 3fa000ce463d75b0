//! What real scrapers save, and reports that must never leave the dataset silently
//! (issue 13): crawler text exports with flattened bodies, HTML fragments without a
//! document frame, pages whose body is a script's string, renumbered headings, titled
//! reports whose tables cannot be read, and the near-misses that must stay out.
//! Every case runs under both output layouts.

use crate::util::{field, Row};

/// A 2021-template body flattened onto one line, cells run together (the shape of
/// `shared/pending/crawler-export/c012.txt`), with a crawler's header block.
const CRAWLER_EXPORT: &str = "标题: 某某新区2021年度政府信息公开工作年度报告\n发布时间: 2022-02-08 16:34\n文号: \n发布机构: \n栏目: 政府信息公开年报\n原文链接: https://www.example.gov.cn/t20220208_1.htm\n==================== 正文 ====================\n某某新区2021年度政府信息公开工作年度报告 根据《条例》要求，编制本报告。一、总体情况2021年，我区深化政务公开。二、主动公开政府信息情况 第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章 000行政规范性文件693665第二十条第（五）项信息内容本年处理决定数量行政许可2293 第二十条第（六）项信息内容 本年处理决定数量行政处罚1282行政强制42第二十条第（八）项信息内容 本年收费金额（单位：万元）行政事业性收费24252.31三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）申请人情况自然人法人或其他组织总计 商业企业科研机构社会公益组织法律服务机构其他一、本年新收政府信息公开申请数量640020470二、上年结转政府信息公开申请数量0000000三、本年度办理结果（一）予以公开270020130（二）部分公开（区分处理的，只计这一情形，不计其他情形）500000 5（三）不予公开1.属于国家秘密00000002.其他法律行政法规禁止公开00000003.危及“三安全一稳定”00000004.保护第三方合法权益00000005.属于三类内部事务信息10000016.属于四类过程性信息00000007.属于行政执法案卷60000068.属于行政查询事项1000001（四）无法提供1.本机关不掌握相关政府信息2200003252.没有现成信息需要另行制作00000003.补正后申请内容仍不明确0000000（五）不予处理1.信访举报投诉类申请00000002.重复申请00000003.要求提供公开出版物00000004.无正当理由大量反复申请00000005.要求行政机关确认或重新出具已获取信息0000000（六）其他处理1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请00000002.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请00000003.其他1000001（七）总计630020469四、结转下年度继续办理1000001 四、政府信息公开行政复议、行政诉讼情况 行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计未经复议直接起诉复议后起诉结果维持结果纠正其他结果尚未审结总计结果维持结果纠正其他结果尚未审结总计10203120001200000五、存在的主要问题及改进情况（一）存在的主要问题:政策解读形式不够丰富。六、其他需要报告的事项 无。\n";

fn applications_table(rows: &[(&str, [u32; 7])]) -> String {
    let mut t = String::from("<table><tr><td>申请人情况</td><td>自然人</td><td>商业企业</td><td>科研机构</td><td>社会公益组织</td><td>法律服务机构</td><td>其他</td><td>总计</td></tr>");
    for (label, cells) in rows {
        t.push_str(&format!("<tr><td>{label}</td>"));
        for c in cells {
            t.push_str(&format!("<td>{c}</td>"));
        }
        t.push_str("</tr>");
    }
    t.push_str("</table>");
    t
}

/// An HTML body with section 三 as a table and the other sections in prose.
fn html_body(title: &str) -> String {
    format!(
        "<p style=\"text-align:center\"><strong>{title}</strong></p><p>一、总体情况</p><p>本年度认真贯彻落实《条例》。</p><p>三、收到和处理政府信息公开申请情况</p>{}<p>五、存在的主要问题及改进情况</p><p>无。</p>",
        applications_table(&[
            ("一、本年新收政府信息公开申请数量", [3, 0, 0, 0, 0, 0, 3]),
            ("二、上年结转政府信息公开申请数量", [0, 0, 0, 0, 0, 0, 0]),
            ("（一）予以公开", [2, 0, 0, 0, 0, 0, 2]),
            ("（七）总计", [3, 0, 0, 0, 0, 0, 3]),
            ("四、结转下年度继续办理", [0, 0, 0, 0, 0, 0, 0]),
        ])
    )
}

fn report<'a>(rows: &'a [Row], path: &str) -> &'a Row {
    rows.iter()
        .find(|r| field(r, "source_path") == Some(path))
        .unwrap_or_else(|| panic!("no reports row for {path}: {rows:?}"))
}

fn cell(rows: &[Row], id: &str, row: &str, applicant: &str) -> Option<String> {
    rows.iter()
        .find(|r| {
            field(r, "report_id") == Some(id)
                && field(r, "row") == Some(row)
                && field(r, "applicant") == Some(applicant)
        })
        .and_then(|r| field(r, "value").map(str::to_string))
}

nbtest!(
    scraped_documents_are_read_as_the_reports_they_are,
    |dir, layout| {
        dir.create("corpus/export/page.txt", CRAWLER_EXPORT);
        // A fragment without <html>/<body>, starting with <p> (saved as .txt by the scraper).
        dir.create(
            "corpus/fragment.txt",
            &html_body("某县统计局2023年政府信息公开工作年度报告"),
        );
        // A saved page whose body is filled in by a script from a string.
        let body = html_body("某县民政局2023年政府信息公开工作年度报告")
            .replace('"', "\\\"")
            .replace('一', "\\u4e00");
        dir.create(
        "corpus/script.html",
        &format!("<html><head><title>政务公开</title></head><body><div id=\"app\"></div><script>let content = \"{body}\";\ndocument.getElementById('app').innerHTML = content;</script></body></html>"),
    );
        let build = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
        build.assert_success();
        let reports = build.rows("reports");
        let apps = build.rows("applications");

        let export = report(&reports, "export/page.txt");
        assert_eq!(field(export, "kind"), Some("report"));
        assert_eq!(field(export, "template"), Some("2021"));
        let id = field(export, "report_id").unwrap();
        // Cut by the row sums and, for 予以公开, by the disposal total's columns.
        assert_eq!(
            cell(&apps, id, "new_received", "natural_person").as_deref(),
            Some("64")
        );
        assert_eq!(
            cell(&apps, id, "new_received", "total").as_deref(),
            Some("70")
        );
        assert_eq!(
            cell(&apps, id, "granted", "natural_person").as_deref(),
            Some("27")
        );
        assert_eq!(
            cell(&apps, id, "granted", "legal_service_org").as_deref(),
            Some("0")
        );
        assert_eq!(
            cell(&apps, id, "total_processed", "total").as_deref(),
            Some("69")
        );
        let review = build.rows("review_litigation");
        let litigation: Vec<Option<&str>> = review
            .iter()
            .filter(|r| {
                field(r, "report_id") == Some(id)
                    && field(r, "proceeding") == Some("litigation_direct")
            })
            .map(|r| field(r, "value"))
            .collect();
        assert!(litigation.contains(&Some("12")), "{litigation:?}");
        // 693665 has several cuts and no arithmetic: null, with the reason.
        let findings = build.rows("findings");
        assert!(findings.iter().any(|f| field(f, "report_id") == Some(id)
            && field(f, "check") == Some("cells_run_together")
            && field(f, "row") == Some("normative_documents")));
        let proactive = build.rows("proactive");
        assert!(proactive.iter().any(|r| field(r, "report_id") == Some(id)
            && field(r, "item") == Some("normative_documents")
            && field(r, "value").is_none()));

        for path in ["fragment.txt", "script.html"] {
            let r = report(&reports, path);
            assert_eq!(field(r, "format"), Some("html"), "{path}");
            assert_eq!(field(r, "kind"), Some("report"), "{path}");
            let id = field(r, "report_id").unwrap();
            assert_eq!(
                cell(&apps, id, "new_received", "total").as_deref(),
                Some("3"),
                "{path}"
            );
            assert_eq!(
                cell(&apps, id, "granted", "natural_person").as_deref(),
                Some("2"),
                "{path}"
            );
        }
    }
);

nbtest!(
    a_report_whose_tables_are_lost_stays_a_report_with_errors,
    |dir, layout| {
        // The tables were images: only the title and prose remain.
        dir.create(
        "corpus/images.txt",
        "某市自然资源局2023年政府信息公开工作年度报告\n一、总体情况\n本年度认真贯彻落实《条例》。\n二、主动公开政府信息情况\n[图片]\n三、收到和处理政府信息公开申请情况\n[图片]\n四、政府信息公开行政复议、行政诉讼情况\n[图片]\n五、存在的主要问题及改进情况\n无。\n",
    );
        // Renumbered headings (an extra section before the tables) and only section 三 read.
        dir.create(
        "corpus/renumbered.txt",
        "某县2023年政府信息公开工作年度报告\n一、总体情况\n本年度认真贯彻落实《条例》。\n二、重点工作情况\n做了很多工作。\n三、主动公开政府信息情况\n[图片]\n四、收到和处理政府信息公开申请情况\n申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n一、本年新收政府信息公开申请数量\t5\t0\t0\t0\t0\t0\t5\n二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n五、政府信息公开行政复议、行政诉讼情况\n[图片]\n六、存在的主要问题及改进情况\n无。\n",
    );
        let build = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
        build.assert_success();
        let reports = build.rows("reports");
        let findings = build.rows("findings");
        let lost = |id: &str| -> Vec<String> {
            let mut t: Vec<String> = findings
                .iter()
                .filter(|f| {
                    field(f, "report_id") == Some(id)
                        && field(f, "check") == Some("table_missing")
                        && field(f, "severity") == Some("error")
                })
                .filter_map(|f| field(f, "table").map(str::to_string))
                .collect();
            t.sort();
            t
        };

        let images = report(&reports, "images.txt");
        assert_eq!(field(images, "kind"), Some("report"));
        assert_eq!(field(images, "kind_evidence"), Some("title"));
        assert_eq!(field(images, "status"), Some("failed"));
        assert_eq!(
            lost(field(images, "report_id").unwrap()),
            ["applications", "proactive", "review_litigation"]
        );

        let renumbered = report(&reports, "renumbered.txt");
        assert_eq!(field(renumbered, "kind"), Some("report"));
        assert_eq!(field(renumbered, "status"), Some("partial"));
        let id = field(renumbered, "report_id").unwrap();
        assert_eq!(lost(id), ["proactive", "review_litigation"]);
        let apps = build.rows("applications");
        assert_eq!(
            cell(&apps, id, "new_received", "total").as_deref(),
            Some("5")
        );

        let stdout = String::from_utf8_lossy(&build.output.stdout);
        let stderr = String::from_utf8_lossy(&build.output.stderr);
        assert!(
            stdout.contains("reports with a table lost: 2")
                || stderr.contains("reports with a table lost: 2"),
            "summary: {stdout} {stderr}"
        );
    }
);

nbtest!(near_misses_stay_out_with_a_reason, |dir, layout| {
    dir.create(
        "corpus/notice.txt",
        "关于做好2023年度政府信息公开工作年度报告编制发布工作的通知\n各单位：\n请按附件模板编制。\n三、收到和处理政府信息公开申请情况\n申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计\n一、本年新收政府信息公开申请数量\t\t\t\t\t\t\t\n二、上年结转政府信息公开申请数量\t\t\t\t\t\t\t\n",
    );
    dir.create(
        "corpus/index.txt",
        "政府信息公开年报\n某区财政局2023年政府信息公开工作年度报告\n某区教育局2023年政府信息公开工作年度报告\n某区民政局2022年政府信息公开工作年度报告\n某区卫健委2022年政府信息公开工作年度报告\n",
    );
    dir.create(
        "corpus/analysis.txt",
        "某市2024年政府信息公开工作年度报告AI分析\n指标\t2024年\t2025年\n本年新收政府信息公开申请数量\t30\t45\n予以公开\t12\t20\n",
    );
    dir.create(
        "corpus/letter.txt",
        "关于报送2023年度政府信息公开工作年度报告的函\n市政府办公室：\n现将我局报告报送。\n",
    );
    let build = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
    build.assert_success();
    let reports = build.rows("reports");
    for (path, evidence) in [
        ("notice.txt", "blank_template"),
        ("index.txt", "index_page"),
        ("analysis.txt", "derived_document"),
        ("letter.txt", "letter"),
    ] {
        let r = report(&reports, path);
        assert_eq!(field(r, "kind"), Some("not_a_report"), "{path}");
        assert_eq!(field(r, "kind_evidence"), Some(evidence), "{path}");
    }
    // No cell of a near-miss enters the dataset.
    let ids: Vec<&str> = reports
        .iter()
        .filter_map(|r| field(r, "report_id"))
        .collect();
    let apps = build.rows("applications");
    assert!(
        apps.iter()
            .all(|a| !ids.contains(&field(a, "report_id").unwrap_or(""))),
        "{apps:?}"
    );
});

/// The text as a decoder that maps each byte to one character (ISO-8859-1) leaves it.
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

nbtest!(
    pages_saved_through_a_wrong_charset_are_repaired_or_flagged,
    |dir, layout| {
        let title = "某县统计局2023年政府信息公开工作年度报告";
        let page = format!(
            "<html><head><title>{title}</title></head><body>{}</body></html>",
            html_body(title)
        );
        let gbk = |s: &str| encoding_rs::GB18030.encode(s).0.into_owned();
        // `requests` without a charset header: the bytes decoded as ISO-8859-1, then saved
        // as UTF-8. UTF-8 and GBK pages, as HTML and as the text a crawler extracted.
        dir.create("corpus/utf8_latin1.html", &latin1(page.as_bytes()));
        dir.create("corpus/gbk_latin1.html", &latin1(&gbk(&page)));
        let text = CRAWLER_EXPORT;
        dir.create("corpus/gbk_latin1.txt", &latin1(&gbk(text)));
        // Damage that cannot be undone: GBK read as UTF-8 with replacement, UTF-8 read as
        // GBK.
        dir.create(
            "corpus/replaced.html",
            &String::from_utf8_lossy(&gbk(&page)),
        );
        dir.create(
            "corpus/utf8_as_gbk.txt",
            &encoding_rs::GBK.decode(text.as_bytes()).0,
        );
        let build = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
        build.assert_success();
        let reports = build.rows("reports");
        let apps = build.rows("applications");
        let findings = build.rows("findings");
        let checks = |id: &str| -> Vec<String> {
            findings
                .iter()
                .filter(|f| field(f, "report_id") == Some(id))
                .filter_map(|f| field(f, "check").map(str::to_string))
                .collect()
        };

        for path in ["utf8_latin1.html", "gbk_latin1.html"] {
            let r = report(&reports, path);
            assert_eq!(field(r, "kind"), Some("report"), "{path}");
            assert_eq!(field(r, "page_meta_title"), Some(title), "{path}");
            let id = field(r, "report_id").unwrap();
            assert!(checks(id).contains(&"mojibake_repaired".to_string()));
            assert_eq!(
                cell(&apps, id, "new_received", "total").as_deref(),
                Some("3"),
                "{path}"
            );
            assert_eq!(
                cell(&apps, id, "granted", "natural_person").as_deref(),
                Some("2"),
                "{path}"
            );
        }
        let r = report(&reports, "gbk_latin1.txt");
        assert_eq!(field(r, "kind"), Some("report"));
        let id = field(r, "report_id").unwrap();
        assert_eq!(
            cell(&apps, id, "new_received", "total").as_deref(),
            Some("70")
        );

        for path in ["replaced.html", "utf8_as_gbk.txt"] {
            let r = report(&reports, path);
            assert_eq!(field(r, "kind"), Some("report"), "{path}");
            assert_eq!(field(r, "kind_evidence"), Some("unreadable_text"), "{path}");
            assert_eq!(field(r, "status"), Some("failed"), "{path}");
            let id = field(r, "report_id").unwrap();
            let checks = checks(id);
            assert!(
                checks.contains(&"text_unreadable".to_string()),
                "{checks:?}"
            );
            assert_eq!(
                checks.iter().filter(|c| *c == "table_missing").count(),
                3,
                "{path}"
            );
            assert!(apps.iter().all(|a| field(a, "report_id") != Some(id)));
        }
    }
);

nbtest!(
    a_crawlers_json_export_is_read_page_by_page,
    |dir, layout| {
        let title = "某县统计局2023年政府信息公开工作年度报告";
        // A CMS article API's answer, saved as it came (`<` escaped as \u003c, as some
        // serialisers write it).
        let api = serde_json::json!({
            "code": 200,
            "data": {"siteName": "某县人民政府", "title": title, "publishTime": "2024-01-20", "content": html_body(title)}
        })
        .to_string()
        .replace('<', "\\u003c");
        dir.create("corpus/api/article.json", &api);
        // A scraper's JSON Lines: a page as markup, a page as text, a record without a
        // page (a list entry).
        let lines = [
            serde_json::json!({"url": "https://x.gov.cn/1.html", "title": "某县民政局2023年政府信息公开工作年度报告", "html": html_body("某县民政局2023年政府信息公开工作年度报告")}),
            serde_json::json!({"url": "https://x.gov.cn/2.html", "title": "某某新区2021年度政府信息公开工作年度报告", "text": CRAWLER_EXPORT}),
            serde_json::json!({"url": "https://x.gov.cn/3.html", "title": "通知"}),
        ]
        .map(|v| v.to_string())
        .join("\n");
        // The crawler stopped while writing the last line: cut before its closing quote.
        let cut = format!(
            r#"{{"title": "某某新区2021年度政府信息公开工作年度报告", "text": {}}}"#,
            serde_json::to_string(CRAWLER_EXPORT).unwrap()
        );
        let at = cut.char_indices().rev().nth(6).unwrap().0;
        let lines = format!("{lines}\n{}", &cut[..at]);
        dir.create("corpus/export.jsonl", &lines);
        // Not an export: read as the text it is.
        dir.create("corpus/config.json", "{\"threads\": 2, \"site\": \"x\"}");
        let build = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
        build.assert_success();
        let reports = build.rows("reports");
        let apps = build.rows("applications");
        let findings = build.rows("findings");

        for path in ["api/article.json", "export.jsonl!/0/html"] {
            let r = report(&reports, path);
            assert_eq!(field(r, "kind"), Some("report"), "{path}");
            let id = field(r, "report_id").unwrap();
            assert!(findings
                .iter()
                .any(|f| field(f, "report_id") == Some(id)
                    && field(f, "check") == Some("json_export")));
            assert_eq!(
                cell(&apps, id, "new_received", "total").as_deref(),
                Some("3"),
                "{path}"
            );
            assert_eq!(
                cell(&apps, id, "granted", "natural_person").as_deref(),
                Some("2"),
                "{path}"
            );
        }
        let api = report(&reports, "api/article.json");
        assert_eq!(field(api, "page_meta_title"), Some(title));
        assert_eq!(field(api, "year"), Some("2023"));

        let text = report(&reports, "export.jsonl!/1/text");
        assert_eq!(field(text, "kind"), Some("report"));
        let id = field(text, "report_id").unwrap();
        assert_eq!(
            cell(&apps, id, "new_received", "total").as_deref(),
            Some("70")
        );
        let cut = report(&reports, "export.jsonl!/3/(cut)");
        assert_eq!(field(cut, "kind"), Some("report"));
        let id = field(cut, "report_id").unwrap();
        assert_eq!(
            cell(&apps, id, "new_received", "total").as_deref(),
            Some("70")
        );
        // The entry without a page is no row; the configuration is a file like any other.
        assert!(!reports
            .iter()
            .any(|r| field(r, "source_path").is_some_and(|p| p.starts_with("export.jsonl!/2"))));
        assert_eq!(
            field(report(&reports, "config.json"), "kind"),
            Some("not_a_report")
        );
    }
);
