//! Session tokens: 256 random bits, sent once in a cookie, stored only as a
//! SHA-256 hash (a leaked database holds no usable session).

use rand::TryRngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

pub fn generate() -> AppResult<String> {
    let mut bytes = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(AppError::internal)?;
    Ok(hex(&bytes))
}

pub fn hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The cookie's name: `__Host-` pins it to this exact origin, but browsers
/// only accept that prefix over https.
pub fn cookie_name(https: bool) -> &'static str {
    if https { "__Host-session" } else { "session" }
}

pub fn set_cookie(name: &str, token: &str, https: bool, max_age_secs: i64) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!("{name}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age_secs}{secure}")
}

pub fn clear_cookie(name: &str, https: bool) -> String {
    set_cookie(name, "", https, 0)
}

/// The value of cookie `name` from a `Cookie` header.
pub fn read_cookie<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name && !v.is_empty()).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_and_unique() {
        let a = generate().expect("rng");
        let b = generate().expect("rng");
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert_ne!(hash(&a), a);
    }

    #[test]
    fn cookie_attributes() {
        let c = set_cookie("session", "abc", false, 60);
        assert_eq!(c, "session=abc; HttpOnly; SameSite=Lax; Path=/; Max-Age=60");
        assert!(set_cookie("__Host-session", "abc", true, 60).ends_with("; Secure"));
        assert_eq!(read_cookie("a=1; session=xyz; b=2", "session"), Some("xyz"));
        assert_eq!(read_cookie("session=", "session"), None);
        assert_eq!(read_cookie("xsession=1", "session"), None);
    }
}
