//! Unit tests: one module per call, then one per topic of the pallet's source files: the sinks
//! (`ledger.rs`), the origin (`origin.rs`), the `on_finalize` authorship hook
//! (`authorship.rs`), the epoch change with selection (`epoch_change.rs`, `selection.rs`),
//! GRANDPA changes (`finality.rs`), the statistical test of primary-slot shares, genesis and the
//! runtime API's queries (`queries.rs`). Every test runs in `mock::test`, which checks the
//! storage invariants at the end (`try_state.rs`); bad input is tested with `assert_noop!`,
//! which also checks that storage did not change.

#![allow(clippy::unwrap_used)]

mod admission;
mod authorship;
mod deregister_candidate;
mod epoch_change;
mod finality;
mod genesis_and_queries;
mod migrations;
mod origin;
mod pruning;
mod register_candidate;
mod report_behaviour;
mod report_equivocation;
mod report_finality_equivocation;
mod report_identity;
mod sinks;
mod statistical;
mod sybil;
mod withdraw_bond;

use crate::{mock::*, *};
use endo_traits::{
	BehaviourEvidence, BehaviourTrustSink, EvidenceError, IdentityEvidence, IdentityTrustSink,
	TrustLevel, TrustProvider,
};
use frame_support::assert_ok;
use sp_runtime::Perbill;

/// Registers `who` with its own keys and the least bond.
pub fn register(who: AccountId) {
	register_with(who, BOND);
}

/// Registers `who` with its own keys and `bond`.
pub fn register_with(who: AccountId, bond: u64) {
	assert_ok!(ProofOfTrust::register_candidate(
		RuntimeOrigin::signed(who),
		babe_key(who),
		grandpa_key(who),
		bond
	));
}

/// What the candidacy bond hold of `who` holds.
pub fn held(who: AccountId) -> u64 {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&RuntimeHoldReason::ProofOfTrust(HoldReason::CandidacyBond), &who)
}

/// `who`'s trust now (panics if not in the ledger).
pub fn trust(who: AccountId) -> Perbill {
	ProofOfTrust::trust_of(&who).unwrap()
}

/// The weight BABE would get for `who`'s trust now.
pub fn trust_weight(who: AccountId) -> u64 {
	endo_trust::consensus::authority_weight(trust(who))
}

/// The accounts of a pallet validator set.
pub fn accounts(set: &[Validator<AccountId>]) -> Vec<AccountId> {
	set.iter().map(|v| v.account).collect()
}

/// `(BABE key, weight)` of a pallet validator set, as BABE stores it.
pub fn babe_view(set: &[Validator<AccountId>]) -> Vec<(BabeId, u64)> {
	set.iter().map(|v| (v.babe.clone(), v.weight)).collect()
}

/// `(GRANDPA key, weight)` of a pallet validator set, as GRANDPA stores it.
pub fn grandpa_view(set: &[Validator<AccountId>]) -> Vec<(GrandpaId, u64)> {
	set.iter().map(|v| (v.grandpa.clone(), v.weight)).collect()
}
