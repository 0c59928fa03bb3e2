//! `endochain-uiv`: the command-line client of undisclosed-vulnerability sharing. See the
//! `endo_uiv_cli` crate docs for every command.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand, ValueEnum};
use codec::Encode;
use endo_uiv::log::{self, LogEntry, Proof};
use endo_uiv_cli::{
	args::{self, parse_account, parse_hash, ss58, to_hex},
	chain::{self, blake2_128_concat, Chain, Included},
	delivery,
	events::{self, AccessDecided, CaseOpened},
	proof::EntryProof,
	render::{self, AdvisoryOptions, ChainCase, Names},
	seal, Error,
};
use pallet_uiv_sharing::types::{Authority, CaseId, Name, Vendor, MAX_PRODUCTS_PER_CASE};
use serde_json::{json, Value};
use sp_core::ConstU32;
use sp_runtime::BoundedVec;

/// The command-line client of undisclosed-vulnerability sharing on Endochain.
#[derive(Parser)]
#[command(name = "endochain-uiv", version)]
struct Cli {
	/// The node's WebSocket RPC endpoint.
	#[arg(long, global = true, default_value = "ws://127.0.0.1:9944")]
	url: String,
	/// The signer's sr25519 secret URI (`//Alice`, a mnemonic, `0x` and a seed), for signing
	/// commands and `decrypt-report`. It appears in the process list: for development keys.
	#[arg(long, global = true, value_name = "SURI")]
	suri: Option<String>,
	/// Wait until the extrinsic's block is finalized, not only included.
	#[arg(long, global = true)]
	finalized: bool,
	/// The case TA's node (`uiv_*` methods) for `open-case`, `submit-report`,
	/// `fetch-package` and `end-session`; by default the `--url` node.
	#[arg(long, global = true)]
	ta_url: Option<String>,
	/// Read this host's fingerprint from a file instead of `/etc/machine-id` and the network
	/// interfaces (`fetch-package`, `open-package`, `host-id`).
	#[arg(long, global = true, value_name = "FILE")]
	host_fingerprint: Option<PathBuf>,
	#[command(subcommand)]
	command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
	Osv,
	Csaf,
}

#[derive(Subcommand)]
enum Command {
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
	/// An SW opens its package: on the host it was fetched for, and only if the chain records
	/// its delivery.
	OpenPackage {
		/// The package.
		file: PathBuf,
		/// Write the report here instead of printing it.
		#[arg(long)]
		out: Option<PathBuf>,
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
	/// Ends a live embargo whose deadline has passed (anyone).
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

/// What a command ends with.
enum Outcome {
	/// Print this and exit 0.
	Print(String),
	/// A check failed: print `FAILED: <why>` and exit 2.
	Failed(String),
}

fn pretty(value: &Value) -> Outcome {
	Outcome::Print(serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string()))
}

fn read(path: &PathBuf) -> Result<Vec<u8>, Error> {
	std::fs::read(path).map_err(|source| Error::Io { path: path.clone(), source })
}

fn write(path: &PathBuf, bytes: &[u8]) -> Result<(), Error> {
	std::fs::write(path, bytes).map_err(|source| Error::Io { path: path.clone(), source })
}

fn suri(cli_suri: &Option<String>, command: &str) -> Result<String, Error> {
	cli_suri.clone().ok_or_else(|| {
		Error::arg("--suri", format!("{command} signs: give the signer's secret URI (//Alice)"))
	})
}

async fn case_of(chain: &Chain, id: CaseId) -> Result<ChainCase, Error> {
	chain
		.api::<Option<ChainCase>>("case", id)
		.await?
		.ok_or_else(|| Error::NotFound(format!("no case {id} on chain")))
}

async fn whole_log(chain: &Chain, id: CaseId, len: u32) -> Result<Vec<LogEntry>, Error> {
	let mut entries = Vec::new();
	while (entries.len() as u32) < len {
		let from = entries.len() as u32;
		let part: Vec<LogEntry> = chain.api("case_log", (id, from, 1024u32)).await?;
		if part.is_empty() {
			break;
		}
		entries.extend(part);
	}
	Ok(entries)
}

async fn entry_proof(chain: &Chain, case: CaseId, seq: u32) -> Result<EntryProof, Error> {
	let answer: Option<(LogEntry, u32, Proof)> = chain.api("log_proof", (case, seq)).await?;
	let (entry, block, proof) =
		answer.ok_or_else(|| Error::NotFound(format!("case {case} has no log entry {seq}")))?;
	Ok(EntryProof { entry, block, proof })
}

async fn signed(
	cli: &Cli,
	command: &str,
	call: &str,
	arguments: Vec<u8>,
) -> Result<(Chain, Included), Error> {
	let keypair = chain::signer(&suri(&cli.suri, command)?)?;
	let chain = Chain::connect(&cli.url).await?;
	let included = chain.submit(&keypair, call, arguments, cli.finalized).await?;
	Ok((chain, included))
}

/// The TA's node: `--ta-url`, else `--url`.
async fn ta_chain(cli: &Cli) -> Result<Chain, Error> {
	Chain::connect(cli.ta_url.as_deref().unwrap_or(&cli.url)).await
}

/// Hands case `case`'s sealed report to the case TA's node.
async fn submit_report(
	cli: &Cli,
	chain: &Chain,
	case: CaseId,
	sealed: Vec<u8>,
) -> Result<Value, Error> {
	let found = case_of(chain, case).await?;
	if seal::sha256(&sealed) != found.report_hash {
		return Err(Error::Refused(format!(
			"the sealed report's SHA-256 is not case {case}'s report hash"
		)));
	}
	let ta = ta_chain(cli).await?;
	ta.request("uiv_submitReport", vec![json!(case), json!(to_hex(&sealed))]).await
}

async fn run(cli: Cli) -> Result<Outcome, Error> {
	match &cli.command {
		Command::RegisterVendor { name } => {
			let name = args::parse_name("--name", name)?;
			let (_, done) =
				signed(&cli, "register-vendor", "register_vendor", name.encode()).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::RegisterProduct { purl, name } => {
			let product = args::parse_purl("--purl", purl)?;
			let name = args::parse_name("--name", name)?;
			let call = (product, name).encode();
			let (_, done) = signed(&cli, "register-product", "register_product", call).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::RegisterWorker => {
			let (_, done) = signed(&cli, "register-worker", "register_worker", vec![]).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::OpenCase { ta, products, cvss, ssvc, report, force } => {
			let ta = parse_account("--ta", ta)?;
			let products =
				products.iter().map(|p| args::parse_product(p)).collect::<Result<Vec<_>, _>>()?;
			let count = products.len();
			let products: BoundedVec<_, ConstU32<MAX_PRODUCTS_PER_CASE>> =
				products.try_into().map_err(|_| {
					Error::arg(
						"--product",
						format!("{count} products, at most {MAX_PRODUCTS_PER_CASE}"),
					)
				})?;
			let severity = match (cvss, ssvc) {
				(Some(cvss), _) => args::parse_cvss(cvss)?,
				(None, Some(ssvc)) => args::parse_ssvc(ssvc)?,
				(None, None) => return Err(Error::arg("--cvss", "give --cvss or --ssvc")),
			};
			let keypair = chain::signer(&suri(&cli.suri, "open-case")?)?;
			let plaintext = read(report)?;
			let sealed_path = PathBuf::from(format!("{}.sealed", report.display()));
			if sealed_path.exists() && !force {
				return Err(Error::Refused(format!(
					"{}: already exists; pass --force to overwrite it",
					sealed_path.display()
				)));
			}
			let chain = Chain::connect(&cli.url).await?;
			let authority: Authority =
				chain.storage("Authorities", &blake2_128_concat(&ta)).await?.ok_or_else(|| {
					Error::NotFound(format!("{} is not a trusted authority", ss58(&ta)))
				})?;
			let opener = chain::account_of(&keypair);
			let context = endo_uiv::package::report_context(
				&delivery::genesis(&chain).await?,
				&ta.clone().into(),
				&opener.clone().into(),
			);
			let sealed =
				seal::seal(&authority.report_key, &context, &plaintext, &mut rand::rngs::OsRng)?;
			write(&sealed_path, &sealed)?;
			let report_hash = seal::sha256(&sealed);
			let call = (ta, products, severity, report_hash).encode();
			let done = chain.submit(&keypair, "open_case", call, cli.finalized).await?;
			let opened = done
				.event(chain::PALLET, "CaseOpened")
				.ok_or_else(|| Error::NotFound("the extrinsic emitted no CaseOpened".into()))?;
			let opened: CaseOpened = events::decode("CaseOpened", opened)?;
			// The case is open whatever the TA's node says; a refusal is reported, and
			// `submit-report` retries.
			let handed = match submit_report(&cli, &chain, opened.case, sealed).await {
				Ok(receipt) => json!({ "submitted": true, "bytes": receipt["bytes"] }),
				Err(e) => {
					eprintln!(
						"endochain-uiv: warning: case {} is open, but the TA's node did not take \
						 the report ({e}); retry with `submit-report`",
						opened.case
					);
					json!({ "submitted": false, "error": e.to_string() })
				}
			};
			Ok(pretty(&done.to_json(json!({
				"case": opened.case,
				"reportHash": to_hex(&report_hash),
				"reportContext": to_hex(&context),
				"sealed": sealed_path.display().to_string(),
				"reportToTa": handed,
			}))))
		}
		Command::SubmitReport { case, sealed } => {
			let chain = Chain::connect(&cli.url).await?;
			let receipt = submit_report(&cli, &chain, *case, read(sealed)?).await?;
			Ok(pretty(&json!({ "case": case, "receipt": receipt })))
		}
		Command::FetchPackage { case, out, force, wait_secs } => {
			if out.exists() && !force {
				return Err(Error::Refused(format!(
					"{}: already exists; pass --force to overwrite it",
					out.display()
				)));
			}
			let pair = delivery::pair(&suri(&cli.suri, "fetch-package")?)?;
			let host = endo_uiv::package::host_id(&delivery::fingerprint(
				cli.host_fingerprint.as_deref(),
			)?);
			let chain = Chain::connect(&cli.url).await?;
			let ta = ta_chain(&cli).await?;
			let fetched = delivery::fetch(
				&chain,
				&ta,
				&pair,
				*case,
				host,
				std::time::Duration::from_secs(*wait_secs),
			)
			.await?;
			write(out, &fetched.sealed)?;
			Ok(pretty(&json!({
				"case": case,
				"package": out.display().to_string(),
				"host": to_hex(&host),
				"tracingCommitment": to_hex(&fetched.tracing_commitment),
				"deliverTx": fetched.tx.map(|tx| format!("{tx:?}")),
				"waitedMs": u64::try_from(fetched.waited.as_millis()).unwrap_or(u64::MAX),
			})))
		}
		Command::OpenPackage { file, out } => {
			let pair = delivery::pair(&suri(&cli.suri, "open-package")?)?;
			let host = endo_uiv::package::host_id(&delivery::fingerprint(
				cli.host_fingerprint.as_deref(),
			)?);
			let chain = Chain::connect(&cli.url).await?;
			let genesis = delivery::genesis(&chain).await?;
			let sealed = read(file)?;
			let package = delivery::open(&pair, &sealed, &genesis, None, &host)
				.map_err(|e| Error::File { path: file.clone(), reason: e.to_string() })?;
			let access =
				delivery::access(&chain, package.case, &sp_core::Pair::public(&pair).0).await?;
			if access.tracing_commitment != Some(package.tracing_commitment()) {
				return Err(Error::Refused(format!(
					"{}: the chain records no delivery of this package (case {})",
					file.display(),
					package.case
				)));
			}
			match out {
				Some(out) => {
					write(out, &package.report)?;
					Ok(pretty(&json!({
						"case": package.case,
						"report": out.display().to_string(),
						"reportSha256": to_hex(&seal::sha256(&package.report)),
						"access": format!("{:?}", access.state),
						"ta": ss58(&package.ta.into()),
					})))
				}
				None => Ok(Outcome::Print(String::from_utf8_lossy(&package.report).into_owned())),
			}
		}
		Command::EndSession { case } => {
			let pair = delivery::pair(&suri(&cli.suri, "end-session")?)?;
			let chain = Chain::connect(&cli.url).await?;
			let ta = ta_chain(&cli).await?;
			let tx = delivery::end(&chain, &ta, &pair, *case).await?;
			Ok(pretty(&json!({ "case": case, "endTx": format!("{tx:?}") })))
		}
		Command::HostId { show } => {
			let fingerprint = delivery::fingerprint(cli.host_fingerprint.as_deref())?;
			let mut value = json!({ "hostId": to_hex(&endo_uiv::package::host_id(&fingerprint)) });
			if *show {
				value["fingerprint"] = json!(String::from_utf8_lossy(&fingerprint));
			}
			Ok(pretty(&value))
		}
		Command::DecryptReport { file, case, context, out } => {
			let (scalar, public) = seal::secret_scalar(&suri(&cli.suri, "decrypt-report")?)?;
			let sealed = read(file)?;
			let context = match (case, context) {
				(_, Some(context)) => parse_hash("--context", context)?,
				(Some(case), None) => {
					let chain = Chain::connect(&cli.url).await?;
					let found = case_of(&chain, *case).await?;
					endo_uiv::package::report_context(
						&delivery::genesis(&chain).await?,
						&found.ta.clone().into(),
						&found.opener.clone().into(),
					)
				}
				(None, None) => return Err(Error::arg("--case", "give --case or --context")),
			};
			let report = seal::open(&scalar, &context, &sealed)
				.map_err(|e| Error::File { path: file.clone(), reason: e.to_string() })?;
			match out {
				Some(out) => {
					write(out, &report)?;
					Ok(pretty(&json!({
						"report": out.display().to_string(),
						"reportHash": to_hex(&seal::sha256(&report)),
						"sealedHash": to_hex(&seal::sha256(&sealed)),
						"reportKey": to_hex(&public),
					})))
				}
				None => Ok(Outcome::Print(String::from_utf8_lossy(&report).into_owned())),
			}
		}
		Command::Assess { case, valid } => {
			let (_, done) = signed(&cli, "assess", "assess_case", (case, valid).encode()).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::Accept { case } => {
			let (_, done) = signed(&cli, "accept", "accept_case", case.encode()).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::SetProductStatus { case, index, status } => {
			let status = args::parse_status(status)?;
			let call = (case, index, status).encode();
			let (_, done) = signed(&cli, "set-product-status", "set_product_status", call).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::SetProductRanges { case, index, ranges } => {
			let ranges = args::parse_ranges("--ranges", ranges)?;
			let call = (case, index, ranges).encode();
			let (_, done) = signed(&cli, "set-product-ranges", "set_product_ranges", call).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::Invite { case, worker } => {
			let worker = parse_account("--worker", worker)?;
			let (_, done) =
				signed(&cli, "invite", "invite_worker", (case, worker).encode()).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::Request { case } => {
			let (_, done) = signed(&cli, "request", "request_access", case.encode()).await?;
			let decided = done
				.event(chain::PALLET, "AccessDecided")
				.ok_or_else(|| Error::NotFound("the extrinsic emitted no AccessDecided".into()))?;
			let decided: AccessDecided = events::decode("AccessDecided", decided)?;
			Ok(pretty(&done.to_json(json!({
				"case": decided.case,
				"worker": ss58(&decided.worker),
				"state": format!("{:?}", decided.state),
				"trust": render::trust(decided.trust.deconstruct()),
			}))))
		}
		Command::Deliver { case, worker, token_commitment, tracing_commitment } => {
			let worker = parse_account("--worker", worker)?;
			let token = parse_hash("--token-commitment", token_commitment)?;
			let tracing = parse_hash("--tracing-commitment", tracing_commitment)?;
			let call = (case, worker, token, tracing).encode();
			let (_, done) = signed(&cli, "deliver", "deliver_package", call).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::Disclose { case, report_hash, uri } => {
			let hash = parse_hash("--report-hash", report_hash)?;
			let uri = args::parse_uri("--uri", uri)?;
			let (_, done) =
				signed(&cli, "disclose", "disclose", (case, hash, uri).encode()).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::ConsentEmbargo { case, accept } => {
			let call = (case, accept).encode();
			let (_, done) = signed(&cli, "consent-embargo", "consent_embargo", call).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::NoteExploited { case } => {
			let (_, done) = signed(&cli, "note-exploited", "note_exploited", case.encode()).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::ExitEmbargo { case } => {
			let (_, done) = signed(&cli, "exit-embargo", "exit_embargo", case.encode()).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::EndAccess { case, worker, token_commitment } => {
			let worker = parse_account("--worker", worker)?;
			let token = parse_hash("--token-commitment", token_commitment)?;
			let call = (case, worker, token).encode();
			let (_, done) = signed(&cli, "end-access", "end_access", call).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::AcceptContribution { case, worker } => {
			let worker = parse_account("--worker", worker)?;
			let call = (case, worker).encode();
			let (_, done) =
				signed(&cli, "accept-contribution", "accept_contribution", call).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::Close { case } => {
			let (_, done) = signed(&cli, "close", "close_case", case.encode()).await?;
			Ok(pretty(&done.to_json(json!({}))))
		}
		Command::Case { case } => {
			let chain = Chain::connect(&cli.url).await?;
			Ok(pretty(&render::case_json(*case, &case_of(&chain, *case).await?)))
		}
		Command::Log { case, from, max, json } => {
			let chain = Chain::connect(&cli.url).await?;
			let found = case_of(&chain, *case).await?;
			let end = found.log.len.min(from.saturating_add(*max));
			let mut entries = Vec::new();
			while (entries.len() as u32).saturating_add(*from) < end {
				let next = from.saturating_add(entries.len() as u32);
				let want = (end - next).min(1024);
				let part: Vec<LogEntry> = chain.api("case_log", (case, next, want)).await?;
				if part.is_empty() {
					break;
				}
				entries.extend(part);
			}
			if *json {
				Ok(pretty(&Value::from(entries.iter().map(render::entry_json).collect::<Vec<_>>())))
			} else {
				Ok(Outcome::Print(render::log_table(&entries)))
			}
		}
		Command::ExportProof { case, seq, out } => {
			let chain = Chain::connect(&cli.url).await?;
			let proof = entry_proof(&chain, *case, *seq).await?.to_json();
			let text = serde_json::to_string_pretty(&proof).unwrap_or_else(|_| proof.to_string());
			match out {
				Some(out) => {
					write(out, format!("{text}\n").as_bytes())?;
					Ok(Outcome::Print(format!("wrote {}", out.display())))
				}
				None => Ok(Outcome::Print(text)),
			}
		}
		Command::VerifyLog { case, seq, proof_file, root } => {
			let given_root = root.as_deref().map(|r| parse_hash("--root", r)).transpose()?;
			let mut chain = None;
			let proof = match (proof_file, case, seq) {
				(Some(file), _, _) => {
					let text = String::from_utf8(read(file)?).map_err(|_| Error::File {
						path: file.clone(),
						reason: "not UTF-8 text".into(),
					})?;
					EntryProof::from_json(&text, &file.display().to_string())?
				}
				(None, Some(case), Some(seq)) => {
					let connected = Chain::connect(&cli.url).await?;
					let proof = entry_proof(&connected, *case, *seq).await?;
					chain = Some(connected);
					proof
				}
				_ => return Err(Error::arg("--case", "give --case and --seq, or --proof-file")),
			};
			let what = format!("case {} seq {}", proof.entry.case, proof.entry.seq);
			if let Some(root) = given_root {
				return Ok(match proof.check(&root) {
					Ok(()) => Outcome::Print(format!(
						"ok: {what} is in block {} under the given log root {}",
						proof.block,
						to_hex(&root)
					)),
					Err(why) => Outcome::Failed(why),
				});
			}
			let chain = match chain {
				Some(chain) => chain,
				None => Chain::connect(&cli.url).await?,
			};
			let (finalized, _) = chain.finalized().await?;
			if proof.block > finalized {
				return Err(Error::Refused(format!(
					"{what} is in block {}, not finalized yet (finalized: {finalized}): try again \
					 once it is",
					proof.block
				)));
			}
			let hash = chain.block_hash(proof.block).await?;
			let Some(root) = chain.log_root(hash).await? else {
				return Ok(Outcome::Failed(format!(
					"block {} ({hash:?}) carries no log root in its header",
					proof.block
				)));
			};
			Ok(match proof.check(&root) {
				Ok(()) => Outcome::Print(format!(
					"ok: {what} is in finalized block {} ({hash:?}), log root {}",
					proof.block,
					to_hex(&root)
				)),
				Err(why) => Outcome::Failed(format!("block {} ({hash:?}): {why}", proof.block)),
			})
		}
		Command::VerifyChain { case } => {
			let chain = Chain::connect(&cli.url).await?;
			let found = case_of(&chain, *case).await?;
			let entries = whole_log(&chain, *case, found.log.len).await?;
			let vendor: [u8; 32] = found.vendor.clone().into();
			let genesis = log::case_genesis(*case, &vendor, found.opened.block);
			if entries.len() as u32 != found.log.len {
				return Ok(Outcome::Failed(format!(
					"the node served {} entries, the case counts {}",
					entries.len(),
					found.log.len
				)));
			}
			Ok(match log::verify_chain(&genesis, &entries) {
				Ok(head) if head == found.log.head => Outcome::Print(format!(
					"ok: case {case}'s {} entries chain from its genesis {} to its head {}",
					entries.len(),
					to_hex(&genesis),
					to_hex(&head)
				)),
				Ok(head) => Outcome::Failed(format!(
					"the entries chain to {}, the case's head is {}",
					to_hex(&head),
					to_hex(&found.log.head)
				)),
				Err(e) => Outcome::Failed(format!("the chain is broken: {e}")),
			})
		}
		Command::Export { case, format, publisher, namespace } => {
			let chain = Chain::connect(&cli.url).await?;
			let found = case_of(&chain, *case).await?;
			let mut products = Vec::new();
			for p in &found.products {
				let vendor: Option<Vendor<u128>> =
					chain.storage("Vendors", &blake2_128_concat(&p.vendor)).await?;
				let mut key = blake2_128_concat(&p.vendor);
				key.extend(blake2_128_concat(&p.product));
				let name: Option<Name> = chain.storage("Products", &key).await?;
				products.push((
					vendor
						.map(|v| String::from_utf8_lossy(&v.name).into_owned())
						.unwrap_or_else(|| ss58(&p.vendor)),
					name.map(|n| String::from_utf8_lossy(&n).into_owned())
						.unwrap_or_else(|| p.product.name().to_string()),
				));
			}
			let opener: Option<Vendor<u128>> =
				chain.storage("Vendors", &blake2_128_concat(&found.opener)).await?;
			let names = Names {
				products,
				opener: opener
					.map(|v| String::from_utf8_lossy(&v.name).into_owned())
					.unwrap_or_else(|| ss58(&found.opener)),
			};
			let options =
				AdvisoryOptions { publisher: publisher.clone(), namespace: namespace.clone() };
			let advisory = render::advisory(*case, &found, &names, &options)?;
			let document = match format {
				Format::Osv => endo_uiv::export::to_osv(&advisory),
				Format::Csaf => endo_uiv::export::to_csaf(&advisory),
			}
			.map_err(|e| Error::Refused(format!("case {case} does not make an advisory: {e}")))?;
			Ok(pretty(&document))
		}
	}
}

/// Prints clap's help and version; any other parse error is one line and exit status 1.
fn parse() -> Result<Cli, ExitCode> {
	Cli::try_parse().map_err(|error| {
		use clap::error::ErrorKind;
		match error.kind() {
			ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
				let _ = error.print();
				ExitCode::SUCCESS
			}
			ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand => {
				eprintln!("endochain-uiv: error: no command given (see --help)");
				ExitCode::from(1)
			}
			_ => {
				// clap's message up to its usage block, on one line.
				let text = error.to_string();
				let message = text
					.lines()
					.take_while(|line| !line.trim().is_empty())
					.map(str::trim)
					.collect::<Vec<_>>()
					.join(" ");
				let message = message.strip_prefix("error: ").unwrap_or(&message);
				eprintln!("endochain-uiv: error: {message} (see --help)");
				ExitCode::from(1)
			}
		}
	})
}

fn main() -> ExitCode {
	let cli = match parse() {
		Ok(cli) => cli,
		Err(code) => return code,
	};
	let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
		Ok(runtime) => runtime,
		Err(error) => {
			eprintln!("endochain-uiv: error: cannot start the async runtime: {error}");
			return ExitCode::from(1);
		}
	};
	match runtime.block_on(run(cli)) {
		Ok(Outcome::Print(text)) => {
			println!("{text}");
			ExitCode::SUCCESS
		}
		Ok(Outcome::Failed(why)) => {
			println!("FAILED: {why}");
			ExitCode::from(2)
		}
		Err(error) => {
			eprintln!("endochain-uiv: error: {error}");
			ExitCode::from(1)
		}
	}
}
