//! The client's address, for login throttling and the audit log: the
//! socket's peer; only when that peer is a configured trusted proxy, the
//! nearest address in `X-Forwarded-For` that is not itself a trusted proxy.
//! A forwarded header from anyone else is ignored, so it cannot be used to
//! dodge the per-address limit.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::app::AppState;
use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .ok_or_else(|| AppError::internal("the server was started without peer addresses"))?;
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect::<Vec<_>>()
            .join(",");
        Ok(ClientIp(client_of(
            peer,
            &forwarded,
            &state.config.trusted_proxies,
        )))
    }
}

/// The client behind `peer`: walk `X-Forwarded-For` from the right while
/// the hop is trusted.
pub fn client_of(peer: IpAddr, forwarded: &str, trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(&client) {
        return client;
    }
    for hop in forwarded.rsplit(',') {
        match hop.trim().parse::<IpAddr>() {
            Ok(ip) => {
                client = ip;
                if !trusted.contains(&ip) {
                    break;
                }
            }
            // A garbled hop: stop at the last address we could trust.
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_proxy() {
        let proxy = ip("10.0.0.2");
        // Not from the proxy: the header is whatever the client wrote.
        assert_eq!(
            client_of(ip("203.0.113.9"), "198.51.100.1", &[proxy]),
            ip("203.0.113.9")
        );
        // From the proxy: the nearest untrusted hop, not a spoofed first entry.
        assert_eq!(
            client_of(proxy, "1.2.3.4, 198.51.100.7", &[proxy]),
            ip("198.51.100.7")
        );
        assert_eq!(client_of(proxy, "", &[proxy]), proxy);
        assert_eq!(client_of(proxy, "nonsense", &[proxy]), proxy);
        // No proxy configured: the header never matters.
        assert_eq!(
            client_of(ip("127.0.0.1"), "198.51.100.7", &[]),
            ip("127.0.0.1")
        );
    }
}
