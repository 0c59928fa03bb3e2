//! What proxy nodes attest, the requests and worker votes behind their attestations, and the
//! cross-domain whitelist their admissions fill.

use super::*;

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

/// A device's request to be admitted to another domain ([`crate::Pallet::request_cross_domain`]).
/// The proxy nodes' off-chain workers check the device and attest
/// [`Attestation::CrossDomain`]. The request stays, open and then `admitted`, until the sweep
/// removes it `RegistrationTimeout` blocks after `requested_at` (or the device is quarantined,
/// revoked or removed): a device asks at most once in that time, so that neither it nor anyone
/// replaying its request can spend the proxies' attestation quotas on renewals.
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
pub struct CrossDomainRequest<BlockNumber> {
	/// The authority of the domain the device asks to enter.
	pub target: AuthorityId,
	/// The block of the request.
	pub requested_at: BlockNumber,
	/// Whether the proxies admitted the device (the request then only bars a new one until it
	/// expires).
	pub admitted: bool,
}

/// A proxy node's attestation as its off-chain worker submits it
/// ([`crate::Pallet::submit_attestation`]), signed with the proxy key of its node's keystore
/// (key type [`crate::PROXY_KEY_TYPE`]) over [`crate::messages::proxy_vote_message`].
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct ProxyVote<Key> {
	/// The proxy key; the proxy node is the account it stands for.
	pub proxy: Key,
	/// The device the statement is about.
	pub device: DeviceId,
	/// The statement.
	pub attestation: Attestation,
	/// The epoch the vote is cast in: it counts only in that epoch.
	pub epoch: AuthEpoch,
	/// What the statement is about ([`crate::Pallet::vote_subject`]): the hash of the pending
	/// credential and its authority, of the open cross-domain request, or of the device's last
	/// proof. A vote
	/// signed for an earlier registration or request of the same device does not count for a
	/// later one.
	pub subject: [u8; 32],
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
/// dates to the trusted whitelist"). A device's entries follow [`WhitelistRules`].
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

impl<BlockNumber: PartialOrd> WhitelistEntry<BlockNumber> {
	/// Whether the entry counts at block `now` (it has not expired).
	pub fn counts_at(&self, now: &BlockNumber) -> bool {
		*now < self.expires_at
	}
}

/// Why a device cannot be admitted to another domain.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum WhitelistError {
	/// The device has as many unexpired entries (target domains) as its list holds.
	Full,
}

/// The rules of a device's cross-domain whitelist, on the stored list (at most `S` entries,
/// one per target domain). The expiry queue that prunes entries is the pallet's.
pub trait WhitelistRules<BlockNumber> {
	/// Admits the device to `target`'s domain until `expires_at`: drops the entries expired at
	/// `now`, then renews `target`'s entry or inserts one. Changes nothing on error.
	fn admit(
		&mut self,
		target: AuthorityId,
		now: BlockNumber,
		expires_at: BlockNumber,
	) -> Result<(), WhitelistError>;

	/// Removes `target`'s entry if it has expired at `now` (a renewed entry has a later expiry
	/// and stays); returns whether one was removed.
	fn expire(&mut self, target: AuthorityId, now: BlockNumber) -> bool;
}

impl<BlockNumber: Copy + PartialOrd, S: Get<u32>> WhitelistRules<BlockNumber>
	for BoundedVec<WhitelistEntry<BlockNumber>, S>
{
	fn admit(
		&mut self,
		target: AuthorityId,
		now: BlockNumber,
		expires_at: BlockNumber,
	) -> Result<(), WhitelistError> {
		let mut list = self.clone();
		list.retain(|entry| entry.counts_at(&now));
		match list.iter_mut().find(|entry| entry.target == target) {
			Some(entry) => entry.expires_at = expires_at,
			None => list
				.try_push(WhitelistEntry { target, expires_at })
				.map_err(|_| WhitelistError::Full)?,
		}
		*self = list;
		Ok(())
	}

	fn expire(&mut self, target: AuthorityId, now: BlockNumber) -> bool {
		let before = self.len();
		self.retain(|entry| entry.target != target || entry.counts_at(&now));
		self.len() != before
	}
}
