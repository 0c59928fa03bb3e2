//! The crate's one public error type.

use std::path::PathBuf;

/// Everything that can go wrong in `endo-ml` and its CLI. Every variant says what is wrong and,
/// where a file is involved, which file (and which line of a CSV).
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// A file could not be read, written or created.
	#[error("{path}: {source}")]
	Io {
		/// The file.
		path: PathBuf,
		/// The operating system's error.
		source: std::io::Error,
	},
	/// A CSV file is not a valid record file (wrong header, field count, or value).
	#[error("{path}, line {line}: {message}")]
	Csv {
		/// The file.
		path: PathBuf,
		/// The 1-based line (the header is line 1).
		line: u64,
		/// What is wrong.
		message: String,
	},
	/// A saved float model (JSON) is not valid.
	#[error("{path}: not a valid endo-ml FNN file: {message}")]
	ModelFile {
		/// The file.
		path: PathBuf,
		/// What is wrong.
		message: String,
	},
	/// A weight blob or a model was rejected by `endo-trust`.
	#[error("{context}: {source}")]
	Trust {
		/// Where (a file, or what was being done).
		context: String,
		/// The `endo-trust` error.
		source: endo_trust::Error,
	},
	/// A configuration value is out of range (shares outside [0, 1], zero sizes, ...).
	#[error("invalid configuration: {0}")]
	Config(String),
	/// There is not enough data for what was asked (e.g. a split with an empty side).
	#[error("not enough data: {0}")]
	NotEnoughData(String),
	/// A tensor could not be read back from burn.
	#[error("tensor data: {0}")]
	Tensor(String),
	/// A plot could not be drawn (including: no usable TrueType font found).
	#[error("plot {path}: {message}")]
	Plot {
		/// The PNG being drawn.
		path: PathBuf,
		/// What went wrong.
		message: String,
	},
	/// The fixed-point export does not match burn's float output closely enough.
	#[error(
		"fixed-point output differs from burn's float output by {max_error:e} (limit {limit:e})"
	)]
	ExportMismatch {
		/// The largest absolute difference seen.
		max_error: f64,
		/// The allowed difference.
		limit: f64,
	},
}

impl Error {
	/// An [`Error::Io`] for `path`.
	pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
		Error::Io { path: path.into(), source }
	}

	/// An [`Error::Trust`] with a context.
	pub fn trust(context: impl Into<String>, source: endo_trust::Error) -> Error {
		Error::Trust { context: context.into(), source }
	}
}

/// `Result` with [`Error`].
pub type Result<T> = std::result::Result<T, Error>;
