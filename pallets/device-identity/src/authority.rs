//! Authorities: SM9 key generation centres (IBE domains) and certificate authorities (PKI
//! domains), registered by the admin origin or at genesis.

use crate::pallet::pallet::*;
use crate::types::*;
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// Registers an authority (no origin check; genesis and `register_authority`): a
	/// well-formed key, never registered before, below [`Config::MaxAuthorities`]. Returns its
	/// index and domain kind.
	pub(crate) fn do_register_authority(
		key: AuthorityKey,
	) -> Result<(AuthorityId, DomainKind), Error<T>> {
		ensure!(key.is_well_formed(), Error::<T>::AuthorityKeyMalformed);
		ensure!(!AuthorityOfKey::<T>::contains_key(&key), Error::<T>::AuthorityKeyInUse);
		let authority = NextAuthorityId::<T>::get();
		ensure!(authority < T::MaxAuthorities::get(), Error::<T>::TooManyAuthorities);
		let kind = key.kind();
		let registered_at = frame_system::Pallet::<T>::block_number();
		AuthorityOfKey::<T>::insert(&key, authority);
		Authorities::<T>::insert(
			authority,
			AuthorityInfo { key, status: AuthorityStatus::Active, registered_at },
		);
		NextAuthorityId::<T>::put(authority.saturating_add(1));
		Ok((authority, kind))
	}
}
