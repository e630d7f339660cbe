//! Types and rules of the product (design §2–3). Pure: no I/O, no leptos, no sqlx; compiles for
//! wasm and native, so the browser and the server validate with the same code.

pub mod applicability;
pub mod as_of;
pub mod attestation;
pub mod attestation_form;
pub mod attribute_fields;
pub mod attributes;
pub mod audit;
#[cfg(feature = "ssr")]
pub mod audit_chain;
pub mod catalog;
pub mod codes;
pub mod condition;
pub mod coverage;
pub mod field_errors;
pub mod history;
pub mod ids;
pub mod layer;
pub mod listing;
pub mod next_page;
pub mod password;
pub mod phase;
pub mod policy;
pub mod principal;
pub mod requirement_state;
pub mod text;
pub mod workload;
pub mod workload_form;

pub use attributes::Attributes;
pub use field_errors::FieldErrors;
pub use ids::{CatalogVersionId, TeamId, UserId, WorkloadId};
pub use layer::Layer;
pub use phase::Phase;
pub use principal::{Person, Principal};
