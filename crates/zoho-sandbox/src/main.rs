//! `zoho-sandbox --port N [--state FILE]`: runs the Zoho emulator on 127.0.0.1 for
//! people and scripts, and prints where everything is.

use std::io::ErrorKind;
use std::path::PathBuf;
use std::process::ExitCode;

use tracing_subscriber::EnvFilter;
use zoho_sandbox::{Sandbox, SandboxOptions, DEMO_EU_USER, DEMO_US_USER, LOCATIONS};

const DEFAULT_PORT: u16 = 8765;

const USAGE: &str = "\
Usage: zoho-sandbox [--port N] [--state FILE]

Runs a local emulator of Zoho's accounts servers and API domains (every data center),
the organizations APIs of Books, Inventory, Invoice, Expense and CRM, and a practice
API Console, on 127.0.0.1 only.

Options:
  --port N      port to listen on (default 8765; 0 picks a free port)
  --state FILE  remember clients and tokens in FILE, so that the next run started
                with the same FILE carries on (default: remember nothing)
  -h, --help    show this help

Set RUST_LOG=zoho_sandbox=debug to see what it does (ids only, never secrets).";

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("zoho-sandbox: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("zoho-sandbox: cannot start: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve(args))
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
struct Args {
    port: u16,
    state: Option<PathBuf>,
}

/// `Ok(None)` asks for help.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        port: DEFAULT_PORT,
        state: None,
    };
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => (name, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs {what}"))
        };
        match name {
            "-h" | "--help" => return Ok(None),
            "--port" | "-p" => {
                let value = value("a number")?;
                parsed.port = value
                    .parse()
                    .map_err(|_| format!("{value:?} is not a port number (0 to 65535)"))?;
            }
            "--state" => {
                let value = value("a file name")?;
                if value.trim().is_empty() {
                    return Err("--state needs a file name".to_owned());
                }
                parsed.state = Some(PathBuf::from(value));
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(parsed))
}

async fn serve(args: Args) -> ExitCode {
    let Args { port, state } = args;
    let options = SandboxOptions {
        port,
        state_file: state.clone(),
    };
    let sandbox = match Sandbox::start(options).await {
        Ok(sandbox) => sandbox,
        Err(error) if error.kind() == ErrorKind::AddrInUse => {
            eprintln!(
                "zoho-sandbox: port {port} is already in use on 127.0.0.1 (another sandbox may be running).\n\
                 Stop the program using it, or start with another port: zoho-sandbox --port 0 picks a free one."
            );
            return ExitCode::FAILURE;
        }
        Err(error) => {
            eprintln!("zoho-sandbox: {error}");
            return ExitCode::FAILURE;
        }
    };
    print_banner(&sandbox, state.as_deref());
    wait_for_stop_signal().await;
    println!("Stopping the sandbox.");
    sandbox.shutdown().await;
    ExitCode::SUCCESS
}

fn print_banner(sandbox: &Sandbox, state: Option<&std::path::Path>) {
    let base = sandbox.base_url();
    println!("Zoho OAuth sandbox running at {base}");
    match state {
        Some(file) => println!("Remembering clients and tokens in {}", file.display()),
        None => println!("Remembering nothing: everything is gone when it stops (see --state)."),
    }
    println!();
    println!("Data centers (accounts server, then API domain):");
    for location in LOCATIONS {
        println!(
            "  {location}  {:<28} {}",
            sandbox.accounts_url(location),
            sandbox.api_url(location)
        );
    }
    println!();
    println!("API Console:  {}", sandbox.console_url("us"));
    println!("              (each data center: <accounts server>/console)");
    println!("Server info:  {base}/oauth/serverinfo");
    println!("Control API:  {base}/sandbox/");
    println!("Demo users:   {DEMO_US_USER} (us), {DEMO_EU_USER} (eu)");
    println!();
    println!("For the curl walkthrough in crates/zoho-sandbox/README.md, first run:");
    println!("  BASE={base}");
    println!();
    println!("Try it with curl:");
    println!("  curl -s {base}/oauth/serverinfo");
    println!(
        "  curl -s -X POST {base}/sandbox/clients -H 'Content-Type: application/json' \\\n    -d '{{\"client_type\":\"self_client\",\"location\":\"us\",\"owner_email\":\"{DEMO_US_USER}\"}}'"
    );
    println!("  (crates/zoho-sandbox/README.md walks through the complete Self Client exchange)");
    println!();
    println!("Press Ctrl-C to stop.");
}

async fn wait_for_stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        if let Ok(mut terminate) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
    }
    // Windows has no signals: Ctrl-C, Ctrl-Break and closing the console window each
    // arrive as a console event, and each asks the sandbox to stop.
    #[cfg(windows)]
    {
        use tokio::signal::windows::{ctrl_break, ctrl_close};
        if let (Ok(mut brk), Ok(mut close)) = (ctrl_break(), ctrl_close()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = brk.recv() => {}
                _ = close.recv() => {}
            }
            return;
        }
    }
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("zoho-sandbox: cannot wait for Ctrl-C ({error}); stopping.");
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::{parse_args, Args};

    fn args(list: &[&str]) -> impl Iterator<Item = String> {
        list.iter()
            .map(|s| (*s).to_owned())
            .collect::<Vec<_>>()
            .into_iter()
    }

    fn port_of(list: &[&str]) -> Result<Option<u16>, String> {
        parse_args(args(list)).map(|parsed| parsed.map(|a| a.port))
    }

    #[test]
    fn ports_are_parsed() {
        assert_eq!(port_of(&[]), Ok(Some(8765)));
        assert_eq!(port_of(&["--port", "0"]), Ok(Some(0)));
        assert_eq!(port_of(&["--port=9000"]), Ok(Some(9000)));
        assert_eq!(port_of(&["--help"]), Ok(None));
        assert!(port_of(&["--port"]).is_err());
        assert!(port_of(&["--port", "70000"]).is_err());
        assert!(port_of(&["--verbose"]).is_err());
    }

    #[test]
    fn a_state_file_is_off_unless_named() {
        assert_eq!(
            parse_args(args(&[])),
            Ok(Some(Args {
                port: 8765,
                state: None
            }))
        );
        assert_eq!(
            parse_args(args(&["--state", "my state.json", "--port", "0"])),
            Ok(Some(Args {
                port: 0,
                state: Some(PathBuf::from("my state.json"))
            }))
        );
        assert_eq!(
            parse_args(args(&["--state=s.json"])).map(|a| a.and_then(|a| a.state)),
            Ok(Some(PathBuf::from("s.json")))
        );
        assert!(parse_args(args(&["--state"])).is_err());
        assert!(parse_args(args(&["--state="])).is_err());
    }
}
