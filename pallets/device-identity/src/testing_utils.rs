//! Helpers shared by the unit tests and the benchmarks: device key pairs, NIZK proofs, CA keys
//! and certificates, authorities and devices in storage. Compiled for tests and
//! `runtime-benchmarks` only.
//!
//! CA keys and the IBE authorities' enrolment keys live in the keystore
//! (`sp_io::crypto::ecdsa_generate`, `sr25519_generate`), so the externalities need a keystore
//! extension: the benchmark CLI provides one, the mock registers a `MemoryKeystore`.

use crate::*;
use alloc::vec::Vec;
use codec::Encode;
use endo_crypto::{fuzzy::PufKey, prove_identity, DeviceKeypair};
use frame_system::pallet_prelude::BlockNumberFor;
use rand_core::{CryptoRng, RngCore};
use sp_core::{crypto::KeyTypeId, ecdsa, sr25519};
use sp_runtime::traits::{Bounded, Zero};

/// Key type of the CA keys made for tests and benchmarks.
pub const CA_KEY_TYPE: KeyTypeId = KeyTypeId(*b"edca");

/// Key type of the IBE authorities' enrolment keys made for tests and benchmarks.
pub const ENROLMENT_KEY_TYPE: KeyTypeId = KeyTypeId(*b"eden");

/// GM/T 0044-2016 Part 5 Annex A: the KGC's master signature public key `Ppub-s`.
pub const ANNEX_A_MASTER_KEY: [u8; SM9_MASTER_KEY_BYTES] = hex_literal(
	b"9F64080B3084F733E48AFF4B41B565011CE0711C5E392CFB0AB1B6791B94C40829DBA116152D1F786CE843ED24A3B573414D2177386A92DD8F14D65696EA5E3269850938ABEA0112B57329F447E3A0CBAD3E2FDB1A77F335E89E1408D0EF1C2541E00A53DDA532DA1A7CE027B7A46F741006E85F5CDFF0730E75C05FB4E3216D",
);

/// GM/T 0044-2016 Part 5 Annex A: Alice's signature of "Chinese IBS standard". Structurally a
/// valid SM9 signature (what the runtime checks); as a device credential it does not verify,
/// which is what the proxy nodes find out.
pub const ANNEX_A_SIGNATURE: [u8; SM9_SIGNATURE_BYTES] = hex_literal(
	b"823C4B21E4BD2DFE1ED92C606653E996668563152FC33F55D7BFBB9BD9705ADB0473BF96923CE58B6AD0E13E9643A406D8EB98417C50EF1B29CEF9ADB48B6D598C856712F1C2E0968AB7769F42A99586AED139D5B8B3E15891827CC2ACED9BAA05",
);

/// Decodes hexadecimal ASCII at compile time (panics, at compile time, on bad input).
const fn hex_literal<const N: usize>(hex: &[u8]) -> [u8; N] {
	const fn nibble(c: u8) -> u8 {
		match c {
			b'0'..=b'9' => c - b'0',
			b'a'..=b'f' => c - b'a' + 10,
			b'A'..=b'F' => c - b'A' + 10,
			_ => panic!("not a hex digit"),
		}
	}
	assert!(hex.len() == 2 * N, "wrong hex length");
	let mut out = [0u8; N];
	let mut i = 0;
	while i < N {
		out[i] = (nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]);
		i += 1;
	}
	out
}

/// A deterministic RNG for proofs in tests and benchmarks: `blake2_256(seed || counter)` blocks.
/// Never use it for real devices (their RNG must be unpredictable).
pub struct TestRng {
	seed: [u8; 32],
	counter: u64,
	block: [u8; 32],
	used: usize,
}

impl TestRng {
	/// An RNG seeded with `seed`.
	pub fn new(seed: u64) -> Self {
		Self {
			seed: sp_io::hashing::blake2_256(&seed.to_le_bytes()),
			counter: 0,
			block: [0; 32],
			used: 32,
		}
	}
}

impl RngCore for TestRng {
	fn next_u32(&mut self) -> u32 {
		let mut bytes = [0u8; 4];
		self.fill_bytes(&mut bytes);
		u32::from_le_bytes(bytes)
	}

	fn next_u64(&mut self) -> u64 {
		let mut bytes = [0u8; 8];
		self.fill_bytes(&mut bytes);
		u64::from_le_bytes(bytes)
	}

	fn fill_bytes(&mut self, dest: &mut [u8]) {
		for byte in dest.iter_mut() {
			if self.used == 32 {
				self.block = sp_io::hashing::blake2_256(&(self.seed, self.counter).encode());
				self.counter = self.counter.wrapping_add(1);
				self.used = 0;
			}
			*byte = self.block[self.used];
			self.used += 1;
		}
	}

	fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
		self.fill_bytes(dest);
		Ok(())
	}
}

impl CryptoRng for TestRng {}

/// The endogenous identity of test device `seed` (its PUF key is `blake2_256(seed)`).
pub fn device(seed: u32) -> DeviceKeypair {
	let key = PufKey::from_bytes(sp_io::hashing::blake2_256(&(b"test-device", seed).encode()));
	DeviceKeypair::from_puf_key(&key).expect("a zero scalar has probability 2^-252; qed")
}

/// The device's ID bytes.
pub fn id(device: &DeviceKeypair) -> DeviceId {
	device.device_id().to_bytes()
}

/// The device's public key bytes.
pub fn public_key(device: &DeviceKeypair) -> [u8; PUBLIC_KEY_BYTES] {
	device.public_key().to_bytes()
}

/// A proof of `device` for `purpose` against the current epoch's challenge.
pub fn proof_for<T: Config>(device: &DeviceKeypair, purpose: &[u8]) -> [u8; PROOF_BYTES] {
	let epoch = Epoch::<T>::get().expect("an epoch has started");
	let mut rng =
		TestRng::new(u64::from(epoch.index) ^ u64::from(device.device_id().as_bytes()[0]));
	prove_identity(device, &epoch.genesis_hash, purpose, &epoch.challenge, &mut rng).to_bytes()
}

/// The registration proof of `device`, binding the `controller` account.
pub fn register_proof<T: Config>(
	device: &DeviceKeypair,
	authority: AuthorityId,
	controller: Option<&T::AccountId>,
	credential: &Credential<BlockNumberFor<T>>,
) -> [u8; PROOF_BYTES] {
	proof_for::<T>(device, &messages::register_purpose(authority, controller, credential))
}

/// The message a controller signs to consent to its binding to `device` under `authority`, on
/// this chain.
pub fn consent_message<T: Config>(device: &DeviceKeypair, authority: AuthorityId) -> Vec<u8> {
	let genesis = Epoch::<T>::get().map_or_else(Pallet::<T>::genesis_hash, |e| e.genesis_hash);
	messages::controller_consent_message(&genesis, &id(device), &public_key(device), authority)
}

/// Controller account `seed` of the benchmarks (`Config::BenchmarkHelper`), consenting to its
/// binding to `device` under `authority`.
#[cfg(feature = "runtime-benchmarks")]
pub fn controller_consent<T: Config>(
	seed: u32,
	device: &DeviceKeypair,
	authority: AuthorityId,
) -> ControllerConsentOf<T> {
	let message = consent_message::<T>(device, authority);
	let (account, signature) =
		<T::BenchmarkHelper as crate::BenchmarkHelper<_, _>>::sign_consent(seed, &message);
	ControllerConsent { account, signature }
}

/// A `register_device` call for `device` in the current epoch, with its registration proof.
pub fn register_call<T: Config>(
	device: &DeviceKeypair,
	authority: AuthorityId,
	controller: Option<ControllerConsentOf<T>>,
	credential: Credential<BlockNumberFor<T>>,
) -> Call<T> {
	let account = controller.as_ref().map(|consent| &consent.account);
	let proof = register_proof::<T>(device, authority, account, &credential);
	Call::<T>::register_device {
		device: id(device),
		public_key: public_key(device),
		authority,
		credential,
		controller,
		epoch: epoch::<T>(),
		proof,
	}
}

/// The authentication proof of `device` for the current epoch.
pub fn authenticate_proof<T: Config>(device: &DeviceKeypair) -> [u8; PROOF_BYTES] {
	proof_for::<T>(device, messages::AUTHENTICATE_PURPOSE)
}

/// The current epoch's index.
pub fn epoch<T: Config>() -> AuthEpoch {
	Epoch::<T>::get().expect("an epoch has started").index
}

/// Moves to block 1 if at genesis (events are not recorded at block 0) and starts an epoch at
/// the current block if none has started.
pub fn ensure_epoch<T: Config>() {
	if frame_system::Pallet::<T>::block_number().is_zero() {
		frame_system::Pallet::<T>::set_block_number(1u32.into());
	}
	if Epoch::<T>::get().is_none() {
		Pallet::<T>::roll_epoch(frame_system::Pallet::<T>::block_number());
	}
}

/// A fresh ECDSA CA key in the keystore (`seed` names it).
pub fn ca_key(seed: u32) -> ecdsa::Public {
	let phrase = alloc::format!("//endochain-test-ca-{seed}");
	sp_io::crypto::ecdsa_generate(CA_KEY_TYPE, Some(phrase.into_bytes()))
}

/// A certificate for `subject` until `expires_at`, signed by the keystore's `ca`.
pub fn certificate<T: Config>(
	ca: &ecdsa::Public,
	subject: DeviceId,
	expires_at: BlockNumberFor<T>,
) -> Certificate<BlockNumberFor<T>> {
	let genesis = Epoch::<T>::get().map_or_else(Pallet::<T>::genesis_hash, |e| e.genesis_hash);
	let message = messages::certificate_message(&genesis, &subject, &expires_at);
	let signature = sp_io::crypto::ecdsa_sign(CA_KEY_TYPE, ca, &message)
		.expect("the CA key is in the keystore; qed");
	Certificate { subject, expires_at, signature: signature.into() }
}

/// Registers an SM9 KGC with `key` directly, with its test enrolment key
/// ([`enrolment_key`]); returns its index.
pub fn add_ibe_authority<T: Config>(key: [u8; SM9_MASTER_KEY_BYTES]) -> AuthorityId {
	let authority = Pallet::<T>::do_register_authority(AuthorityKey::Ibe(key))
		.expect("a fresh, well-formed key; qed")
		.0;
	EnrolmentKeys::<T>::insert(authority, enrolment_key(authority).0);
	authority
}

/// The enrolment key of test IBE authority `authority`, an sr25519 key in the keystore
/// (the same key every time for the same index).
pub fn enrolment_key(authority: AuthorityId) -> sr25519::Public {
	let phrase = alloc::format!("//endochain-test-kgc-{authority}");
	sp_io::crypto::sr25519_generate(ENROLMENT_KEY_TYPE, Some(phrase.into_bytes()))
}

/// The co-signature of `device`, enrolled until `expires_at`, by the enrolment key of test
/// authority `authority`, on this chain ([`messages::enrolment_message`]).
pub fn enrolment_signature<T: Config>(
	authority: AuthorityId,
	device: &DeviceId,
	expires_at: BlockNumberFor<T>,
) -> [u8; 64] {
	let genesis = Epoch::<T>::get().map_or_else(Pallet::<T>::genesis_hash, |e| e.genesis_hash);
	let message = messages::enrolment_message(&genesis, authority, device, &expires_at);
	sp_io::crypto::sr25519_sign(ENROLMENT_KEY_TYPE, &enrolment_key(authority), &message)
		.expect("the enrolment key is in the keystore; qed")
		.0
}

/// The IBE credential of `device` under test authority `authority`, enrolled until
/// `expires_at`: the SM9 `signature` and the authority's enrolment co-signature
/// ([`enrolment_signature`]).
pub fn ibe_credential<T: Config>(
	authority: AuthorityId,
	device: &DeviceId,
	signature: [u8; SM9_SIGNATURE_BYTES],
	expires_at: BlockNumberFor<T>,
) -> Credential<BlockNumberFor<T>> {
	let enrolment = enrolment_signature::<T>(authority, device, expires_at);
	Credential::Ibe { signature, expires_at, enrolment }
}

/// Registers a fresh ECDSA CA directly; returns its index and key.
pub fn add_pki_authority<T: Config>(seed: u32) -> (AuthorityId, ecdsa::Public) {
	let key = ca_key(seed);
	let authority = Pallet::<T>::do_register_authority(AuthorityKey::Pki(CaKey::Ecdsa(key)))
		.expect("a fresh, well-formed key; qed")
		.0;
	(authority, key)
}

/// A distinct, well-formed SM9 master key for test authority `seed` (structure only: the
/// Annex A key with the last three bytes of its last coordinate replaced by `seed || 0xff`, so
/// never the Annex A key itself; the runtime does no curve arithmetic).
pub fn sm9_master_key(seed: u16) -> [u8; SM9_MASTER_KEY_BYTES] {
	let mut key = ANNEX_A_MASTER_KEY;
	key[125..127].copy_from_slice(&seed.to_be_bytes());
	key[127] = 0xff;
	key
}

/// Inserts the record of test device `seed` directly (for hooks and benchmarks that need many
/// devices): `status`, registered at block 0, active from epoch `activated_epoch`, last proof
/// in `last_proof_epoch`, and its `controller` (bound only if the device is active or
/// quarantined, as a registration would). Returns its ID.
pub fn insert_device<T: Config>(
	seed: u32,
	authority: AuthorityId,
	status: DeviceStatus,
	activated_epoch: AuthEpoch,
	last_proof_epoch: Option<AuthEpoch>,
	controller: Option<T::AccountId>,
) -> DeviceId {
	let keypair = device(seed);
	let id = keypair.device_id().to_bytes();
	let domain = Authorities::<T>::get(authority).expect("authority registered first").key.kind();
	let info = DeviceInfo {
		public_key: keypair.public_key().to_bytes(),
		authority,
		domain,
		controller: controller.clone(),
		status,
		registered_at: BlockNumberFor::<T>::zero(),
		certificate_expires_at: Some(BlockNumberFor::<T>::max_value()),
		activated_epoch,
		last_proof: last_proof_epoch
			.map(|epoch| ProofRecord { epoch, at: BlockNumberFor::<T>::zero() }),
		authenticated_since: last_proof_epoch.map(|_| BlockNumberFor::<T>::zero()),
		strikes: 0,
	};
	Devices::<T>::insert(id, &info);
	if let (true, Some(account)) = (info.holds_controller(), controller) {
		ControllerDevice::<T>::insert(account, id);
	}
	if status == DeviceStatus::Pending {
		PendingCredentials::<T>::insert(id, ANNEX_A_SIGNATURE);
	}
	id
}
