//! The co-operatives API: directory, membership, rooms, the log, events and the calendar feed.
