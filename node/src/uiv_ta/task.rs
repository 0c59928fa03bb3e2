//! The TA node's background task: one pass per finalized block over the open deliveries
//! (sessions started, renewed, resubmissions) and over the deferred deliveries it watches for
//! leak reports (the trap flag revealed).

use super::*;

impl<S: OffchainStorage + 'static> TaNode<S> {
	/// One pass of the background task over the open deliveries and the watched deferred
	/// ones, at the finalized block. The lock is taken per delivery, so RPC calls go on between
	/// them.
	pub(super) async fn tick(&self) {
		self.pass(store::OPEN).await;
		// The deferred deliveries: once a leak report names one, its trap flag is revealed
		// (`reveal_trap`) so that the chain applies the verdict; a revealed one, or one whose
		// case is gone, is dropped from the watch list.
		self.pass(store::WATCH).await;
	}

	/// One pass over the list at `list` ([`store::OPEN`] or [`store::WATCH`]): each entry
	/// stepped under the lock, the finished ones removed.
	async fn pass(&self, list: &[u8]) {
		let info = self.client.info();
		let (at, block) = (info.finalized_hash, info.finalized_number);
		let entries: OpenList = load(&*self.store.lock().await, list).unwrap_or_default();
		let mut finished = Vec::new();
		for (case_id, worker) in entries {
			let mut store = self.store.lock().await;
			let stepped = if list == store::WATCH {
				self.watch_step(&mut *store, at, block, case_id, worker).await
			} else {
				self.step(&mut *store, at, block, case_id, worker).await
			};
			match stepped {
				Ok(true) => {}
				Ok(false) => finished.push((case_id, worker)),
				Err(e) => log::warn!(target: LOG_TARGET, "case {case_id}: {e}; retrying later"),
			}
		}
		if !finished.is_empty() {
			// Fetches may have added to the list meanwhile: remove only what finished.
			let mut store = self.store.lock().await;
			let mut entries: OpenList = load(&*store, list).unwrap_or_default();
			entries.retain(|pair| !finished.contains(pair));
			store.set(store::PREFIX, list, &entries.encode());
		}
	}

	/// Moves one open delivery along; `Ok(false)` when it is finished.
	async fn step(
		&self,
		store: &mut S,
		at: H256,
		block: u32,
		case_id: CaseId,
		worker: [u8; 32],
	) -> Result<bool, TaError> {
		let key = store::delivery_key(case_id, &worker);
		let mut deliveries: Deliveries = load(&*store, &key).unwrap_or_default();
		let Some(d) = deliveries.last().cloned() else { return Ok(false) };
		let case = match self.case(at, case_id) {
			Ok(case) => case,
			Err(TaError::NoCase(_)) => {
				// Purged: its records go too.
				store.remove(store::PREFIX, &key);
				store.remove(store::PREFIX, &store::report_key(case_id));
				log::info!(target: LOG_TARGET, "case {case_id} is gone: its records are removed");
				return Ok(false);
			}
			Err(e) => return Err(e),
		};
		let chain = match self.access(at, case_id, &worker)? {
			None => OnChain::Gone,
			Some(a) => match (a.state, a.tracing_commitment) {
				(AccessState::Granted | AccessState::Deferred, _) => {
					OnChain::Granted { cycle: a.cycle }
				}
				(AccessState::Delivered, Some(c)) => OnChain::Delivered { tracing_commitment: c },
				_ => OnChain::NotLive,
			},
		};
		let action = store::plan(&d, chain, block, now_ms(), self.session_ms());
		let signer = match action {
			Action::ResubmitDelivery | Action::End | Action::ResubmitEnd => {
				match self.ta_pairs(at, &case) {
					Ok((signer, _)) => Some(signer),
					Err(TaError::NotOurs(why)) => {
						// The case moved to another TA, or the key left this node.
						log::warn!(target: LOG_TARGET, "case {case_id}: {why}; no longer tracked");
						return Ok(false);
					}
					Err(e) => return Err(e),
				}
			}
			_ => None,
		};
		let last = deliveries.len().saturating_sub(1);
		let (_, best) = self.best();
		match (action, signer) {
			(Action::Wait, _) => Ok(true),
			(Action::GiveUp, _) => {
				log::warn!(
					target: LOG_TARGET,
					"case {case_id}: deliver_package took no effect after {} submissions; the \
					 worker may fetch again",
					store::MAX_ATTEMPTS
				);
				deliveries[last].stage = Stage::Ended;
				store.set(store::PREFIX, &key, &deliveries.encode());
				Ok(false)
			}
			(Action::Close, _) => {
				if d.stage != Stage::Ended {
					deliveries[last].stage = Stage::Ended;
					store.set(store::PREFIX, &key, &deliveries.encode());
				}
				Ok(false)
			}
			(Action::MarkDelivered, _) => {
				deliveries[last].stage = Stage::Delivered { since_ms: now_ms() };
				store.set(store::PREFIX, &key, &deliveries.encode());
				log::info!(target: LOG_TARGET, "case {case_id}: delivery final, session started");
				Ok(true)
			}
			(Action::ResubmitDelivery, Some(signer)) => {
				let call = delivery_call(&case, case_id, worker, &d)?;
				deliveries[last].stage =
					Stage::Delivering { submitted_at: best, attempts: attempts(d.stage) };
				store.set(store::PREFIX, &key, &deliveries.encode());
				self.submit(&signer, call).await?;
				Ok(true)
			}
			(Action::End, Some(signer)) => {
				self.renew(
					store,
					&mut deliveries,
					d.tracing_commitment,
					&signer,
					&case,
					(case_id, worker),
				)
				.await?;
				log::info!(target: LOG_TARGET, "case {case_id}: session over, token renewed");
				Ok(true)
			}
			(Action::ResubmitEnd, Some(signer)) => {
				let nonce = *d
					.nonces
					.last()
					.ok_or_else(|| TaError::Internal("a delivery record without a nonce".into()))?;
				let call = end_call(&case, case_id, worker, &nonce);
				deliveries[last].stage =
					Stage::Ending { submitted_at: best, attempts: attempts(d.stage) };
				store.set(store::PREFIX, &key, &deliveries.encode());
				self.submit(&signer, call).await?;
				Ok(true)
			}
			(_, None) => Err(TaError::Internal("no signer for a submission".into())),
		}
	}

	/// One watched delivery; `Ok(false)` when there is nothing left to watch.
	async fn watch_step(
		&self,
		store: &mut S,
		at: H256,
		block: u32,
		case_id: CaseId,
		worker: [u8; 32],
	) -> Result<bool, TaError> {
		let key = store::delivery_key(case_id, &worker);
		let mut deliveries: Deliveries = load(&*store, &key).unwrap_or_default();
		let Some(index) = deliveries.iter().rposition(|d| matches!(d.kind, Kind::Deferred { .. }))
		else {
			return Ok(false);
		};
		let d = deliveries[index].clone();
		let Kind::Deferred { trap, salt, revealed_at, reveal_attempts } = d.kind else {
			return Ok(false);
		};
		let case = match self.case(at, case_id) {
			Ok(case) => case,
			Err(TaError::NoCase(_)) => return Ok(false),
			Err(e) => return Err(e),
		};
		if case.report == ReportState::Closed {
			// The chain takes no reveal for a closed case.
			return Ok(false);
		}
		let Some(trace) = self.trace(at, case_id, d.tracing_commitment)? else {
			// Not delivered (yet, or ever): keep watching while the delivery is open.
			return Ok(!matches!(d.stage, Stage::Ended));
		};
		match trace.trap {
			// Only an external leak has a consequence: the SW's slip on its own machine keeps
			// the flag hidden.
			TrapFlag::Committed(_) if trace.external_leak => {}
			TrapFlag::Committed(_) => return Ok(true),
			// Revealed (by this node or another of the TA's), or never deferred.
			_ => return Ok(false),
		}
		if let Some(submitted) = revealed_at {
			if reveal_attempts >= store::MAX_ATTEMPTS {
				log::warn!(
					target: LOG_TARGET,
					"case {case_id}: reveal_trap took no effect after {reveal_attempts} \
					 submissions; no longer tried"
				);
				return Ok(false);
			}
			let wait = store::RESUBMIT_AFTER
				.saturating_mul(u32::from(reveal_attempts.max(1)))
				.min(store::MAX_BACKOFF);
			if block < submitted.saturating_add(wait) {
				return Ok(true);
			}
		}
		let signer = match self.ta_pairs(at, &case) {
			Ok((signer, _)) => signer,
			Err(TaError::NotOurs(why)) => {
				log::warn!(target: LOG_TARGET, "case {case_id}: {why}; the trap is not revealed");
				return Ok(false);
			}
			Err(e) => return Err(e),
		};
		let (_, best) = self.best();
		deliveries[index].kind = Kind::Deferred {
			trap,
			salt,
			revealed_at: Some(best),
			reveal_attempts: reveal_attempts.saturating_add(1),
		};
		store.set(store::PREFIX, &key, &deliveries.encode());
		let call = RuntimeCall::UivSharing(pallet_uiv_sharing::Call::reveal_trap {
			case: case_id,
			worker: AccountId::from(worker),
			trap,
			salt,
		});
		let tx = self.submit(&signer, call).await?;
		log::info!(
			target: LOG_TARGET,
			"case {case_id}: a leak names the deferred delivery to {}; reveal_trap({trap}) {tx:?}",
			AccountId::from(worker)
		);
		Ok(true)
	}
}
