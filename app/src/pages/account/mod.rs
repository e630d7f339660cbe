//! The person's own account: signing in (the password, then a code where they have a second
//! factor), choosing a password and setting up the second factor.

mod code_page;
mod login_page;
mod password_page;
mod second_factor_page;
pub use code_page::CodePage;
pub use login_page::LoginPage;
pub use password_page::PasswordPage;
pub use second_factor_page::SecondFactorPage;
