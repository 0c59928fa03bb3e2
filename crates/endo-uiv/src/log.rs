//! Continuous logs (UIV-TSP, paper 002, sec. 3.3 and 3.5): what happened in a case, who did it,
//! with what trust, and under which token, provable to anyone holding a block's log root.
//!
//! Two structures cover the same entries:
//!
//! * **Per case, a hash chain.** `link_0 = case_genesis(case, vendor, opened_at_block)`; each
//!   [`LogEntry`] carries the link before it (`prev_link`) and
//!   `link_{n+1} = H(CASE_LINK, link_n, leaf_hash(entry_n))`. [`verify_chain`] detects an entry
//!   removed, reordered, inserted or altered (the last one through the head the chain stores).
//!   This is the Vultron case ledger: hash-chained per case from a per-case genesis.
//! * **Per block, a Merkle tree** over the leaf hashes of the block's entries (the paper's block
//!   body, sec. 3.3.2), built with `binary-merkle-tree` 16.1.2. [`block_root`] binds the leaf
//!   count; [`proof`] and [`verify`] prove one entry's inclusion.
//!
//! # Hashes (tags in [`crate::hash::tags`])
//!
//! ```text
//! genesis   = H([29] "endochain/uiv/case-genesis/v1" || case u64 LE || vendor(32) || opened_at_block u32 LE)
//! leaf_hash = H([25] "endochain/uiv/log-leaf/v1"     || SCALE(entry))
//! link      = H([26] "endochain/uiv/case-link/v1"    || prev_link(32) || leaf_hash(32))
//! node      = H([25] "endochain/uiv/log-node/v1"     || left(32) || right(32))
//! root      = H([25] "endochain/uiv/log-root/v1"     || leaf_count u32 LE || tree_root(32))
//! ```
//!
//! Leaves and inner nodes carry different tags, so neither can stand for the other whatever
//! its length (an inner node's 64-byte preimage is never a leaf preimage, and the reverse). The
//! tree is `binary-merkle-tree`'s: pairs hashed left to right, an odd last node promoted
//! unchanged, an empty tree's root all zeros (then wrapped with count 0). [`verify`] is stricter
//! than `binary_merkle_tree::verify_proof`: it follows the tree's exact shape for the claimed
//! index and count and refuses a proof with steps missing or left over, so a proof for one
//! index never verifies at another.
//!
//! # Hasher
//!
//! Every function has a `_with::<H: Hasher>` form. Inside `binary-merkle-tree` the node hash
//! is [`NodeHasher<H>`], an adapter implementing `hash_db::Hasher` (`Out = [u8; 32]`,
//! `LENGTH = 32`) that prepends the node tag.

use crate::case::{Consent, Deadline, EmbargoState, ProductStatus, ReportState};
use crate::hash::{tagged, tags, Hasher, Sha256};
use crate::Error;
use alloc::vec::Vec;
use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use core::marker::PhantomData;
use scale_info::TypeInfo;

/// A 32-byte hash.
pub type Hash = [u8; 32];

/// A case's identifier.
pub type CaseId = u64;

/// The deepest proof: trees of up to `2^32` leaves.
pub const MAX_DEPTH: u32 = 32;

/// One billion: a trust value of 1 in parts per billion.
pub const TRUST_ONE: u32 = 1_000_000_000;

/// An SW's trust when the entry was written, and the evidence it came from (UIV-TSP sec. 3.3.2:
/// "the historical trust data", and sec. 3.5.1's beta reputation inputs), in the units of
/// `endo-trust`: trust in parts per billion, evidence in millionths of an event.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
	Default,
)]
pub struct TrustSnapshot {
	/// Trust in `[0, 1]`, parts per billion (`Perbill`'s inner value).
	pub value_ppb: u32,
	/// Secret-keeping events, millionths.
	pub successes: u64,
	/// Leakage events, millionths.
	pub failures: u64,
	/// The version of the trust model that computed `value_ppb`.
	pub model_version: u32,
}

/// The TA's access decision (UIV-TSP sec. 3.5.2, rules R1-R3).
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum Decision {
	/// R1: trusted, access granted.
	#[codec(index = 0)]
	Granted,
	/// R2: distrusted, access refused.
	#[codec(index = 1)]
	Denied,
	/// R3: semi-honest; access under tracing, possibly a trap (sec. 3.5.3).
	#[codec(index = 2)]
	Probation,
}

/// What a log entry records. Indices are explicit so that new kinds (leak reports, false-uiv
/// traps) can be added without changing existing encodings.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub enum EntryKind {
	/// The case was opened; always sequence number 0, and only there.
	#[codec(index = 0)]
	CaseOpened,
	/// The report moved.
	#[codec(index = 1)]
	StateChanged {
		/// Before.
		from: ReportState,
		/// After.
		to: ReportState,
	},
	/// The embargo moved, or its deadline did.
	#[codec(index = 2)]
	EmbargoChanged {
		/// Before.
		from: EmbargoState,
		/// After.
		to: EmbargoState,
		/// The deadline after the change, if there is one.
		deadline: Option<Deadline>,
	},
	/// A vendor product's status moved.
	#[codec(index = 3)]
	ProductStatusChanged {
		/// The product's index in the case's product list.
		product: u32,
		/// Before.
		from: ProductStatus,
		/// After.
		to: ProductStatus,
	},
	/// An SW asked for access (the paper's request record).
	#[codec(index = 4)]
	AccessRequested {
		/// Hash of the request as submitted.
		request: Hash,
	},
	/// The TA decided on a request; the decision is in [`LogEntry::decision`].
	#[codec(index = 5)]
	AccessDecided,
	/// The TA delivered the uiv package.
	#[codec(index = 6)]
	PackageDelivered {
		/// Commitment to the tracing token embedded in the package.
		tracing_commitment: Hash,
	},
	/// The TA renewed the SW's access token.
	#[codec(index = 7)]
	TokenRenewed {
		/// The token history's head after the renewal.
		history_link: Hash,
	},
	/// The case was disclosed.
	#[codec(index = 8)]
	Disclosed,
	/// The vendor accepted a patch or mitigation from the entry's SW (the actor is the vendor;
	/// the SW's account bytes are `sw`).
	#[codec(index = 9)]
	ContributionAccepted {
		/// The contributing SW's account bytes.
		sw: [u8; 32],
	},
	/// The actor, a participant, accepted or declined the embargo.
	#[codec(index = 10)]
	ConsentChanged {
		/// Its answer now.
		consent: Consent,
	},
	/// A vendor of the case invited an SW to ask for it (UIV-TSP sec. 5: the vendor selects
	/// the SWs).
	#[codec(index = 11)]
	WorkerInvited {
		/// The invited SW's account bytes.
		sw: [u8; 32],
	},
	/// The admin moved the case to another TA.
	#[codec(index = 12)]
	AuthorityChanged {
		/// The new TA's account bytes.
		ta: [u8; 32],
	},
	/// A product's vendor set its affected version ranges (typically the fixed version, once
	/// known).
	#[codec(index = 13)]
	RangesChanged {
		/// The product's index in the case's product list.
		product: u32,
	},
	/// A leak of the package with this tracing commitment was reported (UIV-TSP sec. 3.4-3.5):
	/// someone showed its tracing token, found by a package's self-check on an unlicensed host
	/// or in a leaked copy's watermark. The actor is the reporter.
	#[codec(index = 14)]
	LeakReported {
		/// Commitment to the leaked package's tracing token.
		tracing_commitment: Hash,
		/// The sighting's source key: the unlicensed host's `host_id` for a self-check's
		/// feedback, a fixed key for a leaked copy.
		source: Hash,
	},
	/// The TA opened its commitment to whether a deferred SW's package was a trap (a false
	/// uiv, Algorithm 3) or the real report. The actor is the TA.
	#[codec(index = 15)]
	TrapRevealed {
		/// Commitment to the package's tracing token.
		tracing_commitment: Hash,
		/// `true`: the package was a trap; `false`: the real report.
		trap: bool,
	},
}

/// One continuous-log entry: a leaf of its block's Merkle tree and a link of its case's chain.
#[derive(
	Encode,
	Decode,
	DecodeWithMemTracking,
	MaxEncodedLen,
	TypeInfo,
	Clone,
	Copy,
	PartialEq,
	Eq,
	Debug,
)]
pub struct LogEntry {
	/// The case.
	pub case: CaseId,
	/// The entry's number within its case, from 0.
	pub seq: u32,
	/// What happened.
	pub kind: EntryKind,
	/// Who did it (account bytes: the SW, vendor or TA).
	pub actor: [u8; 32],
	/// The actor's trust at the time, and its evidence.
	pub trust: TrustSnapshot,
	/// Hash of the uiv's meta information (the paper's vulmeta).
	pub vul_meta_hash: Hash,
	/// The access decision, for [`EntryKind::AccessDecided`].
	pub decision: Option<Decision>,
	/// Commitment to the access token issued or used, if any.
	pub token_commitment: Option<Hash>,
	/// The case chain's link before this entry.
	pub prev_link: Hash,
	/// The block that recorded the entry.
	pub at_block: u32,
}

impl LogEntry {
	/// [`Error::TrustOutOfRange`] for a trust value above one.
	pub fn validate(&self) -> Result<(), Error> {
		if self.trust.value_ppb > TRUST_ONE {
			return Err(Error::TrustOutOfRange);
		}
		Ok(())
	}
}

/// The genesis link of case `case` opened by `vendor` at block `opened_at_block`, with `H`.
pub fn case_genesis_with<H: Hasher>(case: CaseId, vendor: &[u8; 32], opened_at_block: u32) -> Hash {
	tagged::<H>(tags::CASE_GENESIS, &[&case.to_le_bytes(), vendor, &opened_at_block.to_le_bytes()])
}

/// [`case_genesis_with`] with SHA-256.
pub fn case_genesis(case: CaseId, vendor: &[u8; 32], opened_at_block: u32) -> Hash {
	case_genesis_with::<Sha256>(case, vendor, opened_at_block)
}

/// The leaf hash of `entry` (tree leaf and chain step), with `H`.
pub fn leaf_hash_with<H: Hasher>(entry: &LogEntry) -> Hash {
	tagged::<H>(tags::LOG_LEAF, &[&entry.encode()])
}

/// [`leaf_hash_with`] with SHA-256.
pub fn leaf_hash(entry: &LogEntry) -> Hash {
	leaf_hash_with::<Sha256>(entry)
}

/// The chain link after `prev` for an entry with leaf hash `leaf`, with `H`.
pub fn link_with<H: Hasher>(prev: &Hash, leaf: &Hash) -> Hash {
	tagged::<H>(tags::CASE_LINK, &[prev, leaf])
}

/// [`link_with`] with SHA-256.
pub fn link(prev: &Hash, leaf: &Hash) -> Hash {
	link_with::<Sha256>(prev, leaf)
}

/// The case chain's head after `entry`: `link(entry.prev_link, leaf_hash(entry))`, with `H`.
pub fn next_link_with<H: Hasher>(entry: &LogEntry) -> Hash {
	link_with::<H>(&entry.prev_link, &leaf_hash_with::<H>(entry))
}

/// [`next_link_with`] with SHA-256.
pub fn next_link(entry: &LogEntry) -> Hash {
	next_link_with::<Sha256>(entry)
}

/// Checks a run of one case's entries that continues from `head` at sequence number
/// `next_seq`, and returns the head after it. Every entry must belong to `case`
/// ([`Error::WrongCase`]), carry the next sequence number ([`Error::SequenceGap`]), link to
/// the head before it ([`Error::ChainBroken`]), be `CaseOpened` exactly at sequence 0
/// ([`Error::NotOpened`]) and hold a valid trust value ([`Error::TrustOutOfRange`]).
pub fn verify_segment_with<H: Hasher>(
	case: CaseId,
	head: Hash,
	next_seq: u32,
	entries: &[LogEntry],
) -> Result<Hash, Error> {
	let mut head = head;
	let mut seq = next_seq;
	for entry in entries {
		if entry.case != case {
			return Err(Error::WrongCase);
		}
		if entry.seq != seq {
			return Err(Error::SequenceGap);
		}
		if (entry.seq == 0) != (entry.kind == EntryKind::CaseOpened) {
			return Err(Error::NotOpened);
		}
		entry.validate()?;
		if entry.prev_link != head {
			return Err(Error::ChainBroken);
		}
		head = link_with::<H>(&head, &leaf_hash_with::<H>(entry));
		seq = seq.checked_add(1).ok_or(Error::SequenceGap)?;
	}
	Ok(head)
}

/// Checks a case's whole chain from its `genesis` (the case is the first entry's) and returns
/// its head; compare it with the head the chain stores to detect a changed last entry or a
/// truncated chain. An empty chain's head is the genesis.
pub fn verify_chain_with<H: Hasher>(genesis: &Hash, entries: &[LogEntry]) -> Result<Hash, Error> {
	let Some(first) = entries.first() else { return Ok(*genesis) };
	verify_segment_with::<H>(first.case, *genesis, 0, entries)
}

/// [`verify_chain_with`] with SHA-256.
pub fn verify_chain(genesis: &Hash, entries: &[LogEntry]) -> Result<Hash, Error> {
	verify_chain_with::<Sha256>(genesis, entries)
}

/// [`verify_segment_with`] with SHA-256.
pub fn verify_segment(
	case: CaseId,
	head: Hash,
	next_seq: u32,
	entries: &[LogEntry],
) -> Result<Hash, Error> {
	verify_segment_with::<Sha256>(case, head, next_seq, entries)
}

/// `binary-merkle-tree`'s view of `H`: the inner-node hash `H([len] LOG_NODE || data)`.
pub struct NodeHasher<H>(PhantomData<fn() -> H>);

/// The `std::hash::Hasher` `hash_db::Hasher` asks for (for hash maps keyed by node hashes,
/// which this crate does not build): FNV-1a.
#[derive(Clone, Copy, Debug)]
pub struct Fnv1a(u64);

impl Default for Fnv1a {
	fn default() -> Self {
		Fnv1a(0xcbf2_9ce4_8422_2325)
	}
}

impl core::hash::Hasher for Fnv1a {
	fn finish(&self) -> u64 {
		self.0
	}

	fn write(&mut self, bytes: &[u8]) {
		for b in bytes {
			self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3);
		}
	}
}

impl<H: Hasher> hash_db::Hasher for NodeHasher<H> {
	type Out = Hash;
	type StdHasher = Fnv1a;
	const LENGTH: usize = 32;

	fn hash(x: &[u8]) -> Hash {
		tagged::<H>(tags::LOG_NODE, &[x])
	}
}

/// An inclusion proof of one leaf in a block's log tree. At most [`MAX_DEPTH`] siblings.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Proof {
	/// The leaf's position, from 0.
	pub leaf_index: u32,
	/// The number of leaves in the block.
	pub leaf_count: u32,
	/// The sibling hashes from the leaf up to the root, skipping levels where the path's node
	/// is promoted.
	pub siblings: BoundedVec<Hash, ConstU32<MAX_DEPTH>>,
}

fn node<H: Hasher>(left: &Hash, right: &Hash) -> Hash {
	tagged::<H>(tags::LOG_NODE, &[left, right])
}

fn wrap_root<H: Hasher>(count: u32, tree_root: &Hash) -> Hash {
	tagged::<H>(tags::LOG_ROOT, &[&count.to_le_bytes(), tree_root])
}

/// The log root of a block whose entries have `leaf_hashes`, in order, with `H`.
/// [`Error::TooManyLeaves`] past `u32::MAX` leaves.
pub fn block_root_with<H: Hasher>(leaf_hashes: &[Hash]) -> Result<Hash, Error> {
	let count = u32::try_from(leaf_hashes.len()).map_err(|_| Error::TooManyLeaves)?;
	let tree_root =
		binary_merkle_tree::merkle_root_raw::<NodeHasher<H>, _>(leaf_hashes.iter().copied());
	Ok(wrap_root::<H>(count, &tree_root))
}

/// [`block_root_with`] with SHA-256.
pub fn block_root(leaf_hashes: &[Hash]) -> Result<Hash, Error> {
	block_root_with::<Sha256>(leaf_hashes)
}

/// The log root of a block's entries, with `H`.
pub fn entries_root_with<H: Hasher>(entries: &[LogEntry]) -> Result<Hash, Error> {
	let hashes: Vec<Hash> = entries.iter().map(leaf_hash_with::<H>).collect();
	block_root_with::<H>(&hashes)
}

/// [`entries_root_with`] with SHA-256.
pub fn entries_root(entries: &[LogEntry]) -> Result<Hash, Error> {
	entries_root_with::<Sha256>(entries)
}

/// The proof of leaf `index` among `leaf_hashes`, with `H` ([`Error::IndexOutOfRange`]).
pub fn proof_with<H: Hasher>(leaf_hashes: &[Hash], index: u32) -> Result<Proof, Error> {
	let count = u32::try_from(leaf_hashes.len()).map_err(|_| Error::TooManyLeaves)?;
	if index >= count {
		return Err(Error::IndexOutOfRange);
	}
	// `index < count` was checked: `merkle_proof_raw`'s own panic cannot happen.
	let raw = binary_merkle_tree::merkle_proof_raw::<NodeHasher<H>, _>(
		leaf_hashes.iter().copied(),
		index,
	);
	let siblings = BoundedVec::try_from(raw.proof).map_err(|_| Error::TooManyLeaves)?;
	Ok(Proof { leaf_index: index, leaf_count: count, siblings })
}

/// [`proof_with`] with SHA-256.
pub fn proof(leaf_hashes: &[Hash], index: u32) -> Result<Proof, Error> {
	proof_with::<Sha256>(leaf_hashes, index)
}

/// The tree root that `proof` and `leaf` imply, following the tree's exact shape; `None` for a
/// proof with an index out of range or with too few or too many siblings.
fn implied_tree_root<H: Hasher>(proof: &Proof, leaf: Hash) -> Option<Hash> {
	if proof.leaf_index >= proof.leaf_count {
		return None;
	}
	let mut siblings = proof.siblings.iter();
	let mut position = proof.leaf_index;
	let mut width = proof.leaf_count;
	let mut acc = leaf;
	while width > 1 {
		if position % 2 == 1 {
			acc = node::<H>(siblings.next()?, &acc);
		} else if position.saturating_add(1) < width {
			acc = node::<H>(&acc, siblings.next()?);
		}
		// Else: the last node of an odd row, promoted unchanged.
		position /= 2;
		width = width / 2 + width % 2;
	}
	if siblings.next().is_some() {
		return None;
	}
	Some(acc)
}

/// Whether `proof` shows that a leaf with hash `leaf` is in the block with log root `root`,
/// with `H`.
pub fn verify_hash_with<H: Hasher>(root: &Hash, proof: &Proof, leaf: &Hash) -> bool {
	match implied_tree_root::<H>(proof, *leaf) {
		Some(tree_root) => wrap_root::<H>(proof.leaf_count, &tree_root) == *root,
		None => false,
	}
}

/// [`verify_hash_with`] with SHA-256.
pub fn verify_hash(root: &Hash, proof: &Proof, leaf: &Hash) -> bool {
	verify_hash_with::<Sha256>(root, proof, leaf)
}

/// Whether `proof` shows that `entry` is in the block with log root `root`, with `H`.
pub fn verify_with<H: Hasher>(root: &Hash, proof: &Proof, entry: &LogEntry) -> bool {
	verify_hash_with::<H>(root, proof, &leaf_hash_with::<H>(entry))
}

/// [`verify_with`] with SHA-256.
pub fn verify(root: &Hash, proof: &Proof, entry: &LogEntry) -> bool {
	verify_with::<Sha256>(root, proof, entry)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn hashes(n: u32) -> Vec<Hash> {
		(0..n).map(|i| Sha256::hash(&i.to_le_bytes())).collect()
	}

	#[test]
	fn strict_verify_agrees_with_binary_merkle_tree() {
		for n in 1..40u32 {
			let leaves = hashes(n);
			let root = block_root(&leaves).unwrap();
			let tree_root = binary_merkle_tree::merkle_root_raw::<NodeHasher<Sha256>, _>(
				leaves.iter().copied(),
			);
			for i in 0..n {
				let p = proof(&leaves, i).unwrap();
				assert!(verify_hash(&root, &p, &leaves[i as usize]), "n={n} i={i}");
				assert!(binary_merkle_tree::verify_proof::<NodeHasher<Sha256>, _, _>(
					&tree_root,
					p.siblings.iter().copied(),
					n,
					i,
					binary_merkle_tree::Leaf::Hash(leaves[i as usize]),
				));
			}
		}
	}

	#[test]
	fn out_of_range_index_is_an_error() {
		assert_eq!(proof(&hashes(3), 3), Err(Error::IndexOutOfRange));
		assert_eq!(proof(&[], 0), Err(Error::IndexOutOfRange));
	}

	#[test]
	fn empty_block_root_binds_count_zero() {
		assert_eq!(block_root(&[]).unwrap(), wrap_root::<Sha256>(0, &[0u8; 32]));
	}
}
