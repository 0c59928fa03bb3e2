//! The command line of `endochain-uiv` (clap): global options and commands. The crate docs
//! of `endo_uiv_cli` list them with who runs each.

use clap::{Parser, Subcommand, ValueEnum};
use pallet_uiv_sharing::types::CaseId;
use std::path::PathBuf;

/// The command-line client of undisclosed-vulnerability sharing on Endochain.
#[derive(Parser)]
#[command(name = "endochain-uiv", version)]
pub(crate) struct Cli {
	/// The node's WebSocket RPC endpoint.
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	pub(crate) url: String,
	/// The signer's sr25519 secret URI (`//Alice`, a mnemonic, `0x` and a seed), for signing
	/// commands and `decrypt-report`. It appears in the process list: for development keys.
	#[arg(long, global = true, value_name = "SURI")]
	pub(crate) suri: Option<String>,
	/// Wait until the extrinsic's block is finalized, not only included.
	#[arg(long, global = true)]
	pub(crate) finalized: bool,
	/// The case TA's node (`uiv_*` methods) for `open-case`, `submit-report`,
	/// `fetch-package` and `end-session`; by default the `--url` node.
	#[arg(long, global = true)]
	pub(crate) ta_url: Option<String>,
	/// Read this host's fingerprint from a file instead of `/etc/machine-id` and the network
	/// interfaces (`fetch-package`, `open-package`, `host-id`).
	#[arg(long, global = true, value_name = "FILE")]
	pub(crate) host_fingerprint: Option<PathBuf>,
	#[command(subcommand)]
	pub(crate) command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
	Osv,
	Csaf,
}

#[derive(Subcommand)]
pub(crate) enum Command {
	/// Registers the signer as a vendor.
	RegisterVendor {
		/// The vendor's name.
		#[arg(long)]
		name: String,
	},
	/// Registers a product of the signing vendor.
	RegisterProduct {
		/// The product's package URL (`pkg:generic/acme/plc`).
		#[arg(long)]
		purl: String,
		/// The product's name.
		#[arg(long)]
		name: String,
	},
	/// Registers the signer as a security worker (SW).
	RegisterWorker,
	/// Seals a report to the TA's report key and opens a case with its hash.
	OpenCase {
		/// The TA (SS58).
		#[arg(long)]
		ta: String,
		/// A product: `VENDOR_SS58:PURL:RANGES`, ranges `1.0.0-1.4.2,2.0.0-` (introduced-fixed,
		/// fixed optional). Repeat for more products; the first one's vendor is the case's.
		#[arg(long = "product", required = true)]
		products: Vec<String>,
		/// The CVSS 3.1 base vector (`CVSS:3.1/AV:N/...`).
		#[arg(long, conflicts_with = "ssvc", required_unless_present = "ssvc")]
		cvss: Option<String>,
		/// SSVC decision points `exploitation,automatable,impact,mission` (`poc,no,total,high`).
		#[arg(long)]
		ssvc: Option<String>,
		/// The report; it is sealed into `<REPORT>.sealed`, which the TA keeps.
		#[arg(long)]
		report: PathBuf,
		/// Overwrite an existing `<REPORT>.sealed`.
		#[arg(long)]
		force: bool,
	},
	/// The reporter hands a sealed report to the case TA's node (`uiv_submitReport`);
	/// `open-case` does it already, this retries.
	SubmitReport {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The sealed report (`<REPORT>.sealed`).
		#[arg(long)]
		sealed: PathBuf,
	},
	/// A granted SW fetches its package from the TA's node for this host, checks it, and waits
	/// until its delivery is on chain.
	FetchPackage {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// Where to write the package (sealed to the SW's key).
		#[arg(long)]
		out: PathBuf,
		/// Overwrite an existing `--out`.
		#[arg(long)]
		force: bool,
		/// How long to wait for the delivery to be on chain (seconds).
		#[arg(long, default_value_t = 60)]
		wait_secs: u64,
	},
	/// An SW opens its package after codepreleak's self-check: on the host it was fetched
	/// for, within its valid time, once the chain records its delivery. On another host the
	/// package is overwritten, deleted and reported as a leak (exit 3).
	#[command(alias = "open-package")]
	Open {
		/// The package.
		file: PathBuf,
		/// Write the report here instead of printing it.
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Extracts the tracing marks of a leaked plaintext and names the SW and access each came
	/// from; `--report` reports each traced one on chain (`report_leak`, `Copy`).
	Trace {
		/// The leaked copy (UTF-8 text).
		file: PathBuf,
		/// Report each traced mark as a leak, signed with `--suri`.
		#[arg(long)]
		report: bool,
	},
	/// Reports a leak by hand: the tracing token and, for codepreleak's feedback, the host
	/// that ran it and when (`report_leak`).
	ReportLeak {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The tracing token (32 bytes hex).
		#[arg(long)]
		token: String,
		/// The identifier of the host the package was found on (32 bytes hex); without it the
		/// report is of a leaked copy.
		#[arg(long, requires = "at")]
		host: Option<String>,
		/// When the package's self-check ran there (UNIX ms).
		#[arg(long, requires = "host")]
		at: Option<u64>,
	},
	/// The TA's operator decides on a deferred SW (`uiv_resolveDeferred` on the TA's node,
	/// unsafe): the real report, or `--decoy FILE` as a trap.
	ResolveDeferred {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The SW (SS58).
		#[arg(long)]
		worker: String,
		/// Deliver a false report as a trap.
		#[arg(long, requires = "decoy")]
		trap: bool,
		/// The false report.
		#[arg(long, requires = "trap")]
		decoy: Option<PathBuf>,
		/// How long the package stays valid (minutes; default: the node's session length).
		#[arg(long)]
		valid_minutes: Option<u32>,
	},
	/// An SW ends its access; the TA's node renews its token (`uiv_endAccess`).
	EndSession {
		/// The case.
		#[arg(long)]
		case: CaseId,
	},
	/// This host's identifier, which a package's tracing token binds.
	HostId {
		/// Print the fingerprint it is computed from as well.
		#[arg(long)]
		show: bool,
	},
	/// The TA's side: opens a sealed report with the `--suri` key, in the context of case
	/// `--case` (read from the node) or the context `--context` that `open-case` printed.
	DecryptReport {
		/// The sealed report.
		file: PathBuf,
		/// The case it was sealed for.
		#[arg(long, conflicts_with = "context", required_unless_present = "context")]
		case: Option<CaseId>,
		/// The report context (32 bytes hex, `reportContext` of `open-case`), offline.
		#[arg(long)]
		context: Option<String>,
		/// Write the report here and print its hashes, instead of printing the report.
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// The case's TA assesses the report.
	Assess {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// Whether the report is valid.
		#[arg(long, action = clap::ArgAction::Set)]
		valid: bool,
	},
	/// The case's vendor accepts the report and the embargo.
	Accept {
		/// The case.
		#[arg(long)]
		case: CaseId,
	},
	/// A product's vendor sets its status in the case.
	SetProductStatus {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The product's index in the case (`case` lists them).
		#[arg(long)]
		index: u32,
		/// `affected`, `fixed`, `not-affected` or `under-investigation`.
		#[arg(long)]
		status: String,
	},
	/// A product's vendor sets its affected version ranges in the case (e.g. to name the fixed
	/// version before marking it fixed).
	SetProductRanges {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The product's index in the case (`case` lists them).
		#[arg(long)]
		index: u32,
		/// The ranges, `INTRODUCED-FIXED` separated by commas (`1.0.0-1.4.2,2.0.0-2.1.0`).
		#[arg(long)]
		ranges: String,
	},
	/// A vendor of the case invites an SW to ask for it.
	Invite {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The SW (SS58).
		#[arg(long)]
		worker: String,
	},
	/// An invited SW asks for a case; prints the chain's decision.
	Request {
		/// The case.
		#[arg(long)]
		case: CaseId,
	},
	/// The case's TA records a package's delivery to a granted SW.
	Deliver {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The SW (SS58).
		#[arg(long)]
		worker: String,
		/// Commitment to the SW's access token (32 bytes hex, `endo_uiv::token::commitment`).
		#[arg(long)]
		token_commitment: String,
		/// Commitment to the tracing token in the package (32 bytes hex).
		#[arg(long)]
		tracing_commitment: String,
	},
	/// The case's TA discloses it.
	Disclose {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// SHA-256 of the plaintext report now public (32 bytes hex).
		#[arg(long)]
		report_hash: String,
		/// Where it is published.
		#[arg(long)]
		uri: String,
	},
	/// A participant accepts or declines the proposed embargo.
	ConsentEmbargo {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// Whether it accepts.
		#[arg(long, action = clap::ArgAction::Set)]
		accept: bool,
	},
	/// The case's TA or vendor reports exploitation in the wild (the embargo shortens).
	NoteExploited {
		/// The case.
		#[arg(long)]
		case: CaseId,
	},
	/// Ends a live embargo whose deadline has passed (anyone), or, before it, one whose case has
	/// a verified leak of the real report on record (the case's TA or a vendor).
	ExitEmbargo {
		/// The case.
		#[arg(long)]
		case: CaseId,
	},
	/// The case's TA ends an SW's access and commits to its renewed token.
	EndAccess {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The SW (SS58).
		#[arg(long)]
		worker: String,
		/// Commitment to the renewed access token (32 bytes hex).
		#[arg(long)]
		token_commitment: String,
	},
	/// A vendor of the case accepts a delivered SW's contribution.
	AcceptContribution {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The SW (SS58).
		#[arg(long)]
		worker: String,
	},
	/// The case's TA or vendor closes a disclosed or invalid case.
	Close {
		/// The case.
		#[arg(long)]
		case: CaseId,
	},
	/// Prints a case as JSON.
	Case {
		/// The case.
		#[arg(long)]
		case: CaseId,
	},
	/// Prints a case's log as a table (or JSON).
	Log {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The first entry.
		#[arg(long, default_value_t = 0)]
		from: u32,
		/// The most entries.
		#[arg(long, default_value_t = 4096)]
		max: u32,
		/// Print JSON instead of a table.
		#[arg(long)]
		json: bool,
	},
	/// Writes a log entry's inclusion proof as JSON.
	ExportProof {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// The entry's sequence number.
		#[arg(long)]
		seq: u32,
		/// Write it here instead of printing it.
		#[arg(long)]
		out: Option<PathBuf>,
	},
	/// Checks a log entry against the log root of its finalized block's header.
	VerifyLog {
		/// The case (with `--seq`: the proof is asked from the node).
		#[arg(long, required_unless_present = "proof_file", requires = "seq")]
		case: Option<CaseId>,
		/// The entry's sequence number.
		#[arg(long, requires = "case")]
		seq: Option<u32>,
		/// Read the entry and proof from this file (`export-proof`) instead of the node.
		#[arg(long, conflicts_with_all = ["case", "seq"])]
		proof_file: Option<PathBuf>,
		/// Check against this log root (32 bytes hex) instead of the header's: no node needed
		/// with `--proof-file`.
		#[arg(long)]
		root: Option<String>,
	},
	/// Recomputes a case's hash chain from its genesis and compares it with the stored head.
	VerifyChain {
		/// The case.
		#[arg(long)]
		case: CaseId,
	},
	/// Prints a disclosed case as an OSV or CSAF 2.0 advisory.
	Export {
		/// The case.
		#[arg(long)]
		case: CaseId,
		/// `osv` or `csaf`.
		#[arg(long, value_enum)]
		format: Format,
		/// The publisher's name.
		#[arg(long, default_value = "Endochain")]
		publisher: String,
		/// The publisher's namespace (a URL).
		#[arg(long, default_value = "https://github.com/endochain/endochain")]
		namespace: String,
	},
}
