//! `endochain-device`: a simulated SRAM-PUF device for Endochain's device identity.
//!
//! ```text
//! endochain-device enroll --seed <64 hex> [--ber 0.10] [--reads 1] --out device.json [--force]
//! endochain-device show   --device device.json
//! endochain-device prove  --device device.json --genesis 0x<32 B> --challenge 0x<32 B>
//!                         --purpose <0x<bytes> | authenticate> [--ber <rate>]
//! endochain-device consent --device device.json --genesis 0x<32 B> --authority <index>
//!                         [--controller-suri <SURI>]
//! endochain-device enrolment-key --kgc-suri <SURI>
//! endochain-device enrol  --kgc-suri <SURI> --genesis 0x<32 B> --authority <index> --id 0x<32 B>
//!                         --expires-at <BLOCK>
//! endochain-device tags
//! ```
//!
//! Results are JSON on stdout; errors are one line on stderr and a non-zero exit status (2: bad
//! arguments, 3: PUF key reconstruction failed, 1: anything else). See the `endo_device` crate
//! docs and `docs/ENDOGENOUS-IDENTITY.md` §9.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

use std::{path::PathBuf, process::ExitCode};

use clap::{Parser, Subcommand};
use endo_crypto::puf::PufConfig;
use endo_device::{
	enrolment_key_json, enrolment_pair, hexarg::parse_hex_array, parse_purpose, tags_json, Consent,
	Device, Enrolment, Error, DEFAULT_BIT_ERROR_RATE,
};
use rand::{rngs::OsRng, SeedableRng};
use rand_chacha::ChaCha20Rng;

/// A simulated industrial-IoT device whose identity comes from its SRAM PUF (a model: the PUF
/// seed stands for the chip's silicon, and whoever holds the device file holds the device).
#[derive(Parser)]
#[command(name = "endochain-device", version)]
struct Cli {
	#[command(subcommand)]
	command: Command,
}

#[derive(Subcommand)]
enum Command {
	/// Manufactures the PUF from a seed, reads it and enrols it with the fuzzy extractor; writes
	/// the device file (PUF seed and model, public helper data, public key, ID; never a secret
	/// key) and prints the identity.
	Enroll {
		/// The chip's silicon: 32 bytes in hex (64 hex characters, `0x` optional).
		#[arg(long)]
		seed: String,
		/// Bit-error rate of a PUF read, in [0, 0.5] (the extractor is dimensioned for 0.15).
		#[arg(long, default_value_t = DEFAULT_BIT_ERROR_RATE)]
		ber: f64,
		/// Take the bitwise majority of this many reads as the enrolment reference (odd, at most
		/// 15; 1 = a single read).
		#[arg(long, default_value_t = 1)]
		reads: u32,
		/// Where to write the device file.
		#[arg(long)]
		out: PathBuf,
		/// Overwrite an existing device file (re-enrolment gives the device a new identity).
		#[arg(long)]
		force: bool,
		/// Derive the read noise and the enrolment randomness from this 32-byte hex seed instead
		/// of the operating system's RNG: for reproducible examples and tests only.
		#[arg(long, value_name = "HEX")]
		rng_seed: Option<String>,
	},
	/// Prints the device's ID and public key as JSON.
	Show {
		/// The device file.
		#[arg(long)]
		device: PathBuf,
	},
	/// Powers the device up (a fresh noisy PUF read, key reconstruction) and prints a NIZK
	/// identity proof for the given chain, challenge and purpose.
	Prove {
		/// The device file.
		#[arg(long)]
		device: PathBuf,
		/// The chain's genesis hash (32 bytes hex; `DeviceIdentityApi::challenge().genesisHash`).
		#[arg(long)]
		genesis: String,
		/// The epoch's challenge (32 bytes hex; `DeviceIdentityApi::challenge().challenge`).
		#[arg(long)]
		challenge: String,
		/// The proof's purpose: its bytes in hex (registration: the register tag followed by
		/// SCALE((authority, controller, credential))), or `authenticate`.
		#[arg(long)]
		purpose: String,
		/// Read the PUF at this bit-error rate instead of the device's own (a harsher
		/// environment: heat, ageing).
		#[arg(long)]
		ber: Option<f64>,
		/// Derive the read noise and the proof nonce's extra randomness from this 32-byte hex
		/// seed instead of the operating system's RNG: for reproducible examples and tests only.
		#[arg(long, value_name = "HEX")]
		rng_seed: Option<String>,
	},
	/// Prints the message a controller account signs to consent to its binding to this device
	/// (`register_device`'s `controller` argument needs the account and that signature), and,
	/// with `--controller-suri`, signs it with that sr25519 key and prints the argument.
	///
	/// Without `--controller-suri`, sign the printed `message` bytes with the controller's key
	/// elsewhere (a wallet, polkadot.js `pair.sign(message)`). The consent names the chain, the
	/// device (ID and key) and the authority: it is good for this registration only.
	Consent {
		/// The device file.
		#[arg(long)]
		device: PathBuf,
		/// The chain's genesis hash (32 bytes hex; `DeviceIdentityApi::challenge().genesisHash`).
		#[arg(long)]
		genesis: String,
		/// The index of the authority the device registers under.
		#[arg(long)]
		authority: u32,
		/// The controller's sr25519 secret URI (`//Dave`, a mnemonic, `0x` and a seed). It
		/// appears in the process list: for development keys; sign real keys externally.
		#[arg(long, value_name = "SURI")]
		controller_suri: Option<String>,
	},
	/// The KGC's side: prints the public key of the sr25519 enrolment key of a secret URI or
	/// seed, what `set_enrolment_key` takes for the authority.
	EnrolmentKey {
		/// The KGC's enrolment key: an sr25519 secret URI (`//Kgc`, a mnemonic, `0x` and a
		/// 32-byte seed). It appears in the process list: for development keys.
		#[arg(long, value_name = "SURI")]
		kgc_suri: String,
	},
	/// The KGC's side: co-signs a device ID it issued an SM9 credential for and the
	/// enrolment's expiry, and prints the 64-byte co-signature (`enrolment`) and the expiry
	/// (`expiresAt`) the IBE credential carries.
	Enrol {
		/// The KGC's enrolment key: an sr25519 secret URI (`//Kgc`, a mnemonic, `0x` and a
		/// 32-byte seed). It appears in the process list: for development keys.
		#[arg(long, value_name = "SURI")]
		kgc_suri: String,
		/// The chain's genesis hash (32 bytes hex; `DeviceIdentityApi::challenge().genesisHash`).
		#[arg(long)]
		genesis: String,
		/// The index of the KGC's authority on the chain.
		#[arg(long)]
		authority: u32,
		/// The device ID (32 bytes hex; `endochain-device show` prints it).
		#[arg(long)]
		id: String,
		/// The last block at which the enrolment is valid: after it the device can neither
		/// register nor authenticate (and once revoked its record can be removed).
		#[arg(long, value_name = "BLOCK")]
		expires_at: u32,
	},
	/// Prints the domain-separation tags of the chain's device-identity messages (registration
	/// purpose, authentication purpose, certificate, challenge, controller consent, KGC
	/// enrolment) as JSON, in
	/// hex: the bytes a caller needs to build a registration purpose, a certificate message or
	/// a consent message.
	Tags,
}

/// The operating system's RNG, or a ChaCha20 stream from `--rng-seed`.
fn rng(seed: Option<&str>) -> Result<ChaCha20Rng, Error> {
	match seed {
		Some(seed) => Ok(ChaCha20Rng::from_seed(parse_hex_array::<32>("--rng-seed", seed)?)),
		None => ChaCha20Rng::from_rng(OsRng).map_err(|e| Error::Rng(e.to_string())),
	}
}

fn run(cli: Cli) -> Result<String, Error> {
	match cli.command {
		Command::Enroll { seed, ber, reads, out, force, rng_seed } => {
			let seed = parse_hex_array::<32>("--seed", &seed)?;
			let mut rng = rng(rng_seed.as_deref())?;
			let device =
				Device::enroll(seed, PufConfig::with_bit_error_rate(ber), reads, &mut rng)?;
			if ber > 0.15 {
				eprintln!(
					"endochain-device: warning: at a bit-error rate of {ber} key reconstruction \
					 fails noticeably often (the fuzzy extractor is dimensioned for 0.15)"
				);
			}
			device.save(&out, force)?;
			Ok(device.identity().to_json())
		}
		Command::Show { device } => Ok(Device::load(&device)?.identity().to_json()),
		Command::Prove { device, genesis, challenge, purpose, ber, rng_seed } => {
			let genesis = parse_hex_array::<32>("--genesis", &genesis)?;
			let challenge = parse_hex_array::<32>("--challenge", &challenge)?;
			let purpose = parse_purpose(&purpose)?;
			let device = Device::load(&device)?;
			let mut rng = rng(rng_seed.as_deref())?;
			Ok(device.prove(&genesis, &challenge, &purpose, ber, &mut rng)?.to_json())
		}
		Command::Consent { device, genesis, authority, controller_suri } => {
			let genesis = parse_hex_array::<32>("--genesis", &genesis)?;
			let identity = Device::load(&device)?.identity();
			let consent = Consent::new(&genesis, &identity, authority, controller_suri.as_deref())?;
			Ok(consent.to_json())
		}
		Command::EnrolmentKey { kgc_suri } => {
			Ok(enrolment_key_json(&enrolment_pair("--kgc-suri", &kgc_suri)?))
		}
		Command::Enrol { kgc_suri, genesis, authority, id, expires_at } => {
			let genesis = parse_hex_array::<32>("--genesis", &genesis)?;
			let id = parse_hex_array::<32>("--id", &id)?;
			let pair = enrolment_pair("--kgc-suri", &kgc_suri)?;
			Ok(Enrolment::new(&pair, &genesis, authority, &id, expires_at).to_json())
		}
		Command::Tags => Ok(tags_json()),
	}
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	match run(cli) {
		Ok(json) => {
			println!("{json}");
			ExitCode::SUCCESS
		}
		Err(error) => {
			eprintln!("endochain-device: error: {error}");
			ExitCode::from(error.exit_code())
		}
	}
}
