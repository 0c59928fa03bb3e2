//! Bad input (issue #4): malformed weight blobs are rejected with an error before any inference.

use codec::{Compact, Decode, Encode};
use endo_trust::model::MAX_PARAMETER;
use endo_trust::{Activation, Error, Layer, TrustModel, Q32};
use proptest::prelude::*;

const ONE: i64 = 1 << 32;

/// A hand-made layer encoding: inputs, outputs, activation tag, weights, biases.
fn layer(inputs: u8, outputs: u8, act: u8, weights: Vec<i64>, biases: Vec<i64>) -> Vec<u8> {
	(inputs, outputs, act, weights, biases).encode()
}

/// A hand-made model encoding: version, normalisation pairs, layers.
fn blob(version: u8, norm: Vec<(i64, i64)>, layers: &[Vec<u8>]) -> Vec<u8> {
	let mut out = (version, norm).encode();
	Compact(layers.len() as u32).encode_to(&mut out);
	for l in layers {
		out.extend_from_slice(l);
	}
	out
}

fn good_layer(inputs: u8, outputs: u8) -> Vec<u8> {
	let n = inputs as usize * outputs as usize;
	layer(inputs, outputs, 2, vec![ONE / 2; n], vec![0; outputs as usize])
}

#[test]
fn hand_made_valid_blob_decodes_and_runs() {
	let bytes = blob(1, vec![], &[good_layer(2, 3), good_layer(3, 1)]);
	let model = TrustModel::decode_checked(&bytes).expect("valid blob; qed");
	assert_eq!(model.encode(), bytes);
	let y = model.infer(&[Q32::ZERO, Q32::ZERO]).expect("two inputs; qed");
	// Hidden = sigmoid(0) = 1/2 each; output = sigmoid(3 * 1/2 * 1/2) = sigmoid(0.75).
	let expected = 1.0 / (1.0 + (-0.75f64).exp());
	assert!((y.as_slice()[0].to_f64() - expected).abs() < 1e-9);
}

#[test]
fn each_malformation_has_its_error() {
	let cases: Vec<(&str, Vec<u8>, Error)> = vec![
		("empty", vec![], Error::Malformed),
		("too large", vec![1u8; TrustModel::max_blob_len() + 1], Error::TooLarge),
		("version 2", blob(2, vec![], &[good_layer(2, 1)]), Error::UnsupportedVersion),
		("version 0", blob(0, vec![], &[good_layer(2, 1)]), Error::UnsupportedVersion),
		("no layers", blob(1, vec![], &[]), Error::NoLayers),
		(
			"five layers (over the bound)",
			blob(1, vec![], &vec![good_layer(1, 1); 5]),
			Error::Malformed,
		),
		("zero inputs", layer_blob(layer(0, 1, 2, vec![], vec![0])), Error::WidthOutOfRange),
		("zero outputs", layer_blob(layer(1, 0, 2, vec![], vec![])), Error::WidthOutOfRange),
		(
			"33 outputs",
			layer_blob(layer(1, 33, 2, vec![0; 33], vec![0; 33])),
			Error::Malformed, // 33 biases exceed the bias list's bound of 32
		),
		("33 inputs", layer_blob(layer(33, 1, 2, vec![0; 33], vec![0])), Error::WidthOutOfRange),
		(
			"too few weights",
			layer_blob(layer(2, 2, 2, vec![0; 3], vec![0; 2])),
			Error::WeightCountMismatch,
		),
		(
			"too many weights",
			layer_blob(layer(2, 2, 2, vec![0; 5], vec![0; 2])),
			Error::WeightCountMismatch,
		),
		(
			"too few biases",
			layer_blob(layer(2, 2, 2, vec![0; 4], vec![0; 1])),
			Error::BiasCountMismatch,
		),
		(
			"weights over the list bound",
			layer_blob(layer(32, 32, 2, vec![0; 1025], vec![0; 32])),
			Error::Malformed,
		),
		("unknown activation", layer_blob(layer(1, 1, 9, vec![0], vec![0])), Error::Malformed),
		(
			"layers do not chain",
			blob(1, vec![], &[good_layer(2, 3), good_layer(2, 1)]),
			Error::LayerMismatch,
		),
		(
			"weight too large",
			layer_blob(layer(1, 1, 2, vec![MAX_PARAMETER.to_bits() + 1], vec![0])),
			Error::ParameterOutOfRange,
		),
		(
			"weight too negative",
			layer_blob(layer(1, 1, 2, vec![i64::MIN], vec![0])),
			Error::ParameterOutOfRange,
		),
		(
			"normalisation of the wrong length",
			blob(1, vec![(0, ONE)], &[good_layer(2, 1)]),
			Error::NormalizationMismatch,
		),
		(
			"normalisation scale too large",
			blob(1, vec![(0, MAX_PARAMETER.to_bits() + 1)], &[good_layer(1, 1)]),
			Error::ParameterOutOfRange,
		),
		("huge claimed list length", vec![1, 0, 0x03, 0xff, 0xff, 0xff, 0xff], Error::Malformed),
	];
	for (name, bytes, expected) in cases {
		assert_eq!(TrustModel::decode_checked(&bytes).err(), Some(expected), "{name}");
	}
}

fn layer_blob(l: Vec<u8>) -> Vec<u8> {
	blob(1, vec![], &[l])
}

#[test]
fn truncated_and_padded_blobs_are_rejected() {
	let bytes = blob(1, vec![(ONE, ONE)], &[good_layer(1, 4), good_layer(4, 1)]);
	assert!(TrustModel::decode_checked(&bytes).is_ok());
	for len in 0..bytes.len() {
		assert!(
			TrustModel::decode_checked(&bytes[..len]).is_err(),
			"prefix of {len} bytes accepted"
		);
	}
	let mut padded = bytes.clone();
	padded.push(0);
	assert_eq!(TrustModel::decode_checked(&padded).err(), Some(Error::Malformed));
}

#[test]
fn unchecked_decode_is_caught_at_inference() {
	// A pallet might read a model from storage with plain `Decode`; inference validates again.
	let bytes = blob(1, vec![], &[good_layer(2, 3), good_layer(2, 1)]);
	let model = TrustModel::decode(&mut &bytes[..]).expect("structurally decodable; qed");
	assert_eq!(model.infer(&[Q32::ZERO, Q32::ZERO]).err(), Some(Error::LayerMismatch));
	assert_eq!(model.validate(), Err(Error::LayerMismatch));
}

#[test]
fn largest_valid_blob_is_accepted() {
	let wide = || {
		Layer::new(32, 32, Activation::Tanh, vec![Q32::ONE; 1024], vec![Q32::ZERO; 32])
			.expect("valid; qed")
	};
	let norm = vec![endo_trust::InputNorm { offset: Q32::ZERO, scale: Q32::ONE }; 32];
	let model = TrustModel::new(norm, vec![wide(), wide(), wide(), wide()]).expect("valid; qed");
	let bytes = model.encode();
	assert_eq!(bytes.len(), TrustModel::max_blob_len());
	assert_eq!(TrustModel::decode_checked(&bytes), Ok(model));
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

	/// Corrupting one byte of a valid blob never panics, and whatever still decodes is valid
	/// and runs.
	#[test]
	fn corrupted_blobs_never_panic(index in any::<prop::sample::Index>(), value in any::<u8>()) {
		let mut bytes = blob(1, vec![(ONE, ONE); 3], &[good_layer(3, 4), good_layer(4, 2), good_layer(2, 1)]);
		let i = index.index(bytes.len());
		bytes[i] = value;
		if let Ok(model) = TrustModel::decode_checked(&bytes) {
			prop_assert!(model.validate().is_ok());
			let input = vec![Q32::ONE; model.input_len()];
			prop_assert!(model.infer(&input).is_ok());
		}
	}
}
