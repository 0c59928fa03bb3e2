//! Floating-point reference of the network (std only): the yardstick for the fixed-point
//! inference and the bridge from a trained float model (burn, in `endo-ml`) to a weight blob.
//!
//! Exporting a trained model: fill a [`FloatModel`] (weights input-major, as burn's `Linear`
//! stores them), call [`FloatModel::to_fixed`] (rounds every number to the nearest Q32.32 and
//! validates) and `Encode::encode` the result. [`TrustModel::to_float`] goes back exactly.

use crate::model::{Activation, InputNorm, Layer, TrustModel, MAX_LAYERS, MAX_WIDTH};
use crate::{Error, Q32};

/// One dense layer in `f64`; same layout as [`Layer`].
#[derive(Clone, PartialEq, Debug)]
pub struct FloatLayer {
	/// Number of inputs.
	pub inputs: usize,
	/// Number of outputs.
	pub outputs: usize,
	/// The activation.
	pub activation: Activation,
	/// `inputs * outputs` weights, `[i * outputs + o]` from input `i` to output `o`.
	pub weights: Vec<f64>,
	/// `outputs` biases.
	pub biases: Vec<f64>,
}

/// A network in `f64`; same structure as [`TrustModel`].
#[derive(Clone, PartialEq, Debug, Default)]
pub struct FloatModel {
	/// `(offset, scale)` per input, or empty.
	pub input_norm: Vec<(f64, f64)>,
	/// The dense layers.
	pub layers: Vec<FloatLayer>,
}

/// The activation in `f64` (`std`'s `exp` and `tanh`).
pub fn activate(activation: Activation, x: f64) -> f64 {
	match activation {
		Activation::Identity => x,
		Activation::Relu => x.max(0.0),
		Activation::Sigmoid => 1.0 / (1.0 + (-x).exp()),
		Activation::Tanh => x.tanh(),
	}
}

impl FloatModel {
	/// Checks the same shape rules as [`TrustModel::validate`] (not the parameter range).
	pub fn check_shape(&self) -> Result<(), Error> {
		let first = self.layers.first().ok_or(Error::NoLayers)?;
		if self.layers.len() > MAX_LAYERS as usize {
			return Err(Error::TooManyLayers);
		}
		let mut width = first.inputs;
		for l in &self.layers {
			if l.inputs == 0
				|| l.outputs == 0
				|| l.inputs > MAX_WIDTH as usize
				|| l.outputs > MAX_WIDTH as usize
			{
				return Err(Error::WidthOutOfRange);
			}
			if l.inputs != width {
				return Err(Error::LayerMismatch);
			}
			if l.weights.len() != l.inputs * l.outputs {
				return Err(Error::WeightCountMismatch);
			}
			if l.biases.len() != l.outputs {
				return Err(Error::BiasCountMismatch);
			}
			width = l.outputs;
		}
		if !self.input_norm.is_empty() && self.input_norm.len() != first.inputs {
			return Err(Error::NormalizationMismatch);
		}
		Ok(())
	}

	/// Runs the network in `f64`.
	pub fn infer(&self, input: &[f64]) -> Result<Vec<f64>, Error> {
		self.check_shape()?;
		if input.len() != self.layers.first().map_or(0, |l| l.inputs) {
			return Err(Error::InputLengthMismatch);
		}
		let mut current: Vec<f64> = input.to_vec();
		for (x, (offset, scale)) in current.iter_mut().zip(&self.input_norm) {
			*x = (*x - offset) * scale;
		}
		for l in &self.layers {
			let mut next = l.biases.clone();
			for (x, row) in current.iter().zip(l.weights.chunks_exact(l.outputs)) {
				for (n, w) in next.iter_mut().zip(row) {
					*n += w * x;
				}
			}
			for n in next.iter_mut() {
				*n = activate(l.activation, *n);
			}
			current = next;
		}
		Ok(current)
	}

	/// The fixed-point model with every number rounded to the nearest Q32.32, validated.
	pub fn to_fixed(&self) -> Result<TrustModel, Error> {
		self.check_shape()?;
		let q = |xs: &[f64]| xs.iter().map(|x| Q32::from_f64(*x)).collect::<Result<Vec<_>, _>>();
		let norm = self
			.input_norm
			.iter()
			.map(|(o, s)| Ok(InputNorm { offset: Q32::from_f64(*o)?, scale: Q32::from_f64(*s)? }))
			.collect::<Result<Vec<_>, Error>>()?;
		let layers = self
			.layers
			.iter()
			.map(|l| Layer::new(l.inputs, l.outputs, l.activation, q(&l.weights)?, q(&l.biases)?))
			.collect::<Result<Vec<_>, Error>>()?;
		TrustModel::new(norm, layers)
	}
}

impl TrustModel {
	/// The same model in `f64` (exact up to `f64`'s 53-bit mantissa).
	pub fn to_float(&self) -> FloatModel {
		let f = |xs: &[Q32]| xs.iter().map(|x| x.to_f64()).collect::<Vec<_>>();
		FloatModel {
			input_norm: self
				.input_norm()
				.iter()
				.map(|n| (n.offset.to_f64(), n.scale.to_f64()))
				.collect(),
			layers: self
				.layers()
				.iter()
				.map(|l| FloatLayer {
					inputs: l.inputs(),
					outputs: l.outputs(),
					activation: l.activation(),
					weights: f(l.weights()),
					biases: f(l.biases()),
				})
				.collect(),
		}
	}
}
