//! # Proof-of-Trust pallet
//!
//! Proof of Trust (paper 000: Chen, Han, Zhang 2023, "Endogenous Security Formal Definition,
//! Innovation Mechanisms, and Experiment Research in Industrial Internet", §3): "PoT dynamically
//! forms the final trust level through the identity trust level and behavior trust level", and
//! a node's trust raises its chance to win the right to author blocks. This pallet keeps the
//! trust ledger, turns trust into BABE and GRANDPA authority weights, selects the validators of
//! every epoch, and lets other pallets gate access by trust. The maths is in `endo-trust`
//! (`docs/TRUST-MODEL.md`); the pallet is glue.
//!
//! The papers' sections and where each is implemented: `docs/PAPERS.md#a3-endogenous-security-innovation-mechanism`
//! (Proof of Trust) and `docs/PAPERS.md#b35-trust-based-sws-distinction` (the rules R1-R3 this
//! pallet's levels serve); the module map of the workspace is in `docs/ARCHITECTURE.md`, the
//! measured weights and authorship shares in `docs/PERFORMANCE.md`.
//!
//! | paper | here |
//! |---|---|
//! | §3: identity trust "obtained by continuous verification under zero-trust mechanism" | [`IdentityTrustSink`](endo_traits::IdentityTrustSink) evidence from `pallet-device-identity` (authenticated / missed / failed) into [`Ledger`] and [`DeviceLedger`] |
//! | §3: behaviour trust | blocks authored vs secondary slots left empty (measured here every block), BABE equivocations proven on chain ([`Pallet::report_equivocation`]), offences, failed verifications, leak reports, rejected models ([`BehaviourTrustSink`](endo_traits::BehaviourTrustSink), [`Pallet::report_behaviour`]) |
//! | §3: final trust level from both | `T = w I + (1 - w) B` with penalised beta reputation and decay (`endo_trust::TrustParams`), levels 0..=4 |
//! | §3: trust raises the chance to author | BABE weight `max(1, floor(T * 10^6))`: primary-slot probability `1 - (1 - c)^(w_i / sum w)` |
//! | §3 / Table 4: "PoT node, as a proxy node"; UIV-TSP R1-R3 | [`endo_traits::TrustProvider`] and the origin [`EnsureTrustLevel`] |
//! | UIV-TSP §3.5.2: conspirators' "trust value will be set to 0 ... barred from rejoining" | [`BehaviourEvidence::Conspiracy`](endo_traits::BehaviourEvidence::Conspiracy): sanctioned for good |
//!
//! ## Interface
//!
//! ### Dispatchable functions
//!
//! | call | origin | what |
//! |---|---|---|
//! | [`register_candidate`](Pallet::register_candidate) (0) | signed | register BABE and GRANDPA keys as a validator candidate; holds a bond of at least [`Config::CandidateBond`]; starts below the authority level; on a full list, a bigger bond displaces the least-bonded displaceable candidate |
//! | [`deregister_candidate`](Pallet::deregister_candidate) (1) | signed (a candidate) | stop being a candidate; leaves the set at the next selection; the bond stays held while it unbonds |
//! | [`report_finality_equivocation`](Pallet::report_finality_equivocation) (8) | signed (anyone; free if valid) | a GRANDPA equivocation (two prevotes or precommits of one round) by a member of the set in force, checked on chain, the owner found through [`CandidateOfGrandpa`]; burns [`Config::EquivocationSlash`] of its bond |
//! | [`report_equivocation_unsigned`](Pallet::report_equivocation_unsigned) (9), [`report_finality_equivocation_unsigned`](Pallet::report_finality_equivocation_unsigned) (10) | authorized (`#[pallet::authorize]`: the pool runs the same checks) | the node's own reports: its BABE import queue and GRANDPA voter submit the equivocations they see through the runtime API ([`Pallet::submit_babe_report`], [`Pallet::submit_finality_report`]) |
//! | [`withdraw_bond`](Pallet::withdraw_bond) (5) | signed (a former candidate) | release the bond once out of both sets and past [`Config::UnbondingEpochs`]; frees the keys |
//! | [`admit_candidate`](Pallet::admit_candidate) (6) | [`Config::AdminOrigin`] | admit a candidate ([`AdmissionMode::Permissioned`]) |
//! | [`remove_candidate`](Pallet::remove_candidate) (11) | [`Config::AdminOrigin`] | remove a candidate (squatters, distrusted validators); its bond unbonds |
//! | [`set_admission_mode`](Pallet::set_admission_mode) (7) | [`Config::AdminOrigin`] | permissioned or staked admission |
//! | [`report_behaviour`](Pallet::report_behaviour) (2) | [`Config::EvidenceOrigin`] for the evidence's [`EvidenceKind`] | behaviour evidence about a ledger subject |
//! | [`report_identity`](Pallet::report_identity) (3) | [`Config::EvidenceOrigin`] for [`EvidenceKind::Identity`] | identity evidence about a ledger subject |
//! | [`report_equivocation`](Pallet::report_equivocation) (4) | signed (anyone; free if valid) | a BABE equivocation proof against a current validator, checked on chain; burns [`Config::EquivocationSlash`] of its bond |
//!
//! ### Hooks and the epoch change
//!
//! * `on_finalize`: reads the block's BABE pre-digest, counts the author's primary or secondary
//!   block, and blames every empty slot since the previous block on that slot's secondary
//!   author (at most [`Config::MaxMissedSlotsPerBlock`] slots; a longer gap is a chain-wide
//!   stall and blames nobody). Its weight is charged in `on_initialize`.
//! * `on_initialize`: retries a deferred GRANDPA change ([`PendingFinalityChange`]), and after
//!   `pallet_grandpa::note_stalled` (root) schedules the forced change that restarts a stalled
//!   finality with the current set (pallet-grandpa leaves that to pallet-session, which this
//!   runtime does not use).
//! * [`Pallet::next_epoch_authorities`]: the epoch change, called by BABE's
//!   `EpochChangeTrigger`, [`epoch_change::TrustWeightedEpochChange`] (see *Runtime
//!   integration*). It (1) turns the ending epoch's authorship into behaviour evidence, (2)
//!   makes the announced set current and schedules it in GRANDPA, (3) selects and returns the
//!   set to announce for the epoch after next. It registers its own weight
//!   ([`WeightInfo::epoch_change`]) as mandatory block weight, because pallet-babe calls the
//!   trigger from its own `on_initialize`.
//! * `try_state` checks the storage invariants (with `try-runtime`, and after every unit test).
//!
//! ### Runtime API (`pallet-proof-of-trust-runtime-api`)
//!
//! `ProofOfTrustApi` (answered by `queries.rs`): `trust(account)` and `device_trust(device)` →
//! [`TrustReport`] (value, level, identity and behaviour trust); `current_authorities()`,
//! `next_authorities()` (the weighted set the next epoch change enacts) and
//! `projected_authorities()` (the set the next epoch change would announce if it happened now)
//! → [`AuthorityReport`]s.
//!
//! ### Other pallets
//!
//! Implements [`endo_traits::TrustProvider`] (levels, unknown accounts are `Untrusted`; and the
//! current validator set, from which `pallet-device-identity` takes the proxy nodes that keep
//! its proxy set from emptying itself, and the size its attestation threshold is a share of),
//! [`endo_traits::IdentityTrustSink`] (from `pallet-device-identity`) and
//! [`endo_traits::BehaviourTrustSink`] (leak reports, rejected models, failed verifications,
//! conspirator verdicts; unknown accounts are refused: enrol them first). Uses
//! [`endo_traits::DeviceIdentityInspect`] when [`Config::RequireAuthenticatedIdentity`] is set:
//! then only candidates whose own endogenous identity is authenticated are selected.
//!
//! ## Module map
//!
//! The `#[pallet]` module is in `pallet/mod.rs`; the rules it applies are `impl Pallet<T>` blocks
//! in one file per topic, and the unit tests in `tests/` carry the same topic names.
//!
//! | file | what |
//! |---|---|
//! | `lib.rs` | this documentation, the re-exports, [`BalanceOf`], [`ValidatorsOf`], [`LOG_TARGET`] |
//! | `pallet/mod.rs` | the pallet module: [`Config`], storage, [`Event`], [`Error`], [`GenesisConfig`], hooks and calls |
//! | `types.rs` | [`TrustRecord`] (lazy decay, trust, its report), [`CandidateInfo`], [`Validator`], [`AuthorshipStats`], [`EvidenceKind`], [`EvidenceWeights`], [`KeptReason`], the runtime API's [`TrustReport`] and [`AuthorityReport`], [`levels`] |
//! | `ledger.rs` | records decayed to the current [`LedgerEpoch`], trust values and levels, enrolment, behaviour and identity evidence, and the `endo-traits` impls `TrustProvider`, `IdentityTrustSink` and `BehaviourTrustSink` |
//! | `authorship.rs` | the BABE pre-digest, the author's block and the missed slots (`on_finalize`) |
//! | `selection.rs` | liveness, eligibility (level, own identity, admission), stake factors, standings, the trust-ranked selection of the set to announce, and membership |
//! | `bonding.rs` | the unbonding period, the slash of a proven equivocation |
//! | `pruning.rs` | `on_idle`: decayed ledger records of departed subjects are removed |
//! | `migrations.rs` | storage migrations (version 1: candidates' founding, admission and membership) |
//! | `equivocation.rs` | BABE and GRANDPA equivocation reports: the checks, their effect, their validation in the pool, the node's own submission and the runtime API's key ownership |
//! | `epoch_change.rs` | BABE's trigger [`epoch_change::TrustWeightedEpochChange`] and [`epoch_change::sanitize_authorities`]; [`Pallet::next_epoch_authorities`] and the closing of the ended epoch's authorship |
//! | `finality.rs` | GRANDPA changes: scheduling, deferral, the retry in `on_initialize`, forced changes after a stall |
//! | `origin.rs` | [`EnsureTrustLevel`] |
//! | `queries.rs` | the runtime API's reports |
//! | `try_state.rs` | the storage invariants (`try-runtime`, and after every unit test) |
//! | `testing_utils.rs` | `Pallet::force_level` (tests and benchmarks) |
//! | `weights.rs`, `benchmarking.rs` | the generated weights and the benchmarks that produce them |
//! | `mock.rs`, `tests/` | the test runtime (with the same BABE trigger as the runtime) and the unit tests |
//!
//! ## The ledger
//!
//! Each subject (an account in [`Ledger`], a device without a controller account in
//! [`DeviceLedger`]) has identity evidence and behaviour evidence, good and bad, in millionths
//! of an event ([`EvidenceWeights`] says how much each kind counts). Trust is
//! `T = w I + (1 - w) B` with `I`, `B` the penalised beta expectations
//! `(s + 1) / (s + lambda f + 2)`; all evidence decays by `retention` per ledger epoch (one
//! BABE epoch), lazily: a record stores the epoch its counts refer to, and every read or
//! write ages it first, so no hook ever walks the ledger. A new subject starts at the prior
//! (`I = B = 1/2`, `T = 1/2`, level `Moderate` with the default thresholds; a validator
//! candidate starts below it, see *Sybil resistance*); an account that is not in the ledger is
//! `Untrusted`. Only this pallet writes the ledger: evidence comes in through the traits (wired
//! by the runtime) or through [`Config::EvidenceOrigin`].
//!
//! Accounts enter the ledger by registering as a candidate, by controlling a device that gets
//! identity evidence, or by
//! [`BehaviourTrustSink::enrol`](endo_traits::BehaviourTrustSink::enrol) from another pallet.
//! A record that holds nothing but the candidacy's own entry evidence is removed again when the
//! former candidate withdraws its bond, so registering and leaving leaves nothing behind.
//! Records with other evidence stay (trust history is not reset by leaving and coming back).
//!
//! ## Validator selection and weights
//!
//! At every epoch change the candidates are ranked by trust (ties by BABE key). Eligible are
//! candidates that are not sanctioned, have level ≥ [`Config::MinAuthorityLevel`], are
//! admitted ([`AdmissionMode::Permissioned`]: by [`Pallet::admit_candidate`]; founding
//! validators are admitted at genesis) and, with [`Config::RequireAuthenticatedIdentity`], control
//! a device of their own ([`endo_traits::DeviceIdentityInspect::device_of`]: bound with the
//! controller's consent) that is authenticated in the current window; founding validators are
//! the chain spec's and exempt from that rule. The top [`Config::MaxValidators`] are taken
//! (`endo_trust::consensus::select_authorities`), of which at most
//! [`Config::MaxNewcomersPerEpoch`] that are not in the announced set yet:
//!
//! * a candidate that authored a block within the liveness window is *proven live* (the window
//!   grows with the set: [`Pallet::liveness_window`], at least [`Config::LivenessWindow`]) and
//!   gets weight `max(1, floor(T * s * 10^6))`, with `s` its stake factor: 1 with permissioned
//!   admission, `min(bond / FullWeightBond, 1)` with [`AdmissionMode::Staked`];
//! * any other (a newcomer, a silent incumbent) is *on probation* with weight 1: BABE gives it
//!   secondary slots (assigned uniformly, so it can prove itself) but practically no primary
//!   slots, and GRANDPA counts it negligibly;
//! * proven-live members must hold more than 2/3 of the weight, else probationers are dropped
//!   from the bottom;
//! * members that joined the announced set in the last [`Config::RecentAdmissionEpochs`]
//!   epochs, and newcomers, together hold less than [`Config::MaxRecentWeightShare`] of the
//!   weight, however many they are: their weights are cut to a common ceiling, and the least
//!   trusted of them dropped if even weight 1 each is too much ([`Membership`] records when a
//!   candidate joined; founding validators are never recent);
//! * if fewer than [`Config::MinValidators`] remain, or none is proven live, the last good set
//!   is kept ([`Event::AuthoritySetKept`]).
//!
//! ### Sybil resistance
//!
//! A new candidate cannot buy weight with accounts. Registering records
//! [`EvidenceWeights::unproven_candidate`] of bad behaviour, so a fresh account starts at trust
//! 0.375 (`Doubtful`), below the authority level: the prior never qualifies on its own. It
//! qualifies by verified work: its own device's continuous authentications (about two epochs
//! with the defaults), then blocks authored on probation. Each such candidate needs a device
//! with its own PUF, registered under an authority the admin registered, and bound with its
//! consent; at most [`Config::MaxNewcomersPerEpoch`] enter per epoch; and all the validators
//! admitted in the last [`Config::RecentAdmissionEpochs`] epochs together stay under
//! [`Config::MaxRecentWeightShare`] of the BABE and GRANDPA weight (tested with 20 Sybils over
//! 20 epochs, `tests/sybil.rs`). Beyond that window, weight needs either the admin's admission
//! ([`AdmissionMode::Permissioned`]) or stake at risk ([`AdmissionMode::Staked`]: weight grows
//! with the bond up to [`Config::FullWeightBond`], and equivocations burn it).
//!
//! ### Bonds and slashing
//!
//! The bond is held while the account is a candidate and, after
//! [`Pallet::deregister_candidate`], in [`Unbonding`] until the account has left the current
//! and the announced set and [`Config::UnbondingEpochs`] more epochs have passed (a kept set
//! extends it); its keys stay reserved meanwhile. A proven BABE equivocation
//! ([`Pallet::report_equivocation`]) or GRANDPA equivocation
//! ([`Pallet::report_finality_equivocation`]) burns [`Config::EquivocationSlash`] of the bond,
//! whether the offender is still a candidate or unbonding ([`Event::BondSlashed`]).
//!
//! The candidate list cannot be squatted: when [`Config::MaxCandidates`] accounts are
//! candidates or unbonding, a registration with a bigger bond displaces the candidate with the
//! smallest bond among those that neither were founded nor admitted by `AdminOrigin`, hold no
//! place in the current or announced set, and have no report window open (never a member, or
//! left ([`Membership::Left`]) two epochs and [`Config::UnbondingEpochs`] ago); the displaced
//! candidate gets its bond back at once ([`Event::CandidateDisplaced`]). Staying on the list
//! costs a bond bigger than the next applicant is willing to hold.
//!
//! A validator whose trust falls below the minimum is not selected and leaves one epoch later
//! (BABE announces every set one epoch ahead). The same members and weights become the GRANDPA
//! set when BABE enacts them (`pallet_grandpa::Pallet::schedule_change` with
//! [`Config::FinalityChangeDelay`]).
//!
//! ### No input can empty the set or halt finality
//!
//! * The pallet never returns an empty set while it has one; selections are never empty.
//! * Weights are ≥ 1 (a weight of 0 panics the node's threshold computation).
//! * Keys are unique among candidates, so a set never holds a key twice.
//! * No registration, key choice or evidence can put nodes that never authored a block in
//!   control of GRANDPA: they enter on probation, and proven-live members always hold > 2/3
//!   of the weight of a new set, so the members that finalized so far can finalize the change
//!   and the next set can keep finalizing.
//! * An empty GRANDPA set is never scheduled. If pallet-grandpa refuses a change
//!   (`ChangePending`: another change, e.g. a forced one, is still in its delay; `TooSoon`: a
//!   forced change too soon after the last), the set is kept in [`PendingFinalityChange`],
//!   reported by [`Event::FinalityChangeDeferred`], retried every block until pallet-grandpa
//!   accepts it ([`Event::FinalityChangeScheduled`]), and replaced by the next epoch's set if
//!   that comes first.
//!
//! What no runtime rule can prevent: if validators holding a third of the GRANDPA weight stop
//! (a fault, not an input), finality stalls until they return or root calls
//! `pallet_grandpa::note_stalled(delay, median_finalized)`. The pallet then schedules a forced
//! change to the current set in the next block (pallet-grandpa leaves that to pallet-session,
//! which this runtime does not use), and the trust-selected set, without the silent
//! validators once their missed slots have pushed them out, at the following epoch changes.
//! Trust weighting makes the most trusted validators count more: with four validators whose
//! trust ranges over `[0.5, 1]`, the most trusted one alone can hold up to 40 % of the weight.
//!
//! ### Behaviour evidence from authorship
//!
//! BABE assigns every slot a secondary author, `blake2_256(SCALE(epoch randomness, slot)) mod n`
//! (`endo_trust::consensus::secondary_slot_index`), and every authority proposes in its
//! secondary slots (with `PrimaryAndSecondary*` slots). So a slot without a block names exactly
//! one validator that did not author: a *missed slot*. Each block authored counts
//! [`EvidenceWeights::authored_block`] of good evidence, each missed slot beyond the epoch's
//! allowance ([`Pallet::orphan_allowance`]) [`EvidenceWeights::missed_slot`] of bad evidence,
//! folded into the ledger at the epoch change. Expected primary slots are not used: with 40
//! slots per epoch and four validators an honest validator expects under 3 primary blocks and
//! has no primary block at all in about 6 % of epochs, whereas missed secondary slots are
//! certain. Slots before the current epoch's first slot (at an epoch boundary) are not
//! attributed.
//!
//! An empty slot on the chain is not proof that its author failed: an author that wins a fork
//! race with a primary block orphans the block before it, and on the winning chain (the one
//! GRANDPA then finalizes: waiting for finality would not help) that slot looks missed. The
//! runtime cannot tell the two apart, and a header its author shows later proves nothing about
//! when it was made. So each validator is excused `ceil(2 E c / (3 n))` missed slots per epoch
//! (`endo_trust::consensus::orphan_allowance`: 2 for 4 validators of 40-slot epochs with
//! `c = 1/4`, 1 for 100): twice what an attacker holding a third of the weight can orphan of
//! one validator's blocks on average, since one primary block orphans at most one block. An
//! offline validator (7.5 missed slots an epoch with 4 validators) is blamed for the rest and
//! loses its weight when the liveness window passes without a block.
//!
//! ## Access control
//!
//! [`EnsureTrustLevel<T, L>`] admits a signed origin whose account has level ≥ `L::get()`
//! ([`levels`] has `Get`s for each level); its `Success` is the account.
//! `try_successful_origin` (benchmarks) builds an account at that level with
//! `Pallet::force_level` (`testing_utils.rs`).
//!
//! ## Runtime integration
//!
//! ```ignore
//! // configs/mod.rs
//! parameter_types! {
//!     pub const CandidateBond: Balance = 100 * UNIT;
//!     pub const FullWeightBond: Balance = 10_000 * UNIT;
//!     pub const MaxRecentWeightShare: Perbill = Perbill::from_percent(10);
//!     pub const EquivocationSlash: Perbill = Perbill::from_percent(20);
//!     pub const MinAuthorityLevel: TrustLevel = TrustLevel::Moderate;
//!     pub PotTrustParams: pallet_proof_of_trust::TrustParams = Default::default();
//!     pub const PotEvidenceWeights: pallet_proof_of_trust::EvidenceWeights =
//!         pallet_proof_of_trust::EvidenceWeights::DEFAULT;
//! }
//! impl pallet_proof_of_trust::Config for Runtime {
//!     type Currency = Balances;
//!     type RuntimeHoldReason = RuntimeHoldReason;
//!     type CandidateBond = CandidateBond;
//!     type FullWeightBond = FullWeightBond;
//!     type AdminOrigin = EnsureRoot<AccountId>;
//!     type RecentAdmissionEpochs = ConstU32<720>; // a day of 2-minute epochs
//!     type MaxRecentWeightShare = MaxRecentWeightShare;
//!     type MaxNewcomersPerEpoch = ConstU32<2>;
//!     type UnbondingEpochs = ConstU32<30>;
//!     type EquivocationSlash = EquivocationSlash;
//!     type EvidenceOrigin = frame_support::traits::AsEnsureOriginWithArg<EnsureRoot<AccountId>>;
//!     type Identity = DeviceIdentity; // or () without pallet-device-identity
//!     type RequireAuthenticatedIdentity = ConstBool<true>;
//!     type TrustParams = PotTrustParams;
//!     type EvidenceWeights = PotEvidenceWeights;
//!     type MinAuthorityLevel = MinAuthorityLevel;
//!     type MaxCandidates = ConstU32<{ 4 * MAX_AUTHORITIES }>;
//!     type MaxValidators = ConstU32<MAX_AUTHORITIES>;
//!     type MinValidators = ConstU32<1>;
//!     type MaxSubjects = ConstU32<100_000>;
//!     type MaxDevices = ConstU32<100_000>;
//!     type LivenessWindow = ConstU32<1>; // the least; it grows with the set (see its docs)
//!     type MaxMissedSlotsPerBlock = ConstU32<64>;
//!     type FinalityChangeDelay = ConstU32<0>;
//!     type WeightInfo = pallet_proof_of_trust::weights::SubstrateWeight<Runtime>;
//! }
//! // impl pallet_babe::Config: type EpochChangeTrigger =
//! //     pallet_proof_of_trust::epoch_change::TrustWeightedEpochChange<ProofOfTrust>;
//! // impl pallet_device_identity::Config: type Trust = ProofOfTrust;
//! //     type IdentityTrust = ProofOfTrust;
//! ```
//!
//! BABE's trigger takes its sets from the pallet: the pallet implements the trigger's source,
//! [`epoch_change::NextEpochAuthorities`], itself (in `epoch_change.rs`, with
//! [`Pallet::next_epoch_authorities`]), so the runtime needs no code of its own for it.
//!
//! The genesis preset lists the same validators, in the same order, in `babe.authorities`,
//! `grandpa.authorities` (weight 1 each) and `proofOfTrust.candidates`
//! (`(account, babe, grandpa, initial good events, bond)`, the founding validators; the bond is
//! held from the account's genesis balance), and chooses `proofOfTrust.admission`, e.g. in
//! `testnet_genesis`:
//!
//! ```ignore
//! proof_of_trust: ProofOfTrustConfig {
//!     // (AccountId, BabeId, GrandpaId): Alice..Dave's sr25519 accounts and their keys.
//!     candidates: initial_authorities
//!         .iter()
//!         .map(|(account, babe, grandpa)| {
//!             (account.clone(), babe.clone(), grandpa.clone(), 10, FullWeightBond::get())
//!         })
//!         .collect::<Vec<_>>(),
//!     admission: AdmissionMode::Permissioned,
//! },
//! ```
//!
//! Ten good events give `T = 11/12` (`High`, so the genesis validators can also act as
//! `pallet-device-identity` proxy nodes). For a run with unequal trust give them different
//! counts (e.g. 40, 8, 2, 0: trust 0.98, 0.90, 0.75, 0.50) or report evidence with sudo.
//! The pallet may sit at any index of `construct_runtime`; add `[pallet_proof_of_trust,
//! ProofOfTrust]` to the runtime's benchmark list.
//!
//! ## Storage and limits
//!
//! Every map is bounded: [`Config::MaxCandidates`] candidates and unbonding accounts together
//! (and as many keys in each key map), [`Config::MaxSubjects`] accounts and
//! [`Config::MaxDevices`] devices in the ledger, [`Config::MaxValidators`] validators per set
//! (and reported equivocations per epoch or GRANDPA set). Per-block work is bounded by
//! [`Config::MaxMissedSlotsPerBlock`], per-epoch work by `MaxCandidates + MaxValidators`.
//! Accounts and keys are chosen by users, hence `Blake2_128Concat`.
//!
//! ## Bad input
//!
//! Every rejected input has its own error and changes nothing: registering twice
//! ([`Error::AlreadyCandidate`]), keys of another candidate ([`Error::BabeKeyInUse`],
//! [`Error::GrandpaKeyInUse`]), a full candidate list or ledger ([`Error::TooManyCandidates`],
//! [`Error::LedgerFull`]), a bond too small to displace a candidate from a full list
//! ([`Error::BondTooSmallToDisplace`]), a sanctioned account ([`Error::Sanctioned`]), a bond that cannot be
//! held ([`Error::InsufficientBond`]) or below the minimum ([`Error::BondBelowMinimum`]),
//! registering while unbonding ([`Error::StillUnbonding`]), deregistering a non-candidate
//! ([`Error::NotCandidate`]), withdrawing without a bond ([`Error::NotUnbonding`]) or too early
//! ([`Error::BondLocked`]), admitting twice ([`Error::AlreadyAdmitted`]),
//! evidence about an account not in the ledger ([`Error::UnknownSubject`]), evidence of each
//! kind from an origin not allowed to report it (one error per kind, e.g.
//! [`Error::LeakReportNotAllowed`]), and equivocation reports that do not verify
//! ([`Error::EquivocationProofInvalid`]), are outside the current epoch or GRANDPA set
//! ([`Error::EquivocationOutsideEpoch`], [`Error::EquivocationOutsideSet`]), name a
//! non-validator ([`Error::OffenderNotValidator`]) or repeat one
//! ([`Error::EquivocationAlreadyReported`]).
//!
//! # Security
//!
//! Keys are registered without a proof of possession (as `pallet-session::set_keys` did before
//! it took ownership proofs): someone can register another operator's public keys first and
//! make that operator's registration fail with [`Error::BabeKeyInUse`]. The squatter cannot
//! author or vote with those keys, enters on probation, and is removed after missing its slots;
//! the bond makes it cost something. Proofs of possession are future work.
//!
//! Log target: `runtime::proof-of-trust`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

extern crate alloc;

pub mod epoch_change;
pub mod types;
pub mod weights;

mod authorship;
mod bonding;
mod equivocation;
mod finality;
mod ledger;
pub mod migrations;
mod origin;
mod pallet;
mod pruning;
mod queries;
mod selection;
#[cfg(any(test, feature = "runtime-benchmarks"))]
mod testing_utils;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

/// Evidence units per event ([`EvidenceWeights`], [`Config::PruneBelowUnits`]), re-exported for
/// runtimes.
pub use endo_trust::reputation::EVIDENCE_UNIT;
/// The trust parameters ([`Config::TrustParams`]), re-exported for runtimes.
pub use endo_trust::TrustParams;
pub use equivocation::{BabeProof, GrandpaProof};
pub use origin::EnsureTrustLevel;
pub use pallet::pallet::*;
pub use types::*;
pub use weights::WeightInfo;

use frame_support::{traits::fungible::Inspect, BoundedVec};

/// The pallet's log target.
pub const LOG_TARGET: &str = "runtime::proof-of-trust";

/// The balance type of [`Config::Currency`].
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A founding validator of the genesis config: `(account, BABE key, GRANDPA key, initial good
/// events, bond)`.
pub type FoundingValidator<T> =
	(<T as frame_system::Config>::AccountId, BabeId, GrandpaId, u32, BalanceOf<T>);

/// A validator set of runtime `T`.
pub type ValidatorsOf<T> =
	BoundedVec<Validator<<T as frame_system::Config>::AccountId>, <T as Config>::MaxValidators>;
