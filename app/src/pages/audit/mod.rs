//! The audit log: the chain's head to record, a verification of the whole chain run in the
//! background (the page follows it, refreshing itself while it runs), filters, events newest
//! first page by page, and the JSON Lines extract of a time range.

mod audit_page;
pub use audit_page::AuditPage;
