//! Server functions, one file per resource: who is asking → may they → domain/store → DTO.

#[cfg(feature = "ssr")]
pub mod context;
pub mod flash;
pub mod phase;
pub mod workload_edit;
pub mod workloads;
