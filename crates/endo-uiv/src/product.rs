//! Products and versions, in a form a device registry can match against.
//!
//! * [`ProductId`]: a package URL (purl specification, `pkg:type/namespace/name`) without
//!   version, qualifiers or subpath: the version is matched separately through
//!   [`VersionRange`]s. ASCII, at most [`MAX_PRODUCT_ID_LEN`] bytes.
//! * [`Version`]: 1 to 4 dot-separated decimal `u32` components (`2`, `1.4`, `3.0.12`,
//!   `10.2.0.7`), the form industrial firmware versions take.
//! * [`VersionRange`]: half-open `[introduced, fixed)`, as OSV's `ranges` events
//!   (`introduced`, `fixed`).

use crate::Error;
use alloc::vec::Vec;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, Input, MaxEncodedLen};
use core::{cmp::Ordering, fmt};
use scale_info::TypeInfo;

/// The longest [`ProductId`], in bytes.
pub const MAX_PRODUCT_ID_LEN: u32 = 256;

/// The most components of a [`Version`].
pub const MAX_VERSION_PARTS: usize = 4;

/// A product identifier: an ASCII package URL `pkg:type/[namespace/...]name`.
///
/// Rules checked by [`ProductId::new`] and on SCALE decoding: at most [`MAX_PRODUCT_ID_LEN`]
/// bytes of printable ASCII; the scheme `pkg:`; a type of lower-case letters, digits, `.`, `+`
/// or `-` starting with a letter; then one or more non-empty `/`-separated segments (the
/// namespace segments and the name); no `@` (version), `?` (qualifiers) or `#` (subpath): those
/// characters inside names are percent-encoded in a purl.
#[derive(TypeInfo, MaxEncodedLen, Encode, Clone, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct ProductId(BoundedVec<u8, ConstU32<MAX_PRODUCT_ID_LEN>>);

fn validate_product_id(bytes: &[u8]) -> Result<(), Error> {
	if bytes.iter().any(|b| !(0x21..=0x7e).contains(b)) {
		return Err(Error::MalformedProductId);
	}
	let text = core::str::from_utf8(bytes).map_err(|_| Error::MalformedProductId)?;
	let rest = text.strip_prefix("pkg:").ok_or(Error::MalformedProductId)?;
	if rest.contains(['@', '?', '#']) {
		return Err(Error::MalformedProductId);
	}
	let mut segments = rest.split('/');
	let kind = segments.next().unwrap_or("");
	let mut kind_chars = kind.chars();
	let first_ok = kind_chars.next().is_some_and(|c| c.is_ascii_lowercase());
	let rest_ok = kind_chars
		.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '+' | '-'));
	if !first_ok || !rest_ok {
		return Err(Error::MalformedProductId);
	}
	let mut names = 0usize;
	for segment in segments {
		if segment.is_empty() {
			return Err(Error::MalformedProductId);
		}
		names = names.saturating_add(1);
	}
	if names == 0 {
		return Err(Error::MalformedProductId);
	}
	Ok(())
}

impl ProductId {
	/// A validated identifier ([`Error::TooLong`], [`Error::MalformedProductId`]).
	pub fn new(text: &str) -> Result<ProductId, Error> {
		let bytes: BoundedVec<u8, ConstU32<MAX_PRODUCT_ID_LEN>> =
			text.as_bytes().to_vec().try_into().map_err(|_| Error::TooLong)?;
		validate_product_id(&bytes)?;
		Ok(ProductId(bytes))
	}

	/// The identifier as text.
	pub fn as_str(&self) -> &str {
		core::str::from_utf8(&self.0).unwrap_or("")
	}

	/// The bytes of the identifier.
	pub fn as_bytes(&self) -> &[u8] {
		&self.0
	}

	/// The purl type (`pkg:<type>/...`), for example `github`, `generic`, `cargo`.
	pub fn kind(&self) -> &str {
		self.after_scheme().split('/').next().unwrap_or("")
	}

	/// The namespace: every segment between the type and the name, `None` if there is none.
	pub fn namespace(&self) -> Option<&str> {
		let rest = self.after_scheme();
		let (_, path) = rest.split_once('/')?;
		let (namespace, _) = path.rsplit_once('/')?;
		Some(namespace)
	}

	/// The name: the last segment.
	pub fn name(&self) -> &str {
		self.after_scheme().rsplit('/').next().unwrap_or("")
	}

	fn after_scheme(&self) -> &str {
		self.as_str().strip_prefix("pkg:").unwrap_or("")
	}
}

impl fmt::Display for ProductId {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(self.as_str())
	}
}

impl core::str::FromStr for ProductId {
	type Err = Error;
	fn from_str(s: &str) -> Result<Self, Self::Err> {
		ProductId::new(s)
	}
}

impl Decode for ProductId {
	fn decode<I: Input>(input: &mut I) -> Result<Self, codec::Error> {
		let bytes = BoundedVec::<u8, ConstU32<MAX_PRODUCT_ID_LEN>>::decode(input)?;
		validate_product_id(&bytes).map_err(|_| codec::Error::from("invalid product id"))?;
		Ok(ProductId(bytes))
	}
}

impl DecodeWithMemTracking for ProductId {}

/// A dotted numeric version of 1 to [`MAX_VERSION_PARTS`] components.
///
/// Order: component by component, missing components counting as 0; two versions equal in
/// that comparison (`1.2` and `1.2.0`) are ordered by their number of components, so the order
/// is total and agrees with equality. Text form: no sign, no leading zeros (`0` itself
/// excepted), so that [`Version::parse`] and `Display` are inverse.
#[derive(TypeInfo, MaxEncodedLen, Encode, Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Version {
	parts: [u32; MAX_VERSION_PARTS],
	len: u8,
}

impl Version {
	/// A version from its components ([`Error::MalformedVersion`] for none or more than four).
	pub fn new(parts: &[u32]) -> Result<Version, Error> {
		if parts.is_empty() || parts.len() > MAX_VERSION_PARTS {
			return Err(Error::MalformedVersion);
		}
		let mut all = [0u32; MAX_VERSION_PARTS];
		for (slot, part) in all.iter_mut().zip(parts) {
			*slot = *part;
		}
		Ok(Version { parts: all, len: u8::try_from(parts.len()).unwrap_or(0) })
	}

	/// Parses `1`, `1.2`, `1.2.3` or `1.2.3.4`.
	pub fn parse(text: &str) -> Result<Version, Error> {
		let mut parts: Vec<u32> = Vec::with_capacity(MAX_VERSION_PARTS);
		for piece in text.split('.') {
			let canonical = !piece.is_empty()
				&& piece.bytes().all(|b| b.is_ascii_digit())
				&& (piece == "0" || !piece.starts_with('0'));
			if !canonical || parts.len() == MAX_VERSION_PARTS {
				return Err(Error::MalformedVersion);
			}
			parts.push(piece.parse::<u32>().map_err(|_| Error::MalformedVersion)?);
		}
		Version::new(&parts)
	}

	/// The components.
	pub fn parts(&self) -> &[u32] {
		self.parts.get(..usize::from(self.len)).unwrap_or(&[])
	}

	/// The number of components (1 to 4).
	pub fn len(&self) -> usize {
		usize::from(self.len)
	}

	/// Always `false`: a version has at least one component.
	pub fn is_empty(&self) -> bool {
		self.len == 0
	}
}

impl Ord for Version {
	fn cmp(&self, other: &Self) -> Ordering {
		self.parts.cmp(&other.parts).then(self.len.cmp(&other.len))
	}
}

impl PartialOrd for Version {
	fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
		Some(self.cmp(other))
	}
}

impl fmt::Display for Version {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		for (i, part) in self.parts().iter().enumerate() {
			if i > 0 {
				f.write_str(".")?;
			}
			write!(f, "{part}")?;
		}
		Ok(())
	}
}

impl core::str::FromStr for Version {
	type Err = Error;
	fn from_str(s: &str) -> Result<Self, Self::Err> {
		Version::parse(s)
	}
}

impl Decode for Version {
	fn decode<I: Input>(input: &mut I) -> Result<Self, codec::Error> {
		let parts = <[u32; MAX_VERSION_PARTS]>::decode(input)?;
		let len = u8::decode(input)?;
		let n = usize::from(len);
		let unused_zero = parts.iter().skip(n).all(|p| *p == 0);
		if n == 0 || n > MAX_VERSION_PARTS || !unused_zero {
			return Err("invalid version".into());
		}
		Ok(Version { parts, len })
	}
}

impl DecodeWithMemTracking for Version {}

/// The versions `introduced <= v < fixed` (no upper bound when `fixed` is `None`).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct VersionRange {
	/// The first affected version.
	pub introduced: Version,
	/// The first version no longer affected, if one exists.
	pub fixed: Option<Version>,
}

impl VersionRange {
	/// A range, [`Error::EmptyRange`] unless `introduced < fixed`.
	pub fn new(introduced: Version, fixed: Option<Version>) -> Result<VersionRange, Error> {
		let range = VersionRange { introduced, fixed };
		range.validate()?;
		Ok(range)
	}

	/// [`Error::EmptyRange`] unless `introduced < fixed` (decoded ranges are not checked).
	pub fn validate(&self) -> Result<(), Error> {
		match self.fixed {
			Some(fixed) if fixed <= self.introduced => Err(Error::EmptyRange),
			_ => Ok(()),
		}
	}

	/// Whether `version` lies in the range.
	pub fn contains(&self, version: &Version) -> bool {
		*version >= self.introduced && self.fixed.is_none_or(|fixed| *version < fixed)
	}
}

/// Whether any of `ranges` contains `version`.
pub fn affects(ranges: &[VersionRange], version: &Version) -> bool {
	ranges.iter().any(|r| r.contains(version))
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::Encode;

	#[test]
	fn product_ids() {
		let id = ProductId::new("pkg:github/acme/plc-firmware").unwrap();
		assert_eq!(id.kind(), "github");
		assert_eq!(id.namespace(), Some("acme"));
		assert_eq!(id.name(), "plc-firmware");
		let short = ProductId::new("pkg:generic/sensor").unwrap();
		assert_eq!(short.namespace(), None);
		assert_eq!(short.name(), "sensor");
		for bad in [
			"",
			"pkg:",
			"pkg:github",
			"pkg:github/",
			"pkg:github//x",
			"pkg:GitHub/acme/x",
			"pkg:1x/acme/x",
			"cpe:/a:acme:x",
			"pkg:github/acme/x@1.0",
			"pkg:github/acme/x?arch=arm",
			"pkg:github/acme/x#src",
			"pkg:github/acme/x y",
			"pkg:github/acme/é",
		] {
			assert_eq!(ProductId::new(bad), Err(Error::MalformedProductId), "{bad}");
		}
		let long = alloc::format!("pkg:generic/{}", "a".repeat(300));
		assert_eq!(ProductId::new(&long), Err(Error::TooLong));
	}

	#[test]
	fn product_id_decoding_validates() {
		let bad = b"pkg:/x".to_vec().encode();
		assert!(ProductId::decode(&mut &bad[..]).is_err());
		let good = ProductId::new("pkg:cargo/endo").unwrap();
		assert_eq!(ProductId::decode(&mut &good.encode()[..]).unwrap(), good);
	}

	#[test]
	fn versions() {
		let v = Version::parse("1.2.3").unwrap();
		assert_eq!(v.parts(), &[1, 2, 3]);
		assert_eq!(alloc::format!("{v}"), "1.2.3");
		for bad in ["", "1.", ".1", "1..2", "01", "1.2.3.4.5", "1.-2", "+1", "4294967296", "a"] {
			assert_eq!(Version::parse(bad), Err(Error::MalformedVersion), "{bad}");
		}
		assert!(Version::parse("1.2").unwrap() < Version::parse("1.2.0").unwrap());
		assert!(Version::parse("1.2.0").unwrap() < Version::parse("1.10").unwrap());
		let bad = ([1u32, 0, 0, 5], 2u8).encode();
		assert!(Version::decode(&mut &bad[..]).is_err());
	}

	#[test]
	fn ranges_are_half_open() {
		let r = VersionRange::new(
			Version::parse("1.0").unwrap(),
			Some(Version::parse("1.4.2").unwrap()),
		)
		.unwrap();
		assert!(r.contains(&Version::parse("1.0").unwrap()));
		assert!(r.contains(&Version::parse("1.4.1").unwrap()));
		assert!(!r.contains(&Version::parse("1.4.2").unwrap()));
		assert!(!r.contains(&Version::parse("0.9").unwrap()));
		let v = Version::parse("2.0").unwrap();
		assert_eq!(VersionRange::new(v, Some(v)), Err(Error::EmptyRange));
		let open = VersionRange::new(Version::parse("3").unwrap(), None).unwrap();
		assert!(affects(&[r, open], &Version::parse("7.1").unwrap()));
		assert!(!affects(&[r, open], &Version::parse("2.9").unwrap()));
	}
}
