//! The pallet's events and errors, a section of the `#[frame_support::pallet]` module in
//! `mod.rs` (imported there with `#[import_section]`).

use frame_support::pallet_macros::pallet_section;

/// Events and errors.
#[pallet_section]
mod events {
	/// Events. Every state change emits one; field names say what they hold.
	#[pallet::event]
	#[pallet::generate_deposit(pub(crate) fn deposit_event)]
	#[allow(missing_docs)]
	pub enum Event<T: Config> {
		/// An authority was registered.
		AuthorityRegistered { authority: AuthorityId, kind: DomainKind },
		/// An authority was retired.
		AuthorityRetired { authority: AuthorityId },
		/// A retired authority without devices was removed (its key stays reserved).
		AuthorityRemoved { authority: AuthorityId },
		/// The sweep removed a record that can never be used again: a revoked device's
		/// tombstone, or a device of a retired authority.
		DeviceRecordRemoved { device: DeviceId },
		/// An IBE authority's enrolment key was set (`Some`) or removed (`None`).
		EnrolmentKeySet { authority: AuthorityId, key: Option<EnrolmentKey> },
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
		/// Proxy nodes rejected a pending registration's credential: the record was removed, or
		/// (rejected in the epoch of its registration proof) kept as
		/// [`DeviceStatus::Rejected`] until that epoch is over.
		RegistrationRejected { device: DeviceId },
		/// Proxy nodes confirmed a pending registration, but its controller had meanwhile
		/// become bound to another device: the registration was removed (the device may
		/// register again, with another controller or none).
		RegistrationVoided { device: DeviceId, controller: T::AccountId },
		/// A pending registration timed out and was removed.
		RegistrationExpired { device: DeviceId },
		/// A device answered the challenge of `epoch`.
		DeviceAuthenticated { device: DeviceId, epoch: AuthEpoch },
		/// An active device did not prove itself in `epoch`.
		AuthenticationMissed { device: DeviceId, epoch: AuthEpoch, strikes: u32 },
		/// Proxy nodes agreed that a device failed an authentication in `epoch`.
		AuthenticationFailed { device: DeviceId, epoch: AuthEpoch, strikes: u32 },
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
		NewChallenge { epoch: AuthEpoch, challenge: [u8; 32] },
		/// A device (`by_device`) or its controller asked for the device's admission to the
		/// domain of `target`; the proxy nodes' workers check it.
		CrossDomainRequested { device: DeviceId, target: AuthorityId, by_device: bool },
		/// A cross-domain request ended without an admission: it timed out, or the device was
		/// quarantined, revoked or removed. (An admitted request ends silently.)
		CrossDomainRequestEnded { device: DeviceId, target: AuthorityId },
		/// A proxy node registered the key its node's worker signs its votes with.
		ProxyKeySet { account: T::AccountId, key: T::ProxyKey },
		/// A proxy node removed its proxy key.
		ProxyKeyRemoved { account: T::AccountId, key: T::ProxyKey },
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
		/// The credential has expired: the PKI certificate or the IBE enrolment (its
		/// `expires_at`, co-signed by the KGC) is past its last valid block.
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
		/// which is at most its bound [`Config::MaxAttestationVoters`] (defensive).
		TallyFull,
		/// The proxy node made [`Config::MaxAttestationsPerProxy`] attestations in this epoch.
		ProxyQuotaExhausted,
		/// The proxy nodes made [`Config::MaxAttestationsPerEpoch`] attestations in this epoch.
		EpochQuotaExhausted,
		/// The statement was already settled in this epoch (a device fails at most once per
		/// epoch).
		AlreadyConcluded,
		/// Only a retired authority can be removed.
		AuthorityActive,
		/// The authority's devices are removed [`Config::TombstoneRetention`] epochs after its
		/// retirement, and the sweep of the epoch after that must have run: it is too early.
		AuthorityRetiredRecently,
		/// The controller's consent signature does not verify: not made by the controller
		/// account, or for another device, key, authority or chain.
		ControllerConsentInvalid,
		/// The proxy nodes rejected this device's credential in the current epoch: register
		/// again with a proof of a later epoch.
		CredentialRejected,
		/// The entries of an `authenticate_batch` are not in increasing order of device ID
		/// (one set of devices has one valid batch: reordered copies are refused unread).
		BatchUnsorted,
		/// The IBE registration's authority has no enrolment key: it takes no registrations
		/// until [`Config::AdminOrigin`] sets one (`set_enrolment_key`).
		EnrolmentKeyMissing,
		/// The authority's enrolment co-signature does not verify: not made with its enrolment
		/// key, or for another device, authority or chain.
		EnrolmentSignatureInvalid,
		/// The proxy node cannot hold [`Config::AttestationDeposit`] for a vote that does not
		/// settle its statement.
		InsufficientDeposit,
		/// An enrolment key for an authority that is not an IBE authority (PKI devices are
		/// certified on chain).
		NotIbeAuthority,
		/// The enrolment key is not a canonical Ristretto255 point other than the identity (not
		/// an sr25519 public key).
		EnrolmentKeyMalformed,
		/// The signer is not the device's controller.
		NotController,
		/// The device made a cross-domain request less than [`Config::RegistrationTimeout`]
		/// blocks ago (open, or already admitted).
		RequestOpen,
		/// A cross-domain admission nobody asked for: the device has no open request for that
		/// domain (or it was admitted already).
		NoRequest,
		/// A worker's vote names another epoch than the current one.
		StaleVote,
		/// A worker's vote is not signed by the proxy key it names (or is for another chain).
		VoteSignatureInvalid,
		/// No account registered this proxy key.
		ProxyKeyUnknown,
		/// Another account registered this proxy key.
		ProxyKeyInUse,
		/// The proof is not the proxy key's signature of the account for this chain.
		ProxyKeyProofInvalid,
		/// The account has no proxy key.
		NoProxyKey,
	}

	impl<T> From<ProofError> for Error<T> {
		fn from(error: ProofError) -> Self {
			match error {
				ProofError::PublicKeyMalformed => Error::PublicKeyMalformed,
				ProofError::IdentityMismatch => Error::IdentityMismatch,
				ProofError::ProofMalformed => Error::ProofMalformed,
				ProofError::ProofInvalid => Error::ProofInvalid,
			}
		}
	}

	impl<T> From<LifecycleError> for Error<T> {
		fn from(error: LifecycleError) -> Self {
			match error {
				LifecycleError::Pending => Error::RegistrationPending,
				LifecycleError::Quarantined => Error::DeviceQuarantined,
				LifecycleError::Revoked => Error::DeviceRevoked,
				LifecycleError::NotPending => Error::NotPending,
				LifecycleError::NotQuarantined => Error::NotQuarantined,
				LifecycleError::AuthorityRetired => Error::AuthorityRetired,
				LifecycleError::Rejected => Error::CredentialRejected,
			}
		}
	}

	impl<T> From<WhitelistError> for Error<T> {
		fn from(error: WhitelistError) -> Self {
			match error {
				WhitelistError::Full => Error::WhitelistFull,
			}
		}
	}
}
