//! Entry point of the wasm app.
fn main() {}
