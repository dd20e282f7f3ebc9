//! Browser flow of the mentoring programme end to end: approvals, matching,
//! accepting, the mentorship room, goals and the dashboard.
