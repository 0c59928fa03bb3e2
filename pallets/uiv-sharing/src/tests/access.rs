//! Trust-gated access: `request_access` (R1-R3, the conspirator verdict, bounds, features),
//! `deliver_package`, `end_access`, `accept_contribution`.

use super::*;
use codec::Encode;
use endo_trust::{Activation, Layer, TrustModel, Q32};
use endo_uiv::{
	access::index,
	log::{Decision, TrustSnapshot},
	token::TokenHistory,
	Consent, ProductStatus, ReportState,
};
use frame_support::assert_noop;
use sp_runtime::Perbill;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn request(sw: AccountId, id: CaseId) -> DispatchResult {
	Uiv::request_access(signed(sw), id)
}

fn access(id: CaseId, sw: AccountId) -> crate::types::Access {
	Accesses::<Test>::get(id, sw).unwrap()
}

fn profile(sw: AccountId) -> endo_uiv::access::SwProfile {
	Workers::<Test>::get(sw).unwrap().profile
}

/// The tracing commitment of `sw`'s package in the tests: one per SW (each package of a case
/// has its own).
fn tracing_of(sw: AccountId) -> Hash {
	let mut commitment = [0x7a; 32];
	commitment[0] = sw as u8;
	commitment
}

fn deliver(id: CaseId, sw: AccountId, token: Hash) -> DispatchResult {
	Uiv::deliver_package(signed(TA), id, sw, token, tracing_of(sw))
}

/// A model whose output is `sigmoid(k * collaborators + b)`.
fn collaborators_model(k: i32, b: i32) -> Vec<u8> {
	let mut weights = vec![Q32::ZERO; endo_trust::FEATURE_COUNT];
	weights[index::COLLABORATORS] = Q32::from_int(k);
	let layer = Layer::new(11, 1, Activation::Sigmoid, weights, vec![Q32::from_int(b)]).unwrap();
	TrustModel::new(vec![], vec![layer]).unwrap().encode()
}

/// Starts block `n`, `minutes` after noon.
fn go_to_minute(n: u64, minutes: u64) {
	go_to(n, NOON + minutes * 60_000);
}

/// A cycle later: block `1 + CYCLE * cycles`, at noon.
fn next_cycles(cycles: u64) {
	go_to(1 + u64::from(CYCLE) * cycles, NOON);
}

// invite_worker

#[test]
fn a_vendor_invites_an_sw() {
	test(|| {
		let id = open(VENDOR, &[(VENDOR, 0), (OTHER_VENDOR, 2)]);
		assert_eq!(case(id).invited, 0);
		let len = case(id).log.len;
		let sw = SWS[5];
		assert_ok!(Uiv::invite_worker(signed(VENDOR), id, sw));
		assert!(Invited::<Test>::contains_key(id, sw));
		assert_eq!(case(id).invited, 1);
		assert!(emitted(Event::WorkerInvited { case: id, worker: sw }));
		assert_eq!(case(id).log.len, len + 1);
		let entry = *entries(id).last().unwrap();
		assert_eq!(entry.seq, len);
		assert_eq!(entry.kind, EntryKind::WorkerInvited { sw: bytes(sw) });
		assert_eq!(entry.actor, bytes(VENDOR));
		assert!(emitted(Event::Logged {
			case: id,
			seq: len,
			leaf: endo_uiv::log::leaf_hash(&entry)
		}));
		// The case's other vendor invites too; an invitation is no participation.
		assert_ok!(Uiv::invite_worker(signed(OTHER_VENDOR), id, SWS[4]));
		assert_eq!(case(id).invited, 2);
		assert_eq!(entries(id).last().unwrap().actor, bytes(OTHER_VENDOR));
		assert_eq!(participant(id, sw), None);
		assert_eq!(case(id).participants, 3);
		// Once the case is accepted, the invited SW asks and trust decides.
		assert_ok!(Uiv::consent_embargo(signed(OTHER_VENDOR), id, true));
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		assert_ok!(request(sw, id));
		assert_eq!(access(id, sw).state, AccessState::Granted);
		assert_noop!(request(SWS[0], id), Error::<Test>::NotInvited);
	});
}

#[test]
fn invite_worker_errors() {
	test(|| {
		let id = open(REPORTERS[0], &[(VENDOR, 0)]);
		let invite = |who, sw| Uiv::invite_worker(signed(who), id, sw);
		assert_noop!(
			Uiv::invite_worker(RuntimeOrigin::none(), id, SWS[0]),
			sp_runtime::DispatchError::BadOrigin
		);
		assert_noop!(Uiv::invite_worker(signed(VENDOR), 9, SWS[0]), Error::<Test>::UnknownCase);
		// The case's vendors only: not its reporter, its TA, another vendor or an SW.
		for who in [REPORTERS[0], TA, OTHER_VENDOR, SWS[0], 40] {
			assert_noop!(invite(who, SWS[1]), Error::<Test>::NotProductVendor);
		}
		// Registered SWs only.
		for who in [40, VENDOR, REPORTERS[0]] {
			assert_noop!(invite(VENDOR, who), Error::<Test>::NotWorker);
		}
		assert_ok!(invite(VENDOR, SWS[0]));
		assert_noop!(invite(VENDOR, SWS[0]), Error::<Test>::AlreadyInvited);
		for sw in &SWS[1..MAX_REQUESTERS as usize] {
			assert_ok!(invite(VENDOR, *sw));
		}
		assert_eq!(case(id).invited, MAX_REQUESTERS);
		assert_eq!(Invited::<Test>::iter_prefix(id).count(), MAX_REQUESTERS as usize);
		assert_noop!(invite(VENDOR, SWS[5]), Error::<Test>::TooManyInvitations);
		// Another case has its own invitations.
		let other = vendor_case();
		assert_ok!(Uiv::invite_worker(signed(VENDOR), other, SWS[5]));
		assert_eq!(case(other).invited, 1);
		// Once disclosed, nothing more to invite to; once closed, nothing at all.
		let disclosed = accepted_case();
		assert_ok!(Uiv::set_product_status(
			signed(VENDOR),
			disclosed,
			0,
			ProductStatus::NotAffected
		));
		assert_ok!(Uiv::disclose(signed(TA), disclosed, [3; 32], uri("https://x")));
		assert_noop!(
			Uiv::invite_worker(signed(VENDOR), disclosed, SWS[5]),
			Error::<Test>::AlreadyDisclosed
		);
		assert_ok!(Uiv::close_case(signed(VENDOR), disclosed));
		assert_noop!(
			Uiv::invite_worker(signed(VENDOR), disclosed, SWS[5]),
			Error::<Test>::CaseClosed
		);
	});
}

#[test]
fn an_uninvited_sw_cannot_ask() {
	test(|| {
		let id = accepted_case();
		let other = accepted_case();
		let sw = SWS[5];
		assert!(!Invited::<Test>::contains_key(id, sw));
		assert_noop!(request(sw, id), Error::<Test>::NotInvited);
		// An invitation to one case is not one to another.
		let third = vendor_case();
		assert_ok!(Uiv::assess_case(signed(TA), third, true));
		assert_ok!(Uiv::accept_case(signed(VENDOR), third));
		assert_ok!(Uiv::invite_worker(signed(VENDOR), third, sw));
		assert_ok!(request(sw, third));
		assert_noop!(request(sw, id), Error::<Test>::NotInvited);
		assert_noop!(request(sw, other), Error::<Test>::NotInvited);
		// Nothing was recorded for the refused requests.
		assert_eq!(Accesses::<Test>::get(id, sw), None);
		assert_eq!(case(id).requesters, 0);
		assert_eq!(profile(sw).requests_in_cycle, 1);
	});
}

// request_access: R1-R3

#[test]
fn a_trusted_sw_is_granted_and_joins_the_case() {
	test(|| {
		let id = accepted_case();
		let len = case(id).log.len;
		let sw = SWS[0];
		assert_ok!(request(sw, id));
		let a = access(id, sw);
		assert_eq!(a.state, AccessState::Granted);
		assert!(a.assessment.trust >= Perbill::from_percent(80));
		assert_eq!(a.assessment.beta, Perbill::from_percent(50));
		assert_eq!((a.cycle, a.requested), (0, endo_uiv::Moment { block: 1, utc_ms: NOON }));
		assert_eq!(
			(a.delivered, a.tokens, a.tracing_commitment, a.contributed),
			(None, None, None, false)
		);
		assert_eq!(
			participant(id, sw),
			Some(Participant { role: Role::Worker, consent: Consent::Accepted })
		);
		let c = case(id);
		assert_eq!(c.participants, 3);
		assert_eq!(c.requesters, 1);
		assert_eq!(Requesters::<Test>::get(id).into_inner(), vec![(sw, 0)]);
		assert_eq!(c.this_cycle, CycleRequests { cycle: 0, requesters: 1, trust_sum: 500_000_000 });
		let p = profile(sw);
		assert_eq!((p.requests_in_cycle, p.accesses, p.recent_requests), (1, 1, 1));
		assert_eq!(p.recent_cases.into_inner(), vec![id]);
		assert_eq!(p.off_hours, 0);
		assert!(!p.barred);
		// Two log entries: the request (by the SW) and the decision (by the TA).
		assert_eq!(c.log.len, len + 2);
		let log = entries(id);
		let (asked, decided) = (log[len as usize], log[len as usize + 1]);
		let request_hash = sp_io::hashing::sha2_256(
			&[
				&[crate::access::REQUEST_TAG.len() as u8][..],
				crate::access::REQUEST_TAG,
				&(id, sw, endo_uiv::Moment { block: 1, utc_ms: NOON }, 1u32).encode(),
			]
			.concat(),
		);
		assert_eq!(asked.kind, EntryKind::AccessRequested { request: request_hash });
		assert_eq!(asked.actor, bytes(sw));
		assert_eq!(decided.kind, EntryKind::AccessDecided);
		assert_eq!(decided.actor, bytes(TA));
		assert_eq!(decided.decision, Some(Decision::Granted));
		let snapshot = TrustSnapshot {
			value_ppb: a.assessment.trust.deconstruct(),
			successes: 0,
			failures: 0,
			model_version: TrustModelVersion::<Test>::get(),
		};
		assert_eq!(snapshot.model_version, 1);
		assert_eq!((asked.trust, decided.trust), (snapshot, snapshot));
		assert!(emitted(Event::AccessDecided {
			case: id,
			worker: sw,
			state: AccessState::Granted,
			trust: a.assessment.trust,
		}));
	});
}

#[test]
fn the_snapshot_names_the_model_version() {
	test(|| {
		let id = accepted_case();
		set_model(6);
		set_model(6);
		assert_ok!(request(SWS[0], id));
		assert_eq!(TrustModelVersion::<Test>::get(), 3);
		assert_eq!(entries(id).last().unwrap().trust.model_version, 3);
	});
}

#[test]
fn a_distrusted_sw_is_refused() {
	test(|| {
		let id = accepted_case();
		set_model(-6);
		let sw = SWS[1];
		assert_ok!(request(sw, id));
		let a = access(id, sw);
		assert_eq!(a.state, AccessState::Refused);
		assert!(a.assessment.trust <= Perbill::from_percent(20));
		assert!(!a.assessment.trust.is_zero());
		assert_eq!(participant(id, sw), None);
		assert_eq!(case(id).participants, 2);
		// A requester all the same.
		assert_eq!(case(id).requesters, 1);
		assert_eq!(profile(sw).accesses, 0);
		assert!(!profile(sw).barred);
		assert_eq!(entries(id).last().unwrap().decision, Some(Decision::Denied));
		assert!(emitted(Event::AccessDecided {
			case: id,
			worker: sw,
			state: AccessState::Refused,
			trust: a.assessment.trust,
		}));
		assert!(!events().iter().any(|e| matches!(e, Event::WorkerBarred { .. })));
	});
}

#[test]
fn a_semi_honest_sw_is_deferred() {
	test(|| {
		let id = accepted_case();
		set_model(0);
		assert_ok!(request(SWS[2], id));
		let a = access(id, SWS[2]);
		assert_eq!(a.state, AccessState::Deferred);
		assert!(a.assessment.trust > Perbill::from_percent(20));
		assert!(a.assessment.trust < Perbill::from_percent(80));
		assert_eq!(participant(id, SWS[2]), None);
		assert_eq!(entries(id).last().unwrap().decision, Some(Decision::Probation));
		assert!(evidence().is_empty());
	});
}

#[test]
fn one_decision_per_case_and_cycle() {
	test(|| {
		let id = accepted_case();
		set_model(-6);
		let sw = SWS[0];
		assert_ok!(request(sw, id));
		assert_noop!(request(sw, id), Error::<Test>::AlreadyDecided);
		// The last block of cycle 0.
		go_to(u64::from(CYCLE) - 1, NOON + 60_000);
		assert_noop!(request(sw, id), Error::<Test>::AlreadyDecided);
		next_cycles(1);
		assert_ok!(request(sw, id));
		let a = access(id, sw);
		assert_eq!(a.state, AccessState::Refused);
		assert_eq!(a.cycle, 1);
		assert_eq!(a.requested.block, 1 + CYCLE);
		let p = profile(sw);
		assert_eq!((p.cycle, p.requests_in_cycle, p.recent_requests), (1, 1, 2));
		// Still one requester, now of cycle 1.
		assert_eq!(Requesters::<Test>::get(id).into_inner(), vec![(sw, 1)]);
		assert_eq!(case(id).requesters, 1);
		assert_eq!(
			case(id).this_cycle,
			CycleRequests { cycle: 1, requesters: 1, trust_sum: 500_000_000 }
		);
		// A deferral is decided once per cycle too.
		set_model(0);
		assert_ok!(request(SWS[1], id));
		assert_eq!(access(id, SWS[1]).state, AccessState::Deferred);
		assert_noop!(request(SWS[1], id), Error::<Test>::AlreadyDecided);
	});
}

#[test]
fn a_granted_access_is_not_asked_again() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[0];
		assert_ok!(request(sw, id));
		assert_noop!(request(sw, id), Error::<Test>::AlreadyGranted);
		next_cycles(1);
		assert_noop!(request(sw, id), Error::<Test>::AlreadyGranted);
		assert_ok!(deliver(id, sw, [1; 32]));
		assert_noop!(request(sw, id), Error::<Test>::AlreadyGranted);
		assert_ok!(Uiv::end_access(signed(TA), id, sw, [2; 32]));
		assert_noop!(request(sw, id), Error::<Test>::AccessUsed);
	});
}

#[test]
fn request_access_errors() {
	test(|| {
		let received = vendor_case();
		assert_noop!(request(40, received), Error::<Test>::NotWorker);
		assert_noop!(request(VENDOR, received), Error::<Test>::NotWorker);
		assert_noop!(request(SWS[0], 77), Error::<Test>::UnknownCase);
		// The invitation is checked before the report's state.
		assert_noop!(request(SWS[0], received), Error::<Test>::NotInvited);
		assert_ok!(Uiv::invite_worker(signed(VENDOR), received, SWS[0]));
		assert_noop!(request(SWS[0], received), Error::<Test>::WrongReportState);
		assert_ok!(Uiv::assess_case(signed(TA), received, true));
		assert_noop!(request(SWS[0], received), Error::<Test>::WrongReportState);
		let invalid = vendor_case();
		assert_ok!(Uiv::assess_case(signed(TA), invalid, false));
		assert_noop!(request(SWS[0], invalid), Error::<Test>::NotInvited);
		assert_ok!(Uiv::invite_worker(signed(VENDOR), invalid, SWS[0]));
		assert_noop!(request(SWS[0], invalid), Error::<Test>::WrongReportState);
		// Once disclosed, the case is public: nothing to ask for.
		let id = accepted_case();
		assert_ok!(Uiv::set_product_status(signed(VENDOR), id, 0, ProductStatus::NotAffected));
		assert_ok!(Uiv::disclose(signed(TA), id, [3; 32], uri("https://x")));
		assert_eq!(case(id).report, ReportState::Accepted);
		assert_noop!(request(SWS[0], id), Error::<Test>::AlreadyDisclosed);
	});
}

#[test]
fn an_sw_makes_at_most_max_requests_per_cycle() {
	test(|| {
		let cases: Vec<CaseId> = (0..=MAX_REQUESTS).map(|_| accepted_case()).collect();
		let sw = SWS[0];
		for id in &cases[..MAX_REQUESTS as usize] {
			assert_ok!(request(sw, *id));
		}
		assert_eq!(profile(sw).requests_in_cycle, MAX_REQUESTS);
		let last = cases[MAX_REQUESTS as usize];
		assert_noop!(request(sw, last), Error::<Test>::TooManyRequests);
		// Other SWs are not affected.
		assert_ok!(request(SWS[1], last));
		next_cycles(1);
		assert_ok!(request(sw, last));
		assert_eq!(profile(sw).requests_in_cycle, 1);
		assert_eq!(profile(sw).accesses, MAX_REQUESTS + 1);
		// The last RECENT_CASES cases, oldest first.
		assert_eq!(profile(sw).recent_cases.into_inner(), cases);
	});
}

#[test]
fn a_case_has_at_most_max_requesters() {
	test(|| {
		let id = accepted_case();
		set_model(-6);
		for sw in &SWS[..MAX_REQUESTERS as usize] {
			assert_ok!(request(*sw, id));
		}
		assert_eq!(case(id).requesters, MAX_REQUESTERS);
		let sixth = SWS[MAX_REQUESTERS as usize];
		// The sixth is not invited, and cannot be: the invitations are full.
		assert_noop!(request(sixth, id), Error::<Test>::NotInvited);
		assert_noop!(
			Uiv::invite_worker(signed(VENDOR), id, sixth),
			Error::<Test>::TooManyInvitations
		);
		// Those who asked may ask again in the next cycle; the sixth still may not.
		next_cycles(1);
		assert_ok!(request(SWS[0], id));
		assert_noop!(request(sixth, id), Error::<Test>::NotInvited);
		assert_eq!(Requesters::<Test>::decode_len(id), Some(MAX_REQUESTERS as usize));
	});
}

#[test]
fn a_grant_needs_room_among_the_participants() {
	test(|| {
		let id = accepted_case();
		// The vendor and the TA, then four SWs: six.
		for sw in &SWS[..4] {
			assert_ok!(request(*sw, id));
		}
		assert_eq!(case(id).participants, MAX_PARTICIPANTS);
		assert_noop!(request(SWS[4], id), Error::<Test>::TooManyParticipants);
		// A refusal needs no room.
		set_model(-6);
		assert_ok!(request(SWS[4], id));
		assert_eq!(access(id, SWS[4]).state, AccessState::Refused);
	});
}

#[test]
fn no_trust_model_no_decision() {
	test(|| {
		let id = accepted_case();
		TrustModelBlob::<Test>::kill();
		assert_noop!(request(SWS[0], id), Error::<Test>::NoTrustModel);
		// A stored blob that no longer decodes is refused as well.
		TrustModelBlob::<Test>::put(BoundedVec::try_from(vec![1u8, 2, 3]).unwrap());
		assert_noop!(request(SWS[0], id), Error::<Test>::BadTrustModel);
		set_model(6);
		assert_ok!(request(SWS[0], id));
	});
}

#[test]
fn a_semi_honest_sw_with_conspirators_is_barred_for_good() {
	test(|| {
		let id = accepted_case();
		let other = accepted_case();
		let sw = SWS[3];
		Workers::<Test>::mutate(sw, |w| w.as_mut().unwrap().profile.conspirators = 1);
		set_model(0);
		assert_ok!(request(sw, id));
		let a = access(id, sw);
		assert_eq!(a.state, AccessState::Refused);
		assert_eq!(a.assessment.trust, Perbill::zero());
		assert!(profile(sw).barred);
		assert!(emitted(Event::WorkerBarred { worker: sw }));
		assert!(emitted(Event::AccessDecided {
			case: id,
			worker: sw,
			state: AccessState::Refused,
			trust: Perbill::zero(),
		}));
		assert_eq!(evidence(), vec![(sw, BehaviourEvidence::Conspiracy)]);
		let decided = *entries(id).last().unwrap();
		assert_eq!(decided.decision, Some(Decision::Denied));
		assert_eq!(decided.trust.value_ppb, 0);
		// Even a trusting model refuses it from now on, without a second verdict.
		set_model(6);
		System::reset_events();
		assert_ok!(request(sw, other));
		assert_eq!(access(other, sw).state, AccessState::Refused);
		assert_eq!(access(other, sw).assessment.trust, Perbill::zero());
		next_cycles(1);
		assert_ok!(request(sw, id));
		assert_eq!(access(id, sw).state, AccessState::Refused);
		assert!(!events().iter().any(|e| matches!(e, Event::WorkerBarred { .. })));
		assert_eq!(evidence().len(), 1);
	});
}

#[test]
fn conspirators_do_not_bar_a_trusted_sw() {
	test(|| {
		// The verdict is for semi-honest SWs (R3); R1 grants.
		let id = accepted_case();
		Workers::<Test>::mutate(SWS[0], |w| w.as_mut().unwrap().profile.conspirators = 1);
		assert_ok!(request(SWS[0], id));
		assert_eq!(access(id, SWS[0]).state, AccessState::Granted);
		assert!(!profile(SWS[0]).barred);
		assert!(evidence().is_empty());
	});
}

#[test]
fn requests_off_working_hours_are_flagged() {
	test(|| {
		let first = accepted_case();
		let second = accepted_case();
		let sw = SWS[0];
		assert_ok!(request(sw, first));
		assert_eq!(profile(sw).off_hours, 0);
		// 03:00 UTC the next day, still in cycle 0.
		go_to(2, NOON + 15 * 3_600_000);
		assert!(Uiv::off_hours(Uiv::now()));
		assert_ok!(request(sw, second));
		let p = profile(sw);
		assert_eq!(p.off_hours, 0b1);
		assert_eq!(p.recent_requests, 2);
		// 18:00 is off hours, 08:00 and 17:59 are not.
		let at = |utc_ms| endo_uiv::Moment { block: 0, utc_ms };
		assert!(Uiv::off_hours(at(NOON + 6 * 3_600_000)));
		assert!(!Uiv::off_hours(at(NOON + 6 * 3_600_000 - 1)));
		assert!(!Uiv::off_hours(at(NOON + 20 * 3_600_000)));
		assert!(Uiv::off_hours(at(NOON + 20 * 3_600_000 - 1)));
	});
}

#[test]
fn collaborators_in_the_same_cycle_count() {
	test(|| {
		let id = accepted_case();
		// Granted alone, refused with one collaborator.
		assert_ok!(Uiv::set_trust_model(
			RuntimeOrigin::root(),
			collaborators_model(-12, 6).try_into().unwrap()
		));
		assert_ok!(request(SWS[0], id));
		assert_eq!(access(id, SWS[0]).state, AccessState::Granted);
		assert_eq!(
			case(id).this_cycle,
			CycleRequests { cycle: 0, requesters: 1, trust_sum: 500_000_000 }
		);
		assert_ok!(request(SWS[1], id));
		assert_eq!(
			case(id).this_cycle,
			CycleRequests { cycle: 0, requesters: 2, trust_sum: 1_000_000_000 }
		);
		let second = access(id, SWS[1]);
		assert_eq!(second.state, AccessState::Refused);
		// FNN output sigmoid(-6), smoothed from nothing.
		assert!(second.assessment.fnn < Perbill::from_percent(1));
		// A new cycle starts a new count: alone again.
		next_cycles(1);
		assert_ok!(request(SWS[2], id));
		assert_eq!(access(id, SWS[2]).state, AccessState::Granted);
		assert_eq!(
			case(id).this_cycle,
			CycleRequests { cycle: 1, requesters: 1, trust_sum: 500_000_000 }
		);
	});
}

#[test]
fn collaborators_met_on_recent_cases_are_repeat_partners() {
	test(|| {
		let (a, b) = (accepted_case(), accepted_case());
		// Granted unless every collaborator is a repeat partner.
		let mut weights = vec![Q32::ZERO; endo_trust::FEATURE_COUNT];
		weights[index::REPEAT_PARTNERS] = Q32::from_int(-12);
		let layer =
			Layer::new(11, 1, Activation::Sigmoid, weights, vec![Q32::from_int(6)]).unwrap();
		let model = TrustModel::new(vec![], vec![layer]).unwrap().encode();
		assert_ok!(Uiv::set_trust_model(RuntimeOrigin::root(), model.try_into().unwrap()));
		// SWS[0] and SWS[1] both ask for case a: collaborators, not yet repeat partners.
		assert_ok!(request(SWS[0], a));
		assert_ok!(request(SWS[1], a));
		assert_eq!(access(a, SWS[1]).state, AccessState::Granted);
		// On case b, SWS[1] meets SWS[0] again: a repeat partner from case a.
		assert_ok!(request(SWS[0], b));
		assert_eq!(access(b, SWS[0]).state, AccessState::Granted);
		assert_ok!(request(SWS[1], b));
		// The FNN now says sigmoid(-6); smoothed with its sigmoid(6) on case a: about 1/2, R3.
		let second = access(b, SWS[1]);
		assert_eq!(second.state, AccessState::Deferred);
		assert!(second.assessment.fnn.deconstruct().abs_diff(500_000_000) < 1_000_000);
		// SWS[2] never met SWS[0] or SWS[1] before: granted on b with two collaborators.
		assert_ok!(request(SWS[2], b));
		assert_eq!(access(b, SWS[2]).state, AccessState::Granted);
	});
}

// deliver_package

#[test]
fn the_ta_delivers_to_a_granted_sw() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[0];
		assert_ok!(request(sw, id));
		go_to_minute(2, 5);
		let len = case(id).log.len;
		assert_ok!(deliver(id, sw, [1; 32]));
		let a = access(id, sw);
		assert_eq!(a.state, AccessState::Delivered);
		assert_eq!(a.delivered, Some(endo_uiv::Moment { block: 2, utc_ms: NOON + 5 * 60_000 }));
		assert_eq!(a.tracing_commitment, Some(tracing_of(sw)));
		let mut history = TokenHistory::new(id, &bytes(sw));
		history.push([1; 32]);
		assert_eq!(a.tokens, Some(history));
		assert_eq!(history.len, 1);
		let entry = *entries(id).last().unwrap();
		assert_eq!(entry.seq, len);
		assert_eq!(entry.kind, EntryKind::PackageDelivered { tracing_commitment: tracing_of(sw) });
		// The package is traced: a real report (a granted SW's).
		assert_eq!(
			Traces::<Test>::get(id, tracing_of(sw)),
			Some(Trace {
				worker: sw,
				delivered_at: endo_uiv::Moment { block: 2, utc_ms: NOON + 5 * 60_000 },
				trap: TrapFlag::Real,
				leaks: 0,
				own_leak: false,
				external_leak: false,
			})
		);
		assert_eq!(entry.token_commitment, Some([1; 32]));
		assert_eq!(entry.actor, bytes(TA));
		assert!(emitted(Event::PackageDelivered {
			case: id,
			worker: sw,
			token_commitment: [1; 32]
		}));
		assert_noop!(deliver(id, sw, [1; 32]), Error::<Test>::NoAccess);
	});
}

#[test]
fn deliver_package_errors() {
	test(|| {
		let id = accepted_case();
		assert_ok!(request(SWS[0], id));
		set_model(-6);
		assert_ok!(request(SWS[1], id));
		set_model(0);
		assert_ok!(request(SWS[2], id));
		for who in [VENDOR, SWS[0], 2] {
			assert_noop!(
				Uiv::deliver_package(signed(who), id, SWS[0], [1; 32], [2; 32]),
				Error::<Test>::NotCaseAuthority
			);
		}
		assert_noop!(deliver(id, SWS[1], [1; 32]), Error::<Test>::NoAccess);
		assert_noop!(deliver(id, SWS[2], [1; 32]), Error::<Test>::NoAccess);
		assert_noop!(deliver(id, SWS[3], [1; 32]), Error::<Test>::NoAccess);
		assert_noop!(deliver(id + 1, SWS[0], [1; 32]), Error::<Test>::UnknownCase);
		// Each package of a case has its own tracing token.
		assert_ok!(deliver(id, SWS[0], [1; 32]));
		set_model(6);
		assert_ok!(request(SWS[3], id));
		assert_noop!(
			Uiv::deliver_package(signed(TA), id, SWS[3], [1; 32], tracing_of(SWS[0])),
			Error::<Test>::DuplicateTracing
		);
	});
}

// end_access

#[test]
fn the_ta_ends_an_access_and_renews_its_token() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[0];
		assert_ok!(request(sw, id));
		assert_noop!(Uiv::end_access(signed(TA), id, sw, [2; 32]), Error::<Test>::NoAccess);
		go_to_minute(2, 10);
		assert_ok!(deliver(id, sw, [1; 32]));
		assert_noop!(
			Uiv::end_access(signed(VENDOR), id, sw, [2; 32]),
			Error::<Test>::NotCaseAuthority
		);
		go_to_minute(20, 10 + 90);
		assert_ok!(Uiv::end_access(signed(TA), id, sw, [2; 32]));
		let a = access(id, sw);
		assert_eq!(a.state, AccessState::Ended);
		let mut history = TokenHistory::new(id, &bytes(sw));
		history.push([1; 32]);
		let step = history.push([2; 32]);
		assert_eq!(a.tokens, Some(history));
		assert_eq!(a.tokens.unwrap().len, 2);
		let p = profile(sw);
		assert_eq!(p.sessions.into_inner(), vec![90]);
		assert_eq!(p.evidence.good_units(), 1_000_000);
		assert_eq!(p.evidence.bad_units(), 0);
		let entry = *entries(id).last().unwrap();
		assert_eq!(entry.kind, EntryKind::TokenRenewed { history_link: step.link });
		assert_eq!(entry.token_commitment, Some([2; 32]));
		assert_eq!(entry.trust.successes, 1_000_000);
		assert_eq!(entry.trust.value_ppb, a.assessment.trust.deconstruct());
		assert_eq!(evidence(), vec![(sw, BehaviourEvidence::Cooperated)]);
		assert!(emitted(Event::AccessEnded { case: id, worker: sw, token_commitment: [2; 32] }));
		assert_noop!(Uiv::end_access(signed(TA), id, sw, [3; 32]), Error::<Test>::NoAccess);
	});
}

#[test]
fn a_session_ended_in_a_later_cycle_counts_in_full() {
	test(|| {
		let first = accepted_case();
		let second = accepted_case();
		let sw = SWS[0];
		assert_ok!(request(sw, first));
		assert_ok!(deliver(first, sw, [1; 32]));
		// Ended two cycles later: the good event happened then and is not decayed.
		next_cycles(2);
		assert_ok!(Uiv::end_access(signed(TA), first, sw, [2; 32]));
		assert_eq!(profile(sw).evidence.good_units(), 1_000_000);
		assert_ok!(request(sw, second));
		assert_eq!(entries(second).last().unwrap().trust.successes, 1_000_000);
		// One good event: beta (1 + 1) / (1 + 2).
		let beta = access(second, sw).assessment.beta.deconstruct();
		assert!(beta.abs_diff(666_666_667) <= 1, "beta {beta}");
	});
}

// accept_contribution

#[test]
fn a_contribution_snapshot_shows_the_evidence_of_its_cycle() {
	test(|| {
		let id = accepted_case();
		let sw = SWS[0];
		assert_ok!(request(sw, id));
		assert_ok!(deliver(id, sw, [1; 32]));
		assert_ok!(Uiv::end_access(signed(TA), id, sw, [2; 32]));
		assert_eq!(profile(sw).evidence.good_units(), 1_000_000);
		// Two cycles later the good event has decayed by 95 % twice.
		next_cycles(2);
		assert_ok!(Uiv::accept_contribution(signed(VENDOR), id, sw));
		let p = profile(sw);
		assert_eq!(p.cycle, 2);
		assert_eq!(p.requests_in_cycle, 0);
		let successes = entries(id).last().unwrap().trust.successes;
		assert_eq!(successes, p.evidence.good_units());
		assert!(successes.abs_diff(902_500) <= 1, "successes {successes}");
	});
}

#[test]
fn a_vendor_accepts_a_delivered_sws_contribution() {
	test(|| {
		let id = open(VENDOR, &[(VENDOR, 0), (OTHER_VENDOR, 2)]);
		assert_ok!(Uiv::consent_embargo(signed(OTHER_VENDOR), id, true));
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		let (sw, ended) = (SWS[0], SWS[1]);
		// Either vendor of the case invites.
		assert_ok!(Uiv::invite_worker(signed(VENDOR), id, sw));
		assert_ok!(Uiv::invite_worker(signed(OTHER_VENDOR), id, ended));
		assert_ok!(request(sw, id));
		assert_ok!(request(ended, id));
		let accept = |who, worker| Uiv::accept_contribution(signed(who), id, worker);
		assert_noop!(accept(VENDOR, sw), Error::<Test>::NoAccess);
		assert_noop!(accept(VENDOR, SWS[2]), Error::<Test>::NoAccess);
		assert_ok!(deliver(id, sw, [1; 32]));
		for who in [TA, SWS[1], REPORTERS[0], 40] {
			assert_noop!(accept(who, sw), Error::<Test>::NotProductVendor);
		}
		let len = case(id).log.len;
		assert_ok!(accept(VENDOR, sw));
		assert!(access(id, sw).contributed);
		assert_eq!(profile(sw).contributions, 1);
		assert_eq!(evidence(), vec![(sw, BehaviourEvidence::Cooperated)]);
		assert!(emitted(Event::ContributionAccepted { case: id, worker: sw }));
		let entry = *entries(id).last().unwrap();
		assert_eq!(entry.seq, len);
		assert_eq!(entry.kind, EntryKind::ContributionAccepted { sw: bytes(sw) });
		assert_eq!(entry.actor, bytes(VENDOR));
		assert_noop!(accept(VENDOR, sw), Error::<Test>::AlreadyContributed);
		assert_noop!(accept(OTHER_VENDOR, sw), Error::<Test>::AlreadyContributed);
		// After the access ended, and by the case's other vendor.
		assert_ok!(deliver(id, ended, [4; 32]));
		assert_ok!(Uiv::end_access(signed(TA), id, ended, [5; 32]));
		assert_ok!(accept(OTHER_VENDOR, ended));
		assert!(access(id, ended).contributed);
		assert_eq!(profile(ended).contributions, 1);
		assert_eq!(
			evidence(),
			vec![
				(sw, BehaviourEvidence::Cooperated),
				(ended, BehaviourEvidence::Cooperated),
				(ended, BehaviourEvidence::Cooperated),
			]
		);
	});
}
