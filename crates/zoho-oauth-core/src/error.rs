//! What every error of this crate can tell a person who has never heard of OAuth.
//!
//! The UI branches on [`UserFacing::kind`], never on message text, and shows
//! [`UserFacing::hint`] as the next step. No message or hint may contain a secret.

/// An error that can be shown to the user as `{ kind, message, hint }`.
pub trait UserFacing: std::error::Error {
    /// A stable machine-readable identifier, e.g. `"code_expired"`.
    fn kind(&self) -> &'static str;
    /// What the user should do next, in plain words.
    fn hint(&self) -> String;
}
