//! The proxy node's off-chain worker (paper Fig. 5: "PoT proxy nodes" verify identities and
//! vouch across domains) and the authorization of its votes.
//!
//! On every imported block, a node whose keystore holds a proxy key ([`crate::PROXY_KEY_TYPE`],
//! `edpx`) of an account that is a proxy node ([`Pallet::is_proxy`]) runs the worker:
//!
//! 1. it takes the worker's lock in the node's off-chain storage (a run that overlaps the
//!    previous one, on a slow node or after a re-org, does nothing);
//! 2. for each pending IBE registration it has not voted on, it verifies the SM9 credential
//!    natively through the node's host function (`endo_host::verify_ibe_credential`, GM/T
//!    0044) and votes `CredentialValid` or `CredentialInvalid`;
//! 3. for each open cross-domain request, it vouches for the device if it is authenticated in
//!    its home domain now: `CrossDomain { target }`;
//! 4. each vote is signed with the proxy key ([`crate::messages::proxy_vote_message`]) and
//!    submitted as an authorized transaction ([`Pallet::submit_attestation`]).
//!
//! A vote is submitted only when the chain would accept it now (`Pallet::plan_vote`, the
//! checks the pool runs as well). A run makes at most [`WORKER_VOTES_PER_RUN`] verifications
//! and votes, whatever comes of them, and none for a proxy whose quota of the epoch is spent. What the worker
//! submitted is recorded in off-chain storage per proxy account: a vote is not submitted again
//! for [`RESUBMIT_AFTER`] blocks, and after that only if the chain still has not counted it
//! (dropped from the pool, or its block re-organised away). The pool's tag
//! `(proxy, epoch, device, statement)` and the tally's `AlreadyAttested` make a double vote
//! impossible either way. A failure (no signature from the keystore, a pool refusal) is logged
//! and retried at a later block.

use crate::pallet::pallet::*;
use crate::{messages, types::*, LOG_TARGET};
use alloc::vec::Vec;
use codec::Encode;
use frame_support::{ensure, pallet_prelude::*};
use frame_system::{offchain::SubmitTransaction, pallet_prelude::BlockNumberFor};
use sp_core::hexdisplay::HexDisplay;
use sp_runtime::{
	offchain::{
		storage::StorageValueRef,
		storage_lock::{BlockAndTime, StorageLock},
		Duration,
	},
	transaction_validity::TransactionValidityWithRefund,
	RuntimeAppPublic,
};

/// The most credentials one run of the worker verifies and votes it submits, together.
pub const WORKER_VOTES_PER_RUN: u32 = 16;
/// Blocks after which a vote the chain has not counted is submitted again.
pub const RESUBMIT_AFTER: u32 = 8;
/// The worker's lock in the node's off-chain storage.
pub(crate) const LOCK_KEY: &[u8] = b"endochain/device-identity/proxy-worker/lock";
/// Blocks, and milliseconds, after which a lock left by a run that died is taken over.
pub(crate) const LOCK_BLOCKS: u32 = 4;
pub(crate) const LOCK_MILLIS: u64 = 30_000;
/// Prefix of the off-chain record of the votes a proxy account submitted (followed by the
/// account's SCALE encoding).
const SENT_PREFIX: &[u8] = b"endochain/device-identity/proxy-worker/sent/";

/// One submitted vote: `(epoch, device, statement, block of the submission)`.
type SentVote = (AuthEpoch, DeviceId, Attestation, u64);

impl<T: Config> Pallet<T> {
	/// The off-chain worker of block `now` (see the module docs).
	pub(crate) fn run_proxy_worker(now: BlockNumberFor<T>) {
		let proxies = Self::local_proxies();
		if proxies.is_empty() {
			return;
		}
		let mut lock =
			StorageLock::<BlockAndTime<frame_system::Pallet<T>>>::with_block_and_time_deadline(
				LOCK_KEY,
				LOCK_BLOCKS,
				Duration::from_millis(LOCK_MILLIS),
			);
		let Ok(_guard) = lock.try_lock() else {
			log::debug!(target: LOG_TARGET, "proxy worker: the previous run still holds the lock");
			return;
		};
		let Some(epoch) = Epoch::<T>::get() else { return };
		let now: u64 = sp_runtime::SaturatedConversion::saturated_into(now);
		let mut budget = WORKER_VOTES_PER_RUN;
		for (key, account) in proxies {
			// A proxy whose quota of the epoch is spent has nothing to do: no verification.
			if let Err(error) = Self::attestation_quota(&account, epoch.index) {
				log::debug!(
					target: LOG_TARGET,
					"proxy worker: {:?}",
					<&'static str>::from(error)
				);
				continue;
			}
			let record = worker_account_key(&account);
			let mut sent = SentVotes::load(&record, epoch.index);
			let mut worker = Worker::<T> {
				key,
				account,
				epoch: &epoch,
				now,
				sent: &mut sent,
				budget: &mut budget,
			};
			worker.credentials();
			worker.cross_domain_requests();
			sent.store(&record);
		}
	}

	/// The proxy keys of this node's keystore registered by accounts that are proxy nodes now.
	pub(crate) fn local_proxies() -> Vec<(T::ProxyKey, T::AccountId)> {
		T::ProxyKey::all()
			.into_iter()
			.filter_map(|key| ProxyKeyOwner::<T>::get(&key).map(|account| (key, account)))
			.filter(|(_, account)| Self::is_proxy(account))
			.collect()
	}

	/// What a vote on `device`'s `statement` is about now ([`ProxyVote::subject`]): the hash
	/// of the pending credential with the authority it is checked against, of the open
	/// cross-domain request for that target, or of the device's last proof; `None` when there
	/// is nothing to vote on.
	pub fn vote_subject(device: &DeviceId, statement: Attestation) -> Option<[u8; 32]> {
		let subject = match statement {
			Attestation::CredentialValid | Attestation::CredentialInvalid => {
				let authority = Devices::<T>::get(device)?.authority;
				(authority, PendingCredentials::<T>::get(device)?).encode()
			}
			Attestation::CrossDomain { target } => {
				let request = CrossDomainRequests::<T>::get(device)
					.filter(|request| request.target == target && !request.admitted)?;
				(request.target, request.requested_at).encode()
			}
			Attestation::AuthenticationFailed => Devices::<T>::get(device)?.last_proof.encode(),
		};
		Some(sp_io::hashing::blake2_256(&subject))
	}

	/// The account of a worker's vote, once it is checked: the vote names the current epoch and
	/// the statement's current subject, and is signed by a registered proxy key for this chain.
	pub(crate) fn check_vote_signature(
		vote: &ProxyVote<T::ProxyKey>,
		signature: &T::ProxySignature,
	) -> Result<T::AccountId, Error<T>> {
		let epoch = Self::current_epoch()?;
		ensure!(vote.epoch == epoch.index, Error::<T>::StaleVote);
		let account = ProxyKeyOwner::<T>::get(&vote.proxy).ok_or(Error::<T>::ProxyKeyUnknown)?;
		let message = messages::proxy_vote_message(&epoch.genesis_hash, vote);
		ensure!(vote.proxy.verify(&message, signature), Error::<T>::VoteSignatureInvalid);
		ensure!(
			Self::vote_subject(&vote.device, vote.attestation) == Some(vote.subject),
			Error::<T>::StaleVote
		);
		Ok(account)
	}

	/// Whether `proxy` and the epoch have used at most three quarters of their attestation
	/// quotas: the worker keeps the rest for credentials, so that cross-domain requests (which
	/// any authenticated device may make) cannot starve them.
	fn quota_headroom(proxy: &T::AccountId, epoch: AuthEpoch) -> bool {
		let (by_proxy, _) = AttestationsBy::<T>::get(epoch, proxy);
		let (counted, in_epoch) = AttestationsInEpoch::<T>::get();
		let in_epoch = if counted == epoch { in_epoch } else { 0 };
		let three_quarters = |limit: u32| limit.saturating_mul(3) / 4;
		by_proxy < three_quarters(T::MaxAttestationsPerProxy::get())
			&& in_epoch < three_quarters(T::MaxAttestationsPerEpoch::get())
	}

	/// `#[pallet::authorize]` of [`Pallet::submit_attestation`]: the signature, then every check
	/// of the vote ([`Pallet::plan_vote`]); the pool keeps one vote per proxy, epoch, device
	/// and statement, until the epoch ends.
	pub(crate) fn authorize_vote(
		_source: TransactionSource,
		vote: &ProxyVote<T::ProxyKey>,
		signature: &T::ProxySignature,
	) -> TransactionValidityWithRefund {
		let proxy = Self::check_vote_signature(vote, signature).map_err(Self::pool_rejection)?;
		Self::plan_vote(&proxy, &vote.device, vote.attestation).map_err(Self::pool_rejection)?;
		ValidTransaction::with_tag_prefix("DeviceIdentityVote")
			.priority(T::UnsignedPriority::get())
			.and_provides((proxy, vote.epoch, vote.device, vote.attestation))
			.longevity(Self::blocks_left_in_epoch())
			.propagate(true)
			.build()
			.map(|validity| (validity, Weight::zero()))
	}

	/// The verdict of an honest proxy on a pending IBE credential: the GM/T 0044 verification
	/// against the master key of the device's KGC, natively in the node. `None` when the
	/// registration or its authority is gone.
	fn credential_statement(
		device: &DeviceId,
		signature: &[u8; SM9_SIGNATURE_BYTES],
	) -> Option<Attestation> {
		let info = Devices::<T>::get(device)?;
		let AuthorityKey::Ibe(master_key) = Authorities::<T>::get(info.authority)?.key else {
			return Some(Attestation::CredentialInvalid);
		};
		Some(if endo_host::endo_host::verify_ibe_credential(&master_key, device, signature) {
			Attestation::CredentialValid
		} else {
			Attestation::CredentialInvalid
		})
	}

	/// Whether an honest proxy vouches for the device of a cross-domain request: the chain
	/// reports it authenticated in its home domain now (a proof of this or the last epoch, not
	/// voided by a failed authentication, its credential unexpired, its authority active).
	fn vouches_for(device: &DeviceId, epoch: AuthEpoch, now: BlockNumberFor<T>) -> bool {
		Devices::<T>::get(device).is_some_and(|info| Self::authenticated_now(&info, epoch, now))
	}
}

/// The storage key of a proxy account's record of submitted votes.
fn worker_account_key<AccountId: Encode>(account: &AccountId) -> Vec<u8> {
	let mut key = SENT_PREFIX.to_vec();
	account.encode_to(&mut key);
	key
}

/// What a proxy account submitted in the current epoch (older epochs' votes count no more and
/// are dropped when loaded).
struct SentVotes(Vec<SentVote>);

impl SentVotes {
	fn load(key: &[u8], epoch: AuthEpoch) -> Self {
		let stored = StorageValueRef::persistent(key)
			.get::<Vec<SentVote>>()
			.ok()
			.flatten()
			.unwrap_or_default();
		SentVotes(stored.into_iter().filter(|(e, ..)| *e == epoch).collect())
	}

	fn store(&self, key: &[u8]) {
		StorageValueRef::persistent(key).set(&self.0);
	}

	/// Whether the vote was submitted less than [`RESUBMIT_AFTER`] blocks before `now`.
	fn recent(&self, device: &DeviceId, statement: Attestation, now: u64) -> bool {
		self.0.iter().any(|(_, d, s, at)| {
			d == device && *s == statement && now < at.saturating_add(u64::from(RESUBMIT_AFTER))
		})
	}

	fn record(&mut self, epoch: AuthEpoch, device: DeviceId, statement: Attestation, now: u64) {
		self.0.retain(|(_, d, s, _)| !(d == &device && *s == statement));
		self.0.push((epoch, device, statement, now));
	}
}

/// One proxy key's part of a run.
struct Worker<'a, T: Config> {
	key: T::ProxyKey,
	account: T::AccountId,
	epoch: &'a crate::EpochInfoOf<T>,
	now: u64,
	sent: &'a mut SentVotes,
	budget: &'a mut u32,
}

impl<T: Config> Worker<'_, T> {
	/// Votes on the pending IBE registrations this proxy has not voted on.
	fn credentials(&mut self) {
		let statements = [Attestation::CredentialValid, Attestation::CredentialInvalid];
		for (device, signature) in PendingCredentials::<T>::iter() {
			if *self.budget == 0 {
				return;
			}
			if statements.into_iter().any(|s| self.sent.recent(&device, s, self.now)) {
				continue;
			}
			// Neither verdict would count (voted already, either way; an expired enrolment; no
			// deposit; ...): no verification, which is the expensive part.
			if statements
				.into_iter()
				.all(|s| Pallet::<T>::plan_vote(&self.account, &device, s).is_err())
			{
				continue;
			}
			// A verification spends the budget whether or not a vote follows: a run never
			// verifies more than WORKER_VOTES_PER_RUN credentials.
			*self.budget = self.budget.saturating_sub(1);
			if let Some(statement) = Pallet::<T>::credential_statement(&device, &signature) {
				self.vote(device, statement);
			}
		}
	}

	/// Vouches for the devices of open cross-domain requests, while the quotas have headroom.
	fn cross_domain_requests(&mut self) {
		if !Pallet::<T>::quota_headroom(&self.account, self.epoch.index) {
			return;
		}
		let block = frame_system::Pallet::<T>::block_number();
		for (device, request) in CrossDomainRequests::<T>::iter() {
			if *self.budget == 0 {
				return;
			}
			if request.admitted {
				continue;
			}
			let statement = Attestation::CrossDomain { target: request.target };
			if self.sent.recent(&device, statement, self.now)
				|| !Pallet::<T>::vouches_for(&device, self.epoch.index, block)
				|| Pallet::<T>::plan_vote(&self.account, &device, statement).is_err()
			{
				continue;
			}
			*self.budget = self.budget.saturating_sub(1);
			self.vote(device, statement);
		}
	}

	/// Signs and submits the vote if the chain would count it now.
	fn vote(&mut self, device: DeviceId, statement: Attestation) {
		if let Err(error) = Pallet::<T>::plan_vote(&self.account, &device, statement) {
			log::debug!(
				target: LOG_TARGET,
				"proxy worker: no vote {statement:?} on 0x{}: {:?}",
				HexDisplay::from(&device),
				<&'static str>::from(error)
			);
			return;
		}
		let Some(subject) = Pallet::<T>::vote_subject(&device, statement) else { return };
		let vote = ProxyVote {
			proxy: self.key.clone(),
			device,
			attestation: statement,
			epoch: self.epoch.index,
			subject,
		};
		let message = messages::proxy_vote_message(&self.epoch.genesis_hash, &vote);
		let Some(signature) = self.key.sign(&message) else {
			log::warn!(target: LOG_TARGET, "proxy worker: the keystore did not sign with the proxy key; retrying at a later block");
			return;
		};
		let call = Call::<T>::submit_attestation { vote, signature };
		let transaction = T::create_authorized_transaction(call.into());
		match SubmitTransaction::<T, Call<T>>::submit_transaction(transaction) {
			Ok(()) => {
				log::info!(
					target: LOG_TARGET,
					"proxy worker: voted {statement:?} on 0x{}",
					HexDisplay::from(&device)
				);
				self.sent.record(self.epoch.index, device, statement, self.now);
			}
			Err(()) => log::warn!(
				target: LOG_TARGET,
				"proxy worker: the pool refused the vote {statement:?} on 0x{}; retrying at a later block",
				HexDisplay::from(&device)
			),
		}
	}
}
