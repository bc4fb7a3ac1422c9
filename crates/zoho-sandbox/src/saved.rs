//! What a state file holds, and the turning of the store into it and back.
//!
//! Kept: clients (with their secrets, which the console shows anyway), refresh tokens
//! with the access tokens minted from them in the current window, live access tokens,
//! who has already been given a refresh token through the consent page, and the
//! code-exchange throttle of each client. Tokens are kept as the SHA-256 digests the
//! store already keys them by, so the file holds no usable token. Not kept: grant codes,
//! which live a few minutes at most, and the users, who are seeded anew every run.
//!
//! Times are kept as milliseconds since the Unix epoch on the sandbox clock. The clock's
//! forward offset (moved by tests and scripts) is not kept: a restarted sandbox runs on
//! real time again. So a time recorded while the clock was moved forward may lie ahead
//! of the restarted clock; it is brought back to the latest it could be had it happened
//! now: an event no later than now, a deadline no further ahead than its full length
//! (an hour for an access token, the lockout for a throttle). Anything already over
//! (expired tokens, lockouts that ended, events out of the window) is dropped.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::clients::{Client, ClientType};
use crate::clock::Timeline;
use crate::dc::Dc;
use crate::ids::Digest32;
use crate::state::{AccessRecord, RefreshRecord, Store, ACCESS_TOKEN_LIFETIME};
use crate::throttle::{Throttle, LOCKOUT, WINDOW};

/// Changed whenever a later sandbox could misread what an earlier one wrote.
const FORMAT: u32 = 1;

#[derive(Serialize, Deserialize)]
struct SavedState {
    format: u32,
    clients: Vec<SavedClient>,
    refresh_tokens: Vec<SavedRefresh>,
    access_tokens: Vec<SavedAccess>,
    offline_granted: Vec<SavedGrant>,
    code_requests: Vec<SavedCodeRequests>,
    next_seq: u64,
}

#[derive(Serialize, Deserialize)]
struct SavedClient {
    id: String,
    secret: String,
    name: String,
    /// `server_based` or `self_client`.
    client_type: String,
    home: String,
    redirect_uris: Vec<String>,
    multi_dc: bool,
    owner_email: String,
}

#[derive(Serialize, Deserialize)]
struct SavedRefresh {
    digest: String,
    seq: u64,
    client_id: String,
    user_email: String,
    dc: String,
    scopes: Vec<String>,
    minted: SavedThrottle,
}

#[derive(Serialize, Deserialize)]
struct SavedAccess {
    digest: String,
    client_id: String,
    user_email: String,
    dc: String,
    scopes: Vec<String>,
    expires_at_ms: u64,
    refresh: Option<String>,
}

#[derive(Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
struct SavedGrant {
    user_email: String,
    client_id: String,
}

#[derive(Serialize, Deserialize)]
struct SavedCodeRequests {
    client_id: String,
    dc: String,
    requests: SavedThrottle,
}

#[derive(Serialize, Deserialize)]
struct SavedThrottle {
    counted_ms: Vec<u64>,
    locked_until_ms: Option<u64>,
}

/// The store as a state file's bytes. The same records always give the same bytes, so
/// that an unchanged store is not written again.
pub(crate) fn encode(store: &Store, line: Timeline) -> Vec<u8> {
    let clients = store.clients.iter().map(saved_client).collect();

    let mut refresh: Vec<(&Digest32, &RefreshRecord)> = store.refresh_tokens.iter().collect();
    refresh.sort_by_key(|(_, r)| r.seq);
    let refresh_tokens = refresh
        .into_iter()
        .map(|(digest, r)| SavedRefresh {
            digest: digest.to_hex(),
            seq: r.seq,
            client_id: r.client_id.clone(),
            user_email: r.user_email.clone(),
            dc: r.dc.location().to_owned(),
            scopes: r.scopes.clone(),
            minted: saved_throttle(&r.minted, line),
        })
        .collect();

    let mut access: Vec<(&Digest32, &AccessRecord)> = store
        .access_tokens
        .iter()
        .filter(|(_, a)| a.expires_at > line.now)
        .collect();
    access.sort_by_key(|(digest, a)| (a.expires_at, **digest));
    let access_tokens = access
        .into_iter()
        .map(|(digest, a)| SavedAccess {
            digest: digest.to_hex(),
            client_id: a.client_id.clone(),
            user_email: a.user_email.clone(),
            dc: a.dc.location().to_owned(),
            scopes: a.scopes.clone(),
            expires_at_ms: line.unix_ms_of(a.expires_at),
            refresh: a.refresh.map(Digest32::to_hex),
        })
        .collect();

    let mut offline_granted: Vec<SavedGrant> = store
        .offline_granted
        .iter()
        .map(|(user_email, client_id)| SavedGrant {
            user_email: user_email.clone(),
            client_id: client_id.clone(),
        })
        .collect();
    offline_granted.sort();

    let mut requests: Vec<(&(String, Dc), &Throttle)> = store
        .code_requests
        .iter()
        .filter(|(_, t)| !t.is_idle())
        .collect();
    requests.sort_by_key(|((client_id, dc), _)| (client_id.clone(), dc.location()));
    let code_requests = requests
        .into_iter()
        .map(|((client_id, dc), throttle)| SavedCodeRequests {
            client_id: client_id.clone(),
            dc: dc.location().to_owned(),
            requests: saved_throttle(throttle, line),
        })
        .collect();

    let state = SavedState {
        format: FORMAT,
        clients,
        refresh_tokens,
        access_tokens,
        offline_granted,
        code_requests,
        next_seq: store.next_seq,
    };
    // Serializing plain structs of strings and numbers cannot fail.
    serde_json::to_vec_pretty(&state).unwrap_or_default()
}

/// A store holding what `bytes` recorded, as of `line`; or, in words without any of the
/// file's values, what is wrong with them.
pub(crate) fn decode(bytes: &[u8], line: Timeline) -> Result<Store, String> {
    let state: SavedState = serde_json::from_slice(bytes).map_err(|error| {
        let what = match error.classify() {
            serde_json::error::Category::Data => "does not hold what a state file holds",
            _ => "is not valid JSON",
        };
        format!("{what} (line {}, column {})", error.line(), error.column())
    })?;
    if state.format != FORMAT {
        return Err(format!(
            "was written in a format this sandbox does not know (format {})",
            state.format
        ));
    }
    let mut store = Store::new();

    for client in state.clients {
        store.clients.push(Client {
            client_type: client_type(&client.client_type)?,
            home: dc(&client.home)?,
            id: client.id,
            secret: client.secret,
            name: client.name,
            redirect_uris: client.redirect_uris,
            multi_dc: client.multi_dc,
            owner_email: client.owner_email,
        });
    }

    let mut highest_seq = 0;
    for refresh in state.refresh_tokens {
        highest_seq = highest_seq.max(refresh.seq);
        store.refresh_tokens.insert(
            digest(&refresh.digest)?,
            RefreshRecord {
                seq: refresh.seq,
                dc: dc(&refresh.dc)?,
                client_id: refresh.client_id,
                user_email: refresh.user_email,
                scopes: refresh.scopes,
                minted: throttle(&refresh.minted, line),
            },
        );
    }
    // A seq below one already handed out would make a new token look older than it is.
    store.next_seq = state.next_seq.max(highest_seq);

    for access in state.access_tokens {
        let refresh = access.refresh.as_deref().map(digest).transpose()?;
        let key = digest(&access.digest)?;
        let dc = dc(&access.dc)?;
        let Some(expires_at) = line.deadline_at(access.expires_at_ms, ACCESS_TOKEN_LIFETIME) else {
            continue;
        };
        store.access_tokens.insert(
            key,
            AccessRecord {
                client_id: access.client_id,
                user_email: access.user_email,
                dc,
                scopes: access.scopes,
                expires_at,
                refresh,
            },
        );
    }

    store.offline_granted = state
        .offline_granted
        .into_iter()
        .map(|g| (g.user_email, g.client_id))
        .collect::<HashSet<_>>();

    let mut code_requests = HashMap::new();
    for saved in state.code_requests {
        let requests = throttle(&saved.requests, line);
        if !requests.is_idle() {
            code_requests.insert((saved.client_id, dc(&saved.dc)?), requests);
        }
    }
    store.code_requests = code_requests;
    Ok(store)
}

fn saved_client(client: &Client) -> SavedClient {
    SavedClient {
        id: client.id.clone(),
        secret: client.secret.clone(),
        name: client.name.clone(),
        client_type: match client.client_type {
            ClientType::ServerBased => "server_based",
            ClientType::SelfClient => "self_client",
            ClientType::NonBrowser => "non_browser",
            ClientType::Org => "org",
        }
        .to_owned(),
        home: client.home.location().to_owned(),
        redirect_uris: client.redirect_uris.clone(),
        multi_dc: client.multi_dc,
        owner_email: client.owner_email.clone(),
    }
}

fn saved_throttle(throttle: &Throttle, line: Timeline) -> SavedThrottle {
    SavedThrottle {
        counted_ms: throttle.counted().map(|t| line.unix_ms_of(t)).collect(),
        locked_until_ms: throttle.locked_until().map(|t| line.unix_ms_of(t)),
    }
}

fn throttle(saved: &SavedThrottle, line: Timeline) -> Throttle {
    Throttle::restored(
        saved
            .counted_ms
            .iter()
            .filter_map(|ms| line.event_at(*ms, WINDOW)),
        saved
            .locked_until_ms
            .and_then(|ms| line.deadline_at(ms, LOCKOUT)),
    )
}

fn client_type(saved: &str) -> Result<ClientType, String> {
    match saved {
        "server_based" => Ok(ClientType::ServerBased),
        "self_client" => Ok(ClientType::SelfClient),
        "non_browser" => Ok(ClientType::NonBrowser),
        "org" => Ok(ClientType::Org),
        _ => Err("names a kind of client this sandbox does not know".to_owned()),
    }
}

fn dc(location: &str) -> Result<Dc, String> {
    Dc::from_location(location).ok_or_else(|| "names an unknown data center".to_owned())
}

fn digest(hex: &str) -> Result<Digest32, String> {
    Digest32::from_hex(hex).ok_or_else(|| "holds a token digest that is not one".to_owned())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::clients::ClientSpec;
    use crate::clock::SandboxClock;
    use crate::users::DEMO_US_USER;

    fn store_with_tokens(now: std::time::Instant) -> (Store, Digest32) {
        let mut store = Store::new();
        let client = store
            .register(&ClientSpec::self_client("us", DEMO_US_USER), None)
            .expect("valid");
        let (_, refresh) = store.mint_refresh_token(
            &client.id,
            DEMO_US_USER,
            Dc::Us,
            vec!["ZohoBooks.settings.READ".to_owned()],
        );
        store.mint_access_token(
            &client.id,
            DEMO_US_USER,
            Dc::Us,
            vec!["ZohoBooks.settings.READ".to_owned()],
            Some(refresh),
            now,
        );
        store
            .offline_granted
            .insert((DEMO_US_USER.to_owned(), client.id.clone()));
        store
            .code_requests
            .entry((client.id.clone(), Dc::Us))
            .or_default()
            .count(now);
        (store, refresh)
    }

    #[test]
    fn what_is_encoded_decodes_to_the_same_bytes() {
        let line = SandboxClock::default().timeline();
        let (store, refresh) = store_with_tokens(line.now);
        let bytes = encode(&store, line);
        let back = decode(&bytes, line).expect("decodes");
        assert_eq!(encode(&back, line), bytes);
        assert_eq!(back.clients.len(), 1);
        assert_eq!(back.refresh_tokens[&refresh].minted.counted().count(), 1);
        assert_eq!(back.access_tokens.len(), 1);
        assert_eq!(back.next_seq, store.next_seq);
    }

    #[test]
    fn the_file_holds_no_token_in_clear() {
        let line = SandboxClock::default().timeline();
        let mut store = Store::new();
        let client = store
            .register(&ClientSpec::self_client("us", DEMO_US_USER), None)
            .expect("valid");
        let (refresh, digest) = store.mint_refresh_token(&client.id, DEMO_US_USER, Dc::Us, vec![]);
        let access = store.mint_access_token(
            &client.id,
            DEMO_US_USER,
            Dc::Us,
            vec![],
            Some(digest),
            line.now,
        );
        let text = String::from_utf8(encode(&store, line)).expect("UTF-8");
        assert!(!text.contains(&refresh) && !text.contains(&access));
        assert!(text.contains(&digest.to_hex()));
    }

    #[test]
    fn what_ended_while_the_sandbox_was_stopped_is_gone() {
        let clock = SandboxClock::default();
        let then = clock.timeline();
        let (store, refresh) = store_with_tokens(then.now);
        let bytes = encode(&store, then);
        clock.advance(ACCESS_TOKEN_LIFETIME + WINDOW);
        let back = decode(&bytes, clock.timeline()).expect("decodes");
        assert!(back.access_tokens.is_empty());
        assert!(back.code_requests.is_empty());
        // The refresh token itself never expires; only its window emptied.
        assert_eq!(back.refresh_tokens[&refresh].minted.counted().count(), 0);
    }

    #[test]
    fn times_from_a_clock_moved_forward_come_back_no_later_than_they_could_be() {
        let moved = SandboxClock::default();
        moved.advance(Duration::from_secs(24 * 3600));
        let (mut store, refresh) = store_with_tokens(moved.now());
        let ahead = moved.now();
        store
            .refresh_tokens
            .get_mut(&refresh)
            .expect("minted")
            .minted = Throttle::restored([ahead], Some(ahead + LOCKOUT));
        let bytes = encode(&store, moved.timeline());

        let line = SandboxClock::default().timeline();
        let back = decode(&bytes, line).expect("decodes");
        let access = back.access_tokens.values().next().expect("kept");
        assert!(access.expires_at <= line.now + ACCESS_TOKEN_LIFETIME);
        let minted = &back.refresh_tokens[&refresh].minted;
        assert!(minted.counted().all(|t| t <= line.now));
        assert!(minted
            .locked_until()
            .is_some_and(|t| t <= line.now + LOCKOUT));
    }

    #[test]
    fn damage_is_described_without_the_file_s_values() {
        let line = SandboxClock::default().timeline();
        let (store, _) = store_with_tokens(line.now);
        let text = String::from_utf8(encode(&store, line)).expect("UTF-8");

        let not_json = decode(b"\x00garbage", line).expect_err("refused");
        assert!(not_json.starts_with("is not valid JSON"), "{not_json}");

        let secret = store.clients[0].secret.clone();
        let wrong_type = text.replace(&format!("\"{secret}\""), "12");
        let why = decode(wrong_type.as_bytes(), line).expect_err("refused");
        assert!(why.starts_with("does not hold what"), "{why}");

        let unknown_dc = text.replace("\"home\": \"us\"", "\"home\": \"mars\"");
        let why = decode(unknown_dc.as_bytes(), line).expect_err("refused");
        assert_eq!(why, "names an unknown data center");

        let newer = text.replace("\"format\": 1", "\"format\": 2");
        let why = decode(newer.as_bytes(), line).expect_err("refused");
        assert!(why.contains("format 2"), "{why}");
    }
}
