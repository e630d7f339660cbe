//! Administration: people and their roles.

mod people_page;
mod person_page;
mod role_choices;
mod teams_page;
pub use people_page::PeoplePage;
pub use person_page::PersonPage;
pub use teams_page::TeamsPage;
