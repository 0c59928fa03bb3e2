//! Criterion benchmarks of the continuous logs: a block's Merkle root, an entry's inclusion
//! proof and its verification, over blocks of 1 to 4,096 entries (the runtime's
//! `MaxLogEntriesPerBlock`). Benchmark IDs: `log/{root,proof,proof_from_entries,verify}/{1,64,1024,4096}`.
//!
//! Run: `cargo bench -p endo-uiv --bench log` (figures in `docs/PERFORMANCE.md`).

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion};
use endo_uiv::log::{self, EntryKind, LogEntry, TrustSnapshot};

/// Leaf counts: one entry, a busy block, and the runtime's bound.
const SIZES: [u32; 4] = [1, 64, 1024, 4096];

fn entry(i: u32) -> LogEntry {
	LogEntry {
		case: u64::from(i / 2),
		seq: i,
		kind: EntryKind::AccessRequested { request: [i as u8; 32] },
		actor: [7; 32],
		trust: TrustSnapshot {
			value_ppb: 850_000_000,
			successes: 3_000_000,
			failures: 0,
			model_version: 1,
		},
		vul_meta_hash: [9; 32],
		decision: None,
		token_commitment: None,
		prev_link: [i as u8; 32],
		at_block: 1,
	}
}

fn logs(c: &mut Criterion) {
	let mut group = c.benchmark_group("log");
	for n in SIZES {
		let entries: Vec<LogEntry> = (0..n).map(entry).collect();
		let leaves: Vec<[u8; 32]> = entries.iter().map(log::leaf_hash).collect();
		let root = log::block_root(&leaves).expect("root");
		let index = n / 2;
		let proof = log::proof(&leaves, index).expect("proof");
		let target = entries[index as usize];
		assert!(log::verify(&root, &proof, &target));
		group.bench_with_input(BenchmarkId::new("root", n), &leaves, |b, leaves| {
			b.iter(|| log::block_root(black_box(leaves)))
		});
		// What the runtime API does for a proof: the block's leaf hashes are stored with its
		// log, so it builds the path from them.
		group.bench_with_input(BenchmarkId::new("proof", n), &leaves, |b, leaves| {
			b.iter(|| log::proof(black_box(leaves), index))
		});
		// For comparison: hashing every entry of the block first.
		group.bench_with_input(
			BenchmarkId::new("proof_from_entries", n),
			&entries,
			|b, entries| {
				b.iter(|| {
					let leaves: Vec<[u8; 32]> =
						black_box(entries).iter().map(log::leaf_hash).collect();
					log::proof(&leaves, index)
				})
			},
		);
		group.bench_with_input(BenchmarkId::new("verify", n), &proof, |b, proof| {
			b.iter(|| log::verify(black_box(&root), black_box(proof), black_box(&target)))
		});
	}
	group.finish();
}

// criterion's macro defines an undocumented `benches` function.
#[allow(missing_docs)]
mod group {
	use super::*;
	criterion_group!(benches, logs);
}
criterion_main!(group::benches);
