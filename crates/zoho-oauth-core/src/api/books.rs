//! Zoho Books' organizations call by itself, for code that only ever deals with Books
//! (the vault records its outcome as the last test call).

use super::{ApiClient, Organization, TestCall};
use crate::error::Result;
use crate::token::{TokenClient, Tokens};

/// Calls Zoho Books with a connection's tokens; [`ApiClient`] does the same for every
/// product.
#[derive(Clone, Debug)]
pub struct BooksClient {
    api: ApiClient,
}

impl BooksClient {
    /// A Books client sharing `tokens`' connections, time limits and environment.
    pub fn new(tokens: &TokenClient) -> Self {
        Self {
            api: ApiClient::new(tokens),
        }
    }

    /// `GET {api_domain}/books/v3/organizations`: [`ApiClient::organizations`] for
    /// [`TestCall::Books`].
    ///
    /// # Errors
    /// As [`ApiClient::organizations`]; a missing scope names
    /// [`BOOKS_SETTINGS_READ`](super::BOOKS_SETTINGS_READ).
    pub async fn organizations(&self, tokens: &Tokens) -> Result<Vec<Organization>> {
        self.api.organizations(TestCall::Books, tokens).await
    }
}
