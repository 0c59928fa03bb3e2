//! Test runtime: frame-system, timestamp, balances, BABE, GRANDPA and this pallet, with BABE's
//! epoch changes going through the pallet's own trigger
//! (`crate::epoch_change::TrustWeightedEpochChange`, the one the Endochain runtime sets), an
//! evidence origin that allows some kinds to some origins, and a device registry the tests
//! fill.

#![allow(clippy::unwrap_used)]

use crate as pallet_proof_of_trust;
use crate::*;
use codec::Encode;
use core::cell::RefCell;
use endo_traits::{DeviceIdentityInspect, TrustLevel};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, EnsureOriginWithArg, Get, Hooks},
};
use frame_system::pallet_prelude::HeaderFor;
use sp_consensus_babe::{
	digests::{PreDigest, PrimaryPreDigest, SecondaryPlainPreDigest},
	AllowedSlots, AuthorityPair as BabePair, BabeEpochConfiguration, VrfSignature, BABE_ENGINE_ID,
};
use sp_core::{
	crypto::{Pair, VrfSecret},
	ed25519, U256,
};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{traits::Header as _, BuildStorage, Digest, DigestItem};
use std::collections::{BTreeMap, BTreeSet};

type Block = frame_system::mocking::MockBlock<Test>;
/// Account IDs of the test runtime.
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Balances: pallet_balances,
		Babe: pallet_babe,
		Grandpa: pallet_grandpa,
		ProofOfTrust: pallet_proof_of_trust,
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
	type OnTimestampSet = Babe;
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

/// Slots per epoch in the mock.
pub const EPOCH: u64 = 20;
/// BABE's `c` in the mock (as the runtime's).
pub const C: (u64, u64) = (1, 4);

impl pallet_babe::Config for Test {
	type EpochDuration = ConstU64<EPOCH>;
	type ExpectedBlockTime = ConstU64<2>;
	/// The trigger of `crate::epoch_change`, with this pallet as the source (as in the runtime).
	type EpochChangeTrigger = crate::epoch_change::TrustWeightedEpochChange<ProofOfTrust>;
	type DisabledValidators = ();
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<10>;
	type MaxNominators = ConstU32<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_grandpa::Config for Test {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<10>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

/// Transactions the pallet creates (the node's own equivocation reports).
impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = frame_system::mocking::MockUncheckedExtrinsic<Test>;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> frame_system::offchain::CreateTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = ();

	fn create_transaction(call: RuntimeCall, extension: ()) -> Self::Extrinsic {
		frame_system::mocking::MockUncheckedExtrinsic::<Test>::new_transaction(call, extension)
	}
}

impl<LocalCall> frame_system::offchain::CreateAuthorizedTransaction<LocalCall> for Test
where
	RuntimeCall: From<LocalCall>,
{
	fn create_extension() -> Self::Extension {}
}

/// May report the kinds a UIV-sharing or immune-memory pallet would: cooperation, failed
/// verifications, leaks, rejected models.
pub const REPORTER: AccountId = 900;
/// May report nothing.
pub const STRANGER: AccountId = 901;
/// Has too little balance for the bond.
pub const POOR: AccountId = 902;

/// Root may report everything, [`REPORTER`] some kinds, nobody else anything.
pub struct TestEvidenceOrigin;
impl EnsureOriginWithArg<RuntimeOrigin, EvidenceKind> for TestEvidenceOrigin {
	type Success = ();

	fn try_origin(origin: RuntimeOrigin, kind: &EvidenceKind) -> Result<(), RuntimeOrigin> {
		match origin.clone().into() {
			Ok(frame_system::RawOrigin::Root) => Ok(()),
			Ok(frame_system::RawOrigin::Signed(REPORTER))
				if matches!(
					kind,
					EvidenceKind::Cooperation
						| EvidenceKind::VerificationFailure
						| EvidenceKind::Leak
						| EvidenceKind::ModelRejection
				) =>
			{
				Ok(())
			}
			_ => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin(_: &EvidenceKind) -> Result<RuntimeOrigin, ()> {
		Ok(RuntimeOrigin::root())
	}
}

thread_local! {
	static DEVICE_OF: RefCell<BTreeMap<AccountId, DeviceId>> = const { RefCell::new(BTreeMap::new()) };
	static AUTHENTICATED: RefCell<BTreeSet<DeviceId>> = const { RefCell::new(BTreeSet::new()) };
	static REQUIRE_IDENTITY: RefCell<bool> = const { RefCell::new(false) };
	static NEXT_SLOT: RefCell<u64> = const { RefCell::new(1) };
	static ADMISSION: RefCell<AdmissionMode> = const { RefCell::new(AdmissionMode::Staked) };
}

/// Runs `test` on a chain whose genesis sets admission `mode` (the default mock is staked).
pub fn test_admission(mode: AdmissionMode, test: impl FnOnce()) {
	ADMISSION.with(|a| *a.borrow_mut() = mode);
	test_with(&GENESIS, test);
	ADMISSION.with(|a| *a.borrow_mut() = AdmissionMode::Staked);
}

/// A device registry the tests fill.
pub struct TestIdentity;
impl DeviceIdentityInspect<AccountId> for TestIdentity {
	fn is_authenticated(device: &DeviceId) -> bool {
		AUTHENTICATED.with(|a| a.borrow().contains(device))
	}
	fn device_of(controller: &AccountId) -> Option<DeviceId> {
		DEVICE_OF.with(|d| d.borrow().get(controller).copied())
	}
	fn quarantine(_: &DeviceId) -> Result<(), ()> {
		Err(())
	}
}

/// Binds `device` to `controller`, authenticated or not.
pub fn bind_device(controller: AccountId, device: DeviceId, authenticated: bool) {
	DEVICE_OF.with(|d| d.borrow_mut().insert(controller, device));
	AUTHENTICATED.with(|a| {
		if authenticated {
			a.borrow_mut().insert(device);
		} else {
			a.borrow_mut().remove(&device);
		}
	});
}

/// Whether candidates need an authenticated identity (switchable per test).
pub struct RequireIdentity;
impl Get<bool> for RequireIdentity {
	fn get() -> bool {
		REQUIRE_IDENTITY.with(|r| *r.borrow())
	}
}

/// Switches [`RequireIdentity`].
pub fn require_identity(on: bool) {
	REQUIRE_IDENTITY.with(|r| *r.borrow_mut() = on);
}

parameter_types! {
	pub const MinAuthorityLevel: TrustLevel = TrustLevel::Moderate;
	pub Params: TrustParams = TrustParams::default();
	pub const Weights: EvidenceWeights = EvidenceWeights::DEFAULT;
	pub const RecentShare: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(10);
	pub const EquivocationSlash: sp_runtime::Perbill = sp_runtime::Perbill::from_percent(50);
}

/// The least bond of the mock.
pub const BOND: u64 = 100;
/// The bond that earns full weight (staked admission); founding validators hold it.
pub const FULL_BOND: u64 = 400;
/// Candidates (and unbonding accounts) at most.
pub const MAX_CANDIDATES: u32 = 32;
/// Ledger accounts at most.
pub const MAX_SUBJECTS: u32 = 40;
/// Epochs a validator counts as recently admitted.
pub const RECENT_EPOCHS: u32 = 30;
/// Newcomers admitted per selection at most.
pub const MAX_NEWCOMERS: u32 = 2;
/// Epochs a bond stays held after its validator left the sets.
pub const UNBONDING_EPOCHS: u32 = 3;
/// Ledger devices at most.
pub const MAX_DEVICES: u32 = 3;
/// Validators per set at most.
pub const MAX_VALIDATORS: u32 = 10;
/// Empty slots attributed per block at most.
pub const MAX_MISSED: u32 = 8;

impl Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CandidateBond = ConstU64<BOND>;
	type FullWeightBond = ConstU64<FULL_BOND>;
	type AdminOrigin = frame_system::EnsureRoot<AccountId>;
	type RecentAdmissionEpochs = ConstU32<RECENT_EPOCHS>;
	type MaxRecentWeightShare = RecentShare;
	type MaxNewcomersPerEpoch = ConstU32<MAX_NEWCOMERS>;
	type UnbondingEpochs = ConstU32<UNBONDING_EPOCHS>;
	type EquivocationSlash = EquivocationSlash;
	type PruneBelowUnits = ConstU64<{ pallet_proof_of_trust::EVIDENCE_UNIT / 100 }>;
	type LedgerRetentionEpochs = ConstU32<100>;
	type MaxPrunePerBlock = ConstU32<4>;
	type EvidenceOrigin = TestEvidenceOrigin;
	type Identity = TestIdentity;
	type RequireAuthenticatedIdentity = RequireIdentity;
	type TrustParams = Params;
	type EvidenceWeights = Weights;
	type MinAuthorityLevel = MinAuthorityLevel;
	type MaxCandidates = ConstU32<MAX_CANDIDATES>;
	type MaxValidators = ConstU32<MAX_VALIDATORS>;
	type MinValidators = ConstU32<1>;
	type MaxSubjects = ConstU32<MAX_SUBJECTS>;
	type MaxDevices = ConstU32<MAX_DEVICES>;
	type LivenessWindow = ConstU32<1>;
	type MaxMissedSlotsPerBlock = ConstU32<MAX_MISSED>;
	type FinalityChangeDelay = ConstU64<0>;
	type WeightInfo = ();
}

/// The BABE key pair of validator account `who` (seeded by the account).
pub fn babe_pair(who: AccountId) -> BabePair {
	BabePair::from_seed(&U256::from(who).to_little_endian())
}

/// The BABE key of account `who`.
pub fn babe_key(who: AccountId) -> BabeId {
	babe_pair(who).public()
}

/// The GRANDPA key of account `who`.
pub fn grandpa_key(who: AccountId) -> GrandpaId {
	GrandpaId::from(ed25519::Pair::from_seed(&U256::from(who).to_little_endian()).public())
}

/// The default genesis validators: accounts 1-4 with 10, 8, 6 and 4 good events.
pub const GENESIS: [(AccountId, u32); 4] = [(1, 10), (2, 8), (3, 6), (4, 4)];

/// Externalities with `validators` at genesis, at block 0.
pub fn new_test_ext(validators: &[(AccountId, u32)]) -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	let mut balances: Vec<(AccountId, u64)> = (1..=60).map(|a| (a, 1_000)).collect();
	balances.extend([(REPORTER, 1_000), (STRANGER, 1_000), (POOR, 10)]);
	pallet_balances::GenesisConfig::<Test> { balances, ..Default::default() }
		.assimilate_storage(&mut storage)
		.unwrap();
	pallet_babe::GenesisConfig::<Test> {
		authorities: validators.iter().map(|(a, _)| (babe_key(*a), 1)).collect(),
		epoch_config: BabeEpochConfiguration {
			c: C,
			allowed_slots: AllowedSlots::PrimaryAndSecondaryPlainSlots,
		},
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_grandpa::GenesisConfig::<Test> {
		authorities: validators.iter().map(|(a, _)| (grandpa_key(*a), 1)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_proof_of_trust::GenesisConfig::<Test> {
		candidates: validators
			.iter()
			.map(|(a, good)| (*a, babe_key(*a), grandpa_key(*a), *good, FULL_BOND))
			.collect(),
		admission: ADMISSION.with(|a| *a.borrow()),
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(KeystoreExt(std::sync::Arc::new(MemoryKeystore::new())));
	ext
}

/// Runs `test` with the [`GENESIS`] validators after block 1 (slot 1), then checks the storage
/// invariants.
pub fn test(test: impl FnOnce()) {
	test_with(&GENESIS, test)
}

/// [`test`] with other genesis validators.
pub fn test_with(validators: &[(AccountId, u32)], test: impl FnOnce()) {
	new_test_ext(validators).execute_with(|| {
		DEVICE_OF.with(|d| d.borrow_mut().clear());
		AUTHENTICATED.with(|a| a.borrow_mut().clear());
		require_identity(false);
		NEXT_SLOT.with(|n| *n.borrow_mut() = 1);
		produce_block(1, Author::Secondary(0));
		test();
		ProofOfTrust::do_try_state().expect("storage invariants hold");
	});
}

/// How a block's author claims its slot.
#[derive(Clone, Copy, Debug)]
pub enum Author {
	/// Secondary (plain) slot of authority `index`.
	Secondary(u32),
	/// Primary slot of authority `index` (with a real VRF signature).
	Primary(u32),
}

/// Finishes the current block (if any) and starts block `n + 1` at `slot`, authored as given.
pub fn produce_block(slot: u64, author: Author) {
	let now = System::block_number();
	if now > 0 {
		finish_block();
	}
	let parent = if now > 0 { System::finalize().hash() } else { System::parent_hash() };
	let pre_digest = match author {
		Author::Secondary(authority_index) => PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
			authority_index,
			slot: slot.into(),
		}),
		Author::Primary(authority_index) => PreDigest::Primary(PrimaryPreDigest {
			authority_index,
			slot: slot.into(),
			vrf_signature: vrf_signature(authority_index, slot),
		}),
	};
	let digest = Digest { logs: vec![DigestItem::PreRuntime(BABE_ENGINE_ID, pre_digest.encode())] };
	NEXT_SLOT.with(|n| *n.borrow_mut() = slot + 1);
	System::reset_events();
	System::initialize(&(now + 1), &parent, &digest);
	Babe::on_initialize(now + 1);
	Grandpa::on_initialize(now + 1);
	ProofOfTrust::on_initialize(now + 1);
}

/// Runs the `on_finalize` hooks of the current block.
pub fn finish_block() {
	let now = System::block_number();
	Babe::on_finalize(now);
	Grandpa::on_finalize(now);
	ProofOfTrust::on_finalize(now);
}

/// A VRF signature of the authority at `index` (in the set current after this block's epoch
/// change, if any) for `slot`.
fn vrf_signature(index: u32, slot: u64) -> VrfSignature {
	let (epoch, randomness, authorities) = upcoming_epoch(slot);
	let key = &authorities[index as usize];
	let pair = pair_of(key);
	let transcript = sp_consensus_babe::make_vrf_transcript(&randomness, slot.into(), epoch);
	pair.as_ref().vrf_sign(&transcript.into())
}

fn pair_of(key: &BabeId) -> BabePair {
	(0..=1_000u64).map(babe_pair).find(|p| p.public() == *key).expect("a test key")
}

/// Epoch index, randomness and BABE authorities that a block at `slot` will use (after the
/// epoch change it may trigger).
pub fn upcoming_epoch(slot: u64) -> (u64, [u8; 32], Vec<BabeId>) {
	let genesis = u64::from(pallet_babe::GenesisSlot::<Test>::get());
	let keys = |set: Vec<(BabeId, u64)>| set.into_iter().map(|(k, _)| k).collect::<Vec<_>>();
	if genesis == 0 {
		return (
			0,
			pallet_babe::Randomness::<Test>::get(),
			keys(pallet_babe::Authorities::<Test>::get().to_vec()),
		);
	}
	let start = u64::from(pallet_babe::Pallet::<Test>::current_epoch_start());
	if slot >= start + EPOCH && System::block_number() >= 1 {
		let epoch = sp_consensus_babe::epoch_index(slot.into(), genesis.into(), EPOCH);
		(
			epoch,
			pallet_babe::NextRandomness::<Test>::get(),
			keys(pallet_babe::NextAuthorities::<Test>::get().to_vec()),
		)
	} else {
		(
			pallet_babe::EpochIndex::<Test>::get(),
			pallet_babe::Randomness::<Test>::get(),
			keys(pallet_babe::Authorities::<Test>::get().to_vec()),
		)
	}
}

/// The secondary author BABE assigns to `slot`, computed as the node does
/// (`sc_consensus_babe::authorship::secondary_slot_author`, with `sp_core::U256`).
pub fn secondary_author(slot: u64) -> (u32, BabeId) {
	let (_, randomness, authorities) = upcoming_epoch(slot);
	let hash =
		(randomness, sp_consensus_babe::Slot::from(slot)).using_encoded(sp_io::hashing::blake2_256);
	let index = U256::from_big_endian(&hash) % U256::from(authorities.len());
	let index = index.as_u32();
	(index, authorities[index as usize].clone())
}

/// The next slot (after the last block produced or slot left empty).
pub fn next_slot() -> u64 {
	NEXT_SLOT.with(|n| *n.borrow())
}

/// Produces blocks in the next `slots` slots; a slot whose secondary author is in `offline`
/// stays empty. Every block is a secondary block of the slot's secondary author.
pub fn run_slots(slots: u64, offline: &[AccountId]) {
	let offline: Vec<BabeId> = offline.iter().map(|a| babe_key(*a)).collect();
	let first = next_slot();
	for slot in first..first + slots {
		let (index, key) = secondary_author(slot);
		if !offline.contains(&key) {
			produce_block(slot, Author::Secondary(index));
		}
	}
	NEXT_SLOT.with(|n| *n.borrow_mut() = first + slots);
}

/// Produces blocks up to and including the first block of the next epoch (the epoch change),
/// with `offline` validators silent.
pub fn run_to_next_epoch(offline: &[AccountId]) {
	let epoch = pallet_babe::EpochIndex::<Test>::get();
	let mut guard = 0;
	while pallet_babe::EpochIndex::<Test>::get() == epoch {
		run_slots(1, offline);
		guard += 1;
		assert!(guard < 10 * EPOCH, "no epoch change: everyone offline?");
	}
}

/// The events of this pallet so far (in this block: `produce_block` resets them).
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::ProofOfTrust(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// Whether `event` was emitted in the current block.
pub fn emitted(event: Event<Test>) -> bool {
	events().contains(&event)
}

/// BABE's current authorities with weights.
pub fn babe_authorities() -> Vec<(BabeId, u64)> {
	pallet_babe::Authorities::<Test>::get().to_vec()
}

/// BABE's announced authorities with weights.
pub fn babe_next_authorities() -> Vec<(BabeId, u64)> {
	pallet_babe::NextAuthorities::<Test>::get().to_vec()
}

/// GRANDPA's current authorities with weights.
pub fn grandpa_authorities() -> Vec<(GrandpaId, u64)> {
	pallet_grandpa::Pallet::<Test>::grandpa_authorities()
}

/// A header of block `number` whose BABE pre-digest claims `slot` for authority `index`, sealed
/// with `signer`'s key.
pub fn sealed_header(number: u64, index: u32, slot: u64, signer: AccountId) -> HeaderFor<Test> {
	use sp_consensus_babe::digests::CompatibleDigestItem;
	let pre_digest = PreDigest::SecondaryPlain(SecondaryPlainPreDigest {
		authority_index: index,
		slot: slot.into(),
	});
	let digest = Digest { logs: vec![DigestItem::PreRuntime(BABE_ENGINE_ID, pre_digest.encode())] };
	let mut header = HeaderFor::<Test>::new(
		number,
		Default::default(),
		Default::default(),
		Default::default(),
		digest,
	);
	let seal = babe_pair(signer).sign(header.hash().as_ref());
	header.digest_mut().push(<DigestItem as CompatibleDigestItem>::babe_seal(seal));
	header
}

/// A BABE equivocation proof: two different headers for `slot`, both sealed by `signer`,
/// naming `offender`.
pub fn equivocation_proof(
	offender: AccountId,
	index: u32,
	slot: u64,
	signer: AccountId,
) -> Box<sp_consensus_babe::EquivocationProof<HeaderFor<Test>>> {
	Box::new(sp_consensus_babe::EquivocationProof {
		offender: babe_key(offender),
		slot: slot.into(),
		first_header: sealed_header(10, index, slot, signer),
		second_header: sealed_header(11, index, slot, signer),
	})
}

/// A GRANDPA prevote equivocation by `who` (its mock key) in `round` of set `set_id`: votes
/// for blocks `targets.0` and `targets.1`, both signed.
pub fn finality_equivocation(
	who: AccountId,
	set_id: u64,
	round: u64,
	targets: (u64, u64),
) -> Box<sp_consensus_grandpa::EquivocationProof<sp_core::H256, u64>> {
	finality_equivocation_signed_for(who, set_id, set_id, round, targets)
}

/// As [`finality_equivocation`], claiming set `set_id` but signed for set `signed_set`.
pub fn finality_equivocation_signed_for(
	who: AccountId,
	set_id: u64,
	signed_set: u64,
	round: u64,
	targets: (u64, u64),
) -> Box<sp_consensus_grandpa::EquivocationProof<sp_core::H256, u64>> {
	let pair = ed25519::Pair::from_seed(&U256::from(who).to_little_endian());
	let vote = |n: u64| {
		let prevote = finality_grandpa::Prevote {
			target_hash: sp_core::H256::repeat_byte(n as u8),
			target_number: n,
		};
		let payload = sp_consensus_grandpa::localized_payload(
			round,
			signed_set,
			&finality_grandpa::Message::Prevote(prevote.clone()),
		);
		(prevote, sp_consensus_grandpa::AuthoritySignature::from(pair.sign(&payload)))
	};
	Box::new(sp_consensus_grandpa::EquivocationProof::new(
		set_id,
		sp_consensus_grandpa::Equivocation::Prevote(finality_grandpa::Equivocation {
			round_number: round,
			identity: grandpa_key(who),
			first: vote(targets.0),
			second: vote(targets.1),
		}),
	))
}
