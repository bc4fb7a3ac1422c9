//! The connection being made in the window: the client the person registered, and the
//! tokens and organizations Zoho gave back. Everything secret stays here, in Rust; the
//! UI gets identifiers, masked values, expiries and outcomes.
//!
//! One connection is made at a time. Every step checks that it happens in the
//! environment (Zoho or a practice server) the connection was started in, since a
//! client or a token of one means nothing to the other.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Serialize;
use time::OffsetDateTime;
use tokio::sync::Mutex;
use zoho_oauth_core::{
    client_id_problem, client_secret_problem, ApiClient, CallbackListener, CancelHandle,
    ClientCredentials, ClientSecret, ClientType, DataCenter, GrantCode, ListenerOptions,
    Organization, OrganizationChoice, PendingConsent, RedirectUri, Soid, SystemClock, TokenClient,
    Tokens, ZohoEnv, ZohoUser,
};

use crate::error::{AppError, CommandError};

mod client_credentials;

/// The registered client, as the UI may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientView {
    /// Self Client or server-based.
    pub client_type: ClientType,
    /// The Client ID (not secret: it travels in authorize URLs).
    pub client_id: String,
    /// The data center whose API Console issued it.
    pub dc: DataCenter,
    /// The secret's length and last characters, so the person can tell which one it is.
    pub secret_hint: String,
}

/// What the format checks say about the two fields as typed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ClientFieldCheck {
    /// Why the Client ID cannot be right, or `None`.
    pub client_id: Option<String>,
    /// Why the Client Secret cannot be right, or `None`.
    pub client_secret: Option<String>,
}

/// The state of a new connection after the code exchange.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TokensView {
    /// Where the account lives.
    pub dc: DataCenter,
    /// The scopes Zoho granted, as it said them.
    pub scope: Option<String>,
    /// Where API calls go.
    pub api_domain: String,
    /// When the access token stops working (RFC 3339).
    pub access_expires_at: String,
    /// Seconds left on the access token right now.
    pub access_seconds_left: i64,
    /// The refresh token, masked.
    pub refresh_token_masked: Option<String>,
    /// The access token, masked.
    pub access_token_masked: String,
    /// The Zoho Payments account of an organization-level grant (not secret).
    pub payments_account_id: Option<String>,
}

/// What the connection test found.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TestView {
    /// The catalog id of the product tested.
    pub product: String,
    /// False for a product without an organizations call (the user info proved it).
    pub listed: bool,
    /// Every organization the connection can reach; Zoho's default one is marked.
    pub organizations: Vec<Organization>,
    /// The one the person chose, or the only one there is.
    pub chosen: Option<String>,
    /// Who is connected, in a few words ("Jane Doe (jane@firm.com)"), when Zoho said.
    pub user: Option<String>,
}

struct Registered {
    env: ZohoEnv,
    dc: DataCenter,
    credentials: ClientCredentials,
}

/// The connection being made as a support report may show it: masked values only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WizardSnapshot {
    /// The client, with the secret masked.
    pub client: Option<ClientView>,
    /// The tokens, masked.
    pub tokens: Option<TokensView>,
    /// What the connection test found.
    pub test: Option<TestView>,
    /// Whether the consent page is being waited for.
    pub consent_waiting: bool,
}

/// A consent page opened in the browser, as the UI shows it while it waits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsentStarted {
    /// The page to open by hand if the browser did not come up (carries no secret).
    pub authorize_url: String,
    /// Where Zoho will send the browser back.
    pub redirect_uri: String,
    /// How long the assistant waits for that.
    pub timeout_seconds: u64,
    /// False when no browser could be started: the person opens the address by hand.
    pub browser_opened: bool,
}

/// What happens while the consent page is open, sent to the UI as it happens.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum ConsentEvent {
    /// Still waiting for the browser to come back.
    Waiting {
        /// Seconds since the page was opened.
        elapsed_seconds: u64,
        /// Seconds the assistant waits in all.
        timeout_seconds: u64,
    },
    /// The browser came back with a code; it is being exchanged.
    Exchanging {
        /// The data center Zoho said the account lives in.
        dc: DataCenter,
    },
    /// The tokens arrived.
    Connected {
        /// The tokens, masked.
        tokens: TokensView,
    },
    /// Denied, timed out, cancelled, or refused by Zoho: in plain words.
    Failed {
        /// What went wrong and what to do.
        problem: CommandError,
    },
}

#[derive(Default)]
struct Draft {
    client: Option<Registered>,
    tokens: Option<Tokens>,
    product: String,
    listed: bool,
    organizations: Vec<Organization>,
    chosen: Option<String>,
    user: Option<ZohoUser>,
    /// Stops the consent flow that is waiting, if one is.
    consent: Option<CancelHandle>,
    /// Set when the tokens came from client credentials, for this organization.
    soid: Option<Soid>,
    /// The Zoho Payments account of an organization-level grant.
    account_id: Option<String>,
}

impl Draft {
    /// What an earlier test found no longer applies to new tokens.
    fn forget_test(&mut self) {
        self.product.clear();
        self.listed = false;
        self.organizations.clear();
        self.chosen = None;
        self.user = None;
    }
}

/// A copy of the connection made in the window, secrets included (they stay in their
/// redacting, self-wiping types).
#[derive(Clone, Debug)]
pub struct MadeConnection {
    /// Zoho or the practice server.
    pub env: ZohoEnv,
    /// The registered client.
    pub credentials: ClientCredentials,
    /// What the code exchange returned.
    pub tokens: Tokens,
    /// The catalog id of the product tested (empty before the test).
    pub product: String,
    /// The organization chosen (or the only one), when the product has organizations.
    pub organization: Option<Organization>,
    /// Who is connected, when Zoho said.
    pub user: Option<ZohoUser>,
    /// The organization of a client-credentials connection, which has no refresh token.
    pub soid: Option<Soid>,
    /// The Zoho Payments account of an organization-level grant.
    pub account_id: Option<String>,
}

/// The connection being made, managed by Tauri.
pub struct Wizard {
    draft: Arc<Mutex<Draft>>,
    redirect_port: u16,
}

impl Wizard {
    /// A wizard whose consent flows come back to `redirect_port` on this computer.
    pub fn new(redirect_port: u16) -> Self {
        Self {
            draft: Arc::default(),
            redirect_port,
        }
    }

    /// The redirect URI to register for a server-based client.
    ///
    /// # Errors
    /// [`AppError::Zoho`] for a port the core refuses.
    pub fn redirect_uri(&self) -> Result<String, AppError> {
        Ok(RedirectUri::on_port(self.redirect_port)?.to_string())
    }

    /// Opens the consent page (through `open_browser`) and waits for the browser to come
    /// back, in the background: `on_event` hears every second of the wait, the
    /// exchange, and the outcome. A busy redirect port is reported before any page opens.
    ///
    /// # Errors
    /// [`AppError::NoClient`], [`AppError::NotServerBased`], [`AppError::ConsentRunning`],
    /// [`AppError::EnvironmentChanged`]; the core's `PortInUse` and `ListenerFailed`.
    /// A browser that does not open is not an error: the UI offers the address to copy.
    pub async fn start_consent(
        &self,
        env: ZohoEnv,
        scopes: Vec<String>,
        open_browser: impl FnOnce(&str) -> Result<(), AppError>,
        on_event: impl Fn(ConsentEvent) + Send + Sync + 'static,
    ) -> Result<ConsentStarted, AppError> {
        let mut draft = self.draft.lock().await;
        let registered = draft.client.as_ref().ok_or(AppError::NoClient)?;
        if registered.env != env {
            return Err(AppError::EnvironmentChanged);
        }
        if registered.credentials.client_type == ClientType::SelfClient {
            return Err(AppError::NotServerBased);
        }
        if draft.consent.is_some() {
            return Err(AppError::ConsentRunning);
        }
        let pending = PendingConsent::start(
            &env,
            registered.dc,
            registered.credentials.clone(),
            &scopes,
            RedirectUri::on_port(self.redirect_port)?,
        )?;
        let options = ListenerOptions::default();
        let timeout_seconds = options.timeout.as_secs();
        let listener = CallbackListener::bind(&pending, options).await?;
        draft.consent = Some(listener.cancel_handle());
        let authorize_url = pending.authorize_url().to_string();
        let browser_problem = open_browser(&authorize_url).err();
        let started = ConsentStarted {
            authorize_url,
            redirect_uri: pending.redirect_uri().to_string(),
            timeout_seconds,
            browser_opened: browser_problem.is_none(),
        };
        drop(draft);

        let draft = self.draft.clone();
        let on_event = Arc::new(on_event);
        tokio::spawn(async move {
            let opened = Instant::now();
            let ticker = {
                let on_event = on_event.clone();
                tokio::spawn(async move {
                    let mut every = tokio::time::interval(Duration::from_secs(1));
                    loop {
                        every.tick().await;
                        on_event(ConsentEvent::Waiting {
                            elapsed_seconds: opened.elapsed().as_secs(),
                            timeout_seconds,
                        });
                    }
                })
            };
            let outcome = listener.wait().await;
            ticker.abort();
            let outcome = match outcome {
                Ok(callback) => {
                    on_event(ConsentEvent::Exchanging {
                        dc: callback.account_dc,
                    });
                    match token_client(&env) {
                        Ok(client) => exchange(&client, pending, callback).await,
                        Err(err) => Err(err),
                    }
                }
                Err(err) => Err(AppError::from(err)),
            };
            let mut draft = draft.lock().await;
            draft.consent = None;
            match outcome {
                Ok((tokens, account_id)) => {
                    let mut view = tokens_view(&tokens);
                    view.payments_account_id.clone_from(&account_id);
                    draft.tokens = Some(tokens);
                    draft.soid = None;
                    draft.account_id = account_id;
                    draft.forget_test();
                    on_event(ConsentEvent::Connected { tokens: view });
                }
                Err(err) => on_event(ConsentEvent::Failed {
                    problem: CommandError::from(err),
                }),
            }
        });
        if let Some(problem) = browser_problem {
            tracing_browser(&problem);
        }
        Ok(started)
    }

    /// Stops waiting for the consent page; the flow ends with "cancelled".
    pub async fn cancel_consent(&self) {
        if let Some(cancel) = self.draft.lock().await.consent.as_ref() {
            cancel.cancel();
        }
    }

    /// Checks the two fields as typed; nothing is kept.
    pub fn check_fields(client_id: &str, client_secret: &str) -> ClientFieldCheck {
        ClientFieldCheck {
            client_id: client_id_problem(client_id),
            client_secret: client_secret_problem(client_secret),
        }
    }

    /// Keeps the client the person registered in `dc`'s API Console, replacing any
    /// earlier one and whatever was obtained with it.
    ///
    /// # Errors
    /// [`AppError::ClientFields`] when either field cannot be right.
    pub async fn set_client(
        &self,
        env: ZohoEnv,
        dc: DataCenter,
        client_type: ClientType,
        client_id: &str,
        client_secret: ClientSecret,
    ) -> Result<ClientView, AppError> {
        let check = Self::check_fields(client_id, client_secret.expose());
        if let Some(problem) = check.client_id.or(check.client_secret) {
            return Err(AppError::ClientFields { problem });
        }
        let credentials = ClientCredentials {
            client_type,
            client_id: client_id.trim().to_owned(),
            client_secret: ClientSecret::new(client_secret.expose().trim()),
        };
        let view = client_view(dc, &credentials);
        let mut draft = self.draft.lock().await;
        if let Some(cancel) = draft.consent.take() {
            cancel.cancel();
        }
        *draft = Draft {
            client: Some(Registered {
                env,
                dc,
                credentials,
            }),
            ..Draft::default()
        };
        Ok(view)
    }

    /// Exchanges a code the person generated for the Self Client at its data center.
    ///
    /// # Errors
    /// [`AppError::NoClient`] or [`AppError::EnvironmentChanged`] when the step is out
    /// of order; otherwise the core's errors (expired or used code, wrong client or
    /// secret, wrong data center, network), as plain words.
    pub async fn exchange_self_client_code(
        &self,
        env: ZohoEnv,
        code: GrantCode,
    ) -> Result<TokensView, AppError> {
        let mut draft = self.draft.lock().await;
        let registered = draft.client.as_ref().ok_or(AppError::NoClient)?;
        if registered.env != env {
            return Err(AppError::EnvironmentChanged);
        }
        let tokens = token_client(&env)?
            .exchange_self_client_code(registered.dc, &registered.credentials, &code)
            .await?;
        let view = tokens_view(&tokens);
        draft.tokens = Some(tokens);
        draft.soid = None;
        draft.account_id = None;
        draft.forget_test();
        Ok(view)
    }

    /// Proves the new tokens work with `product`'s test call (its organizations) and the
    /// user info. One organization is shown as the one; several wait for the person to
    /// pick, Zoho's default marked but not chosen.
    ///
    /// # Errors
    /// [`AppError::NoTokens`] before an exchange; the core's API errors (missing scope,
    /// rejected token, network).
    pub async fn test_connection(&self, env: ZohoEnv, product: &str) -> Result<TestView, AppError> {
        let mut draft = self.draft.lock().await;
        let tokens = draft.tokens.as_ref().ok_or(AppError::NoTokens)?;
        if draft.client.as_ref().map(|c| &c.env) != Some(&env) {
            return Err(AppError::EnvironmentChanged);
        }
        let report = ApiClient::new(&token_client(&env)?)
            .test_connection(product, tokens)
            .await?;
        draft.chosen = match &report.organizations {
            OrganizationChoice::One { organization } => Some(organization.id.clone()),
            _ => None,
        };
        // Client credentials are for the one organization named: that is the choice.
        if let Some(soid) = &draft.soid {
            if report
                .organizations
                .organizations()
                .iter()
                .any(|o| o.id == soid.org_id)
            {
                draft.chosen = Some(soid.org_id.clone());
            }
        }
        draft.listed = report.organizations != OrganizationChoice::NotListed;
        draft.organizations = report.organizations.organizations().to_vec();
        draft.product = report.product;
        draft.user = report.user;
        Ok(test_view(&draft))
    }

    /// Records the organization the person picked among those the test found.
    ///
    /// # Errors
    /// [`AppError::UnknownOrganization`] for an id the test did not return.
    pub async fn choose_organization(&self, organization_id: &str) -> Result<TestView, AppError> {
        let mut draft = self.draft.lock().await;
        if !draft.organizations.iter().any(|o| o.id == organization_id) {
            return Err(AppError::UnknownOrganization);
        }
        draft.chosen = Some(organization_id.to_owned());
        Ok(test_view(&draft))
    }

    /// Everything known of the connection being made, masked, for a support report.
    pub async fn snapshot(&self) -> WizardSnapshot {
        let draft = self.draft.lock().await;
        WizardSnapshot {
            client: draft
                .client
                .as_ref()
                .map(|c| client_view(c.dc, &c.credentials)),
            tokens: draft.tokens.as_ref().map(tokens_view),
            test: (!draft.product.is_empty()).then(|| test_view(&draft)),
            consent_waiting: draft.consent.is_some(),
        }
    }

    /// The tokens obtained so far, masked.
    pub async fn tokens(&self) -> Option<TokensView> {
        let draft = self.draft.lock().await;
        draft.tokens.as_ref().map(|tokens| TokensView {
            payments_account_id: draft.account_id.clone(),
            ..tokens_view(tokens)
        })
    }

    /// Everything the connection made so far holds, for saving it or for handing one of
    /// its tokens over at the person's request.
    ///
    /// # Errors
    /// [`AppError::NoClient`] or [`AppError::NoTokens`] before the code exchange.
    pub async fn made(&self) -> Result<MadeConnection, AppError> {
        let draft = self.draft.lock().await;
        let registered = draft.client.as_ref().ok_or(AppError::NoClient)?;
        let tokens = draft.tokens.clone().ok_or(AppError::NoTokens)?;
        Ok(MadeConnection {
            env: registered.env.clone(),
            credentials: registered.credentials.clone(),
            tokens,
            product: draft.product.clone(),
            organization: draft
                .chosen
                .as_ref()
                .and_then(|id| draft.organizations.iter().find(|o| &o.id == id))
                .cloned(),
            user: draft.user.clone(),
            soid: draft.soid.clone(),
            account_id: draft.account_id.clone(),
        })
    }

    /// Another handle on the same connection being made, for a flow that finishes in the
    /// background (the device flow).
    pub(crate) fn clone_handle(&self) -> Wizard {
        Wizard {
            draft: self.draft.clone(),
            redirect_port: self.redirect_port,
        }
    }

    /// The data center and client of the connection being made, for a way in that is
    /// not the consent page or the Self Client's code (the device flow).
    ///
    /// # Errors
    /// [`AppError::NoClient`] or [`AppError::EnvironmentChanged`] out of order.
    pub(crate) async fn registered_client(
        &self,
        env: &ZohoEnv,
    ) -> Result<(DataCenter, ClientCredentials), AppError> {
        let draft = self.draft.lock().await;
        let registered = draft.client.as_ref().ok_or(AppError::NoClient)?;
        if &registered.env != env {
            return Err(AppError::EnvironmentChanged);
        }
        Ok((registered.dc, registered.credentials.clone()))
    }

    /// Keeps tokens obtained another way (the device flow) as the connection's, as an
    /// exchange does.
    pub(crate) async fn keep_tokens(&self, tokens: Tokens) -> TokensView {
        let mut draft = self.draft.lock().await;
        let view = tokens_view(&tokens);
        draft.tokens = Some(tokens);
        draft.forget_test();
        view
    }

    /// Forgets the connection being made, secrets included, and stops any wait for the
    /// consent page.
    pub async fn reset(&self) {
        let mut draft = self.draft.lock().await;
        if let Some(cancel) = draft.consent.take() {
            cancel.cancel();
        }
        *draft = Draft::default();
    }
}

/// The UI offers the address to copy when the browser does not open; this only leaves a
/// trace for support.
/// The exchange after a consent page: an organization-level one (Zoho Payments) also
/// brings the Payments account it was granted for.
async fn exchange(
    client: &TokenClient,
    pending: PendingConsent,
    callback: zoho_oauth_core::AuthorizationCallback,
) -> Result<(Tokens, Option<String>), AppError> {
    if pending.client().client_type == ClientType::Org {
        let grant = client.exchange_org_consent(pending, callback).await?;
        return Ok((grant.tokens, grant.account_id));
    }
    Ok((client.exchange_consent(pending, callback).await?, None))
}

fn tracing_browser(problem: &AppError) {
    eprintln!("Zoho OAuth Assistant: {problem}");
}

fn token_client(env: &ZohoEnv) -> Result<TokenClient, AppError> {
    Ok(TokenClient::new(env.clone(), Arc::new(SystemClock))?)
}

fn client_view(dc: DataCenter, credentials: &ClientCredentials) -> ClientView {
    ClientView {
        client_type: credentials.client_type,
        client_id: credentials.client_id.clone(),
        dc,
        secret_hint: mask(credentials.client_secret.expose()),
    }
}

fn tokens_view(tokens: &Tokens) -> TokensView {
    let left = tokens.expires_at - OffsetDateTime::now_utc();
    TokensView {
        dc: tokens.dc,
        scope: tokens.scope.clone(),
        api_domain: tokens.api_domain.clone(),
        access_expires_at: tokens
            .expires_at
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
        access_seconds_left: left.whole_seconds().max(0),
        refresh_token_masked: tokens.refresh_token.as_ref().map(|t| mask(t.expose())),
        access_token_masked: mask(tokens.access_token.expose()),
        payments_account_id: None,
    }
}

fn test_view(draft: &Draft) -> TestView {
    TestView {
        product: draft.product.clone(),
        listed: draft.listed,
        organizations: draft.organizations.clone(),
        chosen: draft.chosen.clone(),
        user: draft.user.as_ref().map(ZohoUser::describe),
    }
}

/// Enough of a secret to tell two apart (the last four characters), never enough to use.
pub fn mask(secret: &str) -> String {
    let chars: Vec<char> = secret.chars().collect();
    let shown: String = chars[chars.len().saturating_sub(4)..].iter().collect();
    if chars.len() <= 8 {
        "••••••••".to_owned()
    } else {
        format!("••••••••{shown}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mask_shows_only_the_last_four_characters() {
        assert_eq!(
            mask("1000.0123456789abcdef.fedcba9876543210"),
            "••••••••3210"
        );
        assert_eq!(mask("short"), "••••••••");
        assert_eq!(mask(""), "••••••••");
    }
}
