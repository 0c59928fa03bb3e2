//! Known-answer vectors of `tests/data/` for the unit tests.

/// Reads the `name = hex` line of `tests/data/sm9_gmt0044.txt` (GM/T 0044-2016 Annexes A and C).
pub(crate) fn sm9_vector(name: &str) -> Vec<u8> {
	let data = include_str!("../tests/data/sm9_gmt0044.txt");
	let line = data
		.lines()
		.find(|l| l.split('=').next().map(str::trim) == Some(name))
		.unwrap_or_else(|| panic!("missing vector {name}"));
	let value: String =
		line.split('=').nth(1).unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect();
	hex::decode(value).expect("hex")
}
