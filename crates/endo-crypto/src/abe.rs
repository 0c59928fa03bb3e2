//! Ciphertext-policy attribute-based encryption by trust level (paper: section 4, Algorithm 1
//! steps 2, 4 and 12; Table 3).
//!
//! The central server encrypts the global model so that only devices whose trust level is at
//! least `L` can open it. Scheme: AC17 ("FAME", Agrawal and Chase, CCS 2017) from `rabe` 0.4.2
//! (never its YCT14, which is broken).
//!
//! # Trust attributes
//!
//! Trust levels are `0..=`[`MAX_TRUST_LEVEL`]. A key for level `L` carries the attributes
//! `trust_00, trust_01, ..., trust_LL` (two decimal digits), one for every level up to `L`. A
//! ciphertext for "trust >= L" uses the single-attribute policy `"trust_LL"` (rabe's human
//! policy language). So a key of level `K >= L` holds the attribute and decrypts, a key of level
//! `K < L` does not, and AC17's collusion resistance stops keys of several low levels from being
//! combined.
//!
//! # Ciphertext (hybrid)
//!
//! AC17 encapsulates a fresh 32-byte data key `dek` (rabe encrypts it with AES-256-GCM under a
//! key derived from a random GT element); the payload itself is encrypted once with
//! ChaCha20-Poly1305 under `dek`:
//!
//! ```text
//! header     = 0x01 || L (1) || len(abe) (u32 LE) || abe        abe: postcard(Ac17CpCiphertext)
//! ciphertext = header || ChaCha20-Poly1305(key = dek, nonce = 0^12,
//!                                          aad = tags::ABE_KEM_DEM || header, payload) || tag
//! ```
//!
//! The all-zero nonce is safe because every `dek` encrypts exactly one message.
//!
//! # Keys as bytes
//!
//! `0x01 || L || postcard(Ac17CpSecretKey)` for user keys, `0x01 || postcard(Ac17PublicKey)` for
//! the public key, `0x01 || postcard(Ac17PublicKey) || postcard(Ac17MasterKey)` for the
//! authority. rabe's serde derive accepts any field limbs and any points, so parsing validates
//! everything before a value reaches rabe: canonical field elements (`< p`, scalars `< r`), the
//! exact structure (lengths, attribute names, the canonical policy), every G1 and G2 point on
//! its curve and not at infinity, and `[r]P = O` for every G2 point (BN254's G1 has cofactor 1;
//! on the twist the check rules out points outside the order-`r` subgroup, i.e. small-subgroup
//! attacks on a key through a decryption oracle).
//!
//! # Upstream caveat
//!
//! rabe hashes attribute strings to G1 as `g^SHA3(string)`, so their discrete logarithms to
//! the public base `g` are known, whereas FAME's proof models the hash as a random oracle into
//! G1. We know of no attack on the single-attribute policies used here (every key component
//! is masked by its own fresh `sigma`), but the deviation is upstream's, is recorded here, and
//! is a reason to keep ABE off chain.

use rabe::schemes::ac17::{self, Ac17CpCiphertext, Ac17CpSecretKey, Ac17MasterKey, Ac17PublicKey};
use rabe::utils::policy::pest::PolicyLanguage;
use rabe_bn::{arith::U256, Fr, Group, G1, G2};
use rand_core::{CryptoRng, RngCore};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::{
	backend::{self, guarded, Fault},
	hash, AbeError,
};

pub use crate::MAX_TRUST_LEVEL;
/// Version byte of ABE keys and ciphertexts.
pub const ABE_FORMAT_VERSION: u8 = 1;
/// Largest accepted encoded AC17 ciphertext inside an ABE ciphertext (the real size for the
/// single-attribute policy is about 1 KiB).
const MAX_ABE_PART: usize = 16 * 1024;
/// rabe's AES-GCM blob around the 32-byte data key: nonce (12) + key (32) + tag (16).
const WRAPPED_DEK_BYTES: usize = 12 + 32 + 16;
/// AC17 with assumption size 2: vectors of 3 group elements.
const K: usize = 3;

/// BN254 base-field modulus `p`, big-endian.
const BN254_P: [u8; 32] = [
	0x30, 0x64, 0x4e, 0x72, 0xe1, 0x31, 0xa0, 0x29, 0xb8, 0x50, 0x45, 0xb6, 0x81, 0x81, 0x58, 0x5d,
	0x97, 0x81, 0x6a, 0x91, 0x68, 0x71, 0xca, 0x8d, 0x3c, 0x20, 0x8c, 0x16, 0xd8, 0x7c, 0xfd, 0x47,
];
/// BN254 group order `r`, big-endian.
const BN254_R: [u8; 32] = [
	0x30, 0x64, 0x4e, 0x72, 0xe1, 0x31, 0xa0, 0x29, 0xb8, 0x50, 0x45, 0xb6, 0x81, 0x81, 0x58, 0x5d,
	0x28, 0x33, 0xe8, 0x48, 0x79, 0xb9, 0x70, 0x91, 0x43, 0xe1, 0xf5, 0x93, 0xf0, 0x00, 0x00, 0x01,
];

/// A trust level in `0..=MAX_TRUST_LEVEL`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TrustLevel(u8);

impl TrustLevel {
	/// Checks the range; [`AbeError::TrustLevelInvalid`] above [`MAX_TRUST_LEVEL`].
	pub fn new(level: u8) -> Result<Self, AbeError> {
		if level <= MAX_TRUST_LEVEL {
			Ok(Self(level))
		} else {
			Err(AbeError::TrustLevelInvalid)
		}
	}

	/// The level as a number.
	pub fn get(&self) -> u8 {
		self.0
	}

	/// The ABE attribute of this level, `trust_LL`.
	pub fn attribute(&self) -> String {
		format!("trust_{:02}", self.0)
	}

	/// The rabe human-language policy "trust >= this level": `"trust_LL"`.
	pub fn policy(&self) -> String {
		format!("\"{}\"", self.attribute())
	}

	/// The attributes a key of this level carries: `trust_00 ..= trust_LL`.
	pub fn key_attributes(&self) -> Vec<String> {
		(0..=self.0).map(|level| TrustLevel(level).attribute()).collect()
	}
}

// ---------------------------------------------------------------------------------------------
// Validation mirrors: the same serde shape as rabe-bn's types, read before the real decoding.

#[derive(Deserialize)]
struct FqM(U256);
#[derive(Deserialize)]
struct Fq2M {
	c0: FqM,
	c1: FqM,
}
#[derive(Deserialize)]
struct Fq6M {
	c0: Fq2M,
	c1: Fq2M,
	c2: Fq2M,
}
#[derive(Deserialize)]
struct GtM {
	c0: Fq6M,
	c1: Fq6M,
}
#[derive(Deserialize)]
struct G1M {
	x: FqM,
	y: FqM,
	z: FqM,
}
#[derive(Deserialize)]
struct G2M {
	x: Fq2M,
	y: Fq2M,
	z: Fq2M,
}
#[derive(Deserialize)]
struct FrM(U256);
#[derive(Deserialize)]
struct PublicKeyM {
	g: G1M,
	h_a: Vec<G2M>,
	e_gh_ka: Vec<GtM>,
}
#[derive(Deserialize)]
struct MasterKeyM {
	g: G1M,
	h: G2M,
	g_k: Vec<G1M>,
	a: Vec<FrM>,
	b: Vec<FrM>,
}
#[derive(Deserialize)]
struct SecretKeyM {
	k_0: Vec<G2M>,
	k: Vec<(String, Vec<G1M>)>,
	k_p: Vec<G1M>,
}
#[derive(Deserialize)]
struct CpSecretKeyM {
	attr: Vec<String>,
	sk: SecretKeyM,
}
#[derive(Deserialize)]
struct CiphertextM {
	c_0: Vec<G2M>,
	c: Vec<(String, Vec<G1M>)>,
	c_p: GtM,
	ct: Vec<u8>,
}
#[derive(Deserialize)]
struct CpCiphertextM {
	policy: (String, PolicyLanguage),
	ct: CiphertextM,
}

/// Montgomery constant `-p^-1 mod 2^64` of the BN254 base field (rabe-bn's `Fq`).
const FQ_INV: u64 = 0x87d2_0782_e486_6389;

/// An element of Fp2 = Fp\[u\]/(u^2 + 1) in rabe-bn's Montgomery representation.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Fp2(U256, U256);

/// Validates mirrors: canonical field elements (`< p`, scalars `< r`) and points on the right
/// curve (`Y^2 = X^3 + b Z^6` in Jacobian coordinates, `Z != 0`), computed on rabe-bn's raw
/// Montgomery limbs with its public `U256` arithmetic. The curve constants are read from
/// rabe-bn's own generators (`b = Y^2 - X^3` at `Z = 1`), so nothing is transcribed.
struct Validator {
	p: U256,
	r: U256,
	b1: U256,
	b2: Fp2,
}

impl Validator {
	fn new() -> Result<Self, AbeError> {
		let p = U256::from_slice(&BN254_P).map_err(|_| AbeError::Backend)?;
		let r = U256::from_slice(&BN254_R).map_err(|_| AbeError::Backend)?;
		let g1: G1M = decode_exact(&encode(&G1::one())?, AbeError::Backend)?;
		let g2: G2M = decode_exact(&encode(&G2::one())?, AbeError::Backend)?;
		let mut validator = Self { p, r, b1: U256::zero(), b2: Fp2(U256::zero(), U256::zero()) };
		validator.b1 = validator.sub(&validator.sqr(&g1.y.0), &validator.cube(&g1.x.0));
		let (x, y) = (validator.fp2(&g2.x), validator.fp2(&g2.y));
		let x3 = validator.mul2(&validator.mul2(&x, &x), &x);
		validator.b2 = validator.sub2(&validator.mul2(&y, &y), &x3);
		Ok(validator)
	}

	fn mul(&self, a: &U256, b: &U256) -> U256 {
		let mut out = *a;
		out.mul(b, &self.p, FQ_INV);
		out
	}
	fn sqr(&self, a: &U256) -> U256 {
		self.mul(a, a)
	}
	fn cube(&self, a: &U256) -> U256 {
		self.mul(&self.sqr(a), a)
	}
	fn add(&self, a: &U256, b: &U256) -> U256 {
		let mut out = *a;
		out.add(b, &self.p);
		out
	}
	fn sub(&self, a: &U256, b: &U256) -> U256 {
		let mut out = *a;
		out.sub(b, &self.p);
		out
	}
	fn fp2(&self, v: &Fq2M) -> Fp2 {
		Fp2(v.c0.0, v.c1.0)
	}
	fn mul2(&self, a: &Fp2, b: &Fp2) -> Fp2 {
		// (a0 + a1 u)(b0 + b1 u) with u^2 = -1.
		Fp2(
			self.sub(&self.mul(&a.0, &b.0), &self.mul(&a.1, &b.1)),
			self.add(&self.mul(&a.0, &b.1), &self.mul(&a.1, &b.0)),
		)
	}
	fn add2(&self, a: &Fp2, b: &Fp2) -> Fp2 {
		Fp2(self.add(&a.0, &b.0), self.add(&a.1, &b.1))
	}
	fn sub2(&self, a: &Fp2, b: &Fp2) -> Fp2 {
		Fp2(self.sub(&a.0, &b.0), self.sub(&a.1, &b.1))
	}

	fn fq(&self, v: &FqM) -> bool {
		v.0 < self.p
	}
	fn fq2(&self, v: &Fq2M) -> bool {
		self.fq(&v.c0) && self.fq(&v.c1)
	}
	fn fq6(&self, v: &Fq6M) -> bool {
		self.fq2(&v.c0) && self.fq2(&v.c1) && self.fq2(&v.c2)
	}
	fn gt(&self, v: &GtM) -> bool {
		self.fq6(&v.c0) && self.fq6(&v.c1)
	}
	fn fr_nonzero(&self, v: &FrM) -> bool {
		v.0 < self.r && !v.0.is_zero()
	}

	/// Canonical coordinates, on `y^2 = x^3 + b`, not the point at infinity.
	fn g1(&self, v: &G1M) -> bool {
		if !(self.fq(&v.x) && self.fq(&v.y) && self.fq(&v.z)) || v.z.0.is_zero() {
			return false;
		}
		let z2 = self.sqr(&v.z.0);
		let z6 = self.mul(&self.sqr(&z2), &z2);
		let rhs = self.add(&self.cube(&v.x.0), &self.mul(&self.b1, &z6));
		self.sqr(&v.y.0) == rhs
	}

	/// Canonical coordinates, on the twist `y^2 = x^3 + b'`, not the point at infinity.
	fn g2(&self, v: &G2M) -> bool {
		if !(self.fq2(&v.x) && self.fq2(&v.y) && self.fq2(&v.z))
			|| (v.z.c0.0.is_zero() && v.z.c1.0.is_zero())
		{
			return false;
		}
		let (x, y, z) = (self.fp2(&v.x), self.fp2(&v.y), self.fp2(&v.z));
		let z2 = self.mul2(&z, &z);
		let z6 = self.mul2(&self.mul2(&z2, &z2), &z2);
		let x3 = self.mul2(&self.mul2(&x, &x), &x);
		let rhs = self.add2(&x3, &self.mul2(&self.b2, &z6));
		self.mul2(&y, &y) == rhs
	}
	fn g1s(&self, v: &[G1M], len: usize) -> bool {
		v.len() == len && v.iter().all(|p| self.g1(p))
	}
	fn g2s(&self, v: &[G2M], len: usize) -> bool {
		v.len() == len && v.iter().all(|p| self.g2(p))
	}
}

/// Decodes exactly `bytes` (no trailing data) as `T`.
fn decode_exact<T: DeserializeOwned>(bytes: &[u8], error: AbeError) -> Result<T, AbeError> {
	match postcard::take_from_bytes::<T>(bytes) {
		Ok((value, [])) => Ok(value),
		_ => Err(error),
	}
}

fn encode<T: Serialize>(value: &T) -> Result<Vec<u8>, AbeError> {
	guarded(|| postcard::to_allocvec(value))?.map_err(|_| AbeError::from(Fault::Refused))
}

/// `[r]P = O`, computed as `[r-1]P + P` (for points already known to be on the twist curve,
/// whose group has a large cofactor).
fn g2_in_group(point: &G2) -> bool {
	guarded(|| (*point * (-Fr::one()) + *point).is_zero()).unwrap_or(false)
}

fn validate_public_key(bytes: &[u8], error: AbeError) -> Result<Ac17PublicKey, AbeError> {
	let canonical = Validator::new()?;
	let mirror: PublicKeyM = decode_exact(bytes, error)?;
	let ok = canonical.g1(&mirror.g)
		&& canonical.g2s(&mirror.h_a, K)
		&& mirror.e_gh_ka.len() == K - 1
		&& mirror.e_gh_ka.iter().all(|v| canonical.gt(v));
	if !ok {
		return Err(error);
	}
	let pk: Ac17PublicKey = decode_exact(bytes, error)?;
	let points_ok = pk.h_a.iter().all(g2_in_group);
	if points_ok {
		Ok(pk)
	} else {
		Err(error)
	}
}

fn validate_master_key(bytes: &[u8]) -> Result<Ac17MasterKey, AbeError> {
	let canonical = Validator::new()?;
	let mirror: MasterKeyM = decode_exact(bytes, AbeError::KeyMalformed)?;
	let ok = canonical.g1(&mirror.g)
		&& canonical.g2(&mirror.h)
		&& canonical.g1s(&mirror.g_k, K)
		&& mirror.a.len() == K - 1
		&& mirror.b.len() == K - 1
		&& mirror.a.iter().chain(&mirror.b).all(|v| canonical.fr_nonzero(v));
	if !ok {
		return Err(AbeError::KeyMalformed);
	}
	let msk: Ac17MasterKey = decode_exact(bytes, AbeError::KeyMalformed)?;
	let points_ok = g2_in_group(&msk.h);
	if points_ok {
		Ok(msk)
	} else {
		Err(AbeError::KeyMalformed)
	}
}

fn validate_secret_key(level: TrustLevel, bytes: &[u8]) -> Result<Ac17CpSecretKey, AbeError> {
	let canonical = Validator::new()?;
	let attributes = level.key_attributes();
	let mirror: CpSecretKeyM = decode_exact(bytes, AbeError::KeyMalformed)?;
	let ok = mirror.attr == attributes
		&& canonical.g2s(&mirror.sk.k_0, K)
		&& canonical.g1s(&mirror.sk.k_p, K)
		&& mirror.sk.k.len() == attributes.len()
		&& mirror
			.sk
			.k
			.iter()
			.zip(&attributes)
			.all(|((name, points), expected)| name == expected && canonical.g1s(points, K));
	if !ok {
		return Err(AbeError::KeyMalformed);
	}
	let sk: Ac17CpSecretKey = decode_exact(bytes, AbeError::KeyMalformed)?;
	let points_ok = sk.sk.k_0.iter().all(g2_in_group);
	if points_ok {
		Ok(sk)
	} else {
		Err(AbeError::KeyMalformed)
	}
}

fn validate_ciphertext(level: TrustLevel, bytes: &[u8]) -> Result<Ac17CpCiphertext, AbeError> {
	let canonical = Validator::new()?;
	let mirror: CpCiphertextM = decode_exact(bytes, AbeError::CiphertextMalformed)?;
	let ok = mirror.policy.0 == level.policy()
		&& mirror.policy.1 == PolicyLanguage::HumanPolicy
		&& canonical.g2s(&mirror.ct.c_0, K)
		&& mirror.ct.c.len() == 1
		&& mirror
			.ct
			.c
			.iter()
			.all(|(name, points)| *name == level.attribute() && canonical.g1s(points, K))
		&& canonical.gt(&mirror.ct.c_p)
		&& mirror.ct.ct.len() == WRAPPED_DEK_BYTES;
	if !ok {
		return Err(AbeError::CiphertextMalformed);
	}
	let ct: Ac17CpCiphertext = decode_exact(bytes, AbeError::CiphertextMalformed)?;
	let points_ok = ct.ct.c_0.iter().all(g2_in_group);
	if points_ok {
		Ok(ct)
	} else {
		Err(AbeError::CiphertextMalformed)
	}
}

// ---------------------------------------------------------------------------------------------

/// The attribute authority: AC17 public and master keys. The master key is secret.
#[derive(Clone)]
pub struct AbeAuthority {
	pk: Ac17PublicKey,
	msk: Ac17MasterKey,
}

impl core::fmt::Debug for AbeAuthority {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("AbeAuthority(<secret>)")
	}
}

impl AbeAuthority {
	/// AC17 setup (rabe draws its randomness from the thread RNG).
	pub fn setup() -> Result<Self, AbeError> {
		let (pk, msk) = guarded(ac17::setup)?;
		Ok(Self { pk, msk })
	}

	/// The public key that encrypts for any trust level.
	pub fn public_key(&self) -> AbePublicKey {
		AbePublicKey { pk: self.pk.clone() }
	}

	/// Issues the key of a device at trust level `level` (attributes `trust_00..=trust_LL`).
	pub fn issue_key(&self, level: TrustLevel) -> Result<AbeUserKey, AbeError> {
		let attributes = level.key_attributes();
		let names: Vec<&str> = attributes.iter().map(String::as_str).collect();
		let sk = guarded(|| ac17::cp_keygen(&self.msk, &names))?
			.map_err(|_| AbeError::from(Fault::Refused))?;
		Ok(AbeUserKey { level, sk })
	}

	/// `0x01 || len(pk) (u32 LE) || postcard(pk) || postcard(msk)`. Secret.
	pub fn to_bytes(&self) -> Result<Zeroizing<Vec<u8>>, AbeError> {
		let pk = encode(&self.pk)?;
		let msk = Zeroizing::new(encode(&self.msk)?);
		let pk_len = u32::try_from(pk.len()).map_err(|_| AbeError::Backend)?;
		let mut out = Zeroizing::new(Vec::with_capacity(5 + pk.len() + msk.len()));
		out.push(ABE_FORMAT_VERSION);
		out.extend_from_slice(&pk_len.to_le_bytes());
		out.extend_from_slice(&pk);
		out.extend_from_slice(&msk);
		Ok(out)
	}

	/// Parses and validates [`AbeAuthority::to_bytes`].
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, AbeError> {
		let (pk_bytes, msk_bytes) = split_prefixed(bytes, AbeError::KeyMalformed)?;
		let pk = validate_public_key(pk_bytes, AbeError::KeyMalformed)?;
		let msk = validate_master_key(msk_bytes)?;
		Ok(Self { pk, msk })
	}
}

/// `0x01 || len (u32 LE) || first || second`.
fn split_prefixed(bytes: &[u8], error: AbeError) -> Result<(&[u8], &[u8]), AbeError> {
	if bytes.len() < 5 || bytes[0] != ABE_FORMAT_VERSION {
		return Err(error);
	}
	let len = u32::from_le_bytes([bytes[1], bytes[2], bytes[3], bytes[4]]) as usize;
	let rest = &bytes[5..];
	if len > rest.len() {
		return Err(error);
	}
	Ok(rest.split_at(len))
}

/// The AC17 public key: encrypts a payload for "trust >= L".
#[derive(Clone, Debug, PartialEq)]
pub struct AbePublicKey {
	pk: Ac17PublicKey,
}

impl AbePublicKey {
	/// `0x01 || postcard(pk)`.
	pub fn to_bytes(&self) -> Result<Vec<u8>, AbeError> {
		let mut out = vec![ABE_FORMAT_VERSION];
		out.extend(encode(&self.pk)?);
		Ok(out)
	}

	/// Parses and validates [`AbePublicKey::to_bytes`].
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, AbeError> {
		match bytes.split_first() {
			Some((&ABE_FORMAT_VERSION, rest)) => {
				Ok(Self { pk: validate_public_key(rest, AbeError::KeyMalformed)? })
			}
			_ => Err(AbeError::KeyMalformed),
		}
	}

	/// Encrypts `payload` (any size) for devices of trust level `min_level` or higher. `rng`
	/// draws the data key; rabe draws the AC17 randomness from its own thread RNG.
	pub fn encrypt<R: RngCore + CryptoRng + ?Sized>(
		&self,
		min_level: TrustLevel,
		payload: &[u8],
		rng: &mut R,
	) -> Result<Vec<u8>, AbeError> {
		let mut dek = Zeroizing::new([0u8; 32]);
		rng.fill_bytes(dek.as_mut_slice());
		let policy = min_level.policy();
		let abe = guarded(|| {
			ac17::cp_encrypt(&self.pk, &policy, dek.as_slice(), PolicyLanguage::HumanPolicy)
		})?
		.map_err(|_| AbeError::from(Fault::Refused))?;
		let abe = encode(&abe)?;
		let abe_len = u32::try_from(abe.len()).map_err(|_| AbeError::Backend)?;
		let mut header = Vec::with_capacity(6 + abe.len());
		header.push(ABE_FORMAT_VERSION);
		header.push(min_level.get());
		header.extend_from_slice(&abe_len.to_le_bytes());
		header.extend_from_slice(&abe);
		let aad = [hash::tags::ABE_KEM_DEM, &header[..]].concat();
		Ok(backend::seal(&dek, &[0u8; 12], &aad, &header, payload)?)
	}
}

/// A device's ABE key for one trust level. Secret.
#[derive(Clone)]
pub struct AbeUserKey {
	level: TrustLevel,
	sk: Ac17CpSecretKey,
}

impl core::fmt::Debug for AbeUserKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("AbeUserKey").field("level", &self.level).finish_non_exhaustive()
	}
}

/// The parts of a parsed ABE ciphertext.
struct ParsedCiphertext<'a> {
	level: TrustLevel,
	header: &'a [u8],
	abe: &'a [u8],
	body: &'a [u8],
}

fn parse_ciphertext(ciphertext: &[u8]) -> Result<ParsedCiphertext<'_>, AbeError> {
	if ciphertext.len() < 6 || ciphertext[0] != ABE_FORMAT_VERSION {
		return Err(AbeError::CiphertextMalformed);
	}
	let level = TrustLevel::new(ciphertext[1]).map_err(|_| AbeError::CiphertextMalformed)?;
	let abe_len =
		u32::from_le_bytes([ciphertext[2], ciphertext[3], ciphertext[4], ciphertext[5]]) as usize;
	if abe_len > MAX_ABE_PART || ciphertext.len() < 6 + abe_len + backend::TAG_BYTES {
		return Err(AbeError::CiphertextMalformed);
	}
	let (header, body) = ciphertext.split_at(6 + abe_len);
	Ok(ParsedCiphertext { level, header, abe: &header[6..], body })
}

/// The trust level a ciphertext requires (read from its header, without decrypting).
pub fn ciphertext_trust_level(ciphertext: &[u8]) -> Result<TrustLevel, AbeError> {
	parse_ciphertext(ciphertext).map(|parsed| parsed.level)
}

impl AbeUserKey {
	/// The key's trust level.
	pub fn level(&self) -> TrustLevel {
		self.level
	}

	/// `0x01 || L || postcard(sk)`. Secret.
	pub fn to_bytes(&self) -> Result<Zeroizing<Vec<u8>>, AbeError> {
		let sk = Zeroizing::new(encode(&self.sk)?);
		let mut out = Zeroizing::new(Vec::with_capacity(2 + sk.len()));
		out.push(ABE_FORMAT_VERSION);
		out.push(self.level.get());
		out.extend_from_slice(&sk);
		Ok(out)
	}

	/// Parses and validates [`AbeUserKey::to_bytes`].
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, AbeError> {
		if bytes.len() < 2 || bytes[0] != ABE_FORMAT_VERSION {
			return Err(AbeError::KeyMalformed);
		}
		let level = TrustLevel::new(bytes[1]).map_err(|_| AbeError::KeyMalformed)?;
		let sk = validate_secret_key(level, &bytes[2..])?;
		Ok(Self { level, sk })
	}

	/// Decrypts a ciphertext. [`AbeError::AccessDenied`] if the ciphertext requires a higher trust
	/// level than this key's (the header says so; the AC17 layer would refuse anyway).
	pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, AbeError> {
		let parsed = parse_ciphertext(ciphertext)?;
		if self.level < parsed.level {
			return Err(AbeError::AccessDenied);
		}
		let abe = validate_ciphertext(parsed.level, parsed.abe)?;
		let dek = guarded(|| ac17::cp_decrypt(&self.sk, &abe))?
			.map_err(|_| AbeError::DecryptionFailed)?;
		let dek = Zeroizing::new(dek);
		let dek: &[u8; 32] = dek.as_slice().try_into().map_err(|_| AbeError::DecryptionFailed)?;
		let aad = [hash::tags::ABE_KEM_DEM, parsed.header].concat();
		Ok(backend::open(dek, &[0u8; 12], &aad, parsed.body)?)
	}
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use rand_chacha::rand_core::SeedableRng;
	use rand_chacha::ChaCha20Rng;

	#[test]
	fn levels_and_attributes() {
		assert_eq!(TrustLevel::new(16), Err(AbeError::TrustLevelInvalid));
		let level = TrustLevel::new(3).unwrap();
		assert_eq!(level.policy(), "\"trust_03\"");
		assert_eq!(level.key_attributes(), ["trust_00", "trust_01", "trust_02", "trust_03"]);
	}

	#[test]
	fn crypto_layer_denies_low_keys_even_without_the_header_check() {
		let authority = AbeAuthority::setup().unwrap();
		let mut rng = ChaCha20Rng::seed_from_u64(1);
		let ct = authority.public_key().encrypt(TrustLevel(3), b"model", &mut rng).unwrap();
		let parsed = parse_ciphertext(&ct).unwrap();
		let abe = validate_ciphertext(parsed.level, parsed.abe).unwrap();
		let low = authority.issue_key(TrustLevel(2)).unwrap();
		assert!(ac17::cp_decrypt(&low.sk, &abe).is_err());
		let high = authority.issue_key(TrustLevel(4)).unwrap();
		assert_eq!(ac17::cp_decrypt(&high.sk, &abe).map(|dek| dek.len()).ok(), Some(32));

		// A low key whose component for trust_02 is relabelled trust_03 (and which therefore
		// claims level 3) parses, but does not decrypt: the component is bound to its attribute.
		let mut forged = low.sk.clone();
		forged.attr.push("trust_03".into());
		let (_, component) = forged.sk.k[2].clone();
		forged.sk.k.push(("trust_03".into(), component));
		let forged_bytes = [&[ABE_FORMAT_VERSION, 3][..], &encode(&forged).unwrap()].concat();
		let forged_key = AbeUserKey::from_bytes(&forged_bytes).unwrap();
		assert_eq!(forged_key.level(), TrustLevel(3));
		assert_eq!(forged_key.decrypt(&ct), Err(AbeError::DecryptionFailed));
	}

	#[test]
	fn header_level_cannot_be_lowered() {
		let authority = AbeAuthority::setup().unwrap();
		let mut rng = ChaCha20Rng::seed_from_u64(2);
		let mut ct = authority.public_key().encrypt(TrustLevel(3), b"model", &mut rng).unwrap();
		ct[1] = 1;
		let key = authority.issue_key(TrustLevel(1)).unwrap();
		assert_eq!(key.decrypt(&ct), Err(AbeError::CiphertextMalformed));
	}

	#[test]
	fn validator_checks_curves() {
		let v = Validator::new().unwrap();
		let g1: G1M = decode_exact(
			&encode(&(G1::one() * Fr::from_str("12345").unwrap())).unwrap(),
			AbeError::Backend,
		)
		.unwrap();
		assert!(v.g1(&g1));
		// (u^2 X, u^3 Y, Z) with u = 2 lies on y^2 = x^3 + 64 b, a curve isomorphic to E whose
		// points also have order r: the [r]P check alone would accept it, the curve check not.
		let two = v.add(&g1.z.0, &g1.z.0);
		let (u2, u3) = (v.sqr(&two), v.cube(&two));
		let twisted =
			G1M { x: FqM(v.mul(&g1.x.0, &u2)), y: FqM(v.mul(&g1.y.0, &u3)), z: FqM(g1.z.0) };
		assert!(!v.g1(&twisted));
		let point: G1 = decode_exact(&encode(&G1::one()).unwrap(), AbeError::Backend).unwrap();
		assert!(!point.is_zero());
		let infinity: G1M = decode_exact(&encode(&G1::zero()).unwrap(), AbeError::Backend).unwrap();
		assert!(!v.g1(&infinity));
		let g2: G2M = decode_exact(
			&encode(&(G2::one() * Fr::from_str("777").unwrap())).unwrap(),
			AbeError::Backend,
		)
		.unwrap();
		assert!(v.g2(&g2));
		let mut off = decode_exact::<G2M>(&encode(&G2::one()).unwrap(), AbeError::Backend).unwrap();
		off.x.c0 = FqM(v.add(&off.x.c0.0, &g1.z.0));
		assert!(!v.g2(&off));
	}

	#[test]
	fn non_canonical_limbs_are_rejected() {
		let authority = AbeAuthority::setup().unwrap();
		let key = authority.issue_key(TrustLevel(0)).unwrap();
		// Replace the key's first k_0 coordinate limb by p (the smallest non-canonical value).
		let sk = &key.sk;
		let p = U256::from_slice(&BN254_P).unwrap();
		let mut bytes = encode(&sk).unwrap();
		let first_limbs = encode(&sk.sk.k_0[0]).unwrap();
		let start = bytes.windows(first_limbs.len()).position(|w| w == first_limbs).unwrap();
		let mut patched = encode(&p).unwrap();
		// x.c0 is the first field element of the point.
		let x_c0_len = {
			let point = encode(&sk.sk.k_0[0]).unwrap();
			let (_x_c0, rest) = postcard::take_from_bytes::<U256>(&point).unwrap();
			point.len() - rest.len()
		};
		bytes.splice(start..start + x_c0_len, patched.drain(..));
		let full = [&[ABE_FORMAT_VERSION, 0][..], &bytes].concat();
		assert_eq!(AbeUserKey::from_bytes(&full).err(), Some(AbeError::KeyMalformed));
		// The untouched key still parses.
		assert!(AbeUserKey::from_bytes(&key.to_bytes().unwrap()).is_ok());
	}
}
