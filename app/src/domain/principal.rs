//! Who is asking: the caller every use case and every write is made on behalf of. Today the web
//! caller is anonymous; accounts add signed-in people and API tokens as further variants.

use serde::{Deserialize, Serialize};

/// The caller of a use case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Principal {
    /// Someone using the web pages; nobody signs in yet.
    AnonymousWeb,
    /// A task of the server itself (the demo seed, a command-line task), by name.
    System(String),
}

impl Principal {
    /// The demo seed.
    pub fn demo_seed() -> Self {
        Principal::System("demo seed".into())
    }

    /// How changes by this caller are recorded in history.
    pub fn actor_label(&self) -> &str {
        match self {
            Principal::AnonymousWeb => "web (no sign-in yet)",
            Principal::System(name) => name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_caller_is_recorded_under_its_own_label() {
        assert_eq!(
            Principal::AnonymousWeb.actor_label(),
            "web (no sign-in yet)"
        );
        assert_eq!(Principal::demo_seed().actor_label(), "demo seed");
    }
}
