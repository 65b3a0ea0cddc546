//! pgcanon's derive macro. (Being implemented.)
