//! The rules a new local password must meet (`security.md`, after NIST SP 800-63B): a length,
//! no composition rules, compared exactly as typed, and none of the passwords attackers try
//! first. The length counts characters, not bytes, so every script is measured alike.

/// Fewest characters. A local password is often the only factor (the second one is optional),
/// and for a single factor NIST SP 800-63B asks for 15.
pub const MIN_CHARS: usize = 15;
/// Most characters: long passphrases fit; the bound keeps hashing input small.
pub const MAX_CHARS: usize = 256;

/// Passwords of at least `MIN_CHARS` characters that appear in published breach lists or that
/// people are told to use as examples, one per line, lowercase (shorter ones are refused by
/// length already).
const COMMON: &str = include_str!("common_passwords.txt");

/// Why a password is refused, in words for the person typing it.
pub fn problem(password: &str, account_words: &[&str]) -> Option<String> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Some(format!(
            "Use at least {MIN_CHARS} characters ({chars} typed). A few unrelated words make a \
             password that is long and easy to remember."
        ));
    }
    if chars > MAX_CHARS {
        return Some(format!(
            "Use at most {MAX_CHARS} characters ({chars} typed)."
        ));
    }
    let folded = password.to_lowercase();
    if is_common(&folded) || is_repetition(&folded) {
        return Some(
            "This password is among the first that attackers try. Choose another.".to_string(),
        );
    }
    let contains_account_word = account_words
        .iter()
        .map(|w| w.trim().to_lowercase())
        .filter(|w| w.chars().count() >= 4)
        .any(|w| folded.contains(&w) && folded.chars().count() < w.chars().count() + MIN_CHARS);
    if contains_account_word {
        return Some(
            "This password is mostly your account's name or email. Choose another.".to_string(),
        );
    }
    None
}

fn is_common(folded: &str) -> bool {
    let squeezed: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    COMMON
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|l| l == folded || l == squeezed)
}

/// A short unit repeated, such as `aaaaaaaaaaaaaaa` or `abcabcabcabcabc`.
fn is_repetition(folded: &str) -> bool {
    let chars: Vec<char> = folded.chars().collect();
    (1..=4).any(|unit| {
        chars.len() > unit
            && chars.len().is_multiple_of(unit)
            && chars.chunks(unit).all(|c| c == &chars[..unit])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_counts_characters_and_has_both_bounds() {
        assert!(problem(&"x".repeat(14), &[])
            .expect("short")
            .contains("at least 15 characters (14 typed)"));
        // Fifteen characters of three bytes each are fifteen characters.
        assert_eq!(problem("日本語のパスワードはとても長いです", &[]), None);
        assert!(problem("äöü", &[]).expect("short").contains("(3 typed)"));
        let long = "correct pony staple battery ".repeat(10);
        assert!(problem(&long, &[]).expect("long").contains("at most 256"));
        assert_eq!(problem(&long[..256], &[]), None);
    }

    #[test]
    fn there_are_no_composition_rules() {
        assert_eq!(problem("purple giraffes dance at noon", &[]), None);
        assert_eq!(problem("onlylowercaseletterswithoutspaces", &[]), None);
    }

    #[test]
    fn common_passwords_are_refused_whatever_their_case_or_spacing() {
        for p in [
            "passwordpassword",
            "PasswordPassword",
            "123456789012345",
            "correct horse battery staple",
            "CorrectHorseBatteryStaple",
        ] {
            assert!(
                problem(p, &[]).is_some_and(|m| m.contains("attackers try")),
                "{p}"
            );
        }
    }

    #[test]
    fn repeated_units_are_refused() {
        for p in ["aaaaaaaaaaaaaaaa", "abcabcabcabcabcabc", "1234123412341234"] {
            assert!(problem(p, &[]).is_some(), "{p}");
        }
        assert_eq!(
            problem("abcdeabcdeabcdeabcde", &[]),
            None,
            "units up to 4 only"
        );
    }

    #[test]
    fn a_password_that_is_mostly_the_account_name_is_refused() {
        let words = ["ada.lovelace@example.org", "Ada Lovelace"];
        assert!(problem("ada.lovelace@example.org1", &words).is_some());
        assert!(problem("Ada Lovelace 2026!!", &words).is_some());
        assert_eq!(
            problem("ada lovelace wrote the first program", &words),
            None,
            "a name inside a long passphrase is fine"
        );
        assert_eq!(
            problem("a quiet morning by the sea", &["abc"]),
            None,
            "words shorter than four characters are not looked for"
        );
    }

    #[test]
    fn the_list_is_lowercase_and_long_enough_to_matter() {
        let entries: Vec<&str> = COMMON
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        assert!(entries.len() >= 50, "{} entries", entries.len());
        for e in entries {
            assert_eq!(e, e.to_lowercase(), "{e}");
            assert!(
                e.chars().count() >= MIN_CHARS,
                "{e} is refused by length already"
            );
        }
    }
}
