//! The `Config` of every pallet in the runtime.

pub mod consensus;

use frame_support::{
	derive_impl, parameter_types,
	traits::{
		AsEnsureOriginWithArg, ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, VariantCountOf,
	},
	weights::{
		constants::{ParityDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		IdentityFee, Weight,
	},
};
use frame_system::{
	limits::{BlockLength, BlockWeights},
	EnsureRoot,
};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_runtime::{traits::One, transaction_validity::TransactionPriority, Perbill};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Babe, Balance, Balances, Block, BlockNumber, DeviceIdentity, Hash, Nonce,
	PalletInfo, ProofOfTrust, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason,
	RuntimeHoldReason, RuntimeOrigin, RuntimeTask, System, Timestamp, DAYS,
	EPOCH_DURATION_IN_SLOTS, EXISTENTIAL_DEPOSIT, MINUTES, SLOT_DURATION, UNIT, VERSION,
};

const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// The most validators a BABE or GRANDPA set may hold.
pub const MAX_AUTHORITIES: u32 = 100;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute in a three-second slot: BABE's proposer gets two thirds of the slot.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(frame_support::dispatch::DispatchClass::Normal, |m| {
			*m = NORMAL_DISPATCH_RATIO * *m
		})
		.build();
	/// Generic Substrate prefix 42 until the chain registers its own.
	pub const SS58Prefix: u8 = 42;
}

/// The default types are being injected by [`derive_impl`](`frame_support::derive_impl`) from
/// [`SolochainDefaultConfig`](`struct@frame_system::config_preludes::SolochainDefaultConfig`),
/// but overridden as needed.
#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	/// The block type for the runtime.
	type Block = Block;
	/// Block & extrinsics weights: base values and limits.
	type BlockWeights = RuntimeBlockWeights;
	/// The maximum length of a block (in bytes).
	type BlockLength = RuntimeBlockLength;
	/// The identifier used to distinguish between accounts.
	type AccountId = AccountId;
	/// The type for storing how many extrinsics an account has signed.
	type Nonce = Nonce;
	/// The type for hashing blocks and tries.
	type Hash = Hash;
	/// Maximum number of block number to block hash mappings to keep (oldest pruned first).
	type BlockHashCount = BlockHashCount;
	/// The node stores state in ParityDb, so its weights are the ones that count.
	type DbWeight = ParityDbWeight;
	/// Version of the runtime.
	type Version = Version;
	/// The data to be stored in an account.
	type AccountData = pallet_balances::AccountData<Balance>;
	/// This is used as an identifier of the chain. 42 is the generic substrate prefix.
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = frame_support::traits::ConstU32<16>;
}

impl pallet_timestamp::Config for Runtime {
	/// A timestamp: milliseconds since the unix epoch.
	type Moment = u64;
	/// BABE reads the timestamp to check the slot of every block.
	type OnTimestampSet = Babe;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

parameter_types! {
	pub const EpochDuration: u64 = EPOCH_DURATION_IN_SLOTS;
	pub const ExpectedBlockTime: u64 = SLOT_DURATION;
}

impl pallet_babe::Config for Runtime {
	type EpochDuration = EpochDuration;
	type ExpectedBlockTime = ExpectedBlockTime;
	/// Epoch changes go through Proof of Trust's trigger (see [`consensus`]): the ledger selects
	/// the next authorities and weights them by trust. pallet-session is not used, because its
	/// BABE handler hard-codes weight 1 for every authority.
	type EpochChangeTrigger = consensus::TrustWeightedEpochChange<ProofOfTrust>;
	type DisabledValidators = ();
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	/// Equivocation reporting needs key-ownership proofs (historical sessions); the
	/// Proof-of-Trust ledger takes equivocation proofs itself (`report_equivocation`).
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	/// The type for recording an account's balance.
	type Balance = Balance;
	/// The ubiquitous event type.
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Proxy nodes (cross-domain attestations, off-chain SM9 verification) must be highly
	/// trusted, or be validators (at `MinAuthorityLevel`).
	pub const MinProxyTrust: endo_traits::TrustLevel = endo_traits::TrustLevel::High;
	/// A third of the validators (rounded up, at least two) settle an attestation.
	pub const AttestationQuorum: Perbill = Perbill::from_percent(34);
	/// Feeless device transactions rank above ordinary transfers of the same fee.
	pub const DeviceUnsignedPriority: TransactionPriority = TransactionPriority::MAX / 2;
}

parameter_types! {
	/// What a proxy node holds for an attestation that does not settle its statement, until
	/// the statement settles or the vote's epoch is pruned (released either way).
	pub const AttestationDeposit: Balance = UNIT;
}

/// One authentication epoch of devices: 30 minutes. A device proves itself once per epoch.
pub const DEVICE_EPOCH: BlockNumber = 30 * MINUTES;

impl pallet_device_identity::Config for Runtime {
	type AdminOrigin = EnsureRoot<AccountId>;
	/// BABE's randomness is fixed one epoch ahead, so no block author can choose a challenge.
	type Randomness = pallet_babe::RandomnessFromOneEpochAgo<Runtime>;
	/// Proxy nodes are the accounts the Proof-of-Trust ledger rates at least `MinProxyTrust`,
	/// and its current validators rated at least `MinAuthorityLevel`.
	type Trust = ProofOfTrust;
	/// Authentication outcomes are identity-trust evidence for the device and its controller.
	type IdentityTrust = ProofOfTrust;
	type MinProxyTrust = MinProxyTrust;
	/// The level a candidate needs to be selected: the validator set never lacks proxies.
	type MinValidatorProxyTrust = MinAuthorityLevel;
	type AttestationQuorum = AttestationQuorum;
	type MinAttestations = ConstU32<2>;
	/// At least 34 % of `MaxValidators`.
	type MaxAttestationVoters = ConstU32<{ MAX_AUTHORITIES * 34 / 100 + 1 }>;
	type MaxAttestationsPerProxy = ConstU32<1_000>;
	/// Each adds at most a tally and a counter: 80 per block, within `MaxPrunePerBlock`.
	type MaxAttestationsPerEpoch = ConstU32<{ 40 * DEVICE_EPOCH }>;
	type EpochLength = ConstU32<DEVICE_EPOCH>;
	type MaxStrikes = ConstU32<3>;
	type MaxAuthorities = ConstU32<64>;
	type MaxDevices = ConstU32<100_000>;
	/// Revoked devices' tombstones (once their certificates expired) and the devices of a
	/// retired authority are removed after a week of epochs.
	type TombstoneRetention = ConstU32<{ 7 * 24 * 60 * MINUTES / DEVICE_EPOCH }>;
	type MaxPendingRegistrations = ConstU32<1_000>;
	type RegistrationTimeout = ConstU32<{ 2 * DEVICE_EPOCH }>;
	type MaxRegistrationsPerBlock = ConstU32<100>;
	/// 200 x 600 blocks: every one of `MaxDevices` is visited once per epoch.
	type MaxSweepPerBlock = ConstU32<200>;
	type WhitelistTtl = ConstU32<{ 4 * DEVICE_EPOCH }>;
	type MaxWhitelistPerDevice = ConstU32<8>;
	type MaxPrunePerBlock = ConstU32<100>;
	type MaxBatchSize = ConstU32<250>;
	/// A controller consents to its device binding with its account's own signature.
	type ControllerSignature = super::Signature;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
	type UnsignedPriority = DeviceUnsignedPriority;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type AttestationDeposit = AttestationDeposit;
	/// A proxy node's worker signs its votes with an sr25519 key of its node's keystore
	/// (`edpx`), which the proxy account registers with `set_proxy_key`.
	type ProxyKey = pallet_device_identity::crypto::Public;
	type ProxySignature = pallet_device_identity::crypto::Signature;
	type WeightInfo = pallet_device_identity::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The least bond a validator candidate holds (while registered, and while it unbonds).
	pub const CandidateBond: Balance = 100 * UNIT;
	/// With staked admission, the bond that earns a candidate its full trust weight.
	pub const FullWeightBond: Balance = 10_000 * UNIT;
	/// Recently admitted validators together hold less than a tenth of the weight.
	pub const MaxRecentWeightShare: Perbill = Perbill::from_percent(10);
	/// A fifth of the bond is burnt for a proven equivocation.
	pub const EquivocationSlash: Perbill = Perbill::from_percent(20);
	/// The trust level a candidate needs to be selected as a validator.
	pub const MinAuthorityLevel: endo_traits::TrustLevel = endo_traits::TrustLevel::Moderate;
	/// The trust model's parameters (docs/TRUST-MODEL.md): penalty, decay, identity share,
	/// level thresholds.
	pub PotTrustParams: pallet_proof_of_trust::TrustParams = Default::default();
	/// How much each kind of evidence counts.
	pub const PotEvidenceWeights: pallet_proof_of_trust::EvidenceWeights =
		pallet_proof_of_trust::EvidenceWeights::DEFAULT;
}

impl pallet_proof_of_trust::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CandidateBond = CandidateBond;
	type FullWeightBond = FullWeightBond;
	/// The sudo key admits candidates (permissioned presets) and sets the admission mode.
	type AdminOrigin = EnsureRoot<AccountId>;
	/// A day of 2-minute epochs: a new validator counts as recent for its first day.
	type RecentAdmissionEpochs = ConstU32<720>;
	type MaxRecentWeightShare = MaxRecentWeightShare;
	type MaxNewcomersPerEpoch = ConstU32<2>;
	/// About an hour after leaving both sets.
	type UnbondingEpochs = ConstU32<30>;
	type EquivocationSlash = EquivocationSlash;
	/// A record is forgotten once its evidence is below a hundredth of an event (about 135
	/// epochs, four and a half hours, after ten events, with 95 % kept per epoch).
	type PruneBelowUnits = ConstU64<{ pallet_proof_of_trust::EVIDENCE_UNIT / 100 }>;
	/// A day without any evidence about it.
	type LedgerRetentionEpochs = ConstU32<720>;
	type MaxPrunePerBlock = ConstU32<64>;
	/// Root reports evidence of every kind (other pallets report through the traits).
	type EvidenceOrigin = AsEnsureOriginWithArg<EnsureRoot<AccountId>>;
	type Identity = DeviceIdentity;
	/// Every validator but the founding ones proves an endogenous identity of its own: a
	/// device it controls (with its consent), authenticated in the current window.
	type RequireAuthenticatedIdentity = ConstBool<true>;
	type TrustParams = PotTrustParams;
	type EvidenceWeights = PotEvidenceWeights;
	type MinAuthorityLevel = MinAuthorityLevel;
	type MaxCandidates = ConstU32<{ 4 * MAX_AUTHORITIES }>;
	type MaxValidators = ConstU32<MAX_AUTHORITIES>;
	type MinValidators = ConstU32<1>;
	type MaxSubjects = ConstU32<100_000>;
	type MaxDevices = ConstU32<100_000>;
	/// The least liveness window; the pallet widens it with the set size (2 epochs for 4
	/// validators, 27 for 100).
	type LivenessWindow = ConstU32<1>;
	type MaxMissedSlotsPerBlock = ConstU32<64>;
	type FinalityChangeDelay = ConstU32<0>;
	type WeightInfo = pallet_proof_of_trust::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	pub const VendorDeposit: Balance = 10 * UNIT;
	pub const ProductDeposit: Balance = UNIT;
	pub const WorkerDeposit: Balance = 10 * UNIT;
	/// Spam is the first thing disclosure systems fight: a case costs a deposit that an
	/// invalid report loses. It also pays for the case's log (4096 entries of about 250 bytes).
	pub const CaseDeposit: Balance = 50 * UNIT;
	/// 90 days, +30 after a patch, 7 days when exploited in the wild, at most 120 days.
	pub UivPolicy: pallet_uiv_sharing::endo_uiv::DisclosurePolicy = Default::default();
	/// `endo-ml`'s UIV-TSP settings: `T = 0.3 beta + 0.7 fnn`, thresholds (0.2, 0.5, 0.8).
	pub UivAccess: pallet_uiv_sharing::endo_uiv::access::AccessConfig = Default::default();
	/// Working hours, UTC.
	pub const UivWorkingHours: (u8, u8) = (7, 19);
}

impl pallet_uiv_sharing::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Time = Timestamp;
	/// Accesses, contributions and verdicts are behaviour evidence in Proof of Trust's ledger.
	type Evidence = ProofOfTrust;
	type AdminOrigin = EnsureRoot<AccountId>;
	/// A researcher reporting to a vendor needs `Moderate` trust in Proof of Trust's ledger.
	type ReporterOrigin = pallet_proof_of_trust::EnsureTrustLevel<
		Runtime,
		pallet_proof_of_trust::levels::AtLeastModerate,
	>;
	type VendorDeposit = VendorDeposit;
	type ProductDeposit = ProductDeposit;
	type WorkerDeposit = WorkerDeposit;
	type CaseDeposit = CaseDeposit;
	type Policy = UivPolicy;
	type AccessConfig = UivAccess;
	type ExpectedBlockTime = ConstU64<SLOT_DURATION>;
	/// A day: evidence decays and request counts restart daily.
	type CycleLength = ConstU32<DAYS>;
	type WorkingHours = UivWorkingHours;
	type MaxAuthorities = ConstU32<8>;
	type MaxProductsPerVendor = ConstU32<256>;
	type MaxParticipants = ConstU32<64>;
	type MaxRequestersPerCase = ConstU32<64>;
	type MaxRequestsPerCycle = ConstU32<32>;
	type MaxLogEntriesPerCase = ConstU32<4096>;
	type MaxLogEntriesPerBlock = ConstU32<4096>;
	/// About 180 days: a closed case can be purged, and a block's log and root pruned, this
	/// long after (the roots stay in the headers); export proofs before.
	type CaseRetention = ConstU32<{ 180 * DAYS }>;
	/// A purge call removes at most 1,024 entries (a full case log takes four calls).
	type MaxPurgePerCall = ConstU32<1024>;
	/// A leaked package is reported by at most 16 sightings (hosts, and one copy): enough to
	/// show a leak spread, and a bound on the free reports and log entries one leak brings.
	type MaxLeaksPerTrace = ConstU32<16>;
	type WeightInfo = pallet_uiv_sharing::weights::SubstrateWeight<Runtime>;
}

// Transaction creation from inside the runtime: the node's own equivocation reports (Proof of
// Trust) and the proxy nodes' off-chain worker. They send either
// - calls checked by `#[pallet::authorize]`, through `CreateAuthorizedTransaction` (below),
//   whose base is `CreateTransaction`,
// - or transactions signed with a key of the node's keystore, through `CreateSignedTransaction`,
//   which needs `SigningTypes`.
// Both build on `CreateTransactionBase`. Bare transactions (`CreateBare`) are not implemented:
// no off-chain worker of this runtime submits them (devices send their unsigned proofs from
// outside the node).

impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = super::UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl frame_system::offchain::SigningTypes for Runtime {
	type Public = <super::Signature as sp_runtime::traits::Verify>::Signer;
	type Signature = super::Signature;
}

impl<LocalCall> frame_system::offchain::CreateTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extension = super::TxExtension;

	fn create_transaction(
		call: RuntimeCall,
		extension: super::TxExtension,
	) -> super::UncheckedExtrinsic {
		super::UncheckedExtrinsic::new_transaction(call, extension)
	}
}

/// Authorized transactions: a general transaction whose call authorizes itself
/// (`#[pallet::authorize]`, checked by `AuthorizeCall`); no signer, so the nonce and payment
/// extensions do nothing, and it is immortal (its call's own validity bounds its life).
impl<LocalCall> frame_system::offchain::CreateAuthorizedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_extension() -> super::TxExtension {
		(
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(sp_runtime::generic::Era::Immortal),
			frame_system::CheckNonce::<Runtime>::from(0),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(0),
			frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
			frame_system::WeightReclaim::<Runtime>::new(),
		)
	}
}

impl<LocalCall> frame_system::offchain::CreateSignedTransaction<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_signed_transaction<
		C: frame_system::offchain::AppCrypto<Self::Public, Self::Signature>,
	>(
		call: RuntimeCall,
		public: Self::Public,
		account: AccountId,
		nonce: Nonce,
	) -> Option<super::UncheckedExtrinsic> {
		use codec::Encode;
		use sp_runtime::{generic::Era, traits::StaticLookup, SaturatedConversion};

		// A signed transaction from an off-chain worker lives for a bounded number of blocks.
		let period =
			BlockHashCount::get().checked_next_power_of_two().map(|c| c / 2).unwrap_or(2) as u64;
		let current_block = System::block_number().saturated_into::<u64>().saturating_sub(1);
		let tip = 0;
		let tx_ext: super::TxExtension = (
			frame_system::AuthorizeCall::<Runtime>::new(),
			frame_system::CheckNonZeroSender::<Runtime>::new(),
			frame_system::CheckSpecVersion::<Runtime>::new(),
			frame_system::CheckTxVersion::<Runtime>::new(),
			frame_system::CheckGenesis::<Runtime>::new(),
			frame_system::CheckEra::<Runtime>::from(Era::mortal(period, current_block)),
			frame_system::CheckNonce::<Runtime>::from(nonce),
			frame_system::CheckWeight::<Runtime>::new(),
			pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
			frame_metadata_hash_extension::CheckMetadataHash::<Runtime>::new(false),
			frame_system::WeightReclaim::<Runtime>::new(),
		);
		let raw_payload = super::SignedPayload::new(call, tx_ext)
			.map_err(|e| {
				log::warn!(target: "runtime::offchain", "unable to create signed payload: {e:?}");
			})
			.ok()?;
		let signature = raw_payload.using_encoded(|payload| C::sign(payload, public))?;
		let address = <Runtime as frame_system::Config>::Lookup::unlookup(account);
		let (call, tx_ext, _) = raw_payload.deconstruct();
		let transaction = super::UncheckedExtrinsic::new_signed(call, address, signature, tx_ext);
		Some(transaction)
	}
}
