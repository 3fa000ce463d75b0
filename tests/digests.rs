//! The parser's output on the hand-read corpora (`shared/gold/*`, `shared/pending/*`,
//! `data/sample`) may change only together with `PARSER_VERSION` (or `SCHEMA_VERSION`):
//! incremental builds reuse a file's rows when the version is unchanged, so a change
//! without a bump would leave stale rows in every nightly output.
//!
//! `tests/fixtures/output-digests.tsv` records, for the versions it was written with, a
//! digest of each document's rows in the six per-report tables, and of each corpus's
//! tables across reports (`[report_groups]`, …), which incremental builds also reuse. After a deliberate bump,
//! rewrite it with `NIANBAO_UPDATE_DIGESTS=1 cargo test --test tests digests::`. PDFs are
//! left out: their text comes from the machine's poppler, not from nianbao.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::util::{self, field, read_csv, shared_dir, Dir, TABLES};

const DIGESTS: &str = "tests/fixtures/output-digests.tsv";

/// The corpora: (label, folder).
fn corpora() -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![("sample".to_string(), root.join("data/sample"))];
    if let Some(shared) = shared_dir() {
        for f in util::shared_folders(&shared, &["gold", "pending"]) {
            let group = f
                .parent()
                .and_then(Path::file_name)
                .unwrap()
                .to_string_lossy();
            let name = f.file_name().unwrap().to_string_lossy();
            out.push((format!("{group}/{name}"), f.clone()));
        }
    } else {
        util::skip("digests of the shared corpora", "shared/ not found");
    }
    out
}

/// Document → digest of its rows, for one corpus.
fn digests(label: &str, folder: &Path) -> BTreeMap<String, String> {
    let dir = Dir::new(&format!("digests-{}", label.replace('/', "-")));
    let corpus = dir.path().join("corpus");
    let documents = dir.copy_documents(folder, "corpus");
    let build = util::build(&corpus, &dir.path().join("out"), &[]);
    build.assert_success();
    let reports = build.rows("reports");
    let mut rows_of: HashMap<String, Vec<String>> = HashMap::new();
    for table in &TABLES[..6] {
        for row in read_csv(&build.out.join(format!("{table}.csv"))) {
            let id = field(&row, "report_id").unwrap_or_default().to_string();
            let mut fields: Vec<(&String, &String)> = row.iter().collect();
            fields.sort();
            rows_of
                .entry(id)
                .or_default()
                .push(format!("{table}:{fields:?}"));
        }
    }
    let mut out = BTreeMap::new();
    for doc in documents {
        let Some(report) = reports
            .iter()
            .find(|r| field(r, "source_path") == Some(doc.as_str()))
        else {
            continue;
        };
        if field(report, "format") == Some("pdf") {
            continue;
        }
        let id = field(report, "report_id").unwrap_or_default();
        let mut rows = rows_of.remove(id).unwrap_or_default();
        rows.sort();
        let digest = blake3::hash(rows.join("\n").as_bytes())
            .to_hex()
            .to_string();
        out.insert(format!("{label}/{doc}"), digest[..16].to_string());
    }
    // The tables across reports, for the whole corpus: an incremental build in which no
    // file changed keeps them (derive::reuse), so their output too changes only with a
    // bump. Not for a corpus with PDFs, whose text comes from the machine's poppler.
    if !reports.iter().any(|r| field(r, "format") == Some("pdf")) {
        for table in &TABLES[6..] {
            let bytes = std::fs::read(build.out.join(format!("{table}.csv"))).expect(table);
            let digest = blake3::hash(&bytes).to_hex().to_string();
            out.insert(format!("{label}/[{table}]"), digest[..16].to_string());
        }
    }
    out
}

#[test]
fn output_of_the_hand_read_corpora_changes_only_with_a_version_bump() {
    let versions = format!(
        "{}\t{}",
        nianbao::PARSER_VERSION,
        nianbao::write::SCHEMA_VERSION
    );
    let mut now = BTreeMap::new();
    for (label, folder) in corpora() {
        now.extend(digests(&label, &folder));
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(DIGESTS);
    if std::env::var_os("NIANBAO_UPDATE_DIGESTS").is_some() {
        let mut text = String::from("# parser_version\tschema_version\tdocument\tdigest\n");
        for (doc, digest) in &now {
            text.push_str(&format!("{versions}\t{doc}\t{digest}\n"));
        }
        std::fs::write(&path, text).expect("write digests");
        return;
    }
    let recorded = std::fs::read_to_string(&path).unwrap_or_default();
    let mut stale_versions = false;
    let mut changed = Vec::new();
    for line in recorded.lines().filter(|l| !l.starts_with('#')) {
        let parts: Vec<&str> = line.split('\t').collect();
        let [parser, schema, doc, digest] = parts[..] else {
            continue;
        };
        if format!("{parser}\t{schema}") != versions {
            stale_versions = true;
            break;
        }
        // A document of a corpus not present here (no shared/) is not compared.
        if let Some(d) = now.get(doc) {
            if d != digest {
                changed.push(doc.to_string());
            }
        }
    }
    assert!(
        !recorded.is_empty() && !stale_versions,
        "{DIGESTS} was written for other versions than PARSER_VERSION/SCHEMA_VERSION {versions}: \
         after a deliberate bump, rewrite it with NIANBAO_UPDATE_DIGESTS=1 cargo test --test tests digests::"
    );
    assert!(
        changed.is_empty(),
        "the output of {} hand-read documents changed without a PARSER_VERSION bump \
         (incremental builds would keep their stale rows): {changed:?}. Bump PARSER_VERSION in \
         src/lib.rs, then rewrite {DIGESTS} with NIANBAO_UPDATE_DIGESTS=1 cargo test --test tests digests::",
        changed.len()
    );
}
