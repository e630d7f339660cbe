//! Server functions, one file per resource: who is asking → may they → domain/store → DTO.

pub mod catalog;
#[cfg(feature = "ssr")]
pub mod context;
pub mod flash;
pub mod phase;
#[cfg(feature = "ssr")]
mod requirements;
pub mod workload_edit;
pub mod workloads;
