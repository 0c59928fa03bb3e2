//! The traits other pallets use: `IdentityTrustSink`, `BehaviourTrustSink`, `TrustProvider`.

use super::*;

fn identity(device: u8, controller: Option<AccountId>, evidence: IdentityEvidence) {
	<ProofOfTrust as IdentityTrustSink<AccountId>>::note_identity_evidence(
		&[device; 32],
		controller.as_ref(),
		evidence,
	);
}

#[test]
fn device_evidence_goes_to_the_device_and_its_controller() {
	test(|| {
		identity(1, Some(20), IdentityEvidence::Authenticated);
		assert!(emitted(Event::SubjectEnrolled { who: 20 }));
		assert!(emitted(Event::IdentityRecorded {
			device: Some([1; 32]),
			account: Some(20),
			evidence: IdentityEvidence::Authenticated
		}));
		let account = ProofOfTrust::trust_report(&20).unwrap();
		let device = ProofOfTrust::device_trust_report(&[1; 32]).unwrap();
		// (1 + 1) / (1 + 2) = 2/3 identity; behaviour at the prior.
		assert_eq!(account.identity, Perbill::from_rational(2u32, 3u32));
		assert_eq!(account.behaviour, Perbill::from_percent(50));
		assert_eq!(device.identity, account.identity);

		identity(2, None, IdentityEvidence::Failed);
		let device = ProofOfTrust::device_trust_report(&[2; 32]).unwrap();
		// (0 + 1) / (0 + 2 * 3 + 2) = 1/8.
		assert_eq!(device.identity, Perbill::from_rational(1u32, 8u32));
		assert_eq!(device.level, TrustLevel::Doubtful);
		identity(2, None, IdentityEvidence::Missed);
		assert!(ProofOfTrust::device_trust_report(&[2; 32]).unwrap().identity < device.identity);
	});
}

#[test]
fn full_ledgers_drop_evidence_with_an_event() {
	test(|| {
		for d in 0..MAX_DEVICES as u8 {
			identity(d, None, IdentityEvidence::Authenticated);
		}
		identity(200, None, IdentityEvidence::Missed);
		assert!(emitted(Event::EvidenceDropped { device: Some([200; 32]), account: None }));
		assert!(ProofOfTrust::device_trust_report(&[200; 32]).is_none());
		// Known devices still get evidence.
		identity(0, None, IdentityEvidence::Missed);
		assert!(emitted(Event::IdentityRecorded {
			device: Some([0; 32]),
			account: None,
			evidence: IdentityEvidence::Missed
		}));
		for who in 40..40 + (MAX_SUBJECTS - 4) as u64 {
			<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&who).unwrap();
		}
		identity(1, Some(99), IdentityEvidence::Authenticated);
		assert!(emitted(Event::EvidenceDropped { device: None, account: Some(99) }));
		assert!(Ledger::<Test>::get(99).is_none());
		assert_eq!(
			<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&99),
			Err(EvidenceError::LedgerFull)
		);
	});
}

#[test]
fn behaviour_sink_needs_enrolment() {
	test(|| {
		let sink = |who, evidence| {
			<ProofOfTrust as BehaviourTrustSink<AccountId>>::note_behaviour(&who, evidence)
		};
		assert_eq!(sink(30, BehaviourEvidence::LeakReported), Err(EvidenceError::UnknownSubject));
		assert!(Ledger::<Test>::get(30).is_none());
		assert_eq!(<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&30), Ok(()));
		assert_eq!(<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&30), Ok(()));
		assert_eq!(sink(30, BehaviourEvidence::ModelRejected), Ok(()));
		assert!(emitted(Event::BehaviourRecorded {
			who: 30,
			evidence: BehaviourEvidence::ModelRejected
		}));
		assert!(trust(30) < Perbill::from_percent(50));
	});
}

#[test]
fn trust_provider_levels() {
	test(|| {
		let level = |who| <ProofOfTrust as TrustProvider<AccountId>>::trust_level(&who);
		// 11/12 and 9/10 are High, 7/8 High, 5/6 High; unknown accounts are Untrusted.
		assert_eq!(level(1), TrustLevel::High);
		assert_eq!(level(4), TrustLevel::High);
		assert_eq!(level(77), TrustLevel::Untrusted);
		assert!(<ProofOfTrust as TrustProvider<AccountId>>::is_at_least(&1, TrustLevel::High));
		assert!(!<ProofOfTrust as TrustProvider<AccountId>>::is_at_least(&77, TrustLevel::Low));
		for level in [
			TrustLevel::Untrusted,
			TrustLevel::Low,
			TrustLevel::Doubtful,
			TrustLevel::Moderate,
			TrustLevel::High,
		] {
			ProofOfTrust::force_level(&50, level).unwrap();
			assert_eq!(ProofOfTrust::trust_level(&50), level);
		}
	});
}

#[test]
fn evidence_decays_towards_the_prior() {
	test(|| {
		let start = trust(1);
		run_to_next_epoch(&[]);
		run_to_next_epoch(&[]);
		// Identity evidence only decays (validator 1 gets new behaviour evidence by authoring).
		let report = ProofOfTrust::trust_report(&1).unwrap();
		assert!(report.identity < Perbill::from_rational(11u32, 12u32));
		assert!(report.identity > Perbill::from_percent(50));
		assert_ne!(trust(1), start);
	});
}

#[test]
fn trust_provider_names_the_current_validators() {
	test(|| {
		let validators: Vec<AccountId> =
			Validators::<Test>::get().iter().map(|v| v.account).collect();
		assert!(!validators.is_empty());
		assert_eq!(
			<ProofOfTrust as TrustProvider<AccountId>>::validator_count(),
			validators.len() as u32
		);
		for who in &validators {
			assert!(<ProofOfTrust as TrustProvider<AccountId>>::is_validator(who));
		}
		assert!(!<ProofOfTrust as TrustProvider<AccountId>>::is_validator(&77));
	});
}
