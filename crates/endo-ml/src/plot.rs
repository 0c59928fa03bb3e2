//! PNG line charts (plotters, bitmap backend) for the figures of `docs/TRUST-EVALUATION.md`.
//!
//! Text is drawn with plotters' pure-Rust `ab_glyph` renderer from a TrueType file read at run
//! time (no fontconfig): `$ENDOCHAIN_FONT` if set, else the first of [`FONT_CANDIDATES`] that
//! exists (Debian's `fonts-dejavu-core` provides the first).

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use plotters::prelude::*;

use crate::{Error, Result};

/// Font files tried in order when `$ENDOCHAIN_FONT` is not set.
pub const FONT_CANDIDATES: [&str; 4] = [
	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
	"/usr/share/fonts/TTF/DejaVuSans.ttf",
	"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
	"/usr/share/fonts/dejavu/DejaVuSans.ttf",
];

static FONT: OnceLock<std::result::Result<(), String>> = OnceLock::new();

fn load_font() -> std::result::Result<(), String> {
	let candidates: Vec<PathBuf> = match std::env::var_os("ENDOCHAIN_FONT") {
		Some(p) => vec![PathBuf::from(p)],
		None => FONT_CANDIDATES.iter().map(PathBuf::from).collect(),
	};
	for path in &candidates {
		if let Ok(bytes) = std::fs::read(path) {
			// plotters keeps fonts for the life of the process; leaking one file is intended.
			let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
			return plotters::style::register_font("sans-serif", FontStyle::Normal, bytes)
				.map_err(|_| format!("{} is not a usable TrueType font", path.display()));
		}
	}
	Err(format!(
		"no TrueType font found (tried {}); install fonts-dejavu-core or set ENDOCHAIN_FONT",
		candidates.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
	))
}

fn ensure_font() -> std::result::Result<(), String> {
	FONT.get_or_init(load_font).clone()
}

/// One line, optionally with a shaded band (e.g. mean +- std).
#[derive(Clone, Debug, Default)]
pub struct Series {
	/// Legend label.
	pub label: String,
	/// `(x, y)` points, x ascending.
	pub points: Vec<(f64, f64)>,
	/// `(x, low, high)` of the shaded band; empty for none.
	pub band: Vec<(f64, f64, f64)>,
}

/// One chart (a panel).
#[derive(Clone, Debug, Default)]
pub struct Chart {
	/// Title above the panel.
	pub title: String,
	/// x-axis label.
	pub x_label: String,
	/// y-axis label.
	pub y_label: String,
	/// Logarithmic x axis.
	pub log_x: bool,
	/// Linear x axis labelled `2^x` at every whole x (for series whose x is the `log2` of a
	/// power of two, such as a key length in bits). Ignored with `log_x`.
	pub x_pow2: bool,
	/// Fixed y range; automatic (with a margin) if `None`.
	pub y_range: Option<(f64, f64)>,
	/// Legend in the upper right corner (default: lower right).
	pub legend_top: bool,
	/// The lines.
	pub series: Vec<Series>,
}

const COLORS: [RGBColor; 5] = [
	RGBColor(31, 119, 180),
	RGBColor(214, 39, 40),
	RGBColor(44, 160, 44),
	RGBColor(255, 127, 14),
	RGBColor(148, 103, 189),
];

fn plot_err(path: &Path, e: impl std::fmt::Display) -> Error {
	Error::Plot { path: path.to_path_buf(), message: e.to_string() }
}

fn bounds(chart: &Chart) -> ((f64, f64), (f64, f64)) {
	let xs = chart.series.iter().flat_map(|s| s.points.iter().map(|p| p.0));
	let (mut x0, mut x1) =
		xs.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
	if !x0.is_finite() || !x1.is_finite() {
		(x0, x1) = (0.0, 1.0);
	}
	if x1 <= x0 {
		x1 = x0 + 1.0;
	}
	let y = chart.y_range.unwrap_or_else(|| {
		let ys = chart.series.iter().flat_map(|s| {
			s.points.iter().map(|p| p.1).chain(s.band.iter().flat_map(|b| [b.1, b.2]))
		});
		let (lo, hi) = ys
			.filter(|y| y.is_finite())
			.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| (a.min(y), b.max(y)));
		if !lo.is_finite() {
			return (0.0, 1.0);
		}
		let pad = ((hi - lo) * 0.08).max(1e-3);
		(lo - pad, hi + pad)
	});
	((x0, x1), y)
}

fn draw_panel<DB: DrawingBackend>(
	area: &DrawingArea<DB, plotters::coord::Shift>,
	chart: &Chart,
) -> std::result::Result<(), String>
where
	DB::ErrorType: 'static,
{
	let ((x0, x1), (y0, y1)) = bounds(chart);
	let mut builder = ChartBuilder::on(area);
	builder
		.caption(&chart.title, ("sans-serif", 22))
		.margin(12)
		.x_label_area_size(42)
		.y_label_area_size(72);
	// Rates with two decimals, counts without; cycles (linear x) as integers.
	let y_span = y1 - y0;
	let y_fmt = move |y: &f64| if y_span <= 2.0 { format!("{y:.2}") } else { format!("{y:.0}") };
	let x_fmt = |x: &f64| format!("{x:.0}");
	let pow2_fmt = |x: &f64| format!("{:.0}", x.exp2());
	// One label per whole x on a short axis between whole numbers (2^x, embeddings, cycles).
	let whole = x0.fract() == 0.0 && x1.fract() == 0.0 && x1 - x0 <= 10.0;
	let x_labels = if chart.x_pow2 || whole { (x1 - x0).round().max(1.0) as usize + 1 } else { 10 };
	macro_rules! finish {
		($ctx:expr, $linear_x:expr) => {{
			let mut ctx = $ctx;
			let mut mesh = ctx.configure_mesh();
			mesh.y_label_formatter(&y_fmt);
			if $linear_x && chart.x_pow2 {
				mesh.x_labels(x_labels).x_label_formatter(&pow2_fmt);
			} else if $linear_x {
				mesh.x_labels(x_labels).x_label_formatter(&x_fmt);
			}
			mesh.x_desc(chart.x_label.as_str())
				.y_desc(chart.y_label.as_str())
				.label_style(("sans-serif", 15))
				.axis_desc_style(("sans-serif", 16))
				.draw()
				.map_err(|e| e.to_string())?;
			for (i, s) in chart.series.iter().enumerate() {
				let color = COLORS[i % COLORS.len()];
				if !s.band.is_empty() {
					let mut poly: Vec<(f64, f64)> = s.band.iter().map(|b| (b.0, b.2)).collect();
					poly.extend(s.band.iter().rev().map(|b| (b.0, b.1)));
					ctx.draw_series(std::iter::once(Polygon::new(poly, color.mix(0.18))))
						.map_err(|e| e.to_string())?;
				}
				ctx.draw_series(LineSeries::new(s.points.iter().copied(), color.stroke_width(2)))
					.map_err(|e| e.to_string())?
					.label(s.label.as_str())
					.legend(move |(x, y)| {
						PathElement::new(vec![(x, y), (x + 20, y)], color.stroke_width(2))
					});
				ctx.draw_series(s.points.iter().map(|p| Circle::new(*p, 3, color.filled())))
					.map_err(|e| e.to_string())?;
			}
			ctx.configure_series_labels()
				.background_style(WHITE.mix(0.85))
				.border_style(BLACK)
				.label_font(("sans-serif", 15))
				.position(if chart.legend_top {
					SeriesLabelPosition::UpperRight
				} else {
					SeriesLabelPosition::LowerRight
				})
				.draw()
				.map_err(|e| e.to_string())?;
		}};
	}
	if chart.log_x {
		let x0 = if x0 > 0.0 { x0 } else { 1e-6 };
		finish!(
			builder
				.build_cartesian_2d((x0 * 0.7..x1 * 1.4).log_scale(), y0..y1)
				.map_err(|e| e.to_string())?,
			false
		);
	} else {
		finish!(builder.build_cartesian_2d(x0..x1, y0..y1).map_err(|e| e.to_string())?, true);
	}
	Ok(())
}

/// Draws `charts` side by side (one row) into a PNG of `panel_size` pixels per chart.
pub fn draw(path: &Path, charts: &[Chart], panel_size: (u32, u32)) -> Result<()> {
	if charts.is_empty() {
		return Err(plot_err(path, "nothing to draw"));
	}
	ensure_font().map_err(|m| plot_err(path, m))?;
	let width = panel_size.0.saturating_mul(charts.len() as u32);
	let root = BitMapBackend::new(path, (width, panel_size.1)).into_drawing_area();
	root.fill(&WHITE).map_err(|e| plot_err(path, e))?;
	let panels = root.split_evenly((1, charts.len()));
	for (area, chart) in panels.iter().zip(charts) {
		draw_panel(area, chart).map_err(|m| plot_err(path, m))?;
	}
	root.present().map_err(|e| plot_err(path, e))?;
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn draws_a_png() {
		let dir = std::env::temp_dir().join(format!("endo-ml-plot-{}", std::process::id()));
		std::fs::create_dir_all(&dir).expect("temp dir; qed");
		let path = dir.join("chart.png");
		let series = Series {
			label: "a".into(),
			points: vec![(0.001, 0.5), (0.01, 0.9), (0.1, 0.8)],
			band: vec![(0.001, 0.4, 0.6), (0.01, 0.85, 0.95), (0.1, 0.7, 0.9)],
		};
		let chart = Chart {
			title: "t".into(),
			x_label: "x".into(),
			y_label: "y".into(),
			log_x: true,
			x_pow2: false,
			y_range: None,
			legend_top: false,
			series: vec![series.clone(), Series { band: vec![], ..series }],
		};
		draw(
			&path,
			&[
				chart.clone(),
				Chart { log_x: false, ..chart.clone() },
				Chart { log_x: false, x_pow2: true, ..chart },
			],
			(400, 300),
		)
		.expect("font available; qed");
		let bytes = std::fs::read(&path).expect("written; qed");
		assert_eq!(&bytes[1..4], b"PNG");
		assert!(draw(&dir.join("no/such/dir/x.png"), &[Chart::default()], (100, 100)).is_err());
		assert!(draw(&path, &[], (100, 100)).is_err());
	}
}
