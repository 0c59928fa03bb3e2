//! The crate's public errors: one small enum per concern, as dalek does, so that a caller maps
//! exactly the outcomes the functions it calls can return.
//!
//! | error | returned by | build |
//! |---|---|---|
//! | [`PufError`] | [`puf`](crate::puf), [`fuzzy`](crate::fuzzy), key derivation in [`identity`](crate::identity) | no_std |
//! | [`ProofError`] | public-key parsing ([`identity`](crate::identity)), proof parsing and verification ([`nizk`](crate::nizk)) | no_std |
//! | `Sm9Error` | `sm9`, and the proxies' credential check in [`device_identity`](crate::device_identity) | std |
//! | `AbeError` | `abe` | std |
//!
//! Variants name what is wrong with the input. No function of this crate panics on malformed
//! input: every such input ends in one of these variants.

use core::fmt;

/// What can go wrong from the SRAM PUF to the device's key pair: the PUF model, its responses,
/// the fuzzy extractor and the derivation of the secret scalar.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PufError {
	/// A PUF model parameter is out of range (bit-error rate not in `[0, 0.5]`, cell bias not in
	/// `[0, 1]`, or not a finite number).
	ConfigInvalid,
	/// A PUF response has the wrong length.
	ResponseMalformed,
	/// Fuzzy-extractor helper data has the wrong length or an unknown version byte.
	HelperDataMalformed,
	/// The fuzzy extractor could not reproduce the enrolled key: the read was too noisy, it came
	/// from another device, or the helper data were tampered with (the helper data carry a check
	/// value, so a wrong key is never returned).
	ReconstructionFailed,
	/// The PUF key derives a zero secret scalar (probability `2^-252`).
	KeyInvalid,
}

impl fmt::Display for PufError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			PufError::ConfigInvalid => "PUF model parameter out of range",
			PufError::ResponseMalformed => "PUF response has the wrong length",
			PufError::HelperDataMalformed => "helper data malformed",
			PufError::ReconstructionFailed => "PUF key reconstruction failed",
			PufError::KeyInvalid => "secret key invalid",
		})
	}
}

impl core::error::Error for PufError {}

/// Why an identity claim (a device's public key, its ID and a NIZK identity proof) does not
/// hold. The chain maps these one to one to its own errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ProofError {
	/// A device public key is not the canonical encoding of a Ristretto point, or is the
	/// identity element.
	PublicKeyMalformed,
	/// The device ID is not the ID derived from the given public key.
	IdentityMismatch,
	/// An identity proof is not 64 bytes, its commitment is not a canonical Ristretto point, or
	/// its response is not a canonical scalar.
	ProofMalformed,
	/// A well-formed identity proof does not verify for the given chain, device, purpose and
	/// challenge.
	ProofInvalid,
}

impl fmt::Display for ProofError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			ProofError::PublicKeyMalformed => "device public key malformed",
			ProofError::IdentityMismatch => "device ID does not match the public key",
			ProofError::ProofMalformed => "identity proof malformed",
			ProofError::ProofInvalid => "identity proof invalid",
		})
	}
}

impl core::error::Error for ProofError {}

/// What can go wrong in SM9 (GM/T 0044-2016): identities, keys, signatures, encryption.
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Sm9Error {
	/// An SM9 identity is empty, longer than [`MAX_SM9_IDENTITY_LEN`](crate::MAX_SM9_IDENTITY_LEN)
	/// bytes or contains a NUL byte.
	IdentityMalformed,
	/// Key bytes (master or user key) cannot be decoded, or hold a point that is not in the
	/// right group.
	KeyMalformed,
	/// A KGC master key gives no user key for an identity (`H1 + k = 0`, probability `1/n`).
	KeyInvalid,
	/// Signature bytes cannot be decoded (wrong length, scalar out of range, point not on the
	/// curve).
	SignatureMalformed,
	/// A well-formed signature does not verify.
	SignatureInvalid,
	/// Ciphertext bytes cannot be decoded (too short, unknown version, invalid group element).
	CiphertextMalformed,
	/// A well-formed ciphertext does not decrypt: wrong key or identity, or the ciphertext was
	/// modified (authentication failed).
	DecryptionFailed,
	/// A payload is larger than the scheme accepts.
	PayloadTooLarge,
	/// The `sm9` backend failed in a way its API does not report, e.g. it panicked; the panic
	/// was caught at this crate's boundary.
	Backend,
}

#[cfg(feature = "std")]
impl fmt::Display for Sm9Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			Sm9Error::IdentityMalformed => "SM9 identity malformed",
			Sm9Error::KeyMalformed => "key malformed",
			Sm9Error::KeyInvalid => "secret key invalid",
			Sm9Error::SignatureMalformed => "signature malformed",
			Sm9Error::SignatureInvalid => "signature invalid",
			Sm9Error::CiphertextMalformed => "ciphertext malformed",
			Sm9Error::DecryptionFailed => "decryption failed",
			Sm9Error::PayloadTooLarge => "payload too large",
			Sm9Error::Backend => "cryptographic backend failed",
		})
	}
}

#[cfg(feature = "std")]
impl core::error::Error for Sm9Error {}

/// What can go wrong in CP-ABE by trust level (AC17): trust levels, keys, ciphertexts.
#[cfg(feature = "std")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AbeError {
	/// A trust level is above [`MAX_TRUST_LEVEL`](crate::MAX_TRUST_LEVEL).
	TrustLevelInvalid,
	/// Key bytes cannot be decoded, or hold a value that is not canonical or not in the right
	/// group.
	KeyMalformed,
	/// Ciphertext bytes cannot be decoded (too short, unknown version, invalid group element,
	/// policy that is not the canonical trust policy).
	CiphertextMalformed,
	/// A well-formed ciphertext does not decrypt: wrong key, or the ciphertext was modified
	/// (authentication failed).
	DecryptionFailed,
	/// The key's trust level is below the level the ciphertext requires.
	AccessDenied,
	/// A payload is larger than the scheme accepts.
	PayloadTooLarge,
	/// The `rabe` backend failed in a way its API does not report, e.g. it panicked; the panic
	/// was caught at this crate's boundary.
	Backend,
}

#[cfg(feature = "std")]
impl fmt::Display for AbeError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			AbeError::TrustLevelInvalid => "trust level out of range",
			AbeError::KeyMalformed => "key malformed",
			AbeError::CiphertextMalformed => "ciphertext malformed",
			AbeError::DecryptionFailed => "decryption failed",
			AbeError::AccessDenied => "trust level too low for this ciphertext",
			AbeError::PayloadTooLarge => "payload too large",
			AbeError::Backend => "cryptographic backend failed",
		})
	}
}

#[cfg(feature = "std")]
impl core::error::Error for AbeError {}
