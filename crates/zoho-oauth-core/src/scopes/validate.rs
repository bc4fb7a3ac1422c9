//! Checking scope lists that experts type or paste, before they reach Zoho's consent
//! page, where one bad scope fails the whole request with no hint of which.
//!
//! The rules:
//! - Scopes are separated by commas, spaces or line breaks; the result is joined with
//!   commas and no spaces, as Zoho expects. An empty list is refused.
//! - Each scope is `Service.scope.OPERATION` (Zoho CRM also has
//!   `Service.scope.subscope.OPERATION`), with names of letters, digits and
//!   underscores.
//! - The operation is one Zoho uses: `READ`, `CREATE`, `UPDATE`, `DELETE`, `ALL`, and
//!   Zoho Desk's `WRITE`, in any case. Zoho's own pages mix cases (Books' list writes
//!   `ZohoBooks.contacts.Create`, Analytics writes `ZohoAnalytics.data.read`), so case
//!   is never a reason to refuse one.
//! - A scope in the catalog is sent in the catalog's spelling, whatever case it was
//!   typed in; a scope of a known product that is not in the catalog keeps its own
//!   spelling, with the service name in the product's spelling.
//! - The same scope twice, in any case, is refused.
//! - A service name one or two letters away from a known product's (`ZohoBook`), or
//!   the product's name with or without the `Zoho` prefix (`ZohoDesk` for `Desk`), is
//!   refused with the right spelling offered: Zoho rejects unknown services, and these
//!   are typos far more often than real services.
//! - A well-formed scope that is not in the catalog is accepted with a warning, since
//!   Zoho has more scopes than the catalog lists; a near miss of a catalog scope comes
//!   with a "did you mean".
//! - A scope already granted by another in the list (the resource's `ALL`, or the
//!   product's full access) is kept, with a warning that it can go.

use std::fmt;

use serde::Serialize;

use super::catalog::{catalog, Catalog};
use super::model::Product;
use super::parse::{self, Parts};
use super::repair::{malformed_finding, GENERIC_EXAMPLE};
use super::similarity;
use crate::error::UserFacing;

/// How far (in typing mistakes) a scope may be from a catalog scope to be offered as
/// "did you mean".
const NEAR_SCOPE: usize = 2;

/// Service names people write for a product that are not typos of its real one.
const SERVICE_ALIASES: [(&str, &str); 2] =
    [("ZohoPayments", "payments"), ("ZohoPayment", "payments")];

/// What kind of finding: the first group stops the list from being used, the rest are
/// warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Nothing was entered.
    Empty,
    /// A character no scope contains (quotes, semicolons, `%`, `*`...).
    BadCharacter,
    /// Two dots in a row, or a dot at the start or end.
    EmptyPart,
    /// A single word rather than a scope.
    NotAScope,
    /// `Service.scope` without the operation.
    MissingOperation,
    /// `Service.OPERATION` without the scope name.
    MissingScopeName,
    /// More parts than a scope has; often two scopes without a comma between them.
    TooManyParts,
    /// The last part is not an operation Zoho uses.
    UnknownOperation,
    /// The service name is a misspelling of a known product's.
    MisspelledService,
    /// The same scope appears more than once.
    Duplicate,
    /// Warning: accepted, but sent in the spelling Zoho documents.
    Respelled,
    /// Warning: well-formed, but not in the catalog.
    NotInCatalog,
    /// Warning: already granted by another scope in the list.
    Redundant,
}

impl FindingKind {
    /// Whether the list cannot be used until this is fixed.
    pub fn is_blocking(self) -> bool {
        !matches!(
            self,
            FindingKind::Respelled | FindingKind::NotInCatalog | FindingKind::Redundant
        )
    }
}

/// One thing to tell the user about one entry of the list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The entry as it was typed (empty for [`FindingKind::Empty`]).
    pub item: String,
    /// What kind of finding it is.
    pub kind: FindingKind,
    /// What is wrong or worth knowing, in plain words.
    pub message: String,
    /// What to do about it.
    pub fix: String,
    /// A replacement for the entry that the UI can offer to apply (one or more scopes,
    /// comma-separated), when there is a likely one.
    pub suggestion: Option<String>,
}

/// A list that can be sent to Zoho.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ValidScopes {
    /// Each scope, in the spelling that will be sent.
    pub scopes: Vec<String>,
    /// The scopes joined with commas and no spaces, ready for the `scope` parameter.
    pub scope_string: String,
    /// Things worth knowing that do not stop the list from being used.
    pub warnings: Vec<Finding>,
}

/// A list that must be fixed before it can be sent to Zoho.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InvalidScopes {
    /// What must be fixed, one finding per entry, in the order they were typed.
    pub problems: Vec<Finding>,
    /// Warnings about the entries that are otherwise fine.
    pub warnings: Vec<Finding>,
}

impl fmt::Display for InvalidScopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problems.as_slice() {
            [] => f.write_str("The list of scopes needs fixing."),
            [only] => f.write_str(&only.message),
            [first, rest @ ..] => write!(
                f,
                "{} (and {} more {})",
                first.message,
                rest.len(),
                if rest.len() == 1 {
                    "problem"
                } else {
                    "problems"
                }
            ),
        }
    }
}

impl std::error::Error for InvalidScopes {}

impl UserFacing for InvalidScopes {
    fn kind(&self) -> &'static str {
        "invalid_scopes"
    }

    fn hint(&self) -> String {
        match self.problems.as_slice() {
            [only] => only.fix.clone(),
            _ => "Fix each scope marked in the list, then try again.".to_owned(),
        }
    }
}

/// Checks a list of scopes as typed or pasted (separated by commas, spaces or line
/// breaks) and returns it ready to send, or every problem found.
///
/// # Errors
/// [`InvalidScopes`] when the list is empty or any entry is malformed, has an
/// operation Zoho does not use, misspells a known service, or repeats another entry.
pub fn validate(input: &str) -> Result<ValidScopes, InvalidScopes> {
    let catalog = catalog();
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    // (entry as typed, scope as it will be sent)
    let mut accepted: Vec<(&str, String)> = Vec::new();

    for item in parse::split_list(input) {
        match check_item(catalog, item) {
            Checked::Rejected(problem) => problems.push(problem),
            Checked::Accepted { scope, notes } => {
                if let Some((first, _)) = accepted
                    .iter()
                    .find(|(_, earlier)| earlier.eq_ignore_ascii_case(&scope))
                {
                    problems.push(duplicate(item, first));
                    continue;
                }
                warnings.extend(notes);
                accepted.push((item, scope));
            }
        }
    }

    if accepted.is_empty() && problems.is_empty() {
        problems.push(Finding {
            item: String::new(),
            kind: FindingKind::Empty,
            message: "No scopes were entered.".to_owned(),
            fix: format!(
                "Enter at least one scope, such as {}, or choose a preset.",
                GENERIC_EXAMPLE
            ),
            suggestion: None,
        });
    }

    warnings.extend(redundancies(&accepted));

    if !problems.is_empty() {
        return Err(InvalidScopes { problems, warnings });
    }
    let scopes: Vec<String> = accepted.into_iter().map(|(_, scope)| scope).collect();
    Ok(ValidScopes {
        scope_string: scopes.join(","),
        scopes,
        warnings,
    })
}

/// The scope string for a selection (from checkboxes, a preset, or both), checked as
/// [`validate`] checks typed lists. Catalog scopes come out in catalog order and any
/// others after them in alphabetical order, so the same selection always gives the
/// same string, whatever order it was made in.
///
/// # Errors
/// [`InvalidScopes`] as for [`validate`].
pub fn scope_string<I, S>(selection: I) -> Result<ValidScopes, InvalidScopes>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let joined = selection
        .into_iter()
        .map(|scope| scope.as_ref().to_owned())
        .collect::<Vec<_>>()
        .join(",");
    let mut valid = validate(&joined)?;
    let catalog = catalog();
    let catalog_order: Vec<&str> = catalog
        .products
        .iter()
        .flat_map(|p| p.scopes.iter())
        .chain(&catalog.common)
        .map(|s| s.scope.as_str())
        .collect();
    valid.scopes.sort_by_cached_key(|scope| {
        let position = catalog_order
            .iter()
            .position(|known| *known == scope.as_str());
        (position.unwrap_or(usize::MAX), scope.to_ascii_lowercase())
    });
    valid.scope_string = valid.scopes.join(",");
    Ok(valid)
}

enum Checked {
    Accepted { scope: String, notes: Vec<Finding> },
    Rejected(Finding),
}

fn check_item(catalog: &Catalog, item: &str) -> Checked {
    let parts = match parse::parse(item) {
        Ok(parts) => parts,
        Err(malformed) => return Checked::Rejected(malformed_finding(catalog, item, malformed)),
    };

    if let Some(common) = catalog.common_scope(item) {
        return Checked::Accepted {
            scope: common.scope.clone(),
            notes: if common.scope == item {
                Vec::new()
            } else {
                vec![respelled(item, &common.scope)]
            },
        };
    }

    let Some(product) = catalog.product_for_service(parts.service) else {
        if let Some(product) = misspelled_service(catalog, parts.service) {
            return Checked::Rejected(misspelled_service_finding(item, &parts, product));
        }
        return Checked::Accepted {
            scope: item.to_owned(),
            notes: vec![Finding {
                item: item.to_owned(),
                kind: FindingKind::NotInCatalog,
                message: format!(
                    "'{item}' is for a Zoho service the assistant does not list ({}). It \
                     may still be right.",
                    parts.service
                ),
                fix: "Check the spelling against that product's API documentation.".to_owned(),
                suggestion: None,
            }],
        };
    };

    if let Some(known) = product.scope(item) {
        let notes = if known.scope == item {
            Vec::new()
        } else {
            vec![respelled(item, &known.scope)]
        };
        return Checked::Accepted {
            scope: known.scope.clone(),
            notes,
        };
    }

    let scope = with_service(item, &parts, product);
    let mut notes = Vec::new();
    if scope != item {
        notes.push(respelled(item, &scope));
    }
    let near = similarity::closest(
        item,
        product.scopes.iter().map(|s| s.scope.as_str()),
        NEAR_SCOPE,
    );
    notes.push(Finding {
        item: item.to_owned(),
        kind: FindingKind::NotInCatalog,
        message: format!(
            "'{item}' is not in the assistant's list of {} scopes. It may still be right: \
             Zoho has more scopes than this list.",
            product.name
        ),
        fix: match near {
            Some(near) => format!(
                "Did you mean {near}? If not, check the spelling against {}'s API \
                 documentation.",
                product.name
            ),
            None => format!(
                "Check the spelling against {}'s API documentation.",
                product.name
            ),
        },
        suggestion: near.map(str::to_owned),
    });
    Checked::Accepted { scope, notes }
}

/// `item` with its service written as `product` spells it.
fn with_service(item: &str, parts: &Parts<'_>, product: &Product) -> String {
    format!("{}{}", product.service, &item[parts.service.len()..])
}

/// The known product whose service name `service` most likely misspells.
pub(super) fn misspelled_service<'c>(catalog: &'c Catalog, service: &str) -> Option<&'c Product> {
    if let Some((_, id)) = SERVICE_ALIASES
        .iter()
        .find(|(alias, _)| alias.eq_ignore_ascii_case(service))
    {
        return catalog.product(id);
    }
    let typed = service_stem(service);
    catalog
        .products
        .iter()
        .filter_map(|product| {
            let known = service_stem(product.service);
            let limit = if known.len() <= 5 { 1 } else { 2 };
            let d = similarity::distance(typed, known);
            (d <= limit).then_some((d, product))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, product)| product)
}

/// The service name without a leading "Zoho", so `ZohoDesk` meets `Desk` and
/// `ZohoBook` meets `ZohoBooks` on the part that tells products apart.
fn service_stem(service: &str) -> &str {
    match service.get(..4) {
        Some(prefix) if prefix.eq_ignore_ascii_case("zoho") && service.len() > 4 => &service[4..],
        _ => service,
    }
}

fn misspelled_service_finding(item: &str, parts: &Parts<'_>, product: &Product) -> Finding {
    let corrected = with_service(item, parts, product);
    let corrected = product
        .scope(&corrected)
        .map_or(corrected, |known| known.scope.clone());
    Finding {
        item: item.to_owned(),
        kind: FindingKind::MisspelledService,
        message: format!(
            "In '{item}', '{}' is not how Zoho names {}: it is '{}'.",
            parts.service, product.name, product.service
        ),
        fix: format!("Write it as {corrected}."),
        suggestion: Some(corrected),
    }
}

fn respelled(item: &str, scope: &str) -> Finding {
    Finding {
        item: item.to_owned(),
        kind: FindingKind::Respelled,
        message: format!("'{item}' will be sent as '{scope}', the spelling Zoho documents."),
        fix: "Nothing to do.".to_owned(),
        suggestion: None,
    }
}

fn duplicate(item: &str, first: &str) -> Finding {
    let message = if item == first {
        format!("'{item}' is listed more than once.")
    } else {
        format!("'{item}' is the same scope as '{first}', which is already in the list.")
    };
    Finding {
        item: item.to_owned(),
        kind: FindingKind::Duplicate,
        message,
        fix: "Remove the repeated one.".to_owned(),
        suggestion: None,
    }
}

fn redundancies(accepted: &[(&str, String)]) -> Vec<Finding> {
    let parsed: Vec<(&str, Parts<'_>)> = accepted
        .iter()
        .filter_map(|(item, scope)| parse::parse(scope).ok().map(|parts| (*item, parts)))
        .collect();
    parsed
        .iter()
        .enumerate()
        .filter_map(|(i, (item, parts))| {
            let (wider, _) = parsed
                .iter()
                .enumerate()
                .find(|(j, (_, other))| *j != i && other.covers(parts))
                .map(|(_, found)| found)?;
            Some(Finding {
                item: (*item).to_owned(),
                kind: FindingKind::Redundant,
                message: format!("'{item}' is already included in '{wider}'."),
                fix: "You can remove it; keeping it does no harm.".to_owned(),
                suggestion: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scopes::products;
    use FindingKind::*;

    fn kinds(findings: &[Finding]) -> Vec<FindingKind> {
        findings.iter().map(|f| f.kind).collect()
    }

    #[test]
    fn accepts_and_normalizes() {
        let cases: &[(&str, &str, &[FindingKind])] = &[
            ("ZohoBooks.invoices.READ", "ZohoBooks.invoices.READ", &[]),
            (
                "ZohoBooks.invoices.READ,ZohoBooks.contacts.READ",
                "ZohoBooks.invoices.READ,ZohoBooks.contacts.READ",
                &[],
            ),
            (
                " ZohoBooks.invoices.READ ,\n ZohoBooks.contacts.READ\tZohoBooks.bills.READ,\r\n",
                "ZohoBooks.invoices.READ,ZohoBooks.contacts.READ,ZohoBooks.bills.READ",
                &[],
            ),
            ("ZohoBooks.invoices.READ,,,", "ZohoBooks.invoices.READ", &[]),
            (
                "ZohoAnalytics.data.all,ZohoAnalytics.modeling.create",
                "ZohoAnalytics.data.all,ZohoAnalytics.modeling.create",
                &[],
            ),
            (
                "ZohoBooks.contacts.Create",
                "ZohoBooks.contacts.CREATE",
                &[Respelled],
            ),
            (
                "zohobooks.invoices.read",
                "ZohoBooks.invoices.READ",
                &[Respelled],
            ),
            (
                "zohoanalytics.DATA.READ",
                "ZohoAnalytics.data.read",
                &[Respelled],
            ),
            ("ZohoPeople.forms.ALL", "ZOHOPEOPLE.forms.ALL", &[Respelled]),
            ("desk.tickets.read", "Desk.tickets.READ", &[Respelled]),
            (
                "ZohoCRM.modules.leads.READ",
                "ZohoCRM.modules.leads.READ",
                &[NotInCatalog],
            ),
            (
                "ZohoCRM.settings.custom_views.READ",
                "ZohoCRM.settings.custom_views.READ",
                &[NotInCatalog],
            ),
            ("Desk.tickets.WRITE", "Desk.tickets.WRITE", &[NotInCatalog]),
            (
                "zohobooks.reports.READ",
                "ZohoBooks.reports.READ",
                &[Respelled, NotInCatalog],
            ),
            (
                "ZohoSign.documents.ALL",
                "ZohoSign.documents.ALL",
                &[NotInCatalog],
            ),
            (
                "ZohoBooks.invoices.ALL,ZohoBooks.invoices.READ",
                "ZohoBooks.invoices.ALL,ZohoBooks.invoices.READ",
                &[Redundant],
            ),
            (
                "ZohoBooks.settings.READ,ZohoBooks.fullaccess.all",
                "ZohoBooks.settings.READ,ZohoBooks.fullaccess.all",
                &[Redundant],
            ),
            (
                "ZohoCRM.modules.ALL,ZohoCRM.modules.leads.READ",
                "ZohoCRM.modules.ALL,ZohoCRM.modules.leads.READ",
                &[NotInCatalog, Redundant],
            ),
        ];
        for (input, expected, warnings) in cases {
            let valid = validate(input).unwrap_or_else(|e| panic!("{input:?}: {e:?}"));
            assert_eq!(valid.scope_string, *expected, "{input:?}");
            assert_eq!(valid.scopes.join(","), *expected, "{input:?}");
            assert_eq!(kinds(&valid.warnings), *warnings, "{input:?}");
            assert!(valid.warnings.iter().all(|w| !w.kind.is_blocking()));
        }
    }

    #[test]
    fn rejects_with_the_offending_item_and_a_suggestion() {
        let cases: &[(&str, &str, FindingKind, Option<&str>)] = &[
            ("", "", Empty, None),
            (" ,\n , ", "", Empty, None),
            (
                "ZohoBooks.invoices",
                "ZohoBooks.invoices",
                MissingOperation,
                Some("ZohoBooks.invoices.READ"),
            ),
            (
                "ZohoAnalytics.data",
                "ZohoAnalytics.data",
                MissingOperation,
                Some("ZohoAnalytics.data.read"),
            ),
            (
                "ZohoSign.documents",
                "ZohoSign.documents",
                MissingOperation,
                None,
            ),
            ("ZohoBooks.READ", "ZohoBooks.READ", MissingScopeName, None),
            ("ZohoBooks", "ZohoBooks", NotAScope, None),
            ("READ", "READ", NotAScope, None),
            ("hello", "hello", NotAScope, None),
            ("ZohoBooks..READ", "ZohoBooks..READ", EmptyPart, None),
            (
                "ZohoBooks.invoices..READ",
                "ZohoBooks.invoices..READ",
                EmptyPart,
                Some("ZohoBooks.invoices.READ"),
            ),
            (
                "ZohoBooks.invoices.READ.",
                "ZohoBooks.invoices.READ.",
                EmptyPart,
                Some("ZohoBooks.invoices.READ"),
            ),
            (
                "ZohoBooks.invoices.VIEW",
                "ZohoBooks.invoices.VIEW",
                UnknownOperation,
                Some("ZohoBooks.invoices.READ"),
            ),
            (
                "ZohoBooks.invoices.RAED",
                "ZohoBooks.invoices.RAED",
                UnknownOperation,
                Some("ZohoBooks.invoices.READ"),
            ),
            (
                "ZohoBooks.invoices.edit",
                "ZohoBooks.invoices.edit",
                UnknownOperation,
                Some("ZohoBooks.invoices.UPDATE"),
            ),
            (
                "ZohoAnalytics.data.view",
                "ZohoAnalytics.data.view",
                UnknownOperation,
                Some("ZohoAnalytics.data.read"),
            ),
            (
                "ZohoSign.documents.edit",
                "ZohoSign.documents.edit",
                UnknownOperation,
                Some("ZohoSign.documents.update"),
            ),
            (
                "ZohoBooks.invoices.XYZZY",
                "ZohoBooks.invoices.XYZZY",
                UnknownOperation,
                None,
            ),
            (
                "ZohoBook.invoices.READ",
                "ZohoBook.invoices.READ",
                MisspelledService,
                Some("ZohoBooks.invoices.READ"),
            ),
            (
                "ZohoBoks.invoices.read",
                "ZohoBoks.invoices.read",
                MisspelledService,
                Some("ZohoBooks.invoices.READ"),
            ),
            (
                "Books.invoices.READ",
                "Books.invoices.READ",
                MisspelledService,
                Some("ZohoBooks.invoices.READ"),
            ),
            (
                "ZohoDesk.tickets.READ",
                "ZohoDesk.tickets.READ",
                MisspelledService,
                Some("Desk.tickets.READ"),
            ),
            (
                "ZohoPayments.payments.READ",
                "ZohoPayments.payments.READ",
                MisspelledService,
                Some("ZohoPay.payments.READ"),
            ),
            (
                "ZohoWorkDrive.files.READ",
                "ZohoWorkDrive.files.READ",
                MisspelledService,
                Some("WorkDrive.files.READ"),
            ),
            (
                "ZohoAnalytic.data.read",
                "ZohoAnalytic.data.read",
                MisspelledService,
                Some("ZohoAnalytics.data.read"),
            ),
            (
                "ZohoBooks.invoices.READ;ZohoBooks.bills.READ",
                "ZohoBooks.invoices.READ;ZohoBooks.bills.READ",
                BadCharacter,
                Some("ZohoBooks.invoices.READ,ZohoBooks.bills.READ"),
            ),
            (
                "\"ZohoBooks.invoices.READ\"",
                "\"ZohoBooks.invoices.READ\"",
                BadCharacter,
                Some("ZohoBooks.invoices.READ"),
            ),
            (
                "\u{201c}ZohoBooks.invoices.READ\u{201d}",
                "\u{201c}ZohoBooks.invoices.READ\u{201d}",
                BadCharacter,
                Some("ZohoBooks.invoices.READ"),
            ),
            (
                "ZohoBooks.invoices.READ%2CZohoBooks.bills.READ",
                "ZohoBooks.invoices.READ%2CZohoBooks.bills.READ",
                BadCharacter,
                Some("ZohoBooks.invoices.READ,ZohoBooks.bills.READ"),
            ),
            (
                "ZohoBooks.invoices.*",
                "ZohoBooks.invoices.*",
                BadCharacter,
                Some("ZohoBooks.invoices.ALL"),
            ),
            (
                "https://accounts.zoho.com/oauth/v2/auth",
                "https://accounts.zoho.com/oauth/v2/auth",
                BadCharacter,
                None,
            ),
            (
                "ZohoBooks.invoices-x.READ",
                "ZohoBooks.invoices-x.READ",
                BadCharacter,
                None,
            ),
            (
                "ZohoBooks.invoices.READ.ZohoBooks.bills.READ",
                "ZohoBooks.invoices.READ.ZohoBooks.bills.READ",
                TooManyParts,
                Some("ZohoBooks.invoices.READ,ZohoBooks.bills.READ"),
            ),
            (
                "ZohoBooks.invoices.READZohoBooks.bills.READ",
                "ZohoBooks.invoices.READZohoBooks.bills.READ",
                TooManyParts,
                Some("ZohoBooks.invoices.READ,ZohoBooks.bills.READ"),
            ),
            ("a.b.c.d.e", "a.b.c.d.e", TooManyParts, None),
            (
                "ZohoBooks.invoices.READ,ZohoBooks.invoices.READ",
                "ZohoBooks.invoices.READ",
                Duplicate,
                None,
            ),
            (
                "ZohoBooks.invoices.READ,zohobooks.INVOICES.read",
                "zohobooks.INVOICES.read",
                Duplicate,
                None,
            ),
            (
                "ZohoSign.documents.ALL ZohoSign.documents.all",
                "ZohoSign.documents.all",
                Duplicate,
                None,
            ),
        ];
        for (input, item, kind, suggestion) in cases {
            let invalid = validate(input).expect_err(input);
            assert_eq!(
                invalid.problems.len(),
                1,
                "{input:?}: {:?}",
                invalid.problems
            );
            let problem = &invalid.problems[0];
            assert_eq!(problem.item, *item, "{input:?}");
            assert_eq!(problem.kind, *kind, "{input:?}");
            assert_eq!(problem.suggestion.as_deref(), *suggestion, "{input:?}");
            assert!(problem.kind.is_blocking());
            assert!(
                problem.message.contains(item),
                "{input:?}: {}",
                problem.message
            );
            assert!(!problem.fix.is_empty());
        }
    }

    #[test]
    fn every_problem_is_reported_in_the_order_typed() {
        let invalid = validate(
            "ZohoBook.bills.READ, ZohoBooks.invoices.READ, ZohoBooks.contacts\nZohoSign.x.ALL",
        )
        .unwrap_err();
        let items: Vec<(&str, FindingKind)> = invalid
            .problems
            .iter()
            .map(|p| (p.item.as_str(), p.kind))
            .collect();
        assert_eq!(
            items,
            [
                ("ZohoBook.bills.READ", MisspelledService),
                ("ZohoBooks.contacts", MissingOperation),
            ]
        );
        assert_eq!(kinds(&invalid.warnings), [NotInCatalog]);
    }

    #[test]
    fn the_missing_operation_fix_names_the_operations() {
        let invalid = validate("ZohoBooks.invoices").unwrap_err();
        let problem = &invalid.problems[0];
        assert_eq!(
            problem.message,
            "'ZohoBooks.invoices' is missing the operation."
        );
        for op in [".READ", ".CREATE", ".UPDATE", ".DELETE", ".ALL"] {
            assert!(problem.fix.contains(op), "{}", problem.fix);
        }
        assert!(problem.fix.contains("ZohoBooks.invoices.READ"));
    }

    #[test]
    fn near_misses_of_catalog_scopes_come_with_did_you_mean() {
        let cases = [
            ("ZohoBooks.invoice.READ", Some("ZohoBooks.invoices.READ")),
            ("ZohoBooks.invoces.read", Some("ZohoBooks.invoices.READ")),
            ("WorkDrive.teams.READ", Some("WorkDrive.team.READ")),
            ("ZohoBooks.reports.READ", None),
            ("ZohoCRM.modules.leads.READ", None),
        ];
        for (input, near) in cases {
            let valid = validate(input).unwrap();
            let warning = valid
                .warnings
                .iter()
                .find(|w| w.kind == NotInCatalog)
                .unwrap_or_else(|| panic!("{input}: no warning"));
            assert_eq!(warning.suggestion.as_deref(), near, "{input}");
            if let Some(near) = near {
                assert!(warning.fix.contains(near), "{}", warning.fix);
            }
        }
    }

    #[test]
    fn real_services_the_catalog_lacks_are_not_taken_for_typos() {
        for input in [
            "ZohoSign.documents.ALL",
            "ZohoReports.data.read",
            "ZohoBookings.data.CREATE",
            "ZohoPC.files.ALL",
            "ZohoCliq.Webhooks.CREATE",
            "ZohoSheet.dataAPI.READ",
            "ZohoCreator.report.READ",
            "ZohoSubscriptions.fullaccess.all",
            "AaaServer.account.READ",
            "SalesIQ.chats.READ",
            "ZohoCalendar.event.CREATE",
            "ZohoPaySandbox.payments.READ",
        ] {
            let valid = validate(input).unwrap_or_else(|e| panic!("{input}: {e:?}"));
            assert_eq!(valid.scope_string, input);
            assert_eq!(kinds(&valid.warnings), [NotInCatalog], "{input}");
        }
    }

    #[test]
    fn every_catalog_scope_validates_as_itself_in_any_case() {
        let common = crate::scopes::common_scopes();
        for scopes in products().iter().map(|p| &p.scopes[..]).chain([common]) {
            for scope in scopes {
                let exact = validate(&scope.scope).unwrap();
                assert_eq!(exact.scope_string, scope.scope);
                assert_eq!(exact.warnings, []);
                for typed in [
                    scope.scope.to_ascii_lowercase(),
                    scope.scope.to_ascii_uppercase(),
                ] {
                    let valid = validate(&typed).unwrap();
                    assert_eq!(valid.scope_string, scope.scope, "{typed}");
                }
            }
        }
    }

    #[test]
    fn the_error_speaks_to_the_user() {
        let one = validate("ZohoBooks.invoices").unwrap_err();
        assert_eq!(one.kind(), "invalid_scopes");
        assert_eq!(one.to_string(), one.problems[0].message);
        assert_eq!(one.hint(), one.problems[0].fix);

        let two = validate("ZohoBooks.invoices,ZohoBook.bills.READ").unwrap_err();
        assert_eq!(
            two.to_string(),
            format!("{} (and 1 more problem)", two.problems[0].message)
        );
        assert_eq!(
            two.hint(),
            "Fix each scope marked in the list, then try again."
        );

        let json = serde_json::to_value(&one).unwrap();
        assert_eq!(json["problems"][0]["kind"], "missing_operation");
        assert_eq!(json["problems"][0]["item"], "ZohoBooks.invoices");
        assert_eq!(json["problems"][0]["suggestion"], "ZohoBooks.invoices.READ");
    }

    #[test]
    fn a_selection_comes_out_in_catalog_order() {
        let valid = scope_string([
            "ZohoSign.documents.ALL",
            "ZohoBooks.invoices.READ",
            "ZohoCRM.org.READ",
            "ZohoBooks.settings.READ",
            "ZohoBooks.contacts.READ",
            "AaaServer.profile.READ",
        ])
        .unwrap();
        // The common profile scope comes after every product's, in its documented case.
        assert_eq!(
            valid.scope_string,
            "ZohoBooks.contacts.READ,ZohoBooks.settings.READ,ZohoBooks.invoices.READ,\
             ZohoCRM.org.READ,AaaServer.profile.Read,ZohoSign.documents.ALL"
        );
        let reversed = scope_string(valid.scopes.iter().rev()).unwrap();
        assert_eq!(reversed.scope_string, valid.scope_string);
    }

    #[test]
    fn a_selection_is_checked_like_typed_text() {
        let empty: [&str; 0] = [];
        assert_eq!(kinds(&scope_string(empty).unwrap_err().problems), [Empty]);
        let duplicate = scope_string(["ZohoBooks.bills.READ", "ZohoBooks.bills.READ"]);
        assert_eq!(kinds(&duplicate.unwrap_err().problems), [Duplicate]);
        let owned: Vec<String> = vec!["zohobooks.bills.read".to_owned()];
        assert_eq!(
            scope_string(&owned).unwrap().scope_string,
            "ZohoBooks.bills.READ"
        );
    }
}
