//! Password policy (length, a bundled list of common passwords, trivial
//! patterns) and argon2id hashing on the blocking pool.

use std::collections::HashSet;
use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use shared::limits::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};

use crate::error::{AppError, AppResult};

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("../../data/common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// Refuse passwords that are too short, too long or easy to guess.
pub fn check_policy(password: &str, email: &str, display_name: &str) -> AppResult<()> {
    let chars = password.chars().count();
    if chars < PASSWORD_MIN_CHARS {
        return Err(AppError::WeakPassword(format!(
            "Use at least {PASSWORD_MIN_CHARS} characters. Three random words, like \
             'kettle orbit meadow', are strong and easy to remember."
        )));
    }
    if chars > PASSWORD_MAX_CHARS {
        return Err(AppError::WeakPassword(format!(
            "Use at most {PASSWORD_MAX_CHARS} characters."
        )));
    }
    if is_guessable(password, email, display_name) {
        return Err(AppError::BreachedPassword);
    }
    Ok(())
}

/// Long but still guessable: a listed password, one repeated, padded with
/// digits, a keyboard or number run, or the person's own email or name.
fn is_guessable(password: &str, email: &str, display_name: &str) -> bool {
    let compact: String = password
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let core = compact.trim_matches(|c: char| !c.is_alphabetic());
    let core = if core.chars().count() >= 4 {
        core
    } else {
        compact.as_str()
    };
    let own: Vec<String> = [
        email.split('@').next().unwrap_or_default().to_lowercase(),
        display_name.to_lowercase().replace(char::is_whitespace, ""),
    ]
    .into_iter()
    .filter(|s| s.chars().count() >= 4)
    .collect();
    let known = |s: &str| COMMON.contains(s) || own.iter().any(|o| o == s);
    known(&compact)
        || known(core)
        || repeats_something_known(core, &known)
        || distinct_chars(&compact) < 4
        || is_run(&compact)
        || is_keyboard_walk(&compact)
}

/// Rows and columns of a UK/US keyboard, walked either way.
const KEYBOARD_WALKS: &[&str] = &[
    "qwertyuiopasdfghjklzxcvbnm",
    "1234567890qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
    "zaqxswcdevfrbgtnhymjukilop",
];

fn is_keyboard_walk(s: &str) -> bool {
    let reversed: String = s.chars().rev().collect();
    KEYBOARD_WALKS
        .iter()
        .any(|walk| walk.contains(s) || walk.contains(reversed.as_str()))
}

fn repeats_something_known(s: &str, known: &impl Fn(&str) -> bool) -> bool {
    let chars: Vec<char> = s.chars().collect();
    (1..=chars.len() / 2).any(|period| {
        chars.len().is_multiple_of(period)
            && chars.chunks(period).all(|c| c == &chars[..period])
            && (period <= 3 || known(&chars[..period].iter().collect::<String>()))
    })
}

fn distinct_chars(s: &str) -> usize {
    s.chars().collect::<HashSet<_>>().len()
}

/// `123456789012345`, `abcdefghijklmnop`, and their reverses.
fn is_run(s: &str) -> bool {
    let codes: Vec<i64> = s.chars().map(|c| i64::from(u32::from(c))).collect();
    let steps: HashSet<i64> = codes.windows(2).map(|w| w[1] - w[0]).collect();
    // Digits wrap from 9 to 0.
    steps.iter().all(|d| [1, -9].contains(d)) || steps.iter().all(|d| [-1, 9].contains(d))
}

/// A hash to verify against when the email is unknown, so that a login for a
/// missing account takes as long as one with a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_blocking("an unguessable placeholder nobody types")
        .unwrap_or_else(|_| String::from("$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHQ$invalid"))
});

fn hash_blocking(password: &str) -> Result<String, argon2::password_hash::Error> {
    // `Argon2::default()` is argon2id, m=19456 KiB, t=2, p=1 (OWASP's minimum).
    Ok(Argon2::default()
        .hash_password(password.as_bytes())?
        .to_string())
}

/// Work for the hashing threads.
type Job = Box<dyn FnOnce() + Send>;

/// Each argon2 run holds 19 MiB for its duration, so runs happen on a few
/// long-lived threads of their own, one per core; more requests queue.
/// Not on tokio's blocking pool: there each run may land on a new thread,
/// and glibc keeps a freed block that size in that thread's memory pool, so
/// a burst of log-ins left the server idling at over 600 MiB. A fixed set
/// of threads keeps fewer pools (BENCHMARKS.md, W3, has the figures).
static HASHERS: LazyLock<std::sync::mpsc::Sender<Job>> = LazyLock::new(|| {
    let (tx, rx) = std::sync::mpsc::channel::<Job>();
    let rx = std::sync::Arc::new(std::sync::Mutex::new(rx));
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    for n in 0..cores {
        let rx = rx.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("argon2-{n}"))
            .spawn(move || {
                loop {
                    // Take the next job, releasing the lock before running it.
                    let next = rx.lock().map(|r| r.recv());
                    match next {
                        // A panicking job must not take the thread with it.
                        Ok(Ok(job)) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        _ => return,
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!(error = %e, "cannot start a hashing thread");
        }
    }
    tx
});

/// Run argon2 work on the hashing threads, one per core at a time.
async fn on_hashing_pool<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> AppResult<T> {
    let (done, result) = tokio::sync::oneshot::channel();
    HASHERS
        .send(Box::new(move || {
            let _ = done.send(work());
        }))
        .map_err(|_| AppError::internal("hashing threads stopped"))?;
    result
        .await
        .map_err(|_| AppError::internal("hashing job dropped"))
}

/// Hash off the async workers: argon2 is deliberately slow.
pub async fn hash(password: String) -> AppResult<String> {
    on_hashing_pool(move || hash_blocking(&password))
        .await?
        .map_err(AppError::internal)
}

/// Verify on the blocking pool; `None` verifies against a dummy hash and fails.
pub async fn verify(password: String, stored: Option<String>) -> AppResult<bool> {
    on_hashing_pool(move || {
        let (hash, real) = match &stored {
            Some(h) => (h.as_str(), true),
            None => (DUMMY_HASH.as_str(), false),
        };
        let parsed = PasswordHash::new(hash).map_err(AppError::internal)?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && real)
    })
    .await?
}

/// Warm the dummy hash at start-up so the first unknown-email login is not faster.
pub fn warm_up() {
    LazyLock::force(&DUMMY_HASH);
    LazyLock::force(&COMMON);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(pw: &str) -> bool {
        check_policy(pw, "sam.jones@example.org", "Sam Jones").is_err()
    }

    #[test]
    fn length_bounds_count_characters() {
        assert!(refused("short words"));
        assert!(!refused("kettle orbit meadow"));
        assert!(refused(&"ab cd ".repeat(30)));
        // 15 characters, multi-byte: allowed.
        assert!(!refused("ćwierć kłódką żó"));
    }

    #[test]
    fn common_and_patterned_passwords_are_refused() {
        for pw in [
            "passwordpassword",
            "PasswordPassword1",
            "123456789012345",
            "qwertyuiopasdfgh",
            "qwertyuiopasdfghjkl",
            "1qaz2wsx3edc4rfv5tgb",
            "aaaaaaaaaaaaaaaaa",
            "abababababababab",
            "dragondragondragon",
            "password123456789!",
            "9876543210987654",
            "sam.jones12345678",
            "samjonessamjones",
        ] {
            assert!(refused(pw), "{pw} should be refused");
        }
    }

    #[test]
    fn passphrases_are_accepted() {
        for pw in [
            "kettle orbit meadow",
            "dragon monkey shadow",
            "correct horse battery staple",
            "Tidal-Lantern-Fig-42",
        ] {
            assert!(!refused(pw), "{pw} should be accepted");
        }
    }

    #[tokio::test]
    async fn hash_then_verify() {
        let hash = hash("kettle orbit meadow".into()).await.expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify("kettle orbit meadow".into(), Some(hash.clone()))
                .await
                .expect("verify")
        );
        assert!(
            !verify("kettle orbit meadoW".into(), Some(hash))
                .await
                .expect("verify")
        );
        assert!(
            !verify("anything at all here".into(), None)
                .await
                .expect("verify")
        );
    }
}
