//! Parsing of the command-line arguments into the pallet's types: accounts (SS58), products
//! (`VENDOR_SS58:PURL:RANGES`), version ranges, severities (CVSS 3.1 or SSVC), product
//! statuses and hex.

use crate::Error;
use endo_uiv::{
	severity::{Automatable, Exploitation, MissionWellbeing, TechnicalImpact},
	CvssV31, ProductId, ProductStatus, Severity, SsvcDecisionPoints, Version, VersionRange,
};
use pallet_uiv_sharing::types::{Name, Ranges, Uri};
use sp_core::crypto::{AccountId32, Ss58Codec};

/// An account from its SS58 address (any network prefix).
pub fn parse_account(what: &str, text: &str) -> Result<AccountId32, Error> {
	AccountId32::from_ss58check(text.trim())
		.map_err(|e| Error::arg(what, format!("not an SS58 address ({e:?})")))
}

/// An account as its SS58 address (the generic Substrate prefix 42, the runtime's).
pub fn ss58(account: &AccountId32) -> String {
	account.to_ss58check()
}

/// Account bytes of a log entry as an SS58 address.
pub fn ss58_bytes(bytes: &[u8; 32]) -> String {
	ss58(&AccountId32::new(*bytes))
}

/// A version range `INTRODUCED-FIXED` or `INTRODUCED-` (no fix yet).
pub fn parse_range(what: &str, text: &str) -> Result<VersionRange, Error> {
	let (introduced, fixed) = text.trim().split_once('-').ok_or_else(|| {
		Error::arg(what, format!("range {text:?} is not INTRODUCED-FIXED or INTRODUCED-"))
	})?;
	let introduced = Version::parse(introduced)
		.map_err(|e| Error::arg(what, format!("version {introduced:?}: {e}")))?;
	let fixed = match fixed {
		"" => None,
		fixed => Some(
			Version::parse(fixed)
				.map_err(|e| Error::arg(what, format!("version {fixed:?}: {e}")))?,
		),
	};
	VersionRange::new(introduced, fixed)
		.map_err(|e| Error::arg(what, format!("range {text:?}: {e}")))
}

/// Comma-separated version ranges (`1.0.0-1.4.2,2.0.0-`), at least one.
pub fn parse_ranges(what: &str, text: &str) -> Result<Ranges, Error> {
	let ranges =
		text.split(',').map(|range| parse_range(what, range)).collect::<Result<Vec<_>, _>>()?;
	Ranges::try_from(ranges).map_err(|ranges| {
		Error::arg(
			what,
			format!(
				"{} ranges, at most {} per product",
				ranges.len(),
				pallet_uiv_sharing::types::MAX_RANGES_PER_PRODUCT
			),
		)
	})
}

/// A product of a case: `VENDOR_SS58:PURL:RANGES` (the package URL holds colons itself).
pub fn parse_product(text: &str) -> Result<(AccountId32, ProductId, Ranges), Error> {
	const WHAT: &str = "--product";
	let form = "expected VENDOR_SS58:PURL:RANGES, e.g. 5F...:pkg:generic/acme/plc:1.0.0-1.4.2";
	let (vendor, rest) = text.split_once(':').ok_or_else(|| Error::arg(WHAT, form))?;
	let (purl, ranges) = rest.rsplit_once(':').ok_or_else(|| Error::arg(WHAT, form))?;
	if !purl.contains(':') {
		// The last colon was the package URL's own: no ranges follow it.
		return Err(Error::arg(WHAT, format!("no version ranges after the package URL; {form}")));
	}
	let vendor = parse_account(WHAT, vendor)?;
	let product = parse_purl(WHAT, purl)?;
	let ranges = parse_ranges(WHAT, ranges)?;
	Ok((vendor, product, ranges))
}

/// A product identifier (a package URL, `pkg:type/namespace/name`).
pub fn parse_purl(what: &str, text: &str) -> Result<ProductId, Error> {
	ProductId::new(text.trim()).map_err(|e| Error::arg(what, format!("package URL {text:?}: {e}")))
}

/// A CVSS 3.1 base vector.
pub fn parse_cvss(text: &str) -> Result<Severity, Error> {
	CvssV31::parse(text.trim()).map(Severity::Cvss31).map_err(|e| Error::arg("--cvss", e))
}

/// SSVC decision points `exploitation,automatable,impact,mission` in CISA's names
/// (`none|poc|active`, `no|yes`, `partial|total`, `low|medium|high`).
pub fn parse_ssvc(text: &str) -> Result<Severity, Error> {
	const WHAT: &str = "--ssvc";
	let parts: Vec<&str> = text.split(',').map(str::trim).collect();
	let [exploitation, automatable, impact, mission] = parts.as_slice() else {
		return Err(Error::arg(
			WHAT,
			"expected exploitation,automatable,impact,mission (e.g. poc,no,total,high)",
		));
	};
	let exploitation = match *exploitation {
		"poc" | "public-poc" => "public poc",
		other => other,
	};
	let bad = |name: &str, value: &str, allowed: &str| {
		Error::arg(WHAT, format!("{name} {value:?} is not one of {allowed}"))
	};
	Ok(Severity::Ssvc(SsvcDecisionPoints {
		exploitation: Exploitation::from_name(exploitation)
			.map_err(|_| bad("exploitation", exploitation, "none, poc, active"))?,
		automatable: Automatable::from_name(automatable)
			.map_err(|_| bad("automatable", automatable, "no, yes"))?,
		technical_impact: TechnicalImpact::from_name(impact)
			.map_err(|_| bad("technical impact", impact, "partial, total"))?,
		mission_wellbeing: MissionWellbeing::from_name(mission)
			.map_err(|_| bad("mission and well-being", mission, "low, medium, high"))?,
	}))
}

/// A product status: `affected`, `fixed`, `not-affected`, `under-investigation`.
pub fn parse_status(text: &str) -> Result<ProductStatus, Error> {
	match text.trim() {
		"affected" => Ok(ProductStatus::Affected),
		"fixed" => Ok(ProductStatus::Fixed),
		"not-affected" => Ok(ProductStatus::NotAffected),
		"under-investigation" => Ok(ProductStatus::UnderInvestigation),
		other => Err(Error::arg(
			"--status",
			format!("{other:?} is not one of affected, fixed, not-affected, under-investigation"),
		)),
	}
}

/// A product status as the command line writes it.
pub fn status_name(status: ProductStatus) -> &'static str {
	match status {
		ProductStatus::Affected => "affected",
		ProductStatus::Fixed => "fixed",
		ProductStatus::NotAffected => "not-affected",
		ProductStatus::UnderInvestigation => "under-investigation",
	}
}

/// A vendor or product name (at most [`pallet_uiv_sharing::types::MAX_NAME_LEN`] bytes).
pub fn parse_name(what: &str, text: &str) -> Result<Name, Error> {
	Name::try_from(text.as_bytes().to_vec()).map_err(|_| {
		Error::arg(
			what,
			format!("{} bytes, at most {}", text.len(), pallet_uiv_sharing::types::MAX_NAME_LEN),
		)
	})
}

/// A URI (at most [`pallet_uiv_sharing::types::MAX_URI_LEN`] bytes).
pub fn parse_uri(what: &str, text: &str) -> Result<Uri, Error> {
	Uri::try_from(text.as_bytes().to_vec()).map_err(|_| {
		Error::arg(
			what,
			format!("{} bytes, at most {}", text.len(), pallet_uiv_sharing::types::MAX_URI_LEN),
		)
	})
}

/// Hex bytes (`0x` optional).
pub fn parse_hex(what: &str, text: &str) -> Result<Vec<u8>, Error> {
	let text = text.trim();
	let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
	hex::decode(digits).map_err(|e| Error::arg(what, format!("not valid hex ({e})")))
}

/// Exactly 32 hex bytes.
pub fn parse_hash(what: &str, text: &str) -> Result<[u8; 32], Error> {
	let bytes = parse_hex(what, text)?;
	let len = bytes.len();
	bytes.try_into().map_err(|_| {
		Error::arg(what, format!("expected 32 bytes (64 hex characters), got {len} bytes"))
	})
}

/// `0x` and lower-case hex.
pub fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

#[cfg(test)]
mod tests {
	use super::*;

	const BOB: &str = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";

	fn v(text: &str) -> Version {
		Version::parse(text).unwrap()
	}

	#[test]
	fn ranges_parse() {
		let ranges = parse_ranges("r", "1.0.0-1.4.2,2.0.0-").unwrap();
		assert_eq!(ranges.len(), 2);
		assert_eq!(ranges[0], VersionRange { introduced: v("1.0.0"), fixed: Some(v("1.4.2")) });
		assert_eq!(ranges[1], VersionRange { introduced: v("2.0.0"), fixed: None });
		assert_eq!(parse_ranges("r", "3-4").unwrap()[0].fixed, Some(v("4")));
	}

	#[test]
	fn bad_ranges_are_refused() {
		for bad in ["", "1.0.0", "1.4.2-1.0.0", "1.0.0-1.0.0", "a-1", "1.0.0-x", "-1.0", "1,2"] {
			let error = parse_ranges("--product", bad).unwrap_err();
			assert!(error.to_string().starts_with("--product: "), "{bad}: {error}");
		}
		let nine = ["1-2"; 9].join(",");
		assert!(parse_ranges("r", &nine).unwrap_err().to_string().contains("at most 8"));
	}

	#[test]
	fn products_parse() {
		let (vendor, product, ranges) =
			parse_product(&format!("{BOB}:pkg:generic/acme/plc:1.0.0-1.4.2,2.0.0-")).unwrap();
		assert_eq!(ss58(&vendor), BOB);
		assert_eq!(product.as_str(), "pkg:generic/acme/plc");
		assert_eq!(ranges.len(), 2);
	}

	#[test]
	fn bad_products_are_refused() {
		let cases = [
			("nothing", "expected VENDOR_SS58:PURL:RANGES"),
			(&format!("{BOB}:pkg:generic/acme/plc") as &str, "no version ranges"),
			("5Fnope:pkg:generic/acme/plc:1.0-", "not an SS58 address"),
			(&format!("{BOB}:npm/x:1.0-"), "package URL"),
			(&format!("{BOB}:pkg:generic/acme/plc:2.0-1.0"), "range"),
		];
		for (text, needle) in cases {
			let error = parse_product(text).unwrap_err().to_string();
			assert!(error.contains(needle), "{text}: {error}");
		}
	}

	#[test]
	fn severities_parse() {
		let cvss = parse_cvss("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
		assert!(matches!(cvss, Severity::Cvss31(v) if v.base_score() == 98));
		assert!(parse_cvss("CVSS:3.0/AV:N").is_err());
		let ssvc = parse_ssvc("poc,no,total,high").unwrap();
		assert!(matches!(ssvc, Severity::Ssvc(p) if p.exploitation == Exploitation::Poc));
		assert!(parse_ssvc("active,yes,total").is_err());
		assert!(parse_ssvc("sometimes,yes,total,high").unwrap_err().to_string().contains("none"));
	}

	#[test]
	fn statuses_and_hex() {
		for status in ["affected", "fixed", "not-affected", "under-investigation"] {
			assert_eq!(status_name(parse_status(status).unwrap()), status);
		}
		assert!(parse_status("patched").is_err());
		assert_eq!(parse_hash("h", &format!("0x{}", "ab".repeat(32))).unwrap(), [0xab; 32]);
		assert!(parse_hash("h", "0xabcd").unwrap_err().to_string().contains("got 2 bytes"));
		assert!(parse_hex("h", "0xzz").is_err());
		assert!(parse_name("--name", &"x".repeat(65)).is_err());
	}
}
