//! The device flow through the core against the sandbox: approve, deny, expire, the
//! hand-over to the account's data center, `slow_down`, cancel, and the wrong client
//! type. Waiting is done on the sandbox's clock (see `SandboxPause`), so every poll
//! comes exactly as late as the sandbox (like Zoho) demands, without real waiting.

mod support;

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::Duration;

use support::{assert_no_secrets, credentials, World, BOOKS_READ};
use zoho_oauth_core::device::DeviceCancel;
use zoho_oauth_core::{
    BooksClient, ClientCredentials, ClientType, DataCenter, DeviceFlow, DeviceProgress, Error,
    Pause, UserFacing,
};
use zoho_sandbox::{ClientSpec, Decision, RegisteredClient, Sandbox, DEMO_EU_USER, DEMO_US_USER};

/// Waits by moving the sandbox's clock by `length` less `short_by`, and records every
/// wait asked for.
#[derive(Debug)]
struct SandboxPause<'a> {
    sandbox: &'a Sandbox,
    short_by: Duration,
    asked: Mutex<Vec<Duration>>,
}

impl<'a> SandboxPause<'a> {
    fn new(sandbox: &'a Sandbox) -> Self {
        Self {
            sandbox,
            short_by: Duration::ZERO,
            asked: Mutex::new(Vec::new()),
        }
    }

    fn asked(&self) -> Vec<Duration> {
        self.asked.lock().unwrap().clone()
    }
}

impl Pause for SandboxPause<'_> {
    fn pause(&self, length: Duration) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        self.asked.lock().unwrap().push(length);
        self.sandbox
            .advance_clock(length.saturating_sub(self.short_by));
        Box::pin(async {})
    }
}

fn device_client(
    world: &World,
    location: &str,
    multi_dc: bool,
) -> (RegisteredClient, ClientCredentials) {
    let registered = world.sandbox.register_client(ClientSpec {
        multi_dc,
        ..ClientSpec::non_browser(location)
    });
    let creds = credentials(&registered, ClientType::NonBrowser);
    (registered, creds)
}

fn scopes() -> Vec<String> {
    vec![BOOKS_READ.to_owned()]
}

#[tokio::test]
async fn approval_brings_tokens_that_call_the_api_and_every_wait_is_the_full_interval() {
    let world = World::start().await;
    let (registered, client) = device_client(&world, "us", false);
    let flow = DeviceFlow::new(world.tokens.clone());
    let auth = flow
        .start(DataCenter::Us, &client, &scopes())
        .await
        .expect("codes");
    assert_eq!(auth.interval, Duration::from_secs(30));
    assert_eq!(auth.expires_in, Duration::from_secs(300));
    assert_eq!(
        auth.verification_url,
        format!("{}/oauth/v3/device", world.sandbox.accounts_url("us"))
    );
    let shown = format!("{auth:?}");
    assert!(shown.contains("DeviceCode([redacted])"), "{shown}");
    assert!(!shown.contains(&registered.client_secret), "{shown}");

    let pause = SandboxPause::new(&world.sandbox);
    let mut pending = 0;
    let user_code = auth.user_code.clone();
    let tokens = flow
        .wait(&auth, &pause, &DeviceCancel::new(), |progress| {
            assert!(
                matches!(progress, DeviceProgress::Waiting { .. }),
                "{progress:?}"
            );
            pending += 1;
            if pending == 2 {
                world
                    .sandbox
                    .device_decision("us", &user_code, DEMO_US_USER, Decision::Accept)
                    .expect("pending");
            }
        })
        .await
        .expect("approved");
    assert_eq!(pending, 2);
    assert_eq!(pause.asked(), vec![Duration::from_secs(30); 3]);
    assert!(tokens.refresh_token.is_some());
    assert_eq!(tokens.dc, DataCenter::Us);
    let orgs = BooksClient::new(&world.tokens).organizations(&tokens).await;
    assert!(orgs.is_ok(), "{orgs:?}");
}

#[tokio::test]
async fn denial_and_expiry_end_the_wait_with_plain_errors() {
    let world = World::start().await;
    let (registered, client) = device_client(&world, "us", false);
    let flow = DeviceFlow::new(world.tokens.clone());

    let auth = flow
        .start(DataCenter::Us, &client, &scopes())
        .await
        .expect("codes");
    world
        .sandbox
        .device_decision("us", &auth.user_code, "", Decision::Deny)
        .expect("pending");
    let pause = SandboxPause::new(&world.sandbox);
    let denied = flow
        .wait(&auth, &pause, &DeviceCancel::new(), |_| {})
        .await
        .expect_err("denied");
    assert!(matches!(denied, Error::DeviceAccessDenied), "{denied:?}");
    assert!(denied.hint().contains("Approve"));

    let auth = flow
        .start(DataCenter::Us, &client, &scopes())
        .await
        .expect("codes");
    let pause = SandboxPause::new(&world.sandbox);
    let expired = flow
        .wait(&auth, &pause, &DeviceCancel::new(), |_| {})
        .await
        .expect_err("nobody approves");
    assert!(matches!(expired, Error::DeviceCodeExpired), "{expired:?}");
    assert_eq!(expired.kind(), "device_code_expired");
    assert_eq!(
        pause.asked().len(),
        10,
        "polled every 30 s for the 5 minutes"
    );
    assert_no_secrets(&expired, &[&registered.client_secret]);
}

#[tokio::test]
async fn an_account_in_another_dc_moves_the_polling_there() {
    let world = World::start().await;
    let (_, client) = device_client(&world, "us", true);
    let flow = DeviceFlow::new(world.tokens.clone());
    let auth = flow
        .start(DataCenter::Us, &client, &scopes())
        .await
        .expect("codes");
    world
        .sandbox
        .device_decision("us", &auth.user_code, DEMO_EU_USER, Decision::Accept)
        .expect("pending");
    let pause = SandboxPause::new(&world.sandbox);
    let mut seen = Vec::new();
    let tokens = flow
        .wait(&auth, &pause, &DeviceCancel::new(), |p| seen.push(p))
        .await
        .expect("approved in the EU");
    assert_eq!(seen, vec![DeviceProgress::MovedTo { dc: DataCenter::Eu }]);
    assert_eq!(tokens.dc, DataCenter::Eu);
    assert_eq!(tokens.api_domain, world.sandbox.api_url("eu"));
    assert_eq!(
        pause.asked(),
        vec![Duration::from_secs(30); 2],
        "waits at the new DC too"
    );
}

#[tokio::test]
async fn without_multi_dc_the_other_dc_refuses_the_client_in_plain_words() {
    let world = World::start().await;
    let (_, client) = device_client(&world, "us", false);
    let flow = DeviceFlow::new(world.tokens.clone());
    let auth = flow
        .start(DataCenter::Us, &client, &scopes())
        .await
        .expect("codes");
    world
        .sandbox
        .device_decision("us", &auth.user_code, DEMO_EU_USER, Decision::Accept)
        .expect("pending");
    let pause = SandboxPause::new(&world.sandbox);
    let error = flow
        .wait(&auth, &pause, &DeviceCancel::new(), |_| {})
        .await
        .expect_err("no multi-DC");
    assert!(
        matches!(
            error,
            Error::WrongDataCenter {
                client_dc: DataCenter::Us,
                account_dc: DataCenter::Eu
            }
        ),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_slow_down_makes_the_wait_longer_never_shorter() {
    let world = World::start().await;
    let (_, client) = device_client(&world, "us", false);
    let flow = DeviceFlow::new(world.tokens.clone());
    let auth = flow
        .start(DataCenter::Us, &client, &scopes())
        .await
        .expect("codes");
    // The sandbox's clock runs 8 s behind each wait, as a server whose clock is late
    // would: the second poll seems early to it.
    let pause = SandboxPause {
        short_by: Duration::from_secs(8),
        ..SandboxPause::new(&world.sandbox)
    };
    let mut seen = Vec::new();
    let user_code = auth.user_code.clone();
    let tokens = flow
        .wait(&auth, &pause, &DeviceCancel::new(), |p| {
            if matches!(p, DeviceProgress::SlowedDown { .. }) && seen.len() == 1 {
                world
                    .sandbox
                    .device_decision("us", &user_code, DEMO_US_USER, Decision::Accept)
                    .expect("pending");
            }
            seen.push(p);
        })
        .await;
    assert_eq!(
        seen[..2],
        [
            DeviceProgress::Waiting {
                waited: Duration::from_secs(30)
            },
            DeviceProgress::SlowedDown {
                interval: Duration::from_secs(35)
            },
        ]
    );
    let asked = pause.asked();
    assert!(asked.windows(2).all(|w| w[1] >= w[0]), "{asked:?}");
    assert!(tokens.is_ok(), "{tokens:?}");
}

#[tokio::test]
async fn cancel_stops_the_wait_at_once() {
    let world = World::start().await;
    let (_, client) = device_client(&world, "us", false);
    let flow = DeviceFlow::new(world.tokens.clone());
    let auth = flow
        .start(DataCenter::Us, &client, &scopes())
        .await
        .expect("codes");
    let cancel = DeviceCancel::new();
    let stopper = cancel.clone();
    let waiting = tokio::spawn({
        let flow = flow.clone();
        async move {
            flow.wait(&auth, &zoho_oauth_core::RealPause, &cancel, |_| {})
                .await
        }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    stopper.cancel();
    let outcome = tokio::time::timeout(Duration::from_secs(5), waiting)
        .await
        .expect("cancel ends the 30 s wait")
        .expect("the task ran");
    assert!(matches!(outcome, Err(Error::Cancelled)), "{outcome:?}");
}

#[tokio::test]
async fn a_client_of_another_type_is_told_what_to_register() {
    let world = World::start().await;
    let (_, self_client) = world.self_client("us", DEMO_US_USER);
    let flow = DeviceFlow::new(world.tokens.clone());
    let error = flow
        .start(DataCenter::Us, &self_client, &scopes())
        .await
        .expect_err("a Self Client has no device flow");
    assert!(matches!(error, Error::NotADeviceClient), "{error:?}");
    assert!(error.hint().contains("Non-browser based application"));

    let (_, device) = device_client(&world, "us", false);
    let error = flow
        .start(DataCenter::Eu, &device, &scopes())
        .await
        .expect_err("registered in the US only");
    assert!(
        matches!(error, Error::InvalidClient { dc: DataCenter::Eu }),
        "{error:?}"
    );
}
