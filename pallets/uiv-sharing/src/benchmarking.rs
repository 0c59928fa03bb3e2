//! Benchmarks: every call in its worst case (full lists, the largest trust network, a case
//! with every product and range), and the block's Merkle root over `n` leaves.

use super::*;
use crate::types::*;
use alloc::{vec, vec::Vec};
use endo_trust::{Activation, Layer, TrustModel, Q32};
use endo_uiv::{
	severity::CvssV31, Consent, EmbargoState, ProductId, ProductStatus, Severity, Version,
	VersionRange,
};
use frame_benchmarking::v2::*;
use frame_support::{ensure, weights::Weight};
use frame_support::{
	traits::{fungible::Mutate, ConstU32, EnsureOrigin, Get, Hooks},
	BoundedVec,
};
use frame_system::RawOrigin;
use sp_runtime::traits::{Bounded, Saturating};

fn assert_last_event<T: Config>(event: Event<T>) {
	frame_system::Pallet::<T>::assert_last_event(<T as frame_system::Config>::RuntimeEvent::from(
		event,
	));
}

fn funded<T: Config>(name: &'static str, i: u32) -> T::AccountId {
	let who: T::AccountId = account(name, i, 0);
	T::Currency::set_balance(&who, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	who
}

fn product(vendor: u32, i: u32) -> ProductId {
	let text = alloc::format!("pkg:generic/vendor-{vendor}/product-{i}");
	ProductId::new(&text).unwrap_or_else(|_| panic!("a valid purl"))
}

fn name() -> Name {
	BoundedVec::truncate_from(b"A name as long as names get in practice".to_vec())
}

/// The TA of the benchmarks.
fn authority<T: Config>() -> T::AccountId {
	let ta = funded::<T>("ta", 0);
	Authorities::<T>::insert(
		&ta,
		Authority { report_key: [7; 32], endpoint: BoundedVec::truncate_from(vec![b'x'; 256]) },
	);
	ta
}

/// A registered vendor with one product.
fn vendor<T: Config>(i: u32) -> T::AccountId {
	let vendor = funded::<T>("vendor", i);
	Vendors::<T>::insert(
		&vendor,
		Vendor { name: name(), deposit: T::VendorDeposit::get(), products: 1 },
	);
	Products::<T>::insert(&vendor, product(i, 0), name());
	vendor
}

/// The most ranges a product may carry.
fn ranges() -> Ranges {
	let ranges: Vec<VersionRange> = (0..MAX_RANGES_PER_PRODUCT)
		.filter_map(|i| {
			VersionRange::new(
				Version::new(&[i, 0, 0, 0]).ok()?,
				Some(Version::new(&[i, 9, 9, 9]).ok()?),
			)
			.ok()
		})
		.collect();
	BoundedVec::truncate_from(ranges)
}

fn severity() -> Severity {
	Severity::Cvss31(
		CvssV31::parse("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
			.unwrap_or_else(|_| panic!("a valid vector")),
	)
}

/// The largest case: every product of a different vendor (as many as the participants'
/// bound leaves room for beside the reporter, the TA and one SW), each with every range.
fn products<T: Config>(
) -> BoundedVec<(T::AccountId, ProductId, Ranges), ConstU32<MAX_PRODUCTS_PER_CASE>> {
	let count = MAX_PRODUCTS_PER_CASE.min(T::MaxParticipants::get().saturating_sub(3));
	BoundedVec::truncate_from(
		(0..count).map(|i| (vendor::<T>(i), product(i, 0), ranges())).collect(),
	)
}

/// Opens the largest case through the reporter origin; returns it with its vendor and TA.
fn open<T: Config>() -> Result<(CaseId, T::AccountId, T::AccountId), BenchmarkError> {
	let ta = authority::<T>();
	let origin =
		T::ReporterOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
	let reporter = T::ReporterOrigin::ensure_origin(origin.clone())
		.map_err(|_| BenchmarkError::Stop("reporter origin"))?;
	T::Currency::set_balance(&reporter, BalanceOf::<T>::max_value() / 1_000_000u32.into());
	let products = products::<T>();
	let vendor = products.first().map(|p| p.0.clone()).ok_or(BenchmarkError::Stop("vendor"))?;
	let id = NextCaseId::<T>::get();
	Pallet::<T>::open_case(origin, ta.clone(), products, severity(), [1; 32])
		.map_err(|_| BenchmarkError::Stop("open_case"))?;
	Ok((id, vendor, ta))
}

/// An accepted case: opened, valid, accepted by its vendor.
fn accepted<T: Config>() -> Result<(CaseId, T::AccountId, T::AccountId), BenchmarkError> {
	let (id, vendor, ta) = open::<T>()?;
	Pallet::<T>::assess_case(RawOrigin::Signed(ta.clone()).into(), id, true)
		.map_err(|_| BenchmarkError::Stop("assess_case"))?;
	Pallet::<T>::accept_case(RawOrigin::Signed(vendor.clone()).into(), id)
		.map_err(|_| BenchmarkError::Stop("accept_case"))?;
	Ok((id, vendor, ta))
}

/// Fills case `id` with accepted participants up to `MaxParticipants - keep`.
fn fill_participants<T: Config>(id: CaseId, keep: u32) {
	let mut case = match Cases::<T>::get(id) {
		Some(case) => case,
		None => return,
	};
	let mut i = 0;
	while case.participants < T::MaxParticipants::get().saturating_sub(keep) {
		let who: T::AccountId = account("participant", i, 0);
		i += 1;
		if Participants::<T>::contains_key(id, &who) {
			continue;
		}
		Participants::<T>::insert(
			id,
			&who,
			Participant { role: Role::Worker, consent: Consent::Accepted },
		);
		case.participants += 1;
	}
	Cases::<T>::insert(id, case);
}

/// The largest trust network (4 layers of 32, 11 -> 32 -> 32 -> 32 -> 1) whose output grants
/// every request (`sigmoid(6)`).
fn largest_model() -> Vec<u8> {
	use codec::Encode;
	let layer = |inputs: usize, outputs: usize, bias: i32| {
		Layer::new(
			inputs,
			outputs,
			Activation::Sigmoid,
			vec![Q32::from_rational(1, 1000).unwrap_or(Q32::ZERO); inputs * outputs],
			vec![Q32::from_int(bias); outputs],
		)
	};
	let layers = [layer(11, 32, 0), layer(32, 32, 0), layer(32, 32, 0), layer(32, 1, 6)];
	let layers: Vec<Layer> = layers.into_iter().filter_map(Result::ok).collect();
	TrustModel::new(vec![], layers).map(|m| m.encode()).unwrap_or_default()
}

fn set_model<T: Config>(blob: Vec<u8>) {
	TrustModelBlob::<T>::put(BoundedVec::truncate_from(blob));
	TrustModelVersion::<T>::put(1);
}

/// A registered SW.
fn worker<T: Config>(i: u32) -> T::AccountId {
	let sw = funded::<T>("worker", i);
	Workers::<T>::insert(
		&sw,
		Worker { deposit: T::WorkerDeposit::get(), profile: Default::default() },
	);
	sw
}

/// A granted SW of an accepted case.
/// A case with its vendor, its TA and a granted SW.
type Granted<T> = (
	CaseId,
	<T as frame_system::Config>::AccountId,
	<T as frame_system::Config>::AccountId,
	<T as frame_system::Config>::AccountId,
);

fn granted<T: Config>() -> Result<Granted<T>, BenchmarkError> {
	let (id, vendor, ta) = accepted::<T>()?;
	set_model::<T>(largest_model());
	let sw = worker::<T>(0);
	Pallet::<T>::invite_worker(RawOrigin::Signed(vendor.clone()).into(), id, sw.clone())
		.map_err(|_| BenchmarkError::Stop("invite_worker"))?;
	Pallet::<T>::request_access(RawOrigin::Signed(sw.clone()).into(), id)
		.map_err(|_| BenchmarkError::Stop("request_access"))?;
	Ok((id, vendor, ta, sw))
}

/// The tracing token of the benchmarks' packages.
const TRACING: [u8; 32] = [3; 32];
/// The salt of the benchmarks' trap commitments.
const SALT: [u8; 32] = [5; 32];

/// The commitment to [`TRACING`].
fn traced() -> [u8; 32] {
	endo_uiv::token::commitment_with::<crate::logs::HostSha256>(&TRACING)
}

/// The TA's commitment that the package with [`TRACING`] is a trap (`trap`) or real.
fn trap_commitment(trap: bool) -> [u8; 32] {
	endo_uiv::token::trap_commitment_with::<crate::logs::HostSha256>(&traced(), trap, &SALT)
}

/// A self-check's feedback (the larger source).
fn leak_source() -> LeakSource {
	LeakSource::Feedback { host: [9; 32], at: u64::MAX }
}

/// A deferred (R3) SW of an accepted case, not a participant: a granted SW made deferred.
fn deferred<T: Config>() -> Result<Granted<T>, BenchmarkError> {
	let (id, vendor, ta, sw) = granted::<T>()?;
	Accesses::<T>::mutate(id, &sw, |a| {
		if let Some(a) = a {
			a.state = AccessState::Deferred;
		}
	});
	if Participants::<T>::take(id, &sw).is_some() {
		Cases::<T>::mutate(id, |c| {
			if let Some(c) = c {
				c.participants = c.participants.saturating_sub(1);
			}
		});
	}
	LiveAccesses::<T>::remove(&sw);
	Ok((id, vendor, ta, sw))
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn register_vendor() {
		let vendor = funded::<T>("vendor", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(vendor.clone()), name());

		assert_last_event::<T>(Event::VendorRegistered { vendor });
	}

	#[benchmark]
	fn register_product() {
		let vendor = vendor::<T>(0);
		let p = product(0, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(vendor.clone()), p.clone(), name());

		assert_last_event::<T>(Event::ProductRegistered { vendor, product: p });
	}

	/// The worst case: an SW that left comes back, and its departed record (alarms found
	/// since) is read, applied to the fresh profile and removed.
	#[benchmark]
	fn register_worker() {
		let worker = funded::<T>("worker", 0);
		DepartedRecords::<T>::insert(
			&worker,
			DepartedRecord { alarms: u32::MAX, conspirators: u32::MAX, barred: false },
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(worker.clone()));

		assert_last_event::<T>(Event::WorkerRegistered { worker: worker.clone() });
		assert!(!DepartedRecords::<T>::contains_key(&worker));
		assert_eq!(Workers::<T>::get(&worker).map(|w| w.profile.alarms), Some(u32::MAX));
	}

	/// The largest case, opened by a reporter for other vendors.
	#[benchmark]
	fn open_case() -> Result<(), BenchmarkError> {
		let ta = authority::<T>();
		let origin =
			T::ReporterOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let reporter = T::ReporterOrigin::ensure_origin(origin.clone())
			.map_err(|_| BenchmarkError::Stop("reporter origin"))?;
		T::Currency::set_balance(&reporter, BalanceOf::<T>::max_value() / 1_000_000u32.into());
		let products = products::<T>();
		let id = NextCaseId::<T>::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, ta, products, severity(), [1; 32]);

		assert!(Cases::<T>::contains_key(id));
		Ok(())
	}

	/// The worst case: an invalid report, whose live embargo ends and deposit burns.
	#[benchmark]
	fn assess_case() -> Result<(), BenchmarkError> {
		let (id, _, ta) = open::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(ta), id, false);

		let case = Cases::<T>::get(id).ok_or(BenchmarkError::Stop("case"))?;
		assert_eq!(case.embargo, EmbargoState::Exited);
		assert_eq!(case.report, endo_uiv::ReportState::Invalid);
		Ok(())
	}

	/// The worst case: the vendor's acceptance activates the embargo after reading every
	/// participant.
	#[benchmark]
	fn accept_case() -> Result<(), BenchmarkError> {
		let (id, vendor, ta) = open::<T>()?;
		Pallet::<T>::assess_case(RawOrigin::Signed(ta).into(), id, true)
			.map_err(|_| BenchmarkError::Stop("assess_case"))?;
		// Every other participant already agrees.
		for (who, mut participant) in Participants::<T>::iter_prefix(id) {
			if who != vendor {
				participant.consent = Consent::Accepted;
				Participants::<T>::insert(id, &who, participant);
			}
		}
		fill_participants::<T>(id, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(vendor), id);

		assert_eq!(Cases::<T>::get(id).map(|c| c.embargo), Some(EmbargoState::Active));
		Ok(())
	}

	/// The worst case: the last consent activates the embargo after reading every participant.
	#[benchmark]
	fn consent_embargo() -> Result<(), BenchmarkError> {
		let (id, _, _) = open::<T>()?;
		let mut last = None;
		for (who, participant) in Participants::<T>::iter_prefix(id) {
			if participant.consent == Consent::Pending {
				if last.is_some() {
					Participants::<T>::insert(
						id,
						&who,
						Participant { consent: Consent::Accepted, ..participant },
					);
				} else {
					last = Some(who);
				}
			}
		}
		let last = last.ok_or(BenchmarkError::Stop("no pending participant"))?;
		fill_participants::<T>(id, 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(last), id, true);

		assert_eq!(Cases::<T>::get(id).map(|c| c.embargo), Some(EmbargoState::Active));
		Ok(())
	}

	#[benchmark]
	fn revise_embargo() -> Result<(), BenchmarkError> {
		let (id, _, ta) = accepted::<T>()?;
		let target = Cases::<T>::get(id)
			.map(|c| c.clock.deadline.utc_ms.saturating_sub(1_000))
			.unwrap_or_default();

		#[extrinsic_call]
		_(RawOrigin::Signed(ta), id, target);

		assert_eq!(Cases::<T>::get(id).map(|c| c.clock.deadline.utc_ms), Some(target));
		Ok(())
	}

	/// The worst case: a fix that extends the embargo.
	#[benchmark]
	fn set_product_status() -> Result<(), BenchmarkError> {
		let (id, vendor, _) = accepted::<T>()?;
		Pallet::<T>::set_product_status(
			RawOrigin::Signed(vendor.clone()).into(),
			id,
			0,
			ProductStatus::Affected,
		)
		.map_err(|_| BenchmarkError::Stop("affected"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(vendor), id, 0, ProductStatus::Fixed);

		assert_eq!(Cases::<T>::get(id).map(|c| c.clock.patch_extended), Some(true));
		Ok(())
	}

	/// The largest range list.
	#[benchmark]
	fn set_product_ranges() -> Result<(), BenchmarkError> {
		let (id, vendor, _) = accepted::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(vendor), id, 0, ranges());

		assert_last_event::<T>(Event::ProductRangesSet { case: id, product: 0 });
		Ok(())
	}

	#[benchmark]
	fn note_exploited() -> Result<(), BenchmarkError> {
		let (id, _, ta) = accepted::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(ta), id);

		assert_eq!(Cases::<T>::get(id).map(|c| c.exploited), Some(true));
		Ok(())
	}

	/// The worst case: before the deadline, the case's TA ends the embargo of a leaked case
	/// (its role checked against the vendors and the TAs, the leak mark read).
	#[benchmark]
	fn exit_embargo() -> Result<(), BenchmarkError> {
		let (id, _, ta) = accepted::<T>()?;
		LeakedCases::<T>::insert(id, frame_system::Pallet::<T>::block_number());
		ensure!(
			Cases::<T>::get(id).is_some_and(|c| !c.clock.is_reached(Pallet::<T>::now())),
			BenchmarkError::Stop("before the deadline")
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(ta), id);

		assert_eq!(Cases::<T>::get(id).map(|c| c.embargo), Some(EmbargoState::Exited));
		Ok(())
	}

	/// The worst case: a request by an SW whose five recent cases each have a full requester
	/// list, to a case with a full list but one, granted by the largest network.
	#[benchmark]
	fn request_access() -> Result<(), BenchmarkError> {
		let (id, vendor, _) = accepted::<T>()?;
		set_model::<T>(largest_model());
		let sw = worker::<T>(0);
		Pallet::<T>::invite_worker(RawOrigin::Signed(vendor).into(), id, sw.clone())
			.map_err(|_| BenchmarkError::Stop("invite_worker"))?;
		let cycle = Pallet::<T>::cycle(Pallet::<T>::now().block);
		let full: BoundedVec<(T::AccountId, u32), T::MaxRequestersPerCase> =
			BoundedVec::truncate_from(
				(0..T::MaxRequestersPerCase::get())
					.map(|i| (account("mate", i, 0), cycle))
					.collect(),
			);
		let mut recent = Vec::new();
		for c in 0..endo_uiv::access::RECENT_CASES as u64 {
			let other = id + 1_000 + c;
			Requesters::<T>::insert(other, full.clone());
			recent.push(other);
		}
		Workers::<T>::mutate(&sw, |w| {
			if let Some(w) = w {
				w.profile.recent_cases = BoundedVec::truncate_from(recent);
			}
		});
		let mut mates = full.clone();
		mates.pop();
		let count = mates.len() as u32;
		Requesters::<T>::insert(id, mates);
		Cases::<T>::mutate(id, |c| {
			if let Some(c) = c {
				c.requesters = count;
				c.this_cycle = CycleRequests { cycle, requesters: count, trust_sum: 0 };
			}
		});
		fill_participants::<T>(id, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(sw.clone()), id);

		assert_eq!(Accesses::<T>::get(id, &sw).map(|a| a.state), Some(AccessState::Granted));
		// Clean the fake requester lists of other cases (no such cases exist).
		for c in 0..endo_uiv::access::RECENT_CASES as u64 {
			Requesters::<T>::remove(id + 1_000 + c);
		}
		Ok(())
	}

	#[benchmark]
	fn deliver_package() -> Result<(), BenchmarkError> {
		let (id, _, ta, sw) = granted::<T>()?;

		#[extrinsic_call]
		_(RawOrigin::Signed(ta), id, sw.clone(), [2; 32], [3; 32]);

		assert_eq!(Accesses::<T>::get(id, &sw).map(|a| a.state), Some(AccessState::Delivered));
		Ok(())
	}

	#[benchmark]
	fn end_access() -> Result<(), BenchmarkError> {
		let (id, _, ta, sw) = granted::<T>()?;
		Pallet::<T>::deliver_package(
			RawOrigin::Signed(ta.clone()).into(),
			id,
			sw.clone(),
			[2; 32],
			[3; 32],
		)
		.map_err(|_| BenchmarkError::Stop("deliver_package"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(ta), id, sw.clone(), [4; 32]);

		assert_eq!(Accesses::<T>::get(id, &sw).map(|a| a.state), Some(AccessState::Ended));
		Ok(())
	}

	#[benchmark]
	fn accept_contribution() -> Result<(), BenchmarkError> {
		let (id, vendor, ta, sw) = granted::<T>()?;
		Pallet::<T>::deliver_package(
			RawOrigin::Signed(ta).into(),
			id,
			sw.clone(),
			[2; 32],
			[3; 32],
		)
		.map_err(|_| BenchmarkError::Stop("deliver_package"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(vendor), id, sw.clone());

		assert_last_event::<T>(Event::ContributionAccepted { case: id, worker: sw });
		Ok(())
	}

	/// The worst case: disclosure ends an embargo whose deadline passed.
	#[benchmark]
	fn disclose() -> Result<(), BenchmarkError> {
		let (id, _, ta) = accepted::<T>()?;
		let deadline = Cases::<T>::get(id).map(|c| c.clock.deadline.block).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(deadline.into());
		let uri = BoundedVec::truncate_from(vec![b'u'; MAX_URI_LEN as usize]);

		#[extrinsic_call]
		_(RawOrigin::Signed(ta), id, [5; 32], uri);

		assert_last_event::<T>(Event::CaseDisclosed { case: id, report_hash: [5; 32] });
		Ok(())
	}

	/// The worst case: `r` requesters, each with an access still live (granted) that the
	/// closing stops counting.
	#[benchmark]
	fn close_case(r: Linear<0, { T::MaxRequestersPerCase::get() }>) -> Result<(), BenchmarkError> {
		let (id, _, ta, sw) = granted::<T>()?;
		let template = Accesses::<T>::take(id, &sw).ok_or(BenchmarkError::Stop("access"))?;
		LiveAccesses::<T>::remove(&sw);
		let mut requesters = BoundedVec::<(T::AccountId, u32), T::MaxRequestersPerCase>::new();
		for i in 0..r {
			let who: T::AccountId = account("requester", i, 0);
			Accesses::<T>::insert(id, &who, template.clone());
			LiveAccesses::<T>::insert(&who, 1);
			requesters.try_push((who, 0)).map_err(|_| BenchmarkError::Stop("requesters"))?;
		}
		Requesters::<T>::insert(id, requesters);
		Cases::<T>::mutate(id, |c| {
			if let Some(c) = c {
				c.requesters = r;
			}
		});
		let deadline = Cases::<T>::get(id).map(|c| c.clock.deadline.block).unwrap_or_default();
		frame_system::Pallet::<T>::set_block_number(deadline.into());
		Pallet::<T>::disclose(RawOrigin::Signed(ta.clone()).into(), id, [5; 32], BoundedVec::new())
			.map_err(|_| BenchmarkError::Stop("disclose"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(ta), id);

		assert_eq!(Cases::<T>::get(id).map(|c| c.report), Some(endo_uiv::ReportState::Closed));
		assert_eq!(LiveAccesses::<T>::iter().count(), 0);
		Ok(())
	}

	#[benchmark]
	fn add_authority() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who: T::AccountId = account("new-ta", 0, 0);
		let endpoint = BoundedVec::truncate_from(vec![b'x'; MAX_URI_LEN as usize]);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone(), [9; 32], endpoint);

		assert_last_event::<T>(Event::AuthorityAdded { who });
		Ok(())
	}

	#[benchmark]
	fn remove_authority() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let who = authority::<T>();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, who.clone());

		assert_last_event::<T>(Event::AuthorityRemoved { who });
		Ok(())
	}

	#[benchmark]
	fn invite_worker() -> Result<(), BenchmarkError> {
		let (id, vendor, _) = accepted::<T>()?;
		let sw = worker::<T>(0);

		#[extrinsic_call]
		_(RawOrigin::Signed(vendor), id, sw.clone());

		assert_last_event::<T>(Event::WorkerInvited { case: id, worker: sw });
		Ok(())
	}

	/// The worst case: the old TA leaves the participants and the new one joins.
	#[benchmark]
	fn reassign_case() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let (id, _, _) = accepted::<T>()?;
		let ta: T::AccountId = account("new-ta", 0, 0);
		Authorities::<T>::insert(
			&ta,
			Authority { report_key: [8; 32], endpoint: BoundedVec::truncate_from(vec![b'y'; 16]) },
		);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, id, ta.clone());

		assert_last_event::<T>(Event::CaseReassigned { case: id, ta });
		Ok(())
	}

	/// The largest network.
	#[benchmark]
	fn set_trust_model() -> Result<(), BenchmarkError> {
		let origin =
			T::AdminOrigin::try_successful_origin().map_err(|_| BenchmarkError::Weightless)?;
		let blob = BoundedVec::truncate_from(largest_model());
		let version = TrustModelVersion::<T>::get().saturating_add(1);

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, blob);

		assert_last_event::<T>(Event::TrustModelSet { version });
		Ok(())
	}

	#[benchmark]
	fn deregister_product() {
		let vendor = vendor::<T>(0);
		let p = product(0, 0);
		T::Currency::set_balance(&vendor, BalanceOf::<T>::max_value() / 1_000_000u32.into());
		let _ = Pallet::<T>::hold(HoldReason::VendorDeposit, &vendor, T::ProductDeposit::get());

		#[extrinsic_call]
		_(RawOrigin::Signed(vendor.clone()), p.clone());

		assert!(!Products::<T>::contains_key(&vendor, &p));
	}

	#[benchmark]
	fn deregister_vendor() {
		let vendor = funded::<T>("vendor", 0);
		let _ = Pallet::<T>::hold(HoldReason::VendorDeposit, &vendor, T::VendorDeposit::get());
		Vendors::<T>::insert(
			&vendor,
			Vendor { name: name(), deposit: T::VendorDeposit::get(), products: 0 },
		);

		#[extrinsic_call]
		_(RawOrigin::Signed(vendor.clone()));

		assert!(!Vendors::<T>::contains_key(&vendor));
	}

	/// The worst case: a profile with evidence decayed over many cycles.
	#[benchmark]
	fn deregister_worker() {
		let sw = worker::<T>(0);
		let _ = Pallet::<T>::hold(HoldReason::WorkerDeposit, &sw, T::WorkerDeposit::get());
		Workers::<T>::mutate(&sw, |w| {
			if let Some(w) = w {
				w.profile.evidence.record_good(1_000);
			}
		});
		let block = T::CycleLength::get().saturating_mul(10_000);
		frame_system::Pallet::<T>::set_block_number(block.into());

		#[extrinsic_call]
		_(RawOrigin::Signed(sw.clone()));

		assert!(!Workers::<T>::contains_key(&sw));
	}

	/// The worst case: the deferred SW joins a case with room for one more participant.
	#[benchmark]
	fn deliver_deferred() -> Result<(), BenchmarkError> {
		let (id, _, ta, sw) = deferred::<T>()?;
		fill_participants::<T>(id, 1);

		#[extrinsic_call]
		_(RawOrigin::Signed(ta), id, sw.clone(), [2; 32], traced(), trap_commitment(true));

		assert_eq!(Accesses::<T>::get(id, &sw).map(|a| a.state), Some(AccessState::Delivered));
		assert!(Participants::<T>::contains_key(id, &sw));
		Ok(())
	}

	/// The worst case: a trap that already leaked, so the reveal is the conspirator verdict
	/// (the SW is barred, a conspiracy in the trust ledger).
	#[benchmark]
	fn reveal_trap() -> Result<(), BenchmarkError> {
		let (id, _, ta, sw) = deferred::<T>()?;
		Pallet::<T>::deliver_deferred(
			RawOrigin::Signed(ta.clone()).into(),
			id,
			sw.clone(),
			[2; 32],
			traced(),
			trap_commitment(true),
		)
		.map_err(|_| BenchmarkError::Stop("deliver_deferred"))?;
		let reporter = funded::<T>("reporter", 0);
		Pallet::<T>::report_leak(RawOrigin::Signed(reporter).into(), id, TRACING, leak_source())
			.map_err(|_| BenchmarkError::Stop("report_leak"))?;

		#[extrinsic_call]
		_(RawOrigin::Signed(ta), id, sw.clone(), true, SALT);

		assert!(Workers::<T>::get(&sw).is_some_and(|w| w.profile.barred));
		assert_last_event::<T>(Event::WorkerBarred { worker: sw });
		Ok(())
	}

	/// A first sighting of a revealed trap's package: an alarm in the SW's profile and the
	/// conspirator verdict (barred, `LeakReported` and a conspiracy in the trust ledger).
	/// With `report_leak_real` the call's worst case (the weight
	/// is the heavier); later sightings touch no profile.
	#[benchmark]
	fn report_leak() -> Result<(), BenchmarkError> {
		let (id, _, ta, sw) = deferred::<T>()?;
		Pallet::<T>::deliver_deferred(
			RawOrigin::Signed(ta.clone()).into(),
			id,
			sw.clone(),
			[2; 32],
			traced(),
			trap_commitment(true),
		)
		.map_err(|_| BenchmarkError::Stop("deliver_deferred"))?;
		Pallet::<T>::reveal_trap(RawOrigin::Signed(ta).into(), id, sw.clone(), true, SALT)
			.map_err(|_| BenchmarkError::Stop("reveal_trap"))?;
		let reporter = funded::<T>("reporter", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(reporter), id, TRACING, leak_source());

		assert!(Workers::<T>::get(&sw).is_some_and(|w| w.profile.barred && w.profile.alarms == 1));
		assert_last_event::<T>(Event::WorkerBarred { worker: sw });
		Ok(())
	}

	/// A first sighting of a granted SW's real report under a live embargo: an alarm in the
	/// SW's profile, `LeakReported` in the trust ledger, and the case marked leaked.
	#[benchmark]
	fn report_leak_real() -> Result<(), BenchmarkError> {
		let (id, _, ta, sw) = granted::<T>()?;
		Pallet::<T>::deliver_package(
			RawOrigin::Signed(ta).into(),
			id,
			sw.clone(),
			[2; 32],
			traced(),
		)
		.map_err(|_| BenchmarkError::Stop("deliver_package"))?;
		let reporter = funded::<T>("reporter", 0);

		#[extrinsic_call]
		report_leak(RawOrigin::Signed(reporter), id, TRACING, leak_source());

		assert!(LeakedCases::<T>::contains_key(id));
		// The report does not end the embargo (live: proposed or active).
		assert!(Cases::<T>::get(id).is_some_and(|c| c.embargo.is_live()));
		assert_eq!(Workers::<T>::get(&sw).map(|w| w.profile.alarms), Some(1));
		Ok(())
	}

	/// A closed case past its retention with `n` log entries (and nothing else): the call
	/// removes them all and the record.
	#[benchmark]
	fn purge_case(
		n: Linear<0, { T::MaxPurgePerCall::get().saturating_sub(1) }>,
	) -> Result<(), BenchmarkError> {
		let (id, _, _) = open::<T>()?;
		let entry = CaseLog::<T>::get(id, 0).ok_or(BenchmarkError::Stop("log entry"))?;
		let _ = Participants::<T>::clear_prefix(id, u32::MAX, None);
		let _ = CaseLog::<T>::clear_prefix(id, u32::MAX, None);
		for seq in 0..n {
			CaseLog::<T>::insert(id, seq, endo_uiv::LogEntry { seq, ..entry });
		}
		Cases::<T>::mutate(id, |c| {
			if let Some(c) = c {
				c.report = endo_uiv::ReportState::Closed;
				c.participants = 0;
			}
		});
		ClosedAt::<T>::insert(id, frame_system::pallet_prelude::BlockNumberFor::<T>::from(0u32));
		frame_system::Pallet::<T>::set_block_number(T::CaseRetention::get());
		let caller = funded::<T>("caller", 0);

		#[extrinsic_call]
		_(RawOrigin::Signed(caller), id, T::MaxPurgePerCall::get());

		assert!(!Cases::<T>::contains_key(id));
		assert_last_event::<T>(Event::CasePurged { case: id });
		Ok(())
	}

	/// `n` blocks' logs and roots pruned by the hooks.
	#[benchmark]
	fn prune_block_logs(n: Linear<0, { crate::logs::MAX_PRUNE_PER_BLOCK }>) {
		let one: frame_system::pallet_prelude::BlockNumberFor<T> = 1u32.into();
		LogPruneCursor::<T>::put(one);
		let leaves: Vec<(CaseId, u32, [u8; 32])> =
			(0..T::MaxLogEntriesPerBlock::get()).map(|i| (u64::from(i), 0, [1; 32])).collect();
		let leaves = BoundedVec::<_, T::MaxLogEntriesPerBlock>::truncate_from(leaves);
		for b in 1..=n {
			BlockLog::<T>::insert(
				frame_system::pallet_prelude::BlockNumberFor::<T>::from(b),
				leaves.clone(),
			);
			LogRoots::<T>::insert(
				frame_system::pallet_prelude::BlockNumberFor::<T>::from(b),
				[2; 32],
			);
		}
		let now = T::CaseRetention::get().saturating_add(n.into());

		#[block]
		{
			Pallet::<T>::prune_block_logs(now, Weight::MAX);
		}

		assert_eq!(LogPruneCursor::<T>::get(), one.saturating_add(n.into()));
	}

	/// The Merkle root of `n` leaves, into storage and the header digest.
	#[benchmark]
	fn on_finalize(n: Linear<1, { T::MaxLogEntriesPerBlock::get() }>) {
		let now = frame_system::Pallet::<T>::block_number();
		let leaves: Vec<(CaseId, u32, [u8; 32])> =
			(0..n).map(|i| (u64::from(i), 0, sp_io::hashing::sha2_256(&i.to_le_bytes()))).collect();
		BlockLog::<T>::insert(now, BoundedVec::truncate_from(leaves));

		#[block]
		{
			Pallet::<T>::on_finalize(now);
		}

		assert!(LogRoots::<T>::contains_key(now));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
