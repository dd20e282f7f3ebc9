//! The served surface: the OpenAPI document covers every route, health answers, and the built app is served (deep links, gzip).

use reqwest::StatusCode;

use crate::harness::{Backend, TestApp, json};

#[tokio::test]
async fn openapi_document_covers_every_route() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let doc: serde_json::Value =
        json(app.get("/api/openapi.json", None).await, StatusCode::OK).await;
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["servers"][0]["url"], "/api");
    for (path, method) in [
        ("/health", "get"),
        ("/auth/register", "post"),
        ("/auth/login", "post"),
        ("/auth/logout", "post"),
        ("/me", "get"),
        ("/users", "get"),
        ("/rooms", "get"),
        ("/rooms/direct", "post"),
        ("/rooms/{id}/messages", "get"),
        ("/ws", "get"),
        ("/me/settings", "put"),
        ("/rooms/{id}/settings", "put"),
        ("/notifications", "get"),
        ("/notifications/read", "post"),
        ("/rooms/{id}/leave", "post"),
    ] {
        assert!(
            doc["paths"][path][method].is_object(),
            "{method} {path} is documented"
        );
        let res = app
            .request(
                method.parse().expect("method"),
                &format!("/api{path}").replace("{id}", "1"),
                None,
            )
            .send()
            .await
            .expect("request");
        assert_ne!(
            res.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path} is served"
        );
        assert_ne!(
            res.status(),
            StatusCode::NOT_FOUND,
            "{method} {path} is routed"
        );
    }
    for schema in ["ErrorBody", "ClientMsg", "ServerMsg", "MessageView"] {
        assert!(
            doc["components"]["schemas"][schema].is_object(),
            "schema {schema}"
        );
    }
}

/// Every `$ref` in the document names a schema it defines: a dangling one
/// makes generated clients and Schemathesis give up on that operation.
#[tokio::test]
async fn every_schema_reference_resolves() {
    fn refs<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let app = TestApp::spawn(Backend::Sqlite).await;
    let doc: serde_json::Value =
        json(app.get("/api/openapi.json", None).await, StatusCode::OK).await;
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() > 100, "the document uses references");
    let dangling: Vec<&str> = found
        .into_iter()
        .filter(|r| {
            r.strip_prefix("#/components/schemas/")
                .is_none_or(|name| !doc["components"]["schemas"][name].is_object())
        })
        .collect();
    assert!(dangling.is_empty(), "dangling references: {dangling:?}");
}

#[tokio::test]
async fn health_answers_and_deep_links_get_the_app() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let health: serde_json::Value = json(app.get("/api/health", None).await, StatusCode::OK).await;
    assert_eq!(health["status"], "ok");
    crate::harness::require_site();
    let page = app.get("/rooms/42", None).await;
    assert_eq!(page.status(), StatusCode::OK, "deep links load the app");
    assert!(page.text().await.expect("body").contains("<html"));

    // The app's wasm goes out gzipped to browsers that accept it, with the
    // type browsers need to compile it while it streams in.
    let wasm = app
        .request(reqwest::Method::GET, "/pkg/frontend_bg.wasm", None)
        .header("accept-encoding", "gzip, deflate, br")
        .send()
        .await
        .expect("wasm");
    assert_eq!(wasm.status(), StatusCode::OK);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    assert_eq!(wasm.headers()["content-encoding"], "gzip");
    let plain = app.get("/pkg/frontend_bg.wasm", None).await;
    assert!(plain.headers().get("content-encoding").is_none());
    assert!(plain.bytes().await.expect("body").starts_with(b"\0asm"));
}
