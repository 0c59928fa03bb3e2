//! Leaving: a vendor withdraws its products and then itself, an SW leaves, each with its
//! deposit returned. Closed cases keep naming them (their records are history, purged with the
//! case, `retention.rs`).
//!
//! # Whitewashing
//!
//! An account that leaves and registers again starts from a fresh SW profile: no evidence (the
//! beta prior 1/2), no requests in the cycle, no alarms, conspirators, accesses or
//! contributions, no smoothed FNN trust. So an SW may leave only when that fresh start is no
//! better for it than the record it drops ([`Pallet::do_deregister_worker`]):
//! - a barred SW never leaves ([`Error::Barred`]): its record and deposit stay, and with them
//!   the bar; registering again is refused ([`Error::AlreadyWorker`]);
//! - alarms or conspirators (which never decay), or a beta trust below the prior (more bad
//!   than good evidence, after decay to this cycle), refuse it ([`Error::AdverseRecord`]);
//!   bad evidence fades by the same decay whether the SW stays or not, so waiting is what
//!   leaving would have bought anyway;
//! - a request in this cycle refuses it ([`Error::RequestedThisCycle`]): leaving and
//!   registering again would restart the per-cycle request count;
//! - a live access refuses it ([`Error::AccessLive`]): its package is not ended yet.
//!
//! A leak found after the SW left still reaches it: the leak guard keeps what it finds
//! against a departed SW in [`DepartedRecords`] (its alarms and conspirators, and the
//! conspirator verdict of a leaked trap), and registering again
//! ([`Pallet::do_register_worker`]) is refused once barred ([`Error::Barred`]) and otherwise
//! starts from those alarms, conspirators and as many bad events.
//!
//! What the SW can still shed is the memory of the FNN's smoothing and the off-hours share of
//! its last requests; it pays for that with all its good history (evidence, accesses,
//! contributions) and two fees. Its account's record in the trust ledger ([`Config::Evidence`],
//! Proof of Trust) is not this pallet's and stays: registering again enrols nothing new there.
//! Its per-case records (invitations, requests, ended or refused accesses) stay with their
//! cases: the "once per case and cycle" and "an ended access is used" rules still hold if it
//! comes back, and they go when the case is purged. A vendor can no longer accept a departed
//! SW's contribution ([`Error::NotWorker`]): a leaving SW gives up the credit still to come.

use crate::{pallet::pallet::*, types::Worker, BalanceOf};
use endo_traits::BehaviourTrustSink;
use endo_uiv::{access::SwProfile, ProductId};
use frame_support::{ensure, pallet_prelude::DispatchResult, traits::Get};
use sp_runtime::traits::Saturating;

impl<T: Config> Pallet<T> {
	/// Registers `worker`; an account that left starts from its [`DepartedRecords`] entry
	/// (removed), or is refused if the entry bars it.
	pub(crate) fn do_register_worker(worker: T::AccountId) -> DispatchResult {
		ensure!(!Workers::<T>::contains_key(&worker), Error::<T>::AlreadyWorker);
		let departed = DepartedRecords::<T>::get(&worker);
		ensure!(!departed.is_some_and(|record| record.barred), Error::<T>::Barred);
		let deposit = T::WorkerDeposit::get();
		// Either can fail; the call is transactional, so nothing stays.
		T::Evidence::enrol(&worker).map_err(|_| Error::<T>::LedgerFull)?;
		Self::hold(HoldReason::WorkerDeposit, &worker, deposit)?;
		let mut profile = SwProfile::default();
		if let Some(record) = departed {
			// What `note_alarm` per alarm would give (each a new conspirator while any are
			// left), counted now: this cycle's bad events, not to be decayed by the cycles
			// before it.
			profile.roll_to(Self::cycle(Self::now().block), &T::AccessConfig::get());
			profile.alarms = record.alarms;
			profile.conspirators = record.conspirators;
			profile.evidence.record_bad(record.alarms);
			DepartedRecords::<T>::remove(&worker);
		}
		Workers::<T>::insert(&worker, Worker { deposit, profile });
		Self::deposit_event(Event::WorkerRegistered { worker });
		Ok(())
	}

	pub(crate) fn do_deregister_product(
		vendor: T::AccountId,
		product: ProductId,
	) -> DispatchResult {
		let mut info = Vendors::<T>::get(&vendor).ok_or(Error::<T>::NotVendor)?;
		ensure!(Products::<T>::contains_key(&vendor, &product), Error::<T>::UnknownProduct);
		ensure!(ProductCases::<T>::get(&vendor, &product) == 0, Error::<T>::ProductInCase);
		// The product's share of the vendor's deposit; if `ProductDeposit` changed since, the
		// vendor's remainder comes back with `deregister_vendor`: in all, what was held.
		let amount: BalanceOf<T> = T::ProductDeposit::get().min(info.deposit);
		Products::<T>::remove(&vendor, &product);
		info.products = info.products.saturating_sub(1);
		info.deposit = info.deposit.saturating_sub(amount);
		Vendors::<T>::insert(&vendor, info);
		let refunded = Self::release(HoldReason::VendorDeposit, &vendor, amount);
		Self::deposit_event(Event::ProductDeregistered { vendor, product, refunded });
		Ok(())
	}

	pub(crate) fn do_deregister_vendor(vendor: T::AccountId) -> DispatchResult {
		let info = Vendors::<T>::get(&vendor).ok_or(Error::<T>::NotVendor)?;
		// A case not closed names a product of each of its vendors: none is left here.
		ensure!(info.products == 0, Error::<T>::VendorHasProducts);
		Vendors::<T>::remove(&vendor);
		let refunded = Self::release(HoldReason::VendorDeposit, &vendor, info.deposit);
		Self::deposit_event(Event::VendorDeregistered { vendor, refunded });
		Ok(())
	}

	/// See the module docs for why each refusal exists.
	pub(crate) fn do_deregister_worker(worker: T::AccountId) -> DispatchResult {
		let info = Workers::<T>::get(&worker).ok_or(Error::<T>::NotWorker)?;
		ensure!(!info.profile.barred, Error::<T>::Barred);
		ensure!(LiveAccesses::<T>::get(&worker) == 0, Error::<T>::AccessLive);
		let config = T::AccessConfig::get();
		let mut profile = info.profile.clone();
		profile.roll_to(Self::cycle(Self::now().block), &config);
		let fresh = SwProfile::default().beta_trust(&config);
		ensure!(
			profile.alarms == 0
				&& profile.conspirators == 0
				&& profile.beta_trust(&config) >= fresh,
			Error::<T>::AdverseRecord
		);
		ensure!(profile.requests_in_cycle == 0, Error::<T>::RequestedThisCycle);
		Workers::<T>::remove(&worker);
		let refunded = Self::release(HoldReason::WorkerDeposit, &worker, info.deposit);
		Self::deposit_event(Event::WorkerDeregistered { worker, refunded });
		Ok(())
	}
}
