//! Endogenous identity: a device's key pair and ID, derived from its PUF key.
//!
//! ```text
//! s  = from_bytes_mod_order_wide(SHA-512(tags::DEVICE_SECRET, K))    K: the 32-byte PUF key
//! P  = s * B                                                         B: Ristretto255 basepoint
//! pk = compress(P)                                                   32 bytes, canonical
//! ID = SHA-256(tags::DEVICE_ID, pk)                                  32 bytes
//! ```
//!
//! (`SHA-2(tag, data)` is the length-prefixed tagged hash of [`crate::hash`]; the 64-byte
//! SHA-512 output is read as a little-endian integer and reduced modulo the Ristretto group
//! order `l = 2^252 + 27742317777372353535851937790883648493`.)
//!
//! The ID is a hash of the public key, so anyone can check that a claimed `(ID, pk)` pair
//! belongs together, and the key pair never needs to be stored on the device: it is
//! re-derived from the PUF at every power-up. The paper (Fig. 6) uses the PUF-derived ID as the
//! device's SM9 identity; [`DeviceId::to_hex`] gives the exact identity string
//! (64 lowercase hex characters) used for that.

use curve25519_dalek::{
	constants::RISTRETTO_BASEPOINT_TABLE,
	ristretto::{CompressedRistretto, RistrettoPoint},
	scalar::Scalar,
	traits::Identity,
};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::{fuzzy::PufKey, hash, ProofError, PufError};

/// Bytes of a [`DevicePublicKey`] (a compressed Ristretto255 point).
pub const PUBLIC_KEY_BYTES: usize = 32;

/// A device's 32-byte identifier: `SHA-256(tags::DEVICE_ID, public_key)`.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct DeviceId([u8; 32]);

impl DeviceId {
	/// Wraps ID bytes (as stored on chain).
	pub const fn from_bytes(bytes: [u8; 32]) -> Self {
		Self(bytes)
	}

	/// The ID bytes.
	pub fn as_bytes(&self) -> &[u8; 32] {
		&self.0
	}

	/// The ID bytes, by value.
	pub fn to_bytes(&self) -> [u8; 32] {
		self.0
	}

	/// The ID derived from a public key.
	pub fn from_public_key(public_key: &DevicePublicKey) -> Self {
		Self(hash::tagged_sha256(hash::tags::DEVICE_ID, &[public_key.as_bytes()]))
	}

	/// 64 lowercase hexadecimal ASCII characters: the device's SM9 identity.
	pub fn to_hex(&self) -> [u8; 64] {
		const DIGITS: &[u8; 16] = b"0123456789abcdef";
		let mut out = [0u8; 64];
		for (i, byte) in self.0.iter().enumerate() {
			out[2 * i] = DIGITS[usize::from(byte >> 4)];
			out[2 * i + 1] = DIGITS[usize::from(byte & 0x0f)];
		}
		out
	}
}

/// A device's public key: a compressed Ristretto255 point (32 bytes), validated on parsing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct DevicePublicKey {
	bytes: [u8; 32],
	point: RistrettoPoint,
}

impl DevicePublicKey {
	/// Parses a public key. Fails with [`ProofError::PublicKeyMalformed`] if `bytes` is not the
	/// canonical encoding of a Ristretto point, or is the identity element.
	pub fn from_bytes(bytes: &[u8; PUBLIC_KEY_BYTES]) -> Result<Self, ProofError> {
		let point =
			CompressedRistretto(*bytes).decompress().ok_or(ProofError::PublicKeyMalformed)?;
		if point == RistrettoPoint::identity() {
			return Err(ProofError::PublicKeyMalformed);
		}
		Ok(Self { bytes: *bytes, point })
	}

	/// Parses a public key from a slice (see [`DevicePublicKey::from_bytes`]).
	pub fn from_slice(bytes: &[u8]) -> Result<Self, ProofError> {
		let array: [u8; PUBLIC_KEY_BYTES] =
			bytes.try_into().map_err(|_| ProofError::PublicKeyMalformed)?;
		Self::from_bytes(&array)
	}

	/// The compressed point.
	pub fn as_bytes(&self) -> &[u8; 32] {
		&self.bytes
	}

	/// The compressed point, by value.
	pub fn to_bytes(&self) -> [u8; 32] {
		self.bytes
	}

	/// The ID of the device holding this key.
	pub fn device_id(&self) -> DeviceId {
		DeviceId::from_public_key(self)
	}

	pub(crate) fn point(&self) -> &RistrettoPoint {
		&self.point
	}
}

/// A device's secret scalar `s`. Never leaves the device; re-derived from the PUF.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct DeviceSecret(Scalar);

impl DeviceSecret {
	/// `s = SHA-512(tags::DEVICE_SECRET, K) mod l`; [`PufError::KeyInvalid`] if that is zero
	/// (probability `2^-252`).
	pub fn from_puf_key(key: &PufKey) -> Result<Self, PufError> {
		let wide = hash::tagged_sha512(hash::tags::DEVICE_SECRET, &[key.as_bytes()]);
		let scalar = Scalar::from_bytes_mod_order_wide(&wide);
		if scalar == Scalar::ZERO {
			return Err(PufError::KeyInvalid);
		}
		Ok(Self(scalar))
	}

	/// The canonical little-endian encoding of `s` (for test vectors; keep it secret).
	pub fn to_bytes(&self) -> [u8; 32] {
		self.0.to_bytes()
	}

	/// The matching public key `s * B`.
	pub fn public_key(&self) -> DevicePublicKey {
		let point = &self.0 * RISTRETTO_BASEPOINT_TABLE;
		DevicePublicKey { bytes: point.compress().to_bytes(), point }
	}

	pub(crate) fn scalar(&self) -> &Scalar {
		&self.0
	}
}

impl core::fmt::Debug for DeviceSecret {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("DeviceSecret(<secret>)")
	}
}

/// A device's full endogenous identity: secret, public key and ID.
#[derive(Clone, Debug)]
pub struct DeviceKeypair {
	secret: DeviceSecret,
	public: DevicePublicKey,
	id: DeviceId,
}

impl DeviceKeypair {
	/// Derives the identity from a PUF key (see the module docs).
	pub fn from_puf_key(key: &PufKey) -> Result<Self, PufError> {
		let secret = DeviceSecret::from_puf_key(key)?;
		let public = secret.public_key();
		let id = public.device_id();
		Ok(Self { secret, public, id })
	}

	/// The secret scalar.
	pub fn secret(&self) -> &DeviceSecret {
		&self.secret
	}

	/// The public key.
	pub fn public_key(&self) -> &DevicePublicKey {
		&self.public
	}

	/// The device ID.
	pub fn device_id(&self) -> &DeviceId {
		&self.id
	}
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use sha2::{Digest, Sha256, Sha512};

	#[test]
	fn derivation_follows_the_documented_formula() {
		let key = PufKey::from_bytes([0x42; 32]);
		let keypair = DeviceKeypair::from_puf_key(&key).unwrap();

		let mut input = vec![hash::tags::DEVICE_SECRET.len() as u8];
		input.extend_from_slice(hash::tags::DEVICE_SECRET);
		input.extend_from_slice(&[0x42; 32]);
		let wide: [u8; 64] = Sha512::digest(&input).into();
		let s = Scalar::from_bytes_mod_order_wide(&wide);
		assert_eq!(keypair.secret().to_bytes(), s.to_bytes());

		let pk = (curve25519_dalek::constants::RISTRETTO_BASEPOINT_POINT * s).compress();
		assert_eq!(keypair.public_key().as_bytes(), pk.as_bytes());

		let mut input = vec![hash::tags::DEVICE_ID.len() as u8];
		input.extend_from_slice(hash::tags::DEVICE_ID);
		input.extend_from_slice(pk.as_bytes());
		let id: [u8; 32] = Sha256::digest(&input).into();
		assert_eq!(keypair.device_id().as_bytes(), &id);
	}

	#[test]
	fn public_key_parsing() {
		let keypair = DeviceKeypair::from_puf_key(&PufKey::from_bytes([1; 32])).unwrap();
		let bytes = keypair.public_key().to_bytes();
		assert_eq!(DevicePublicKey::from_bytes(&bytes).as_ref(), Ok(keypair.public_key()));
		// Identity element.
		assert_eq!(DevicePublicKey::from_bytes(&[0; 32]), Err(ProofError::PublicKeyMalformed));
		// Non-canonical field element (p = 2^255 - 19 itself) and a negative one.
		let mut p = [0xff; 32];
		p[0] = 0xed;
		p[31] = 0x7f;
		assert_eq!(DevicePublicKey::from_bytes(&p), Err(ProofError::PublicKeyMalformed));
		assert_eq!(DevicePublicKey::from_bytes(&[1; 32]), Err(ProofError::PublicKeyMalformed));
		assert_eq!(DevicePublicKey::from_slice(&bytes[..31]), Err(ProofError::PublicKeyMalformed));
	}

	#[test]
	fn hex_identity() {
		let mut bytes = [0u8; 32];
		bytes[0] = 0xab;
		bytes[31] = 0x09;
		let hex = DeviceId::from_bytes(bytes).to_hex();
		assert_eq!(&hex[..2], b"ab");
		assert_eq!(&hex[62..], b"09");
		assert!(hex[2..62].iter().all(|&c| c == b'0'));
	}
}
