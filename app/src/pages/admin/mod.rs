//! Administration: people and their roles.

mod people_page;
mod person_page;
mod role_choices;
pub use people_page::PeoplePage;
pub use person_page::PersonPage;
