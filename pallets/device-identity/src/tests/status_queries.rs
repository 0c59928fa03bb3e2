//! The queries behind the runtime API: `device_report` (the paper's match step) and
//! `challenge_report`.

use super::*;
use frame_support::assert_ok;

#[test]
fn report_of_an_authenticated_device() {
	test(|| {
		let registration = active_pki_device(1, Some(5));
		next_epoch();
		assert_ok!(authenticate(&registration.keypair));
		let now = System::block_number();
		let report = DeviceIdentity::device_report(&registration.device).unwrap();
		assert_eq!(
			report,
			DeviceReport {
				status: DeviceStatus::Active,
				authenticated: true,
				authenticated_since: Some(1),
				last_proof_at: Some(now),
				last_proof_epoch: Some(1),
				authority: registration.authority,
				domain: DomainKind::Pki,
				domains: vec![DomainMembership {
					authority: registration.authority,
					kind: DomainKind::Pki,
					expires_at: None
				}],
				controller: Some(5),
				strikes: 0,
			}
		);
	});
}

#[test]
fn report_of_devices_that_are_not_authenticated() {
	test(|| {
		assert_eq!(DeviceIdentity::device_report(&[1; 32]), None);
		let registration = active_pki_device(1, None);
		next_epoch();
		next_epoch();
		let report = DeviceIdentity::device_report(&registration.device).unwrap();
		assert!(!report.authenticated);
		assert_eq!(report.authenticated_since, None);
		assert!(report.domains.is_empty());
		assert_eq!(report.strikes, 1);
		assert_eq!(report.last_proof_epoch, Some(0));

		let kgc = kgc(1);
		let authority = ibe_authority(&kgc);
		let keypair = testing_utils::device(2);
		let pending =
			Registration::ibe(keypair.clone(), authority, sm9_credential(&kgc, &keypair), None);
		assert_ok!(pending.submit());
		let report = DeviceIdentity::device_report(&pending.device).unwrap();
		assert_eq!((report.status, report.authenticated), (DeviceStatus::Pending, false));
		assert_eq!(report.domain, DomainKind::Ibe);
	});
}

#[test]
fn challenge_report_matches_the_epoch() {
	new_test_ext().execute_with(|| {
		assert_eq!(DeviceIdentity::challenge_report(), None);
		run_to_block(3);
		let epoch = Epoch::<Test>::get().unwrap();
		assert_eq!(
			DeviceIdentity::challenge_report(),
			Some(ChallengeReport {
				epoch: 0,
				challenge: epoch.challenge,
				genesis_hash: DeviceIdentity::genesis_hash(),
				started_at: 1,
				ends_at: 1 + EPOCH,
			})
		);
	});
}
