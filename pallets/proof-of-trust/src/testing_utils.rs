//! Helpers for tests and benchmarks (compiled with `test` or `runtime-benchmarks`): put an
//! account at a trust level. Used by the unit tests, by
//! [`EnsureTrustLevel::try_successful_origin`](crate::EnsureTrustLevel) and by
//! `TrustProvider::set_trust_level`, which the benchmarks of other pallets call.

use crate::{types::TrustRecord, Config, CurrentEpoch, Ledger, Pallet};
use endo_traits::TrustLevel;
use frame_support::traits::Get;

impl<T: Config> Pallet<T> {
	/// Benchmarks and tests: gives `who` (enrolling it) evidence that puts it at `level` with
	/// the configured thresholds. `Err` if no such evidence was found.
	#[allow(clippy::result_unit_err)]
	pub fn force_level(who: &T::AccountId, level: TrustLevel) -> Result<(), ()> {
		let params = T::TrustParams::get();
		let now = CurrentEpoch::<T>::get();
		if level == TrustLevel::Untrusted {
			let mut record = TrustRecord::new(now);
			record.sanctioned = true;
			Ledger::<T>::insert(who, record);
			return Ok(());
		}
		let counts = [0u64, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 64, 128, 256, 1024, 4096];
		let tries = counts
			.iter()
			.map(|g| endo_trust::Evidence::from_events(*g, 0))
			.chain(counts.iter().map(|b| endo_trust::Evidence::from_events(0, *b)));
		for evidence in tries {
			let record = TrustRecord {
				identity: evidence,
				behaviour: evidence,
				epoch: now,
				sanctioned: false,
			};
			if params.level(record.trust(&params)) == level {
				Ledger::<T>::insert(who, record);
				return Ok(());
			}
		}
		Err(())
	}
}
