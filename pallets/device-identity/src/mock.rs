//! Test runtime: `frame_system`, balances (for the attestation deposits) and this pallet, with a trust table for proxy nodes, a recorder
//! for identity-trust evidence, a keystore for CA keys, and numbered accounts that sign their
//! consent with real sr25519 keys ([`MockSignature`]).

use crate as pallet_device_identity;
use crate::*;
use codec::Encode;
use codec::{Decode, DecodeWithMemTracking, MaxEncodedLen};
use core::cell::RefCell;
use endo_traits::{IdentityEvidence, IdentityTrustSink, TrustLevel, TrustProvider};
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64, Randomness},
};
use frame_system::EnsureRoot;
use scale_info::TypeInfo;
use sp_core::{sr25519, Pair, H256};
use sp_keystore::{testing::MemoryKeystore, KeystoreExt};
use sp_runtime::{
	testing::{TestSignature, UintAuthorityId},
	traits::{Lazy, Verify},
	BuildStorage, Perbill,
};
use std::{collections::BTreeMap, sync::Arc};

type Block = frame_system::mocking::MockBlock<Test>;
/// Account IDs of the test runtime.
pub type AccountId = u64;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		DeviceIdentity: pallet_device_identity,
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

thread_local! {
	static TRUST: RefCell<BTreeMap<AccountId, TrustLevel>> = const { RefCell::new(BTreeMap::new()) };
	static VALIDATORS: RefCell<Vec<AccountId>> = const { RefCell::new(Vec::new()) };
	static EVIDENCE: RefCell<Vec<(DeviceId, Option<AccountId>, IdentityEvidence)>> =
		const { RefCell::new(Vec::new()) };
}

/// Trust levels set by the tests (`set_trust`), unknown accounts untrusted; the validator set
/// set by the tests (`set_validators`), empty by default.
pub struct MockTrust;
impl TrustProvider<AccountId> for MockTrust {
	fn trust_level(who: &AccountId) -> TrustLevel {
		TRUST.with(|t| t.borrow().get(who).copied().unwrap_or(TrustLevel::Untrusted))
	}

	fn is_validator(who: &AccountId) -> bool {
		VALIDATORS.with(|v| v.borrow().contains(who))
	}

	fn validator_count() -> u32 {
		VALIDATORS.with(|v| v.borrow().len() as u32)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn set_trust_level(who: &AccountId, level: TrustLevel) {
		set_trust(*who, level);
	}
}

/// Gives `who` a trust level.
pub fn set_trust(who: AccountId, level: TrustLevel) {
	TRUST.with(|t| t.borrow_mut().insert(who, level));
}

/// Makes `validators` the current validator set.
pub fn set_validators(validators: impl IntoIterator<Item = AccountId>) {
	VALIDATORS.with(|v| *v.borrow_mut() = validators.into_iter().collect());
}

/// Records every piece of identity-trust evidence.
pub struct MockEvidence;
impl IdentityTrustSink<AccountId> for MockEvidence {
	fn note_identity_evidence(
		device: &DeviceId,
		controller: Option<&AccountId>,
		evidence: IdentityEvidence,
	) {
		EVIDENCE.with(|e| e.borrow_mut().push((*device, controller.copied(), evidence)));
	}
}

/// The evidence recorded so far (and clears it).
pub fn take_evidence() -> Vec<(DeviceId, Option<AccountId>, IdentityEvidence)> {
	EVIDENCE.with(|e| core::mem::take(&mut *e.borrow_mut()))
}

/// Randomness that changes with the block number and the subject.
pub struct TestRandomness;
impl Randomness<H256, u64> for TestRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let block = System::block_number();
		(H256(sp_io::hashing::blake2_256(&(subject, block).encode())), block)
	}
}

/// The sr25519 key of test account `who` (derived from the number, so tests and benchmarks can
/// sign for any account).
pub fn account_pair(who: AccountId) -> sr25519::Pair {
	sr25519::Pair::from_seed(&sp_io::hashing::blake2_256(&(b"mock-account", who).encode()))
}

/// A consent signature of the mock: a real sr25519 signature, verified with the key of the
/// account it is checked against ([`account_pair`]), so a signature by another account, or of
/// another message, fails as `MultiSignature` does in the runtime.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct MockSignature(pub sr25519::Signature);

impl Verify for MockSignature {
	type Signer = UintAuthorityId;

	fn verify<L: Lazy<[u8]>>(&self, mut message: L, signer: &AccountId) -> bool {
		sp_io::crypto::sr25519_verify(&self.0, message.get(), &account_pair(*signer).public())
	}
}

/// `who`'s signature of `message`.
pub fn sign(who: AccountId, message: &[u8]) -> MockSignature {
	MockSignature(account_pair(who).sign(message))
}

/// Controller accounts of the benchmarks: `1000 + seed`.
#[cfg(feature = "runtime-benchmarks")]
pub struct MockBenchmarkHelper;
#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<AccountId, MockSignature> for MockBenchmarkHelper {
	fn sign_consent(seed: u32, message: &[u8]) -> (AccountId, MockSignature) {
		let who = 1_000 + AccountId::from(seed);
		(who, sign(who, message))
	}
}

parameter_types! {
	pub const MinProxyTrust: TrustLevel = TrustLevel::High;
	pub const MinValidatorProxyTrust: TrustLevel = TrustLevel::Moderate;
	pub const AttestationQuorum: Perbill = Perbill::from_percent(34);
}

/// Epoch length of the mock.
pub const EPOCH: u64 = 10;
/// Whitelist TTL of the mock.
pub const TTL: u64 = 20;
/// Registration timeout of the mock.
pub const TIMEOUT: u64 = 15;
/// Epochs a record that can never be used again is kept, in the mock.
pub const TOMBSTONE_RETENTION: u32 = 2;
/// The largest attestation threshold of the mock.
pub const MAX_ATTESTATION_VOTERS: u32 = 5;
/// Attestations per proxy and epoch in the mock.
pub const MAX_ATTESTATIONS_PER_PROXY: u32 = 4;
/// Attestations per epoch in the mock: `2 * 10 <= MaxPrunePerBlock (2) * EPOCH (10)`.
pub const MAX_ATTESTATIONS_PER_EPOCH: u32 = 10;
/// What a vote that does not settle its statement holds, in the mock.
pub const DEPOSIT: u64 = 10;
/// The balance of every proxy node of the tests: enough for the quota's deposits.
pub const PROXY_BALANCE: u64 = 1_000;

impl Config for Test {
	type AdminOrigin = EnsureRoot<AccountId>;
	type Randomness = TestRandomness;
	type Trust = MockTrust;
	type IdentityTrust = MockEvidence;
	type MinProxyTrust = MinProxyTrust;
	type MinValidatorProxyTrust = MinValidatorProxyTrust;
	type AttestationQuorum = AttestationQuorum;
	type MinAttestations = ConstU32<2>;
	type MaxAttestationVoters = ConstU32<MAX_ATTESTATION_VOTERS>;
	type MaxAttestationsPerProxy = ConstU32<MAX_ATTESTATIONS_PER_PROXY>;
	type MaxAttestationsPerEpoch = ConstU32<MAX_ATTESTATIONS_PER_EPOCH>;
	type EpochLength = ConstU64<EPOCH>;
	type MaxStrikes = ConstU32<3>;
	type MaxAuthorities = ConstU32<8>;
	type MaxDevices = ConstU32<50>;
	type TombstoneRetention = ConstU32<TOMBSTONE_RETENTION>;
	type MaxPendingRegistrations = ConstU32<4>;
	type RegistrationTimeout = ConstU64<TIMEOUT>;
	type MaxRegistrationsPerBlock = ConstU32<3>;
	type MaxSweepPerBlock = ConstU32<5>;
	type WhitelistTtl = ConstU64<TTL>;
	type MaxWhitelistPerDevice = ConstU32<3>;
	type MaxPrunePerBlock = ConstU32<2>;
	type MaxBatchSize = ConstU32<8>;
	type ControllerSignature = MockSignature;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockBenchmarkHelper;
	type UnsignedPriority = ConstU64<100>;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AttestationDeposit = ConstU64<DEPOSIT>;
	type ProxyKey = UintAuthorityId;
	type ProxySignature = TestSignature;
	type WeightInfo = ();
}

/// Registers proxy key `UintAuthorityId(who)` for account `who` (what `set_proxy_key` does,
/// without its checks, as the genesis does).
pub fn register_proxy_key(who: AccountId) {
	crate::pallet::pallet::ProxyKeyOwner::<Test>::insert(UintAuthorityId(who), who);
	crate::pallet::pallet::ProxyKeyOf::<Test>::insert(who, UintAuthorityId(who));
}

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

/// Proxy nodes of the tests (trust `High`).
pub const PROXY_A: AccountId = 101;
/// Second proxy node.
pub const PROXY_B: AccountId = 102;
/// Third proxy node.
pub const PROXY_C: AccountId = 103;
/// An account below the proxy trust level (`Moderate`).
pub const NOT_PROXY: AccountId = 104;
/// A proxy node (trust `High`) without the funds for a deposit.
pub const POOR_PROXY: AccountId = 105;

/// The accounts the genesis funds with [`PROXY_BALANCE`]: the proxies, [`NOT_PROXY`], and the
/// extra proxies (`201..=220`) and validators (`300`, `1000..1100`) of the tests.
fn funded() -> impl Iterator<Item = AccountId> {
	[PROXY_A, PROXY_B, PROXY_C, NOT_PROXY, 300].into_iter().chain(201..=220).chain(1_000..1_100)
}

/// Externalities with a keystore, at block 0 (no epoch yet).
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage =
		frame_system::GenesisConfig::<Test>::default().build_storage().expect("genesis");
	pallet_balances::GenesisConfig::<Test> {
		balances: funded().map(|who| (who, PROXY_BALANCE)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.expect("balances genesis");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(KeystoreExt(Arc::new(MemoryKeystore::new())));
	ext
}

/// Runs `test` at block 1 (epoch 0 started), with proxies set up, then checks the storage
/// invariants.
pub fn test(test: impl FnOnce()) {
	new_test_ext().execute_with(|| run_test(test));
}

/// [`test`] with the off-chain worker's extensions: off-chain storage, and a transaction pool
/// whose transactions (SCALE-encoded extrinsics) `test` reads with the function it is given.
/// The node's keystore holds no proxy key until the test sets some
/// (`UintAuthorityId::set_all_keys`).
pub fn worker_test(test: impl FnOnce(&dyn Fn() -> Vec<Vec<u8>>)) {
	use sp_core::offchain::{
		testing::{TestOffchainExt, TestTransactionPoolExt},
		OffchainDbExt, OffchainWorkerExt, TransactionPoolExt,
	};
	let mut ext = new_test_ext();
	let (offchain, _) = TestOffchainExt::new();
	let (pool, pool_state) = TestTransactionPoolExt::new();
	ext.register_extension(OffchainDbExt::new(offchain.clone()));
	ext.register_extension(OffchainWorkerExt::new(offchain));
	ext.register_extension(TransactionPoolExt::new(pool));
	UintAuthorityId::set_all_keys(Vec::<u64>::new());
	ext.execute_with(|| run_test(|| test(&|| pool_state.read().transactions.clone())));
}

fn run_test(test: impl FnOnce()) {
	{
		TRUST.with(|t| t.borrow_mut().clear());
		VALIDATORS.with(|v| v.borrow_mut().clear());
		EVIDENCE.with(|e| e.borrow_mut().clear());
		for proxy in [PROXY_A, PROXY_B, PROXY_C] {
			set_trust(proxy, TrustLevel::High);
		}
		set_trust(NOT_PROXY, TrustLevel::Moderate);
		set_trust(POOR_PROXY, TrustLevel::High);
		for who in [PROXY_A, PROXY_B, PROXY_C, NOT_PROXY, POOR_PROXY] {
			register_proxy_key(who);
		}
		run_to_block(1);
		test();
		DeviceIdentity::do_try_state().expect("storage invariants hold");
	}
}

/// Runs the hooks of every block up to `n`.
pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// The events of this pallet so far.
pub fn events() -> Vec<Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|record| match record.event {
			RuntimeEvent::DeviceIdentity(event) => Some(event),
			_ => None,
		})
		.collect()
}

/// Whether `event` was emitted.
pub fn emitted(event: Event<Test>) -> bool {
	events().contains(&event)
}
