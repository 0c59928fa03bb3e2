//! Authorities: SM9 key generation centres (IBE domains) and certificate authorities (PKI
//! domains), registered by the admin origin or at genesis, and the enrolment keys of the KGCs.

use crate::pallet::pallet::*;
use crate::types::*;
use frame_support::{ensure, traits::Get};

impl<T: Config> Pallet<T> {
	/// Registers an authority (no origin check; genesis and `register_authority`): a
	/// well-formed key, never registered before, fewer than [`Config::MaxAuthorities`]
	/// registered ([`Pallet::authority_count`]). Returns its index and domain kind.
	pub(crate) fn do_register_authority(
		key: AuthorityKey,
	) -> Result<(AuthorityId, DomainKind), Error<T>> {
		ensure!(key.is_well_formed(), Error::<T>::AuthorityKeyMalformed);
		ensure!(!AuthorityOfKey::<T>::contains_key(&key), Error::<T>::AuthorityKeyInUse);
		ensure!(Self::authority_count() < T::MaxAuthorities::get(), Error::<T>::TooManyAuthorities);
		let authority = NextAuthorityId::<T>::get();
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

	/// Sets or removes the enrolment key of `authority` (no origin check; `set_enrolment_key`):
	/// an existing, active IBE authority, and (to set) an sr25519 public key, that is a
	/// canonical Ristretto255 point other than the identity.
	pub(crate) fn do_set_enrolment_key(
		authority: AuthorityId,
		key: Option<EnrolmentKey>,
	) -> Result<(), Error<T>> {
		let info = Authorities::<T>::get(authority).ok_or(Error::<T>::AuthorityUnknown)?;
		info.ensure_active()?;
		ensure!(info.key.kind() == DomainKind::Ibe, Error::<T>::NotIbeAuthority);
		match key {
			Some(key) => {
				ensure!(
					endo_crypto::DevicePublicKey::from_bytes(&key).is_ok(),
					Error::<T>::EnrolmentKeyMalformed
				);
				EnrolmentKeys::<T>::insert(authority, key);
			}
			None => EnrolmentKeys::<T>::remove(authority),
		}
		Ok(())
	}
}
