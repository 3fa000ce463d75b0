//! Stage 1: walk the corpus. (Placeholder.)
