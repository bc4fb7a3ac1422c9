//! The shapes a token or revoke request may take: the query string, a URL-encoded body
//! and a multipart body are read, as Zoho reads them; a JSON or plain-text body is not a
//! form, so its fields count as missing and nothing is spent by the refused attempt.

mod common;

use common::*;
use reqwest::header::CONTENT_TYPE;
use reqwest::multipart::{Form, Part};
use reqwest::RequestBuilder;
use serde_json::{json, Value};
use zoho_sandbox::{ClientSpec, RegisteredClient, Sandbox, DEMO_US_USER};

/// RFC 7636 appendix B: a verifier and its S256 challenge.
const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

const BOUNDARY: &str = "----HandBuiltBoundary7MA4YWxkTrZu0gW";
const UNKNOWN_CODE: &str = "1000.00000000000000000000000000000000.00000000000000000000000000000000";

/// How the parameters travel.
#[derive(Clone, Copy, Debug)]
enum Shape {
    Query,
    UrlEncoded,
    /// Built by reqwest's multipart encoder.
    Multipart,
    /// Built here, byte for byte, so the encoder is not the only one tested.
    HandBuiltMultipart,
}

const SHAPES: [Shape; 4] = [
    Shape::Query,
    Shape::UrlEncoded,
    Shape::Multipart,
    Shape::HandBuiltMultipart,
];

/// The body shapes only (for the rule that the body wins over the query).
const BODY_SHAPES: [Shape; 3] = [
    Shape::UrlEncoded,
    Shape::Multipart,
    Shape::HandBuiltMultipart,
];

/// A multipart body with one text part per field, CRLF line ends, as RFC 7578 has it.
fn hand_built_multipart(fields: &[(&str, &str)]) -> String {
    let mut body = String::new();
    for (name, value) in fields {
        body.push_str(&format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{BOUNDARY}--\r\n"));
    body
}

fn hand_built_content_type() -> String {
    format!("multipart/form-data; boundary={BOUNDARY}")
}

fn with_params(request: RequestBuilder, shape: Shape, fields: &[(&str, &str)]) -> RequestBuilder {
    match shape {
        Shape::Query => request.query(fields),
        Shape::UrlEncoded => request.form(fields),
        Shape::Multipart => {
            let form = fields.iter().fold(Form::new(), |form, (name, value)| {
                form.text((*name).to_owned(), (*value).to_owned())
            });
            request.multipart(form)
        }
        Shape::HandBuiltMultipart => request
            .header(CONTENT_TYPE, hand_built_content_type())
            .body(hand_built_multipart(fields)),
    }
}

async fn send(request: RequestBuilder) -> (u16, Value) {
    json_of(request.send().await.expect("request")).await
}

async fn post_token_as(accounts: &str, shape: Shape, fields: &[(&str, &str)]) -> (u16, Value) {
    let request = http().post(format!("{accounts}/oauth/v2/token"));
    send(with_params(request, shape, fields)).await
}

/// A request to `{accounts}{path}` whose body has `content_type` (none when `None`).
async fn post_raw(
    accounts: &str,
    path: &str,
    content_type: Option<&str>,
    body: String,
) -> (u16, Value) {
    let mut request = http().post(format!("{accounts}{path}")).body(body);
    if let Some(content_type) = content_type {
        request = request.header(CONTENT_TYPE, content_type);
    }
    send(request).await
}

/// The same fields in bodies that are not forms: JSON, plain text holding a URL-encoded
/// string, and a URL-encoded string with no content type at all.
fn bodies_that_are_not_forms(fields: &[(&str, &str)]) -> Vec<(Option<&'static str>, String)> {
    let object: serde_json::Map<String, Value> = fields
        .iter()
        .map(|(k, v)| ((*k).to_owned(), json!(v)))
        .collect();
    let encoded = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(fields)
        .finish();
    vec![
        (Some("application/json"), Value::Object(object).to_string()),
        (Some("text/plain"), encoded.clone()),
        (Some("text/plain; charset=UTF-8"), encoded.clone()),
        (None, encoded),
    ]
}

fn self_client_code(sandbox: &Sandbox, client: &RegisteredClient) -> String {
    sandbox
        .generate_self_client_code(&client.client_id, BOOKS_READ, 3)
        .expect("code")
}

fn code_fields<'a>(client: &'a RegisteredClient, code: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "authorization_code"),
        ("client_id", &client.client_id),
        ("client_secret", &client.client_secret),
        ("code", code),
    ]
}

fn refresh_fields<'a>(
    client: &'a RegisteredClient,
    refresh_token: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("grant_type", "refresh_token"),
        ("client_id", &client.client_id),
        ("client_secret", &client.client_secret),
        ("refresh_token", refresh_token),
    ]
}

/// Asserts a token answer and that its access token opens Books.
async fn assert_tokens(sandbox: &Sandbox, body: &Value, context: &str) {
    let access = body["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{context}: no access token in {body}"));
    assert!(is_zoho_token(access), "{context}: {access}");
    assert_eq!(
        organizations(&sandbox.api_url("us"), Some(access)).await.0,
        200,
        "{context}"
    );
}

fn basic(client: &RegisteredClient) -> String {
    use base64::Engine as _;
    let pair = format!("{}:{}", client.client_id, client.client_secret);
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

#[tokio::test]
async fn a_self_client_code_exchanges_in_every_shape() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    for shape in SHAPES {
        let code = self_client_code(&sandbox, &client);
        let (status, body) = post_token_as(&base, shape, &code_fields(&client, &code)).await;
        assert_eq!(status, 200, "{shape:?}: {body}");
        assert!(body["refresh_token"].is_string(), "{shape:?}: {body}");
        assert_tokens(&sandbox, &body, &format!("{shape:?}")).await;
    }
}

#[tokio::test]
async fn a_consent_code_with_redirect_uri_and_verifier_exchanges_in_every_shape() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = server_client(&sandbox, "us", false);
    let pkce = [
        ("code_challenge", CHALLENGE),
        ("code_challenge_method", "S256"),
    ];
    for shape in SHAPES {
        let code = consent_code(&sandbox, &client, DEMO_US_USER, &pkce).await;
        let mut fields = code_fields(&client, &code);
        fields.push(("redirect_uri", REDIRECT_URI));

        // Without the verifier the exchange is refused: the shape really carries it.
        let (status, body) = post_token_as(&base, shape, &fields).await;
        assert_eq!(
            (status, body),
            (200, json!({"error": "invalid_request"})),
            "{shape:?}"
        );

        fields.push(("code_verifier", VERIFIER));
        let (status, body) = post_token_as(&base, shape, &fields).await;
        assert_eq!(status, 200, "{shape:?}: {body}");
        assert!(body["refresh_token"].is_string(), "{shape:?}: {body}");
        assert_tokens(&sandbox, &body, &format!("{shape:?}")).await;
    }
}

#[tokio::test]
async fn a_refresh_token_refreshes_in_every_shape() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let refresh_token = str_of(&tokens, "refresh_token");
    for shape in SHAPES {
        let (status, body) =
            post_token_as(&base, shape, &refresh_fields(&client, refresh_token)).await;
        assert_eq!(status, 200, "{shape:?}: {body}");
        assert!(body.get("refresh_token").is_none(), "{shape:?}: {body}");
        assert_ne!(
            str_of(&body, "access_token"),
            str_of(&tokens, "access_token")
        );
        assert_tokens(&sandbox, &body, &format!("{shape:?}")).await;
    }
}

#[tokio::test]
async fn both_revoke_endpoints_revoke_in_every_shape() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    for shape in SHAPES {
        let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
        let refresh_token = str_of(&tokens, "refresh_token");
        let request = http().post(format!("{base}/oauth/v2/token/revoke"));
        assert_eq!(
            send(with_params(request, shape, &[("token", refresh_token)])).await,
            (200, json!({"status": "success"})),
            "old endpoint, {shape:?}"
        );
        assert_eq!(
            refresh(&base, &client, refresh_token).await,
            (200, json!({"error": "invalid_code"})),
            "old endpoint, {shape:?}"
        );

        let (client, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
        let refresh_token = str_of(&tokens, "refresh_token");
        let request = http()
            .post(format!("{base}/oauth/v2/revoke/token"))
            .header("Authorization", basic(&client));
        let fields = [("token", refresh_token), ("token_type", "refresh_token")];
        assert_eq!(
            send(with_params(request, shape, &fields)).await,
            (200, json!({"status": "success"})),
            "newer endpoint, {shape:?}"
        );
        assert_eq!(
            refresh(&base, &client, refresh_token).await,
            (200, json!({"error": "invalid_code"})),
            "newer endpoint, {shape:?}"
        );
    }
}

#[tokio::test]
async fn a_body_that_is_not_a_form_is_refused_and_spends_no_code() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let self_client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let server = server_client(&sandbox, "us", false);
    let self_code = self_client_code(&sandbox, &self_client);
    let consent = consent_code(
        &sandbox,
        &server,
        DEMO_US_USER,
        &[
            ("code_challenge", CHALLENGE),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    let mut consent_fields = code_fields(&server, &consent);
    consent_fields.push(("redirect_uri", REDIRECT_URI));
    consent_fields.push(("code_verifier", VERIFIER));
    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let refresh_token = str_of(&tokens, "refresh_token");
    let (refresh_client, refresh_tokens) =
        self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let own_refresh_token = str_of(&refresh_tokens, "refresh_token");

    let token_requests = [
        ("self client code", code_fields(&self_client, &self_code)),
        ("consent code", consent_fields.clone()),
        (
            "refresh",
            refresh_fields(&refresh_client, own_refresh_token),
        ),
    ];
    for (what, fields) in &token_requests {
        for (content_type, body) in bodies_that_are_not_forms(fields) {
            assert_eq!(
                post_raw(&base, "/oauth/v2/token", content_type, body).await,
                (200, json!({"error": "invalid_request"})),
                "{what} as {content_type:?}"
            );
        }
    }

    for (content_type, body) in bodies_that_are_not_forms(&[("token", refresh_token)]) {
        assert_eq!(
            post_raw(&base, "/oauth/v2/token/revoke", content_type, body).await,
            (400, json!({"status": "failure", "error": "invalid_token"})),
            "old revoke as {content_type:?}"
        );
    }
    let newer = [
        ("token", own_refresh_token),
        ("token_type", "refresh_token"),
    ];
    for (content_type, body) in bodies_that_are_not_forms(&newer) {
        let mut request = http()
            .post(format!("{base}/oauth/v2/revoke/token"))
            .header("Authorization", basic(&refresh_client))
            .body(body);
        if let Some(content_type) = content_type {
            request = request.header(CONTENT_TYPE, content_type);
        }
        assert_eq!(
            send(request).await,
            (400, json!({"error": "invalid_request"})),
            "newer revoke as {content_type:?}"
        );
    }

    // Nothing was spent or revoked by the refused attempts.
    let (_, body) = post_token(&base, &code_fields(&self_client, &self_code)).await;
    assert_tokens(&sandbox, &body, "self client code after refusals").await;
    let (_, body) = post_token(&base, &consent_fields).await;
    assert_tokens(&sandbox, &body, "consent code after refusals").await;
    assert_tokens(&sandbox, &tokens, "access token after refused revokes").await;
    let (_, body) = refresh(&base, &refresh_client, own_refresh_token).await;
    assert_tokens(&sandbox, &body, "refresh token after refused revokes").await;
}

#[tokio::test]
async fn query_parameters_count_beside_a_body_that_is_not_a_form() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let code = self_client_code(&sandbox, &client);
    let fields = code_fields(&client, &code);
    let decoy = json!({"code": UNKNOWN_CODE, "client_secret": "f".repeat(42)});
    let response = http()
        .post(format!("{base}/oauth/v2/token"))
        .query(&fields)
        .json(&decoy)
        .send()
        .await
        .expect("token request");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");
    assert_tokens(&sandbox, &body, "query with a JSON body").await;
}

#[tokio::test]
async fn the_body_wins_over_the_query_and_the_two_combine() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    for shape in BODY_SHAPES {
        let code = self_client_code(&sandbox, &client);
        let request = http().post(format!("{base}/oauth/v2/token")).query(&[
            ("code", UNKNOWN_CODE),
            ("client_id", client.client_id.as_str()),
        ]);
        let body_fields = [
            ("grant_type", "authorization_code"),
            ("client_secret", client.client_secret.as_str()),
            ("code", code.as_str()),
        ];
        let (status, body) = send(with_params(request, shape, &body_fields)).await;
        assert_eq!(status, 200, "{shape:?}: {body}");
        assert_tokens(&sandbox, &body, &format!("{shape:?}")).await;
    }
}

#[tokio::test]
async fn the_form_type_is_matched_without_case_and_may_name_a_charset() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    for content_type in [
        "application/x-www-form-urlencoded; charset=UTF-8",
        "Application/X-WWW-Form-URLEncoded",
        "MULTIPART/FORM-DATA; boundary=\"----HandBuiltBoundary7MA4YWxkTrZu0gW\"",
    ] {
        let code = self_client_code(&sandbox, &client);
        let fields = code_fields(&client, &code);
        let body = if content_type.to_ascii_lowercase().starts_with("multipart") {
            hand_built_multipart(&fields)
        } else {
            url::form_urlencoded::Serializer::new(String::new())
                .extend_pairs(&fields)
                .finish()
        };
        let (status, body) = post_raw(&base, "/oauth/v2/token", Some(content_type), body).await;
        assert_eq!(status, 200, "{content_type}: {body}");
        assert_tokens(&sandbox, &body, content_type).await;
    }
}

#[tokio::test]
async fn a_file_part_an_empty_part_or_a_damaged_multipart_body_reads_as_missing() {
    let sandbox = start().await;
    let base = sandbox.base_url();
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let code = self_client_code(&sandbox, &client);
    let fields = code_fields(&client, &code);
    let refused = (200, json!({"error": "invalid_request"}));

    // The secret sent as a file, not as a field.
    let form = Form::new()
        .text("grant_type", "authorization_code")
        .text("client_id", client.client_id.clone())
        .text("code", code.clone())
        .part(
            "client_secret",
            Part::text(client.client_secret.clone())
                .file_name("secret.txt")
                .mime_str("text/plain")
                .expect("mime"),
        );
    let request = http()
        .post(format!("{base}/oauth/v2/token"))
        .multipart(form);
    assert_eq!(send(request).await, refused, "a file part");

    let mut empty_code = fields.clone();
    empty_code.retain(|(k, _)| *k != "code");
    empty_code.push(("code", ""));
    assert_eq!(
        post_token_as(&base, Shape::HandBuiltMultipart, &empty_code).await,
        refused,
        "an empty code"
    );

    let whole = hand_built_multipart(&fields);
    let unterminated = whole.replace(&format!("--{BOUNDARY}--\r\n"), "");
    let damaged: [(&str, String, String); 3] = [
        (
            "no closing boundary",
            hand_built_content_type(),
            unterminated,
        ),
        (
            "another boundary than announced",
            "multipart/form-data; boundary=SomethingElse".to_owned(),
            whole.clone(),
        ),
        (
            "no boundary announced",
            "multipart/form-data".to_owned(),
            whole.clone(),
        ),
    ];
    for (what, content_type, body) in damaged {
        assert_eq!(
            post_raw(&base, "/oauth/v2/token", Some(&content_type), body).await,
            refused,
            "{what}"
        );
    }

    let (_, tokens) = self_client_tokens(&sandbox, "us", DEMO_US_USER, BOOKS_READ).await;
    let revoke_body = hand_built_multipart(&[("token", str_of(&tokens, "refresh_token"))]);
    let cut = revoke_body.replace(&format!("--{BOUNDARY}--\r\n"), "");
    assert_eq!(
        post_raw(
            &base,
            "/oauth/v2/token/revoke",
            Some(&hand_built_content_type()),
            cut
        )
        .await,
        (400, json!({"status": "failure", "error": "invalid_token"})),
        "a damaged revoke body"
    );
    assert_tokens(&sandbox, &tokens, "after the damaged revoke").await;

    // None of it spent the code.
    let (_, body) = post_token_as(&base, Shape::HandBuiltMultipart, &fields).await;
    assert_tokens(&sandbox, &body, "the code after the refusals").await;
}
