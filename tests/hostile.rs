//! Hostile and pathological input (issue "Know how good and how fast it is", part 4):
//! each file below must end as a report — `failed` with a finding where a limit is hit —
//! within the run, never as a crash, a hang or unbounded memory. The limits are the
//! CLI's (`--max-file-size`, `--max-archive-size`, …), tested at small values so the test
//! stays fast. Each test runs under both output layouts.

use std::io::Write;

use crate::util::{field, Row};

fn report<'a>(rows: &'a [Row], path: &str) -> &'a Row {
    rows.iter()
        .find(|r| field(r, "source_path") == Some(path))
        .unwrap_or_else(|| panic!("no report row for {path}"))
}

fn has_finding(findings: &[Row], id: &str, check: &str) -> bool {
    findings
        .iter()
        .any(|f| field(f, "report_id") == Some(id) && field(f, "check") == Some(check))
}

nbtest!(
    a_200_megabyte_file_is_refused_without_reading_it,
    |dir, layout| {
        // Sparse: 200 MB on paper, nothing on disk; refused from its size alone.
        let path = dir.path().join("corpus/huge.txt");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::File::create(&path)
            .unwrap()
            .set_len(200 << 20)
            .unwrap();
        dir.create("corpus/small.txt", "一、总体情况\n本年度\n");
        let b = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
        b.assert_success();
        let reports = b.rows("reports");
        let huge = report(&reports, "huge.txt");
        assert_eq!(field(huge, "status"), Some("failed"));
        let id = field(huge, "report_id").unwrap();
        assert!(has_finding(&b.rows("findings"), id, "limit_exceeded"));
        assert_ne!(
            field(report(&reports, "small.txt"), "status"),
            Some("failed")
        );
    }
);

nbtest!(max_file_size_is_configurable, |dir, layout| {
    let big = "规章\t0\t0\t0\n".repeat(200_000); // 2.6 MB
    dir.create("corpus/big.txt", &big);
    let b = layout.build(
        &dir.path().join("corpus"),
        &dir.path().join("out"),
        &["--max-file-size", "1"],
    );
    b.assert_success();
    let reports = b.rows("reports");
    assert_eq!(field(report(&reports, "big.txt"), "status"), Some("failed"));
});

nbtest!(
    a_million_line_file_is_read_in_bounded_time,
    |dir, layout| {
        // A million lines, half of them rows of numbers: every stage must stay linear.
        let mut text = String::from(
            "某县统计局2023年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n",
        );
        for i in 0..500_000 {
            text.push_str(if i % 2 == 0 { "0\t0\t0\n" } else { "其他\n" });
        }
        dir.create("corpus/lines.txt", &text);
        let b = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
        b.assert_success();
        assert_eq!(b.rows("reports").len(), 1);
    }
);

nbtest!(
    deeply_nested_html_is_refused_or_read_without_overflowing_the_stack,
    |dir, layout| {
        let page = |depth: usize| {
            let mut page = String::from("<!DOCTYPE html><html><body>");
            page.push_str(&"<div>".repeat(depth));
            page.push_str("<table><tr><td>规章</td><td>1</td></tr></table>");
            page.push_str(&"</div>".repeat(depth));
            page.push_str("</body></html>");
            page
        };
        // Deep enough to overflow a recursive walk on a worker thread's stack, yet allowed.
        dir.create("corpus/deep.html", &page(3_000));
        // A million nested elements: quadratic for the tree builder, refused before it.
        dir.create("corpus/hostile.html", &page(1_000_000));
        let b = layout.build(&dir.path().join("corpus"), &dir.path().join("out"), &[]);
        b.assert_success();
        let reports = b.rows("reports");
        assert_ne!(
            field(report(&reports, "deep.html"), "status"),
            Some("failed")
        );
        let hostile = report(&reports, "hostile.html");
        assert_eq!(field(hostile, "status"), Some("failed"));
        let id = field(hostile, "report_id").unwrap();
        assert!(has_finding(&b.rows("findings"), id, "limit_exceeded"));
    }
);

nbtest!(a_zip_bomb_stops_at_the_archive_limit, |dir, layout| {
    // 64 MB of zeros deflate to ~64 KB; the limit is 8 MiB.
    let zeros = vec![0u8; 64 << 20];
    let mut deflated = Vec::new();
    {
        let mut enc =
            flate2::write::DeflateEncoder::new(&mut deflated, flate2::Compression::best());
        enc.write_all(&zeros).unwrap();
        enc.finish().unwrap();
    }
    use nianbao::read::archive::stored::{self, crc32, Entry};
    let zip = stored::build(&[Entry {
        inflated: Some((crc32(&zeros), zeros.len() as u32)),
        ..Entry::new("bomb.txt", &deflated)
    }]);
    dir.create_bytes("corpus/bomb.zip", &zip);
    let b = layout.build(
        &dir.path().join("corpus"),
        &dir.path().join("out"),
        &["--max-archive-size", "8"],
    );
    b.assert_success();
    let reports = b.rows("reports");
    assert_eq!(reports.len(), 1);
    assert_eq!(field(&reports[0], "status"), Some("failed"));
    let id = field(&reports[0], "report_id").unwrap();
    let findings = b.rows("findings");
    assert!(
        findings.iter().any(|f| field(f, "report_id") == Some(id)
            && field(f, "message").is_some_and(|m| m.contains("limit"))),
        "no limit finding: {findings:?}"
    );
});

nbtest!(a_pdf_with_a_cyclic_object_graph_ends, |dir, layout| {
    dir.create_bytes("corpus/cyclic.pdf", &cyclic_pdf());
    let b = layout.build(
        &dir.path().join("corpus"),
        &dir.path().join("out"),
        &["--pdf-timeout", "20"],
    );
    b.assert_success();
    let reports = b.rows("reports");
    assert_eq!(reports.len(), 1);
    assert_ne!(field(&reports[0], "status"), Some("ok"));
});

/// A PDF whose page tree contains itself and whose form XObject draws itself.
fn cyclic_pdf() -> Vec<u8> {
    let objects: [&[u8]; 5] = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 /Parent 2 0 R >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /X 5 0 R >> >> >>",
        b"<< /Length 9 >>\nstream\n/X Do q Q\nendstream",
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X 5 0 R >> >> /Length 5 >>\nstream\n/X Do\nendstream",
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(o);
        out.extend_from_slice(b"\nendobj\n");
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
