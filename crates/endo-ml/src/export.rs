//! From a trained burn FNN to `endo-trust`'s fixed-point weight blob, and back.
//!
//! * [`fnn_to_float`]: burn weights (input-major `[d_input, d_output]`, the layout endo-trust
//!   uses) and the training normalisation -> [`FloatModel`]. The normalisation goes into the
//!   model (`offset` = mean, `scale` = 1 / std), so the chain feeds raw features.
//! * [`save_fnn`] / [`load_fnn`]: the float model as JSON (the training artefact), with the
//!   feature names, so a model trained on another feature order is refused.
//! * [`to_blob`]: `FloatModel::to_fixed` (nearest Q32.32, validated) and SCALE `encode`.
//! * [`read_blob`]: a blob file, size-checked, `TrustModel::decode_checked`, trust-shaped.
//! * [`compare`]: fixed-point output against burn's float output on a data set.

use std::path::Path;

use burn::module::Param;
use burn::nn::Linear;
use burn::tensor::{Tensor, TensorData};
use codec::Encode;
use endo_trust::model::Activation;
use endo_trust::reference::{FloatLayer, FloatModel};
use endo_trust::{TrustModel, Q32};
use serde::{Deserialize, Serialize};

use crate::dataset::{Dataset, Normalizer};
use crate::features::{names, FEATURE_COUNT};
use crate::models::{predict, Fnn, InferBackend};
use crate::{Error, Result};

/// The format tag of a saved FNN (JSON).
pub const FNN_FORMAT: &str = "endochain-fnn/1";
/// The agreement the export must reach (issue #4): `|fixed - float| <= 1e-3` on every sample.
pub const EXPORT_TOLERANCE: f64 = 1e-3;
/// The largest JSON model file read (a valid FNN file is a few kilobytes).
const MAX_JSON_BYTES: u64 = 4 << 20;

fn tensor_vec<const D: usize>(t: Tensor<InferBackend, D>) -> Result<Vec<f64>> {
	let v = t.into_data().into_vec::<f32>().map_err(|e| Error::Tensor(format!("{e:?}")))?;
	Ok(v.into_iter().map(f64::from).collect())
}

fn float_layer(l: &Linear<InferBackend>, activation: Activation) -> Result<FloatLayer> {
	let [inputs, outputs] = l.weight.val().dims();
	let weights = tensor_vec(l.weight.val())?;
	let biases = match &l.bias {
		Some(b) => tensor_vec(b.val())?,
		None => vec![0.0; outputs],
	};
	Ok(FloatLayer { inputs, outputs, activation, weights, biases })
}

/// The float model of a trained FNN with its input normalisation (ReLU, ReLU, sigmoid).
pub fn fnn_to_float(model: &Fnn<InferBackend>, norm: &Normalizer) -> Result<FloatModel> {
	let float = FloatModel {
		input_norm: norm
			.mean
			.iter()
			.zip(norm.inv_std.iter())
			.map(|(m, s)| (f64::from(*m), f64::from(*s)))
			.collect(),
		layers: vec![
			float_layer(&model.hidden1, Activation::Relu)?,
			float_layer(&model.hidden2, Activation::Relu)?,
			float_layer(&model.output, Activation::Sigmoid)?,
		],
	};
	check_fnn(&float).map_err(|m| Error::Config(format!("trained FNN: {m}")))?;
	Ok(float)
}

/// Checks that `float` is an FNN this crate can run in burn: 11 inputs with a normalisation,
/// three layers ReLU / ReLU / sigmoid, one output, finite numbers.
fn check_fnn(float: &FloatModel) -> std::result::Result<(), String> {
	float.check_shape().map_err(|e| e.to_string())?;
	let acts: Vec<Activation> = float.layers.iter().map(|l| l.activation).collect();
	if acts != [Activation::Relu, Activation::Relu, Activation::Sigmoid] {
		return Err(format!("layers must be relu, relu, sigmoid; found {acts:?}"));
	}
	if float.input_norm.len() != FEATURE_COUNT || float.layers[0].inputs != FEATURE_COUNT {
		return Err(format!("must take {FEATURE_COUNT} normalised features"));
	}
	if float.layers[2].outputs != 1 {
		return Err("must have one output".into());
	}
	let finite = float.input_norm.iter().all(|(o, s)| o.is_finite() && s.is_finite())
		&& float.layers.iter().all(|l| l.weights.iter().chain(&l.biases).all(|x| x.is_finite()));
	if !finite {
		return Err("contains a NaN or infinite number".into());
	}
	Ok(())
}

fn linear(l: &FloatLayer, device: &burn::backend::flex::FlexDevice) -> Linear<InferBackend> {
	let w: Vec<f32> = l.weights.iter().map(|x| *x as f32).collect();
	let b: Vec<f32> = l.biases.iter().map(|x| *x as f32).collect();
	Linear {
		weight: Param::from_tensor(Tensor::from_data(
			TensorData::new(w, [l.inputs, l.outputs]),
			device,
		)),
		bias: Some(Param::from_tensor(Tensor::from_data(TensorData::new(b, [l.outputs]), device))),
	}
}

/// The burn FNN and normalisation of a float model (the inverse of [`fnn_to_float`]).
pub fn fnn_from_float(float: &FloatModel) -> Result<(Fnn<InferBackend>, Normalizer)> {
	check_fnn(float).map_err(Error::Config)?;
	let device = Default::default();
	let model = Fnn {
		hidden1: linear(&float.layers[0], &device),
		hidden2: linear(&float.layers[1], &device),
		output: linear(&float.layers[2], &device),
	};
	let mut norm = Normalizer { mean: [0.0; FEATURE_COUNT], inv_std: [1.0; FEATURE_COUNT] };
	for (i, (o, s)) in float.input_norm.iter().enumerate() {
		norm.mean[i] = *o as f32;
		norm.inv_std[i] = *s as f32;
	}
	Ok((model, norm))
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedLayer {
	inputs: usize,
	outputs: usize,
	activation: String,
	weights: Vec<f64>,
	biases: Vec<f64>,
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedFnn {
	format: String,
	features: Vec<String>,
	input_norm: Vec<[f64; 2]>,
	layers: Vec<SavedLayer>,
}

fn activation_name(a: Activation) -> &'static str {
	match a {
		Activation::Identity => "identity",
		Activation::Relu => "relu",
		Activation::Sigmoid => "sigmoid",
		Activation::Tanh => "tanh",
	}
}

/// Writes the float FNN as JSON.
pub fn save_fnn(path: &Path, float: &FloatModel) -> Result<()> {
	let saved = SavedFnn {
		format: FNN_FORMAT.into(),
		features: names().iter().map(|s| s.to_string()).collect(),
		input_norm: float.input_norm.iter().map(|(o, s)| [*o, *s]).collect(),
		layers: float
			.layers
			.iter()
			.map(|l| SavedLayer {
				inputs: l.inputs,
				outputs: l.outputs,
				activation: activation_name(l.activation).into(),
				weights: l.weights.clone(),
				biases: l.biases.clone(),
			})
			.collect(),
	};
	let text = serde_json::to_string_pretty(&saved)
		.map_err(|e| Error::ModelFile { path: path.to_path_buf(), message: e.to_string() })?;
	std::fs::write(path, text).map_err(|e| Error::io(path, e))
}

/// Reads and validates a float FNN written by [`save_fnn`].
pub fn load_fnn(path: &Path) -> Result<FloatModel> {
	let bad = |message: String| Error::ModelFile { path: path.to_path_buf(), message };
	let len = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
	if len > MAX_JSON_BYTES {
		return Err(bad(format!("{len} bytes is larger than any FNN file ({MAX_JSON_BYTES})")));
	}
	let text = std::fs::read(path).map_err(|e| Error::io(path, e))?;
	let saved: SavedFnn = serde_json::from_slice(&text).map_err(|e| bad(e.to_string()))?;
	if saved.format != FNN_FORMAT {
		return Err(bad(format!("format is `{}`, expected `{FNN_FORMAT}`", saved.format)));
	}
	if saved.features != names() {
		return Err(bad(format!(
			"trained on features {:?}, this build uses {:?}",
			saved.features,
			names()
		)));
	}
	let mut layers = Vec::with_capacity(saved.layers.len());
	for l in saved.layers {
		let activation = match l.activation.as_str() {
			"identity" => Activation::Identity,
			"relu" => Activation::Relu,
			"sigmoid" => Activation::Sigmoid,
			"tanh" => Activation::Tanh,
			other => return Err(bad(format!("unknown activation `{other}`"))),
		};
		layers.push(FloatLayer {
			inputs: l.inputs,
			outputs: l.outputs,
			activation,
			weights: l.weights,
			biases: l.biases,
		});
	}
	let float =
		FloatModel { input_norm: saved.input_norm.iter().map(|[o, s]| (*o, *s)).collect(), layers };
	check_fnn(&float).map_err(bad)?;
	Ok(float)
}

/// The validated fixed-point model and its SCALE blob.
pub fn to_blob(float: &FloatModel) -> Result<(TrustModel, Vec<u8>)> {
	let fixed = float.to_fixed().map_err(|e| Error::trust("converting the FNN to Q32.32", e))?;
	fixed.ensure_trust_shape().map_err(|e| Error::trust("exported FNN", e))?;
	let blob = fixed.encode();
	Ok((fixed, blob))
}

/// Reads a weight blob: at most `TrustModel::max_blob_len()` bytes, `decode_checked`, and an
/// 11-feature, one-output trust model.
pub fn read_blob(path: &Path) -> Result<TrustModel> {
	let context = path.display().to_string();
	let len = std::fs::metadata(path).map_err(|e| Error::io(path, e))?.len();
	if len > TrustModel::max_blob_len() as u64 {
		return Err(Error::trust(context, endo_trust::Error::TooLarge));
	}
	let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
	let model = TrustModel::decode_checked(&bytes).map_err(|e| Error::trust(&context, e))?;
	model.ensure_trust_shape().map_err(|e| Error::trust(context, e))?;
	Ok(model)
}

/// The features as Q32.32 (exact for every f32 in range).
pub fn to_q32(features: &[f32; FEATURE_COUNT]) -> Result<[Q32; FEATURE_COUNT]> {
	let mut out = [Q32::ZERO; FEATURE_COUNT];
	for (o, x) in out.iter_mut().zip(features) {
		*o = Q32::from_f64(f64::from(*x)).map_err(|e| Error::trust("feature value", e))?;
	}
	Ok(out)
}

/// How the fixed-point model's outputs compare with burn's float outputs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Agreement {
	/// Samples compared.
	pub samples: usize,
	/// Largest `|fixed - float|`.
	pub max_error: f64,
	/// Mean `|fixed - float|`.
	pub mean_error: f64,
	/// Samples classified differently (one side below 1/2, the other not).
	pub decisions_differ: usize,
}

/// Runs every record of `data` through burn (`fnn` on `norm`-normalised f32 features) and through
/// the fixed-point `fixed` (raw features, its own normalisation), and compares.
pub fn compare(
	fixed: &TrustModel,
	fnn: &Fnn<InferBackend>,
	norm: &Normalizer,
	data: &Dataset,
) -> Result<Agreement> {
	if data.is_empty() {
		return Err(Error::NotEnoughData("no records to compare on".into()));
	}
	let set = data.tensors(norm, 1)?;
	let float = predict(fnn, &set)?;
	let mut max_error = 0f64;
	let mut sum = 0f64;
	let mut differ = 0usize;
	for (r, f) in data.records.iter().zip(&float) {
		let out = fixed
			.infer(&to_q32(&r.features)?)
			.map_err(|e| Error::trust("fixed-point inference", e))?;
		let q = out.as_slice().first().map(|q| q.to_f64()).ok_or_else(|| {
			Error::trust("fixed-point inference", endo_trust::Error::NotATrustModel)
		})?;
		let e = (q - f64::from(*f)).abs();
		// A NaN difference must not pass as agreement.
		max_error = if e.is_nan() { f64::INFINITY } else { max_error.max(e) };
		sum += e;
		differ += ((q < 0.5) != (*f < 0.5)) as usize;
	}
	Ok(Agreement {
		samples: data.len(),
		max_error,
		mean_error: sum / data.len() as f64,
		decisions_differ: differ,
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::models::{train_model, ModelKind, TrainConfig};
	use crate::sim::{OpenAccess, SimConfig, Simulator};
	use indicatif::ProgressBar;

	fn temp(name: &str) -> std::path::PathBuf {
		let dir = std::env::temp_dir().join(format!("endo-ml-export-{}", std::process::id()));
		std::fs::create_dir_all(&dir).expect("temp dir; qed");
		dir.join(name)
	}

	/// Trains a small FNN on simulated records; returns it, its normalisation and the held-out
	/// records.
	fn trained() -> (Fnn<InferBackend>, Normalizer, Dataset) {
		let config = SimConfig { sws: 300, cases_per_cycle: 120, seed: 77, ..SimConfig::default() };
		let mut sim = Simulator::new(config).expect("valid; qed");
		let mut records = Vec::new();
		for _ in 0..8 {
			sim.run_cycle(&mut OpenAccess, Some(&mut records)).expect("open; qed");
		}
		let (train, test) = Dataset { records }.split_by_sw(0.3, 1).expect("enough SWs; qed");
		let norm = train.normalizer().expect("non-empty; qed");
		let tr = train.tensors(&norm, 1).expect("valid; qed");
		let te = test.tensors(&norm, 1).expect("valid; qed");
		let config = TrainConfig { learning_rate: 0.01, epochs: 3, batch_size: 16, seed: 9 };
		let t = train_model(ModelKind::Fnn, &tr, &te, &config, false, &ProgressBar::hidden())
			.expect("trains; qed");
		(t.fnn.expect("an FNN; qed"), norm, test)
	}

	#[test]
	fn fixed_point_matches_burn_on_the_whole_test_set() {
		let (fnn, norm, test) = trained();
		let float = fnn_to_float(&fnn, &norm).expect("valid FNN; qed");
		let (fixed, blob) = to_blob(&float).expect("exportable; qed");
		// The blob decodes to the same model.
		assert_eq!(TrustModel::decode_checked(&blob), Ok(fixed.clone()));
		let agreement = compare(&fixed, &fnn, &norm, &test).expect("comparable; qed");
		assert_eq!(agreement.samples, test.len());
		assert!(test.len() > 1_000, "{}", test.len());
		assert!(
			agreement.max_error <= EXPORT_TOLERANCE,
			"max |fixed - float| = {} over {} samples",
			agreement.max_error,
			agreement.samples
		);
		// The outputs are not trivially constant: the comparison means something.
		let set = test.tensors(&norm, 1).expect("valid; qed");
		let out = predict(&fnn, &set).expect("runs; qed");
		let (lo, hi) = out.iter().fold((1f32, 0f32), |(a, b), x| (a.min(*x), b.max(*x)));
		assert!(hi - lo > 0.5, "outputs span only [{lo}, {hi}]");
		// The f64 reference of endo-trust agrees too (same weights, no burn).
		let reference = float.infer(&test.records[0].features.map(f64::from)).expect("runs; qed");
		assert!((reference[0] - f64::from(out[0])).abs() < 1e-5);
	}

	#[test]
	fn a_perturbed_model_is_caught_by_the_comparison() {
		let (fnn, norm, test) = trained();
		let mut float = fnn_to_float(&fnn, &norm).expect("valid FNN; qed");
		float.layers[2].biases[0] += 0.05;
		let (fixed, _) = to_blob(&float).expect("exportable; qed");
		let agreement = compare(&fixed, &fnn, &norm, &test).expect("comparable; qed");
		assert!(agreement.max_error > EXPORT_TOLERANCE, "{agreement:?}");
	}

	#[test]
	fn json_round_trip_and_rejections() {
		let (fnn, norm, _) = trained();
		let float = fnn_to_float(&fnn, &norm).expect("valid FNN; qed");
		let path = temp("fnn.json");
		save_fnn(&path, &float).expect("writable; qed");
		let back = load_fnn(&path).expect("valid; qed");
		assert_eq!(back, float);
		let (rebuilt, norm2) = fnn_from_float(&back).expect("valid; qed");
		assert_eq!(norm2, norm);
		assert_eq!(fnn_to_float(&rebuilt, &norm2).expect("valid; qed"), float);

		let text = std::fs::read_to_string(&path).expect("readable; qed");
		let reject = |name: &str, body: String, needle: &str| {
			let p = temp(name);
			std::fs::write(&p, body).expect("writable; qed");
			match load_fnn(&p) {
				Err(Error::ModelFile { message, .. }) => {
					assert!(message.contains(needle), "{name}: {message}")
				}
				other => panic!("{name}: expected a model-file error, got {other:?}"),
			}
		};
		reject("garbage.json", "not json".into(), "expected");
		reject("format.json", text.replace(FNN_FORMAT, "other/9"), "format");
		reject("features.json", text.replacen("\"collaborators\"", "\"peers\"", 1), "features");
		reject("act.json", text.replacen("\"relu\"", "\"swish\"", 1), "activation");
		reject("shape.json", text.replacen("\"outputs\": 8", "\"outputs\": 7", 1), "weight");
		assert!(matches!(load_fnn(&temp("missing.json")), Err(Error::Io { .. })));
	}

	#[test]
	fn blobs_are_validated() {
		let (fnn, norm, _) = trained();
		let (_, blob) = to_blob(&fnn_to_float(&fnn, &norm).expect("valid; qed")).expect("ok; qed");
		let good = temp("good.blob");
		std::fs::write(&good, &blob).expect("writable; qed");
		assert!(read_blob(&good).is_ok());
		let check = |name: &str, bytes: &[u8], expected: endo_trust::Error| {
			let p = temp(name);
			std::fs::write(&p, bytes).expect("writable; qed");
			match read_blob(&p) {
				Err(Error::Trust { source, .. }) => assert_eq!(source, expected, "{name}"),
				other => panic!("{name}: expected a trust error, got {other:?}"),
			}
		};
		check("truncated.blob", &blob[..blob.len() - 3], endo_trust::Error::Malformed);
		check("empty.blob", &[], endo_trust::Error::Malformed);
		let mut v2 = blob.clone();
		v2[0] = 2;
		check("version.blob", &v2, endo_trust::Error::UnsupportedVersion);
		let mut trailing = blob.clone();
		trailing.push(0);
		check("trailing.blob", &trailing, endo_trust::Error::Malformed);
		check("huge.blob", &vec![1u8; TrustModel::max_blob_len() + 1], endo_trust::Error::TooLarge);
		assert!(matches!(read_blob(&temp("missing.blob")), Err(Error::Io { .. })));
	}
}
