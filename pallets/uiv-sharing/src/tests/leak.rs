//! The leak guard: the trace index, `report_leak` (feedback and copies, the first sighting of a
//! trace free and the only one that counts against its SW, deduplicated and bounded),
//! `deliver_deferred` and `reveal_trap` (Algorithm 3's trap, in both orders with a leak), the
//! leak path out of an embargo (`LeakedCases`, `exit_embargo` by the TA or a vendor), leaks
//! after the disclosure, SWs that left before their leak was found (`DepartedRecords`), and
//! purging a case's traces, sightings and leak mark.

use super::*;
use endo_uiv::{token, EmbargoState};
use frame_support::{
	assert_noop,
	dispatch::{DispatchResultWithPostInfo, Pays},
};
use sp_runtime::Perbill;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// Someone who found a leaked token (not a participant).
const REPORTER: AccountId = 40;

/// The salt of the tests' trap commitments.
const SALT: [u8; 32] = [0x5a; 32];

/// `sw`'s tracing token in the tests (secret: only its commitment is on chain).
fn tracing(sw: AccountId) -> [u8; 32] {
	[sw as u8; 32]
}

/// The commitment to `sw`'s tracing token.
fn traced(sw: AccountId) -> Hash {
	token::commitment(&tracing(sw))
}

fn trace(id: CaseId, sw: AccountId) -> Trace<AccountId> {
	Traces::<Test>::get(id, traced(sw)).unwrap()
}

fn profile(sw: AccountId) -> endo_uiv::access::SwProfile {
	Workers::<Test>::get(sw).unwrap().profile
}

fn feedback(host: u8) -> LeakSource {
	LeakSource::Feedback { host: [host; 32], at: NOON + 1_000 }
}

fn report(id: CaseId, sw: AccountId, source: LeakSource) -> DispatchResultWithPostInfo {
	Uiv::report_leak(signed(REPORTER), id, tracing(sw), source)
}

/// An accepted case (live embargo) with `sw` granted and its package delivered.
fn delivered(sw: AccountId) -> CaseId {
	let id = accepted_case();
	assert_ok!(Uiv::request_access(signed(sw), id));
	assert_ok!(Uiv::deliver_package(signed(TA), id, sw, [1; 32], traced(sw)));
	id
}

/// `sw`, deferred in case `id` (a semi-honest trust), then the model grants again.
fn defer(id: CaseId, sw: AccountId) {
	set_model(0);
	assert_ok!(Uiv::request_access(signed(sw), id));
	assert_eq!(Accesses::<Test>::get(id, sw).unwrap().state, AccessState::Deferred);
	set_model(6);
}

fn deliver_deferred(id: CaseId, sw: AccountId, trap: bool) -> DispatchResult {
	Uiv::deliver_deferred(
		signed(TA),
		id,
		sw,
		[1; 32],
		traced(sw),
		token::trap_commitment(&traced(sw), trap, &SALT),
	)
}

fn reveal(id: CaseId, sw: AccountId, trap: bool) -> DispatchResult {
	Uiv::reveal_trap(signed(TA), id, sw, trap, SALT)
}

fn conspiracies(sw: AccountId) -> usize {
	evidence().iter().filter(|e| **e == (sw, BehaviourEvidence::Conspiracy)).count()
}

/// Fixes every product of accepted case `id` and discloses it (the TA), without closing it.
fn disclose(id: CaseId) {
	for (index, p) in case(id).products.clone().into_iter().enumerate() {
		for status in [endo_uiv::ProductStatus::Affected, endo_uiv::ProductStatus::Fixed] {
			assert_ok!(Uiv::set_product_status(signed(p.vendor), id, index as u32, status));
		}
	}
	assert_ok!(Uiv::disclose(signed(TA), id, [0xcd; 32], uri("https://a.example/1")));
	assert!(case(id).disclosed.is_some());
}

fn barred_events() -> usize {
	events().iter().filter(|e| matches!(e, Event::WorkerBarred { .. })).count()
}

// report_leak

#[test]
fn a_true_feedback_report_names_the_sw_is_free_and_marks_the_case_leaked() {
	test(|| {
		let sw = SWS[0];
		let id = delivered(sw);
		assert_eq!(case(id).embargo, EmbargoState::Active);
		go_to(2, NOON + BLOCK_MS);
		System::reset_events();
		let len = case(id).log.len;
		let info = report(id, sw, feedback(0xb1)).unwrap();
		// An honest reporter pays nothing.
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(trace(id, sw).leaks, 1);
		assert_eq!(
			LeakSightings::<Test>::get((id, traced(sw), [0xb1; 32])),
			Some(LeakSighting { reporter: REPORTER, at_block: 2, source: feedback(0xb1) })
		);
		// An alarm and a conspirator (the unlicensed host) in the SW's profile, bad evidence.
		assert_eq!(profile(sw).alarms, 1);
		assert_eq!(profile(sw).conspirators, 1);
		assert!(!profile(sw).barred);
		assert_eq!(evidence(), vec![(sw, BehaviourEvidence::LeakReported)]);
		assert!(emitted(Event::LeakReported {
			case: id,
			worker: sw,
			reporter: REPORTER,
			source: feedback(0xb1),
		}));
		// Logged by the reporter. The real report leaked: the case is marked, but the report
		// does not end the embargo (the SW knows its own token).
		let log = entries(id);
		assert_eq!(log.len() as u32, len + 1);
		assert_eq!(
			log[len as usize].kind,
			EntryKind::LeakReported { tracing_commitment: traced(sw), source: [0xb1; 32] }
		);
		assert_eq!(log[len as usize].actor, bytes(REPORTER));
		assert_eq!(LeakedCases::<Test>::get(id), Some(2));
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert!(!events().iter().any(|e| matches!(e, Event::EmbargoChanged { .. })));
		// Another host: the leak's path is recorded, but the trace already counted against
		// the SW: no profile change, no evidence, and it pays.
		go_to(3, NOON + 2 * BLOCK_MS);
		let len = case(id).log.len;
		let before = profile(sw);
		assert_eq!(report(id, sw, feedback(0xb2)).unwrap().pays_fee, Pays::Yes);
		assert_eq!(trace(id, sw).leaks, 2);
		assert_eq!(profile(sw), before);
		assert_eq!(evidence(), vec![(sw, BehaviourEvidence::LeakReported)]);
		assert_eq!(case(id).log.len, len + 1);
		assert!(emitted(Event::LeakReported {
			case: id,
			worker: sw,
			reporter: REPORTER,
			source: feedback(0xb2),
		}));
		// The first mark stays.
		assert_eq!(LeakedCases::<Test>::get(id), Some(2));
		assert_eq!(conspiracies(sw), 0);
	});
}

#[test]
fn a_griefer_with_a_public_token_raises_one_alarm_per_trace() {
	test(|| {
		let sw = SWS[0];
		let id = delivered(sw);
		// The first, true report.
		assert_eq!(report(id, sw, LeakSource::Copy).unwrap().pays_fee, Pays::No);
		let after_first = profile(sw);
		let evidence_after_first = evidence();
		assert_eq!(after_first.alarms, 1);
		// The token is public now: sightings 2..=MaxLeaksPerTrace with made-up hosts, by
		// anyone. Each is recorded and pays; none touches the SW.
		const GRIEFER: AccountId = 41;
		for n in 2..=MAX_LEAKS {
			let info =
				Uiv::report_leak(signed(GRIEFER), id, tracing(sw), feedback(n as u8)).unwrap();
			assert_eq!(info.pays_fee, Pays::Yes);
			assert_eq!(trace(id, sw).leaks, n);
			assert!(LeakSightings::<Test>::contains_key((id, traced(sw), [n as u8; 32])));
			assert_eq!(profile(sw), after_first);
			assert_eq!(evidence(), evidence_after_first);
		}
		assert_noop!(
			Uiv::report_leak(signed(GRIEFER), id, tracing(sw), feedback(0xee)),
			Error::<Test>::TooManyLeakReports
		);
		// One alarm, one conspirator, one bad event: the SW's trust did not collapse.
		assert_eq!(profile(sw).alarms, 1);
		assert_eq!(profile(sw).conspirators, 1);
		assert_eq!(profile(sw).evidence.bad_units(), after_first.evidence.bad_units());
		assert!(!profile(sw).barred);
		// Another SW's package of the case is its own trace: its first sighting counts.
		let other_sw = SWS[1];
		assert_ok!(Uiv::request_access(signed(other_sw), id));
		assert_ok!(Uiv::deliver_package(signed(TA), id, other_sw, [1; 32], traced(other_sw)));
		let info = Uiv::report_leak(signed(GRIEFER), id, tracing(other_sw), feedback(1)).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(profile(other_sw).alarms, 1);
		assert_eq!(profile(sw).alarms, 1);
	});
}

#[test]
fn a_copy_report_counts_once_and_a_trace_at_most_max_leaks() {
	test(|| {
		let sw = SWS[1];
		let id = delivered(sw);
		let info = report(id, sw, LeakSource::Copy).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		assert_eq!(profile(sw).conspirators, 1);
		assert!(LeakedCases::<Test>::contains_key(id));
		assert_eq!(
			entries(id).last().unwrap().kind,
			EntryKind::LeakReported { tracing_commitment: traced(sw), source: COPY_SOURCE }
		);
		// Duplicates pay and change nothing: the copy again, a host again.
		assert_noop!(report(id, sw, LeakSource::Copy), Error::<Test>::LeakAlreadyReported);
		assert_ok!(report(id, sw, feedback(1)));
		assert_noop!(
			report(id, sw, LeakSource::Feedback { host: [1; 32], at: 0 }),
			Error::<Test>::LeakAlreadyReported
		);
		let err = report(id, sw, LeakSource::Copy).unwrap_err();
		assert_eq!(err.post_info.pays_fee, Pays::Yes);
		// A feedback cannot take the copy's key.
		assert_noop!(
			report(id, sw, LeakSource::Feedback { host: COPY_SOURCE, at: 0 }),
			Error::<Test>::BadLeakSource
		);
		// The bound.
		assert_ok!(report(id, sw, feedback(2)));
		assert_eq!(trace(id, sw).leaks, MAX_LEAKS);
		assert_noop!(report(id, sw, feedback(3)), Error::<Test>::TooManyLeakReports);
		// One trace, one alarm.
		assert_eq!(profile(sw).alarms, 1);
	});
}

#[test]
fn a_false_report_changes_nothing_and_pays() {
	test(|| {
		let sw = SWS[0];
		let id = delivered(sw);
		// A token no package carries (here: the commitment itself, not the token).
		assert_noop!(
			Uiv::report_leak(signed(REPORTER), id, traced(sw), LeakSource::Copy),
			Error::<Test>::UntracedToken
		);
		let err = Uiv::report_leak(signed(REPORTER), id, [9; 32], feedback(1)).unwrap_err();
		assert_eq!(err.post_info.pays_fee, Pays::Yes);
		assert_eq!(err.error, Error::<Test>::UntracedToken.into());
		// Another case's token.
		let other = accepted_case();
		assert_noop!(report(other, sw, LeakSource::Copy), Error::<Test>::UntracedToken);
		assert_noop!(report(other + 1, sw, LeakSource::Copy), Error::<Test>::UnknownCase);
		assert_noop!(
			Uiv::report_leak(RuntimeOrigin::none(), id, tracing(sw), LeakSource::Copy),
			sp_runtime::DispatchError::BadOrigin
		);
		assert!(evidence().is_empty());
		// A disclosed case's real report is public anyway; a closed case takes no reports.
		disclose(id);
		assert_noop!(report(id, sw, LeakSource::Copy), Error::<Test>::AlreadyDisclosed);
		assert_ok!(Uiv::close_case(signed(TA), id));
		assert_noop!(report(id, sw, LeakSource::Copy), Error::<Test>::CaseClosed);
	});
}

#[test]
fn a_leak_report_needs_room_in_the_log_outside_the_end_reserve() {
	test(|| {
		let sw = SWS[0];
		let id = delivered(sw);
		let len = case(id).log.len;
		// Only the reserve left (a fake length, put back below).
		Cases::<Test>::mutate(id, |c| {
			c.as_mut().unwrap().log.len = MAX_CASE_LOG - crate::logs::END_RESERVE
		});
		assert_noop!(report(id, sw, LeakSource::Copy), Error::<Test>::CaseLogFull);
		Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().log.len = len);
		assert_ok!(report(id, sw, LeakSource::Copy));
	});
}

// deliver_deferred and reveal_trap

#[test]
fn a_deferred_sw_gets_a_package_as_a_granted_one() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[2];
		defer(id, sw);
		assert_eq!(participant(id, sw), None);
		assert_eq!(LiveAccesses::<Test>::get(sw), 0);
		go_to(2, NOON + BLOCK_MS);
		let len = case(id).log.len;
		let participants = case(id).participants;
		assert_ok!(deliver_deferred(id, sw, true));
		let a = Accesses::<Test>::get(id, sw).unwrap();
		assert_eq!(a.state, AccessState::Delivered);
		assert_eq!(a.tracing_commitment, Some(traced(sw)));
		assert_eq!(a.delivered, Some(endo_uiv::Moment { block: 2, utc_ms: NOON + BLOCK_MS }));
		assert!(a.tokens.is_some());
		assert_eq!(
			participant(id, sw),
			Some(Participant { role: Role::Worker, consent: endo_uiv::Consent::Accepted })
		);
		assert_eq!(case(id).participants, participants + 1);
		assert_eq!(LiveAccesses::<Test>::get(sw), 1);
		assert_eq!(profile(sw).accesses, 1);
		// The same entry and event as a real delivery: the SW cannot tell.
		assert_eq!(case(id).log.len, len + 1);
		let entry = *entries(id).last().unwrap();
		assert_eq!(entry.kind, EntryKind::PackageDelivered { tracing_commitment: traced(sw) });
		assert_eq!(entry.token_commitment, Some([1; 32]));
		assert!(emitted(Event::PackageDelivered {
			case: id,
			worker: sw,
			token_commitment: [1; 32]
		}));
		assert_eq!(
			trace(id, sw),
			Trace {
				worker: sw,
				delivered_at: endo_uiv::Moment { block: 2, utc_ms: NOON + BLOCK_MS },
				trap: TrapFlag::Committed(token::trap_commitment(&traced(sw), true, &SALT)),
				leaks: 0,
				own_leak: false,
				external_leak: false,
			}
		);
		// It ends as any access.
		assert_ok!(Uiv::end_access(signed(TA), id, sw, [2; 32]));
		assert_eq!(LiveAccesses::<Test>::get(sw), 0);
	});
}

#[test]
fn deliver_deferred_errors() {
	test(|| {
		let id = accepted_case();
		assert_ok!(Uiv::request_access(signed(SWS[0]), id));
		set_model(-6);
		assert_ok!(Uiv::request_access(signed(SWS[1]), id));
		defer(id, SWS[2]);
		defer(id, SWS[3]);
		for who in [VENDOR, SWS[2], 2] {
			assert_noop!(
				Uiv::deliver_deferred(signed(who), id, SWS[2], [1; 32], [2; 32], [3; 32]),
				Error::<Test>::NotCaseAuthority
			);
		}
		// Granted (deliver_package is for it), refused, never asked.
		assert_noop!(deliver_deferred(id, SWS[0], true), Error::<Test>::NotDeferred);
		assert_noop!(deliver_deferred(id, SWS[1], true), Error::<Test>::NotDeferred);
		assert_noop!(deliver_deferred(id, SWS[4], true), Error::<Test>::NoAccess);
		assert_noop!(deliver_deferred(id + 1, SWS[2], true), Error::<Test>::UnknownCase);
		// Delivered once: no longer deferred.
		assert_ok!(deliver_deferred(id, SWS[2], false));
		assert_noop!(deliver_deferred(id, SWS[2], false), Error::<Test>::NotDeferred);
		// Each package its own tracing token.
		assert_noop!(
			Uiv::deliver_deferred(signed(TA), id, SWS[3], [1; 32], traced(SWS[2]), [3; 32]),
			Error::<Test>::DuplicateTracing
		);
		// Barred since it was deferred.
		Workers::<Test>::mutate(SWS[3], |w| w.as_mut().unwrap().profile.barred = true);
		assert_noop!(deliver_deferred(id, SWS[3], true), Error::<Test>::Barred);
		Workers::<Test>::mutate(SWS[3], |w| w.as_mut().unwrap().profile.barred = false);
		// Room among the participants.
		Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().participants = MAX_PARTICIPANTS);
		assert_noop!(deliver_deferred(id, SWS[3], true), Error::<Test>::TooManyParticipants);
		Cases::<Test>::mutate(id, |c| {
			c.as_mut().unwrap().participants = Participants::<Test>::iter_prefix(id).count() as u32
		});
	});
}

#[test]
fn a_revealed_trap_that_leaks_bars_the_sw_and_leaves_the_embargo() {
	test(|| {
		let id = accepted_case();
		let other = accepted_case();
		let sw = SWS[2];
		defer(id, sw);
		assert_ok!(deliver_deferred(id, sw, true));
		// Revealed before any leak: only the record.
		let len = case(id).log.len;
		assert_ok!(reveal(id, sw, true));
		assert_eq!(trace(id, sw).trap, TrapFlag::Revealed(true));
		assert_eq!(case(id).log.len, len + 1);
		let entry = *entries(id).last().unwrap();
		assert_eq!(
			entry.kind,
			EntryKind::TrapRevealed { tracing_commitment: traced(sw), trap: true }
		);
		assert_eq!(entry.actor, bytes(TA));
		assert!(emitted(Event::TrapRevealed { case: id, worker: sw, trap: true }));
		assert!(!profile(sw).barred);
		// The trap leaks: the conspirator verdict.
		System::reset_events();
		assert_eq!(report(id, sw, LeakSource::Copy).unwrap().pays_fee, Pays::No);
		assert!(profile(sw).barred);
		assert!(profile(sw).conspirators >= 1);
		assert_eq!(profile(sw).fnn_trust, Some(Perbill::zero()));
		assert!(emitted(Event::WorkerBarred { worker: sw }));
		assert_eq!(
			evidence(),
			vec![(sw, BehaviourEvidence::LeakReported), (sw, BehaviourEvidence::Conspiracy)]
		);
		// A trap's content is false: the case is not marked leaked, the embargo stays.
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert!(!LeakedCases::<Test>::contains_key(id));
		// Another leak: no second verdict, no more alarms, and it pays.
		let alarms = profile(sw).alarms;
		assert_eq!(report(id, sw, feedback(7)).unwrap().pays_fee, Pays::Yes);
		assert_eq!(profile(sw).alarms, alarms);
		assert_eq!(conspiracies(sw), 1);
		assert_eq!(barred_events(), 1);
		assert!(!LeakedCases::<Test>::contains_key(id));
		// Neither the TA nor the vendor may end the embargo early on a trap's leak.
		for who in [TA, VENDOR] {
			assert_noop!(Uiv::exit_embargo(signed(who), id), Error::<Test>::DeadlineNotReached);
		}
		// At its next request, even a trusting model gives it trust 0: refused.
		assert_ok!(Uiv::request_access(signed(sw), other));
		let a = Accesses::<Test>::get(other, sw).unwrap();
		assert_eq!(a.state, AccessState::Refused);
		assert_eq!(a.assessment.trust, Perbill::zero());
	});
}

#[test]
fn a_leak_before_the_reveal_waits_for_it() {
	test(|| {
		let id = accepted_case();
		let (trap_sw, real_sw) = (SWS[2], SWS[3]);
		defer(id, trap_sw);
		defer(id, real_sw);
		assert_ok!(deliver_deferred(id, trap_sw, true));
		assert_ok!(deliver_deferred(id, real_sw, false));
		// Leaks of both, not yet revealed: alarms and evidence only.
		assert_eq!(report(id, trap_sw, feedback(1)).unwrap().pays_fee, Pays::No);
		assert_ok!(report(id, real_sw, feedback(1)));
		assert_eq!(profile(trap_sw).alarms, 1);
		assert_eq!(profile(real_sw).alarms, 1);
		assert!(!profile(trap_sw).barred);
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert_eq!(conspiracies(trap_sw), 0);
		// Not revealed: the case is not marked leaked yet.
		assert!(!LeakedCases::<Test>::contains_key(id));
		// The trap's reveal: the verdict; the case is not marked, the embargo stays.
		assert_ok!(reveal(id, trap_sw, true));
		assert!(profile(trap_sw).barred);
		assert_eq!(profile(trap_sw).alarms, 1);
		assert!(emitted(Event::WorkerBarred { worker: trap_sw }));
		assert_eq!(conspiracies(trap_sw), 1);
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert!(!LeakedCases::<Test>::contains_key(id));
		// The real package's reveal: the leak marks the case, logged by the TA; the embargo
		// stays until its TA or a vendor ends it.
		go_to(2, NOON + BLOCK_MS);
		let len = case(id).log.len;
		assert_ok!(reveal(id, real_sw, false));
		assert!(!profile(real_sw).barred);
		assert_eq!(profile(real_sw).alarms, 1);
		assert_eq!(LeakedCases::<Test>::get(id), Some(2));
		assert_eq!(case(id).embargo, EmbargoState::Active);
		let log = entries(id);
		assert_eq!(log.len() as u32, len + 1);
		assert_eq!(
			log[len as usize].kind,
			EntryKind::TrapRevealed { tracing_commitment: traced(real_sw), trap: false }
		);
		assert_eq!(conspiracies(real_sw), 0);
		assert_ok!(Uiv::exit_embargo(signed(TA), id));
		assert_eq!(case(id).embargo, EmbargoState::Exited);
	});
}

#[test]
fn a_revealed_real_package_that_leaks_marks_the_case() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[2];
		defer(id, sw);
		assert_ok!(deliver_deferred(id, sw, false));
		assert_ok!(reveal(id, sw, false));
		assert!(!LeakedCases::<Test>::contains_key(id));
		assert_eq!(report(id, sw, LeakSource::Copy).unwrap().pays_fee, Pays::No);
		assert!(LeakedCases::<Test>::contains_key(id));
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert!(!profile(sw).barred);
		assert_eq!(profile(sw).alarms, 1);
	});
}

// The leak path out of the embargo

#[test]
fn a_real_leak_lets_the_ta_end_the_embargo_before_the_deadline() {
	test(|| {
		let sw = SWS[0];
		let id = delivered(sw);
		// No leak: before the deadline nobody may end it, the TA and the vendor neither.
		for who in [TA, VENDOR, REPORTER, sw] {
			assert_noop!(Uiv::exit_embargo(signed(who), id), Error::<Test>::DeadlineNotReached);
		}
		// The SW reports its own token as a leaked copy: a true report, but the embargo stays.
		assert_ok!(Uiv::report_leak(signed(sw), id, tracing(sw), LeakSource::Copy));
		assert!(LeakedCases::<Test>::contains_key(id));
		assert_eq!(case(id).embargo, EmbargoState::Active);
		// Neither it, the reporter nor an outsider may use the leak path.
		for who in [sw, REPORTER, SWS[1], OTHER_VENDOR] {
			assert_noop!(Uiv::exit_embargo(signed(who), id), Error::<Test>::DeadlineNotReached);
		}
		// The TA may, logged as any exit.
		go_to(2, NOON + BLOCK_MS);
		let len = case(id).log.len;
		assert_ok!(Uiv::exit_embargo(signed(TA), id));
		assert_eq!(case(id).embargo, EmbargoState::Exited);
		let entry = *entries(id).last().unwrap();
		assert_eq!(case(id).log.len, len + 1);
		assert!(matches!(
			entry.kind,
			EntryKind::EmbargoChanged { from: EmbargoState::Active, to: EmbargoState::Exited, .. }
		));
		assert_eq!(entry.actor, bytes(TA));
		assert!(events().iter().any(|e| matches!(
			e,
			Event::EmbargoChanged { case, state: EmbargoState::Exited, .. } if *case == id
		)));
		assert_noop!(Uiv::exit_embargo(signed(TA), id), Error::<Test>::WrongEmbargoState);
	});
}

#[test]
fn a_real_leak_lets_any_vendor_of_the_case_end_the_embargo() {
	test(|| {
		// The case's vendor.
		let sw = SWS[0];
		let id = delivered(sw);
		assert_ok!(report(id, sw, LeakSource::Copy));
		assert_ok!(Uiv::exit_embargo(signed(VENDOR), id));
		assert_eq!(
			case(id).embargo,
			EmbargoState::Active.exit(endo_uiv::ExitReason::Leaked).unwrap()
		);

		// Another product's vendor of a case with two vendors.
		let id = open(VENDOR, &[(VENDOR, 0), (OTHER_VENDOR, 2)]);
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		assert_ok!(Uiv::consent_embargo(signed(OTHER_VENDOR), id, true));
		assert_eq!(case(id).embargo, EmbargoState::Active);
		let sw = SWS[1];
		assert_ok!(Uiv::invite_worker(signed(VENDOR), id, sw));
		assert_ok!(Uiv::request_access(signed(sw), id));
		assert_ok!(Uiv::deliver_package(signed(TA), id, sw, [1; 32], traced(sw)));
		assert_noop!(
			Uiv::exit_embargo(signed(OTHER_VENDOR), id),
			Error::<Test>::DeadlineNotReached
		);
		assert_ok!(report(id, sw, feedback(1)));
		assert_ok!(Uiv::exit_embargo(signed(OTHER_VENDOR), id));
		assert_eq!(case(id).embargo, EmbargoState::Exited);
	});
}

#[test]
fn reveal_trap_errors() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[2];
		defer(id, sw);
		// Not delivered yet.
		assert_noop!(reveal(id, sw, true), Error::<Test>::NoAccess);
		assert_ok!(deliver_deferred(id, sw, true));
		for who in [VENDOR, sw, 2] {
			assert_noop!(
				Uiv::reveal_trap(signed(who), id, sw, true, SALT),
				Error::<Test>::NotCaseAuthority
			);
		}
		// The wrong salt, the wrong flag.
		assert_noop!(
			Uiv::reveal_trap(signed(TA), id, sw, true, [0; 32]),
			Error::<Test>::BadTrapReveal
		);
		assert_noop!(reveal(id, sw, false), Error::<Test>::BadTrapReveal);
		assert_noop!(reveal(id, SWS[4], true), Error::<Test>::NoAccess);
		assert_noop!(reveal(id + 1, sw, true), Error::<Test>::UnknownCase);
		assert_ok!(reveal(id, sw, true));
		assert_noop!(reveal(id, sw, true), Error::<Test>::AlreadyRevealed);
		// A granted SW's package is real: nothing to reveal.
		assert_ok!(Uiv::request_access(signed(SWS[0]), id));
		assert_ok!(Uiv::deliver_package(signed(TA), id, SWS[0], [1; 32], traced(SWS[0])));
		assert_noop!(reveal(id, SWS[0], false), Error::<Test>::NotDeferred);
	});
}

// After the disclosure

#[test]
fn a_trap_leaked_after_the_disclosure_still_bars_its_sw() {
	test(|| {
		let id = accepted_case();
		let (trap_sw, real_sw, committed_sw) = (SWS[2], SWS[3], SWS[4]);
		defer(id, trap_sw);
		defer(id, real_sw);
		defer(id, committed_sw);
		assert_ok!(deliver_deferred(id, trap_sw, true));
		assert_ok!(deliver_deferred(id, real_sw, false));
		assert_ok!(deliver_deferred(id, committed_sw, true));
		assert_ok!(reveal(id, trap_sw, true));
		assert_ok!(reveal(id, real_sw, false));
		disclose(id);
		// The real report is public: its leak proves nothing more.
		assert_noop!(report(id, real_sw, LeakSource::Copy), Error::<Test>::AlreadyDisclosed);
		// A revealed trap's leak is the verdict, free.
		assert_eq!(report(id, trap_sw, LeakSource::Copy).unwrap().pays_fee, Pays::No);
		assert!(profile(trap_sw).barred);
		assert_eq!(conspiracies(trap_sw), 1);
		// A delivery not yet revealed may be a trap: taken, and the reveal (after the
		// disclosure) applies the verdict.
		assert_eq!(report(id, committed_sw, feedback(3)).unwrap().pays_fee, Pays::No);
		assert_eq!(profile(committed_sw).alarms, 1);
		assert!(!profile(committed_sw).barred);
		assert_ok!(reveal(id, committed_sw, true));
		assert!(profile(committed_sw).barred);
		assert!(!LeakedCases::<Test>::contains_key(id));
		// Closed: no more.
		assert_ok!(Uiv::close_case(signed(TA), id));
		assert_noop!(report(id, trap_sw, feedback(9)), Error::<Test>::CaseClosed);
	});
}

#[test]
fn a_reveal_may_use_the_end_reserve_of_the_log() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[2];
		defer(id, sw);
		defer(id, SWS[3]);
		assert_ok!(deliver_deferred(id, sw, true));
		assert_ok!(deliver_deferred(id, SWS[3], true));
		assert_ok!(report(id, sw, LeakSource::Copy));
		let len = case(id).log.len;
		// Only the reserve left (a fake length, put back below).
		Cases::<Test>::mutate(id, |c| {
			c.as_mut().unwrap().log.len = MAX_CASE_LOG - crate::logs::END_RESERVE
		});
		// Other calls are refused, the reveal is not.
		assert_noop!(report(id, sw, feedback(1)), Error::<Test>::CaseLogFull);
		Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().log.len = len);
		let truncated = MAX_CASE_LOG - crate::logs::END_RESERVE;
		// Fill the real log up to the reserve with entries of the case (the vendor's range
		// changes), so that the chain stays valid.
		while case(id).log.len < truncated {
			assert_ok!(Uiv::set_product_ranges(signed(VENDOR), id, 0, ranges()));
		}
		assert_noop!(
			Uiv::set_product_ranges(signed(VENDOR), id, 0, ranges()),
			Error::<Test>::CaseLogFull
		);
		assert_ok!(reveal(id, sw, true));
		assert!(profile(sw).barred);
		assert_eq!(case(id).log.len, truncated + 1);
		// A full log refuses it too.
		Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().log.len = MAX_CASE_LOG);
		assert_noop!(reveal(id, SWS[3], true), Error::<Test>::CaseLogFull);
		Cases::<Test>::mutate(id, |c| c.as_mut().unwrap().log.len = truncated + 1);
	});
}

// An SW that left before its leak was found

/// `sw` ends its access to case `id` and leaves in the next cycle.
fn leave(id: CaseId, sw: AccountId) {
	assert_ok!(Uiv::end_access(signed(TA), id, sw, [2; 32]));
	let next = System::block_number() + u64::from(CYCLE);
	go_to(next, NOON + next * BLOCK_MS);
	assert_ok!(Uiv::deregister_worker(signed(sw)));
	assert!(!Workers::<Test>::contains_key(sw));
}

#[test]
fn an_sw_that_left_before_its_leak_comes_back_with_the_alarm() {
	test(|| {
		let sw = SWS[0];
		let id = delivered(sw);
		leave(id, sw);
		// Its leak is found: the record, and the ledger's evidence.
		assert_eq!(report(id, sw, LeakSource::Copy).unwrap().pays_fee, Pays::No);
		assert_eq!(
			DepartedRecords::<Test>::get(sw),
			Some(DepartedRecord { alarms: 1, conspirators: 1, barred: false })
		);
		assert_eq!(evidence().last(), Some(&(sw, BehaviourEvidence::LeakReported)));
		assert!(LeakedCases::<Test>::contains_key(id));
		// Later sightings: nothing more.
		assert_ok!(report(id, sw, feedback(1)));
		assert_eq!(DepartedRecords::<Test>::get(sw).unwrap().alarms, 1);
		// It registers again: not a fresh profile.
		assert_ok!(Uiv::register_worker(signed(sw)));
		assert_eq!(DepartedRecords::<Test>::get(sw), None);
		let p = profile(sw);
		assert_eq!((p.alarms, p.conspirators, p.barred), (1, 1, false));
		assert!(p.evidence.bad_units() > 0);
		let config = <Test as Config>::AccessConfig::get();
		assert!(p.beta_trust(&config) < endo_uiv::access::SwProfile::default().beta_trust(&config));
		// And so it cannot leave again to clean it.
		let next = System::block_number() + u64::from(CYCLE);
		go_to(next, NOON + next * BLOCK_MS);
		assert_noop!(Uiv::deregister_worker(signed(sw)), Error::<Test>::AdverseRecord);
	});
}

#[test]
fn an_sw_that_left_before_its_trap_leaked_is_barred_for_good() {
	test(|| {
		// The leak first, then the reveal.
		let id = accepted_case();
		let sw = SWS[2];
		defer(id, sw);
		assert_ok!(deliver_deferred(id, sw, true));
		leave(id, sw);
		assert_ok!(report(id, sw, feedback(1)));
		assert_eq!(
			DepartedRecords::<Test>::get(sw),
			Some(DepartedRecord { alarms: 1, conspirators: 1, barred: false })
		);
		assert_ok!(reveal(id, sw, true));
		assert_eq!(
			DepartedRecords::<Test>::get(sw),
			Some(DepartedRecord { alarms: 1, conspirators: 1, barred: true })
		);
		assert!(emitted(Event::WorkerBarred { worker: sw }));
		assert_eq!(conspiracies(sw), 1);
		assert!(!LeakedCases::<Test>::contains_key(id));
		assert_noop!(Uiv::register_worker(signed(sw)), Error::<Test>::Barred);

		// The reveal first, then the leak, after the SW left.
		let sw = SWS[3];
		defer(id, sw);
		assert_ok!(deliver_deferred(id, sw, true));
		assert_ok!(reveal(id, sw, true));
		leave(id, sw);
		assert_eq!(report(id, sw, LeakSource::Copy).unwrap().pays_fee, Pays::No);
		assert_eq!(
			DepartedRecords::<Test>::get(sw),
			Some(DepartedRecord { alarms: 1, conspirators: 1, barred: true })
		);
		assert_eq!(conspiracies(sw), 1);
		assert_noop!(Uiv::register_worker(signed(sw)), Error::<Test>::Barred);
		// A later sighting: no second verdict.
		assert_ok!(report(id, sw, feedback(2)));
		assert_eq!(conspiracies(sw), 1);
		assert_eq!(barred_events(), 2);
	});
}

// Retention

#[test]
fn a_purge_removes_traces_and_sightings() {
	test(|| {
		let sw = SWS[0];
		let id = delivered(sw);
		assert_ok!(report(id, sw, LeakSource::Copy));
		assert_ok!(report(id, sw, feedback(1)));
		let kept = delivered(SWS[1]);
		assert_ok!(report(kept, SWS[1], LeakSource::Copy));
		assert!(LeakedCases::<Test>::contains_key(id) && LeakedCases::<Test>::contains_key(kept));
		go_to(2, NOON + BLOCK_MS);
		disclose_and_close(id);
		go_to(2 + RETENTION, NOON + 2 * BLOCK_MS);
		while Cases::<Test>::contains_key(id) {
			assert_ok!(Uiv::purge_case(signed(SWS[5]), id, MAX_PURGE));
			Uiv::do_try_state().expect("invariants hold while a case is purged");
		}
		assert_eq!(Traces::<Test>::iter_prefix(id).count(), 0);
		assert_eq!(LeakSightings::<Test>::iter_prefix((id,)).count(), 0);
		assert!(!LeakedCases::<Test>::contains_key(id));
		// The other case keeps its own.
		assert_eq!(trace(kept, SWS[1]).leaks, 1);
		assert_eq!(LeakSightings::<Test>::iter_prefix((kept,)).count(), 1);
		assert!(LeakedCases::<Test>::contains_key(kept));
	});
}

// A slip on the SW's own host

#[test]
fn the_sws_own_feedback_is_a_slip_not_a_conspirator() {
	test(|| {
		let sw = SWS[0];
		let id = delivered(sw);
		// The self-check's feedback, signed by the SW itself (only its key opens the header):
		// its own machine. An alarm and the evidence; no conspirator, no leak mark; free.
		let info = Uiv::report_leak(signed(sw), id, tracing(sw), feedback(0x42)).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		let profile = Workers::<Test>::get(sw).unwrap().profile;
		assert_eq!((profile.alarms, profile.conspirators), (1, 0));
		assert!(!LeakedCases::<Test>::contains_key(id));
		let t = trace(id, sw);
		assert!(t.own_leak && !t.external_leak);
		// A second own sighting (another machine of its own) changes nothing and pays.
		let info = Uiv::report_leak(signed(sw), id, tracing(sw), feedback(0x43)).unwrap();
		assert_eq!(info.pays_fee, Pays::Yes);
		assert_eq!(Workers::<Test>::get(sw).unwrap().profile.alarms, 1);
		// The same feedback from someone else is external: the content left the SW.
		let info = Uiv::report_leak(signed(REPORTER), id, tracing(sw), feedback(0x44)).unwrap();
		assert_eq!(info.pays_fee, Pays::No);
		let profile = Workers::<Test>::get(sw).unwrap().profile;
		assert_eq!((profile.alarms, profile.conspirators), (2, 1));
		assert!(LeakedCases::<Test>::contains_key(id));
		assert!(trace(id, sw).external_leak);
		Uiv::do_try_state().unwrap();
	});
}

#[test]
fn a_trap_opened_on_the_sws_own_machine_springs_no_verdict() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[2];
		defer(id, sw);
		assert_ok!(deliver_deferred(id, sw, true));
		// A semi-honest slip: the SW opens its (trap) package on a machine of its own, and its
		// own tool reports it, signed with its key.
		assert_ok!(Uiv::report_leak(signed(sw), id, tracing(sw), feedback(0x42)));
		// The reveal finds no external leak: no verdict.
		assert_ok!(reveal(id, sw, true));
		assert!(!profile(sw).barred);
		assert_eq!((profile(sw).alarms, profile(sw).conspirators), (1, 0));
		assert_eq!(barred_events(), 0);
		// An external sighting of the trap is the verdict.
		assert_eq!(report(id, sw, LeakSource::Copy).unwrap().pays_fee, Pays::No);
		assert!(profile(sw).barred);
		assert_eq!(barred_events(), 1);
		Uiv::do_try_state().unwrap();
	});
}
