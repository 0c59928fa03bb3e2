//! codepreleak on the SW's side (UIV-TSP sec. 3.4, Algorithms 2 and 3): a package is opened
//! only after its self-check passes on the host it runs on.
//!
//! `endochain-uiv open PACKAGE` opens the package's header with the SW's key (`--suri`) and
//! checks that the chain records its delivery to this SW (the commitment of its tracing token);
//! a package that fails either (altered, another SW's, or forged by anyone who knows the SW's
//! public key) is an error and stays as it is. Then:
//!
//! 1. **Valid time.** Past the header's `valid_until` (the session's end, or a trap's valid
//!    time), the package destroys itself: nothing leaked, no report.
//! 2. **Self-check** (Algorithm 2). It recomputes the verification value
//!    `tracing_token(access_token, host_id)` from the (revoked) access token in the header and
//!    the identifier of the host it runs on, and compares it with the embedded tracing token.
//! 3. **Self-destruct** on a mismatch: the package file (a regular file only, never a link's
//!    target) is overwritten with random bytes, synced and deleted, and the feedback (the case, the time, this host's identifier and the
//!    tracing token the package carried) goes to the chain as `report_leak(case, tracing,
//!    Feedback { host, at })`, signed with the key that opened the header. The chain verifies
//!    it against the token commitments and records a leak against the licensed SW.
//! 4. On the licensed host the report opens: its key is derived from the host's secret (from
//!    the fingerprint, [`crate::delivery`]) and the access token (`endo_uiv::seal::unguard`).
//!
//! # What a software self-check can and cannot stop
//!
//! * A copied package is useless off its host: its report is sealed to the host's secret,
//!   which is not in the package, whatever tool opens it; this tool also destroys it there and
//!   reports the leak.
//! * A modified tool skips steps 1 to 3; it still cannot open the report without the licensed
//!   host's fingerprint (its `/etc/machine-id` and MAC addresses), which a determined insider
//!   can copy along: the host binding raises the bar, it is no hardware enclave.
//! * A reader who copies the opened plaintext is not stopped: the tracing mark embedded in the
//!   text (`endo_uiv::watermark`) names the leaker when the copy surfaces (`endochain-uiv
//!   trace`). It survives copy-paste and whitespace and line-ending changes, not retyping or
//!   a screenshot.

use crate::{
	args::{ss58_bytes, to_hex},
	chain::Chain,
	delivery, leak, Error,
};
use endo_uiv::package::{self, Package};
use pallet_uiv_sharing::types::LeakSource;
use rand::RngCore;
use serde_json::json;
use sp_core::Pair;
use std::{
	fs,
	io::Write,
	path::Path,
	time::{SystemTime, UNIX_EPOCH},
};
use zeroize::Zeroizing;

/// The time now, UNIX ms.
pub fn now_ms() -> u64 {
	SystemTime::now()
		.duration_since(UNIX_EPOCH)
		.map(|d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
		.unwrap_or(0)
}

/// What the self-check decided for a package on this host.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
	/// The licensed host, within the valid time: the report may open.
	Open,
	/// The valid time is over: destroy, no report.
	Expired,
	/// Another host: destroy and report the leak.
	Foreign,
}

/// The self-check of `package` on the host with identifier `host` at `now_ms`.
pub fn verdict(package: &Package, host: &[u8; 32], now_ms: u64) -> Verdict {
	if package.expired(now_ms) {
		Verdict::Expired
	} else if package.self_check(host) {
		Verdict::Open
	} else {
		Verdict::Foreign
	}
}

/// The report of a package whose self-check passed, opened with the host's secret.
pub fn unlock(package: &Package, host_secret: &[u8; 32]) -> Result<Zeroizing<Vec<u8>>, Error> {
	endo_uiv::seal::unguard(
		host_secret,
		&package.access,
		&package.guard_context(),
		&package.guarded,
	)
	.map_err(|e| Error::Crypto(format!("the report does not open on this host: {e}")))
}

/// Overwrites `path` with random bytes of its length, syncs it and deletes it. Only a regular
/// file: a symbolic link (whose target may be anything) is refused.
pub fn destroy(path: &Path) -> Result<(), Error> {
	let io = |source| Error::Io { path: path.to_path_buf(), source };
	let meta = fs::symlink_metadata(path).map_err(io)?;
	if !meta.file_type().is_file() {
		return Err(Error::File {
			path: path.to_path_buf(),
			reason: "not a regular file (a link or a device): not destroyed".into(),
		});
	}
	let len = meta.len();
	let mut file = fs::OpenOptions::new().write(true).open(path).map_err(io)?;
	let mut chunk = vec![0u8; 64 * 1024];
	let mut left = len;
	while left > 0 {
		let n = usize::try_from(left.min(chunk.len() as u64)).unwrap_or(chunk.len());
		rand::rngs::OsRng.fill_bytes(&mut chunk[..n]);
		file.write_all(&chunk[..n]).map_err(io)?;
		left -= n as u64;
	}
	file.sync_all().map_err(io)?;
	drop(file);
	fs::remove_file(path).map_err(io)
}

/// The feedback of a package destroyed on a foreign host: the arguments of `report_leak`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feedback {
	/// The case.
	pub case: u64,
	/// The tracing token the package carried.
	pub tracing: [u8; 32],
	/// This host's identifier.
	pub host: [u8; 32],
	/// When the self-check ran (UNIX ms).
	pub at_ms: u64,
}

/// A package that destroyed itself.
#[derive(Debug)]
pub struct Destroyed {
	/// Why: [`Verdict::Expired`] or [`Verdict::Foreign`].
	pub verdict: Verdict,
	/// For a foreign host, the feedback to send.
	pub feedback: Option<Feedback>,
	/// Why the file could not be destroyed, if it could not (the feedback goes out anyway).
	pub destroy_error: Option<String>,
}

/// Reads package file `file` and opens its header with SW `pair`'s key for chain `genesis`.
/// A package that does not open (altered, another SW's, another chain's) is an error.
pub fn read_header(
	pair: &sp_core::sr25519::Pair,
	file: &Path,
	genesis: &[u8; 32],
) -> Result<Package, Error> {
	let sealed = fs::read(file).map_err(|source| Error::Io { path: file.to_path_buf(), source })?;
	delivery::open(pair, &sealed, genesis, None)
		.map_err(|e| Error::File { path: file.to_path_buf(), reason: e.to_string() })
}

/// Runs the self-check of `package`, read from `file`, on the host with secret `host_secret`
/// at `now_ms` (see the module docs): `Ok` with the report on the licensed host, `Err` once the
/// package destroyed itself. The caller checks first that the chain records the package's
/// delivery, so that no forged package makes it destroy or report anything.
pub fn check_and_open(
	package: &Package,
	file: &Path,
	host_secret: &[u8; 32],
	now_ms: u64,
) -> Result<Result<Zeroizing<Vec<u8>>, Destroyed>, Error> {
	let host = package::host_id(host_secret);
	let verdict = verdict(package, &host, now_ms);
	let feedback = match verdict {
		Verdict::Open => {
			return unlock(package, host_secret)
				.map(Ok)
				.map_err(|e| Error::File { path: file.to_path_buf(), reason: e.to_string() })
		}
		Verdict::Expired => None,
		Verdict::Foreign => {
			Some(Feedback { case: package.case, tracing: package.tracing, host, at_ms: now_ms })
		}
	};
	let destroy_error = destroy(file).err().map(|e| e.to_string());
	Ok(Err(Destroyed { verdict, feedback, destroy_error }))
}

/// What `open` did.
pub enum Opened {
	/// The self-check passed: the report, and a summary to print.
	Report {
		/// Case, access, TA, report hash.
		summary: serde_json::Value,
		/// The report.
		report: Zeroizing<Vec<u8>>,
	},
	/// The package destroyed itself: what happened, and the feedback's fate.
	Destroyed(serde_json::Value),
}

/// `open FILE` (see the module docs): the SW `suri`'s package on the host with `host_secret`,
/// its delivery read from `chain`, feedback submitted there.
pub async fn open_command(
	chain: &Chain,
	suri: &str,
	file: &Path,
	host_secret: &[u8; 32],
	finalized: bool,
) -> Result<Opened, Error> {
	let pair = delivery::pair(suri)?;
	let genesis = delivery::genesis(chain).await?;
	let package = read_header(&pair, file, &genesis)?;
	// Only a package whose delivery the chain records may destroy itself or report: anyone can
	// seal something to an SW's public key.
	let access = delivery::access(chain, package.case, &pair.public().0).await?;
	if access.tracing_commitment != Some(package.tracing_commitment()) {
		return Err(Error::Refused(format!(
			"{}: the chain records no delivery of this package (case {}); left as it is",
			file.display(),
			package.case
		)));
	}
	match check_and_open(&package, file, host_secret, now_ms())? {
		Ok(report) => {
			let summary = json!({
				"case": package.case,
				"reportSha256": to_hex(&crate::seal::sha256(&report)),
				"access": format!("{:?}", access.state),
				"ta": ss58_bytes(&package.ta),
				"validUntilMs": package.valid_until,
			});
			Ok(Opened::Report { summary, report })
		}
		Err(destroyed) => {
			let mut value = json!({
				"destroyed": file.display().to_string(),
				"why": match destroyed.verdict {
					Verdict::Foreign => "this is not the host the package was licensed to",
					_ => "the package's valid time is over",
				},
			});
			if let Some(error) = &destroyed.destroy_error {
				value["destroyed"] = json!(null);
				value["destroyError"] = json!(error);
			}
			if let Some(f) = destroyed.feedback {
				value["feedback"] = json!({
					"case": f.case,
					"host": to_hex(&f.host),
					"atMs": f.at_ms,
					"tracingToken": to_hex(&f.tracing),
				});
				let source = LeakSource::Feedback { host: f.host, at: f.at_ms };
				value["reported"] =
					match leak::report(chain, suri, f.case, f.tracing, source, finalized).await {
						Ok(done) => done.to_json(json!({})),
						Err(e) => json!({ "error": e.to_string() }),
					};
			}
			Ok(Opened::Destroyed(value))
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use endo_uiv::{hash::tags, token};
	use rand::{rngs::StdRng, SeedableRng};

	fn sealed(worker: &sp_core::sr25519::Pair, host_secret: [u8; 32], valid_until: u64) -> Vec<u8> {
		let host = package::host_id(&host_secret);
		let access = token::access_token(&[1; 32], &worker.public().0, &[3; 32]);
		let tracing = *token::tracing_token(&access, &host).as_bytes();
		let mut rng = StdRng::seed_from_u64(1);
		let guarded = endo_uiv::seal::guard(
			&host_secret,
			access.as_bytes(),
			&package::guard_context(5, &worker.public().0, &tracing),
			b"the report",
			&mut rng,
		)
		.unwrap();
		let package = Package {
			version: package::PACKAGE_VERSION,
			genesis: [7; 32],
			case: 5,
			worker: worker.public().0,
			ta: [4; 32],
			vul_meta_hash: [1; 32],
			host,
			access: *access.as_bytes(),
			tracing,
			valid_until,
			guarded,
		};
		endo_uiv::seal::seal(
			tags::PACKAGE_KEY,
			&worker.public().0,
			&package::package_context(&[7; 32], &worker.public().0),
			&codec::Encode::encode(&package),
			&mut rng,
		)
		.unwrap()
	}

	fn temp(name: &str, bytes: &[u8]) -> std::path::PathBuf {
		let path = std::env::temp_dir().join(format!("endo-guard-{}-{name}", std::process::id()));
		fs::write(&path, bytes).unwrap();
		path
	}

	/// What the command does, without the chain's check.
	fn open_file(
		pair: &sp_core::sr25519::Pair,
		file: &Path,
		host_secret: &[u8; 32],
		now_ms: u64,
	) -> Result<Result<Zeroizing<Vec<u8>>, Destroyed>, Error> {
		let package = read_header(pair, file, &[7; 32])?;
		check_and_open(&package, file, host_secret, now_ms)
	}

	#[test]
	fn the_licensed_host_opens_another_destroys_and_reports() {
		let charlie = delivery::pair("//Charlie").unwrap();
		let licensed = package::host_secret(b"endochain-host/v2\nmachine-id:a\n");
		let foreign = package::host_secret(b"endochain-host/v2\nmachine-id:b\n");
		let file = temp("ok", &sealed(&charlie, licensed, 1_000));
		let report = open_file(&charlie, &file, &licensed, 999).unwrap().unwrap();
		assert_eq!(report.as_slice(), b"the report");
		assert!(file.exists(), "opening on the licensed host keeps the package");
		let package = read_header(&charlie, &file, &[7; 32]).unwrap();

		let destroyed = open_file(&charlie, &file, &foreign, 999).unwrap().unwrap_err();
		assert_eq!(destroyed.verdict, Verdict::Foreign);
		assert_eq!(destroyed.destroy_error, None);
		let feedback = destroyed.feedback.unwrap();
		assert_eq!(feedback.case, 5);
		assert_eq!(feedback.host, package::host_id(&foreign));
		assert_eq!(token::commitment(&feedback.tracing), package.tracing_commitment());
		assert!(!file.exists(), "destroyed on a foreign host");
	}

	#[test]
	fn an_expired_package_destroys_itself_and_a_tampered_one_is_left_alone() {
		let charlie = delivery::pair("//Charlie").unwrap();
		let licensed = package::host_secret(b"endochain-host/v2\nmachine-id:a\n");
		let file = temp("old", &sealed(&charlie, licensed, 1_000));
		let destroyed = open_file(&charlie, &file, &licensed, 1_001).unwrap().unwrap_err();
		assert_eq!((destroyed.verdict, destroyed.feedback), (Verdict::Expired, None));
		assert!(!file.exists());

		let mut bytes = sealed(&charlie, licensed, 1_000);
		let last = bytes.len() - 1;
		bytes[last] ^= 1;
		let file = temp("bad", &bytes);
		assert!(open_file(&charlie, &file, &licensed, 999).is_err());
		assert!(file.exists(), "a package that does not open is not destroyed");
		// Another SW's key: it does not open, nothing is destroyed.
		let dave = delivery::pair("//Dave").unwrap();
		let file2 = temp("dave", &sealed(&charlie, licensed, 1_000));
		assert!(open_file(&dave, &file2, &licensed, 999).is_err());
		assert!(file2.exists());
		fs::remove_file(file).unwrap();
		fs::remove_file(file2).unwrap();
	}

	#[test]
	fn a_link_is_not_destroyed_but_the_leak_is_still_reported() {
		let charlie = delivery::pair("//Charlie").unwrap();
		let licensed = package::host_secret(b"endochain-host/v2\nmachine-id:a\n");
		let foreign = package::host_secret(b"endochain-host/v2\nmachine-id:b\n");
		let target = temp("target", &sealed(&charlie, licensed, 1_000));
		let link = std::env::temp_dir().join(format!("endo-guard-{}-link", std::process::id()));
		let _ = fs::remove_file(&link);
		std::os::unix::fs::symlink(&target, &link).unwrap();
		let destroyed = open_file(&charlie, &link, &foreign, 999).unwrap().unwrap_err();
		assert_eq!(destroyed.verdict, Verdict::Foreign);
		assert!(destroyed.destroy_error.unwrap().contains("not a regular file"));
		assert!(destroyed.feedback.is_some(), "the feedback goes out anyway");
		assert!(target.exists() && link.exists());
		fs::remove_file(link).unwrap();
		fs::remove_file(target).unwrap();
	}

	#[test]
	fn destroy_overwrites_then_removes() {
		let file = temp("d", &[0x41; 200_000]);
		destroy(&file).unwrap();
		assert!(!file.exists());
		assert!(destroy(&file).is_err(), "a missing file is an error, not a panic");
	}
}
