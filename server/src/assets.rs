//! The browser bundle under a versioned path: `/pkg/<version>/strata.{js,wasm,css}`, where the
//! version is a hash of the bundle's contents. A page names the version it was rendered with,
//! so those files can be cached as immutable, and a new build is fetched at once because its
//! path is new. Files are served precompressed (`.br`, `.gz`, made by `.ci/build.sh`) when the
//! client accepts it: compressing the wasm per download took seconds. Unversioned `/pkg/…`
//! paths still answer (the error page's stylesheet), revalidated on every use.

use axum::http::{header, HeaderValue};
use axum::middleware::map_response;
use axum::response::Response;
use axum::Router;
use sha2::{Digest, Sha256};
use std::path::Path;
use tower_http::services::ServeDir;

/// The files whose contents make the version.
const BUNDLE: [&str; 3] = ["strata.js", "strata.wasm", "strata.css"];

/// A year, never revalidated: the path changes whenever the content does.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The version of the bundle in `site_root/pkg`: 16 hex digits of a SHA-256 over its files, or
/// "unbuilt" when a file is missing (the pages then name files that do not exist, as before a
/// build).
pub fn version(site_root: &Path) -> String {
    let mut hash = Sha256::new();
    for file in BUNDLE {
        match std::fs::read(site_root.join("pkg").join(file)) {
            Ok(bytes) => {
                hash.update((bytes.len() as u64).to_le_bytes());
                hash.update(&bytes);
            }
            Err(_) => return "unbuilt".into(),
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

/// Serves `site_root/pkg` at `/pkg/<version>`, precompressed and cached as immutable.
pub fn routes<S: Clone + Send + Sync + 'static>(site_root: &Path, version: &str) -> Router<S> {
    let files = ServeDir::new(site_root.join("pkg"))
        .precompressed_br()
        .precompressed_gzip();
    Router::new()
        .nest_service(&format!("/{}", pkg_dir(version)), files)
        .layer(map_response(immutable_when_found))
}

/// Only a file that was found is cached; a 404 must not outlive the next build.
async fn immutable_when_found(mut res: Response) -> Response {
    if res.status().is_success() {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_follows_the_contents() {
        let dir = tempfile::tempdir().expect("dir");
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(&pkg).expect("pkg");
        assert_eq!(version(dir.path()), "unbuilt");
        for f in BUNDLE {
            std::fs::write(pkg.join(f), f).expect("write");
        }
        let first = version(dir.path());
        assert_eq!(first.len(), 16);
        assert_eq!(version(dir.path()), first, "stable");
        std::fs::write(pkg.join("strata.css"), "changed").expect("write");
        assert_ne!(
            version(dir.path()),
            first,
            "a changed file is a new version"
        );
    }
}
