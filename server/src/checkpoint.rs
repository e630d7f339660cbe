//! Signed checkpoints of the audit chain: the head (sequence and hash) at a moment, signed with
//! the server's Ed25519 key, which lives in a file (`STRATA_SIGNING_KEY_FILE`, or generated
//! into the data folder with mode 0600 on first use) and never in the database. Someone who can
//! rewrite the database cannot make a checkpoint for the rewritten chain, so `strata audit
//! verify --checkpoint FILE` finds a cut-off tail or a recomputed chain against one taken
//! earlier. A checkpoint is signed only for a chain that verifies (against the newest one
//! before it, too), so a rewritten chain is never vouched for. The server writes one a day
//! into `checkpoints/` of the data folder.

use app::domain::audit_chain::{canonical_json, hex, unhex, Anchor, Break};
use app::domain::Principal;
use app::ports::Store;
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// A signed head of the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub seq: i64,
    /// The hash of event `seq`, lowercase hex.
    pub hash: String,
    /// When it was taken (RFC 3339, UTC).
    pub time: String,
    /// The signing key's public half, lowercase hex.
    pub public_key: String,
    /// Ed25519 over the RFC 8785 JSON of `{hash, public_key, seq, time}`, lowercase hex.
    pub signature: String,
}

/// What a checkpoint signs.
fn signed_bytes(seq: i64, hash: &str, time: &str, public_key: &str) -> Result<String, String> {
    let value = serde_json::json!({
        "seq": seq, "hash": hash, "time": time, "public_key": public_key,
    });
    let mut out = String::new();
    canonical_json(&value, &mut out).map_err(|e| e.0)?;
    Ok(out)
}

impl Checkpoint {
    /// Signs the head `seq`:`hash` at `now`.
    pub fn sign(
        key: &SigningKey,
        seq: i64,
        hash: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> Result<Checkpoint, String> {
        let time = now.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string();
        let public_key = hex(&key.verifying_key().to_bytes());
        let message = signed_bytes(seq, hash, &time, &public_key)?;
        let signature = key.sign(message.as_bytes());
        Ok(Checkpoint {
            seq,
            hash: hash.to_string(),
            time,
            public_key,
            signature: signature
                .to_bytes()
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect(),
        })
    }

    /// The anchor a checkpoint vouches for, once it was signed by the key people trust —
    /// `trusted` is its fingerprint (as the audit page and `strata audit head` show it) — and
    /// its signature holds. The key inside the checkpoint alone proves nothing: anyone can
    /// sign a checkpoint of a rewritten chain with a key of their own.
    pub fn verify(&self, trusted: &str) -> Result<Anchor, String> {
        let key = unhex(&self.public_key).ok_or("its public key is not 64 hex digits")?;
        let signer = fingerprint_of(&key);
        if !same_fingerprint(&signer, trusted) {
            return Err(format!(
                "it was signed with key {signer}, not the trusted key {}",
                trusted.trim()
            ));
        }
        let key = VerifyingKey::from_bytes(&key)
            .map_err(|_| "its public key is not an Ed25519 key".to_string())?;
        let bytes = unhex64(&self.signature).ok_or("its signature is not 128 hex digits")?;
        let signature = Signature::from_bytes(&bytes);
        let message = signed_bytes(self.seq, &self.hash, &self.time, &self.public_key)?;
        key.verify_strict(message.as_bytes(), &signature)
            .map_err(|_| "its signature does not match its content".to_string())?;
        let hash = unhex(&self.hash).ok_or("its hash is not 64 hex digits")?;
        Ok(Anchor {
            seq: self.seq,
            hash,
        })
    }
}

/// Fingerprints compare without regard to case or the `SHA256:` prefix.
fn same_fingerprint(a: &str, b: &str) -> bool {
    let bare = |f: &str| {
        let f = f.trim().to_ascii_lowercase();
        f.strip_prefix("sha256:").map_or(f.clone(), str::to_string)
    };
    bare(a) == bare(b)
}

fn unhex64(text: &str) -> Option<[u8; 64]> {
    let (a, b) = (text.get(..64)?, text.get(64..)?);
    let (a, b) = (unhex(a)?, unhex(b)?);
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&a);
    out[32..].copy_from_slice(&b);
    Some(out)
}

/// How people compare keys: `SHA256:` and the first 16 bytes of the public key's SHA-256, hex.
pub fn fingerprint(key: &VerifyingKey) -> String {
    fingerprint_of(&key.to_bytes())
}

fn fingerprint_of(public_key: &[u8; 32]) -> String {
    let digest = Sha256::digest(public_key);
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("SHA256:{hex}")
}

/// The default key file in the data folder.
const DEFAULT_KEY_FILE: &str = "audit-signing.key";

/// The key that signs checkpoints: `STRATA_SIGNING_KEY_FILE`, which must exist (a key someone
/// configured and lost is not silently replaced), else the data folder's, created with mode
/// 0600 when missing.
pub fn signing_key(configured: Option<&Path>, data_dir: &Path) -> Result<SigningKey, String> {
    match configured {
        Some(path) => read_key(path)?.ok_or_else(|| {
            format!(
                "STRATA_SIGNING_KEY_FILE names {}, which does not exist (to make a key: start \
                 Strata once without it and move the data folder's {DEFAULT_KEY_FILE} there)",
                path.display()
            )
        }),
        None => {
            let path = data_dir.join(DEFAULT_KEY_FILE);
            match read_key(&path)? {
                Some(key) => Ok(key),
                None => create_key(&path),
            }
        }
    }
}

/// The signing key's public half if there is a key already (never creates one): what `audit
/// verify --checkpoint` trusts when no fingerprint is given.
pub fn existing_key(
    configured: Option<&Path>,
    data_dir: &Path,
) -> Result<Option<VerifyingKey>, String> {
    let path = configured.map_or_else(|| data_dir.join(DEFAULT_KEY_FILE), Path::to_path_buf);
    Ok(read_key(&path)?.map(|k| k.verifying_key()))
}

/// The key in `path` (its 32-byte seed as hex); `None` when there is no such file. A key that
/// others may read is refused: whoever reads it can sign checkpoints of a rewritten chain.
fn read_key(path: &Path) -> Result<Option<SigningKey>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            return Err(format!(
                "{} may be read by others (mode {:o}); make it private: chmod 600 {}",
                path.display(),
                mode & 0o777,
                path.display()
            ));
        }
    }
    let seed = unhex(text.trim())
        .ok_or_else(|| format!("{} does not hold a signing key", path.display()))?;
    Ok(Some(SigningKey::from_bytes(&seed)))
}

fn create_key(path: &Path) -> Result<SigningKey, String> {
    use std::io::Write;
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|e| format!("no randomness for a signing key: {e}"))?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    writeln!(file, "{}", hex(&seed))
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    tracing::info!(path = %path.display(), "created the audit signing key");
    Ok(SigningKey::from_bytes(&seed))
}

/// Reads a checkpoint file (as `strata audit head` writes it).
pub fn read(path: &Path) -> Result<Checkpoint, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    serde_json::from_str(text.trim())
        .map_err(|e| format!("{} is not a checkpoint: {e}", path.display()))
}

/// Why no checkpoint was signed.
#[derive(Debug)]
pub enum NotSigned {
    /// The chain does not hold: nothing to vouch for.
    Broken(Break),
    /// The chain could not be read, or the checkpoint not made.
    Failed(String),
}

impl std::fmt::Display for NotSigned {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotSigned::Broken(b) => write!(f, "the audit chain is BROKEN at {b}"),
            NotSigned::Failed(why) => f.write_str(why),
        }
    }
}

/// Verifies the whole chain — also against every daily checkpoint in `dir` that `key` signed
/// — and signs the head it ends at (sequence 0 and the genesis for an empty chain).
pub async fn sign_verified_head(
    store: &dyn Store,
    key: &SigningKey,
    dir: &Path,
) -> Result<Checkpoint, NotSigned> {
    let anchors = daily_anchors(dir, &fingerprint(&key.verifying_key()));
    let checker = Principal::System("strata audit checkpoint".into());
    let verified = app::service::audit::verify_chain(store, &checker, &anchors, |_| ())
        .await
        .map_err(|e| NotSigned::Failed(e.to_string()))?
        .map_err(|b| {
            NotSigned::Broken(Break {
                reason: format!("{} (checked against {})", b.reason, dir.display()),
                ..b
            })
        })?;
    let (seq, hash) = verified
        .head
        .map_or((0, hex(&[0; 32])), |h| (h.seq, hex(&h.hash)));
    Checkpoint::sign(key, seq, &hash, chrono::Utc::now()).map_err(NotSigned::Failed)
}

/// The anchors of the daily checkpoints in `dir` (`YYYY-MM-DD.json`) signed by the key of
/// fingerprint `trusted`: each is a head the chain must still reach. One that does not verify
/// is reported (someone changed it) and vouches for nothing.
pub fn daily_anchors(dir: &Path, trusted: &str) -> Vec<Anchor> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(is_daily_name)
        })
        .collect();
    files.sort();
    files
        .iter()
        .filter_map(|path| match read(path).and_then(|c| c.verify(trusted)) {
            Ok(anchor) => Some(anchor),
            Err(why) => {
                tracing::error!(path = %path.display(), %why, "audit checkpoint does not verify");
                None
            }
        })
        // The empty chain's checkpoint (sequence 0) anchors nothing.
        .filter(|a| a.seq >= 1)
        .collect()
}

/// `YYYY-MM-DD.json`.
fn is_daily_name(name: &str) -> bool {
    name.strip_suffix(".json").is_some_and(|day| {
        day.len() == 10 && chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok()
    })
}

/// Moves the checkpoints in `dir` aside (to `dir.before-<time>`) when the chain was chained
/// anew: they vouch for hashes it no longer has. Returns where they went, if anywhere.
pub fn set_aside(dir: &Path) -> Result<Option<PathBuf>, String> {
    let any = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if !any {
        return Ok(None);
    }
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
    let name = format!(
        "{}.before-{stamp}",
        dir.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("checkpoints")
    );
    let moved = dir.with_file_name(name);
    std::fs::rename(dir, &moved)
        .map_err(|e| format!("cannot move {} aside: {e}", dir.display()))?;
    Ok(Some(moved))
}

/// Where the daily checkpoint of `now`'s day goes: `YYYY-MM-DD.json` in `dir`.
pub fn daily_path(dir: &Path, now: chrono::DateTime<chrono::Utc>) -> PathBuf {
    dir.join(format!("{}.json", now.format("%Y-%m-%d")))
}

/// Writes `checkpoint` to `path` (a new file, synced, so a crash leaves it whole or absent).
pub fn write_daily(path: &Path, checkpoint: &Checkpoint) -> Result<(), String> {
    use std::io::Write;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let text = serde_json::to_string(checkpoint).map_err(|e| e.to_string())?;
    // A name of its own: servers sharing the folder may write the same day's at once.
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).map_err(|e| format!("no randomness: {e}"))?;
    let partial = path.with_extension(format!("json.{}.partial", u64::from_le_bytes(nonce)));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&partial)
        .map_err(|e| format!("cannot write {}: {e}", partial.display()))?;
    writeln!(file, "{text}")
        .and_then(|()| file.sync_all())
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    #[test]
    fn a_checkpoint_verifies_with_the_trusted_key_only_and_not_once_changed() {
        let hash = "ab".repeat(32);
        let c = Checkpoint::sign(&key(1), 42, &hash, chrono::Utc::now()).expect("sign");
        let trusted = fingerprint(&key(1).verifying_key());
        let anchor = c.verify(&trusted).expect("holds");
        assert_eq!((anchor.seq, hex(&anchor.hash)), (42, hash.clone()));
        // The fingerprint as people type it: without the prefix, in capitals.
        let bare = trusted.trim_start_matches("SHA256:").to_uppercase();
        assert!(c.verify(&bare).is_ok());
        let other = c
            .verify(&fingerprint(&key(2).verifying_key()))
            .expect_err("another key");
        assert!(other.contains("not the trusted key"), "{other}");
        // A checkpoint re-signed by someone else's key names that key.
        let forged = Checkpoint::sign(&key(2), 42, &hash, chrono::Utc::now()).expect("sign");
        assert!(forged.verify(&trusted).is_err());
        let moved = Checkpoint {
            seq: 41,
            ..c.clone()
        };
        assert!(moved.verify(&trusted).is_err());
        let rehashed = Checkpoint {
            hash: "cd".repeat(32),
            ..c
        };
        assert!(rehashed
            .verify(&trusted)
            .expect_err("changed")
            .contains("does not match"));
    }

    #[test]
    fn the_data_folders_key_is_created_once_with_mode_0600_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        assert!(existing_key(None, dir.path()).expect("read").is_none());
        assert!(
            existing_key(None, dir.path()).expect("read").is_none(),
            "looking does not create"
        );
        let first = signing_key(None, dir.path()).expect("created");
        let again = signing_key(None, dir.path()).expect("read");
        assert_eq!(first.to_bytes(), again.to_bytes());
        let path = dir.path().join(DEFAULT_KEY_FILE);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(
            existing_key(None, dir.path()).expect("read"),
            Some(first.verifying_key())
        );
        assert!(fingerprint(&first.verifying_key()).starts_with("SHA256:"));
    }

    #[test]
    fn daily_checkpoints_anchor_signing_and_a_changed_one_vouches_for_nothing() {
        let dir = tempfile::tempdir().expect("dir");
        let folder = dir.path().join("checkpoints");
        let trusted = fingerprint(&key(1).verifying_key());
        let at = |day: &str| {
            chrono::DateTime::parse_from_rfc3339(&format!("{day}T12:00:00Z"))
                .expect("time")
                .with_timezone(&chrono::Utc)
        };
        let sign = |k: u8, seq: i64, day: &str| {
            Checkpoint::sign(&key(k), seq, &"ab".repeat(32), at(day)).expect("sign")
        };
        let (first, second) = (sign(1, 5, "2026-12-01"), sign(1, 9, "2026-12-02"));
        write_daily(&daily_path(&folder, at("2026-12-01")), &first).expect("write");
        write_daily(&daily_path(&folder, at("2026-12-02")), &second).expect("write");
        // Another key's, a changed one and a file that is not a daily checkpoint: none count.
        let foreign = sign(2, 12, "2026-12-03");
        write_daily(&daily_path(&folder, at("2026-12-03")), &foreign).expect("write");
        let changed = Checkpoint {
            seq: 13,
            ..second.clone()
        };
        write_daily(&daily_path(&folder, at("2026-12-04")), &changed).expect("write");
        write_daily(&folder.join("manual.json"), &sign(1, 20, "2026-12-05")).expect("write");
        let anchors = daily_anchors(&folder, &trusted);
        assert_eq!(
            anchors.iter().map(|a| a.seq).collect::<Vec<_>>(),
            vec![5, 9]
        );
        let names: Vec<String> = std::fs::read_dir(&folder)
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().to_string())
            .collect();
        assert_eq!(names.len(), 5, "no temporary file is left: {names:?}");
        // The fingerprint as people type it.
        assert!(first.verify(&trusted.replace("SHA256:", "sha256:")).is_ok());
        let moved = set_aside(&folder).expect("moved").expect("somewhere");
        assert!(!folder.exists() && moved.join("2026-12-01.json").exists());
        assert_eq!(set_aside(&folder).expect("nothing to move"), None);
    }

    #[test]
    fn a_configured_key_must_exist_and_be_private() {
        let dir = tempfile::tempdir().expect("dir");
        let configured = dir.path().join("elsewhere.key");
        let missing = signing_key(Some(&configured), dir.path()).expect_err("missing");
        assert!(missing.contains("does not exist"), "{missing}");
        assert!(!configured.exists(), "not made up");
        std::fs::write(&configured, hex(&[7; 32])).expect("write");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let open = std::fs::Permissions::from_mode(0o644);
            std::fs::set_permissions(&configured, open).expect("chmod");
            let refused = signing_key(Some(&configured), dir.path()).expect_err("readable");
            assert!(refused.contains("chmod 600"), "{refused}");
            let private = std::fs::Permissions::from_mode(0o600);
            std::fs::set_permissions(&configured, private).expect("chmod");
        }
        let key = signing_key(Some(&configured), dir.path()).expect("read");
        assert_eq!(key.to_bytes(), [7; 32]);
    }
}
