//! Refuse cross-site writes: every state-changing request must carry a JSON
//! body, and a present `Origin` must be one of ours. Together with
//! `SameSite=Lax` cookies this stops CSRF without tokens (a cross-site form
//! cannot send `application/json`, and a cross-site fetch names its origin).

use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, ORIGIN};
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::AppState;
use crate::error::{AppError, AppResult};

pub async fn guard_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> AppResult<Response> {
    if !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        check_origin(request.headers(), &state.allowed_origins)?;
        let json = request
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(AppError::UnsupportedMediaType);
        }
    }
    Ok(next.run(request).await)
}

/// A present `Origin` must be allowed; browsers also say `Sec-Fetch-Site`.
pub fn check_origin(headers: &HeaderMap, allowed: &[String]) -> AppResult<()> {
    if headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return Err(AppError::CrossOrigin("the request came from another site"));
    }
    match headers.get(ORIGIN) {
        None => Ok(()),
        Some(origin) if allowed.iter().any(|a| a.as_bytes() == origin.as_bytes()) => Ok(()),
        Some(_) => Err(AppError::CrossOrigin(
            "the request came from another origin",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        let allowed = vec!["http://127.0.0.1:8080".to_owned()];
        let mut h = HeaderMap::new();
        assert!(check_origin(&h, &allowed).is_ok());
        h.insert(ORIGIN, "http://127.0.0.1:8080".parse().expect("header"));
        assert!(check_origin(&h, &allowed).is_ok());
        h.insert(ORIGIN, "https://evil.example".parse().expect("header"));
        assert!(check_origin(&h, &allowed).is_err());
        h.remove(ORIGIN);
        h.insert("sec-fetch-site", "cross-site".parse().expect("header"));
        assert!(check_origin(&h, &allowed).is_err());
    }
}
