//! Sealing to an sr25519 public key (std, feature `seal`): ECIES on Ristretto255 with
//! ChaCha20-Poly1305. Reports are sealed to a TA's report key
//! ([`tags::REPORT_KEY`](crate::hash::tags::REPORT_KEY)), packages to a granted SW's account
//! key ([`tags::PACKAGE_KEY`](crate::hash::tags::PACKAGE_KEY)).
//!
//! ```text
//! e        random scalar; E = e·B (32 bytes, compressed)
//! shared   e·P, where P is the recipient's sr25519 public key (a Ristretto point)
//! key      H([len] tag || E || shared)            (tag: REPORT_KEY or PACKAGE_KEY)
//! sealed   E (32) || nonce (12, random) || ChaCha20-Poly1305(key, nonce, plaintext, aad = context)
//! ```
//!
//! The context, authenticated but not sent, names what the message is for
//! ([`crate::package::report_context`]: the chain, the TA and the case's opener;
//! [`crate::package::package_context`]: the chain, the case and the SW). A sealed report that
//! someone copies into a case of their own does not open there.
//!
//! A package's report has a second, inner layer bound to the licensed host ([`guard`],
//! codepreleak's lock, UIV-TSP sec. 3.4): no public key, a key derived from the host's secret
//! (`package::host_secret`, which only the host and the TA know) and the delivery's access
//! token, which is in the package's header:
//!
//! ```text
//! key      H([25] "endochain/uiv/host-key/v1" || host_secret || access_token)
//! guarded  nonce (12, random) || ChaCha20-Poly1305(key, nonce, report, aad = package::guard_context)
//! ```
//!
//! The recipient opens it with its sr25519 secret scalar `s`: `shared = s·E`
//! ([`secret_scalar`] takes it from a 64-byte sr25519 secret key, as `sp-core` and schnorrkel
//! store it). The tag separates the two uses: a sealed report cannot be passed off as a
//! package, nor the reverse.

use crate::hash::{tagged, Sha256};
use alloc::{string::String, vec::Vec};
use chacha20poly1305::{
	aead::{Aead, KeyInit, Payload},
	ChaCha20Poly1305, Key, Nonce,
};
use core::fmt;
use curve25519_dalek::{
	ristretto::{CompressedRistretto, RistrettoPoint},
	traits::IsIdentity,
	Scalar,
};
use rand_core::{CryptoRng, RngCore};
use zeroize::Zeroizing;

/// Bytes before the ciphertext: the ephemeral public key and the nonce.
pub const HEADER_LEN: usize = 32 + 12;
/// Bytes a sealed message adds to its plaintext: the header and the Poly1305 tag.
pub const OVERHEAD: usize = HEADER_LEN + 16;

/// Why a seal or an open failed. One line each, safe to show.
#[derive(Clone, PartialEq, Eq, Debug)]
pub enum SealError {
	/// A public key that is not a valid Ristretto255 point (or is the identity).
	BadKey(String),
	/// A sealed message shorter than [`OVERHEAD`] (or a guarded report shorter than
	/// [`GUARD_OVERHEAD`]).
	TooShort(usize),
	/// A sealed message that does not open: altered, sealed to another key, or of another use.
	DoesNotOpen,
	/// A secret key whose scalar is not canonical.
	BadSecret,
	/// The cipher refused (a plaintext beyond ChaCha20-Poly1305's limit).
	Cipher,
}

impl fmt::Display for SealError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			SealError::BadKey(what) => write!(f, "{what}"),
			SealError::TooShort(len) => {
				write!(
					f,
					"too short: a sealed message has at least {OVERHEAD} bytes and a guarded \
					 report {GUARD_OVERHEAD}, this one {len}"
				)
			}
			SealError::DoesNotOpen => f.write_str(
				"the sealed message does not open: altered, sealed to another key, or of another \
				 kind or context",
			),
			SealError::BadSecret => f.write_str("the secret key's scalar is not canonical"),
			SealError::Cipher => f.write_str("encryption failed"),
		}
	}
}

impl std::error::Error for SealError {}

fn point(bytes: &[u8; 32], what: &str) -> Result<RistrettoPoint, SealError> {
	let point = CompressedRistretto(*bytes)
		.decompress()
		.ok_or_else(|| SealError::BadKey(alloc::format!("{what} is not a Ristretto255 point")))?;
	if point.is_identity() {
		return Err(SealError::BadKey(alloc::format!("{what} is the identity point")));
	}
	Ok(point)
}

fn derive_key(tag: &[u8], eph_pub: &[u8; 32], shared: &RistrettoPoint) -> Zeroizing<[u8; 32]> {
	let shared = Zeroizing::new(shared.compress().to_bytes());
	Zeroizing::new(tagged::<Sha256>(tag, &[eph_pub, shared.as_slice()]))
}

/// Seals `plaintext` to the sr25519 public key `recipient` for the use `tag` in `context`.
pub fn seal<R: RngCore + CryptoRng>(
	tag: &[u8],
	recipient: &[u8; 32],
	context: &[u8],
	plaintext: &[u8],
	rng: &mut R,
) -> Result<Vec<u8>, SealError> {
	let to = point(recipient, "the recipient's key")?;
	let mut wide = Zeroizing::new([0u8; 64]);
	rng.fill_bytes(wide.as_mut_slice());
	let eph = Zeroizing::new(Scalar::from_bytes_mod_order_wide(&wide));
	let eph_pub = RistrettoPoint::mul_base(&eph).compress().to_bytes();
	let key = derive_key(tag, &eph_pub, &(to * *eph));
	let mut nonce = [0u8; 12];
	rng.fill_bytes(&mut nonce);
	let ciphertext = ChaCha20Poly1305::new(Key::from_slice(key.as_slice()))
		.encrypt(Nonce::from_slice(&nonce), Payload { msg: plaintext, aad: context })
		.map_err(|_| SealError::Cipher)?;
	let mut sealed = Vec::with_capacity(HEADER_LEN.saturating_add(ciphertext.len()));
	sealed.extend_from_slice(&eph_pub);
	sealed.extend_from_slice(&nonce);
	sealed.extend_from_slice(&ciphertext);
	Ok(sealed)
}

/// Opens a message sealed for the use `tag` in `context` with the recipient's secret scalar.
pub fn open(
	tag: &[u8],
	secret: &Scalar,
	context: &[u8],
	sealed: &[u8],
) -> Result<Vec<u8>, SealError> {
	if sealed.len() < OVERHEAD {
		return Err(SealError::TooShort(sealed.len()));
	}
	let (eph_pub, rest) = sealed.split_at(32);
	let (nonce, ciphertext) = rest.split_at(12);
	let mut eph_bytes = [0u8; 32];
	eph_bytes.copy_from_slice(eph_pub);
	let eph = point(&eph_bytes, "the sealed message's ephemeral key")?;
	let key = derive_key(tag, &eph_bytes, &(eph * secret));
	ChaCha20Poly1305::new(Key::from_slice(key.as_slice()))
		.decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: context })
		.map_err(|_| SealError::DoesNotOpen)
}

/// Bytes [`guard`] adds to a report: the nonce and the Poly1305 tag.
pub const GUARD_OVERHEAD: usize = 12 + 16;

fn host_key(host_secret: &[u8; 32], access: &[u8; 32]) -> Zeroizing<[u8; 32]> {
	Zeroizing::new(tagged::<Sha256>(crate::hash::tags::HOST_KEY, &[host_secret, access]))
}

/// Seals a package's `report` to the host with secret `host_secret`, under the delivery's
/// access token `access`, in `context` (`package::guard_context`).
pub fn guard<R: RngCore + CryptoRng>(
	host_secret: &[u8; 32],
	access: &[u8; 32],
	context: &[u8],
	report: &[u8],
	rng: &mut R,
) -> Result<Vec<u8>, SealError> {
	let key = host_key(host_secret, access);
	let mut nonce = [0u8; 12];
	rng.fill_bytes(&mut nonce);
	let ciphertext = ChaCha20Poly1305::new(Key::from_slice(key.as_slice()))
		.encrypt(Nonce::from_slice(&nonce), Payload { msg: report, aad: context })
		.map_err(|_| SealError::Cipher)?;
	let mut guarded = Vec::with_capacity(12usize.saturating_add(ciphertext.len()));
	guarded.extend_from_slice(&nonce);
	guarded.extend_from_slice(&ciphertext);
	Ok(guarded)
}

/// Opens a report [`guard`]ed to the host with secret `host_secret`: on any other host (or
/// with another access token or context, or altered) it is [`SealError::DoesNotOpen`].
pub fn unguard(
	host_secret: &[u8; 32],
	access: &[u8; 32],
	context: &[u8],
	guarded: &[u8],
) -> Result<Zeroizing<Vec<u8>>, SealError> {
	if guarded.len() < GUARD_OVERHEAD {
		return Err(SealError::TooShort(guarded.len()));
	}
	let (nonce, ciphertext) = guarded.split_at(12);
	let key = host_key(host_secret, access);
	ChaCha20Poly1305::new(Key::from_slice(key.as_slice()))
		.decrypt(Nonce::from_slice(nonce), Payload { msg: ciphertext, aad: context })
		.map(Zeroizing::new)
		.map_err(|_| SealError::DoesNotOpen)
}

/// The secret scalar of a 64-byte sr25519 secret key (`scalar (32) || nonce (32)`, the layout
/// of schnorrkel's `SecretKey::to_bytes` and `sp_core::sr25519::Pair::to_raw_vec`), and the
/// public key it belongs to.
pub fn secret_scalar(secret: &[u8]) -> Result<(Zeroizing<Scalar>, [u8; 32]), SealError> {
	let bytes: &[u8; 32] =
		secret.get(..32).and_then(|b| b.try_into().ok()).ok_or(SealError::BadSecret)?;
	let scalar =
		Option::<Scalar>::from(Scalar::from_canonical_bytes(*bytes)).ok_or(SealError::BadSecret)?;
	let public = RistrettoPoint::mul_base(&scalar).compress().to_bytes();
	Ok((Zeroizing::new(scalar), public))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::hash::tags;
	use rand::{rngs::StdRng, SeedableRng};

	fn key(seed: u64) -> (Zeroizing<Scalar>, [u8; 32]) {
		let mut rng = StdRng::seed_from_u64(seed);
		let mut wide = [0u8; 64];
		rng.fill_bytes(&mut wide);
		let scalar = Scalar::from_bytes_mod_order_wide(&wide);
		let mut secret = [0u8; 64];
		secret[..32].copy_from_slice(&scalar.to_bytes());
		secret_scalar(&secret).unwrap()
	}

	#[test]
	fn round_trip() {
		let (scalar, public) = key(1);
		let mut rng = StdRng::seed_from_u64(7);
		for text in [&b""[..], b"buffer overflow in the PLC's Modbus handler", &[7u8; 5000]] {
			let sealed = seal(tags::PACKAGE_KEY, &public, b"ctx", text, &mut rng).unwrap();
			assert_eq!(sealed.len(), OVERHEAD + text.len());
			assert_eq!(open(tags::PACKAGE_KEY, &scalar, b"ctx", &sealed).unwrap(), text);
		}
	}

	#[test]
	fn tampering_wrong_keys_and_wrong_uses_fail() {
		let (scalar, public) = key(1);
		let mut rng = StdRng::seed_from_u64(8);
		let sealed = seal(tags::REPORT_KEY, &public, b"case A", b"the report", &mut rng).unwrap();
		for i in [0, 31, 32, 43, 44, sealed.len() - 1] {
			let mut bad = sealed.clone();
			bad[i] ^= 1;
			assert!(open(tags::REPORT_KEY, &scalar, b"case A", &bad).is_err(), "byte {i}");
		}
		assert_eq!(
			open(tags::REPORT_KEY, &scalar, b"case A", &sealed[..OVERHEAD - 1]),
			Err(SealError::TooShort(OVERHEAD - 1))
		);
		let (other, _) = key(2);
		assert_eq!(open(tags::REPORT_KEY, &other, b"case A", &sealed), Err(SealError::DoesNotOpen));
		// A report is not a package, and does not open in another context.
		assert_eq!(
			open(tags::PACKAGE_KEY, &scalar, b"case A", &sealed),
			Err(SealError::DoesNotOpen)
		);
		assert_eq!(
			open(tags::REPORT_KEY, &scalar, b"case B", &sealed),
			Err(SealError::DoesNotOpen)
		);
		assert!(matches!(
			seal(tags::REPORT_KEY, &[0; 32], b"", b"x", &mut rng),
			Err(SealError::BadKey(_))
		));
		assert!(matches!(
			seal(tags::REPORT_KEY, &[0xff; 32], b"", b"x", &mut rng),
			Err(SealError::BadKey(_))
		));
		assert_eq!(secret_scalar(&[0xff; 64]).unwrap_err(), SealError::BadSecret);
		assert_eq!(secret_scalar(&[1; 16]).unwrap_err(), SealError::BadSecret);
	}

	#[test]
	fn a_guarded_report_opens_on_its_host_with_its_token_only() {
		let mut rng = StdRng::seed_from_u64(9);
		let (host, other_host) = ([1u8; 32], [2u8; 32]);
		let (access, other_access) = ([3u8; 32], [4u8; 32]);
		let guarded = guard(&host, &access, b"ctx", b"the report", &mut rng).unwrap();
		assert_eq!(guarded.len(), GUARD_OVERHEAD + 10);
		assert_eq!(unguard(&host, &access, b"ctx", &guarded).unwrap().as_slice(), b"the report");
		assert_eq!(unguard(&other_host, &access, b"ctx", &guarded), Err(SealError::DoesNotOpen));
		assert_eq!(unguard(&host, &other_access, b"ctx", &guarded), Err(SealError::DoesNotOpen));
		assert_eq!(unguard(&host, &access, b"other", &guarded), Err(SealError::DoesNotOpen));
		for i in [0, 11, 12, guarded.len() - 1] {
			let mut bad = guarded.clone();
			bad[i] ^= 1;
			assert_eq!(unguard(&host, &access, b"ctx", &bad), Err(SealError::DoesNotOpen));
		}
		assert_eq!(
			unguard(&host, &access, b"ctx", &guarded[..GUARD_OVERHEAD - 1]),
			Err(SealError::TooShort(GUARD_OVERHEAD - 1))
		);
	}
}
