//! # Endochain host functions
//!
//! Work the runtime's off-chain workers hand to the node, because it is too heavy for wasm
//! (`DESIGN.md`: "heavy native work runs behind a custom host function"). The runtime imports
//! these functions; a node executes them natively. Every node that executes the runtime must
//! provide them: the node registers [`HostFunctions`] in its wasm executor next to
//! `sp_io::SubstrateHostFunctions` (chain-spec and metadata tooling runs with missing host
//! functions allowed, and never calls them).
//!
//! | function | what | why native |
//! |---|---|---|
//! | [`endo_host::verify_ibe_credential`] | GM/T 0044 SM9 verification of an IBE device credential against its KGC's master key | 2.4-2.8 ms natively against 11-14 ms in wasm (`docs/PERFORMANCE.md`, "SM9 in the runtime") |
//!
//! The functions are deterministic and pure (no state, no randomness), so calling them from
//! block execution would be safe as well; the runtime calls them only from off-chain workers.

#![cfg_attr(not(feature = "std"), no_std)]

use sp_runtime_interface::{pass_by::PassFatPointerAndRead, runtime_interface};

/// The host functions of this crate, for the node's wasm executor.
#[cfg(feature = "std")]
pub type HostFunctions = endo_host::HostFunctions;

/// Endochain's host functions (import names `ext_endo_host_*_version_1`).
#[runtime_interface]
pub trait EndoHost {
	/// Whether `signature` is a valid IBE credential of the device `device`: the standard GM/T
	/// 0044 SM9 signature of the 32 ID bytes by the identity `hex(ID)`, under the KGC master
	/// signature public key `master_key` (`endo_crypto::device_identity::verify_ibe_credential`).
	///
	/// `false` for anything else: wrong lengths (128, 32 and 97 bytes), a key or signature that
	/// does not parse, a signature that does not verify. Never panics into the caller: a panic
	/// of the SM9 library on hostile input is caught and counts as `false`.
	fn verify_ibe_credential(
		master_key: PassFatPointerAndRead<&[u8]>,
		device: PassFatPointerAndRead<&[u8]>,
		signature: PassFatPointerAndRead<&[u8]>,
	) -> bool {
		verify_native(master_key, device, signature)
	}
}

/// The native side of [`endo_host::verify_ibe_credential`].
#[cfg(feature = "std")]
fn verify_native(master_key: &[u8], device: &[u8], signature: &[u8]) -> bool {
	use endo_crypto::device_identity::{ibe_credential_verdict, CredentialVerdict};
	let (Ok(master_key), Ok(device), Ok(signature)) =
		(master_key.try_into(), device.try_into(), signature.try_into())
	else {
		return false;
	};
	std::panic::catch_unwind(|| ibe_credential_verdict(master_key, device, signature))
		.is_ok_and(|verdict| verdict == CredentialVerdict::Valid)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn wrong_lengths_are_refused_without_a_panic() {
		assert!(!verify_native(&[], &[], &[]));
		assert!(!verify_native(&[1; 128], &[2; 32], &[3; 96]));
		assert!(!verify_native(&[1; 127], &[2; 32], &[3; 97]));
	}

	/// A credential issued by a KGC, for `device`, and its master key.
	fn issue(device: &[u8; 32]) -> ([u8; 128], [u8; 97]) {
		use rand::SeedableRng;
		let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(7);
		let kgc = endo_crypto::Sm9Kgc::generate(&mut rng);
		let master = kgc.sign_public_key().expect("a generated KGC has a public key");
		let (identity, message) = endo_crypto::device_identity::ibe_credential_statement(device);
		let signature = kgc
			.user_signing_key(&identity)
			.and_then(|key| key.sign_raw(&master, &message, &mut rng))
			.expect("the KGC signs");
		(master.to_bytes(), signature.to_bytes())
	}

	#[test]
	fn a_credential_of_the_device_verifies_and_nothing_else_does() {
		let device = [9u8; 32];
		let (master, signature) = issue(&device);
		assert!(verify_native(&master, &device, &signature));
		// Another device, a flipped bit of the signature, another KGC's key.
		assert!(!verify_native(&master, &[8u8; 32], &signature));
		let mut flipped = signature;
		flipped[40] ^= 1;
		assert!(!verify_native(&master, &device, &flipped));
		let (other_master, _) = {
			use rand::SeedableRng;
			let mut rng = rand_chacha::ChaCha20Rng::seed_from_u64(8);
			let kgc = endo_crypto::Sm9Kgc::generate(&mut rng);
			(kgc.sign_public_key().expect("key").to_bytes(), ())
		};
		assert!(!verify_native(&other_master, &device, &signature));
	}

	#[test]
	fn garbage_of_the_right_length_is_refused() {
		assert!(!verify_native(&[0xff; 128], &[2; 32], &[0xff; 97]));
		assert!(!verify_native(&[0; 128], &[0; 32], &[0; 97]));
	}
}
