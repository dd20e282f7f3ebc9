//! Fuzz target: any bytes as a websocket text frame through the server's
//! frame decoder (`realtime::requests::decode`).
//!
//! It must never panic; what it accepts must survive a round trip (encode
//! the request and decode it again: the same request), and what it refuses
//! is a `bad_request` whose message stays short enough to send back.

#![no_main]

use libfuzzer_sys::{Corpus, fuzz_target};
use server::realtime::requests::decode;
use shared::ErrorKind;

fuzz_target!(|data: &[u8]| -> Corpus {
    let Ok(text) = std::str::from_utf8(data) else {
        return Corpus::Reject;
    };
    match decode(text) {
        Ok(msg) => {
            let again = serde_json::to_string(&msg).expect("a request encodes");
            let back = decode(&again).expect("an encoded request decodes");
            assert_eq!(back, msg, "round trip changed {text:?}");
        }
        Err(err) => {
            let (_, api) = err.to_api();
            assert_eq!(api.kind, ErrorKind::BadRequest);
            // serde_json names at most a token of the input, never echoes it all.
            assert!(
                api.message.len() <= 200 + text.len().min(200),
                "error message grew with the input: {} bytes",
                api.message.len()
            );
        }
    }
    Corpus::Keep
});
