//! The 11 trust features of an access record: their order, names and meaning, in one place.
//!
//! UIV-TSP sec. 3.5.1: "The input layer of FNN consists of 11 input nodes, such as the
//! collaborators of the target SW, the average trust value of SW collaborators, and the number of
//! SW's conspirators. The complete input feature description is shown in Table 1." Table 1 is an
//! image that the text extraction lost, so only those three features are the paper's; the other
//! eight are ours, chosen from what the trusted authority (TA) can see in the continuous logs of
//! sec. 3.3 (access requests, codepreleak feedback, trap feedback, trust values) at the moment an
//! SW requests a uiv. `endo-trust` fixes only the count ([`endo_trust::FEATURE_COUNT`]); this
//! table fixes the order for training (here), inference on chain and feature extraction in the
//! `uiv-sharing` pallet.
//!
//! Every feature is computed *before* the access is granted, from the log only: never from the
//! SW's hidden type. The simulator ([`crate::sim`]) computes them in exactly this order.

/// Number of features (`endo_trust::FEATURE_COUNT`, 11).
pub const FEATURE_COUNT: usize = endo_trust::FEATURE_COUNT;

/// One feature vector, in [`FEATURES`] order.
pub type Features = [f32; FEATURE_COUNT];

/// The description of one feature.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeatureSpec {
	/// Column name in the CSV and in the docs.
	pub name: &'static str,
	/// Range or unit.
	pub range: &'static str,
	/// What it is and how the TA computes it.
	pub meaning: &'static str,
	/// Where it comes from: the paper (Table 1 names it in the text) or ours.
	pub source: &'static str,
}

/// Index of each feature in a [`Features`] vector.
pub use endo_trust::feature_index as index;

/// The features, in input order. This is the only definition; the CSV header, the docs table
/// and the simulator follow it.
pub const FEATURES: [FeatureSpec; FEATURE_COUNT] = [
	FeatureSpec {
		name: "collaborators",
		range: "count >= 0",
		meaning: "other SWs who requested the same uiv in the same cycle (the SW's collaborators on this case)",
		source: "paper (Table 1, named in sec. 3.5.1)",
	},
	FeatureSpec {
		name: "collaborator_trust",
		range: "[0, 1]",
		meaning: "mean penalised beta trust of those collaborators at the start of the cycle (0.5, the prior, if none)",
		source: "paper (Table 1, named in sec. 3.5.1)",
	},
	FeatureSpec {
		name: "conspirators",
		range: "count >= 0",
		meaning: "distinct external hosts that received a copy of a uiv licensed to the SW, learnt from codepreleak feedback (sec. 3.4.2) or a trap's leak path (sec. 3.5.3)",
		source: "paper (Table 1, named in sec. 3.5.1)",
	},
	FeatureSpec {
		name: "beta_trust",
		range: "(0, 1)",
		meaning: "the SW's penalised beta trust (s + 1) / (s + 2f + 2) from endo-trust, s = accesses without alarm, f = alarms, decayed 0.95 per cycle",
		source: "ours (sec. 3.5.1 beta reputation)",
	},
	FeatureSpec {
		name: "alarms",
		range: "count >= 0",
		meaning: "codepreleak self-destruct feedback messages attributed to the SW (its tracing token) so far",
		source: "ours (sec. 3.4.2)",
	},
	FeatureSpec {
		name: "accesses",
		range: "count >= 0",
		meaning: "uiv accesses granted to the SW so far (length of its continuous log)",
		source: "ours (sec. 3.3)",
	},
	FeatureSpec {
		name: "requests_this_cycle",
		range: "count >= 1",
		meaning: "uiv requests the SW made in the current cycle",
		source: "ours (access request records, sec. 3.3.2)",
	},
	FeatureSpec {
		name: "off_hours_share",
		range: "[0, 1]",
		meaning: "share of the SW's last 10 requests (this one included) made outside working hours",
		source: "ours (access request records)",
	},
	FeatureSpec {
		name: "session_minutes",
		range: "minutes > 0",
		meaning: "mean length of the SW's last 10 access sessions (45, the overall median, before the first)",
		source: "ours (access request records)",
	},
	FeatureSpec {
		name: "contribution_ratio",
		range: "(0, 1)",
		meaning: "(patch or mitigation contributions + 1) / (accesses + 2): how often an access led to a contribution to the CVD",
		source: "ours (CVD patching, sec. 1)",
	},
	FeatureSpec {
		name: "repeat_partners",
		range: "[0, 1]",
		meaning: "share of this uiv's collaborators who were also collaborators on the SW's last 5 uivs (0 if no collaborators): colluding cliques request together",
		source: "ours (collusion cliques, sec. 3.5.1)",
	},
];

/// The CSV column names of the features, in order.
pub fn names() -> [&'static str; FEATURE_COUNT] {
	let mut out = [""; FEATURE_COUNT];
	for (o, f) in out.iter_mut().zip(FEATURES.iter()) {
		*o = f.name;
	}
	out
}

/// The feature table as Markdown (the table in `docs/TRUST-EVALUATION.md`, kept in sync by a
/// test).
pub fn markdown_table() -> String {
	let mut s = String::from("| # | feature | range | meaning | source |\n|---|---|---|---|---|\n");
	for (i, f) in FEATURES.iter().enumerate() {
		s.push_str(&format!(
			"| {i} | `{}` | {} | {} | {} |\n",
			f.name, f.range, f.meaning, f.source
		));
	}
	s
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn names_are_unique_and_indices_match() {
		let n = names();
		for (i, a) in n.iter().enumerate() {
			assert!(!a.is_empty());
			assert!(n.iter().skip(i + 1).all(|b| a != b), "duplicate feature {a}");
		}
		assert_eq!(n[index::COLLABORATORS], "collaborators");
		assert_eq!(n[index::COLLABORATOR_TRUST], "collaborator_trust");
		assert_eq!(n[index::CONSPIRATORS], "conspirators");
		assert_eq!(n[index::BETA_TRUST], "beta_trust");
		assert_eq!(n[index::ALARMS], "alarms");
		assert_eq!(n[index::ACCESSES], "accesses");
		assert_eq!(n[index::REQUESTS_THIS_CYCLE], "requests_this_cycle");
		assert_eq!(n[index::OFF_HOURS_SHARE], "off_hours_share");
		assert_eq!(n[index::SESSION_MINUTES], "session_minutes");
		assert_eq!(n[index::CONTRIBUTION_RATIO], "contribution_ratio");
		assert_eq!(n[index::REPEAT_PARTNERS], "repeat_partners");
	}

	#[test]
	fn docs_carry_the_same_table() {
		let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/TRUST-EVALUATION.md");
		let docs = std::fs::read_to_string(path).expect("docs/TRUST-EVALUATION.md exists; qed");
		assert!(
			docs.contains(&markdown_table()),
			"the feature table in docs/TRUST-EVALUATION.md differs from features::FEATURES; \
			 paste features::markdown_table() into it:\n{}",
			markdown_table()
		);
	}
}
