//! Storage migrations.

use super::*;
use frame_support::traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion};

#[test]
fn v1_counts_open_cases_and_live_accesses_and_dates_closed_cases() {
	test(|| {
		let open = accepted_case();
		assert_ok!(Uiv::request_access(RuntimeOrigin::signed(SWS[0]), open));
		let closed = accepted_case();
		assert_ok!(Uiv::request_access(RuntimeOrigin::signed(SWS[1]), closed));
		go_to(3, NOON + BLOCK_MS);
		disclose_and_close(closed);
		let products = ProductCases::<Test>::iter().collect::<Vec<_>>();
		let live = LiveAccesses::<Test>::iter().collect::<Vec<_>>();
		assert_eq!(live, vec![(SWS[0], 1)]);
		// A version-0 chain has none of the new maps.
		let _ = ProductCases::<Test>::clear(u32::MAX, None);
		let _ = LiveAccesses::<Test>::clear(u32::MAX, None);
		let _ = ClosedAt::<Test>::clear(u32::MAX, None);
		StorageVersion::new(0).put::<Uiv>();
		go_to(5, NOON + 2 * BLOCK_MS);

		crate::migrations::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert_eq!(Uiv::on_chain_storage_version(), StorageVersion::new(1));
		assert_eq!(ProductCases::<Test>::iter().collect::<Vec<_>>(), products);
		assert_eq!(LiveAccesses::<Test>::iter().collect::<Vec<_>>(), live);
		// The closing's block: its last log entry's.
		assert_eq!(ClosedAt::<Test>::get(closed), Some(3));
		assert_eq!(ClosedAt::<Test>::get(open), None);
		// Once only.
		let _ = LiveAccesses::<Test>::clear(u32::MAX, None);
		crate::migrations::MigrateV0ToV1::<Test>::on_runtime_upgrade();
		assert!(LiveAccesses::<Test>::iter().next().is_none());
		LiveAccesses::<Test>::insert(SWS[0], 1);
	});
}

#[test]
fn v2_indexes_the_delivered_packages() {
	test(|| {
		let id = accepted_case();
		let (delivered, ended, granted) = (SWS[0], SWS[1], SWS[2]);
		for sw in [delivered, ended, granted] {
			assert_ok!(Uiv::request_access(RuntimeOrigin::signed(sw), id));
		}
		for (sw, tracing) in [(delivered, [0x71; 32]), (ended, [0x72; 32])] {
			assert_ok!(Uiv::deliver_package(RuntimeOrigin::signed(TA), id, sw, [1; 32], tracing));
		}
		assert_ok!(Uiv::end_access(RuntimeOrigin::signed(TA), id, ended, [2; 32]));
		let traces = Traces::<Test>::iter().collect::<Vec<_>>();
		assert_eq!(traces.len(), 2);
		// A version-1 chain has no trace index.
		let _ = Traces::<Test>::clear(u32::MAX, None);
		StorageVersion::new(1).put::<Uiv>();

		crate::migrations::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert_eq!(Uiv::on_chain_storage_version(), StorageVersion::new(2));
		let mut after = Traces::<Test>::iter().collect::<Vec<_>>();
		after.sort_by_key(|(_, c, _)| *c);
		assert_eq!(
			after
				.iter()
				.map(|(case, c, t)| (*case, *c, t.worker, t.trap, t.leaks))
				.collect::<Vec<_>>(),
			vec![
				(id, [0x71; 32], delivered, TrapFlag::Real, 0),
				(id, [0x72; 32], ended, TrapFlag::Real, 0),
			]
		);
		let mut traces = traces;
		traces.sort_by_key(|(_, c, _)| *c);
		assert_eq!(after, traces);
		// Once only.
		let _ = Traces::<Test>::clear(u32::MAX, None);
		crate::migrations::MigrateV1ToV2::<Test>::on_runtime_upgrade();
		assert!(Traces::<Test>::iter().next().is_none());
		for (case, c, trace) in after {
			Traces::<Test>::insert(case, c, trace);
		}
	});
}
