//! `AppState`: what every request can reach. Leptos pages and server functions get the store
//! through context, provided in one place (`provide`).

use crate::config::Config;
use crate::db::Db;
use app::ports::{SharedHasher, SharedStore};
use app::service::sessions::SessionRules;
use leptos::prelude::*;
use std::sync::Arc;

/// Shared, cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub db: Db,
    pub store: SharedStore,
    pub leptos_options: LeptosOptions,
    /// The browser bundle's version, in the path pages name it by (`assets.rs`).
    pub asset_version: String,
    /// Argon2id, with a cap on how many hashes run at once.
    pub hasher: SharedHasher,
    pub session_rules: SessionRules,
    /// The fingerprint of the key that signs audit checkpoints (`serve` sets it).
    pub signing_fingerprint: Option<String>,
    /// Where the signed daily checkpoints are (`serve` sets it).
    pub checkpoints_dir: Option<std::path::PathBuf>,
}

impl AppState {
    /// Builds the state for a connected database.
    pub fn new(config: Config, db: Db) -> Self {
        let asset_version = crate::assets::version(&config.site_root);
        let leptos_options = LeptosOptions::builder()
            .output_name("strata")
            .site_root(config.site_root.to_string_lossy().to_string())
            .site_pkg_dir(crate::assets::pkg_dir(&asset_version))
            .site_addr(config.addr)
            .build();
        let store: SharedStore = Arc::new(db.clone());
        // 19 MiB and tens of milliseconds of CPU each: as many at once as there are cores.
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        let hasher: SharedHasher = Arc::new(crate::passwords::Passwords::new(cores));
        let session_rules = SessionRules {
            idle_seconds: config.session_idle.as_secs() as i64,
            absolute_seconds: config.session_absolute.as_secs() as i64,
            demo_passwords: config.demo_passwords_allowed(),
        };
        AppState {
            hasher,
            signing_fingerprint: None,
            checkpoints_dir: None,
            session_rules,
            config: Arc::new(config),
            db,
            store,
            leptos_options,
            asset_version,
        }
    }

    /// Signs audit checkpoints with `key` into `dir`: the audit page shows the key's
    /// fingerprint and checks the chain against the checkpoints there.
    pub fn with_checkpoints(
        mut self,
        key: &ed25519_dalek::SigningKey,
        dir: std::path::PathBuf,
    ) -> Self {
        self.signing_fingerprint = Some(crate::checkpoint::fingerprint(&key.verifying_key()));
        self.checkpoints_dir = Some(dir);
        self
    }

    /// Provides what server functions and pages read from context.
    pub fn provide(&self) {
        provide_context(self.store.clone());
        provide_context(self.hasher.clone());
        provide_context(self.session_rules.clone());
        if let Some(f) = &self.signing_fingerprint {
            provide_context(app::api::context::SigningKeyFingerprint(f.clone()));
            if let Some(dir) = &self.checkpoints_dir {
                let (dir, f) = (dir.clone(), f.clone());
                provide_context(app::api::context::CheckpointAnchors(Arc::new(move || {
                    crate::checkpoint::daily_anchors(&dir, &f)
                })));
            }
        }
    }
}

impl axum::extract::FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
