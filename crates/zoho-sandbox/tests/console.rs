//! The practice API Console: listing clients per DC, adding server-based and Self
//! Clients through its forms, generating a Self Client code, and escaping.

mod common;

use common::*;
use zoho_sandbox::{ClientSpec, DEMO_EU_USER, DEMO_US_USER};

async fn get_page(url: &str) -> (u16, String) {
    let response = http().get(url).send().await.expect("page");
    let status = response.status().as_u16();
    (status, response.text().await.expect("html"))
}

async fn post_form(url: &str, form: &[(&str, &str)]) -> reqwest::Response {
    http().post(url).form(form).send().await.expect("form post")
}

/// The Client ID shown in the "Client created" notice.
fn created_client_id(location: &str) -> String {
    query_param(&format!("http://x{location}"), "created").expect("created=")
}

#[tokio::test]
async fn each_dc_console_lists_its_own_clients() {
    let sandbox = start().await;
    let us = sandbox.register_client(ClientSpec::server_based("us", REDIRECT_URI));
    let eu = sandbox.register_client(ClientSpec::self_client("eu", DEMO_EU_USER));

    let (status, page) = get_page(&sandbox.console_url("us")).await;
    assert_eq!(status, 200);
    assert!(page.contains(&us.client_id));
    assert!(
        page.contains(&us.client_secret),
        "the console shows the secret on request"
    );
    assert!(page.contains(REDIRECT_URI));
    assert!(!page.contains(&eu.client_id));

    let (status, page) = get_page(&sandbox.console_url("eu")).await;
    assert_eq!(status, 200);
    assert_eq!(
        sandbox.console_url("eu"),
        format!("{}/eu/console", sandbox.base_url())
    );
    assert!(page.contains(&eu.client_id));
    assert!(page.contains("Generate Code"));
    assert!(!page.contains(&us.client_id));

    let (status, _) = get_page(&format!("{}/us/console", sandbox.base_url())).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn adding_a_server_based_client_shows_it_escaped_and_it_works() {
    let sandbox = start().await;
    let console = sandbox.console_url("us");
    let name = r#"<script>alert("x")</script> & Co"#;
    let response = post_form(
        &format!("{console}/clients"),
        &[
            ("client_type", "server_based"),
            ("client_name", name),
            ("redirect_uri", REDIRECT_URI),
            ("multi_dc", "on"),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(location.starts_with("/console?created=1000."), "{location}");
    let client_id = created_client_id(&location);

    let (_, page) = get_page(&format!("{}{location}", sandbox.base_url())).await;
    assert!(page.contains("Client created"));
    assert!(page.contains(&client_id));
    assert!(page.contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co"));
    assert!(
        !page.contains("<script>"),
        "nothing unescaped reaches the page"
    );
    assert!(page.contains("Multi-DC on"));

    // The consent page shows the name escaped too, and the client can be used.
    let url = authorize_url(&sandbox.base_url(), &client_id, &[]);
    let (status, consent_page) = get_page(&url).await;
    assert_eq!(status, 200);
    assert!(!consent_page.contains("<script>"));
    assert!(consent_page.contains("&lt;script&gt;"));

    let response = post_form(
        &format!("{console}/clients"),
        &[
            ("client_type", "server_based"),
            ("redirect_uri", "not a url"),
        ],
    )
    .await;
    assert_eq!(response.status(), 400);
    let page = response.text().await.expect("html");
    assert!(page.contains("not an absolute http or https URL"));
}

#[tokio::test]
async fn a_self_client_generates_a_code_in_the_console_that_exchanges_at_its_dc() {
    let sandbox = start().await;
    let console = sandbox.console_url("eu");
    let response = post_form(
        &format!("{console}/clients"),
        &[
            ("client_type", "self_client"),
            ("client_name", "My Self Client"),
            ("owner_email", DEMO_EU_USER),
        ],
    )
    .await;
    assert_eq!(response.status(), 303);
    let location = response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(location.starts_with("/eu/console?created="), "{location}");
    let client_id = created_client_id(&location);
    let (_, page) = get_page(&format!("{}{location}", sandbox.base_url())).await;
    let secret = page
        .rsplit_once(&format!("<code>{client_id}</code>"))
        .map(|(_, table_row)| table_row)
        .and_then(|rest| rest.split("<summary>Show</summary><code>").nth(1))
        .and_then(|rest| rest.split("</code>").next())
        .expect("the secret in the table")
        .to_owned();
    assert_eq!(secret.len(), 42);

    let response = post_form(
        &format!("{console}/self-client/code"),
        &[
            ("client_id", &client_id),
            ("scope", "ZohoBooks.settings.READ,ZohoBooks.invoices.READ"),
            ("duration_minutes", "7"),
            ("description", "Monthly export"),
        ],
    )
    .await;
    assert_eq!(response.status(), 200);
    let page = response.text().await.expect("html");
    assert!(page.contains("for 7 minutes"), "{page}");
    assert!(page.contains("UTC on the sandbox clock"));
    let code = page
        .split(r#"<div class="code-box" id="code">"#)
        .nth(1)
        .and_then(|rest| rest.split("</div>").next())
        .expect("the code")
        .to_owned();
    assert!(is_zoho_token(&code), "{code}");

    let client = zoho_sandbox::RegisteredClient {
        client_id: client_id.clone(),
        client_secret: secret,
        location: "eu".to_owned(),
    };
    let (_, body) = exchange(&sandbox.accounts_url("eu"), &client, &code, None, None).await;
    assert_eq!(
        str_of(&body, "scope"),
        "ZohoBooks.settings.READ,ZohoBooks.invoices.READ"
    );
    let (status, _) =
        organizations(&sandbox.api_url("eu"), Some(str_of(&body, "access_token"))).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn generate_code_refuses_bad_input_with_the_reason() {
    let sandbox = start().await;
    let client = sandbox.register_client(ClientSpec::self_client("us", DEMO_US_USER));
    let console = sandbox.console_url("us");
    let cases = [
        (
            vec![
                ("duration_minutes", "11"),
                ("scope", BOOKS_READ),
                ("description", "d"),
            ],
            "3 to 10 minutes",
        ),
        (
            vec![
                ("duration_minutes", "3"),
                ("scope", "books read"),
                ("description", "d"),
            ],
            "Invalid OAuth Scope",
        ),
        (
            vec![("duration_minutes", "3"), ("scope", BOOKS_READ)],
            "description",
        ),
    ];
    for (fields, reason) in cases {
        let mut form = vec![("client_id", client.client_id.as_str())];
        form.extend(fields);
        let response = post_form(&format!("{console}/self-client/code"), &form).await;
        assert_eq!(response.status(), 400);
        let page = response.text().await.expect("html");
        assert!(page.contains(reason), "{reason}");
    }

    // A console only knows its own DC's clients.
    let response = post_form(
        &format!("{}/self-client/code", sandbox.console_url("eu")),
        &[
            ("client_id", &client.client_id),
            ("scope", BOOKS_READ),
            ("duration_minutes", "3"),
            ("description", "d"),
        ],
    )
    .await;
    assert_eq!(response.status(), 400);
    assert!(response
        .text()
        .await
        .expect("html")
        .contains("Invalid Client"));
}
