//! A real headless Chromium (Debian's `chromium` + `chromedriver`) driven over
//! WebDriver by fantoccini, one fresh profile per person, plus axe-core checks.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator, elements::Element};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

use super::{PASSWORD, TestApp, TestUser};

const WAIT: Duration = Duration::from_secs(15);

fn chromedriver_path() -> String {
    std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into())
}

fn chromium_path() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into())
}

/// axe-core's script, installed by `cargo xtask` from npm.
fn axe_source() -> String {
    let path = std::env::var("AXE_CORE_JS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../xtask/node_modules/axe-core/axe.min.js")
        });
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "axe-core not found at {} ({e}): run `cargo xtask setup` (or `cargo xtask test`)",
            path.display()
        )
    })
}

/// One chromedriver process (and the browsers it starts), killed as a group on drop.
pub struct Driver {
    child: Child,
    port: u16,
}

impl Driver {
    pub async fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("free port");
        let child = Command::new(chromedriver_path())
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Its own process group, so Drop can take the browsers down with it.
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| {
                panic!(
                    "cannot start {} ({e}): install Debian's chromium and chromium-driver \
                     (`cargo xtask setup` does)",
                    chromedriver_path()
                )
            });
        let driver = Self { child, port };
        let deadline = tokio::time::Instant::now() + WAIT;
        while tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err()
        {
            assert!(
                tokio::time::Instant::now() < deadline,
                "chromedriver did not start"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        driver
    }

    /// A new browser with a fresh, empty profile.
    pub async fn browser(&self) -> Browser {
        let profile = tempdir();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chromium_path(),
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                    "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=1000,800",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let Value::Object(caps) = caps else {
            unreachable!()
        };
        // A loaded machine sometimes drops the first session request while
        // Chromium starts; a couple of retries beat a flaky suite.
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            let connected =
                ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                    .capabilities(caps.clone())
                    .connect(&format!("http://127.0.0.1:{}", self.port))
                    .await;
            match connected {
                Ok(client) => break client,
                Err(e) if attempt < 3 => {
                    eprintln!("WebDriver session attempt {attempt} failed ({e}); retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                Err(e) => panic!("no WebDriver session after {attempt} attempts: {e}"),
            }
        };
        Browser { client, profile }
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        if let Some(pid) = self.child.id() {
            // `--` matters: procps reads `kill -KILL -15` as "every process".
            let _ = std::process::Command::new("kill")
                .args(["-s", "KILL", "--", &format!("-{pid}")])
                .status();
        }
    }
}

fn tempdir() -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "apptest-chromium-{}-{}",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("profile dir");
    dir
}

pub struct Browser {
    pub client: Client,
    profile: PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Browser {
    /// Logs `user` (registered through the API) in through the log-in form
    /// and waits for the live connection.
    pub async fn log_in(&self, app: &TestApp, user: &TestUser, name: &str) {
        self.goto(&app.url("/login")).await;
        self.find("#login-submit").await;
        self.fill("#email", &user.email).await;
        self.fill("#password", PASSWORD).await;
        self.click("#login-submit").await;
        self.wait_for_text("#current-user", name).await;
        self.wait_for_text("#connection-status", "Connected").await;
    }

    /// Logs someone in through the log-in form with their own password (a
    /// person of the demo world) and waits for the live connection.
    pub async fn log_in_with(&self, app: &TestApp, email: &str, password: &str, name: &str) {
        self.goto(&app.url("/login")).await;
        self.find("#login-submit").await;
        self.fill("#email", email).await;
        self.fill("#password", password).await;
        self.click("#login-submit").await;
        self.wait_for_text("#current-user", name).await;
        self.wait_for_text("#connection-status", "Connected").await;
    }

    /// Whether the element `first` comes before `second` in the page (in
    /// reading order, which is also the keyboard's).
    pub async fn comes_before(&self, first: &str, second: &str) -> bool {
        self.client
            .execute(
                "const a = document.querySelector(arguments[0]);
                 const b = document.querySelector(arguments[1]);
                 return !!(a && b && (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING));",
                vec![Value::String(first.to_owned()), Value::String(second.to_owned())],
            )
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false)
    }

    /// Chooses an option of a `<select>` as a person would.
    pub async fn choose(&self, select: &str, value: &str) {
        self.click(&format!("{select} option[value='{value}']"))
            .await;
    }

    /// Runs `script` (which returns a value) in the page.
    pub async fn eval(&self, script: &str) -> Value {
        self.client
            .execute(script, vec![])
            .await
            .unwrap_or_else(|e| panic!("script {script:?} failed: {e}"))
    }

    /// Runs `script` in the page and waits for it to call `done(value)`
    /// (a promise's answer: `fetch(…).then(r => r.json()).then(done)`).
    pub async fn eval_async(&self, script: &str) -> Value {
        let wrapped = format!("const done = arguments[arguments.length - 1];\n{script}");
        self.client
            .execute_async(&wrapped, vec![])
            .await
            .unwrap_or_else(|e| panic!("script {script:?} failed: {e}"))
    }

    /// Waits until `script` returns `true`; `what` says what was awaited.
    pub async fn wait_for_script(&self, script: &str, what: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if self.eval(script).await == Value::Bool(true) {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                let page = self.client.source().await.unwrap_or_default();
                panic!("never: {what}; page:\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until exactly `n` elements match `css`.
    pub async fn wait_for_count(&self, css: &str, n: usize) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let found = self.count(css).await;
            if found == n {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                let page = self.client.source().await.unwrap_or_default();
                panic!("expected {n} of {css}, found {found}; page:\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no element {css}: {e}"))
    }

    /// Wait until the element matching `css` contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(t) = el.text().await
                && t.contains(text)
            {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                let page = self.client.source().await.unwrap_or_default();
                panic!("{css} never contained {text:?}; page:\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Wait until no element matches `css` (something went away).
    pub async fn wait_for_absent(&self, css: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if self.count(css).await == 0 {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                let page = self.client.source().await.unwrap_or_default();
                panic!("{css} never went away; page:\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Wait until the element matching `css` exists and does not contain `text`.
    pub async fn wait_without_text(&self, css: &str, text: &str) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await
                && let Ok(t) = el.text().await
                && !t.contains(text)
            {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                let page = self.client.source().await.unwrap_or_default();
                panic!("{css} still contained {text:?}; page:\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The `textContent` of the first element matching `css`, whitespace
    /// collapsed. Unlike WebDriver's visible text it includes visually hidden
    /// words (a badge's "3 unread"), which is what screen readers get.
    pub async fn text_content(&self, css: &str) -> Option<String> {
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]);
                 return el ? el.textContent.replace(/\\s+/g, ' ').trim() : null;",
                vec![Value::String(css.to_owned())],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    /// Wait until the `textContent` of `css` contains (or, with `present`
    /// false, no longer contains) `text`.
    pub async fn wait_for_content(&self, css: &str, text: &str, present: bool) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let content = self.text_content(css).await;
            if content
                .as_deref()
                .is_some_and(|t| t.contains(text) == present)
            {
                return;
            }
            if tokio::time::Instant::now() > deadline {
                let verb = if present {
                    "never contained"
                } else {
                    "still contained"
                };
                panic!("{css} {verb} {text:?}; its text: {content:?}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// How many elements match `css` right now.
    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|all| all.len())
            .unwrap_or(0)
    }

    /// Type into the element matching `css` (which keeps what is there).
    pub async fn type_into(&self, css: &str, text: &str) {
        self.find(css).await.send_keys(text).await.expect("type");
    }

    pub async fn wait_for_path(&self, prefix: &str) -> String {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let url = self.client.current_url().await.expect("url");
            if url.path().starts_with(prefix) {
                return url.path().to_owned();
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "never reached {prefix}, at {url}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let el = self.find(css).await;
        el.clear().await.expect("clear");
        el.send_keys(text).await.expect("type");
    }

    /// Click the element `css` names. A page may re-render it between
    /// finding and clicking (a list reloading after the last action): then
    /// find it again, as a person would click the button they now see.
    pub async fn click(&self, css: &str) {
        for _ in 0..3 {
            match self.find(css).await.click().await {
                Ok(()) => return,
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::StaleElementReference =>
                {
                    continue;
                }
                Err(e) => panic!("click {css}: {e}"),
            }
        }
        panic!("click {css}: the element kept being replaced");
    }

    /// A button or link by its accessible text.
    pub async fn click_text(&self, text: &str) {
        let xpath = format!(
            "//*[self::button or self::a][normalize-space(.)={text:?} or @aria-label={text:?}]"
        );
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no button or link {text:?}: {e}"))
            .click()
            .await
            .expect("click");
    }

    /// Save a PNG of the page to `$APP_TEST_SCREENSHOTS/<name>.png` when that
    /// variable is set (for looking at the UI; nothing is asserted).
    pub async fn screenshot(&self, name: &str) {
        let Ok(dir) = std::env::var("APP_TEST_SCREENSHOTS") else {
            return;
        };
        let png = self.client.screenshot().await.expect("screenshot");
        let _ = std::fs::create_dir_all(&dir);
        std::fs::write(PathBuf::from(dir).join(format!("{name}.png")), png).expect("write png");
    }

    /// Run axe-core on the current page; panic listing any violation.
    pub async fn assert_accessible(&self, page: &str) {
        self.screenshot(&page.replace(|c: char| !c.is_alphanumeric(), "-"))
            .await;
        self.client
            .execute(&axe_source(), vec![])
            .await
            .expect("inject axe-core");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)
                    }))))
                    .catch(e => done({ error: String(e) }));",
                vec![],
            )
            .await
            .expect("run axe-core");
        match &result {
            Value::Array(v) if v.is_empty() => {}
            other => panic!(
                "axe-core found accessibility violations on the {page} page:\n{}",
                serde_json::to_string_pretty(other).unwrap_or_default()
            ),
        }
    }
}
