//! Inclusion proofs of log entries: the JSON a user keeps or hands on, and the check against a
//! block's log root.
//!
//! ```json
//! { "case": 0, "seq": 3, "block": 42,
//!   "entry": "0x<SCALE of the LogEntry>",
//!   "proof": { "leafIndex": 1, "leafCount": 3, "siblings": ["0x<32 bytes>", ...] } }
//! ```
//!
//! `case` and `seq` are for the reader; the check uses `entry`, `block` and `proof`.

use crate::{
	args::{parse_hash, parse_hex, to_hex},
	Error,
};
use codec::{Decode, Encode};
use endo_uiv::log::{self, Hash, LogEntry, Proof};
use serde_json::{json, Value};

/// An entry, the block that recorded it and its inclusion proof: what `log_proof` returns.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct EntryProof {
	/// The entry.
	pub entry: LogEntry,
	/// The block that recorded it.
	pub block: u32,
	/// Its inclusion proof in that block's log tree.
	pub proof: Proof,
}

impl EntryProof {
	/// The JSON form.
	pub fn to_json(&self) -> Value {
		json!({
			"case": self.entry.case,
			"seq": self.entry.seq,
			"block": self.block,
			"entry": to_hex(&self.entry.encode()),
			"proof": {
				"leafIndex": self.proof.leaf_index,
				"leafCount": self.proof.leaf_count,
				"siblings": self.proof.siblings.iter().map(|s| to_hex(s)).collect::<Vec<_>>(),
			},
		})
	}

	/// Parses the JSON form; `source` names it in errors.
	pub fn from_json(text: &str, source: &str) -> Result<EntryProof, Error> {
		let bad = |reason: String| Error::arg(source, reason);
		let value: Value =
			serde_json::from_str(text).map_err(|e| bad(format!("not JSON ({e})")))?;
		let u32_field = |v: &Value, name: &str| -> Result<u32, Error> {
			v.get(name)
				.and_then(Value::as_u64)
				.and_then(|n| u32::try_from(n).ok())
				.ok_or_else(|| bad(format!("`{name}` is missing or not a 32-bit number")))
		};
		let entry_hex = value
			.get("entry")
			.and_then(Value::as_str)
			.ok_or_else(|| bad("`entry` is missing or not a hex string".into()))?;
		let entry_bytes = parse_hex(&format!("{source}: entry"), entry_hex)?;
		let entry = LogEntry::decode(&mut entry_bytes.as_slice())
			.map_err(|e| bad(format!("`entry` is not a SCALE log entry ({e})")))?;
		let block = u32_field(&value, "block")?;
		let proof = value.get("proof").ok_or_else(|| bad("`proof` is missing".into()))?;
		let siblings = proof
			.get("siblings")
			.and_then(Value::as_array)
			.ok_or_else(|| bad("`proof.siblings` is missing or not a list".into()))?
			.iter()
			.map(|s| {
				let text = s.as_str().ok_or_else(|| bad("a sibling is not a string".into()))?;
				parse_hash(&format!("{source}: sibling"), text)
			})
			.collect::<Result<Vec<Hash>, Error>>()?;
		let siblings = siblings.try_into().map_err(|_| {
			bad(format!("`proof.siblings` holds more than {} hashes", log::MAX_DEPTH))
		})?;
		let proof = Proof {
			leaf_index: u32_field(proof, "leafIndex")?,
			leaf_count: u32_field(proof, "leafCount")?,
			siblings,
		};
		Ok(EntryProof { entry, block, proof })
	}

	/// Checks the proof against `root`, the log root of block [`EntryProof::block`]'s header.
	/// `Err` says why it fails.
	pub fn check(&self, root: &Hash) -> Result<(), String> {
		if self.entry.at_block != self.block {
			return Err(format!(
				"the entry says block {}, the proof block {}",
				self.entry.at_block, self.block
			));
		}
		if self.proof.leaf_index >= self.proof.leaf_count {
			return Err(format!(
				"leaf index {} is outside a tree of {} leaves",
				self.proof.leaf_index, self.proof.leaf_count
			));
		}
		if !log::verify(root, &self.proof, &self.entry) {
			return Err(format!(
				"the proof does not lead from the entry (case {} seq {}) to the root {}",
				self.entry.case,
				self.entry.seq,
				to_hex(root)
			));
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use endo_uiv::{EntryKind, TrustSnapshot};

	fn entry(case: u64, seq: u32, block: u32) -> LogEntry {
		LogEntry {
			case,
			seq,
			kind: if seq == 0 { EntryKind::CaseOpened } else { EntryKind::AccessDecided },
			actor: [seq as u8; 32],
			trust: TrustSnapshot { value_ppb: 800_000_000, ..Default::default() },
			vul_meta_hash: [9; 32],
			decision: None,
			token_commitment: None,
			prev_link: [seq as u8 + 1; 32],
			at_block: block,
		}
	}

	/// A block of five entries, its root, and the proof of entry `index`.
	fn block(index: u32) -> (Hash, EntryProof) {
		let entries: Vec<LogEntry> = (0..5).map(|i| entry(i as u64 % 2, i, 42)).collect();
		let leaves: Vec<Hash> = entries.iter().map(log::leaf_hash).collect();
		let root = log::block_root(&leaves).unwrap();
		let proof = log::proof(&leaves, index).unwrap();
		(root, EntryProof { entry: entries[index as usize], block: 42, proof })
	}

	#[test]
	fn json_round_trip() {
		let (_, proof) = block(3);
		let text = proof.to_json().to_string();
		assert_eq!(EntryProof::from_json(&text, "f").unwrap(), proof);
	}

	#[test]
	fn good_proofs_verify() {
		for i in 0..5 {
			let (root, proof) = block(i);
			assert_eq!(proof.check(&root), Ok(()), "{i}");
		}
	}

	#[test]
	fn tampered_proofs_fail() {
		let (root, good) = block(2);
		let mut entry = good.clone();
		entry.entry.trust.value_ppb += 1;
		assert!(entry.check(&root).unwrap_err().contains("does not lead"));
		let mut sibling = good.clone();
		sibling.proof.siblings[0][0] ^= 1;
		assert!(sibling.check(&root).is_err());
		let mut index = good.clone();
		index.proof.leaf_index = 3;
		assert!(index.check(&root).is_err());
		index.proof.leaf_index = 5;
		assert!(index.check(&root).unwrap_err().contains("outside"));
		let mut count = good.clone();
		count.proof.leaf_count = 6;
		assert!(count.check(&root).is_err());
		let mut other_root = root;
		other_root[31] ^= 1;
		assert!(good.check(&other_root).is_err());
		let mut block = good.clone();
		block.block = 43;
		assert!(block.check(&root).unwrap_err().contains("says block 42"));
	}

	#[test]
	fn bad_json_is_refused() {
		let (_, proof) = block(0);
		let mut value = proof.to_json();
		value["entry"] = json!("0x00");
		let error = EntryProof::from_json(&value.to_string(), "p.json").unwrap_err();
		assert!(error.to_string().starts_with("p.json: `entry` is not a SCALE"), "{error}");
		assert!(EntryProof::from_json("{", "p.json").is_err());
		let mut value = proof.to_json();
		value["proof"]["siblings"] = json!(["0x00"]);
		assert!(EntryProof::from_json(&value.to_string(), "p.json").is_err());
	}
}
