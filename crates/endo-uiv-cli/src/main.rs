//! `endochain-uiv`: the command-line client of undisclosed-vulnerability sharing. See the
//! `endo_uiv_cli` crate docs for every command.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

use std::{path::PathBuf, process::ExitCode};

use clap::Parser;
use codec::Encode;
use endo_uiv::log::{self, LogEntry, Proof};
use endo_uiv_cli::{
	args::{self, parse_account, parse_hash, ss58, to_hex},
	chain::{self, blake2_128_concat, Chain, Included},
	delivery,
	events::{self, AccessDecided, CaseOpened},
	guard, leak,
	proof::EntryProof,
	render::{self, AdvisoryOptions, ChainCase, Names},
	seal, Error,
};
use pallet_uiv_sharing::types::{
	Authority, CaseId, LeakSource, Name, Vendor, MAX_PRODUCTS_PER_CASE,
};
use serde_json::{json, Value};
use sp_core::ConstU32;
use sp_runtime::BoundedVec;

mod cli;
use cli::{Cli, Command, Format};

/// What a command ends with.
enum Outcome {
	/// Print this and exit 0.
	Print(String),
	/// The package destroyed itself: print this and exit 3.
	Destroyed(String),
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
			let host_secret = delivery::host_secret(cli.host_fingerprint.as_deref())?;
			let host = endo_uiv::package::host_id(&host_secret);
			let chain = Chain::connect(&cli.url).await?;
			let ta = ta_chain(&cli).await?;
			let fetched = delivery::fetch(
				&chain,
				&ta,
				&pair,
				*case,
				host_secret,
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
		Command::Open { file, out } => {
			let suri = suri(&cli.suri, "open")?;
			let host_secret = delivery::host_secret(cli.host_fingerprint.as_deref())?;
			let chain = Chain::connect(&cli.url).await?;
			match guard::open_command(&chain, &suri, file, &host_secret, cli.finalized).await? {
				guard::Opened::Report { summary, report } => match out {
					Some(out) => {
						write(out, &report)?;
						let mut summary = summary;
						summary["report"] = json!(out.display().to_string());
						Ok(pretty(&summary))
					}
					None => Ok(Outcome::Print(String::from_utf8_lossy(&report).into_owned())),
				},
				guard::Opened::Destroyed(value) => Ok(Outcome::Destroyed(
					serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string()),
				)),
			}
		}
		Command::Trace { file, report } => {
			let text = String::from_utf8(read(file)?).map_err(|_| Error::File {
				path: file.clone(),
				reason: "not UTF-8 text: tracing marks live in text".into(),
			})?;
			// Marks first: a text without one needs no node.
			let marks = endo_uiv::watermark::extract(&text);
			if marks.is_empty() {
				return Ok(Outcome::Failed(format!("{}: no tracing mark", file.display())));
			}
			let suri = if *report { Some(suri(&cli.suri, "trace --report")?) } else { None };
			let chain = Chain::connect(&cli.url).await?;
			let value = leak::trace_command(&chain, marks, suri.as_deref(), cli.finalized).await?;
			Ok(pretty(&value))
		}
		Command::ReportLeak { case, token, host, at } => {
			let tracing = parse_hash("--token", token)?;
			let source = match (host, at) {
				(Some(host), Some(at)) => {
					LeakSource::Feedback { host: parse_hash("--host", host)?, at: *at }
				}
				_ => LeakSource::Copy,
			};
			let suri = suri(&cli.suri, "report-leak")?;
			let chain = Chain::connect(&cli.url).await?;
			let done = leak::report(&chain, &suri, *case, tracing, source, cli.finalized).await?;
			Ok(pretty(&done.to_json(json!({ "case": case }))))
		}
		Command::ResolveDeferred { case, worker, trap, decoy, valid_minutes } => {
			let worker = parse_account("--worker", worker)?;
			let decoy = decoy.as_ref().map(read).transpose()?;
			let ta = ta_chain(&cli).await?;
			let reply: Value = ta
				.request(
					"uiv_resolveDeferred",
					vec![
						json!(case),
						json!(ss58(&worker)),
						json!(trap),
						json!(decoy.map(|d| to_hex(&d))),
						json!(valid_minutes),
					],
				)
				.await?;
			Ok(pretty(&reply))
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
			let mut value =
				json!({ "hostId": to_hex(&endo_uiv::package::host_id_of(&fingerprint)) });
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
		Ok(Outcome::Destroyed(text)) => {
			println!("{text}");
			ExitCode::from(3)
		}
		Err(error) => {
			eprintln!("endochain-uiv: error: {error}");
			ExitCode::from(1)
		}
	}
}
