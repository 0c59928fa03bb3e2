//! # Undisclosed-vulnerability sharing
//!
//! UIV-TSP (paper 002, sections 3.1-3.5, Algorithm 3) as a pallet: a vendor (or a researcher
//! reporting to it) opens a case about its IIoT products under coordinated disclosure; security
//! workers (SWs) ask for access to develop mitigations; the chain decides each request by the
//! SW's trust (rules R1-R3), a trusted authority (TA) delivers a package sealed to a granted SW
//! and commits on chain to its dynamic tokens; every step is a log entry, hash-chained per case
//! and Merkle-rooted per block, so that any party can later prove what happened; a leaked
//! package's tracing token names the SW it was delivered to, and a semi-honest SW may be sent a
//! trap (the leak guard, `leak.rs`); at disclosure
//! the case becomes public and exportable (OSV, CSAF 2.0: `endo_uiv::export`).
//!
//! The rules, hashes and formats are `endo-uiv`'s (state machines after CERT/CC's Vultron
//! protocol, CVSS 3.1 and SSVC, tokens, log leaves and proofs, the SW trust features); this
//! pallet holds them in storage and applies them in calls. `docs/UIV-SHARING.md` maps the
//! paper's sections and symbols to the code.
//!
//! ## Interface
//!
//! | call | origin | what |
//! |---|---|---|
//! | [`register_vendor`](Pallet::register_vendor) (0) | signed | become a vendor; holds [`Config::VendorDeposit`] |
//! | [`register_product`](Pallet::register_product) (1) | a vendor | register a product (a package URL); holds [`Config::ProductDeposit`] |
//! | [`register_worker`](Pallet::register_worker) (2) | signed | become an SW; holds [`Config::WorkerDeposit`]; enrolled in the trust ledger; an SW that left starts from the leaks found since ([`DepartedRecords`]), refused once barred |
//! | [`deregister_product`](Pallet::deregister_product) (23) | the product's vendor | withdraw a product no case in progress names; [`Config::ProductDeposit`] returned |
//! | [`deregister_vendor`](Pallet::deregister_vendor) (24) | a vendor without products | leave; [`Config::VendorDeposit`] returned |
//! | [`deregister_worker`](Pallet::deregister_worker) (25) | an SW | leave, [`Config::WorkerDeposit`] returned: not with a live access to a case in progress, never once barred, not while a fresh start would improve its record |
//! | [`open_case`](Pallet::open_case) (3) | the product's vendor, or [`Config::ReporterOrigin`] | open a case: products and versions, severity, the encrypted report's hash, its TA; holds [`Config::CaseDeposit`]; proposes the policy's embargo |
//! | [`assess_case`](Pallet::assess_case) (4) | the case's TA | the report is valid, or invalid (the deposit is burnt) |
//! | [`accept_case`](Pallet::accept_case) (5) | the case's vendor | accept the report and the embargo |
//! | [`consent_embargo`](Pallet::consent_embargo) (6) | a participant other than an SW (an SW consents by asking) | accept or decline the embargo; logged |
//! | [`revise_embargo`](Pallet::revise_embargo) (7) | the case's TA | move the deadline (not past the cap) |
//! | [`set_product_status`](Pallet::set_product_status) (8) | the product's vendor | affected, not affected, under investigation, fixed (a fix extends the embargo once; fixed needs every affected range to name its fixed version) |
//! | [`set_product_ranges`](Pallet::set_product_ranges) (22) | the product's vendor | set the product's affected version ranges (e.g. name the fixed version); logged |
//! | [`note_exploited`](Pallet::note_exploited) (9) | the case's TA or vendor | exploited in the wild: the deadline is at most 7 days away |
//! | [`exit_embargo`](Pallet::exit_embargo) (10) | signed (anyone); the case's TA or a vendor before the deadline | end an embargo whose deadline passed, or, before it, one whose case a real package leaked from ([`LeakedCases`]) |
//! | [`invite_worker`](Pallet::invite_worker) (20) | a vendor of the case | select an SW that may ask (UIV-TSP sec. 5); at most [`Config::MaxRequestersPerCase`] |
//! | [`request_access`](Pallet::request_access) (11) | an invited SW | ask for an accepted case; R1-R3 grant, refuse or defer |
//! | [`deliver_package`](Pallet::deliver_package) (12) | the case's TA | commit to a granted SW's access token and to the tracing token in its package |
//! | [`deliver_deferred`](Pallet::deliver_deferred) (27) | the case's TA | deliver to a deferred (R3) SW, real report or trap, with a hidden commitment to which (Algorithm 3) |
//! | [`reveal_trap`](Pallet::reveal_trap) (28) | the case's TA | open that commitment (until the case closes; may use the log's end reserve); a leak already reported then bars a trap's SW, or marks the case leaked for a real report |
//! | [`report_leak`](Pallet::report_leak) (29) | signed (anyone) | show a leaked package's tracing token (a self-check's feedback, or a leaked copy's watermark): only a package's first sighting counts against its SW and is free; after the disclosure only a (possible) trap's |
//! | [`end_access`](Pallet::end_access) (13) | the case's TA | end the access; commit to the renewed token |
//! | [`accept_contribution`](Pallet::accept_contribution) (14) | a vendor of the case | the SW's patch or mitigation was accepted |
//! | [`disclose`](Pallet::disclose) (15) | the case's TA | publish the report (after the deadline, or once every product is fixed) |
//! | [`close_case`](Pallet::close_case) (16) | the case's TA or vendor | close a disclosed or invalid case; the deposit is returned unless invalid |
//! | [`purge_case`](Pallet::purge_case) (26) | signed (anyone) | remove a case closed [`Config::CaseRetention`] blocks ago, at most [`Config::MaxPurgePerCall`] entries per call, the record last; free for a full or the last batch |
//! | [`add_authority`](Pallet::add_authority), [`remove_authority`](Pallet::remove_authority) (17, 18) | [`Config::AdminOrigin`] | manage the TAs |
//! | [`reassign_case`](Pallet::reassign_case) (21) | [`Config::AdminOrigin`] | move a case to another TA (one that stopped acting, or was removed) |
//! | [`set_trust_model`](Pallet::set_trust_model) (19) | [`Config::AdminOrigin`] | set the FNN (an `endo_trust::TrustModel` blob); versioned |
//!
//! ## Trust
//!
//! At a request the runtime brings the SW's profile to the current cycle
//! ([`Config::CycleLength`] blocks), computes the 11 features of `endo-ml`'s table from its
//! profile and the case's collaborators, evaluates the FNN ([`TrustModelBlob`]), smooths it,
//! combines it with the penalised beta reputation and applies R1-R3 ([`Config::AccessConfig`]):
//! `T >= high` granted, `T <= low` refused, between deferred (the leak guard's trap decides
//! it); with conspirators known, the conspirator verdict bars the SW for good. The trust, the
//! evidence it came from and the model version are in the log entry. Ended accesses and
//! accepted contributions are good behaviour evidence in the trust ledger
//! ([`Config::Evidence`], Proof of Trust), a leak traced to the SW bad evidence, a verdict a
//! conspiracy.
//!
//! ## The leak guard
//!
//! Every delivered package is indexed by the commitment to its tracing token ([`Traces`]).
//! Whoever finds the token where it does not belong (the package's self-check on an unlicensed
//! host reports home; a leaked plaintext carries it in its watermark) calls
//! [`report_leak`](Pallet::report_leak): the chain finds the SW and logs the sighting
//! ([`LeakSightings`], one per host and one copy per package, at most
//! [`Config::MaxLeaksPerTrace`]). Only a package's first sighting counts against its SW: an
//! alarm and a conspirator in its profile and `LeakReported` evidence in the trust ledger, and
//! only it is free. Once reported the token is public, so later sightings (the leak's path)
//! change no profile and pay their fee, like a false token ([`Error::UntracedToken`]) or a
//! repeated sighting: nobody can collapse an SW's trust with made-up hosts. A leak of the real
//! report marks the case leaked ([`LeakedCases`]); it does not end the embargo itself (the SW
//! knows its own token): the case's TA or a vendor may then end it before the deadline
//! ([`exit_embargo`](Pallet::exit_embargo), `ExitReason::Leaked`: the public may be aware).
//! A deferred (R3) SW may get a package through
//! [`deliver_deferred`](Pallet::deliver_deferred), real or a trap, with the TA's salted
//! commitment to which (`endo_uiv::token::trap_commitment`); the chain and the SW cannot tell
//! them apart. The TA reveals it ([`reveal_trap`](Pallet::reveal_trap)), in its node right
//! after a leak is reported: a leaked trap is the conspirator verdict (trust 0, barred for
//! good, a conspiracy in the ledger) and never marks the case, its content being false; a
//! leaked real report marks it. A trap's leak still proves a conspirator after the disclosure,
//! so leaks of a package that is or may be a trap are taken until the case closes (the real
//! report's are refused once it is public), and a reveal may use the log's end reserve. An SW
//! that left before its leak was found does not escape it: the alarms and the verdict go to
//! its [`DepartedRecords`] entry, which [`register_worker`](Pallet::register_worker) reads.
//!
//! Known limits: a closed case takes no more leak reports or reveals ([`Error::CaseClosed`]):
//! a trap that leaks after its case closed goes unpunished. A reveal may use the log's end
//! reserve, so a TA revealing many deferred deliveries of a nearly full log could use the
//! entries its own disclosure and closing need: only the case's TA, which coordinates it, can.

//! ## Logs
//!
//! Each log entry ([`endo_uiv::LogEntry`]) links to its case's previous entry (from a genesis
//! per case), so a case's history exports and verifies offline; and it is a leaf of its
//! block's Merkle tree, whose root is in [`LogRoots`] and in the header digest
//! ([`logs::LOG_DIGEST_PREFIX`]). [`Pallet::log_proof`] builds an entry's inclusion proof
//! (the runtime API serves it).
//!
//! ## Leaving and retention
//!
//! Vendors, products and SWs leave with their deposits (`deregister.rs`): a product once no
//! case in progress names it ([`ProductCases`]), a vendor once it has no products, an SW once
//! it holds no live access to a case in progress ([`LiveAccesses`]) and leaving would not
//! whitewash its record (a barred SW never leaves). A closed case's deposit is returned, so
//! its storage does not stay for free (`retention.rs`): [`Config::CaseRetention`] blocks after
//! the closing ([`ClosedAt`]) anyone may purge it (its traces, leak sightings and leak mark
//! too), and
//! the `on_idle` hook prunes each block's [`BlockLog`] and [`LogRoots`] as old
//! ([`LogPruneCursor`]); the roots stay in the headers.
//! From then on the runtime API serves neither the entries nor their proofs: participants
//! export them before (`endochain-uiv export-proof`).
//!
//! ## Bounds and costs
//!
//! Vendors, products, SWs and cases hold deposits; a case has at most
//! [`Config::MaxParticipants`] participants, [`Config::MaxRequestersPerCase`] invited SWs
//! (only they can ask), [`Config::MaxLeaksPerTrace`] leak sightings per delivered package
//! and [`Config::MaxLogEntriesPerCase`] log entries (paid by its deposit; the calls that do
//! not end the case, a trap's reveal aside, leave the last three free); an SW makes at most
//! [`Config::MaxRequestsPerCycle`] requests per cycle, and one per case and cycle unless
//! granted; an account that left keeps at most one [`DepartedRecords`] entry, and only if it
//! had a package delivered (by a TA, to a registered SW); a block holds at most
//! [`Config::MaxLogEntriesPerBlock`] entries; closed cases and block logs are removed after
//! [`Config::CaseRetention`] blocks. Case IDs are sequential (`Twox64Concat`); accounts and
//! product IDs are chosen by users (`Blake2_128Concat`).
//!
//! ## Bad input
//!
//! Every call checks everything before its first write and returns its own error: unknown
//! cases, products or participants, the wrong role ([`Error::NotCaseAuthority`],
//! [`Error::NotProductVendor`], [`Error::NotWorker`]), a state machine move its state does not
//! allow ([`Error::WrongReportState`], [`Error::WrongEmbargoState`],
//! [`Error::InvalidTransition`]), a live embargo ([`Error::EmbargoLive`]), full logs
//! ([`Error::CaseLogFull`], [`Error::BlockLogFull`]), a false or repeated leak report
//! ([`Error::UntracedToken`], [`Error::LeakAlreadyReported`]), a leak of the real report
//! after its disclosure ([`Error::AlreadyDisclosed`]), an early exit from an embargo by a
//! caller who may not or without a leak ([`Error::DeadlineNotReached`]), a trap reveal that
//! does not open its commitment ([`Error::BadTrapReveal`]), an account barred after it left
//! registering again ([`Error::Barred`]), and every bound above.
//!
//! Log target: `runtime::uiv-sharing`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

extern crate alloc;

mod access;
mod cases;
mod deregister;
mod leak;
pub mod logs;
pub mod migrations;
mod pallet;
mod retention;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
pub mod types;
pub mod weights;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// The logic crate, re-exported for the runtime API and clients.
pub use endo_uiv;
pub use pallet::pallet::*;

/// The log target.
pub const LOG_TARGET: &str = "runtime::uiv-sharing";

/// The longest trust model blob ([`endo_trust::TrustModel::max_blob_len`]: 34 331 bytes).
pub const MAX_MODEL_BLOB: u32 = 34_331;

/// The balance type of the pallet's currency.
pub type BalanceOf<T> = <<T as Config>::Currency as frame_support::traits::fungible::Inspect<
	<T as frame_system::Config>::AccountId,
>>::Balance;
