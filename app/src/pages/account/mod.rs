//! The person's own account: signing in and choosing a password.

mod login_page;
mod password_page;
pub use login_page::LoginPage;
pub use password_page::PasswordPage;
