//! Proxy attestations (paper Fig. 5) and what follows from them: who is a proxy node, the
//! preconditions of each statement, the threshold and quotas, the deposits of open votes, its
//! settlement, strikes, quarantine, the removal of pending registrations, and the pruning of
//! the tallies of finished epochs (hook part 4).

use crate::pallet::pallet::*;
use crate::{types::*, weights::WeightInfo, BalanceOf, DeviceInfoOf, VotersOf};
use endo_traits::{IdentityEvidence, IdentityTrustSink, TrustProvider};
use frame_support::{
	dispatch::{DispatchResult, DispatchResultWithPostInfo, Pays, PostDispatchInfo},
	ensure,
	traits::{
		fungible::{InspectHold, MutateHold},
		tokens::Precision,
		Get,
	},
	weights::Weight,
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::traits::{Saturating, UniqueSaturatedInto, Zero};

/// What an accepted vote will do, worked out before the call's first write
/// ([`Pallet::plan_vote`]): the authorization of a worker's vote stops there, the call carries
/// it out ([`Pallet::do_attest`]).
pub(crate) struct VotePlan<T: Config> {
	epoch: AuthEpoch,
	now: BlockNumberFor<T>,
	info: DeviceInfoOf<T>,
	voters: VotersOf<T>,
	quota: AttestationQuota<BalanceOf<T>>,
	settles: bool,
	deposit: BalanceOf<T>,
}

/// The quota counts of one proxy node's attestation, read before the call's first write and
/// written by [`Pallet::count_attestation`] once the attestation is accepted.
pub(crate) struct AttestationQuota<Balance> {
	epoch: AuthEpoch,
	by_proxy: u32,
	held: Balance,
	in_epoch: u32,
}

impl<T: Config> Pallet<T> {
	/// Every check of `proxy`'s vote `attestation` about `device`, no write: a proxy node, an
	/// epoch, the statement's preconditions, an open tally without its vote, the quotas, and
	/// the deposit when the vote does not settle.
	pub(crate) fn plan_vote(
		proxy: &T::AccountId,
		device: &DeviceId,
		attestation: Attestation,
	) -> Result<VotePlan<T>, Error<T>> {
		ensure!(Self::is_proxy(proxy), Error::<T>::NotProxy);
		let epoch = Self::current_epoch()?.index;
		let info = Devices::<T>::get(device).ok_or(Error::<T>::DeviceUnknown)?;
		let now = frame_system::Pallet::<T>::block_number();
		Self::ensure_attestable(device, &info, proxy, attestation, epoch, now)?;

		let (mut voters, concluded) =
			Tallies::<T>::get((epoch, device, attestation)).unwrap_or_default();
		ensure!(!concluded, Error::<T>::AlreadyConcluded);
		ensure!(!voters.iter().any(|(voter, _)| voter == proxy), Error::<T>::AlreadyAttested);
		let quota = Self::attestation_quota(proxy, epoch)?;
		let votes = (voters.len() as u32).saturating_add(1);
		let settles =
			votes >= Self::attestation_threshold() || Self::every_validator_voted(&voters, proxy);
		// The settling vote holds nothing: its own settlement would release it at once.
		let deposit = if settles { Zero::zero() } else { T::AttestationDeposit::get() };
		if !deposit.is_zero() {
			T::Currency::ensure_can_hold(&HoldReason::AttestationDeposit.into(), proxy, deposit)
				.map_err(|_| Error::<T>::InsufficientDeposit)?;
		}
		voters.try_push((proxy.clone(), deposit)).map_err(|_| Error::<T>::TallyFull)?;
		Ok(VotePlan { epoch, now, info, voters, quota, settles, deposit })
	}

	/// Records `proxy`'s vote `attestation` about `device` (`attest`, `submit_attestation`):
	/// settles the statement when the vote reaches the threshold, holds the deposit otherwise.
	/// Nothing changes on error.
	pub(crate) fn do_attest(
		proxy: T::AccountId,
		device: DeviceId,
		attestation: Attestation,
	) -> DispatchResultWithPostInfo {
		let VotePlan { epoch, now, info, mut voters, quota, settles, deposit } =
			Self::plan_vote(&proxy, &device, attestation)?;
		let votes = voters.len() as u32;
		let weight = if settles {
			// Every fallible step of the settlement runs before its first write.
			let weight = Self::settle_attestation(device, info, attestation, epoch, now)?;
			Self::release_deposits(epoch, &mut voters);
			if attestation == Attestation::AuthenticationFailed {
				// Kept as concluded until its epoch is pruned: one failure per epoch.
				Tallies::<T>::insert((epoch, device, attestation), (voters, true));
			} else {
				Tallies::<T>::remove((epoch, device, attestation));
			}
			weight
		} else {
			// The first write: nothing was changed if it fails.
			Self::hold_deposit(&proxy, deposit)?;
			Tallies::<T>::insert((epoch, device, attestation), (voters, false));
			T::WeightInfo::attest_vote()
		};
		Self::count_attestation(&proxy, quota, deposit);
		Self::deposit_event(Event::Attested { device, proxy, attestation, votes });
		// The deposit, not a fee, is what an open vote costs (crate docs, *Security:
		// attestations and the proxy set*).
		Ok(PostDispatchInfo { actual_weight: Some(weight), pays_fee: Pays::No })
	}

	/// Whether `who` is a proxy node: an account with trust level at least
	/// [`Config::MinProxyTrust`], or a current validator with trust level at least
	/// [`Config::MinValidatorProxyTrust`]. The second rule keeps the proxy set from emptying
	/// itself when trust decays (`docs/SECURITY.md`): validators passed the identity,
	/// admission and trust rules of Proof of Trust, and the validator set is never empty.
	pub fn is_proxy(who: &T::AccountId) -> bool {
		let level = T::Trust::trust_level(who);
		level >= T::MinProxyTrust::get()
			|| (level >= T::MinValidatorProxyTrust::get() && T::Trust::is_validator(who))
	}

	/// Matching attestations by distinct proxy nodes that settle a statement now:
	/// [`Config::AttestationQuorum`] of the current validator set (rounded up), at least
	/// [`Config::MinAttestations`], at most [`Config::MaxAttestationVoters`]. A validator set
	/// smaller than `MinAttestations` also settles a statement when all its validators voted
	/// for it ([`Pallet::every_validator_voted`]).
	pub fn attestation_threshold() -> u32 {
		T::AttestationQuorum::get()
			.mul_ceil(T::Trust::validator_count())
			.max(T::MinAttestations::get())
			.min(T::MaxAttestationVoters::get())
	}

	/// Whether, on a validator set smaller than [`Config::MinAttestations`], the `voters` of
	/// a tally and `proxy`'s new vote include every validator: then the statement settles with
	/// fewer votes than `MinAttestations`. A one-validator chain, such as the development
	/// chain, settles with its validator's vote (its blocks decide everything anyway); a
	/// trusted account that is no validator never settles anything alone.
	pub fn every_validator_voted(voters: &VotersOf<T>, proxy: &T::AccountId) -> bool {
		let validators = T::Trust::validator_count();
		if validators == 0 || validators >= T::MinAttestations::get() {
			return false;
		}
		let voted = voters
			.iter()
			.map(|(voter, _)| voter)
			.chain(core::iter::once(proxy))
			.filter(|voter| T::Trust::is_validator(voter))
			.count();
		voted as u32 >= validators
	}

	/// Checks `proxy`'s and the epoch's attestation quotas ([`Config::MaxAttestationsPerProxy`],
	/// [`Config::MaxAttestationsPerEpoch`]); writes nothing.
	pub(crate) fn attestation_quota(
		proxy: &T::AccountId,
		epoch: AuthEpoch,
	) -> Result<AttestationQuota<BalanceOf<T>>, Error<T>> {
		let (by_proxy, held) = AttestationsBy::<T>::get(epoch, proxy);
		ensure!(by_proxy < T::MaxAttestationsPerProxy::get(), Error::<T>::ProxyQuotaExhausted);
		let (counted_epoch, in_epoch) = AttestationsInEpoch::<T>::get();
		let in_epoch = if counted_epoch == epoch { in_epoch } else { 0 };
		ensure!(in_epoch < T::MaxAttestationsPerEpoch::get(), Error::<T>::EpochQuotaExhausted);
		Ok(AttestationQuota { epoch, by_proxy, held, in_epoch })
	}

	/// Counts an accepted attestation of `proxy`, which holds `deposit` for it, against the
	/// quotas read by [`Pallet::attestation_quota`].
	pub(crate) fn count_attestation(
		proxy: &T::AccountId,
		quota: AttestationQuota<BalanceOf<T>>,
		deposit: BalanceOf<T>,
	) {
		let held = quota.held.saturating_add(deposit);
		AttestationsBy::<T>::insert(quota.epoch, proxy, (quota.by_proxy.saturating_add(1), held));
		AttestationsInEpoch::<T>::put((quota.epoch, quota.in_epoch.saturating_add(1)));
	}

	/// Holds `deposit` from `proxy` for a vote that does not settle its statement.
	pub(crate) fn hold_deposit(
		proxy: &T::AccountId,
		deposit: BalanceOf<T>,
	) -> Result<(), Error<T>> {
		if deposit.is_zero() {
			return Ok(());
		}
		T::Currency::hold(&HoldReason::AttestationDeposit.into(), proxy, deposit)
			.map_err(|_| Error::<T>::InsufficientDeposit)
	}

	/// Releases the deposits of a settled tally of `epoch` (at most
	/// [`Config::MaxAttestationVoters`]): every voter agreed with the outcome. The deposits
	/// become zero in `voters`, and leave the voters' counters of `epoch`, so that the pruning
	/// of the epoch does not release them again.
	pub(crate) fn release_deposits(epoch: AuthEpoch, voters: &mut VotersOf<T>) {
		for (voter, deposit) in voters.iter_mut().filter(|(_, deposit)| !deposit.is_zero()) {
			let released = Self::release_held(voter, *deposit);
			AttestationsBy::<T>::mutate(epoch, &*voter, |(_, held)| {
				*held = held.saturating_sub(released)
			});
			*deposit = Zero::zero();
		}
	}

	/// Releases up to `amount` of `who`'s attestation deposits; returns what was released.
	fn release_held(who: &T::AccountId, amount: BalanceOf<T>) -> BalanceOf<T> {
		// Best effort never fails: it releases what is held, at most `amount`.
		T::Currency::release(
			&HoldReason::AttestationDeposit.into(),
			who,
			amount,
			Precision::BestEffort,
		)
		.unwrap_or_else(|_| Zero::zero())
	}

	/// Whether the hook's pruning keeps up with what one epoch can add (checked by
	/// `integrity_test`):
	///
	/// * every accepted attestation adds at most one tally and one counter, so an epoch adds
	///   at most `2 * MaxAttestationsPerEpoch` entries to `Tallies` and `AttestationsBy`;
	/// * every whitelist expiry is queued by a concluded cross-domain tally, which took at least
	///   one attestation (one validator's settles on a one-validator chain), so an epoch queues
	///   at most `MaxAttestationsPerEpoch` entries in `ExpiryQueue`;
	///
	/// and each of the two prunings removes up to [`Config::MaxPrunePerBlock`] entries in each
	/// of the `EpochLength` blocks of an epoch. So neither outgrows its pruning: the expiries
	/// due in an epoch are pruned within about one epoch, and the tallies of a finished epoch
	/// are gone by the end of the next.
	pub fn pruning_keeps_up() -> bool {
		let epoch_blocks: u64 = T::EpochLength::get().unique_saturated_into();
		let capacity = epoch_blocks.saturating_mul(T::MaxPrunePerBlock::get().into());
		let per_epoch = u64::from(T::MaxAttestationsPerEpoch::get());
		per_epoch.saturating_mul(2) <= capacity
	}

	/// Hook part 4: removes up to [`Config::MaxPrunePerBlock`] [`Tallies`] and
	/// [`AttestationsBy`] entries of the oldest finished epoch, releasing the deposits that a
	/// counter still records (the votes of tallies that never settled: the voters did the work,
	/// and the quotas bound them); moves on to the next epoch once both are empty.
	pub(crate) fn prune_attestations() -> Weight {
		let oldest = AttestationsPrunedTo::<T>::get();
		let finished = Epoch::<T>::get().is_some_and(|current| oldest < current.index);
		if !finished {
			return T::DbWeight::get().reads(2);
		}
		// Drained key by key (not `clear_prefix`, whose limit counts keys already deleted in
		// the block's overlay): `removed` entries this block, and the epoch is done when a
		// block finds fewer than the limit.
		let limit = T::MaxPrunePerBlock::get() as usize;
		let mut removed = Tallies::<T>::drain_prefix((oldest,)).take(limit).count();
		if removed < limit {
			removed = removed.saturating_add(
				AttestationsBy::<T>::drain_prefix(oldest)
					.take(limit.saturating_sub(removed))
					.map(|(proxy, (_, held))| {
						if !held.is_zero() {
							Self::release_held(&proxy, held);
						}
					})
					.count(),
			);
			if removed < limit {
				AttestationsPrunedTo::<T>::put(oldest.saturating_add(1));
			}
		}
		let removed = u32::try_from(removed).unwrap_or(u32::MAX);
		T::WeightInfo::prune_attestations(removed)
	}

	/// The current epoch's index (0 before the first block).
	fn epoch_index() -> AuthEpoch {
		Epoch::<T>::get().map_or(0, |e| e.index)
	}

	/// The preconditions of `proxy`'s `attestation` about `device` (record `info`) in epoch
	/// `epoch` at block `now`: credential statements need a pending registration and a proxy
	/// that did not vote the other way, and a confirmation an unexpired IBE enrolment; a
	/// cross-domain admission needs an authenticated device and an active target domain other
	/// than its home; a failure report needs an active device.
	///
	/// A confirmation of a registration whose enrolment has expired is refused
	/// ([`Error::CertificateExpired`]): the device could not authenticate once active. The vote
	/// is not recorded and holds nothing; the registration ends as any unconfirmed one does,
	/// rejected by the proxies or timed out, and the deposits of earlier confirmations are
	/// released when its epoch is pruned.
	pub(crate) fn ensure_attestable(
		device: &DeviceId,
		info: &DeviceInfoOf<T>,
		proxy: &T::AccountId,
		attestation: Attestation,
		epoch: AuthEpoch,
		now: BlockNumberFor<T>,
	) -> Result<(), Error<T>> {
		match attestation {
			Attestation::CredentialValid | Attestation::CredentialInvalid => {
				info.ensure_pending()?;
				let opposite = match attestation {
					Attestation::CredentialValid => Attestation::CredentialInvalid,
					_ => Attestation::CredentialValid,
				};
				let voted_opposite = Tallies::<T>::get((epoch, device, opposite))
					.is_some_and(|(voters, _)| voters.iter().any(|(voter, _)| voter == proxy));
				ensure!(!voted_opposite, Error::<T>::AlreadyAttested);
				if attestation == Attestation::CredentialValid {
					ensure!(
						info.certificate_expires_at.is_none_or(|expires_at| now <= expires_at),
						Error::<T>::CertificateExpired
					);
				}
			}
			Attestation::CrossDomain { target } => {
				info.ensure_active()?;
				ensure!(Self::requested(device, target), Error::<T>::NoRequest);
				ensure!(Self::authenticated_now(info, epoch, now), Error::<T>::NotAuthenticated);
				Authorities::<T>::get(target)
					.ok_or(Error::<T>::AuthorityUnknown)?
					.ensure_active()?;
				ensure!(target != info.authority, Error::<T>::SameDomain);
				// The settlement's whitelist admission must not fail after the vote was
				// authorized (a full list: a renewal, or a free place).
				Whitelist::<T>::get(device).admit(
					target,
					now,
					now.saturating_add(T::WhitelistTtl::get()),
				)?;
			}
			Attestation::AuthenticationFailed => info.ensure_active()?,
		}
		Ok(())
	}

	/// Settles an attestation that reached the threshold: confirms or rejects a pending
	/// registration, admits the device to another domain, or records a failed authentication.
	/// Returns the weight of the path taken. Fallible steps come before the first write.
	pub(crate) fn settle_attestation(
		device: DeviceId,
		mut info: DeviceInfoOf<T>,
		attestation: Attestation,
		epoch: AuthEpoch,
		now: BlockNumberFor<T>,
	) -> Result<Weight, Error<T>> {
		Ok(match attestation {
			Attestation::CredentialValid => {
				// The pending registration reserved nothing: if its controller became bound to
				// another device meanwhile, the registration is void (one device per account).
				if let Some(account) = info
					.controller
					.clone()
					.filter(|account| ControllerDevice::<T>::contains_key(account))
				{
					Self::remove_pending(&device);
					Self::deposit_event(Event::RegistrationVoided { device, controller: account });
					return Ok(T::WeightInfo::attest_confirm_credential());
				}
				info.confirm(epoch)?;
				Devices::<T>::insert(device, &info);
				if let Some(account) = &info.controller {
					ControllerDevice::<T>::insert(account, device);
				}
				PendingCredentials::<T>::remove(device);
				Tallies::<T>::remove((epoch, device, Attestation::CredentialInvalid));
				Self::deposit_event(Event::RegistrationConfirmed { device });
				T::WeightInfo::attest_confirm_credential()
			}
			Attestation::CredentialInvalid => {
				if info.registration_epoch() == Some(epoch) {
					// Its proof answers this epoch's challenge: keep a marker until the epoch is
					// over, so that the same registration cannot be submitted again.
					info.reject()?;
					Devices::<T>::insert(device, &info);
					PendingCredentials::<T>::remove(device);
					Self::remove_credential_tallies(&device);
				} else {
					Self::remove_pending(&device);
				}
				Self::deposit_event(Event::RegistrationRejected { device });
				T::WeightInfo::attest_reject_credential()
			}
			Attestation::CrossDomain { target } => {
				let expires_at = now.saturating_add(T::WhitelistTtl::get());
				let mut list = Whitelist::<T>::get(device);
				list.admit(target, now, expires_at)?;
				Whitelist::<T>::insert(device, list);
				// Kept, admitted, until it expires: one request per device in that time.
				CrossDomainRequests::<T>::mutate(device, |request| {
					if let Some(request) = request {
						request.admitted = true;
					}
				});
				Self::push_expiry(device, target, expires_at);
				Self::deposit_event(Event::WhitelistEntryAdded { device, target, expires_at });
				T::WeightInfo::attest_cross_domain()
			}
			Attestation::AuthenticationFailed => {
				// The current authentication is void: the device must prove itself again.
				info.void_proof();
				Whitelist::<T>::remove(device);
				Self::strike(device, &mut info, IdentityEvidence::Failed, epoch);
				Devices::<T>::insert(device, &info);
				T::WeightInfo::attest_authentication_failed()
			}
		})
	}

	/// A missed or failed window of an active device: strike, evidence, event, and quarantine
	/// at [`Config::MaxStrikes`]. The caller writes `info`.
	pub(crate) fn strike(
		device: DeviceId,
		info: &mut DeviceInfoOf<T>,
		evidence: IdentityEvidence,
		epoch: AuthEpoch,
	) {
		let reached = info.record_strike(T::MaxStrikes::get());
		T::IdentityTrust::note_identity_evidence(&device, info.controller.as_ref(), evidence);
		let strikes = info.strikes;
		Self::deposit_event(match evidence {
			IdentityEvidence::Failed => Event::AuthenticationFailed { device, epoch, strikes },
			_ => Event::AuthenticationMissed { device, epoch, strikes },
		});
		if reached && Self::put_in_quarantine(&device, info, QuarantineReason::Strikes).is_err() {
			frame_support::defensive!(
				"only active devices are struck, and they can be quarantined"
			);
		}
	}

	/// The one quarantine path (strikes, the admin origin, another pallet): the device's record
	/// `info` becomes quarantined, its whitelist entries are removed and the event names the
	/// `reason`. The caller writes `info`; nothing changes on error.
	fn put_in_quarantine(
		device: &DeviceId,
		info: &mut DeviceInfoOf<T>,
		reason: QuarantineReason,
	) -> Result<(), LifecycleError> {
		info.quarantine()?;
		Whitelist::<T>::remove(device);
		Self::end_cross_domain_request(device);
		Self::deposit_event(Event::DeviceQuarantined { device: *device, reason });
		Ok(())
	}

	/// Quarantines an active device by its ID (`quarantine_device` and
	/// `DeviceIdentityInspect::quarantine`).
	pub(crate) fn do_quarantine(device: &DeviceId, reason: QuarantineReason) -> DispatchResult {
		let mut info = Devices::<T>::get(device).ok_or(Error::<T>::DeviceUnknown)?;
		Self::put_in_quarantine(device, &mut info, reason).map_err(Error::<T>::from)?;
		Devices::<T>::insert(device, info);
		Ok(())
	}

	/// Removes a pending registration and everything attached to it (it holds no controller
	/// binding: a pending device reserves nothing).
	pub(crate) fn remove_pending(device: &DeviceId) {
		Devices::<T>::remove(device);
		PendingCredentials::<T>::remove(device);
		Self::remove_credential_tallies(device);
	}

	/// Removes the open credential tallies (of the current epoch; earlier ones count no more
	/// and are pruned by the hook) of a registration that is no longer pending. Their deposits
	/// stay recorded in the voters' [`AttestationsBy`] counters, and are released when the hook
	/// prunes the epoch.
	fn remove_credential_tallies(device: &DeviceId) {
		let epoch = Self::epoch_index();
		Tallies::<T>::remove((epoch, device, Attestation::CredentialValid));
		Tallies::<T>::remove((epoch, device, Attestation::CredentialInvalid));
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
}
