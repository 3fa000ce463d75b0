//! Tools around the pipeline: [`synth`] writes synthetic reports with known truth, [`eval`]
//! scores the parser against such truth or hand-read gold files.

pub mod eval;
pub mod synth;
