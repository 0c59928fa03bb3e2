//! The leak guard: the trace index, `report_leak` (feedback and copies, free when true,
//! deduplicated and bounded), `deliver_deferred` and `reveal_trap` (Algorithm 3's trap, in both
//! orders with a leak), and purging a case's traces and sightings.

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

fn barred_events() -> usize {
	events().iter().filter(|e| matches!(e, Event::WorkerBarred { .. })).count()
}

// report_leak

#[test]
fn a_true_feedback_report_names_the_sw_is_free_and_exits_the_embargo() {
	test(|| {
		let sw = SWS[0];
		let id = delivered(sw);
		assert_eq!(case(id).embargo, EmbargoState::Active);
		go_to(2, NOON + BLOCK_MS);
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
		assert_eq!(evidence().last(), Some(&(sw, BehaviourEvidence::LeakReported)));
		assert!(emitted(Event::LeakReported {
			case: id,
			worker: sw,
			reporter: REPORTER,
			source: feedback(0xb1),
		}));
		// Logged by the reporter; the real report leaked: the embargo ends.
		let log = entries(id);
		assert_eq!(log.len() as u32, len + 2);
		assert_eq!(
			log[len as usize].kind,
			EntryKind::LeakReported { tracing_commitment: traced(sw), source: [0xb1; 32] }
		);
		assert_eq!(log[len as usize].actor, bytes(REPORTER));
		assert!(matches!(
			log[len as usize + 1].kind,
			EntryKind::EmbargoChanged { from: EmbargoState::Active, to: EmbargoState::Exited, .. }
		));
		assert_eq!(case(id).embargo, EmbargoState::Exited);
		assert!(events().iter().any(|e| matches!(
			e,
			Event::EmbargoChanged { case, state: EmbargoState::Exited, .. } if *case == id
		)));
		// Another host: another conspirator; the embargo is already over.
		let len = case(id).log.len;
		assert_eq!(report(id, sw, feedback(0xb2)).unwrap().pays_fee, Pays::No);
		assert_eq!(trace(id, sw).leaks, 2);
		assert_eq!(profile(sw).alarms, 2);
		assert_eq!(profile(sw).conspirators, 2);
		assert_eq!(case(id).log.len, len + 1);
		assert_eq!(conspiracies(sw), 0);
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
		assert_eq!(case(id).embargo, EmbargoState::Exited);
		assert_eq!(
			entries(id).iter().rev().nth(1).unwrap().kind,
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
		assert_eq!(profile(sw).alarms, MAX_LEAKS);
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
		// A disclosed case's report is public anyway.
		disclose_and_close(id);
		assert_noop!(report(id, sw, LeakSource::Copy), Error::<Test>::AlreadyDisclosed);
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
		// A trap's content is false: the embargo stays.
		assert_eq!(case(id).embargo, EmbargoState::Active);
		// Another leak: no second verdict.
		assert_ok!(report(id, sw, feedback(7)));
		assert_eq!(conspiracies(sw), 1);
		assert_eq!(barred_events(), 1);
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
		// The trap's reveal: the verdict, the embargo stays.
		assert_ok!(reveal(id, trap_sw, true));
		assert!(profile(trap_sw).barred);
		assert!(emitted(Event::WorkerBarred { worker: trap_sw }));
		assert_eq!(conspiracies(trap_sw), 1);
		assert_eq!(case(id).embargo, EmbargoState::Active);
		// The real package's reveal: the leak ends the embargo, logged by the TA.
		let len = case(id).log.len;
		assert_ok!(reveal(id, real_sw, false));
		assert!(!profile(real_sw).barred);
		assert_eq!(case(id).embargo, EmbargoState::Exited);
		let log = entries(id);
		assert_eq!(log.len() as u32, len + 2);
		assert_eq!(
			log[len as usize].kind,
			EntryKind::TrapRevealed { tracing_commitment: traced(real_sw), trap: false }
		);
		assert!(matches!(
			log[len as usize + 1].kind,
			EntryKind::EmbargoChanged { to: EmbargoState::Exited, .. }
		));
		assert_eq!(log[len as usize + 1].actor, bytes(TA));
		assert_eq!(conspiracies(real_sw), 0);
	});
}

#[test]
fn a_revealed_real_package_that_leaks_exits_the_embargo() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[2];
		defer(id, sw);
		assert_ok!(deliver_deferred(id, sw, false));
		assert_ok!(reveal(id, sw, false));
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert_ok!(report(id, sw, LeakSource::Copy));
		assert_eq!(case(id).embargo, EmbargoState::Exited);
		assert!(!profile(sw).barred);
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
		go_to(2, NOON + BLOCK_MS);
		disclose_and_close(id);
		go_to(2 + RETENTION, NOON + 2 * BLOCK_MS);
		while Cases::<Test>::contains_key(id) {
			assert_ok!(Uiv::purge_case(signed(SWS[5]), id, MAX_PURGE));
			Uiv::do_try_state().expect("invariants hold while a case is purged");
		}
		assert_eq!(Traces::<Test>::iter_prefix(id).count(), 0);
		assert_eq!(LeakSightings::<Test>::iter_prefix((id,)).count(), 0);
		// The other case keeps its own.
		assert_eq!(trace(kept, SWS[1]).leaks, 1);
		assert_eq!(LeakSightings::<Test>::iter_prefix((kept,)).count(), 1);
	});
}
