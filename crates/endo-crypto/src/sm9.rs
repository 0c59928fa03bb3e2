//! SM9 identity-based cryptography (GM/T 0044-2016, ISO/IEC 18033-5 Amd 1): a key generation
//! centre, signatures and encryption of payloads of any size. Paper: section 4, Algorithm 1
//! steps 8-9 (models encrypted to the server's endogenous ID), Table 2.
//!
//! Built on the `sm9` 0.4 crate (key encapsulation) and its curve library `sm9_core` 0.5 (key
//! extraction, signatures, point validation). `sm9` reads keys only from PEM and panics on
//! malformed input, so this module keeps keys as validated bytes in memory, builds the PEM it
//! needs in memory, validates every input before calling the crate and runs every backend call
//! under `catch_unwind` ([`Sm9Error::Backend`] if it still panics).
//!
//! Signatures are computed here directly on `sm9_core`, following the standard step by step,
//! rather than through `sm9::Sm9::sign2`/`verify2`: those recompute the pairing
//! `e(P1, Ppub-s)` and re-parse both PEM keys on every call, which costs more than the rest of a
//! signature. [`Sm9MasterSignPublicKey`] computes that pairing once. The unit tests check this
//! implementation against the standard's Annex A signature and against the `sm9` crate in both
//! directions (its signatures verify here, ours verify there).
//!
//! # Key generation centre
//!
//! Master keys `ks` (signing), `ke` (encryption) are integers in `[1, n-1]`; public keys
//! `Ppub-s = [ks]P2` (G2) and `Ppub-e = [ke]P1` (G1). A user's keys are (standard §5.3):
//!
//! ```text
//! t1 = H1(ID || hid, n) + k  (mod n), rejected if 0;  t2 = k * t1^-1
//! signing key    ds = [t2]P1  with hid = 0x01, k = ks
//! decryption key de = [t2]P2  with hid = 0x03, k = ke
//! ```
//!
//! # Signatures
//!
//! GM/T 0044 part 2: `g = e(P1, Ppub-s)`, random `r`, `w = g^r`, `h = H2(M || w, n)`,
//! `l = r - h` (retry if 0), `S = [l]ds`; verification recomputes
//! `w' = e(S, [H1(ID || 0x01)]P2 + Ppub-s) * g^h` and checks `H2(M || w') = h`.
//!
//! [`Sm9UserSigningKey::sign`] signs `M = SHA-256(tags::SM9_SIGN_PREHASH, message)` (so signing a
//! 10 MB model costs one SHA-256 pass, not the two SM3 passes of `H2` over the model);
//! [`Sm9UserSigningKey::sign_raw`] and [`Sm9MasterSignPublicKey::verify_raw`] sign and verify
//! the message itself, interoperable with any GM/T 0044 implementation. A signature is `h || S`
//! with `S` uncompressed: `h (32) || 0x04 || x (32) || y (32)`, 97 bytes. The nonce `r` is 64
//! bytes from the caller's RNG reduced mod `n`. Messages of [`PARALLEL_PREHASH_BYTES`] (1 MiB)
//! or more are pre-hashed on a scoped helper thread while the group operations run.
//!
//! # Encryption
//!
//! SM9 key encapsulation (standard part 4, §6.1) feeding ChaCha20-Poly1305:
//!
//! ```text
//! C1 = [r](H1(ID || 0x03) P1 + Ppub-e),  w = e(Ppub-e, P2)^r        (sm9 crate, try_encap)
//! K  = KDF(C1 || w || ID, 44 bytes)   (SM3 KDF of GM/T 0044; C1 as x || y, w as 384 bytes)
//! ciphertext = 0x01 || C1 (64) || ChaCha20-Poly1305(key = K[0..32], nonce = K[32..44],
//!                                    aad = tags::SM9_KEM_DEM || 0x01 || C1, payload) || tag (16)
//! ```
//!
//! The decryptor recomputes `w = e(C1, de)`. Because `K` is fresh per message, the nonce never
//! repeats under one key.
//!
//! # Identities
//!
//! 1 to [`MAX_SM9_IDENTITY_LEN`] bytes without NUL (the `sm9` crate's encapsulation API passes
//! identities as a NUL-terminated 128-byte buffer). A device's identity is
//! [`DeviceId::to_hex`](crate::DeviceId::to_hex).
//!
//! # Byte formats
//!
//! | type | bytes |
//! |---|---|
//! | [`Sm9Kgc`] (secret) | `ks (32, BE) || ke (32, BE)` |
//! | [`Sm9MasterSignPublicKey`] | `Ppub-s` as `x || y`, each an Fp2 element of 64 bytes: 128 |
//! | [`Sm9MasterEncryptPublicKey`] | `Ppub-e` as `x || y`: 64 |
//! | [`Sm9UserSigningKey`] (secret) | `len(ID) (1) || ID || ds as x || y (64)` |
//! | [`Sm9UserDecryptionKey`] (secret) | `len(ID) (1) || ID || de as x || y (128)` |
//! | [`Sm9Signature`] | `h (32) || 0x04 || x || y`: 97 |

use rand_core::{CryptoRng, RngCore};
use sm3::{Digest, Sm3};
use sm9::{Decapsulator, EncappedKey, Encapsulator, EncodeKey, Sm9EncappedKey};
use sm9_core::{fast_pairing, Fr, Group, Gt, G1, G2};
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

use crate::{
	backend::{self, guarded, Fault, Rng09},
	device_identity::SM9_N,
	hash, Sm9Error,
};

pub use crate::device_identity::{SM9_MASTER_KEY_BYTES, SM9_SIGNATURE_BYTES};
pub use crate::MAX_SM9_IDENTITY_LEN;
/// Version byte that starts an SM9 ciphertext.
pub const SM9_CIPHERTEXT_VERSION: u8 = 1;
/// Bytes an SM9 ciphertext adds to its payload (version, C1, tag).
pub const SM9_CIPHERTEXT_OVERHEAD: usize = 1 + 64 + backend::TAG_BYTES;

const HID_SIGN: u8 = 0x01;
const HID_ENC: u8 = 0x03;

const PEM_MASTER_ENC_PUBLIC: &str = "SM9 MASTER PUBLIC KEY";
const PEM_USER_ENC_PRIVATE: &str = "SM9 USER PRIVATE KEY";
#[cfg(test)]
const PEM_MASTER_SIGN_PUBLIC: &str = "SM9 MASTER SIGNATURE PUBLIC KEY";
#[cfg(test)]
const PEM_USER_SIGN_PRIVATE: &str = "SM9 USER SIGNATURE PRIVATE KEY";

fn validate_identity(identity: &[u8]) -> Result<(), Sm9Error> {
	if identity.is_empty() || identity.len() > MAX_SM9_IDENTITY_LEN || identity.contains(&0) {
		Err(Sm9Error::IdentityMalformed)
	} else {
		Ok(())
	}
}

/// `1 <= value < n` for a big-endian 32-byte integer.
fn scalar_in_range(value: &[u8; 32]) -> bool {
	value.iter().any(|&b| b != 0) && value < &SM9_N
}

fn scalar_from_bytes(value: &[u8; 32]) -> Result<Fr, Sm9Error> {
	if !scalar_in_range(value) {
		return Err(Sm9Error::KeyMalformed);
	}
	Fr::from_slice(value).ok_or(Sm9Error::KeyMalformed)
}

/// `H_i(Z, n)` of GM/T 0044 part 2 §5.3.2.2/3 (`i` = 1 or 2):
/// `Ha = SM3(i || Z || 0x00000001) || SM3(i || Z || 0x00000002)`, first 40 bytes,
/// `h = (Ha mod (n - 1)) + 1`, with `Z` the concatenation of `parts`.
fn hash_to_range(i: u8, parts: &[&[u8]]) -> Result<Fr, Sm9Error> {
	let mut ha = [0u8; 64];
	for (counter, out) in [1u32, 2].iter().zip(ha.chunks_mut(32)) {
		let mut sm3 = Sm3::new();
		sm3.update([i]);
		for part in parts {
			sm3.update(part);
		}
		sm3.update(counter.to_be_bytes());
		out.copy_from_slice(&sm3.finalize());
	}
	Fr::from_hash(&ha[..40]).ok_or(Sm9Error::Backend)
}

/// `H1(ID || hid, n)`.
fn h1(identity: &[u8], hid: u8) -> Result<Fr, Sm9Error> {
	hash_to_range(0x01, &[identity, &[hid]])
}

/// `H2(M || w, n)` with `w` as its 384-byte encoding.
fn h2(message: &[u8], w: &Gt) -> Result<Fr, Sm9Error> {
	let w = guarded(|| w.to_slice())?;
	hash_to_range(0x02, &[message, &w])
}

/// The key derivation function of GM/T 0044 part 4 §5.4.3 (SM3 in counter mode from 1).
fn kdf(parts: &[&[u8]], out: &mut [u8]) {
	for (index, chunk) in out.chunks_mut(32).enumerate() {
		let mut sm3 = Sm3::new();
		for part in parts {
			sm3.update(part);
		}
		// At most a few blocks are ever requested.
		sm3.update((index as u32 + 1).to_be_bytes());
		let block = sm3.finalize();
		chunk.copy_from_slice(&block[..chunk.len()]);
	}
}

/// DER `SEQUENCE { INTEGER 1, OCTET STRING key }` in a PEM envelope: the key format of the
/// `sm9` crate.
fn pem(label: &str, key: &[u8]) -> Result<Zeroizing<String>, Sm9Error> {
	fn push_len(out: &mut Vec<u8>, len: usize) {
		if len < 0x80 {
			out.push(len as u8);
		} else if len < 0x100 {
			out.extend_from_slice(&[0x81, len as u8]);
		} else {
			// Keys here are at most 128 bytes; two length bytes cover up to 65535.
			out.push(0x82);
			out.extend_from_slice(&(len as u16).to_be_bytes());
		}
	}
	let mut body = Zeroizing::new(vec![0x02, 0x01, 0x01, 0x04]);
	push_len(&mut body, key.len());
	body.extend_from_slice(key);
	let mut der = Zeroizing::new(vec![0x30]);
	push_len(&mut der, body.len());
	der.extend_from_slice(&body);
	pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, &der)
		.map(Zeroizing::new)
		.map_err(|_| Sm9Error::Backend)
}

fn g1_from_bytes(bytes: &[u8]) -> Option<G1> {
	guarded(|| G1::from_slice(bytes).ok()).ok().flatten()
}

fn g2_from_bytes(bytes: &[u8]) -> Option<G2> {
	guarded(|| G2::from_slice(bytes).ok()).ok().flatten()
}

/// The SM9 key generation centre: master signing key `ks` and master encryption key `ke`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct Sm9Kgc {
	ks: [u8; 32],
	ke: [u8; 32],
}

impl core::fmt::Debug for Sm9Kgc {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.write_str("Sm9Kgc(<secret>)")
	}
}

impl Sm9Kgc {
	/// Draws fresh master keys (uniform in `[1, n-1]`).
	pub fn generate<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> Self {
		let mut draw = || loop {
			let mut wide = Zeroizing::new([0u8; 64]);
			rng.fill_bytes(wide.as_mut_slice());
			let value = Fr::interpret(&wide).to_slice();
			if scalar_in_range(&value) {
				return value;
			}
		};
		Self { ks: draw(), ke: draw() }
	}

	/// Parses `ks || ke` (64 bytes, big-endian, each in `[1, n-1]`).
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, Sm9Error> {
		if bytes.len() != 64 {
			return Err(Sm9Error::KeyMalformed);
		}
		let mut kgc = Self { ks: [0; 32], ke: [0; 32] };
		kgc.ks.copy_from_slice(&bytes[..32]);
		kgc.ke.copy_from_slice(&bytes[32..]);
		if scalar_in_range(&kgc.ks) && scalar_in_range(&kgc.ke) {
			Ok(kgc)
		} else {
			Err(Sm9Error::KeyMalformed)
		}
	}

	/// `ks || ke`. Secret.
	pub fn to_bytes(&self) -> Zeroizing<[u8; 64]> {
		let mut out = Zeroizing::new([0u8; 64]);
		out[..32].copy_from_slice(&self.ks);
		out[32..].copy_from_slice(&self.ke);
		out
	}

	/// The master signature public key `Ppub-s = [ks]P2`.
	pub fn sign_public_key(&self) -> Result<Sm9MasterSignPublicKey, Sm9Error> {
		let ks = scalar_from_bytes(&self.ks)?;
		let point = guarded(|| (G2::one() * ks).to_slice())?;
		Sm9MasterSignPublicKey::from_bytes(&point)
	}

	/// The master encryption public key `Ppub-e = [ke]P1`.
	pub fn encrypt_public_key(&self) -> Result<Sm9MasterEncryptPublicKey, Sm9Error> {
		let ke = scalar_from_bytes(&self.ke)?;
		let point = guarded(|| (G1::one() * ke).to_slice())?;
		Sm9MasterEncryptPublicKey::from_bytes(&point)
	}

	/// `t2 = k * (H1(ID || hid) + k)^-1`; [`Sm9Error::KeyInvalid`] if `H1 + k = 0` (the standard
	/// then requires a new master key; probability `1/n`).
	fn user_scalar(master: &[u8; 32], identity: &[u8], hid: u8) -> Result<Fr, Sm9Error> {
		validate_identity(identity)?;
		let k = scalar_from_bytes(master)?;
		let t1 = h1(identity, hid)? + k;
		let inverse = t1.inverse().ok_or(Sm9Error::KeyInvalid)?;
		Ok(k * inverse)
	}

	/// Extracts the signing key `ds = [t2]P1` of `identity`.
	pub fn user_signing_key(&self, identity: &[u8]) -> Result<Sm9UserSigningKey, Sm9Error> {
		let t2 = Self::user_scalar(&self.ks, identity, HID_SIGN)?;
		let point = Zeroizing::new(guarded(|| (G1::one() * t2).to_slice())?);
		Sm9UserSigningKey::new(identity, &point)
	}

	/// Extracts the decryption key `de = [t2]P2` of `identity`.
	pub fn user_decryption_key(&self, identity: &[u8]) -> Result<Sm9UserDecryptionKey, Sm9Error> {
		let t2 = Self::user_scalar(&self.ke, identity, HID_ENC)?;
		let point = Zeroizing::new(guarded(|| (G2::one() * t2).to_slice())?);
		Sm9UserDecryptionKey::new(identity, &point)
	}
}

/// The KGC's master signature public key `Ppub-s` (G2); verifies every user's signatures.
/// Parsing validates the point and computes `g = e(P1, Ppub-s)` once.
#[derive(Clone)]
pub struct Sm9MasterSignPublicKey {
	bytes: [u8; SM9_MASTER_KEY_BYTES],
	point: G2,
	g: Gt,
}

impl core::fmt::Debug for Sm9MasterSignPublicKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_tuple("Sm9MasterSignPublicKey").field(&&self.bytes[..]).finish()
	}
}

impl PartialEq for Sm9MasterSignPublicKey {
	fn eq(&self, other: &Self) -> bool {
		self.bytes == other.bytes
	}
}

impl Eq for Sm9MasterSignPublicKey {}

impl Sm9MasterSignPublicKey {
	/// Parses `x || y` (128 bytes); the point must be on the twist curve and in G2.
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, Sm9Error> {
		let array: [u8; SM9_MASTER_KEY_BYTES] =
			bytes.try_into().map_err(|_| Sm9Error::KeyMalformed)?;
		let point = g2_from_bytes(&array).ok_or(Sm9Error::KeyMalformed)?;
		let g = guarded(|| fast_pairing(G1::one(), point))?;
		Ok(Self { bytes: array, point, g })
	}

	/// `x || y`, 128 bytes.
	pub fn to_bytes(&self) -> [u8; SM9_MASTER_KEY_BYTES] {
		self.bytes
	}

	/// Verifies a signature made with [`Sm9UserSigningKey::sign`] by `identity`.
	///
	/// For messages of [`PARALLEL_PREHASH_BYTES`] or more, the pre-hash runs on a scoped
	/// helper thread while this thread computes the message-independent pairing part.
	pub fn verify(
		&self,
		identity: &[u8],
		message: &[u8],
		signature: &Sm9Signature,
	) -> Result<(), Sm9Error> {
		validate_identity(identity)?;
		let (digest, w) = with_prehash(message, || self.verification_point(identity, signature))?;
		self.finish_verification(&digest, signature, &w?)
	}

	/// Verifies a standard GM/T 0044 signature on `message` itself (part 2, §7.1).
	pub fn verify_raw(
		&self,
		identity: &[u8],
		message: &[u8],
		signature: &Sm9Signature,
	) -> Result<(), Sm9Error> {
		validate_identity(identity)?;
		let w = self.verification_point(identity, signature)?;
		self.finish_verification(message, signature, &w)
	}

	/// Steps B1-B8: `w' = e(S, [H1(ID || 0x01)]P2 + Ppub-s) * g^h`, independent of the message.
	fn verification_point(
		&self,
		identity: &[u8],
		signature: &Sm9Signature,
	) -> Result<Gt, Sm9Error> {
		// B1, B2: h in [1, n-1] and S on the curve were checked when parsing the signature.
		let h = signature.h()?;
		let s = signature.s()?;
		let h1 = h1(identity, HID_SIGN)?;
		let w = guarded(|| {
			// B4: t = g^h; B6: P = [h1]P2 + Ppub-s; B7: u = e(S, P); B8: w' = u t.
			let t = self.g.pow(h);
			let p = G2::one() * h1 + self.point;
			fast_pairing(s, p) * t
		})?;
		Ok(w)
	}

	/// Step B9: `H2(M || w', n)` must equal `h`.
	fn finish_verification(
		&self,
		message: &[u8],
		signature: &Sm9Signature,
		w: &Gt,
	) -> Result<(), Sm9Error> {
		if h2(message, w)? == signature.h()? {
			Ok(())
		} else {
			Err(Sm9Error::SignatureInvalid)
		}
	}
}

/// Messages at least this long are pre-hashed on a scoped helper thread, in parallel with the
/// message-independent group operations of signing and verification (1 MiB).
pub const PARALLEL_PREHASH_BYTES: usize = 1 << 20;

/// `SHA-256(tags::SM9_SIGN_PREHASH, message)` and `work()`, on two threads for long messages
/// (sequentially if the message is short or no thread can be spawned).
fn with_prehash<T>(message: &[u8], work: impl FnOnce() -> T) -> Result<([u8; 32], T), Sm9Error> {
	let prehash = || hash::tagged_sha256(hash::tags::SM9_SIGN_PREHASH, &[message]);
	if message.len() < PARALLEL_PREHASH_BYTES {
		return Ok((prehash(), work()));
	}
	std::thread::scope(|scope| match std::thread::Builder::new().spawn_scoped(scope, prehash) {
		Ok(handle) => {
			let result = work();
			let digest = handle.join().map_err(|_| Sm9Error::Backend)?;
			Ok((digest, result))
		}
		Err(_) => Ok((prehash(), work())),
	})
}

/// The KGC's master encryption public key `Ppub-e` (G1); encrypts to any identity.
#[derive(Clone)]
pub struct Sm9MasterEncryptPublicKey {
	bytes: [u8; 64],
	inner: sm9::MasterPublicKey,
}

impl core::fmt::Debug for Sm9MasterEncryptPublicKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_tuple("Sm9MasterEncryptPublicKey").field(&&self.bytes[..]).finish()
	}
}

impl PartialEq for Sm9MasterEncryptPublicKey {
	fn eq(&self, other: &Self) -> bool {
		self.bytes == other.bytes
	}
}

impl Eq for Sm9MasterEncryptPublicKey {}

impl Sm9MasterEncryptPublicKey {
	/// Parses `x || y` (64 bytes); the point must be on the curve (G1 has cofactor 1).
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, Sm9Error> {
		let array: [u8; 64] = bytes.try_into().map_err(|_| Sm9Error::KeyMalformed)?;
		g1_from_bytes(&array).ok_or(Sm9Error::KeyMalformed)?;
		let pem = pem(PEM_MASTER_ENC_PUBLIC, &array)?;
		let inner = sm9::MasterPublicKey::from_pem(&pem).map_err(|_| Sm9Error::Backend)?;
		Ok(Self { bytes: array, inner })
	}

	/// `x || y`, 64 bytes.
	pub fn to_bytes(&self) -> [u8; 64] {
		self.bytes
	}

	/// Encrypts `payload` (any size) to `identity`; see the module docs for the format.
	pub fn encrypt<R: RngCore + CryptoRng + ?Sized>(
		&self,
		identity: &[u8],
		payload: &[u8],
		rng: &mut R,
	) -> Result<Vec<u8>, Sm9Error> {
		validate_identity(identity)?;
		let mut recipient: <Sm9EncappedKey as EncappedKey>::RecipientPublicKey = [0u8; 128].into();
		recipient[..identity.len()].copy_from_slice(identity);
		let mut rng = Rng09(rng);
		let (encapped, shared) = guarded(|| self.inner.try_encap(&mut rng, &recipient))?
			.map_err(|_| Sm9Error::from(Fault::Refused))?;
		let c1: [u8; 64] = encapped.as_ref().try_into().map_err(|_| Sm9Error::Backend)?;
		let mut okm = Zeroizing::new([0u8; 44]);
		kdf(&[&c1, shared.as_bytes(), identity], okm.as_mut_slice());
		let (key, nonce) = split_okm(&okm);
		let mut header = [0u8; 65];
		header[0] = SM9_CIPHERTEXT_VERSION;
		header[1..].copy_from_slice(&c1);
		let aad = [hash::tags::SM9_KEM_DEM, &header[..]].concat();
		Ok(backend::seal(&key, &nonce, &aad, &header, payload)?)
	}
}

fn split_okm(okm: &[u8; 44]) -> (Zeroizing<[u8; 32]>, [u8; 12]) {
	let mut key = Zeroizing::new([0u8; 32]);
	key.copy_from_slice(&okm[..32]);
	let mut nonce = [0u8; 12];
	nonce.copy_from_slice(&okm[32..]);
	(key, nonce)
}

/// Parses `len || ID || point` of a user key.
fn split_user_key(bytes: &[u8], point_len: usize) -> Result<(&[u8], &[u8]), Sm9Error> {
	let (&len, rest) = bytes.split_first().ok_or(Sm9Error::KeyMalformed)?;
	let len = usize::from(len);
	if rest.len() != len + point_len {
		return Err(Sm9Error::KeyMalformed);
	}
	let (identity, point) = rest.split_at(len);
	validate_identity(identity)?;
	Ok((identity, point))
}

fn join_user_key(identity: &[u8], point: &[u8]) -> Zeroizing<Vec<u8>> {
	let mut out = Zeroizing::new(Vec::with_capacity(1 + identity.len() + point.len()));
	// validate_identity bounds the length by 128.
	out.push(identity.len() as u8);
	out.extend_from_slice(identity);
	out.extend_from_slice(point);
	out
}

/// A user's SM9 signing key `ds` (G1), bound to its identity. Secret.
#[derive(Clone)]
pub struct Sm9UserSigningKey {
	identity: Vec<u8>,
	point: Zeroizing<[u8; 64]>,
	ds: G1,
}

impl core::fmt::Debug for Sm9UserSigningKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("Sm9UserSigningKey")
			.field("identity", &self.identity)
			.finish_non_exhaustive()
	}
}

impl Sm9UserSigningKey {
	fn new(identity: &[u8], point: &[u8; 64]) -> Result<Self, Sm9Error> {
		validate_identity(identity)?;
		let ds = g1_from_bytes(point).ok_or(Sm9Error::KeyMalformed)?;
		Ok(Self { identity: identity.to_vec(), point: Zeroizing::new(*point), ds })
	}

	/// Parses `len(ID) || ID || ds` (see the module docs).
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, Sm9Error> {
		let (identity, point) = split_user_key(bytes, 64)?;
		let point: &[u8; 64] = point.try_into().map_err(|_| Sm9Error::KeyMalformed)?;
		Self::new(identity, point)
	}

	/// `len(ID) || ID || ds`. Secret.
	pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
		join_user_key(&self.identity, self.point.as_slice())
	}

	/// The identity this key signs for.
	pub fn identity(&self) -> &[u8] {
		&self.identity
	}

	/// Signs `SHA-256(tags::SM9_SIGN_PREHASH, message)` (see the module docs). For messages of
	/// [`PARALLEL_PREHASH_BYTES`] or more, the pre-hash runs on a scoped helper thread while
	/// this thread computes `w = g^r`.
	pub fn sign<R: RngCore + CryptoRng + ?Sized>(
		&self,
		master: &Sm9MasterSignPublicKey,
		message: &[u8],
		rng: &mut R,
	) -> Result<Sm9Signature, Sm9Error> {
		let nonce = Nonce::draw(rng);
		let (digest, first) = with_prehash(message, || nonce.commit(master))?;
		self.finish_signature(master, &digest, first?, rng)
	}

	/// Standard GM/T 0044 signature of `message` itself (part 2, §6.1).
	pub fn sign_raw<R: RngCore + CryptoRng + ?Sized>(
		&self,
		master: &Sm9MasterSignPublicKey,
		message: &[u8],
		rng: &mut R,
	) -> Result<Sm9Signature, Sm9Error> {
		let first = Nonce::draw(rng).commit(master)?;
		self.finish_signature(master, message, first, rng)
	}

	/// Steps A4-A7 for a committed nonce `(r, w)`; draws a new nonce in the (probability
	/// `1/n`) case `l = 0`.
	fn finish_signature<R: RngCore + CryptoRng + ?Sized>(
		&self,
		master: &Sm9MasterSignPublicKey,
		message: &[u8],
		first: (Fr, Gt),
		rng: &mut R,
	) -> Result<Sm9Signature, Sm9Error> {
		let (mut r, mut w) = first;
		loop {
			// A4: h = H2(M || w, n); A5: l = r - h, retry if 0.
			let h = h2(message, &w)?;
			let l = r - h;
			if l.is_zero() {
				(r, w) = Nonce::draw(rng).commit(master)?;
				continue;
			}
			// A6: S = [l]ds; A7: (h, S).
			let s = guarded(|| (self.ds * l).to_uncompressed())?;
			let mut bytes = [0u8; SM9_SIGNATURE_BYTES];
			bytes[..32].copy_from_slice(&h.to_slice());
			bytes[32..].copy_from_slice(&s);
			return Sm9Signature::from_bytes(&bytes).map_err(|_| Sm9Error::Backend);
		}
	}
}

/// A signing nonce `r`, uniform in `[1, n-1]`: 64 random bytes reduced mod `n` (bias
/// `< 2^-250`), zero rejected.
struct Nonce(Fr);

impl Nonce {
	fn draw<R: RngCore + CryptoRng + ?Sized>(rng: &mut R) -> Self {
		loop {
			let mut wide = Zeroizing::new([0u8; 64]);
			rng.fill_bytes(wide.as_mut_slice());
			let r = Fr::interpret(&wide);
			if !r.is_zero() {
				return Self(r);
			}
		}
	}

	/// Step A3: `(r, w = g^r)`.
	fn commit(self, master: &Sm9MasterSignPublicKey) -> Result<(Fr, Gt), Sm9Error> {
		let w = guarded(|| master.g.pow(self.0))?;
		Ok((self.0, w))
	}
}

/// A user's SM9 decryption key `de` (G2), bound to its identity. Secret.
#[derive(Clone)]
pub struct Sm9UserDecryptionKey {
	identity: Vec<u8>,
	point: Zeroizing<[u8; 128]>,
	inner: sm9::UserPrivateKey,
}

impl core::fmt::Debug for Sm9UserDecryptionKey {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_struct("Sm9UserDecryptionKey")
			.field("identity", &self.identity)
			.finish_non_exhaustive()
	}
}

impl Sm9UserDecryptionKey {
	fn new(identity: &[u8], point: &[u8; 128]) -> Result<Self, Sm9Error> {
		validate_identity(identity)?;
		g2_from_bytes(point).ok_or(Sm9Error::KeyMalformed)?;
		let pem = pem(PEM_USER_ENC_PRIVATE, point)?;
		let inner = sm9::UserPrivateKey::from_pem(&pem).map_err(|_| Sm9Error::Backend)?;
		Ok(Self { identity: identity.to_vec(), point: Zeroizing::new(*point), inner })
	}

	/// Parses `len(ID) || ID || de` (see the module docs).
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, Sm9Error> {
		let (identity, point) = split_user_key(bytes, 128)?;
		let point: &[u8; 128] = point.try_into().map_err(|_| Sm9Error::KeyMalformed)?;
		Self::new(identity, point)
	}

	/// `len(ID) || ID || de`. Secret.
	pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
		join_user_key(&self.identity, self.point.as_slice())
	}

	/// The identity this key decrypts for.
	pub fn identity(&self) -> &[u8] {
		&self.identity
	}

	/// The 44-byte KEM output `KDF(C1 || w || ID)` for a ciphertext's `C1`; exposed for the
	/// GM/T 0044 known-answer test (its first 32 bytes are the standard's `K` for `klen = 256`).
	pub fn decapsulate(&self, c1: &[u8]) -> Result<Zeroizing<[u8; 44]>, Sm9Error> {
		let c1: [u8; 64] = c1.try_into().map_err(|_| Sm9Error::CiphertextMalformed)?;
		// The crate unwraps this conversion: validate first.
		g1_from_bytes(&c1).ok_or(Sm9Error::CiphertextMalformed)?;
		let encapped =
			Sm9EncappedKey::from_bytes(&c1.into()).map_err(|_| Sm9Error::from(Fault::Refused))?;
		let shared = guarded(|| self.inner.try_decap(&encapped))?
			.map_err(|_| Sm9Error::from(Fault::Refused))?;
		let mut okm = Zeroizing::new([0u8; 44]);
		kdf(&[&c1, shared.as_bytes(), &self.identity], okm.as_mut_slice());
		Ok(okm)
	}

	/// Decrypts a ciphertext made by [`Sm9MasterEncryptPublicKey::encrypt`] for this key's
	/// identity.
	pub fn decrypt(&self, ciphertext: &[u8]) -> Result<Vec<u8>, Sm9Error> {
		if ciphertext.len() < SM9_CIPHERTEXT_OVERHEAD || ciphertext[0] != SM9_CIPHERTEXT_VERSION {
			return Err(Sm9Error::CiphertextMalformed);
		}
		let (header, body) = ciphertext.split_at(65);
		let okm = self.decapsulate(&header[1..])?;
		let (key, nonce) = split_okm(&okm);
		let aad = [hash::tags::SM9_KEM_DEM, header].concat();
		Ok(backend::open(&key, &nonce, &aad, body)?)
	}
}

/// An SM9 signature `h || S` (97 bytes), validated on parsing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Sm9Signature {
	bytes: [u8; SM9_SIGNATURE_BYTES],
}

impl core::fmt::Debug for Sm9Signature {
	fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
		f.debug_tuple("Sm9Signature").field(&&self.bytes[..]).finish()
	}
}

impl Sm9Signature {
	/// Parses `h (32) || 0x04 || x (32) || y (32)`: `h` must be in `[1, n-1]` and `S` a point
	/// of G1, else [`Sm9Error::SignatureMalformed`].
	pub fn from_bytes(bytes: &[u8]) -> Result<Self, Sm9Error> {
		let bytes: [u8; SM9_SIGNATURE_BYTES] =
			bytes.try_into().map_err(|_| Sm9Error::SignatureMalformed)?;
		let mut h = [0u8; 32];
		h.copy_from_slice(&bytes[..32]);
		if !scalar_in_range(&h) || bytes[32] != 0x04 || g1_from_bytes(&bytes[33..]).is_none() {
			return Err(Sm9Error::SignatureMalformed);
		}
		Ok(Self { bytes })
	}

	/// The 97 signature bytes.
	pub fn to_bytes(&self) -> [u8; SM9_SIGNATURE_BYTES] {
		self.bytes
	}

	fn h(&self) -> Result<Fr, Sm9Error> {
		Fr::from_slice(&self.bytes[..32]).ok_or(Sm9Error::SignatureMalformed)
	}

	fn s(&self) -> Result<G1, Sm9Error> {
		g1_from_bytes(&self.bytes[33..]).ok_or(Sm9Error::SignatureMalformed)
	}
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
	use super::*;
	use rand_chacha::rand_core::SeedableRng;
	use rand_chacha::ChaCha20Rng;

	use crate::test_data::sm9_vector as vector;

	fn annex_kgc() -> Sm9Kgc {
		let mut bytes = vector("ks");
		bytes.extend(vector("ke"));
		Sm9Kgc::from_bytes(&bytes).unwrap()
	}

	#[test]
	fn h1_known_answer() {
		let h = h1(b"Bob", HID_ENC).unwrap();
		assert_eq!(h.to_slice().to_vec(), vector("h1_bob_enc"));
	}

	#[test]
	fn kgc_known_answers() {
		let kgc = annex_kgc();
		assert_eq!(kgc.sign_public_key().unwrap().to_bytes().to_vec(), vector("ppub_s"));
		assert_eq!(kgc.encrypt_public_key().unwrap().to_bytes().to_vec(), vector("ppub_e"));
		let alice = kgc.user_signing_key(b"Alice").unwrap();
		assert_eq!(alice.point.to_vec(), vector("ds_alice"));
		let bob = kgc.user_decryption_key(b"Bob").unwrap();
		assert_eq!(bob.point.to_vec(), vector("de_bob"));
	}

	#[test]
	fn signature_known_answer() {
		let kgc = annex_kgc();
		let master = kgc.sign_public_key().unwrap();
		let signature = Sm9Signature::from_bytes(&vector("signature")).unwrap();
		let message = vector("signed_message");
		assert_eq!(master.verify_raw(b"Alice", &message, &signature), Ok(()));
		assert_eq!(
			master.verify_raw(b"Alicf", &message, &signature),
			Err(Sm9Error::SignatureInvalid)
		);
		assert_eq!(
			master.verify_raw(b"Alice", b"Chinese IBS standarD", &signature),
			Err(Sm9Error::SignatureInvalid)
		);
		// The prehashed API signs something else: the raw standard signature does not verify.
		assert_eq!(master.verify(b"Alice", &message, &signature), Err(Sm9Error::SignatureInvalid));
	}

	#[test]
	fn kem_known_answer() {
		let kgc = annex_kgc();
		let bob = kgc.user_decryption_key(b"Bob").unwrap();
		let okm = bob.decapsulate(&vector("kem_c1")).unwrap();
		assert_eq!(okm[..32].to_vec(), vector("kem_k"));
		// The KDF is a prefix-stable counter-mode stream: klen = 256 bits is the prefix.
		let mut short = [0u8; 32];
		let w = vector("kem_w");
		kdf(&[&vector("kem_c1"), &w, b"Bob"], &mut short);
		assert_eq!(short.to_vec(), vector("kem_k"));
	}

	#[test]
	fn crate_accepts_our_in_memory_pem_keys() {
		// The PEM we build in memory round-trips through the crate's own (file-free) standard
		// public-key encryption API, with the KGC keys of the standard's Annex C.
		let kgc = annex_kgc();
		let bob = kgc.user_decryption_key(b"Bob").unwrap();
		let bob_pem = pem(PEM_USER_ENC_PRIVATE, bob.point.as_slice()).unwrap();
		let round = sm9::Sm9::encrypt2(
			&pem(PEM_MASTER_ENC_PUBLIC, &kgc.encrypt_public_key().unwrap().to_bytes()).unwrap(),
			b"Bob",
			b"Chinese IBE standard",
		);
		assert_eq!(
			sm9::Sm9::decrypt2(&bob_pem, b"Bob", round).as_deref(),
			Some(&b"Chinese IBE standard"[..])
		);
	}

	#[test]
	fn encrypt_decrypt_and_sign_roundtrip() {
		let mut rng = ChaCha20Rng::seed_from_u64(1);
		let kgc = Sm9Kgc::generate(&mut rng);
		let id = b"device-1";
		let dk = kgc.user_decryption_key(id).unwrap();
		let ct = kgc.encrypt_public_key().unwrap().encrypt(id, b"model", &mut rng).unwrap();
		assert_eq!(ct.len(), 5 + SM9_CIPHERTEXT_OVERHEAD);
		assert_eq!(dk.decrypt(&ct).unwrap(), b"model");
		let sk = kgc.user_signing_key(id).unwrap();
		let mpk = kgc.sign_public_key().unwrap();
		let sig = sk.sign(&mpk, b"model", &mut rng).unwrap();
		assert_eq!(mpk.verify(id, b"model", &sig), Ok(()));
		let raw = sk.sign_raw(&mpk, b"model", &mut rng).unwrap();
		assert_eq!(mpk.verify_raw(id, b"model", &raw), Ok(()));
	}

	#[test]
	fn parallel_prehash_equals_the_sequential_one() {
		let long = vec![0xa5u8; PARALLEL_PREHASH_BYTES + 3];
		let (digest, value) = with_prehash(&long, || 7).unwrap();
		assert_eq!(value, 7);
		assert_eq!(digest, hash::tagged_sha256(hash::tags::SM9_SIGN_PREHASH, &[&long]));
		let (short, _) = with_prehash(b"m", || ()).unwrap();
		assert_eq!(short, hash::tagged_sha256(hash::tags::SM9_SIGN_PREHASH, &[b"m"]));
	}

	#[test]
	fn signatures_interoperate_with_the_sm9_crate() {
		let mut rng = ChaCha20Rng::seed_from_u64(2);
		let kgc = annex_kgc();
		let mpk = kgc.sign_public_key().unwrap();
		let alice = kgc.user_signing_key(b"Alice").unwrap();
		let mpk_pem = pem(PEM_MASTER_SIGN_PUBLIC, &mpk.to_bytes()).unwrap();
		let alice_pem = pem(PEM_USER_SIGN_PRIVATE, alice.point.as_slice()).unwrap();
		for message in [&b"Chinese IBS standard"[..], b"", &[0x5a; 3000]] {
			// Ours, verified by the crate.
			let ours = alice.sign_raw(&mpk, message, &mut rng).unwrap();
			let theirs_view = sm9::Signature::from_bytes(&ours.to_bytes()).unwrap();
			assert!(sm9::Sm9::verify2(&mpk_pem, b"Alice", message, &theirs_view));
			// The crate's, verified by us.
			let theirs = sm9::Sm9::sign2(&mpk_pem, &alice_pem, message);
			let parsed = Sm9Signature::from_bytes(&theirs.to_bytes()).unwrap();
			assert_eq!(mpk.verify_raw(b"Alice", message, &parsed), Ok(()));
			assert_eq!(mpk.verify_raw(b"Bob", message, &parsed), Err(Sm9Error::SignatureInvalid));
		}
	}
}
