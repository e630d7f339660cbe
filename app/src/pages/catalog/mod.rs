//! The control catalog.

mod catalog_page;
mod control_row;
pub use catalog_page::CatalogPage;
