//! Proof of Trust for consensus: trust values become BABE / GRANDPA authority weights, the
//! validator set is selected from trust, and slots are attributed to authors (paper 000 sec. 3:
//! "a node's trust level ... raises its chance to win the right to author blocks").
//!
//! # Formulas
//!
//! * **Weight** ([`authority_weight`]): `w = max(1, floor(T * WEIGHT_SCALE))` with trust `T` in
//!   `[0, 1]` and [`WEIGHT_SCALE`] `= 10^6`. BABE gives authority `i` the primary-slot probability
//!   `p_i = 1 - (1 - c)^(w_i / sum w)` (Sassafras/BABE paper, and
//!   `sc_consensus_babe::authorship::calculate_primary_threshold`), so for small `c` a validator's
//!   share of primary slots is close to its share of trust. A weight of 0 makes that node-side
//!   computation panic ("authority with weight 0."), hence the clamp to 1; an untrusted
//!   validator is removed, not zero-weighted.
//! * **Selection** ([`select_authorities`]): eligible candidates by trust, descending (ties by
//!   position), at most `max`, of which at most `max_newcomers` not yet in the set. Candidates
//!   that have authored a block recently (*proven live*) get the weight of their trust times
//!   their stake factor ([`live_weight`]); the others (newcomers, silent incumbents) are *on
//!   probation* with weight [`PROBATION_WEIGHT`] = 1: BABE gives them secondary slots only
//!   (which are assigned uniformly, so they can prove liveness) and GRANDPA counts them
//!   negligibly. Two rules then hold for the selection, by dropping probationers from the
//!   bottom and cutting or dropping recent members: proven-live members hold more than two
//!   thirds of the weight (`3 L > 2 W`), and members admitted recently ([`Standing`]) hold less
//!   than `recent_share` of it, however many of them there are. If fewer than `min` members
//!   remain, or none is proven live, there is no selection and the caller keeps its last good
//!   set. Hence no evidence, registration or key choice can hand the GRANDPA set to nodes
//!   that never produced a block, nor to any number of newly admitted ones.
//! * **Secondary slot author** ([`secondary_slot_index`]): BABE assigns slot `s` of an epoch
//!   with randomness `r` to authority `U256::from_big_endian(blake2_256(SCALE(r, s))) mod n`
//!   (`sc_consensus_babe::authorship::secondary_slot_author`). The hash is computed by the
//!   caller (the runtime's host function); the reduction is here. Every authority proposes in its
//!   secondary slots, so a slot without a block names exactly one validator that failed to
//!   author: the evidence of a missed slot.
//! * **Primary threshold** ([`primary_threshold`], `std` only, floats): a bit-exact copy of
//!   `calculate_primary_threshold`, for tests and simulations; never used in the runtime.
//!
//! Everything except [`primary_threshold`] is integer-only and cannot panic.

extern crate alloc;
use alloc::vec::Vec;
use sp_arithmetic::Perbill;

/// Weight units per unit of trust: a trust of 1 would weigh `10^6`.
pub const WEIGHT_SCALE: u64 = 1_000_000;

/// The weight of a validator on probation (not yet proven to author blocks).
pub const PROBATION_WEIGHT: u64 = 1;

/// `Perbill` parts per weight unit.
const PARTS_PER_WEIGHT: u32 = 1_000_000_000 / WEIGHT_SCALE as u32;

/// The BABE / GRANDPA weight of a validator with trust `trust`: `max(1, floor(T * 10^6))`.
///
/// Monotone in `trust`, never 0, at most [`WEIGHT_SCALE`].
pub fn authority_weight(trust: Perbill) -> u64 {
	u64::from(trust.deconstruct() / PARTS_PER_WEIGHT).max(1)
}

/// How long a candidate has been in the validator set, as [`select_authorities`] sees it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Standing {
	/// A member for at least the recent-admission window (or a founding member since genesis):
	/// its weight is not capped.
	Veteran,
	/// A member admitted within the recent-admission window.
	Recent,
	/// Not in the current set: selecting it would admit it now.
	Newcomer,
}

impl Standing {
	/// Whether this standing counts towards the recent admissions' weight cap.
	pub fn is_recent(self) -> bool {
		!matches!(self, Standing::Veteran)
	}
}

/// One candidate as seen by [`select_authorities`].
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Candidate {
	/// Its current trust value.
	pub trust: Perbill,
	/// Whether it may be selected at all (trust level at or above the minimum, not sanctioned,
	/// identity and admission requirements met).
	pub eligible: bool,
	/// Whether it authored a block recently (proven live).
	pub live: bool,
	/// The fraction of the full weight its stake earns: `min(bond / full_weight_bond, 1)`
	/// with stake-weighted admission, 1 with permissioned admission.
	pub stake: Perbill,
	/// Veteran, recently admitted, or newcomer.
	pub standing: Standing,
}

/// The limits [`select_authorities`] applies.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SelectionLimits {
	/// The most members.
	pub max: u32,
	/// The fewest members (at least 1): with fewer, there is no selection.
	pub min: u32,
	/// The most newcomers admitted by one selection.
	pub max_newcomers: u32,
	/// Recently admitted members and newcomers together hold *less* than this share of the
	/// total weight (whenever any is selected).
	pub recent_share: Perbill,
}

/// Why [`select_authorities`] made no selection.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum NoSelection {
	/// Fewer than `min` candidates qualify.
	TooFewEligible,
	/// No qualifying candidate is proven live: a set of probationers could stall finality.
	NoneLive,
}

/// The weight a proven-live candidate earns: [`authority_weight`] of `trust * stake`.
pub fn live_weight(trust: Perbill, stake: Perbill) -> u64 {
	let parts = u64::from(trust.deconstruct()) * u64::from(stake.deconstruct()) / 1_000_000_000;
	// parts <= 10^9: the cast cannot truncate.
	authority_weight(Perbill::from_parts(parts as u32))
}

/// `r` is below `share` of `r + v`: `r (1 - s) < s v` in integers.
fn below_share(r: u128, v: u128, share: Perbill) -> bool {
	let s = u128::from(share.deconstruct());
	r * (1_000_000_000 - s) < s * v
}

/// The largest total weight recent members may hold next to veterans of weight `v`, or `None`
/// if no positive weight fits (`share` 0 or no veteran weight).
fn recent_budget(v: u128, share: Perbill) -> Option<u128> {
	let s = u128::from(share.deconstruct());
	if s == 0 || v == 0 {
		return None;
	}
	if s >= 1_000_000_000 {
		return Some(u128::MAX);
	}
	// Largest r with r (10^9 - s) < s v, i.e. r <= (s v - 1) / (10^9 - s).
	let budget = (s * v - 1) / (1_000_000_000 - s);
	(budget > 0).then_some(budget)
}

/// The validator set of the next epoch: `(candidate index, weight)` pairs, by trust descending.
///
/// * at most `max` members, each eligible, no index twice, at most `max_newcomers` newcomers;
/// * weights `>= 1`: [`live_weight`] for live members (recent ones possibly cut, see below),
///   [`PROBATION_WEIGHT`] otherwise;
/// * proven-live members hold more than two thirds of the total weight;
/// * recent members and newcomers hold less than `recent_share` of the total weight: their
///   weights are cut at a common ceiling, and if even weight 1 each is too much, the least
///   trusted of them are dropped (so with no veteran selected, none of them is);
/// * at least `max(min, 1)` members, else `Err`.
///
/// Ties in trust are broken by position in `candidates` (earlier first), so the caller decides
/// the order of equals (e.g. by key).
pub fn select_authorities(
	candidates: &[Candidate],
	limits: SelectionLimits,
) -> Result<Vec<(usize, u64)>, NoSelection> {
	let mut order: Vec<usize> = (0..candidates.len()).filter(|i| candidates[*i].eligible).collect();
	// Stable sort: equal trust keeps the caller's order.
	order.sort_by(|a, b| candidates[*b].trust.cmp(&candidates[*a].trust));
	let mut newcomers = 0u32;
	order.retain(|i| {
		if candidates[*i].standing != Standing::Newcomer {
			return true;
		}
		newcomers += 1;
		newcomers <= limits.max_newcomers
	});
	order.truncate(limits.max as usize);
	let min = limits.min.max(1) as usize;
	if order.len() < min {
		return Err(NoSelection::TooFewEligible);
	}
	let weight = |i: usize| {
		let c = &candidates[i];
		if c.live {
			live_weight(c.trust, c.stake)
		} else {
			PROBATION_WEIGHT
		}
	};
	let mut selected: Vec<(usize, u64)> = order.into_iter().map(|i| (i, weight(i))).collect();
	let sum = |set: &[(usize, u64)], keep: &dyn Fn(&Candidate) -> bool| -> u128 {
		set.iter().filter(|(i, _)| keep(&candidates[*i])).map(|(_, w)| u128::from(*w)).sum()
	};
	if sum(&selected, &|c| c.live) == 0 {
		return Err(NoSelection::NoneLive);
	}
	// Each pass either finds both rules satisfied or drops a member or cuts recent weights
	// (after which the cap holds until something is dropped): at most 2 n + 1 passes.
	for _ in 0..=2 * selected.len() {
		let live = sum(&selected, &|c| c.live);
		let total = sum(&selected, &|_| true);
		if 3 * live <= 2 * total {
			// Drop a probationer from the bottom; with none left, live == total.
			match selected.iter().rposition(|(i, _)| !candidates[*i].live) {
				Some(position) => {
					selected.remove(position);
					continue;
				}
				None => break,
			}
		}
		let veterans = sum(&selected, &|c| !c.standing.is_recent());
		let recent = sum(&selected, &|c| c.standing.is_recent());
		if recent == 0 || below_share(recent, veterans, limits.recent_share) {
			break;
		}
		let count = selected.iter().filter(|(i, _)| candidates[*i].standing.is_recent()).count();
		match recent_budget(veterans, limits.recent_share) {
			Some(budget) if budget >= count as u128 => {
				let ceiling = recent_ceiling(&selected, candidates, budget);
				for (i, w) in selected.iter_mut() {
					if candidates[*i].standing.is_recent() {
						*w = (*w).min(ceiling);
					}
				}
			}
			_ => {
				// Not even weight 1 each fits: drop the least trusted recent member.
				if let Some(position) =
					selected.iter().rposition(|(i, _)| candidates[*i].standing.is_recent())
				{
					selected.remove(position);
				}
			}
		}
	}
	if selected.len() < min || sum(&selected, &|c| c.live) == 0 {
		return Err(if selected.len() < min {
			NoSelection::TooFewEligible
		} else {
			NoSelection::NoneLive
		});
	}
	Ok(selected)
}

/// The largest ceiling `c >= 1` with `sum(min(w, c))` over recent members `<= budget`
/// (`budget >=` their count, so `c = 1` fits).
fn recent_ceiling(selected: &[(usize, u64)], candidates: &[Candidate], budget: u128) -> u64 {
	let capped = |c: u64| -> u128 {
		selected
			.iter()
			.filter(|(i, _)| candidates[*i].standing.is_recent())
			.map(|(_, w)| u128::from((*w).min(c)))
			.sum()
	};
	let (mut lo, mut hi) = (1u64, WEIGHT_SCALE);
	while lo < hi {
		let mid = lo + (hi - lo).div_ceil(2);
		if capped(mid) <= budget {
			lo = mid;
		} else {
			hi = mid - 1;
		}
	}
	lo
}

/// The liveness window, in epochs, for `n` authorities, epochs of `epoch_slots` slots and
/// BABE's `c = c.0 / c.1`: the least `W >= min` with `W >= 8 n / (E (1 - c))`.
///
/// An online authority authors about `E (1 - c) / n` secondary blocks per epoch (the slots
/// without a primary winner, assigned uniformly), so it goes `W` epochs without a block with
/// probability about `exp(-W E (1 - c) / n)`: at most `exp(-8)` (3.4e-4) with this `W`. With
/// 40-slot epochs and `c = 1/4`: 2 epochs for 4 authorities, 27 for 100. A degenerate epoch
/// (`E = 0` or `c >= 1`, no secondary slots to count on) gives `max_window`.
pub fn liveness_window(n: u32, epoch_slots: u64, c: (u64, u64), min: u32, max_window: u32) -> u32 {
	let (num, den) = c;
	if epoch_slots == 0 || den == 0 || num >= den {
		return max_window.max(min);
	}
	// ceil(8 n den / (E (den - num))) in u128: no overflow for any u32 n and u64 E, den.
	let top = 8u128 * u128::from(n) * u128::from(den);
	let bottom = u128::from(epoch_slots) * u128::from(den - num);
	let w = top.div_ceil(bottom);
	u32::try_from(w).unwrap_or(u32::MAX).clamp(min, max_window.max(min))
}

/// The missed slots per epoch a validator is not blamed for: `ceil(2 E c / (3 n))` for `n`
/// authorities, epochs of `epoch_slots` slots and BABE's `c = c.0 / c.1`.
///
/// An empty slot on the chain does not prove that its secondary author failed: an author that
/// wins a fork race with a primary block at the next slot orphans the block before it (same
/// height, more primary weight), and on the winning chain, the one GRANDPA then finalizes, the
/// orphaned slot looks missed. One primary block orphans at most one block (orphaning two
/// would leave the attacker's chain shorter), and the orphaned slot belongs to whoever BABE
/// gave it to, one validator in `n`. An attacker with a share `theta` of the weight wins about
/// `E (1 - (1 - c)^theta) <= E c theta` primary slots per epoch, so with at most a third of the
/// weight (the most GRANDPA tolerates) it orphans about `E c / (3 n)` of one validator's blocks
/// per epoch on average. The allowance is twice that: such blame is absorbed, while a validator
/// that is offline (about `E (1 - c) / n` missed slots per epoch) is blamed for nearly all of
/// them. A degenerate epoch (`n = 0`, `c.1 = 0`) allows 0.
pub fn orphan_allowance(n: u32, epoch_slots: u64, c: (u64, u64)) -> u32 {
	if n == 0 || c.1 == 0 {
		return 0;
	}
	let top = 2u128 * u128::from(epoch_slots) * u128::from(c.0.min(c.1));
	let bottom = 3u128 * u128::from(c.1) * u128::from(n);
	u32::try_from(top.div_ceil(bottom)).unwrap_or(u32::MAX)
}

/// The index of the secondary-slot author among `authorities` authorities, given
/// `hash = blake2_256(SCALE((epoch randomness, slot)))`: the hash read as a big-endian 256-bit
/// integer, modulo `authorities`. `None` if there are no authorities.
pub fn secondary_slot_index(hash: &[u8; 32], authorities: u32) -> Option<u32> {
	if authorities == 0 {
		return None;
	}
	let n = u64::from(authorities);
	// Horner's rule, byte by byte: (r * 256 + b) mod n; r < n < 2^32, so nothing overflows.
	let r = hash.iter().fold(0u64, |r, b| (r * 256 + u64::from(*b)) % n);
	Some(r as u32)
}

/// BABE's primary-slot threshold for authority `index`, bit for bit as the node computes it
/// (`sc_consensus_babe::authorship::calculate_primary_threshold`, sc-consensus-babe 0.60.0):
/// `p = 1 - (1 - c)^theta` in `f64` with `c = c.0 / c.1` and `theta = w_i / sum w`, then
/// `floor(2^128 * p)` computed exactly from the binary value of `p`. A VRF output `v` (its 16
/// bytes read little-endian) wins the slot iff `v < threshold`.
///
/// Returns 0 where the node returns 0 (`c.1 == 0`, index out of range). Where the node panics
/// this returns 0 (a weight of 0 for this authority, a zero weight sum) or `u128::MAX`
/// (`c >= 1`, so that `p = 1`).
///
/// `std` only: it uses floating point, exactly as the node does, and must never run in the
/// runtime.
#[cfg(feature = "std")]
pub fn primary_threshold(c: (u64, u64), weights: &[u64], index: usize) -> u128 {
	if c.1 == 0 || index >= weights.len() {
		return 0;
	}
	let c = c.0 as f64 / c.1 as f64;
	// The node sums in u64 (and would overflow-panic in debug builds); we wrap like release.
	let sum = weights.iter().fold(0u64, |s, w| s.wrapping_add(*w));
	let theta = weights[index] as f64 / sum as f64;
	if theta.is_nan() || theta <= 0.0 {
		return 0;
	}
	let p = 1f64 - (1f64 - c).powf(theta);
	if p >= 1.0 {
		return u128::MAX;
	}
	floor_times_2_pow_128(p)
}

/// `floor(2^128 * p)` for a finite `p` in `[0, 1)`, exactly (what `BigRational::from_float`
/// followed by `2^128 * numer / denom` computes).
#[cfg(feature = "std")]
fn floor_times_2_pow_128(p: f64) -> u128 {
	if p.is_nan() || p <= 0.0 {
		return 0;
	}
	let bits = p.to_bits();
	let exponent = ((bits >> 52) & 0x7ff) as i32;
	let fraction = bits & ((1u64 << 52) - 1);
	// p = mantissa * 2^shift exactly.
	let (mantissa, shift) =
		if exponent == 0 { (fraction, -1074) } else { (fraction | (1u64 << 52), exponent - 1075) };
	// 2^128 p = mantissa * 2^(shift + 128); p < 1 implies the result is below 2^128.
	let total = shift + 128;
	if total >= 0 {
		(mantissa as u128) << total
	} else if total > -64 {
		(mantissa as u128) >> (-total)
	} else {
		0
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec;

	fn live(percent: u32) -> Candidate {
		Candidate {
			trust: Perbill::from_percent(percent),
			eligible: true,
			live: true,
			stake: Perbill::one(),
			standing: Standing::Veteran,
		}
	}
	fn new(percent: u32) -> Candidate {
		Candidate { live: false, ..live(percent) }
	}
	fn limits(max: u32, min: u32) -> SelectionLimits {
		SelectionLimits { max, min, max_newcomers: u32::MAX, recent_share: Perbill::one() }
	}

	#[test]
	fn weights_are_scaled_trust_clamped_to_one() {
		assert_eq!(authority_weight(Perbill::one()), WEIGHT_SCALE);
		assert_eq!(authority_weight(Perbill::from_percent(50)), 500_000);
		assert_eq!(authority_weight(Perbill::from_parts(999)), 1);
		assert_eq!(authority_weight(Perbill::zero()), 1);
	}

	#[test]
	fn selects_top_by_trust_with_trust_weights() {
		let c = [live(60), live(90), live(70), new(95)];
		let set = select_authorities(&c, limits(3, 1)).expect("selection");
		// 95 % is on probation: weight 1, but it ranks first.
		assert_eq!(set, vec![(3, 1), (1, 900_000), (2, 700_000)]);
	}

	#[test]
	fn ineligible_candidates_are_never_selected() {
		let mut c = [live(90), live(80)];
		c[0].eligible = false;
		assert_eq!(select_authorities(&c, limits(5, 1)), Ok(vec![(1, 800_000)]));
		c[1].eligible = false;
		assert_eq!(select_authorities(&c, limits(5, 1)), Err(NoSelection::TooFewEligible));
	}

	#[test]
	fn too_few_or_none_live_keeps_the_last_set() {
		assert_eq!(select_authorities(&[live(90)], limits(5, 2)), Err(NoSelection::TooFewEligible));
		assert_eq!(
			select_authorities(&[new(90), new(80)], limits(5, 1)),
			Err(NoSelection::NoneLive)
		);
		assert_eq!(select_authorities(&[], limits(5, 0)), Err(NoSelection::TooFewEligible));
	}

	#[test]
	fn probationers_cannot_take_a_third_of_the_weight() {
		// A barely trusted live validator (weight 100) and many probationers (weight 1 each):
		// only probationers that keep 3 L > 2 W fit (W < 150: at most 49 of them).
		let mut c = vec![Candidate { trust: Perbill::from_parts(100_000), ..live(0) }];
		c.extend((0..80).map(|_| new(10)));
		let set = select_authorities(&c, limits(100, 1)).expect("selection");
		let total: u64 = set.iter().map(|(_, w)| w).sum();
		assert_eq!(set.len(), 50);
		assert!(3 * 100 > 2 * total);
		// The probationers rank higher (trust 0.1 > 0.0001) but only 49 of them fit.
		assert!(set.contains(&(0, 100)));
	}

	#[test]
	fn ties_keep_the_callers_order() {
		let c = [live(70), live(70), live(70)];
		let set = select_authorities(&c, limits(2, 1)).expect("selection");
		assert_eq!(set, vec![(0, 700_000), (1, 700_000)]);
	}

	#[test]
	fn stake_scales_the_live_weight() {
		let mut c = [live(80), live(80)];
		c[1].stake = Perbill::from_percent(25);
		assert_eq!(select_authorities(&c, limits(2, 1)), Ok(vec![(0, 800_000), (1, 200_000)]));
		assert_eq!(live_weight(Perbill::one(), Perbill::zero()), 1);
	}

	#[test]
	fn newcomers_per_selection_are_capped() {
		let mut c = vec![live(60)];
		c.extend((0..5).map(|_| Candidate { standing: Standing::Newcomer, ..new(90) }));
		let set =
			select_authorities(&c, SelectionLimits { max_newcomers: 2, ..limits(10, 1) }).unwrap();
		assert_eq!(set, vec![(1, 1), (2, 1), (0, 600_000)]);
	}

	#[test]
	fn recent_members_hold_less_than_their_share() {
		// Four veterans of weight 900 000 and six recent live members of 950 000: the recent
		// ones are cut to a common ceiling below a tenth of the total.
		let mut c: Vec<Candidate> = (0..4).map(|_| live(90)).collect();
		c.extend((0..6).map(|_| Candidate { standing: Standing::Recent, ..live(95) }));
		let share = Perbill::from_percent(10);
		let set = select_authorities(&c, SelectionLimits { recent_share: share, ..limits(10, 1) })
			.unwrap();
		assert_eq!(set.len(), 10);
		let recent: u64 = set.iter().filter(|(i, _)| *i >= 4).map(|(_, w)| w).sum();
		let total: u64 = set.iter().map(|(_, w)| w).sum();
		assert!(recent * 10 < total, "{recent} of {total}");
		// 3.6 M of veterans allow 399 999 of recent weight: 66 666 each.
		assert_eq!(recent, 6 * 66_666);
		// No veteran: no recent member either.
		let only_recent = &c[4..];
		assert_eq!(
			select_authorities(
				only_recent,
				SelectionLimits { recent_share: share, ..limits(10, 1) }
			),
			Err(NoSelection::TooFewEligible)
		);
		// Share 0: recent members are never selected.
		let set = select_authorities(
			&c,
			SelectionLimits { recent_share: Perbill::zero(), ..limits(10, 1) },
		)
		.unwrap();
		assert_eq!(set.len(), 4);
	}

	#[test]
	fn liveness_window_follows_the_set_size() {
		// 8 * 4 * 4 / (40 * 3) = 1.07: 2 epochs; 100 validators: 26.7, 27 epochs.
		assert_eq!(liveness_window(4, 40, (1, 4), 1, 1_000), 2);
		assert_eq!(liveness_window(100, 40, (1, 4), 1, 1_000), 27);
		assert_eq!(liveness_window(1, 40, (1, 4), 1, 1_000), 1);
		assert_eq!(liveness_window(1, 40, (1, 4), 3, 1_000), 3);
		// Degenerate epochs fall back to the maximum; the maximum bounds the window.
		assert_eq!(liveness_window(4, 0, (1, 4), 1, 50), 50);
		assert_eq!(liveness_window(4, 40, (1, 1), 1, 50), 50);
		assert_eq!(liveness_window(u32::MAX, 1, (1, 2), 1, 50), 50);
		// Whatever the size, an online authority's chance to go a window without a block is
		// below exp(-7.99).
		for n in 1..500u32 {
			let w = liveness_window(n, 40, (1, 4), 1, u32::MAX);
			assert!(f64::from(w) * 40.0 * 0.75 / f64::from(n) >= 8.0, "n = {n}");
		}
	}

	#[test]
	fn orphan_allowance_is_twice_the_expected_orphanings() {
		// 4 validators, 40-slot epochs, c = 1/4: 2 * 40 / 4 / 12 = 1.7, so 2; 100: 0.07, so 1.
		assert_eq!(orphan_allowance(4, 40, (1, 4)), 2);
		assert_eq!(orphan_allowance(100, 40, (1, 4)), 1);
		assert_eq!(orphan_allowance(1, 40, (1, 4)), 7);
		assert_eq!(orphan_allowance(0, 40, (1, 4)), 0);
		assert_eq!(orphan_allowance(4, 40, (1, 0)), 0);
		// An offline validator of 4 misses E (1 - c) / n = 7.5 slots an epoch: blamed for most.
		assert!(40.0 * 0.75 / 4.0 > 3.0 * f64::from(orphan_allowance(4, 40, (1, 4))));
	}

	#[test]
	fn secondary_index_is_big_endian_modulo() {
		let mut hash = [0u8; 32];
		hash[31] = 7;
		assert_eq!(secondary_slot_index(&hash, 4), Some(3));
		hash[30] = 1; // 256 + 7 = 263 = 65 * 4 + 3
		assert_eq!(secondary_slot_index(&hash, 4), Some(3));
		assert_eq!(secondary_slot_index(&hash, 5), Some(263 % 5));
		assert_eq!(secondary_slot_index(&[0xff; 32], 1), Some(0));
		assert_eq!(secondary_slot_index(&hash, 0), None);
		// 2^256 - 1 mod 3 = 0 (2^256 = 1 mod 3); mod 7: 2^256 = 2^(3*85+1) = 2 mod 7, so 1.
		assert_eq!(secondary_slot_index(&[0xff; 32], 3), Some(0));
		assert_eq!(secondary_slot_index(&[0xff; 32], 7), Some(1));
	}

	#[cfg(feature = "std")]
	#[test]
	fn threshold_edge_cases() {
		assert_eq!(primary_threshold((1, 0), &[1, 1], 0), 0);
		assert_eq!(primary_threshold((1, 4), &[1, 1], 2), 0);
		assert_eq!(primary_threshold((1, 4), &[0, 1], 0), 0);
		// One authority with c = 1/4: p = 1/4 exactly, threshold 2^126.
		assert_eq!(primary_threshold((1, 4), &[5], 0), 1u128 << 126);
		// c = 1/2, two equal authorities: p = 1 - sqrt(1/2).
		let t = primary_threshold((1, 2), &[3, 3], 1);
		let p = t as f64 / 2f64.powi(128);
		assert!((p - (1.0 - 0.5f64.sqrt())).abs() < 1e-15);
	}
}
