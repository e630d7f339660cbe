//! The review queue: submissions awaiting a security lead's decision, oldest first.

mod review_page;
pub use review_page::ReviewPage;
