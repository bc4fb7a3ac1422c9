//! `zoho-oauth`: the command line of the Zoho OAuth Assistant. A script gets a valid
//! Zoho access token in one line (`zoho-oauth token books`) without handling OAuth, from
//! the same encrypted vault the app keeps, reusing the token until it expires so that
//! Zoho never locks the connection out.

mod cli;
mod commands;
mod failure;
mod output;
mod pick;
mod unlock;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            return failure::Failure::new(
                failure::Code::Failed,
                format!("Could not start: {err}."),
                "",
            )
            .report()
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => failure.report(),
    }
}
