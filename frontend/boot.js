// Loads the wasm app. A file, not inline, so the CSP can forbid inline scripts.
import init from '/pkg/frontend.js';
init();
