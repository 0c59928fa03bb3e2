//! Command-line interface: the standard Substrate flags plus the usual subcommands.

/// The `endochain-node` command line.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	/// A subcommand; without one the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// The node's run options (`--dev`, `--chain`, `--validator`, `--rpc-port`, ...).
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// How long a security worker's access to a vulnerability package lasts before this node,
	/// acting as the case's trusted authority, ends it and renews the access token (minutes).
	#[arg(long, default_value_t = 480, value_parser = clap::value_parser!(u64).range(1..=525_600))]
	pub uiv_session_minutes: u64,

	/// How many times this node, acting as a case's trusted authority, embeds the tracing mark
	/// in the text of a report it delivers (1 to 4): more marks, shorter traceable excerpts.
	#[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u8).range(1..=4))]
	pub uiv_marks: u8,
}

/// The node's subcommands.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management CLI utilities.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification.
	/// DEPRECATED: `build-spec` will be removed; use `export-chain-spec`.
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Export the chain specification.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Sub-commands concerned with benchmarking.
	#[command(subcommand)]
	Benchmark(frame_benchmarking_cli::BenchmarkCmd),

	/// Db meta columns information.
	ChainInfo(sc_cli::ChainInfoCmd),
}
