use nianbao::*;
use serde_json::Value;
use std::fs;

fn main() {
    let dirs: Vec<String> = std::env::args().skip(1).collect();
    let (mut ok, mut flagged, mut wrong) = (0, 0, 0);
    for dir in dirs {
        let mut entries: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            if !name.ends_with(".gold.json") {
                continue;
            }
            let stem = name.trim_end_matches(".gold.json");
            let doc = ["txt", "md", "html"]
                .iter()
                .map(|e| p.with_file_name(format!("{stem}.{e}")))
                .find(|f| f.exists());
            let Some(doc) = doc else { continue };
            let gold: Value = serde_json::from_str(&fs::read_to_string(&p).unwrap()).unwrap();
            let r = parse_document(&fs::read(&doc).unwrap());
            let mut msgs = Vec::new();
            let kind = r.kind.code();
            if gold["kind"].as_str() != Some(kind) {
                msgs.push(format!("kind gold={} ours={}", gold["kind"], kind));
                wrong += 1;
            }
            let tmpl = r.template.map(|t| t.code());
            if gold["template"].as_str() != tmpl {
                msgs.push(format!(
                    "template gold={} ours={:?}",
                    gold["template"], tmpl
                ));
                wrong += 1;
            }
            if let Some(a) = gold["agency"].as_str() {
                let ours = r.agency.as_ref().map(|a| a.value.as_str());
                if ours != Some(a) {
                    if ours.is_none() {
                        flagged += 1;
                        msgs.push(format!("agency FLAG gold={a}"))
                    } else {
                        wrong += 1;
                        msgs.push(format!("agency gold={a} ours={ours:?}"))
                    }
                } else {
                    ok += 1
                }
            }
            if let Some(y) = gold["year"].as_i64() {
                let ours = r.year.as_ref().map(|y| y.value as i64);
                if ours != Some(y) {
                    if ours.is_none() {
                        flagged += 1;
                        msgs.push(format!("year FLAG gold={y}"))
                    } else {
                        wrong += 1;
                        msgs.push(format!("year gold={y} ours={ours:?}"))
                    }
                } else {
                    ok += 1
                }
            }
            let mut check = |table: Table, key: &str, g: &Value, ours: Option<f64>, named: bool| {
                let gv = g.as_f64();
                let good = match (gv, ours) {
                    (None, None) => true,
                    (Some(a), Some(b)) => (a - b).abs() <= 1e-6 * a.abs().max(1.0),
                    _ => false,
                };
                if good {
                    ok += 1;
                } else if ours.is_none() && named {
                    flagged += 1;
                    msgs.push(format!("{}:{key} FLAG gold={g}", table.code()));
                } else {
                    wrong += 1;
                    msgs.push(format!(
                        "{}:{key} WRONG gold={g} ours={ours:?}",
                        table.code()
                    ));
                }
            };
            let named = |t: Table, row: &str, col: &str| {
                r.findings
                    .iter()
                    .any(|f| f.severity != Severity::Info && f.names_cell(t, row, col))
            };
            for (k, g) in gold["proactive"].as_object().unwrap() {
                let (item, m) = k.split_once('.').unwrap();
                if item == "centralized_procurement" {
                    let p = r.procurement.as_ref();
                    let ours = if m == "items" {
                        p.and_then(|p| p.items).map(|v| v as f64)
                    } else {
                        p.and_then(|p| p.amount_yuan)
                    };
                    check(
                        Table::Procurement,
                        k,
                        g,
                        ours,
                        named(Table::Procurement, item, m),
                    );
                } else {
                    check(
                        Table::Proactive,
                        k,
                        g,
                        r.proactive(item, m).and_then(|c| c.value),
                        named(Table::Proactive, item, m),
                    );
                }
            }
            for (k, g) in gold["applications"].as_object().unwrap() {
                let (row, c) = k.split_once('.').unwrap();
                check(
                    Table::Applications,
                    k,
                    g,
                    r.application(row, c)
                        .and_then(|c| c.value)
                        .map(|v| v as f64),
                    named(Table::Applications, row, c),
                );
            }
            for (k, g) in gold["review_litigation"].as_object().unwrap() {
                let (row, c) = k.split_once('.').unwrap();
                check(
                    Table::ReviewLitigation,
                    k,
                    g,
                    r.review(row, c).and_then(|c| c.value).map(|v| v as f64),
                    named(Table::ReviewLitigation, row, c),
                );
            }
            let st = r.status.code();
            if msgs.is_empty() {
                println!("OK   {stem} [{st}]");
            } else {
                println!(
                    "FAIL {stem} [{st}] agency={:?} year={:?}",
                    r.agency.as_ref().map(|a| &a.value),
                    r.year.as_ref().map(|y| y.value)
                );
                for m in msgs.iter().take(12) {
                    println!("     {m}");
                }
                if msgs.len() > 12 {
                    println!("     ... {} more", msgs.len() - 12);
                }
            }
        }
    }
    println!("cells/meta ok={ok} flagged={flagged} wrong={wrong}");
}
