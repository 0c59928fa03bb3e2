//! `register_vendor`, `register_product`, `register_worker`: deposits, events, errors.

use super::*;
use frame_support::assert_noop;

fn name(text: &str) -> Name {
	text.as_bytes().to_vec().try_into().unwrap()
}

#[test]
fn a_vendor_registers_and_its_deposit_is_held() {
	test(|| {
		// The vendors of the mock: the registration and two products, or one.
		assert_eq!(held(HoldReason::VendorDeposit, VENDOR), VENDOR_DEPOSIT + 2 * PRODUCT_DEPOSIT);
		assert_eq!(held(HoldReason::VendorDeposit, OTHER_VENDOR), VENDOR_DEPOSIT + PRODUCT_DEPOSIT);
		assert_ok!(Uiv::register_vendor(RuntimeOrigin::signed(12), name("Third")));
		assert_eq!(held(HoldReason::VendorDeposit, 12), VENDOR_DEPOSIT);
		assert_eq!(free(12), 1_000 - VENDOR_DEPOSIT);
		assert!(emitted(Event::VendorRegistered { vendor: 12 }));
		assert_eq!(
			Vendors::<Test>::get(12),
			Some(Vendor { name: name("Third"), deposit: VENDOR_DEPOSIT, products: 0 })
		);
	});
}

#[test]
fn register_vendor_errors() {
	test(|| {
		assert_noop!(
			Uiv::register_vendor(RuntimeOrigin::signed(VENDOR), name("Again")),
			Error::<Test>::AlreadyVendor
		);
		assert_noop!(
			Uiv::register_vendor(RuntimeOrigin::signed(61), name("Poor")),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Uiv::register_vendor(RuntimeOrigin::root(), name("Root")),
			sp_runtime::DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_vendor_registers_products_with_deposits() {
	test(|| {
		assert_ok!(Uiv::register_product(
			RuntimeOrigin::signed(OTHER_VENDOR),
			product(3),
			name("RTU")
		));
		assert!(emitted(Event::ProductRegistered { vendor: OTHER_VENDOR, product: product(3) }));
		assert_eq!(
			held(HoldReason::VendorDeposit, OTHER_VENDOR),
			VENDOR_DEPOSIT + 2 * PRODUCT_DEPOSIT
		);
		let info = Vendors::<Test>::get(OTHER_VENDOR).unwrap();
		assert_eq!(info.products, 2);
		assert_eq!(info.deposit, VENDOR_DEPOSIT + 2 * PRODUCT_DEPOSIT);
		assert_eq!(Products::<Test>::get(OTHER_VENDOR, product(3)), Some(name("RTU")));
		// Two vendors may register the same package URL: products are per vendor.
		assert_ok!(Uiv::register_product(
			RuntimeOrigin::signed(OTHER_VENDOR),
			product(0),
			name("PLC")
		));
		assert!(Products::<Test>::contains_key(VENDOR, product(0)));
		assert!(Products::<Test>::contains_key(OTHER_VENDOR, product(0)));
	});
}

#[test]
fn register_product_errors() {
	test(|| {
		assert_noop!(
			Uiv::register_product(RuntimeOrigin::signed(12), product(3), name("x")),
			Error::<Test>::NotVendor
		);
		assert_noop!(
			Uiv::register_product(RuntimeOrigin::signed(VENDOR), product(0), name("again")),
			Error::<Test>::ProductExists
		);
		// The third product fits (MaxProductsPerVendor = 3), a fourth does not.
		assert_ok!(Uiv::register_product(RuntimeOrigin::signed(VENDOR), product(3), name("c")));
		assert_eq!(Vendors::<Test>::get(VENDOR).unwrap().products, 3);
		assert_noop!(
			Uiv::register_product(RuntimeOrigin::signed(VENDOR), product(4), name("d")),
			Error::<Test>::TooManyProducts
		);
		// A vendor without the funds for the product's deposit.
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), OTHER_VENDOR, 2));
		assert_noop!(
			Uiv::register_product(RuntimeOrigin::signed(OTHER_VENDOR), product(4), name("d")),
			Error::<Test>::InsufficientBalance
		);
	});
}

#[test]
fn a_worker_registers_is_enrolled_and_its_deposit_is_held() {
	test(|| {
		for sw in SWS {
			assert_eq!(held(HoldReason::WorkerDeposit, sw), WORKER_DEPOSIT);
		}
		assert_ok!(Uiv::register_worker(RuntimeOrigin::signed(40)));
		assert!(emitted(Event::WorkerRegistered { worker: 40 }));
		assert_eq!(held(HoldReason::WorkerDeposit, 40), WORKER_DEPOSIT);
		assert_eq!(free(40), 1_000 - WORKER_DEPOSIT);
		let info = Workers::<Test>::get(40).unwrap();
		assert_eq!(info.deposit, WORKER_DEPOSIT);
		assert_eq!(info.profile, Default::default());
		assert!(ENROLLED.with(|e| e.borrow().contains(&40)));
	});
}

#[test]
fn register_worker_errors() {
	test(|| {
		assert_noop!(
			Uiv::register_worker(RuntimeOrigin::signed(SWS[0])),
			Error::<Test>::AlreadyWorker
		);
		assert_noop!(
			Uiv::register_worker(RuntimeOrigin::signed(61)),
			Error::<Test>::InsufficientBalance
		);
		assert!(!Workers::<Test>::contains_key(61));
		// The ledger refuses account 99 even when it can pay: the ledger is full.
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 99, 1_000));
		assert_noop!(Uiv::register_worker(RuntimeOrigin::signed(99)), Error::<Test>::LedgerFull);
		assert!(!ENROLLED.with(|e| e.borrow().contains(&99)));
		assert!(!Workers::<Test>::contains_key(99));
		assert_eq!(held(HoldReason::WorkerDeposit, 99), 0);
		assert_eq!(free(99), 1_000);
		assert!(!emitted(Event::WorkerRegistered { worker: 99 }));
		// A vendor may also be an SW, with its own deposit.
		assert_ok!(Uiv::register_worker(RuntimeOrigin::signed(VENDOR)));
		assert_eq!(held(HoldReason::WorkerDeposit, VENDOR), WORKER_DEPOSIT);
	});
}

#[test]
fn a_full_ledger_refuses_a_worker() {
	test(|| {
		// The ledger answers before the deposit is held: an account that could not pay is
		// refused for the full ledger too.
		assert_eq!(free(99), 0);
		assert_noop!(Uiv::register_worker(RuntimeOrigin::signed(99)), Error::<Test>::LedgerFull);
		assert_ok!(Balances::force_set_balance(RuntimeOrigin::root(), 99, 1_000));
		assert_noop!(Uiv::register_worker(RuntimeOrigin::signed(99)), Error::<Test>::LedgerFull);
		assert_eq!(held(HoldReason::WorkerDeposit, 99), 0);
		assert_eq!(Workers::<Test>::get(99), None);
		// Others still register.
		assert_ok!(Uiv::register_worker(RuntimeOrigin::signed(41)));
		assert!(Workers::<Test>::contains_key(41));
		assert!(ENROLLED.with(|e| e.borrow().contains(&41)));
	});
}
