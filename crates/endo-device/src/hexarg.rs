//! Hex for arguments and device-file fields: `0x` prefix optional on input, always written.

use crate::Error;

/// Decodes hex (`0x`/`0X` prefix optional, surrounding whitespace ignored, either case).
/// `what` names the argument or field in the error.
pub fn parse_hex(what: &str, text: &str) -> Result<Vec<u8>, Error> {
	let text = text.trim();
	let digits = text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")).unwrap_or(text);
	hex::decode(digits).map_err(|e| Error::Hex { what: what.into(), reason: e.to_string() })
}

/// Decodes exactly `N` bytes of hex (see [`parse_hex`]).
pub fn parse_hex_array<const N: usize>(what: &str, text: &str) -> Result<[u8; N], Error> {
	let bytes = parse_hex(what, text)?;
	let actual = bytes.len();
	bytes.try_into().map_err(|_| Error::Length { what: what.into(), expected: N, actual })
}

/// `0x` followed by lowercase hex, as polkadot.js writes bytes.
pub fn to_hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;

	#[test]
	fn accepts_prefix_case_and_whitespace() {
		assert_eq!(parse_hex("x", "0xAbCd").unwrap(), vec![0xab, 0xcd]);
		assert_eq!(parse_hex("x", " 0XABcd\n").unwrap(), vec![0xab, 0xcd]);
		assert_eq!(parse_hex("x", "abcd").unwrap(), vec![0xab, 0xcd]);
		assert_eq!(parse_hex("x", "0x").unwrap(), Vec::<u8>::new());
		assert_eq!(parse_hex_array::<2>("x", "0x0102").unwrap(), [1, 2]);
		assert_eq!(to_hex(&[0xab, 1]), "0xab01");
	}

	#[test]
	fn rejects_bad_hex_and_lengths() {
		let odd = parse_hex("--seed", "0xabc").unwrap_err();
		assert!(matches!(odd, Error::Hex { .. }));
		assert!(odd.to_string().starts_with("--seed: not valid hex"), "{odd}");
		let char = parse_hex("--seed", "0xzz").unwrap_err();
		assert!(matches!(char, Error::Hex { .. }), "{char}");
		let short = parse_hex_array::<32>("--genesis", "0x0102").unwrap_err();
		assert!(matches!(short, Error::Length { expected: 32, actual: 2, .. }), "{short}");
		assert_eq!(
			short.to_string(),
			"--genesis: expected 32 bytes (64 hex characters), got 2 bytes"
		);
		assert_eq!(short.exit_code(), 2);
		let long = parse_hex_array::<2>("x", "0x010203").unwrap_err();
		assert!(matches!(long, Error::Length { expected: 2, actual: 3, .. }));
	}
}
