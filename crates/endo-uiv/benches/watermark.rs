//! Criterion benchmarks of the tracing marks in a report's plaintext: embedding and extracting
//! a [`Mark`] in a 64 KiB report with 1 and 4 copies, stripping it, and the generic layer's
//! extraction for payloads of 16 to 128 bytes (a credential of k = 128 to 1,024 bits).
//! Benchmark IDs: `watermark/{embed,extract,strip}/{1,4}`, `watermark/extract_bytes/{16,32,64,128}`.
//!
//! Run: `cargo bench -p endo-uiv --bench watermark`.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use endo_uiv::watermark::{self, Mark};

/// The report's size.
const REPORT_BYTES: usize = 64 * 1024;
/// Payload lengths of the generic layer, in bytes.
const PAYLOADS: [usize; 4] = [16, 32, 64, 128];

/// A markdown report of about [`REPORT_BYTES`]: prose paragraphs with a fenced code block and
/// an indented line every few paragraphs.
fn report() -> String {
	const SENTENCE: &str = "The parser trusts the length field of a crafted packet and copies \
		the body into a fixed buffer on the heap, so a remote attacker gains code execution. ";
	let mut out = String::from("# Heap overflow in the packet parser\n\n");
	let mut i = 0usize;
	while out.len() < REPORT_BYTES {
		out.push_str(SENTENCE);
		out.push_str(SENTENCE);
		out.push('\n');
		if i % 8 == 7 {
			out.push_str("\n```c\nmemcpy(buf, pkt->body, pkt->len); // no check here\n```\n\n");
			out.push_str("    ./poc --host target --port 4433\n\n");
		}
		i += 1;
	}
	out
}

fn watermarks(c: &mut Criterion) {
	let text = report();
	let mark = Mark { case: 42, tracing: [7; 32] };
	let mut group = c.benchmark_group("watermark");
	group.throughput(Throughput::Bytes(text.len() as u64));
	for copies in [1u8, 4] {
		let marked = watermark::embed(&text, &mark, copies).expect("room");
		assert_eq!(watermark::extract(&marked), vec![mark.clone()]);
		group.bench_with_input(BenchmarkId::new("embed", copies), &text, |b, text| {
			b.iter(|| watermark::embed(black_box(text), black_box(&mark), copies))
		});
		group.bench_with_input(BenchmarkId::new("extract", copies), &marked, |b, marked| {
			b.iter(|| watermark::extract(black_box(marked)))
		});
		group.bench_with_input(BenchmarkId::new("strip", copies), &marked, |b, marked| {
			b.iter(|| watermark::strip(black_box(marked)))
		});
	}
	for len in PAYLOADS {
		let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
		let marked = watermark::embed_bytes(&text, &payload, 4).expect("room");
		assert_eq!(watermark::extract_bytes(&marked, len), vec![payload]);
		group.bench_with_input(BenchmarkId::new("extract_bytes", len), &marked, |b, marked| {
			b.iter(|| watermark::extract_bytes(black_box(marked), len))
		});
	}
	group.finish();
}

// criterion's macro defines an undocumented `benches` function.
#[allow(missing_docs)]
mod group {
	use super::*;
	criterion_group!(benches, watermarks);
}
criterion_main!(group::benches);
