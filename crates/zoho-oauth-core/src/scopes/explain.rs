//! Turning a scope string back into words, for a saved connection's details, the
//! token screen, and the `scope` field Zoho returns with a token: the user sees "See
//! invoices" rather than `ZohoBooks.invoices.READ`.

use serde::Serialize;

use super::catalog::catalog;
use super::model::Operation;
use super::parse::{self, Parts};

/// One scope of a scope string, in words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExplainedScope {
    /// The scope as it appeared in the string.
    pub scope: String,
    /// What it allows, e.g. `"See invoices"`; for scopes outside the catalog a label
    /// built from its parts, e.g. `"See reports in Zoho Books"`.
    pub label: String,
    /// The id of the product it belongs to, when the assistant knows the product.
    pub product: Option<&'static str>,
    /// The display name of that product.
    pub product_name: Option<&'static str>,
    /// The catalog group it is listed under, for catalog scopes.
    pub group: Option<String>,
    /// Whether the scope is in the catalog.
    pub known: bool,
    /// Whether the text is a well-formed scope at all.
    pub well_formed: bool,
    /// Deletes, or grants everything on a resource or product.
    pub dangerous: bool,
}

/// Explains each scope of `scopes` (separated by commas or spaces, as Zoho sends and
/// receives them), in order.
pub fn explain(scopes: &str) -> Vec<ExplainedScope> {
    parse::split_list(scopes).map(explain_one).collect()
}

fn explain_one(item: &str) -> ExplainedScope {
    let catalog = catalog();
    if let Some((product, known)) = catalog.find_scope(item) {
        return ExplainedScope {
            scope: item.to_owned(),
            label: known.label.clone(),
            product: Some(product.id),
            product_name: Some(product.name),
            group: Some(known.group.clone()),
            known: true,
            well_formed: true,
            dangerous: known.dangerous,
        };
    }
    if let Some(known) = catalog.common_scope(item) {
        return ExplainedScope {
            scope: item.to_owned(),
            label: known.label.clone(),
            product: None,
            product_name: None,
            group: Some(known.group.clone()),
            known: true,
            well_formed: true,
            dangerous: known.dangerous,
        };
    }
    let Ok(parts) = parse::parse(item) else {
        return ExplainedScope {
            scope: item.to_owned(),
            label: "Not a valid scope".to_owned(),
            product: None,
            product_name: None,
            group: None,
            known: false,
            well_formed: false,
            dangerous: false,
        };
    };
    let product = catalog.product_for_service(parts.service);
    let place = product.map_or(parts.service, |p| p.name);
    ExplainedScope {
        scope: item.to_owned(),
        label: describe(&parts, place, product.is_some()),
        product: product.map(|p| p.id),
        product_name: product.map(|p| p.name),
        group: None,
        known: false,
        well_formed: true,
        dangerous: parts.is_dangerous(),
    }
}

/// "See reports in Zoho Books", or "See, create, change and delete documents
/// (ZohoSign)" for a service the assistant does not know.
fn describe(parts: &Parts<'_>, place: &str, known_product: bool) -> String {
    if parts.is_full_access() && parts.operation == Operation::All {
        return format!("Everything in {place}");
    }
    let noun = parts
        .names
        .last()
        .map_or_else(String::new, |name| name.replace('_', " "));
    let action = parts.operation.describe(&noun);
    if known_product {
        format!("{action} in {place}")
    } else {
        format!("{action} ({place})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(scopes: &str) -> Vec<String> {
        explain(scopes).into_iter().map(|e| e.label).collect()
    }

    #[test]
    fn catalog_scopes_read_as_their_labels() {
        let explained = explain("ZohoBooks.invoices.READ,ZohoBooks.fullaccess.all");
        assert_eq!(explained.len(), 2);
        assert_eq!(explained[0].label, "See invoices");
        assert_eq!(explained[0].group.as_deref(), Some("Invoices"));
        assert_eq!(explained[0].product, Some("books"));
        assert_eq!(explained[0].product_name, Some("Zoho Books"));
        assert!(explained[0].known && explained[0].well_formed && !explained[0].dangerous);
        assert_eq!(explained[1].label, "Everything in Zoho Books");
        assert!(explained[1].dangerous);
    }

    #[test]
    fn any_separator_and_any_case() {
        // As Zoho's token response sends them: separated by spaces.
        assert_eq!(
            labels("ZohoBooks.settings.READ ZohoPay.refunds.CREATE\nzohoanalytics.data.READ"),
            [
                "See settings: items, taxes, currencies and users",
                "Refund payments",
                "See the data in tables and reports"
            ]
        );
        let lower = &explain("zohobooks.invoices.read")[0];
        assert_eq!(lower.scope, "zohobooks.invoices.read");
        assert!(lower.known);
        assert!(explain(" , ").is_empty());
    }

    #[test]
    fn scopes_outside_the_catalog_get_a_label_from_their_parts() {
        let cases = [
            (
                "ZohoBooks.reports.READ",
                "See reports in Zoho Books",
                Some("books"),
                false,
            ),
            (
                "ZohoCRM.settings.custom_views.READ",
                "See custom views in Zoho CRM",
                Some("crm"),
                false,
            ),
            (
                "ZohoCRM.modules.leads.DELETE",
                "Delete leads in Zoho CRM",
                Some("crm"),
                true,
            ),
            (
                "ZohoSign.documents.ALL",
                "See, create, change and delete documents (ZohoSign)",
                None,
                true,
            ),
            (
                "Desk.tickets.WRITE",
                "Create and change tickets in Zoho Desk",
                Some("desk"),
                false,
            ),
            (
                "ZohoSubscriptions.fullaccess.all",
                "Everything in ZohoSubscriptions",
                None,
                true,
            ),
        ];
        for (scope, label, product, dangerous) in cases {
            let explained = &explain(scope)[0];
            assert_eq!(explained.label, label, "{scope}");
            assert_eq!(explained.product, product, "{scope}");
            assert_eq!(explained.dangerous, dangerous, "{scope}");
            assert!(!explained.known && explained.well_formed, "{scope}");
            assert_eq!(explained.group, None, "{scope}");
        }
    }

    #[test]
    fn who_is_connected_reads_as_its_label_in_any_case() {
        let explained = explain("ZohoBooks.invoices.READ aaaserver.profile.read");
        assert_eq!(explained[1].label, "Show which Zoho user is connected");
        assert_eq!(explained[1].group.as_deref(), Some("Your Zoho account"));
        assert_eq!(explained[1].product, None);
        assert!(explained[1].known && !explained[1].dangerous);
    }

    #[test]
    fn malformed_text_is_said_to_be_invalid() {
        for text in ["ZohoBooks.invoices", "READ", "a.b.c.d.e", "\"x.y.READ\""] {
            let explained = &explain(text)[0];
            assert_eq!(explained.label, "Not a valid scope", "{text}");
            assert!(!explained.well_formed && !explained.known && !explained.dangerous);
        }
    }

    #[test]
    fn serializes_for_the_ui() {
        let json = serde_json::to_value(explain("ZohoBooks.bills.DELETE")).unwrap();
        assert_eq!(json[0]["scope"], "ZohoBooks.bills.DELETE");
        assert_eq!(json[0]["label"], "Delete bills");
        assert_eq!(json[0]["dangerous"], true);
        assert_eq!(json[0]["product"], "books");
    }
}
