//! The end-to-end suite: one test binary (`autotests = false`) that runs the built
//! `nianbao` on small corpora and reads its output tables back as data.
//!
//! - `util`: temp dirs, raw-byte files, running the binary, reading CSV rows;
//! - `compare`: the gold-file comparison shared by `gold` and `sample`;
//! - `gold`: every folder of `shared/gold/`;
//! - `sample`: `data/sample/`, the corpus the README runs;
//! - `corpus`: encodings, empty/binary/truncated files, determinism, bad arguments;
//! - `scale`: incremental builds, killed and concurrent runs, partitions, shards.

#[macro_use]
mod macros;
mod compare;
mod corpus;
mod gold;
mod sample;
mod scale;
mod util;
