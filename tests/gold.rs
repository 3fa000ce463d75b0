//! One test per folder of `shared/gold/` (see `compare` for what is compared). Folders
//! not listed here are still run, by `gold_other_folders`, so new gold data is never
//! silently left out.

use crate::compare::check_gold_folder;
use crate::util::{folder_readable, shared_folders, shared_or_skip};

/// The folders with a test of their own.
const KNOWN: [&str; 3] = ["seeds", "real", "pdf"];

macro_rules! gold_folder_test {
    ($($name:ident => $folder:literal),* $(,)?) => {$(
        #[test]
        fn $name() {
            if let Some(shared) = shared_or_skip(stringify!($name)) {
                let folder = shared.join("gold").join($folder);
                if folder_readable(&folder) {
                    check_gold_folder($folder, &folder);
                }
            }
        }
    )*};
}

gold_folder_test! {
    gold_seeds => "seeds",
    gold_real => "real",
    // The PDFs of c001/c003/c004, read through pdftotext (skipped with a notice without it).
    gold_pdf => "pdf",
}

#[test]
fn gold_other_folders() {
    let Some(shared) = shared_or_skip("gold_other_folders") else {
        return;
    };
    assert!(
        shared.join("gold").is_dir(),
        "{}: no gold/",
        shared.display()
    );
    let folders = shared_folders(&shared, &["gold"])
        .into_iter()
        .filter(|p| !KNOWN.iter().any(|k| p.file_name().is_some_and(|n| n == *k)));
    for folder in folders {
        let label = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        check_gold_folder(&label, &folder);
    }
}

/// `tests/fixtures/probes`: reproducers of what probes found read wrong or lost, kept
/// right or flagged.
#[test]
fn probe_fixtures() {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/probes");
    check_gold_folder("probes", &folder);
}

/// `shared/pending/*`: real documents kept apart from `gold/` until the parser reads them
/// (every key right or null with a finding). The folders read now are tested like gold;
/// a pending folder that appears later is tested too, so it is noticed the day it lands.
#[test]
fn pending_folders() {
    let Some(shared) = shared_or_skip("pending_folders") else {
        return;
    };
    for folder in shared_folders(&shared, &["pending"]) {
        let label = folder
            .file_name()
            .map(|n| format!("pending-{}", n.to_string_lossy()))
            .unwrap_or_default();
        check_gold_folder(&label, &folder);
    }
}
