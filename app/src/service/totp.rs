//! The second factor for local accounts: time-based one-time passwords (RFC 6238 over the HOTP
//! of RFC 4226) as authenticator apps make them — HMAC-SHA-1, six digits, 30-second steps — and
//! one-time recovery codes. Secrets travel as RFC 4648 base32 (the typed form and the
//! `otpauth://` URI a QR code carries). A code is accepted for the step before and after the
//! current one (clocks drift), and never twice: `verify` returns the step it matched, which the
//! caller stores and passes back as `last_used` next time.

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Digits of a code.
pub const DIGITS: u32 = 6;
/// Seconds per step.
pub const STEP_SECONDS: i64 = 30;
/// Bytes of a new secret: 160 bits, the HMAC-SHA-1 block RFC 4226 recommends.
pub const SECRET_BYTES: usize = 20;
/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;

/// A shared secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // A secret never reaches a log line.
        f.write_str("Secret(…)")
    }
}

impl Secret {
    /// A new random secret.
    pub fn generate() -> Result<Secret, getrandom::Error> {
        let mut bytes = vec![0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes)?;
        Ok(Secret(bytes))
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Secret {
        Secret(bytes)
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The typed form: base32, upper case, no padding.
    pub fn to_base32(&self) -> String {
        base32_encode(&self.0)
    }

    /// A typed secret: base32 in either case, spaces and padding ignored; `None` when it is
    /// not base32 or shorter than 128 bits (what RFC 4226 requires).
    pub fn from_base32(text: &str) -> Option<Secret> {
        let bytes = base32_decode(text)?;
        (bytes.len() >= 16).then_some(Secret(bytes))
    }

    /// The `otpauth://` URI an authenticator app reads from a QR code.
    pub fn otpauth_uri(&self, issuer: &str, account: &str) -> String {
        let (issuer, account) = (percent_encode(issuer), percent_encode(account));
        format!(
            "otpauth://totp/{issuer}:{account}?secret={}&issuer={issuer}&algorithm=SHA1\
             &digits={DIGITS}&period={STEP_SECONDS}",
            self.to_base32()
        )
    }
}

/// HOTP (RFC 4226 §5.3): the `digits`-digit code for `counter`.
pub fn hotp(secret: &Secret, counter: u64, digits: u32) -> u32 {
    // HMAC accepts keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret.as_bytes()) else {
        return u32::MAX;
    };
    mac.update(&counter.to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ]);
    bin % 10u32.pow(digits)
}

/// The step of Unix time `unix_seconds`.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code of step `step`, as an app shows it (leading zeros kept).
pub fn code_at_step(secret: &Secret, step: i64) -> String {
    let counter = u64::try_from(step).unwrap_or_default();
    format!(
        "{:0width$}",
        hotp(secret, counter, DIGITS),
        width = DIGITS as usize
    )
}

/// The step a typed code matches at `unix_seconds` (the current step or one either side), if
/// it is later than `last_used`; spaces in the typed code are ignored.
pub fn verify(
    secret: &Secret,
    typed: &str,
    unix_seconds: i64,
    last_used: Option<i64>,
) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_seconds);
    [now - 1, now, now + 1]
        .into_iter()
        .filter(|step| *step >= 0 && last_used.is_none_or(|used| *step > used))
        .find(|step| constant_time_eq(code_at_step(secret, *step).as_bytes(), typed.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// New recovery codes, shown once: each 80 random bits as four groups of four base32
/// characters, e.g. `k7q2-x4mb-9zpa-3wfe` (lower case, no look-alike issue: base32 has no 0/1).
pub fn recovery_codes() -> Result<Vec<String>, getrandom::Error> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            getrandom::fill(&mut bytes)?;
            let text = base32_encode(&bytes).to_lowercase();
            let groups: Vec<&str> = (0..4).map(|i| &text[i * 4..i * 4 + 4]).collect();
            Ok(groups.join("-"))
        })
        .collect()
}

/// What is stored of a recovery code: the SHA-256 of its normalized form (lower case, no
/// dashes or spaces), as hex. The codes carry 80 random bits, so a fast hash suffices.
pub fn recovery_code_digest(code: &str) -> String {
    let normalized: String = code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_lowercase)
        .collect();
    Sha256::digest(normalized.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const BASE32: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

fn base32_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(BASE32[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(BASE32[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

fn base32_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for c in text.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let upper = c.to_ascii_uppercase();
        let value = BASE32.iter().position(|b| char::from(*b) == upper)?;
        buffer = (buffer << 5) | u32::try_from(value).ok()?;
        bits += 5;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buffer >> bits) & 0xff).ok()?);
        }
        buffer &= (1 << bits) - 1;
    }
    Some(out)
}

/// Percent-encodes everything but unreserved characters (RFC 3986), for the URI's label.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(b).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The key of the RFC 4226 and RFC 6238 (SHA-1) test vectors.
    fn rfc_secret() -> Secret {
        Secret::from_bytes(b"12345678901234567890".to_vec())
    }

    #[test]
    fn hotp_matches_rfc_4226_appendix_d() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, code) in expected.into_iter().enumerate() {
            assert_eq!(
                hotp(&rfc_secret(), counter as u64, 6),
                code,
                "counter {counter}"
            );
        }
    }

    #[test]
    fn totp_matches_rfc_6238_appendix_b_for_sha1() {
        let expected = [
            (59, 94287082),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ];
        for (time, code) in expected {
            let step = u64::try_from(step_at(time)).expect("positive");
            assert_eq!(hotp(&rfc_secret(), step, 8), code, "T = {time}");
        }
        // Six digits, as apps show them, keep leading zeros.
        assert_eq!(code_at_step(&rfc_secret(), step_at(1111111109)), "081804");
    }

    #[test]
    fn a_code_is_accepted_one_step_either_side_and_only_once() {
        let s = rfc_secret();
        let now = 1_234_567_890;
        let step = step_at(now);
        let code = code_at_step(&s, step);
        assert_eq!(verify(&s, &code, now, None), Some(step));
        assert_eq!(
            verify(&s, &code, now - STEP_SECONDS, None),
            Some(step),
            "clock behind"
        );
        assert_eq!(
            verify(&s, &code, now + STEP_SECONDS, None),
            Some(step),
            "clock ahead"
        );
        assert_eq!(
            verify(&s, &code, now + 2 * STEP_SECONDS, None),
            None,
            "too late"
        );
        assert_eq!(verify(&s, &code, now, Some(step)), None, "replayed");
        let next = code_at_step(&s, step + 1);
        assert_eq!(
            verify(&s, &next, now, Some(step)),
            Some(step + 1),
            "the next step's code still works after this one was used"
        );
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(verify(&s, &spaced, now, None), Some(step));
    }

    #[test]
    fn malformed_codes_never_match() {
        let s = rfc_secret();
        let now = 1_234_567_890;
        let code = code_at_step(&s, step_at(now));
        for typed in [
            "",
            "12345",
            "1234567",
            "abcdef",
            &format!("{code}0"),
            "０１２３４５",
        ] {
            assert_eq!(verify(&s, typed, now, None), None, "{typed:?}");
        }
    }

    #[test]
    fn base32_matches_rfc_4648_and_reads_what_people_type() {
        for (raw, encoded) in [
            ("", ""),
            ("f", "MY"),
            ("fo", "MZXQ"),
            ("foo", "MZXW6"),
            ("foob", "MZXW6YQ"),
            ("fooba", "MZXW6YTB"),
            ("foobar", "MZXW6YTBOI"),
        ] {
            assert_eq!(base32_encode(raw.as_bytes()), encoded);
            assert_eq!(base32_decode(encoded).as_deref(), Some(raw.as_bytes()));
        }
        assert_eq!(
            base32_decode("mzxw 6ytb oi======").as_deref(),
            Some("foobar".as_bytes())
        );
        assert_eq!(base32_decode("MZXW1"), None, "1 is not base32");
        let s = Secret::generate().expect("random");
        assert_eq!(s.as_bytes().len(), SECRET_BYTES);
        assert_eq!(Secret::from_base32(&s.to_base32()), Some(s.clone()));
        assert_eq!(
            Secret::from_base32("MZXW6YTBOI"),
            None,
            "too short a secret"
        );
        assert_ne!(Secret::generate().expect("random"), s);
        assert_eq!(format!("{s:?}"), "Secret(…)");
    }

    #[test]
    fn the_uri_names_issuer_account_and_parameters() {
        let s = rfc_secret();
        let uri = s.otpauth_uri("Strata", "ada lovelace@example.org");
        assert_eq!(
            uri,
            format!(
                "otpauth://totp/Strata:ada%20lovelace%40example.org?secret={}&issuer=Strata\
                 &algorithm=SHA1&digits=6&period=30",
                s.to_base32()
            )
        );
    }

    #[test]
    fn recovery_codes_are_distinct_and_match_their_digest_however_typed() {
        let codes = recovery_codes().expect("random");
        assert_eq!(codes.len(), RECOVERY_CODES);
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), RECOVERY_CODES);
        let code = &codes[0];
        assert_eq!(code.len(), 19, "{code}");
        assert_eq!(code.matches('-').count(), 3, "{code}");
        let digest = recovery_code_digest(code);
        assert_eq!(digest.len(), 64);
        assert_eq!(recovery_code_digest(&code.to_uppercase()), digest);
        assert_eq!(recovery_code_digest(&code.replace('-', " ")), digest);
        assert_ne!(recovery_code_digest(&codes[1]), digest);
    }
}
