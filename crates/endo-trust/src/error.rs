//! The crate's one public error type.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// Everything that can go wrong in `endo-trust`.
///
/// Pallets turn it into their own `Error<T>` with a `From` impl (see `STYLE.md`, KILT).
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
pub enum Error {
	/// A weight blob is longer than the largest valid encoding of a [`crate::TrustModel`].
	TooLarge,
	/// A weight blob is not a SCALE encoding of a [`crate::TrustModel`]: it is truncated, has an
	/// unknown activation tag, a list longer than its bound, or bytes left over at the end.
	Malformed,
	/// The blob's format version is not [`crate::model::FORMAT_VERSION`].
	UnsupportedVersion,
	/// A model has no layers.
	NoLayers,
	/// A model has more than [`crate::model::MAX_LAYERS`] layers.
	TooManyLayers,
	/// A layer has zero inputs or outputs, or more than [`crate::model::MAX_WIDTH`].
	WidthOutOfRange,
	/// A layer's weight list does not hold `inputs * outputs` entries.
	WeightCountMismatch,
	/// A layer's bias list does not hold `outputs` entries.
	BiasCountMismatch,
	/// A layer's input width differs from the previous layer's output width.
	LayerMismatch,
	/// The input normalisation is neither empty nor as long as the first layer's input.
	NormalizationMismatch,
	/// A weight or normalisation scale is larger in magnitude than
	/// [`crate::model::MAX_PARAMETER`].
	ParameterOutOfRange,
	/// An input vector's length differs from the model's input width.
	InputLengthMismatch,
	/// The model does not map [`crate::FEATURE_COUNT`] features to one trust value.
	NotATrustModel,
	/// A penalty factor outside `[1, MAX_PENALTY]`.
	PenaltyOutOfRange,
	/// Thresholds that are not `0 < low < medium < high <= 1`.
	ThresholdsNotOrdered,
	/// An empty set where at least one element is needed (no models, no tests run).
	Empty,
	/// Vectors that must have the same length do not.
	DimensionMismatch,
	/// More correct answers than tests.
	CountExceedsTotal,
	/// A float that is NaN, infinite or outside the fixed-point range (std-only conversions).
	NotRepresentable,
}

impl core::fmt::Display for Error {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		let text = match self {
			Error::TooLarge => "weight blob is larger than any valid model",
			Error::Malformed => "weight blob is not a valid SCALE-encoded model",
			Error::UnsupportedVersion => "unsupported model format version",
			Error::NoLayers => "model has no layers",
			Error::TooManyLayers => "model has more layers than the maximum",
			Error::WidthOutOfRange => "layer width is zero or above the maximum",
			Error::WeightCountMismatch => "layer weight count is not inputs * outputs",
			Error::BiasCountMismatch => "layer bias count is not outputs",
			Error::LayerMismatch => "layer input width differs from previous output width",
			Error::NormalizationMismatch => "input normalisation length differs from input width",
			Error::ParameterOutOfRange => "weight or scale magnitude above the maximum",
			Error::InputLengthMismatch => "input length differs from the model's input width",
			Error::NotATrustModel => "model does not map the trust features to one output",
			Error::PenaltyOutOfRange => "penalty factor outside [1, MAX_PENALTY]",
			Error::ThresholdsNotOrdered => "thresholds are not 0 < low < medium < high <= 1",
			Error::Empty => "empty input where at least one element is needed",
			Error::DimensionMismatch => "vectors of different lengths",
			Error::CountExceedsTotal => "count exceeds total",
			Error::NotRepresentable => "float is not representable in Q32.32",
		};
		f.write_str(text)
	}
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}
