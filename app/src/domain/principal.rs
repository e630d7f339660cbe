//! Who is asking: the caller every use case and every write is made on behalf of — a visitor
//! who has not signed in, a signed-in person with their grants, or a task of the server itself.

use super::policy::Grant;
use super::UserId;
use serde::{Deserialize, Serialize};

/// The caller of a use case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Principal {
    /// Someone using the web pages without having signed in.
    AnonymousWeb,
    /// A signed-in person, as their session was checked for this request.
    Person(Person),
    /// A task of the server itself (the demo seed, a command-line task), by name.
    System(String),
}

/// A signed-in person: who they are and the grants they hold right now (read on every request,
/// so a revoked role is gone at the next one).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub grants: Vec<Grant>,
    /// An admin set (or the server generated) their password: until they choose their own,
    /// they may only do that or sign out.
    pub must_change_password: bool,
    /// The organization requires a second factor of their role and they have none yet: until
    /// they set one up, they may only do that or sign out.
    pub must_enrol_second_factor: bool,
}

impl Principal {
    /// The demo seed.
    pub fn demo_seed() -> Self {
        Principal::System("demo seed".into())
    }

    /// How changes by this caller are recorded in history.
    pub fn actor_label(&self) -> &str {
        match self {
            Principal::AnonymousWeb => "web (not signed in)",
            Principal::Person(p) => &p.name,
            Principal::System(name) => name,
        }
    }

    /// The signed-in person, if this caller is one.
    pub fn person(&self) -> Option<&Person> {
        match self {
            Principal::Person(p) => Some(p),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_caller_is_recorded_under_its_own_label() {
        assert_eq!(Principal::AnonymousWeb.actor_label(), "web (not signed in)");
        assert_eq!(Principal::demo_seed().actor_label(), "demo seed");
        let ada = Principal::Person(Person {
            id: UserId("u1".into()),
            name: "Ada Lovelace".into(),
            email: "ada@example.org".into(),
            grants: Vec::new(),
            must_change_password: false,
            must_enrol_second_factor: false,
        });
        assert_eq!(ada.actor_label(), "Ada Lovelace");
        assert_eq!(ada.person().map(|p| p.id.as_str()), Some("u1"));
        assert_eq!(Principal::AnonymousWeb.person(), None);
    }
}
