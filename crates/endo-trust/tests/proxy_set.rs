//! The proxy set cannot empty itself (`docs/SECURITY.md`, "the proxy set can empty itself"):
//! a simulation of 100 validators over 300 epochs with the trust maths of the Proof-of-Trust
//! ledger (the default [`TrustParams`]; per epoch, decay, then the epoch's authorship
//! evidence: a tenth of a good event per block authored, one bad event per slot left empty).
//!
//! Proxy nodes of `pallet-device-identity`: accounts at `High`, and current validators at
//! `Moderate` (the runtime's `MinValidatorProxyTrust = MinAuthorityLevel`). The old rule, `High`
//! only, empties: without device evidence, identity trust falls back to the prior 1/2, so trust
//! `w I + (1 - w) B` is at most `1/2 * 1/2 + 1/2 * 1 = 3/4 < 0.8` once the genesis evidence has
//! decayed, whatever the authorship evidence (normalising it by the set size, which the review
//! also proposed, cannot help). The new rule holds: a validator that never leaves a slot empty
//! has only good evidence, so `B >= 1/2` and `T >= 1/2`, the `Moderate` threshold.

use endo_trust::{clonal::RandomSource, clonal::SplitMix64, reputation::EVIDENCE_UNIT};
use endo_trust::{Evidence, TrustLevel, TrustParams};

/// Validators at genesis.
const VALIDATORS: usize = 100;
/// Epochs simulated.
const EPOCHS: u32 = 300;
/// BABE slots per epoch (`EPOCH_DURATION_IN_SLOTS`: two minutes of 3 s slots).
const SLOTS_PER_EPOCH: u32 = 40;
/// `EvidenceWeights::authored_block`: a tenth of a good event.
const AUTHORED_BLOCK: u64 = EVIDENCE_UNIT / 10;
/// `EvidenceWeights::missed_slot`: one bad event.
const MISSED_SLOT: u64 = EVIDENCE_UNIT;
/// Good events of each kind a founding validator starts with (`GENESIS_GOOD_EVENTS`).
const GENESIS_GOOD_EVENTS: u64 = 10;

/// One node of the simulation.
struct Node {
	identity: Evidence,
	behaviour: Evidence,
	/// The chance that the node authors a slot it is assigned, in thousandths.
	online_per_mille: u64,
	validator: bool,
}

impl Node {
	fn level(&self, params: &TrustParams) -> TrustLevel {
		params.level(params.trust(&self.identity, &self.behaviour))
	}
}

/// What one epoch of the simulation saw.
struct Census {
	validators: usize,
	proxies: usize,
	high: usize,
}

/// Runs the simulation; `census` is called after every epoch.
fn simulate(mut census: impl FnMut(u32, Census)) {
	let params = TrustParams::default();
	let genesis = Evidence::from_events(GENESIS_GOOD_EVENTS, 0);
	// 70 always online, 20 online 90 % of their slots, 10 gone for good.
	let mut nodes: Vec<Node> = (0..VALIDATORS)
		.map(|i| Node {
			identity: genesis,
			behaviour: genesis,
			online_per_mille: match i {
				0..70 => 1_000,
				70..90 => 900,
				_ => 0,
			},
			validator: true,
		})
		.collect();
	let mut rng = SplitMix64::new(0x5eed);
	for epoch in 0..EPOCHS {
		let set: Vec<usize> = (0..nodes.len()).filter(|&i| nodes[i].validator).collect();
		let mut good = vec![0u64; nodes.len()];
		let mut bad = vec![0u64; nodes.len()];
		for _ in 0..SLOTS_PER_EPOCH {
			let author = set[(rng.next_u64() % set.len() as u64) as usize];
			if rng.next_u64() % 1_000 < nodes[author].online_per_mille {
				good[author] += AUTHORED_BLOCK;
			} else {
				bad[author] += MISSED_SLOT;
			}
		}
		for (i, node) in nodes.iter_mut().enumerate() {
			params.decay(&mut node.identity, 1);
			params.decay(&mut node.behaviour, 1);
			node.behaviour.record_good_units(good[i]);
			node.behaviour.record_bad_units(bad[i]);
		}
		// Selection: the validators at `MinAuthorityLevel`; none, the last set stays.
		let qualified: Vec<bool> =
			nodes.iter().map(|n| n.level(&params) >= TrustLevel::Moderate).collect();
		if qualified.iter().any(|q| *q) {
			for (node, q) in nodes.iter_mut().zip(&qualified) {
				node.validator = *q;
			}
		}
		let is_proxy = |n: &Node| {
			let level = n.level(&params);
			level >= TrustLevel::High || (n.validator && level >= TrustLevel::Moderate)
		};
		census(
			epoch,
			Census {
				validators: nodes.iter().filter(|n| n.validator).count(),
				proxies: nodes.iter().filter(|n| is_proxy(n)).count(),
				high: nodes.iter().filter(|n| n.level(&params) >= TrustLevel::High).count(),
			},
		);
	}
}

#[test]
fn the_proxy_set_of_100_validators_never_empties_in_300_epochs() {
	let mut high_emptied_at = None;
	let mut fewest_proxies = usize::MAX;
	simulate(|epoch, census| {
		assert!(census.proxies > 0, "no proxy node at epoch {epoch}");
		assert!(census.validators > 0, "no validator at epoch {epoch}");
		fewest_proxies = fewest_proxies.min(census.proxies);
		if census.high == 0 && high_emptied_at.is_none() {
			high_emptied_at = Some(epoch);
		}
		if epoch % 50 == 0 || epoch == EPOCHS - 1 {
			println!(
				"epoch {epoch:3}: {:3} validators, {:3} proxies, {:3} at High",
				census.validators, census.proxies, census.high
			);
		}
	});
	// The old rule (High only) empties the set; the 70 validators that never miss a slot stay
	// proxies under the new one.
	let emptied = high_emptied_at.expect("without device evidence, nobody stays at High");
	println!("the old rule's proxy set is empty from epoch {emptied}; the new one's never");
	assert!(emptied < 100, "the old rule empties the set within 100 epochs");
	assert!(fewest_proxies >= 70, "the validators that never miss a slot stay proxies");
}
