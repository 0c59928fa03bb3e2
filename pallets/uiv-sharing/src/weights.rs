//! Weights of `pallet_uiv_sharing`: placeholder until `scripts/bench.sh pallet_uiv_sharing` generates this file.

#![allow(unused_parens, unused_imports, missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::ParityDbWeight, Weight},
};

/// Weight functions needed for `pallet_uiv_sharing`.
pub trait WeightInfo {
	fn register_vendor() -> Weight;
	fn register_product() -> Weight;
	fn register_worker() -> Weight;
	fn open_case() -> Weight;
	fn assess_case() -> Weight;
	fn accept_case() -> Weight;
	fn consent_embargo() -> Weight;
	fn revise_embargo() -> Weight;
	fn set_product_status() -> Weight;
	fn note_exploited() -> Weight;
	fn exit_embargo() -> Weight;
	fn request_access() -> Weight;
	fn deliver_package() -> Weight;
	fn end_access() -> Weight;
	fn accept_contribution() -> Weight;
	fn disclose() -> Weight;
	fn close_case() -> Weight;
	fn add_authority() -> Weight;
	fn remove_authority() -> Weight;
	fn set_trust_model() -> Weight;
	fn invite_worker() -> Weight;
	fn reassign_case() -> Weight;
	fn on_finalize(n: u32) -> Weight;
}

/// Weights measured with the runtime's `DbWeight`.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_vendor() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn register_product() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn register_worker() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn open_case() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn assess_case() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn accept_case() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn consent_embargo() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn revise_embargo() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn set_product_status() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn note_exploited() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn exit_embargo() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn request_access() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn deliver_package() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn end_access() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn accept_contribution() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn disclose() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn close_case() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn add_authority() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn remove_authority() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn set_trust_model() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn invite_worker() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn reassign_case() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(T::DbWeight::get().reads_writes(20, 20))
	}
	fn on_finalize(n: u32) -> Weight {
		Weight::from_parts(1_000_000, 0)
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(n.into()))
	}
}

impl WeightInfo for () {
	fn register_vendor() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn register_product() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn register_worker() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn open_case() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn assess_case() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn accept_case() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn consent_embargo() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn revise_embargo() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn set_product_status() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn note_exploited() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn exit_embargo() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn request_access() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn deliver_package() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn end_access() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn accept_contribution() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn disclose() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn close_case() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn add_authority() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn remove_authority() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn set_trust_model() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn invite_worker() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn reassign_case() -> Weight {
		Weight::from_parts(1_000_000_000, 10_000)
			.saturating_add(ParityDbWeight::get().reads_writes(20, 20))
	}
	fn on_finalize(n: u32) -> Weight {
		Weight::from_parts(1_000_000, 0)
			.saturating_add(Weight::from_parts(5_000_000, 0).saturating_mul(n.into()))
	}
}
