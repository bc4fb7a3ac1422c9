//! What a refresh costs through the core, side by side with the floor: the same POST made
//! with a bare reqwest client (reused, as the core reuses its own) and with `curl` (a new
//! process each time), interleaved in one run against the sandbox; and how long a
//! consent redirect takes from hitting the loopback listener to the tokens being saved
//! in a vault.
//!
//! Run: `cargo bench -p zoho-oauth-core --bench token_calls` (an optimised build).

use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zoho_oauth_core::authorize::{PendingConsent, RedirectUri};
use zoho_oauth_core::loopback::{CallbackListener, ListenerOptions};
use zoho_oauth_core::vault::{KdfParams, NewConnection, NewProtection, VaultOptions};
use zoho_oauth_core::{
    ClientCredentials, ClientSecret, ClientType, DataCenter, GrantCode, SystemClock, TokenClient,
    Vault, ZohoEnv,
};
use zoho_sandbox::{ClientSpec, Decision, Sandbox, SandboxOptions, DEMO_US_USER};

const ROUNDS: usize = 45;
const CONSENTS: usize = 15;
const SCOPE: &str = "ZohoBooks.settings.READ";

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let sandbox = Sandbox::start(SandboxOptions::default()).await.unwrap();
    let env = ZohoEnv::sandbox(sandbox.base_url());
    let tokens = TokenClient::new(env.clone(), Arc::new(SystemClock)).unwrap();

    let registered = sandbox.register_client(ClientSpec {
        client_type: zoho_sandbox::ClientType::SelfClient,
        ..ClientSpec::default()
    });
    let client = ClientCredentials {
        client_type: ClientType::SelfClient,
        client_id: registered.client_id.clone(),
        client_secret: ClientSecret::new(registered.client_secret.clone()),
    };
    let code = sandbox
        .generate_self_client_code(&registered.client_id, SCOPE, 3)
        .unwrap();
    let minted = tokens
        .exchange_self_client_code(DataCenter::Us, &client, &GrantCode::new(code))
        .await
        .unwrap();
    let refresh = minted.refresh_token.clone().unwrap();
    let token_url = format!("{}/oauth/v2/token", sandbox.accounts_url("us"));
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh.expose()),
        ("client_id", registered.client_id.as_str()),
        ("client_secret", registered.client_secret.as_str()),
    ];
    let bare = reqwest::Client::builder().no_proxy().build().unwrap();
    // The same client set up as the core sets up its own: time limits (reqwest arms a
    // timer for each request), no redirects, the user agent.
    let limited = reqwest::Client::builder()
        .no_proxy()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent("zoho-oauth-assistant")
        .build()
        .unwrap();
    let curl_found = Command::new("curl").arg("--version").output().is_ok();

    let (mut core, mut plain, mut curl) = (Vec::new(), Vec::new(), Vec::new());
    let mut same_limits = Vec::new();
    // Warm both clients' connections first: the figures are for a client in use.
    tokens
        .refresh(DataCenter::Us, &client, &refresh)
        .await
        .unwrap();
    bare.post(&token_url).form(&form).send().await.unwrap();
    limited.post(&token_url).form(&form).send().await.unwrap();
    for round in 0..ROUNDS {
        // Zoho (and the sandbox) allow about 10 refreshes per token in 10 minutes.
        if round % 2 == 0 {
            sandbox.advance_clock(Duration::from_secs(11 * 60));
        }
        // Each method goes first in turn: whatever runs right after a curl process
        // starts with cold caches, and that would be charged to one method only.
        for step in 0..4 {
            match (round + step) % 4 {
                0 => {
                    let t = Instant::now();
                    tokens
                        .refresh(DataCenter::Us, &client, &refresh)
                        .await
                        .unwrap();
                    core.push(t.elapsed());
                }
                1 => {
                    let t = Instant::now();
                    let answer = bare.post(&token_url).form(&form).send().await.unwrap();
                    let body = answer.bytes().await.unwrap();
                    plain.push(t.elapsed());
                    assert!(body.windows(12).any(|w| w == b"access_token"));
                }
                2 => {
                    let t = Instant::now();
                    let answer = limited.post(&token_url).form(&form).send().await.unwrap();
                    let body = answer.bytes().await.unwrap();
                    same_limits.push(t.elapsed());
                    assert!(body.windows(12).any(|w| w == b"access_token"));
                }
                _ if curl_found => {
                    let t = Instant::now();
                    let out =
                        Command::new("curl")
                            .args(["-sS", "--noproxy", "*", "-X", "POST", &token_url])
                            .args(form.iter().flat_map(|(k, v)| {
                                ["--data-urlencode".to_owned(), format!("{k}={v}")]
                            }))
                            .output()
                            .unwrap();
                    curl.push(t.elapsed());
                    assert!(String::from_utf8_lossy(&out.stdout).contains("access_token"));
                }
                _ => {}
            }
        }
    }

    // Redirect hits the listener -> code exchanged -> tokens saved in a vault.
    let dir = tempfile::tempdir().unwrap();
    let mut vault = Vault::create(
        dir.path().join("bench.vault"),
        NewProtection::Passphrase("correct horse battery staple".into()),
        VaultOptions {
            kdf: KdfParams::INSECURE_FAST_FOR_TESTS,
            ..VaultOptions::default()
        },
    )
    .unwrap();
    let browser = reqwest::Client::builder().no_proxy().build().unwrap();
    let mut redirect_to_saved = Vec::new();
    for i in 0..CONSENTS {
        if i % 5 == 0 {
            sandbox.advance_clock(Duration::from_secs(11 * 60));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let redirect = RedirectUri::on_port(port).unwrap();
        let server = sandbox.register_client(ClientSpec {
            redirect_uris: vec![redirect.to_string()],
            ..ClientSpec::default()
        });
        let credentials = ClientCredentials {
            client_type: ClientType::ServerBased,
            client_id: server.client_id.clone(),
            client_secret: ClientSecret::new(server.client_secret.clone()),
        };
        let pending = PendingConsent::start(
            &env,
            DataCenter::Us,
            credentials.clone(),
            &[SCOPE],
            redirect,
        )
        .unwrap();
        let listener = CallbackListener::bind(&pending, ListenerOptions::default())
            .await
            .unwrap();
        let back = sandbox
            .consent(
                pending.authorize_url().as_str(),
                DEMO_US_USER,
                Decision::Accept,
            )
            .await
            .unwrap();
        let t = Instant::now();
        let (caught, _) = tokio::join!(listener.wait(), browser.get(&back).send());
        let got = tokens
            .exchange_consent(pending, caught.unwrap())
            .await
            .unwrap();
        let new = NewConnection::from_tokens(
            format!("Bench {i}"),
            env.clone(),
            "Zoho Books",
            &credentials,
            None,
            &got,
            &[SCOPE.to_owned()],
        )
        .unwrap();
        vault.add(new).unwrap();
        redirect_to_saved.push(t.elapsed());
    }

    let (c, p) = (median(core), median(plain));
    println!("{:44} {:>12}", "refresh through the core (median)", ms(c));
    println!("{:44} {:>12}", "same POST, bare reqwest (median)", ms(p));
    println!(
        "{:44} {:>12}",
        "ratio core / bare reqwest",
        format!("{:.2}x", c.as_secs_f64() / p.as_secs_f64())
    );
    let l = median(same_limits);
    println!(
        "{:44} {:>12}",
        "same POST, reqwest with the core's limits",
        ms(l)
    );
    println!(
        "{:44} {:>12}",
        "ratio core / reqwest with the same limits",
        format!("{:.2}x", c.as_secs_f64() / l.as_secs_f64())
    );
    if curl_found {
        let k = median(curl);
        println!("{:44} {:>12}", "same POST, curl process (median)", ms(k));
        println!(
            "{:44} {:>12}",
            "ratio core / curl",
            format!("{:.2}x", c.as_secs_f64() / k.as_secs_f64())
        );
    } else {
        println!("curl is not installed: its column was skipped");
    }
    println!(
        "{:44} {:>12}",
        "redirect hits listener -> tokens saved",
        ms(median(redirect_to_saved))
    );
    println!("({ROUNDS} interleaved refreshes each; {CONSENTS} consents; vault KDF not included)");
    sandbox.shutdown().await;
}
