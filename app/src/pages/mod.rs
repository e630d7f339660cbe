//! Pages, one folder per area, one `*Page` component per file.

pub mod account;
pub mod admin;
pub mod audit;
pub mod catalog;
pub mod home;
pub mod review;
pub mod workloads;
