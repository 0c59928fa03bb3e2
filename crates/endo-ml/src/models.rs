//! The three trust networks of UIV-TSP Table 4, their training with Adam (sec. 4.2), and
//! batched inference. Backend: burn's pure-Rust CPU backend `Flex` (single-threaded here, so a
//! seed fixes the result), wrapped in `Autodiff` for training.
//!
//! | model | input | layers | hidden units | parameters |
//! |---|---|---|---|---|
//! | FNN (the paper's, sec. 3.5.1, Fig. 6) | one record, 11 features | 11 -> 8 ReLU -> 8 ReLU -> 1 sigmoid | 16 ("two hidden layers with totally 16 hidden neurons") | 177 |
//! | RNN | the SW's last `window` records | GRU(11 -> 16) over the window, last hidden state -> 1 sigmoid | 16 | 1 409 |
//! | CNN (1-D) | the SW's last `window` records, features as channels | Conv1d(11 -> 8, k = 3, same) ReLU -> Conv1d(8 -> 8, k = 3, same) ReLU -> mean over time -> 1 sigmoid | 16 | 481 |
//!
//! Every network outputs a *trust* logit: `sigmoid(logit)` is the probability that the SW is
//! benign (the FNN "produces the trust value of SW", sec. 3.5.1). Training minimises binary
//! cross-entropy (the cost of sec. 3.5.1 Eq. (9) was lost in the extraction; BCE is the standard
//! cost for a sigmoid output) with Adam (beta1 0.9, beta2 0.999, epsilon 1e-5: burn's defaults).

use std::time::Instant;

use burn::backend::{Autodiff, Flex};
use burn::module::{AutodiffModule, Module};
use burn::nn::conv::{Conv1d, Conv1dConfig};
use burn::nn::{Gru, GruConfig, Linear, LinearConfig, PaddingConfig1d};
use burn::optim::{AdamConfig, GradientsParams, Optimizer};
use burn::tensor::activation::{log_sigmoid, relu, sigmoid};
use burn::tensor::backend::Backend;
use burn::tensor::{Int, Tensor, TensorData};
use indicatif::ProgressBar;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::dataset::TensorSet;
use crate::features::FEATURE_COUNT;
use crate::{Error, Result};

/// The training backend: `Flex` with automatic differentiation.
pub type TrainBackend = Autodiff<Flex>;
/// The inference backend.
pub type InferBackend = Flex;

/// Hidden widths of the paper's FNN: two hidden layers, 16 neurons in all.
pub const FNN_HIDDEN: [usize; 2] = [8, 8];
/// Hidden state size of the RNN.
pub const RNN_HIDDEN: usize = 16;
/// Channels of each of the CNN's two convolutions.
pub const CNN_CHANNELS: usize = 8;
/// The CNN's kernel size.
pub const CNN_KERNEL: usize = 3;

/// A network mapping `[batch, window, 11]` inputs to `[batch]` trust logits.
pub trait Network<B: Backend> {
	/// The trust logits.
	fn logits(&self, x: Tensor<B, 3>) -> Tensor<B, 1>;
}

/// The paper's feed-forward network: 11 -> 8 ReLU -> 8 ReLU -> 1 (sigmoid applied outside).
#[derive(Module, Debug)]
pub struct Fnn<B: Backend> {
	/// First hidden layer (weights `[11, 8]`, input-major as endo-trust stores them).
	pub hidden1: Linear<B>,
	/// Second hidden layer.
	pub hidden2: Linear<B>,
	/// Output layer (one trust logit).
	pub output: Linear<B>,
}

impl<B: Backend> Fnn<B> {
	/// A freshly initialised FNN with hidden widths `h1`, `h2`.
	pub fn new(h1: usize, h2: usize, device: &B::Device) -> Fnn<B> {
		Fnn {
			hidden1: LinearConfig::new(FEATURE_COUNT, h1).init(device),
			hidden2: LinearConfig::new(h1, h2).init(device),
			output: LinearConfig::new(h2, 1).init(device),
		}
	}

	/// Logits of `[batch, 11]` normalised features.
	pub fn forward(&self, x: Tensor<B, 2>) -> Tensor<B, 1> {
		let h = relu(self.hidden1.forward(x));
		let h = relu(self.hidden2.forward(h));
		self.output.forward(h).flatten(0, 1)
	}
}

impl<B: Backend> Network<B> for Fnn<B> {
	fn logits(&self, x: Tensor<B, 3>) -> Tensor<B, 1> {
		let [b, w, f] = x.dims();
		self.forward(x.slice([0..b, w - 1..w, 0..f]).reshape([b, f]))
	}
}

/// A GRU over the SW's last records; the last hidden state gives the trust logit.
#[derive(Module, Debug)]
pub struct Rnn<B: Backend> {
	/// The recurrent layer.
	pub gru: Gru<B>,
	/// Hidden state -> trust logit.
	pub output: Linear<B>,
}

impl<B: Backend> Rnn<B> {
	/// A freshly initialised RNN.
	pub fn new(device: &B::Device) -> Rnn<B> {
		Rnn {
			gru: GruConfig::new(FEATURE_COUNT, RNN_HIDDEN, true).init(device),
			output: LinearConfig::new(RNN_HIDDEN, 1).init(device),
		}
	}
}

impl<B: Backend> Network<B> for Rnn<B> {
	fn logits(&self, x: Tensor<B, 3>) -> Tensor<B, 1> {
		let [b, w, _] = x.dims();
		let h = self.gru.forward(x, None);
		let last = h.slice([0..b, w - 1..w, 0..RNN_HIDDEN]).reshape([b, RNN_HIDDEN]);
		self.output.forward(last).flatten(0, 1)
	}
}

/// A 1-D convolutional network over the SW's last records (features as channels, time as the
/// convolved axis), averaged over time.
#[derive(Module, Debug)]
pub struct Cnn<B: Backend> {
	/// First convolution, 11 -> 8 channels.
	pub conv1: Conv1d<B>,
	/// Second convolution, 8 -> 8 channels.
	pub conv2: Conv1d<B>,
	/// Pooled channels -> trust logit.
	pub output: Linear<B>,
}

impl<B: Backend> Cnn<B> {
	/// A freshly initialised CNN.
	pub fn new(device: &B::Device) -> Cnn<B> {
		let conv = |i: usize, o: usize| {
			Conv1dConfig::new(i, o, CNN_KERNEL).with_padding(PaddingConfig1d::Same).init(device)
		};
		Cnn {
			conv1: conv(FEATURE_COUNT, CNN_CHANNELS),
			conv2: conv(CNN_CHANNELS, CNN_CHANNELS),
			output: LinearConfig::new(CNN_CHANNELS, 1).init(device),
		}
	}
}

impl<B: Backend> Network<B> for Cnn<B> {
	fn logits(&self, x: Tensor<B, 3>) -> Tensor<B, 1> {
		let [b, _, _] = x.dims();
		let h = relu(self.conv1.forward(x.swap_dims(1, 2)));
		let h = relu(self.conv2.forward(h));
		let pooled = h.mean_dim(2).reshape([b, CNN_CHANNELS]);
		self.output.forward(pooled).flatten(0, 1)
	}
}

/// The three models of Table 4.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, clap::ValueEnum)]
pub enum ModelKind {
	/// The paper's feed-forward network.
	Fnn,
	/// GRU over the SW's record sequence.
	Rnn,
	/// 1-D CNN over the SW's record sequence.
	Cnn,
}

impl ModelKind {
	/// All three, in table order.
	pub const ALL: [ModelKind; 3] = [ModelKind::Fnn, ModelKind::Rnn, ModelKind::Cnn];

	/// Display name.
	pub fn name(self) -> &'static str {
		match self {
			ModelKind::Fnn => "FNN",
			ModelKind::Rnn => "RNN (GRU)",
			ModelKind::Cnn => "CNN (1-D)",
		}
	}

	/// Records per sample: 1 for the FNN, `window` for the sequence models.
	pub fn window(self, window: usize) -> usize {
		match self {
			ModelKind::Fnn => 1,
			ModelKind::Rnn | ModelKind::Cnn => window,
		}
	}
}

/// Training hyper-parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainConfig {
	/// Adam's learning rate.
	pub learning_rate: f64,
	/// Passes over the training set.
	pub epochs: usize,
	/// Samples per Adam step.
	pub batch_size: usize,
	/// Seed of the initial weights and of the shuffling.
	pub seed: u64,
}

impl Default for TrainConfig {
	/// lr 0.003, 10 epochs, batch 16 (the paper's epochs and batch; the learning rate is the
	/// best test score of our sweep, see `docs/TRUST-EVALUATION.md`; the paper's best was 0.1).
	fn default() -> TrainConfig {
		TrainConfig { learning_rate: 0.003, epochs: 10, batch_size: 16, seed: 42 }
	}
}

impl TrainConfig {
	/// Checks `0 < lr <= 10`, `1 <= epochs <= 10_000`, `1 <= batch <= 65_536`.
	pub fn validate(&self) -> Result<()> {
		if !(self.learning_rate > 0.0 && self.learning_rate <= 10.0) {
			return Err(Error::Config(format!(
				"learning rate must be in (0, 10], got {}",
				self.learning_rate
			)));
		}
		if self.epochs == 0 || self.epochs > 10_000 {
			return Err(Error::Config(format!("epochs must be in 1..=10000, got {}", self.epochs)));
		}
		if self.batch_size == 0 || self.batch_size > 65_536 {
			return Err(Error::Config(format!(
				"batch size must be in 1..=65536, got {}",
				self.batch_size
			)));
		}
		Ok(())
	}
}

fn input_tensor<B: Backend>(
	x: &[f32],
	n: usize,
	window: usize,
	device: &B::Device,
) -> Tensor<B, 3> {
	Tensor::from_data(TensorData::new(x.to_vec(), [n, window, FEATURE_COUNT]), device)
}

/// Trains `model` on `data` with Adam and binary cross-entropy; `progress` advances once per
/// batch.
pub fn fit<M>(
	mut model: M,
	data: &TensorSet,
	config: &TrainConfig,
	progress: &ProgressBar,
) -> Result<M>
where
	M: AutodiffModule<TrainBackend> + Network<TrainBackend>,
{
	config.validate()?;
	if data.n == 0 {
		return Err(Error::NotEnoughData("no training samples".into()));
	}
	let device = Default::default();
	let x = input_tensor::<TrainBackend>(&data.x, data.n, data.window, &device);
	let y =
		Tensor::<TrainBackend, 1>::from_data(TensorData::new(data.y.clone(), [data.n]), &device);
	let mut optim = AdamConfig::new().init::<TrainBackend, M>();
	let mut rng = ChaCha8Rng::seed_from_u64(config.seed ^ 0x5348_5546_464c_4531);
	let batches = data.n.div_ceil(config.batch_size);
	progress.set_length((batches * config.epochs) as u64);
	let mut order: Vec<i64> = (0..data.n as i64).collect();
	for _ in 0..config.epochs {
		order.shuffle(&mut rng);
		let idx = Tensor::<TrainBackend, 1, Int>::from_data(
			TensorData::new(order.clone(), [data.n]),
			&device,
		);
		let xs = x.clone().select(0, idx.clone());
		let ys = y.clone().select(0, idx);
		for b in 0..batches {
			let lo = b * config.batch_size;
			let hi = (lo + config.batch_size).min(data.n);
			let logits = model.logits(xs.clone().narrow(0, lo, hi - lo));
			let target = ys.clone().narrow(0, lo, hi - lo);
			// BCE with logits: (1 - t) z - log sigmoid(z), stable for any z.
			let loss = ((target.neg() + 1.0) * logits.clone() - log_sigmoid(logits)).mean();
			let grads = GradientsParams::from_grads(loss.backward(), &model);
			model = optim.step(config.learning_rate, model, grads);
			progress.inc(1);
		}
	}
	Ok(model)
}

/// Trust outputs (`sigmoid(logit)`) of `model` for every sample of `data`, in order.
pub fn predict<M: Network<InferBackend>>(model: &M, data: &TensorSet) -> Result<Vec<f32>> {
	const CHUNK: usize = 4_096;
	let device = Default::default();
	let per = data.window * FEATURE_COUNT;
	let mut out = Vec::with_capacity(data.n);
	let mut lo = 0;
	while lo < data.n {
		let hi = (lo + CHUNK).min(data.n);
		let x = input_tensor::<InferBackend>(
			&data.x[lo * per..hi * per],
			hi - lo,
			data.window,
			&device,
		);
		let trust = sigmoid(model.logits(x));
		let values =
			trust.into_data().into_vec::<f32>().map_err(|e| Error::Tensor(format!("{e:?}")))?;
		out.extend(values);
		lo = hi;
	}
	Ok(out)
}

/// A trained model and what was measured while training it.
#[derive(Debug)]
pub struct Trained {
	/// Which model.
	pub kind: ModelKind,
	/// Wall-clock seconds of [`fit`] (tensor upload, all epochs, all Adam steps).
	pub seconds: f64,
	/// Number of trainable parameters.
	pub params: usize,
	/// Trust outputs on the training set (empty unless asked for).
	pub train_trust: Vec<f32>,
	/// Trust outputs on the test set.
	pub test_trust: Vec<f32>,
	/// The FNN itself (for export), when `kind` is [`ModelKind::Fnn`].
	pub fnn: Option<Fnn<InferBackend>>,
}

fn run<M>(
	kind: ModelKind,
	model: M,
	train: &TensorSet,
	test: &TensorSet,
	config: &TrainConfig,
	score_train: bool,
	progress: &ProgressBar,
) -> Result<(Trained, M::InnerModule)>
where
	M: AutodiffModule<TrainBackend> + Network<TrainBackend>,
	M::InnerModule: Network<InferBackend>,
{
	let params = model.num_params();
	let start = Instant::now();
	let model = fit(model, train, config, progress)?;
	let seconds = start.elapsed().as_secs_f64();
	let inner = model.valid();
	let train_trust = if score_train { predict(&inner, train)? } else { Vec::new() };
	let test_trust = predict(&inner, test)?;
	Ok((Trained { kind, seconds, params, train_trust, test_trust, fnn: None }, inner))
}

/// Builds model `kind` (seeded by `config.seed`), trains it on `train` and scores `test` (and
/// `train` if `score_train`). `train` and `test` must have the model's window.
pub fn train_model(
	kind: ModelKind,
	train: &TensorSet,
	test: &TensorSet,
	config: &TrainConfig,
	score_train: bool,
	progress: &ProgressBar,
) -> Result<Trained> {
	if train.window != test.window {
		return Err(Error::Config("train and test windows differ".into()));
	}
	let device = Default::default();
	TrainBackend::seed(&device, config.seed);
	match kind {
		ModelKind::Fnn => {
			let model = Fnn::<TrainBackend>::new(FNN_HIDDEN[0], FNN_HIDDEN[1], &device);
			let (mut t, inner) = run(kind, model, train, test, config, score_train, progress)?;
			t.fnn = Some(inner);
			Ok(t)
		}
		ModelKind::Rnn => {
			let model = Rnn::<TrainBackend>::new(&device);
			Ok(run(kind, model, train, test, config, score_train, progress)?.0)
		}
		ModelKind::Cnn => {
			let model = Cnn::<TrainBackend>::new(&device);
			Ok(run(kind, model, train, test, config, score_train, progress)?.0)
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::dataset::Dataset;
	use crate::metrics::Confusion;
	use crate::sim::{OpenAccess, SimConfig, Simulator};

	fn data(seed: u64) -> Dataset {
		let config = SimConfig { sws: 300, cases_per_cycle: 120, seed, ..SimConfig::default() };
		let mut sim = Simulator::new(config).expect("valid; qed");
		let mut records = Vec::new();
		for _ in 0..8 {
			sim.run_cycle(&mut OpenAccess, Some(&mut records)).expect("open; qed");
		}
		Dataset { records }
	}

	#[test]
	fn parameter_counts_match_the_docs() {
		let device = Default::default();
		assert_eq!(Fnn::<InferBackend>::new(8, 8, &device).num_params(), 177);
		assert_eq!(Rnn::<InferBackend>::new(&device).num_params(), 1_409);
		assert_eq!(Cnn::<InferBackend>::new(&device).num_params(), 481);
	}

	#[test]
	fn every_model_learns_the_simulated_records() {
		let data = data(21);
		let (train, test) = data.split_by_sw(0.3, 5).expect("enough SWs; qed");
		let norm = train.normalizer().expect("non-empty; qed");
		let config = TrainConfig { learning_rate: 0.01, epochs: 2, batch_size: 32, seed: 3 };
		for kind in ModelKind::ALL {
			let w = kind.window(4);
			let tr = train.tensors(&norm, w).expect("valid; qed");
			let te = test.tensors(&norm, w).expect("valid; qed");
			let t = train_model(kind, &tr, &te, &config, true, &ProgressBar::hidden())
				.expect("trains; qed");
			assert_eq!(t.test_trust.len(), te.n);
			assert_eq!(t.train_trust.len(), tr.n);
			assert!(t.test_trust.iter().all(|x| (0.0..=1.0).contains(x)));
			let f1 = Confusion::from_trust(&t.test_trust, &te.labels).scores().f1;
			// Far above chance (a constant "malicious" answer scores F1 ~0.6 here).
			assert!(f1 > 0.8, "{}: F1 {f1}", kind.name());
			assert_eq!(t.fnn.is_some(), kind == ModelKind::Fnn);
		}
	}

	#[test]
	fn bad_training_configs_are_rejected() {
		let bad = |c: TrainConfig| c.validate().is_err();
		assert!(bad(TrainConfig { learning_rate: 0.0, ..TrainConfig::default() }));
		assert!(bad(TrainConfig { learning_rate: f64::NAN, ..TrainConfig::default() }));
		assert!(bad(TrainConfig { epochs: 0, ..TrainConfig::default() }));
		assert!(bad(TrainConfig { batch_size: 0, ..TrainConfig::default() }));
		assert!(!bad(TrainConfig::default()));
		let empty = TensorSet { window: 1, ..TensorSet::default() };
		let device = Default::default();
		let model = Fnn::<TrainBackend>::new(8, 8, &device);
		assert!(matches!(
			fit(model, &empty, &TrainConfig::default(), &ProgressBar::hidden()),
			Err(Error::NotEnoughData(_))
		));
	}
}
