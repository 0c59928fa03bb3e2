//! Genesis, and the queries behind the runtime API.

use super::*;
use sp_runtime::BuildStorage;

#[test]
fn genesis_candidates_are_the_babe_and_grandpa_sets() {
	test(|| {
		assert_eq!(Candidates::<Test>::count(), 4);
		let validators = Validators::<Test>::get();
		assert_eq!(accounts(&validators), vec![1, 2, 3, 4]);
		assert_eq!(NextValidators::<Test>::get(), validators);
		assert_eq!(babe_authorities(), babe_view(&validators));
		assert_eq!(grandpa_authorities(), grandpa_view(&validators));
		assert_eq!(trust(1), Perbill::from_rational(11u32, 12u32));
		assert_eq!(trust(4), Perbill::from_rational(5u32, 6u32));
		// Founding validators hold their bond from genesis.
		assert_eq!(Candidates::<Test>::get(1).unwrap().bond, FULL_BOND);
		assert_eq!(held(1), FULL_BOND);
		assert_eq!(Candidates::<Test>::get(1).unwrap().membership, Membership::Founding);
		assert_eq!(EpochAuthorship::<Test>::get().len(), 4);
	});
}

#[test]
#[should_panic(expected = "genesis: a BABE key is listed twice")]
fn genesis_rejects_duplicate_keys() {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	crate::GenesisConfig::<Test> {
		candidates: vec![
			(1, babe_key(1), grandpa_key(1), 1, 0),
			(2, babe_key(1), grandpa_key(2), 1, 0),
		],
		admission: AdmissionMode::Staked,
	}
	.assimilate_storage(&mut storage)
	.unwrap();
}

#[test]
fn trust_reports() {
	test(|| {
		let report = ProofOfTrust::trust_report(&1).unwrap();
		assert_eq!(report.trust, Perbill::from_rational(11u32, 12u32));
		assert_eq!(report.level, TrustLevel::High);
		assert_eq!(report.identity, report.behaviour);
		assert!(!report.sanctioned);
		assert!(ProofOfTrust::trust_report(&77).is_none());
		assert!(ProofOfTrust::device_trust_report(&[7; 32]).is_none());
	});
}

#[test]
fn authority_reports() {
	test(|| {
		let current = ProofOfTrust::current_authorities();
		assert_eq!(current.len(), 4);
		assert_eq!(current[0].account, 1);
		assert_eq!(current[0].weight, 1);
		assert_eq!(current[0].trust, trust(1));
		assert_eq!(ProofOfTrust::next_authorities(), current);

		run_to_next_epoch(&[]);
		let next = ProofOfTrust::next_authorities();
		assert_eq!(
			next.iter().map(|a| a.weight).collect::<Vec<_>>(),
			babe_next_authorities().iter().map(|(_, w)| *w).collect::<Vec<_>>()
		);

		// The projection names who the next change would announce.
		register(10);
		ProofOfTrust::force_level(&10, TrustLevel::Moderate).unwrap();
		run_slots(EPOCH - 2, &[]);
		let projected = ProofOfTrust::projected_authorities().unwrap();
		run_to_next_epoch(&[]);
		let announced = ProofOfTrust::next_authorities();
		let mut a: Vec<_> = projected.iter().map(|x| x.account).collect();
		let mut b: Vec<_> = announced.iter().map(|x| x.account).collect();
		a.sort();
		b.sort();
		assert_eq!(a, b);
		assert!(a.contains(&10));
	});
}
