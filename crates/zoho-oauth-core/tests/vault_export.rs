//! Exports give another tool exactly what it needs: a `.env` file, JSON, and a `curl`
//! command that really mints an access token (run here against a local listener that
//! records what it receives).

mod vault_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;

use vault_support::*;
use zoho_oauth_core::vault::{ExportFormat, SavedOrganization, TestCallOutcome, Vault};
use zoho_oauth_core::ZohoEnv;

fn one_connection(
    env: ZohoEnv,
) -> (
    tempfile::TempDir,
    Vault,
    zoho_oauth_core::vault::ConnectionId,
) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vault.zov");
    let (mut vault, _) = vault_with(&path, 0, fast_options(MemoryKeyStore::new()));
    let mut new = sample_connection(0);
    new.name = "O'Brien & Sons \"Books\"".into();
    new.environment = env;
    let id = vault.add(new).unwrap();
    (dir, vault, id)
}

#[test]
fn dot_env_and_json_hold_what_a_tool_needs() {
    let (_dir, vault, id) = one_connection(ZohoEnv::Production);
    let s = sample_secrets(0);
    let env = vault.export(&id, ExportFormat::DotEnv).unwrap();
    let lines: Vec<&str> = env.expose().lines().collect();
    assert!(lines[0].starts_with("# Zoho connection"));
    for expected in [
        "ZOHO_DATA_CENTER=\"eu\"".to_owned(),
        "ZOHO_ACCOUNTS_URL=\"https://accounts.zoho.eu\"".to_owned(),
        "ZOHO_API_DOMAIN=\"https://www.zohoapis.eu\"".to_owned(),
        "ZOHO_CLIENT_ID=\"1000.CLIENTID000000000000000000000\"".to_owned(),
        format!("ZOHO_CLIENT_SECRET=\"{}\"", s.client_secret),
        format!("ZOHO_REFRESH_TOKEN=\"{}\"", s.refresh_token),
        "ZOHO_SCOPE=\"ZohoBooks.settings.READ,ZohoBooks.invoices.CREATE\"".to_owned(),
    ] {
        assert!(lines.contains(&expected.as_str()), "{expected} missing");
    }
    assert!(
        !env.expose().contains("ZOHO_ORG_ID"),
        "no organization is known before a test call"
    );
    assert!(
        !env.expose().contains(&s.access_token),
        "short-lived access tokens are not exported"
    );

    let json = vault.export(&id, ExportFormat::Json).unwrap();
    let value: serde_json::Value = serde_json::from_str(json.expose()).unwrap();
    assert_eq!(value["client_secret"], s.client_secret.as_str());
    assert_eq!(value["refresh_token"], s.refresh_token.as_str());
    assert_eq!(
        value["token_url"],
        "https://accounts.zoho.eu/oauth/v2/token"
    );
    assert_eq!(value["client_type"], "self_client");
    assert_eq!(value["name"], "O'Brien & Sons \"Books\"");
    assert_eq!(
        value["scope"], "ZohoBooks.settings.READ,ZohoBooks.invoices.CREATE",
        "comma-separated, under Zoho's own parameter name"
    );
    assert!(value["organization_id"].is_null());
}

fn org(id: &str, name: &str, is_default: bool) -> SavedOrganization {
    SavedOrganization {
        id: id.into(),
        name: name.into(),
        is_default,
    }
}

#[test]
fn the_books_organization_id_is_exported_when_the_last_test_call_makes_it_clear() {
    let (_dir, mut vault, id) = one_connection(ZohoEnv::Production);
    let org_line = |vault: &Vault| {
        vault
            .export(&id, ExportFormat::DotEnv)
            .unwrap()
            .expose()
            .lines()
            .find(|l| l.starts_with("ZOHO_ORG_ID="))
            .map(str::to_owned)
    };
    let json_org = |vault: &Vault| {
        let json = vault.export(&id, ExportFormat::Json).unwrap();
        serde_json::from_str::<serde_json::Value>(json.expose()).unwrap()["organization_id"].clone()
    };

    // Two organizations, one the default: that one.
    vault
        .record_test_call(
            &id,
            TestCallOutcome::Succeeded {
                organizations: vec![org("111", "Side Ltd", false), org("222", "Main SARL", true)],
            },
        )
        .unwrap();
    assert_eq!(org_line(&vault).as_deref(), Some("ZOHO_ORG_ID=\"222\""));
    assert_eq!(json_org(&vault), "222");

    // A single organization: that one, default or not.
    vault
        .record_test_call(
            &id,
            TestCallOutcome::Succeeded {
                organizations: vec![org("333", "Only Ltd", false)],
            },
        )
        .unwrap();
    assert_eq!(org_line(&vault).as_deref(), Some("ZOHO_ORG_ID=\"333\""));

    // Several and no default, or a failed call: none rather than a guess.
    vault
        .record_test_call(
            &id,
            TestCallOutcome::Succeeded {
                organizations: vec![org("1", "A", false), org("2", "B", false)],
            },
        )
        .unwrap();
    assert_eq!(org_line(&vault), None);
    vault
        .record_test_call(
            &id,
            TestCallOutcome::Failed {
                kind: "invalid_access_token".into(),
                message: "The access token is no longer valid.".into(),
            },
        )
        .unwrap();
    assert_eq!(org_line(&vault), None);
    assert!(json_org(&vault).is_null());
}

#[test]
fn the_curl_command_mints_a_token_with_credentials_in_the_body_only() {
    if Command::new("curl").arg("--version").output().is_err() {
        eprintln!("SKIPPED: curl is not installed, the exported command cannot be run");
        return;
    }
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream);
        let mut request_line = String::new();
        reader.read_line(&mut request_line).unwrap();
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let answer = r#"{"access_token":"1000.minted.bycurl","api_domain":"x","token_type":"Bearer","expires_in":3600}"#;
        write!(
            reader.get_mut(),
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
            answer.len()
        )
        .unwrap();
        (request_line, String::from_utf8(body).unwrap())
    });

    let (_dir, vault, id) = one_connection(ZohoEnv::sandbox(base));
    let command = vault.export(&id, ExportFormat::Curl).unwrap();
    let output = Command::new("sh")
        .args([
            "-c",
            &format!("{} --silent --show-error", command.expose().trim_end()),
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stdout).contains("1000.minted.bycurl"));

    let (request_line, body) = server.join().unwrap();
    let s = sample_secrets(0);
    assert_eq!(request_line.trim(), "POST /eu/oauth/v2/token HTTP/1.1");
    for secret in [&s.client_secret, &s.refresh_token] {
        assert!(!request_line.contains(secret.as_str()), "secret in the URL");
        assert!(body.contains(secret.as_str()), "{body}");
    }
    assert!(body.contains("grant_type=refresh_token"));
    assert!(body.contains("client_id=1000.CLIENTID"));
}
