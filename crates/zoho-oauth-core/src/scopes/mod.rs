//! What a connection is allowed to do in Zoho, said two ways: as the scope strings Zoho
//! expects (`ZohoBooks.invoices.READ`) and as words an accountant understands ("See
//! invoices").
//!
//! A mistyped or missing scope is only discovered by Zoho at the consent page or on
//! the first API call, so everything here exists to catch it earlier:
//! - [`catalog`]: the products and their scopes, spelled exactly as each product
//!   documents them, with plain-language labels, danger flags and presets for common
//!   jobs, serializable for the UI;
//! - [`validate`] and [`scope_string`]: check a typed or selected list and produce the
//!   comma-joined string to send, with a fix and a "did you mean" for each problem;
//! - [`explain`]: turn a saved or returned scope string back into words;
//! - [`Product::grants_connection_test`] and [`grants`]: whether the scopes let the
//!   call that proves a connection works (a product's organizations list, or who is
//!   connected) succeed.

mod catalog;
mod explain;
mod model;
mod parse;
mod presets;
mod repair;
mod similarity;
mod validate;

pub use catalog::{catalog, common_scopes, find_scope, product, products, Catalog};
pub use explain::{explain, ExplainedScope};
pub use model::{grants, ConnectionTest, Operation, Preset, Product, Scope, ScopeGroup};
pub use validate::{scope_string, validate, Finding, FindingKind, InvalidScopes, ValidScopes};
