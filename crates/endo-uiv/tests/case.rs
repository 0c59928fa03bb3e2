//! The disclosure state machines and the embargo policy: every illegal move is refused and
//! changes nothing, and no deadline passes the cap.

// Helpers outside `#[test]` functions unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use endo_uiv::case::{can_close, close, DAY_MS};
use endo_uiv::{
	Consent, Deadline, DisclosurePolicy, EmbargoState, Error, ExitReason, Moment, ProductStatus,
	ReportState,
};
use proptest::prelude::*;

fn report_state() -> impl Strategy<Value = ReportState> {
	prop::sample::select(ReportState::ALL.to_vec())
}

fn embargo_state() -> impl Strategy<Value = EmbargoState> {
	prop::sample::select(EmbargoState::ALL.to_vec())
}

fn product_status() -> impl Strategy<Value = ProductStatus> {
	prop::sample::select(ProductStatus::ALL.to_vec())
}

fn consent() -> impl Strategy<Value = Consent> {
	prop::sample::select(Consent::ALL.to_vec())
}

#[test]
fn product_moves_are_exactly_the_documented_ones() {
	use ProductStatus::*;
	let legal = [
		(UnderInvestigation, Affected),
		(UnderInvestigation, NotAffected),
		(Affected, Fixed),
		(Affected, NotAffected),
		(NotAffected, Affected),
		(Fixed, Affected),
	];
	for from in ProductStatus::ALL {
		for to in ProductStatus::ALL {
			assert_eq!(from.can_transition(to), legal.contains(&(from, to)), "{from:?} -> {to:?}");
		}
	}
	// Fixed only from Affected.
	for from in ProductStatus::ALL {
		assert_eq!(from.transition(Fixed).is_ok(), from == Affected);
	}
}

#[test]
fn consent_moves() {
	use Consent::*;
	assert_eq!(Pending.transition(Accepted), Ok(Accepted));
	assert_eq!(Pending.transition(Declined), Ok(Declined));
	assert_eq!(Accepted.transition(Declined), Ok(Declined));
	assert_eq!(Declined.transition(Accepted), Ok(Accepted));
	for c in Consent::ALL {
		assert_eq!(c.transition(Pending), Err(Error::InvalidTransition));
		assert_eq!(c.transition(c), Err(Error::InvalidTransition));
	}
	assert!(!Consent::all_accepted(&[]));
	assert!(!Consent::all_accepted(&[Accepted, Declined]));
	assert!(Consent::all_accepted(&[Accepted, Accepted, Accepted]));
}

#[test]
fn embargo_moves_from_every_state() {
	use EmbargoState::*;
	let yes = [Consent::Accepted];
	for s in EmbargoState::ALL {
		assert_eq!(s.propose().is_ok(), s == None, "propose from {s:?}");
		assert_eq!(s.reject().is_ok(), s == Proposed, "reject from {s:?}");
		assert_eq!(s.accept(&yes).is_ok(), s == Proposed, "accept from {s:?}");
		assert_eq!(s.revise().is_ok(), s == Active, "revise from {s:?}");
		for reason in
			[ExitReason::DeadlineReached, ExitReason::Disclosed, ExitReason::ExploitedInTheWild]
		{
			assert_eq!(s.exit(reason).is_ok(), s.is_live(), "exit from {s:?}");
		}
	}
	assert_eq!(None.accept(&yes), Err(Error::InvalidTransition));
	assert_eq!(
		Proposed.accept(&[Consent::Accepted, Consent::Declined]),
		Err(Error::ConsentMissing)
	);
}

#[test]
fn a_case_from_report_to_disclosure() {
	let report = ReportState::Received.transition(ReportState::Valid).unwrap();
	let report = report.transition(ReportState::Accepted).unwrap();
	let embargo = EmbargoState::None.propose().unwrap();
	let mut consents = vec![Consent::Pending; 3];
	assert_eq!(embargo.accept(&consents), Err(Error::ConsentMissing));
	for c in consents.iter_mut() {
		*c = c.transition(Consent::Accepted).unwrap();
	}
	let embargo = embargo.accept(&consents).unwrap();
	assert_eq!(close(report, embargo), Err(Error::EmbargoLive));
	let product = ProductStatus::UnderInvestigation.transition(ProductStatus::Affected).unwrap();
	let product = product.transition(ProductStatus::Fixed).unwrap();
	assert_eq!(product, ProductStatus::Fixed);
	let embargo = embargo.exit(ExitReason::Disclosed).unwrap();
	assert_eq!(close(report, embargo), Ok(ReportState::Closed));
}

proptest! {
	/// A move is accepted exactly when it is legal; a refused move leaves the caller's value as
	/// it was (the machines are `Copy` values: an `Err` carries no new state).
	#[test]
	fn illegal_report_moves_change_nothing(from in report_state(), to in report_state()) {
		let before = from;
		match from.transition(to) {
			Ok(next) => { prop_assert!(from.can_transition(to)); prop_assert_eq!(next, to); },
			Err(e) => { prop_assert_eq!(e, Error::InvalidTransition); prop_assert!(!from.can_transition(to)); },
		}
		prop_assert_eq!(from, before);
		prop_assert!(!ReportState::Closed.can_transition(to));
	}

	#[test]
	fn illegal_product_moves_change_nothing(from in product_status(), to in product_status()) {
		let before = from;
		prop_assert_eq!(from.transition(to).is_ok(), from.can_transition(to));
		prop_assert_eq!(from, before);
		prop_assert!(!to.can_transition(ProductStatus::UnderInvestigation));
	}

	#[test]
	fn no_close_under_a_live_embargo(report in report_state(), embargo in embargo_state()) {
		if embargo.is_live() {
			prop_assert!(!can_close(report, embargo));
			prop_assert_eq!(close(report, embargo), Err(Error::EmbargoLive));
		} else {
			prop_assert_eq!(can_close(report, embargo), close(report, embargo).is_ok());
		}
	}

	#[test]
	fn embargo_activates_only_with_every_consent(consents in prop::collection::vec(consent(), 0..8)) {
		let all = !consents.is_empty() && consents.iter().all(|c| *c == Consent::Accepted);
		prop_assert_eq!(EmbargoState::Proposed.accept(&consents).is_ok(), all);
	}

	/// Whatever happens to an embargo (patches, exploitation news, revisions, in any order),
	/// its deadline never passes the cap and the cap never moves.
	#[test]
	fn deadline_never_exceeds_the_cap(
		embargo_days in 1u64..200,
		extension_days in 0u64..200,
		exploited_days in 1u64..30,
		cap_days in 1u64..250,
		block_ms in 1u64..20_000,
		start_block in 0u32..1_000_000,
		start_ms in 0u64..4_000_000_000_000,
		ops in prop::collection::vec((0u8..3, 0u64..300, 0u64..300), 0..12),
	) {
		let policy = DisclosurePolicy {
			embargo_ms: embargo_days * DAY_MS,
			patch_extension_ms: extension_days * DAY_MS,
			exploited_ms: exploited_days * DAY_MS,
			max_embargo_ms: cap_days * DAY_MS,
		};
		let now = Moment { block: start_block, utc_ms: start_ms };
		let clock = policy.start(now, block_ms);
		if policy.validate().is_err() {
			prop_assert_eq!(clock, Err(Error::InvalidPolicy));
			return Ok(());
		}
		let mut clock = clock.unwrap();
		let cap = clock.cap;
		prop_assert_eq!(cap, Deadline::after(now, policy.max_embargo_ms, block_ms).unwrap());
		prop_assert!(clock.deadline.not_after(cap));
		for (op, days, revise_days) in ops {
			let at = Moment {
				block: start_block.saturating_add((days * DAY_MS / block_ms) as u32),
				utc_ms: start_ms + days * DAY_MS,
			};
			let before = clock.deadline;
			clock = match op {
				0 => match clock.patch_released(&policy, block_ms) {
					Ok(c) => { prop_assert!(before.not_after(c.deadline)); c },
					Err(e) => { prop_assert_eq!(e, Error::AlreadyExtended); clock },
				},
				1 => {
					let c = clock.exploited(&policy, at, block_ms).unwrap();
					prop_assert!(c.deadline.not_after(before));
					prop_assert!(c.deadline.utc_ms <= at.utc_ms + policy.exploited_ms);
					c
				},
				_ => match clock.revise_to(at, at.utc_ms + revise_days * DAY_MS, block_ms) {
					Ok(c) => c,
					Err(e) => { prop_assert_eq!(e, Error::DeadlineOutOfRange); clock },
				},
			};
			prop_assert!(clock.deadline.not_after(cap), "{:?} past {:?}", clock.deadline, cap);
			prop_assert_eq!(clock.cap, cap);
		}
	}
}

#[test]
fn revisions_outside_now_and_cap_are_refused() {
	let policy = DisclosurePolicy::default();
	let now = Moment { block: 10, utc_ms: 1_000_000 };
	let clock = policy.start(now, 6_000).unwrap();
	assert_eq!(clock.revise_to(now, now.utc_ms - 1, 6_000), Err(Error::DeadlineOutOfRange));
	assert_eq!(
		clock.revise_to(now, now.utc_ms + 121 * DAY_MS, 6_000),
		Err(Error::DeadlineOutOfRange)
	);
	let shorter = clock.revise_to(now, now.utc_ms + 45 * DAY_MS, 6_000).unwrap();
	assert_eq!(shorter.deadline.utc_ms, now.utc_ms + 45 * DAY_MS);
}

#[test]
fn policy_defaults_and_validation() {
	let p = DisclosurePolicy::default();
	assert_eq!(p.embargo_ms, 90 * DAY_MS);
	assert_eq!(p.patch_extension_ms, 30 * DAY_MS);
	assert_eq!(p.exploited_ms, 7 * DAY_MS);
	assert_eq!(p.max_embargo_ms, 120 * DAY_MS);
	assert_eq!(p.validate(), Ok(()));
	let cert = DisclosurePolicy { embargo_ms: 45 * DAY_MS, ..p };
	assert_eq!(cert.validate(), Ok(()));
	assert_eq!(DisclosurePolicy { embargo_ms: 0, ..p }.validate(), Err(Error::InvalidPolicy));
	assert_eq!(
		DisclosurePolicy { embargo_ms: 121 * DAY_MS, ..p }.validate(),
		Err(Error::InvalidPolicy)
	);
	assert_eq!(p.start(Moment::default(), 0), Err(Error::InvalidPolicy));
}
