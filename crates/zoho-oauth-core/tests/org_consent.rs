//! Zoho Payments' organization-level consent through the core against the sandbox:
//! the authorize URL of an ORG client is `/oauth/v2/org/auth`, an admin's grant is
//! exchanged with its `account_id`, and a non-admin's refusal is a plain typed error.

mod support;

use zoho_oauth_core::authorize::{PendingConsent, RedirectUri};
use zoho_oauth_core::loopback::{AuthorizationCallback, CallbackListener, ListenerOptions};
use zoho_oauth_core::{ClientType, DataCenter, Error, UserFacing};
use zoho_sandbox::{ClientSpec, Decision, DEMO_EU_USER, DEMO_US_USER};

use support::{browse, credentials, free_port, World};

const PAY_READ: &str = "ZohoPay.payments.READ";

async fn org_consent(
    world: &World,
    location: &str,
    user: &str,
    account_id: Option<&str>,
) -> (PendingConsent, Result<AuthorizationCallback, Error>) {
    let port = free_port();
    let redirect = RedirectUri::on_port(port).unwrap();
    let registered = world
        .sandbox
        .register_client(ClientSpec::org(location, &redirect.to_string()));
    let client = credentials(&registered, ClientType::Org);
    let dc = DataCenter::from_location(location).unwrap();
    let pending = PendingConsent::start(&world.env, dc, client, &[PAY_READ], redirect).unwrap();
    assert!(
        pending
            .authorize_url()
            .path()
            .ends_with("/oauth/v2/org/auth"),
        "{}",
        pending.authorize_url()
    );
    let listener = CallbackListener::bind(&pending, ListenerOptions::default())
        .await
        .unwrap();
    let waiting = tokio::spawn(listener.wait());
    let redirect_to = world
        .sandbox
        .consent_org(
            pending.authorize_url().as_str(),
            user,
            account_id,
            Decision::Accept,
        )
        .await
        .expect("the consent page redirects");
    browse(&redirect_to).await;
    (pending, waiting.await.unwrap())
}

#[tokio::test]
async fn an_admins_grant_is_exchanged_with_its_payments_account() {
    let world = World::start().await;
    let (pending, caught) = org_consent(&world, "us", DEMO_US_USER, Some("30001234598")).await;
    let grant = world
        .tokens
        .exchange_org_consent(pending, caught.expect("a code"))
        .await
        .expect("exchanged");
    assert_eq!(grant.account_id.as_deref(), Some("30001234598"));
    assert!(grant.tokens.refresh_token.is_some());
    assert_eq!(grant.tokens.dc, DataCenter::Us);
}

#[tokio::test]
async fn a_non_admin_is_refused_in_plain_words() {
    let world = World::start().await;
    let (_, caught) = org_consent(&world, "eu", DEMO_EU_USER, None).await;
    let error = caught.expect_err("refused");
    assert_eq!(error.kind(), "not_payments_admin");
    assert!(error.to_string().contains("owner or an admin"), "{error}");
    assert!(error.hint().contains("Ask the owner"), "{}", error.hint());
}
