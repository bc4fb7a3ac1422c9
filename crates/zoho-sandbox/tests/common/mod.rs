//! Shared harness for the sandbox's integration tests: start a sandbox, talk to it over
//! real HTTP the way a client of Zoho would, and read what comes back.
#![allow(dead_code)]

use reqwest::redirect::Policy;
use serde_json::Value;
use zoho_sandbox::{ClientSpec, Decision, RegisteredClient, Sandbox, SandboxOptions};

pub const REDIRECT_URI: &str = "http://localhost:53682/callback";
pub const BOOKS_READ: &str = "ZohoBooks.settings.READ";

pub async fn start() -> Sandbox {
    Sandbox::start(SandboxOptions::default())
        .await
        .expect("the sandbox starts on an ephemeral port")
}

/// A client that, like the app's own, does not follow redirects.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .expect("http client")
}

pub async fn json_of(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let text = response.text().await.expect("a body");
    let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, value)
}

pub async fn post_token(accounts: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let response = http()
        .post(format!("{accounts}/oauth/v2/token"))
        .form(form)
        .send()
        .await
        .expect("token request");
    json_of(response).await
}

/// Exchanges a code; `redirect_uri` and `verifier` are sent when given.
pub async fn exchange(
    accounts: &str,
    client: &RegisteredClient,
    code: &str,
    redirect_uri: Option<&str>,
    verifier: Option<&str>,
) -> (u16, Value) {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("client_id", client.client_id.as_str()),
        ("client_secret", client.client_secret.as_str()),
        ("code", code),
    ];
    if let Some(uri) = redirect_uri {
        form.push(("redirect_uri", uri));
    }
    if let Some(verifier) = verifier {
        form.push(("code_verifier", verifier));
    }
    post_token(accounts, &form).await
}

pub async fn refresh(
    accounts: &str,
    client: &RegisteredClient,
    refresh_token: &str,
) -> (u16, Value) {
    post_token(
        accounts,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", &client.client_id),
            ("client_secret", &client.client_secret),
            ("refresh_token", refresh_token),
        ],
    )
    .await
}

pub async fn revoke(accounts: &str, token: &str) -> (u16, Value) {
    let response = http()
        .post(format!("{accounts}/oauth/v2/token/revoke"))
        .query(&[("token", token)])
        .send()
        .await
        .expect("revoke request");
    json_of(response).await
}

pub async fn organizations(api_domain: &str, access_token: Option<&str>) -> (u16, Value) {
    let mut request = http().get(format!("{api_domain}/books/v3/organizations"));
    if let Some(token) = access_token {
        request = request.header("Authorization", format!("Zoho-oauthtoken {token}"));
    }
    json_of(request.send().await.expect("organizations request")).await
}

/// An authorize URL at `accounts` with the usual parameters; `overrides` replace or add.
pub fn authorize_url(accounts: &str, client_id: &str, overrides: &[(&str, &str)]) -> String {
    let mut params: Vec<(String, String)> = [
        ("scope", BOOKS_READ),
        ("client_id", client_id),
        ("response_type", "code"),
        ("redirect_uri", REDIRECT_URI),
        ("access_type", "offline"),
        ("prompt", "consent"),
        ("state", "st-123"),
    ]
    .iter()
    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
    .collect();
    for (name, value) in overrides {
        params.retain(|(k, _)| k != name);
        params.push(((*name).to_owned(), (*value).to_owned()));
    }
    let mut url = url::Url::parse(&format!("{accounts}/oauth/v2/auth")).expect("url");
    url.query_pairs_mut().extend_pairs(params);
    url.to_string()
}

/// A query parameter of a redirect URL.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    url::Url::parse(url)
        .expect("an absolute redirect URL")
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

pub fn server_client(sandbox: &Sandbox, location: &str, multi_dc: bool) -> RegisteredClient {
    sandbox.register_client(ClientSpec {
        multi_dc,
        ..ClientSpec::server_based(location, REDIRECT_URI)
    })
}

/// Runs the consent page for `user` and returns the code from the redirect.
pub async fn consent_code(
    sandbox: &Sandbox,
    client: &RegisteredClient,
    user: &str,
    overrides: &[(&str, &str)],
) -> String {
    let url = authorize_url(&sandbox.base_url(), &client.client_id, overrides);
    let redirect = sandbox
        .consent(&url, user, Decision::Accept)
        .await
        .expect("consent accepted");
    query_param(&redirect, "code").expect("a code on the redirect")
}

/// Registers a Self Client in `location` for `owner` and exchanges one code with `scope`.
pub async fn self_client_tokens(
    sandbox: &Sandbox,
    location: &str,
    owner: &str,
    scope: &str,
) -> (RegisteredClient, Value) {
    let client = sandbox.register_client(ClientSpec::self_client(location, owner));
    let code = sandbox
        .generate_self_client_code(&client.client_id, scope, 3)
        .expect("code");
    let (status, body) =
        exchange(&sandbox.accounts_url(location), &client, &code, None, None).await;
    assert_eq!(status, 200);
    assert!(body["access_token"].is_string(), "{body}");
    (client, body)
}

pub fn str_of<'a>(body: &'a Value, field: &str) -> &'a str {
    body[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} missing in {body}"))
}

/// True for `1000.<32 hex>.<32 hex>`.
pub fn is_zoho_token(value: &str) -> bool {
    let parts: Vec<&str> = value.split('.').collect();
    parts.len() == 3
        && parts[0] == "1000"
        && parts[1..]
            .iter()
            .all(|p| p.len() == 32 && p.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f')))
}

/// GETs `url`, with `Authorization: Zoho-oauthtoken <token>` when a token is given.
pub async fn get_with_token(url: &str, access_token: Option<&str>) -> (u16, Value) {
    let mut request = http().get(url);
    if let Some(token) = access_token {
        request = request.header("Authorization", format!("Zoho-oauthtoken {token}"));
    }
    json_of(request.send().await.expect("GET request")).await
}

/// GETs `url` with exactly this `Authorization` header value.
pub async fn get_with_authorization(url: &str, authorization: &str) -> (u16, Value) {
    let response = http()
        .get(url)
        .header("Authorization", authorization)
        .send()
        .await
        .expect("GET request");
    json_of(response).await
}

/// A Self Client access token of `owner`, who lives in `location`, with `scope`.
pub async fn access_token(sandbox: &Sandbox, location: &str, owner: &str, scope: &str) -> String {
    let (_, tokens) = self_client_tokens(sandbox, location, owner, scope).await;
    str_of(&tokens, "access_token").to_owned()
}

/// What the sandbox logged while a test ran, for checks that no secret is in it.
#[derive(Clone, Default)]
pub struct CapturedLogs(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl CapturedLogs {
    /// Captures events up to `level` on this thread until the guard is dropped. Tests
    /// using it run on a current-thread runtime, so the server's tasks log here too.
    pub fn start(level: tracing::Level) -> (Self, tracing::subscriber::DefaultGuard) {
        let captured = CapturedLogs::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(level)
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        (captured, tracing::subscriber::set_default(subscriber))
    }

    /// Everything logged so far.
    pub fn text(&self) -> String {
        let bytes = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        String::from_utf8_lossy(&bytes).into_owned()
    }
}

impl std::io::Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
