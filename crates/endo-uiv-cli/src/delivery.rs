//! A security worker's side of a delivery: its host's identifier, the signed requests to the
//! TA's node (`uiv_fetchPackage`, `uiv_endAccess`, see the node's `uiv_ta` module), and the
//! checks on a package before its report is used.
//!
//! # The host fingerprint
//!
//! The tracing token binds the host a package is delivered to (UIV-TSP sec. 3.2.2: the
//! paper uses the MAC address). The fingerprint is the text
//!
//! ```text
//! endochain-host/v2
//! machine-id:<the contents of /etc/machine-id>
//! mac:<address>          one line per built-in network device with its permanent address,
//! ...                    lower case, sorted
//! ```
//!
//! A built-in network device is an interface backed by a device that is not on a USB bus, with
//! the address burnt into it (`addr_assign_type` 0); when a host has none, every interface with
//! a permanent address counts. So the fingerprint does not change when a USB adapter or a dock
//! comes and goes, when an interface's address is randomised (Wi-Fi privacy addresses), or when
//! virtual interfaces (bridges, veth, tunnels) are created; it changes when `/etc/machine-id` is
//! regenerated or a built-in network card is replaced. A package fetched with
//! `--host-fingerprint FILE` opens only with the same file. Check with `endochain-uiv host-id`
//! before opening a package after a hardware change: on a changed host, `open` destroys the
//! package and reports the leak.
//!
//! From it come the host's secret `host_secret = H("endochain/uiv/host-secret/v1",
//! fingerprint)` and its public identifier `host_id = H("endochain/uiv/host-id/v1",
//! host_secret)` (`endo_uiv::package`). `--host-fingerprint FILE` takes the fingerprint from a
//! file instead (for a host without `/etc/machine-id`, or to state it explicitly). The
//! fingerprint never leaves the host; the secret goes to the TA's node only, in a fetch
//! request, and the package's report is sealed to it (so it opens on this host only, see
//! [`crate::guard`]); the identifier is what the tracing token binds and a leak report names.

use crate::{args::to_hex, chain::Chain, Error};
use codec::Decode;
use endo_uiv::package::{self, Package, PACKAGE_VERSION};
use pallet_uiv_sharing::types::{Access, AccessState, CaseId};
use serde::Deserialize;
use serde_json::json;
use sp_core::{crypto::AccountId32, sr25519, Bytes, Pair, H256};
use std::{
	fs,
	path::{Path, PathBuf},
	time::{Duration, Instant},
};
use zeroize::Zeroizing;

/// This host's fingerprint (see the module docs), or the contents of `file`.
pub fn fingerprint(file: Option<&Path>) -> Result<Vec<u8>, Error> {
	if let Some(file) = file {
		return fs::read(file).map_err(|source| Error::Io { path: file.to_path_buf(), source });
	}
	let machine_id = fs::read_to_string("/etc/machine-id")
		.map_err(|source| Error::Io { path: PathBuf::from("/etc/machine-id"), source })?;
	let mut built_in = Vec::new();
	let mut permanent = Vec::new();
	if let Ok(entries) = fs::read_dir("/sys/class/net") {
		for entry in entries.flatten() {
			let path = entry.path();
			let Some(nic) = Nic::read(&path) else { continue };
			if nic.loopback || !nic.permanent {
				continue;
			}
			if nic.device && !nic.usb {
				built_in.push(nic.address.clone());
			}
			permanent.push(nic.address);
		}
	}
	let mut macs = if built_in.is_empty() { permanent } else { built_in };
	macs.sort();
	macs.dedup();
	let mut text = format!("endochain-host/v2\nmachine-id:{}\n", machine_id.trim());
	for mac in macs {
		text.push_str(&format!("mac:{mac}\n"));
	}
	Ok(text.into_bytes())
}

/// What the fingerprint needs to know of a network interface (`/sys/class/net/<name>`).
struct Nic {
	address: String,
	loopback: bool,
	/// `addr_assign_type` 0: the address burnt into the device, not a random or set one.
	permanent: bool,
	/// Backed by a device (not a bridge, veth, tunnel).
	device: bool,
	/// On a USB bus (a dongle or a dock, which comes and goes).
	usb: bool,
}

impl Nic {
	fn read(path: &Path) -> Option<Nic> {
		let address = fs::read_to_string(path.join("address")).ok()?.trim().to_ascii_lowercase();
		if address.is_empty() || address.chars().all(|c| c == '0' || c == ':') {
			return None;
		}
		let assign = fs::read_to_string(path.join("addr_assign_type")).ok();
		let subsystem = fs::read_link(path.join("device/subsystem")).ok();
		Some(Nic {
			loopback: path.file_name().is_some_and(|n| n == "lo"),
			// Without the attribute (old kernels), the address is taken as permanent.
			permanent: assign.map(|a| a.trim() == "0").unwrap_or(true),
			device: path.join("device").exists(),
			usb: subsystem
				.as_ref()
				.and_then(|s| s.file_name())
				.is_some_and(|n| n == "usb" || n == "usb-serial"),
			address,
		})
	}
}

/// The signing key pair of a secret URI.
pub fn pair(suri: &str) -> Result<sr25519::Pair, Error> {
	sr25519::Pair::from_string(suri, None)
		.map_err(|e| Error::arg("--suri", format!("not a valid sr25519 secret URI ({e:?})")))
}

/// The chain's genesis hash.
pub async fn genesis(chain: &Chain) -> Result<[u8; 32], Error> {
	Ok(chain.block_hash(0).await?.0)
}

/// SW `worker`'s access to `case` on chain.
pub async fn access(chain: &Chain, case: CaseId, worker: &[u8; 32]) -> Result<Access, Error> {
	chain
		.api::<Option<Access>>("access", (case, AccountId32::new(*worker)))
		.await?
		.ok_or_else(|| Error::NotFound(format!("no access of this worker to case {case}")))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PackageReply {
	/// `None` until the delivery is on chain.
	package: Option<Bytes>,
	tracing_commitment: H256,
	tx: Option<H256>,
}

/// A fetched package, checked.
pub struct Fetched {
	/// The package sealed to the SW, as the TA's node handed it.
	pub sealed: Vec<u8>,
	/// Its tracing commitment, on chain.
	pub tracing_commitment: [u8; 32],
	/// The `deliver_package` transaction the TA's node submitted for this fetch, if any.
	pub tx: Option<H256>,
	/// Time from the request to the delivery being on chain.
	pub waited: Duration,
}

/// This host's secret (see the module docs), from its fingerprint or the contents of `file`.
pub fn host_secret(file: Option<&Path>) -> Result<[u8; 32], Error> {
	let fingerprint = Zeroizing::new(fingerprint(file)?);
	Ok(package::host_secret(&fingerprint))
}

/// Opens a sealed package's header with the SW's key and checks it names this chain, `case`
/// and the SW. The host is the self-check's business ([`crate::guard`]).
pub fn open(
	pair: &sr25519::Pair,
	sealed: &[u8],
	genesis: &[u8; 32],
	case: Option<CaseId>,
) -> Result<Package, Error> {
	let secret = zeroize::Zeroizing::new(pair.to_raw_vec());
	let (scalar, public) =
		endo_uiv::seal::secret_scalar(&secret).map_err(|e| Error::Crypto(e.to_string()))?;
	let plain =
		crate::seal::open_package(&scalar, &package::package_context(genesis, &public), sealed)?;
	let package = Package::decode(&mut &plain[..])
		.map_err(|e| Error::Crypto(format!("the package does not decode: {e}")))?;
	let refuse = |why: String| Err(Error::Refused(why));
	if package.version != PACKAGE_VERSION {
		return refuse(format!("package format {} is not {PACKAGE_VERSION}", package.version));
	}
	if &package.genesis != genesis {
		return refuse("the package is of another chain".into());
	}
	if package.worker != public {
		return refuse("the package names another worker".into());
	}
	if let Some(case) = case {
		if package.case != case {
			return refuse(format!("the package is of case {}, not {case}", package.case));
		}
	}
	Ok(package)
}

/// Asks the TA's node at `ta` for SW `pair`'s package of `case` for the host with secret
/// `host_secret`, checks that it passes the self-check and opens here, and waits up to `wait`
/// until its delivery is on chain (read from `chain`).
pub async fn fetch(
	chain: &Chain,
	ta: &Chain,
	pair: &sr25519::Pair,
	case: CaseId,
	host_secret: [u8; 32],
	wait: Duration,
) -> Result<Fetched, Error> {
	let started = Instant::now();
	let genesis = genesis(chain).await?;
	let worker = pair.public().0;
	let host = package::host_id(&host_secret);
	let signature = pair.sign(&package::fetch_message(&genesis, case, &worker, &host));
	let request = || async {
		ta.request::<PackageReply>(
			"uiv_fetchPackage",
			vec![
				json!(case),
				json!(AccountId32::new(worker).to_string()),
				json!(to_hex(&host_secret)),
				json!(to_hex(&signature.0)),
			],
		)
		.await
	};
	let first = request().await?;
	let tracing_commitment = first.tracing_commitment.0;
	let tx = first.tx;
	// The node hands the package once the chain records its delivery: wait for that, then
	// fetch again with the same request.
	let sealed = match first.package {
		Some(sealed) => sealed.0,
		None => {
			let spinner = indicatif::ProgressBar::new_spinner();
			spinner.set_message("waiting for the delivery in a block");
			spinner.enable_steady_tick(Duration::from_millis(120));
			let _finish = FinishOnDrop(&spinner);
			loop {
				let on_chain = access(chain, case, &worker).await?;
				match (on_chain.state, on_chain.tracing_commitment) {
					(AccessState::Delivered, Some(c)) if c == tracing_commitment => break,
					(AccessState::Delivered, Some(_)) => {
						return Err(Error::Refused(
							"the chain records another package's delivery for this access".into(),
						))
					}
					_ if started.elapsed() >= wait => {
						return Err(Error::Node(format!(
							"the delivery is not on chain after {} s (access {:?}); fetch again \
							 later",
							wait.as_secs(),
							on_chain.state
						)))
					}
					_ => tokio::time::sleep(Duration::from_millis(500)).await,
				}
			}
			request().await?.package.map(|p| p.0).ok_or_else(|| {
				Error::Node("the TA's node handed no package for a delivery on chain".into())
			})?
		}
	};
	let package = open(pair, &sealed, &genesis, Some(case))?;
	if package.host != host || !package.self_check(&host) {
		return Err(Error::Refused(
			"the TA's node answered a package for another host, or whose tracing token is not \
			 its access token's for this host"
				.into(),
		));
	}
	crate::guard::unlock(&package, &host_secret)?;
	if package.tracing_commitment() != tracing_commitment {
		return Err(Error::Refused(
			"the TA's node answered a tracing commitment that is not the package's".into(),
		));
	}
	let on_chain = access(chain, case, &worker).await?;
	if on_chain.tracing_commitment != Some(tracing_commitment) {
		return Err(Error::Refused("the chain records no delivery of this package".into()));
	}
	Ok(Fetched { sealed, tracing_commitment, tx, waited: started.elapsed() })
}

/// Clears the spinner however the wait ends.
struct FinishOnDrop<'a>(&'a indicatif::ProgressBar);

impl Drop for FinishOnDrop<'_> {
	fn drop(&mut self) {
		self.0.finish_and_clear();
	}
}

/// Asks the TA's node at `ta` to end SW `pair`'s access to `case` (the token is renewed).
pub async fn end(
	chain: &Chain,
	ta: &Chain,
	pair: &sr25519::Pair,
	case: CaseId,
) -> Result<H256, Error> {
	let genesis = genesis(chain).await?;
	let worker = pair.public().0;
	let on_chain = access(chain, case, &worker).await?;
	let tracing = match (on_chain.state, on_chain.tracing_commitment) {
		(AccessState::Delivered, Some(c)) => c,
		(state, _) => {
			return Err(Error::Refused(format!(
				"the access to case {case} is {state:?}: nothing to end"
			)))
		}
	};
	let signature = pair.sign(&package::end_message(&genesis, case, &worker, &tracing));
	#[derive(Deserialize)]
	struct EndReply {
		tx: H256,
	}
	let reply: EndReply = ta
		.request(
			"uiv_endAccess",
			vec![
				json!(case),
				json!(AccountId32::new(worker).to_string()),
				json!(to_hex(&signature.0)),
			],
		)
		.await?;
	Ok(reply.tx)
}

#[cfg(test)]
mod tests {
	use super::*;
	use endo_uiv::{hash::tags, token};
	use rand::{rngs::StdRng, SeedableRng};

	fn sealed_package(worker: &sr25519::Pair, host: [u8; 32], case: CaseId) -> Vec<u8> {
		let access = token::access_token(&[1; 32], &worker.public().0, &[3; 32]);
		let package = Package {
			version: PACKAGE_VERSION,
			genesis: [7; 32],
			case,
			worker: worker.public().0,
			ta: [4; 32],
			vul_meta_hash: [1; 32],
			host,
			access: *access.as_bytes(),
			tracing: *token::tracing_token(&access, &host).as_bytes(),
			valid_until: u64::MAX,
			guarded: Vec::new(),
		};
		let mut rng = StdRng::seed_from_u64(1);
		endo_uiv::seal::seal(
			tags::PACKAGE_KEY,
			&worker.public().0,
			&package::package_context(&[7; 32], &worker.public().0),
			&codec::Encode::encode(&package),
			&mut rng,
		)
		.unwrap()
	}

	#[test]
	fn a_package_opens_for_its_worker_chain_and_case_only() {
		let charlie = pair("//Charlie").unwrap();
		let host = package::host_id_of(b"endochain-host/v2\nmachine-id:abc\n");
		let sealed = sealed_package(&charlie, host, 5);
		let opened = open(&charlie, &sealed, &[7; 32], Some(5)).unwrap();
		assert_eq!(opened.host, host);
		assert!(opened.self_check(&host));
		let err = |r: Result<Package, Error>| r.err().map(|e| e.to_string()).unwrap_or_default();
		// Another chain's genesis is another sealing context: it does not even open.
		assert!(err(open(&charlie, &sealed, &[8; 32], Some(5))).contains("does not open"));
		assert!(err(open(&charlie, &sealed, &[7; 32], Some(6))).contains("case 5"));
		let dave = pair("//Dave").unwrap();
		assert!(err(open(&dave, &sealed, &[7; 32], Some(5))).contains("does not open"));
	}

	#[test]
	fn the_fingerprint_file_overrides_and_the_host_has_one() {
		let dir = std::env::temp_dir().join(format!("endo-uiv-fp-{}", std::process::id()));
		fs::write(&dir, b"endochain-host/v1\nmachine-id:x\n").unwrap();
		assert_eq!(fingerprint(Some(&dir)).unwrap(), b"endochain-host/v1\nmachine-id:x\n");
		assert_eq!(
			host_secret(Some(&dir)).unwrap(),
			package::host_secret(b"endochain-host/v1\nmachine-id:x\n")
		);
		fs::remove_file(&dir).unwrap();
		assert!(fingerprint(Some(&dir)).is_err());
		if Path::new("/etc/machine-id").exists() {
			let this = fingerprint(None).unwrap();
			assert!(this.starts_with(b"endochain-host/v2\nmachine-id:"));
			assert_eq!(this, fingerprint(None).unwrap(), "stable on one host");
		}
	}
}
