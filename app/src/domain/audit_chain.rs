//! The tamper-evident chain over audit events, byte for byte as design §2 fixes it, so that any
//! tool can re-verify an export without Strata:
//!
//! - `body` = RFC 8785 canonical JSON of `{seq, time, actor, action, entity, details}`, where
//!   `time` is RFC 3339 in UTC with microseconds and `Z`, and `details` carries, besides what
//!   the change recorded, the event's `team` and, when a person acted, their name as
//!   `actor_name` (`chained_details`): what the audit page filters and shows is covered too;
//! - `digest = SHA-256(body)`;
//! - `hash = SHA-256(previous hash (32 raw bytes) ‖ digest)`, the first event's previous hash
//!   being 32 zero bytes;
//! - exports write digests and hashes as lowercase hex.
//!
//! Details hold only strings, integers, booleans and null under ASCII keys, so RFC 8785 comes
//! down to: object keys sorted, no whitespace, strings escaped as ECMAScript's `JSON.stringify`
//! does (which `serde_json` matches for strings), integers as plain digits. Integers beyond
//! ±(2^53 − 1) have no exact ECMAScript form and are refused rather than rounded.

use serde_json::Value;
use sha2::{Digest, Sha256};

/// The previous hash of the first event.
pub const GENESIS: [u8; 32] = [0; 32];

/// The largest integer RFC 8785 (ECMAScript numbers) writes exactly.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// An event's content as the chain covers it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainContent<'a> {
    pub seq: i64,
    /// Unix microseconds.
    pub at_micros: i64,
    /// The acting person's id, or the name of whoever else acted.
    pub actor: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    /// The team the event belongs to (what reading by team goes by).
    pub team: Option<&'a str>,
    /// The acting person's name as it was when they acted (`actor` is then their id).
    pub actor_name: Option<&'a str>,
    /// A JSON object.
    pub details: &'a str,
}

/// Detail keys the chain adds itself; a change that records one of its own is refused.
pub const TEAM_KEY: &str = "team";
pub const ACTOR_NAME_KEY: &str = "actor_name";

/// Why content cannot be put in canonical form.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct NotCanonical(pub String);

/// RFC 3339 in UTC with microseconds and `Z`, e.g. `2026-12-03T15:30:53.123456Z`.
pub fn time_text(at_micros: i64) -> Result<String, NotCanonical> {
    let at = chrono::DateTime::from_timestamp_micros(at_micros)
        .ok_or_else(|| NotCanonical(format!("time {at_micros} is out of range")))?;
    Ok(at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string())
}

/// Appends the RFC 8785 form of `value` to `out`.
pub fn canonical_json(value: &Value, out: &mut String) -> Result<(), NotCanonical> {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match n.as_i64() {
            Some(i) if (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&i) => {
                out.push_str(&i.to_string());
            }
            _ => return Err(NotCanonical(format!("number {n} is not a safe integer"))),
        },
        Value::String(s) => out.push_str(&quoted(s)),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical_json(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            // RFC 8785 sorts keys by their UTF-16 code units.
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&quoted(key));
                out.push(':');
                canonical_json(&map[key], out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// A JSON string as ECMAScript writes it: `"` and `\` escaped, control characters as `\b`,
/// `\t`, `\n`, `\f`, `\r` or `\u00xx` (lower-case hex), everything else as itself.
fn quoted(s: &str) -> String {
    // serde_json writes strings exactly so; it cannot fail for a `str`.
    serde_json::to_string(s).unwrap_or_default()
}

/// The details as the chain covers them: the recorded ones with the event's team and the
/// acting person's name added (design §2 fixes the body's six fields; these two ride in
/// `details`, so that editing the columns they are read from breaks the digest).
pub fn chained_details(content: &ChainContent<'_>) -> Result<Value, NotCanonical> {
    let mut details: Value = serde_json::from_str(content.details)
        .map_err(|e| NotCanonical(format!("details are not JSON: {e}")))?;
    let Some(map) = details.as_object_mut() else {
        return Err(NotCanonical("details are not an object".into()));
    };
    for (key, value) in [
        (TEAM_KEY, content.team),
        (ACTOR_NAME_KEY, content.actor_name),
    ] {
        // Recorded details never hold these keys, so a value cannot move between a column
        // and the details without changing the body.
        if map.contains_key(key) {
            return Err(NotCanonical(format!(
                "details hold {key:?}, which the chain adds itself"
            )));
        }
        if let Some(value) = value {
            map.insert(key.to_string(), Value::String(value.to_string()));
        }
    }
    Ok(details)
}

/// The canonical body of an event.
pub fn body(content: &ChainContent<'_>) -> Result<String, NotCanonical> {
    let details = chained_details(content)?;
    let event = serde_json::json!({
        "seq": content.seq,
        "time": time_text(content.at_micros)?,
        "actor": content.actor,
        "action": content.action,
        "entity": content.entity,
        "details": details,
    });
    let mut out = String::new();
    canonical_json(&event, &mut out)?;
    Ok(out)
}

/// SHA-256 of the body.
pub fn digest(body: &str) -> [u8; 32] {
    Sha256::digest(body.as_bytes()).into()
}

/// The hash of an event: SHA-256 of the previous hash and the event's digest.
pub fn link(previous: &[u8; 32], digest: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(previous);
    h.update(digest);
    h.finalize().into()
}

/// Lowercase hex.
pub fn hex(bytes: &[u8; 32]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 32 bytes from 64 hex digits (either case).
pub fn unhex(text: &str) -> Option<[u8; 32]> {
    let text = text.as_bytes();
    if text.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, pair) in text.chunks(2).enumerate() {
        let pair = std::str::from_utf8(pair).ok()?;
        out[i] = u8::from_str_radix(pair, 16).ok()?;
    }
    Some(out)
}

/// A point of the chain someone recorded: the hash the event of `seq` had.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Anchor {
    pub seq: i64,
    pub hash: [u8; 32],
}

impl Anchor {
    /// `SEQ:HASH`, as `strata audit head` prints it and the audit page shows it.
    pub fn parse(text: &str) -> Option<Anchor> {
        let (seq, hash) = text.trim().split_once(':')?;
        let seq: i64 = seq.trim().parse().ok()?;
        (seq >= 1).then_some(())?;
        Some(Anchor {
            seq,
            hash: unhex(hash.trim())?,
        })
    }
}

impl std::fmt::Display for Anchor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.seq, hex(&self.hash))
    }
}

/// One stored event as the verifier reads it: its content when the reader may see it (else
/// only its digest counts), and what was stored as its digest and hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredLink {
    pub seq: i64,
    /// The canonical body recomputed from the stored content, or why it could not be.
    pub body: Option<Result<String, NotCanonical>>,
    pub digest: String,
    pub hash: String,
}

/// The first place a chain does not hold, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    pub seq: i64,
    pub reason: String,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "sequence {}: {}", self.seq, self.reason)
    }
}

/// Walks a chain in sequence order, event by event, so that a long chain is checked without
/// holding it in memory.
#[derive(Clone, Debug)]
pub struct Verifier {
    next_seq: i64,
    previous: [u8; 32],
    anchors: Vec<Anchor>,
    checked: u64,
    /// Whether the anchors before the first event were checked.
    started: bool,
}

impl Verifier {
    /// A verifier of a chain whose first event is `first_seq`, after `previous` (the genesis
    /// for a whole chain, the hash before an extract's first event otherwise).
    pub fn new(first_seq: i64, previous: [u8; 32]) -> Verifier {
        Verifier {
            next_seq: first_seq,
            previous,
            anchors: Vec::new(),
            checked: 0,
            started: false,
        }
    }

    /// Anchors before the first event: the one just before it must be the hash the walk
    /// starts from; an earlier one is not covered by this walk and cannot be vouched for.
    fn check_start(&mut self) -> Result<(), Break> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let before = self.next_seq - 1;
        if let Some(a) = self.anchors.iter().find(|a| a.seq == before) {
            if a.hash != self.previous {
                return Err(Break {
                    seq: before,
                    reason: format!(
                        "the hash before the first event differs from the recorded anchor {a}"
                    ),
                });
            }
        }
        if let Some(a) = self.anchors.iter().find(|a| a.seq < before) {
            return Err(Break {
                seq: a.seq,
                reason: format!(
                    "the recorded anchor {a} lies before sequence {}, where this chain starts, \
                     so it cannot be checked here",
                    self.next_seq
                ),
            });
        }
        Ok(())
    }

    /// Also checks that the chain reaches `anchor` with its recorded hash.
    pub fn with_anchor(mut self, anchor: Anchor) -> Verifier {
        self.anchors.push(anchor);
        self
    }

    /// Checks the next event.
    pub fn check(&mut self, event: &StoredLink) -> Result<(), Break> {
        self.check_start()?;
        let broken = |reason: String| Break {
            seq: event.seq,
            reason,
        };
        if event.seq != self.next_seq {
            let reason = if event.seq > self.next_seq {
                format!(
                    "events {}..{} are missing (deleted, or the chain was cut)",
                    self.next_seq,
                    event.seq - 1
                )
            } else {
                format!(
                    "expected sequence {}; events are out of order",
                    self.next_seq
                )
            };
            return Err(Break {
                seq: self.next_seq,
                reason,
            });
        }
        let stored_digest = unhex(&event.digest)
            .ok_or_else(|| broken("its stored digest is not 64 hex digits".into()))?;
        if let Some(body) = &event.body {
            let body = body
                .as_ref()
                .map_err(|e| broken(format!("its content cannot be put in canonical form: {e}")))?;
            if digest(body) != stored_digest {
                return Err(broken(
                    "its content does not match its digest (the event was changed)".into(),
                ));
            }
        }
        let expected = link(&self.previous, &stored_digest);
        let stored_hash = unhex(&event.hash)
            .ok_or_else(|| broken("its stored hash is not 64 hex digits".into()))?;
        if expected != stored_hash {
            return Err(broken(
                "its hash does not follow from the previous event's (events were removed, \
                 reordered or rewritten before it)"
                    .into(),
            ));
        }
        // Every anchor of this sequence, should two be given.
        for anchor in self.anchors.iter().filter(|a| a.seq == event.seq) {
            if anchor.hash != stored_hash {
                return Err(broken(format!(
                    "its hash differs from the recorded anchor {anchor} (the chain was \
                     recomputed)"
                )));
            }
        }
        self.previous = stored_hash;
        self.next_seq += 1;
        self.checked += 1;
        Ok(())
    }

    /// Ends the walk: every anchor must have been reached.
    pub fn finish(mut self) -> Result<Verified, Break> {
        self.check_start()?;
        if let Some(anchor) = self.anchors.iter().find(|a| a.seq >= self.next_seq) {
            return Err(Break {
                seq: self.next_seq,
                reason: format!(
                    "the chain ends before the recorded anchor {anchor} (its tail was cut off)"
                ),
            });
        }
        Ok(Verified {
            events: self.checked,
            head: (self.next_seq > 1).then_some(Anchor {
                seq: self.next_seq - 1,
                hash: self.previous,
            }),
        })
    }
}

/// A chain that holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    pub events: u64,
    /// The last event (none for an empty chain).
    pub head: Option<Anchor>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(seq: i64, details: &str) -> ChainContent<'_> {
        ChainContent {
            seq,
            at_micros: 1_764_775_853_123_456,
            actor: "0192e4a0-0000-7000-8000-000000000001",
            action: "workload.create",
            entity: "0192e4a0-0000-7000-8000-0000000000aa",
            team: None,
            actor_name: None,
            details,
        }
    }

    #[test]
    fn the_body_is_canonical_json_with_sorted_keys_and_microsecond_utc_time() {
        let b = body(&content(
            7,
            r#"{"revision":1,"name":"Cr\u00e9dit \"A\"\n","demo":false,"x":null}"#,
        ))
        .expect("canonical");
        assert_eq!(
            b,
            "{\"action\":\"workload.create\",\"actor\":\"0192e4a0-0000-7000-8000-000000000001\",\
             \"details\":{\"demo\":false,\"name\":\"Crédit \\\"A\\\"\\n\",\"revision\":1,\"x\":null},\
             \"entity\":\"0192e4a0-0000-7000-8000-0000000000aa\",\"seq\":7,\
             \"time\":\"2025-12-03T15:30:53.123456Z\"}"
        );
        assert_eq!(time_text(0).expect("time"), "1970-01-01T00:00:00.000000Z");
    }

    #[test]
    fn control_characters_are_escaped_as_ecmascript_does_and_unsafe_numbers_refused() {
        let mut out = String::new();
        canonical_json(&serde_json::json!("\u{1}\u{1f}\t\u{7f}é/"), &mut out).expect("string");
        assert_eq!(out, "\"\\u0001\\u001f\\t\u{7f}é/\"");
        let mut out = String::new();
        let big = serde_json::json!(9_007_199_254_740_993_i64);
        assert!(canonical_json(&big, &mut out).is_err());
        assert!(canonical_json(&serde_json::json!(1.5), &mut String::new()).is_err());
        assert!(body(&content(1, "[1]")).is_err(), "details are an object");
    }

    #[test]
    fn the_team_and_the_acting_persons_name_are_chained_in_the_details() {
        let with = ChainContent {
            team: Some("0192e4a0-0000-7000-8000-0000000000bb"),
            actor_name: Some("Ada Obi"),
            ..content(3, r#"{"revision":2}"#)
        };
        let b = body(&with).expect("canonical");
        assert!(
            b.contains(
                "\"details\":{\"actor_name\":\"Ada Obi\",\"revision\":2,\
                 \"team\":\"0192e4a0-0000-7000-8000-0000000000bb\"}"
            ),
            "{b}"
        );
        // Another team or another name is another digest.
        let moved = ChainContent {
            team: Some("0192e4a0-0000-7000-8000-0000000000cc"),
            ..with.clone()
        };
        assert_ne!(digest(&b), digest(&body(&moved).expect("body")));
        let renamed = ChainContent {
            actor_name: Some("Eve"),
            ..with.clone()
        };
        assert_ne!(digest(&b), digest(&body(&renamed).expect("body")));
        // A change may not record what the chain adds: it would be ambiguous.
        let clash = ChainContent {
            details: r#"{"team":"x"}"#,
            ..with
        };
        assert!(body(&clash).expect_err("reserved").0.contains("team"));
        assert!(body(&content(3, r#"{"actor_name":"x"}"#)).is_err());
    }

    fn chain(n: i64) -> Vec<StoredLink> {
        let mut previous = GENESIS;
        (1..=n)
            .map(|seq| {
                let b = body(&content(seq, "{}")).expect("body");
                let d = digest(&b);
                let h = link(&previous, &d);
                previous = h;
                StoredLink {
                    seq,
                    body: Some(Ok(b)),
                    digest: hex(&d),
                    hash: hex(&h),
                }
            })
            .collect()
    }

    fn verify(events: &[StoredLink], anchor: Option<Anchor>) -> Result<Verified, Break> {
        let mut v = Verifier::new(1, GENESIS);
        if let Some(a) = anchor {
            v = v.with_anchor(a);
        }
        for e in events {
            v.check(e)?;
        }
        v.finish()
    }

    #[test]
    fn an_intact_chain_verifies_and_names_its_head() {
        let events = chain(5);
        let done = verify(&events, None).expect("intact");
        assert_eq!(done.events, 5);
        let head = done.head.expect("head");
        assert_eq!(head.seq, 5);
        assert_eq!(hex(&head.hash), events[4].hash);
        assert_eq!(Anchor::parse(&head.to_string()), Some(head));
        assert_eq!(verify(&[], None).expect("empty").head, None);
    }

    #[test]
    fn edits_deletions_reordering_cut_tails_and_recomputed_chains_are_named() {
        let mut edited = chain(5);
        edited[2].body = Some(body(&content(3, r#"{"x":1}"#)));
        let b = verify(&edited, None).expect_err("edited");
        assert_eq!(b.seq, 3);
        assert!(b.reason.contains("changed"), "{b}");

        let mut deleted = chain(5);
        deleted.remove(2);
        let b = verify(&deleted, None).expect_err("deleted");
        assert_eq!(b.seq, 3);
        assert!(b.reason.contains("missing"), "{b}");

        let mut swapped = chain(5);
        swapped.swap(1, 2);
        assert_eq!(verify(&swapped, None).expect_err("reordered").seq, 2);

        // A digest-only event (outside the reader's scope) still links.
        let mut partial = chain(5);
        partial[1].body = None;
        assert_eq!(verify(&partial, None).expect("links").events, 5);

        let full = chain(5);
        let anchor = Anchor {
            seq: 5,
            hash: unhex(&full[4].hash).expect("hex"),
        };
        let b = verify(&full[..3], Some(anchor)).expect_err("cut");
        assert!(b.reason.contains("cut off"), "{b}");
        // Recomputing every digest and hash after an edit holds together, but not with the
        // anchor taken before.
        let mut recomputed = chain(5);
        let mut previous = GENESIS;
        for e in &mut recomputed {
            let b = body(&content(
                e.seq,
                if e.seq == 2 { r#"{"y":2}"# } else { "{}" },
            ))
            .expect("body");
            let d = digest(&b);
            previous = link(&previous, &d);
            *e = StoredLink {
                seq: e.seq,
                body: Some(Ok(b)),
                digest: hex(&d),
                hash: hex(&previous),
            };
        }
        assert!(verify(&recomputed, None).is_ok());
        // An extract checks an anchor at the hash it starts from, and refuses an earlier one.
        let walk = |anchor: Anchor| {
            let mut v = Verifier::new(4, unhex(&full[2].hash).expect("hex")).with_anchor(anchor);
            full[3..].iter().try_for_each(|e| v.check(e))?;
            v.finish()
        };
        let at = |i: usize, seq: i64| Anchor {
            seq,
            hash: unhex(&full[i].hash).expect("hex"),
        };
        assert!(walk(at(2, 3)).is_ok(), "the anchor just before the extract");
        assert!(walk(at(1, 3))
            .expect_err("other hash")
            .reason
            .contains("before"));
        let early = walk(at(0, 1)).expect_err("not covered");
        assert!(early.reason.contains("cannot be checked"), "{early}");
        let b = verify(&recomputed, Some(anchor)).expect_err("recomputed");
        assert_eq!(b.seq, 5);
        assert!(b.reason.contains("recomputed"), "{b}");
    }
}
