//! Sizes and bounds both sides agree on, so the UI can explain a refusal
//! before the server has to make one.

/// Passwords: long beats complex (NIST SP 800-63B). Counted in characters.
pub const PASSWORD_MIN_CHARS: usize = 15;
pub const PASSWORD_MAX_CHARS: usize = 128;

pub const DISPLAY_NAME_MAX_CHARS: usize = 80;
pub const EMAIL_MAX_CHARS: usize = 254;

/// A message body, in characters, after trimming.
pub const MESSAGE_MAX_CHARS: usize = 10_000;
/// A client-chosen idempotency key (a UUID fits easily).
pub const CLIENT_MSG_ID_MAX_CHARS: usize = 64;

/// Largest websocket frame the server reads; bigger ones close the socket with 1009.
pub const WS_MAX_FRAME_BYTES: usize = 64 * 1024;

/// History page size: default and ceiling.
pub const HISTORY_PAGE_DEFAULT: u64 = 50;
pub const HISTORY_PAGE_MAX: u64 = 200;

/// A `resume` replays at most this many messages; further behind gets `resync`.
pub const RESUME_MAX_MESSAGES: u64 = 500;

/// Programme texts, in characters.
pub const ORG_NAME_MAX_CHARS: usize = 120;
pub const LOCALITY_MAX_CHARS: usize = 80;
pub const PROFILE_TEXT_MAX_CHARS: usize = 4_000;
pub const CHARITY_NUMBER_MAX_CHARS: usize = 20;
pub const REASON_MAX_CHARS: usize = 2_000;
pub const GOAL_TITLE_MAX_CHARS: usize = 200;
pub const NOTE_MAX_CHARS: usize = 10_000;
/// Most mentorships one mentor may hold at once.
pub const MENTOR_CAPACITY_MAX: u32 = 10;
/// Most localities a mentor may list.
pub const MENTOR_LOCALITIES_MAX: usize = 10;
/// A mentorship with no message, note, goal change or step for this long is stalled.
pub const STALLED_AFTER_DAYS: i64 = 21;
/// Staff invitation links work once, for this long.
pub const INVITE_VALID_DAYS: i64 = 7;

/// Practice threads, in characters. A post of the longest allowed length
/// still fits a 64 KiB request, even in scripts of three bytes a character.
pub const THREAD_TITLE_MAX_CHARS: usize = 200;
pub const POST_MAX_CHARS: usize = 15_000;
/// Topics one thread may sit under.
pub const THREAD_TOPICS_MAX: usize = 4;

/// Search: the longest query, and hits per answer.
pub const SEARCH_QUERY_MAX_CHARS: usize = 200;
pub const SEARCH_PAGE: u64 = 30;

/// Glossary entries, in characters.
pub const GLOSSARY_TERM_MAX_CHARS: usize = 80;
pub const GLOSSARY_DEFINITION_MAX_CHARS: usize = 600;
pub const GLOSSARY_ALIASES_MAX: usize = 5;

/// A co-operative's name and purpose.
pub const COOP_NAME_MAX_CHARS: usize = 120;
pub const COOP_PURPOSE_MAX_CHARS: usize = 2_000;
/// A co-op room's title.
pub const COOP_ROOM_TITLE_MAX_CHARS: usize = 80;
/// The note with a join request or invitation.
pub const COOP_REQUEST_MESSAGE_MAX_CHARS: usize = 1_000;
/// A decision's or action's text.
pub const RECORD_TEXT_MAX_CHARS: usize = 1_000;
/// An event's title, place and link.
pub const EVENT_TITLE_MAX_CHARS: usize = 200;
pub const EVENT_PLACE_MAX_CHARS: usize = 300;
pub const EVENT_LINK_MAX_CHARS: usize = 500;
pub const EVENT_DESCRIPTION_MAX_CHARS: usize = 2_000;
/// Coordinators of one co-op.
pub const COOP_COORDINATORS_MAX: usize = 10;

/// A safeguarding concern, in characters after trimming: who is at risk,
/// what happened, and each note added to its history.
pub const CONCERN_AT_RISK_MAX_CHARS: usize = 1_000;
pub const CONCERN_TEXT_MAX_CHARS: usize = 4_000;
pub const CONCERN_NOTE_MAX_CHARS: usize = 4_000;

/// What a person adds to a content report for the moderator.
pub const REPORT_DETAIL_MAX_CHARS: usize = 2_000;
/// A moderator's reason for hiding, restoring, warning, suspending or dismissing.
pub const MODERATION_REASON_MAX_CHARS: usize = 1_000;
/// The longest suspension with an end date (for longer, suspend until lifted).
pub const SUSPENSION_MAX_DAYS: u32 = 3_650;
