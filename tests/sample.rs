//! `data/sample/`, the corpus the README's first command runs on, against its own gold
//! files (written by `scripts/make_sample.py` into `data/sample-gold/`, apart from the
//! documents so that building the sample lists only reports).

use crate::compare::check_gold;
use crate::util::sample_dir;

#[test]
fn sample_corpus_matches_its_gold() {
    let gold = sample_dir().with_file_name("sample-gold");
    check_gold("sample", &sample_dir(), &gold);
}
