//! The Sybil attack of the security review: fresh accounts that bond, register and run nodes.
//! Before, each started at the prior (the authority level) with full trust weight, and four of
//! them held 37 % of GRANDPA weight within eight minutes. Now they need an authenticated device
//! of their own, start below the authority level, enter at most `MaxNewcomersPerEpoch` per
//! epoch on probation, and all validators admitted in the last `RecentAdmissionEpochs` epochs
//! together hold less than `MaxRecentWeightShare` (1/10) of the weight, at every epoch.

use super::*;

const SYBILS: u64 = 20;
const FIRST: AccountId = 10;

/// The Sybils' share of a weighted set, in parts per billion.
fn sybil_share<K: PartialEq>(set: &[(K, u64)], sybil_keys: &[K]) -> (u128, u128) {
	let total: u128 = set.iter().map(|(_, w)| u128::from(*w)).sum();
	let sybil: u128 =
		set.iter().filter(|(k, _)| sybil_keys.contains(k)).map(|(_, w)| u128::from(*w)).sum();
	(sybil, total)
}

fn run_attack(mode: AdmissionMode) {
	test_admission(mode, || {
		require_identity(true);
		let sybils: Vec<AccountId> = (FIRST..FIRST + SYBILS).collect();
		let grandpa_keys: Vec<GrandpaId> = sybils.iter().map(|s| grandpa_key(*s)).collect();
		let babe_keys: Vec<BabeId> = sybils.iter().map(|s| babe_key(*s)).collect();
		let mut peak_grandpa = 0u128;
		let mut max_in_set = 0usize;
		for (epoch, sybil) in sybils.iter().enumerate() {
			// One more Sybil per epoch: the strongest attacker the rules allow, with the full
			// bond, an authenticated device, admitted if admission is required, online.
			register_with(*sybil, FULL_BOND);
			bind_device(*sybil, [*sybil as u8; 32], true);
			if mode == AdmissionMode::Permissioned {
				assert_ok!(ProofOfTrust::admit_candidate(RuntimeOrigin::root(), *sybil));
			}
			for s in &sybils[..=epoch] {
				<ProofOfTrust as IdentityTrustSink<AccountId>>::note_identity_evidence(
					&[*s as u8; 32],
					Some(s),
					IdentityEvidence::Authenticated,
				);
			}
			run_to_next_epoch(&[]);
			// GRANDPA's set in force, the one scheduled, and BABE's current and next sets.
			let mut sets = vec![sybil_share(&grandpa_authorities(), &grandpa_keys)];
			if let Some(pending) = pallet_grandpa::PendingChange::<Test>::get() {
				sets.push(sybil_share(&pending.next_authorities, &grandpa_keys));
			}
			sets.push(sybil_share(&babe_authorities(), &babe_keys));
			sets.push(sybil_share(&babe_next_authorities(), &babe_keys));
			for (sybil_weight, total) in sets {
				assert!(
					sybil_weight * 10 < total,
					"epoch {epoch}: Sybils hold {sybil_weight} of {total}"
				);
			}
			let (g, total) = sybil_share(&grandpa_authorities(), &grandpa_keys);
			peak_grandpa = peak_grandpa.max(g * 1_000_000_000 / total);
			let in_set =
				accounts(&Validators::<Test>::get()).iter().filter(|a| sybils.contains(a)).count();
			max_in_set = max_in_set.max(in_set);
			// At most two newcomers per selection.
			let newcomers = NextValidators::<Test>::get()
				.iter()
				.filter(|v| {
					Candidates::<Test>::get(v.account).is_some_and(|c| {
						c.membership == Membership::Since(CurrentEpoch::<Test>::get())
					})
				})
				.count();
			assert!(newcomers <= MAX_NEWCOMERS as usize);
		}
		// Not vacuous: Sybils did get in, authored and earned weight above probation.
		assert!(max_in_set >= 4, "only {max_in_set} Sybils were ever in the set");
		assert!(peak_grandpa > 50_000_000, "peak Sybil share {peak_grandpa} ppb");
		// The genesis validators were never pushed out.
		for who in 1..=4 {
			assert!(accounts(&Validators::<Test>::get()).contains(&who));
		}
	});
}

#[test]
fn twenty_staked_sybils_stay_under_the_recent_share() {
	run_attack(AdmissionMode::Staked);
}

#[test]
fn twenty_admitted_sybils_stay_under_the_recent_share() {
	run_attack(AdmissionMode::Permissioned);
}

#[test]
fn after_the_recent_window_a_validator_earns_its_full_weight() {
	test(|| {
		require_identity(true);
		register_with(10, FULL_BOND);
		bind_device(10, [10; 32], true);
		let mut epochs = 0;
		while epochs < RECENT_EPOCHS + 6 {
			<ProofOfTrust as IdentityTrustSink<AccountId>>::note_identity_evidence(
				&[10; 32],
				Some(&10),
				IdentityEvidence::Authenticated,
			);
			run_to_next_epoch(&[]);
			epochs += 1;
		}
		let set = NextValidators::<Test>::get();
		let v = set.iter().find(|v| v.account == 10).expect("a veteran by now");
		// A veteran: its weight is its trust weight, uncut.
		assert_eq!(v.weight, trust_weight(10));
		assert!(v.weight > 500_000);
	});
}
