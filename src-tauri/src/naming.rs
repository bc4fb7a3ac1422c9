//! What a connection made in the window becomes in the vault: the product's name, the
//! Zoho user its refresh tokens are counted for, and the name suggested for it
//! ("Morgan Bookkeeping LLC - Books").

use zoho_oauth_core::vault::{TokenOwner, MAX_NAME_CHARS};
use zoho_oauth_core::ZohoUser;

use crate::wizard::MadeConnection;

/// Refresh tokens are counted per Zoho user: the e-mail address when Zoho gave one,
/// else the user id.
pub(crate) fn zoho_user_key(user: Option<&ZohoUser>) -> Option<String> {
    let user = user?;
    user.email.clone().or_else(|| user.zuid.clone())
}

pub(crate) fn owner_of(made: &MadeConnection) -> TokenOwner {
    TokenOwner {
        environment: made.env.clone(),
        data_center: made.tokens.dc,
        client_id: made.credentials.client_id.trim().to_owned(),
        zoho_user: zoho_user_key(made.user.as_ref()),
    }
}

/// The catalog's name for `product` ("Zoho Books"), or the id itself.
pub(crate) fn product_name(product: &str) -> String {
    zoho_oauth_core::scopes::product(product)
        .map_or_else(|| product.to_owned(), |p| p.name.to_owned())
}

/// "Morgan Bookkeeping LLC - Books", made unique among the names `taken`.
pub(crate) fn suggest_name(made: &MadeConnection, taken: impl Fn(&str) -> bool) -> String {
    let product = product_name(&made.product);
    let short = product.strip_prefix("Zoho ").unwrap_or(&product);
    let short = if short.is_empty() { "Zoho" } else { short };
    let base = match (&made.organization, made.user.as_ref()) {
        (Some(org), _) => format!("{} - {short}", org.name),
        (None, Some(user)) => format!("{} - {short}", user.describe()),
        (None, None) => format!("{short} ({})", made.tokens.dc.name()),
    };
    let fit = |text: &str, room: usize| -> String { text.chars().take(room).collect() };
    let base = fit(base.trim(), MAX_NAME_CHARS);
    if !taken(&base) {
        return base;
    }
    (2..)
        .map(|n| {
            let suffix = format!(" ({n})");
            format!(
                "{}{suffix}",
                fit(&base, MAX_NAME_CHARS - suffix.chars().count())
            )
        })
        .find(|name| !taken(name))
        .expect("some number is free")
}
