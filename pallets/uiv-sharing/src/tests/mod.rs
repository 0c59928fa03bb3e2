//! Unit tests: one module per topic: registration (`register.rs`), opening a case
//! (`open_case.rs`), the rest of a case's lifecycle and the admin calls (`lifecycle.rs`),
//! trust-gated access (`access.rs`), the leak guard's traces, traps and leak reports
//! (`leak.rs`), the continuous logs and their proofs (`logs.rs`),
//! leaving with the deposits returned (`deregister.rs`), purging closed cases and pruning block
//! logs (`purge.rs`), storage migrations (`migrations.rs`) and the storage invariants
//! (`try_state.rs`). Every test runs in `mock::test`, which checks the storage
//! invariants at the end; bad input is tested with `assert_noop!`, which also checks that storage
//! did not change.

#![allow(clippy::unwrap_used)]

mod access;
mod deregister;
mod leak;
mod lifecycle;
mod logs;
mod migrations;
mod open_case;
mod purge;
mod register;
mod try_state;

use crate::{mock::*, types::*, *};
use endo_traits::BehaviourEvidence;
use endo_uiv::{
	case::DAY_MS, log::Hash, CvssV31, EntryKind, LogEntry, Severity, Version, VersionRange,
};
use frame_support::{assert_ok, pallet_prelude::DispatchResult, traits::ConstU32, BoundedVec};

/// The hash of the encrypted report of the tests' cases.
pub const REPORT: Hash = [0xab; 32];

/// A critical CVSS 3.1 base vector.
pub fn cvss() -> Severity {
	Severity::Cvss31(CvssV31::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap())
}

/// The versions `introduced <= v < fixed`.
pub fn range(introduced: &str, fixed: Option<&str>) -> VersionRange {
	VersionRange::new(
		Version::parse(introduced).unwrap(),
		fixed.map(|f| Version::parse(f).unwrap()),
	)
	.unwrap()
}

/// `[1.0, 2.0)`.
pub fn ranges() -> Ranges {
	vec![range("1.0", Some("2.0"))].try_into().unwrap()
}

/// The product list of a case: `(vendor, product index)` pairs, each `[1.0, 2.0)`.
pub fn products(
	list: &[(AccountId, u32)],
) -> BoundedVec<(AccountId, endo_uiv::ProductId, Ranges), ConstU32<MAX_PRODUCTS_PER_CASE>> {
	list.iter()
		.map(|(vendor, i)| (*vendor, product(*i), ranges()))
		.collect::<Vec<_>>()
		.try_into()
		.unwrap()
}

/// `opener` opens a case with [`TA`] about `list`.
pub fn try_open(opener: AccountId, list: &[(AccountId, u32)]) -> DispatchResult {
	Uiv::open_case(RuntimeOrigin::signed(opener), TA, products(list), cvss(), REPORT)
}

/// `opener` opens a case about `list`; its ID.
pub fn open(opener: AccountId, list: &[(AccountId, u32)]) -> CaseId {
	let id = NextCaseId::<Test>::get();
	assert_ok!(try_open(opener, list));
	id
}

/// [`VENDOR`] opens a case about its product 0.
pub fn vendor_case() -> CaseId {
	open(VENDOR, &[(VENDOR, 0)])
}

/// A vendor's case, assessed valid and accepted, with the first [`MAX_REQUESTERS`] SWs
/// invited: they may ask for it (the last SW is not invited).
pub fn accepted_case() -> CaseId {
	let id = vendor_case();
	assert_ok!(Uiv::assess_case(RuntimeOrigin::signed(TA), id, true));
	assert_ok!(Uiv::accept_case(RuntimeOrigin::signed(VENDOR), id));
	for sw in &SWS[..MAX_REQUESTERS as usize] {
		assert_ok!(Uiv::invite_worker(RuntimeOrigin::signed(VENDOR), id, *sw));
	}
	id
}

/// Sets the trust model to `constant_model(bias)`.
pub fn set_model(bias: i32) {
	assert_ok!(Uiv::set_trust_model(
		RuntimeOrigin::root(),
		constant_model(bias).try_into().unwrap()
	));
}

/// Case `id` (panics if it does not exist).
pub fn case(id: CaseId) -> Case<AccountId, u64> {
	Cases::<Test>::get(id).unwrap()
}

/// Case `id`'s log.
pub fn entries(id: CaseId) -> Vec<LogEntry> {
	Uiv::case_log(id, 0, u32::MAX)
}

/// The kinds of case `id`'s log entries.
pub fn kinds(id: CaseId) -> Vec<EntryKind> {
	entries(id).iter().map(|e| e.kind).collect()
}

/// An account's log bytes.
pub fn bytes(who: AccountId) -> [u8; 32] {
	Uiv::account_bytes(&who)
}

/// A URI.
pub fn uri(text: &str) -> Uri {
	text.as_bytes().to_vec().try_into().unwrap()
}

/// The behaviour evidence reported to the ledger so far.
pub fn evidence() -> Vec<(AccountId, BehaviourEvidence)> {
	EVIDENCE.with(|e| e.borrow().clone())
}

/// Participant `who` of case `id`.
pub fn participant(id: CaseId, who: AccountId) -> Option<Participant> {
	Participants::<Test>::get(id, who)
}

/// `days` days after [`NOON`].
pub fn noon_plus_days(days: u64) -> u64 {
	NOON + days * DAY_MS
}

/// The free balance of `who`.
pub fn free(who: AccountId) -> u64 {
	Balances::free_balance(who)
}

/// The deadline `days` days after a case opened at block 1, noon.
pub fn days_after_opening(days: u64) -> endo_uiv::Deadline {
	endo_uiv::Deadline {
		block: 1 + (days * DAY_MS).div_ceil(BLOCK_MS) as u32,
		utc_ms: noon_plus_days(days),
	}
}

/// Fixes every product of accepted case `id`, discloses it and closes it (the TA).
pub fn disclose_and_close(id: CaseId) {
	for (index, p) in case(id).products.clone().into_iter().enumerate() {
		let signed = RuntimeOrigin::signed(p.vendor);
		assert_ok!(Uiv::set_product_status(
			signed.clone(),
			id,
			index as u32,
			endo_uiv::ProductStatus::Affected
		));
		assert_ok!(Uiv::set_product_status(
			signed,
			id,
			index as u32,
			endo_uiv::ProductStatus::Fixed
		));
	}
	assert_ok!(Uiv::disclose(
		RuntimeOrigin::signed(TA),
		id,
		[0xcd; 32],
		uri("https://a.example/1")
	));
	assert_ok!(Uiv::close_case(RuntimeOrigin::signed(TA), id));
}
