//! The crate's one error type.

use std::{fmt, io, path::PathBuf};

/// Everything that can go wrong. Every message is one line that names the argument, file,
/// node request or chain error at fault.
#[derive(Debug)]
pub enum Error {
	/// An argument that does not parse or is out of range.
	Argument {
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
	/// A file that does not parse.
	File {
		/// The file.
		path: PathBuf,
		/// What is wrong.
		reason: String,
	},
	/// The node could not be reached, or a request to it failed.
	Node(String),
	/// The node answered with bytes that do not decode as the pallet's types.
	Decode {
		/// What was decoded.
		what: String,
		/// The decoder's error.
		reason: String,
	},
	/// The chain holds no such item.
	NotFound(String),
	/// The extrinsic was included but its dispatch failed: `Pallet.Error: doc line`.
	Dispatch(String),
	/// The request makes no sense in the current state (e.g. exporting an undisclosed case).
	Refused(String),
	/// Sealing or opening a report failed.
	Crypto(String),
}

impl fmt::Display for Error {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Error::Argument { what, reason } => write!(f, "{what}: {reason}"),
			Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
			Error::File { path, reason } => write!(f, "{}: {reason}", path.display()),
			Error::Node(reason) => write!(f, "node: {reason}"),
			Error::Decode { what, reason } => {
				write!(f, "cannot decode {what} from the node ({reason}): is it an Endochain node?")
			}
			Error::NotFound(what) => write!(f, "{what}"),
			Error::Dispatch(error) => write!(f, "the extrinsic failed: {error}"),
			Error::Refused(reason) => write!(f, "{reason}"),
			Error::Crypto(reason) => write!(f, "{reason}"),
		}
	}
}

impl std::error::Error for Error {
	fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
		match self {
			Error::Io { source, .. } => Some(source),
			_ => None,
		}
	}
}

impl Error {
	/// An [`Error::Argument`].
	pub fn arg(what: &str, reason: impl fmt::Display) -> Error {
		Error::Argument { what: what.into(), reason: reason.to_string() }
	}

	/// An [`Error::Node`], flattened to one line.
	pub fn node(reason: impl fmt::Display) -> Error {
		Error::Node(one_line(&reason.to_string()))
	}
}

/// `text` on one line: line breaks become spaces.
pub fn one_line(text: &str) -> String {
	text.split_whitespace().collect::<Vec<_>>().join(" ")
}
