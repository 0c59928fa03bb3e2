//! Precision, recall, accuracy and F1 (UIV-TSP sec. 4.2, Table 4), with *malicious* as the
//! positive class: precision `P = TP / (TP + FP)`, recall `R = TP / (TP + FN)`, accuracy
//! `A = (TP + TN) / all`, `F1 = 2 P R / (P + R)`.

/// A confusion matrix (positive = malicious).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Confusion {
	/// Malicious, predicted malicious.
	pub tp: u64,
	/// Benign, predicted malicious.
	pub fp: u64,
	/// Benign, predicted benign.
	pub tn: u64,
	/// Malicious, predicted benign.
	pub fn_: u64,
}

/// The four scores of Table 4.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
	/// Precision.
	pub precision: f64,
	/// Recall.
	pub recall: f64,
	/// Accuracy.
	pub accuracy: f64,
	/// F1 score.
	pub f1: f64,
}

/// Whether a trust output means "malicious": trust below 1/2. A NaN trust (a diverged model)
/// counts as malicious, so that divergence shows up as false positives, never as a perfect
/// score.
pub fn predicts_malicious(trust: f32) -> bool {
	trust.is_nan() || trust < 0.5
}

impl Confusion {
	/// The matrix of trust outputs against labels (1 = malicious). Extra entries of the longer
	/// slice are ignored.
	pub fn from_trust(trust: &[f32], labels: &[u8]) -> Confusion {
		let mut c = Confusion::default();
		for (t, l) in trust.iter().zip(labels) {
			c.add(predicts_malicious(*t), *l == 1);
		}
		c
	}

	/// Counts one prediction.
	pub fn add(&mut self, predicted_malicious: bool, malicious: bool) {
		match (predicted_malicious, malicious) {
			(true, true) => self.tp += 1,
			(true, false) => self.fp += 1,
			(false, false) => self.tn += 1,
			(false, true) => self.fn_ += 1,
		}
	}

	/// Number of predictions.
	pub fn total(&self) -> u64 {
		self.tp + self.fp + self.tn + self.fn_
	}

	/// The scores; a ratio with a zero denominator is 0.
	pub fn scores(&self) -> Scores {
		let div = |a: u64, b: u64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
		let precision = div(self.tp, self.tp + self.fp);
		let recall = div(self.tp, self.tp + self.fn_);
		let f1 = if precision + recall == 0.0 {
			0.0
		} else {
			2.0 * precision * recall / (precision + recall)
		};
		Scores { precision, recall, accuracy: div(self.tp + self.tn, self.total()), f1 }
	}
}

/// Mean and (population) standard deviation.
pub fn mean_std(xs: &[f64]) -> (f64, f64) {
	if xs.is_empty() {
		return (0.0, 0.0);
	}
	let n = xs.len() as f64;
	let mean = xs.iter().sum::<f64>() / n;
	let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
	(mean, var.sqrt())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn known_scores() {
		// 3 TP, 1 FP, 4 TN, 2 FN
		let trust = [0.1, 0.2, 0.3, 0.4, 0.9, 0.8, 0.7, 0.6, 0.55, 0.95];
		let labels = [1, 1, 1, 0, 0, 0, 0, 0, 1, 1];
		let c = Confusion::from_trust(&trust, &labels);
		assert_eq!(c, Confusion { tp: 3, fp: 1, tn: 4, fn_: 2 });
		let s = c.scores();
		assert!((s.precision - 0.75).abs() < 1e-12);
		assert!((s.recall - 0.6).abs() < 1e-12);
		assert!((s.accuracy - 0.7).abs() < 1e-12);
		assert!((s.f1 - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
	}

	#[test]
	fn edge_cases() {
		assert_eq!(Confusion::default().scores(), Scores::default());
		assert!(predicts_malicious(f32::NAN));
		assert!(predicts_malicious(0.49999));
		assert!(!predicts_malicious(0.5));
		let (m, s) = mean_std(&[1.0, 3.0]);
		assert_eq!((m, s), (2.0, 1.0));
		assert_eq!(mean_std(&[]), (0.0, 0.0));
	}
}
