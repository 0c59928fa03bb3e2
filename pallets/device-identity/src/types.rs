//! The pallet's data types, and the rules that belong to them (KILT style: the call bodies read
//! as a story, the rules live here).

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{traits::ConstU32, BoundedVec};
use scale_info::TypeInfo;
use sp_core::{ecdsa, ed25519, sr25519};
use sp_runtime::MultiSignature;

pub use endo_traits::DeviceId;

/// Index of a registered authority (an SM9 key generation centre or a certificate authority).
/// Assigned by the pallet in registration order, starting at 0.
pub type AuthorityId = u32;

/// Index of an authentication epoch. Epoch `e` has its own challenge; a device proves itself
/// once per epoch.
pub type EpochIndex = u32;

/// Bytes of an SM9 master signature public key `Ppub-s` (G2 point `x || y`, each coordinate an
/// Fp2 element of 64 bytes, big-endian; `endo_crypto::Sm9MasterSignPublicKey`).
pub const SM9_MASTER_KEY_BYTES: usize = 128;
/// Bytes of an SM9 signature `h (32) || 0x04 || x (32) || y (32)` (`endo_crypto::Sm9Signature`).
pub const SM9_SIGNATURE_BYTES: usize = 97;
/// Bytes of a device public key (compressed Ristretto255 point).
pub const PUBLIC_KEY_BYTES: usize = 32;
/// Bytes of a NIZK identity proof (`endo_crypto::IdentityProof`).
pub const PROOF_BYTES: usize = 64;
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

	/// Structural validation (see [`crate::logic::sm9_master_key_well_formed`] and
	/// [`crate::logic::ca_key_well_formed`]).
	pub fn is_well_formed(&self) -> bool {
		match self {
			AuthorityKey::Ibe(key) => crate::logic::sm9_master_key_well_formed(key),
			AuthorityKey::Pki(key) => crate::logic::ca_key_well_formed(key),
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

/// A compact certificate of the PKI domain: the CA vouches that `subject` is a device of its
/// domain until block `expires_at`.
///
/// The CA signs the SCALE encoding of
/// `(b"endochain/device-identity/certificate/v1", genesis_hash, subject, expires_at)`
/// ([`crate::logic::certificate_message`]), so a certificate is valid on one chain only.
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

/// A device's domain credential, presented at registration (paper Fig. 6 steps 5-9: "the hash
/// of the ID and the signature of the hash are uploaded to the blockchain").
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub enum Credential<BlockNumber> {
	/// IBE domain: the standard GM/T 0044 SM9 signature of the 32 ID bytes, made with the
	/// signing key the KGC extracted for the identity `hex(ID)` (64 lowercase ASCII hex
	/// characters). Verified off chain by proxy nodes ([`crate::logic::ibe_credential_statement`]).
	#[codec(index = 0)]
	Ibe {
		/// `h || 0x04 || x || y`, 97 bytes.
		signature: [u8; SM9_SIGNATURE_BYTES],
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
	pub epoch: EpochIndex,
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
	/// PKI: the certificate's expiry. After it the device cannot authenticate.
	pub certificate_expires_at: Option<BlockNumber>,
	/// The epoch in which the device became active (registration, or IBE confirmation). The
	/// device is expected to prove itself in every later epoch.
	pub activated_epoch: EpochIndex,
	/// The last accepted proof (the registration proof counts as the first).
	pub last_proof: Option<ProofRecord<BlockNumber>>,
	/// Start of the current unbroken run of authenticated windows; `None` when not
	/// authenticated.
	pub authenticated_since: Option<BlockNumber>,
	/// Consecutive missed or failed windows; reset by an accepted proof or a restore.
	pub strikes: u32,
}

impl<AccountId, BlockNumber: Copy> DeviceInfo<AccountId, BlockNumber> {
	/// Whether the device already answered the challenge of `epoch` (one proof per device and
	/// epoch: the per-device rate limit, and what makes a replayed proof fail).
	pub fn answered(&self, epoch: EpochIndex) -> bool {
		self.last_proof.is_some_and(|p| p.epoch == epoch)
	}

	/// Whether the device answered the challenge of `epoch`, seen after that epoch: its last
	/// proof did, or its last proof answered the next epoch's challenge and continued the run
	/// of a proof before it, which can only have been the proof for `epoch` (one proof per
	/// device and epoch; a run continues only from the previous epoch's proof).
	pub fn proved_in(&self, epoch: EpochIndex) -> bool
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
	pub fn proved_recently(&self, current: EpochIndex) -> bool {
		self.status == DeviceStatus::Active
			&& self.last_proof.is_some_and(|p| p.epoch.saturating_add(1) >= current)
	}

	/// Whether the device missed the window of the finished epoch `epoch`: it was active for
	/// all of it (activated before it started) and has no proof for it or later.
	pub fn missed(&self, epoch: EpochIndex) -> bool {
		self.status == DeviceStatus::Active
			&& self.activated_epoch < epoch
			&& self.last_proof.is_none_or(|p| p.epoch < epoch)
	}

	/// Records an accepted proof for `epoch` at block `now`: the run of authenticated windows
	/// continues if the previous proof was for the previous epoch or this one.
	pub fn record_proof(&mut self, epoch: EpochIndex, now: BlockNumber) {
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
	pub index: EpochIndex,
	/// The challenge every proof of this epoch answers ([`crate::logic::challenge`]).
	pub challenge: [u8; 32],
	/// The block that started the epoch.
	pub started_at: BlockNumber,
	/// The chain's genesis hash (the first input of every proof transcript), copied here so
	/// that verifying a proof reads one storage value, not two.
	pub genesis_hash: [u8; 32],
}

/// What a proxy node attests about a device (paper Fig. 5: "the proxy nodes reach an agreement
/// on the authentication result").
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
pub enum Attestation {
	/// The pending device's SM9 credential verifies against its KGC's master key.
	#[codec(index = 0)]
	CredentialValid,
	/// The pending device's SM9 credential does not verify (or does not parse).
	#[codec(index = 1)]
	CredentialInvalid,
	/// The device, authenticated in its home domain, is admitted to the domain of `target`
	/// (whitelist entry with expiry).
	#[codec(index = 2)]
	CrossDomain {
		/// The target domain's authority.
		target: AuthorityId,
	},
	/// The device failed an authentication at the proxy (e.g. a local challenge at a
	/// gateway).
	#[codec(index = 3)]
	AuthenticationFailed,
}

impl Attestation {
	/// Credential attestations are about the pending registration and keep their votes across
	/// epochs; the others are about the current window and count only in the epoch they were
	/// cast.
	pub fn is_about_credential(&self) -> bool {
		matches!(self, Attestation::CredentialValid | Attestation::CredentialInvalid)
	}
}

/// A cross-domain whitelist entry (paper Fig. 5: "PoT node adds trusted nodes and expiration
/// dates to the trusted whitelist").
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
pub struct WhitelistEntry<BlockNumber> {
	/// The domain (authority) the device is admitted to.
	pub target: AuthorityId,
	/// The entry counts while `now < expires_at`.
	pub expires_at: BlockNumber,
}

/// Progress of the missed-window sweep over all devices, for the finished epoch `epoch`.
#[derive(Encode, Decode, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug)]
pub struct SweepState {
	/// The finished epoch being evaluated.
	pub epoch: EpochIndex,
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
	pub last_proof_epoch: Option<EpochIndex>,
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
	pub epoch: EpochIndex,
	/// The challenge to put in the proof's transcript.
	pub challenge: [u8; 32],
	/// The chain's genesis hash (the transcript's first input).
	pub genesis_hash: [u8; 32],
	/// The block that started the epoch.
	pub started_at: BlockNumber,
	/// The first block of the next epoch: proofs must be included before it.
	pub ends_at: BlockNumber,
}
