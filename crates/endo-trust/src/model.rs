//! Deterministic fixed-point inference of a small feed-forward network (UIV-TSP sec. 3.5.1,
//! Fig. 6: 11 inputs, two hidden layers with 16 hidden neurons in all, one trust output).
//!
//! # Network
//!
//! A [`TrustModel`] is an optional per-input normalisation followed by 1 to [`MAX_LAYERS`] dense
//! layers of width at most [`MAX_WIDTH`]:
//!
//! ```text
//! x'_i       = (x_i - offset_i) * scale_i                 (only if a normalisation is given)
//! a^0        = x'
//! a^l_o      = act_l( b^l_o + sum_i w^l_{i,o} a^{l-1}_i )
//! output     = a^L
//! ```
//!
//! Every number is a [`Q32`] (Q32.32). Each neuron accumulates the exact products
//! `w * a` (Q.64) and its bias (shifted to Q.64) in an `i128` and rounds once to Q32.32 before
//! the activation: with `|w| <= MAX_PARAMETER = 2^16` the sum is below `2^117` and cannot overflow
//! (the code saturates anyway). Activations are [`Activation`]s; their fixed-point
//! implementations are in [`crate::fixed`].
//!
//! # Weight-blob format (version 1)
//!
//! The blob is the SCALE encoding of [`TrustModel`]; every number is an `i64` little-endian
//! holding `value * 2^32`:
//!
//! ```text
//! TrustModel = version: u8 (= 1)
//!              input_norm: Compact<u32> n (0, or the first layer's inputs), then n times
//!                          { offset: i64, scale: i64 }
//!              layers:     Compact<u32> L (1..=4), then L times Layer
//! Layer      = inputs: u8 (1..=32)  outputs: u8 (1..=32)
//!              activation: u8 (0 identity, 1 relu, 2 sigmoid, 3 tanh)
//!              weights: Compact<u32> (= inputs * outputs), then that many i64,
//!                       input-major: the weight from input i to output o is at i * outputs + o
//!                       (the layout of burn's `Linear` weight, shape [d_input, d_output])
//!              biases:  Compact<u32> (= outputs), then that many i64
//! ```
//!
//! [`TrustModel::decode_checked`] rejects, before any inference: blobs longer than
//! [`TrustModel::max_blob_len`] (34 331 bytes), another version, truncated or trailing bytes,
//! unknown activation tags, lists over their bounds, and every shape or range error listed in
//! [`TrustModel::validate`]. An 11-8-8-1 model is 1 436 bytes.

use bounded_collections::{BoundedVec, ConstU32};
use codec::{Decode, DecodeAll, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;

use crate::fixed::{round_shift, saturate_i64, FRAC_BITS};
use crate::{Error, FEATURE_COUNT, Q32};

extern crate alloc;
use alloc::vec::Vec;

/// The blob format version this crate reads and writes.
pub const FORMAT_VERSION: u8 = 1;
/// The most dense layers a model may have.
pub const MAX_LAYERS: u32 = 4;
/// The widest a layer (its inputs or its outputs) may be.
pub const MAX_WIDTH: u32 = 32;
/// The most weights one layer may have.
pub const MAX_LAYER_WEIGHTS: u32 = MAX_WIDTH * MAX_WIDTH;
/// The largest magnitude of a weight or a normalisation scale: `2^16`.
pub const MAX_PARAMETER: Q32 = Q32::from_int(1 << 16);

const WIDTH: usize = MAX_WIDTH as usize;

/// A neuron's activation function.
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
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Activation {
	/// `f(x) = x`.
	#[codec(index = 0)]
	Identity,
	/// `f(x) = max(x, 0)` (exact).
	#[codec(index = 1)]
	Relu,
	/// `f(x) = 1 / (1 + e^-x)`, in `[0, 1]`.
	#[codec(index = 2)]
	Sigmoid,
	/// `f(x) = tanh(x)`, in `[-1, 1]`.
	#[codec(index = 3)]
	Tanh,
}

impl Activation {
	/// Applies the fixed-point activation.
	pub fn apply(self, x: Q32) -> Q32 {
		match self {
			Activation::Identity => x,
			Activation::Relu => x.relu(),
			Activation::Sigmoid => x.sigmoid(),
			Activation::Tanh => x.tanh(),
		}
	}
}

/// The normalisation of one input: `x' = (x - offset) * scale` (e.g. `offset` = training mean,
/// `scale` = 1 / standard deviation).
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
pub struct InputNorm {
	/// Subtracted from the raw input.
	pub offset: Q32,
	/// Multiplies the difference; `|scale| <= MAX_PARAMETER`.
	pub scale: Q32,
}

/// One dense layer. Build with [`Layer::new`]; see the module docs for the layout.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct Layer {
	inputs: u8,
	outputs: u8,
	activation: Activation,
	weights: BoundedVec<Q32, ConstU32<MAX_LAYER_WEIGHTS>>,
	biases: BoundedVec<Q32, ConstU32<MAX_WIDTH>>,
}

fn width(n: usize) -> Result<u8, Error> {
	if n == 0 || n > WIDTH {
		Err(Error::WidthOutOfRange)
	} else {
		Ok(n as u8)
	}
}

fn check_parameter(p: Q32) -> Result<(), Error> {
	if p.saturating_abs() > MAX_PARAMETER {
		Err(Error::ParameterOutOfRange)
	} else {
		Ok(())
	}
}

impl Layer {
	/// A layer with `weights[i * outputs + o]` from input `i` to output `o`.
	pub fn new(
		inputs: usize,
		outputs: usize,
		activation: Activation,
		weights: Vec<Q32>,
		biases: Vec<Q32>,
	) -> Result<Layer, Error> {
		let inputs = width(inputs)?;
		let outputs = width(outputs)?;
		let weights = BoundedVec::try_from(weights).map_err(|_| Error::WeightCountMismatch)?;
		let biases = BoundedVec::try_from(biases).map_err(|_| Error::BiasCountMismatch)?;
		let layer = Layer { inputs, outputs, activation, weights, biases };
		layer.validate()?;
		Ok(layer)
	}

	/// Checks widths, list lengths and weight magnitudes.
	pub fn validate(&self) -> Result<(), Error> {
		let inputs = width(self.inputs as usize)? as usize;
		let outputs = width(self.outputs as usize)? as usize;
		if self.weights.len() != inputs * outputs {
			return Err(Error::WeightCountMismatch);
		}
		if self.biases.len() != outputs {
			return Err(Error::BiasCountMismatch);
		}
		self.weights.iter().try_for_each(|w| check_parameter(*w))
	}

	/// Number of inputs.
	pub fn inputs(&self) -> usize {
		self.inputs as usize
	}

	/// Number of outputs (neurons).
	pub fn outputs(&self) -> usize {
		self.outputs as usize
	}

	/// The activation function.
	pub fn activation(&self) -> Activation {
		self.activation
	}

	/// The weights, input-major (`[i * outputs + o]`).
	pub fn weights(&self) -> &[Q32] {
		&self.weights
	}

	/// The biases, one per output.
	pub fn biases(&self) -> &[Q32] {
		&self.biases
	}

	/// `act(b + W^T a)` for a validated layer and `input.len() == inputs`.
	fn forward(&self, input: &[Q32], out: &mut [Q32; WIDTH]) {
		let outputs = self.outputs as usize;
		let mut acc = [0i128; WIDTH];
		for (a, b) in acc.iter_mut().zip(self.biases.iter()) {
			*a = (b.to_bits() as i128) << FRAC_BITS;
		}
		for (x, row) in input.iter().zip(self.weights.chunks_exact(outputs)) {
			let x = x.to_bits() as i128;
			for (a, w) in acc.iter_mut().zip(row) {
				*a = a.saturating_add(w.to_bits() as i128 * x);
			}
		}
		for (o, a) in out.iter_mut().zip(acc.iter()).take(outputs) {
			*o = self.activation.apply(Q32::from_bits(saturate_i64(round_shift(*a, FRAC_BITS))));
		}
	}
}

/// The outputs of one inference (at most [`MAX_WIDTH`] values).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Outputs {
	len: u8,
	values: [Q32; WIDTH],
}

impl Outputs {
	/// The output values.
	pub fn as_slice(&self) -> &[Q32] {
		self.values.get(..self.len as usize).unwrap_or(&[])
	}
}

/// A trust network: weights and shape, SCALE-encodable and bounded (see the module docs).
///
/// Fields are private; build with [`TrustModel::new`] or [`TrustModel::decode_checked`]. A value
/// obtained by plain `Decode` (e.g. from storage) is re-validated by every inference.
#[derive(
	Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo, Clone, PartialEq, Eq, Debug,
)]
pub struct TrustModel {
	version: u8,
	input_norm: BoundedVec<InputNorm, ConstU32<MAX_WIDTH>>,
	layers: BoundedVec<Layer, ConstU32<MAX_LAYERS>>,
}

impl TrustModel {
	/// A model from its normalisation (empty for none) and layers, validated.
	pub fn new(input_norm: Vec<InputNorm>, layers: Vec<Layer>) -> Result<TrustModel, Error> {
		let input_norm =
			BoundedVec::try_from(input_norm).map_err(|_| Error::NormalizationMismatch)?;
		let layers = BoundedVec::try_from(layers).map_err(|_| Error::TooManyLayers)?;
		let model = TrustModel { version: FORMAT_VERSION, input_norm, layers };
		model.validate()?;
		Ok(model)
	}

	/// The longest valid blob, in bytes (the `MaxEncodedLen` of the type).
	pub fn max_blob_len() -> usize {
		<TrustModel as MaxEncodedLen>::max_encoded_len()
	}

	/// Decodes and validates a weight blob. Rejects, before any inference, blobs that are too
	/// long, of another version, not exactly one SCALE-encoded model, or invalid (see
	/// [`TrustModel::validate`]).
	pub fn decode_checked(bytes: &[u8]) -> Result<TrustModel, Error> {
		if bytes.len() > TrustModel::max_blob_len() {
			return Err(Error::TooLarge);
		}
		match bytes.first() {
			None => return Err(Error::Malformed),
			Some(&v) if v != FORMAT_VERSION => return Err(Error::UnsupportedVersion),
			Some(_) => {}
		}
		let model = TrustModel::decode_all(&mut &bytes[..]).map_err(|_| Error::Malformed)?;
		model.validate()?;
		Ok(model)
	}

	/// Checks the version, that there is at least one layer, every layer
	/// ([`Layer::validate`]), that each layer's inputs equal the previous layer's outputs, and
	/// that the normalisation is empty or one entry per input with `|scale| <= MAX_PARAMETER`.
	pub fn validate(&self) -> Result<(), Error> {
		if self.version != FORMAT_VERSION {
			return Err(Error::UnsupportedVersion);
		}
		let first = self.layers.first().ok_or(Error::NoLayers)?;
		let mut width = first.inputs as usize;
		for layer in self.layers.iter() {
			layer.validate()?;
			if layer.inputs as usize != width {
				return Err(Error::LayerMismatch);
			}
			width = layer.outputs as usize;
		}
		if !self.input_norm.is_empty() && self.input_norm.len() != first.inputs as usize {
			return Err(Error::NormalizationMismatch);
		}
		self.input_norm.iter().try_for_each(|n| check_parameter(n.scale))
	}

	/// The format version.
	pub fn version(&self) -> u8 {
		self.version
	}

	/// The input normalisation (empty for none).
	pub fn input_norm(&self) -> &[InputNorm] {
		&self.input_norm
	}

	/// The layers.
	pub fn layers(&self) -> &[Layer] {
		&self.layers
	}

	/// Number of inputs (0 for an invalid model without layers).
	pub fn input_len(&self) -> usize {
		self.layers.first().map_or(0, Layer::inputs)
	}

	/// Number of outputs (0 for an invalid model without layers).
	pub fn output_len(&self) -> usize {
		self.layers.last().map_or(0, Layer::outputs)
	}

	/// Runs the network on `input` (validating the model first).
	pub fn infer(&self, input: &[Q32]) -> Result<Outputs, Error> {
		self.validate()?;
		if input.len() != self.input_len() {
			return Err(Error::InputLengthMismatch);
		}
		let mut current = [Q32::ZERO; WIDTH];
		let mut next = [Q32::ZERO; WIDTH];
		for (c, x) in current.iter_mut().zip(input) {
			*c = *x;
		}
		for (c, n) in current.iter_mut().zip(self.input_norm.iter()) {
			let diff = c.to_bits() as i128 - n.offset.to_bits() as i128;
			*c = Q32::from_bits(saturate_i64(round_shift(
				diff * n.scale.to_bits() as i128,
				FRAC_BITS,
			)));
		}
		let mut len = input.len();
		for layer in self.layers.iter() {
			layer.forward(current.get(..len).unwrap_or(&[]), &mut next);
			len = layer.outputs as usize;
			current = next;
		}
		Ok(Outputs { len: len as u8, values: current })
	}

	/// Checks that the model maps [`FEATURE_COUNT`] features to one output.
	pub fn ensure_trust_shape(&self) -> Result<(), Error> {
		if self.input_len() == FEATURE_COUNT && self.output_len() == 1 {
			Ok(())
		} else {
			Err(Error::NotATrustModel)
		}
	}

	/// The trust value of an SW from its features (UIV-TSP Table 1): the single output,
	/// clamped to `[0, 1]`, as a `Perbill`.
	pub fn evaluate_trust(&self, features: &[Q32; FEATURE_COUNT]) -> Result<Perbill, Error> {
		self.ensure_trust_shape()?;
		let out = self.infer(features)?;
		out.as_slice().first().map(|t| t.to_perbill()).ok_or(Error::NotATrustModel)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use alloc::vec;

	fn q(n: i32) -> Q32 {
		Q32::from_int(n)
	}

	fn tiny() -> TrustModel {
		// 2 -> 2 (relu) -> 1 (identity)
		let l1 =
			Layer::new(2, 2, Activation::Relu, vec![q(1), q(-1), q(2), q(1)], vec![q(0), q(1)])
				.expect("valid layer; qed");
		let l2 = Layer::new(2, 1, Activation::Identity, vec![q(1), q(-3)], vec![q(5)])
			.expect("valid layer; qed");
		TrustModel::new(vec![], vec![l1, l2]).expect("valid model; qed")
	}

	#[test]
	fn small_network_by_hand() {
		let m = tiny();
		// h0 = relu(0 + 1*x0 + 2*x1), h1 = relu(1 - x0 + x1), y = 5 + h0 - 3 h1
		let y = m.infer(&[q(3), q(1)]).expect("shape matches; qed");
		// h0 = 5, h1 = relu(-1) = 0 -> y = 10
		assert_eq!(y.as_slice(), &[q(10)]);
		let y = m.infer(&[q(0), q(2)]).expect("shape matches; qed");
		// h0 = 4, h1 = 3 -> y = 5 + 4 - 9 = 0
		assert_eq!(y.as_slice(), &[q(0)]);
		assert_eq!(m.infer(&[q(1)]), Err(Error::InputLengthMismatch));
	}

	#[test]
	fn normalisation_applies() {
		let l = Layer::new(1, 1, Activation::Identity, vec![q(1)], vec![q(0)])
			.expect("valid layer; qed");
		let norm = InputNorm { offset: q(10), scale: Q32::HALF };
		let m = TrustModel::new(vec![norm], vec![l]).expect("valid model; qed");
		assert_eq!(m.infer(&[q(14)]).expect("shape matches; qed").as_slice(), &[q(2)]);
	}

	#[test]
	fn blob_round_trip_and_size() {
		let m = tiny();
		let blob = m.encode();
		assert_eq!(TrustModel::decode_checked(&blob), Ok(m));
		assert_eq!(TrustModel::max_blob_len(), 34_331);
		// 11-8-8-1: 3 + (3 + 2 + 88*8 + 1 + 8*8) + (3 + 2 + 64*8 + 1 + 8*8)
		//          + (3 + 1 + 8*8 + 1 + 8) = 1436 bytes (compact lengths >= 64 take 2 bytes).
		let layer = |i: usize, o: usize| {
			Layer::new(i, o, Activation::Sigmoid, vec![Q32::ZERO; i * o], vec![Q32::ZERO; o])
				.expect("valid layer; qed")
		};
		let m = TrustModel::new(vec![], vec![layer(11, 8), layer(8, 8), layer(8, 1)])
			.expect("valid model; qed");
		assert_eq!(m.encode().len(), 1_436);
		assert!(m.ensure_trust_shape().is_ok());
		assert_eq!(tiny().ensure_trust_shape(), Err(Error::NotATrustModel));
	}

	#[test]
	fn constructor_rejects_bad_shapes() {
		let l = |i, o, w: usize, b: usize| {
			Layer::new(i, o, Activation::Relu, vec![Q32::ZERO; w], vec![Q32::ZERO; b])
		};
		assert_eq!(l(0, 1, 0, 1).err(), Some(Error::WidthOutOfRange));
		assert_eq!(l(33, 1, 33, 1).err(), Some(Error::WidthOutOfRange));
		assert_eq!(l(2, 2, 3, 2).err(), Some(Error::WeightCountMismatch));
		assert_eq!(l(2, 2, 4, 1).err(), Some(Error::BiasCountMismatch));
		assert_eq!(l(32, 32, 1025, 32).err(), Some(Error::WeightCountMismatch));
		let big = Layer::new(
			1,
			1,
			Activation::Relu,
			vec![q(1 << 16).saturating_add(Q32::from_bits(1))],
			vec![q(0)],
		);
		assert_eq!(big.err(), Some(Error::ParameterOutOfRange));
		let ok = |i, o| l(i, o, i * o, o).expect("valid layer; qed");
		assert_eq!(TrustModel::new(vec![], vec![]).err(), Some(Error::NoLayers));
		assert_eq!(
			TrustModel::new(vec![], vec![ok(2, 3), ok(2, 1)]).err(),
			Some(Error::LayerMismatch)
		);
		assert_eq!(
			TrustModel::new(vec![], vec![ok(1, 1), ok(1, 1), ok(1, 1), ok(1, 1), ok(1, 1)]).err(),
			Some(Error::TooManyLayers)
		);
		let norm = InputNorm { offset: q(0), scale: q(1) };
		assert_eq!(
			TrustModel::new(vec![norm], vec![ok(2, 1)]).err(),
			Some(Error::NormalizationMismatch)
		);
		let wild = InputNorm { offset: q(0), scale: q(-(1 << 17)) };
		assert_eq!(
			TrustModel::new(vec![wild], vec![ok(1, 1)]).err(),
			Some(Error::ParameterOutOfRange)
		);
	}
}
