//! Small helpers shared by the integration tests.
#![allow(dead_code)]

use std::net::{Ipv6Addr, TcpListener};

use zoho_oauth_core::{ClientCredentials, ClientSecret, ClientType};

/// A port that was free a moment ago on 127.0.0.1 (and ::1 where there is one).
pub fn free_port() -> u16 {
    loop {
        let port = TcpListener::bind(("127.0.0.1", 0))
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        if port >= 1024
            && (!has_ipv6_loopback() || TcpListener::bind((Ipv6Addr::LOCALHOST, port)).is_ok())
        {
            return port;
        }
    }
}

/// True when this machine has an IPv6 loopback address to listen on.
pub fn has_ipv6_loopback() -> bool {
    TcpListener::bind((Ipv6Addr::LOCALHOST, 0)).is_ok()
}

/// Credentials of a server-based client that only the tests know.
pub fn server_client() -> ClientCredentials {
    ClientCredentials {
        client_type: ClientType::ServerBased,
        client_id: "1000.TESTCLIENT0000000000000000000000".into(),
        client_secret: ClientSecret::new("00000000000000000000000000000000000000000a"),
    }
}
