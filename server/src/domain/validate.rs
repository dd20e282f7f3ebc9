//! Input rules for accounts and messages, with messages a person can act on.

use shared::limits::{
    CLIENT_MSG_ID_MAX_CHARS, DISPLAY_NAME_MAX_CHARS, EMAIL_MAX_CHARS, MESSAGE_MAX_CHARS,
};

use crate::error::{AppError, AppResult};

/// Trimmed and lower-cased, so `Sam@Example.org ` and `sam@example.org` are one account.
pub fn email(raw: &str) -> AppResult<String> {
    let email = raw.trim().to_lowercase();
    let shape_ok = email.chars().count() <= EMAIL_MAX_CHARS
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
        });
    if shape_ok {
        Ok(email)
    } else {
        Err(AppError::validation(
            "email",
            "Enter an email address like name@example.org.",
        ))
    }
}

pub fn display_name(raw: &str) -> AppResult<String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(AppError::validation(
            "display_name",
            "Enter the name other people will see.",
        ));
    }
    if name.chars().count() > DISPLAY_NAME_MAX_CHARS {
        return Err(AppError::validation(
            "display_name",
            format!("Use at most {DISPLAY_NAME_MAX_CHARS} characters for your name."),
        ));
    }
    if name.chars().any(char::is_control) {
        return Err(AppError::validation(
            "display_name",
            "Your name cannot contain control characters.",
        ));
    }
    Ok(name.to_owned())
}

/// Bodies keep their inner whitespace (line breaks matter) but not blank ends.
pub fn message_body(raw: &str) -> AppResult<&str> {
    let body = raw.trim();
    if body.is_empty() {
        return Err(AppError::validation("body", "A message cannot be empty."));
    }
    if body.chars().count() > MESSAGE_MAX_CHARS {
        return Err(AppError::validation(
            "body",
            format!("A message can be at most {MESSAGE_MAX_CHARS} characters."),
        ));
    }
    Ok(body)
}

pub fn client_msg_id(raw: &str) -> AppResult<&str> {
    let ok = !raw.is_empty()
        && raw.chars().count() <= CLIENT_MSG_ID_MAX_CHARS
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if ok {
        Ok(raw)
    } else {
        Err(AppError::validation(
            "client_msg_id",
            format!(
                "client_msg_id must be 1 to {CLIENT_MSG_ID_MAX_CHARS} letters, digits or - _ . :"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            email(" Sam@Example.ORG ").expect("valid"),
            "sam@example.org"
        );
        for bad in [
            "",
            "sam",
            "sam@",
            "@example.org",
            "sam@example",
            "s am@example.org",
            "a@b@c.org",
        ] {
            assert!(email(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn names_and_bodies() {
        assert_eq!(display_name("  Priya Shah ").expect("valid"), "Priya Shah");
        assert!(display_name("   ").is_err());
        assert!(display_name(&"x".repeat(81)).is_err());
        assert_eq!(
            message_body("  hello\nthere \n").expect("valid"),
            "hello\nthere"
        );
        assert!(message_body(" \n ").is_err());
        assert!(message_body(&"é".repeat(MESSAGE_MAX_CHARS)).is_ok());
        assert!(message_body(&"é".repeat(MESSAGE_MAX_CHARS + 1)).is_err());
        assert!(client_msg_id("3f1c-9a").is_ok());
        assert!(client_msg_id("").is_err());
        assert!(client_msg_id("has space").is_err());
    }
}
