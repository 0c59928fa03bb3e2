//! Continuous logs: the per-case chain detects removed, reordered, inserted and altered entries;
//! the per-block Merkle proofs fail under any tampering; generic and concrete hashers agree.

// Helpers outside `#[test]` functions unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use codec::Encode;
use endo_uiv::case::{EmbargoState, ReportState};
use endo_uiv::hash::{Hasher, Sha256};
use endo_uiv::log::{self, Decision, EntryKind, LogEntry, Proof, TrustSnapshot};
use endo_uiv::Error;
use proptest::prelude::*;

struct OneShot;
impl Hasher for OneShot {
	fn hash(data: &[u8]) -> [u8; 32] {
		Sha256::hash(data)
	}
}

const VENDOR: [u8; 32] = [0x0f; 32];

fn kind_for(seq: u32) -> EntryKind {
	match seq {
		0 => EntryKind::CaseOpened,
		1 => EntryKind::StateChanged { from: ReportState::Received, to: ReportState::Valid },
		2 => EntryKind::EmbargoChanged {
			from: EmbargoState::None,
			to: EmbargoState::Proposed,
			deadline: None,
		},
		n if n % 3 == 0 => EntryKind::AccessRequested { request: [n as u8; 32] },
		n if n % 3 == 1 => EntryKind::AccessDecided,
		n => EntryKind::TokenRenewed { history_link: [n as u8; 32] },
	}
}

/// A valid chain of `n` entries of `case`; returns the genesis, the entries and the head.
fn chain(case: u64, n: u32) -> ([u8; 32], Vec<LogEntry>, [u8; 32]) {
	let genesis = log::case_genesis(case, &VENDOR, 5);
	let mut head = genesis;
	let mut entries = Vec::new();
	for seq in 0..n {
		let kind = kind_for(seq);
		let entry = LogEntry {
			case,
			seq,
			kind,
			actor: [seq as u8; 32],
			trust: TrustSnapshot {
				value_ppb: 700_000_000 + seq,
				successes: 3_000_000 * u64::from(seq),
				failures: 1_000_000,
				model_version: 1,
			},
			vul_meta_hash: [0x42; 32],
			decision: (kind == EntryKind::AccessDecided).then_some(Decision::Granted),
			token_commitment: Some([seq as u8 ^ 0x55; 32]),
			prev_link: head,
			at_block: 5 + seq,
		};
		head = log::next_link(&entry);
		entries.push(entry);
	}
	(genesis, entries, head)
}

#[test]
fn a_valid_chain_verifies_to_its_head() {
	let (genesis, entries, head) = chain(3, 10);
	assert_eq!(log::verify_chain(&genesis, &entries), Ok(head));
	assert_eq!(log::verify_chain_with::<OneShot>(&genesis, &entries), Ok(head));
	assert_eq!(log::verify_chain(&genesis, &[]), Ok(genesis));
	// A segment continues from a stored head.
	let mid = log::verify_chain(&genesis, &entries[..4]).unwrap();
	assert_eq!(log::verify_segment(3, mid, 4, &entries[4..]), Ok(head));
	// The genesis binds the case, vendor and opening block.
	assert_ne!(log::case_genesis(3, &VENDOR, 5), log::case_genesis(4, &VENDOR, 5));
	assert_ne!(log::case_genesis(3, &VENDOR, 5), log::case_genesis(3, &[0; 32], 5));
	assert_ne!(log::case_genesis(3, &VENDOR, 5), log::case_genesis(3, &VENDOR, 6));
}

#[test]
fn each_kind_of_tampering_is_detected() {
	let (genesis, entries, head) = chain(3, 8);

	let mut removed = entries.clone();
	removed.remove(4);
	assert_eq!(log::verify_chain(&genesis, &removed), Err(Error::SequenceGap));

	let mut reordered = entries.clone();
	reordered.swap(3, 5);
	assert!(log::verify_chain(&genesis, &reordered).is_err());

	// Reordered with the sequence numbers rewritten to look consecutive.
	let mut renumbered = reordered.clone();
	renumbered[3].seq = 3;
	renumbered[5].seq = 5;
	assert_eq!(log::verify_chain(&genesis, &renumbered), Err(Error::ChainBroken));

	let mut inserted = entries.clone();
	let mut extra = entries[4];
	extra.kind = EntryKind::Disclosed;
	inserted.insert(4, extra);
	assert!(log::verify_chain(&genesis, &inserted).is_err());

	let mut altered = entries.clone();
	altered[2].trust.value_ppb = 999_999_999;
	assert_eq!(log::verify_chain(&genesis, &altered), Err(Error::ChainBroken));

	// The last entry altered: only the head shows it.
	let mut last = entries.clone();
	last[7].decision = Some(Decision::Denied);
	let forged = log::verify_chain(&genesis, &last).unwrap();
	assert_ne!(forged, head);

	// Truncated: the head differs.
	assert_ne!(log::verify_chain(&genesis, &entries[..7]).unwrap(), head);

	// Another case's genesis, another case's entry, a second opening, a bad trust value.
	let other = log::case_genesis(4, &VENDOR, 5);
	assert_eq!(log::verify_chain(&other, &entries), Err(Error::ChainBroken));
	let mut wrong_case = entries.clone();
	wrong_case[6].case = 4;
	assert_eq!(log::verify_chain(&genesis, &wrong_case), Err(Error::WrongCase));
	let mut reopened = entries.clone();
	reopened[1].kind = EntryKind::CaseOpened;
	assert_eq!(log::verify_chain(&genesis, &reopened), Err(Error::NotOpened));
	let mut trust = entries.clone();
	trust[1].trust.value_ppb = 1_000_000_001;
	assert_eq!(log::verify_chain(&genesis, &trust), Err(Error::TrustOutOfRange));
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(64))]

	/// Any single-byte change of any entry's encoding that still decodes, any removal,
	/// duplication or swap is caught by the chain or its head.
	#[test]
	fn chain_tampering_is_detected(
		n in 2u32..20,
		pick in any::<prop::sample::Index>(),
		other in any::<prop::sample::Index>(),
		byte in any::<prop::sample::Index>(),
		flip in 1u8..=255,
		op in 0u8..4,
	) {
		use codec::Decode;
		let (genesis, entries, head) = chain(9, n);
		let i = pick.index(entries.len());
		let mut forged = entries.clone();
		match op {
			0 => {
				let mut bytes = forged[i].encode();
				let b = byte.index(bytes.len());
				bytes[b] ^= flip;
				match LogEntry::decode(&mut &bytes[..]) {
					Ok(e) if e != entries[i] => forged[i] = e,
					_ => return Ok(()),
				}
			},
			1 => { forged.remove(i); },
			2 => { let e = forged[i]; forged.insert(i, e); },
			_ => {
				let j = other.index(entries.len());
				prop_assume!(i != j);
				forged.swap(i, j);
			},
		}
		match log::verify_chain(&genesis, &forged) {
			Err(_) => {},
			Ok(h) => prop_assert_ne!(h, head),
		}
	}
}

fn leaves(seed: u64, n: usize) -> Vec<[u8; 32]> {
	(0..n as u64).map(|i| Sha256::hash(&[seed.to_le_bytes(), i.to_le_bytes()].concat())).collect()
}

#[test]
fn entries_are_never_64_bytes() {
	let (_, entries, _) = chain(1, 6);
	for e in &entries {
		assert!(e.encode().len() > 64);
	}
	// The smallest possible entry.
	let smallest = LogEntry {
		case: 0,
		seq: 0,
		kind: EntryKind::CaseOpened,
		actor: [0; 32],
		trust: TrustSnapshot::default(),
		vul_meta_hash: [0; 32],
		decision: None,
		token_commitment: None,
		prev_link: [0; 32],
		at_block: 0,
	};
	assert!(smallest.encode().len() > 64);
}

#[test]
fn entry_proofs_and_generic_hasher() {
	let (_, entries, _) = chain(2, 13);
	let hashes: Vec<[u8; 32]> = entries.iter().map(log::leaf_hash).collect();
	let root = log::block_root(&hashes).unwrap();
	assert_eq!(log::entries_root(&entries), Ok(root));
	assert_eq!(log::block_root_with::<OneShot>(&hashes), Ok(root));
	for (i, entry) in entries.iter().enumerate() {
		let p = log::proof(&hashes, i as u32).unwrap();
		assert_eq!(log::proof_with::<OneShot>(&hashes, i as u32).unwrap(), p);
		assert!(log::verify(&root, &p, entry));
		assert!(log::verify_with::<OneShot>(&root, &p, entry));
		let mut changed = *entry;
		changed.at_block += 1;
		assert!(!log::verify(&root, &p, &changed));
	}
}

#[test]
fn an_inner_node_is_not_a_leaf() {
	// Two leaves: the root's children are the leaf hashes. Presenting the pair's 64 bytes as
	// one leaf's hash input, or an inner node as a leaf hash, does not verify.
	let hashes = leaves(1, 4);
	let root = log::block_root(&hashes).unwrap();
	let left = log::proof(&hashes, 0).unwrap();
	// An inner node (of leaves 0 and 1) claimed as leaf 0 of a 2-leaf tree with the other
	// inner node as sibling.
	let n01 = {
		let mut p = vec![25u8];
		p.extend_from_slice(b"endochain/uiv/log-node/v1");
		p.extend_from_slice(&hashes[0]);
		p.extend_from_slice(&hashes[1]);
		Sha256::hash(&p)
	};
	let forged = Proof {
		leaf_index: 0,
		leaf_count: 2,
		siblings: vec![left.siblings[1]].try_into().unwrap(),
	};
	assert!(!log::verify_hash(&root, &forged, &n01));
	let forged4 = Proof { leaf_index: 0, leaf_count: 4, siblings: forged.siblings.clone() };
	assert!(!log::verify_hash(&root, &forged4, &n01));
}

proptest! {
	#![proptest_config(ProptestConfig::with_cases(96))]

	/// Honest proofs verify; tampering with the leaf, any proof step, the index, the leaf
	/// count, the number of steps or the root fails.
	#[test]
	fn merkle_tamper_detection(
		n in 1usize..300,
		seed in any::<u64>(),
		pick in any::<prop::sample::Index>(),
		step in any::<prop::sample::Index>(),
		bit in 0u8..8,
		byte in 0usize..32,
		delta in 1u32..5,
	) {
		let hashes = leaves(seed, n);
		let root = log::block_root(&hashes).unwrap();
		let i = pick.index(n);
		let p = log::proof(&hashes, i as u32).unwrap();
		let leaf = hashes[i];
		prop_assert!(log::verify_hash(&root, &p, &leaf));
		prop_assert!(p.siblings.len() <= 9);

		let mut bad_leaf = leaf;
		bad_leaf[byte] ^= 1 << bit;
		prop_assert!(!log::verify_hash(&root, &p, &bad_leaf));

		if !p.siblings.is_empty() {
			let s = step.index(p.siblings.len());
			let mut q = p.clone();
			q.siblings[s][byte] ^= 1 << bit;
			prop_assert!(!log::verify_hash(&root, &q, &leaf));
			let mut dropped = p.clone();
			dropped.siblings.remove(s);
			prop_assert!(!log::verify_hash(&root, &dropped, &leaf));
		}
		let mut longer = p.clone();
		if longer.siblings.try_push(leaf).is_ok() {
			prop_assert!(!log::verify_hash(&root, &longer, &leaf));
		}

		for index in [i as u32 ^ 1, (i as u32).wrapping_add(delta), (i as u32).wrapping_sub(delta)] {
			if index != i as u32 {
				let q = Proof { leaf_index: index, ..p.clone() };
				prop_assert!(!log::verify_hash(&root, &q, &leaf), "index {} for {}", index, i);
			}
		}
		for count in [n as u32 + delta, (n as u32).saturating_sub(delta), 0] {
			if count != n as u32 {
				let q = Proof { leaf_count: count, ..p.clone() };
				prop_assert!(!log::verify_hash(&root, &q, &leaf), "count {} for {}", count, n);
			}
		}
		let mut bad_root = root;
		bad_root[byte] ^= 1 << bit;
		prop_assert!(!log::verify_hash(&bad_root, &p, &leaf));

		// Another leaf of the same tree does not verify with this proof.
		let j = step.index(n);
		if hashes[j] != leaf {
			prop_assert!(!log::verify_hash(&root, &p, &hashes[j]));
		}
	}

	/// A proof for leaf i verifies at no other index, even with that index's own shape.
	#[test]
	fn a_proof_moves_to_no_other_index(n in 2usize..64, seed in any::<u64>()) {
		let hashes = leaves(seed, n);
		let root = log::block_root(&hashes).unwrap();
		for i in 0..n {
			let p = log::proof(&hashes, i as u32).unwrap();
			for j in 0..n as u32 {
				let q = Proof { leaf_index: j, ..p.clone() };
				prop_assert_eq!(log::verify_hash(&root, &q, &hashes[i]), j == i as u32);
			}
		}
	}
}

#[test]
fn proof_is_scale_encodable_and_bounded() {
	use codec::{Decode, MaxEncodedLen};
	let hashes = leaves(5, 100);
	let p = log::proof(&hashes, 37).unwrap();
	let bytes = p.encode();
	assert_eq!(Proof::decode(&mut &bytes[..]).unwrap(), p);
	assert!(bytes.len() <= Proof::max_encoded_len());
	assert_eq!(Proof::max_encoded_len(), 4 + 4 + 1 + 32 * 32);
	assert_eq!(log::proof(&hashes, 100), Err(Error::IndexOutOfRange));
}
