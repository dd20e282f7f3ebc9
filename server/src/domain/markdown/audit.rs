//! An independent check of rendered HTML against the allowlist, used by the
//! unit tests, the property tests and the fuzz target, so all three hold
//! the renderer to the same rules. It reads HTML the way ammonia writes it
//! (text with `<` escaped, attribute values always double-quoted) and
//! rejects anything it cannot read.

use super::ALLOWED_TAGS;

/// `Ok` when every tag is allowed, every attribute is allowed on its tag
/// with a safe value, and every link is http(s) or mailto, opened safely.
pub fn audit(html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let closing = rest.starts_with('/');
        if closing {
            rest = &rest[1..];
        }
        let end = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let (tag, after) = rest.split_at(end);
        if !ALLOWED_TAGS.contains(&tag) {
            return Err(format!("tag {tag:?} is not on the allowlist"));
        }
        rest = after;
        let mut attrs: Vec<(String, &str)> = Vec::new();
        loop {
            rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
            if let Some(after) = rest.strip_prefix('>') {
                rest = after;
                break;
            }
            let end = rest
                .find(|c: char| c == '=' || c == '>' || c.is_ascii_whitespace())
                .ok_or_else(|| format!("<{tag} is never closed"))?;
            if closing || end == 0 {
                return Err(format!("malformed tag {tag:?} at {rest:?}"));
            }
            let name = rest[..end].to_ascii_lowercase();
            rest = &rest[end..];
            let mut value = "";
            if let Some(quoted) = rest.strip_prefix("=\"") {
                let end = quoted
                    .find('"')
                    .ok_or_else(|| format!("{name} on <{tag}> has no closing quote"))?;
                (value, rest) = (&quoted[..end], &quoted[end + 1..]);
            }
            attribute(tag, &name, value)?;
            attrs.push((name, value));
        }
        if tag == "a" && attrs.iter().any(|(n, _)| n == "href") {
            let rel = attrs.iter().find(|(n, _)| n == "rel").map(|(_, v)| *v);
            if rel != Some("noopener noreferrer nofollow ugc") {
                return Err(format!("a link without the safe rel: {attrs:?}"));
            }
        }
    }
    Ok(())
}

fn attribute(tag: &str, name: &str, value: &str) -> Result<(), String> {
    // Browsers read a scheme in any case, so `HTTP://` is as safe as `http://`.
    let scheme = |s: &str| {
        value
            .get(..s.len())
            .is_some_and(|v| v.eq_ignore_ascii_case(s))
    };
    let ok = match (tag, name) {
        ("a", "href") => ["http://", "https://", "mailto:"].into_iter().any(scheme),
        ("a", "rel") => value == "noopener noreferrer nofollow ugc",
        ("a", "target") => value == "_blank",
        // A link's title is shown as a tooltip; quotes in it arrive escaped.
        ("a", "title") => true,
        ("ol", "start") => value.chars().all(|c| c.is_ascii_digit()),
        ("span", "class") => ["gloss-wrap", "gloss", "gloss-tip"].contains(&value),
        ("span", "tabindex") => value == "0",
        ("span", "role") => value == "tooltip",
        ("span", "id" | "aria-describedby") => value.starts_with("gl-"),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("<{tag}> has the attribute {name}={value:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::audit;

    #[test]
    fn the_audit_itself_refuses_what_it_should() {
        assert!(audit("<p>ok &lt;script&gt;</p>").is_ok());
        for bad in [
            "<script>x</script>",
            "<p onclick=\"x\">",
            "<a href=\"javascript:x\" rel=\"noopener noreferrer nofollow ugc\">",
            "<a href=\"https://x.example\">no rel</a>",
            "<span class=\"evil\">",
            "<p style=\"color:red\">",
            "<img src=\"x\">",
            "<p x=unquoted>",
            "<!-- comment -->",
            "<p",
        ] {
            assert!(audit(bad).is_err(), "{bad}");
        }
    }
}
