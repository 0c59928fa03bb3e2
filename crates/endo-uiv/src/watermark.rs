//! Tracing marks in a report's plaintext (UIV-TSP, paper 002, sec. 3.2.2: "tokentracing can be
//! stealthily sneaked into the acquired vul information as the traceability credential").
//!
//! Before it seals a report to an SW, the TA embeds a [`Mark`] (the case and the SW's tracing
//! token) 1 to [`MAX_COPIES`] times into the report's UTF-8 text, so that a leaked copy of the
//! *plaintext* still names the SW it was delivered to. A copy is one contiguous run of
//! zero-width characters of Unicode category Cf, which render as nothing in Latin text, 2 bits
//! each, most significant first:
//!
//! ```text
//! symbols = U+200B ZERO WIDTH SPACE = 0, U+200C ZWNJ = 1, U+200D ZWJ = 2, U+2060 WORD JOINER = 3
//! run     = symbols(payload || check)           4 symbols a byte, 3 UTF-8 bytes a symbol
//! check   = H([26] "endochain/uiv/watermark/v1" || len(payload) u16 || payload)[..4]
//! mark    = version u8 (1) || case u64 || tracing(32)     41 bytes: a run of 180 symbols (540 B)
//! ```
//!
//! [`embed_bytes`] and [`extract_bytes`] are the generic layer (any payload of 1 to
//! [`MAX_PAYLOAD`] bytes, so a measurement can vary the credential's length); [`embed`],
//! [`extract`] and [`strip`] are the typed layer of [`Mark`]s.
//!
//! # Where a run goes
//!
//! A run goes right after a *plain word* (ASCII letters, with `-` or `'` inside, as `use-after`
//! or `don't`) that is followed by a space or a tab, so that it sticks to the word when lines
//! are re-wrapped; never after digits, identifiers (`_`), paths, URLs or flags, which a reader
//! copies into a terminal or a search box, and never next to an emoji or inside a non-Latin
//! word (where ZWJ and ZWNJ change the rendering). Only *prose* lines hold runs. A line is
//! code, and holds none, when it is
//!
//! * a markdown fence (```` ``` ```` or `~~~`, CommonMark rules) or inside a fenced block,
//! * indented by 4 columns or more (a tab counts to the next multiple of 4),
//! * or looks like code (a conservative guess, so that a raw source file is not taken for
//!   prose): outside inline code spans it holds `{`, `}`, `;` or `=`, or a letter, digit or `_`
//!   directly before `(`, or it ends with `\`, or it starts with `#include`, `#define`, `#if`,
//!   `#!`, `import `, `from `, `package `, `def `, `class `, `fn `, `func `, `function `,
//!   `return `, `$ `, `>>> ` or `<?`, or with `#` and a C preprocessor directive (`# define`).
//!
//! Inside prose, words in inline code spans (between backticks) are skipped too. Only a report
//! with no prose anchor at all takes its anchors in the comments of code lines: the text after
//! `//`, `///`, `//!`, `/*`, `/**` or `#` at the line's start or after a space or tab, after
//! `--`, `;` or `;;` at the line's start, or after a leading `*`, up to a `*/`; the marker must
//! be followed by a space or tab (so `#include` and `#[attr]` are no comments). Comment
//! detection is lexical: a `" # "` inside a string literal is taken for a comment (a run there
//! changes the string, not the program's syntax).
//!
//! Of the `n` anchors, copy `j` of `k = min(copies, n)` goes to anchor `floor((2j + 1) n / 2k)`:
//! the middle of the `j`-th of `k` equal slices, so any excerpt holding `1/k` of the anchors
//! (about `1/k` of the prose) and a copy's length more holds a whole copy. With no anchor, [`embed_bytes`] fails with
//! [`Error::NoRoomForMark`] and the caller delivers the report without a mark; [`room`] tells
//! how many anchors a text has.
//!
//! # Extraction
//!
//! [`extract_bytes`] scans the maximal runs of the four symbols (nothing else may split a run)
//! and decodes windows of exactly `4 (payload_len + 4)` symbols; a window counts when its check
//! matches (a random or damaged window passes with probability `2^-32`). A run that [`embed`]
//! wrote is exactly one window long, so the windows tried per run of `L` symbols and window
//! length `W` are bounded, and extraction is linear in the text: those starting at the first
//! and ending at the last [`SLACK`] + 1 offsets, those a whole multiple of `W` from either end,
//! and the one right after each window found. A copy with up to [`SLACK`] stray symbols on
//! either side, or copies written back to back, are found; a copy buried deeper in a longer run
//! is not (an embedded run is never glued to other symbols: a letter precedes it, a space
//! follows it).
//! Found windows of one run do not overlap. Text that already held symbols (an emoji's ZWJ, an
//! earlier mark) embeds fine, and extraction also returns the valid marks that were there
//! before, in order of first appearance.
//!
//! # What survives, and what does not
//!
//! A run survives what keeps non-whitespace characters: copy and paste, line endings (LF,
//! CRLF, CR), re-wrapping lines, changing indentation, tabs for spaces, collapsing or stripping
//! whitespace (none of the four symbols is `White_Space`), and an excerpt that holds a whole
//! copy. It does **not** survive retyping, OCR or screenshots, conversion to ASCII, tools that
//! strip Unicode format characters (category Cf), paraphrase, an excerpt shorter than the
//! spacing between copies, or a reader who knows the scheme and strips the characters (or
//! flips one: a damaged copy fails its check and names nobody, it never names another SW). It
//! is a deterrent and a tracer, not a guarantee.

use crate::hash::{tagged, tags, Sha256};
use crate::log::CaseId;
use crate::token::TracingToken;
use crate::Error;
use alloc::collections::BTreeSet;
use alloc::{string::String, vec::Vec};
use core::fmt;

/// The most copies of a mark in one text.
pub const MAX_COPIES: u8 = 4;
/// The longest payload of the generic layer, in bytes.
pub const MAX_PAYLOAD: usize = 256;
/// The check bytes after each payload.
pub const CHECK_LEN: usize = 4;
/// The version byte of a [`Mark`]'s bytes.
pub const MARK_VERSION: u8 = 1;
/// The bytes of a [`Mark`]: version, case (`u64` LE) and tracing token.
pub const MARK_LEN: usize = 1 + 8 + 32;
/// The four symbols, by the 2-bit value each stands for.
pub const SYMBOLS: [char; 4] = ['\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}'];
/// Stray symbols tolerated on either side of a copy inside a longer run (see the module docs).
pub const SLACK: usize = 32;

/// Symbols per byte.
const PER_BYTE: usize = 4;
/// UTF-8 bytes per symbol: all four lie in U+0800..=U+FFFF.
const SYMBOL_BYTES: usize = 3;
const _: () = {
	assert!(SYMBOLS[0].len_utf8() == SYMBOL_BYTES);
	assert!(SYMBOLS[1].len_utf8() == SYMBOL_BYTES);
	assert!(SYMBOLS[2].len_utf8() == SYMBOL_BYTES);
	assert!(SYMBOLS[3].len_utf8() == SYMBOL_BYTES);
};

/// The mark the TA embeds into a report delivered to one SW. Its `Debug` hides the token.
#[derive(Clone, PartialEq, Eq)]
pub struct Mark {
	/// The case.
	pub case: CaseId,
	/// The SW's tracing token (`crate::token::tracing_token`).
	pub tracing: [u8; 32],
}

impl fmt::Debug for Mark {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.debug_struct("Mark").field("case", &self.case).finish_non_exhaustive()
	}
}

impl Mark {
	/// The mark of `case` and a delivery's tracing token.
	pub fn new(case: CaseId, tracing: &TracingToken) -> Self {
		Mark { case, tracing: *tracing.as_bytes() }
	}

	/// `version || case u64 LE || tracing`.
	pub fn to_bytes(&self) -> [u8; MARK_LEN] {
		let mut out = [0u8; MARK_LEN];
		let bytes = core::iter::once(MARK_VERSION)
			.chain(self.case.to_le_bytes())
			.chain(self.tracing.iter().copied());
		for (slot, byte) in out.iter_mut().zip(bytes) {
			*slot = byte;
		}
		out
	}

	/// The mark of [`MARK_LEN`] bytes with a known version, or `None`.
	pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
		if bytes.len() != MARK_LEN {
			return None;
		}
		let (&version, rest) = bytes.split_first()?;
		if version != MARK_VERSION {
			return None;
		}
		let case = u64::from_le_bytes(rest.get(..8)?.try_into().ok()?);
		let tracing = rest.get(8..)?.try_into().ok()?;
		Some(Mark { case, tracing })
	}
}

/// Whether `c` is one of the four [`SYMBOLS`].
pub fn is_symbol(c: char) -> bool {
	value_of(c).is_some()
}

fn value_of(c: char) -> Option<u8> {
	match c {
		'\u{200B}' => Some(0),
		'\u{200C}' => Some(1),
		'\u{200D}' => Some(2),
		'\u{2060}' => Some(3),
		_ => None,
	}
}

fn symbol_of(value: u8) -> char {
	match value & 3 {
		0 => '\u{200B}',
		1 => '\u{200C}',
		2 => '\u{200D}',
		_ => '\u{2060}',
	}
}

fn valid_len(payload_len: usize) -> bool {
	(1..=MAX_PAYLOAD).contains(&payload_len)
}

/// `H(WATERMARK, len(payload) u16 LE, payload)[..4]`.
fn check(payload: &[u8]) -> [u8; CHECK_LEN] {
	let len = u16::try_from(payload.len()).unwrap_or(u16::MAX).to_le_bytes();
	let digest = tagged::<Sha256>(tags::WATERMARK, &[&len, payload]);
	let mut out = [0u8; CHECK_LEN];
	for (slot, byte) in out.iter_mut().zip(digest.iter()) {
		*slot = *byte;
	}
	out
}

/// The run of one copy of `payload`: `payload || check`, 2 bits a symbol, most significant
/// first. Fails with [`Error::InvalidMark`] for an empty payload or one over [`MAX_PAYLOAD`].
pub fn encode_run(payload: &[u8]) -> Result<String, Error> {
	if !valid_len(payload.len()) {
		return Err(Error::InvalidMark);
	}
	let symbols = (payload.len() + CHECK_LEN) * PER_BYTE;
	let mut out = String::with_capacity(symbols * SYMBOL_BYTES);
	for byte in payload.iter().chain(check(payload).iter()) {
		for shift in [6u8, 4, 2, 0] {
			out.push(symbol_of(byte >> shift));
		}
	}
	Ok(out)
}

/// Embeds `copies` (1 to [`MAX_COPIES`]) copies of `payload` (1 to [`MAX_PAYLOAD`] bytes) into
/// `text`, spread over its anchors (see the module docs); fewer when the text has fewer
/// anchors. Removing the four symbols from the result gives back what removing them from
/// `text` gives.
///
/// Errors: [`Error::InvalidMark`] for `copies` or a payload out of range,
/// [`Error::NoRoomForMark`] for a text without an anchor.
pub fn embed_bytes(text: &str, payload: &[u8], copies: u8) -> Result<String, Error> {
	if copies == 0 || copies > MAX_COPIES {
		return Err(Error::InvalidMark);
	}
	let run = encode_run(payload)?;
	let anchors = anchors(text);
	let n = anchors.len();
	if n == 0 {
		return Err(Error::NoRoomForMark);
	}
	let k = n.min(usize::from(copies));
	let mut out = String::with_capacity(text.len() + k * run.len());
	let mut last = 0;
	for j in 0..k {
		let Some(&at) = anchors.get((2 * j + 1) * n / (2 * k)) else { continue };
		if let Some(part) = text.get(last..at) {
			out.push_str(part);
			out.push_str(&run);
			last = at;
		}
	}
	if let Some(rest) = text.get(last..) {
		out.push_str(rest);
	}
	Ok(out)
}

/// The distinct payloads of `payload_len` bytes whose copies `text` holds, in order of first
/// appearance. Empty for a `payload_len` of 0 or over [`MAX_PAYLOAD`]. Never panics; linear in
/// the text (see the module docs for the windows tried).
pub fn extract_bytes(text: &str, payload_len: usize) -> Vec<Vec<u8>> {
	let mut seen = BTreeSet::new();
	let mut out = Vec::new();
	scan(text, payload_len, &|_| true, &mut |_, _, payload| {
		if seen.insert(payload.clone()) {
			out.push(payload);
		}
	});
	out
}

/// Embeds `copies` copies of `mark`: [`embed_bytes`] of [`Mark::to_bytes`].
pub fn embed(text: &str, mark: &Mark, copies: u8) -> Result<String, Error> {
	embed_bytes(text, &mark.to_bytes(), copies)
}

/// The distinct marks of a known version that `text` holds, in order of first appearance.
pub fn extract(text: &str) -> Vec<Mark> {
	let mut seen = BTreeSet::new();
	let mut out: Vec<Mark> = Vec::new();
	scan(text, MARK_LEN, &|payload| Mark::from_bytes(payload).is_some(), &mut |_, _, payload| {
		if let Some(mark) = Mark::from_bytes(&payload) {
			// A set, not a scan of `out`: a crafted text may hold any number of valid marks.
			if seen.insert(payload) {
				out.push(mark);
			}
		}
	});
	out
}

/// `text` without the runs that [`extract`] finds; every other character stays, so
/// `strip(&embed(t, m, c)?) == t` for a `t` that held no valid mark.
pub fn strip(text: &str) -> String {
	let mut out = String::with_capacity(text.len());
	let mut last = 0;
	scan(text, MARK_LEN, &|payload| Mark::from_bytes(payload).is_some(), &mut |start, end, _| {
		if start >= last {
			if let Some(part) = text.get(last..start) {
				out.push_str(part);
				last = end;
			}
		}
	});
	if let Some(rest) = text.get(last..) {
		out.push_str(rest);
	}
	out
}

/// How many anchors `text` has: [`embed_bytes`] writes `min(copies, room(text))` copies.
pub fn room(text: &str) -> usize {
	anchors(text).len()
}

// --- extraction ---

/// Calls `found(start, end, payload)` (byte range of the window in `text`) for every window of
/// a run whose check matches and whose payload `accept` takes, in text order.
fn scan(
	text: &str,
	payload_len: usize,
	accept: &dyn Fn(&[u8]) -> bool,
	found: &mut dyn FnMut(usize, usize, Vec<u8>),
) {
	if !valid_len(payload_len) {
		return;
	}
	let width = (payload_len + CHECK_LEN) * PER_BYTE;
	let mut values: Vec<u8> = Vec::new();
	let mut start = 0;
	let mut flush = |start: usize, values: &[u8]| {
		for (offset, payload) in run_hits(values, payload_len, accept) {
			let from = start + offset * SYMBOL_BYTES;
			found(from, from + width * SYMBOL_BYTES, payload);
		}
	};
	for (at, c) in text.char_indices() {
		if let Some(value) = value_of(c) {
			if values.is_empty() {
				start = at;
			}
			values.push(value);
		} else if !values.is_empty() {
			flush(start, &values);
			values.clear();
		}
	}
	if !values.is_empty() {
		flush(start, &values);
	}
}

/// The windows (symbol offset, payload) of one run that pass, ascending and not overlapping.
fn run_hits(
	values: &[u8],
	payload_len: usize,
	accept: &dyn Fn(&[u8]) -> bool,
) -> Vec<(usize, Vec<u8>)> {
	let width = (payload_len + CHECK_LEN) * PER_BYTE;
	let mut hits = Vec::new();
	let Some(last) = values.len().checked_sub(width) else { return hits };
	let mut queue = BTreeSet::new();
	for s in 0..=SLACK.min(last) {
		queue.insert(s);
		queue.insert(last - s);
	}
	let mut step = width;
	while step <= last {
		queue.insert(step);
		queue.insert(last - step);
		step = step.saturating_add(width);
	}
	let mut free_from = 0;
	let mut bytes = Vec::with_capacity(payload_len + CHECK_LEN);
	while let Some(offset) = queue.pop_first() {
		if offset < free_from {
			continue;
		}
		let Some(window) = values.get(offset..offset + width) else { continue };
		bytes.clear();
		bytes.extend(
			window.chunks_exact(PER_BYTE).map(|c| c.iter().fold(0u8, |b, v| (b << 2) | (v & 3))),
		);
		let (Some(payload), Some(tail)) = (bytes.get(..payload_len), bytes.get(payload_len..))
		else {
			continue;
		};
		if tail == check(payload) && accept(payload) {
			hits.push((offset, payload.to_vec()));
			free_from = offset + width;
			if free_from <= last {
				queue.insert(free_from);
			}
		}
	}
	hits
}

// --- anchors ---

/// The byte offsets where a run may go, in text order: prose anchors, or comment anchors when
/// there is no prose anchor.
fn anchors(text: &str) -> Vec<usize> {
	let mut prose = Vec::new();
	let mut comments = Vec::new();
	let mut fence: Option<(u8, usize)> = None;
	for (start, line) in lines(text) {
		let (cols, body_at) = indentation(line);
		let body = line.get(body_at..).unwrap_or("");
		if let Some((mark, len)) = fence {
			if cols < 4 && closes_fence(body, mark, len) {
				fence = None;
			} else {
				comment_anchors(line, start, body_at, &mut comments);
			}
			continue;
		}
		if cols < 4 {
			if let Some(opened) = opens_fence(body) {
				fence = Some(opened);
				continue;
			}
		}
		if body.is_empty() {
			continue;
		}
		if cols >= 4 || looks_like_code(body) {
			comment_anchors(line, start, body_at, &mut comments);
		} else {
			word_anchors(body, start + body_at, &mut prose);
		}
	}
	if prose.is_empty() {
		comments
	} else {
		prose
	}
}

/// The lines of `text` with their byte offsets, without their ending (LF, CRLF or CR).
fn lines(text: &str) -> Vec<(usize, &str)> {
	let bytes = text.as_bytes();
	let mut out = Vec::new();
	let mut start = 0;
	let mut i = 0;
	while let Some(&b) = bytes.get(i) {
		if b == b'\n' || b == b'\r' {
			if let Some(line) = text.get(start..i) {
				out.push((start, line));
			}
			i += if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') { 2 } else { 1 };
			start = i;
		} else {
			i += 1;
		}
	}
	if let Some(line) = text.get(start..) {
		if !line.is_empty() {
			out.push((start, line));
		}
	}
	out
}

/// The indentation's width in columns (a tab to the next multiple of 4) and its length in bytes.
fn indentation(line: &str) -> (usize, usize) {
	let mut cols = 0;
	for (i, b) in line.bytes().enumerate() {
		match b {
			b' ' => cols += 1,
			b'\t' => cols += 4 - cols % 4,
			_ => return (cols, i),
		}
	}
	(cols, line.len())
}

/// A CommonMark fence opening: 3 or more backticks (no backtick after them) or tildes.
fn opens_fence(body: &str) -> Option<(u8, usize)> {
	let mark = *body.as_bytes().first()?;
	if mark != b'`' && mark != b'~' {
		return None;
	}
	let len = body.bytes().take_while(|&b| b == mark).count();
	if len < 3 {
		return None;
	}
	if mark == b'`' && body.get(len..).is_some_and(|info| info.contains('`')) {
		return None;
	}
	Some((mark, len))
}

fn closes_fence(body: &str, mark: u8, len: usize) -> bool {
	let run = body.bytes().take_while(|&b| b == mark).count();
	run >= len && body.get(run..).is_some_and(|rest| rest.trim_matches([' ', '\t']).is_empty())
}

/// Tells, byte after byte, whether a byte lies outside inline code spans (a maximal run of
/// backticks toggles; the backticks themselves are inside).
#[derive(Default)]
struct Ticks {
	in_code: bool,
	after_tick: bool,
}

impl Ticks {
	fn outside(&mut self, b: u8) -> bool {
		if b == b'`' {
			if !self.after_tick {
				self.in_code = !self.in_code;
			}
			self.after_tick = true;
			return false;
		}
		self.after_tick = false;
		!self.in_code
	}
}

fn looks_like_code(body: &str) -> bool {
	const STARTS: [&str; 16] = [
		"#include",
		"#define",
		"#if",
		"#!",
		"import ",
		"from ",
		"package ",
		"def ",
		"class ",
		"fn ",
		"func ",
		"function ",
		"return ",
		"$ ",
		">>> ",
		"<?",
	];
	if STARTS.iter().any(|s| body.starts_with(s))
		|| body.trim_end().ends_with('\\')
		|| body.strip_prefix('#').is_some_and(|rest| is_directive(rest.as_bytes()))
	{
		return true;
	}
	let mut ticks = Ticks::default();
	let mut prev = b' ';
	for b in body.bytes() {
		if ticks.outside(b) {
			if matches!(b, b'{' | b'}' | b';' | b'=') {
				return true;
			}
			if b == b'(' && (prev.is_ascii_alphanumeric() || prev == b'_') {
				return true;
			}
		}
		prev = b;
	}
	false
}

/// Pushes `base + i` for every plain word of `segment` that ends at `i`, followed by a space or
/// tab and outside inline code spans.
fn word_anchors(segment: &str, base: usize, out: &mut Vec<usize>) {
	let bytes = segment.as_bytes();
	let mut ticks = Ticks::default();
	let mut word: Option<(usize, bool)> = None;
	for (i, &b) in bytes.iter().enumerate() {
		let outside = ticks.outside(b);
		if b == b' ' || b == b'\t' {
			if let Some((from, in_code)) = word.take() {
				if !in_code && bytes.get(from..i).is_some_and(is_plain_word) {
					out.push(base + i);
				}
			}
		} else {
			let (_, in_code) = word.get_or_insert((i, false));
			*in_code |= !outside;
		}
	}
}

/// ASCII letters, with `-` or `'` inside.
fn is_plain_word(word: &[u8]) -> bool {
	let ends = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphabetic);
	ends(word.first())
		&& ends(word.last())
		&& word.iter().all(|&b| b.is_ascii_alphabetic() || b == b'-' || b == b'\'')
}

/// Whether the text after a `#` is a C preprocessor directive (`# define X` is no comment).
fn is_directive(after_hash: &[u8]) -> bool {
	const DIRECTIVES: [&[u8]; 12] = [
		b"include", b"define", b"if", b"ifdef", b"ifndef", b"elif", b"else", b"endif", b"pragma",
		b"undef", b"error", b"line",
	];
	let skip = after_hash.iter().take_while(|b| matches!(b, b' ' | b'\t')).count();
	let word = after_hash.get(skip..).unwrap_or_default();
	let len = word.iter().take_while(|b| b.is_ascii_alphabetic()).count();
	DIRECTIVES.iter().any(|d| word.get(..len) == Some(*d))
}

/// Anchors in the comment of a code line (see the module docs).
fn comment_anchors(line: &str, start: usize, body_at: usize, out: &mut Vec<usize>) {
	let Some(from) = comment_start(line.as_bytes(), body_at) else { return };
	let Some(rest) = line.get(from..) else { return };
	let end = rest.find("*/").unwrap_or(rest.len());
	if let Some(comment) = rest.get(..end) {
		word_anchors(comment, start + from, out);
	}
}

/// Where the text of a comment starts (its marker and the space after it excluded).
fn comment_start(line: &[u8], body_at: usize) -> Option<usize> {
	const ANYWHERE: [&[u8]; 6] = [b"///", b"//!", b"//", b"/**", b"/*", b"#"];
	const AT_START: [&[u8]; 5] = [b"--", b";;", b";", b"*", b"#"];
	let spaced = |at: usize| matches!(line.get(at), Some(b' ' | b'\t'));
	let directive = |at: usize| is_directive(line.get(at..).unwrap_or_default());
	let body = line.get(body_at..)?;
	for marker in AT_START {
		if body.starts_with(marker) && spaced(body_at + marker.len()) {
			if marker == b"#" && directive(body_at + 1) {
				break;
			}
			return Some(body_at + marker.len());
		}
	}
	for at in body_at..line.len() {
		if at > body_at && !matches!(line.get(at - 1), Some(b' ' | b'\t')) {
			continue;
		}
		let rest = line.get(at..)?;
		for marker in ANYWHERE {
			if rest.starts_with(marker) && spaced(at + marker.len()) {
				if marker == b"#" && directive(at + 1) {
					break;
				}
				return Some(at + marker.len());
			}
		}
	}
	None
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::{format, string::ToString, vec};
	use proptest::prelude::*;
	use rand::{rngs::StdRng, Rng, SeedableRng};

	fn mark(seed: u8) -> Mark {
		Mark { case: u64::from(seed) * 1_000_003, tracing: [seed; 32] }
	}

	fn visible(text: &str) -> String {
		text.chars().filter(|c| !is_symbol(*c)).collect()
	}

	/// The symbols of `text` as base-4 digits.
	fn digits(text: &str) -> String {
		text.chars().filter_map(value_of).map(|v| char::from(b'0' + v)).collect()
	}

	/// The byte ranges of the maximal symbol runs of `text`.
	fn runs(text: &str) -> Vec<(usize, usize)> {
		let mut out: Vec<(usize, usize)> = Vec::new();
		for (at, c) in text.char_indices().filter(|(_, c)| is_symbol(*c)) {
			match out.last_mut() {
				Some((_, end)) if *end == at => *end = at + c.len_utf8(),
				_ => out.push((at, at + c.len_utf8())),
			}
		}
		out
	}

	fn crlf(text: &str) -> String {
		text.replace('\n', "\r\n")
	}

	fn cr(text: &str) -> String {
		text.replace('\n', "\r")
	}

	/// Re-wraps everything to `width` visible columns: words joined by single spaces.
	fn rewrap(text: &str, width: usize) -> String {
		let mut out = String::new();
		let mut col = 0;
		for word in text.split_whitespace() {
			let len = visible(word).chars().count();
			if col > 0 && col + 1 + len > width {
				out.push('\n');
				col = 0;
			} else if col > 0 {
				out.push(' ');
				col += 1;
			}
			out.push_str(word);
			col += len;
		}
		out
	}

	/// Collapses runs of spaces and tabs, strips trailing whitespace, re-indents every other
	/// line with a tab and the others with two spaces.
	fn reformat(text: &str) -> String {
		text.lines()
			.enumerate()
			.map(|(i, line)| {
				let words: Vec<&str> = line.split_whitespace().collect();
				let indent = if i % 2 == 0 { "  " } else { "\t" };
				if words.is_empty() {
					String::new()
				} else {
					format!("{indent}{}", words.join(" "))
				}
			})
			.collect::<Vec<_>>()
			.join("\n")
	}

	type Transform = fn(&str) -> String;

	/// The transformations a mark survives.
	fn transformations() -> Vec<(&'static str, Transform)> {
		vec![
			("identity", |t| t.to_string()),
			("crlf", crlf),
			("cr", cr),
			("rewrap40", |t| rewrap(t, 40)),
			("reformat", reformat),
			("rewrap then crlf", |t| crlf(&rewrap(t, 40))),
		]
	}

	const WORDS: [&str; 24] = [
		"the",
		"overflow",
		"occurs",
		"when",
		"a",
		"crafted",
		"packet",
		"reaches",
		"parser",
		"use-after-free",
		"don't",
		"attacker",
		"heap",
		"length",
		"field",
		"is",
		"trusted",
		"without",
		"check",
		"kernel",
		"remote",
		"code",
		"execution",
		"Vendor",
	];

	/// Random prose of `words` words: mostly plain ASCII words, some punctuation, numbers,
	/// CJK and emoji words; paragraphs of a few lines.
	fn prose(rng: &mut StdRng, words: usize) -> String {
		let mut out = String::from("Summary");
		for i in 0..words {
			out.push(match rng.gen_range(0..20) {
				0 => '\n',
				1 if i % 7 == 0 => '\n',
				_ => ' ',
			});
			let word = match rng.gen_range(0..20) {
				0 => "漏洞".to_string(),
				1 => "😀".to_string(),
				2 => "👩\u{200D}💻".to_string(),
				3 => format!("{},", WORDS[rng.gen_range(0..WORDS.len())]),
				4 => format!("{}.", rng.gen_range(0..10_000)),
				_ => WORDS[rng.gen_range(0..WORDS.len())].to_string(),
			};
			out.push_str(&word);
		}
		out.push('\n');
		out
	}

	#[test]
	fn known_answer() {
		let mark = Mark { case: 0x0102_0304_0506_0708, tracing: core::array::from_fn(|i| i as u8) };
		let bytes = mark.to_bytes();
		assert_eq!(bytes[..9], [1, 8, 7, 6, 5, 4, 3, 2, 1]);
		assert_eq!(check(&bytes), [0x85, 0x42, 0xb3, 0x86]);
		let marked = embed("Hello world", &mark, 1).unwrap();
		let run: String = marked.chars().filter(|c| is_symbol(*c)).collect();
		assert_eq!(marked, format!("Hello{run} world"));
		assert_eq!(run.len(), 540);
		assert_eq!(
			digits(&marked),
			concat!(
				"000100200013001200110010000300020001000000010002000300100011",
				"001200130020002100220023003000310032003301000101010201030110",
				"011101120113012001210122012301300131013201332011100223032012",
			)
		);
		assert_eq!(digits("\u{200B}\u{200C}\u{200D}\u{2060}"), "0123");
		assert_eq!(extract(&marked), vec![mark]);
	}

	#[test]
	fn round_trip_for_every_copy_count() {
		let mut rng = StdRng::seed_from_u64(1);
		let text = prose(&mut rng, 300);
		for copies in 1..=MAX_COPIES {
			let m = mark(copies);
			let marked = embed(&text, &m, copies).unwrap();
			assert_eq!(runs(&marked).len() - runs(&text).len(), usize::from(copies));
			assert_eq!(extract(&marked), vec![m.clone()]);
			assert_eq!(strip(&marked), text);
			assert_eq!(visible(&marked), visible(&text));
			assert_eq!(extract(&text), vec![]);
			// Every copy on its own names the mark.
			let payloads = extract_bytes(&marked, MARK_LEN);
			assert_eq!(payloads, vec![m.to_bytes().to_vec()]);
		}
	}

	#[test]
	fn copies_and_payloads_out_of_range_are_refused() {
		let m = mark(1);
		assert_eq!(embed("some words here", &m, 0), Err(Error::InvalidMark));
		assert_eq!(embed("some words here", &m, 5), Err(Error::InvalidMark));
		assert_eq!(embed_bytes("some words here", &[], 1), Err(Error::InvalidMark));
		assert_eq!(embed_bytes("some words here", &[0; 257], 1), Err(Error::InvalidMark));
		assert!(embed_bytes("some words here", &[0; 256], 1).is_ok());
		assert_eq!(extract_bytes("some words here", 0), Vec::<Vec<u8>>::new());
		assert_eq!(extract_bytes("some words here", 257), Vec::<Vec<u8>>::new());
	}

	#[test]
	fn no_room_without_an_anchor() {
		for text in [
			"",
			"word",
			"a,b,c d.",
			"1 2 3 ",
			"漏洞 漏洞 😀 😀 ",
			"https://example.com/a b_c ./poc --flag x86 ",
			"```\nint main(void) { return 0; }\n```\n",
			"    indented code only\n\tand more\n",
		] {
			assert_eq!(room(text), 0, "{text:?}");
			assert_eq!(embed(text, &mark(1), 1), Err(Error::NoRoomForMark), "{text:?}");
		}
	}

	#[test]
	fn fewer_anchors_than_copies() {
		let marked = embed("two words here", &mark(3), 4).unwrap();
		assert_eq!(runs(&marked).len(), 2);
		assert_eq!(extract(&marked), vec![mark(3)]);
	}

	#[test]
	fn marks_never_land_in_code() {
		let report = "# Heap overflow in the parser\n\
			\n\
			The parser trusts the length field of a packet and copies it into a fixed buffer.\n\
			Run `make all poc` and then send the packet below to the service to see the crash.\n\
			\n\
			```c\n\
			// copy the body into the buffer now\n\
			memcpy(buf, pkt body, len);\n\
			```\n\
			\n\
			~~~~\n\
			send the packet twice\n\
			~~~~\n\
			\n    \
			indented code line with words\n\
			\tanother indented line with words\n\
			\n\
			int x = compute value here;\n\
			The fix is to check the length against the size of the buffer before the copy.\n\
			See https://example.com/advisory for more and the attacker controls it all.\n";
		for copies in 1..=MAX_COPIES {
			let marked = embed(report, &mark(copies), copies).unwrap();
			assert_eq!(extract(&marked), vec![mark(copies)]);
			let mut in_code = false;
			for (line, original) in marked.lines().zip(report.lines()) {
				let fence = original.starts_with("```") || original.starts_with("~~~~");
				if fence {
					in_code = !in_code;
				}
				let code = fence
					|| in_code || original.starts_with("    ")
					|| original.starts_with('\t')
					|| original.starts_with("int x");
				if code {
					assert_eq!(line, original);
				} else {
					assert_eq!(visible(line), original);
				}
			}
			// Inline code and URLs stay as they were.
			assert!(marked.contains("`make all poc`"));
			assert!(marked.contains("https://example.com/advisory "));
		}
	}

	#[test]
	fn comments_take_the_mark_in_a_code_only_report() {
		let fenced = "```c\n\
			#include <stdio.h>\n\
			# define SIZE 8\n\
			int main(void) {\n\
			\tchar buf[SIZE]; /* the small buffer */\n\
			\tgets(buf); // reads past the end of it\n\
			\treturn 0;\n\
			}\n\
			```\n";
		let raw = fenced.trim_start_matches("```c\n").trim_end_matches("```\n");
		for text in [fenced, raw] {
			assert_eq!(room(text), 8, "{text}");
			let marked = embed(text, &mark(9), 4).unwrap();
			assert_eq!(extract(&marked), vec![mark(9)]);
			assert_eq!(strip(&marked), text);
			for (line, original) in marked.lines().zip(text.lines()) {
				if line != original {
					let comment = original.find("/*").or_else(|| original.find("//")).unwrap();
					let first = line.find(SYMBOLS.as_slice()).unwrap();
					assert!(first > comment, "{line}");
				}
			}
		}
		let asm = "```\nmov eax, 1\n; load the counter first\n-- select all rows\n\
			for (i = 0 ; i < n ; i++) x;\ngit checkout -- some file\n```\n";
		let anchors = anchors(asm);
		assert_eq!(anchors.len(), 5);
		assert!(anchors.iter().all(|&a| a < asm.find("for").unwrap()));
	}

	#[test]
	fn survives_line_endings_rewrapping_and_reformatting() {
		let mut rng = StdRng::seed_from_u64(2);
		for round in 0..20u8 {
			let text = prose(&mut rng, 250);
			let copies = round % MAX_COPIES + 1;
			let m = mark(round);
			let marked = embed(&text, &m, copies).unwrap();
			for (name, transform) in transformations() {
				assert_eq!(extract(&transform(&marked)), vec![m.clone()], "{name}");
			}
		}
	}

	#[test]
	fn survives_an_excerpt_of_one_copy_spacing() {
		let mut rng = StdRng::seed_from_u64(3);
		for round in 0..40u8 {
			let text = prose(&mut rng, 1500);
			let copies = round % MAX_COPIES + 1;
			let m = mark(round);
			let marked = embed(&text, &m, copies).unwrap();
			let len = marked.len();
			let excerpt = len / usize::from(copies) + len / 20 + 540;
			let mut start = 0;
			while start + excerpt <= len {
				let from = (start..).find(|&i| marked.is_char_boundary(i)).unwrap();
				let to = (from + excerpt..).find(|&i| marked.is_char_boundary(i)).unwrap();
				assert_eq!(extract(&marked[from..to]), vec![m.clone()], "{copies} {from}");
				start += len / 97 + 1;
			}
		}
	}

	#[test]
	fn a_damaged_copy_names_nobody() {
		let text = "One two three four five six seven eight nine ten eleven twelve thirteen.";
		let m = mark(5);
		let one = embed(text, &m, 1).unwrap();
		let four = embed(text, &m, 4).unwrap();
		let (start, _) = runs(&one)[0];
		let (start4, _) = runs(&four)[1];
		for i in 0..(MARK_LEN + CHECK_LEN) * PER_BYTE {
			for (marked, at) in [(&one, start), (&four, start4)] {
				let pos = at + i * SYMBOL_BYTES;
				let old = value_of(marked[pos..].chars().next().unwrap()).unwrap();
				let mut damaged = marked[..pos].to_string();
				damaged.push(symbol_of(old + 1));
				damaged.push_str(&marked[pos + SYMBOL_BYTES..]);
				let found = extract(&damaged);
				if core::ptr::eq(marked, &one) {
					assert_eq!(found, vec![], "{i}");
					assert_eq!(extract_bytes(&damaged, MARK_LEN), Vec::<Vec<u8>>::new());
				} else {
					assert_eq!(found, vec![m.clone()], "{i}");
				}
			}
		}
	}

	#[test]
	fn what_does_not_survive() {
		let mut rng = StdRng::seed_from_u64(4);
		let text = prose(&mut rng, 400);
		let marked = embed(&text, &mark(7), 4).unwrap();
		// A tool that strips every Cf character (the four symbols are Cf).
		let no_cf: String = marked
			.chars()
			.filter(|c| !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}'))
			.collect();
		assert_eq!(extract(&no_cf), vec![]);
		// Conversion to ASCII.
		let ascii: String = marked.chars().filter(char::is_ascii).collect();
		assert_eq!(extract(&ascii), vec![]);
		// An excerpt between two copies.
		let runs = runs(&marked);
		assert_eq!(extract(&marked[runs[0].1..runs[1].0]), vec![]);
		// Half a copy.
		let half = runs[0].0 + 90 * SYMBOL_BYTES;
		assert_eq!(extract(&marked[..half]), vec![]);
	}

	#[test]
	fn earlier_marks_and_stray_symbols() {
		let text = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu.";
		let first = embed(text, &mark(1), 2).unwrap();
		let both = embed(&first, &mark(2), 2).unwrap();
		assert_eq!(extract(&both), vec![mark(1), mark(2)]);
		assert_eq!(strip(&both), text);
		// Copies written back to back, and with stray symbols on both sides.
		let run = encode_run(&mark(3).to_bytes()).unwrap();
		let stray = "\u{200D}".repeat(SLACK);
		let glued =
			format!("x {stray}{run}{}{run}{stray} y", encode_run(&mark(4).to_bytes()).unwrap());
		assert_eq!(extract(&glued), vec![mark(3), mark(4)]);
		assert_eq!(strip(&glued), format!("x {stray}{stray} y"));
		// A copy buried deeper than SLACK (and off the window grid) is not looked for.
		let deep = format!("{}{run}{}", "\u{200B}".repeat(SLACK + 1), "\u{200B}".repeat(SLACK + 1));
		assert_eq!(extract(&deep), vec![]);
		// An unknown version is no mark, though its check holds.
		let mut bytes = mark(3).to_bytes();
		bytes[0] = 2;
		let other = format!("a {} b", encode_run(&bytes).unwrap());
		assert_eq!(extract(&other), vec![]);
		assert_eq!(extract_bytes(&other, MARK_LEN), vec![bytes.to_vec()]);
		assert_eq!(strip(&other), other);
	}

	#[test]
	fn generic_layer_for_every_length() {
		let text = "Alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu.";
		for len in [1, 16, 32, 64, 128, 255, 256] {
			let payload: Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
			let marked = embed_bytes(text, &payload, 3).unwrap();
			assert_eq!(extract_bytes(&marked, len), vec![payload.clone()]);
			assert_eq!(extract_bytes(&rewrap(&marked, 20), len), vec![payload]);
			// Another length finds nothing (the length is in the check, too).
			assert_eq!(extract_bytes(&marked, len + 1), Vec::<Vec<u8>>::new());
		}
	}

	#[test]
	fn a_huge_run_is_scanned_in_linear_time() {
		let run = encode_run(&mark(8).to_bytes()).unwrap();
		let filler = "\u{2060}".repeat(10 * 1024 * 1024 / 3);
		let text = format!("{run}{filler}");
		assert_eq!(extract(&text), vec![mark(8)]);
		assert_eq!(extract_bytes(&filler, 1), Vec::<Vec<u8>>::new());
		assert_eq!(strip(&text), filler);
	}

	#[test]
	fn debug_hides_the_token() {
		assert_eq!(format!("{:?}", mark(2)), "Mark { case: 2000006, .. }");
		let token = TracingToken([6; 32]);
		assert_eq!(Mark::new(4, &token), Mark { case: 4, tracing: [6; 32] });
		assert_eq!(Mark::from_bytes(&mark(2).to_bytes()), Some(mark(2)));
		assert_eq!(Mark::from_bytes(&[1; MARK_LEN - 1]), None);
	}

	fn word() -> impl Strategy<Value = String> {
		prop_oneof![
			6 => "[a-zA-Z]{1,10}",
			1 => "[a-zA-Z]{1,6}[.,;:!?]",
			1 => "[0-9]{1,4}",
			1 => "[\u{4e00}-\u{4e40}]{1,4}",
			1 => prop::sample::select(vec!["😀", "👩\u{200D}💻", "🇫🇷", "naïve", "café"])
				.prop_map(String::from),
		]
	}

	fn text() -> impl Strategy<Value = String> {
		prop::collection::vec(
			(word(), prop::sample::select(vec![" ", " ", " ", "  ", "\n"])),
			1..120,
		)
		.prop_map(|words| {
			let mut out = String::from("Report on this issue\n");
			for (word, sep) in words {
				out.push_str(&word);
				out.push_str(sep);
			}
			out
		})
	}

	fn noise() -> impl Strategy<Value = String> {
		let c = prop_oneof![
			4 => prop::sample::select(SYMBOLS.to_vec()),
			1 => any::<char>(),
		];
		prop::collection::vec(c, 0..3000).prop_map(|cs| cs.into_iter().collect())
	}

	proptest! {
		#![proptest_config(ProptestConfig::with_cases(256))]

		#[test]
		fn embedded_marks_survive_every_transformation(
			text in text(),
			case in any::<u64>(),
			tracing in any::<[u8; 32]>(),
			copies in 1..=MAX_COPIES,
		) {
			let m = Mark { case, tracing };
			let marked = embed(&text, &m, copies).unwrap();
			prop_assert_eq!(strip(&marked), text.clone());
			prop_assert_eq!(visible(&marked), visible(&text));
			for (name, transform) in transformations() {
				prop_assert_eq!(extract(&transform(&marked)), vec![m.clone()], "{}", name);
			}
		}

		#[test]
		fn extraction_never_panics(text in noise(), other in any::<String>(), len in 0usize..300) {
			let _ = extract(&text);
			let _ = extract_bytes(&text, len);
			let _ = extract(&other);
			let _ = extract_bytes(&other, len);
			prop_assert_eq!(visible(&strip(&text)), visible(&text));
			let _ = room(&text);
			let _ = room(&other);
		}

		#[test]
		fn a_mark_in_noise_is_found(
			prefix in noise(),
			suffix in noise(),
			case in any::<u64>(),
		) {
			let m = Mark { case, tracing: [3; 32] };
			let run = encode_run(&m.to_bytes()).unwrap();
			let text = format!("{prefix}x{run}y{suffix}");
			prop_assert!(extract(&text).contains(&m));
			prop_assert_eq!(strip(&text), format!("{prefix}xy{suffix}"));
		}
	}
}
