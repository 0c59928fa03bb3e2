//! The measurement's outputs: CSV rows, the Markdown tables and the PNG charts.

use super::*;

/// The columns of `traceability.csv`, one row per (k, m).
pub const CSV_HEADER: [&str; 18] = [
	"k_bits",
	"payload_bytes",
	"embeddings",
	"rounds",
	"report_bytes_mean",
	"marked_bytes_mean",
	"embed_mean_us",
	"embed_p95_us",
	"full_trace_mean_us",
	"full_trace_p95_us",
	"full_traced",
	"extract_mean_us",
	"trace_mean_us",
	"trace_p95_us",
	"trace_max_us",
	"traced",
	"traced_fraction",
	"misattributed",
];

/// The columns of `traceability-leaks.csv`, one row per (k, m, transformation).
pub const LEAKS_CSV_HEADER: [&str; 6] =
	["k_bits", "embeddings", "transform", "rounds", "traced", "traced_fraction"];

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
	move |e| Error::io(path, e)
}

fn fraction(n: u32, of: u32) -> f64 {
	if of == 0 {
		f64::NAN
	} else {
		f64::from(n) / f64::from(of)
	}
}

/// Writes `traceability.csv` (per point) and `traceability-leaks.csv` (per point and
/// transformation) into `dir`.
pub fn write_csv(points: &[Point], dir: &Path) -> Result<()> {
	let path = dir.join("traceability.csv");
	let file = std::fs::File::create(&path).map_err(io(&path))?;
	let mut out = std::io::BufWriter::new(file);
	writeln!(out, "{}", CSV_HEADER.join(",")).map_err(io(&path))?;
	for p in points {
		let max = p.trace_us.iter().copied().fold(f64::NAN, f64::max);
		writeln!(
			out,
			"{},{},{},{},{:.1},{:.1},{:.3},{:.3},{:.3},{:.3},{},{:.3},{:.3},{:.3},{:.3},{},{:.4},{}",
			p.k_bits,
			p.payload_bytes(),
			p.embeddings,
			p.rounds,
			p.report_bytes_mean,
			p.marked_bytes_mean,
			mean(&p.embed_us),
			p95(&p.embed_us),
			mean(&p.full_trace_us),
			p95(&p.full_trace_us),
			p.full_traced,
			mean(&p.extract_us),
			mean(&p.trace_us),
			p95(&p.trace_us),
			max,
			p.traced,
			p.traced_fraction(),
			p.misattributed
		)
		.map_err(io(&path))?;
	}
	out.flush().map_err(io(&path))?;

	let path = dir.join("traceability-leaks.csv");
	let file = std::fs::File::create(&path).map_err(io(&path))?;
	let mut out = std::io::BufWriter::new(file);
	writeln!(out, "{}", LEAKS_CSV_HEADER.join(",")).map_err(io(&path))?;
	for p in points {
		for (leak, c) in Leak::ALL.iter().zip(p.by_leak) {
			writeln!(
				out,
				"{},{},{},{},{},{:.4}",
				p.k_bits,
				p.embeddings,
				leak.name(),
				c.rounds,
				c.traced,
				fraction(c.traced, c.rounds)
			)
			.map_err(io(&path))?;
		}
	}
	out.flush().map_err(io(&path))
}

/// Traced rounds and rounds of transformation `leak` over `points` matching `keep`.
fn pooled(points: &[Point], leak: usize, keep: impl Fn(&Point) -> bool) -> (u32, u32) {
	points.iter().filter(|p| keep(p)).fold((0, 0), |(t, r), p| {
		let c = p.by_leak.get(leak).copied().unwrap_or_default();
		(t + c.traced, r + c.rounds)
	})
}

fn grid(points: &[Point], cell: impl Fn(&Point) -> String) -> String {
	let mut headers = vec!["k (bits)".to_string()];
	headers.extend(EMBEDDINGS.iter().map(|m| format!("m = {m}")));
	let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
	let rows: Vec<Vec<String>> = CREDENTIAL_BITS
		.iter()
		.map(|&k| {
			let mut row = vec![k.to_string()];
			row.extend(EMBEDDINGS.iter().map(|&m| {
				points
					.iter()
					.find(|p| p.k_bits == k && p.embeddings == m)
					.map_or_else(|| "-".into(), &cell)
			}));
			row
		})
		.collect();
	table(&headers, &rows)
}

/// The machine the measurement ran on: cores and CPU model (Linux), as one line.
pub fn machine() -> String {
	let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
	let cpu = std::fs::read_to_string("/proc/cpuinfo")
		.ok()
		.and_then(|s| {
			s.lines()
				.find(|l| l.starts_with("model name"))
				.and_then(|l| l.split(':').nth(1))
				.map(|m| m.trim().to_string())
		})
		.unwrap_or_else(|| "unknown CPU".into());
	format!("{cores} cores, {cpu}")
}

/// The Markdown report (`traceability.md`).
pub fn markdown(points: &[Point], config: &TraceConfig) -> String {
	let mut s = String::from("# Traceability delay (UIV-TSP sec. 4.2, Fig. 12)\n\n");
	s.push_str(&format!(
		"`endochain-trust traceability --runs {} --deliveries {} --seed {}`: {} measured rounds \
		 per point after {} untimed ones, reports of about {} bytes, an index of {} \
		 deliveries, leak transformations drawn uniformly from {}; single-threaded, on {}.\n\n",
		config.runs,
		config.deliveries,
		config.seed,
		config.runs,
		config.warmup,
		config.report_bytes,
		config.deliveries,
		config.leaks.iter().map(|l| l.name()).collect::<Vec<_>>().join(", "),
		machine()
	));
	s.push_str(
		"Traceability delay = `extract_bytes` on the text + SHA-256 commitment of each \
		 credential found + lookup in the index. k = credential length, m = copies embedded. \
		 Each round times the tracer on the whole marked copy (all m copies in it) and on the \
		 leaked copy (after the round's random transformation; an excerpt is shorter).\n\n",
	);
	s.push_str("## Traceability delay, whole marked copy, mean (µs)\n\n");
	s.push_str(&grid(points, |p| format!("{:.1}", mean(&p.full_trace_us))));
	s.push_str("\n## Traceability delay, whole marked copy, p95 (µs)\n\n");
	s.push_str(&grid(points, |p| format!("{:.1}", p95(&p.full_trace_us))));
	s.push_str("\n## Traceability delay, leaked copy, mean (µs)\n\n");
	s.push_str(&grid(points, |p| format!("{:.1}", mean(&p.trace_us))));
	s.push_str("\n## Traceability delay, leaked copy, p95 (µs)\n\n");
	s.push_str(&grid(points, |p| format!("{:.1}", p95(&p.trace_us))));
	s.push_str("\n## The TA's embedding time, mean (µs)\n\n");
	s.push_str(&grid(points, |p| format!("{:.1}", mean(&p.embed_us))));
	s.push_str("\n## Leaked copy traced to the right delivery (all transformations)\n\n");
	s.push_str(&grid(points, |p| format!("{:.3}", p.traced_fraction())));
	s.push_str("\n## Traced fraction per leak transformation (all k pooled)\n\n");
	let mut headers = vec!["transformation".to_string()];
	headers.extend(EMBEDDINGS.iter().map(|m| format!("m = {m}")));
	headers.push("all".into());
	let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
	let rows: Vec<Vec<String>> = Leak::ALL
		.iter()
		.enumerate()
		.map(|(i, leak)| {
			let cell = |(t, r): (u32, u32)| format!("{:.3} ({t}/{r})", fraction(t, r));
			let mut row = vec![leak.name().to_string()];
			row.extend(EMBEDDINGS.iter().map(|&m| cell(pooled(points, i, |p| p.embeddings == m))));
			row.push(cell(pooled(points, i, |_| true)));
			row
		})
		.collect();
	s.push_str(&table(&headers, &rows));
	let wrong: u32 = points.iter().map(|p| p.misattributed).sum();
	let (full, rounds) = points.iter().fold((0, 0), |(f, r), p| (f + p.full_traced, r + p.rounds));
	s.push_str(&format!(
		"\nWhole marked copies traced to exactly the right delivery: {full} of {rounds} rounds. \
		 Rounds where a commitment found in a leaked copy named another delivery: {wrong}.\n\n\
		 ## All points (delays in µs)\n\n"
	));
	let rows: Vec<Vec<String>> = points
		.iter()
		.map(|p| {
			vec![
				p.k_bits.to_string(),
				p.embeddings.to_string(),
				format!("{:.0}", p.marked_bytes_mean),
				format!("{:.1}", mean(&p.embed_us)),
				format!("{:.1}", mean(&p.full_trace_us)),
				format!("{:.1}", p95(&p.full_trace_us)),
				format!("{:.1}", mean(&p.extract_us)),
				format!("{:.1}", mean(&p.trace_us)),
				format!("{:.1}", p95(&p.trace_us)),
				format!("{:.3}", p.traced_fraction()),
			]
		})
		.collect();
	s.push_str(&table(
		&[
			"k (bits)",
			"m",
			"marked bytes",
			"embed",
			"whole copy: mean",
			"whole copy: p95",
			"leaked copy: extract",
			"leaked copy: mean",
			"leaked copy: p95",
			"leaked copy traced",
		],
		&rows,
	));
	s
}

fn per_m(points: &[Point], value: impl Fn(&Point) -> f64) -> Vec<Series> {
	EMBEDDINGS
		.iter()
		.map(|&m| Series {
			label: format!("m = {m}"),
			points: points
				.iter()
				.filter(|p| p.embeddings == m)
				.map(|p| ((p.k_bits as f64).log2(), value(p)))
				.collect(),
			band: Vec::new(),
		})
		.collect()
}

/// A chart against k (drawn at `log2 k`, labelled with k), y from 0.
fn k_chart(title: &str, y_label: &str, y_max: f64, series: Vec<Series>) -> Chart {
	Chart {
		title: title.into(),
		x_label: "credential length k (bits)".into(),
		y_label: y_label.into(),
		log_x: false,
		x_pow2: true,
		y_range: Some((0.0, y_max)),
		legend_top: false,
		series,
	}
}

/// Draws `traceability_delay.png` (the mean delay on the whole marked copy and on the leaked
/// copy, and the embedding time, against k, one line per m, the layout of the paper's Fig. 12)
/// and `traceability_traced.png` (the leaked copies' traced fraction per transformation
/// against m and against k) into `dir`.
pub fn plots(points: &[Point], dir: &Path) -> Result<()> {
	let top = |f: &dyn Fn(&Point) -> f64| {
		let max = points.iter().map(f).filter(|x| x.is_finite()).fold(0.0, f64::max);
		if max > 0.0 {
			max * 1.15
		} else {
			1.0
		}
	};
	let delay_top = top(&|p| mean(&p.full_trace_us).max(mean(&p.trace_us)));
	plot::draw(
		&dir.join("traceability_delay.png"),
		&[
			k_chart(
				"Traceability delay, whole copy (mean)",
				"delay (µs)",
				delay_top,
				per_m(points, |p| mean(&p.full_trace_us)),
			),
			k_chart(
				"Traceability delay, leaked copy (mean)",
				"delay (µs)",
				delay_top,
				per_m(points, |p| mean(&p.trace_us)),
			),
			k_chart(
				"TA's embedding time (mean)",
				"time (µs)",
				top(&|p| mean(&p.embed_us)),
				per_m(points, |p| mean(&p.embed_us)),
			),
		],
		(560, 420),
	)?;
	let by = |x_of: fn(&Point) -> f64, xs: Vec<f64>| -> Vec<Series> {
		Leak::ALL
			.iter()
			.enumerate()
			.map(|(i, leak)| Series {
				label: leak.name().into(),
				points: xs
					.iter()
					.filter_map(|&x| {
						let (t, r) = pooled(points, i, |p| x_of(p) == x);
						(r > 0).then(|| (x, fraction(t, r)))
					})
					.collect(),
				band: Vec::new(),
			})
			.collect()
	};
	// From 0.9 (lower when a fraction is lower), so that a few untraced excerpts show.
	let lowest = points
		.iter()
		.flat_map(|p| p.by_leak.iter().filter(|c| c.rounds > 0))
		.map(|c| fraction(c.traced, c.rounds))
		.fold(1.0, f64::min);
	let y_low = ((lowest - 0.02) * 20.0).floor().clamp(0.0, 18.0) / 20.0;
	let by_m = Chart {
		title: "Leaked copies traced, by m (all k)".into(),
		x_label: "embeddings m".into(),
		y_label: "traced fraction".into(),
		log_x: false,
		x_pow2: false,
		y_range: Some((y_low, 1.01)),
		legend_top: false,
		series: by(|p| f64::from(p.embeddings), EMBEDDINGS.iter().map(|&m| f64::from(m)).collect()),
	};
	let by_k = Chart {
		title: "Leaked copies traced, by k (all m)".into(),
		x_label: "credential length k (bits)".into(),
		x_pow2: true,
		series: by(
			|p| (p.k_bits as f64).log2(),
			CREDENTIAL_BITS.iter().map(|&k| (k as f64).log2()).collect(),
		),
		..by_m.clone()
	};
	plot::draw(&dir.join("traceability_traced.png"), &[by_m, by_k], (560, 420))
}

/// What [`traceability`] measured and wrote.
#[derive(Clone, Debug, PartialEq)]
pub struct TraceReport {
	/// One per (k, m), k outer.
	pub points: Vec<Point>,
	/// The Markdown written to `traceability.md`.
	pub markdown: String,
}

/// The `traceability` command: measures (see the module docs) and writes
/// `traceability.csv`, `traceability-leaks.csv`, `traceability.md`, `traceability_delay.png`
/// and `traceability_traced.png` into `out_dir`.
pub fn traceability(config: &TraceConfig, out_dir: &Path, bars: Bars<'_>) -> Result<TraceReport> {
	config.validate()?;
	std::fs::create_dir_all(out_dir).map_err(|e| Error::io(out_dir, e))?;
	let bar = bars("tracing leaked reports");
	let points = measure(config, &bar)?;
	write_csv(&points, out_dir)?;
	let markdown = markdown(&points, config);
	let path = out_dir.join("traceability.md");
	std::fs::write(&path, &markdown).map_err(|e| Error::io(&path, e))?;
	plots(&points, out_dir)?;
	Ok(TraceReport { points, markdown })
}
