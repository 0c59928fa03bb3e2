//! Talking to an Endochain node: reads through the node's JSON-RPC (`state_call` of
//! `UivSharingApi`, `state_getStorage`, headers), decoded with the pallet's own Rust types
//! (SCALE), and signed extrinsics through subxt.
//!
//! # subxt's configuration
//!
//! [`PolkadotConfig`] (built without its historic Polkadot types) matches the runtime: accounts
//! are `AccountId32`, addresses `MultiAddress<AccountId32, ()>`, signatures `MultiSignature`,
//! headers BLAKE2-256 with a compact block number. subxt builds the transaction extensions from
//! the metadata by name: it fills `CheckSpecVersion`, `CheckTxVersion`, `CheckNonce`,
//! `CheckGenesis`, `CheckMortality` (`CheckEra`), `ChargeTransactionPayment` (tip 0) and
//! `CheckMetadataHash` (mode disabled, no hash), and the runtime's others (`AuthorizeCall`,
//! `CheckNonZeroSender`, `CheckWeight`, `WeightReclaim`) carry no bytes. subxt is used with
//! its `jsonrpsee` feature on top of `native` (frame-benchmarking-cli's set, which has no
//! network client).
//!
//! The nonce comes from `system_accountNextIndex` (it counts the signer's transactions still in
//! the pool), not from subxt's default (the finalized state), so that commands can follow one
//! another before their blocks are finalized.
//!
//! # Calls
//!
//! A call's arguments are SCALE-encoded from the pallet's types (`Name`, `ProductId`,
//! `Ranges`, `Severity`, `Uri`, ...) and prefixed with the pallet's and the call's index from
//! the node's metadata; subxt then decodes the call against that metadata before signing, so a
//! call whose arguments no longer match the runtime is refused with a clear error instead of
//! being submitted.

use crate::{args::to_hex, error::one_line, Error};
use codec::{Decode, Encode};
use pallet_uiv_sharing::logs::log_root_of;
use scale_info::PortableRegistry;
use serde_json::{json, Value};
use sp_core::{crypto::AccountId32, H256};
use sp_crypto_hashing::{blake2_128, twox_128};
use sp_runtime::{generic::Header as GenericHeader, traits::BlakeTwo256};
use subxt::{
	config::{PolkadotConfig, PolkadotExtrinsicParamsBuilder},
	error::{DispatchError, TransactionEventsError},
	ext::{
		scale_decode,
		scale_value::{self, Composite, Primitive, ValueDef},
	},
	metadata::Metadata,
	rpcs::{client::RpcParams, RpcClient},
	tx::TransactionStatus,
	OnlineClient,
};
use subxt_signer::{sr25519::Keypair, SecretUri};

/// The runtime's header.
pub type Header = GenericHeader<u32, BlakeTwo256>;

/// The pallet's name in the runtime.
pub const PALLET: &str = "UivSharing";

/// A connection to a node.
pub struct Chain {
	rpc: RpcClient,
	url: String,
}

/// A signing key from a secret URI.
pub fn signer(suri: &str) -> Result<Keypair, Error> {
	let uri: SecretUri = suri.parse().map_err(|e: subxt_signer::SecretUriError| {
		Error::arg("--suri", format!("not a secret URI ({})", one_line(&e.to_string())))
	})?;
	Keypair::from_uri(&uri)
		.map_err(|e| Error::arg("--suri", format!("no sr25519 key ({})", one_line(&e.to_string()))))
}

/// The account of a signing key.
pub fn account_of(keypair: &Keypair) -> AccountId32 {
	AccountId32::new(keypair.public_key().0)
}

/// An included extrinsic: where, and its events.
pub struct Included {
	/// The block's hash.
	pub block: H256,
	/// The extrinsic's hash.
	pub extrinsic: H256,
	/// Whether the block was finalized when reported.
	pub finalized: bool,
	/// `(pallet, event, SCALE fields)` of the extrinsic's events.
	pub events: Vec<(String, String, Vec<u8>)>,
	/// The events as JSON (`{"event": "Pallet.Name", "fields": ...}`).
	pub events_json: Vec<Value>,
}

impl Included {
	/// The SCALE fields of the first event `pallet.name`.
	pub fn event(&self, pallet: &str, name: &str) -> Option<&[u8]> {
		self.events.iter().find(|(p, n, _)| p == pallet && n == name).map(|(_, _, f)| f.as_slice())
	}

	/// The JSON the tool prints for it, with `extra` fields added.
	pub fn to_json(&self, extra: Value) -> Value {
		let mut value = json!({
			"block": format!("{:?}", self.block),
			"finalized": self.finalized,
			"extrinsic": format!("{:?}", self.extrinsic),
			"events": self.events_json,
		});
		if let (Some(map), Value::Object(extra)) = (value.as_object_mut(), extra) {
			map.extend(extra);
		}
		value
	}
}

fn params(values: Vec<Value>) -> Result<RpcParams, Error> {
	let mut params = RpcParams::new();
	for value in values {
		params.push(value).map_err(Error::node)?;
	}
	Ok(params)
}

fn dispatch_error(error: &DispatchError) -> String {
	match error {
		DispatchError::Module(module) => match module.details() {
			Ok(details) => {
				let doc = details.variant.docs.first().map(|d| d.trim()).unwrap_or("");
				format!("{}.{}: {doc}", details.pallet.name(), details.variant.name)
			}
			Err(_) => module.to_string(),
		},
		other => one_line(&other.to_string()),
	}
}

impl Chain {
	/// Connects to the node at `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> Result<Chain, Error> {
		let rpc = RpcClient::from_insecure_url(url).await.map_err(|e| {
			Error::Node(format!("cannot connect to {url}: {}", one_line(&e.to_string())))
		})?;
		Ok(Chain { rpc, url: url.to_string() })
	}

	/// A JSON-RPC request `method(args)`; the node's error becomes one line naming the method.
	pub async fn request<R: serde::de::DeserializeOwned>(
		&self,
		method: &str,
		args: Vec<Value>,
	) -> Result<R, Error> {
		self.rpc
			.request(method, params(args)?)
			.await
			.map_err(|e| Error::Node(format!("{method}: {}", one_line(&e.to_string()))))
	}

	/// `UivSharingApi_<function>(args)` at the best block, decoded as `R`.
	pub async fn api<R: Decode>(&self, function: &str, args: impl Encode) -> Result<R, Error> {
		let method = format!("UivSharingApi_{function}");
		let bytes: String =
			self.request("state_call", vec![json!(method), json!(to_hex(&args.encode()))]).await?;
		let bytes = crate::args::parse_hex(&method, &bytes)?;
		R::decode(&mut bytes.as_slice()).map_err(|e| Error::Decode {
			what: format!("{method}'s answer"),
			reason: e.to_string(),
		})
	}

	/// A value of the pallet's storage `item` under `key` (already hashed), decoded as `R`.
	pub async fn storage<R: Decode>(&self, item: &str, key: &[u8]) -> Result<Option<R>, Error> {
		let mut full = twox_128(PALLET.as_bytes()).to_vec();
		full.extend_from_slice(&twox_128(item.as_bytes()));
		full.extend_from_slice(key);
		let value: Option<String> =
			self.request("state_getStorage", vec![json!(to_hex(&full))]).await?;
		let Some(value) = value else { return Ok(None) };
		let bytes = crate::args::parse_hex(item, &value)?;
		R::decode(&mut bytes.as_slice())
			.map(Some)
			.map_err(|e| Error::Decode { what: format!("{PALLET}.{item}"), reason: e.to_string() })
	}

	/// The finalized head's number and hash.
	pub async fn finalized(&self) -> Result<(u32, H256), Error> {
		let hash: H256 = self.request("chain_getFinalizedHead", vec![]).await?;
		Ok((self.header(hash).await?.number, hash))
	}

	/// The hash of block `number` on the best chain.
	pub async fn block_hash(&self, number: u32) -> Result<H256, Error> {
		let hash: Option<H256> = self.request("chain_getBlockHash", vec![json!(number)]).await?;
		hash.ok_or_else(|| Error::NotFound(format!("the node knows no block {number}")))
	}

	/// The header of block `hash`.
	pub async fn header(&self, hash: H256) -> Result<Header, Error> {
		let header: Option<Header> =
			self.request("chain_getHeader", vec![json!(format!("{hash:?}"))]).await?;
		header.ok_or_else(|| Error::NotFound(format!("the node has no header for {hash:?}")))
	}

	/// The log root in block `hash`'s header digest (`uivl` + root), if it has one.
	pub async fn log_root(&self, hash: H256) -> Result<Option<[u8; 32]>, Error> {
		Ok(self.header(hash).await?.digest.logs.iter().find_map(log_root_of))
	}

	/// Signs `call` of the pallet with `args` (SCALE of the call's arguments), submits it and
	/// waits until it is in a block (`finalized`: until that block is finalized).
	pub async fn submit(
		&self,
		keypair: &Keypair,
		call: &str,
		args: Vec<u8>,
		finalized: bool,
	) -> Result<Included, Error> {
		let config = PolkadotConfig::builder().use_historic_types(false).build();
		let client = OnlineClient::from_rpc_client_with_config(config, self.rpc.clone())
			.await
			.map_err(|e| Error::Node(format!("{}: {}", self.url, one_line(&e.to_string()))))?;
		let at = client.at_current_block().await.map_err(Error::node)?;
		let metadata = at.metadata();
		let pallet = metadata
			.pallet_by_name(PALLET)
			.ok_or_else(|| Error::Node(format!("the runtime has no {PALLET} pallet")))?;
		let variant = pallet
			.call_variant_by_name(call)
			.ok_or_else(|| Error::Node(format!("the runtime has no call {PALLET}.{call}")))?;
		let mut data = vec![pallet.call_index(), variant.index];
		data.extend_from_slice(&args);
		let mut tx = at.transactions();
		let payload = tx.from_call_data_bytes(&data).map_err(|e| {
			Error::Node(format!(
				"the runtime's {PALLET}.{call} takes other arguments than this tool's pallet \
				 types: {}",
				one_line(&e.to_string())
			))
		})?;
		let who = account_of(keypair);
		let nonce: u64 =
			self.request("system_accountNextIndex", vec![json!(who.to_string())]).await?;
		let params = PolkadotExtrinsicParamsBuilder::<PolkadotConfig>::new().nonce(nonce).build();
		let mut progress = tx
			.sign_and_submit_then_watch(&payload, keypair, params)
			.await
			.map_err(|e| Error::Node(format!("submitting {call}: {}", one_line(&e.to_string()))))?;
		let (in_block, is_final) = loop {
			match progress.next().await {
				Some(Ok(TransactionStatus::InBestBlock(b))) if !finalized => break (b, false),
				Some(Ok(TransactionStatus::InFinalizedBlock(b))) => break (b, true),
				Some(Ok(TransactionStatus::Error { message }))
				| Some(Ok(TransactionStatus::Invalid { message }))
				| Some(Ok(TransactionStatus::Dropped { message })) => {
					return Err(Error::Node(format!(
						"{call} was not included: {}",
						one_line(&message)
					)))
				}
				Some(Ok(_)) => continue,
				Some(Err(e)) => return Err(Error::node(e)),
				None => {
					return Err(Error::Node(format!(
						"the node stopped reporting on {call} before it was included"
					)))
				}
			}
		};
		let events = match in_block.wait_for_success().await {
			Ok(events) => events,
			Err(TransactionEventsError::ExtrinsicFailed(error)) => {
				return Err(Error::Dispatch(dispatch_error(&error)))
			}
			Err(e) => return Err(Error::node(e)),
		};
		let mut included = Included {
			block: H256(in_block.block_hash().0),
			extrinsic: H256(in_block.extrinsic_hash().0),
			finalized: is_final,
			events: Vec::new(),
			events_json: Vec::new(),
		};
		for event in events.iter() {
			let event = event.map_err(Error::node)?;
			let (pallet, name) = (event.pallet_name().to_string(), event.event_name().to_string());
			let fields = event_fields(&metadata, &pallet, event.event_index(), event.field_bytes())
				.unwrap_or_else(|| json!(to_hex(event.field_bytes())));
			included
				.events_json
				.push(json!({ "event": format!("{pallet}.{name}"), "fields": fields }));
			included.events.push((pallet, name, event.field_bytes().to_vec()));
		}
		Ok(included)
	}
}

/// An event's fields as JSON, decoded with the metadata's types: accounts as SS58 addresses,
/// byte arrays as hex. `None` if they do not decode.
fn event_fields(metadata: &Metadata, pallet: &str, index: u8, bytes: &[u8]) -> Option<Value> {
	let variant = metadata.pallet_by_name(pallet)?.event_variant_by_index(index)?;
	let mut fields =
		variant.fields.iter().map(|f| scale_decode::Field::new(f.ty.id, f.name.as_deref()));
	let mut input = bytes;
	let composite =
		scale_value::scale::decode_as_fields(&mut input, &mut fields, metadata.types()).ok()?;
	Some(composite_json(&composite, metadata.types()))
}

fn composite_json(composite: &Composite<u32>, types: &PortableRegistry) -> Value {
	match composite {
		Composite::Named(fields) => Value::Object(
			fields.iter().map(|(name, value)| (name.clone(), value_json(value, types))).collect(),
		),
		Composite::Unnamed(values) => {
			let bytes: Option<Vec<u8>> = values
				.iter()
				.map(|v| match &v.value {
					ValueDef::Primitive(Primitive::U128(n)) => u8::try_from(*n).ok(),
					_ => None,
				})
				.collect();
			match (bytes, values.as_slice()) {
				(Some(bytes), _) if bytes.len() > 1 => json!(to_hex(&bytes)),
				(_, [one]) => value_json(one, types),
				_ => Value::from(values.iter().map(|v| value_json(v, types)).collect::<Vec<_>>()),
			}
		}
	}
}

fn value_json(value: &scale_value::Value<u32>, types: &PortableRegistry) -> Value {
	let is_account = types
		.resolve(value.context)
		.and_then(|ty| ty.path.segments.last())
		.is_some_and(|name| name == "AccountId32");
	match &value.value {
		ValueDef::Composite(composite) => match composite_json(composite, types) {
			Value::String(hex) if is_account => crate::args::parse_hash("account", &hex)
				.map(|bytes| json!(crate::args::ss58_bytes(&bytes)))
				.unwrap_or(Value::String(hex)),
			other => other,
		},
		ValueDef::Variant(variant) => match &variant.values {
			Composite::Named(f) if f.is_empty() => json!(variant.name),
			Composite::Unnamed(f) if f.is_empty() => json!(variant.name),
			fields => json!({ variant.name.clone(): composite_json(fields, types) }),
		},
		ValueDef::Primitive(Primitive::Bool(b)) => json!(b),
		ValueDef::Primitive(Primitive::U128(n)) => match u64::try_from(*n) {
			Ok(n) => json!(n),
			Err(_) => json!(n.to_string()),
		},
		ValueDef::Primitive(Primitive::I128(n)) => match i64::try_from(*n) {
			Ok(n) => json!(n),
			Err(_) => json!(n.to_string()),
		},
		ValueDef::Primitive(p) => json!(p.to_string()),
		ValueDef::BitSequence(bits) => json!(format!("{bits:?}")),
	}
}

/// The storage key suffix of a `Blake2_128Concat` key.
pub fn blake2_128_concat(key: &impl Encode) -> Vec<u8> {
	let encoded = key.encode();
	let mut out = blake2_128(&encoded).to_vec();
	out.extend_from_slice(&encoded);
	out
}
