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
//! * **Delivery**: `uiv_fetchPackage(case, worker, host, signature)`: a granted SW, signing
//!   `endo_uiv::package::fetch_message` with its account key, asks for its package for the host
//!   `host`. The node draws a fresh nonce, computes the access token
//!   `H(vulmeta, SW, nonce)` and the tracing token `H(access token, host)`, seals the report with
//!   the case's identity and the tracing token to the SW's key (`endo_uiv::seal`), keeps the
//!   nonce, and submits `deliver_package` with both tokens' commitments, signed with the TA's
//!   key. The package is returned at once; the SW checks its tracing commitment on chain.
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

use codec::{Decode, Encode};
use endo_uiv::{
	hash::tags,
	log::CaseId,
	package::{self, Package, PACKAGE_VERSION},
	token::{access_token, commitment, tracing_token},
};
use endochain_runtime::{
	opaque::Block, AccountId, Balance, Nonce, Runtime, RuntimeCall, SignedPayload, TxExtension,
	UncheckedExtrinsic,
};
use futures::{lock::Mutex, StreamExt};
use pallet_uiv_sharing::types::{AccessState, Authority, Case};
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
use store::{Action, Deliveries, Delivery, OnChain, OpenList, Stage};
use substrate_frame_rpc_system::AccountNonceApi;

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
	/// The package sealed to the SW.
	pub package: Vec<u8>,
	/// Commitment to its tracing token.
	pub tracing_commitment: [u8; 32],
	/// Whether the delivery is on chain already (else `deliver_package` is in the pool).
	pub on_chain: bool,
	/// The delivery transaction's hash, when one was submitted now.
	pub tx: Option<H256>,
}

/// The TA's node service: keys, off-chain store, client and pool.
pub struct TaNode<S> {
	client: Arc<FullClient>,
	pool: Arc<FullPool>,
	keystore: Arc<LocalKeystore>,
	store: Mutex<S>,
	genesis: [u8; 32],
	session: Duration,
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
		session: Duration,
	) -> Self {
		let genesis = client.info().genesis_hash.0;
		Self { client, pool, keystore, store: Mutex::new(store), genesis, session }
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
		let api = self.client.runtime_api();
		let version = api
			.api_version::<dyn UivSharingApi<Block, AccountId, Balance>>(at)
			.map_err(|e| internal("reading the API version")(e.to_string()))?
			.unwrap_or(0);
		if version < 2 {
			return Err(TaError::Internal(
				"the runtime's UivSharingApi is older than version 2 (no `access`)".into(),
			));
		}
		api.access(at, case, AccountId::from(*worker))
			.map_err(|e| internal("reading the access")(e.to_string()))
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

	/// Seals the package of delivery `d` to SW `worker`: the held report with the case's
	/// identity and the tracing token of `d`'s first nonce and host. Sealing is randomised, so
	/// each call gives another ciphertext of the same package.
	fn seal_package(
		&self,
		store: &S,
		opener: &sr25519::Pair,
		case_id: CaseId,
		case: &Case<AccountId, Balance>,
		worker: [u8; 32],
		d: &Delivery,
	) -> Result<Vec<u8>, TaError> {
		let sealed_report =
			store.get(store::PREFIX, &store::report_key(case_id)).ok_or_else(|| {
				TaError::Report(format!(
					"this TA node holds no report for case {case_id} yet: the reporter submits it \
				 with `endochain-uiv submit-report`"
				))
			})?;
		let report = open_report(opener, &self.report_context(case), &sealed_report)?;
		let nonce = d
			.nonces
			.first()
			.ok_or_else(|| TaError::Internal("a delivery without a nonce".into()))?;
		let token = access_token(&case.vul_meta_hash, &worker, nonce);
		let tracing = tracing_token(&token, &d.host);
		let plain = Package {
			version: PACKAGE_VERSION,
			genesis: self.genesis,
			case: case_id,
			worker,
			ta: d.ta,
			vul_meta_hash: case.vul_meta_hash,
			host: d.host,
			tracing: *tracing.as_bytes(),
			report,
		};
		if plain.tracing_commitment() != d.tracing_commitment {
			return Err(TaError::Internal(
				"the kept nonce no longer gives the delivered token".into(),
			));
		}
		endo_uiv::seal::seal(
			tags::PACKAGE_KEY,
			&worker,
			&package::package_context(&self.genesis, &worker),
			&plain.encode(),
			&mut rand::rngs::OsRng,
		)
		.map_err(|e| TaError::NoAccess(format!("sealing to the worker's key: {e}")))
	}

	/// Hands SW `worker` its package of `case` for host `host` (see the module docs).
	pub async fn fetch_package(
		&self,
		case_id: CaseId,
		worker: [u8; 32],
		host: [u8; 32],
		signature: &[u8],
	) -> Result<Handed, TaError> {
		self.ensure_keys()?;
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
		let hand = |d: &Delivery, on_chain: bool, tx: Option<H256>| -> Result<Handed, TaError> {
			same_host(d, &host)?;
			Ok(Handed {
				package: self.seal_package(&store, &opener, case_id, &case, worker, d)?,
				tracing_commitment: d.tracing_commitment,
				on_chain,
				tx,
			})
		};
		match access.state {
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
				hand(d, true, None)
			}
			AccessState::Granted => {
				if let Some(d) = deliveries.last() {
					if d.cycle == access.cycle && matches!(d.stage, Stage::Delivering { .. }) {
						// This grant's package is sealed and its delivery in flight.
						return hand(d, false, None);
					}
				}
				let mut open: OpenList = load(&*store, store::OPEN).unwrap_or_default();
				if open.len() >= store::MAX_OPEN {
					return Err(TaError::Busy(format!(
						"this TA node tracks {} unfinished deliveries; try again later",
						open.len()
					)));
				}
				let nonce = fresh_nonce();
				let token = access_token(&case.vul_meta_hash, &worker, &nonce);
				let token_commitment = commitment(token.as_bytes());
				let tracing_commitment = commitment(tracing_token(&token, &host).as_bytes());
				let delivery = Delivery {
					ta: case.ta.clone().into(),
					cycle: access.cycle,
					host,
					nonces: vec![nonce],
					tracing_commitment,
					stage: Stage::Delivering { submitted_at: best, attempts: 1 },
				};
				let sealed =
					self.seal_package(&store, &opener, case_id, &case, worker, &delivery)?;
				// Kept before it is submitted, the open list first: a crash at any point
				// leaves a record the task finds, and never loses the nonce.
				if !open.contains(&(case_id, worker)) {
					open.push((case_id, worker));
					store.set(store::PREFIX, store::OPEN, &open.encode());
				}
				deliveries.push(delivery);
				if deliveries.len() > store::MAX_DELIVERIES {
					deliveries.remove(0);
				}
				store.set(store::PREFIX, &key, &deliveries.encode());
				let call = RuntimeCall::UivSharing(pallet_uiv_sharing::Call::deliver_package {
					case: case_id,
					worker: AccountId::from(worker),
					token_commitment,
					tracing_commitment,
				});
				let tx = self.submit(&signer, call).await?;
				log::info!(
					target: LOG_TARGET,
					"case {case_id}: package sealed for {}, deliver_package {tx:?}",
					AccountId::from(worker)
				);
				Ok(Handed { package: sealed, tracing_commitment, on_chain: false, tx: Some(tx) })
			}
			other => Err(TaError::NoAccess(format!(
				"the worker's access to case {case_id} is {other:?}: nothing to deliver"
			))),
		}
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

	/// One pass of the background task over the open deliveries, at the finalized block. The
	/// lock is taken per delivery, so RPC calls go on between them.
	async fn tick(&self) {
		let info = self.client.info();
		let (at, block) = (info.finalized_hash, info.finalized_number);
		let open: OpenList = load(&*self.store.lock().await, store::OPEN).unwrap_or_default();
		let mut finished = Vec::new();
		for (case_id, worker) in open {
			let mut store = self.store.lock().await;
			match self.step(&mut *store, at, block, case_id, worker).await {
				Ok(true) => {}
				Ok(false) => finished.push((case_id, worker)),
				Err(e) => log::warn!(target: LOG_TARGET, "case {case_id}: {e}; retrying later"),
			}
		}
		if !finished.is_empty() {
			// Fetches may have added to the list meanwhile: remove only what finished.
			let mut store = self.store.lock().await;
			let mut open: OpenList = load(&*store, store::OPEN).unwrap_or_default();
			open.retain(|pair| !finished.contains(pair));
			store.set(store::PREFIX, store::OPEN, &open.encode());
		}
	}

	/// Moves one open delivery along; `Ok(false)` when it is finished.
	async fn step(
		&self,
		store: &mut S,
		at: H256,
		block: u32,
		case_id: CaseId,
		worker: [u8; 32],
	) -> Result<bool, TaError> {
		let key = store::delivery_key(case_id, &worker);
		let mut deliveries: Deliveries = load(&*store, &key).unwrap_or_default();
		let Some(d) = deliveries.last().cloned() else { return Ok(false) };
		let case = match self.case(at, case_id) {
			Ok(case) => case,
			Err(TaError::NoCase(_)) => {
				// Purged: its records go too.
				store.remove(store::PREFIX, &key);
				store.remove(store::PREFIX, &store::report_key(case_id));
				log::info!(target: LOG_TARGET, "case {case_id} is gone: its records are removed");
				return Ok(false);
			}
			Err(e) => return Err(e),
		};
		let chain = match self.access(at, case_id, &worker)? {
			None => OnChain::Gone,
			Some(a) => match (a.state, a.tracing_commitment) {
				(AccessState::Granted, _) => OnChain::Granted { cycle: a.cycle },
				(AccessState::Delivered, Some(c)) => OnChain::Delivered { tracing_commitment: c },
				_ => OnChain::NotLive,
			},
		};
		let action = store::plan(&d, chain, block, now_ms(), self.session_ms());
		let signer = match action {
			Action::ResubmitDelivery | Action::End | Action::ResubmitEnd => {
				match self.ta_pairs(at, &case) {
					Ok((signer, _)) => Some(signer),
					Err(TaError::NotOurs(why)) => {
						// The case moved to another TA, or the key left this node.
						log::warn!(target: LOG_TARGET, "case {case_id}: {why}; no longer tracked");
						return Ok(false);
					}
					Err(e) => return Err(e),
				}
			}
			_ => None,
		};
		let last = deliveries.len().saturating_sub(1);
		let (_, best) = self.best();
		match (action, signer) {
			(Action::Wait, _) => Ok(true),
			(Action::GiveUp, _) => {
				log::warn!(
					target: LOG_TARGET,
					"case {case_id}: deliver_package took no effect after {} submissions; the \
					 worker may fetch again",
					store::MAX_ATTEMPTS
				);
				deliveries[last].stage = Stage::Ended;
				store.set(store::PREFIX, &key, &deliveries.encode());
				Ok(false)
			}
			(Action::Close, _) => {
				if d.stage != Stage::Ended {
					deliveries[last].stage = Stage::Ended;
					store.set(store::PREFIX, &key, &deliveries.encode());
				}
				Ok(false)
			}
			(Action::MarkDelivered, _) => {
				deliveries[last].stage = Stage::Delivered { since_ms: now_ms() };
				store.set(store::PREFIX, &key, &deliveries.encode());
				log::info!(target: LOG_TARGET, "case {case_id}: delivery final, session started");
				Ok(true)
			}
			(Action::ResubmitDelivery, Some(signer)) => {
				let nonce = d
					.nonces
					.first()
					.ok_or_else(|| TaError::Internal("a delivery record without a nonce".into()))?;
				let token = access_token(&case.vul_meta_hash, &worker, nonce);
				let call = RuntimeCall::UivSharing(pallet_uiv_sharing::Call::deliver_package {
					case: case_id,
					worker: AccountId::from(worker),
					token_commitment: commitment(token.as_bytes()),
					tracing_commitment: d.tracing_commitment,
				});
				deliveries[last].stage =
					Stage::Delivering { submitted_at: best, attempts: attempts(d.stage) };
				store.set(store::PREFIX, &key, &deliveries.encode());
				self.submit(&signer, call).await?;
				Ok(true)
			}
			(Action::End, Some(signer)) => {
				self.renew(
					store,
					&mut deliveries,
					d.tracing_commitment,
					&signer,
					&case,
					(case_id, worker),
				)
				.await?;
				log::info!(target: LOG_TARGET, "case {case_id}: session over, token renewed");
				Ok(true)
			}
			(Action::ResubmitEnd, Some(signer)) => {
				let nonce = *d
					.nonces
					.last()
					.ok_or_else(|| TaError::Internal("a delivery record without a nonce".into()))?;
				let call = end_call(&case, case_id, worker, &nonce);
				deliveries[last].stage =
					Stage::Ending { submitted_at: best, attempts: attempts(d.stage) };
				store.set(store::PREFIX, &key, &deliveries.encode());
				self.submit(&signer, call).await?;
				Ok(true)
			}
			(_, None) => Err(TaError::Internal("no signer for a submission".into())),
		}
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
