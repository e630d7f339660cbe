//! Server functions, one file per resource: thin adapters that decode, call the use case in
//! `service/` through `context::call`, and answer with a DTO or a flash and redirect.

pub mod accounts;
pub mod admin;
pub mod attest;
pub mod audit;
pub mod catalog;
#[cfg(feature = "ssr")]
pub mod context;
pub mod flash;
pub mod guards;
pub mod phase;
pub mod review;
pub mod second_factor;
pub mod workload_edit;
pub mod workloads;
