//! Continuous logs: per-block Merkle roots in storage and the header digest, inclusion proofs,
//! per-case hash chains, and the log bounds.

use super::*;
use crate::logs::{log_root_of, LOG_DIGEST_PREFIX};
use endo_uiv::{
	log::{self, Decision},
	EmbargoState, ReportState,
};
use frame_support::assert_noop;

/// The log roots in the header digest so far.
fn digest_roots() -> Vec<Hash> {
	System::digest().logs.iter().filter_map(log_root_of).collect()
}

/// Whether `entries` are case `id`'s whole chain up to its stored head.
fn chain_holds(id: CaseId, entries: &[LogEntry]) -> bool {
	let c = case(id);
	let genesis = log::case_genesis(id, &bytes(c.vendor), c.opened.block);
	log::verify_chain(&genesis, entries) == Ok(c.log.head)
}

/// Three cases with entries interleaved in block 1: 0 (vendor, 3 entries), 1 (reporter, 1), 2
/// (vendor, 2), then 0 again (1).
fn busy_block() -> Vec<CaseId> {
	let a = vendor_case();
	let b = open(REPORTERS[0], &[(VENDOR, 1)]);
	assert_ok!(Uiv::assess_case(RuntimeOrigin::signed(TA), a, true));
	let c = open(VENDOR, &[(VENDOR, 1)]);
	assert_ok!(Uiv::accept_case(RuntimeOrigin::signed(VENDOR), a));
	vec![a, b, c]
}

#[test]
fn a_block_root_goes_to_storage_and_the_digest() {
	test(|| {
		let cases = busy_block();
		let keys: Vec<(CaseId, u32)> =
			BlockLog::<Test>::get(1).into_iter().map(|(c, s, _)| (c, s)).collect();
		assert_eq!(keys, vec![(0, 0), (0, 1), (1, 0), (0, 2), (2, 0), (2, 1), (0, 3)]);
		// Each key carries its entry's leaf hash.
		for (case, seq, leaf) in BlockLog::<Test>::get(1) {
			assert_eq!(leaf, log::leaf_hash(&CaseLog::<Test>::get(case, seq).unwrap()));
		}
		assert_eq!(LogRoots::<Test>::get(1), None);
		assert!(digest_roots().is_empty());
		finish_block();
		let root = LogRoots::<Test>::get(1).unwrap();
		let entries = Uiv::block_entries(1);
		assert_eq!(entries.len(), 7);
		assert_eq!(log::entries_root(&entries), Ok(root));
		assert_eq!(digest_roots(), vec![root]);
		let item = System::digest().logs.into_iter().find(|i| log_root_of(i).is_some()).unwrap();
		let mut expected = LOG_DIGEST_PREFIX.to_vec();
		expected.extend_from_slice(&root);
		assert_eq!(item, sp_runtime::DigestItem::Other(expected));
		// The block's log stays: proofs are built from it later.
		assert_eq!(BlockLog::<Test>::decode_len(1), Some(7));
		// Every entry's `Logged` event named its leaf.
		for e in &entries {
			assert!(emitted(Event::Logged { case: e.case, seq: e.seq, leaf: log::leaf_hash(e) }));
		}
		assert_eq!(cases, vec![0, 1, 2]);
	});
}

#[test]
fn a_block_without_entries_has_no_root() {
	test(|| {
		// Registrations log nothing.
		finish_block();
		assert_eq!(LogRoots::<Test>::get(1), None);
		assert!(digest_roots().is_empty());
		let id = vendor_case();
		go_to(2, NOON + BLOCK_MS);
		assert!(LogRoots::<Test>::get(1).is_some());
		// Block 2: a failed call logs nothing.
		assert_noop!(
			Uiv::accept_case(RuntimeOrigin::signed(VENDOR), id),
			Error::<Test>::WrongReportState
		);
		finish_block();
		assert_eq!(LogRoots::<Test>::get(2), None);
		assert_eq!(BlockLog::<Test>::get(2).len(), 0);
		assert_eq!(digest_roots().len(), 1);
		assert_eq!(Uiv::block_entries(2), vec![]);
	});
}

#[test]
fn every_entry_proves_against_its_block_root() {
	test(|| {
		let cases = busy_block();
		go_to(2, NOON + BLOCK_MS);
		// Block 2: one more entry of case 2, alone in its block.
		assert_ok!(Uiv::assess_case(RuntimeOrigin::signed(TA), cases[2], false));
		finish_block();
		let roots = [LogRoots::<Test>::get(1).unwrap(), LogRoots::<Test>::get(2).unwrap()];
		assert_ne!(roots[0], roots[1]);
		for &id in &cases {
			for seq in 0..case(id).log.len {
				let (entry, block, proof) = Uiv::log_proof(id, seq).unwrap();
				assert_eq!(entry, CaseLog::<Test>::get(id, seq).unwrap());
				assert_eq!((entry.case, entry.seq, entry.at_block), (id, seq, block));
				let root = roots[block as usize - 1];
				assert!(log::verify(&root, &proof, &entry), "case {id} entry {seq}");
				// Not against the other block's root.
				assert!(!log::verify(&roots[2 - block as usize], &proof, &entry));
			}
		}
		assert_eq!(Uiv::log_proof(cases[2], 99), None);
		assert_eq!(Uiv::log_proof(42, 0), None);
	});
}

#[test]
fn a_tampered_entry_proof_or_root_fails() {
	test(|| {
		let id = accepted_case();
		set_model(0);
		assert_ok!(Uiv::request_access(RuntimeOrigin::signed(SWS[0]), id));
		assert_ok!(Uiv::request_access(RuntimeOrigin::signed(SWS[1]), id));
		finish_block();
		let root = LogRoots::<Test>::get(1).unwrap();
		// Nine entries of the accepted case (four, then five invitations), then two per
		// request: the decision of SWS[0] is leaf 10 of 13 (siblings on both sides).
		assert_eq!(BlockLog::<Test>::get(1).len(), 13);
		let seq = 10;
		let (entry, _, proof) = Uiv::log_proof(id, seq).unwrap();
		assert_eq!(entry.kind, EntryKind::AccessDecided);
		assert_eq!(entry.decision, Some(Decision::Probation));
		assert_eq!(CaseLog::<Test>::get(id, seq - 1).unwrap().actor, bytes(SWS[0]));
		assert_eq!((proof.leaf_index, proof.leaf_count), (10, 13));
		assert!(log::verify(&root, &proof, &entry));
		let changes: Vec<fn(&mut LogEntry)> = vec![
			|e| e.case += 1,
			|e| e.seq += 1,
			|e| e.kind = EntryKind::CaseOpened,
			|e| e.actor[0] ^= 1,
			|e| e.trust.value_ppb += 1,
			|e| e.trust.successes += 1,
			|e| e.trust.failures += 1,
			|e| e.trust.model_version += 1,
			|e| e.vul_meta_hash[31] ^= 1,
			|e| e.decision = Some(Decision::Granted),
			|e| e.decision = None,
			|e| e.token_commitment = Some([0; 32]),
			|e| e.prev_link[0] ^= 1,
			|e| e.at_block += 1,
		];
		for (i, change) in changes.iter().enumerate() {
			let mut bad = entry;
			change(&mut bad);
			assert_ne!(bad, entry);
			assert!(!log::verify(&root, &proof, &bad), "change {i}");
		}
		for i in 0..proof.siblings.len() {
			let mut bad = proof.clone();
			bad.siblings[i][0] ^= 1;
			assert!(!log::verify(&root, &bad, &entry), "sibling {i}");
		}
		for (index, count) in [(9, 13), (11, 13), (10, 12), (10, 14), (13, 13)] {
			let bad = log::Proof { leaf_index: index, leaf_count: count, ..proof.clone() };
			assert!(!log::verify(&root, &bad, &entry), "index {index} of {count}");
		}
		let mut short = proof.clone();
		short.siblings.pop();
		assert!(!log::verify(&root, &short, &entry));
		let mut long = proof.clone();
		long.siblings.try_push([0; 32]).unwrap();
		assert!(!log::verify(&root, &long, &entry));
		let mut bad_root = root;
		bad_root[0] ^= 1;
		assert!(!log::verify(&bad_root, &proof, &entry));
		// Another entry does not prove with this proof.
		let other = CaseLog::<Test>::get(id, 9).unwrap();
		assert!(!log::verify(&root, &proof, &other));
	});
}

#[test]
fn a_case_chain_verifies_to_its_head() {
	test(|| {
		let id = accepted_case();
		assert_ok!(Uiv::request_access(RuntimeOrigin::signed(SWS[0]), id));
		go_to(2, NOON + BLOCK_MS);
		assert_ok!(Uiv::deliver_package(RuntimeOrigin::signed(TA), id, SWS[0], [1; 32], [2; 32]));
		assert_ok!(Uiv::revise_embargo(RuntimeOrigin::signed(TA), id, noon_plus_days(30)));
		let all = entries(id);
		assert_eq!(all.len() as u32, case(id).log.len);
		// Opened and activated, assessed, accepted, five invitations, a request and its
		// decision, a delivery, a revision.
		assert_eq!(all.len(), 13);
		assert_eq!(
			all[4..9].iter().map(|e| e.kind).collect::<Vec<_>>(),
			SWS[..MAX_REQUESTERS as usize]
				.iter()
				.map(|sw| EntryKind::WorkerInvited { sw: bytes(*sw) })
				.collect::<Vec<_>>()
		);
		assert!(all.iter().enumerate().all(|(i, e)| e.seq == i as u32 && e.case == id));
		assert!(chain_holds(id, &all));
		// The genesis is the pallet's.
		assert_eq!(all[0].prev_link, log::case_genesis(id, &bytes(VENDOR), 1));
		// Segments continue from a link.
		let head4 = log::next_link(&all[3]);
		assert_eq!(log::verify_segment(id, head4, 4, &all[4..]), Ok(case(id).log.head));
		assert_eq!(Uiv::case_log(id, 4, 2), all[4..6].to_vec());
		assert_eq!(Uiv::case_log(id, 13, 5), vec![]);
		assert_eq!(Uiv::case_log(id, 11, 5), all[11..].to_vec());
		// A removed entry: in the middle, at the end, at the start.
		for i in 0..all.len() {
			let mut cut = all.clone();
			cut.remove(i);
			assert!(!chain_holds(id, &cut), "removed {i}");
		}
		// Reordered.
		let mut swapped = all.clone();
		swapped.swap(3, 4);
		assert!(!chain_holds(id, &swapped));
		let mut reversed = all.clone();
		reversed.reverse();
		assert!(!chain_holds(id, &reversed));
		// Altered, including the last entry (caught by the head).
		for i in [0, 3, 7, 12] {
			let mut altered = all.clone();
			altered[i].actor[5] ^= 1;
			assert!(!chain_holds(id, &altered), "altered {i}");
			let mut altered = all.clone();
			altered[i].at_block += 1;
			assert!(!chain_holds(id, &altered), "moved {i}");
		}
		// Another case's genesis does not start this chain.
		let other = vendor_case();
		let genesis = log::case_genesis(other, &bytes(VENDOR), 2);
		assert_eq!(log::verify_chain(&genesis, &all), Err(endo_uiv::Error::ChainBroken));
	});
}

#[test]
fn a_full_case_log_refuses_more_but_the_case_can_still_end() {
	test(|| {
		let id = accepted_case();
		let revise = || Uiv::revise_embargo(RuntimeOrigin::signed(TA), id, noon_plus_days(60));
		while case(id).log.len < MAX_CASE_LOG - crate::logs::END_RESERVE {
			assert_ok!(revise());
		}
		// Every call but those that end the case leaves the last entries free.
		assert_noop!(revise(), Error::<Test>::CaseLogFull);
		assert_noop!(
			Uiv::note_exploited(RuntimeOrigin::signed(VENDOR), id),
			Error::<Test>::CaseLogFull
		);
		assert_noop!(
			Uiv::consent_embargo(RuntimeOrigin::signed(VENDOR), id, false),
			Error::<Test>::CaseLogFull
		);
		assert_noop!(
			Uiv::request_access(RuntimeOrigin::signed(SWS[0]), id),
			Error::<Test>::CaseLogFull
		);
		assert_eq!(case(id).clock.deadline, days_after_opening(60));
		// The embargo's exit, the disclosure and the closing use the reserve.
		let deadline = case(id).clock.deadline;
		go_to(u64::from(deadline.block), deadline.utc_ms);
		assert_ok!(Uiv::exit_embargo(RuntimeOrigin::signed(SWS[0]), id));
		assert_ok!(Uiv::disclose(
			RuntimeOrigin::signed(TA),
			id,
			[4; 32],
			uri("https://example.org/a")
		));
		let before = free(VENDOR);
		assert_ok!(Uiv::close_case(RuntimeOrigin::signed(VENDOR), id));
		assert_eq!(case(id).log.len, MAX_CASE_LOG);
		assert_eq!(case(id).report, ReportState::Closed);
		assert_eq!(free(VENDOR), before + CASE_DEPOSIT);
		assert!(chain_holds(id, &entries(id)));
	});
}

#[test]
fn a_full_block_log_refuses_more_until_the_next_block() {
	test(|| {
		let a = vendor_case();
		let b = vendor_case();
		let revise = |id| Uiv::revise_embargo(RuntimeOrigin::signed(TA), id, noon_plus_days(60));
		while case(a).log.len < MAX_CASE_LOG - crate::logs::END_RESERVE {
			assert_ok!(revise(a));
		}
		while BlockLog::<Test>::decode_len(1).unwrap_or(0) < MAX_BLOCK_LOG as usize - 1 {
			assert_ok!(revise(b));
		}
		assert_eq!(BlockLog::<Test>::decode_len(1), Some(MAX_BLOCK_LOG as usize - 1));
		// One entry fits, two do not.
		assert_noop!(try_open(VENDOR, &[(VENDOR, 1)]), Error::<Test>::BlockLogFull);
		assert_noop!(
			Uiv::set_product_status(
				RuntimeOrigin::signed(VENDOR),
				b,
				0,
				endo_uiv::ProductStatus::Affected
			),
			Error::<Test>::BlockLogFull
		);
		assert_ok!(revise(b));
		assert_eq!(BlockLog::<Test>::get(1).len(), MAX_BLOCK_LOG as usize);
		assert_noop!(revise(b), Error::<Test>::BlockLogFull);
		assert_noop!(
			Uiv::note_exploited(RuntimeOrigin::signed(TA), b),
			Error::<Test>::BlockLogFull
		);
		// The calls that end a case are bound by the block's log too.
		assert_noop!(
			Uiv::assess_case(RuntimeOrigin::signed(TA), b, true),
			Error::<Test>::BlockLogFull
		);
		let free_before = free(VENDOR);
		assert_noop!(try_open(VENDOR, &[(VENDOR, 1)]), Error::<Test>::BlockLogFull);
		assert_eq!(free(VENDOR), free_before);
		go_to(2, NOON + BLOCK_MS);
		let root = LogRoots::<Test>::get(1).unwrap();
		assert_eq!(log::entries_root(&Uiv::block_entries(1)), Ok(root));
		let (entry, _, proof) = Uiv::log_proof(b, case(b).log.len - 1).unwrap();
		assert!(log::verify(&root, &proof, &entry));
		assert_ok!(revise(b));
		assert_ok!(Uiv::assess_case(RuntimeOrigin::signed(TA), b, true));
		assert_eq!(case(a).embargo, EmbargoState::Active);
	});
}
