//! `endochain-device`: a simulated SRAM-PUF device for Endochain's device identity.
//!
//! ```text
//! endochain-device enroll --seed <64 hex> [--ber 0.10] [--reads 1] --out device.json [--force]
//!                         [--kgc kgc.json --authority <index> | --ca ca.json]
//!                         [--genesis 0x<32 B> --expires-at <BLOCK>]
//! endochain-device show   --device device.json
//! endochain-device prove  --device device.json --genesis 0x<32 B> --challenge 0x<32 B>
//!                         --purpose <0x<bytes> | authenticate> [--ber <rate>]
//! endochain-device consent --device device.json --genesis 0x<32 B> --authority <index>
//!                         [--controller-suri <SURI>]
//! endochain-device enrolment-key --kgc-suri <SURI>
//! endochain-device enrol  --kgc-suri <SURI> --genesis 0x<32 B> --authority <index> --id 0x<32 B>
//!                         --expires-at <BLOCK>
//! endochain-device kgc new   --out kgc.json [--force]
//! endochain-device kgc show  --kgc kgc.json
//! endochain-device kgc issue --kgc kgc.json --genesis 0x<32 B> --authority <index>
//!                            --device <device.json | 0x<32 B ID>> --expires-at <BLOCK>
//! endochain-device ca new    --out ca.json [--scheme sr25519|ed25519|ecdsa] [--force]
//! endochain-device ca show   --ca ca.json
//! endochain-device ca issue  --ca ca.json --genesis 0x<32 B> --device <device.json | 0x<32 B ID>>
//!                            --expires-at <BLOCK>
//! endochain-device tags
//! ```
//!
//! `--genesis` is also spelled `--genesis-hash`; `enroll`, `kgc new`, `kgc issue` and `ca new`
//! take `--rng-seed <32 B>` for reproducible output (sr25519 signatures stay randomised).
//!
//! Results are JSON on stdout; errors are one line on stderr and a non-zero exit status (2: bad
//! arguments, 3: PUF key reconstruction failed, 1: anything else). See the `endo_device` crate
//! docs and `docs/ENDOGENOUS-IDENTITY.md` §9.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

use std::{
	io::{self, Write},
	path::PathBuf,
	process::ExitCode,
};

use clap::{ArgGroup, Parser, Subcommand, ValueEnum};
use endo_crypto::puf::PufConfig;
use endo_device::{
	enrolment_key_json, enrolment_pair, hexarg::parse_hex_array, parse_account, parse_device_arg,
	parse_purpose, proxy_key_json, tags_json, Ca, CaScheme, Consent, Device, Enrolment, Error, Kgc,
	DEFAULT_BIT_ERROR_RATE,
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
	///
	/// With `--kgc` (IBE domain) or `--ca` (PKI domain), the authority then issues the device's
	/// credential, as `kgc issue` or `ca issue` would, which is stored in the device file and
	/// printed under `credential`.
	#[command(group(ArgGroup::new("issuer").args(["kgc", "ca"])))]
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
		/// Derive the read noise and the enrolment randomness (and the SM9 signature's nonce)
		/// from this 32-byte hex seed instead of the operating system's RNG: for reproducible
		/// examples and tests only.
		#[arg(long, value_name = "HEX")]
		rng_seed: Option<String>,
		/// IBE domain: the KGC file (`kgc new`) whose KGC issues the device's credential
		/// (needs `--authority`, `--genesis` and `--expires-at`).
		#[arg(long, value_name = "FILE", requires_all = ["authority", "genesis", "expires_at"])]
		kgc: Option<PathBuf>,
		/// PKI domain: the CA file (`ca new`) whose CA certifies the device (needs `--genesis`
		/// and `--expires-at`).
		#[arg(long, value_name = "FILE", requires_all = ["genesis", "expires_at"])]
		ca: Option<PathBuf>,
		/// With `--kgc`: the index of the KGC's authority on the chain.
		#[arg(long, requires = "kgc", conflicts_with = "ca")]
		authority: Option<u32>,
		/// With `--kgc` or `--ca`: the chain's genesis hash (32 bytes hex).
		#[arg(long, visible_alias = "genesis-hash", requires = "issuer")]
		genesis: Option<String>,
		/// With `--kgc` or `--ca`: the last block at which the credential is valid.
		#[arg(long, value_name = "BLOCK", requires = "issuer")]
		expires_at: Option<u32>,
	},
	/// Prints the device's ID and public key, and its credential if it has one, as JSON.
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
		#[arg(long, visible_alias = "genesis-hash")]
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
		#[arg(long, visible_alias = "genesis-hash")]
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
	/// A proxy node's side: prints the public key of the sr25519 proxy key of a secret URI (the
	/// key to insert in the node's keystore under `edpx`) and its proof that it belongs to the
	/// proxy account: `{ "key", "proof" }`, the arguments of `set_proxy_key`.
	ProxyKey {
		/// The proxy key: an sr25519 secret URI (`//Node1`, a mnemonic, `0x` and a 32-byte
		/// seed). It appears in the process list: for development keys.
		#[arg(long, value_name = "SURI")]
		key_suri: String,
		/// The chain's genesis hash (32 bytes hex).
		#[arg(long, alias = "genesis-hash", value_name = "HEX")]
		genesis: String,
		/// The proxy account: SS58, or 0x and 32 bytes of hex.
		#[arg(long, value_name = "ACCOUNT")]
		account: String,
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
		#[arg(long, visible_alias = "genesis-hash")]
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
	/// The key generation centre (KGC) of an IBE domain: its SM9 master key and sr25519
	/// enrolment key, and the SM9 credentials it issues.
	Kgc {
		#[command(subcommand)]
		command: KgcCommand,
	},
	/// The certificate authority (CA) of a PKI domain: its signing key and the certificates it
	/// issues.
	Ca {
		#[command(subcommand)]
		command: CaCommand,
	},
	/// Prints the domain-separation tags of the chain's device-identity messages (registration
	/// purpose, authentication purpose, certificate, challenge, controller consent, KGC
	/// enrolment, a device's cross-domain request purpose, a proxy worker's vote) as JSON, in
	/// hex: the bytes a caller needs to build a registration or cross-domain purpose, a
	/// certificate message or a consent message.
	Tags,
}

#[derive(Subcommand)]
enum KgcCommand {
	/// Generates an SM9 master key and an sr25519 enrolment key, writes them to a KGC file
	/// (secrets in hex, owner-only) and prints the public keys: the arguments of
	/// `register_authority` (`authorityKey`) and `set_enrolment_key` (`enrolmentKey`).
	New {
		/// Where to write the KGC file.
		#[arg(long, value_name = "FILE")]
		out: PathBuf,
		/// Overwrite an existing KGC file (its keys are lost).
		#[arg(long)]
		force: bool,
		/// Derive the keys from this 32-byte hex seed instead of the operating system's RNG:
		/// for reproducible examples and tests only.
		#[arg(long, value_name = "HEX")]
		rng_seed: Option<String>,
	},
	/// Prints a KGC file's public keys, as `kgc new` does.
	Show {
		/// The KGC file.
		#[arg(long, value_name = "FILE")]
		kgc: PathBuf,
	},
	/// Issues a device's IBE credential: extracts the SM9 signing key of the identity hex(ID),
	/// signs the ID bytes with it (GM/T 0044), co-signs the ID and the expiry with the
	/// enrolment key, checks both, and prints `{ "credential": { "Ibe": { "signature",
	/// "expiresAt", "enrolment" } } }` as `register_device` takes it.
	Issue {
		/// The KGC file.
		#[arg(long, value_name = "FILE")]
		kgc: PathBuf,
		/// The chain's genesis hash (32 bytes hex; `DeviceIdentityApi::challenge().genesisHash`).
		#[arg(long, visible_alias = "genesis-hash")]
		genesis: String,
		/// The index of the KGC's authority on the chain.
		#[arg(long)]
		authority: u32,
		/// The device: its device file, or its ID (`0x` and 64 hex characters, as `show`
		/// prints it).
		#[arg(long, value_name = "FILE | ID")]
		device: String,
		/// The last block at which the enrolment is valid: after it the device can neither
		/// register nor authenticate.
		#[arg(long, value_name = "BLOCK")]
		expires_at: u32,
		/// Derive the SM9 signature's nonce from this 32-byte hex seed instead of the operating
		/// system's RNG: for reproducible examples and tests only (the sr25519 co-signature
		/// stays randomised).
		#[arg(long, value_name = "HEX")]
		rng_seed: Option<String>,
	},
}

#[derive(Subcommand)]
enum CaCommand {
	/// Generates a CA signing key, writes it to a CA file (secret in hex, owner-only) and
	/// prints its public key: the argument of `register_authority` (`authorityKey`).
	New {
		/// Where to write the CA file.
		#[arg(long, value_name = "FILE")]
		out: PathBuf,
		/// The signature scheme of the key.
		#[arg(long, value_enum, default_value_t = Scheme::Sr25519)]
		scheme: Scheme,
		/// Overwrite an existing CA file (its key is lost).
		#[arg(long)]
		force: bool,
		/// Derive the key from this 32-byte hex seed instead of the operating system's RNG: for
		/// reproducible examples and tests only.
		#[arg(long, value_name = "HEX")]
		rng_seed: Option<String>,
	},
	/// Prints a CA file's public key, as `ca new` does.
	Show {
		/// The CA file.
		#[arg(long, value_name = "FILE")]
		ca: PathBuf,
	},
	/// Issues a device's certificate: signs SCALE((certificate tag, genesis hash, ID, expiry))
	/// (ECDSA: its blake2_256), checks it, and prints `{ "credential": { "Pki": {
	/// "certificate": { "subject", "expiresAt", "signature": { "<Scheme>" } } } } }` as
	/// `register_device` takes it.
	Issue {
		/// The CA file.
		#[arg(long, value_name = "FILE")]
		ca: PathBuf,
		/// The chain's genesis hash (32 bytes hex; `DeviceIdentityApi::challenge().genesisHash`).
		#[arg(long, visible_alias = "genesis-hash")]
		genesis: String,
		/// The device: its device file, or its ID (`0x` and 64 hex characters, as `show`
		/// prints it).
		#[arg(long, value_name = "FILE | ID")]
		device: String,
		/// The last block at which the certificate is valid.
		#[arg(long, value_name = "BLOCK")]
		expires_at: u32,
	},
}

/// A CA key's signature scheme, as `--scheme` takes it.
#[derive(Clone, Copy, ValueEnum)]
enum Scheme {
	/// Sr25519 (Schnorrkel), what polkadot.js keyrings use.
	Sr25519,
	/// Ed25519.
	Ed25519,
	/// ECDSA over secp256k1 (signs the blake2_256 of the message, as Substrate does).
	Ecdsa,
}

impl From<Scheme> for CaScheme {
	fn from(scheme: Scheme) -> Self {
		match scheme {
			Scheme::Sr25519 => CaScheme::Sr25519,
			Scheme::Ed25519 => CaScheme::Ed25519,
			Scheme::Ecdsa => CaScheme::Ecdsa,
		}
	}
}

/// The authority that issues a device's credential at enrolment, with the credential's
/// parameters (checked before the device is enrolled, so that a bad argument writes nothing).
enum Issuer {
	Kgc { kgc: Box<Kgc>, authority: u32, genesis: [u8; 32], expires_at: u32 },
	Ca { ca: Box<Ca>, genesis: [u8; 32], expires_at: u32 },
}

impl Issuer {
	fn from_args(
		kgc: Option<PathBuf>,
		ca: Option<PathBuf>,
		authority: Option<u32>,
		genesis: Option<String>,
		expires_at: Option<u32>,
	) -> Result<Option<Self>, Error> {
		// clap enforces the combinations; a missing value here is still an error, not a panic.
		let missing = |what: &str| Error::InvalidArgument {
			what: what.into(),
			reason: "required with --kgc or --ca".into(),
		};
		if kgc.is_none() && ca.is_none() {
			return Ok(None);
		}
		let genesis =
			parse_hex_array::<32>("--genesis", &genesis.ok_or_else(|| missing("--genesis"))?)?;
		let expires_at = expires_at.ok_or_else(|| missing("--expires-at"))?;
		Ok(Some(match (kgc, ca) {
			(Some(kgc), _) => Issuer::Kgc {
				kgc: Box::new(Kgc::load(&kgc)?),
				authority: authority.ok_or_else(|| missing("--authority"))?,
				genesis,
				expires_at,
			},
			(None, Some(ca)) => Issuer::Ca { ca: Box::new(Ca::load(&ca)?), genesis, expires_at },
			(None, None) => return Ok(None),
		}))
	}

	fn issue(&self, device: &mut Device, rng: &mut ChaCha20Rng) -> Result<(), Error> {
		let id = device.identity().id;
		let credential = match self {
			Issuer::Kgc { kgc, authority, genesis, expires_at } => {
				kgc.issue(genesis, *authority, &id, *expires_at, rng)?
			}
			Issuer::Ca { ca, genesis, expires_at } => ca.issue(genesis, &id, *expires_at)?,
		};
		// The credential was just issued for this ID: storing it cannot fail.
		device.set_credential(credential).map_err(|_| Error::SelfCheck("the credential"))
	}
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
		Command::Enroll {
			seed,
			ber,
			reads,
			out,
			force,
			rng_seed,
			kgc,
			ca,
			authority,
			genesis,
			expires_at,
		} => {
			let seed = parse_hex_array::<32>("--seed", &seed)?;
			let issuer = Issuer::from_args(kgc, ca, authority, genesis, expires_at)?;
			let mut rng = rng(rng_seed.as_deref())?;
			let mut device =
				Device::enroll(seed, PufConfig::with_bit_error_rate(ber), reads, &mut rng)?;
			if ber > 0.15 {
				eprintln!(
					"endochain-device: warning: at a bit-error rate of {ber} key reconstruction \
					 fails noticeably often (the fuzzy extractor is dimensioned for 0.15)"
				);
			}
			if let Some(issuer) = issuer {
				issuer.issue(&mut device, &mut rng)?;
			}
			device.save(&out, force)?;
			Ok(device.show_json())
		}
		Command::Show { device } => Ok(Device::load(&device)?.show_json()),
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
		Command::ProxyKey { key_suri, genesis, account } => {
			let genesis = parse_hex_array::<32>("--genesis", &genesis)?;
			let account = parse_account("--account", &account)?;
			let pair = enrolment_pair("--key-suri", &key_suri)?;
			Ok(proxy_key_json(&pair, &genesis, &account))
		}
		Command::Kgc { command } => run_kgc(command),
		Command::Ca { command } => run_ca(command),
		Command::Tags => Ok(tags_json()),
	}
}

fn run_kgc(command: KgcCommand) -> Result<String, Error> {
	match command {
		KgcCommand::New { out, force, rng_seed } => {
			let kgc = Kgc::generate(&mut rng(rng_seed.as_deref())?)?;
			kgc.save(&out, force)?;
			Ok(kgc.public_json())
		}
		KgcCommand::Show { kgc } => Ok(Kgc::load(&kgc)?.public_json()),
		KgcCommand::Issue { kgc, genesis, authority, device, expires_at, rng_seed } => {
			let genesis = parse_hex_array::<32>("--genesis", &genesis)?;
			let id = parse_device_arg("--device", &device)?;
			let mut rng = rng(rng_seed.as_deref())?;
			let kgc = Kgc::load(&kgc)?;
			Ok(kgc.issue(&genesis, authority, &id, expires_at, &mut rng)?.to_json())
		}
	}
}

fn run_ca(command: CaCommand) -> Result<String, Error> {
	match command {
		CaCommand::New { out, scheme, force, rng_seed } => {
			let ca = Ca::generate(scheme.into(), &mut rng(rng_seed.as_deref())?);
			ca.save(&out, force)?;
			Ok(ca.public_json())
		}
		CaCommand::Show { ca } => Ok(Ca::load(&ca)?.public_json()),
		CaCommand::Issue { ca, genesis, device, expires_at } => {
			let genesis = parse_hex_array::<32>("--genesis", &genesis)?;
			let id = parse_device_arg("--device", &device)?;
			Ok(Ca::load(&ca)?.issue(&genesis, &id, expires_at)?.to_json())
		}
	}
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	match run(cli) {
		Ok(json) => {
			// Not `println!`, which panics when stdout is closed (`| head`): a closed pipe
			// ends the tool quietly, any other write error is reported.
			match writeln!(io::stdout().lock(), "{json}") {
				Ok(()) => ExitCode::SUCCESS,
				Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::FAILURE,
				Err(error) => {
					eprintln!("endochain-device: error: writing the result: {error}");
					ExitCode::FAILURE
				}
			}
		}
		Err(error) => {
			eprintln!("endochain-device: error: {error}");
			ExitCode::from(error.exit_code())
		}
	}
}
