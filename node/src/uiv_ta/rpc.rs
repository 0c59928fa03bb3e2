//! The TA's JSON-RPC methods (`uiv_*`). All but one are safe to expose: each acts only on
//! what the chain already allows (a case's own report, a granted SW's own package, an SW's own
//! access), and an SW proves who it is with a signature over the request.
//! `uiv_resolveDeferred` is the TA operator's and unsafe: the node serves it only where unsafe
//! methods are allowed (`--rpc-methods unsafe`, or the default on a local interface).
//!
//! | method | params | result |
//! |---|---|---|
//! | `uiv_submitReport` | case, sealed report (hex) | `{ reportHash, bytes, alreadyHeld }` |
//! | `uiv_fetchPackage` | case, worker (SS58), host secret (hex, 32 bytes), signature (hex, 64 bytes) over `fetch_message` for `host_id(host secret)` | `{ package, tracingCommitment, onChain, tx }`; `package` is `null` until the delivery is on chain (the first call submits it) |
//! | `uiv_endAccess` | case, worker (SS58), signature over `end_message` | `{ tx }` |
//! | `uiv_authorityKeys` | - | the node's `uiva` public keys (hex) |
//! | `uiv_resolveDeferred` (unsafe) | case, worker (SS58), trap (bool), decoy (hex or null), valid minutes (or null) | `{ trap, validMinutes, decoyBytes, replaced }` |
//!
//! Errors carry a code and one sentence: 4000 no such case, 4001 not this node's TA, 4002 bad
//! signature, 4003 no access to act on, 4004 report (or decoy) missing or not the case's, 4005
//! busy, 4006 an unsafe method called where unsafe methods are denied, 5000 internal.

use super::{TaError, TaNode};
use endochain_runtime::AccountId;
use jsonrpsee::{
	core::{async_trait, RpcResult},
	proc_macros::rpc,
	types::ErrorObjectOwned,
	Extensions,
};
use serde::Serialize;
use sp_core::{offchain::OffchainStorage, Bytes, H256};
use std::sync::Arc;

/// What `uiv_submitReport` answers.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ReportReply {
	/// SHA-256 of the sealed report.
	pub report_hash: H256,
	/// Its length.
	pub bytes: u64,
	/// The node held it already.
	pub already_held: bool,
}

/// What `uiv_fetchPackage` answers.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PackageReply {
	/// The package sealed to the SW, once its delivery is on chain (`null` before: fetch
	/// again then).
	pub package: Option<Bytes>,
	/// Commitment to its tracing token (on chain once delivered).
	pub tracing_commitment: H256,
	/// The delivery is on chain already.
	pub on_chain: bool,
	/// The `deliver_package` transaction submitted now, if any.
	pub tx: Option<H256>,
}

/// What `uiv_resolveDeferred` answers.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ResolveReply {
	/// A trap.
	pub trap: bool,
	/// The package's valid time (minutes).
	pub valid_minutes: u32,
	/// The decoy's length (0 for the real report).
	pub decoy_bytes: u64,
	/// A previous decision was replaced.
	pub replaced: bool,
}

/// What `uiv_endAccess` answers.
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct EndReply {
	/// The `end_access` transaction.
	pub tx: H256,
}

/// The TA's RPC methods.
#[rpc(server, namespace = "uiv")]
pub trait UivTaApi {
	/// Keeps the report of `case`, sealed to the case's TA.
	#[method(name = "submitReport")]
	async fn submit_report(&self, case: u64, sealed: Bytes) -> RpcResult<ReportReply>;

	/// Seals and delivers a granted (or resolved deferred) SW's package for its host with
	/// secret `host_secret`.
	#[method(name = "fetchPackage")]
	async fn fetch_package(
		&self,
		case: u64,
		worker: AccountId,
		host_secret: H256,
		signature: Bytes,
	) -> RpcResult<PackageReply>;

	/// The TA's decision on a deferred SW: the real report, or the false report `decoy` as a
	/// trap (unsafe).
	#[method(name = "resolveDeferred", with_extensions)]
	async fn resolve_deferred(
		&self,
		case: u64,
		worker: AccountId,
		trap: bool,
		decoy: Option<Bytes>,
		valid_minutes: Option<u32>,
	) -> RpcResult<ResolveReply>;

	/// Ends an SW's access at its request: the TA renews its token.
	#[method(name = "endAccess")]
	async fn end_access(
		&self,
		case: u64,
		worker: AccountId,
		signature: Bytes,
	) -> RpcResult<EndReply>;

	/// The node's `uiva` public keys.
	#[method(name = "authorityKeys")]
	fn authority_keys(&self) -> RpcResult<Vec<H256>>;
}

/// The RPC handler over the TA's node service.
pub struct UivTa<S> {
	node: Arc<TaNode<S>>,
}

impl<S> UivTa<S> {
	/// A handler over `node`.
	pub fn new(node: Arc<TaNode<S>>) -> Self {
		Self { node }
	}
}

fn rpc_error(e: TaError) -> ErrorObjectOwned {
	let code = match e {
		TaError::NoCase(_) => 4000,
		TaError::NotOurs(_) => 4001,
		TaError::BadSignature => 4002,
		TaError::NoAccess(_) => 4003,
		TaError::Report(_) => 4004,
		TaError::Busy(_) => 4005,
		TaError::Internal(_) => 5000,
	};
	ErrorObjectOwned::owned(code, e.to_string(), None::<()>)
}

#[async_trait]
impl<S: OffchainStorage + 'static> UivTaApiServer for UivTa<S> {
	async fn submit_report(&self, case: u64, sealed: Bytes) -> RpcResult<ReportReply> {
		let receipt = self.node.submit_report(case, sealed.0).await.map_err(rpc_error)?;
		Ok(ReportReply {
			report_hash: H256(receipt.report_hash),
			bytes: u64::try_from(receipt.bytes).unwrap_or(u64::MAX),
			already_held: receipt.already_held,
		})
	}

	async fn fetch_package(
		&self,
		case: u64,
		worker: AccountId,
		host_secret: H256,
		signature: Bytes,
	) -> RpcResult<PackageReply> {
		let handed = self
			.node
			.fetch_package(case, worker.into(), host_secret.0, &signature)
			.await
			.map_err(rpc_error)?;
		Ok(PackageReply {
			package: handed.package.map(Bytes),
			tracing_commitment: H256(handed.tracing_commitment),
			on_chain: handed.on_chain,
			tx: handed.tx,
		})
	}

	async fn end_access(
		&self,
		case: u64,
		worker: AccountId,
		signature: Bytes,
	) -> RpcResult<EndReply> {
		let tx = self.node.end_access(case, worker.into(), &signature).await.map_err(rpc_error)?;
		Ok(EndReply { tx })
	}

	async fn resolve_deferred(
		&self,
		ext: &Extensions,
		case: u64,
		worker: AccountId,
		trap: bool,
		decoy: Option<Bytes>,
		valid_minutes: Option<u32>,
	) -> RpcResult<ResolveReply> {
		// Without the extension (a server that does not set it), deny.
		let allowed = ext
			.get::<sc_rpc_api::DenyUnsafe>()
			.map(|deny| deny.check_if_safe().is_ok())
			.unwrap_or(false);
		if !allowed {
			return Err(ErrorObjectOwned::owned(
				4006,
				"uiv_resolveDeferred is unsafe: call it on the TA node's local RPC interface \
				 (or one started with --rpc-methods unsafe)",
				None::<()>,
			));
		}
		let resolved = self
			.node
			.resolve_deferred(
				case,
				worker.into(),
				trap,
				decoy.map(|d| d.0).unwrap_or_default(),
				valid_minutes,
			)
			.await
			.map_err(rpc_error)?;
		Ok(ResolveReply {
			trap: resolved.trap,
			valid_minutes: resolved.valid_minutes,
			decoy_bytes: u64::try_from(resolved.decoy_bytes).unwrap_or(u64::MAX),
			replaced: resolved.replaced,
		})
	}

	fn authority_keys(&self) -> RpcResult<Vec<H256>> {
		Ok(self.node.keys().into_iter().map(H256).collect())
	}
}
