//! The crate's one public error type.

use core::fmt;

/// Everything that can go wrong in `endo-crypto`.
///
/// Variants name what is wrong with the input, so that a pallet can map them one to one to its
/// own `Error<T>` (`impl From<endo_crypto::Error> for Error<T>`). No function of this crate
/// panics on malformed input: every such input ends in one of these variants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
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
	/// A secret key is unusable (a derived scalar is zero, or a KGC master key is out of range).
	KeyInvalid,
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
	/// An SM9 identity is empty, longer than [`MAX_SM9_IDENTITY_LEN`](crate::MAX_SM9_IDENTITY_LEN)
	/// bytes or contains a NUL byte.
	IdentityMalformed,
	/// Key bytes (SM9 master/user key, ABE key) cannot be decoded, or hold a point that is not
	/// in the right group.
	KeyMalformed,
	/// Signature bytes cannot be decoded (wrong length, scalar out of range, point not on the
	/// curve).
	SignatureMalformed,
	/// A well-formed signature does not verify.
	SignatureInvalid,
	/// Ciphertext bytes cannot be decoded (too short, unknown version, invalid group element,
	/// policy that is not the canonical trust policy).
	CiphertextMalformed,
	/// A well-formed ciphertext does not decrypt: wrong key or identity, or the ciphertext was
	/// modified (authentication failed).
	DecryptionFailed,
	/// A trust level is above [`MAX_TRUST_LEVEL`](crate::MAX_TRUST_LEVEL).
	TrustLevelInvalid,
	/// The ABE key's trust level is below the level the ciphertext requires.
	AccessDenied,
	/// A payload is larger than the scheme accepts.
	PayloadTooLarge,
	/// A third-party backend (`sm9`, `rabe`) failed in a way its API does not report, e.g. it
	/// panicked; the panic was caught at this crate's boundary.
	Backend,
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		let text = match self {
			Error::ConfigInvalid => "PUF model parameter out of range",
			Error::ResponseMalformed => "PUF response has the wrong length",
			Error::HelperDataMalformed => "helper data malformed",
			Error::ReconstructionFailed => "PUF key reconstruction failed",
			Error::KeyInvalid => "secret key invalid",
			Error::PublicKeyMalformed => "device public key malformed",
			Error::IdentityMismatch => "device ID does not match the public key",
			Error::ProofMalformed => "identity proof malformed",
			Error::ProofInvalid => "identity proof invalid",
			Error::IdentityMalformed => "SM9 identity malformed",
			Error::KeyMalformed => "key malformed",
			Error::SignatureMalformed => "signature malformed",
			Error::SignatureInvalid => "signature invalid",
			Error::CiphertextMalformed => "ciphertext malformed",
			Error::DecryptionFailed => "decryption failed",
			Error::TrustLevelInvalid => "trust level out of range",
			Error::AccessDenied => "trust level too low for this ciphertext",
			Error::PayloadTooLarge => "payload too large",
			Error::Backend => "cryptographic backend failed",
		};
		f.write_str(text)
	}
}

impl core::error::Error for Error {}
