//! Glue for the std backends (`sm9`, `rabe`): panic containment, RNG adaptation, AEAD.

use std::panic::{catch_unwind, AssertUnwindSafe};

use chacha20poly1305::{
	aead::{AeadInPlace, KeyInit},
	ChaCha20Poly1305, Key, Nonce, Tag,
};

use crate::{AbeError, Sm9Error};

/// Why a backend call failed; private detail behind the public `Backend` variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fault {
	/// The backend panicked (caught at our boundary).
	Panicked,
	/// The backend returned its own error value.
	Refused,
}

impl From<Fault> for Sm9Error {
	fn from(_: Fault) -> Self {
		Sm9Error::Backend
	}
}

impl From<Fault> for AbeError {
	fn from(_: Fault) -> Self {
		AbeError::Backend
	}
}

/// Why sealing or opening an AEAD payload failed; private detail behind [`Sm9Error`] and
/// [`AbeError`], which both end in the same ChaCha20-Poly1305 layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AeadError {
	/// The payload does not fit in memory or in the AEAD's limits.
	PayloadTooLarge,
	/// The ciphertext is shorter than its tag.
	CiphertextMalformed,
	/// The tag does not verify.
	DecryptionFailed,
}

impl From<AeadError> for Sm9Error {
	fn from(error: AeadError) -> Self {
		match error {
			AeadError::PayloadTooLarge => Sm9Error::PayloadTooLarge,
			AeadError::CiphertextMalformed => Sm9Error::CiphertextMalformed,
			AeadError::DecryptionFailed => Sm9Error::DecryptionFailed,
		}
	}
}

impl From<AeadError> for AbeError {
	fn from(error: AeadError) -> Self {
		match error {
			AeadError::PayloadTooLarge => AbeError::PayloadTooLarge,
			AeadError::CiphertextMalformed => AbeError::CiphertextMalformed,
			AeadError::DecryptionFailed => AbeError::DecryptionFailed,
		}
	}
}

/// Runs a backend call, turning a panic into [`Fault::Panicked`]. Inputs are validated before
/// every call; this is the last line of defence, so that no panic crosses the crate's API.
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, Fault> {
	catch_unwind(AssertUnwindSafe(f)).map_err(|_| Fault::Panicked)
}

/// Adapts a caller's `rand_core` 0.6 RNG to the `rand_core` 0.9 traits that `sm9` 0.4 uses.
pub(crate) struct Rng09<'a, R: ?Sized>(pub(crate) &'a mut R);

impl<R: rand_core::RngCore + ?Sized> rand_core_09::RngCore for Rng09<'_, R> {
	fn next_u32(&mut self) -> u32 {
		self.0.next_u32()
	}
	fn next_u64(&mut self) -> u64 {
		self.0.next_u64()
	}
	fn fill_bytes(&mut self, dst: &mut [u8]) {
		self.0.fill_bytes(dst)
	}
}

impl<R: rand_core::RngCore + rand_core::CryptoRng + ?Sized> rand_core_09::CryptoRng
	for Rng09<'_, R>
{
}

/// Size of the Poly1305 tag appended to every AEAD ciphertext.
pub(crate) const TAG_BYTES: usize = 16;

/// ChaCha20-Poly1305 with a key used for exactly one message: `plaintext` is encrypted in place
/// into a new buffer `prefix || ciphertext || tag`.
pub(crate) fn seal(
	key: &[u8; 32],
	nonce: &[u8; 12],
	aad: &[u8],
	prefix: &[u8],
	plaintext: &[u8],
) -> Result<Vec<u8>, AeadError> {
	let total = prefix
		.len()
		.checked_add(plaintext.len())
		.and_then(|n| n.checked_add(TAG_BYTES))
		.ok_or(AeadError::PayloadTooLarge)?;
	let mut out = Vec::new();
	out.try_reserve_exact(total).map_err(|_| AeadError::PayloadTooLarge)?;
	out.extend_from_slice(prefix);
	out.extend_from_slice(plaintext);
	let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
	let tag = cipher
		.encrypt_in_place_detached(Nonce::from_slice(nonce), aad, &mut out[prefix.len()..])
		.map_err(|_| AeadError::PayloadTooLarge)?;
	out.extend_from_slice(&tag);
	Ok(out)
}

/// Inverse of [`seal`] for `ciphertext || tag`; [`AeadError::DecryptionFailed`] if the tag does
/// not verify.
pub(crate) fn open(
	key: &[u8; 32],
	nonce: &[u8; 12],
	aad: &[u8],
	ciphertext_and_tag: &[u8],
) -> Result<Vec<u8>, AeadError> {
	let body_len =
		ciphertext_and_tag.len().checked_sub(TAG_BYTES).ok_or(AeadError::CiphertextMalformed)?;
	let (body, tag) = ciphertext_and_tag.split_at(body_len);
	let mut out = Vec::new();
	out.try_reserve_exact(body_len).map_err(|_| AeadError::PayloadTooLarge)?;
	out.extend_from_slice(body);
	let cipher = ChaCha20Poly1305::new(Key::from_slice(key));
	cipher
		.decrypt_in_place_detached(Nonce::from_slice(nonce), aad, &mut out, Tag::from_slice(tag))
		.map_err(|_| AeadError::DecryptionFailed)?;
	Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;

	#[test]
	fn guarded_contains_panics() {
		assert_eq!(guarded(|| 5), Ok(5));
		let caught = guarded(|| -> u8 { panic!("backend bug") });
		assert_eq!(caught, Err(Fault::Panicked));
		assert_eq!(Sm9Error::from(Fault::Refused), Sm9Error::Backend);
		assert_eq!(AbeError::from(Fault::Panicked), AbeError::Backend);
	}

	#[test]
	fn seal_open_roundtrip_and_tamper() {
		let key = [1u8; 32];
		let nonce = [2u8; 12];
		let sealed = seal(&key, &nonce, b"aad", b"hdr", b"payload").unwrap();
		assert_eq!(&sealed[..3], b"hdr");
		assert_eq!(open(&key, &nonce, b"aad", &sealed[3..]).unwrap(), b"payload");
		assert_eq!(open(&key, &nonce, b"aaD", &sealed[3..]), Err(AeadError::DecryptionFailed));
		let mut bad = sealed.clone();
		bad[4] ^= 1;
		assert_eq!(open(&key, &nonce, b"aad", &bad[3..]), Err(AeadError::DecryptionFailed));
		assert_eq!(open(&key, &nonce, b"aad", &[0; 15]), Err(AeadError::CiphertextMalformed));
	}
}
