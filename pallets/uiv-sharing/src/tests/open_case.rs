//! `open_case`: by a vendor about its own products, by a researcher, and every bad input.

use super::*;
use endo_uiv::{Consent, EmbargoState, ProductStatus, ReportState};
use frame_support::assert_noop;

/// 90 days of blocks.
const EMBARGO_BLOCKS: u32 = (90 * DAY_MS / BLOCK_MS) as u32;

#[test]
fn a_vendor_opens_its_own_case_under_an_active_embargo() {
	test(|| {
		assert_eq!(NextCaseId::<Test>::get(), 0);
		let id = vendor_case();
		assert_eq!(id, 0);
		assert_eq!(NextCaseId::<Test>::get(), 1);
		let c = case(id);
		assert_eq!((c.opener, c.vendor, c.ta), (VENDOR, VENDOR, TA));
		assert_eq!(c.report, ReportState::Received);
		// Every participant (the vendor, the TA) consents: active at once.
		assert_eq!(c.embargo, EmbargoState::Active);
		assert_eq!(c.clock.started, endo_uiv::Moment { block: 1, utc_ms: NOON });
		assert_eq!(c.clock.deadline.utc_ms, noon_plus_days(90));
		assert_eq!(c.clock.deadline.block, 1 + EMBARGO_BLOCKS);
		assert_eq!(c.clock.cap.utc_ms, noon_plus_days(120));
		assert!(!c.clock.patch_extended);
		assert_eq!(c.deposit, CASE_DEPOSIT);
		assert_eq!(held(HoldReason::CaseDeposit, VENDOR), CASE_DEPOSIT);
		assert_eq!(c.participants, 2);
		assert_eq!(
			participant(id, VENDOR),
			Some(Participant { role: Role::Vendor, consent: Consent::Accepted })
		);
		assert_eq!(
			participant(id, TA),
			Some(Participant { role: Role::Coordinator, consent: Consent::Accepted })
		);
		assert_eq!(c.products.len(), 1);
		assert_eq!(c.products[0].status, ProductStatus::UnderInvestigation);
		assert_eq!(c.products[0].ranges, ranges());
		// The vulmeta hash, from the same inputs.
		let affected = vec![AffectedProduct {
			vendor: VENDOR,
			product: product(0),
			ranges: ranges(),
			status: ProductStatus::UnderInvestigation,
		}];
		assert_eq!(c.vul_meta_hash, Uiv::vul_meta_hash(id, &VENDOR, &affected, &cvss(), &REPORT));
		assert_ne!(
			c.vul_meta_hash,
			Uiv::vul_meta_hash(id + 1, &VENDOR, &affected, &cvss(), &REPORT)
		);
		assert_ne!(c.vul_meta_hash, Uiv::vul_meta_hash(id, &VENDOR, &affected, &cvss(), &[0; 32]));
		// The log: opened, then the embargo activated.
		assert_eq!(
			kinds(id),
			vec![
				EntryKind::CaseOpened,
				EntryKind::EmbargoChanged {
					from: EmbargoState::Proposed,
					to: EmbargoState::Active,
					deadline: Some(c.clock.deadline),
				},
			]
		);
		assert_eq!(c.log.len, 2);
		assert!(entries(id)
			.iter()
			.all(|e| e.actor == bytes(VENDOR) && e.vul_meta_hash == c.vul_meta_hash));
		assert!(emitted(Event::CaseOpened { case: id, opener: VENDOR, vendor: VENDOR, ta: TA }));
		assert!(emitted(Event::EmbargoChanged {
			case: id,
			state: EmbargoState::Active,
			deadline_block: 1 + EMBARGO_BLOCKS,
			deadline_utc_ms: noon_plus_days(90),
		}));
		// IDs are sequential.
		assert_eq!(open(VENDOR, &[(VENDOR, 1)]), 1);
		assert_eq!(NextCaseId::<Test>::get(), 2);
	});
}

#[test]
fn a_researcher_opens_a_case_about_a_vendors_product() {
	test(|| {
		let reporter = REPORTERS[0];
		let id = open(reporter, &[(VENDOR, 0)]);
		let c = case(id);
		assert_eq!((c.opener, c.vendor, c.ta), (reporter, VENDOR, TA));
		assert_eq!(c.embargo, EmbargoState::Proposed);
		assert_eq!(held(HoldReason::CaseDeposit, reporter), CASE_DEPOSIT);
		assert_eq!(held(HoldReason::CaseDeposit, VENDOR), 0);
		assert_eq!(c.participants, 3);
		assert_eq!(
			participant(id, reporter),
			Some(Participant { role: Role::Reporter, consent: Consent::Accepted })
		);
		assert_eq!(
			participant(id, VENDOR),
			Some(Participant { role: Role::Vendor, consent: Consent::Pending })
		);
		assert_eq!(participant(id, TA).unwrap().consent, Consent::Accepted);
		assert_eq!(kinds(id), vec![EntryKind::CaseOpened]);
		assert_eq!(entries(id)[0].actor, bytes(reporter));
		assert!(emitted(Event::CaseOpened { case: id, opener: reporter, vendor: VENDOR, ta: TA }));
		assert!(!events().iter().any(|e| matches!(e, Event::EmbargoChanged { .. })));
	});
}

#[test]
fn only_the_vendor_or_a_reporter_opens() {
	test(|| {
		// Neither a reporter nor the first product's vendor.
		assert_noop!(try_open(40, &[(VENDOR, 0)]), sp_runtime::DispatchError::BadOrigin);
		assert_noop!(try_open(OTHER_VENDOR, &[(VENDOR, 0)]), sp_runtime::DispatchError::BadOrigin);
		assert_noop!(try_open(SWS[0], &[(VENDOR, 0)]), sp_runtime::DispatchError::BadOrigin);
		assert_noop!(
			Uiv::open_case(RuntimeOrigin::root(), TA, products(&[(VENDOR, 0)]), cvss(), REPORT),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn open_case_bad_input() {
	test(|| {
		let open_with =
			|ta, list| Uiv::open_case(RuntimeOrigin::signed(VENDOR), ta, list, cvss(), REPORT);
		assert_noop!(open_with(2, products(&[(VENDOR, 0)])), Error::<Test>::NotAuthority);
		assert_noop!(open_with(VENDOR, products(&[(VENDOR, 0)])), Error::<Test>::NotAuthority);
		// Product 2 is the other vendor's.
		assert_noop!(open_with(TA, products(&[(VENDOR, 2)])), Error::<Test>::UnknownProduct);
		assert_noop!(
			open_with(TA, products(&[(VENDOR, 0), (VENDOR, 5)])),
			Error::<Test>::UnknownProduct
		);
		assert_noop!(
			open_with(TA, products(&[(VENDOR, 0), (VENDOR, 1), (VENDOR, 0)])),
			Error::<Test>::DuplicateProduct
		);
		assert_noop!(open_with(TA, products(&[])), Error::<Test>::BadProductList);
		assert_noop!(try_open(REPORTERS[0], &[]), Error::<Test>::BadProductList);
		// A range whose fix is not after its introduction, built past its constructor.
		for fixed in ["1.0", "0.9"] {
			let bad = VersionRange {
				introduced: Version::parse("1.0").unwrap(),
				fixed: Some(Version::parse(fixed).unwrap()),
			};
			let list: BoundedVec<_, _> = vec![
				(VENDOR, product(0), ranges()),
				(VENDOR, product(1), vec![range("3.0", None), bad].try_into().unwrap()),
			]
			.try_into()
			.unwrap();
			assert_noop!(open_with(TA, list), Error::<Test>::Malformed);
		}
		assert_eq!(NextCaseId::<Test>::get(), 0);
	});
}

#[test]
fn a_case_has_at_most_max_participants() {
	test(|| {
		for (vendor, i) in [(12, 3), (13, 4), (14, 5), (15, 6)] {
			assert_ok!(Uiv::register_vendor(
				RuntimeOrigin::signed(vendor),
				b"V".to_vec().try_into().unwrap()
			));
			assert_ok!(Uiv::register_product(
				RuntimeOrigin::signed(vendor),
				product(i),
				b"P".to_vec().try_into().unwrap()
			));
		}
		// 6 vendors and the TA: 7 participants.
		let seven = [(VENDOR, 0), (OTHER_VENDOR, 2), (12, 3), (13, 4), (14, 5), (15, 6)];
		assert_noop!(try_open(VENDOR, &seven), Error::<Test>::TooManyParticipants);
		// A reporter and 5 vendors and the TA: 7 as well.
		assert_noop!(try_open(REPORTERS[0], &seven[..5]), Error::<Test>::TooManyParticipants);
		// 5 vendors and the TA: 6, the bound.
		let id = open(VENDOR, &seven[..5]);
		let c = case(id);
		assert_eq!(c.participants, MAX_PARTICIPANTS);
		assert_eq!(c.products.len(), 5);
		// The other vendors have not consented yet.
		assert_eq!(c.embargo, EmbargoState::Proposed);
		assert_eq!(
			participant(id, 13).unwrap(),
			Participant { role: Role::Vendor, consent: Consent::Pending }
		);
	});
}

#[test]
fn the_opener_pays_the_deposit() {
	test(|| {
		assert_ok!(Balances::force_set_balance(
			RuntimeOrigin::root(),
			REPORTERS[1],
			CASE_DEPOSIT - 1
		));
		assert_noop!(try_open(REPORTERS[1], &[(VENDOR, 0)]), Error::<Test>::InsufficientBalance);
		// The vendor opens cases while it has the funds: 940 free, 9 cases.
		for _ in 0..9 {
			vendor_case();
		}
		assert_eq!(held(HoldReason::CaseDeposit, VENDOR), 9 * CASE_DEPOSIT);
		assert_noop!(try_open(VENDOR, &[(VENDOR, 0)]), Error::<Test>::InsufficientBalance);
		assert_eq!(NextCaseId::<Test>::get(), 9);
	});
}
