//! Reports sealed to a TA's report key and packages sealed to an SW's account key: ECIES on
//! Ristretto255 with ChaCha20-Poly1305 (`endo_uiv::seal`, whose module docs give the
//! construction). The chain records `report_hash = SHA-256(sealed report)`.

use crate::Error;
use curve25519_dalek::Scalar;
use endo_uiv::hash::tags;
use rand::{CryptoRng, RngCore};
use sha2::Digest;
use sp_core::{sr25519, Pair};
use zeroize::Zeroizing;

fn crypto(e: endo_uiv::seal::SealError) -> Error {
	Error::Crypto(e.to_string())
}

/// Seals `report` to the report key `ta_key` in `context`
/// (`endo_uiv::package::report_context`).
pub fn seal<R: RngCore + CryptoRng>(
	ta_key: &[u8; 32],
	context: &[u8; 32],
	report: &[u8],
	rng: &mut R,
) -> Result<Vec<u8>, Error> {
	endo_uiv::seal::seal(tags::REPORT_KEY, ta_key, context, report, rng).map_err(crypto)
}

/// Opens a report sealed in `context` with the TA's secret scalar.
pub fn open(secret: &Scalar, context: &[u8; 32], sealed: &[u8]) -> Result<Vec<u8>, Error> {
	endo_uiv::seal::open(tags::REPORT_KEY, secret, context, sealed).map_err(crypto)
}

/// Opens a package sealed in `context` (`endo_uiv::package::package_context`) with the SW's
/// secret scalar.
pub fn open_package(secret: &Scalar, context: &[u8; 32], sealed: &[u8]) -> Result<Vec<u8>, Error> {
	endo_uiv::seal::open(tags::PACKAGE_KEY, secret, context, sealed).map_err(crypto)
}

/// The sr25519 secret scalar and public key of a secret URI, as sp-core derives them.
pub fn secret_scalar(suri: &str) -> Result<(Zeroizing<Scalar>, [u8; 32]), Error> {
	let pair = sr25519::Pair::from_string(suri, None)
		.map_err(|e| Error::arg("--suri", format!("not a valid sr25519 secret URI ({e:?})")))?;
	let secret = Zeroizing::new(pair.to_raw_vec());
	let (scalar, public) = endo_uiv::seal::secret_scalar(&secret).map_err(crypto)?;
	debug_assert_eq!(public, pair.public().0);
	Ok((scalar, public))
}

/// SHA-256 of `bytes`, as the chain records report hashes.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
	sha2::Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
	use super::*;
	use rand::{rngs::StdRng, SeedableRng};

	#[test]
	fn scalar_matches_sp_core() {
		for suri in ["//Alice", "//Bob", "//Alice//stash", "//Eve/soft"] {
			let (scalar, public) = secret_scalar(suri).unwrap();
			let pair = sr25519::Pair::from_string(suri, None).unwrap();
			assert_eq!(public, pair.public().0, "{suri}");
			assert_eq!(
				curve25519_dalek::RistrettoPoint::mul_base(&scalar).compress().to_bytes(),
				public,
				"{suri}"
			);
		}
		assert!(secret_scalar("not a uri at all").is_err());
	}

	#[test]
	fn reports_open_with_the_ta_key_only_and_are_not_packages() {
		let (alice, public) = secret_scalar("//Alice").unwrap();
		let mut rng = StdRng::seed_from_u64(7);
		let context = [5u8; 32];
		let sealed =
			seal(&public, &context, b"buffer overflow in the PLC's Modbus handler", &mut rng)
				.unwrap();
		assert_eq!(
			open(&alice, &context, &sealed).unwrap(),
			b"buffer overflow in the PLC's Modbus handler"
		);
		let (bob, _) = secret_scalar("//Bob").unwrap();
		assert!(open(&bob, &context, &sealed).unwrap_err().to_string().contains("does not open"));
		// Another case's context, or the package use: nothing.
		assert!(open(&alice, &[6u8; 32], &sealed).is_err());
		assert!(open_package(&alice, &context, &sealed).is_err());
		assert!(seal(&[0u8; 32], &context, b"x", &mut rng)
			.unwrap_err()
			.to_string()
			.contains("identity"));
	}
}
