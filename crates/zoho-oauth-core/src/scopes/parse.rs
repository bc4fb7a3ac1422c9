//! Reading a scope string into its parts, and the one rule for when one scope already
//! grants another. The validator, the explainer and the connection-test check all
//! read scopes through here, so they cannot disagree about what a scope is.
//!
//! The shape is `Service.scope.OPERATION` (Zoho CRM: "service name, scope name,
//! operation type"). Zoho CRM also documents a sub-scope under `modules` and `settings`
//! (`ZohoCRM.modules.leads.READ`, `ZohoCRM.settings.fields.READ`, and names with
//! underscores such as `settings.custom_views`), so a fourth part in the middle and
//! underscores in names are accepted.

use super::model::Operation;

/// Most names between the service and the operation (`modules.leads`).
const MAX_SCOPE_NAMES: usize = 2;

/// A well-formed scope, borrowed from the text it was read from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Parts<'a> {
    /// `ZohoBooks` in `ZohoBooks.invoices.READ`.
    pub service: &'a str,
    /// `["invoices"]`, or `["modules", "leads"]` for a CRM sub-scope.
    pub names: Vec<&'a str>,
    /// The operation, whatever its case.
    pub operation: Operation,
}

/// Why a piece of text is not a scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Malformed<'a> {
    /// A character no scope contains.
    BadCharacter(char),
    /// Two dots in a row, or a dot at the start or end.
    EmptyPart,
    /// A single word, no dots.
    NotAScope,
    /// `Service.scope` without the operation.
    MissingOperation,
    /// `Service.OPERATION` without the scope name.
    MissingScopeName,
    /// More parts than any Zoho scope has.
    TooManyParts,
    /// Well shaped, but the last part is not an operation.
    UnknownOperation(&'a str),
}

/// Splits a list of scopes as people type and paste them: separated by commas,
/// spaces or line breaks, with empty entries (a trailing comma) skipped.
pub(super) fn split_list(input: &str) -> impl Iterator<Item = &str> {
    input
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|item| !item.is_empty())
}

/// Whether `c` may appear in a scope string at all.
pub(super) fn is_scope_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// Reads one scope (no separators around it).
pub(super) fn parse(item: &str) -> Result<Parts<'_>, Malformed<'_>> {
    if let Some(bad) = item.chars().find(|c| !is_scope_char(*c)) {
        return Err(Malformed::BadCharacter(bad));
    }
    let parts: Vec<&str> = item.split('.').collect();
    if parts.iter().any(|part| part.is_empty()) {
        return Err(Malformed::EmptyPart);
    }
    match parts.as_slice() {
        [_] => Err(Malformed::NotAScope),
        [_, last] if Operation::parse(last).is_some() => Err(Malformed::MissingScopeName),
        [_, _] => Err(Malformed::MissingOperation),
        [service, names @ .., last] if names.len() <= MAX_SCOPE_NAMES => {
            match Operation::parse(last) {
                Some(operation) => Ok(Parts {
                    service,
                    names: names.to_vec(),
                    operation,
                }),
                None => Err(Malformed::UnknownOperation(last)),
            }
        }
        _ => Err(Malformed::TooManyParts),
    }
}

impl Parts<'_> {
    /// `Service.fullaccess.*`: the whole product (Books, Inventory, Invoice, Expense).
    pub fn is_full_access(&self) -> bool {
        matches!(self.names.as_slice(), [name] if name.eq_ignore_ascii_case("fullaccess"))
    }

    /// Deletes, or grants everything on a resource or the product.
    pub fn is_dangerous(&self) -> bool {
        self.operation.is_dangerous() || self.is_full_access()
    }

    /// Whether holding `self` already grants `other`: the same scope in any case, the
    /// resource's `ALL` (which also covers its sub-scopes, as `ZohoCRM.modules.ALL`
    /// covers `ZohoCRM.modules.leads.READ`), or the product's full access.
    pub fn covers(&self, other: &Parts<'_>) -> bool {
        if !self.service.eq_ignore_ascii_case(other.service) {
            return false;
        }
        let operation_covers =
            self.operation == Operation::All || self.operation == other.operation;
        if self.is_full_access() {
            return operation_covers;
        }
        let same_names =
            self.names.len() == other.names.len() && names_prefix(&self.names, &other.names);
        let parent_names =
            self.names.len() < other.names.len() && names_prefix(&self.names, &other.names);
        (same_names && operation_covers) || (parent_names && self.operation == Operation::All)
    }
}

fn names_prefix(prefix: &[&str], names: &[&str]) -> bool {
    prefix
        .iter()
        .zip(names)
        .all(|(a, b)| a.eq_ignore_ascii_case(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_three_and_four_part_scopes() {
        let cases: &[(&str, &str, &[&str], Operation)] = &[
            (
                "ZohoBooks.invoices.READ",
                "ZohoBooks",
                &["invoices"],
                Operation::Read,
            ),
            (
                "ZohoBooks.contacts.Create",
                "ZohoBooks",
                &["contacts"],
                Operation::Create,
            ),
            (
                "ZohoAnalytics.data.all",
                "ZohoAnalytics",
                &["data"],
                Operation::All,
            ),
            (
                "ZohoCRM.modules.leads.READ",
                "ZohoCRM",
                &["modules", "leads"],
                Operation::Read,
            ),
            (
                "ZohoCRM.settings.custom_views.READ",
                "ZohoCRM",
                &["settings", "custom_views"],
                Operation::Read,
            ),
            ("Desk.tickets.WRITE", "Desk", &["tickets"], Operation::Write),
        ];
        for (text, service, names, operation) in cases {
            let parts = parse(text).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert_eq!(parts.service, *service, "{text}");
            assert_eq!(parts.names, *names, "{text}");
            assert_eq!(parts.operation, *operation, "{text}");
        }
    }

    #[test]
    fn names_what_is_wrong_with_malformed_text() {
        let cases: &[(&str, Malformed<'_>)] = &[
            ("ZohoBooks", Malformed::NotAScope),
            ("ZohoBooks.invoices", Malformed::MissingOperation),
            ("ZohoBooks.READ", Malformed::MissingScopeName),
            ("ZohoBooks..READ", Malformed::EmptyPart),
            ("ZohoBooks.invoices.", Malformed::EmptyPart),
            (".ZohoBooks.invoices.READ", Malformed::EmptyPart),
            ("a.b.c.d.READ", Malformed::TooManyParts),
            (
                "ZohoBooks.invoices.VIEW",
                Malformed::UnknownOperation("VIEW"),
            ),
            ("ZohoBooks.invoices.READ;", Malformed::BadCharacter(';')),
            ("\"ZohoBooks.invoices.READ\"", Malformed::BadCharacter('"')),
            ("ZohoBooks.invoices.*", Malformed::BadCharacter('*')),
            ("ZohoBooks.invoices-x.READ", Malformed::BadCharacter('-')),
        ];
        for (text, expected) in cases {
            assert_eq!(parse(text).unwrap_err(), *expected, "{text}");
        }
    }

    #[test]
    fn splits_on_commas_spaces_and_line_breaks() {
        let items: Vec<&str> =
            split_list(" a.b.READ,\n c.d.READ ,,\te.f.ALL\r\ng.h.READ, ").collect();
        assert_eq!(items, ["a.b.READ", "c.d.READ", "e.f.ALL", "g.h.READ"]);
        assert_eq!(split_list(" ,\n, ").count(), 0);
    }

    #[test]
    fn coverage_follows_all_and_full_access() {
        let covers = |a: &str, b: &str| parse(a).unwrap().covers(&parse(b).unwrap());
        let cases = [
            ("ZohoBooks.invoices.READ", "ZohoBooks.invoices.READ", true),
            ("ZohoBooks.invoices.read", "ZohoBooks.INVOICES.READ", true),
            ("ZohoBooks.invoices.ALL", "ZohoBooks.invoices.DELETE", true),
            ("ZohoBooks.invoices.READ", "ZohoBooks.invoices.ALL", false),
            (
                "ZohoBooks.invoices.READ",
                "ZohoBooks.invoices.CREATE",
                false,
            ),
            ("ZohoBooks.invoices.ALL", "ZohoBooks.bills.READ", false),
            ("ZohoBooks.fullaccess.all", "ZohoBooks.settings.READ", true),
            (
                "ZohoBooks.fullaccess.all",
                "ZohoInventory.settings.READ",
                false,
            ),
            (
                "ZohoInventory.FullAccess.all",
                "ZohoInventory.items.DELETE",
                true,
            ),
            ("ZohoCRM.modules.ALL", "ZohoCRM.modules.leads.READ", true),
            ("ZohoCRM.modules.READ", "ZohoCRM.modules.leads.READ", false),
            ("ZohoCRM.modules.leads.ALL", "ZohoCRM.modules.READ", false),
            ("ZohoBooks.settings.ALL", "ZohoBooks.settings.READ", true),
        ];
        for (a, b, expected) in cases {
            assert_eq!(covers(a, b), expected, "{a} covers {b}");
        }
    }
}
