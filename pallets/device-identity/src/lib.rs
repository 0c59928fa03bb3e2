//! # Device identity pallet
//!
//! The chain side of Endochain's *endogenous identity* (paper 000: Chen, Han, Zhang 2023,
//! "Endogenous Security Formal Definition, Innovation Mechanisms, and Experiment Research in
//! Industrial Internet", §3 and §5, Figs. 4-7 and Table 4), built on `endo-crypto`.
//!
//! A device derives its key pair and its 32-byte ID from its SRAM PUF (`endo_crypto`:
//! `ID = SHA-256(endochain/identity/device-id/v1, public_key)`), obtains a credential from the
//! authority of its domain, registers once, and then proves again and again, with a fresh
//! zero-knowledge proof per epoch, that it still holds the PUF-derived secret. Proxy nodes (trusted
//! validators) verify what the runtime should not, and vouch for devices across domains.
//!
//! | paper | here |
//! |---|---|
//! | Fig. 5: IBE domain (KGC), PKI domain (CA) | [`Authorities`]: SM9 master keys and CA keys, registered by [`Config::AdminOrigin`] |
//! | Fig. 6: registration, "the hash of the ID and the signature of the hash are uploaded" | [`Pallet::register_device`]: ID, public key, domain credential, NIZK proof of possession |
//! | Fig. 7: NIZK proof, "the blockchain performs the comparative search of the hash" | [`Pallet::authenticate`]; the match is the runtime API `DeviceIdentityApi::device_status` |
//! | Table 4: "perform continuous authentication"; "isolate/shield attacker" | a new challenge every epoch; misses and failures become strikes, trust evidence and quarantine |
//! | Fig. 5: PoT proxy nodes agree, whitelist with expiry | [`Pallet::attest`] at [`Config::AttestationThreshold`]; [`Whitelist`] entries expire and are pruned |
//!
//! ## Interface
//!
//! ### Dispatchable functions
//!
//! | call | origin | what |
//! |---|---|---|
//! | [`register_authority`](Pallet::register_authority) (0) | [`Config::AdminOrigin`] | register an SM9 KGC (IBE domain) or a CA (PKI domain) |
//! | [`retire_authority`](Pallet::retire_authority) (1) | [`Config::AdminOrigin`] | retire an authority: no new registrations, its devices stop authenticating |
//! | [`register_device`](Pallet::register_device) (2) | unsigned (feeless) | register a device with its credential and a NIZK proof of possession |
//! | [`authenticate`](Pallet::authenticate) (3) | unsigned (feeless) | answer the current epoch's challenge with a NIZK proof |
//! | [`authenticate_batch`](Pallet::authenticate_batch) (8) | unsigned (feeless) | up to [`Config::MaxBatchSize`] devices' proofs in one transaction (a gateway collects them) |
//! | [`attest`](Pallet::attest) (4) | signed by a proxy node | vote on an IBE credential, a cross-domain admission or a failed authentication; free when accepted |
//! | [`quarantine_device`](Pallet::quarantine_device) (5) | [`Config::AdminOrigin`] | stop a device from authenticating |
//! | [`restore_device`](Pallet::restore_device) (6) | [`Config::AdminOrigin`] | lift a quarantine |
//! | [`revoke_device`](Pallet::revoke_device) (7) | [`Config::AdminOrigin`] | revoke a device for good (its ID can never register again) |
//!
//! ### Hooks
//!
//! `on_initialize`: (1) every [`Config::EpochLength`] blocks a new epoch and challenge from
//! [`Config::Randomness`]; (2) the sweep of the finished epoch (evidence for proofs, strikes for
//! missed windows), at most [`Config::MaxSweepPerBlock`] devices per block; (3) whitelist pruning, at most [`Config::MaxPrunePerBlock`] expired entries
//! per block. `try_state` checks the storage invariants (with `try-runtime`, and in the tests).
//!
//! ### Runtime API (`pallet-device-identity-runtime-api`)
//!
//! `DeviceIdentityApi::device_status(device)` → [`DeviceReport`]: status, authenticated or not,
//! since when, in which domains (home + unexpired whitelist entries); `challenge()` →
//! [`ChallengeReport`]: epoch, challenge and genesis hash to build a proof.
//!
//! ### Other pallets
//!
//! The pallet implements [`endo_traits::DeviceIdentityInspect`] and uses
//! [`endo_traits::TrustProvider`] (who is a proxy node) and [`endo_traits::IdentityTrustSink`]
//! (identity-trust evidence: authenticated, missed, failed), which the Proof-of-Trust pallet
//! implements.
//!
//! ## Registration and authentication
//!
//! ```text
//! device:  epoch, challenge = DeviceIdentityApi::challenge()
//!          proof = nizk::prove_identity(keypair, genesis_hash, purpose, challenge)
//!          register_device(ID, pk, authority, credential, controller, epoch, proof)   once
//!          authenticate(ID, epoch, proof')                                         every epoch
//! purpose: registration   "endochain/device-identity/register/v1" || SCALE((authority,
//!                          controller, credential))          (binds every field of the call)
//!          authentication "endochain/device-identity/authenticate/v1"
//! ```
//!
//! The NIZK transcript (`docs/ENDOGENOUS-IDENTITY.md` §5) binds genesis hash, ID, public key,
//! purpose and challenge, so a proof is good for one chain, one device, one call and one epoch.
//! A device answers each epoch's challenge once: a second proof in the same epoch (a replay, or
//! anything else) fails with [`Error::ProofReplayed`], a proof for an earlier epoch with
//! [`Error::ChallengeExpired`]. The registration proof counts as the first authentication.
//!
//! A device is *authenticated* while it is active, its last proof answered the current or the
//! previous epoch's challenge (the current window is still open for it), its home authority is
//! active and (PKI) its certificate has not expired. When an epoch ends, the sweep reports
//! `Authenticated` evidence for every active device that proved itself in it (once per device
//! and epoch, so that a proof writes only its own record) and gives every active device that
//! did not a strike (evidence `Missed`); proxies can report
//! a failed authentication (evidence `Failed`, a strike, and the device must prove itself again).
//! [`Config::MaxStrikes`] consecutive strikes quarantine the device. A proof that does not verify
//! is never counted as a failure: anyone can submit one for any device.
//!
//! ## Where SM9 is verified: by proxy nodes, off chain
//!
//! The IBE credential is an SM9 signature, a pairing-based scheme. `sm9_core` 0.5.0 does build
//! for `wasm32v1-none` without `std`, so verifying in the runtime was possible; measured on
//! this project's 2-core machine (`tools/sm9-wasm-probe.sh`, load 2-3, with
//! `e(P1, Ppub-s)` precomputed per KGC as `endo-crypto` does), one GM/T 0044 verification
//! takes 2.4-2.8 ms natively and 11-14 ms in wasm (V8, a stand-in for the node's wasmtime; 16-20
//! ms without the precomputation), against 130-150 µs in wasm for the NIZK verification the
//! runtime does anyway. One SM9 check would cost about 90 NIZK checks: about 110-130 IBE
//! registrations would fill a block's 1.5 s of normal dispatch (2 s of ref time per 3 s block,
//! 75 % normal). Worse, every node would spend ~13 ms validating each feeless unsigned
//! registration in its transaction pool, junk included: anybody can make a valid NIZK for a
//! made-up key, so the SM9 check would be the first one junk fails, and a few dozen junk
//! registrations per second would pin a core on every node.
//!
//! So the runtime checks everything else (authority, structure of the signature, public key,
//! NIZK) and records an IBE registration as [`DeviceStatus::Pending`]; proxy nodes (accounts with
//! [`Config::Trust`] level ≥ [`Config::MinProxyTrust`]) verify the SM9 signature off chain with
//! `endo_crypto::Sm9MasterSignPublicKey::verify_raw` (natively, ~2.5 ms, once per device, on
//! the few proxy nodes instead of every node's pool) and [`attest`](Pallet::attest).
//! [`Config::AttestationThreshold`] matching votes activate or reject the registration. PKI
//! certificates use Substrate's signature host functions (~45 µs) and are checked on chain, so
//! PKI devices are active at once.
//!
//! The price of this choice: a junk IBE registration (valid NIZK, forged SM9 signature) holds a
//! pending slot until the proxies reject it or it times out. Pending registrations are bounded
//! by [`Config::MaxPendingRegistrations`] and [`Config::MaxRegistrationsPerBlock`] and expire
//! after [`Config::RegistrationTimeout`], so junk can delay IBE registrations but never grow
//! storage; the PKI path is unaffected.
//!
//! ## Unsigned transactions: `ValidateUnsigned`, not `#[pallet::authorize]`
//!
//! Devices hold no funds, so registration and authentication are feeless unsigned
//! transactions. `#[pallet::authorize]` only applies to *general* (extrinsic v5) transactions,
//! and the project's client, `@polkadot/api` 16.5.6, sends unsigned calls as *bare* extrinsics
//! only (polkadot-js/api#6276), so the e2e tests and the devices' tooling could not submit
//! them. The pallet therefore uses `ValidateUnsigned` (deprecated, to be removed after April
//! 2027). The validation is one function per call ([`Pallet::check_register`],
//! [`Pallet::check_authenticate`]), ready to be called from an `authorize` closure when the
//! client can send general transactions.
//!
//! Validation runs the cheapest checks first and the NIZK and certificate signature last, so
//! junk costs little: epoch (1 read), device (1 read), authority (1 read), capacity and rate
//! limits, controller, credential structure, key, proof, certificate (a batch runs the cheap
//! checks of every entry before the first proof). Tags: `("register", ID)`,
//! `("controller", account)`, `("authenticate", ID, epoch)` (a batch provides one per device):
//! one registration per ID and per controller, one authentication per device and epoch (the
//! per-device rate limit). Longevity: until the epoch ends. At block building, `pre_dispatch` repeats only the cheap,
//! state-dependent checks (at most [`Config::MaxRegistrationsPerBlock`] registrations per
//! block), and the call verifies the proof once.
//!
//! ## Weights and block capacity
//!
//! `weights.rs` is generated by frame-benchmarking (`scripts/bench.sh`; figures and their
//! discussion in `docs/PERFORMANCE.md`). One proof costs 178 µs of computation in
//! `authenticate_batch` (≤ 200 µs; the NIZK verification itself is 130-150 µs of it) plus one
//! read and one write (its proof record), so a block holds about 6,300 proofs in batches of
//! 250; a single `authenticate` costs 200 µs plus 3 reads, 1 write and the extrinsic base
//! weight: gateways should batch. The identity-trust evidence of a proof is reported by the
//! sweep, once per device and epoch, not by the proof. A registration is one transaction
//! (218 µs + 8 reads and 6 writes for IBE, 261 µs + 6 reads and 4 writes for PKI).
//! `on_initialize` charges per visited device: a read for an idle one, more for evidence, a
//! strike or a removal.
//!
//! ## Storage and limits
//!
//! Every map is bounded: [`Config::MaxAuthorities`], [`Config::MaxDevices`] (revoked devices stay
//! as tombstones), [`Config::MaxPendingRegistrations`], [`Config::MaxWhitelistPerDevice`], and a
//! tally holds fewer than [`Config::AttestationThreshold`] voters. Keys chosen by users (device
//! IDs, accounts, authority keys) use `Blake2_128Concat`; sequential indices assigned by the
//! pallet (authority IDs, expiry-queue positions) use `Twox64Concat`. The integrity test checks
//! that the sweep visits every device once per epoch
//! (`MaxDevices <= MaxSweepPerBlock * EpochLength`).
//!
//! ## Bad input
//!
//! Every rejected input has its own error and changes nothing (all checks run before the first
//! write): malformed keys ([`Error::PublicKeyMalformed`], [`Error::AuthorityKeyMalformed`],
//! [`Error::CredentialMalformed`]), wrong proofs ([`Error::ProofMalformed`],
//! [`Error::ProofInvalid`], [`Error::IdentityMismatch`]), replayed proofs
//! ([`Error::ProofReplayed`]), expired challenges ([`Error::ChallengeExpired`]), duplicate IDs
//! ([`Error::AlreadyRegistered`]), unknown or retired authorities ([`Error::AuthorityUnknown`],
//! [`Error::AuthorityRetired`]), forged or misused certificates ([`Error::CertificateInvalid`],
//! [`Error::CertificateSubjectMismatch`], [`Error::CertificateExpired`]). Every field has a fixed
//! size, so an oversized field cannot even be decoded: the transaction is rejected before any
//! pallet code runs. In the pool, errors become `InvalidTransaction::Custom(error index)`, except
//! the capacity and rate limits, which become `ExhaustsResources` (the block builder then keeps
//! the transaction for a later block).
//!
//! ## Domain separation
//!
//! | tag | used for |
//! |---|---|
//! | `endochain/device-identity/register/v1` | NIZK purpose of a registration (followed by SCALE of authority, controller, credential) |
//! | `endochain/device-identity/authenticate/v1` | NIZK purpose of an authentication |
//! | `endochain/device-identity/certificate/v1` | message a CA signs (SCALE of tag, genesis hash, subject, expiry) |
//! | `endochain/device-identity/challenge/v1` | epoch challenge `blake2_256(SCALE(tag, epoch, randomness, parent hash))` |
//!
//! Log target: `runtime::device-identity`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

extern crate alloc;

pub mod logic;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub mod testing_utils;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use alloc::vec::Vec;
use codec::Encode;
use endo_crypto::{verify_identity_proof, DevicePublicKey, IdentityProof};
use endo_traits::{IdentityEvidence, IdentityTrustSink, TrustLevel, TrustProvider};
use frame_support::{
	dispatch::PostDispatchInfo,
	pallet_prelude::*,
	traits::{Get, Randomness},
	weights::Weight,
};
use frame_system::pallet_prelude::*;
use sp_runtime::{
	traits::{Saturating, Zero},
	transaction_validity::{
		InvalidTransaction, TransactionPriority, TransactionValidityError, ValidTransaction,
	},
};

/// The pallet's log target.
pub const LOG_TARGET: &str = "runtime::device-identity";

/// A device record of runtime `T`.
pub type DeviceInfoOf<T> = DeviceInfo<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Registers and retires authorities; quarantines, restores and revokes devices.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// The source of every epoch's challenge. The runtime plugs BABE's
		/// `RandomnessFromOneEpochAgo`.
		type Randomness: Randomness<Self::Hash, BlockNumberFor<Self>>;

		/// Trust levels of accounts; decides who is a proxy node.
		type Trust: TrustProvider<Self::AccountId>;

		/// Receives identity-trust evidence (authenticated, missed, failed).
		type IdentityTrust: IdentityTrustSink<Self::AccountId>;

		/// The trust level an account needs to act as a proxy node.
		#[pallet::constant]
		type MinProxyTrust: Get<TrustLevel>;

		/// Matching attestations by distinct proxy nodes needed to act (at least 1).
		#[pallet::constant]
		type AttestationThreshold: Get<u32>;

		/// Blocks per authentication epoch: every epoch has a new challenge, and an active
		/// device must prove itself once per epoch.
		#[pallet::constant]
		type EpochLength: Get<BlockNumberFor<Self>>;

		/// Consecutive missed or failed windows after which a device is quarantined (at
		/// least 1).
		#[pallet::constant]
		type MaxStrikes: Get<u32>;

		/// The most authorities that can ever be registered (retired ones included).
		#[pallet::constant]
		type MaxAuthorities: Get<u32>;

		/// The most device records (revoked tombstones included).
		#[pallet::constant]
		type MaxDevices: Get<u32>;

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

		/// Expired whitelist entries pruned per block at most.
		#[pallet::constant]
		type MaxPrunePerBlock: Get<u32>;

		/// The most proofs in one [`Pallet::authenticate_batch`].
		#[pallet::constant]
		type MaxBatchSize: Get<u32>;

		/// Priority of the unsigned registration and authentication transactions.
		#[pallet::constant]
		type UnsignedPriority: Get<TransactionPriority>;

		/// Weights of this pallet's calls and hooks.
		type WeightInfo: WeightInfo;
	}

	/// Registered authorities (SM9 KGCs and CAs), by the index the pallet assigned.
	///
	/// `Twox64Concat`: the keys are sequential indices chosen by the pallet, not by users.
	#[pallet::storage]
	pub type Authorities<T: Config> =
		StorageMap<_, Twox64Concat, AuthorityId, AuthorityInfo<BlockNumberFor<T>>, OptionQuery>;

	/// The authority holding a key, retired ones included (a key is registered at most once).
	#[pallet::storage]
	pub type AuthorityOfKey<T: Config> =
		StorageMap<_, Blake2_128Concat, AuthorityKey, AuthorityId, OptionQuery>;

	/// The index the next authority gets; also the number of authorities ever registered.
	#[pallet::storage]
	pub type NextAuthorityId<T: Config> = StorageValue<_, AuthorityId, ValueQuery>;

	/// Registered devices by ID, tombstones of revoked devices included.
	///
	/// # Security
	///
	/// IDs are hashes of keys that users choose, hence `Blake2_128Concat`. Growth is bounded
	/// by [`Config::MaxDevices`] and [`Config::MaxRegistrationsPerBlock`]: registration is
	/// feeless, so these limits, the one-registration-per-ID rule and the registered-authority
	/// rule are what keep storage in check.
	#[pallet::storage]
	pub type Devices<T: Config> = CountedStorageMap<
		_,
		Blake2_128Concat,
		DeviceId,
		DeviceInfo<T::AccountId, BlockNumberFor<T>>,
		OptionQuery,
	>;

	/// The SM9 credentials of pending IBE registrations, for proxy nodes to verify.
	#[pallet::storage]
	pub type PendingCredentials<T: Config> =
		CountedStorageMap<_, Blake2_128Concat, DeviceId, [u8; SM9_SIGNATURE_BYTES], OptionQuery>;

	/// The device bound to an account (at most one per account; revoked devices release it).
	#[pallet::storage]
	pub type ControllerDevice<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, DeviceId, OptionQuery>;

	/// The current authentication epoch and its challenge. `None` before the first block.
	#[pallet::storage]
	pub type Epoch<T: Config> = StorageValue<_, EpochInfo<BlockNumberFor<T>>, OptionQuery>;

	/// Progress of the missed-window sweep of the last finished epoch; `None` when done.
	#[pallet::storage]
	pub type Sweep<T: Config> = StorageValue<_, SweepState, OptionQuery>;

	/// `(block, registrations in that block)`: the global per-block rate limit.
	#[pallet::storage]
	pub type RegistrationsInBlock<T: Config> =
		StorageValue<_, (BlockNumberFor<T>, u32), ValueQuery>;

	/// Open attestation tallies per device and statement: `(epoch of the first vote, voters)`.
	/// A tally is removed when it reaches the threshold (and acted upon), when the registration
	/// it is about ends, or when the device is revoked. Votes about the current window
	/// (cross-domain, failure) count only in their epoch.
	#[pallet::storage]
	pub type Tallies<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		DeviceId,
		Blake2_128Concat,
		Attestation,
		(EpochIndex, BoundedVec<T::AccountId, T::AttestationThreshold>),
		OptionQuery,
	>;

	/// The cross-domain whitelist: per device, the domains it was admitted to and until when.
	/// Entries count only while unexpired, their authority is active and the device is
	/// authenticated; the expiry queue prunes them.
	#[pallet::storage]
	pub type Whitelist<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		DeviceId,
		BoundedVec<WhitelistEntry<BlockNumberFor<T>>, T::MaxWhitelistPerDevice>,
		ValueQuery,
	>;

	/// Whitelist expiries in insertion order, which is expiry order (every entry lasts
	/// [`Config::WhitelistTtl`]): `position -> (device, target, expires_at)`.
	#[pallet::storage]
	pub type ExpiryQueue<T: Config> =
		StorageMap<_, Twox64Concat, u64, (DeviceId, AuthorityId, BlockNumberFor<T>), OptionQuery>;

	/// `(head, tail)` of [`ExpiryQueue`]: positions `head..tail` are queued.
	#[pallet::storage]
	pub type ExpiryQueueRange<T: Config> = StorageValue<_, (u64, u64), ValueQuery>;

	/// Events. Every state change emits one; field names say what they hold.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	#[allow(missing_docs)]
	pub enum Event<T: Config> {
		/// An authority was registered.
		AuthorityRegistered { authority: AuthorityId, kind: DomainKind },
		/// An authority was retired.
		AuthorityRetired { authority: AuthorityId },
		/// A PKI device registered and is active.
		DeviceRegistered {
			device: DeviceId,
			authority: AuthorityId,
			controller: Option<T::AccountId>,
		},
		/// An IBE device registered; its SM9 credential awaits the proxy nodes.
		RegistrationPending {
			device: DeviceId,
			authority: AuthorityId,
			controller: Option<T::AccountId>,
		},
		/// Proxy nodes confirmed a pending registration: the device is active.
		RegistrationConfirmed { device: DeviceId },
		/// Proxy nodes rejected a pending registration's credential: the record was removed.
		RegistrationRejected { device: DeviceId },
		/// A pending registration timed out and was removed.
		RegistrationExpired { device: DeviceId },
		/// A device answered the challenge of `epoch`.
		DeviceAuthenticated { device: DeviceId, epoch: EpochIndex },
		/// An active device did not prove itself in `epoch`.
		AuthenticationMissed { device: DeviceId, epoch: EpochIndex, strikes: u32 },
		/// Proxy nodes agreed that a device failed an authentication in `epoch`.
		AuthenticationFailed { device: DeviceId, epoch: EpochIndex, strikes: u32 },
		/// A device was quarantined; its whitelist entries were removed.
		DeviceQuarantined { device: DeviceId, reason: QuarantineReason },
		/// A quarantined device was restored; it must prove itself again.
		DeviceRestored { device: DeviceId },
		/// A device was revoked; its whitelist entries and open tallies were removed.
		DeviceRevoked { device: DeviceId },
		/// A proxy node's attestation was recorded (`votes` so far, this one included).
		Attested { device: DeviceId, proxy: T::AccountId, attestation: Attestation, votes: u32 },
		/// A device was admitted to (or renewed in) the domain of `target` until `expires_at`.
		WhitelistEntryAdded { device: DeviceId, target: AuthorityId, expires_at: BlockNumberFor<T> },
		/// A whitelist entry expired and was pruned.
		WhitelistEntryExpired { device: DeviceId, target: AuthorityId },
		/// A new epoch started with a new challenge.
		NewChallenge { epoch: EpochIndex, challenge: [u8; 32] },
	}

	/// Errors.
	#[pallet::error]
	pub enum Error<T> {
		/// An authority key fails structural validation (SM9: a coordinate not below the field
		/// prime, or all zero; CA: zero key, ECDSA key not compressed SEC1).
		AuthorityKeyMalformed,
		/// This authority key is already registered (retired keys included).
		AuthorityKeyInUse,
		/// [`Config::MaxAuthorities`] authorities were already registered.
		TooManyAuthorities,
		/// No authority with this index.
		AuthorityUnknown,
		/// The authority is retired.
		AuthorityRetired,
		/// A device with this ID is already registered (or pending).
		AlreadyRegistered,
		/// The device was revoked.
		DeviceRevoked,
		/// [`Config::MaxDevices`] device records exist.
		TooManyDevices,
		/// [`Config::MaxPendingRegistrations`] IBE registrations are waiting.
		TooManyPendingRegistrations,
		/// [`Config::MaxRegistrationsPerBlock`] registrations were made in this block.
		RegistrationRateLimited,
		/// The controller account is already bound to a device.
		ControllerInUse,
		/// The credential is for the other kind of domain than the authority's.
		CredentialKindMismatch,
		/// The SM9 signature is not `h || 0x04 || x || y` with `1 <= h < n` and coordinates
		/// below the field prime.
		CredentialMalformed,
		/// The certificate was issued for another device.
		CertificateSubjectMismatch,
		/// The certificate has expired.
		CertificateExpired,
		/// The certificate's signature does not verify with the CA's key (forged, altered or
		/// from another CA or chain).
		CertificateInvalid,
		/// The public key is not the canonical encoding of a Ristretto255 point other than the
		/// identity.
		PublicKeyMalformed,
		/// The device ID is not the hash of the public key.
		IdentityMismatch,
		/// The proof is not a canonical commitment and scalar.
		ProofMalformed,
		/// The proof does not verify for this chain, device, purpose and challenge.
		ProofInvalid,
		/// The device already answered this epoch's challenge (a challenge is accepted once per
		/// device: replayed or second proofs fail).
		ProofReplayed,
		/// The proof names an earlier epoch: its challenge has expired.
		ChallengeExpired,
		/// The proof names an epoch that has not started (or no epoch has started yet).
		ChallengeUnknown,
		/// No device with this ID.
		DeviceUnknown,
		/// The device's IBE registration is still pending.
		RegistrationPending,
		/// The device is quarantined.
		DeviceQuarantined,
		/// The device is not quarantined.
		NotQuarantined,
		/// The signer's trust level is below [`Config::MinProxyTrust`].
		NotProxy,
		/// A credential attestation for a device that is not pending.
		NotPending,
		/// A cross-domain attestation for a device that is not authenticated.
		NotAuthenticated,
		/// The target domain is the device's home domain.
		SameDomain,
		/// This proxy already attested this (or, for credentials, the opposite) statement.
		AlreadyAttested,
		/// The device has [`Config::MaxWhitelistPerDevice`] unexpired whitelist entries.
		WhitelistFull,
		/// An `authenticate_batch` without proofs.
		EmptyBatch,
		/// An open tally is full. Cannot happen: a tally holds fewer votes than the threshold,
		/// which is its bound (defensive).
		TallyFull,
	}

	impl<T> From<endo_crypto::Error> for Error<T> {
		fn from(error: endo_crypto::Error) -> Self {
			match error {
				endo_crypto::Error::PublicKeyMalformed => Error::PublicKeyMalformed,
				endo_crypto::Error::IdentityMismatch => Error::IdentityMismatch,
				endo_crypto::Error::ProofMalformed => Error::ProofMalformed,
				// The only other outcome of `verify_identity_proof`; the remaining variants
				// belong to PUF, SM9 and ABE functions that the pallet does not call.
				_ => Error::ProofInvalid,
			}
		}
	}

	/// Authorities known from genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// SM9 master signature public keys `Ppub-s` of IBE-domain KGCs, 128 bytes each.
		pub ibe_authorities: Vec<Vec<u8>>,
		/// Keys of PKI-domain CAs.
		pub pki_authorities: Vec<CaKey>,
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
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			Self::roll_epoch(now)
				.saturating_add(Self::sweep_step(now))
				.saturating_add(Self::prune_whitelist(now))
		}

		fn integrity_test() {
			assert!(T::AttestationThreshold::get() >= 1, "AttestationThreshold must be >= 1");
			assert!(T::MaxStrikes::get() >= 1, "MaxStrikes must be >= 1");
			assert!(!T::EpochLength::get().is_zero(), "EpochLength must be >= 1");
			assert!(!T::WhitelistTtl::get().is_zero(), "WhitelistTtl must be >= 1");
			assert!(T::MaxSweepPerBlock::get() >= 1, "MaxSweepPerBlock must be >= 1");
			assert!(T::MaxPrunePerBlock::get() >= 1, "MaxPrunePerBlock must be >= 1");
			assert!(T::MaxWhitelistPerDevice::get() >= 1, "MaxWhitelistPerDevice must be >= 1");
			// The sweep must visit every device once per epoch.
			let epoch_blocks: u64 = T::EpochLength::get().try_into().unwrap_or(u64::MAX);
			let capacity = epoch_blocks.saturating_mul(T::MaxSweepPerBlock::get().into());
			assert!(
				u64::from(T::MaxDevices::get()) <= capacity,
				"MaxDevices must be <= MaxSweepPerBlock * EpochLength"
			);
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
			ensure!(info.status == AuthorityStatus::Active, Error::<T>::AuthorityRetired);
			info.status = AuthorityStatus::Retired;
			Authorities::<T>::insert(authority, info);
			Self::deposit_event(Event::AuthorityRetired { authority });
			Ok(())
		}

		/// Registers a device (paper Fig. 6): its ID, its PUF-derived public key, the
		/// credential of its domain and a NIZK proof of possession that answers the challenge of
		/// `epoch` with the purpose [`logic::register_purpose`]`(authority, controller,
		/// credential)`. Optionally binds a controller account.
		///
		/// Unsigned and feeless. PKI devices are active at once ([`Event::DeviceRegistered`]);
		/// IBE devices wait for the proxy nodes ([`Event::RegistrationPending`]). The proof
		/// counts as the device's first authentication.
		#[pallet::call_index(2)]
		#[pallet::weight(match credential {
			Credential::Ibe { .. } => T::WeightInfo::register_device_ibe(),
			Credential::Pki { .. } => T::WeightInfo::register_device_pki(),
		})]
		#[allow(clippy::too_many_arguments)]
		pub fn register_device(
			origin: OriginFor<T>,
			device: DeviceId,
			public_key: [u8; PUBLIC_KEY_BYTES],
			authority: AuthorityId,
			credential: Credential<BlockNumberFor<T>>,
			controller: Option<T::AccountId>,
			epoch: EpochIndex,
			proof: [u8; PROOF_BYTES],
		) -> DispatchResult {
			ensure_none(origin)?;
			let kind = Self::check_register(
				&device,
				&public_key,
				authority,
				&credential,
				&controller,
				epoch,
				&proof,
				true,
			)?;
			let now = frame_system::Pallet::<T>::block_number();
			let (status, certificate_expires_at) = match &credential {
				Credential::Ibe { .. } => (DeviceStatus::Pending, None),
				Credential::Pki { certificate } => {
					(DeviceStatus::Active, Some(certificate.expires_at))
				}
			};
			let info = DeviceInfo {
				public_key,
				authority,
				domain: kind,
				controller: controller.clone(),
				status,
				registered_at: now,
				certificate_expires_at,
				activated_epoch: epoch,
				last_proof: Some(ProofRecord { epoch, at: now }),
				authenticated_since: Some(now),
				strikes: 0,
			};
			Devices::<T>::insert(device, &info);
			if let Some(account) = &controller {
				ControllerDevice::<T>::insert(account, device);
			}
			let (_, count) = Self::registrations_in_block(now);
			RegistrationsInBlock::<T>::put((now, count.saturating_add(1)));
			match credential {
				Credential::Ibe { signature } => {
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
		/// NIZK proof with purpose [`logic::AUTHENTICATE_PURPOSE`] answering the epoch's
		/// challenge. One per device and epoch.
		///
		/// Unsigned and feeless. Emits [`Event::DeviceAuthenticated`]; the `Authenticated`
		/// identity-trust evidence follows when the epoch's sweep visits the device.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::authenticate())]
		pub fn authenticate(
			origin: OriginFor<T>,
			device: DeviceId,
			epoch: EpochIndex,
			proof: [u8; PROOF_BYTES],
		) -> DispatchResult {
			ensure_none(origin)?;
			let mut info = Self::check_authenticate(&device, epoch, &proof, true)?;
			let now = frame_system::Pallet::<T>::block_number();
			info.record_proof(epoch, now);
			Devices::<T>::insert(device, &info);
			Self::deposit_event(Event::DeviceAuthenticated { device, epoch });
			Ok(())
		}

		/// A proxy node's attestation about a device (paper Fig. 5). When
		/// [`Config::AttestationThreshold`] distinct proxies agree:
		///
		/// * `CredentialValid`: the pending IBE registration becomes active;
		/// * `CredentialInvalid`: the pending registration is removed;
		/// * `CrossDomain { target }`: the (authenticated) device is whitelisted in `target`'s
		///   domain for [`Config::WhitelistTtl`] blocks;
		/// * `AuthenticationFailed`: a strike, `Failed` evidence, the device must prove itself
		///   again, and its whitelist entries are dropped.
		///
		/// Origin: signed by an account with trust level ≥ [`Config::MinProxyTrust`]. Accepted
		/// attestations are free (`Pays::No`); rejected ones pay.
		#[pallet::call_index(4)]
		#[pallet::weight(Pallet::<T>::attest_weight_bound())]
		pub fn attest(
			origin: OriginFor<T>,
			device: DeviceId,
			attestation: Attestation,
		) -> DispatchResultWithPostInfo {
			let proxy = ensure_signed(origin)?;
			ensure!(T::Trust::is_at_least(&proxy, T::MinProxyTrust::get()), Error::<T>::NotProxy);
			let epoch = Self::current_epoch()?;
			let info = Devices::<T>::get(device).ok_or(Error::<T>::DeviceUnknown)?;
			let now = frame_system::Pallet::<T>::block_number();
			match attestation {
				Attestation::CredentialValid | Attestation::CredentialInvalid => {
					ensure!(info.status == DeviceStatus::Pending, Error::<T>::NotPending);
					let opposite = match attestation {
						Attestation::CredentialValid => Attestation::CredentialInvalid,
						_ => Attestation::CredentialValid,
					};
					let voted_opposite = Tallies::<T>::get(device, opposite)
						.is_some_and(|(_, voters)| voters.contains(&proxy));
					ensure!(!voted_opposite, Error::<T>::AlreadyAttested);
				}
				Attestation::CrossDomain { target } => {
					Self::ensure_active(&info)?;
					ensure!(
						Self::authenticated_now(&info, epoch.index, now),
						Error::<T>::NotAuthenticated
					);
					let target_info =
						Authorities::<T>::get(target).ok_or(Error::<T>::AuthorityUnknown)?;
					ensure!(
						target_info.status == AuthorityStatus::Active,
						Error::<T>::AuthorityRetired
					);
					ensure!(target != info.authority, Error::<T>::SameDomain);
				}
				Attestation::AuthenticationFailed => Self::ensure_active(&info)?,
			}

			let (tally_epoch, mut voters) = Tallies::<T>::get(device, attestation)
				.filter(|(e, _)| attestation.is_about_credential() || *e == epoch.index)
				.unwrap_or((epoch.index, BoundedVec::new()));
			ensure!(!voters.contains(&proxy), Error::<T>::AlreadyAttested);
			let votes = (voters.len() as u32).saturating_add(1);

			let weight = if votes >= T::AttestationThreshold::get() {
				// Every fallible step of `conclude` runs before its first write.
				let weight = Self::conclude(device, info, attestation, epoch.index, now)?;
				Tallies::<T>::remove(device, attestation);
				weight
			} else {
				voters.try_push(proxy.clone()).map_err(|_| Error::<T>::TallyFull)?;
				Tallies::<T>::insert(device, attestation, (tally_epoch, voters));
				T::WeightInfo::attest_vote()
			};
			Self::deposit_event(Event::Attested { device, proxy, attestation, votes });
			Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Pays::No })
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
			ensure!(info.status == DeviceStatus::Quarantined, Error::<T>::NotQuarantined);
			let epoch = Self::current_epoch()?;
			info.status = DeviceStatus::Active;
			info.strikes = 0;
			info.last_proof = None;
			info.authenticated_since = None;
			info.activated_epoch = epoch.index;
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
			ensure!(info.status != DeviceStatus::Revoked, Error::<T>::DeviceRevoked);
			if info.status == DeviceStatus::Pending {
				PendingCredentials::<T>::remove(device);
			}
			if let Some(account) = &info.controller {
				ControllerDevice::<T>::remove(account);
			}
			Whitelist::<T>::remove(device);
			// At most one tally per statement: 3 fixed statements + one per target authority.
			let removed = Tallies::<T>::clear_prefix(device, Self::max_tallies_per_device(), None);
			info.status = DeviceStatus::Revoked;
			info.authenticated_since = None;
			Devices::<T>::insert(device, info);
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
			epoch: EpochIndex,
			proofs: BoundedVec<(DeviceId, [u8; PROOF_BYTES]), T::MaxBatchSize>,
		) -> DispatchResult {
			ensure_none(origin)?;
			let infos = Self::check_authenticate_batch(epoch, &proofs, true)?;
			let now = frame_system::Pallet::<T>::block_number();
			for ((device, _), mut info) in proofs.into_iter().zip(infos) {
				info.record_proof(epoch, now);
				Devices::<T>::insert(device, &info);
				Self::deposit_event(Event::DeviceAuthenticated { device, epoch });
			}
			Ok(())
		}
	}

	#[pallet::validate_unsigned]
	#[allow(deprecated)]
	impl<T: Config> ValidateUnsigned for Pallet<T> {
		type Call = Call<T>;

		/// Transaction-pool validation: every check, cheapest first, proof and signature last.
		fn validate_unsigned(_source: TransactionSource, call: &Self::Call) -> TransactionValidity {
			match call {
				Call::register_device {
					device,
					public_key,
					authority,
					credential,
					controller,
					epoch,
					proof,
				} => {
					Self::check_register(
						device, public_key, *authority, credential, controller, *epoch, proof, true,
					)
					.map_err(Self::invalid)?;
					let mut builder = ValidTransaction::with_tag_prefix("DeviceIdentity")
						.priority(T::UnsignedPriority::get())
						.and_provides(("register", device))
						.longevity(Self::blocks_left_in_epoch())
						.propagate(true);
					if let Some(account) = controller {
						builder = builder.and_provides(("controller", account));
					}
					builder.build()
				}
				Call::authenticate { device, epoch, proof } => {
					Self::check_authenticate(device, *epoch, proof, true).map_err(Self::invalid)?;
					ValidTransaction::with_tag_prefix("DeviceIdentity")
						.priority(T::UnsignedPriority::get())
						.and_provides(("authenticate", device, epoch))
						.longevity(Self::blocks_left_in_epoch())
						.propagate(true)
						.build()
				}
				Call::authenticate_batch { epoch, proofs } => {
					Self::check_authenticate_batch(*epoch, proofs, true).map_err(Self::invalid)?;
					let mut builder = ValidTransaction::with_tag_prefix("DeviceIdentity")
						.priority(T::UnsignedPriority::get())
						.longevity(Self::blocks_left_in_epoch())
						.propagate(true);
					for (device, _) in proofs {
						builder = builder.and_provides(("authenticate", device, epoch));
					}
					builder.build()
				}
				_ => InvalidTransaction::Call.into(),
			}
		}

		/// Block inclusion: only the cheap checks whose outcome can change between pool and
		/// block (epoch, duplicates, capacity, rate limit); the call itself verifies the proof,
		/// so an included proof is verified once.
		fn pre_dispatch(call: &Self::Call) -> Result<(), TransactionValidityError> {
			match call {
				Call::register_device {
					device,
					public_key,
					authority,
					credential,
					controller,
					epoch,
					proof,
				} => Self::check_register(
					device, public_key, *authority, credential, controller, *epoch, proof, false,
				)
				.map(|_| ())
				.map_err(Self::invalid),
				Call::authenticate { device, epoch, proof } => {
					Self::check_authenticate(device, *epoch, proof, false)
						.map(|_| ())
						.map_err(Self::invalid)
				}
				Call::authenticate_batch { epoch, proofs } => {
					Self::check_authenticate_batch(*epoch, proofs, false)
						.map(|_| ())
						.map_err(Self::invalid)
				}
				_ => Err(InvalidTransaction::Call.into()),
			}
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The chain's genesis hash, the first input of every proof transcript (read from
	/// `frame_system`; the pallet copies it into [`Epoch`] at every epoch change).
	pub fn genesis_hash() -> [u8; 32] {
		let hash = frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero());
		hash.as_ref().try_into().unwrap_or_else(|_| sp_io::hashing::blake2_256(hash.as_ref()))
	}

	/// The current epoch; [`Error::ChallengeUnknown`] before the first block.
	pub fn current_epoch() -> Result<EpochInfo<BlockNumberFor<T>>, Error<T>> {
		Epoch::<T>::get().ok_or(Error::<T>::ChallengeUnknown)
	}

	/// The current epoch, if `epoch` names it.
	fn check_epoch(epoch: EpochIndex) -> Result<EpochInfo<BlockNumberFor<T>>, Error<T>> {
		let current = Self::current_epoch()?;
		ensure!(epoch >= current.index, Error::<T>::ChallengeExpired);
		ensure!(epoch == current.index, Error::<T>::ChallengeUnknown);
		Ok(current)
	}

	/// `Ok` for active devices, the status's error otherwise.
	fn ensure_active(info: &DeviceInfo<T::AccountId, BlockNumberFor<T>>) -> Result<(), Error<T>> {
		match info.status {
			DeviceStatus::Active => Ok(()),
			DeviceStatus::Pending => Err(Error::<T>::RegistrationPending),
			DeviceStatus::Quarantined => Err(Error::<T>::DeviceQuarantined),
			DeviceStatus::Revoked => Err(Error::<T>::DeviceRevoked),
		}
	}

	/// `(block, count)` of registrations in block `now` (count 0 if the record is older).
	fn registrations_in_block(now: BlockNumberFor<T>) -> (BlockNumberFor<T>, u32) {
		let (block, count) = RegistrationsInBlock::<T>::get();
		if block == now {
			(block, count)
		} else {
			(now, 0)
		}
	}

	/// Every check of [`Pallet::register_device`], cheapest first. With `crypto = false` only
	/// the checks up to (and including) the credential's structure run: what `pre_dispatch`
	/// needs. Returns the domain kind.
	#[allow(clippy::too_many_arguments)]
	pub fn check_register(
		device: &DeviceId,
		public_key: &[u8; PUBLIC_KEY_BYTES],
		authority: AuthorityId,
		credential: &Credential<BlockNumberFor<T>>,
		controller: &Option<T::AccountId>,
		epoch: EpochIndex,
		proof: &[u8; PROOF_BYTES],
		crypto: bool,
	) -> Result<DomainKind, Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		let current = Self::check_epoch(epoch)?;
		match Devices::<T>::get(device) {
			Some(info) if info.status == DeviceStatus::Revoked => {
				return Err(Error::<T>::DeviceRevoked)
			}
			Some(_) => return Err(Error::<T>::AlreadyRegistered),
			None => {}
		}
		let authority_info =
			Authorities::<T>::get(authority).ok_or(Error::<T>::AuthorityUnknown)?;
		ensure!(authority_info.status == AuthorityStatus::Active, Error::<T>::AuthorityRetired);
		let kind = authority_info.key.kind();
		ensure!(credential.kind() == kind, Error::<T>::CredentialKindMismatch);
		let (_, in_block) = Self::registrations_in_block(now);
		ensure!(in_block < T::MaxRegistrationsPerBlock::get(), Error::<T>::RegistrationRateLimited);
		ensure!(Devices::<T>::count() < T::MaxDevices::get(), Error::<T>::TooManyDevices);
		if kind == DomainKind::Ibe {
			ensure!(
				PendingCredentials::<T>::count() < T::MaxPendingRegistrations::get(),
				Error::<T>::TooManyPendingRegistrations
			);
		}
		if let Some(account) = controller {
			ensure!(!ControllerDevice::<T>::contains_key(account), Error::<T>::ControllerInUse);
		}
		match credential {
			Credential::Ibe { signature } => ensure!(
				logic::ibe_signature_well_formed(signature),
				Error::<T>::CredentialMalformed
			),
			Credential::Pki { certificate } => {
				ensure!(certificate.subject == *device, Error::<T>::CertificateSubjectMismatch);
				ensure!(now <= certificate.expires_at, Error::<T>::CertificateExpired);
			}
		}
		if !crypto {
			return Ok(kind);
		}
		let key = DevicePublicKey::from_bytes(public_key)?;
		ensure!(key.device_id().as_bytes() == device, Error::<T>::IdentityMismatch);
		let proof = IdentityProof::from_bytes(proof)?;
		let genesis = current.genesis_hash;
		let purpose = logic::register_purpose(authority, controller, credential);
		verify_identity_proof(
			&genesis,
			&endo_crypto::DeviceId::from_bytes(*device),
			&key,
			&purpose,
			&current.challenge,
			&proof,
		)?;
		if let (AuthorityKey::Pki(ca), Credential::Pki { certificate }) =
			(&authority_info.key, credential)
		{
			ensure!(
				logic::verify_certificate(ca, &genesis, certificate),
				Error::<T>::CertificateInvalid
			);
		}
		Ok(kind)
	}

	/// Every check of [`Pallet::authenticate`], cheapest first; with `crypto = false` the
	/// proof is not verified. Returns the device record.
	pub fn check_authenticate(
		device: &DeviceId,
		epoch: EpochIndex,
		proof: &[u8; PROOF_BYTES],
		crypto: bool,
	) -> Result<DeviceInfo<T::AccountId, BlockNumberFor<T>>, Error<T>> {
		let current = Self::check_epoch(epoch)?;
		let info = Self::check_device_can_prove(device, &current)?;
		if crypto {
			Self::verify_authentication(device, &info, &current, proof)?;
		}
		Ok(info)
	}

	/// Every check of [`Pallet::authenticate_batch`]: the epoch, then the cheap checks of
	/// every entry (no device twice), then, with `crypto`, every proof. Returns the records
	/// in the batch's order.
	pub fn check_authenticate_batch(
		epoch: EpochIndex,
		proofs: &[(DeviceId, [u8; PROOF_BYTES])],
		crypto: bool,
	) -> Result<Vec<DeviceInfoOf<T>>, Error<T>> {
		ensure!(!proofs.is_empty(), Error::<T>::EmptyBatch);
		let current = Self::check_epoch(epoch)?;
		let mut seen = alloc::collections::BTreeSet::new();
		let mut infos = Vec::with_capacity(proofs.len());
		for (device, _) in proofs {
			ensure!(seen.insert(*device), Error::<T>::ProofReplayed);
			infos.push(Self::check_device_can_prove(device, &current)?);
		}
		if crypto {
			for ((device, proof), info) in proofs.iter().zip(&infos) {
				Self::verify_authentication(device, info, &current, proof)?;
			}
		}
		Ok(infos)
	}

	/// The cheap checks of an authentication: the device exists, is active, has not answered
	/// this epoch, its authority is active and its certificate unexpired.
	fn check_device_can_prove(
		device: &DeviceId,
		current: &EpochInfo<BlockNumberFor<T>>,
	) -> Result<DeviceInfo<T::AccountId, BlockNumberFor<T>>, Error<T>> {
		let info = Devices::<T>::get(device).ok_or(Error::<T>::DeviceUnknown)?;
		Self::ensure_active(&info)?;
		ensure!(!info.answered(current.index), Error::<T>::ProofReplayed);
		let authority =
			Authorities::<T>::get(info.authority).ok_or(Error::<T>::AuthorityUnknown)?;
		ensure!(authority.status == AuthorityStatus::Active, Error::<T>::AuthorityRetired);
		if let Some(expires_at) = info.certificate_expires_at {
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(now <= expires_at, Error::<T>::CertificateExpired);
		}
		Ok(info)
	}

	/// Verifies an authentication proof of `device` against the current challenge.
	fn verify_authentication(
		device: &DeviceId,
		info: &DeviceInfo<T::AccountId, BlockNumberFor<T>>,
		current: &EpochInfo<BlockNumberFor<T>>,
		proof: &[u8; PROOF_BYTES],
	) -> Result<(), Error<T>> {
		let key = DevicePublicKey::from_bytes(&info.public_key)?;
		let proof = IdentityProof::from_bytes(proof)?;
		verify_identity_proof(
			&current.genesis_hash,
			&endo_crypto::DeviceId::from_bytes(*device),
			&key,
			logic::AUTHENTICATE_PURPOSE,
			&current.challenge,
			&proof,
		)?;
		Ok(())
	}

	/// Maps a pallet error to a transaction-validity error: capacity and rate limits are
	/// `ExhaustsResources` (the block builder keeps the transaction for later), everything else
	/// `Custom(index of the error in this pallet's metadata)`.
	fn invalid(error: Error<T>) -> TransactionValidityError {
		match error {
			Error::<T>::RegistrationRateLimited
			| Error::<T>::TooManyDevices
			| Error::<T>::TooManyPendingRegistrations => InvalidTransaction::ExhaustsResources.into(),
			other => InvalidTransaction::Custom(Self::error_code(&other)).into(),
		}
	}

	/// The index of an error variant (its SCALE encoding), as used in
	/// `InvalidTransaction::Custom`.
	pub fn error_code(error: &Error<T>) -> u8 {
		error.encode().first().copied().unwrap_or(u8::MAX)
	}

	/// Blocks until the current epoch ends (at least 1): the longevity of unsigned calls.
	fn blocks_left_in_epoch() -> u64 {
		let now = frame_system::Pallet::<T>::block_number();
		Epoch::<T>::get()
			.map(|e| e.started_at.saturating_add(T::EpochLength::get()).saturating_sub(now))
			.and_then(|left| TryInto::<u64>::try_into(left).ok())
			.unwrap_or(1)
			.max(1)
	}

	/// The most tallies a device can have: the two credential statements, the failure
	/// statement and one cross-domain statement per authority.
	pub fn max_tallies_per_device() -> u32 {
		T::MaxAuthorities::get().saturating_add(3)
	}

	/// The weight `attest` is charged up front: its most expensive outcome.
	pub fn attest_weight_bound() -> Weight {
		T::WeightInfo::attest_vote()
			.max(T::WeightInfo::attest_confirm_credential())
			.max(T::WeightInfo::attest_reject_credential())
			.max(T::WeightInfo::attest_cross_domain())
			.max(T::WeightInfo::attest_authentication_failed())
	}

	/// Registers an authority (no origin check; genesis and `register_authority`).
	pub(crate) fn do_register_authority(
		key: AuthorityKey,
	) -> Result<(AuthorityId, DomainKind), Error<T>> {
		ensure!(key.is_well_formed(), Error::<T>::AuthorityKeyMalformed);
		ensure!(!AuthorityOfKey::<T>::contains_key(&key), Error::<T>::AuthorityKeyInUse);
		let authority = NextAuthorityId::<T>::get();
		ensure!(authority < T::MaxAuthorities::get(), Error::<T>::TooManyAuthorities);
		let kind = key.kind();
		let registered_at = frame_system::Pallet::<T>::block_number();
		AuthorityOfKey::<T>::insert(&key, authority);
		Authorities::<T>::insert(
			authority,
			AuthorityInfo { key, status: AuthorityStatus::Active, registered_at },
		);
		NextAuthorityId::<T>::put(authority.saturating_add(1));
		Ok((authority, kind))
	}

	/// Whether the device counts as authenticated at block `now` of epoch `epoch`.
	fn authenticated_now(
		info: &DeviceInfo<T::AccountId, BlockNumberFor<T>>,
		epoch: EpochIndex,
		now: BlockNumberFor<T>,
	) -> bool {
		info.proved_recently(epoch)
			&& info.certificate_expires_at.is_none_or(|expires_at| now <= expires_at)
			&& Authorities::<T>::get(info.authority)
				.is_some_and(|a| a.status == AuthorityStatus::Active)
	}

	/// Whether `device` is authenticated now (see the crate docs).
	pub fn is_authenticated(device: &DeviceId) -> bool {
		let (Some(info), Some(epoch)) = (Devices::<T>::get(device), Epoch::<T>::get()) else {
			return false;
		};
		Self::authenticated_now(&info, epoch.index, frame_system::Pallet::<T>::block_number())
	}

	/// Acts on an attestation that reached the threshold; returns the weight of the path
	/// taken. Fallible steps come before the first write.
	fn conclude(
		device: DeviceId,
		mut info: DeviceInfo<T::AccountId, BlockNumberFor<T>>,
		attestation: Attestation,
		epoch: EpochIndex,
		now: BlockNumberFor<T>,
	) -> Result<Weight, Error<T>> {
		Ok(match attestation {
			Attestation::CredentialValid => {
				info.status = DeviceStatus::Active;
				info.activated_epoch = epoch;
				// The registration proof counts if its window is still open.
				if info.last_proof.is_none_or(|p| p.epoch.saturating_add(1) < epoch) {
					info.authenticated_since = None;
				}
				Devices::<T>::insert(device, &info);
				PendingCredentials::<T>::remove(device);
				Tallies::<T>::remove(device, Attestation::CredentialInvalid);
				Self::deposit_event(Event::RegistrationConfirmed { device });
				T::WeightInfo::attest_confirm_credential()
			}
			Attestation::CredentialInvalid => {
				Self::remove_pending(&device, &info);
				Self::deposit_event(Event::RegistrationRejected { device });
				T::WeightInfo::attest_reject_credential()
			}
			Attestation::CrossDomain { target } => {
				let expires_at = now.saturating_add(T::WhitelistTtl::get());
				let mut list = Whitelist::<T>::get(device);
				list.retain(|entry| entry.expires_at > now);
				match list.iter_mut().find(|entry| entry.target == target) {
					Some(entry) => entry.expires_at = expires_at,
					None => list
						.try_push(WhitelistEntry { target, expires_at })
						.map_err(|_| Error::<T>::WhitelistFull)?,
				}
				Whitelist::<T>::insert(device, list);
				let (head, tail) = ExpiryQueueRange::<T>::get();
				ExpiryQueue::<T>::insert(tail, (device, target, expires_at));
				ExpiryQueueRange::<T>::put((head, tail.saturating_add(1)));
				Self::deposit_event(Event::WhitelistEntryAdded { device, target, expires_at });
				T::WeightInfo::attest_cross_domain()
			}
			Attestation::AuthenticationFailed => {
				// The current authentication is void: the device must prove itself again.
				info.last_proof = None;
				Whitelist::<T>::remove(device);
				Self::strike(device, &mut info, IdentityEvidence::Failed, epoch);
				Devices::<T>::insert(device, &info);
				T::WeightInfo::attest_authentication_failed()
			}
		})
	}

	/// A missed or failed window: strike, evidence, event, and quarantine at
	/// [`Config::MaxStrikes`]. The caller writes `info`.
	fn strike(
		device: DeviceId,
		info: &mut DeviceInfo<T::AccountId, BlockNumberFor<T>>,
		evidence: IdentityEvidence,
		epoch: EpochIndex,
	) {
		let quarantine = info.record_strike(T::MaxStrikes::get());
		T::IdentityTrust::note_identity_evidence(&device, info.controller.as_ref(), evidence);
		let strikes = info.strikes;
		Self::deposit_event(match evidence {
			IdentityEvidence::Failed => Event::AuthenticationFailed { device, epoch, strikes },
			_ => Event::AuthenticationMissed { device, epoch, strikes },
		});
		if quarantine {
			info.status = DeviceStatus::Quarantined;
			Whitelist::<T>::remove(device);
			Self::deposit_event(Event::DeviceQuarantined {
				device,
				reason: QuarantineReason::Strikes,
			});
		}
	}

	/// Quarantines an active device.
	pub(crate) fn do_quarantine(device: &DeviceId, reason: QuarantineReason) -> DispatchResult {
		let mut info = Devices::<T>::get(device).ok_or(Error::<T>::DeviceUnknown)?;
		Self::ensure_active(&info)?;
		info.status = DeviceStatus::Quarantined;
		info.authenticated_since = None;
		Devices::<T>::insert(device, info);
		Whitelist::<T>::remove(device);
		Self::deposit_event(Event::DeviceQuarantined { device: *device, reason });
		Ok(())
	}

	/// Removes a pending registration and everything attached to it.
	fn remove_pending(device: &DeviceId, info: &DeviceInfo<T::AccountId, BlockNumberFor<T>>) {
		Devices::<T>::remove(device);
		PendingCredentials::<T>::remove(device);
		if let Some(account) = &info.controller {
			ControllerDevice::<T>::remove(account);
		}
		Tallies::<T>::remove(device, Attestation::CredentialValid);
		Tallies::<T>::remove(device, Attestation::CredentialInvalid);
	}

	/// Hook part 1: a new epoch every [`Config::EpochLength`] blocks (the first at the first
	/// block); the sweep of the finished epoch starts.
	pub(crate) fn roll_epoch(now: BlockNumberFor<T>) -> Weight {
		let current = Epoch::<T>::get();
		let due = current
			.as_ref()
			.is_none_or(|e| now >= e.started_at.saturating_add(T::EpochLength::get()));
		if !due {
			return T::DbWeight::get().reads(1);
		}
		let index = current.as_ref().map_or(0, |e| e.index.saturating_add(1));
		let (seed, _) = T::Randomness::random(logic::CHALLENGE_TAG);
		let parent = frame_system::Pallet::<T>::parent_hash();
		let challenge = logic::challenge(index, seed.as_ref(), parent.as_ref());
		let genesis_hash = Self::genesis_hash();
		Epoch::<T>::put(EpochInfo { index, challenge, started_at: now, genesis_hash });
		if let Some(finished) = current {
			if let Some(unfinished) = Sweep::<T>::get() {
				// Cannot happen while the integrity test holds.
				log::warn!(
					target: LOG_TARGET,
					"sweep of epoch {} unfinished at epoch {}",
					unfinished.epoch,
					index
				);
			}
			Sweep::<T>::put(SweepState { epoch: finished.index, cursor: None });
		}
		Self::deposit_event(Event::NewChallenge { epoch: index, challenge });
		T::WeightInfo::new_epoch()
	}

	/// Hook part 2: visits up to [`Config::MaxSweepPerBlock`] devices for the finished epoch:
	/// strikes for missed windows, removal of timed-out pending registrations. Charged per
	/// outcome (a visit that changes nothing costs a read).
	pub(crate) fn sweep_step(now: BlockNumberFor<T>) -> Weight {
		let Some(mut state) = Sweep::<T>::get() else {
			return T::DbWeight::get().reads(1);
		};
		let limit = T::MaxSweepPerBlock::get() as usize;
		let batch: Vec<_> = match &state.cursor {
			Some(key) => Devices::<T>::iter_from(key.to_vec()).take(limit).collect(),
			None => Devices::<T>::iter().take(limit).collect(),
		};
		let (mut idle, mut proved, mut missed, mut expired) = (0u32, 0u32, 0u32, 0u32);
		let timeout = T::RegistrationTimeout::get();
		for (device, mut info) in batch.iter().cloned() {
			match info.status {
				DeviceStatus::Pending if now >= info.registered_at.saturating_add(timeout) => {
					Self::remove_pending(&device, &info);
					Self::deposit_event(Event::RegistrationExpired { device });
					expired += 1;
				}
				DeviceStatus::Active if info.missed(state.epoch) => {
					Self::strike(device, &mut info, IdentityEvidence::Missed, state.epoch);
					Devices::<T>::insert(device, &info);
					missed += 1;
				}
				// Identity-trust evidence for the proof of the finished epoch: reported here,
				// once per device and epoch, so that a proof writes only its own record.
				DeviceStatus::Active if info.proved_in(state.epoch) => {
					T::IdentityTrust::note_identity_evidence(
						&device,
						info.controller.as_ref(),
						IdentityEvidence::Authenticated,
					);
					proved += 1;
				}
				_ => idle += 1,
			}
		}
		let cursor = batch
			.last()
			.filter(|_| batch.len() == limit)
			.and_then(|(device, _)| Devices::<T>::hashed_key_for(device).try_into().ok());
		match cursor {
			Some(key) => {
				state.cursor = Some(key);
				Sweep::<T>::put(state);
			}
			None => Sweep::<T>::kill(),
		}
		// Each benchmark includes the fixed part (the cursor): charged three times, a slight
		// overestimate.
		T::WeightInfo::sweep_idle(idle)
			.saturating_add(T::WeightInfo::sweep_proved(proved))
			.saturating_add(T::WeightInfo::sweep_missed(missed))
			.saturating_add(T::WeightInfo::sweep_expired(expired))
	}

	/// Hook part 3: prunes up to [`Config::MaxPrunePerBlock`] expired whitelist entries, in
	/// expiry order.
	pub(crate) fn prune_whitelist(now: BlockNumberFor<T>) -> Weight {
		let (mut head, tail) = ExpiryQueueRange::<T>::get();
		let mut pruned = 0u32;
		while head < tail && pruned < T::MaxPrunePerBlock::get() {
			let entry = ExpiryQueue::<T>::get(head);
			if entry.as_ref().is_some_and(|(_, _, expires_at)| *expires_at > now) {
				break;
			}
			ExpiryQueue::<T>::remove(head);
			head = head.saturating_add(1);
			pruned = pruned.saturating_add(1);
			let Some((device, target, _)) = entry else { continue };
			let removed = Whitelist::<T>::mutate_exists(device, |list| {
				let Some(entries) = list else { return false };
				let before = entries.len();
				// A renewed entry has a later expiry and stays.
				entries.retain(|e| e.target != target || e.expires_at > now);
				let removed = entries.len() != before;
				if entries.is_empty() {
					*list = None;
				}
				removed
			});
			if removed {
				Self::deposit_event(Event::WhitelistEntryExpired { device, target });
			}
		}
		if pruned > 0 {
			ExpiryQueueRange::<T>::put((head, tail));
		}
		T::WeightInfo::prune_whitelist(pruned)
	}

	/// The runtime API's status report (see [`DeviceReport`]).
	pub fn device_report(
		device: &DeviceId,
	) -> Option<DeviceReport<T::AccountId, BlockNumberFor<T>>> {
		let info = Devices::<T>::get(device)?;
		let now = frame_system::Pallet::<T>::block_number();
		let authenticated =
			Epoch::<T>::get().is_some_and(|epoch| Self::authenticated_now(&info, epoch.index, now));
		let mut domains = Vec::new();
		if authenticated {
			domains.push(DomainMembership {
				authority: info.authority,
				kind: info.domain,
				expires_at: None,
			});
			for entry in Whitelist::<T>::get(device) {
				if entry.expires_at <= now {
					continue;
				}
				let Some(target) = Authorities::<T>::get(entry.target) else { continue };
				if target.status == AuthorityStatus::Active {
					domains.push(DomainMembership {
						authority: entry.target,
						kind: target.key.kind(),
						expires_at: Some(entry.expires_at),
					});
				}
			}
		}
		Some(DeviceReport {
			status: info.status,
			authenticated,
			authenticated_since: if authenticated { info.authenticated_since } else { None },
			last_proof_at: info.last_proof.map(|p| p.at),
			last_proof_epoch: info.last_proof.map(|p| p.epoch),
			authority: info.authority,
			domain: info.domain,
			domains,
			controller: info.controller,
			strikes: info.strikes,
		})
	}

	/// The runtime API's challenge report (see [`ChallengeReport`]).
	pub fn challenge_report() -> Option<ChallengeReport<BlockNumberFor<T>>> {
		let epoch = Epoch::<T>::get()?;
		Some(ChallengeReport {
			epoch: epoch.index,
			challenge: epoch.challenge,
			genesis_hash: epoch.genesis_hash,
			started_at: epoch.started_at,
			ends_at: epoch.started_at.saturating_add(T::EpochLength::get()),
		})
	}

	/// Checks the storage invariants (run by `try_state` and after every unit test).
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use sp_runtime::TryRuntimeError;
		let now = frame_system::Pallet::<T>::block_number();

		// Authorities: indices below the counter, the key index matches both ways.
		let next = NextAuthorityId::<T>::get();
		ensure!(next <= T::MaxAuthorities::get(), TryRuntimeError::Other("too many authorities"));
		let mut authorities = 0u32;
		for (id, info) in Authorities::<T>::iter() {
			authorities += 1;
			ensure!(id < next, TryRuntimeError::Other("authority index beyond the counter"));
			ensure!(
				AuthorityOfKey::<T>::get(&info.key) == Some(id),
				TryRuntimeError::Other("authority key index out of sync")
			);
		}
		ensure!(
			AuthorityOfKey::<T>::iter().count() as u32 == authorities,
			TryRuntimeError::Other("authority key index has extra entries")
		);

		// Devices.
		let (mut devices, mut pending) = (0u32, 0u32);
		for (device, info) in Devices::<T>::iter() {
			devices += 1;
			let authority = Authorities::<T>::get(info.authority)
				.ok_or(TryRuntimeError::Other("device of an unknown authority"))?;
			ensure!(
				authority.key.kind() == info.domain,
				TryRuntimeError::Other("device domain differs from its authority's")
			);
			ensure!(
				(info.domain == DomainKind::Pki) == info.certificate_expires_at.is_some(),
				TryRuntimeError::Other("certificate expiry on a non-PKI device or missing")
			);
			let key_matches = DevicePublicKey::from_bytes(&info.public_key)
				.is_ok_and(|key| key.device_id().as_bytes() == &device);
			ensure!(key_matches, TryRuntimeError::Other("device ID is not the hash of its key"));
			let is_pending = info.status == DeviceStatus::Pending;
			pending += u32::from(is_pending);
			ensure!(
				PendingCredentials::<T>::contains_key(device) == is_pending,
				TryRuntimeError::Other("pending credential without pending device or vice versa")
			);
			if let Some(account) = &info.controller {
				if info.status != DeviceStatus::Revoked {
					ensure!(
						ControllerDevice::<T>::get(account) == Some(device),
						TryRuntimeError::Other("controller index out of sync")
					);
				}
			}
			if info.status == DeviceStatus::Active {
				ensure!(
					info.strikes < T::MaxStrikes::get(),
					TryRuntimeError::Other("active device at MaxStrikes")
				);
			} else {
				ensure!(
					!Whitelist::<T>::contains_key(device),
					TryRuntimeError::Other("whitelist entries of an inactive device")
				);
			}
		}
		ensure!(devices == Devices::<T>::count(), TryRuntimeError::Other("device counter"));
		ensure!(devices <= T::MaxDevices::get(), TryRuntimeError::Other("too many devices"));
		ensure!(
			pending == PendingCredentials::<T>::count()
				&& pending <= T::MaxPendingRegistrations::get(),
			TryRuntimeError::Other("pending counter")
		);
		for (account, device) in ControllerDevice::<T>::iter() {
			let info = Devices::<T>::get(device)
				.ok_or(TryRuntimeError::Other("controller of an unknown device"))?;
			ensure!(
				info.controller.as_ref() == Some(&account) && info.status != DeviceStatus::Revoked,
				TryRuntimeError::Other("controller index points at the wrong device")
			);
		}

		// Whitelist.
		let ttl = T::WhitelistTtl::get();
		for (device, entries) in Whitelist::<T>::iter() {
			ensure!(!entries.is_empty(), TryRuntimeError::Other("empty whitelist stored"));
			let info = Devices::<T>::get(device)
				.ok_or(TryRuntimeError::Other("whitelist of an unknown device"))?;
			for (i, entry) in entries.iter().enumerate() {
				ensure!(
					Authorities::<T>::contains_key(entry.target) && entry.target != info.authority,
					TryRuntimeError::Other("whitelist target unknown or home domain")
				);
				ensure!(
					entry.expires_at <= now.saturating_add(ttl),
					TryRuntimeError::Other("whitelist entry beyond the TTL")
				);
				ensure!(
					entries.iter().skip(i + 1).all(|other| other.target != entry.target),
					TryRuntimeError::Other("duplicate whitelist target")
				);
			}
		}
		let (head, tail) = ExpiryQueueRange::<T>::get();
		ensure!(head <= tail, TryRuntimeError::Other("expiry queue head beyond tail"));
		ensure!(
			ExpiryQueue::<T>::iter_keys().all(|k| (head..tail).contains(&k))
				&& ExpiryQueue::<T>::iter_keys().count() as u64 == tail - head,
			TryRuntimeError::Other("expiry queue positions")
		);
		let mut last = BlockNumberFor::<T>::zero();
		for position in head..tail {
			let (_, _, expires_at) = ExpiryQueue::<T>::get(position)
				.ok_or(TryRuntimeError::Other("hole in the expiry queue"))?;
			ensure!(expires_at >= last, TryRuntimeError::Other("expiry queue out of order"));
			last = expires_at;
		}

		// Tallies: open (below the threshold), distinct voters, about existing devices;
		// credential tallies only while pending.
		for (device, attestation, (_, voters)) in Tallies::<T>::iter() {
			let info = Devices::<T>::get(device)
				.ok_or(TryRuntimeError::Other("tally of an unknown device"))?;
			ensure!(
				(voters.len() as u32) < T::AttestationThreshold::get() && !voters.is_empty(),
				TryRuntimeError::Other("tally at the threshold or empty")
			);
			ensure!(
				voters.iter().enumerate().all(|(i, v)| !voters[i + 1..].contains(v)),
				TryRuntimeError::Other("duplicate voter")
			);
			if attestation.is_about_credential() {
				ensure!(
					info.status == DeviceStatus::Pending,
					TryRuntimeError::Other("credential tally of a device that is not pending")
				);
			}
		}

		// Epoch: started, not overdue.
		if let Some(epoch) = Epoch::<T>::get() {
			ensure!(epoch.started_at <= now, TryRuntimeError::Other("epoch starts in the future"));
			ensure!(
				now < epoch.started_at.saturating_add(T::EpochLength::get()),
				TryRuntimeError::Other("epoch overdue")
			);
		}
		Ok(())
	}
}

impl<T: Config> endo_traits::DeviceIdentityInspect<T::AccountId> for Pallet<T> {
	fn is_authenticated(device: &DeviceId) -> bool {
		Pallet::<T>::is_authenticated(device)
	}

	fn device_of(controller: &T::AccountId) -> Option<DeviceId> {
		ControllerDevice::<T>::get(controller)
	}

	fn quarantine(device: &DeviceId) -> Result<(), ()> {
		Pallet::<T>::do_quarantine(device, QuarantineReason::Trust).map_err(|_| ())
	}
}
