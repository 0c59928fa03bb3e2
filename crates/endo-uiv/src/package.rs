//! The package a TA delivers to an SW, the host it is licensed to, and the messages an SW
//! signs to fetch it and to end its access (UIV-TSP, paper 002, sec. 3.2.2, 3.4 and 3.5.3).
//!
//! The TA's node keeps the report that was sealed to it, and on an SW's signed fetch request
//! builds a [`Package`] in two layers:
//!
//! * the **header**, sealed to the SW's account key (`seal::seal` with
//!   [`crate::hash::tags::PACKAGE_KEY`], std): the case's identity, the licensed host's
//!   identifier, the access token of this delivery, the tracing token
//!   `tracing_token(access_token, host_id)`, and the time the package stays valid;
//! * the **guarded report**, sealed to the licensed host (`seal::guard`, std): the report, with
//!   the tracing mark embedded in its text (`watermark`), under a key derived from the host's
//!   secret and the access token. The host secret never leaves the host but to the TA, and is
//!   not in the package: a copy of the package opens nowhere else, even with the SW's key.
//!
//! The SW's tool runs the paper's self-check (Algorithm 2, [`Package::self_check`]) before it
//! opens the report: it recomputes the tracing token from the (revoked) access token and the
//! host it runs on; on another host it destroys the package and reports the leak on chain
//! (`report_leak`). The chain holds the commitments of both tokens (`deliver_package`), so the
//! SW also checks that a package is the one the TA committed to.
//!
//! ```text
//! host_secret   = H([28] "endochain/uiv/host-secret/v1"   || fingerprint)
//! host_id       = H([24] "endochain/uiv/host-id/v1"       || host_secret)
//! fetch_message = H([30] "endochain/uiv/fetch-request/v1" || genesis(32) || case u64 || sw(32) || host_id(32))
//! end_message   = H([28] "endochain/uiv/end-request/v1"   || genesis(32) || case u64 || sw(32) || tracing_commitment(32))
//! report_context  = H([31] "endochain/uiv/report-context/v1"  || genesis(32) || ta(32) || opener(32))
//! package_context = H([32] "endochain/uiv/package-context/v1" || genesis(32) || sw(32))
//! guard_context   = case u64 || sw(32) || tracing(32)
//! ```
//!
//! The contexts are the associated data of the sealing (`seal`, std): a report sealed by one
//! opener for one TA does not open as the report of a case someone else opened, so copying a
//! victim's sealed report into one's own case gets nothing; a guarded report does not open
//! under another package's header.
//!
//! Both messages name the chain (its genesis hash) and the case, so a signature is good for one
//! chain, one case and one host (fetch) or one delivery (end) only.

use crate::hash::{tagged, tags, Sha256};
use crate::log::CaseId;
use crate::token::{check_tracing, commitment, AccessToken, Hash, TracingToken};
use alloc::vec::Vec;
use codec::{Decode, Encode};

/// The format version of [`Package`]: 2 added the host-bound report, the access token and the
/// valid time.
pub const PACKAGE_VERSION: u8 = 2;

/// What an SW receives, sealed to its account key. Zeroed on drop: it holds the tokens.
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
	/// The licensed host's identifier ([`host_id`]) that the tracing token binds.
	pub host: Hash,
	/// The access token of this delivery: the TA renews (revokes) it when the access ends. The
	/// self-check recomputes the tracing token from it (sec. 3.4.1).
	pub access: [u8; 32],
	/// `tracing_token(access, host)`: its commitment is on chain.
	pub tracing: [u8; 32],
	/// UNIX time (ms) after which the package destroys itself (the session's end, or a trap's
	/// valid time: the two look alike).
	pub valid_until: u64,
	/// The report sealed to the licensed host (`seal::guard`), in [`guard_context`].
	pub guarded: Vec<u8>,
}

impl Drop for Package {
	fn drop(&mut self) {
		zeroize::Zeroize::zeroize(&mut self.access);
		zeroize::Zeroize::zeroize(&mut self.tracing);
	}
}

impl Package {
	/// The commitment to the package's tracing token, as `deliver_package` records it.
	pub fn tracing_commitment(&self) -> Hash {
		commitment(&self.tracing)
	}

	/// The commitment to the package's access token, the first link of its token history.
	pub fn token_commitment(&self) -> Hash {
		commitment(&self.access)
	}

	/// The self-check of codepreleak (sec. 3.4.1, Algorithm 2): the verification value
	/// `tracing_token(access, local_host)` equals the embedded tracing token only on the
	/// licensed host. Constant time in the tokens.
	pub fn self_check(&self, local_host: &Hash) -> bool {
		check_tracing(&AccessToken(self.access), local_host, &TracingToken(self.tracing))
	}

	/// Whether the package's valid time is over at UNIX time `now_ms`.
	pub fn expired(&self, now_ms: u64) -> bool {
		now_ms > self.valid_until
	}

	/// The associated data of this package's guarded report.
	pub fn guard_context(&self) -> Vec<u8> {
		guard_context(self.case, &self.worker, &self.tracing)
	}
}

/// The secret a host derives from its fingerprint: it goes to the TA with a fetch request
/// (the package's host-bound key is derived from it) and nowhere else.
pub fn host_secret(fingerprint: &[u8]) -> Hash {
	tagged::<Sha256>(tags::HOST_SECRET, &[fingerprint])
}

/// The public identifier of the host with secret `host_secret`: what the tracing token binds,
/// what a fetch request is signed for, and what a leak report names.
pub fn host_id(host_secret: &Hash) -> Hash {
	tagged::<Sha256>(tags::HOST_ID, &[host_secret])
}

/// `host_id(host_secret(fingerprint))`.
pub fn host_id_of(fingerprint: &[u8]) -> Hash {
	host_id(&host_secret(fingerprint))
}

/// The associated data of a guarded report: the case, the SW and the tracing token.
pub fn guard_context(case: CaseId, worker: &[u8; 32], tracing: &[u8; 32]) -> Vec<u8> {
	[&case.to_le_bytes()[..], worker, tracing].concat()
}

/// The message an SW signs to fetch its package of case `case` for host `host` (its
/// [`host_id`]).
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

	fn package(host: Hash) -> Package {
		let access = access_token(&[1; 32], &[2; 32], &[3; 32]);
		let tracing = tracing_token(&access, &host);
		Package {
			version: PACKAGE_VERSION,
			genesis: [9; 32],
			case: 7,
			worker: [2; 32],
			ta: [4; 32],
			vul_meta_hash: [1; 32],
			host,
			access: *access.as_bytes(),
			tracing: *tracing.as_bytes(),
			valid_until: 1_000,
			guarded: b"sealed to the host".to_vec(),
		}
	}

	#[test]
	fn package_round_trips_and_commits_to_its_tokens() {
		let host = host_id_of(b"machine-id:abc\nmac:02:00:00:00:00:01\n");
		let package = package(host);
		let decoded = Package::decode(&mut &package.encode()[..]).unwrap();
		assert_eq!(decoded, package);
		assert_eq!(package.tracing_commitment(), commitment(&package.tracing));
		assert_eq!(package.token_commitment(), commitment(&package.access));
		assert_eq!(package.guard_context(), guard_context(7, &[2; 32], &package.tracing));
	}

	#[test]
	fn the_self_check_passes_on_the_licensed_host_only() {
		let licensed = host_id_of(b"endochain-host/v1\nmachine-id:a\nmac:02:00:00:00:00:01\n");
		let other = host_id_of(b"endochain-host/v1\nmachine-id:a\nmac:02:00:00:00:00:02\n");
		let package = package(licensed);
		assert!(package.self_check(&licensed));
		assert!(!package.self_check(&other));
		// A package whose access token was swapped fails the check on its own host too.
		let mut forged = package.clone();
		forged.access[0] ^= 1;
		assert!(!forged.self_check(&licensed));
		assert!(!package.expired(1_000));
		assert!(package.expired(1_001));
	}

	#[test]
	fn the_host_id_hides_the_host_secret() {
		let fingerprint = b"endochain-host/v1\nmachine-id:abc\n";
		let secret = host_secret(fingerprint);
		assert_eq!(host_id(&secret), host_id_of(fingerprint));
		assert_ne!(host_id(&secret), secret);
		assert_ne!(host_secret(b"a"), host_secret(b"b"));
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
		assert_ne!(
			report_context(&[0; 32], &[1; 32], &[2; 32]),
			report_context(&[0; 32], &[1; 32], &[3; 32])
		);
		assert_ne!(package_context(&[0; 32], &[2; 32]), package_context(&[1; 32], &[2; 32]));
	}
}
