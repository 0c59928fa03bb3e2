//! What the TA's node keeps in its persistent off-chain storage (the `storage` prefix of the
//! node's off-chain database, which outlives restarts and re-orgs and is never shared), and the
//! pure rules that move a delivery along.
//!
//! | key | value |
//! |---|---|
//! | `endochain/uiv/ta/report` ++ SCALE(case) | the report sealed to the TA, as submitted (its SHA-256 is the case's `report_hash`) |
//! | `endochain/uiv/ta/delivery/v2` ++ SCALE(case, worker) | [`Deliveries`]: every delivery to that SW on that case, newest last |
//! | `endochain/uiv/ta/open` | [`OpenList`]: the (case, worker) pairs whose newest delivery is not finished |
//! | `endochain/uiv/ta/resolution` ++ SCALE(case, worker) | [`Resolution`]: the TA's decision on a deferred SW (a real package or a trap) |
//! | `endochain/uiv/ta/watch` | [`OpenList`]: the deferred deliveries whose trap flag is not revealed yet |
//!
//! A delivery keeps the one-time nonces of its access tokens (the first and each renewal), from
//! which the TA recomputes every token it issued (`endo_uiv::token::access_token`), the host
//! identifier its tracing token binds and the host secret its report is sealed to, and, for a
//! deferred SW, whether the package was a trap with the salt of the commitment to that flag.
//! It does not keep the package: a fetch seals the held report (or the trap's decoy) again with
//! the same tokens, so the node stores one report per case, not one per SW. The access tokens
//! and host secrets never leave the node but in the SW's own package; the chain holds the
//! tokens' commitments. The records of a case go once the chain no longer has it (purged).

use codec::{Decode, Encode};
use endo_uiv::log::CaseId;

/// The off-chain storage prefix of persistent values (`sp_core::offchain::STORAGE_PREFIX`).
pub const PREFIX: &[u8] = sp_core::offchain::STORAGE_PREFIX;

const REPORT: &[u8] = b"endochain/uiv/ta/report";
/// Version 2: deliveries with host secrets, valid times and trap flags (version 1 records,
/// without them, are not read).
const DELIVERY: &[u8] = b"endochain/uiv/ta/delivery/v2";
const RESOLUTION: &[u8] = b"endochain/uiv/ta/resolution";
/// The key of the [`OpenList`].
pub const OPEN: &[u8] = b"endochain/uiv/ta/open";
/// The key of the deferred deliveries to watch for leak reports (an [`OpenList`]).
pub const WATCH: &[u8] = b"endochain/uiv/ta/watch";
/// The largest decoy (false report) a TA may set for a trap.
pub const MAX_DECOY: usize = 1024 * 1024;

/// Deliveries kept per (case, SW): one per grant (a grant per cycle at most).
pub const MAX_DELIVERIES: usize = 64;
/// Unfinished deliveries the node tracks at once; a fetch beyond it is refused until some end.
pub const MAX_OPEN: usize = 4096;
/// Blocks after which a submitted transaction that did not take effect is submitted again.
pub const RESUBMIT_AFTER: u32 = 10;
/// Submissions of a delivery before the node gives up on it (each costs the TA a fee); the
/// SW may fetch again. A renewal is never given up while the access is live on chain: it is
/// retried ever less often (every `RESUBMIT_AFTER * attempts` blocks, at most
/// [`MAX_BACKOFF`]).
pub const MAX_ATTEMPTS: u8 = 5;
/// The longest wait between two submissions of a renewal (blocks).
pub const MAX_BACKOFF: u32 = 600;

/// The key of a case's report.
pub fn report_key(case: CaseId) -> Vec<u8> {
	[REPORT, &case.encode()].concat()
}

/// The key of an SW's deliveries on a case.
pub fn delivery_key(case: CaseId, worker: &[u8; 32]) -> Vec<u8> {
	[DELIVERY, &(case, worker).encode()].concat()
}

/// The key of the TA's decision on a deferred SW's access to a case.
pub fn resolution_key(case: CaseId, worker: &[u8; 32]) -> Vec<u8> {
	[RESOLUTION, &(case, worker).encode()].concat()
}

/// The TA's decision on a deferred (R3) SW (UIV-TSP sec. 3.5.3, Algorithm 3): deliver the real
/// report, or a false uiv as a trap. The SW cannot tell them apart: both are packages of the
/// same form, delivered by `deliver_deferred` with a hidden commitment to the flag.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct Resolution {
	/// A trap: the package carries `decoy` instead of the report.
	pub trap: bool,
	/// The false report (empty unless `trap`).
	pub decoy: Vec<u8>,
	/// How long the package stays valid (minutes).
	pub valid_minutes: u32,
}

/// How a delivery was decided.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
	/// An R1 grant: `deliver_package`, the real report.
	Granted,
	/// An R3 deferral the TA resolved: `deliver_deferred` with
	/// `trap_commitment(tracing_commitment, trap, salt)`.
	Deferred {
		/// A trap (a false uiv).
		trap: bool,
		/// The commitment's salt.
		salt: [u8; 32],
		/// `reveal_trap` last submitted at this best block (none yet: `None`).
		revealed_at: Option<u32>,
		/// How often `reveal_trap` was submitted: retried ever less often (every
		/// `RESUBMIT_AFTER * attempts` blocks, at most [`MAX_BACKOFF`]), given up after
		/// [`MAX_ATTEMPTS`].
		reveal_attempts: u8,
	},
}

/// Where a delivery stands, as the TA's node sees it.
#[derive(Encode, Decode, Clone, Copy, PartialEq, Eq, Debug)]
pub enum Stage {
	/// `deliver_package` submitted (at this block number); not yet seen on chain.
	Delivering {
		/// The best block when it was (last) submitted.
		submitted_at: u32,
		/// How often it was submitted.
		attempts: u8,
	},
	/// Seen on chain; the session runs since this UNIX time (ms, the node's clock).
	Delivered {
		/// When the node saw the delivery on chain.
		since_ms: u64,
	},
	/// `end_access` with the newest nonce submitted (at this block number); not yet seen on chain.
	Ending {
		/// The best block when it was (last) submitted.
		submitted_at: u32,
		/// How often it was submitted.
		attempts: u8,
	},
	/// Ended on chain: the newest nonce's token is the live one, the package's is revoked.
	Ended,
}

/// One delivery of a package to an SW.
#[derive(Encode, Decode, Clone, PartialEq, Eq, Debug)]
pub struct Delivery {
	/// The TA account that delivered (and signs the renewal).
	pub ta: [u8; 32],
	/// The cycle of the grant it answers.
	pub cycle: u32,
	/// The host identifier the tracing token binds.
	pub host: [u8; 32],
	/// The host's secret, which the report is sealed to (`endo_uiv::seal::guard`).
	pub host_secret: [u8; 32],
	/// UNIX time (ms) until which the package is valid.
	pub valid_until: u64,
	/// Granted, or a resolved deferral.
	pub kind: Kind,
	/// The nonces of the access tokens: the delivered one first, then each renewal.
	pub nonces: Vec<[u8; 32]>,
	/// Commitment to the tracing token in the package.
	pub tracing_commitment: [u8; 32],
	/// Where it stands.
	pub stage: Stage,
}

/// Every delivery to one SW on one case, newest last (at most [`MAX_DELIVERIES`]).
pub type Deliveries = Vec<Delivery>;

/// The (case, SW) pairs whose newest delivery is not [`Stage::Ended`].
pub type OpenList = Vec<(CaseId, [u8; 32])>;

/// What the chain says of an access, reduced to what the TA's node acts on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum OnChain {
	/// No access, or the case is gone.
	Gone,
	/// Granted (or deferred), not delivered yet, in this cycle.
	Granted {
		/// The grant's cycle.
		cycle: u32,
	},
	/// Delivered with this tracing commitment.
	Delivered {
		/// The tracing commitment recorded by `deliver_package`.
		tracing_commitment: [u8; 32],
	},
	/// Ended (the token renewed), or refused, deferred or otherwise not live.
	NotLive,
}

/// What the background task does for one open delivery.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Action {
	/// Nothing yet.
	Wait,
	/// The delivery is on chain: start its session clock.
	MarkDelivered,
	/// Submit `deliver_package` again (it did not take effect).
	ResubmitDelivery,
	/// The session is over: renew the token (`end_access`).
	End,
	/// Submit `end_access` again with the same renewed token.
	ResubmitEnd,
	/// Finished or moot: drop it from the open list.
	Close,
	/// A delivery submitted [`MAX_ATTEMPTS`] times without effect: give up and drop it.
	GiveUp,
}

/// The background task's rule for one open delivery `d`, given the chain's view (at the
/// finalized block, so that a re-org never makes it drop a live delivery), that block's number,
/// the time now (ms), and the session length (ms).
pub fn plan(d: &Delivery, chain: OnChain, block: u32, now_ms: u64, session_ms: u64) -> Action {
	let stale = |at: u32, attempts: u8| {
		let wait = RESUBMIT_AFTER.saturating_mul(u32::from(attempts.max(1))).min(MAX_BACKOFF);
		block >= at.saturating_add(wait)
	};
	let mine = |c: [u8; 32]| c == d.tracing_commitment;
	match (d.stage, chain) {
		(Stage::Ended, _) | (_, OnChain::Gone) => Action::Close,
		(Stage::Delivering { .. }, OnChain::Delivered { tracing_commitment })
			if mine(tracing_commitment) =>
		{
			Action::MarkDelivered
		}
		(Stage::Delivering { submitted_at, attempts }, OnChain::Granted { cycle })
			if cycle == d.cycle =>
		{
			match (stale(submitted_at, 1), attempts >= MAX_ATTEMPTS) {
				(false, _) => Action::Wait,
				(true, false) => Action::ResubmitDelivery,
				(true, true) => Action::GiveUp,
			}
		}
		// Another grant, another delivery, or no longer live: this one is moot.
		(Stage::Delivering { .. }, _) => Action::Close,
		(Stage::Delivered { since_ms }, OnChain::Delivered { tracing_commitment })
			if mine(tracing_commitment) =>
		{
			if now_ms >= since_ms.saturating_add(session_ms) {
				Action::End
			} else {
				Action::Wait
			}
		}
		(Stage::Ending { submitted_at, attempts }, OnChain::Delivered { tracing_commitment })
			if mine(tracing_commitment) =>
		{
			if stale(submitted_at, attempts) {
				Action::ResubmitEnd
			} else {
				Action::Wait
			}
		}
		// The same grant not delivered at this block: a finalized view never goes back, but a
		// record made on the best chain may run ahead of it.
		(Stage::Delivered { .. } | Stage::Ending { .. }, OnChain::Granted { cycle })
			if cycle == d.cycle =>
		{
			Action::Wait
		}
		// Ended on chain (or replaced): the renewal took effect or nothing is left to do.
		(Stage::Delivered { .. } | Stage::Ending { .. }, _) => Action::Close,
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn delivery(stage: Stage) -> Delivery {
		Delivery {
			ta: [1; 32],
			cycle: 3,
			host: [2; 32],
			host_secret: [5; 32],
			valid_until: 9,
			kind: Kind::Deferred {
				trap: true,
				salt: [6; 32],
				revealed_at: None,
				reveal_attempts: 0,
			},
			nonces: vec![[3; 32]],
			tracing_commitment: [4; 32],
			stage,
		}
	}

	const MINE: OnChain = OnChain::Delivered { tracing_commitment: [4; 32] };
	const OTHER: OnChain = OnChain::Delivered { tracing_commitment: [9; 32] };

	#[test]
	fn a_delivery_is_marked_once_on_chain_and_resubmitted_when_stale() {
		let d = delivery(Stage::Delivering { submitted_at: 100, attempts: 1 });
		assert_eq!(plan(&d, MINE, 101, 0, 1), Action::MarkDelivered);
		assert_eq!(plan(&d, OnChain::Granted { cycle: 3 }, 105, 0, 1), Action::Wait);
		assert_eq!(plan(&d, OnChain::Granted { cycle: 3 }, 110, 0, 1), Action::ResubmitDelivery);
		let tried = delivery(Stage::Delivering { submitted_at: 100, attempts: MAX_ATTEMPTS });
		assert_eq!(plan(&tried, OnChain::Granted { cycle: 3 }, 110, 0, 1), Action::GiveUp);
		// A later grant, another node's delivery, a refusal or a purge: moot.
		assert_eq!(plan(&d, OnChain::Granted { cycle: 4 }, 110, 0, 1), Action::Close);
		assert_eq!(plan(&d, OTHER, 101, 0, 1), Action::Close);
		assert_eq!(plan(&d, OnChain::NotLive, 101, 0, 1), Action::Close);
		assert_eq!(plan(&d, OnChain::Gone, 101, 0, 1), Action::Close);
	}

	#[test]
	fn a_session_ends_after_its_length_and_the_renewal_is_retried() {
		let d = delivery(Stage::Delivered { since_ms: 1_000 });
		assert_eq!(plan(&d, MINE, 0, 60_999, 60_000), Action::Wait);
		assert_eq!(plan(&d, MINE, 0, 61_000, 60_000), Action::End);
		assert_eq!(plan(&d, OnChain::NotLive, 0, 61_000, 60_000), Action::Close);
		let e = delivery(Stage::Ending { submitted_at: 50, attempts: 2 });
		assert_eq!(plan(&e, MINE, 69, 0, 1), Action::Wait);
		assert_eq!(plan(&e, MINE, 70, 0, 1), Action::ResubmitEnd);
		// A renewal is never given up while the access is live; it backs off.
		let tried = delivery(Stage::Ending { submitted_at: 50, attempts: 200 });
		assert_eq!(plan(&tried, MINE, 50 + MAX_BACKOFF - 1, 0, 1), Action::Wait);
		assert_eq!(plan(&tried, MINE, 50 + MAX_BACKOFF, 0, 1), Action::ResubmitEnd);
		// A view that lags the record (the same grant not yet delivered there): wait.
		assert_eq!(plan(&e, OnChain::Granted { cycle: 3 }, 70, 0, 1), Action::Wait);
		assert_eq!(plan(&d, OnChain::Granted { cycle: 3 }, 70, 0, 1), Action::Wait);
		assert_eq!(plan(&d, OnChain::Granted { cycle: 4 }, 70, 0, 1), Action::Close);
		assert_eq!(plan(&e, OnChain::NotLive, 60, 0, 1), Action::Close);
		assert_eq!(plan(&delivery(Stage::Ended), MINE, 0, 0, 1), Action::Close);
	}

	#[test]
	fn records_round_trip_and_keys_differ() {
		let d = vec![delivery(Stage::Ending { submitted_at: 7, attempts: 1 })];
		assert_eq!(Deliveries::decode(&mut &d.encode()[..]).unwrap(), d);
		assert_ne!(delivery_key(1, &[0; 32]), delivery_key(2, &[0; 32]));
		assert_ne!(delivery_key(1, &[0; 32]), delivery_key(1, &[1; 32]));
		assert_ne!(report_key(1), report_key(2));
		assert_ne!(resolution_key(1, &[0; 32]), delivery_key(1, &[0; 32]));
		let r = Resolution { trap: true, decoy: b"false".to_vec(), valid_minutes: 60 };
		assert_eq!(Resolution::decode(&mut &r.encode()[..]).unwrap(), r);
	}
}
