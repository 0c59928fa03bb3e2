//! Endochain node: the command-line entry point.

// `sc_cli::Error` is large; the node returns the `Result`s of the Substrate APIs it calls, as
// every Substrate node does, rather than boxing them at each call.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;
mod uiv_ta;

fn main() -> sc_cli::Result<()> {
	command::run()
}
