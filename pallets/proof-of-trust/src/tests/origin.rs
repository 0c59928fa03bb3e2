//! `EnsureTrustLevel`.

use super::*;
use crate::types::levels::{AtLeastHigh, AtLeastModerate};
use frame_support::traits::{EnsureOrigin, OriginTrait};

type High = EnsureTrustLevel<Test, AtLeastHigh>;
type Moderate = EnsureTrustLevel<Test, AtLeastModerate>;

#[test]
fn admits_signed_accounts_at_or_above_the_level() {
	test(|| {
		assert_eq!(High::try_origin(RuntimeOrigin::signed(1)).ok(), Some(1));
		// A controller account enrolled at the prior: Moderate.
		<ProofOfTrust as BehaviourTrustSink<AccountId>>::enrol(&10).unwrap();
		assert!(High::try_origin(RuntimeOrigin::signed(10)).is_err());
		assert_eq!(Moderate::try_origin(RuntimeOrigin::signed(10)).ok(), Some(10));
		assert!(Moderate::try_origin(RuntimeOrigin::signed(77)).is_err());
		assert!(Moderate::try_origin(RuntimeOrigin::root()).is_err());
		assert!(Moderate::try_origin(RuntimeOrigin::none()).is_err());
		assert_ok!(ProofOfTrust::report_behaviour(
			RuntimeOrigin::root(),
			1,
			BehaviourEvidence::Conspiracy
		));
		assert!(Moderate::try_origin(RuntimeOrigin::signed(1)).is_err());
	});
}

#[test]
fn refused_origins_come_back_unchanged() {
	test(|| {
		let origin = RuntimeOrigin::signed(77);
		let back = High::try_origin(origin.clone()).unwrap_err();
		assert_eq!(back.caller(), origin.caller());
	});
}

#[cfg(feature = "runtime-benchmarks")]
#[test]
fn successful_origin_for_benchmarks() {
	test(|| {
		let origin = High::try_successful_origin().unwrap();
		assert!(High::try_origin(origin).is_ok());
	});
}
