//! Access control by trust (UIV-TSP R1-R3): the origin [`EnsureTrustLevel`].

use crate::{Config, Pallet};
use core::marker::PhantomData;
use endo_traits::TrustLevel;
use frame_support::traits::{EnsureOrigin, Get};
use frame_system::RawOrigin;

/// Admits a signed origin whose account has at least trust level `L` (UIV-TSP R1-R3 as access
/// control: e.g. `EnsureTrustLevel<Runtime, levels::AtLeastHigh>`). `Success` is the account.
pub struct EnsureTrustLevel<T, L>(PhantomData<(T, L)>);

impl<T: Config, L: Get<TrustLevel>> EnsureOrigin<T::RuntimeOrigin> for EnsureTrustLevel<T, L> {
	type Success = T::AccountId;

	fn try_origin(origin: T::RuntimeOrigin) -> Result<T::AccountId, T::RuntimeOrigin> {
		origin.into().and_then(|raw| match raw {
			RawOrigin::Signed(who) if Pallet::<T>::trust_level(&who) >= L::get() => Ok(who),
			other => Err(T::RuntimeOrigin::from(other)),
		})
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin() -> Result<T::RuntimeOrigin, ()> {
		let who: T::AccountId = frame_benchmarking::account("trusted", 0, 0);
		Pallet::<T>::force_level(&who, L::get())?;
		Ok(RawOrigin::Signed(who).into())
	}
}
