//! Finding `#[derive(Model)]` structs in source trees and checking them all. (Being implemented.)
