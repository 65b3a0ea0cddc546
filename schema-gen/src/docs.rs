//! Snapshot → Markdown schema docs. (Being implemented.)
