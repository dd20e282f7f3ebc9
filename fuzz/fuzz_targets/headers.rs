//! Fuzz target: the server's small parsers of what clients send in headers
//! and paths: the session cookie, `X-Forwarded-For`, the `User-Agent`
//! (shortened and described), the path the logs show, and `@mentions`.
//!
//! None may panic, and each keeps its promise: a cookie value is a part of
//! the header; a forwarded client is the peer or an address the header
//! names; a stored user agent is short and printable; a logged path that
//! follows an invitation or calendar prefix never shows its token.

#![no_main]

use std::net::{IpAddr, Ipv4Addr};

use libfuzzer_sys::{Corpus, fuzz_target};
use server::app::loggable_path;
use server::auth::client_ip::client_of;
use server::auth::{device, token};

fuzz_target!(|data: &[u8]| -> Corpus {
    let Ok(text) = std::str::from_utf8(data) else {
        return Corpus::Reject;
    };

    if let Some(value) = token::read_cookie(text, "session") {
        assert!(text.contains(value));
        assert!(!value.is_empty());
    }

    let peer = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
    let client = client_of(peer, text, &[peer]);
    assert!(
        client == peer || text.contains(&client.to_string()) || text.contains(':'),
        "{client} came from nowhere in {text:?}"
    );
    assert_eq!(client_of(peer, text, &[]), peer, "untrusted peers stand");

    let kept = device::clip(text);
    assert!(kept.chars().count() <= 256);
    assert!(!kept.chars().any(char::is_control));
    device::describe(Some(text));

    for prefix in ["/api/invites/", "/api/calendar/", "/join/"] {
        let path = format!("{prefix}{text}");
        let shown = loggable_path(&path);
        let (token, tail) = text.split_at(text.find('/').unwrap_or(text.len()));
        if !token.is_empty() && token != "feed" {
            assert_eq!(
                shown,
                format!("{prefix}[token]{tail}"),
                "{path:?}: the token must be replaced"
            );
        }
    }

    shared::mentions::mentioned(text, &[(1, "Asha Patel"), (2, "Ben")]);
    Corpus::Keep
});
