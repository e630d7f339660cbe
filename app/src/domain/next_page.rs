//! Where a sign-in may send the browser next: only a path on this site. Anything that a browser
//! could read as another host (`//evil`, `/\evil`, a scheme, an encoded backslash) or that
//! carries control characters is dropped, and the person lands on the overview instead.

/// Longest `next` kept; a longer one is not one of our links.
const MAX_LEN: usize = 512;

/// `text` when it is a path of this site, else `None`.
pub fn safe_next(text: &str) -> Option<&str> {
    let ok = text.len() <= MAX_LEN
        && text.starts_with('/')
        && !text.starts_with("//")
        // Browsers read `\` as `/`, so `/\evil` is `//evil`; `%5c` may be decoded on the way.
        && !text.contains('\\')
        && !text.to_ascii_lowercase().contains("%5c")
        && !text.chars().any(char::is_control)
        // Signing in again from the sign-in page would only loop.
        && !text.starts_with("/login");
    ok.then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_of_this_site_are_kept() {
        for good in ["/", "/workloads", "/workloads/0190?page=2", "/catalog#x"] {
            assert_eq!(safe_next(good), Some(good), "{good}");
        }
        for bad in [
            "",
            "workloads",
            "//evil.example",
            "/\\evil.example",
            "/%5cevil.example",
            "/%5Cevil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "/a\nb",
            "/login?next=/login",
        ] {
            assert_eq!(safe_next(bad), None, "{bad:?}");
        }
        assert_eq!(
            safe_next(&format!("/{}", "a".repeat(600))),
            None,
            "too long"
        );
    }
}
