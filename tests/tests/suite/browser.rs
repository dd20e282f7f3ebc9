//! Browser flows (written once the frontend lands).
