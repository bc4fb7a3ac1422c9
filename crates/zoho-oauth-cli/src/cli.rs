//! What the command line accepts, and the help a person reads.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  Done.
  1  Failed for another reason: the test call failed, the vault file is damaged, a disk error.
  2  Usage: a wrong option, a command that needs --force or --yes, or the connection is on the
     other side of practice mode (--sandbox).
  3  The vault is missing or locked: nothing saved yet, wrong or no passphrase, keyring unavailable,
     or another program kept it busy.
  4  No connection by that name, or the name fits several (they are listed).
  5  Zoho refused: the refresh token was revoked or deleted, or the client or its secret is refused.
  6  Rate limited: Zoho is refusing new access tokens for a while (the wait is given).
  7  Network: Zoho could not be reached, did not answer in time, or had trouble.

Messages go to standard error; `token` prints nothing but the token on standard output, so
`$(zoho-oauth token books)` works. No secret is ever written to standard error.

Examples:
  curl -H \"$(zoho-oauth token books --format header)\" https://www.zohoapis.com/books/v3/organizations
  zoho-oauth list
  zoho-oauth test \"Riverside - Books\"
  zoho-oauth --passphrase-file ~/.config/zoho-passphrase token riv --format json";

/// The command line of the Zoho OAuth Assistant: use the Zoho connections saved with the
/// assistant from scripts and terminals, with the same encrypted vault.
#[derive(Debug, Parser)]
#[command(
    name = "zoho-oauth",
    version,
    about = "Use the Zoho connections saved with the Zoho OAuth Assistant from scripts and terminals.",
    long_about = "Use the Zoho connections saved with the Zoho OAuth Assistant from scripts and terminals.\n\n\
The access token is reused until shortly before it expires, and only then refreshed (Zoho allows \
about 10 new ones in 10 minutes, then locks the connection out). The app and any number of these \
commands may use the saved connections at the same time.\n\n\
A connection is named as in the assistant's window; the start of its name is enough when only \
one name starts that way.",
    after_long_help = EXIT_CODES,
    after_help = "Exit codes and examples: zoho-oauth --help"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,

    /// The vault file to use instead of the assistant's own.
    #[arg(long, global = true, value_name = "FILE", env = "ZOHO_OAUTH_VAULT")]
    pub vault: Option<PathBuf>,

    /// Read the vault's passphrase from this file (its first line) instead of asking for it.
    /// Never give the passphrase itself on the command line.
    #[arg(
        long,
        global = true,
        value_name = "FILE",
        env = "ZOHO_OAUTH_PASSPHRASE_FILE"
    )]
    pub passphrase_file: Option<PathBuf>,

    /// Practice mode: use the practice server (sandbox) at this address on this computer, for
    /// connections made in practice mode.
    #[arg(
        long,
        global = true,
        value_name = "URL",
        env = "ZOHO_OAUTH_ASSISTANT_SANDBOX_URL"
    )]
    pub sandbox: Option<String>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the saved connections with their status, as the assistant shows them.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Print the access token to use now, refreshing it only when it has expired or is
    /// about to.
    Token {
        /// The connection's name (or the start of it).
        name: String,
        /// How to print it.
        #[arg(long, value_enum, default_value_t = TokenFormat::Raw)]
        format: TokenFormat,
    },
    /// Test the connection with its product's own call; the result is saved and the exit
    /// code says it.
    Test {
        /// The connection's name (or the start of it).
        name: String,
    },
    /// Fetch a new access token now. While the current one still works this needs --force,
    /// because each refresh counts towards Zoho's limit.
    Refresh {
        /// The connection's name (or the start of it).
        name: String,
        /// Refresh even though the access token still works.
        #[arg(long)]
        force: bool,
    },
    /// Revoke the connection's refresh token at Zoho. The connection stays saved, marked
    /// revoked, so that it can be regenerated in the assistant.
    Revoke {
        /// The connection's name (or the start of it).
        name: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Print the connection's credentials (client, refresh token) for another tool.
    Export {
        /// The connection's name (or the start of it).
        name: String,
        /// The shape: .env lines, JSON, or a curl command that mints an access token.
        #[arg(long, value_enum)]
        format: ExportShape,
    },
    /// Where the vault is, how it is protected and how many connections it holds.
    Status,
    /// Print a shell completion script, e.g. `zoho-oauth completions bash > /etc/bash_completion.d/zoho-oauth`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: CompletionShell,
    },
}

/// How `token` prints the access token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TokenFormat {
    /// The token alone.
    Raw,
    /// `Authorization: Zoho-oauthtoken ...`, for `curl -H`.
    Header,
    /// `export ZOHO_ACCESS_TOKEN=...` lines (with the API domain and organization id).
    Env,
    /// A JSON object with the API domain, the expiry and the organization id.
    Json,
    /// A curl command that calls the product's test endpoint with the token.
    Curl,
}

/// The shapes of an export.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportShape {
    /// `KEY=value` lines for a `.env` file.
    Env,
    /// A JSON object.
    Json,
    /// A curl command that mints an access token with the refresh token.
    Curl,
}

/// The shells completions are made for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CompletionShell {
    /// Bash.
    Bash,
    /// Zsh.
    Zsh,
    /// Fish.
    Fish,
}
