//! Signed checkpoints of the audit chain: the head (sequence and hash) at a moment, signed with
//! the server's Ed25519 key, which lives in a file (`STRATA_SIGNING_KEY_FILE`, or generated
//! into the data folder with mode 0600 on first use) and never in the database. Someone who can
//! rewrite the database cannot make a checkpoint for the rewritten chain, so `strata audit
//! verify --checkpoint FILE` finds a cut-off tail or a recomputed chain against one taken
//! earlier. The server writes one a day into `checkpoints/` of the data folder.

use app::domain::audit_chain::{canonical_json, hex, unhex, Anchor};
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

    /// The anchor a checkpoint vouches for, once its signature holds and it was made with
    /// `expected` (the server's key): a checkpoint signed with any other key proves nothing.
    pub fn verify(&self, expected: &VerifyingKey) -> Result<Anchor, String> {
        let key = unhex(&self.public_key).ok_or("its public key is not 64 hex digits")?;
        if key != expected.to_bytes() {
            return Err(format!(
                "it was signed with key {}, not this server's key {}",
                fingerprint_of(&key),
                fingerprint(expected)
            ));
        }
        let bytes = unhex64(&self.signature).ok_or("its signature is not 128 hex digits")?;
        let signature = Signature::from_bytes(&bytes);
        let message = signed_bytes(self.seq, &self.hash, &self.time, &self.public_key)?;
        expected
            .verify_strict(message.as_bytes(), &signature)
            .map_err(|_| "its signature does not match its content".to_string())?;
        let hash = unhex(&self.hash).ok_or("its hash is not 64 hex digits")?;
        Ok(Anchor {
            seq: self.seq,
            hash,
        })
    }
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

/// Where the key lives: `STRATA_SIGNING_KEY_FILE`, else the data folder.
pub fn key_path(configured: Option<&Path>, data_dir: &Path) -> PathBuf {
    configured.map_or_else(|| data_dir.join("audit-signing.key"), Path::to_path_buf)
}

/// The signing key in `path` (its 32-byte seed as hex), created with mode 0600 when missing.
pub fn load_or_create_key(path: &Path) -> Result<SigningKey, String> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let seed = unhex(text.trim())
                .ok_or_else(|| format!("{} does not hold a signing key", path.display()))?;
            Ok(SigningKey::from_bytes(&seed))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => create_key(path),
        Err(e) => Err(format!("cannot read {}: {e}", path.display())),
    }
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

/// Writes today's checkpoint into `dir` (`YYYY-MM-DD.json`) unless one is there already.
pub fn write_daily(dir: &Path, checkpoint: &Checkpoint) -> Result<Option<PathBuf>, String> {
    let day = checkpoint.time.get(..10).unwrap_or("undated");
    let path = dir.join(format!("{day}.json"));
    if path.exists() {
        return Ok(None);
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let text = serde_json::to_string(checkpoint).map_err(|e| e.to_string())?;
    std::fs::write(&path, text + "\n")
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(Some(path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(n: u8) -> SigningKey {
        SigningKey::from_bytes(&[n; 32])
    }

    #[test]
    fn a_checkpoint_verifies_with_its_key_only_and_not_once_changed() {
        let hash = "ab".repeat(32);
        let c = Checkpoint::sign(&key(1), 42, &hash, chrono::Utc::now()).expect("sign");
        let anchor = c.verify(&key(1).verifying_key()).expect("holds");
        assert_eq!((anchor.seq, hex(&anchor.hash)), (42, hash.clone()));
        let other = c.verify(&key(2).verifying_key()).expect_err("another key");
        assert!(other.contains("not this server's key"), "{other}");
        let moved = Checkpoint {
            seq: 41,
            ..c.clone()
        };
        assert!(moved.verify(&key(1).verifying_key()).is_err());
        let rehashed = Checkpoint {
            hash: "cd".repeat(32),
            ..c
        };
        assert!(rehashed
            .verify(&key(1).verifying_key())
            .expect_err("changed")
            .contains("does not match"));
    }

    #[test]
    fn the_key_is_created_once_with_mode_0600_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let path = key_path(None, dir.path());
        let first = load_or_create_key(&path).expect("created");
        let again = load_or_create_key(&path).expect("read");
        assert_eq!(first.to_bytes(), again.to_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(fingerprint(&first.verifying_key()).starts_with("SHA256:"));
    }
}
