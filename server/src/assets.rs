//! The browser bundle under a versioned path: `/pkg/<version>/strata.{js,wasm,css}`, where the
//! version is a hash of the bundle's files (and their compressed copies). A page names the
//! version it was rendered with, so those files can be cached as immutable, and a new build is
//! fetched at once because its path is new. Files are served precompressed (`.br`, `.gz`, made
//! by `.ci/build.sh`) when the client accepts it: compressing the wasm per download took
//! seconds. Unversioned `/pkg/…` paths still answer (the error page's stylesheet), with the
//! ordinary caching of static files.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{from_fn_with_state, Next};
use axum::response::Response;
use axum::Router;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;
use tower_http::services::ServeDir;

/// The files of the bundle.
pub const BUNDLE: [&str; 3] = ["strata.js", "strata.wasm", "strata.css"];

/// Each file as built, and its compressed copies.
const COPIES: [&str; 3] = ["", ".br", ".gz"];

/// The version when a bundle file is missing: nothing is then cached as immutable.
const UNBUILT: &str = "unbuilt";

/// A year, never revalidated: the path changes whenever the content does.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// Length and modification time of every file the version covers, as seen at start. Checked
/// again on each answer: files rebuilt under a running server are not what its version names,
/// so they are not cached as immutable under it.
#[derive(Debug, PartialEq, Eq)]
struct Fingerprint(Vec<Option<(u64, SystemTime)>>);

fn fingerprint(pkg: &Path) -> Fingerprint {
    Fingerprint(
        BUNDLE
            .iter()
            .flat_map(|f| COPIES.iter().map(move |c| format!("{f}{c}")))
            .map(|name| {
                let meta = std::fs::metadata(pkg.join(name)).ok()?;
                Some((meta.len(), meta.modified().ok()?))
            })
            .collect(),
    )
}

/// The version of the bundle in `site_root/pkg`: 16 hex digits of a SHA-256 over its files and
/// their compressed copies, or "unbuilt" when a bundle file is missing.
pub fn version(site_root: &Path) -> String {
    let pkg = site_root.join("pkg");
    let mut hash = Sha256::new();
    for file in BUNDLE {
        for copy in COPIES {
            match std::fs::read(pkg.join(format!("{file}{copy}"))) {
                Ok(bytes) => {
                    hash.update((bytes.len() as u64).to_le_bytes());
                    hash.update(&bytes);
                }
                Err(_) if !copy.is_empty() => hash.update(b"-"),
                Err(_) => return UNBUILT.into(),
            }
        }
    }
    hash.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `pkg/<version>`: the folder pages name their scripts, wasm and stylesheet in.
pub fn pkg_dir(version: &str) -> String {
    format!("pkg/{version}")
}

/// What the caching decision needs.
struct Served {
    pkg: PathBuf,
    at_start: Option<Fingerprint>,
}

/// Serves `site_root/pkg` at `/pkg/<version>`, precompressed and cached as immutable.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path, version: &str) -> Router<S> {
    let pkg = site_root.join("pkg");
    let files = ServeDir::new(&pkg).precompressed_br().precompressed_gzip();
    // The files are what `version` names only if hashing them again gives it and nothing
    // changed meanwhile (a build finishing as the server starts).
    let before = fingerprint(&pkg);
    let same = version != UNBUILT && self::version(site_root) == version;
    let after = fingerprint(&pkg);
    let served = Arc::new(Served {
        at_start: (same && before == after).then_some(after),
        pkg,
    });
    Router::new()
        .nest_service(&format!("/{}", pkg_dir(version)), files)
        .layer(from_fn_with_state(served, caching))
}

/// Found files (and 304s for them) vary by the encoding asked for, and are immutable while
/// they are what the version names; a 404 must not outlive the next build.
async fn caching(State(served): State<Arc<Served>>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if !(res.status().is_success() || res.status() == StatusCode::NOT_MODIFIED) {
        return res;
    }
    let unchanged = match &served.at_start {
        Some(at_start) => {
            let pkg = served.pkg.clone();
            tokio::task::spawn_blocking(move || fingerprint(&pkg))
                .await
                .is_ok_and(|now| now == *at_start)
        }
        None => false,
    };
    let h = res.headers_mut();
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(if unchanged { IMMUTABLE } else { "no-cache" }),
    );
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_contents_and_their_compressed_copies() {
        let dir = tempfile::tempdir().expect("dir");
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(&pkg).expect("pkg");
        assert_eq!(version(dir.path()), UNBUILT);
        for f in BUNDLE {
            std::fs::write(pkg.join(f), f).expect("write");
        }
        let first = version(dir.path());
        assert_eq!(first.len(), 16);
        assert_eq!(version(dir.path()), first, "stable");
        std::fs::write(pkg.join("strata.css"), "changed").expect("write");
        let second = version(dir.path());
        assert_ne!(second, first, "a changed file is a new version");
        std::fs::write(pkg.join("strata.wasm.gz"), "stale").expect("write");
        assert_ne!(
            version(dir.path()),
            second,
            "so is a changed compressed copy"
        );
        let at_start = fingerprint(&pkg);
        assert_eq!(fingerprint(&pkg), at_start);
        std::fs::write(pkg.join("strata.js"), "rebuilt, longer").expect("write");
        assert_ne!(fingerprint(&pkg), at_start, "a rebuild is seen");
    }
}
