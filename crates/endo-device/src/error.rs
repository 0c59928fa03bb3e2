//! The crate's one error type.

use std::{fmt, io, path::PathBuf};

/// The kinds of file the tool writes: what an error about one says it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
	/// A device file (`enroll`).
	Device,
	/// A KGC file: an IBE domain's SM9 master key and sr25519 enrolment key (`kgc new`).
	Kgc,
	/// A CA file: a PKI domain's signing key (`ca new`).
	Ca,
}

impl fmt::Display for FileKind {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(match self {
			FileKind::Device => "device",
			FileKind::Kgc => "KGC",
			FileKind::Ca => "CA",
		})
	}
}

/// Everything that can go wrong when enrolling a device, reading its file, proving its
/// identity or issuing its credential. The messages name the argument, field or file at fault.
#[derive(Debug)]
pub enum Error {
	/// An argument or file field is not valid hex.
	Hex {
		/// The argument or field.
		what: String,
		/// What the hex decoder found.
		reason: String,
	},
	/// Bytes of the wrong length.
	Length {
		/// The argument or field.
		what: String,
		/// The expected number of bytes.
		expected: usize,
		/// The number of bytes given.
		actual: usize,
	},
	/// An argument outside its allowed range or form.
	InvalidArgument {
		/// The argument.
		what: String,
		/// What is wrong with it.
		reason: String,
	},
	/// A file could not be read or written.
	Io {
		/// The file.
		path: PathBuf,
		/// The operating system's error.
		source: io::Error,
	},
	/// The output file exists and overwriting was not asked for.
	Exists {
		/// The file.
		path: PathBuf,
		/// What would have been written there.
		kind: FileKind,
	},
	/// A device file that does not parse, has a field of the wrong form, or is inconsistent
	/// (e.g. its ID is not the hash of its public key).
	DeviceFile {
		/// The file (or `<input>` when parsed from a string).
		source: String,
		/// What is wrong.
		reason: String,
	},
	/// A KGC or CA file that does not parse, has a field of the wrong form, is another kind of
	/// file, or is inconsistent (its public key is not its secret key's).
	KeyFile {
		/// What the file should have been.
		kind: FileKind,
		/// The file (or `<input>` when parsed from a string).
		source: String,
		/// What is wrong.
		reason: String,
	},
	/// The fuzzy extractor could not reproduce the enrolled key from this power-up's read: the
	/// read was too noisy, or the helper data do not belong to this PUF (altered file).
	ReconstructionFailed,
	/// The reconstructed key does not give the public key recorded at enrolment.
	KeyMismatch,
	/// The enrolment reference is too biased for the fuzzy extractor's entropy argument
	/// (`docs/ENDOGENOUS-IDENTITY.md` §3.5): the device is rejected.
	PufBiased {
		/// Number of cells that read 1.
		weight: u32,
		/// The expected weight of an unbiased PUF.
		expected: u32,
	},
	/// The operating system's random number generator failed.
	Rng(String),
	/// Any other failure of the PUF model or the key derivation (`endo-crypto`).
	Puf(endo_crypto::PufError),
	/// An SM9 operation of the KGC failed (`endo-crypto`): no user key for this identity
	/// (probability `1/n`), or the credential just made does not verify.
	Sm9(endo_crypto::Sm9Error),
	/// A signature the tool just made does not verify with its own key: nothing is printed.
	SelfCheck(&'static str),
}

impl Error {
	/// The tool's exit status for this error: 2 for bad arguments (as for command-line usage
	/// errors), 3 for a failed key reconstruction, 1 for everything else.
	pub fn exit_code(&self) -> u8 {
		match self {
			Error::Hex { .. } | Error::Length { .. } | Error::InvalidArgument { .. } => 2,
			Error::ReconstructionFailed => 3,
			_ => 1,
		}
	}
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Error::Hex { what, reason } => write!(f, "{what}: not valid hex ({reason})"),
			Error::Length { what, expected, actual } => write!(
				f,
				"{what}: expected {expected} bytes ({} hex characters), got {actual} byte{}",
				expected * 2,
				if *actual == 1 { "" } else { "s" }
			),
			Error::InvalidArgument { what, reason } => write!(f, "{what}: {reason}"),
			Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
			Error::Exists { path, kind: FileKind::Device } => write!(
				f,
				"{}: already exists; enrolling again gives the device a new identity, pass \
				 --force to overwrite it",
				path.display()
			),
			Error::Exists { path, kind } => write!(
				f,
				"{}: already exists; a new {kind} key would replace the one there (which the \
				 chain and the devices it issued credentials to still use), pass --force to \
				 overwrite it",
				path.display()
			),
			Error::DeviceFile { source, reason } => {
				write!(f, "{source}: not a valid device file: {reason}")
			}
			Error::KeyFile { kind, source, reason } => {
				write!(f, "{source}: not a valid {kind} file: {reason}")
			}
			Error::ReconstructionFailed => f.write_str(
				"PUF key reconstruction failed: this power-up's read is too noisy for the \
				 fuzzy extractor, or the helper data do not belong to this PUF (altered device \
				 file); no proof was made",
			),
			Error::KeyMismatch => f.write_str(
				"the reconstructed key does not match the public key recorded at enrolment \
				 (altered device file); no proof was made",
			),
			Error::PufBiased { weight, expected } => write!(
				f,
				"PUF rejected at enrolment: {weight} of {} cells read 1, more than {} away from \
				 the {expected} of an unbiased PUF",
				endo_crypto::puf::RESPONSE_BITS,
				crate::BIAS_TOLERANCE
			),
			Error::Rng(reason) => write!(f, "random number generator failed: {reason}"),
			Error::Puf(error) => write!(f, "{error}"),
			Error::Sm9(error) => write!(f, "SM9: {error}"),
			Error::SelfCheck(what) => {
				write!(f, "{what} just made does not verify with its own key; nothing was issued")
			}
		}
	}
}

impl std::error::Error for Error {
	fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
		match self {
			Error::Io { source, .. } => Some(source),
			Error::Puf(error) => Some(error),
			Error::Sm9(error) => Some(error),
			_ => None,
		}
	}
}

impl From<endo_crypto::PufError> for Error {
	fn from(error: endo_crypto::PufError) -> Self {
		match error {
			endo_crypto::PufError::ReconstructionFailed => Error::ReconstructionFailed,
			other => Error::Puf(other),
		}
	}
}
