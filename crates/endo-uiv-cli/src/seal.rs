//! Reports sealed to a TA's report key: ECIES on Ristretto255 with ChaCha20-Poly1305.
//!
//! ```text
//! e        random scalar; E = e·B (32 bytes, compressed)
//! shared   e·P, where P is the TA's report key (its sr25519 public key, a Ristretto point)
//! key      SHA-256([27] "endochain/uiv/report-key/v1" || E || shared)
//! sealed   E (32) || nonce (12, random) || ChaCha20-Poly1305(key, nonce, report)
//! ```
//!
//! The TA opens it with its sr25519 secret scalar `s`: `shared = s·E`. The key framing is
//! `endo_uiv::hash::tagged`'s, as for every hash of vulnerability sharing. The chain records
//! `report_hash = SHA-256(sealed)`.

use crate::Error;
use chacha20poly1305::{
	aead::{Aead, KeyInit},
	ChaCha20Poly1305, Key, Nonce,
};
use curve25519_dalek::{
	ristretto::{CompressedRistretto, RistrettoPoint},
	traits::IsIdentity,
	Scalar,
};
use rand::{CryptoRng, RngCore};
use sha2::Digest;
use sp_core::{sr25519, Pair};
use zeroize::Zeroizing;

/// The domain tag of the report key derivation.
pub const REPORT_KEY_TAG: &[u8] = b"endochain/uiv/report-key/v1";
/// Bytes before the ciphertext: the ephemeral public key and the nonce.
pub const HEADER_LEN: usize = 32 + 12;

fn point(bytes: &[u8; 32], what: &str) -> Result<RistrettoPoint, Error> {
	let point = CompressedRistretto(*bytes)
		.decompress()
		.ok_or_else(|| Error::Crypto(format!("{what} is not a Ristretto255 point")))?;
	if point.is_identity() {
		return Err(Error::Crypto(format!("{what} is the identity point")));
	}
	Ok(point)
}

fn report_key(eph_pub: &[u8; 32], shared: &RistrettoPoint) -> Zeroizing<[u8; 32]> {
	let shared = Zeroizing::new(shared.compress().to_bytes());
	Zeroizing::new(endo_uiv::hash::tagged::<endo_uiv::Sha256>(
		REPORT_KEY_TAG,
		&[eph_pub, shared.as_slice()],
	))
}

/// Seals `report` to the report key `ta_key`.
pub fn seal<R: RngCore + CryptoRng>(
	ta_key: &[u8; 32],
	report: &[u8],
	rng: &mut R,
) -> Result<Vec<u8>, Error> {
	let ta_point = point(ta_key, "the TA's report key")?;
	let mut wide = Zeroizing::new([0u8; 64]);
	rng.fill_bytes(wide.as_mut_slice());
	let eph = Zeroizing::new(Scalar::from_bytes_mod_order_wide(&wide));
	let eph_pub = RistrettoPoint::mul_base(&eph).compress().to_bytes();
	let key = report_key(&eph_pub, &(ta_point * *eph));
	let mut nonce = [0u8; 12];
	rng.fill_bytes(&mut nonce);
	let ciphertext = ChaCha20Poly1305::new(Key::from_slice(key.as_slice()))
		.encrypt(Nonce::from_slice(&nonce), report)
		.map_err(|_| Error::Crypto("encryption failed".into()))?;
	let mut sealed = Vec::with_capacity(HEADER_LEN + ciphertext.len());
	sealed.extend_from_slice(&eph_pub);
	sealed.extend_from_slice(&nonce);
	sealed.extend_from_slice(&ciphertext);
	Ok(sealed)
}

/// Opens a sealed report with the TA's secret scalar.
pub fn open(secret: &Scalar, sealed: &[u8]) -> Result<Vec<u8>, Error> {
	if sealed.len() < HEADER_LEN + 16 {
		return Err(Error::Crypto(format!(
			"a sealed report has at least {} bytes, this one {}",
			HEADER_LEN + 16,
			sealed.len()
		)));
	}
	let (eph_pub, rest) = sealed.split_at(32);
	let (nonce, ciphertext) = rest.split_at(12);
	let mut eph_bytes = [0u8; 32];
	eph_bytes.copy_from_slice(eph_pub);
	let eph = point(&eph_bytes, "the sealed report's ephemeral key")?;
	let key = report_key(&eph_bytes, &(eph * secret));
	ChaCha20Poly1305::new(Key::from_slice(key.as_slice()))
		.decrypt(Nonce::from_slice(nonce), ciphertext)
		.map_err(|_| {
			Error::Crypto(
				"the sealed report does not open: altered, or sealed to another key".into(),
			)
		})
}

/// The sr25519 secret scalar and public key of a secret URI, as sp-core derives them (the
/// schnorrkel secret key's scalar; its public key is `scalar·B`).
pub fn secret_scalar(suri: &str) -> Result<(Zeroizing<Scalar>, [u8; 32]), Error> {
	let pair = sr25519::Pair::from_string(suri, None)
		.map_err(|e| Error::arg("--suri", format!("not a valid sr25519 secret URI ({e:?})")))?;
	let keypair: &schnorrkel::Keypair = pair.as_ref();
	let secret = Zeroizing::new(keypair.secret.to_bytes());
	let mut scalar_bytes = Zeroizing::new([0u8; 32]);
	scalar_bytes.copy_from_slice(&secret[..32]);
	let scalar = Option::<Scalar>::from(Scalar::from_canonical_bytes(*scalar_bytes))
		.ok_or_else(|| Error::Crypto("the secret key's scalar is not canonical".into()))?;
	Ok((Zeroizing::new(scalar), pair.public().0))
}

/// SHA-256 of `bytes`, as the chain records report hashes.
pub fn sha256(bytes: &[u8]) -> [u8; 32] {
	sha2::Sha256::digest(bytes).into()
}

#[cfg(test)]
mod tests {
	use super::*;
	use rand::{rngs::StdRng, SeedableRng};

	fn alice() -> (Zeroizing<Scalar>, [u8; 32]) {
		secret_scalar("//Alice").unwrap()
	}

	#[test]
	fn scalar_matches_sp_core() {
		for suri in ["//Alice", "//Bob", "//Alice//stash", "//Eve/soft"] {
			let (scalar, public) = secret_scalar(suri).unwrap();
			let pair = sr25519::Pair::from_string(suri, None).unwrap();
			assert_eq!(public, pair.public().0, "{suri}");
			assert_eq!(RistrettoPoint::mul_base(&scalar).compress().to_bytes(), public, "{suri}");
		}
		assert!(secret_scalar("not a uri at all").is_err());
	}

	#[test]
	fn round_trip() {
		let (scalar, public) = alice();
		let mut rng = StdRng::seed_from_u64(7);
		for report in [&b""[..], b"buffer overflow in the PLC's Modbus handler", &[7u8; 5000]] {
			let sealed = seal(&public, report, &mut rng).unwrap();
			assert_eq!(sealed.len(), HEADER_LEN + report.len() + 16);
			assert_eq!(open(&scalar, &sealed).unwrap(), report);
		}
	}

	#[test]
	fn tampering_and_wrong_keys_fail() {
		let (scalar, public) = alice();
		let mut rng = StdRng::seed_from_u64(8);
		let sealed = seal(&public, b"the report", &mut rng).unwrap();
		for i in [0, 31, 32, 43, 44, sealed.len() - 1] {
			let mut bad = sealed.clone();
			bad[i] ^= 1;
			assert!(open(&scalar, &bad).is_err(), "byte {i}");
		}
		assert!(open(&scalar, &sealed[..HEADER_LEN + 15]).is_err());
		let (bob, _) = secret_scalar("//Bob").unwrap();
		assert!(open(&bob, &sealed).unwrap_err().to_string().contains("does not open"));
		assert!(seal(&[0u8; 32], b"x", &mut rng).unwrap_err().to_string().contains("identity"));
		assert!(seal(&[0xff; 32], b"x", &mut rng).unwrap_err().to_string().contains("point"));
	}
}
