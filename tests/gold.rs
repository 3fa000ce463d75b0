//! One test per folder of `shared/gold/` (see `compare` for what is compared). Folders
//! not listed here are still run, by `gold_other_folders`, so new gold data is never
//! silently left out.

use crate::compare::check_gold_folder;
use crate::util::{shared_or_skip, tool_or_skip};

/// Whether a folder holds a PDF (read through `pdftotext`).
pub fn holds_pdf(folder: &std::path::Path) -> bool {
    std::fs::read_dir(folder).is_ok_and(|entries| {
        entries.filter_map(Result::ok).any(|e| {
            e.path()
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("pdf"))
        })
    })
}

/// The folders with a test of their own.
const KNOWN: [&str; 3] = ["seeds", "real", "pdf"];

macro_rules! gold_folder_test {
    ($($name:ident => $folder:literal),* $(,)?) => {$(
        #[test]
        fn $name() {
            if let Some(shared) = shared_or_skip(stringify!($name)) {
                let folder = shared.join("gold").join($folder);
                if !holds_pdf(&folder) || tool_or_skip(stringify!($name), "pdftotext") {
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
    let gold = shared.join("gold");
    let mut folders: Vec<_> = std::fs::read_dir(&gold)
        .unwrap_or_else(|e| panic!("read {}: {e}", gold.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| !KNOWN.iter().any(|k| p.file_name().is_some_and(|n| n == *k)))
        .collect();
    folders.sort();
    for folder in folders {
        let label = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        check_gold_folder(&label, &folder);
    }
}

/// `shared/pending/*`: real documents kept apart from `gold/` until the parser reads them
/// (every key right or null with a finding). The folders read now are tested like gold;
/// a pending folder that appears later is tested too, so it is noticed the day it lands.
#[test]
fn pending_folders() {
    let Some(shared) = shared_or_skip("pending_folders") else {
        return;
    };
    let pending = shared.join("pending");
    let Ok(entries) = std::fs::read_dir(&pending) else {
        return;
    };
    let mut folders: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    folders.sort();
    for folder in folders {
        let label = folder
            .file_name()
            .map(|n| format!("pending-{}", n.to_string_lossy()))
            .unwrap_or_default();
        check_gold_folder(&label, &folder);
    }
}
