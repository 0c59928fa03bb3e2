//! The package a TA delivers to a granted SW, and the messages an SW signs to fetch it and to
//! end its access (UIV-TSP, paper 002, sec. 3.2.2 and 3.4).
//!
//! The TA's node keeps the report that was sealed to it, and on an SW's signed fetch request
//! builds a [`Package`]: the report in plaintext with the case's identity and the tracing token
//! `tracing_token(access_token, host_id)` of the SW's host. It seals the SCALE encoding to the
//! SW's account key (`seal::seal` with [`crate::hash::tags::PACKAGE_KEY`], std) and commits on
//! chain to both tokens (`deliver_package`). The SW checks that the commitment of the package's
//! tracing token is the one on chain, so a TA cannot hand out a package it did not commit to.
//!
//! ```text
//! host_id       = H([24] "endochain/uiv/host-id/v1"       || fingerprint)
//! fetch_message = H([30] "endochain/uiv/fetch-request/v1" || genesis(32) || case u64 || sw(32) || host_id(32))
//! end_message   = H([28] "endochain/uiv/end-request/v1"   || genesis(32) || case u64 || sw(32) || tracing_commitment(32))
//! report_context  = H([31] "endochain/uiv/report-context/v1"  || genesis(32) || ta(32) || opener(32))
//! package_context = H([32] "endochain/uiv/package-context/v1" || genesis(32) || sw(32))
//! ```
//!
//! The contexts are the associated data of the sealing (`seal`, std): a report sealed by one
//! opener for one TA does not open as the report of a case someone else opened, so copying a
//! victim's sealed report into one's own case gets nothing.
//!
//! Both messages name the chain (its genesis hash) and the case, so a signature is good for one
//! chain, one case and one host (fetch) or one delivery (end) only.

use crate::hash::{tagged, tags, Sha256};
use crate::log::CaseId;
use crate::token::{commitment, Hash};
use alloc::vec::Vec;
use codec::{Decode, Encode};

/// The format version of [`Package`].
pub const PACKAGE_VERSION: u8 = 1;

/// What an SW receives, sealed to its account key. Zeroed on drop: it holds the report.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct Package {
	/// [`PACKAGE_VERSION`].
	pub version: u8,
	/// The chain's genesis hash.
	pub genesis: Hash,
	/// The case.
	pub case: CaseId,
	/// The SW's account (sr25519 public key).
	pub worker: [u8; 32],
	/// The case's TA.
	pub ta: [u8; 32],
	/// The case's vulmeta hash.
	pub vul_meta_hash: Hash,
	/// The SW host's identifier ([`host_id`]) that the tracing token binds.
	pub host: Hash,
	/// `tracing_token(access_token, host)`: its commitment is on chain.
	pub tracing: [u8; 32],
	/// The vulnerability report, in plaintext.
	pub report: Vec<u8>,
}

impl Drop for Package {
	fn drop(&mut self) {
		zeroize::Zeroize::zeroize(&mut self.report);
		zeroize::Zeroize::zeroize(&mut self.tracing);
	}
}

impl Package {
	/// The commitment to the package's tracing token, as `deliver_package` records it.
	pub fn tracing_commitment(&self) -> Hash {
		commitment(&self.tracing)
	}
}

/// The identifier of a host with fingerprint `fingerprint`.
pub fn host_id(fingerprint: &[u8]) -> Hash {
	tagged::<Sha256>(tags::HOST_ID, &[fingerprint])
}

/// The message an SW signs to fetch its package of case `case` for host `host`.
pub fn fetch_message(genesis: &Hash, case: CaseId, worker: &[u8; 32], host: &Hash) -> Hash {
	tagged::<Sha256>(tags::FETCH_REQUEST, &[genesis, &case.to_le_bytes(), worker, host])
}

/// The message an SW signs to end its access to case `case`, naming the delivery by its
/// tracing commitment.
pub fn end_message(
	genesis: &Hash,
	case: CaseId,
	worker: &[u8; 32],
	tracing_commitment: &Hash,
) -> Hash {
	tagged::<Sha256>(tags::END_REQUEST, &[genesis, &case.to_le_bytes(), worker, tracing_commitment])
}

/// The context a report is sealed in: the chain, the case's TA and the account that opens the
/// case.
pub fn report_context(genesis: &Hash, ta: &[u8; 32], opener: &[u8; 32]) -> Hash {
	tagged::<Sha256>(tags::REPORT_CONTEXT, &[genesis, ta, opener])
}

/// The context a package is sealed in: the chain and the SW (the case is inside, and checked
/// once the package is open).
pub fn package_context(genesis: &Hash, worker: &[u8; 32]) -> Hash {
	tagged::<Sha256>(tags::PACKAGE_CONTEXT, &[genesis, worker])
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::token::{access_token, tracing_token};

	#[test]
	fn package_round_trips_and_commits_to_its_tracing_token() {
		let access = access_token(&[1; 32], &[2; 32], &[3; 32]);
		let host = host_id(b"machine-id:abc\nmac:02:00:00:00:00:01\n");
		let tracing = tracing_token(&access, &host);
		let package = Package {
			version: PACKAGE_VERSION,
			genesis: [9; 32],
			case: 7,
			worker: [2; 32],
			ta: [4; 32],
			vul_meta_hash: [1; 32],
			host,
			tracing: *tracing.as_bytes(),
			report: b"heap overflow in the Modbus handler".to_vec(),
		};
		let decoded = Package::decode(&mut &package.encode()[..]).unwrap();
		assert_eq!(decoded, package);
		assert_eq!(package.tracing_commitment(), commitment(tracing.as_bytes()));
	}

	#[test]
	fn messages_bind_every_field() {
		let base = fetch_message(&[0; 32], 1, &[1; 32], &[2; 32]);
		assert_ne!(base, fetch_message(&[5; 32], 1, &[1; 32], &[2; 32]));
		assert_ne!(base, fetch_message(&[0; 32], 2, &[1; 32], &[2; 32]));
		assert_ne!(base, fetch_message(&[0; 32], 1, &[3; 32], &[2; 32]));
		assert_ne!(base, fetch_message(&[0; 32], 1, &[1; 32], &[3; 32]));
		// Same fields, other purpose: another message.
		assert_ne!(base, end_message(&[0; 32], 1, &[1; 32], &[2; 32]));
		assert_ne!(host_id(b"a"), host_id(b"b"));
		assert_ne!(
			report_context(&[0; 32], &[1; 32], &[2; 32]),
			report_context(&[0; 32], &[1; 32], &[3; 32])
		);
		assert_ne!(package_context(&[0; 32], &[2; 32]), package_context(&[1; 32], &[2; 32]));
	}
}
