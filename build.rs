//! Generates models for the demo schema. (Being implemented.)
fn main() {}
