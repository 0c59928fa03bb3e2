//! The relations between the pallet's limits, checked by `integrity_test`: each limit at least
//! 1, pending registrations within the device limit, the sweep able to visit every device once
//! per epoch, and pruning able to keep up with what an epoch can add.

use crate::pallet::pallet::*;
use frame_support::traits::Get;
use sp_runtime::traits::Zero;

impl<T: Config> Pallet<T> {
	/// Panics (in `integrity_test`, never on chain) if the limits do not fit together.
	pub(crate) fn check_limits() {
		assert!(T::MinAttestations::get() >= 1, "MinAttestations must be >= 1");
		assert!(T::TombstoneRetention::get() >= 1, "TombstoneRetention must be >= 1");
		// Pending registrations are device records; a device is whitelisted only in
		// domains other than its home.
		assert!(
			T::MaxPendingRegistrations::get() <= T::MaxDevices::get(),
			"MaxPendingRegistrations must be <= MaxDevices"
		);
		assert!(
			T::MaxWhitelistPerDevice::get() < T::MaxAuthorities::get(),
			"MaxWhitelistPerDevice must be < MaxAuthorities"
		);
		assert!(
			T::MaxAttestationVoters::get() >= T::MinAttestations::get(),
			"MaxAttestationVoters must be >= MinAttestations"
		);
		assert!(
			T::MinValidatorProxyTrust::get() <= T::MinProxyTrust::get(),
			"MinValidatorProxyTrust must be <= MinProxyTrust"
		);
		assert!(T::MaxAttestationsPerProxy::get() >= 1, "MaxAttestationsPerProxy must be >= 1");
		assert!(
			T::MaxAttestationsPerEpoch::get() >= T::MaxAttestationsPerProxy::get(),
			"MaxAttestationsPerEpoch must be >= MaxAttestationsPerProxy"
		);
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
		// Pruning keeps up with what an epoch adds (see `Pallet::pruning_keeps_up`).
		assert!(
			Pallet::<T>::pruning_keeps_up(),
			"MaxAttestationsPerEpoch (each adding a tally and a counter) and the whitelist \
			 expiries it can queue must fit in MaxPrunePerBlock * EpochLength"
		);
	}
}
