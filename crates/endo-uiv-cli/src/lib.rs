//! # endo-uiv-cli
//!
//! `endochain-uiv`, the command-line client of undisclosed-vulnerability sharing
//! (`pallet-uiv-sharing`, UIV-TSP paper 002; `docs/UIV-SHARING.md`): vendors, researchers,
//! security workers (SWs) and the trusted authority (TA) drive a case from the command line,
//! and anyone reads a case, its continuous log, and checks a log entry against a finalized
//! block header without trusting the node that served the proof.
//!
//! ## Commands
//!
//! Global options: `--url ws://127.0.0.1:9944` (the node), `--suri //Alice` (the sr25519
//! secret URI of signing commands), `--finalized` (wait for finality, not only inclusion),
//! `--ta-url` (the case TA's node, by default `--url`), `--host-fingerprint FILE` (see
//! [`delivery`]).
//!
//! | command | who | what |
//! |---|---|---|
//! | `register-vendor --name N` | anyone | `register_vendor` |
//! | `register-product --purl pkg:generic/acme/plc --name N` | a vendor | `register_product` |
//! | `register-worker` | anyone | `register_worker` (an SW) |
//! | `open-case --ta SS58 --product VENDOR_SS58:PURL:RANGES... (--cvss V \| --ssvc E,A,I,M) --report FILE` | a vendor, or a reporter of `Moderate` trust | seals `FILE` to the TA's report key into `FILE.sealed` ([`seal`]), `open_case` with its SHA-256, then hands the sealed report to the TA's node; prints the case ID |
//! | `submit-report --case ID --sealed FILE.sealed` | the reporter | hands the sealed report to the case TA's node (`uiv_submitReport`; `open-case` does it already) |
//! | `decrypt-report FILE.sealed (--case ID \| --context H) [--out F]` | the TA | opens a sealed report with the TA's sr25519 secret, in the context of its case (chain, TA, opener; `open-case` prints it) |
//! | `fetch-package --case ID --out F [--wait-secs S]` | a granted SW | signs a fetch request for this host, gets the package from the TA's node (`uiv_fetchPackage`), checks it opens for this SW, case, chain and host, and waits until the chain records its tracing commitment ([`delivery`]) |
//! | `open F [--out R]` (alias `open-package`) | that SW | codepreleak ([`guard`]): on the licensed host, within its valid time, opens the report once the chain records the delivery; past the valid time, destroys the package; on another host, destroys it and reports the leak on chain (`report_leak`, `Feedback`), exit 3 |
//! | `trace F [--report]` | anyone | extracts the tracing marks of a leaked plaintext and names the SW and delivery each opens ([`leak`]); `--report` reports them (`report_leak`, `Copy`) |
//! | `report-leak --case ID --token H [--host H --at MS]` | anyone | `report_leak` by hand (`Feedback` with `--host`, else `Copy`) |
//! | `resolve-deferred --case ID --worker SS58 [--trap --decoy F] [--valid-minutes M]` | the TA's operator | decides on a deferred SW on the TA's node (`uiv_resolveDeferred`, unsafe): the real report, or `F` as a trap |
//! | `end-session --case ID` | that SW | asks the TA's node to end its access (`uiv_endAccess`): the token is renewed |
//! | `host-id [--show]` | anyone | this host's public identifier (and fingerprint) |
//! | `assess --case ID --valid true\|false` | the case's TA | `assess_case` |
//! | `accept --case ID` | the case's vendor | `accept_case` |
//! | `set-product-status --case ID --index I --status S` | the product's vendor | `set_product_status` (`affected`, `fixed`, `not-affected`, `under-investigation`) |
//! | `set-product-ranges --case ID --index I --ranges R` | the product's vendor | `set_product_ranges` (`1.0.0-1.4.2,2.0.0-2.1.0`; a product is fixed only once every range names its fix) |
//! | `invite --case ID --worker SS58` | a vendor of the case | `invite_worker` |
//! | `request --case ID` | an invited SW | `request_access`; prints the decision (R1-R3) and trust |
//! | `deliver --case ID --worker SS58 --token-commitment H --tracing-commitment H` | the case's TA | `deliver_package` |
//! | `disclose --case ID --report-hash H --uri U` | the case's TA | `disclose` |
//! | `consent-embargo --case ID --accept true\|false` | a participant | `consent_embargo` |
//! | `note-exploited --case ID` | the case's TA or vendor | `note_exploited` |
//! | `exit-embargo --case ID` | anyone after the deadline; the case's TA or a vendor before it once a leak of the real report is on record | `exit_embargo` |
//! | `end-access --case ID --worker SS58 --token-commitment H` | the case's TA | `end_access` |
//! | `accept-contribution --case ID --worker SS58` | a vendor of the case | `accept_contribution` |
//! | `close --case ID` | the case's TA or vendor | `close_case` |
//! | `case --case ID` | anyone | the case as JSON (`UivSharingApi_case`) |
//! | `log --case ID [--from N] [--max M] [--json]` | anyone | the case's log as a table or JSON |
//! | `export-proof --case ID --seq N [--out F]` | anyone | an entry's inclusion proof as JSON ([`proof`]) |
//! | `verify-log (--case ID --seq N \| --proof-file F) [--root H]` | anyone | checks the entry against its block's log root, read from the finalized header (or given) |
//! | `verify-chain --case ID` | anyone | recomputes the case's hash chain from its genesis and compares it with the stored head |
//! | `export --case ID --format osv\|csaf` | anyone | the disclosed case as an OSV or CSAF 2.0 advisory |
//!
//! Signing commands print the block hash, the extrinsic hash and the extrinsic's events as
//! JSON; a failed dispatch is one line `Pallet.Error: its doc line`.
//!
//! ## Reading the chain
//!
//! Cases, logs and proofs come from the runtime API `UivSharingApi` through `state_call`,
//! storage (`Authorities`, `Vendors`, `Products`) through `state_getStorage`; both are decoded
//! with the pallet's types, so a change of the pallet's types breaks this crate's build or
//! fails with a decoding error, never with a wrong value. The pallet's events are generic over
//! the runtime, so the two whose fields the tool reads (`CaseOpened`, `AccessDecided`) are
//! decoded into mirrors made of the pallet's field types ([`events`]). See [`chain`] for the
//! node connection and the signing configuration.
//!
//! ## Checking a log entry
//!
//! `verify-log` takes the entry and its proof from any node (or from a file someone handed
//! over), refuses an entry whose block is not finalized yet, reads that block's header, takes
//! the root from its `uivl` digest item and checks the proof with `endo_uiv::log::verify`.
//! It prints `ok` (exit 0) or `FAILED: <why>` (exit 2). With `--root`, the root is given and
//! no node is asked: for offline checks.
//!
//! ## Errors
//!
//! Every failure is an [`Error`], printed as one line on stderr with exit status 1; usage
//! errors too. Nothing here panics on user input or on what a node sends.

#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]
#![forbid(unsafe_code)]

pub mod args;
pub mod chain;
pub mod delivery;
mod error;
pub mod events;
pub mod guard;
pub mod leak;
pub mod proof;
pub mod render;
pub mod seal;

pub use error::Error;
