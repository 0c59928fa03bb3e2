//! Markdown tables for the reports the CLI writes.

/// A Markdown table with `headers` and `rows` (each row as many cells as headers).
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
	let mut s = format!("| {} |\n|{}\n", headers.join(" | "), "---|".repeat(headers.len()));
	for row in rows {
		s.push_str(&format!("| {} |\n", row.join(" | ")));
	}
	s
}

/// `x` with 4 decimals.
pub fn f4(x: f64) -> String {
	format!("{x:.4}")
}

/// `mean +- std` with 4 decimals.
pub fn pm(mean: f64, std: f64) -> String {
	format!("{mean:.4} ± {std:.4}")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn renders_a_table() {
		let t = table(&["a", "b"], &[vec!["1".into(), f4(0.5)], vec!["2".into(), pm(1.0, 0.25)]]);
		assert_eq!(t, "| a | b |\n|---|---|\n| 1 | 0.5000 |\n| 2 | 1.0000 ± 0.2500 |\n");
	}
}
