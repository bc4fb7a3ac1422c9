//! What a product's refusal means, in the words of [`Error`]: each product family has
//! its own codes, and a "missing scope" must name the scope *this* call needs, never
//! another product's.
//!
//! - The Books family (Books, Inventory, Invoice, Expense): numeric codes, 57 "not
//!   authorized" for a missing scope, 14 "Invalid OAuth token".
//! - CRM: words, `OAUTH_SCOPE_MISMATCH`, `INVALID_TOKEN`, and `AUTHENTICATION_FAILURE`
//!   when it could not read a token from the request at all.

use super::calls::TestCall;
use super::wire::ErrorBody;
use crate::error::{safe_code, Error};

/// What the refused call was, for the error to name.
#[derive(Clone, Copy, Debug)]
pub(super) struct Refused {
    /// The product whose codes the answer uses.
    pub product: TestCall,
    /// The scope the call needs.
    pub scope: &'static str,
}

/// The error for a refusal of a Books-family call.
pub(super) fn books_family(status: u16, body: &ErrorBody, refused: Refused) -> Error {
    if body.number() == Some(57) || is_scope_mismatch(body) {
        Error::MissingScope {
            scope: refused.scope,
        }
    } else if body.number() == Some(14)
        || body.says_invalid_token()
        || (status == 401 && !body.has_code())
    {
        Error::InvalidAccessToken
    } else {
        unexpected(status, body, refused.product)
    }
}

/// The error for a refusal of a CRM call.
pub(super) fn crm(status: u16, body: &ErrorBody, refused: Refused) -> Error {
    let word = body.word().unwrap_or("");
    if is_scope_mismatch(body) {
        Error::MissingScope {
            scope: refused.scope,
        }
    } else if body.says_invalid_token()
        // The app always sends the token; CRM not finding one means it was unreadable.
        || word.eq_ignore_ascii_case("AUTHENTICATION_FAILURE")
        || (status == 401 && !body.has_code())
    {
        Error::InvalidAccessToken
    } else if word.eq_ignore_ascii_case("NO_CRM_ACCOUNT") || body.number() == Some(4102) {
        Error::NoProductAccount {
            product: refused.product.product_name(),
        }
    } else {
        unexpected(status, body, refused.product)
    }
}

fn is_scope_mismatch(body: &ErrorBody) -> bool {
    body.word()
        .is_some_and(|w| w.eq_ignore_ascii_case("OAUTH_SCOPE_MISMATCH"))
}

fn unexpected(status: u16, body: &ErrorBody, product: TestCall) -> Error {
    Error::Unexpected {
        code: match (body.number(), body.word()) {
            (Some(n), _) => format!("{} code {n}", product.product_name()),
            (None, Some(word)) => safe_code(word),
            (None, None) => format!("HTTP {status}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value};

    use super::*;
    use crate::error::UserFacing;

    fn body(value: Value) -> ErrorBody {
        ErrorBody::read(value.to_string().as_bytes())
    }

    fn refused(product: TestCall) -> Refused {
        Refused {
            product,
            scope: product.scope(),
        }
    }

    #[test]
    fn books_family_codes_map_to_what_the_user_can_fix() {
        for product in [
            TestCall::Books,
            TestCall::Inventory,
            TestCall::Invoice,
            TestCall::Expense,
        ] {
            let map = |status, value| books_family(status, &body(value), refused(product));
            let missing = map(
                401,
                json!({"code": 57, "message": "You are not authorized to perform this operation"}),
            );
            match &missing {
                Error::MissingScope { scope } => assert_eq!(*scope, product.scope()),
                other => panic!("{other:?}"),
            }
            assert!(missing.to_string().contains(product.scope()));
            assert!(missing.hint().contains(product.scope()));
            let cases = [
                (
                    401,
                    json!({"code": 14, "message": "Invalid OAuth token."}),
                    "invalid_access_token",
                ),
                (
                    401,
                    json!({"code": "INVALID_TOKEN"}),
                    "invalid_access_token",
                ),
                (
                    400,
                    json!({"code": 1002, "message": "Invalid AuthToken"}),
                    "invalid_access_token",
                ),
                (401, json!({}), "invalid_access_token"),
                (
                    400,
                    json!({"code": 6041, "message": "Something else"}),
                    "unexpected",
                ),
            ];
            for (status, value, kind) in cases {
                assert_eq!(
                    map(status, value.clone()).kind(),
                    kind,
                    "{product:?} {value}"
                );
            }
        }
        let other = books_family(
            400,
            &body(json!({"code": 6041})),
            refused(TestCall::Inventory),
        );
        assert!(
            other.to_string().contains("Zoho Inventory code 6041"),
            "{other}"
        );
    }

    #[test]
    fn crm_words_map_to_what_the_user_can_fix() {
        let map = |value| crm(401, &body(value), refused(TestCall::Crm));
        let missing = map(json!({
            "code": "OAUTH_SCOPE_MISMATCH",
            "details": {},
            "message": "invalid oauth scope to access this URL",
            "status": "error"
        }));
        assert!(
            matches!(
                missing,
                Error::MissingScope {
                    scope: "ZohoCRM.org.READ"
                }
            ),
            "{missing:?}"
        );
        for code in ["INVALID_TOKEN", "AUTHENTICATION_FAILURE"] {
            let err = map(json!({"code": code, "details": {}, "message": "x", "status": "error"}));
            assert_eq!(err.kind(), "invalid_access_token", "{code}");
        }
        let none = map(json!({"code": "NO_CRM_ACCOUNT", "status": "error"}));
        assert_eq!(none.kind(), "no_product_account");
        assert!(none.to_string().contains("Zoho CRM"), "{none}");
        let odd = map(json!({"code": "1000.secretlooking.value"}));
        assert_eq!(odd.kind(), "unexpected");
        assert!(!odd.to_string().contains("secretlooking"));
    }
}
