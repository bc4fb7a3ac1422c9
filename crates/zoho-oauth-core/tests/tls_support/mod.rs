//! A local server that shows a certificate nobody trusts, as a firm's TLS-inspecting
//! proxy or antivirus program does, and reports what reached it.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::TlsAcceptor;

/// What one connection brought.
#[derive(Debug)]
pub struct Seen {
    /// The plain-text request head before TLS started (a proxy's `CONNECT`), if any.
    pub connect: Option<String>,
    /// Whether the TLS handshake completed.
    pub handshake_completed: bool,
    /// Bytes received inside TLS (a request, had the client trusted the certificate).
    pub inside_tls: Vec<u8>,
}

/// A TLS server configuration with a fresh self-signed certificate for `host`.
pub fn self_signed_for(host: &str) -> Arc<ServerConfig> {
    let certified = rcgen::generate_simple_self_signed(vec![host.to_owned()]).unwrap();
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let config = ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key)
        .unwrap();
    Arc::new(config)
}

/// Serves TLS with `config` on 127.0.0.1; with `as_proxy`, each connection first gets
/// a `CONNECT` answered with 200, as an inspecting proxy does before it shows its own
/// certificate for the host asked for.
pub async fn serve(
    config: Arc<ServerConfig>,
    as_proxy: bool,
) -> (SocketAddr, mpsc::UnboundedReceiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = mpsc::unbounded_channel();
    let acceptor = TlsAcceptor::from(config);
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let tx = tx.clone();
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let _ = tx.send(one_connection(stream, acceptor, as_proxy).await);
            });
        }
    });
    (addr, rx)
}

async fn one_connection(mut stream: TcpStream, acceptor: TlsAcceptor, as_proxy: bool) -> Seen {
    let connect = if as_proxy {
        let head = read_head(&mut stream).await;
        let _ = stream
            .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
            .await;
        Some(head)
    } else {
        None
    };
    match acceptor.accept(stream).await {
        Ok(mut tls) => Seen {
            connect,
            handshake_completed: true,
            inside_tls: read_some(&mut tls).await,
        },
        Err(_) => Seen {
            connect,
            handshake_completed: false,
            inside_tls: Vec::new(),
        },
    }
}

/// Reads up to the blank line that ends a request head, byte by byte so that nothing
/// of the TLS handshake after it is consumed.
async fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") && head.len() < 8192 {
        match stream.read(&mut byte).await {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

async fn read_some<S: AsyncRead + AsyncWrite + Unpin>(stream: &mut S) -> Vec<u8> {
    let mut buf = vec![0u8; 8192];
    let read = tokio::time::timeout(std::time::Duration::from_secs(2), stream.read(&mut buf)).await;
    match read {
        Ok(Ok(n)) => buf[..n].to_vec(),
        _ => Vec::new(),
    }
}
