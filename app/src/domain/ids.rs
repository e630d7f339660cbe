//! Newtype ids. The server generates them (UUIDv7 text); the domain only carries them, so
//! nothing that needs a random source reaches the wasm build.

/// Longest id we accept (ours are UUIDs: 36 characters).
pub const ID_MAX: usize = 64;

/// True when `text` has the shape of an id of ours: 1 to `ID_MAX` ASCII letters, digits, `-`
/// or `_`. Text of any other shape names nothing, so it is answered as unknown without asking
/// the store (which on PostgreSQL cannot even compare text holding NUL).
pub fn is_id_shaped(text: &str) -> bool {
    (1..=ID_MAX).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

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

            /// The id written in `text` (an address, an argument, a form field); None when
            /// `text` is not shaped like one of our ids.
            pub fn parse(text: &str) -> Option<Self> {
                is_id_shaped(text).then(|| Self(text.to_string()))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_id_shaped_text_is_an_id() {
        let ours = "019a7c3e-5b2f-7d10-8c4e-0f1a2b3c4d5e";
        assert_eq!(WorkloadId::parse(ours), Some(WorkloadId(ours.into())));
        let long = "a".repeat(ID_MAX + 1);
        for bad in ["", "a\0b", "../etc", "a b", "%00", "ünï", long.as_str()] {
            assert_eq!(TeamId::parse(bad), None, "{bad:?}");
        }
    }
}
