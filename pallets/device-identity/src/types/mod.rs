//! The pallet's data types, and the rules that belong to them (KILT style: the call bodies read
//! as a story, the rules live here and return small domain errors that the pallet converts).
//!
//! * a device's lifecycle: [`DeviceInfo::register`], [`DeviceInfo::confirm`],
//!   [`DeviceInfo::quarantine`], [`DeviceInfo::restore`], [`DeviceInfo::revoke`] and the proof
//!   and strike records, failing with [`LifecycleError`];
//! * in `attestation.rs`: what proxy nodes attest ([`Attestation`]), cross-domain requests
//!   ([`CrossDomainRequest`]), the votes of their workers ([`ProxyVote`]), and the cross-domain
//!   whitelist: [`WhitelistRules::admit`] (insert or renew) and [`WhitelistRules::expire`],
//!   failing with [`WhitelistError`];
//! * the authorities' keys: [`AuthorityKey::is_well_formed`], [`CaKey::is_well_formed`].
//!
//! The byte lengths are `endo_crypto::device_identity`'s, shared with the device tool.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use endo_crypto::device_identity::sm9_master_key_well_formed;
use frame_support::{
	traits::{ConstU32, Get},
	BoundedVec,
};
use scale_info::TypeInfo;
use sp_core::{ecdsa, ed25519, sr25519};
use sp_runtime::MultiSignature;

pub use endo_crypto::device_identity::{
	PROOF_BYTES, PUBLIC_KEY_BYTES, SM9_MASTER_KEY_BYTES, SM9_SIGNATURE_BYTES,
};
pub use endo_traits::DeviceId;

mod attestation;
pub use attestation::{
	Attestation, CrossDomainRequest, ProxyVote, WhitelistEntry, WhitelistError, WhitelistRules,
};

/// Index of a registered authority (an SM9 key generation centre or a certificate authority).
/// Assigned by the pallet in registration order, starting at 0.
pub type AuthorityId = u32;

/// Index of an authentication epoch (`u32`). Epoch `e` has its own challenge; a device proves
/// itself once per epoch. (Not the Proof-of-Trust ledger's epoch, which follows BABE.)
pub type AuthEpoch = u32;
/// Upper bound on the length of a raw storage key of `Devices` (prefix 32 + Blake2_128Concat of
/// a 32-byte ID: 48); kept for the sweep cursor.
pub const MAX_DEVICE_KEY_BYTES: u32 = 128;

/// The two kinds of domain of the paper's cross-domain mechanism (Fig. 5).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum DomainKind {
	/// Identity-based: devices whose SM9 keys a key generation centre (KGC) extracted from their
	/// endogenous ID.
	#[codec(index = 0)]
	Ibe,
	/// Public-key infrastructure: gateways and nodes with certificates from a certificate
	/// authority (CA).
	#[codec(index = 1)]
	Pki,
}

/// A certificate authority's public key. The CA signs [`Certificate`]s with the matching
/// [`MultiSignature`] variant.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	PartialEq,
	Eq,
	Debug,
	frame_support::Serialize,
	frame_support::Deserialize,
)]
#[serde(crate = "frame_support::__private::serde")]
pub enum CaKey {
	/// An Ed25519 key.
	#[codec(index = 0)]
	Ed25519(ed25519::Public),
	/// An Sr25519 (Schnorrkel) key.
	#[codec(index = 1)]
	Sr25519(sr25519::Public),
	/// A compressed secp256k1 key (the signature is over `blake2_256(message)`, as everywhere
	/// in Substrate).
	#[codec(index = 2)]
	Ecdsa(ecdsa::Public),
}

impl CaKey {
	/// A CA key is usable: not all zero, and for ECDSA a compressed SEC1 encoding (prefix 2 or
	/// 3). Keys that pass but are not valid curve points make every certificate fail
	/// (`messages::verify_certificate` then returns `false`), so nothing accepts them by
	/// mistake.
	pub fn is_well_formed(&self) -> bool {
		let is_zero = |bytes: &[u8]| bytes.iter().all(|&b| b == 0);
		match self {
			CaKey::Ed25519(k) => !is_zero(k.as_ref()),
			CaKey::Sr25519(k) => !is_zero(k.as_ref()),
			CaKey::Ecdsa(k) => matches!(AsRef::<[u8]>::as_ref(k).first(), Some(2 | 3)),
		}
	}
}

/// An authority's verification key: what identifies the authority and checks the credentials
/// it issued.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum AuthorityKey {
	/// An SM9 KGC's master signature public key `Ppub-s` (128 bytes). Devices of this domain
	/// present the SM9 signature of their ID made with the key the KGC extracted for that ID.
	#[codec(index = 0)]
	Ibe([u8; SM9_MASTER_KEY_BYTES]),
	/// A CA's key. Devices of this domain present a [`Certificate`] it signed.
	#[codec(index = 1)]
	Pki(CaKey),
}

impl AuthorityKey {
	/// The domain kind of this authority.
	pub fn kind(&self) -> DomainKind {
		match self {
			AuthorityKey::Ibe(_) => DomainKind::Ibe,
			AuthorityKey::Pki(_) => DomainKind::Pki,
		}
	}

	/// Structural validation: an SM9 master key's coordinates are below the field prime and
	/// not all zero (`endo_crypto::device_identity::sm9_master_key_well_formed`; the curve
	/// checks run off chain), a CA key is usable ([`CaKey::is_well_formed`]).
	pub fn is_well_formed(&self) -> bool {
		match self {
			AuthorityKey::Ibe(key) => sm9_master_key_well_formed(key),
			AuthorityKey::Pki(key) => key.is_well_formed(),
		}
	}
}

/// Whether an authority still vouches for its devices.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum AuthorityStatus {
	/// Its devices may register and authenticate.
	#[codec(index = 0)]
	Active,
	/// Retired: no new registrations; its devices can no longer authenticate, and whitelist
	/// entries for its domain stop counting.
	#[codec(index = 1)]
	Retired,
}

/// A registered authority.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct AuthorityInfo<BlockNumber> {
	/// Its verification key.
	pub key: AuthorityKey,
	/// Active or retired.
	pub status: AuthorityStatus,
	/// Block of registration.
	pub registered_at: BlockNumber,
}

impl<BlockNumber> AuthorityInfo<BlockNumber> {
	/// `Ok` while the authority vouches for its devices, [`LifecycleError::AuthorityRetired`]
	/// once it is retired.
	pub fn ensure_active(&self) -> Result<(), LifecycleError> {
		match self.status {
			AuthorityStatus::Active => Ok(()),
			AuthorityStatus::Retired => Err(LifecycleError::AuthorityRetired),
		}
	}

	/// Retires the authority for good (its key stays reserved).
	pub fn retire(&mut self) -> Result<(), LifecycleError> {
		self.ensure_active()?;
		self.status = AuthorityStatus::Retired;
		Ok(())
	}
}

/// A compact certificate of the PKI domain: the CA vouches that `subject` is a device of its
/// domain until block `expires_at`.
///
/// The CA signs the SCALE encoding of
/// `(b"endochain/device-identity/certificate/v1", genesis_hash, subject, expires_at)`
/// ([`crate::messages::certificate_message`]), so a certificate is valid on one chain only.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Certificate<BlockNumber> {
	/// The certified device's ID.
	pub subject: DeviceId,
	/// The last block at which the certificate is valid.
	pub expires_at: BlockNumber,
	/// The CA's signature.
	pub signature: MultiSignature,
}

/// An IBE authority's enrolment key: an sr25519 public key (32 bytes) that co-signs every
/// device ID the KGC issues a credential for (`set_enrolment_key`).
pub type EnrolmentKey = [u8; 32];

/// An enrolment key's sr25519 signature (64 bytes) of
/// [`crate::messages::enrolment_message`].
pub type EnrolmentSignature = [u8; 64];

/// A device's domain credential, presented at registration (paper Fig. 6 steps 5-9: "the hash
/// of the ID and the signature of the hash are uploaded to the blockchain").
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum Credential<BlockNumber> {
	/// IBE domain: the standard GM/T 0044 SM9 signature of the 32 ID bytes, made with the
	/// signing key the KGC extracted for the identity `hex(ID)` (64 lowercase ASCII hex
	/// characters). Verified off chain by proxy nodes
	/// (`endo_crypto::device_identity::ibe_credential_verdict`).
	#[codec(index = 0)]
	Ibe {
		/// `h || 0x04 || x || y`, 97 bytes.
		signature: [u8; SM9_SIGNATURE_BYTES],
		/// The last block at which the enrolment is valid, chosen by the KGC and covered by
		/// its co-signature. After it the device can neither register nor authenticate, and a
		/// revoked device's tombstone can be removed (`reclaim.rs`).
		expires_at: BlockNumber,
		/// The authority's co-signature of the device ID and the expiry with its enrolment key
		/// (sr25519, 64 bytes): [`crate::messages::enrolment_message`]`(genesis_hash,
		/// authority, ID, expires_at)`. The chain checks it before anything expensive, so that
		/// only devices the KGC enrolled can take a pending slot.
		enrolment: EnrolmentSignature,
	},
	/// PKI domain: a certificate from the CA. Verified on chain.
	#[codec(index = 1)]
	Pki {
		/// The certificate.
		certificate: Certificate<BlockNumber>,
	},
}

impl<BlockNumber> Credential<BlockNumber> {
	/// The domain kind the credential belongs to.
	pub fn kind(&self) -> DomainKind {
		match self {
			Credential::Ibe { .. } => DomainKind::Ibe,
			Credential::Pki { .. } => DomainKind::Pki,
		}
	}
}

/// A controller account's consent to be bound to a device: the account and its signature of
/// [`crate::messages::controller_consent_message`]`(genesis_hash, device, public_key,
/// authority)`. The `controller` argument of `register_device`.
///
/// # Security
/// Without it, whoever holds a device key could bind any account and feed it the device's
/// identity-trust evidence (`Missed`, `Failed`). The signed message names the chain, the device
/// (ID and key) and its authority, so a consent is good for one device on one chain only.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct ControllerConsent<AccountId, Signature> {
	/// The account to bind.
	pub account: AccountId,
	/// Its signature of the consent message.
	pub signature: Signature,
}

/// A device's lifecycle state.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum DeviceStatus {
	/// IBE registration waiting for proxy nodes to verify the SM9 credential.
	#[codec(index = 0)]
	Pending,
	/// Registered; may authenticate.
	#[codec(index = 1)]
	Active,
	/// Quarantined after too many missed or failed windows, by the admin origin, or by the
	/// Proof-of-Trust pallet; cannot authenticate until restored.
	#[codec(index = 2)]
	Quarantined,
	/// Revoked for good. The record stays as a tombstone so that the ID can never register
	/// again.
	#[codec(index = 3)]
	Revoked,
	/// The proxy nodes rejected the IBE credential in the epoch of the registration proof. The
	/// record stays until that epoch is over, so that the same registration (its proof answers
	/// that epoch's challenge) cannot be submitted again; the sweep of that epoch removes it,
	/// and the device may then register anew with a proof of a later epoch.
	#[codec(index = 4)]
	Rejected,
}

/// Why a device was quarantined.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum QuarantineReason {
	/// `MaxStrikes` consecutive missed or failed authentication windows.
	#[codec(index = 0)]
	Strikes,
	/// The admin origin.
	#[codec(index = 1)]
	Admin,
	/// Another pallet (Proof of Trust) through `DeviceIdentityInspect::quarantine`.
	#[codec(index = 2)]
	Trust,
}

/// The last accepted identity proof of a device.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct ProofRecord<BlockNumber> {
	/// The epoch whose challenge the proof answered.
	pub epoch: AuthEpoch,
	/// The block that accepted it.
	pub at: BlockNumber,
}

/// A registered device (paper Fig. 6: the chain keeps the ID hash, here together with the key
/// that the zero-knowledge proofs of Fig. 7 are checked against).
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct DeviceInfo<AccountId, BlockNumber> {
	/// The PUF-derived public key (compressed Ristretto255, validated at registration);
	/// `ID = SHA-256(endochain/identity/device-id/v1, public_key)`.
	pub public_key: [u8; PUBLIC_KEY_BYTES],
	/// The authority that issued the device's credential: its home domain.
	pub authority: AuthorityId,
	/// The kind of the home domain.
	pub domain: DomainKind,
	/// The account bound to the device at registration (e.g. a validator binding its node
	/// account to its own endogenous identity), if any.
	pub controller: Option<AccountId>,
	/// Lifecycle state.
	pub status: DeviceStatus,
	/// Block of registration.
	pub registered_at: BlockNumber,
	/// The expiry of the credential: the PKI certificate's or the IBE enrolment's
	/// (`Credential::Ibe::expires_at`). After it the device cannot authenticate, and once it
	/// is revoked its tombstone can be removed. Always `Some` for PKI devices; IBE records made
	/// before IBE enrolments carried an expiry hold `None` and never expire (their tombstones
	/// stay while their authority is active).
	pub certificate_expires_at: Option<BlockNumber>,
	/// The epoch in which the device became active (registration, or IBE confirmation). The
	/// device is expected to prove itself in every later epoch.
	pub activated_epoch: AuthEpoch,
	/// The last accepted proof (the registration proof counts as the first).
	pub last_proof: Option<ProofRecord<BlockNumber>>,
	/// Start of the current unbroken run of authenticated windows; `None` when not
	/// authenticated.
	pub authenticated_since: Option<BlockNumber>,
	/// Consecutive missed or failed windows; reset by an accepted proof or a restore.
	pub strikes: u32,
}

/// Why a device's or an authority's lifecycle forbids an operation. The pallet turns each
/// variant into its own error (`impl From<LifecycleError> for Error<T>`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum LifecycleError {
	/// The device's IBE registration is still pending.
	Pending,
	/// The device is quarantined.
	Quarantined,
	/// The device is revoked.
	Revoked,
	/// The operation needs a pending registration.
	NotPending,
	/// The operation needs a quarantined device.
	NotQuarantined,
	/// The authority is retired.
	AuthorityRetired,
	/// The device's IBE credential was rejected in the current epoch.
	Rejected,
}

/// The lifecycle (paper Fig. 6 registration, Table 4 "isolate/shield attacker"):
///
/// ```text
/// register --IBE--> Pending --confirm--> Active <--restore-- Quarantined
///          --PKI-----------------------> Active --quarantine--> Quarantined
/// Pending --reject, in the registration proof's epoch--> Rejected --sweep of that epoch--> removed
/// any but Revoked --revoke--> Revoked (a tombstone: the ID can never register again)
/// ```
///
/// A rejected pending registration becomes `Rejected` if the rejection falls in the epoch of its
/// registration proof (that proof could otherwise be submitted again in the same epoch), and the
/// sweep of that epoch removes it; rejected in a later epoch, or timed out, it is removed at
/// once (its proof has expired).
impl<AccountId, BlockNumber: Copy> DeviceInfo<AccountId, BlockNumber> {
	/// The record of a new registration at block `now`, answering the challenge of `epoch`:
	/// PKI devices are active at once until their certificate expires, IBE devices wait for the
	/// proxy nodes; both record their credential's expiry. The registration proof counts as the
	/// first authentication.
	pub fn register(
		public_key: [u8; PUBLIC_KEY_BYTES],
		authority: AuthorityId,
		credential: &Credential<BlockNumber>,
		controller: Option<AccountId>,
		epoch: AuthEpoch,
		now: BlockNumber,
	) -> Self {
		let (status, certificate_expires_at) = match credential {
			Credential::Ibe { expires_at, .. } => (DeviceStatus::Pending, Some(*expires_at)),
			Credential::Pki { certificate } => (DeviceStatus::Active, Some(certificate.expires_at)),
		};
		Self {
			public_key,
			authority,
			domain: credential.kind(),
			controller,
			status,
			registered_at: now,
			certificate_expires_at,
			activated_epoch: epoch,
			last_proof: Some(ProofRecord { epoch, at: now }),
			authenticated_since: Some(now),
			strikes: 0,
		}
	}

	/// `Ok` for an active device, the status's error otherwise.
	pub fn ensure_active(&self) -> Result<(), LifecycleError> {
		match self.status {
			DeviceStatus::Active => Ok(()),
			DeviceStatus::Pending => Err(LifecycleError::Pending),
			DeviceStatus::Quarantined => Err(LifecycleError::Quarantined),
			DeviceStatus::Revoked => Err(LifecycleError::Revoked),
			DeviceStatus::Rejected => Err(LifecycleError::Rejected),
		}
	}

	/// `Ok` for a pending registration, [`LifecycleError::NotPending`] otherwise.
	pub fn ensure_pending(&self) -> Result<(), LifecycleError> {
		match self.status {
			DeviceStatus::Pending => Ok(()),
			_ => Err(LifecycleError::NotPending),
		}
	}

	/// `Ok` for a quarantined device, [`LifecycleError::NotQuarantined`] otherwise.
	pub fn ensure_quarantined(&self) -> Result<(), LifecycleError> {
		match self.status {
			DeviceStatus::Quarantined => Ok(()),
			_ => Err(LifecycleError::NotQuarantined),
		}
	}

	/// The proxy nodes confirmed the pending registration's credential in `epoch`: the device is
	/// active from `epoch` on, and its registration proof still counts if its window is open.
	pub fn confirm(&mut self, epoch: AuthEpoch) -> Result<(), LifecycleError> {
		self.ensure_pending()?;
		self.status = DeviceStatus::Active;
		self.activated_epoch = epoch;
		if self.last_proof.is_none_or(|p| p.epoch.saturating_add(1) < epoch) {
			self.authenticated_since = None;
		}
		Ok(())
	}

	/// The proxy nodes rejected the pending registration's credential: the record becomes a
	/// [`DeviceStatus::Rejected`] marker until the epoch of its registration proof is over.
	pub fn reject(&mut self) -> Result<(), LifecycleError> {
		self.ensure_pending()?;
		self.status = DeviceStatus::Rejected;
		self.authenticated_since = None;
		Ok(())
	}

	/// The epoch whose challenge the registration proof answered (the first proof; for a
	/// pending or rejected registration, the only one).
	pub fn registration_epoch(&self) -> Option<AuthEpoch> {
		self.last_proof.map(|p| p.epoch)
	}

	/// Whether this is a [`DeviceStatus::Rejected`] marker that still blocks the registration's
	/// replay in epoch `current` (its registration proof answers `current` or a later epoch).
	pub fn rejected_in(&self, current: AuthEpoch) -> bool {
		self.status == DeviceStatus::Rejected
			&& self.registration_epoch().is_some_and(|epoch| epoch >= current)
	}

	/// Whether the device holds its controller binding: it became active (PKI registration, or
	/// IBE confirmation) and is not revoked. Pending and rejected registrations hold nothing.
	pub fn holds_controller(&self) -> bool {
		matches!(self.status, DeviceStatus::Active | DeviceStatus::Quarantined)
	}

	/// Quarantines an active device: it is no longer authenticated and cannot prove itself
	/// until restored.
	pub fn quarantine(&mut self) -> Result<(), LifecycleError> {
		self.ensure_active()?;
		self.status = DeviceStatus::Quarantined;
		self.authenticated_since = None;
		Ok(())
	}

	/// Lifts a quarantine in `epoch`: strikes cleared, and the device must prove itself again
	/// (it may do so in `epoch`, which is not counted as missed).
	pub fn restore(&mut self, epoch: AuthEpoch) -> Result<(), LifecycleError> {
		self.ensure_quarantined()?;
		self.status = DeviceStatus::Active;
		self.strikes = 0;
		self.last_proof = None;
		self.authenticated_since = None;
		self.activated_epoch = epoch;
		Ok(())
	}

	/// Revokes the device for good; returns the status it had (a pending registration leaves
	/// a credential behind for the caller to remove).
	pub fn revoke(&mut self) -> Result<DeviceStatus, LifecycleError> {
		let before = self.status;
		if before == DeviceStatus::Revoked {
			return Err(LifecycleError::Revoked);
		}
		self.status = DeviceStatus::Revoked;
		self.authenticated_since = None;
		Ok(before)
	}

	/// Voids the current authentication (the proxies agreed that the device failed one): it
	/// must prove itself again. The strike is recorded separately ([`Self::record_strike`]).
	pub fn void_proof(&mut self) {
		self.last_proof = None;
	}

	/// Whether the device already answered the challenge of `epoch` (one proof per device and
	/// epoch: the per-device rate limit, and what makes a replayed proof fail).
	pub fn answered(&self, epoch: AuthEpoch) -> bool {
		self.last_proof.is_some_and(|p| p.epoch == epoch)
	}

	/// Whether the device answered the challenge of `epoch`, seen after that epoch: its last
	/// proof did, or its last proof answered the next epoch's challenge and continued the run
	/// of a proof before it, which can only have been the proof for `epoch` (one proof per
	/// device and epoch; a run continues only from the previous epoch's proof).
	pub fn proved_in(&self, epoch: AuthEpoch) -> bool
	where
		BlockNumber: PartialOrd,
	{
		match self.last_proof {
			Some(p) if p.epoch == epoch => true,
			Some(p) if p.epoch == epoch.saturating_add(1) => {
				self.authenticated_since.is_some_and(|since| since < p.at)
			}
			_ => false,
		}
	}

	/// Whether the device counts as authenticated in epoch `current`: active, and its last
	/// proof answered the current challenge or the previous one (the current window is still
	/// open for it). Authority retirement and certificate expiry are checked by the pallet,
	/// which can read them.
	pub fn proved_recently(&self, current: AuthEpoch) -> bool {
		self.status == DeviceStatus::Active
			&& self.last_proof.is_some_and(|p| p.epoch.saturating_add(1) >= current)
	}

	/// Whether the device missed the window of the finished epoch `epoch`: it was active for
	/// all of it (activated before it started) and has no proof for it or later.
	pub fn missed(&self, epoch: AuthEpoch) -> bool {
		self.status == DeviceStatus::Active
			&& self.activated_epoch < epoch
			&& self.last_proof.is_none_or(|p| p.epoch < epoch)
	}

	/// Records an accepted proof for `epoch` at block `now`: the run of authenticated windows
	/// continues if the previous proof was for the previous epoch or this one.
	pub fn record_proof(&mut self, epoch: AuthEpoch, now: BlockNumber) {
		let continues = self.authenticated_since.is_some()
			&& self.last_proof.is_some_and(|p| p.epoch.saturating_add(1) >= epoch);
		if !continues {
			self.authenticated_since = Some(now);
		}
		self.last_proof = Some(ProofRecord { epoch, at: now });
		self.strikes = 0;
	}

	/// Records a missed or failed window; returns `true` if the strikes reached `max_strikes`
	/// (the caller quarantines).
	pub fn record_strike(&mut self, max_strikes: u32) -> bool {
		self.strikes = self.strikes.saturating_add(1);
		self.authenticated_since = None;
		self.strikes >= max_strikes
	}
}

/// The current authentication epoch and its challenge.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct EpochInfo<BlockNumber> {
	/// The epoch's index.
	pub index: AuthEpoch,
	/// The challenge every proof of this epoch answers ([`crate::messages::challenge`]).
	pub challenge: [u8; 32],
	/// The block that started the epoch.
	pub started_at: BlockNumber,
	/// The chain's genesis hash (the first input of every proof transcript), copied here so
	/// that verifying a proof reads one storage value, not two.
	pub genesis_hash: [u8; 32],
}

/// Progress of the missed-window sweep over all devices, for the finished epoch `epoch`.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SweepState {
	/// The finished epoch being evaluated.
	pub epoch: AuthEpoch,
	/// Raw storage key of the last device visited; `None` before the first.
	pub cursor: Option<BoundedVec<u8, ConstU32<MAX_DEVICE_KEY_BYTES>>>,
}

/// One domain a device is currently authenticated in.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct DomainMembership<BlockNumber> {
	/// The domain's authority.
	pub authority: AuthorityId,
	/// The domain's kind.
	pub kind: DomainKind,
	/// `None` for the home domain; the whitelist entry's expiry otherwise.
	pub expires_at: Option<BlockNumber>,
}

/// The answer of the runtime API's status query (the paper's "match" step, Fig. 7 steps 4-5):
/// is this device authenticated, since when, in which domains.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct DeviceReport<AccountId, BlockNumber> {
	/// Lifecycle state.
	pub status: DeviceStatus,
	/// Active, proved itself in the current or previous window, certificate and home
	/// authority still valid.
	pub authenticated: bool,
	/// Start of the current unbroken run of authenticated windows, if authenticated.
	pub authenticated_since: Option<BlockNumber>,
	/// Block of the last accepted proof.
	pub last_proof_at: Option<BlockNumber>,
	/// The epoch of the last accepted proof.
	pub last_proof_epoch: Option<AuthEpoch>,
	/// The home domain's authority.
	pub authority: AuthorityId,
	/// The home domain's kind.
	pub domain: DomainKind,
	/// Domains the device is authenticated in right now: the home domain first, then every
	/// unexpired whitelist entry of an active authority. Empty if not authenticated.
	pub domains: Vec<DomainMembership<BlockNumber>>,
	/// The bound account, if any.
	pub controller: Option<AccountId>,
	/// Consecutive missed or failed windows.
	pub strikes: u32,
}

/// The current challenge, for devices building their proofs.
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct ChallengeReport<BlockNumber> {
	/// The epoch to name in `register_device` / `authenticate`.
	pub epoch: AuthEpoch,
	/// The challenge to put in the proof's transcript.
	pub challenge: [u8; 32],
	/// The chain's genesis hash (the transcript's first input).
	pub genesis_hash: [u8; 32],
	/// The block that started the epoch.
	pub started_at: BlockNumber,
	/// The first block of the next epoch: proofs must be included before it.
	pub ends_at: BlockNumber,
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use frame_support::traits::ConstU32;

	fn ibe_device() -> DeviceInfo<u64, u64> {
		DeviceInfo::register(
			[1; 32],
			0,
			&Credential::Ibe { signature: [5; 97], expires_at: 900, enrolment: [0; 64] },
			Some(7),
			2,
			21,
		)
	}

	#[test]
	fn registration_records_the_first_proof() {
		let info = ibe_device();
		assert_eq!(
			(info.status, info.domain, info.certificate_expires_at),
			(DeviceStatus::Pending, DomainKind::Ibe, Some(900))
		);
		assert_eq!(info.last_proof, Some(ProofRecord { epoch: 2, at: 21 }));
		assert_eq!(
			(info.authenticated_since, info.activated_epoch, info.strikes),
			(Some(21), 2, 0)
		);
	}

	#[test]
	fn lifecycle_transitions_and_their_errors() {
		let mut info = ibe_device();
		assert_eq!(info.ensure_active(), Err(LifecycleError::Pending));
		assert_eq!(info.quarantine(), Err(LifecycleError::Pending));
		assert_eq!(info.restore(3), Err(LifecycleError::NotQuarantined));
		// Confirmed in the next epoch: the registration proof still counts.
		assert_eq!(info.confirm(3), Ok(()));
		assert_eq!(
			(info.status, info.activated_epoch, info.authenticated_since),
			(DeviceStatus::Active, 3, Some(21))
		);
		assert_eq!(info.confirm(3), Err(LifecycleError::NotPending));
		assert_eq!(info.quarantine(), Ok(()));
		assert_eq!((info.status, info.authenticated_since), (DeviceStatus::Quarantined, None));
		assert_eq!(info.quarantine(), Err(LifecycleError::Quarantined));
		info.strikes = 2;
		assert_eq!(info.restore(5), Ok(()));
		assert_eq!(
			(info.status, info.strikes, info.last_proof, info.activated_epoch),
			(DeviceStatus::Active, 0, None, 5)
		);
		assert_eq!(info.revoke(), Ok(DeviceStatus::Active));
		assert_eq!(info.revoke(), Err(LifecycleError::Revoked));
		assert_eq!(info.ensure_active(), Err(LifecycleError::Revoked));
		// Confirmed two epochs late: the registration proof's window has closed.
		let mut late = ibe_device();
		assert_eq!(late.confirm(4), Ok(()));
		assert_eq!(late.authenticated_since, None);
	}

	#[test]
	fn authorities_retire_once() {
		let mut info = AuthorityInfo {
			key: AuthorityKey::Pki(CaKey::Sr25519(sr25519::Public::from_raw([7; 32]))),
			status: AuthorityStatus::Active,
			registered_at: 3u64,
		};
		assert_eq!(info.ensure_active(), Ok(()));
		assert_eq!(info.retire(), Ok(()));
		assert_eq!(info.status, AuthorityStatus::Retired);
		assert_eq!(info.ensure_active(), Err(LifecycleError::AuthorityRetired));
		assert_eq!(info.retire(), Err(LifecycleError::AuthorityRetired));
	}

	#[test]
	fn whitelist_admits_renews_fills_and_expires() {
		let mut list = BoundedVec::<WhitelistEntry<u64>, ConstU32<2>>::new();
		assert_eq!(list.admit(1, 10, 30), Ok(()));
		assert_eq!(list.admit(2, 10, 30), Ok(()));
		assert_eq!(list.admit(3, 12, 32), Err(WhitelistError::Full));
		assert_eq!(list.len(), 2, "unchanged on error");
		// Renewal keeps one entry per target.
		assert_eq!(list.admit(1, 15, 35), Ok(()));
		assert_eq!(
			list.to_vec(),
			vec![
				WhitelistEntry { target: 1, expires_at: 35 },
				WhitelistEntry { target: 2, expires_at: 30 }
			]
		);
		// Expired entries make room.
		assert_eq!(list.admit(3, 30, 50), Ok(()));
		assert_eq!(list.iter().map(|e| e.target).collect::<Vec<_>>(), vec![1, 3]);
		// A renewed entry survives its old expiry.
		assert!(!list.expire(1, 30));
		assert!(list.expire(1, 35));
		assert!(!list.expire(1, 35));
		assert!(!list[0].counts_at(&50) && list[0].counts_at(&49));
	}

	#[test]
	fn ca_key_structure() {
		use sp_core::Pair;
		assert!(!CaKey::Sr25519(sr25519::Public::from_raw([0; 32])).is_well_formed());
		assert!(!CaKey::Ed25519(ed25519::Public::from_raw([0; 32])).is_well_formed());
		assert!(!CaKey::Ecdsa(ecdsa::Public::from_raw([4; 33])).is_well_formed());
		let pair = ecdsa::Pair::from_seed(&[1; 32]);
		assert!(CaKey::Ecdsa(pair.public()).is_well_formed());
		assert!(!AuthorityKey::Ibe([0; SM9_MASTER_KEY_BYTES]).is_well_formed());
		assert!(AuthorityKey::Pki(CaKey::Ecdsa(pair.public())).is_well_formed());
	}
}
