//! `data/sample/`, the corpus the README's first command runs on, against its own gold
//! files (written by `scripts/make_sample.py`).

use crate::compare::check_gold_folder;
use crate::util::sample_dir;

#[test]
fn sample_corpus_matches_its_gold() {
    check_gold_folder("sample", &sample_dir());
}
