//! One integration-test binary for the server: the store contract on SQLite and PostgreSQL,
//! and HTTP through the real router on both.

mod account_store;
mod attestation_store;
mod audit_chain;
mod audit_store;
mod catalog_golden;
mod catalog_store;
mod demo_history;
mod fuzz;
mod http;
mod http_accounts;
mod http_admin;
mod http_as_of;
mod http_attest;
mod http_attestations;
mod http_audit;
mod http_errors;
mod http_forms;
mod http_limits;
mod http_matrix;
mod http_scope;
mod http_second_factor;
mod http_sessions;
mod migrations;
mod second_factor_store;
mod store_contract;
mod support;
mod verification_store;
