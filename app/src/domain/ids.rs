//! Newtype ids. The server generates them (UUIDv7 text); the domain only carries them, so
//! nothing that needs a random source reaches the wasm build.

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            /// The id as text, as stored and put in URLs.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// Identifies a team.
    TeamId
);
id_type!(
    /// Identifies a user.
    UserId
);
id_type!(
    /// Identifies a workload across all its versions.
    WorkloadId
);
id_type!(
    /// Identifies one recorded version of the control catalog.
    CatalogVersionId
);
