//! The end-to-end suite: one test binary (`autotests = false`) that runs the built
//! `nianbao` on small corpora and reads its output tables back as data.
//!
//! - `util`: temp dirs, raw-byte files, running the binary, reading CSV rows;
//! - `agencies`: agencies placed in the division hierarchy and classified by kind;
//! - `compare`: the gold-file comparison shared by `gold` and `sample`;
//! - `gold`: every folder of `shared/gold/`;
//! - `sample`: `data/sample/`, the corpus the README runs;
//! - `eval`: `nianbao synth` and `nianbao eval`, and the no-silent-error gates;
//! - `digests`: the hand-read corpora's output changes only with a version bump;
//! - `corpus`: encodings, empty/binary/truncated files, determinism, bad arguments;
//! - `formats`: HTML pages (and other formats) against gold, mixed-format corpora;
//! - `archives`: DOCX against gold, zip archives, legacy office files;
//! - `pdf`: scanned, truncated and disguised PDFs;
//! - `hostile`: huge, deep, cyclic and bomb-like files end as failed reports, fast;
//! - `properties`: proptest over arbitrary bytes and mutated synthetic reports;
//! - `robustness`: damaged gold documents never yield a wrong number;
//! - `scrapers`: crawler exports, HTML fragments, script strings, lost tables, near-misses;
//! - `scale`: incremental builds, killed and concurrent runs, partitions, shards;
//! - `stats`: report groups, cross-report findings, aggregates, `stats`, `report`.

#[macro_use]
mod macros;
mod agencies;
mod archives;
mod compare;
mod corpus;
mod digests;
mod eval;
mod formats;
mod gold;
mod hostile;
mod pdf;
mod properties;
mod robustness;
mod sample;
mod scale;
mod scrapers;
mod stats;
mod util;
