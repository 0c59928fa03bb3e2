//! The `#[frame_support::pallet]` module: configuration, storage, genesis, hooks, calls and
//! unsigned validation; its events and errors are the section in `events.rs`. The rules that
//! calls and hooks apply are `impl Pallet<T>` blocks in the crate's topic files
//! (`validation.rs`, `attestation.rs`, `epoch.rs`, `authority.rs`, `queries.rs`,
//! `try_state.rs`; see the crate docs' module map), so that this file reads as the pallet's
//! interface.

use crate::{
	types::*, weights::WeightInfo, AuthorityInfoOf, BalanceOf, ControllerConsentOf, DeviceInfoOf,
	EpochInfoOf, RegisterRequest, VotersOf, LOG_TARGET,
};
use alloc::vec::Vec;
use endo_crypto::ProofError;
use endo_traits::{IdentityTrustSink, TrustLevel, TrustProvider};
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Mutate, MutateHold},
		Randomness,
	},
};
use frame_system::pallet_prelude::*;
use sp_runtime::{
	traits::{IdentifyAccount, Verify},
	transaction_validity::TransactionPriority,
	Perbill, RuntimeAppPublic,
};

mod events;

#[frame_support::pallet_macros::import_section(events::events)]
#[frame_support::pallet]
#[allow(clippy::module_inception)] // `pallet/mod.rs` holds `mod pallet`, as in staking-async
pub mod pallet {
	use super::*;

	/// The in-code storage version (1: attestation tallies keyed by epoch; 2: tallies record
	/// each voter's deposit, counters the deposits held; see [`crate::migrations`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration.
	#[pallet::config]
	pub trait Config:
		frame_system::Config<RuntimeEvent: From<Event<Self>>>
		+ frame_system::offchain::CreateAuthorizedTransaction<Call<Self>>
	{
		/// Registers and retires authorities; quarantines, restores and revokes devices.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The source of every epoch's challenge. The runtime plugs BABE's
		/// `RandomnessFromOneEpochAgo`.
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// Trust levels of accounts; decides who is a proxy node.
		type Trust: TrustProvider<Self::AccountId>;

		/// Receives identity-trust evidence (authenticated, missed, failed).
		type IdentityTrust: IdentityTrustSink<Self::AccountId>;

		/// The trust level at which any account acts as a proxy node.
		#[pallet::constant]
		type MinProxyTrust: Get<TrustLevel>;

		/// The trust level at which a current validator ([`TrustProvider::is_validator`]) acts
		/// as a proxy node (at most [`Config::MinProxyTrust`]). Validators passed the identity,
		/// admission and trust rules of Proof of Trust, and the validator set cannot empty
		/// itself, so neither can the proxy set (`docs/SECURITY.md`).
		#[pallet::constant]
		type MinValidatorProxyTrust: Get<TrustLevel>;

		/// The share of the validator set ([`TrustProvider::validator_count`]) whose matching
		/// attestations settle a statement, rounded up; see [`Pallet::attestation_threshold`].
		#[pallet::constant]
		type AttestationQuorum: Get<Perbill>;

		/// The least number of matching attestations by distinct proxy nodes that settle a
		/// statement, whatever the size of the validator set (at least 1).
		#[pallet::constant]
		type MinAttestations: Get<u32>;

		/// The most voters of one tally, and so the largest threshold (at least
		/// [`Config::MinAttestations`]).
		#[pallet::constant]
		type MaxAttestationVoters: Get<u32>;

		/// The most attestations one proxy node can make in one epoch.
		#[pallet::constant]
		type MaxAttestationsPerProxy: Get<u32>;

		/// The most attestations all proxy nodes together can make in one epoch: the bound of
		/// the per-epoch tallies and counters and of the whitelist expiries they queue, which
		/// the hook prunes at [`Config::MaxPrunePerBlock`] per block (see `integrity_test`).
		#[pallet::constant]
		type MaxAttestationsPerEpoch: Get<u32>;

		/// Blocks per authentication epoch: every epoch has a new challenge, and an active
		/// device must prove itself once per epoch.
		#[pallet::constant]
		type EpochLength: Get<BlockNumberFor<Self>>;

		/// Consecutive missed or failed windows after which a device is quarantined (at
		/// least 1).
		#[pallet::constant]
		type MaxStrikes: Get<u32>;

		/// The most authorities registered at once (retired ones included until
		/// [`Pallet::remove_authority`] removes them).
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;

		/// The most device records (revoked tombstones included until the sweep reclaims them).
		#[pallet::constant]
		type MaxDevices: Get<u32>;

		/// Epochs a record that can never be used again is kept before the sweep removes it: the
		/// tombstone of a revoked device (once its certificate has expired as well), and every
		/// device record of a retired authority (at least 1). See [`Pallet::reclaimable`].
		#[pallet::constant]
		type TombstoneRetention: Get<AuthEpoch>;

		/// The most IBE registrations waiting for proxy verification at once.
		#[pallet::constant]
		type MaxPendingRegistrations: Get<u32>;

		/// Blocks after which an unconfirmed IBE registration is removed (checked by the sweep,
		/// so in effect rounded up to the next epoch boundary).
		#[pallet::constant]
		type RegistrationTimeout: Get<BlockNumberFor<Self>>;

		/// The most registrations per block (the global rate limit of feeless registration).
		#[pallet::constant]
		type MaxRegistrationsPerBlock: Get<u32>;

		/// Devices the missed-window sweep visits per block.
		#[pallet::constant]
		type MaxSweepPerBlock: Get<u32>;

		/// Blocks a cross-domain whitelist entry lasts.
		#[pallet::constant]
		type WhitelistTtl: Get<BlockNumberFor<Self>>;

		/// The most whitelist entries (target domains) per device.
		#[pallet::constant]
		type MaxWhitelistPerDevice: Get<u32>;

		/// Expired whitelist entries pruned per block at most; also the most attestation
		/// tallies and counters of finished epochs pruned per block.
		#[pallet::constant]
		type MaxPrunePerBlock: Get<u32>;

		/// The most proofs in one [`Pallet::authenticate_batch`].
		#[pallet::constant]
		type MaxBatchSize: Get<u32>;

		/// The signature a controller account gives to consent to its binding to a device
		/// ([`ControllerConsent`]): verified against the account itself, so the runtime's
		/// account signature (`MultiSignature` for `AccountId32`).
		type ControllerSignature: Verify<Signer: IdentifyAccount<AccountId = Self::AccountId>>
			+ Parameter
			+ MaxEncodedLen;

		/// Makes controller accounts and their consent signatures for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: crate::BenchmarkHelper<Self::AccountId, Self::ControllerSignature>;

		/// Priority of the unsigned registration and authentication transactions.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Holds the attestation deposits (`Mutate` for the benchmarks, which fund proxies).
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;

		/// The runtime's hold reasons (this pallet adds [`HoldReason::AttestationDeposit`]).
		type RuntimeHoldReason: From<HoldReason>;

		/// What a proxy node holds for an attestation that does not settle its statement,
		/// until the statement settles or the hook prunes the vote's epoch (released either
		/// way; see the crate docs, *Security: attestations and the proxy set*).
		#[pallet::constant]
		type AttestationDeposit: Get<BalanceOf<Self>>;

		/// The proxy key a node's keystore holds (key type [`crate::PROXY_KEY_TYPE`]) for the
		/// proxy node's off-chain worker: it signs the worker's votes
		/// ([`Pallet::submit_attestation`]) for the account that registered it
		/// ([`Pallet::set_proxy_key`]). The runtime uses an sr25519 app key.
		type ProxyKey: Member
			+ Parameter
			+ MaxEncodedLen
			+ Ord
			+ MaybeSerializeDeserialize
			+ RuntimeAppPublic<Signature = Self::ProxySignature>;

		/// The signature of a [`Config::ProxyKey`].
		type ProxySignature: Member + Parameter;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// Why the pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of an attestation that did not settle its statement
		/// ([`Config::AttestationDeposit`]).
		AttestationDeposit,
	}

	/// Registered authorities (SM9 KGCs and CAs), by the index the pallet assigned.
	///
	/// `Twox64Concat`: the keys are sequential indices chosen by the pallet, not by users.
	#[pallet::storage]
	pub(crate) type Authorities<T: Config> =
		StorageMap<_, Twox64Concat, AuthorityId, AuthorityInfoOf<T>, OptionQuery>;

	/// The authority holding a key, retired ones included (a key is registered at most once).
	#[pallet::storage]
	pub(crate) type AuthorityOfKey<T: Config> =
		StorageMap<_, Blake2_128Concat, AuthorityKey, AuthorityId, OptionQuery>;

	/// The index the next authority gets; also the number of authorities ever registered.
	#[pallet::storage]
	pub(crate) type NextAuthorityId<T: Config> = StorageValue<_, AuthorityId, ValueQuery>;

	/// The enrolment key of an IBE authority (KGC): the sr25519 key with which it co-signs
	/// every device ID it issues a credential for, with the enrolment's expiry
	/// ([`crate::messages::enrolment_message`]).
	/// Set and removed by [`Config::AdminOrigin`] (`set_enrolment_key`).
	///
	/// # Security
	/// An IBE registration is accepted only with a co-signature that this key verifies (checked
	/// in the pool before the NIZK): the SM9 credential is verified off chain, so without this
	/// check anybody could fill [`Config::MaxPendingRegistrations`] with made-up devices for
	/// free. An authority without a key takes no registrations. At most one entry per
	/// authority ([`Config::MaxAuthorities`]); `Twox64Concat`: authority indices are the
	/// pallet's.
	#[pallet::storage]
	pub(crate) type EnrolmentKeys<T: Config> =
		StorageMap<_, Twox64Concat, AuthorityId, EnrolmentKey, OptionQuery>;

	/// Registered devices by ID, tombstones of revoked devices included.
	///
	/// # Security
	///
	/// IDs are hashes of keys that users choose, hence `Blake2_128Concat`. Growth is bounded
	/// by [`Config::MaxDevices`] and [`Config::MaxRegistrationsPerBlock`]: registration is
	/// feeless, so these limits, the one-registration-per-ID rule and the registered-authority
	/// rule are what keep storage in check.
	#[pallet::storage]
	pub(crate) type Devices<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, DeviceId, DeviceInfoOf<T>, OptionQuery>;

	/// The SM9 credentials of pending IBE registrations, for proxy nodes to verify.
	#[pallet::storage]
	pub(crate) type PendingCredentials<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, DeviceId, [u8; SM9_SIGNATURE_BYTES], OptionQuery>;

	/// The device bound to an account: at most one per account, the device that became active
	/// with it (PKI: at registration; IBE: at confirmation); revoked devices release it.
	///
	/// # Security
	/// Only devices whose controller consented (a [`ControllerConsent`] signature) are bound,
	/// and a pending IBE registration reserves nothing: its controller is written here only
	/// when the proxies confirm it, so junk registrations cannot lock an account out.
	#[pallet::storage]
	pub(crate) type ControllerDevice<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, DeviceId, OptionQuery>;

	/// The epoch in which a device was revoked, while its tombstone is kept (devices revoked
	/// before this map existed have none and count as revoked in epoch 0).
	#[pallet::storage]
	pub(crate) type RevokedAt<T: Config> =
		StorageMap<_, Blake2_128Concat, DeviceId, AuthEpoch, OptionQuery>;

	/// The epoch in which an authority was retired, until it is removed (authorities retired
	/// before this map existed have none and count as retired in epoch 0).
	#[pallet::storage]
	pub(crate) type RetiredAt<T: Config> =
		StorageMap<_, Twox64Concat, AuthorityId, AuthEpoch, OptionQuery>;

	/// Authorities removed so far: `NextAuthorityId - RemovedAuthorities` authorities exist.
	#[pallet::storage]
	pub(crate) type RemovedAuthorities<T: Config> = StorageValue<_, u32, ValueQuery>;

	/// The current authentication epoch and its challenge. `None` before the first block.
	#[pallet::storage]
	pub(crate) type Epoch<T: Config> = StorageValue<_, EpochInfoOf<T>, OptionQuery>;

	/// Progress of the missed-window sweep of the last finished epoch; `None` when done.
	#[pallet::storage]
	pub(crate) type Sweep<T: Config> = StorageValue<_, SweepState, OptionQuery>;

	/// `(block, registrations in that block)`: the global per-block rate limit.
	#[pallet::storage]
	pub(crate) type RegistrationsInBlock<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Attestation tallies by epoch, device and statement: `(voters, concluded)`, each voter
	/// with the deposit it holds for its vote ([`Config::AttestationDeposit`]; zero for the
	/// settling vote, and once the tally settled and released them). Votes count only in their
	/// epoch. An open tally (`concluded == false`) holds fewer voters than the
	/// threshold; it is removed when it concludes, when the registration it is about ends, or
	/// when the device is revoked. A concluded `AuthenticationFailed` tally stays until its
	/// epoch is pruned, so that a device fails at most once per epoch.
	///
	/// # Security
	///
	/// At most [`Config::MaxAttestationsPerEpoch`] tallies per epoch (every tally holds a
	/// vote that was counted); the tallies of finished epochs are pruned by the hook, at most
	/// [`Config::MaxPrunePerBlock`] per block. `Twox64Concat` for the epoch (chosen by the
	/// pallet), `Blake2_128Concat` for the rest.
	#[pallet::storage]
	pub(crate) type Tallies<T: Config> = StorageNMap<
		_,
		(
			NMapKey<Twox64Concat, AuthEpoch>,
			NMapKey<Blake2_128Concat, DeviceId>,
			NMapKey<Blake2_128Concat, Attestation>,
		),
		(VotersOf<T>, bool),
		OptionQuery,
	>;

	/// Per epoch and proxy node: `(attestations accepted, deposits still held for them)`. The
	/// count is for [`Config::MaxAttestationsPerProxy`]; the deposits are what the proxy's
	/// votes of that epoch hold under [`HoldReason::AttestationDeposit`], less what settled
	/// tallies released.
	///
	/// # Security
	///
	/// At most [`Config::MaxAttestationsPerEpoch`] entries per epoch; finished epochs are
	/// pruned by the hook, which releases the deposits still held: a vote's deposit is released
	/// when its tally settles or when its epoch is pruned, whatever happened to the tally
	/// meanwhile (removed with its registration or device, or never settled), with one release
	/// per entry, so the work stays bounded by [`Config::MaxPrunePerBlock`].
	#[pallet::storage]
	pub(crate) type AttestationsBy<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		AuthEpoch,
		Blake2_128Concat,
		T::AccountId,
		(u32, BalanceOf<T>),
		ValueQuery,
	>;

	/// `(epoch, attestations accepted in it)`, for [`Config::MaxAttestationsPerEpoch`].
	#[pallet::storage]
	pub(crate) type AttestationsInEpoch<T: Config> = StorageValue<_, (AuthEpoch, u32), ValueQuery>;

	/// The oldest epoch whose [`Tallies`] and [`AttestationsBy`] entries may still be stored;
	/// the hook prunes it once it is over, then moves on.
	#[pallet::storage]
	pub(crate) type AttestationsPrunedTo<T: Config> = StorageValue<_, AuthEpoch, ValueQuery>;

	/// The cross-domain whitelist: per device, the domains it was admitted to and until when.
	/// Entries count only while unexpired, their authority is active and the device is
	/// authenticated; the expiry queue prunes them.
	#[pallet::storage]
	pub(crate) type Whitelist<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		DeviceId,
		BoundedVec<WhitelistEntry<BlockNumberFor<T>>, T::MaxWhitelistPerDevice>,
		ValueQuery,
	>;

	/// Whitelist expiries in insertion order, which is expiry order (every entry lasts
	/// [`Config::WhitelistTtl`]): `position -> (device, target, expires_at)`.
	///
	/// # Security
	///
	/// An entry is queued only when a cross-domain tally concludes, which takes at least one
	/// counted attestation: at most `MaxAttestationsPerEpoch` entries per epoch, and
	/// `integrity_test` checks that this is at most the `MaxPrunePerBlock * EpochLength` the
	/// hook prunes per epoch. So the queue holds at most the entries of the last `WhitelistTtl` blocks plus one
	/// epoch's, and never outgrows its pruning.
	#[pallet::storage]
	pub(crate) type ExpiryQueue<T: Config> =
		StorageMap<_, Twox64Concat, u64, (DeviceId, AuthorityId, BlockNumberFor<T>), OptionQuery>;

	/// The account each proxy key votes for ([`Pallet::set_proxy_key`]; genesis).
	///
	/// # Security
	/// A key is registered only by a proxy node, with the key's own signature of the account
	/// ([`crate::messages::proxy_key_message`]), and an account has at most one key
	/// ([`ProxyKeyOf`]): the entries are bounded by the accounts that ever were proxy nodes,
	/// which Proof of Trust admits. `Blake2_128Concat`: keys are chosen by users.
	#[pallet::storage]
	pub(crate) type ProxyKeyOwner<T: Config> =
		StorageMap<_, Blake2_128Concat, T::ProxyKey, T::AccountId, OptionQuery>;

	/// The proxy key of an account, the reverse of [`ProxyKeyOwner`].
	#[pallet::storage]
	pub(crate) type ProxyKeyOf<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, T::ProxyKey, OptionQuery>;

	/// Cross-domain requests, at most one per device ([`Pallet::request_cross_domain`]).
	///
	/// # Security
	/// At most one per device record, so bounded by [`Config::MaxDevices`]. A request stays,
	/// open and then admitted, until the sweep finds it older than
	/// [`Config::RegistrationTimeout`] (or the device is quarantined, revoked or removed), so a
	/// device asks at most once in that time: replaying a device's request after its admission
	/// cannot make the proxies vote again and spend their quotas. A device asks for free (a
	/// NIZK proof of the current epoch) or through its controller (a fee).
	#[pallet::storage]
	pub(crate) type CrossDomainRequests<T: Config> = CountedStorageMap<
		_,
		Blake2_128Concat,
		DeviceId,
		CrossDomainRequest<BlockNumberFor<T>>,
		OptionQuery,
	>;

	/// `(head, tail)` of [`ExpiryQueue`]: positions `head..tail` are queued.
	#[pallet::storage]
	pub(crate) type ExpiryQueueRange<T: Config> = StorageValue<_, (u64, u64), ValueQuery>;

	/// Authorities known from genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// SM9 master signature public keys `Ppub-s` of IBE-domain KGCs, 128 bytes each.
		pub ibe_authorities: Vec<Vec<u8>>,
		/// Keys of PKI-domain CAs.
		pub pki_authorities: Vec<CaKey>,
		/// Proxy keys of accounts, `(account, key)`, registered without a proof (genesis is
		/// trusted): the development presets give each genesis validator its own sr25519 key.
		pub proxy_keys: Vec<(T::AccountId, T::ProxyKey)>,
		#[serde(skip)]
		#[doc(hidden)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for bytes in &self.ibe_authorities {
				let key: [u8; SM9_MASTER_KEY_BYTES] = bytes
					.as_slice()
					.try_into()
					.expect("genesis: an SM9 master public key has 128 bytes");
				Pallet::<T>::do_register_authority(AuthorityKey::Ibe(key))
					.expect("genesis: IBE authority keys must be valid and distinct");
			}
			for key in &self.pki_authorities {
				Pallet::<T>::do_register_authority(AuthorityKey::Pki(key.clone()))
					.expect("genesis: CA keys must be valid and distinct");
			}
			for (account, key) in &self.proxy_keys {
				assert!(
					!ProxyKeyOwner::<T>::contains_key(key)
						&& !ProxyKeyOf::<T>::contains_key(account),
					"genesis: one proxy key per account, each key once"
				);
				ProxyKeyOwner::<T>::insert(key, account);
				ProxyKeyOf::<T>::insert(account, key);
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::roll_epoch(now)
				.saturating_add(Self::sweep_step(now))
				.saturating_add(Self::prune_whitelist(now))
				.saturating_add(Self::prune_attestations())
		}

		fn integrity_test() {
			Self::check_limits();
		}

		/// The proxy node's worker (`offchain.rs`): on a node whose keystore holds a proxy key
		/// of an account that is a proxy node, verifies pending IBE credentials and open
		/// cross-domain requests and submits its votes.
		fn offchain_worker(now: BlockNumberFor<T>) {
			Self::run_proxy_worker(now);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers an authority: an SM9 key generation centre (IBE domain) by its master
		/// signature public key, or a certificate authority (PKI domain) by its key.
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::AuthorityRegistered`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_authority())]
		pub fn register_authority(origin: OriginFor<T>, key: AuthorityKey) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let (authority, kind) = Self::do_register_authority(key)?;
			Self::deposit_event(Event::AuthorityRegistered { authority, kind });
			Ok(())
		}

		/// Retires an authority: its devices can no longer register or authenticate, and
		/// whitelist entries for its domain stop counting. The key stays reserved.
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::AuthorityRetired`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::retire_authority())]
		pub fn retire_authority(origin: OriginFor<T>, authority: AuthorityId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut info = Authorities::<T>::get(authority).ok_or(Error::<T>::AuthorityUnknown)?;
			info.retire().map_err(Error::<T>::from)?;
			Authorities::<T>::insert(authority, info);
			RetiredAt::<T>::insert(authority, Epoch::<T>::get().map_or(0, |e| e.index));
			Self::deposit_event(Event::AuthorityRetired { authority });
			Ok(())
		}

		/// Removes a retired authority whose devices are all gone: retired at least
		/// [`Config::TombstoneRetention`] epochs before the last finished sweep, which removed
		/// its devices ([`Pallet::reclaimable`]). Frees its place under
		/// [`Config::MaxAuthorities`]; its key stays reserved (it can never be registered again).
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::AuthorityRemoved`].
		#[pallet::call_index(10)]
		#[pallet::weight(T::WeightInfo::remove_authority())]
		pub fn remove_authority(origin: OriginFor<T>, authority: AuthorityId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_remove_authority(authority)?;
			Self::deposit_event(Event::AuthorityRemoved { authority });
			Ok(())
		}

		/// Registers a device (paper Fig. 6): its ID, its PUF-derived public key, the
		/// credential of its domain and a NIZK proof of possession that answers the challenge of
		/// `epoch` with the purpose [`crate::messages::register_purpose`]`(authority, controller
		/// account, credential)`. Optionally binds a controller account, which must consent:
		/// `controller` carries the account and its signature of
		/// [`crate::messages::controller_consent_message`]`(genesis hash, device, public_key,
		/// authority)`.
		///
		/// Unsigned and feeless. PKI devices are active at once ([`Event::DeviceRegistered`])
		/// and bind their controller; IBE devices wait for the proxy nodes
		/// ([`Event::RegistrationPending`]) and bind it only when confirmed. The proof counts as
		/// the device's first authentication.
		#[pallet::call_index(2)]
		#[pallet::weight(match credential {
			Credential::Ibe { .. } => T::WeightInfo::register_device_ibe(),
			Credential::Pki { .. } => T::WeightInfo::register_device_pki(),
		})]
		#[allow(clippy::too_many_arguments)] // the call's arguments are its on-chain interface
		pub fn register_device(
			origin: OriginFor<T>,
			device: DeviceId,
			public_key: [u8; PUBLIC_KEY_BYTES],
			authority: AuthorityId,
			credential: Credential<BlockNumberFor<T>>,
			controller: Option<ControllerConsentOf<T>>,
			epoch: AuthEpoch,
			proof: [u8; PROOF_BYTES],
		) -> DispatchResult {
			ensure_none(origin)?;
			let request = RegisterRequest {
				device: &device,
				public_key: &public_key,
				authority,
				credential: &credential,
				controller: &controller,
				epoch,
				proof: &proof,
			};
			let kind = Self::verify_register(&request)?;
			let now = frame_system::Pallet::<T>::block_number();
			let controller = controller.map(|consent| consent.account);
			let info = DeviceInfoOf::<T>::register(
				public_key,
				authority,
				&credential,
				controller.clone(),
				epoch,
				now,
			);
			Devices::<T>::insert(device, &info);
			// A pending device reserves nothing: the binding is written when it is active.
			if let (true, Some(account)) = (info.holds_controller(), &controller) {
				ControllerDevice::<T>::insert(account, device);
			}
			let (_, count) = Self::registrations_in_block(now);
			RegistrationsInBlock::<T>::put((now, count.saturating_add(1)));
			match credential {
				Credential::Ibe { signature, .. } => {
					PendingCredentials::<T>::insert(device, signature);
					Self::deposit_event(Event::RegistrationPending {
						device,
						authority,
						controller,
					});
				}
				Credential::Pki { .. } => {
					Self::deposit_event(Event::DeviceRegistered { device, authority, controller });
				}
			}
			log::debug!(target: LOG_TARGET, "device {device:?} registered ({kind:?})");
			Ok(())
		}

		/// Proves a device's identity for `epoch` (paper Fig. 7, continuous authentication): a
		/// NIZK proof with purpose [`crate::messages::AUTHENTICATE_PURPOSE`] answering the epoch's
		/// challenge. One per device and epoch.
		///
		/// Unsigned and feeless. Emits [`Event::DeviceAuthenticated`]; the `Authenticated`
		/// identity-trust evidence follows when the epoch's sweep visits the device.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::authenticate())]
		pub fn authenticate(
			origin: OriginFor<T>,
			device: DeviceId,
			epoch: AuthEpoch,
			proof: [u8; PROOF_BYTES],
		) -> DispatchResult {
			ensure_none(origin)?;
			let mut info = Self::verify_authenticate(&device, epoch, &proof)?;
			let now = frame_system::Pallet::<T>::block_number();
			info.record_proof(epoch, now);
			Devices::<T>::insert(device, &info);
			Self::deposit_event(Event::DeviceAuthenticated { device, epoch });
			Ok(())
		}

		/// A proxy node's attestation about a device (paper Fig. 5). When
		/// [`Pallet::attestation_threshold`] distinct proxies agree in one epoch:
		///
		/// * `CredentialValid`: the pending IBE registration becomes active;
		/// * `CredentialInvalid`: the pending registration is removed;
		/// * `CrossDomain { target }`: the (authenticated) device is whitelisted in `target`'s
		///   domain for [`Config::WhitelistTtl`] blocks;
		/// * `AuthenticationFailed`: a strike, `Failed` evidence, the device must prove itself
		///   again, and its whitelist entries are dropped; at most once per device and epoch.
		///
		/// Origin: signed by a proxy node ([`Pallet::is_proxy`]): an account with trust level ≥
		/// [`Config::MinProxyTrust`], or a current validator with trust level ≥
		/// [`Config::MinValidatorProxyTrust`]. Each proxy makes at most
		/// [`Config::MaxAttestationsPerProxy`] attestations per epoch, all proxies together at
		/// most [`Config::MaxAttestationsPerEpoch`].
		///
		/// Cost: an accepted vote pays no fee (`Pays::No`); a vote that does not settle its
		/// statement holds [`Config::AttestationDeposit`] instead ([`Error::InsufficientDeposit`]
		/// without it), released to every voter when the statement settles, or when the hook
		/// prunes the vote's epoch. A rejected call pays the normal fee.
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::attest_weight_bound())]
		pub fn attest(
			origin: OriginFor<T>,
			device: DeviceId,
			attestation: Attestation,
		) -> DispatchResultWithPostInfo {
			let proxy = ensure_signed(origin)?;
			Self::do_attest(proxy, device, attestation)
		}

		/// Quarantines an active device: it cannot authenticate until restored; its whitelist
		/// entries are removed.
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::DeviceQuarantined`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::quarantine_device())]
		pub fn quarantine_device(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_quarantine(&device, QuarantineReason::Admin)
		}

		/// Restores a quarantined device. Its strikes are cleared and it must prove itself
		/// again (it may do so in the current epoch).
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::DeviceRestored`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::restore_device())]
		pub fn restore_device(origin: OriginFor<T>, device: DeviceId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut info = Devices::<T>::get(device).ok_or(Error::<T>::DeviceUnknown)?;
			// The status's error takes precedence over the epoch's.
			info.ensure_quarantined().map_err(Error::<T>::from)?;
			let epoch = Self::current_epoch()?;
			info.restore(epoch.index).map_err(Error::<T>::from)?;
			Devices::<T>::insert(device, info);
			Self::deposit_event(Event::DeviceRestored { device });
			Ok(())
		}

		/// Revokes a device for good: it can never authenticate or register again; its
		/// controller binding, pending credential, whitelist entries and open tallies are
		/// removed.
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::DeviceRevoked`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::revoke_device(Pallet::<T>::max_tallies_per_device()))]
		pub fn revoke_device(origin: OriginFor<T>, device: DeviceId) -> DispatchResultWithPostInfo {
			T::AdminOrigin::ensure_origin(origin)?;
			let mut info = Devices::<T>::get(device).ok_or(Error::<T>::DeviceUnknown)?;
			if info.revoke().map_err(Error::<T>::from)? == DeviceStatus::Pending {
				PendingCredentials::<T>::remove(device);
			}
			// Only a device that holds the binding releases it (a pending or rejected one may
			// name an account that another device holds).
			if let Some(account) = &info.controller {
				if ControllerDevice::<T>::get(account) == Some(device) {
					ControllerDevice::<T>::remove(account);
				}
			}
			Whitelist::<T>::remove(device);
			Self::end_cross_domain_request(&device);
			// At most one tally per statement: 3 fixed statements + one per target authority
			// (tallies of earlier epochs count no more and are pruned by the hook).
			let epoch = Epoch::<T>::get().map_or(0, |e| e.index);
			let removed =
				Tallies::<T>::clear_prefix((epoch, device), Self::max_tallies_per_device(), None);
			Devices::<T>::insert(device, info);
			RevokedAt::<T>::insert(device, epoch);
			Self::deposit_event(Event::DeviceRevoked { device });
			// `loops`: tallies deleted from the database (tallies written in this very block
			// only leave the overlay and cost no database write).
			Ok(Some(T::WeightInfo::revoke_device(removed.loops)).into())
		}

		/// Proves the identity of several devices for `epoch` in one transaction: what a
		/// gateway submits for the devices behind it (each device made its own proof, exactly
		/// as for [`authenticate`](Pallet::authenticate); the gateway only collects them).
		/// Every entry is checked as in `authenticate`, a device may appear once, and one bad
		/// entry rejects the whole batch (with that entry's error).
		///
		/// Unsigned and feeless. One transaction's fixed costs (the extrinsic base weight, the
		/// epoch read) are paid once per batch instead of once per proof, which is what lets a
		/// block hold more authentications than single calls would. Emits
		/// [`Event::DeviceAuthenticated`] per device.
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::authenticate_batch(proofs.len() as u32))]
		pub fn authenticate_batch(
			origin: OriginFor<T>,
			epoch: AuthEpoch,
			proofs: BoundedVec<(DeviceId, [u8; PROOF_BYTES]), T::MaxBatchSize>,
		) -> DispatchResult {
			ensure_none(origin)?;
			let infos = Self::verify_authenticate_batch(epoch, &proofs)?;
			let now = frame_system::Pallet::<T>::block_number();
			for ((device, _), mut info) in proofs.into_iter().zip(infos) {
				info.record_proof(epoch, now);
				Devices::<T>::insert(device, &info);
				Self::deposit_event(Event::DeviceAuthenticated { device, epoch });
			}
			Ok(())
		}

		/// Sets (`Some`) or removes (`None`) the enrolment key of an IBE authority: the sr25519
		/// key with which the KGC co-signs every device ID it issues a credential for
		/// ([`crate::messages::enrolment_message`]). IBE registrations need that co-signature
		/// ([`Error::EnrolmentKeyMissing`], [`Error::EnrolmentSignatureInvalid`]). Replacing or
		/// removing the key does not touch pending registrations: they are settled by the
		/// proxies or time out as before.
		///
		/// Origin: [`Config::AdminOrigin`]. Emits [`Event::EnrolmentKeySet`].
		#[pallet::call_index(9)]
		#[pallet::weight(T::WeightInfo::set_enrolment_key())]
		pub fn set_enrolment_key(
			origin: OriginFor<T>,
			authority: AuthorityId,
			key: Option<EnrolmentKey>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_enrolment_key(authority, key)?;
			Self::deposit_event(Event::EnrolmentKeySet { authority, key });
			Ok(())
		}

		/// A proxy node's attestation as its off-chain worker submits it: the same vote as
		/// [`attest`](Pallet::attest) by the account of `vote.proxy`, signed with that proxy key
		/// over [`crate::messages::proxy_vote_message`] instead of a transaction signature.
		///
		/// Origin: authorized (`#[pallet::authorize]`, `frame_system::AuthorizeCall`): the pool
		/// and the block check the signature, that the key's account is a proxy node, the
		/// epoch, and every precondition of the vote (quotas, deposit) before the call runs, so
		/// a vote that would fail never enters a block and nobody pays a fee. Same quotas and
		/// deposit as `attest`; charged as `attest` plus its authorization (the call checks
		/// the signature again). Emits [`Event::Attested`].
		#[pallet::call_index(11)]
		#[pallet::weight(Pallet::<T>::attest_weight_bound()
			.saturating_add(T::WeightInfo::authorize_submit_attestation()))]
		#[pallet::authorize(Pallet::<T>::authorize_vote)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_attestation())]
		pub fn submit_attestation(
			origin: OriginFor<T>,
			vote: ProxyVote<T::ProxyKey>,
			signature: T::ProxySignature,
		) -> DispatchResultWithPostInfo {
			ensure_authorized(origin)?;
			// Checked again here (the authorization ran against the same state, in the same
			// block): a vote of an epoch that ended never counts in the next one.
			let proxy = Self::check_vote_signature(&vote, &signature)?;
			let mut post = Self::do_attest(proxy, vote.device, vote.attestation)?;
			// The vote's own path, and the check of its signature and subject above.
			post.actual_weight = post
				.actual_weight
				.map(|weight| weight.saturating_add(T::WeightInfo::authorize_submit_attestation()));
			Ok(post)
		}

		/// Asks for the device's admission to the domain of `target` (paper Fig. 5): the
		/// proxy nodes' off-chain workers check the device and attest
		/// [`Attestation::CrossDomain`]; the whitelist entry appears when they agree. One
		/// request per device per [`Config::RegistrationTimeout`] blocks (open or admitted:
		/// [`Error::RequestOpen`]); the sweep removes it after that time.
		///
		/// Origin: signed by the device's controller (a normal fee). A device without a
		/// controller asks with [`request_cross_domain_unsigned`](Pallet::request_cross_domain_unsigned).
		/// Emits [`Event::CrossDomainRequested`].
		#[pallet::call_index(12)]
		#[pallet::weight(T::WeightInfo::request_cross_domain())]
		pub fn request_cross_domain(
			origin: OriginFor<T>,
			device: DeviceId,
			target: AuthorityId,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let info = Self::check_cross_domain_request(&device, target)?;
			ensure!(info.controller.as_ref() == Some(&who), Error::<T>::NotController);
			Self::open_cross_domain_request(device, target, false);
			Ok(())
		}

		/// The device's own cross-domain request: as
		/// [`request_cross_domain`](Pallet::request_cross_domain), proved by the device with a
		/// NIZK proof answering the challenge of `epoch` (the current one) with the purpose
		/// [`crate::messages::cross_domain_purpose`]`(target)`.
		///
		/// Unsigned and feeless: one per device in the pool (tag `("cross-domain", device)`), one
		/// request per device per [`Config::RegistrationTimeout`]. Emits
		/// [`Event::CrossDomainRequested`].
		#[pallet::call_index(13)]
		#[pallet::weight(T::WeightInfo::request_cross_domain_unsigned())]
		pub fn request_cross_domain_unsigned(
			origin: OriginFor<T>,
			device: DeviceId,
			target: AuthorityId,
			epoch: AuthEpoch,
			proof: [u8; PROOF_BYTES],
		) -> DispatchResult {
			ensure_none(origin)?;
			Self::verify_cross_domain_request(&device, target, epoch, &proof)?;
			Self::open_cross_domain_request(device, target, true);
			Ok(())
		}

		/// Registers `key` as the proxy key of the signer, a proxy node ([`Pallet::is_proxy`]):
		/// the key its node's keystore holds (key type [`crate::PROXY_KEY_TYPE`]) and its
		/// worker signs votes with ([`Pallet::submit_attestation`]). `proof` is the key's
		/// signature of [`crate::messages::proxy_key_message`]`(genesis hash, signer)`. Replaces
		/// the signer's previous key. The key is kept apart from the account's own key, so the
		/// node's keystore never holds the secret of the account's funds.
		///
		/// Origin: signed, a proxy node (a fee). Emits [`Event::ProxyKeySet`].
		#[pallet::call_index(14)]
		#[pallet::weight(T::WeightInfo::set_proxy_key())]
		pub fn set_proxy_key(
			origin: OriginFor<T>,
			key: T::ProxyKey,
			proof: T::ProxySignature,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(Self::is_proxy(&who), Error::<T>::NotProxy);
			ensure!(
				ProxyKeyOwner::<T>::get(&key).is_none_or(|owner| owner == who),
				Error::<T>::ProxyKeyInUse
			);
			let message = crate::messages::proxy_key_message(&Self::genesis_hash(), &who);
			ensure!(key.verify(&message, &proof), Error::<T>::ProxyKeyProofInvalid);
			if let Some(old) = ProxyKeyOf::<T>::get(&who) {
				ProxyKeyOwner::<T>::remove(old);
			}
			ProxyKeyOwner::<T>::insert(&key, &who);
			ProxyKeyOf::<T>::insert(&who, &key);
			Self::deposit_event(Event::ProxyKeySet { account: who, key });
			Ok(())
		}

		/// Removes the signer's proxy key: its node's worker stops voting for it.
		///
		/// Origin: signed (a fee). Emits [`Event::ProxyKeyRemoved`].
		#[pallet::call_index(15)]
		#[pallet::weight(T::WeightInfo::remove_proxy_key())]
		pub fn remove_proxy_key(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let key = ProxyKeyOf::<T>::take(&who).ok_or(Error::<T>::NoProxyKey)?;
			ProxyKeyOwner::<T>::remove(&key);
			Self::deposit_event(Event::ProxyKeyRemoved { account: who, key });
			Ok(())
		}
	}

	#[pallet::validate_unsigned]
	#[allow(deprecated)]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		/// Transaction-pool validation: every check, cheapest first, proof and signature last
		/// (`Pallet::pool_validity` in `validation.rs`).
		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			Self::pool_validity(call)
		}

		/// Block inclusion: only the cheap checks whose outcome can change between pool and
		/// block (`Pallet::inclusion_check` in `validation.rs`).
		fn pre_dispatch(call: &Self::Call) -> Result<(), TransactionValidityError> {
			Self::inclusion_check(call)
		}
	}
}
