//! Continuous logs (UIV-TSP sec. 3.3, 3.5): every step of a case is a [`LogEntry`], hash-chained
//! per case from the case's genesis and a leaf of its block's Merkle tree, whose root goes into
//! [`LogRoots`] and into the block's header digest ([`LOG_DIGEST_PREFIX`]). Leaves, links and
//! the tree are `endo-uiv`'s ([`endo_uiv::log`]), with SHA-256 from the host ([`HostSha256`]).

use crate::{pallet::pallet::*, types::*};
use alloc::vec::Vec;
use codec::Encode;
use endo_uiv::{
	log::{self, Decision, EntryKind, Hash, LogEntry, Proof, TrustSnapshot},
	Moment,
};
use frame_support::traits::{Get, UnixTime};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_runtime::{traits::UniqueSaturatedInto, DigestItem};

/// The header digest item that carries a block's log root: `DigestItem::Other` with these four
/// bytes followed by the 32-byte root.
pub const LOG_DIGEST_PREFIX: [u8; 4] = *b"uivl";

/// The entries of a case's log that only the calls that end a case may use: an embargo's exit,
/// the disclosure and the closing.
pub const END_RESERVE: u32 = 3;

/// The most blocks whose [`BlockLog`] and [`LogRoots`] the hooks prune per block (see
/// `retention.rs`): more than one, so the pruning catches up after busy blocks.
pub const MAX_PRUNE_PER_BLOCK: u32 = 16;

/// SHA-256 through the host (`sp_io::hashing::sha2_256`): the same bytes as `endo-uiv`'s own
/// `Sha256`, cheaper inside the runtime.
pub struct HostSha256;

impl endo_uiv::Hasher for HostSha256 {
	fn hash(data: &[u8]) -> [u8; 32] {
		sp_io::hashing::sha2_256(data)
	}
}

/// The log root carried by a header digest item, if it is one.
pub fn log_root_of(item: &DigestItem) -> Option<Hash> {
	match item {
		DigestItem::Other(data) if data.len() == 36 && data.starts_with(&LOG_DIGEST_PREFIX) => {
			let mut root = [0u8; 32];
			root.copy_from_slice(data.get(4..)?);
			Some(root)
		}
		_ => None,
	}
}

/// What one log entry says besides its case, actor and kind.
#[derive(Default)]
pub(crate) struct Details {
	pub trust: TrustSnapshot,
	pub decision: Option<Decision>,
	pub token_commitment: Option<Hash>,
}

impl<T: Config> Pallet<T> {
	/// The current block and UTC time.
	pub fn now() -> Moment {
		let block: u32 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
		let utc_ms = u64::try_from(T::Time::now().as_millis()).unwrap_or(u64::MAX);
		Moment { block, utc_ms }
	}

	/// An account as the 32 bytes a log entry names it by: its SCALE encoding when that is 32
	/// bytes (`AccountId32`), otherwise the BLAKE2-256 of it.
	pub fn account_bytes(who: &T::AccountId) -> [u8; 32] {
		let encoded = who.encode();
		match <[u8; 32]>::try_from(encoded.as_slice()) {
			Ok(bytes) => bytes,
			Err(_) => sp_io::hashing::blake2_256(&encoded),
		}
	}

	/// Checks that `entries` more entries fit the case's and the block's logs and still leave
	/// the case's last [`END_RESERVE`] entries free (before any write of the call that makes
	/// them). Every call but those that end a case checks this, so no participant or SW can
	/// fill a log and keep its case from ending.
	pub(crate) fn ensure_log_room(
		case: &Case<T::AccountId, crate::BalanceOf<T>>,
		entries: u32,
	) -> Result<(), Error<T>> {
		Self::ensure_case_log_room(case, entries.saturating_add(END_RESERVE))?;
		Self::ensure_block_log_room(entries)
	}

	/// [`Pallet::ensure_log_room`] for the calls that end a case (its assessment, the
	/// embargo's exit, the disclosure, the closing, and a move to another TA) and for a trap's
	/// reveal (a full log must not keep a leaked trap from its verdict): they may use the
	/// reserve.
	pub(crate) fn ensure_end_log_room(
		case: &Case<T::AccountId, crate::BalanceOf<T>>,
		entries: u32,
	) -> Result<(), Error<T>> {
		Self::ensure_case_log_room(case, entries)?;
		Self::ensure_block_log_room(entries)
	}

	fn ensure_case_log_room(
		case: &Case<T::AccountId, crate::BalanceOf<T>>,
		entries: u32,
	) -> Result<(), Error<T>> {
		let case_after = case.log.len.saturating_add(entries);
		frame_support::ensure!(
			case_after <= T::MaxLogEntriesPerCase::get(),
			Error::<T>::CaseLogFull
		);
		Ok(())
	}

	fn ensure_block_log_room(entries: u32) -> Result<(), Error<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		let block_after =
			(BlockLog::<T>::decode_len(now).unwrap_or(0) as u32).saturating_add(entries);
		frame_support::ensure!(
			block_after <= T::MaxLogEntriesPerBlock::get(),
			Error::<T>::BlockLogFull
		);
		Ok(())
	}

	/// Appends an entry to case `id`'s log (`case` is written by the caller): the case's chain
	/// moves to the entry's link, the entry is stored, and its leaf joins the block's tree.
	/// [`Pallet::ensure_log_room`] must have passed.
	pub(crate) fn log(
		id: CaseId,
		case: &mut Case<T::AccountId, crate::BalanceOf<T>>,
		kind: EntryKind,
		actor: &T::AccountId,
		details: Details,
	) {
		let now = Self::now();
		let entry = LogEntry {
			case: id,
			seq: case.log.len,
			kind,
			actor: Self::account_bytes(actor),
			trust: details.trust,
			vul_meta_hash: case.vul_meta_hash,
			decision: details.decision,
			token_commitment: details.token_commitment,
			prev_link: case.log.head,
			at_block: now.block,
		};
		let leaf = log::leaf_hash_with::<HostSha256>(&entry);
		case.log.head = log::link_with::<HostSha256>(&entry.prev_link, &leaf);
		case.log.len = case.log.len.saturating_add(1);
		let seq = entry.seq;
		CaseLog::<T>::insert(id, seq, entry);
		// Room was checked: the pushes cannot fail.
		let _ =
			BlockLog::<T>::try_append(frame_system::Pallet::<T>::block_number(), (id, seq, leaf));
		Self::deposit_event(Event::Logged { case: id, seq, leaf });
	}

	/// At the end of a block: the Merkle root of its log entries into [`LogRoots`] and the
	/// header digest.
	pub(crate) fn seal_block_log(now: BlockNumberFor<T>) {
		let leaves: Vec<Hash> =
			BlockLog::<T>::get(now).into_iter().map(|(_, _, leaf)| leaf).collect();
		if leaves.is_empty() {
			return;
		}
		match log::block_root_with::<HostSha256>(&leaves) {
			Ok(root) => {
				LogRoots::<T>::insert(now, root);
				let mut item = LOG_DIGEST_PREFIX.to_vec();
				item.extend_from_slice(&root);
				frame_system::Pallet::<T>::deposit_log(DigestItem::Other(item));
			}
			Err(error) => {
				::log::warn!(target: crate::LOG_TARGET, "block log root not computed: {error:?}");
			}
		}
	}

	/// The entries of block `block`'s log, in leaf order.
	pub fn block_entries(block: BlockNumberFor<T>) -> Vec<LogEntry> {
		BlockLog::<T>::get(block)
			.into_iter()
			.filter_map(|(case, seq, _)| CaseLog::<T>::get(case, seq))
			.collect()
	}

	/// The inclusion proof of case `case`'s entry `seq` in its block's tree, with the entry
	/// and the block: what `endochain-uiv verify-log` checks against that block's header.
	pub fn log_proof(case: CaseId, seq: u32) -> Option<(LogEntry, u32, Proof)> {
		let entry = CaseLog::<T>::get(case, seq)?;
		let block: BlockNumberFor<T> = entry.at_block.into();
		let keys = BlockLog::<T>::get(block);
		let index = keys.iter().position(|(c, s, _)| (*c, *s) == (case, seq))?;
		let leaves: Vec<Hash> = keys.iter().map(|(_, _, leaf)| *leaf).collect();
		let proof = log::proof_with::<HostSha256>(&leaves, index as u32).ok()?;
		Some((entry, entry.at_block, proof))
	}

	/// Case `case`'s log from entry `from`, at most `max` entries, in order: a segment that
	/// `endo_uiv::log::verify_segment` checks against the chain head.
	pub fn case_log(case: CaseId, from: u32, max: u32) -> Vec<LogEntry> {
		let end = Cases::<T>::get(case).map(|c| c.log.len).unwrap_or(0);
		(from..end.min(from.saturating_add(max)))
			.filter_map(|seq| CaseLog::<T>::get(case, seq))
			.collect()
	}
}
