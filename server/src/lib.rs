//! The `strata` server: configuration, database, HTTP router and command-line tasks.

pub mod assets;
pub mod attest;
pub mod audit_export;
pub mod bench;
pub mod body_limit;
pub mod catalog;
pub mod charts;
pub mod checkpoint;
pub mod cli;
pub mod client_address;
pub mod config;
pub mod db;
pub mod demo;
pub mod headers;
pub mod hosts;
pub mod http_error;
pub mod identity;
pub mod passwords;
pub mod router;
pub mod security;
pub mod sessions;
pub mod state;
pub mod time_limit;
