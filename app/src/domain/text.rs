//! What text we accept: one rule for every field and parameter, so that the two backends see
//! the same values (PostgreSQL cannot store NUL; SQLite would keep it) and nothing invisible
//! reaches a page, a report or a log line.

/// The message a field gets when its text holds a character we refuse.
pub const CONTROL_MESSAGE: &str = "Remove control characters (such as NUL or escape codes).";

/// True when `s` is one line of printable text: no control character at all.
pub fn is_single_line(s: &str) -> bool {
    !s.chars().any(char::is_control)
}

/// True when `s` is printable text over several lines: line breaks and tabs are allowed,
/// every other control character is not.
pub fn is_multi_line(s: &str) -> bool {
    !s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

/// Percent-encodes a URL query value (RFC 3986 unreserved characters pass through).
pub fn percent_encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `s` cut to at most `max` characters (on a character boundary).
pub fn clip_chars(s: &mut String, max: usize) {
    if let Some((at, _)) = s.char_indices().nth(max) {
        s.truncate(at);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_lines_refuse_every_control_character() {
        assert!(is_single_line("Support chatbot – ünïcode ✓"));
        for bad in [
            "a\0b",
            "a\nb",
            "tab\there",
            "\u{1b}[31m",
            "del\u{7f}",
            "c1\u{85}",
        ] {
            assert!(!is_single_line(bad), "{bad:?}");
        }
    }

    #[test]
    fn multi_line_text_keeps_breaks_and_tabs_only() {
        assert!(is_multi_line("first line\r\n\tsecond line"));
        for bad in ["a\0b", "\u{1b}[2J", "bell\u{7}"] {
            assert!(!is_multi_line(bad), "{bad:?}");
        }
    }

    #[test]
    fn clipping_counts_characters_not_bytes() {
        let mut s = "ééééé".to_string();
        clip_chars(&mut s, 3);
        assert_eq!(s, "ééé");
        let mut short = "ab".to_string();
        clip_chars(&mut short, 3);
        assert_eq!(short, "ab");
    }
}
