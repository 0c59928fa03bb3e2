//! The lifecycle of a case after it opened: assessment, acceptance, embargo consent and
//! deadlines, product status, exploitation, exit, disclosure, closing; and the admin calls.

use super::*;
use endo_uiv::{Consent, EmbargoState, ProductStatus, ReportState};
use frame_support::assert_noop;
use sp_runtime::DispatchError;

fn signed(who: AccountId) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn status(id: CaseId, index: u32, to: ProductStatus) -> DispatchResult {
	let vendor = case(id).products[index as usize].vendor;
	Uiv::set_product_status(signed(vendor), id, index, to)
}

fn disclose(id: CaseId) -> DispatchResult {
	Uiv::disclose(signed(TA), id, [0xcd; 32], uri("https://acme.example/advisories/1"))
}

/// Whether case `id`'s stored log chains from its genesis to its head.
fn chain_holds(id: CaseId) -> bool {
	let c = case(id);
	let genesis = endo_uiv::log::case_genesis(id, &bytes(c.vendor), c.opened.block);
	endo_uiv::log::verify_chain(&genesis, &entries(id)) == Ok(c.log.head)
}

/// An accepted case whose products are all fixed, disclosed.
fn disclosed_case() -> CaseId {
	let id = accepted_case();
	assert_ok!(status(id, 0, ProductStatus::Affected));
	assert_ok!(status(id, 0, ProductStatus::Fixed));
	assert_ok!(disclose(id));
	id
}

// assess_case

#[test]
fn the_ta_assesses_a_report_valid() {
	test(|| {
		let id = vendor_case();
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		let c = case(id);
		assert_eq!(c.report, ReportState::Valid);
		assert_eq!(c.embargo, EmbargoState::Active);
		assert_eq!(held(HoldReason::CaseDeposit, VENDOR), CASE_DEPOSIT);
		assert!(emitted(Event::ReportStateChanged { case: id, state: ReportState::Valid }));
		let last = *entries(id).last().unwrap();
		assert_eq!(
			last.kind,
			EntryKind::StateChanged { from: ReportState::Received, to: ReportState::Valid }
		);
		assert_eq!(last.actor, bytes(TA));
		assert_eq!(last.seq, 2);
	});
}

#[test]
fn assess_case_errors() {
	test(|| {
		let id = vendor_case();
		assert_noop!(Uiv::assess_case(signed(TA), 7, true), Error::<Test>::UnknownCase);
		assert_noop!(Uiv::assess_case(signed(VENDOR), id, true), Error::<Test>::NotCaseAuthority);
		assert_noop!(Uiv::assess_case(signed(2), id, true), Error::<Test>::NotCaseAuthority);
		// A TA, but not this case's.
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), 2, [2; 32], uri("ws://ta2")));
		assert_noop!(Uiv::assess_case(signed(2), id, true), Error::<Test>::NotCaseAuthority);
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_noop!(Uiv::assess_case(signed(TA), id, true), Error::<Test>::WrongReportState);
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		assert_noop!(Uiv::assess_case(signed(TA), id, false), Error::<Test>::WrongReportState);
	});
}

#[test]
fn an_invalid_report_burns_the_deposit_and_ends_the_embargo() {
	test(|| {
		let id = vendor_case();
		let issuance = Balances::total_issuance();
		let free_before = free(VENDOR);
		assert_ok!(Uiv::assess_case(signed(TA), id, false));
		let c = case(id);
		assert_eq!(c.report, ReportState::Invalid);
		assert_eq!(c.embargo, EmbargoState::Exited);
		assert_eq!(c.deposit, 0);
		assert_eq!(held(HoldReason::CaseDeposit, VENDOR), 0);
		assert_eq!(free(VENDOR), free_before);
		assert_eq!(Balances::total_issuance(), issuance - CASE_DEPOSIT);
		assert_eq!(
			kinds(id)[2..],
			[
				EntryKind::StateChanged { from: ReportState::Received, to: ReportState::Invalid },
				EntryKind::EmbargoChanged {
					from: EmbargoState::Active,
					to: EmbargoState::Exited,
					deadline: Some(c.clock.deadline),
				},
			]
		);
		assert!(emitted(Event::ReportStateChanged { case: id, state: ReportState::Invalid }));
		// Invalid twice is no move; re-validation is.
		assert_noop!(Uiv::assess_case(signed(TA), id, false), Error::<Test>::WrongReportState);
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_eq!(case(id).report, ReportState::Valid);
		assert_eq!(case(id).embargo, EmbargoState::Exited);
	});
}

#[test]
fn an_invalid_report_without_a_live_embargo_logs_one_entry() {
	test(|| {
		let id = open(REPORTERS[0], &[(VENDOR, 0)]);
		assert_ok!(Uiv::consent_embargo(signed(VENDOR), id, false));
		assert_eq!(case(id).embargo, EmbargoState::None);
		let len = case(id).log.len;
		assert_ok!(Uiv::assess_case(signed(TA), id, false));
		assert_eq!(case(id).log.len, len + 1);
		assert_eq!(case(id).embargo, EmbargoState::None);
		assert_eq!(held(HoldReason::CaseDeposit, REPORTERS[0]), 0);
	});
}

// accept_case

#[test]
fn the_vendor_accepts_a_valid_case() {
	test(|| {
		let id = vendor_case();
		assert_noop!(Uiv::accept_case(signed(VENDOR), id), Error::<Test>::WrongReportState);
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		for who in [TA, OTHER_VENDOR, REPORTERS[0], SWS[0]] {
			assert_noop!(Uiv::accept_case(signed(who), id), Error::<Test>::NotProductVendor);
		}
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		assert_eq!(case(id).report, ReportState::Accepted);
		assert!(emitted(Event::ReportStateChanged { case: id, state: ReportState::Accepted }));
		// The vendor opened the case and consented then: no consent to log.
		assert_eq!(
			kinds(id)[3..],
			[EntryKind::StateChanged { from: ReportState::Valid, to: ReportState::Accepted }]
		);
		assert!(!events().iter().any(|e| matches!(e, Event::ConsentGiven { .. })));
		assert_noop!(Uiv::accept_case(signed(VENDOR), id), Error::<Test>::WrongReportState);
		assert_noop!(Uiv::accept_case(signed(VENDOR), 9), Error::<Test>::UnknownCase);
	});
}

#[test]
fn accepting_a_reported_case_activates_its_embargo() {
	test(|| {
		let id = open(REPORTERS[0], &[(VENDOR, 0)]);
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_eq!(case(id).embargo, EmbargoState::Proposed);
		assert_eq!(participant(id, VENDOR).unwrap().consent, Consent::Pending);
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		assert_eq!(participant(id, VENDOR).unwrap().consent, Consent::Accepted);
		let c = case(id);
		assert_eq!(c.embargo, EmbargoState::Active);
		// The acceptance, the vendor's consent it implies, and the embargo's activation.
		assert_eq!(
			kinds(id)[2..],
			[
				EntryKind::StateChanged { from: ReportState::Valid, to: ReportState::Accepted },
				EntryKind::ConsentChanged { consent: Consent::Accepted },
				EntryKind::EmbargoChanged {
					from: EmbargoState::Proposed,
					to: EmbargoState::Active,
					deadline: Some(c.clock.deadline),
				},
			]
		);
		assert!(entries(id)[2..].iter().all(|e| e.actor == bytes(VENDOR)));
		assert!(emitted(Event::ConsentGiven { case: id, who: VENDOR, consent: Consent::Accepted }));
		assert!(emitted(Event::EmbargoChanged {
			case: id,
			state: EmbargoState::Active,
			deadline_block: c.clock.deadline.block,
			deadline_utc_ms: c.clock.deadline.utc_ms,
		}));
	});
}

#[test]
fn accepting_logs_the_vendors_implied_consent() {
	test(|| {
		// Two vendors: accepting is the first vendor's consent, the other still answers.
		let id = open(REPORTERS[0], &[(VENDOR, 0), (OTHER_VENDOR, 2)]);
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		let len = case(id).log.len as usize;
		System::reset_events();
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		assert_eq!(participant(id, VENDOR).unwrap().consent, Consent::Accepted);
		assert_eq!(case(id).embargo, EmbargoState::Proposed);
		assert_eq!(
			kinds(id)[len..],
			[
				EntryKind::StateChanged { from: ReportState::Valid, to: ReportState::Accepted },
				EntryKind::ConsentChanged { consent: Consent::Accepted },
			]
		);
		assert_eq!(entries(id)[len + 1].actor, bytes(VENDOR));
		assert_eq!(
			events().into_iter().filter(|e| !matches!(e, Event::Logged { .. })).collect::<Vec<_>>(),
			vec![
				Event::ReportStateChanged { case: id, state: ReportState::Accepted },
				Event::ConsentGiven { case: id, who: VENDOR, consent: Consent::Accepted },
			]
		);
		// The other vendor's answer activates the embargo.
		assert_ok!(Uiv::consent_embargo(signed(OTHER_VENDOR), id, true));
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert_eq!(kinds(id)[len + 2], EntryKind::ConsentChanged { consent: Consent::Accepted });
		assert!(matches!(
			kinds(id)[len + 3],
			EntryKind::EmbargoChanged {
				from: EmbargoState::Proposed,
				to: EmbargoState::Active,
				..
			}
		));
		assert_eq!(case(id).log.len as usize, len + 4);
	});
}

// consent_embargo

#[test]
fn consents_under_a_proposed_embargo_are_logged() {
	test(|| {
		let id = open(REPORTERS[0], &[(VENDOR, 0), (OTHER_VENDOR, 2)]);
		assert_eq!(kinds(id), vec![EntryKind::CaseOpened]);
		// An acceptance that does not complete the consents: its entry alone.
		assert_ok!(Uiv::consent_embargo(signed(OTHER_VENDOR), id, true));
		assert_eq!(case(id).embargo, EmbargoState::Proposed);
		assert_eq!(kinds(id)[1..], [EntryKind::ConsentChanged { consent: Consent::Accepted }]);
		assert_eq!(entries(id)[1].actor, bytes(OTHER_VENDOR));
		assert!(emitted(Event::ConsentGiven {
			case: id,
			who: OTHER_VENDOR,
			consent: Consent::Accepted
		}));
		// A decline: its entry, then the withdrawal.
		assert_ok!(Uiv::consent_embargo(signed(VENDOR), id, false));
		let c = case(id);
		assert_eq!(c.embargo, EmbargoState::None);
		assert_eq!(
			kinds(id)[2..],
			[
				EntryKind::ConsentChanged { consent: Consent::Declined },
				EntryKind::EmbargoChanged {
					from: EmbargoState::Proposed,
					to: EmbargoState::None,
					deadline: Some(c.clock.deadline),
				},
			]
		);
		assert_eq!(entries(id)[2].actor, bytes(VENDOR));
		assert_eq!(entries(id)[3].actor, bytes(VENDOR));
		assert!(emitted(Event::ConsentGiven { case: id, who: VENDOR, consent: Consent::Declined }));
		assert!(chain_holds(id));
	});
}

#[test]
fn consents_under_an_active_embargo_are_logged() {
	test(|| {
		let id = vendor_case();
		assert_eq!(case(id).embargo, EmbargoState::Active);
		let len = case(id).log.len as usize;
		System::reset_events();
		// The TA withdraws and accepts again, the vendor withdraws: an entry each, the embargo
		// unchanged.
		assert_ok!(Uiv::consent_embargo(signed(TA), id, false));
		assert_eq!(participant(id, TA).unwrap().consent, Consent::Declined);
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert!(emitted(Event::ConsentGiven { case: id, who: TA, consent: Consent::Declined }));
		assert_ok!(Uiv::consent_embargo(signed(VENDOR), id, false));
		assert_ok!(Uiv::consent_embargo(signed(TA), id, true));
		assert_eq!(participant(id, TA).unwrap().consent, Consent::Accepted);
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert_eq!(
			kinds(id)[len..],
			[
				EntryKind::ConsentChanged { consent: Consent::Declined },
				EntryKind::ConsentChanged { consent: Consent::Declined },
				EntryKind::ConsentChanged { consent: Consent::Accepted },
			]
		);
		assert_eq!(
			entries(id)[len..].iter().map(|e| e.actor).collect::<Vec<_>>(),
			vec![bytes(TA), bytes(VENDOR), bytes(TA)]
		);
		assert!(!events().iter().any(|e| matches!(e, Event::EmbargoChanged { .. })));
		// The same answer twice is no move, and logs nothing.
		assert_noop!(Uiv::consent_embargo(signed(TA), id, true), Error::<Test>::InvalidTransition);
		assert_eq!(case(id).log.len as usize, len + 3);
		assert!(chain_holds(id));
	});
}

#[test]
fn an_sw_consents_by_asking_and_cannot_withdraw() {
	test(|| {
		// A proposed embargo (the other vendor has not answered) on an accepted case.
		let id = open(VENDOR, &[(VENDOR, 0), (OTHER_VENDOR, 2)]);
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		assert_ok!(Uiv::invite_worker(signed(VENDOR), id, SWS[0]));
		assert_ok!(Uiv::invite_worker(signed(VENDOR), id, SWS[1]));
		assert_ok!(Uiv::request_access(signed(SWS[0]), id));
		assert_eq!(
			participant(id, SWS[0]),
			Some(Participant { role: Role::Worker, consent: Consent::Accepted })
		);
		assert_eq!(case(id).embargo, EmbargoState::Proposed);
		// It cannot withdraw the proposed embargo for everyone, nor answer again.
		assert_noop!(
			Uiv::consent_embargo(signed(SWS[0]), id, false),
			Error::<Test>::WorkerConsents
		);
		assert_noop!(Uiv::consent_embargo(signed(SWS[0]), id, true), Error::<Test>::WorkerConsents);
		// A refused SW is no participant.
		set_model(-6);
		assert_ok!(Uiv::request_access(signed(SWS[1]), id));
		assert_noop!(Uiv::consent_embargo(signed(SWS[1]), id, true), Error::<Test>::NotParticipant);
		// The other vendor's acceptance completes the consents, the SW's included.
		assert_ok!(Uiv::consent_embargo(signed(OTHER_VENDOR), id, true));
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert_noop!(
			Uiv::consent_embargo(signed(SWS[0]), id, false),
			Error::<Test>::WorkerConsents
		);
		// Whatever the embargo's state.
		go_to(2, noon_plus_days(90));
		assert_ok!(Uiv::exit_embargo(signed(40), id));
		assert_noop!(
			Uiv::consent_embargo(signed(SWS[0]), id, false),
			Error::<Test>::WorkerConsents
		);
		assert_eq!(participant(id, SWS[0]).unwrap().consent, Consent::Accepted);
	});
}

#[test]
fn the_embargo_activates_once_every_participant_accepted() {
	test(|| {
		let id = open(VENDOR, &[(VENDOR, 0), (OTHER_VENDOR, 2)]);
		assert_eq!(case(id).embargo, EmbargoState::Proposed);
		assert_eq!(case(id).participants, 3);
		assert_eq!(participant(id, OTHER_VENDOR).unwrap().consent, Consent::Pending);
		assert_eq!(kinds(id), vec![EntryKind::CaseOpened]);
		assert_ok!(Uiv::consent_embargo(signed(OTHER_VENDOR), id, true));
		assert_eq!(participant(id, OTHER_VENDOR).unwrap().consent, Consent::Accepted);
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert!(emitted(Event::ConsentGiven {
			case: id,
			who: OTHER_VENDOR,
			consent: Consent::Accepted
		}));
		// The consent, then the activation.
		let deadline = Some(case(id).clock.deadline);
		assert_eq!(
			kinds(id)[1..],
			[
				EntryKind::ConsentChanged { consent: Consent::Accepted },
				EntryKind::EmbargoChanged {
					from: EmbargoState::Proposed,
					to: EmbargoState::Active,
					deadline,
				},
			]
		);
		assert_eq!(entries(id)[1].actor, bytes(OTHER_VENDOR));
		assert_eq!(entries(id)[2].actor, bytes(OTHER_VENDOR));
		// A participant may withdraw under an active embargo: it stays active, and the answer
		// alone is logged.
		assert_ok!(Uiv::consent_embargo(signed(OTHER_VENDOR), id, false));
		assert_eq!(participant(id, OTHER_VENDOR).unwrap().consent, Consent::Declined);
		assert_eq!(case(id).embargo, EmbargoState::Active);
		assert_ok!(Uiv::consent_embargo(signed(OTHER_VENDOR), id, true));
		assert_eq!(participant(id, OTHER_VENDOR).unwrap().consent, Consent::Accepted);
		assert_eq!(
			kinds(id)[3..],
			[
				EntryKind::ConsentChanged { consent: Consent::Declined },
				EntryKind::ConsentChanged { consent: Consent::Accepted },
			]
		);
		assert_eq!(entries(id)[4].actor, bytes(OTHER_VENDOR));
	});
}

#[test]
fn a_decline_withdraws_a_proposed_embargo() {
	test(|| {
		let id = open(REPORTERS[0], &[(VENDOR, 0)]);
		assert_ok!(Uiv::consent_embargo(signed(VENDOR), id, false));
		let c = case(id);
		assert_eq!(c.embargo, EmbargoState::None);
		assert_eq!(participant(id, VENDOR).unwrap().consent, Consent::Declined);
		// The decline, then the withdrawal it causes.
		assert_eq!(
			kinds(id)[1..],
			[
				EntryKind::ConsentChanged { consent: Consent::Declined },
				EntryKind::EmbargoChanged {
					from: EmbargoState::Proposed,
					to: EmbargoState::None,
					deadline: Some(c.clock.deadline),
				},
			]
		);
		assert_eq!(entries(id)[1].actor, bytes(VENDOR));
		assert_eq!(entries(id)[2].actor, bytes(VENDOR));
		assert!(emitted(Event::ConsentGiven { case: id, who: VENDOR, consent: Consent::Declined }));
		// No embargo to answer, revise, cut short or exit any more.
		assert_noop!(
			Uiv::consent_embargo(signed(VENDOR), id, true),
			Error::<Test>::WrongEmbargoState
		);
		assert_noop!(
			Uiv::revise_embargo(signed(TA), id, noon_plus_days(10)),
			Error::<Test>::WrongEmbargoState
		);
		assert_noop!(Uiv::note_exploited(signed(TA), id), Error::<Test>::WrongEmbargoState);
		assert_noop!(Uiv::exit_embargo(signed(40), id), Error::<Test>::WrongEmbargoState);
		// Acceptance does not revive it, nor overturn the decline; disclosure needs no
		// deadline.
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		assert_eq!(case(id).embargo, EmbargoState::None);
		assert_eq!(participant(id, VENDOR).unwrap().consent, Consent::Declined);
		assert_eq!(
			kinds(id)[3..],
			[
				EntryKind::StateChanged { from: ReportState::Received, to: ReportState::Valid },
				EntryKind::StateChanged { from: ReportState::Valid, to: ReportState::Accepted },
			]
		);
		assert_ok!(disclose(id));
	});
}

#[test]
fn consent_embargo_errors() {
	test(|| {
		let id = open(REPORTERS[0], &[(VENDOR, 0)]);
		assert_noop!(Uiv::consent_embargo(signed(VENDOR), 5, true), Error::<Test>::UnknownCase);
		for who in [40, OTHER_VENDOR, SWS[0], REPORTERS[1]] {
			assert_noop!(
				Uiv::consent_embargo(signed(who), id, true),
				Error::<Test>::NotParticipant
			);
		}
		// The reporter already accepted by proposing.
		assert_noop!(
			Uiv::consent_embargo(signed(REPORTERS[0]), id, true),
			Error::<Test>::InvalidTransition
		);
		assert_ok!(Uiv::consent_embargo(signed(VENDOR), id, true));
		assert_eq!(case(id).embargo, EmbargoState::Active);
		// Past the deadline the embargo exits: no more answers.
		go_to(2, noon_plus_days(90));
		assert_ok!(Uiv::exit_embargo(signed(40), id));
		assert_noop!(
			Uiv::consent_embargo(signed(VENDOR), id, false),
			Error::<Test>::WrongEmbargoState
		);
	});
}

// revise_embargo

#[test]
fn the_ta_revises_the_deadline_within_the_cap() {
	test(|| {
		let id = vendor_case();
		assert_ok!(Uiv::revise_embargo(signed(TA), id, noon_plus_days(30)));
		let c = case(id);
		assert_eq!(c.clock.deadline, days_after_opening(30));
		assert_eq!(c.embargo, EmbargoState::Active);
		assert!(emitted(Event::EmbargoChanged {
			case: id,
			state: EmbargoState::Active,
			deadline_block: days_after_opening(30).block,
			deadline_utc_ms: noon_plus_days(30),
		}));
		assert_eq!(
			entries(id).last().unwrap().kind,
			EntryKind::EmbargoChanged {
				from: EmbargoState::Active,
				to: EmbargoState::Active,
				deadline: Some(days_after_opening(30)),
			}
		);
		// Later, up to the cap exactly.
		assert_ok!(Uiv::revise_embargo(signed(TA), id, noon_plus_days(120)));
		assert_eq!(case(id).clock.deadline, case(id).clock.cap);
		// Now is allowed (the deadline is then reached).
		assert_ok!(Uiv::revise_embargo(signed(TA), id, NOON));
		assert_eq!(case(id).clock.deadline.utc_ms, NOON);
	});
}

#[test]
fn revise_embargo_errors() {
	test(|| {
		let id = vendor_case();
		assert_noop!(
			Uiv::revise_embargo(signed(VENDOR), id, noon_plus_days(30)),
			Error::<Test>::NotCaseAuthority
		);
		assert_noop!(
			Uiv::revise_embargo(signed(TA), id, NOON - 1),
			Error::<Test>::DeadlineOutOfRange
		);
		assert_noop!(
			Uiv::revise_embargo(signed(TA), id, noon_plus_days(120) + 1),
			Error::<Test>::DeadlineOutOfRange
		);
		// Later in time, the cap stays where it was.
		go_to(10, noon_plus_days(20));
		assert_noop!(
			Uiv::revise_embargo(signed(TA), id, noon_plus_days(19)),
			Error::<Test>::DeadlineOutOfRange
		);
		assert_noop!(
			Uiv::revise_embargo(signed(TA), id, noon_plus_days(121)),
			Error::<Test>::DeadlineOutOfRange
		);
		assert_noop!(
			Uiv::revise_embargo(signed(TA), 3, noon_plus_days(30)),
			Error::<Test>::UnknownCase
		);
	});
}

// set_product_status

#[test]
fn a_fix_extends_the_embargo_once() {
	test(|| {
		let id = vendor_case();
		assert_ok!(status(id, 0, ProductStatus::Affected));
		assert!(emitted(Event::ProductStatusChanged {
			case: id,
			product: 0,
			status: ProductStatus::Affected
		}));
		assert_eq!(
			entries(id).last().unwrap().kind,
			EntryKind::ProductStatusChanged {
				product: 0,
				from: ProductStatus::UnderInvestigation,
				to: ProductStatus::Affected,
			}
		);
		assert_eq!(case(id).clock.deadline, days_after_opening(90));
		let len = case(id).log.len;
		assert_ok!(status(id, 0, ProductStatus::Fixed));
		let c = case(id);
		assert_eq!(c.products[0].status, ProductStatus::Fixed);
		// 90 + 30 days: the cap.
		assert_eq!(c.clock.deadline, days_after_opening(120));
		assert_eq!(c.clock.deadline, c.clock.cap);
		assert!(c.clock.patch_extended);
		assert_eq!(c.log.len, len + 2);
		assert!(emitted(Event::EmbargoChanged {
			case: id,
			state: EmbargoState::Active,
			deadline_block: days_after_opening(120).block,
			deadline_utc_ms: noon_plus_days(120),
		}));
		// A regression and a second fix: no second extension.
		assert_ok!(Uiv::revise_embargo(signed(TA), id, noon_plus_days(50)));
		assert_ok!(status(id, 0, ProductStatus::Affected));
		assert_ok!(status(id, 0, ProductStatus::Fixed));
		assert_eq!(case(id).clock.deadline, days_after_opening(50));
	});
}

#[test]
fn a_fix_extension_stops_at_the_cap() {
	test(|| {
		let early = vendor_case();
		assert_ok!(Uiv::revise_embargo(signed(TA), early, noon_plus_days(10)));
		assert_ok!(status(early, 0, ProductStatus::Affected));
		assert_ok!(status(early, 0, ProductStatus::Fixed));
		assert_eq!(case(early).clock.deadline, days_after_opening(40));
		let late = vendor_case();
		assert_ok!(Uiv::revise_embargo(signed(TA), late, noon_plus_days(100)));
		assert_ok!(status(late, 0, ProductStatus::Affected));
		assert_ok!(status(late, 0, ProductStatus::Fixed));
		assert_eq!(case(late).clock.deadline, days_after_opening(120));
	});
}

#[test]
fn set_product_status_errors() {
	test(|| {
		let id = open(VENDOR, &[(VENDOR, 0), (OTHER_VENDOR, 2)]);
		let set = |who, index, to| Uiv::set_product_status(signed(who), id, index, to);
		// Each product's own vendor only.
		assert_noop!(set(VENDOR, 1, ProductStatus::Affected), Error::<Test>::NotProductVendor);
		assert_noop!(
			set(OTHER_VENDOR, 0, ProductStatus::Affected),
			Error::<Test>::NotProductVendor
		);
		assert_noop!(set(TA, 0, ProductStatus::Affected), Error::<Test>::NotProductVendor);
		assert_noop!(set(VENDOR, 2, ProductStatus::Affected), Error::<Test>::UnknownCaseProduct);
		// Illegal moves.
		assert_noop!(set(VENDOR, 0, ProductStatus::Fixed), Error::<Test>::InvalidTransition);
		assert_noop!(
			set(VENDOR, 0, ProductStatus::UnderInvestigation),
			Error::<Test>::InvalidTransition
		);
		assert_ok!(set(OTHER_VENDOR, 1, ProductStatus::NotAffected));
		assert_eq!(case(id).products[1].status, ProductStatus::NotAffected);
		assert_noop!(
			set(OTHER_VENDOR, 1, ProductStatus::NotAffected),
			Error::<Test>::InvalidTransition
		);
		assert_noop!(set(OTHER_VENDOR, 1, ProductStatus::Fixed), Error::<Test>::InvalidTransition);
		assert_noop!(
			Uiv::set_product_status(signed(VENDOR), 4, 0, ProductStatus::Affected),
			Error::<Test>::UnknownCase
		);
	});
}

// set_product_ranges

#[test]
fn a_product_with_an_open_range_is_fixed_once_its_vendor_names_the_fix() {
	test(|| {
		let open_range: Ranges =
			vec![range("1.0", Some("2.0")), range("3.0", None)].try_into().unwrap();
		let list: BoundedVec<_, ConstU32<MAX_PRODUCTS_PER_CASE>> =
			vec![(VENDOR, product(0), open_range)].try_into().unwrap();
		let id = NextCaseId::<Test>::get();
		assert_ok!(Uiv::open_case(signed(VENDOR), TA, list, cvss(), REPORT));
		assert_ok!(status(id, 0, ProductStatus::Affected));
		// "Fixed" while versions from 3.0 on are still affected would contradict itself.
		assert_noop!(status(id, 0, ProductStatus::Fixed), Error::<Test>::RangeOpen);
		let closed: Ranges =
			vec![range("1.0", Some("2.0")), range("3.0", Some("3.2.1"))].try_into().unwrap();
		let len = case(id).log.len;
		System::reset_events();
		assert_ok!(Uiv::set_product_ranges(signed(VENDOR), id, 0, closed.clone()));
		assert_eq!(case(id).products[0].ranges, closed);
		assert!(emitted(Event::ProductRangesSet { case: id, product: 0 }));
		assert_eq!(case(id).log.len, len + 1);
		assert!(matches!(kinds(id).last(), Some(EntryKind::RangesChanged { product: 0 })));
		assert_ok!(status(id, 0, ProductStatus::Fixed));
		// A fixed product keeps a fixed version in every range.
		let reopened: Ranges = vec![range("3.0", None)].try_into().unwrap();
		assert_noop!(
			Uiv::set_product_ranges(signed(VENDOR), id, 0, reopened),
			Error::<Test>::RangeOpen
		);
		assert!(chain_holds(id));
	});
}

#[test]
fn set_product_ranges_errors() {
	test(|| {
		let id = open(VENDOR, &[(VENDOR, 0), (OTHER_VENDOR, 2)]);
		let set =
			|who, index, ranges: Ranges| Uiv::set_product_ranges(signed(who), id, index, ranges);
		assert_noop!(set(OTHER_VENDOR, 0, ranges()), Error::<Test>::NotProductVendor);
		assert_noop!(set(TA, 1, ranges()), Error::<Test>::NotProductVendor);
		assert_noop!(set(VENDOR, 2, ranges()), Error::<Test>::UnknownCaseProduct);
		let empty = VersionRange {
			introduced: Version::parse("2.0").unwrap(),
			fixed: Some(Version::parse("1.0").unwrap()),
		};
		assert_noop!(set(VENDOR, 0, vec![empty].try_into().unwrap()), Error::<Test>::Malformed);
		assert_noop!(
			Uiv::set_product_ranges(signed(VENDOR), 9, 0, ranges()),
			Error::<Test>::UnknownCase
		);
		assert_noop!(
			Uiv::set_product_ranges(RuntimeOrigin::none(), id, 0, ranges()),
			DispatchError::BadOrigin
		);
	});
}

// note_exploited

#[test]
fn exploitation_cuts_the_deadline_to_seven_days() {
	test(|| {
		let id = vendor_case();
		go_to(11, NOON + 60_000);
		assert_ok!(Uiv::note_exploited(signed(VENDOR), id));
		let c = case(id);
		assert!(c.exploited);
		let week = endo_uiv::Deadline {
			block: 11 + (7 * DAY_MS / BLOCK_MS) as u32,
			utc_ms: NOON + 60_000 + 7 * DAY_MS,
		};
		assert_eq!(c.clock.deadline, week);
		assert_eq!(
			entries(id).last().unwrap().kind,
			EntryKind::EmbargoChanged {
				from: EmbargoState::Active,
				to: EmbargoState::Active,
				deadline: Some(week),
			}
		);
		// An earlier deadline stays.
		let soon = vendor_case();
		assert_ok!(Uiv::revise_embargo(signed(TA), soon, noon_plus_days(3)));
		let before = case(soon).clock.deadline;
		assert_ok!(Uiv::note_exploited(signed(TA), soon));
		assert_eq!(case(soon).clock.deadline, before);
		assert!(case(soon).exploited);
	});
}

#[test]
fn note_exploited_errors() {
	test(|| {
		let id = open(REPORTERS[0], &[(VENDOR, 0)]);
		for who in [REPORTERS[0], OTHER_VENDOR, SWS[0], 2] {
			assert_noop!(Uiv::note_exploited(signed(who), id), Error::<Test>::NotCaseAuthority);
		}
		assert_noop!(Uiv::note_exploited(signed(TA), 8), Error::<Test>::UnknownCase);
		// A proposed embargo is live: it is cut short too.
		assert_ok!(Uiv::note_exploited(signed(TA), id));
		assert_eq!(case(id).clock.deadline, days_after_opening(7));
		go_to(2, noon_plus_days(7));
		assert_ok!(Uiv::exit_embargo(signed(40), id));
		assert_noop!(Uiv::note_exploited(signed(TA), id), Error::<Test>::WrongEmbargoState);
	});
}

// exit_embargo

#[test]
fn anyone_exits_an_embargo_past_its_deadline() {
	test(|| {
		let id = vendor_case();
		assert_noop!(Uiv::exit_embargo(signed(40), id), Error::<Test>::DeadlineNotReached);
		go_to(2, noon_plus_days(90) - 1);
		assert_noop!(Uiv::exit_embargo(signed(40), id), Error::<Test>::DeadlineNotReached);
		go_to(3, noon_plus_days(90));
		assert_ok!(Uiv::exit_embargo(signed(40), id));
		let c = case(id);
		assert_eq!(c.embargo, EmbargoState::Exited);
		let last = *entries(id).last().unwrap();
		assert_eq!(last.actor, bytes(40));
		assert_eq!(last.at_block, 3);
		assert_eq!(
			last.kind,
			EntryKind::EmbargoChanged {
				from: EmbargoState::Active,
				to: EmbargoState::Exited,
				deadline: Some(c.clock.deadline),
			}
		);
		assert!(emitted(Event::EmbargoChanged {
			case: id,
			state: EmbargoState::Exited,
			deadline_block: c.clock.deadline.block,
			deadline_utc_ms: c.clock.deadline.utc_ms,
		}));
		assert_noop!(Uiv::exit_embargo(signed(40), id), Error::<Test>::WrongEmbargoState);
		assert_noop!(Uiv::exit_embargo(signed(40), 6), Error::<Test>::UnknownCase);
	});
}

#[test]
fn the_deadline_block_alone_ends_an_embargo() {
	test(|| {
		let id = vendor_case();
		let deadline = case(id).clock.deadline;
		go_to(u64::from(deadline.block) - 1, NOON + 1_000);
		assert_noop!(Uiv::exit_embargo(signed(40), id), Error::<Test>::DeadlineNotReached);
		go_to(u64::from(deadline.block), NOON + 2_000);
		assert_ok!(Uiv::exit_embargo(signed(40), id));
		assert_eq!(case(id).embargo, EmbargoState::Exited);
	});
}

// disclose

#[test]
fn the_ta_discloses_once_every_product_is_fixed() {
	test(|| {
		let id = accepted_case();
		assert_ok!(status(id, 0, ProductStatus::Affected));
		assert_noop!(disclose(id), Error::<Test>::EmbargoLive);
		assert_ok!(status(id, 0, ProductStatus::Fixed));
		assert_noop!(
			Uiv::disclose(signed(VENDOR), id, [0xcd; 32], uri("x")),
			Error::<Test>::NotCaseAuthority
		);
		go_to(2, NOON + 3_600_000);
		assert_ok!(disclose(id));
		let c = case(id);
		assert_eq!(c.embargo, EmbargoState::Exited);
		assert_eq!(
			c.disclosed,
			Some(Disclosure {
				at: endo_uiv::Moment { block: 2, utc_ms: NOON + 3_600_000 },
				report_hash: [0xcd; 32],
				uri: uri("https://acme.example/advisories/1"),
			})
		);
		assert_eq!(c.report, ReportState::Accepted);
		let kinds = kinds(id);
		assert_eq!(kinds[kinds.len() - 1], EntryKind::Disclosed);
		assert!(matches!(
			kinds[kinds.len() - 2],
			EntryKind::EmbargoChanged { from: EmbargoState::Active, to: EmbargoState::Exited, .. }
		));
		assert!(emitted(Event::CaseDisclosed { case: id, report_hash: [0xcd; 32] }));
		assert_noop!(disclose(id), Error::<Test>::AlreadyDisclosed);
	});
}

#[test]
fn not_affected_products_count_as_done() {
	test(|| {
		let id = open(VENDOR, &[(VENDOR, 0), (VENDOR, 1)]);
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		assert_ok!(status(id, 0, ProductStatus::NotAffected));
		// Product 1 is still under investigation.
		assert_noop!(disclose(id), Error::<Test>::EmbargoLive);
		assert_ok!(status(id, 1, ProductStatus::Affected));
		assert_ok!(status(id, 1, ProductStatus::Fixed));
		assert_ok!(disclose(id));
		assert!(case(id).disclosed.is_some());
	});
}

#[test]
fn the_ta_discloses_after_the_deadline() {
	test(|| {
		let id = accepted_case();
		assert_noop!(disclose(id), Error::<Test>::EmbargoLive);
		go_to(2, noon_plus_days(90));
		// Without an exit first: the disclosure ends the embargo.
		assert_ok!(disclose(id));
		assert_eq!(case(id).embargo, EmbargoState::Exited);
		assert_eq!(case(id).disclosed.unwrap().at.utc_ms, noon_plus_days(90));
	});
}

#[test]
fn only_an_accepted_case_is_disclosed() {
	test(|| {
		let id = vendor_case();
		go_to(2, noon_plus_days(91));
		assert_noop!(disclose(id), Error::<Test>::WrongReportState);
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_noop!(disclose(id), Error::<Test>::WrongReportState);
		assert_noop!(disclose(12), Error::<Test>::UnknownCase);
	});
}

// close_case

#[test]
fn a_disclosed_case_closes_and_its_deposit_returns() {
	test(|| {
		let id = accepted_case();
		assert_noop!(Uiv::close_case(signed(VENDOR), id), Error::<Test>::WrongReportState);
		assert_ok!(status(id, 0, ProductStatus::Affected));
		assert_ok!(status(id, 0, ProductStatus::Fixed));
		assert_ok!(disclose(id));
		for who in [SWS[0], OTHER_VENDOR, 40] {
			assert_noop!(Uiv::close_case(signed(who), id), Error::<Test>::NotCaseAuthority);
		}
		let free_before = free(VENDOR);
		assert_ok!(Uiv::close_case(signed(VENDOR), id));
		let c = case(id);
		assert_eq!(c.report, ReportState::Closed);
		assert_eq!(c.deposit, 0);
		assert_eq!(held(HoldReason::CaseDeposit, VENDOR), 0);
		assert_eq!(free(VENDOR), free_before + CASE_DEPOSIT);
		assert!(emitted(Event::CaseClosed { case: id, refunded: CASE_DEPOSIT }));
		assert_eq!(
			entries(id).last().unwrap().kind,
			EntryKind::StateChanged { from: ReportState::Accepted, to: ReportState::Closed }
		);
	});
}

#[test]
fn the_ta_closes_an_invalid_case_and_nothing_is_refunded() {
	test(|| {
		let reporter = REPORTERS[0];
		let id = open(reporter, &[(VENDOR, 0)]);
		let other = open(reporter, &[(VENDOR, 1)]);
		assert_ok!(Uiv::assess_case(signed(TA), id, false));
		let free_before = free(reporter);
		assert_ok!(Uiv::close_case(signed(TA), id));
		assert_eq!(case(id).report, ReportState::Closed);
		assert!(emitted(Event::CaseClosed { case: id, refunded: 0 }));
		assert_eq!(free(reporter), free_before);
		// The reporter's other case keeps its deposit.
		assert_eq!(held(HoldReason::CaseDeposit, reporter), CASE_DEPOSIT);
		assert_eq!(case(other).deposit, CASE_DEPOSIT);
	});
}

#[test]
fn every_call_on_a_closed_case_fails() {
	test(|| {
		let id = disclosed_case();
		assert_ok!(Uiv::close_case(signed(TA), id));
		assert_noop!(Uiv::close_case(signed(TA), id), Error::<Test>::CaseClosed);
		assert_noop!(Uiv::assess_case(signed(TA), id, true), Error::<Test>::CaseClosed);
		assert_noop!(Uiv::accept_case(signed(VENDOR), id), Error::<Test>::CaseClosed);
		assert_noop!(Uiv::consent_embargo(signed(VENDOR), id, false), Error::<Test>::CaseClosed);
		assert_noop!(
			Uiv::revise_embargo(signed(TA), id, noon_plus_days(5)),
			Error::<Test>::CaseClosed
		);
		assert_noop!(
			Uiv::set_product_status(signed(VENDOR), id, 0, ProductStatus::Affected),
			Error::<Test>::CaseClosed
		);
		assert_noop!(Uiv::note_exploited(signed(TA), id), Error::<Test>::CaseClosed);
		assert_noop!(Uiv::exit_embargo(signed(TA), id), Error::<Test>::CaseClosed);
		assert_noop!(disclose(id), Error::<Test>::CaseClosed);
		assert_noop!(Uiv::request_access(signed(SWS[0]), id), Error::<Test>::CaseClosed);
		assert_noop!(
			Uiv::deliver_package(signed(TA), id, SWS[0], [1; 32], [2; 32]),
			Error::<Test>::CaseClosed
		);
		assert_noop!(Uiv::end_access(signed(TA), id, SWS[0], [1; 32]), Error::<Test>::CaseClosed);
		assert_noop!(
			Uiv::accept_contribution(signed(VENDOR), id, SWS[0]),
			Error::<Test>::CaseClosed
		);
		assert_noop!(Uiv::invite_worker(signed(VENDOR), id, SWS[5]), Error::<Test>::CaseClosed);
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), 2, [2; 32], uri("ws://ta2")));
		assert_noop!(Uiv::reassign_case(RuntimeOrigin::root(), id, 2), Error::<Test>::CaseClosed);
	});
}

// reassign_case

#[test]
fn root_reassigns_a_case_to_another_ta() {
	test(|| {
		let id = accepted_case();
		assert_ok!(Uiv::request_access(signed(SWS[0]), id));
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), 2, [2; 32], uri("ws://ta2")));
		assert_eq!(case(id).participants, 3);
		let len = case(id).log.len;
		assert_ok!(Uiv::reassign_case(RuntimeOrigin::root(), id, 2));
		let c = case(id);
		assert_eq!(c.ta, 2);
		// The new TA takes the old one's place among the participants.
		assert_eq!(participant(id, TA), None);
		assert_eq!(
			participant(id, 2),
			Some(Participant { role: Role::Coordinator, consent: Consent::Accepted })
		);
		assert_eq!(c.participants, 3);
		assert_eq!(participant(id, VENDOR).unwrap().role, Role::Vendor);
		assert_eq!(participant(id, SWS[0]).unwrap().role, Role::Worker);
		assert!(emitted(Event::CaseReassigned { case: id, ta: 2 }));
		assert_eq!(c.log.len, len + 1);
		let entry = *entries(id).last().unwrap();
		assert_eq!(entry.seq, len);
		assert_eq!(entry.kind, EntryKind::AuthorityChanged { ta: bytes(2) });
		assert_eq!(entry.actor, bytes(2));
		assert!(emitted(Event::Logged {
			case: id,
			seq: len,
			leaf: endo_uiv::log::leaf_hash(&entry)
		}));
		// The old TA no longer acts on it; the new one does.
		assert_noop!(
			Uiv::deliver_package(signed(TA), id, SWS[0], [1; 32], [2; 32]),
			Error::<Test>::NotCaseAuthority
		);
		assert_noop!(
			Uiv::revise_embargo(signed(TA), id, noon_plus_days(30)),
			Error::<Test>::NotCaseAuthority
		);
		assert_ok!(Uiv::deliver_package(signed(2), id, SWS[0], [1; 32], [2; 32]));
		assert_eq!(entries(id).last().unwrap().actor, bytes(2));
		assert_ok!(Uiv::revise_embargo(signed(2), id, noon_plus_days(30)));
		// Decisions on the case are now logged in the new TA's name.
		assert_ok!(Uiv::request_access(signed(SWS[1]), id));
		let decided = *entries(id).last().unwrap();
		assert_eq!(decided.kind, EntryKind::AccessDecided);
		assert_eq!(decided.actor, bytes(2));
		// The old TA keeps its other cases, and can take this one back.
		let other = vendor_case();
		assert_ok!(Uiv::assess_case(signed(TA), other, true));
		assert_ok!(Uiv::reassign_case(RuntimeOrigin::root(), id, TA));
		assert_eq!(case(id).ta, TA);
		assert_eq!(participant(id, 2), None);
		assert_eq!(participant(id, TA).unwrap().role, Role::Coordinator);
		assert_eq!(case(id).participants, 4);
		assert!(chain_holds(id));
	});
}

#[test]
fn the_new_ta_assesses_a_reassigned_case() {
	test(|| {
		let id = vendor_case();
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), 2, [2; 32], uri("ws://ta2")));
		assert_ok!(Uiv::reassign_case(RuntimeOrigin::root(), id, 2));
		assert_noop!(Uiv::assess_case(signed(TA), id, true), Error::<Test>::NotCaseAuthority);
		assert_ok!(Uiv::assess_case(signed(2), id, true));
		assert_eq!(case(id).report, ReportState::Valid);
		assert_eq!(entries(id).last().unwrap().actor, bytes(2));
		assert_eq!(
			kinds(id)[2..],
			[
				EntryKind::AuthorityChanged { ta: bytes(2) },
				EntryKind::StateChanged { from: ReportState::Received, to: ReportState::Valid },
			]
		);
	});
}

#[test]
fn reassign_case_errors() {
	test(|| {
		let id = vendor_case();
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), 2, [2; 32], uri("ws://ta2")));
		for who in [TA, 2, VENDOR] {
			assert_noop!(Uiv::reassign_case(signed(who), id, 2), DispatchError::BadOrigin);
		}
		assert_noop!(Uiv::reassign_case(RuntimeOrigin::none(), id, 2), DispatchError::BadOrigin);
		assert_noop!(Uiv::reassign_case(RuntimeOrigin::root(), 9, 2), Error::<Test>::UnknownCase);
		for who in [40, VENDOR, SWS[0], 3] {
			assert_noop!(
				Uiv::reassign_case(RuntimeOrigin::root(), id, who),
				Error::<Test>::NotAuthority
			);
		}
		assert_noop!(
			Uiv::reassign_case(RuntimeOrigin::root(), id, TA),
			Error::<Test>::SameAuthority
		);
		// A removed TA takes no case.
		assert_ok!(Uiv::remove_authority(RuntimeOrigin::root(), 2));
		assert_noop!(Uiv::reassign_case(RuntimeOrigin::root(), id, 2), Error::<Test>::NotAuthority);
		assert_eq!(case(id).ta, TA);
	});
}

#[test]
fn a_case_of_a_removed_ta_is_reassigned_disclosed_and_closed() {
	test(|| {
		let reporter = REPORTERS[0];
		let id = open(reporter, &[(VENDOR, 0)]);
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
		assert_ok!(Uiv::accept_case(signed(VENDOR), id));
		assert_ok!(status(id, 0, ProductStatus::Affected));
		assert_ok!(status(id, 0, ProductStatus::Fixed));
		assert_ok!(Uiv::remove_authority(RuntimeOrigin::root(), TA));
		// Nobody can disclose it now.
		assert_noop!(disclose(id), Error::<Test>::NotCaseAuthority);
		assert_eq!(held(HoldReason::CaseDeposit, reporter), CASE_DEPOSIT);
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), 2, [2; 32], uri("ws://ta2")));
		assert_ok!(Uiv::reassign_case(RuntimeOrigin::root(), id, 2));
		assert_eq!(participant(id, TA), None);
		assert_eq!(case(id).participants, 3);
		assert_noop!(disclose(id), Error::<Test>::NotCaseAuthority);
		assert_ok!(Uiv::disclose(signed(2), id, [0xcd; 32], uri("https://acme.example/a/1")));
		assert!(case(id).disclosed.is_some());
		assert_eq!(case(id).embargo, EmbargoState::Exited);
		let free_before = free(reporter);
		assert_noop!(Uiv::close_case(signed(TA), id), Error::<Test>::NotCaseAuthority);
		assert_ok!(Uiv::close_case(signed(2), id));
		let c = case(id);
		assert_eq!(c.report, ReportState::Closed);
		assert_eq!(c.deposit, 0);
		assert_eq!(held(HoldReason::CaseDeposit, reporter), 0);
		assert_eq!(free(reporter), free_before + CASE_DEPOSIT);
		assert!(emitted(Event::CaseClosed { case: id, refunded: CASE_DEPOSIT }));
		let last = *entries(id).last().unwrap();
		assert_eq!(
			last.kind,
			EntryKind::StateChanged { from: ReportState::Accepted, to: ReportState::Closed }
		);
		assert_eq!(last.actor, bytes(2));
		assert!(chain_holds(id));
	});
}

#[test]
fn a_ta_that_opened_the_case_stays_its_reporter() {
	test(|| {
		let reporter = REPORTERS[0];
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), reporter, [3; 32], uri("ws://r")));
		let open_own = || {
			let id = NextCaseId::<Test>::get();
			assert_ok!(Uiv::open_case(
				signed(reporter),
				reporter,
				products(&[(VENDOR, 0), (OTHER_VENDOR, 2)]),
				cvss(),
				REPORT
			));
			id
		};
		let id = open_own();
		assert_eq!(participant(id, reporter).unwrap().role, Role::Reporter);
		assert_eq!(case(id).participants, 3);
		// The reporter stays; the new TA joins.
		assert_ok!(Uiv::reassign_case(RuntimeOrigin::root(), id, TA));
		assert_eq!(case(id).ta, TA);
		assert_eq!(participant(id, reporter).unwrap().role, Role::Reporter);
		assert_eq!(
			participant(id, TA),
			Some(Participant { role: Role::Coordinator, consent: Consent::Accepted })
		);
		assert_eq!(case(id).participants, 4);
		// With every seat taken, the new TA has none.
		let full = open_own();
		assert_ok!(Uiv::assess_case(signed(reporter), full, true));
		assert_ok!(Uiv::accept_case(signed(VENDOR), full));
		for sw in &SWS[..3] {
			assert_ok!(Uiv::invite_worker(signed(VENDOR), full, *sw));
			assert_ok!(Uiv::request_access(signed(*sw), full));
		}
		assert_eq!(case(full).participants, MAX_PARTICIPANTS);
		assert_noop!(
			Uiv::reassign_case(RuntimeOrigin::root(), full, TA),
			Error::<Test>::TooManyParticipants
		);
	});
}

// Authorities and the trust model

#[test]
fn root_manages_the_authorities() {
	test(|| {
		assert_noop!(
			Uiv::add_authority(signed(TA), 2, [2; 32], uri("ws://ta2")),
			DispatchError::BadOrigin
		);
		assert_noop!(Uiv::remove_authority(signed(TA), TA), DispatchError::BadOrigin);
		assert_noop!(
			Uiv::add_authority(RuntimeOrigin::root(), TA, [2; 32], uri("ws://ta")),
			Error::<Test>::AlreadyAuthority
		);
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), 2, [2; 32], uri("ws://ta2")));
		assert!(emitted(Event::AuthorityAdded { who: 2 }));
		assert_eq!(
			Authorities::<Test>::get(2),
			Some(Authority { report_key: [2; 32], endpoint: uri("ws://ta2") })
		);
		assert_eq!(Authorities::<Test>::get(TA).unwrap().report_key, [7; 32]);
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), 3, [3; 32], uri("ws://ta3")));
		assert_eq!(Authorities::<Test>::count(), 3);
		assert_noop!(
			Uiv::add_authority(RuntimeOrigin::root(), 4, [4; 32], uri("ws://ta4")),
			Error::<Test>::TooManyAuthorities
		);
		assert_noop!(Uiv::remove_authority(RuntimeOrigin::root(), 4), Error::<Test>::NotAuthority);
		assert_ok!(Uiv::remove_authority(RuntimeOrigin::root(), 3));
		assert!(emitted(Event::AuthorityRemoved { who: 3 }));
		assert_eq!(Authorities::<Test>::count(), 2);
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), 4, [4; 32], uri("ws://ta4")));
		// A new TA serves new cases.
		let id = NextCaseId::<Test>::get();
		assert_ok!(Uiv::open_case(signed(VENDOR), 4, products(&[(VENDOR, 0)]), cvss(), REPORT));
		assert_eq!(case(id).ta, 4);
		assert_eq!(participant(id, 4).unwrap().role, Role::Coordinator);
		assert_ok!(Uiv::assess_case(signed(4), id, true));
		assert_noop!(Uiv::accept_case(signed(4), id), Error::<Test>::NotProductVendor);
	});
}

#[test]
fn a_removed_ta_can_no_longer_act_on_its_case() {
	test(|| {
		let id = vendor_case();
		let accepted = accepted_case();
		assert_ok!(Uiv::remove_authority(RuntimeOrigin::root(), TA));
		assert_noop!(Uiv::assess_case(signed(TA), id, true), Error::<Test>::NotCaseAuthority);
		assert_noop!(
			Uiv::revise_embargo(signed(TA), id, noon_plus_days(5)),
			Error::<Test>::NotCaseAuthority
		);
		assert_noop!(Uiv::note_exploited(signed(TA), id), Error::<Test>::NotCaseAuthority);
		go_to(2, noon_plus_days(95));
		assert_noop!(disclose(accepted), Error::<Test>::NotCaseAuthority);
		assert_noop!(
			Uiv::deliver_package(signed(TA), accepted, SWS[0], [1; 32], [2; 32]),
			Error::<Test>::NotCaseAuthority
		);
		assert_noop!(
			Uiv::open_case(signed(VENDOR), TA, products(&[(VENDOR, 0)]), cvss(), REPORT),
			Error::<Test>::NotAuthority
		);
		// The vendor still acts on its own.
		assert_ok!(Uiv::note_exploited(signed(VENDOR), id));
		assert_ok!(Uiv::exit_embargo(signed(40), id));
		// Re-added, it acts again.
		assert_ok!(Uiv::add_authority(RuntimeOrigin::root(), TA, [7; 32], uri("ws://ta")));
		assert_ok!(Uiv::assess_case(signed(TA), id, true));
	});
}

#[test]
fn root_sets_the_trust_model_with_a_version() {
	test(|| {
		assert_eq!(TrustModelVersion::<Test>::get(), 1);
		assert_eq!(TrustModelBlob::<Test>::get().unwrap().into_inner(), constant_model(6));
		assert_noop!(
			Uiv::set_trust_model(signed(TA), constant_model(0).try_into().unwrap()),
			DispatchError::BadOrigin
		);
		set_model(0);
		assert_eq!(TrustModelVersion::<Test>::get(), 2);
		assert!(emitted(Event::TrustModelSet { version: 2 }));
		assert_eq!(TrustModelBlob::<Test>::get().unwrap().into_inner(), constant_model(0));
		set_model(-6);
		assert_eq!(TrustModelVersion::<Test>::get(), 3);
		assert!(emitted(Event::TrustModelSet { version: 3 }));
	});
}

#[test]
fn a_bad_trust_model_is_refused() {
	use codec::Encode;
	use endo_trust::{Activation, Layer, TrustModel, Q32};
	test(|| {
		for garbage in [vec![], vec![1, 2, 3], vec![0xff; 100]] {
			assert_noop!(
				Uiv::set_trust_model(RuntimeOrigin::root(), garbage.try_into().unwrap()),
				Error::<Test>::BadTrustModel
			);
		}
		// A valid network of the wrong shape: 2 -> 1.
		let layer =
			Layer::new(2, 1, Activation::Sigmoid, vec![Q32::ONE, Q32::ONE], vec![Q32::ZERO])
				.unwrap();
		let two = TrustModel::new(vec![], vec![layer]).unwrap().encode();
		assert_noop!(
			Uiv::set_trust_model(RuntimeOrigin::root(), two.try_into().unwrap()),
			Error::<Test>::BadTrustModel
		);
		// A truncated blob of a good model.
		let mut cut = constant_model(6);
		cut.pop();
		assert_noop!(
			Uiv::set_trust_model(RuntimeOrigin::root(), cut.try_into().unwrap()),
			Error::<Test>::BadTrustModel
		);
		assert_eq!(TrustModelVersion::<Test>::get(), 1);
	});
}
