//! What is wrong with an entry that is not a scope at all, said in plain words, and
//! the scope the person most likely meant: a quoted or semicolon-separated paste, a
//! missing operation, "VIEW" for READ, two scopes run together without a comma.

use super::catalog::Catalog;
use super::model::{Operation, Product};
use super::parse::Malformed;
use super::similarity;
use super::validate::{misspelled_service, validate, Finding, FindingKind};

/// Words people use for an operation, and the operation Zoho calls it.
const OPERATION_WORDS: [(&str, Operation); 20] = [
    ("VIEW", Operation::Read),
    ("GET", Operation::Read),
    ("SEE", Operation::Read),
    ("LIST", Operation::Read),
    ("FETCH", Operation::Read),
    ("ADD", Operation::Create),
    ("NEW", Operation::Create),
    ("POST", Operation::Create),
    ("INSERT", Operation::Create),
    ("EDIT", Operation::Update),
    ("CHANGE", Operation::Update),
    ("MODIFY", Operation::Update),
    ("PUT", Operation::Update),
    ("PATCH", Operation::Update),
    ("REMOVE", Operation::Delete),
    ("DEL", Operation::Delete),
    ("FULL", Operation::All),
    ("FULLACCESS", Operation::All),
    ("EVERYTHING", Operation::All),
    ("ANY", Operation::All),
];

/// The example shown when nothing closer to what was typed is known.
pub(super) const GENERIC_EXAMPLE: &str = "ZohoBooks.invoices.READ";

/// The finding for an entry that is not a well-formed scope, with a replacement to
/// offer when the intended scope is clear.
pub(super) fn malformed_finding(
    catalog: &Catalog,
    item: &str,
    malformed: Malformed<'_>,
) -> Finding {
    let finding = |kind, message: String, fix: String, suggestion: Option<String>| Finding {
        item: item.to_owned(),
        kind,
        message,
        fix,
        suggestion,
    };
    match malformed {
        Malformed::BadCharacter(c) => bad_character(item, c),
        Malformed::EmptyPart => {
            let cleaned = item
                .split('.')
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(".");
            finding(
                FindingKind::EmptyPart,
                format!(
                    "'{item}' has an empty part: two dots in a row, or a dot at the start or \
                     end."
                ),
                "Remove the extra dot, so that every part between dots has a name.".to_owned(),
                repaired(item, &cleaned),
            )
        }
        Malformed::NotAScope => {
            let product = catalog
                .product_for_service(item)
                .or_else(|| misspelled_service(catalog, item));
            match product {
                Some(product) => finding(
                    FindingKind::NotAScope,
                    format!(
                        "'{item}' is only the service name; a scope also says what it may \
                         use and how."
                    ),
                    format!("Add the rest, for example {}.", example_for(product, None)),
                    None,
                ),
                None if Operation::parse(item).is_some() => finding(
                    FindingKind::NotAScope,
                    format!("'{item}' is only the operation."),
                    format!(
                        "Put the service and scope name in front, for example {}.",
                        GENERIC_EXAMPLE
                    ),
                    None,
                ),
                None => finding(
                    FindingKind::NotAScope,
                    format!("'{item}' is not a scope."),
                    format!(
                        "Scopes look like Service.scope.OPERATION, for example {}.",
                        GENERIC_EXAMPLE
                    ),
                    None,
                ),
            }
        }
        Malformed::MissingOperation => {
            let read = format!("{item}.READ");
            let known = catalog.find_scope(&read).map(|(_, s)| s.scope.clone());
            let example = known.clone().unwrap_or(read);
            finding(
                FindingKind::MissingOperation,
                format!("'{item}' is missing the operation."),
                format!(
                    "Add the operation at the end: .READ to see, .CREATE to add, .UPDATE to \
                     change, .DELETE to remove or .ALL for everything; for example {example}."
                ),
                known,
            )
        }
        Malformed::MissingScopeName => {
            let (service, operation) = item.split_once('.').unwrap_or((item, ""));
            let example = catalog
                .product_for_service(service)
                .map(|product| example_for(product, Operation::parse(operation)))
                .unwrap_or_else(|| GENERIC_EXAMPLE.to_owned());
            finding(
                FindingKind::MissingScopeName,
                format!(
                    "'{item}' is missing the scope name between the service and the \
                     operation."
                ),
                format!("Put what it may use in the middle, for example {example}."),
                None,
            )
        }
        Malformed::TooManyParts => finding(
            FindingKind::TooManyParts,
            format!("'{item}' has too many parts for one scope."),
            "A scope has three parts, like ZohoBooks.invoices.READ (a few Zoho CRM scopes \
             have four, like ZohoCRM.modules.leads.READ). If two scopes ran together, put a \
             comma between them."
                .to_owned(),
            split_run_together(item).and_then(|split| repaired(item, &split)),
        ),
        Malformed::UnknownOperation(typed) => {
            let suggestion = guess_operation(typed).map(|operation| {
                let stem = &item[..item.len() - typed.len()];
                let spelled = if typed.chars().all(|c| c.is_ascii_lowercase()) {
                    operation.as_upper().to_ascii_lowercase()
                } else {
                    operation.as_upper().to_owned()
                };
                let rebuilt = format!("{stem}{spelled}");
                catalog
                    .find_scope(&rebuilt)
                    .map_or(rebuilt, |(_, known)| known.scope.clone())
            });
            let fix = match &suggestion {
                Some(suggestion) => format!(
                    "End it with READ, CREATE, UPDATE, DELETE or ALL; did you mean \
                     {suggestion}?"
                ),
                None => "End it with READ (see), CREATE (add), UPDATE (change), DELETE \
                         (remove) or ALL (everything)."
                    .to_owned(),
            };
            finding(
                FindingKind::UnknownOperation,
                format!("'{item}' ends in '{typed}', which is not an operation Zoho uses."),
                fix,
                suggestion,
            )
        }
    }
}

fn bad_character(item: &str, c: char) -> Finding {
    let (message, fix, suggestion) = match c {
        ';' => (
            format!("'{item}' contains a semicolon."),
            "Separate scopes with commas, not semicolons.".to_owned(),
            repaired(item, &item.replace(';', ",")),
        ),
        '"' | '\'' | '`' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' => (
            format!("'{item}' contains quotation marks."),
            "Remove the quotation marks.".to_owned(),
            repaired(
                item,
                &item.replace(
                    [
                        '"', '\'', '`', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}',
                    ],
                    "",
                ),
            ),
        ),
        '%' => (
            format!("'{item}' looks copied from a web address: it contains '%'."),
            "Replace each %2C with a comma and remove any other %-codes.".to_owned(),
            repaired(item, &item.replace("%2C", ",").replace("%2c", ",")),
        ),
        '*' => (
            format!("'{item}' contains '*', but Zoho scopes have no wildcards."),
            "Use ALL as the operation instead, for example ZohoBooks.invoices.ALL.".to_owned(),
            item.strip_suffix(".*")
                .and_then(|stem| repaired(item, &format!("{stem}.ALL"))),
        ),
        '/' | ':' => (
            format!("'{item}' looks like a web address, not a scope."),
            format!(
                "Enter only the scopes, such as {}, without the rest of the address.",
                GENERIC_EXAMPLE
            ),
            None,
        ),
        _ => (
            format!("'{item}' contains '{c}', which no scope contains."),
            format!("Use only letters, digits, underscores and dots: remove '{c}'."),
            None,
        ),
    };
    Finding {
        item: item.to_owned(),
        kind: FindingKind::BadCharacter,
        message,
        fix,
        suggestion,
    }
}

/// `fixed`, checked and normalized, when it differs from `item` and is a usable list.
fn repaired(item: &str, fixed: &str) -> Option<String> {
    if fixed == item {
        return None;
    }
    validate(fixed).ok().map(|valid| valid.scope_string)
}

/// A catalog scope of `product` to show as an example: with `operation` if it has one,
/// else its first scope that only reads.
fn example_for(product: &Product, operation: Option<Operation>) -> String {
    let wanted = operation.unwrap_or(Operation::Read);
    product
        .scopes
        .iter()
        .find(|s| s.operation == wanted)
        .or_else(|| product.scopes.first())
        .map_or_else(|| GENERIC_EXAMPLE.to_owned(), |s| s.scope.clone())
}

/// The operation a person most likely meant by `typed`: a word for it ("VIEW",
/// "EDIT") or a typo of it ("RAED").
fn guess_operation(typed: &str) -> Option<Operation> {
    OPERATION_WORDS
        .iter()
        .find(|(word, _)| word.eq_ignore_ascii_case(typed))
        .map(|(_, operation)| *operation)
        .or_else(|| {
            similarity::closest(
                typed,
                Operation::ALL_OPERATIONS.iter().map(|op| op.as_upper()),
                2,
            )
            .and_then(Operation::parse)
        })
}

/// Splits scopes typed without commas between them, such as
/// `ZohoBooks.invoices.READ.ZohoBooks.bills.READ` or
/// `ZohoBooks.invoices.READZohoBooks.bills.READ`, into a comma-separated list.
fn split_run_together(item: &str) -> Option<String> {
    let mut scopes: Vec<String> = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for part in item.split('.') {
        // Only once there is a service and a scope name can a part end a scope.
        if current.len() >= 2 {
            if Operation::parse(part).is_some() {
                current.push(part);
                scopes.push(current.join("."));
                current.clear();
                continue;
            }
            if let Some((operation, next_service)) = leading_operation(part) {
                current.push(operation);
                scopes.push(current.join("."));
                current = vec![next_service];
                continue;
            }
        }
        current.push(part);
    }
    (current.is_empty() && scopes.len() >= 2).then(|| scopes.join(","))
}

/// `("READ", "ZohoBooks")` for `"READZohoBooks"`: an operation glued to the next
/// scope's service name.
fn leading_operation(part: &str) -> Option<(&str, &str)> {
    let mut operations = Operation::ALL_OPERATIONS.map(Operation::as_upper);
    operations.sort_by_key(|op| std::cmp::Reverse(op.len()));
    operations.iter().find_map(|op| {
        let head = part.get(..op.len())?;
        let rest = &part[op.len()..];
        (head.eq_ignore_ascii_case(op) && !rest.is_empty()).then_some((head, rest))
    })
}
