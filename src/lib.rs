//! The reference consumer of pgcanon: models generated from the demo schema by `build.rs`.
