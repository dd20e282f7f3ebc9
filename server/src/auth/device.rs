//! A person-readable name for the browser a session was started from
//! ("Firefox on Android"), for the list of where one is signed in.

/// Longest `User-Agent` kept; the rest says nothing a person needs.
const KEEP_CHARS: usize = 256;

/// The header as stored: cut short, control characters dropped.
pub fn clip(ua: &str) -> String {
    ua.chars()
        .filter(|c| !c.is_control())
        .take(KEEP_CHARS)
        .collect()
}

/// "Browser on system", or "Unknown device" when neither is recognised.
pub fn describe(ua: Option<&str>) -> String {
    let ua = ua.unwrap_or_default();
    // Order matters: Edge and Chrome on iOS also say Safari; Edge says Chrome.
    let browser = [
        ("Edg/", "Edge"),
        ("EdgiOS", "Edge"),
        ("Firefox/", "Firefox"),
        ("FxiOS", "Firefox"),
        ("SamsungBrowser", "Samsung Internet"),
        ("CriOS", "Chrome"),
        ("Chrome/", "Chrome"),
        ("Safari/", "Safari"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    let system = [
        ("Android", "Android"),
        ("iPhone", "iPhone"),
        ("iPad", "iPad"),
        ("Windows", "Windows"),
        ("Mac OS X", "Mac"),
        ("CrOS", "ChromeOS"),
        ("Linux", "Linux"),
    ]
    .iter()
    .find(|(needle, _)| ua.contains(needle))
    .map(|(_, name)| *name);
    match (browser, system) {
        (Some(b), Some(s)) => format!("{b} on {s}"),
        (Some(b), None) => b.to_owned(),
        (None, Some(s)) => s.to_owned(),
        (None, None) => "Unknown device".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_browsers_read_as_people_say_them() {
        let cases = [
            (
                "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36",
                "Chrome on Android",
            ),
            (
                "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
                "Safari on iPhone",
            ),
            (
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36 Edg/126.0",
                "Edge on Windows",
            ),
            (
                "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
                "Firefox on Linux",
            ),
            ("reqwest/0.12", "Unknown device"),
        ];
        for (ua, want) in cases {
            assert_eq!(describe(Some(ua)), want, "{ua}");
        }
        assert_eq!(describe(None), "Unknown device");
    }

    #[test]
    fn stored_agents_are_short_and_printable() {
        let long = format!("A\u{7}B{}", "x".repeat(1000));
        let kept = clip(&long);
        assert_eq!(kept.chars().count(), KEEP_CHARS);
        assert!(kept.starts_with("AB"));
    }
}
