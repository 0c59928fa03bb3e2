//! Leaving: `deregister_product`, `deregister_vendor`, `deregister_worker`; their deposits come
//! back, and each refusal leaves storage as it was.

use super::*;
use frame_support::assert_noop;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn live(sw: AccountId) -> u32 {
	LiveAccesses::<Test>::get(sw)
}

/// The start of the next trust cycle.
fn next_cycle() {
	go_to(1 + u64::from(CYCLE), NOON);
}

// deregister_product

#[test]
fn a_vendor_deregisters_a_product_and_gets_its_deposit_back() {
	test(|| {
		let before = free(VENDOR);
		assert_ok!(Uiv::deregister_product(signed(VENDOR), product(1)));
		assert!(!Products::<Test>::contains_key(VENDOR, product(1)));
		let info = Vendors::<Test>::get(VENDOR).unwrap();
		assert_eq!(info.products, 1);
		assert_eq!(info.deposit, VENDOR_DEPOSIT + PRODUCT_DEPOSIT);
		assert_eq!(held(HoldReason::VendorDeposit, VENDOR), VENDOR_DEPOSIT + PRODUCT_DEPOSIT);
		assert_eq!(free(VENDOR), before + PRODUCT_DEPOSIT);
		assert!(emitted(Event::ProductDeregistered {
			vendor: VENDOR,
			product: product(1),
			refunded: PRODUCT_DEPOSIT
		}));
		// It can be registered again.
		assert_ok!(Uiv::register_product(
			signed(VENDOR),
			product(1),
			b"PLC".to_vec().try_into().unwrap()
		));
	});
}

#[test]
fn deregister_product_errors() {
	test(|| {
		assert_noop!(Uiv::deregister_product(signed(SWS[0]), product(0)), Error::<Test>::NotVendor);
		// Another vendor's product, and one never registered.
		assert_noop!(
			Uiv::deregister_product(signed(VENDOR), product(2)),
			Error::<Test>::UnknownProduct
		);
		assert_noop!(
			Uiv::deregister_product(signed(VENDOR), product(7)),
			Error::<Test>::UnknownProduct
		);
		// Named by a case in progress, first or not.
		open(VENDOR, &[(VENDOR, 0), (OTHER_VENDOR, 2)]);
		assert_noop!(
			Uiv::deregister_product(signed(VENDOR), product(0)),
			Error::<Test>::ProductInCase
		);
		assert_noop!(
			Uiv::deregister_product(signed(OTHER_VENDOR), product(2)),
			Error::<Test>::ProductInCase
		);
		// A product no case names is free.
		assert_ok!(Uiv::deregister_product(signed(VENDOR), product(1)));
	});
}

#[test]
fn a_product_counts_every_open_case_and_is_free_once_they_close() {
	test(|| {
		let first = accepted_case();
		let second = vendor_case();
		assert_eq!(ProductCases::<Test>::get(VENDOR, product(0)), 2);
		disclose_and_close(first);
		assert_eq!(ProductCases::<Test>::get(VENDOR, product(0)), 1);
		assert_noop!(
			Uiv::deregister_product(signed(VENDOR), product(0)),
			Error::<Test>::ProductInCase
		);
		// An invalid report holds its products until its case is closed (it may become
		// valid again until then).
		assert_ok!(Uiv::assess_case(signed(TA), second, false));
		assert_noop!(
			Uiv::deregister_product(signed(VENDOR), product(0)),
			Error::<Test>::ProductInCase
		);
		assert_ok!(Uiv::close_case(signed(VENDOR), second));
		assert!(!ProductCases::<Test>::contains_key(VENDOR, product(0)));
		assert_ok!(Uiv::deregister_product(signed(VENDOR), product(0)));
		// The closed cases still name it.
		assert_eq!(case(first).products[0].product, product(0));
	});
}

#[test]
fn a_reassigned_case_still_holds_its_products() {
	test(|| {
		let id = vendor_case();
		assert_ok!(Uiv::add_authority(signed_root(), 2, [8; 32], uri("ws://ta2")));
		assert_ok!(Uiv::reassign_case(signed_root(), id, 2));
		assert_noop!(
			Uiv::deregister_product(signed(VENDOR), product(0)),
			Error::<Test>::ProductInCase
		);
	});
}

fn signed_root() -> RuntimeOrigin {
	RuntimeOrigin::root()
}

// deregister_vendor

#[test]
fn a_vendor_without_products_leaves_with_its_deposit() {
	test(|| {
		assert_noop!(Uiv::deregister_vendor(signed(SWS[0])), Error::<Test>::NotVendor);
		assert_noop!(Uiv::deregister_vendor(signed(VENDOR)), Error::<Test>::VendorHasProducts);
		assert_ok!(Uiv::deregister_product(signed(VENDOR), product(0)));
		assert_noop!(Uiv::deregister_vendor(signed(VENDOR)), Error::<Test>::VendorHasProducts);
		assert_ok!(Uiv::deregister_product(signed(VENDOR), product(1)));
		let before = free(VENDOR);
		assert_ok!(Uiv::deregister_vendor(signed(VENDOR)));
		assert!(!Vendors::<Test>::contains_key(VENDOR));
		assert_eq!(held(HoldReason::VendorDeposit, VENDOR), 0);
		assert_eq!(free(VENDOR), before + VENDOR_DEPOSIT);
		assert!(emitted(Event::VendorDeregistered { vendor: VENDOR, refunded: VENDOR_DEPOSIT }));
		assert_noop!(Uiv::deregister_vendor(signed(VENDOR)), Error::<Test>::NotVendor);
		// It may register again.
		assert_ok!(Uiv::register_vendor(signed(VENDOR), b"Acme".to_vec().try_into().unwrap()));
	});
}

#[test]
fn a_vendor_with_a_case_in_progress_cannot_leave() {
	test(|| {
		let id = vendor_case();
		assert_ok!(Uiv::deregister_product(signed(VENDOR), product(1)));
		assert_noop!(
			Uiv::deregister_product(signed(VENDOR), product(0)),
			Error::<Test>::ProductInCase
		);
		assert_noop!(Uiv::deregister_vendor(signed(VENDOR)), Error::<Test>::VendorHasProducts);
		assert_ok!(Uiv::assess_case(signed(TA), id, false));
		assert_ok!(Uiv::close_case(signed(TA), id));
		assert_ok!(Uiv::deregister_product(signed(VENDOR), product(0)));
		assert_ok!(Uiv::deregister_vendor(signed(VENDOR)));
	});
}

// deregister_worker

#[test]
fn an_sw_leaves_with_its_deposit() {
	test(|| {
		let sw = SWS[0];
		assert_noop!(Uiv::deregister_worker(signed(VENDOR)), Error::<Test>::NotWorker);
		let before = free(sw);
		assert_ok!(Uiv::deregister_worker(signed(sw)));
		assert!(!Workers::<Test>::contains_key(sw));
		assert_eq!(held(HoldReason::WorkerDeposit, sw), 0);
		assert_eq!(free(sw), before + WORKER_DEPOSIT);
		assert!(emitted(Event::WorkerDeregistered { worker: sw, refunded: WORKER_DEPOSIT }));
		assert_noop!(Uiv::deregister_worker(signed(sw)), Error::<Test>::NotWorker);
		// It may register again, and starts fresh.
		assert_ok!(Uiv::register_worker(signed(sw)));
		assert_eq!(Workers::<Test>::get(sw).unwrap().profile, Default::default());
	});
}

#[test]
fn a_live_access_keeps_an_sw_until_it_ends() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[0];
		assert_ok!(Uiv::request_access(signed(sw), id));
		assert_eq!(live(sw), 1);
		next_cycle();
		// Granted.
		assert_noop!(Uiv::deregister_worker(signed(sw)), Error::<Test>::AccessLive);
		// Delivered.
		assert_ok!(Uiv::deliver_package(signed(TA), id, sw, [1; 32], [2; 32]));
		assert_eq!(live(sw), 1);
		assert_noop!(Uiv::deregister_worker(signed(sw)), Error::<Test>::AccessLive);
		// Ended.
		assert_ok!(Uiv::end_access(signed(TA), id, sw, [3; 32]));
		assert_eq!(live(sw), 0);
		assert!(!LiveAccesses::<Test>::contains_key(sw));
		assert_ok!(Uiv::deregister_worker(signed(sw)));
	});
}

#[test]
fn closing_a_case_ends_its_live_accesses_count() {
	test(|| {
		let id = accepted_case();
		let other = accepted_case();
		for sw in [SWS[0], SWS[1]] {
			assert_ok!(Uiv::request_access(signed(sw), id));
		}
		assert_ok!(Uiv::request_access(signed(SWS[0]), other));
		assert_ok!(Uiv::deliver_package(signed(TA), id, SWS[1], [1; 32], [2; 32]));
		assert_eq!((live(SWS[0]), live(SWS[1])), (2, 1));
		next_cycle();
		disclose_and_close(id);
		assert_eq!((live(SWS[0]), live(SWS[1])), (1, 0));
		// The access on the closed case no longer holds it; the other case's does.
		assert_ok!(Uiv::deregister_worker(signed(SWS[1])));
		assert_noop!(Uiv::deregister_worker(signed(SWS[0])), Error::<Test>::AccessLive);
	});
}

#[test]
fn a_barred_sw_keeps_its_record_and_deposit() {
	test(|| {
		let sw = SWS[0];
		Workers::<Test>::mutate(sw, |w| w.as_mut().unwrap().profile.barred = true);
		assert_noop!(Uiv::deregister_worker(signed(sw)), Error::<Test>::Barred);
		assert_eq!(held(HoldReason::WorkerDeposit, sw), WORKER_DEPOSIT);
		// Still registered: no second registration either.
		assert_noop!(Uiv::register_worker(signed(sw)), Error::<Test>::AlreadyWorker);
	});
}

#[test]
fn an_sw_whose_record_is_worse_than_a_fresh_one_cannot_leave() {
	test(|| {
		let sw = SWS[0];
		let set = |f: &dyn Fn(&mut endo_uiv::access::SwProfile)| {
			Workers::<Test>::mutate(sw, |w| f(&mut w.as_mut().unwrap().profile));
		};
		set(&|p| p.alarms = 1);
		assert_noop!(Uiv::deregister_worker(signed(sw)), Error::<Test>::AdverseRecord);
		set(&|p| {
			p.alarms = 0;
			p.conspirators = 1;
		});
		assert_noop!(Uiv::deregister_worker(signed(sw)), Error::<Test>::AdverseRecord);
		// More bad than good evidence: a beta trust below the prior.
		set(&|p| {
			p.conspirators = 0;
			p.evidence.record_bad(1);
		});
		assert_noop!(Uiv::deregister_worker(signed(sw)), Error::<Test>::AdverseRecord);
		// Outweighed by good evidence, it may leave.
		set(&|p| p.evidence.record_good(3));
		assert_ok!(Uiv::deregister_worker(signed(sw)));
	});
}

#[test]
fn an_sw_that_asked_in_this_cycle_leaves_in_the_next() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[0];
		set_model(-6);
		assert_ok!(Uiv::request_access(signed(sw), id));
		assert_eq!(Accesses::<Test>::get(id, sw).unwrap().state, AccessState::Refused);
		assert_eq!(live(sw), 0);
		assert_noop!(Uiv::deregister_worker(signed(sw)), Error::<Test>::RequestedThisCycle);
		next_cycle();
		assert_ok!(Uiv::deregister_worker(signed(sw)));
		// Its records stay with the case: invited, asked once in that cycle.
		assert!(Invited::<Test>::contains_key(id, sw));
		assert!(Requesters::<Test>::get(id).iter().any(|(who, _)| *who == sw));
		// Gone, it cannot ask; back, its case records still apply.
		assert_noop!(Uiv::request_access(signed(sw), id), Error::<Test>::NotWorker);
		assert_ok!(Uiv::register_worker(signed(sw)));
		set_model(6);
		assert_ok!(Uiv::request_access(signed(sw), id));
		assert_eq!(live(sw), 1);
	});
}
