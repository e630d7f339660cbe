//! The `strata` server: configuration, database, HTTP router and command-line tasks.

pub mod catalog;
pub mod charts;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod router;
pub mod security;
pub mod state;
