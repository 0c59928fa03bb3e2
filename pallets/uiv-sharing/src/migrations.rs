//! Storage migrations, one module per storage version. The runtime lists them in its
//! `Migrations` (`runtime/src/lib.rs`).

use crate::pallet::pallet::*;
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};

/// Version 0 to 1: [`v1::CountOpenCases`], run once by `VersionedMigration`.
pub type MigrateV0ToV1<T> = VersionedMigration<
	0,
	1,
	v1::CountOpenCases<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// Storage version 1: the counters that deregistration reads ([`ProductCases`],
/// [`LiveAccesses`]) and the closing blocks that purging reads ([`ClosedAt`]). No existing
/// layout changed: the new maps are filled from the cases and accesses.
pub mod v1 {
	use super::*;
	use crate::types::AccessState;
	use endo_uiv::ReportState;
	use frame_system::pallet_prelude::BlockNumberFor;

	/// Fills [`ProductCases`] and [`LiveAccesses`] from the cases not closed, and [`ClosedAt`]
	/// of each closed case with the block of its last log entry (the closing's), or the
	/// current block if it has none. It reads every case and access once: the chain holds a
	/// few (a case costs a deposit), far below a block's weight.
	pub struct CountOpenCases<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for CountOpenCases<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;
			let now = frame_system::Pallet::<T>::block_number();
			for (id, case) in Cases::<T>::iter() {
				reads = reads.saturating_add(1);
				if case.report == ReportState::Closed {
					let last =
						case.log.len.checked_sub(1).and_then(|seq| CaseLog::<T>::get(id, seq));
					reads = reads.saturating_add(1);
					let closed: BlockNumberFor<T> =
						last.map(|entry| entry.at_block.into()).unwrap_or(now);
					ClosedAt::<T>::insert(id, closed);
					writes = writes.saturating_add(1);
				} else {
					for p in case.products.iter() {
						ProductCases::<T>::mutate(&p.vendor, &p.product, |n| {
							*n = n.saturating_add(1)
						});
						reads = reads.saturating_add(1);
						writes = writes.saturating_add(1);
					}
				}
			}
			for (id, worker, access) in Accesses::<T>::iter() {
				reads = reads.saturating_add(2);
				let live = matches!(access.state, AccessState::Granted | AccessState::Delivered);
				if live && Cases::<T>::get(id).is_some_and(|c| c.report != ReportState::Closed) {
					LiveAccesses::<T>::mutate(&worker, |n| *n = n.saturating_add(1));
					writes = writes.saturating_add(1);
				}
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}
	}
}

/// Version 1 to 2: [`v2::IndexTraces`], run once by `VersionedMigration`.
pub type MigrateV1ToV2<T> =
	VersionedMigration<1, 2, v2::IndexTraces<T>, Pallet<T>, <T as frame_system::Config>::DbWeight>;

/// Storage version 2: the leak guard's trace index [`Traces`] and its sightings
/// [`LeakSightings`]. No existing layout changed: the index is filled from the accesses whose
/// packages were delivered; there were no sightings yet.
pub mod v2 {
	use super::*;
	use crate::types::{AccessState, Trace, TrapFlag};

	/// Fills [`Traces`] from every delivered (or ended) access with a tracing commitment: the
	/// SW, the delivery's time (the request's if none was recorded) and [`TrapFlag::Real`]
	/// (before version 2 only granted SWs got packages). It reads every access once: a few
	/// per case, and a case costs a deposit, far below a block's weight.
	pub struct IndexTraces<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for IndexTraces<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut reads = 0u64;
			let mut writes = 0u64;
			for (id, worker, access) in Accesses::<T>::iter() {
				reads = reads.saturating_add(1);
				let delivered = matches!(access.state, AccessState::Delivered | AccessState::Ended);
				if let (true, Some(commitment)) = (delivered, access.tracing_commitment) {
					Traces::<T>::insert(
						id,
						commitment,
						Trace {
							worker,
							delivered_at: access.delivered.unwrap_or(access.requested),
							trap: TrapFlag::Real,
							leaks: 0,
							own_leak: false,
							external_leak: false,
						},
					);
					writes = writes.saturating_add(1);
				}
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}

		#[cfg(feature = "try-runtime")]
		fn post_upgrade(_state: alloc::vec::Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
			for (id, worker, access) in Accesses::<T>::iter() {
				if let Some(c) = access.tracing_commitment {
					frame_support::ensure!(
						Traces::<T>::get(id, c).is_some_and(|t| t.worker == worker),
						"a delivered access has no trace"
					);
				}
			}
			Ok(())
		}
	}
}
