//! The trusted authority's node side of vulnerability sharing (UIV-TSP, paper 002, sec. 3.2
//! and 3.4): the part of the TA that must not live on chain.
//!
//! A node acts as a TA when its keystore holds, under key type `uiva`, the sr25519 key of a TA
//! account (`Authorities`), and the key its report key names (usually the same key). Insert it
//! with `endochain-node key insert --key-type uiva --scheme sr25519 --suri ...`; `--dev` (and
//! `--alice` etc.) insert the development account's key, so a dev chain's Alice is a working TA.
//!
//! * **Reports**: `uiv_submitReport(case, sealed)` takes the report sealed to the TA (as
//!   `endochain-uiv open-case` writes it) once its SHA-256 is the case's `report_hash` and it
//!   opens with the report key; it is kept in the node's persistent off-chain storage.
//! * **Delivery**: `uiv_fetchPackage(case, worker, host_secret, signature)`: a granted SW,
//!   signing `endo_uiv::package::fetch_message` for the host `host_id(host_secret)` with its
//!   account key, asks for its package for that host. The node draws a fresh nonce, computes
//!   the access token `H(vulmeta, SW, nonce)` and the tracing token `H(access token, host_id)`,
//!   embeds the tracing mark in the report's text ([`TaConfig::marks`] times,
//!   `endo_uiv::watermark`), seals the report to the host's secret and the access token
//!   (`endo_uiv::seal::guard`), and the header (case, host, tokens, valid time) with it to the
//!   SW's key (`endo_uiv::package`); it keeps the nonce and the host secret, and submits
//!   `deliver_package` with both tokens' commitments, signed with the TA's key. The package is
//!   handed over once the chain records the delivery (the SW fetches again, with the same
//!   signature): a copy whose delivery failed would trace to nobody. A delivery the chain keeps
//!   refusing is given up after [`store::MAX_ATTEMPTS`] submissions, and not tried again for
//!   that decision.
//! * **Deferred SWs and traps** (UIV-TSP sec. 3.5.3, Algorithm 3): the TA's operator decides on
//!   a deferred (R3) SW with the unsafe `uiv_resolveDeferred(case, worker, trap, decoy,
//!   validMinutes)`: the real report, or a false one (`decoy`) as a trap. The SW fetches as a
//!   granted one does and gets a package of the same form; the node submits `deliver_deferred`
//!   with a salted commitment to the flag, watches the case's leak reports, and reveals the
//!   flag (`reveal_trap`) once a leak names that delivery, so the chain applies the verdict.
//! * **Renewal**: at the end of an access (the SW's signed `uiv_endAccess`, or the session
//!   length `--uiv-session-minutes` passed) the node draws a new nonce and submits `end_access`
//!   with the new token's commitment: the delivered token is revoked.
//! * A background task follows every finalized block: it starts a session's clock when its
//!   delivery is on chain, ends sessions that ran their length, and submits again what did not
//!   take effect within [`store::RESUBMIT_AFTER`] blocks.
//!
//! Transactions are signed here with the keystore's key and submitted to the local pool, the
//! nonce taken from the chain and the pool's ready queue. Every operation holds one lock, so a
//! fetch, an end and the task never interleave their nonces or records.

pub mod rpc;
pub mod store;
mod task;
mod trap;

use codec::{Decode, Encode};
use endo_uiv::{
	hash::tags,
	log::CaseId,
	package::{self, Package, PACKAGE_VERSION},
	token::{access_token, commitment, tracing_token, trap_commitment},
	watermark, ReportState,
};
use endochain_runtime::{
	opaque::Block, AccountId, Balance, Nonce, Runtime, RuntimeCall, SignedPayload, TxExtension,
	UncheckedExtrinsic,
};
use futures::{lock::Mutex, StreamExt};
use pallet_uiv_sharing::types::{AccessState, Authority, Case, Trace, TrapFlag};
use pallet_uiv_sharing_runtime_api::UivSharingApi;
use rand::RngCore;
use sc_client_api::{BlockchainEvents, StorageProvider};
use sc_keystore::LocalKeystore;
use sc_transaction_pool_api::{InPoolTransaction, TransactionPool, TransactionSource};
use sha2::Digest;
use sp_api::{ApiExt, Core, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_core::{crypto::KeyTypeId, offchain::OffchainStorage, sr25519, Pair, H256};
use sp_runtime::generic::Era;
use std::{
	sync::Arc,
	time::{Duration, SystemTime, UNIX_EPOCH},
};
use store::{Action, Deliveries, Delivery, Kind, OnChain, OpenList, Resolution, Stage};
use substrate_frame_rpc_system::AccountNonceApi;
use zeroize::Zeroizing;

use crate::service::{FullClient, FullPool};

/// The keystore key type of a TA's keys: `uiva`.
pub const KEY_TYPE: KeyTypeId = KeyTypeId(*b"uiva");
/// The largest sealed report the node keeps (bytes): its package, hex-encoded in a JSON-RPC
/// answer, stays within the RPC server's default 15 MiB.
pub const MAX_REPORT_BYTES: usize = 7 * 1024 * 1024;
/// The mortality of the node's transactions (blocks).
const ERA_PERIOD: u64 = 64;
const LOG_TARGET: &str = "uiv-ta";

mod app {
	use sp_application_crypto::{app_crypto, sr25519};
	app_crypto!(sr25519, super::KEY_TYPE);
}

/// Why an operation of the TA's node failed. Each is one sentence for the caller.
#[derive(Debug, PartialEq, Eq)]
pub enum TaError {
	/// The case does not exist.
	NoCase(CaseId),
	/// This node holds no key of the case's TA (or of its report key).
	NotOurs(String),
	/// The request's signature is not the SW's.
	BadSignature,
	/// The SW has no access to deliver or end.
	NoAccess(String),
	/// The report is missing, or the submitted one is not the case's.
	Report(String),
	/// The node cannot take more work now.
	Busy(String),
	/// The chain or the pool failed.
	Internal(String),
}

impl std::fmt::Display for TaError {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			TaError::NoCase(case) => write!(f, "case {case} does not exist"),
			TaError::NotOurs(why)
			| TaError::NoAccess(why)
			| TaError::Report(why)
			| TaError::Busy(why)
			| TaError::Internal(why) => f.write_str(why),
			TaError::BadSignature => {
				f.write_str("the signature is not the worker's over this request")
			}
		}
	}
}

fn internal(what: &str) -> impl FnOnce(String) -> TaError + '_ {
	move |e| TaError::Internal(format!("{what}: {e}"))
}

/// What the node did with a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportReceipt {
	/// SHA-256 of the sealed report (the case's `report_hash`).
	pub report_hash: [u8; 32],
	/// Its length.
	pub bytes: usize,
	/// It was kept already.
	pub already_held: bool,
}

/// A package handed to an SW.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Handed {
	/// The package sealed to the SW, once the chain records its delivery (`None` before: the
	/// SW fetches again then).
	pub package: Option<Vec<u8>>,
	/// Commitment to its tracing token.
	pub tracing_commitment: [u8; 32],
	/// Whether the delivery is on chain already (else its transaction is in the pool).
	pub on_chain: bool,
	/// The delivery transaction's hash, when one was submitted now.
	pub tx: Option<H256>,
}

/// How a TA's node delivers (node flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TaConfig {
	/// How long a session lasts before the node renews the token (`--uiv-session-minutes`),
	/// and how long a granted package stays valid.
	pub session: Duration,
	/// How often the tracing mark is embedded in a report's text, 1 to 4 (`--uiv-marks`).
	pub marks: u8,
}

/// The TA's node service: keys, off-chain store, client and pool.
pub struct TaNode<S> {
	client: Arc<FullClient>,
	pool: Arc<FullPool>,
	keystore: Arc<LocalKeystore>,
	store: Mutex<S>,
	genesis: [u8; 32],
	session: Duration,
	marks: u8,
}

fn now_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
		.unwrap_or(0)
}

fn fresh_nonce() -> [u8; 32] {
	let mut nonce = [0u8; 32];
	rand::rngs::OsRng.fill_bytes(&mut nonce);
	nonce
}

impl<S: OffchainStorage + 'static> TaNode<S> {
	/// The service over the node's client, pool, keystore and off-chain storage.
	pub fn new(
		client: Arc<FullClient>,
		pool: Arc<FullPool>,
		keystore: Arc<LocalKeystore>,
		store: S,
		config: TaConfig,
	) -> Self {
		let genesis = client.info().genesis_hash.0;
		Self {
			client,
			pool,
			keystore,
			store: Mutex::new(store),
			genesis,
			session: config.session,
			marks: config.marks.clamp(1, watermark::MAX_COPIES),
		}
	}

	/// The `uiva` keys this node holds.
	pub fn keys(&self) -> Vec<[u8; 32]> {
		use sp_keystore::Keystore;
		self.keystore.sr25519_public_keys(KEY_TYPE).into_iter().map(|k| k.0).collect()
	}

	fn pair(&self, public: &[u8; 32]) -> Option<sr25519::Pair> {
		let public = app::Public::from(sr25519::Public::from_raw(*public));
		self.keystore.key_pair::<app::Pair>(&public).ok().flatten().map(|p| p.into_inner())
	}

	fn best(&self) -> (H256, u32) {
		let info = self.client.info();
		(info.best_hash, info.best_number)
	}

	fn case(&self, at: H256, case: CaseId) -> Result<Case<AccountId, Balance>, TaError> {
		self.client
			.runtime_api()
			.case(at, case)
			.map_err(|e| internal("reading the case")(e.to_string()))?
			.ok_or(TaError::NoCase(case))
	}

	fn access(
		&self,
		at: H256,
		case: CaseId,
		worker: &[u8; 32],
	) -> Result<Option<pallet_uiv_sharing::types::Access>, TaError> {
		self.ensure_api(at, 2, "access")?;
		self.client
			.runtime_api()
			.access(at, case, AccountId::from(*worker))
			.map_err(|e| internal("reading the access")(e.to_string()))
	}

	/// Fails unless the runtime at `at` serves `UivSharingApi` version `version` (which added
	/// `method`) or later.
	fn ensure_api(&self, at: H256, version: u32, method: &str) -> Result<(), TaError> {
		let found = self
			.client
			.runtime_api()
			.api_version::<dyn UivSharingApi<Block, AccountId, Balance>>(at)
			.map_err(|e| internal("reading the API version")(e.to_string()))?
			.unwrap_or(0);
		if found < version {
			return Err(TaError::Internal(format!(
				"the runtime's UivSharingApi is older than version {version} (no `{method}`)"
			)));
		}
		Ok(())
	}

	/// The delivery with `tracing_commitment` on `case`, as the chain's trace index has it.
	fn trace(
		&self,
		at: H256,
		case: CaseId,
		tracing_commitment: [u8; 32],
	) -> Result<Option<Trace<AccountId>>, TaError> {
		self.ensure_api(at, 3, "trace")?;
		self.client
			.runtime_api()
			.trace(at, case, tracing_commitment)
			.map_err(|e| internal("reading the trace")(e.to_string()))
	}

	fn authority(&self, at: H256, ta: &AccountId) -> Result<Authority, TaError> {
		let key = pallet_uiv_sharing::Authorities::<Runtime>::hashed_key_for(ta);
		let raw = self
			.client
			.storage(at, &sp_core::storage::StorageKey(key))
			.map_err(|e| internal("reading Authorities")(e.to_string()))?
			.ok_or_else(|| TaError::NotOurs(format!("{ta} is no longer a trusted authority")))?;
		Authority::decode(&mut &raw.0[..])
			.map_err(|e| internal("decoding Authorities")(e.to_string()))
	}

	/// The TA's signing pair and report-opening pair for `case`.
	fn ta_pairs(
		&self,
		at: H256,
		case: &Case<AccountId, Balance>,
	) -> Result<(sr25519::Pair, sr25519::Pair), TaError> {
		let ta: [u8; 32] = case.ta.clone().into();
		let signer = self.pair(&ta).ok_or_else(|| {
			TaError::NotOurs(format!("this node holds no `uiva` key of the case's TA {}", case.ta))
		})?;
		let authority = self.authority(at, &case.ta)?;
		let opener = self.pair(&authority.report_key).ok_or_else(|| {
			TaError::NotOurs(format!(
				"this node holds no `uiva` key for the TA's report key 0x{}",
				hex::encode(authority.report_key)
			))
		})?;
		Ok((signer, opener))
	}

	/// Fails at once when this node holds no `uiva` key: nothing else is worth doing then.
	fn ensure_keys(&self) -> Result<(), TaError> {
		if self.keys().is_empty() {
			return Err(TaError::NotOurs("this node holds no `uiva` key: it is no TA".into()));
		}
		Ok(())
	}

	/// The context the case's report is sealed in (the chain, the TA, the opener).
	fn report_context(&self, case: &Case<AccountId, Balance>) -> [u8; 32] {
		package::report_context(&self.genesis, &case.ta.clone().into(), &case.opener.clone().into())
	}

	/// Keeps the sealed report of `case` (see the module docs). Everything but the write is
	/// done before the lock.
	pub async fn submit_report(
		&self,
		case_id: CaseId,
		sealed: Vec<u8>,
	) -> Result<ReportReceipt, TaError> {
		self.ensure_keys()?;
		if sealed.len() > MAX_REPORT_BYTES {
			return Err(TaError::Report(format!(
				"the sealed report has {} bytes, at most {MAX_REPORT_BYTES}",
				sealed.len()
			)));
		}
		let (at, _) = self.best();
		let case = self.case(at, case_id)?;
		let (_, opener) = self.ta_pairs(at, &case)?;
		let report_hash: [u8; 32] = sha2::Sha256::digest(&sealed).into();
		if report_hash != case.report_hash {
			return Err(TaError::Report(format!(
				"the report's SHA-256 0x{} is not case {case_id}'s report hash 0x{}",
				hex::encode(report_hash),
				hex::encode(case.report_hash)
			)));
		}
		let key = store::report_key(case_id);
		if self.store.lock().await.get(store::PREFIX, &key).is_some() {
			return Ok(ReportReceipt { report_hash, bytes: sealed.len(), already_held: true });
		}
		open_report(&opener, &self.report_context(&case), &sealed)?;
		self.store.lock().await.set(store::PREFIX, &key, &sealed);
		log::info!(target: LOG_TARGET, "case {case_id}: report kept ({} bytes)", sealed.len());
		Ok(ReportReceipt { report_hash, bytes: sealed.len(), already_held: false })
	}

	/// The report a delivery carries, in plaintext: the case's report, or a trap's decoy.
	fn plaintext(
		&self,
		store: &S,
		opener: &sr25519::Pair,
		case_id: CaseId,
		case: &Case<AccountId, Balance>,
		worker: &[u8; 32],
		d: &Delivery,
	) -> Result<Zeroizing<Vec<u8>>, TaError> {
		if let Kind::Deferred { trap: true, .. } = d.kind {
			let resolution: Resolution = load(store, &store::resolution_key(case_id, worker))
				.ok_or_else(|| {
					TaError::Internal(format!("case {case_id}: the trap's decoy is gone"))
				})?;
			return Ok(Zeroizing::new(resolution.decoy.clone()));
		}
		let sealed_report =
			store.get(store::PREFIX, &store::report_key(case_id)).ok_or_else(|| {
				TaError::Report(format!(
					"this TA node holds no report for case {case_id} yet: the reporter submits it \
				 with `endochain-uiv submit-report`"
				))
			})?;
		open_report(opener, &self.report_context(case), &sealed_report).map(Zeroizing::new)
	}

	/// Seals the package of delivery `d` to SW `worker` (see `endo_uiv::package`): the report
	/// (or the trap's decoy) with the tracing mark in its text, sealed to the host's secret, in
	/// a header with the access token of `d`'s first nonce and its tracing token, sealed to the
	/// SW's key. Sealing is randomised, so each call gives another ciphertext of the same
	/// package.
	fn seal_package(
		&self,
		store: &S,
		opener: &sr25519::Pair,
		case_id: CaseId,
		case: &Case<AccountId, Balance>,
		worker: [u8; 32],
		d: &Delivery,
	) -> Result<Vec<u8>, TaError> {
		let nonce = d
			.nonces
			.first()
			.ok_or_else(|| TaError::Internal("a delivery without a nonce".into()))?;
		let token = access_token(&case.vul_meta_hash, &worker, nonce);
		let tracing = tracing_token(&token, &d.host);
		if commitment(tracing.as_bytes()) != d.tracing_commitment {
			return Err(TaError::Internal(
				"the kept nonce no longer gives the delivered token".into(),
			));
		}
		let report = self.plaintext(store, opener, case_id, case, &worker, d)?;
		let report = self.marked(case_id, tracing.as_bytes(), report);
		let mut rng = rand::rngs::OsRng;
		let context = package::guard_context(case_id, &worker, tracing.as_bytes());
		let guarded =
			endo_uiv::seal::guard(&d.host_secret, token.as_bytes(), &context, &report, &mut rng)
				.map_err(|e| TaError::Internal(format!("sealing the report to the host: {e}")))?;
		let plain = Package {
			version: PACKAGE_VERSION,
			genesis: self.genesis,
			case: case_id,
			worker,
			ta: d.ta,
			vul_meta_hash: case.vul_meta_hash,
			host: d.host,
			access: *token.as_bytes(),
			tracing: *tracing.as_bytes(),
			valid_until: d.valid_until,
			guarded,
		};
		endo_uiv::seal::seal(
			tags::PACKAGE_KEY,
			&worker,
			&package::package_context(&self.genesis, &worker),
			&Zeroizing::new(plain.encode()),
			&mut rng,
		)
		.map_err(|e| TaError::NoAccess(format!("sealing to the worker's key: {e}")))
	}

	/// `report` with the tracing mark of `tracing` embedded [`TaNode::marks`] times
	/// (`endo_uiv::watermark`), when it is UTF-8 text with room for one; as it is otherwise
	/// (the package's host binding still holds).
	fn marked(
		&self,
		case_id: CaseId,
		tracing: &[u8; 32],
		report: Zeroizing<Vec<u8>>,
	) -> Zeroizing<Vec<u8>> {
		let Ok(text) = std::str::from_utf8(&report) else {
			log::warn!(
				target: LOG_TARGET,
				"case {case_id}: the report is not UTF-8 text; delivered without a tracing mark"
			);
			return report;
		};
		let mark = watermark::Mark { case: case_id, tracing: *tracing };
		match watermark::embed(text, &mark, self.marks) {
			Ok(marked) => Zeroizing::new(marked.into_bytes()),
			Err(e) => {
				log::warn!(
					target: LOG_TARGET,
					"case {case_id}: no tracing mark embedded ({e:?}); delivered without one"
				);
				report
			}
		}
	}

	/// Hands SW `worker` its package of `case` for the host with secret `host_secret` (see the
	/// module docs).
	pub async fn fetch_package(
		&self,
		case_id: CaseId,
		worker: [u8; 32],
		host_secret: [u8; 32],
		signature: &[u8],
	) -> Result<Handed, TaError> {
		self.ensure_keys()?;
		let host = package::host_id(&host_secret);
		let message = package::fetch_message(&self.genesis, case_id, &worker, &host);
		verify(&worker, &message, signature)?;
		let mut store = self.store.lock().await;
		let (at, best) = self.best();
		let case = self.case(at, case_id)?;
		let (signer, opener) = self.ta_pairs(at, &case)?;
		let access = self.access(at, case_id, &worker)?.ok_or_else(|| {
			TaError::NoAccess(format!("the worker never asked for case {case_id}"))
		})?;
		let key = store::delivery_key(case_id, &worker);
		let mut deliveries: Deliveries = load(&*store, &key).unwrap_or_default();
		// A package is handed only once the chain records its delivery: a copy whose delivery
		// failed (the SW barred or its access changed meanwhile) would trace to nobody.
		let hand = |d: &Delivery| -> Result<Handed, TaError> {
			same_host(d, &host)?;
			Ok(Handed {
				package: Some(self.seal_package(&store, &opener, case_id, &case, worker, d)?),
				tracing_commitment: d.tracing_commitment,
				on_chain: true,
				tx: None,
			})
		};
		let pending = |d: &Delivery, tx: Option<H256>| -> Result<Handed, TaError> {
			same_host(d, &host)?;
			Ok(Handed {
				package: None,
				tracing_commitment: d.tracing_commitment,
				on_chain: false,
				tx,
			})
		};
		let kind = match access.state {
			AccessState::Delivered => {
				let on_chain = access.tracing_commitment.unwrap_or_default();
				let d =
					deliveries.iter().rev().find(|d| d.tracing_commitment == on_chain).ok_or_else(
						|| {
							TaError::NoAccess(format!(
								"case {case_id}'s package was delivered by another node of the TA"
							))
						},
					)?;
				return hand(d);
			}
			AccessState::Granted => (Kind::Granted, self.session_ms()),
			AccessState::Deferred => {
				let resolution: Resolution =
					load(&*store, &store::resolution_key(case_id, &worker)).ok_or_else(|| {
						TaError::NoAccess(format!(
							"the worker's access to case {case_id} is deferred; the TA has not \
							 decided on it yet"
						))
					})?;
				let kind = Kind::Deferred {
					trap: resolution.trap,
					salt: fresh_nonce(),
					revealed_at: None,
					reveal_attempts: 0,
				};
				(kind, u64::from(resolution.valid_minutes).saturating_mul(60_000))
			}
			other => {
				return Err(TaError::NoAccess(format!(
					"the worker's access to case {case_id} is {other:?}: nothing to deliver"
				)))
			}
		};
		let (kind, valid_ms) = kind;
		if let Some(d) = deliveries.last().filter(|d| d.cycle == access.cycle) {
			match d.stage {
				// This decision's delivery is in flight: the SW fetches again once it is on chain.
				Stage::Delivering { .. } => return pending(d, None),
				// Given up after `MAX_ATTEMPTS` submissions (or moot): fetching again would only
				// spend the TA's fees on a delivery the chain refuses.
				_ => {
					return Err(TaError::NoAccess(format!(
						"the delivery for this decision on case {case_id} did not take effect \
						 after {} submissions; the worker may ask again in a later cycle",
						store::MAX_ATTEMPTS
					)))
				}
			}
		}
		let deferred = matches!(kind, Kind::Deferred { .. });
		let mut open: OpenList = load(&*store, store::OPEN).unwrap_or_default();
		let mut watch: OpenList = load(&*store, store::WATCH).unwrap_or_default();
		if open.len() >= store::MAX_OPEN || (deferred && watch.len() >= store::MAX_OPEN) {
			return Err(TaError::Busy(format!(
				"this TA node tracks {} unfinished deliveries and watches {} deferred ones; try \
				 again later",
				open.len(),
				watch.len()
			)));
		}
		let nonce = fresh_nonce();
		let token = access_token(&case.vul_meta_hash, &worker, &nonce);
		let tracing_commitment = commitment(tracing_token(&token, &host).as_bytes());
		let delivery = Delivery {
			ta: case.ta.clone().into(),
			cycle: access.cycle,
			host,
			host_secret,
			valid_until: now_ms().saturating_add(valid_ms),
			kind,
			nonces: vec![nonce],
			tracing_commitment,
			stage: Stage::Delivering { submitted_at: best, attempts: 1 },
		};
		// Sealed once before anything is kept or paid for: a report missing, or a key the
		// worker's account does not have, fails here.
		self.seal_package(&store, &opener, case_id, &case, worker, &delivery)?;
		let call = delivery_call(&case, case_id, worker, &delivery)?;
		// Kept before it is submitted, the lists first: a crash at any point leaves a record
		// the task finds, and never loses the nonce.
		if !open.contains(&(case_id, worker)) {
			open.push((case_id, worker));
			store.set(store::PREFIX, store::OPEN, &open.encode());
		}
		if deferred && !watch.contains(&(case_id, worker)) {
			watch.push((case_id, worker));
			store.set(store::PREFIX, store::WATCH, &watch.encode());
		}
		deliveries.push(delivery);
		if deliveries.len() > store::MAX_DELIVERIES {
			deliveries.remove(0);
		}
		store.set(store::PREFIX, &key, &deliveries.encode());
		let tx = self.submit(&signer, call).await?;
		log::info!(
			target: LOG_TARGET,
			"case {case_id}: package sealed for {}, delivery {tx:?}",
			AccountId::from(worker)
		);
		Ok(Handed { package: None, tracing_commitment, on_chain: false, tx: Some(tx) })
	}

	/// SW `worker`'s delivered access to `case` at the best block: its tracing commitment.
	fn delivered(&self, case_id: CaseId, worker: &[u8; 32]) -> Result<[u8; 32], TaError> {
		let (at, _) = self.best();
		let access = self.access(at, case_id, worker)?.ok_or_else(|| {
			TaError::NoAccess(format!("the worker never asked for case {case_id}"))
		})?;
		match (access.state, access.tracing_commitment) {
			(AccessState::Delivered, Some(c)) => Ok(c),
			(state, _) => Err(TaError::NoAccess(format!(
				"the worker's access to case {case_id} is {state:?}: nothing to end"
			))),
		}
	}

	/// Ends SW `worker`'s access to `case` at its request: the token is renewed. The request is
	/// checked against the chain before the lock, and again under it.
	pub async fn end_access(
		&self,
		case_id: CaseId,
		worker: [u8; 32],
		signature: &[u8],
	) -> Result<H256, TaError> {
		self.ensure_keys()?;
		let tracing_commitment = self.delivered(case_id, &worker)?;
		let message = package::end_message(&self.genesis, case_id, &worker, &tracing_commitment);
		verify(&worker, &message, signature)?;
		let mut store = self.store.lock().await;
		if self.delivered(case_id, &worker)? != tracing_commitment {
			return Err(TaError::NoAccess(format!("case {case_id}: another delivery now")));
		}
		let (at, _) = self.best();
		let case = self.case(at, case_id)?;
		let (signer, _) = self.ta_pairs(at, &case)?;
		let key = store::delivery_key(case_id, &worker);
		let mut deliveries: Deliveries = load(&*store, &key).unwrap_or_default();
		let d = deliveries
			.iter_mut()
			.rev()
			.find(|d| d.tracing_commitment == tracing_commitment)
			.ok_or_else(|| {
				TaError::NoAccess(format!(
					"case {case_id}'s package was delivered by another node of the TA"
				))
			})?;
		if let Stage::Ending { .. } = d.stage {
			return Err(TaError::Busy(format!(
				"the access to case {case_id} is ending already (end_access in the pool)"
			)));
		}
		self.renew(
			&mut *store,
			&mut deliveries,
			tracing_commitment,
			&signer,
			&case,
			(case_id, worker),
		)
		.await
	}

	/// Draws a new nonce for SW `worker`'s delivery with `tracing_commitment` on `case_id`,
	/// keeps it, and submits `end_access` with the new token's commitment.
	async fn renew(
		&self,
		store: &mut S,
		deliveries: &mut Deliveries,
		tracing_commitment: [u8; 32],
		signer: &sr25519::Pair,
		case: &Case<AccountId, Balance>,
		(case_id, worker): (CaseId, [u8; 32]),
	) -> Result<H256, TaError> {
		let (_, best) = self.best();
		let d = deliveries
			.iter_mut()
			.rev()
			.find(|d| d.tracing_commitment == tracing_commitment)
			.ok_or_else(|| TaError::Internal("the delivery vanished".into()))?;
		let nonce = fresh_nonce();
		d.nonces.push(nonce);
		d.stage = Stage::Ending { submitted_at: best, attempts: 1 };
		store.set(store::PREFIX, &store::delivery_key(case_id, &worker), &deliveries.encode());
		self.submit(signer, end_call(case, case_id, worker, &nonce)).await
	}

	fn session_ms(&self) -> u64 {
		u64::try_from(self.session.as_millis()).unwrap_or(u64::MAX)
	}

	/// Signs `call` with `signer` and submits it to the local pool.
	async fn submit(&self, signer: &sr25519::Pair, call: RuntimeCall) -> Result<H256, TaError> {
		let (best_hash, best) = self.best();
		let account = AccountId::from(signer.public());
		let nonce: Nonce = self
			.client
			.runtime_api()
			.account_nonce(best_hash, account.clone())
			.map_err(|e| internal("reading the nonce")(e.to_string()))?;
		let nonce = adjust_nonce(&self.pool, &account, nonce);
		let version = self
			.client
			.runtime_api()
			.version(best_hash)
			.map_err(|e| internal("reading the runtime version")(e.to_string()))?;
		let tx_ext: TxExtension = (
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::mortal(ERA_PERIOD, u64::from(best))),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		// A mortal era born at the best block: its birth hash is the best hash.
		let implicit = (
			(),
			(),
			version.spec_version,
			version.transaction_version,
			H256(self.genesis),
			best_hash,
			(),
			(),
			(),
			None,
			(),
		);
		let payload = SignedPayload::from_raw(call.clone(), tx_ext.clone(), implicit);
		let signature = payload.using_encoded(|bytes| signer.sign(bytes));
		let xt = UncheckedExtrinsic::new_signed(
			call,
			sp_runtime::MultiAddress::Id(account),
			sp_runtime::MultiSignature::Sr25519(signature),
			tx_ext,
		);
		let opaque = sp_runtime::OpaqueExtrinsic::try_from_encoded_extrinsic(&xt.encode())
			.map_err(|e| internal("encoding the transaction")(e.to_string()))?;
		self.pool
			.submit_one(best_hash, TransactionSource::Local, opaque)
			.await
			.map_err(|e| TaError::Internal(format!("the pool refused the transaction: {e}")))
	}
}

/// The attempts of a submission stage, plus the one being made.
fn attempts(stage: Stage) -> u8 {
	match stage {
		Stage::Delivering { attempts, .. } | Stage::Ending { attempts, .. } => {
			attempts.saturating_add(1)
		}
		_ => 1,
	}
}

/// `end_access` for SW `worker` on `case_id` with the token of `nonce`.
fn end_call(
	case: &Case<AccountId, Balance>,
	case_id: CaseId,
	worker: [u8; 32],
	nonce: &[u8; 32],
) -> RuntimeCall {
	let token = access_token(&case.vul_meta_hash, &worker, nonce);
	RuntimeCall::UivSharing(pallet_uiv_sharing::Call::end_access {
		case: case_id,
		worker: AccountId::from(worker),
		token_commitment: commitment(token.as_bytes()),
	})
}

/// The call that records delivery `d` on chain: `deliver_package` for a grant,
/// `deliver_deferred` with the commitment to the trap flag for a resolved deferral.
fn delivery_call(
	case: &Case<AccountId, Balance>,
	case_id: CaseId,
	worker: [u8; 32],
	d: &Delivery,
) -> Result<RuntimeCall, TaError> {
	let nonce =
		d.nonces.first().ok_or_else(|| TaError::Internal("a delivery without a nonce".into()))?;
	let token_commitment = commitment(access_token(&case.vul_meta_hash, &worker, nonce).as_bytes());
	let worker = AccountId::from(worker);
	Ok(RuntimeCall::UivSharing(match d.kind {
		Kind::Granted => pallet_uiv_sharing::Call::deliver_package {
			case: case_id,
			worker,
			token_commitment,
			tracing_commitment: d.tracing_commitment,
		},
		Kind::Deferred { trap, salt, .. } => pallet_uiv_sharing::Call::deliver_deferred {
			case: case_id,
			worker,
			token_commitment,
			tracing_commitment: d.tracing_commitment,
			trap_commitment: trap_commitment(&d.tracing_commitment, trap, &salt),
		},
	}))
}

/// The next nonce of `account`: the chain's, past the ones its ready transactions use (as the
/// `system_accountNextIndex` RPC counts them).
fn adjust_nonce(pool: &FullPool, account: &AccountId, nonce: Nonce) -> Nonce {
	let mut next = nonce;
	let mut tag = (account.clone(), next).encode();
	for tx in pool.ready() {
		if tx.provides().first() == Some(&tag) {
			next = next.saturating_add(1);
			tag = (account.clone(), next).encode();
		}
	}
	next
}

fn load<T: Decode, S: OffchainStorage>(store: &S, key: &[u8]) -> Option<T> {
	let raw = store.get(store::PREFIX, key)?;
	match T::decode(&mut &raw[..]) {
		Ok(value) => Some(value),
		Err(e) => {
			log::error!(
				target: LOG_TARGET,
				"the record 0x{} does not decode ({e}); it is ignored",
				hex::encode(key)
			);
			None
		}
	}
}

fn verify(worker: &[u8; 32], message: &[u8; 32], signature: &[u8]) -> Result<(), TaError> {
	let signature = sr25519::Signature::try_from(signature).map_err(|_| TaError::BadSignature)?;
	if sr25519::Pair::verify(&signature, message, &sr25519::Public::from_raw(*worker)) {
		Ok(())
	} else {
		Err(TaError::BadSignature)
	}
}

fn same_host(d: &Delivery, host: &[u8; 32]) -> Result<(), TaError> {
	if &d.host == host {
		Ok(())
	} else {
		Err(TaError::NoAccess(
			"this grant's package is sealed for another host of the worker's".into(),
		))
	}
}

fn open_report(
	opener: &sr25519::Pair,
	context: &[u8; 32],
	sealed: &[u8],
) -> Result<Vec<u8>, TaError> {
	let secret = zeroize::Zeroizing::new(opener.to_raw_vec());
	let (scalar, _) = endo_uiv::seal::secret_scalar(&secret)
		.map_err(|e| TaError::Internal(format!("the report key: {e}")))?;
	endo_uiv::seal::open(tags::REPORT_KEY, &scalar, context, sealed).map_err(|e| {
		TaError::Report(format!(
			"the report does not open with the TA's report key for this case's opener ({e}); \
			 the TA should assess the case invalid"
		))
	})
}

/// Inserts the development TA key of `seed` (`--dev`, `--alice`, ...).
pub fn insert_dev_key(keystore: &LocalKeystore, seed: &str) -> Result<(), String> {
	use sp_keystore::Keystore;
	keystore
		.sr25519_generate_new(KEY_TYPE, Some(seed))
		.map(|_| ())
		.map_err(|e| format!("inserting the development `uiva` key: {e}"))
}

/// Runs the background task: one pass per finalized block, when this node holds a `uiva` key.
pub async fn run<S: OffchainStorage + 'static>(node: Arc<TaNode<S>>) {
	let mut finalized = node.client.finality_notification_stream();
	while let Some(_notification) = finalized.next().await {
		if node.keys().is_empty() {
			continue;
		}
		node.tick().await;
	}
}
