//! Storage migrations, one module per storage version. The runtime lists them in its
//! `Migrations` (`runtime/src/lib.rs`).

use crate::{
	pallet::pallet::*,
	types::{BabeId, CandidateInfo, GrandpaId, LedgerEpoch, Membership},
	BalanceOf,
};
use codec::{Decode, Encode};
use core::marker::PhantomData;
use frame_support::{
	migrations::VersionedMigration,
	traits::{Get, UncheckedOnRuntimeUpgrade},
	weights::Weight,
};
use sp_runtime::traits::Zero;

/// Version 0 to 1: [`v1::AdmissionFields`], run once by `VersionedMigration`.
pub type MigrateV0ToV1<T> = VersionedMigration<
	0,
	1,
	v1::AdmissionFields<T>,
	Pallet<T>,
	<T as frame_system::Config>::DbWeight,
>;

/// Storage version 1: candidates carry founding, admission and membership.
pub mod v1 {
	use super::*;

	/// A candidate of storage version 0.
	#[derive(Encode, Decode)]
	pub struct OldCandidateInfo<Balance> {
		/// BABE key.
		pub babe: BabeId,
		/// GRANDPA key.
		pub grandpa: GrandpaId,
		/// The bond (0 for genesis candidates).
		pub bond: Balance,
		/// The last epoch it authored in.
		pub last_authored: Option<LedgerEpoch>,
	}

	/// Translates every candidate: version-0 genesis candidates (bond 0) become founding
	/// validators, admitted; every other candidate waits for `AdminOrigin`'s admission (the
	/// admission mode stays at its default, permissioned, until `set_admission_mode`).
	/// Members of the announced set keep their membership (founding, or since now: they count
	/// as recent admissions from the upgrade on).
	pub struct AdmissionFields<T>(PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for AdmissionFields<T> {
		fn on_runtime_upgrade() -> Weight {
			let announced = NextValidators::<T>::get();
			let now = CurrentEpoch::<T>::get();
			let mut visited = 0u64;
			Candidates::<T>::translate::<OldCandidateInfo<BalanceOf<T>>, _>(|who, old| {
				visited = visited.saturating_add(1);
				let founding = old.bond.is_zero();
				let member = announced.iter().any(|v| v.account == who);
				let membership = match (member, founding) {
					(false, _) => Membership::Out,
					(true, true) => Membership::Founding,
					(true, false) => Membership::Since(now),
				};
				Some(CandidateInfo {
					babe: old.babe,
					grandpa: old.grandpa,
					bond: old.bond,
					last_authored: old.last_authored,
					founding,
					admitted: founding,
					membership,
				})
			});
			T::DbWeight::get().reads_writes(visited.saturating_add(2), visited)
		}
	}
}
