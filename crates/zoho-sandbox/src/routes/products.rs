//! The Books family's APIs on a DC's API domain: every product's organizations
//! (`GET {api}/books/v3/organizations`, `/inventory/v1/organizations`,
//! `/invoice/v3/organizations`, `/expense/v1/organizations`) and the reads that act in
//! one organization (`GET {api}/books/v3/invoices`, `/inventory/v1/items`). They answer
//! as Books does: code 0 on success, HTTP 401 code 14 for a missing or bad token, HTTP 401
//! code 57 for a missing scope, and, for a user with several organizations who names
//! none, HTTP 400 code 6024 with the list to choose from: the sandbox never picks one.

use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, MethodRouter};
use serde::Serialize;
use serde_json::json;

use super::oauth_header::credential;
use super::{json_response, DcState};
use crate::api_access::{self, ApiFailure};
use crate::params::Params;
use crate::product::{self, Listing, OrgChoice, Product};
use crate::scopes;
use crate::users::{self, Invoice, Item, Organization};

/// Code 6024's message, word for word.
const SEVERAL_ORGANIZATIONS: &str =
    "This user belongs to multiple organizations. Please select an organization.";

#[derive(Serialize)]
struct OrganizationsResponse<'a> {
    code: u32,
    message: &'static str,
    organizations: &'a [Organization],
}

/// Code 6024: the user must say which organization the call is for.
#[derive(Serialize)]
struct SeveralOrganizations {
    code: u32,
    message: &'static str,
    error_info: Vec<OrganizationChoice>,
}

/// One entry of code 6024's `error_info`.
#[derive(Serialize)]
struct OrganizationChoice {
    organization_id: &'static str,
    name: &'static str,
}

/// A listing's answer: its records under their own key, then `page_context`.
#[derive(Serialize)]
struct Page {
    code: u32,
    message: &'static str,
    #[serde(flatten)]
    records: Records,
    page_context: PageContext,
}

#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum Records {
    Invoices(Vec<Invoice>),
    Items(Vec<Item>),
}

#[derive(Serialize)]
struct PageContext {
    page: u32,
    per_page: u32,
    has_more_page: bool,
    report_name: &'static str,
    applied_filter: &'static str,
    sort_column: &'static str,
    sort_order: &'static str,
}

/// `GET {api}/{product}/.../organizations`.
pub(crate) fn organizations(product: Product) -> MethodRouter<DcState> {
    get(
        move |State(state): State<DcState>, headers: HeaderMap| async move {
            list_organizations(&state, product, &headers)
        },
    )
}

/// `GET {api}/books/v3/invoices` and the like, with `organization_id` in the query.
pub(crate) fn listing(listing: Listing) -> MethodRouter<DcState> {
    get(
        move |State(state): State<DcState>, RawQuery(query): RawQuery, headers: HeaderMap| async move {
            read_listing(&state, listing, query.as_deref(), &headers)
        },
    )
}

fn list_organizations(state: &DcState, product: Product, headers: &HeaderMap) -> Response {
    let outcome = api_access::authorize(
        &state.shared,
        state.dc,
        credential(headers).token(),
        |scopes| scopes::allows_organizations(product, scopes),
    );
    tracing::debug!(
        dc = %state.dc,
        product = product.label(),
        outcome = outcome.as_ref().map_or_else(|f| f.label(), |_| "listed"),
        "organizations"
    );
    match outcome {
        Ok(user) => json_response(
            StatusCode::OK,
            &OrganizationsResponse {
                code: 0,
                message: "success",
                organizations: user.organizations(product),
            },
        ),
        Err(failure) => refusal(failure),
    }
}

fn read_listing(
    state: &DcState,
    listing: Listing,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Response {
    let user = match api_access::authorize(
        &state.shared,
        state.dc,
        credential(headers).token(),
        |scopes| scopes::allows_listing(listing, scopes),
    ) {
        Ok(user) => user,
        Err(failure) => {
            tracing::debug!(dc = %state.dc, listing = listing.key(), outcome = failure.label(), "organization read");
            return refusal(failure);
        }
    };
    let params = Params::from_query(query);
    let choice = product::choose(
        user.organizations(listing.product()),
        params.get("organization_id"),
    );
    tracing::debug!(
        dc = %state.dc,
        listing = listing.key(),
        outcome = match &choice {
            OrgChoice::Chosen(_) => "listed",
            OrgChoice::Ambiguous(_) => "organization not chosen",
            OrgChoice::NotTheUsers => "not the user's organization",
        },
        "organization read"
    );
    match choice {
        OrgChoice::Chosen(org) => page(listing, org),
        OrgChoice::Ambiguous(orgs) => json_response(
            StatusCode::BAD_REQUEST,
            &SeveralOrganizations {
                code: 6024,
                message: SEVERAL_ORGANIZATIONS,
                error_info: orgs
                    .iter()
                    .map(|org| OrganizationChoice {
                        organization_id: org.organization_id,
                        name: org.name,
                    })
                    .collect(),
            },
        ),
        // Zoho's authorization layer: the user may not act in an organization that is not
        // theirs, which is the same refusal as a missing scope.
        OrgChoice::NotTheUsers => refusal(ApiFailure::NotAuthorized),
    }
}

/// The first (and only) page of a listing's records.
fn page(listing: Listing, org: &Organization) -> Response {
    let records = match listing {
        Listing::BooksInvoices => Records::Invoices(users::invoices(org)),
        Listing::InventoryItems => Records::Items(users::items(org)),
    };
    json_response(
        StatusCode::OK,
        &Page {
            code: 0,
            message: "success",
            records,
            page_context: PageContext {
                page: 1,
                per_page: 200,
                has_more_page: false,
                report_name: listing.report_name(),
                applied_filter: "Status.All",
                sort_column: "created_time",
                sort_order: "D",
            },
        },
    )
}

/// Books' answers to a refused call.
fn refusal(failure: ApiFailure) -> Response {
    match failure {
        ApiFailure::InvalidToken => json_response(
            StatusCode::UNAUTHORIZED,
            &json!({ "code": 14, "message": "Invalid OAuth token." }),
        ),
        ApiFailure::NotAuthorized => json_response(
            StatusCode::UNAUTHORIZED,
            &json!({ "code": 57, "message": "You are not authorized to perform this operation" }),
        ),
    }
}
