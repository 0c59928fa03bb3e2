//! Storage migrations, one module per storage version. The runtime lists them in its
//! `Migrations` (`runtime/src/lib.rs`).

use crate::pallet::pallet::*;
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration,
	storage::{unhashed, StoragePrefixedMap},
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Version 0 to 1: [`v1::ClearUnepochedTallies`], run once by `VersionedMigration`.
pub type MigrateV0ToV1<T> = VersionedMigration<
	0,
	1,
	v1::ClearUnepochedTallies<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// Storage version 1: attestation tallies keyed by epoch.
pub mod v1 {
	use super::*;

	/// The most version-0 tallies removed (more cannot be decoded as version 1 and are only
	/// skipped by iteration; a log line says how many remain).
	pub const MAX_REMOVED: u32 = 10_000;

	/// Removes the tallies of storage version 0 (keyed by device and statement, no epoch),
	/// which the version-1 layout cannot decode. They were open votes; the proxies vote again.
	pub struct ClearUnepochedTallies<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for ClearUnepochedTallies<T> {
		fn on_runtime_upgrade() -> Weight {
			let result =
				unhashed::clear_prefix(&Tallies::<T>::final_prefix(), Some(MAX_REMOVED), None);
			if result.maybe_cursor.is_some() {
				log::warn!(
					target: crate::LOG_TARGET,
					"more than {MAX_REMOVED} version-0 tallies: the rest stay undecodable"
				);
			}
			T::DbWeight::get().writes(u64::from(result.loops).saturating_add(1))
		}
	}
}
