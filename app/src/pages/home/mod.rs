//! The overview page.

mod home_page;
pub use home_page::HomePage;
