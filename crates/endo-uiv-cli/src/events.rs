//! The pallet events whose fields the tool reads. `pallet_uiv_sharing::Event<T>` is generic
//! over the runtime, so these mirror its variants field by field with the pallet's own field
//! types; their SCALE is the event's fields.

use codec::Decode;
use pallet_uiv_sharing::types::{AccessState, CaseId};
use sp_core::crypto::AccountId32;
use sp_runtime::Perbill;

/// `UivSharing.CaseOpened`.
#[derive(Decode, Debug)]
pub struct CaseOpened {
	/// The case.
	pub case: CaseId,
	/// Who opened it.
	pub opener: AccountId32,
	/// Its vendor.
	pub vendor: AccountId32,
	/// Its TA.
	pub ta: AccountId32,
}

/// `UivSharing.AccessDecided`.
#[derive(Decode, Debug)]
pub struct AccessDecided {
	/// The case.
	pub case: CaseId,
	/// The SW.
	pub worker: AccountId32,
	/// The decision.
	pub state: AccessState,
	/// The SW's trust.
	pub trust: Perbill,
}

/// Decodes an event's fields as `E` (`name` in errors); the fields must be consumed exactly.
pub fn decode<E: Decode>(name: &str, mut fields: &[u8]) -> Result<E, crate::Error> {
	let event = E::decode(&mut fields).map_err(|e| crate::Error::Decode {
		what: format!("the event {name}"),
		reason: e.to_string(),
	})?;
	if !fields.is_empty() {
		return Err(crate::Error::Decode {
			what: format!("the event {name}"),
			reason: format!("{} bytes left over", fields.len()),
		});
	}
	Ok(event)
}
