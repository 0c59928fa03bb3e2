//! A test runtime: System, Timestamp, Balances and this pallet; a recording trust ledger; a
//! reporter origin that admits the accounts of [`REPORTERS`].

#![allow(clippy::unwrap_used)]

use crate as pallet_uiv_sharing;
use crate::*;
use core::cell::RefCell;
use endo_traits::{BehaviourEvidence, BehaviourTrustSink, EvidenceError};
use endo_trust::{Activation, Layer, TrustModel, Q32};
use endo_uiv::{access::AccessConfig, DisclosurePolicy};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, EnsureOrigin, Hooks},
};
use frame_system::RawOrigin;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		Uiv: pallet_uiv_sharing,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

thread_local! {
	/// Behaviour evidence the pallet reported, in order.
	pub static EVIDENCE: RefCell<Vec<(AccountId, BehaviourEvidence)>> = const { RefCell::new(Vec::new()) };
	/// Accounts enrolled in the ledger.
	pub static ENROLLED: RefCell<Vec<AccountId>> = const { RefCell::new(Vec::new()) };
}

/// A trust ledger that records what it is told; account 99 cannot be enrolled (full).
pub struct RecordingLedger;

impl BehaviourTrustSink<AccountId> for RecordingLedger {
	fn note_behaviour(who: &AccountId, evidence: BehaviourEvidence) -> Result<(), EvidenceError> {
		EVIDENCE.with(|e| e.borrow_mut().push((*who, evidence)));
		Ok(())
	}

	fn enrol(who: &AccountId) -> Result<(), EvidenceError> {
		if *who == 99 {
			return Err(EvidenceError::LedgerFull);
		}
		ENROLLED.with(|e| e.borrow_mut().push(*who));
		Ok(())
	}
}

/// The accounts that may report cases about others' products.
pub const REPORTERS: [AccountId; 2] = [30, 31];

/// Admits signed origins of [`REPORTERS`] (the runtime uses a trust level).
pub struct EnsureReporter;

impl EnsureOrigin<RuntimeOrigin> for EnsureReporter {
	type Success = AccountId;

	fn try_origin(origin: RuntimeOrigin) -> Result<AccountId, RuntimeOrigin> {
		let raw: Result<RawOrigin<AccountId>, RuntimeOrigin> = origin.into();
		match raw {
			Ok(RawOrigin::Signed(who)) if REPORTERS.contains(&who) => Ok(who),
			Ok(other) => Err(other.into()),
			Err(origin) => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<RuntimeOrigin, ()> {
		Ok(RawOrigin::Signed(REPORTERS[0]).into())
	}
}

pub const BLOCK_MS: u64 = 6_000;
pub const CYCLE: u32 = 100;
pub const MAX_PARTICIPANTS: u32 = 6;
pub const MAX_REQUESTERS: u32 = 5;
pub const MAX_REQUESTS: u32 = 4;
pub const MAX_CASE_LOG: u32 = 40;
pub const MAX_BLOCK_LOG: u32 = 64;
pub const VENDOR_DEPOSIT: u64 = 50;
pub const PRODUCT_DEPOSIT: u64 = 5;
pub const WORKER_DEPOSIT: u64 = 20;
pub const CASE_DEPOSIT: u64 = 100;
pub const RETENTION: u64 = 50;
pub const MAX_PURGE: u32 = 8;
pub const MAX_LEAKS: u32 = 3;

parameter_types! {
	pub Policy: DisclosurePolicy = DisclosurePolicy::default();
	pub Access: AccessConfig = AccessConfig::default();
	pub const WorkingHours: (u8, u8) = (8, 18);
}

impl pallet_uiv_sharing::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Time = Timestamp;
	type Evidence = RecordingLedger;
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type ReporterOrigin = EnsureReporter;
	type VendorDeposit = ConstU64<VENDOR_DEPOSIT>;
	type ProductDeposit = ConstU64<PRODUCT_DEPOSIT>;
	type WorkerDeposit = ConstU64<WORKER_DEPOSIT>;
	type CaseDeposit = ConstU64<CASE_DEPOSIT>;
	type Policy = Policy;
	type AccessConfig = Access;
	type ExpectedBlockTime = ConstU64<BLOCK_MS>;
	type CycleLength = ConstU32<CYCLE>;
	type WorkingHours = WorkingHours;
	type MaxAuthorities = ConstU32<3>;
	type MaxProductsPerVendor = ConstU32<3>;
	type MaxParticipants = ConstU32<MAX_PARTICIPANTS>;
	type MaxRequestersPerCase = ConstU32<MAX_REQUESTERS>;
	type MaxRequestsPerCycle = ConstU32<MAX_REQUESTS>;
	type MaxLogEntriesPerCase = ConstU32<MAX_CASE_LOG>;
	type MaxLogEntriesPerBlock = ConstU32<MAX_BLOCK_LOG>;
	type CaseRetention = ConstU64<RETENTION>;
	type MaxPurgePerCall = ConstU32<MAX_PURGE>;
	type MaxLeaksPerTrace = ConstU32<MAX_LEAKS>;
	type WeightInfo = ();
}

/// The TA of the tests.
pub const TA: AccountId = 1;
/// A vendor with products [`product`]`(0)` and `product(1)`.
pub const VENDOR: AccountId = 10;
/// Another vendor with product `product(2)`.
pub const OTHER_VENDOR: AccountId = 11;
/// Registered SWs.
pub const SWS: [AccountId; 6] = [20, 21, 22, 23, 24, 25];
/// Noon, 2026-11-30 UTC (inside working hours), in ms.
pub const NOON: u64 = 1_796_040_000_000;

/// A model whose output is `sigmoid(k * beta_trust + b)`: the FNN follows the beta feature.
pub fn beta_model(k: i32, b: i32) -> TrustModel {
	let mut weights = vec![Q32::ZERO; endo_trust::FEATURE_COUNT];
	weights[endo_uiv::access::index::BETA_TRUST] = Q32::from_int(k);
	let layer = Layer::new(11, 1, Activation::Sigmoid, weights, vec![Q32::from_int(b)]).unwrap();
	TrustModel::new(vec![], vec![layer]).unwrap()
}

/// A model with the constant output `sigmoid(b)`: 6 -> R1 (granted), 0 -> R3 (deferred),
/// -6 -> R2 (refused) for a fresh SW.
pub fn constant_model(b: i32) -> Vec<u8> {
	use codec::Encode;
	beta_model(0, b).encode()
}

/// Product `i`'s package URL.
pub fn product(i: u32) -> endo_uiv::ProductId {
	endo_uiv::ProductId::new(&format!("pkg:generic/acme/plc-{i}")).unwrap()
}

pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut t = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=60).map(|a| (a, 1_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut t)
	.unwrap();
	pallet_uiv_sharing::GenesisConfig::<Test> {
		authorities: vec![(TA, [7; 32], b"ws://127.0.0.1:9944".to_vec())],
		trust_model: constant_model(6),
	}
	.assimilate_storage(&mut t)
	.unwrap();
	t.into()
}

/// Runs `test` at block 1 (noon) with a vendor, its products and the SWs registered, then
/// checks the storage invariants.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		EVIDENCE.with(|e| e.borrow_mut().clear());
		ENROLLED.with(|e| e.borrow_mut().clear());
		go_to(1, NOON);
		frame_support::assert_ok!(Uiv::register_vendor(
			RuntimeOrigin::signed(VENDOR),
			b"Acme".to_vec().try_into().unwrap()
		));
		frame_support::assert_ok!(Uiv::register_vendor(
			RuntimeOrigin::signed(OTHER_VENDOR),
			b"Other".to_vec().try_into().unwrap()
		));
		for (vendor, i) in [(VENDOR, 0), (VENDOR, 1), (OTHER_VENDOR, 2)] {
			frame_support::assert_ok!(Uiv::register_product(
				RuntimeOrigin::signed(vendor),
				product(i),
				b"PLC".to_vec().try_into().unwrap()
			));
		}
		for sw in SWS {
			frame_support::assert_ok!(Uiv::register_worker(RuntimeOrigin::signed(sw)));
		}
		System::reset_events();
		test();
		Uiv::do_try_state().expect("storage invariants hold");
	});
}

/// Ends the current block and starts block `n` at UTC `utc_ms`.
pub fn go_to(n: u64, utc_ms: u64) {
	let now = System::block_number();
	if now > 0 {
		Uiv::on_finalize(now);
	}
	System::set_block_number(n);
	Timestamp::set_timestamp(utc_ms);
	Uiv::on_initialize(n);
}

/// Ends the current block (its log root is computed).
pub fn finish_block() {
	Uiv::on_finalize(System::block_number());
}

pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Uiv(e) => Some(e),
			_ => None,
		})
		.collect()
}

pub fn emitted(event: Event<Test>) -> bool {
	events().contains(&event)
}

/// What `who` has on hold for `reason`.
pub fn held(reason: HoldReason, who: AccountId) -> u64 {
	use frame_support::traits::fungible::InspectHold;
	Balances::balance_on_hold(&RuntimeHoldReason::Uiv(reason), &who)
}
