//! Two-factor sign-in: RFC 6238 time-based one-time passwords (HMAC-SHA-1,
//! 6 digits, 30-second steps, one step of clock drift either way) and
//! single-use recovery codes.
//!
//! The secret is 160 random bits from the OS, shown once as base32 (and as
//! an `otpauth://` address for a QR code). A code is accepted only for a
//! step later than the last one the account used, so an overheard code
//! cannot be replayed. Recovery codes are stored only as SHA-256, like
//! session tokens.

use data_encoding::BASE32_NOPAD;
use hmac::{Hmac, KeyInit, Mac};
use rand::TryRngCore;
use rand::rngs::OsRng;
use sha1::Sha1;

use crate::error::{AppError, AppResult};

/// Digits in a code.
pub const DIGITS: u32 = 6;
/// Seconds per step.
pub const STEP_SECONDS: u64 = 30;
/// Steps either side of now still accepted (clock drift, slow typing).
pub const DRIFT_STEPS: u64 = 1;
/// Bytes of secret: 160 bits, the RFC 4226 recommendation for SHA-1.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes issued at a time.
pub const RECOVERY_CODES: usize = 10;
/// What authenticator apps show the account under.
pub const ISSUER: &str = "Community Mentoring";

/// A fresh secret, base32 without padding (32 characters).
pub fn generate_secret() -> AppResult<String> {
    let mut bytes = [0u8; SECRET_BYTES];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(AppError::internal)?;
    Ok(BASE32_NOPAD.encode(&bytes))
}

/// The `otpauth://` address authenticator apps read (usually from a QR code).
pub fn otpauth_uri(secret: &str, account: &str) -> String {
    let issuer = percent_encode(ISSUER);
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        account = percent_encode(account),
    )
}

fn percent_encode(s: &str) -> String {
    use std::fmt::Write;
    s.bytes()
        .fold(String::with_capacity(s.len()), |mut out, b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                out.push(char::from(b));
            } else {
                let _ = write!(out, "%{b:02X}");
            }
            out
        })
}

fn decode_secret(secret: &str) -> Option<Vec<u8>> {
    BASE32_NOPAD
        .decode(secret.trim().to_ascii_uppercase().as_bytes())
        .ok()
        .filter(|key| !key.is_empty())
}

/// The step `unix_time` falls in.
pub fn step_at(unix_time: u64) -> u64 {
    unix_time / STEP_SECONDS
}

/// RFC 4226: HMAC-SHA-1 of the counter, dynamically truncated to 31 bits.
/// (HMAC takes a key of any length, so None never happens in practice.)
fn truncated(key: &[u8], counter: u64) -> Option<u32> {
    let mut mac = <Hmac<Sha1> as KeyInit>::new_from_slice(key).ok()?;
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest.last()? & 0x0f);
    let bytes = digest.get(offset..offset + 4)?;
    Some(u32::from_be_bytes([
        bytes[0] & 0x7f,
        bytes[1],
        bytes[2],
        bytes[3],
    ]))
}

/// The `DIGITS`-digit HOTP value of `counter`.
fn hotp(key: &[u8], counter: u64) -> Option<u32> {
    Some(truncated(key, counter)? % 10u32.pow(DIGITS))
}

/// The code for `secret` (base32) at `unix_time`; None for a malformed
/// secret. Tests compute what an authenticator app would show with it.
pub fn code_at(secret: &str, unix_time: u64) -> Option<String> {
    let key = decode_secret(secret)?;
    Some(format_code(hotp(&key, step_at(unix_time))?))
}

fn format_code(code: u32) -> String {
    format!("{code:0width$}", width = DIGITS as usize)
}

/// A typed code with spaces and dashes taken out, if it is `DIGITS` digits.
pub fn normalise_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    (code.len() == DIGITS as usize && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

/// The step `code` is right for, if it is right for now, the step before or
/// the step after, and later than `last_step` (the last one this account
/// used: a code is good once). Every candidate is compared, in constant time.
pub fn verify(secret: &str, code: &str, unix_time: u64, last_step: Option<i64>) -> Option<u64> {
    let key = decode_secret(secret)?;
    let code = normalise_code(code)?;
    let now = step_at(unix_time);
    let mut matched = None;
    for step in now.saturating_sub(DRIFT_STEPS)..=now.saturating_add(DRIFT_STEPS) {
        let expected = format_code(hotp(&key, step)?);
        if constant_time_eq(expected.as_bytes(), code.as_bytes()) && matched.is_none() {
            matched = Some(step);
        }
    }
    let last = last_step.and_then(|s| u64::try_from(s).ok());
    matched.filter(|step| last.is_none_or(|last| *step > last))
}

/// Equal, taking the same time wherever the first difference is.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// Now, in seconds since the Unix epoch.
pub fn now() -> u64 {
    u64::try_from(chrono::Utc::now().timestamp()).unwrap_or_default()
}

// ---- recovery codes ----

/// 32 symbols (5 bits each) without the look-alikes `l`, `o`, `0` and `1`.
const RECOVERY_ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
/// Symbols in a recovery code: 60 bits, shown as `abcd-efgh-2345`.
const RECOVERY_LEN: usize = 12;

/// A fresh set of recovery codes, as shown to their owner once.
pub fn generate_recovery_codes() -> AppResult<Vec<String>> {
    (0..RECOVERY_CODES).map(|_| recovery_code()).collect()
}

fn recovery_code() -> AppResult<String> {
    let mut bytes = [0u8; RECOVERY_LEN];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(AppError::internal)?;
    let symbols: Vec<char> = bytes
        .iter()
        .map(|b| char::from(RECOVERY_ALPHABET[usize::from(b & 31)]))
        .collect();
    Ok(symbols
        .chunks(4)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-"))
}

/// A typed recovery code in its stored form (lower case, no spaces or
/// dashes), if it can be one.
pub fn normalise_recovery_code(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (code.len() == RECOVERY_LEN && code.bytes().all(|b| RECOVERY_ALPHABET.contains(&b)))
        .then_some(code)
}

/// What is stored of a recovery code: the SHA-256 (hex) of its normal form.
pub fn hash_recovery_code(normalised: &str) -> String {
    super::token::hash(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B: the SHA-1 seed is the ASCII "12345678901234567890".
    fn rfc_secret() -> String {
        BASE32_NOPAD.encode(b"12345678901234567890")
    }

    #[test]
    fn totp_matches_the_rfc_6238_sha1_vectors() {
        // The RFC's 8-digit values; a 6-digit code is the same number
        // modulo 10^6, i.e. its last six digits.
        let vectors: [(u64, &str); 6] = [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ];
        let secret = rfc_secret();
        let key = b"12345678901234567890";
        for (time, eight) in vectors {
            // The reference values themselves, from the same truncation …
            let binary = truncated(key, step_at(time)).expect("hmac");
            assert_eq!(format!("{:08}", binary % 100_000_000), eight, "T = {time}");
            // … and the 6-digit code is their last six digits.
            let six = &eight[2..];
            assert_eq!(code_at(&secret, time).as_deref(), Some(six), "T = {time}");
        }
    }

    #[test]
    fn the_rfc_4226_hotp_vectors_hold() {
        // RFC 4226 appendix D, counters 0..9 (6 digits).
        let expected = [
            755_224, 287_082, 359_152, 969_429, 338_314, 254_676, 287_922, 162_583, 399_871,
            520_489,
        ];
        for (counter, want) in expected.into_iter().enumerate() {
            let counter = u64::try_from(counter).expect("small");
            assert_eq!(hotp(b"12345678901234567890", counter), Some(want));
        }
    }

    #[test]
    fn drift_of_one_step_either_way_and_no_replay() {
        let secret = rfc_secret();
        let t = 1_111_111_111;
        let now = step_at(t);
        let code = code_at(&secret, t).expect("code");
        assert_eq!(verify(&secret, &code, t, None), Some(now));
        assert_eq!(verify(&secret, &code, t + 30, None), Some(now));
        assert_eq!(verify(&secret, &code, t - 30, None), Some(now));
        assert_eq!(verify(&secret, &code, t + 60, None), None);
        assert_eq!(verify(&secret, &code, t - 60, None), None);
        // Spaces are allowed; wrong lengths and letters are not.
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(verify(&secret, &spaced, t, None), Some(now));
        assert_eq!(verify(&secret, "12345", t, None), None);
        assert_eq!(verify(&secret, "abcdef", t, None), None);
        // The step used last, and any before it, is refused.
        let last = i64::try_from(now).expect("fits");
        assert_eq!(verify(&secret, &code, t, Some(last)), None);
        assert_eq!(verify(&secret, &code, t, Some(last + 1)), None);
        assert_eq!(verify(&secret, &code, t, Some(last - 1)), Some(now));
        // A malformed secret verifies nothing.
        assert_eq!(verify("not base32!", &code, t, None), None);
    }

    #[test]
    fn secrets_are_160_bit_base32_and_unique() {
        let a = generate_secret().expect("rng");
        let b = generate_secret().expect("rng");
        assert_eq!(a.len(), 32);
        assert_eq!(decode_secret(&a).map(|k| k.len()), Some(SECRET_BYTES));
        assert_ne!(a, b);
        let uri = otpauth_uri(&a, "ana@example.org");
        assert!(
            uri.starts_with("otpauth://totp/Community%20Mentoring:ana%40example.org?secret="),
            "{uri}"
        );
        assert!(uri.contains(&a));
        assert!(uri.contains("&digits=6&period=30"));
    }

    #[test]
    fn recovery_codes_look_right_and_normalise() {
        let codes = generate_recovery_codes().expect("rng");
        assert_eq!(codes.len(), RECOVERY_CODES);
        for code in &codes {
            assert_eq!(code.len(), 14, "{code}");
            assert_eq!(code.matches('-').count(), 2, "{code}");
            let normal = normalise_recovery_code(code).expect("normalises");
            assert_eq!(normal.len(), 12);
            assert_eq!(
                normalise_recovery_code(&code.to_uppercase()).as_deref(),
                Some(normal.as_str())
            );
        }
        let unique: std::collections::HashSet<_> = codes.iter().collect();
        assert_eq!(unique.len(), codes.len());
        assert_eq!(normalise_recovery_code("123456"), None);
        assert_eq!(normalise_recovery_code("abcd-efgh-2341"), None);
    }

    #[test]
    fn constant_time_eq_compares() {
        assert!(constant_time_eq(b"123456", b"123456"));
        assert!(!constant_time_eq(b"123456", b"123457"));
        assert!(!constant_time_eq(b"12345", b"123456"));
    }
}
