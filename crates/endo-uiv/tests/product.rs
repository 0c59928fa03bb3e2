//! Versions and ranges: the order is total and agrees with parsing; ranges are half-open.

// Helpers outside `#[test]` functions unwrap too: a failing unwrap is a failing test.
#![allow(clippy::unwrap_used)]

use codec::{Decode, Encode};
use endo_uiv::product::affects;
use endo_uiv::{ProductId, Version, VersionRange};
use proptest::prelude::*;
use std::cmp::Ordering;

fn version() -> impl Strategy<Value = Version> {
	prop::collection::vec(prop_oneof![0u32..4, any::<u32>()], 1..=4)
		.prop_map(|parts| Version::new(&parts).unwrap())
}

proptest! {
	#[test]
	fn display_and_parse_are_inverse(v in version()) {
		let text = v.to_string();
		prop_assert_eq!(Version::parse(&text).unwrap(), v);
		prop_assert_eq!(Version::decode(&mut &v.encode()[..]).unwrap(), v);
	}

	#[test]
	fn order_is_total_and_agrees_with_equality(a in version(), b in version(), c in version()) {
		// Antisymmetry and agreement with ==.
		prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
		prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
		// Transitivity.
		if a <= b && b <= c {
			prop_assert!(a <= c);
		}
		// Consistent with the numeric reading of the text: padded components first.
		let pad = |v: &Version| {
			let mut p = [0u64; 4];
			for (slot, x) in p.iter_mut().zip(v.parts()) { *slot = u64::from(*x); }
			p
		};
		if pad(&a) != pad(&b) {
			prop_assert_eq!(a.cmp(&b), pad(&a).cmp(&pad(&b)));
		}
		let reparsed = (Version::parse(&a.to_string()).unwrap(), Version::parse(&b.to_string()).unwrap());
		prop_assert_eq!(reparsed.0.cmp(&reparsed.1), a.cmp(&b));
	}

	#[test]
	fn range_membership_is_half_open(a in version(), b in version(), v in version()) {
		let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
		match VersionRange::new(lo, Some(hi)) {
			Ok(r) => {
				prop_assert_eq!(r.contains(&v), lo <= v && v < hi);
				prop_assert!(r.contains(&lo));
				prop_assert!(!r.contains(&hi));
			},
			Err(_) => prop_assert_eq!(lo, hi),
		}
		let open = VersionRange::new(lo, None).unwrap();
		prop_assert_eq!(open.contains(&v), lo <= v);
		prop_assert_eq!(affects(&[open], &v), open.contains(&v));
	}

	#[test]
	fn product_id_validation_is_total(text in "[ -~]{0,40}") {
		let full = format!("pkg:{text}");
		if let Ok(id) = ProductId::new(&full) {
			prop_assert_eq!(id.as_str(), full.as_str());
			prop_assert!(!id.name().is_empty());
			prop_assert_eq!(ProductId::decode(&mut &id.encode()[..]).unwrap(), id);
		}
	}
}

#[test]
fn affects_with_several_ranges() {
	let v = |s: &str| Version::parse(s).unwrap();
	let ranges = [
		VersionRange::new(v("1.0"), Some(v("1.2.5"))).unwrap(),
		VersionRange::new(v("2.0"), Some(v("2.1"))).unwrap(),
	];
	assert!(affects(&ranges, &v("1.2.4")));
	assert!(!affects(&ranges, &v("1.2.5")));
	assert!(!affects(&ranges, &v("1.9.9.9")));
	assert!(affects(&ranges, &v("2.0.7")));
	assert!(!affects(&ranges, &v("2.1")));
	assert!(!affects(&[], &v("1.0")));
}
