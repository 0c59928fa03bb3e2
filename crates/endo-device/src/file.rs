//! The files the tool writes and reads: device, KGC and CA files. All hold secrets (a device
//! file holds the "silicon"), so they are written owner-only and never overwritten silently.

use std::{
	fs,
	io::{self, Write},
	path::Path,
};

use serde::Deserialize;

use crate::{device::FORMAT as DEVICE_FORMAT, Error, FileKind, CA_FORMAT, KGC_FORMAT};

/// Writes `text` and a newline to `path`, owner-only on Unix (mode 0600). Fails with
/// [`Error::Exists`] if `path` exists, unless `overwrite`.
pub(crate) fn write_private(
	path: &Path,
	text: &str,
	overwrite: bool,
	kind: FileKind,
) -> Result<(), Error> {
	let mut options = fs::OpenOptions::new();
	options.write(true);
	if overwrite {
		options.create(true).truncate(true);
	} else {
		options.create_new(true);
	}
	#[cfg(unix)]
	std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
	let io_error = |source: io::Error| {
		if source.kind() == io::ErrorKind::AlreadyExists {
			Error::Exists { path: path.to_path_buf(), kind }
		} else {
			Error::Io { path: path.to_path_buf(), source }
		}
	};
	let mut file = options.open(path).map_err(io_error)?;
	let mut text = text.to_owned();
	text.push('\n');
	file.write_all(text.as_bytes()).and_then(|()| file.sync_all()).map_err(io_error)
}

/// Reads a file as text; [`Error::Io`] names the file.
pub(crate) fn read(path: &Path) -> Result<String, Error> {
	fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

/// Checks the `format` field of a KGC or CA file before the rest is parsed, so that a file of
/// another kind (a CA file given to `kgc`, a device file given to `ca`) is named as such rather
/// than reported as an unknown field.
pub(crate) fn check_format(text: &str, expected: &str) -> Result<(), String> {
	#[derive(Deserialize)]
	struct Header {
		format: Option<String>,
	}
	let header: Header = serde_json::from_str(text).map_err(|e| e.to_string())?;
	let Some(format) = header.format else { return Err("missing field `format`".into()) };
	if format == expected {
		return Ok(());
	}
	let kind = match format.as_str() {
		KGC_FORMAT => Some((FileKind::Kgc, "`endochain-device kgc ... --kgc <file>`")),
		CA_FORMAT => Some((FileKind::Ca, "`endochain-device ca ... --ca <file>`")),
		DEVICE_FORMAT => Some((FileKind::Device, "`--device <file>`")),
		_ => None,
	};
	Err(match kind {
		Some((kind, usage)) => {
			format!("format is {format:?}: this is a {kind} file (use it with {usage})")
		}
		None => format!("format is {format:?}, expected {expected:?}"),
	})
}
