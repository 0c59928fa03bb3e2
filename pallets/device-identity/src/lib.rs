//! # Device identity pallet
//!
//! The chain side of Endochain's *endogenous identity* (paper 000: Chen, Han, Zhang 2023,
//! "Endogenous Security Formal Definition, Innovation Mechanisms, and Experiment Research in
//! Industrial Internet", §3 and §5, Figs. 4-7 and Table 4), built on `endo-crypto`.
//!
//! A device derives its key pair and its 32-byte ID from its SRAM PUF (`endo_crypto`:
//! `ID = SHA-256(endochain/identity/device-id/v1, public_key)`), obtains a credential from the
//! authority of its domain, registers once, and then proves again and again, with a fresh
//! zero-knowledge proof per epoch, that it still holds the PUF-derived secret. Proxy nodes (trusted
//! validators) verify what the runtime should not, and vouch for devices across domains.
//!
//! The papers' sections and where each is implemented: `docs/PAPERS.md#a3-endogenous-security-innovation-mechanism`
//! (this pallet's section) and `docs/PAPERS.md#a5-experimental-research` (the measurements); the
//! protocol itself is written down in `docs/ENDOGENOUS-IDENTITY.md`, the module map of the
//! workspace in `docs/ARCHITECTURE.md`, the measured weights in `docs/PERFORMANCE.md`.
//!
//! | paper | here |
//! |---|---|
//! | Fig. 5: IBE domain (KGC), PKI domain (CA) | `Authorities`: SM9 master keys and CA keys, registered by [`Config::AdminOrigin`] |
//! | Fig. 6: registration, "the hash of the ID and the signature of the hash are uploaded" | [`Pallet::register_device`]: ID, public key, domain credential, NIZK proof of possession |
//! | Fig. 7: NIZK proof, "the blockchain performs the comparative search of the hash" | [`Pallet::authenticate`]; the match is the runtime API `DeviceIdentityApi::device_status` |
//! | Table 4: "perform continuous authentication"; "isolate/shield attacker" | a new challenge every epoch; misses and failures become strikes, trust evidence and quarantine |
//! | Fig. 5: PoT proxy nodes agree, whitelist with expiry | [`Pallet::attest`] at [`Pallet::attestation_threshold`] (a share of the validator set); `Whitelist` entries expire and are pruned |
//!
//! ## Interface
//!
//! ### Modules
//!
//! | module | what |
//! |---|---|
//! | `lib.rs` | this documentation, the module declarations and the re-exports |
//! | `pallet/mod.rs` | the `#[frame_support::pallet]` module: config, storage, genesis, hooks, calls, `ValidateUnsigned`; `pallet/events.rs`, imported with `#[import_section]`: events and errors |
//! | `validation.rs` | the checks of the unsigned calls: `check_*` (cheap, block inclusion) and `verify_*` (with the proof and certificate), the pool's validity and tags (`validate_unsigned`, `pre_dispatch`), pool errors, [`Pallet::error_code`] |
//! | `limits.rs` | how the limits must relate to each other (`integrity_test`) |
//! | `attestation.rs` | who is a proxy node, the attestation threshold and quotas, every check of a vote (`plan_vote`) and its recording (`do_attest`), preconditions and settlement, strikes, the one quarantine path, pending-registration removal, the pruning of finished epochs' tallies |
//! | `cross_domain.rs` | cross-domain requests: their checks (the device's proof included), opening, ending and expiry |
//! | [`offchain`] | the proxy node's off-chain worker, and the authorization of its votes (`#[pallet::authorize]` of [`Pallet::submit_attestation`]) |
//! | `epoch.rs` | epochs and challenges, the sweep of a finished epoch, the whitelist expiry queue and pruning |
//! | `authority.rs` | authority registration, the KGCs' enrolment keys |
//! | `queries.rs` | [`Pallet::device_report`], [`Pallet::challenge_report`], [`Pallet::is_authenticated`], read access, [`endo_traits::DeviceIdentityInspect`] |
//! | `reclaim.rs` | reclaimed capacity: revoked tombstones and the records of retired authorities ([`Pallet::reclaimable`]), authority removal |
//! | `try_state.rs` | the storage invariants (`Pallet::do_try_state`; `try-runtime` and tests) |
//! | [`migrations`] | storage migrations: version 1 clears the tallies of version 0 (no epoch); version 2 records a zero deposit for the voters and counters of version 1 |
//! | [`types`] | the data types and their rules: the device lifecycle ([`DeviceInfo`], [`LifecycleError`]), the whitelist ([`WhitelistRules`], [`WhitelistError`]), key checks |
//! | [`messages`] | the SCALE message formats: registration purpose, controller consent, KGC enrolment co-signature and check, certificate message and check, epoch challenge |
//! | [`weights`] | generated weights |
//!
//! The protocol's tags, byte lengths and SM9 structural checks come from
//! `endo_crypto::device_identity`, shared with the `endochain-device` tool and the proxy
//! nodes. Storage items are `pub(crate)`: other crates read through the queries above and
//! change state only through the calls and [`endo_traits::DeviceIdentityInspect`].
//!
//! ### Dispatchable functions
//!
//! | call | origin | what |
//! |---|---|---|
//! | [`register_authority`](Pallet::register_authority) (0) | [`Config::AdminOrigin`] | register an SM9 KGC (IBE domain) or a CA (PKI domain) |
//! | [`retire_authority`](Pallet::retire_authority) (1) | [`Config::AdminOrigin`] | retire an authority: no new registrations, its devices stop authenticating |
//! | [`remove_authority`](Pallet::remove_authority) (10) | [`Config::AdminOrigin`] | remove a retired authority once the sweep removed its devices ([`Config::TombstoneRetention`] epochs after the retirement); frees its place, its key stays reserved |
//! | [`set_enrolment_key`](Pallet::set_enrolment_key) (9) | [`Config::AdminOrigin`] | set or remove an IBE authority's sr25519 enrolment key, which co-signs the device IDs the KGC issues credentials for |
//! | [`register_device`](Pallet::register_device) (2) | unsigned (feeless) | register a device with its credential (IBE: with its KGC's enrolment co-signature) and a NIZK proof of possession; optionally bind a controller account that signed its consent ([`ControllerConsent`]) |
//! | [`authenticate`](Pallet::authenticate) (3) | unsigned (feeless) | answer the current epoch's challenge with a NIZK proof |
//! | [`authenticate_batch`](Pallet::authenticate_batch) (8) | unsigned (feeless) | up to [`Config::MaxBatchSize`] devices' proofs in one transaction, in increasing order of device ID (a gateway collects them); verified in one batch check |
//! | [`attest`](Pallet::attest) (4) | signed by a proxy node ([`Pallet::is_proxy`]) | vote on an IBE credential (confirmation binds the controller), a cross-domain admission or a failed authentication (at most one per device and epoch); at most [`Config::MaxAttestationsPerProxy`] per proxy and [`Config::MaxAttestationsPerEpoch`] in all per epoch; no fee; a vote that does not settle holds [`Config::AttestationDeposit`] until its statement settles or its epoch is pruned |
//! | [`submit_attestation`](Pallet::submit_attestation) (11) | authorized (`#[pallet::authorize]`): a vote signed by a proxy key ([`PROXY_KEY_TYPE`]) | what a proxy node's off-chain worker submits: the vote of [`attest`](Pallet::attest) by the key's account, every check run in the pool and the block before the call; no fee |
//! | [`request_cross_domain`](Pallet::request_cross_domain) (12) | signed by the device's controller | ask for the device's admission to another domain; one request per device per [`Config::RegistrationTimeout`] blocks (kept, once admitted, until then) |
//! | [`request_cross_domain_unsigned`](Pallet::request_cross_domain_unsigned) (13) | unsigned (feeless) | the same, asked by the device itself with a NIZK proof of the current epoch (purpose [`messages::cross_domain_purpose`]); one per device and epoch |
//! | [`set_proxy_key`](Pallet::set_proxy_key) (14), [`remove_proxy_key`](Pallet::remove_proxy_key) (15) | signed by a proxy node | register (with the key's signature of the account) or remove the proxy key its node's worker votes with; one per account |
//! | [`quarantine_device`](Pallet::quarantine_device) (5) | [`Config::AdminOrigin`] | stop a device from authenticating |
//! | [`restore_device`](Pallet::restore_device) (6) | [`Config::AdminOrigin`] | lift a quarantine |
//! | [`revoke_device`](Pallet::revoke_device) (7) | [`Config::AdminOrigin`] | revoke a device for good (its ID can never register again) |
//!
//! ### Hooks
//!
//! `on_initialize`: (1) every [`Config::EpochLength`] blocks a new epoch and challenge from
//! [`Config::Randomness`]; (2) the sweep of the finished epoch (evidence for proofs, strikes for
//! missed windows, except where the device could not prove: its authority retired or its
//! credential (certificate or enrolment) expired before the epoch's end; removal of the
//! records that can never be used again, [`Pallet::reclaimable`]), at most [`Config::MaxSweepPerBlock`] devices per block; (3) whitelist pruning, at most [`Config::MaxPrunePerBlock`] expired entries
//! per block; (4) the pruning of the attestation tallies and counters of finished epochs, at
//! most [`Config::MaxPrunePerBlock`] entries per block. `try_state` checks the storage invariants (with `try-runtime`, and in the tests).
//!
//! `offchain_worker`: the proxy node's worker ([`offchain`]): on a node whose keystore holds a
//! proxy key ([`PROXY_KEY_TYPE`], `edpx`) registered by an account that is a proxy node
//! ([`Pallet::set_proxy_key`]), it verifies the SM9 credentials of pending IBE registrations
//! natively, through the node's host function `endo_host::verify_ibe_credential`, vouches for
//! the devices of open cross-domain requests that are authenticated (while its quotas have a
//! quarter left), and submits each vote, signed with the proxy key, as an authorized
//! transaction ([`Pallet::submit_attestation`]). It holds a lock in the
//! node's off-chain storage, submits only votes the chain would count now, records what it
//! submitted so that re-runs and re-orgs never double-submit, and submits a vote again only if
//! the chain has not counted it [`offchain::RESUBMIT_AFTER`] blocks later.
//!
//! ### Runtime API (`pallet-device-identity-runtime-api`)
//!
//! `DeviceIdentityApi::device_status(device)` → [`DeviceReport`]: status, authenticated or not,
//! since when, in which domains (home + unexpired whitelist entries); `challenge()` →
//! [`ChallengeReport`]: epoch, challenge and genesis hash to build a proof.
//!
//! ### Other pallets
//!
//! The pallet implements [`endo_traits::DeviceIdentityInspect`] and uses
//! [`endo_traits::TrustProvider`] (who is a proxy node) and [`endo_traits::IdentityTrustSink`]
//! (identity-trust evidence: authenticated, missed, failed), which the Proof-of-Trust pallet
//! implements.
//!
//! ## Registration and authentication
//!
//! ```text
//! device:  epoch, challenge = DeviceIdentityApi::challenge()
//!          proof = nizk::prove_identity(keypair, genesis_hash, purpose, challenge)
//! account: signature = sign(consent)                         (only to bind a controller)
//!          register_device(ID, pk, authority, credential,
//!                          Some({ account, signature }) | None, epoch, proof)       once
//!          authenticate(ID, epoch, proof')                                         every epoch
//! purpose: registration   "endochain/device-identity/register/v1" || SCALE((authority,
//!                          account?, credential))            (binds every field of the call)
//!          authentication "endochain/device-identity/authenticate/v1"
//! consent: SCALE(("endochain/controller-consent/v1", genesis_hash, ID, pk, authority))
//! KGC:     enrolment = sr25519_sign(enrolment key,               (IBE, with the SM9 credential)
//!            SCALE(("endochain/device-identity/enrolment/v2", genesis_hash, authority, ID,
//!                   expires_at)))                   (expires_at: u32, also in the credential)
//! ```
//!
//! # Security: controllers consent, pending devices reserve nothing
//!
//! A controller account receives its device's identity-trust evidence (`Authenticated`,
//! `Missed`, `Failed`, through [`Config::IdentityTrust`]) and is what other pallets look up
//! ([`endo_traits::DeviceIdentityInspect::device_of`]), so it is bound only with its consent: the
//! `controller` argument carries the account and its [`Config::ControllerSignature`] of
//! [`messages::controller_consent_message`], which names the chain, the device (ID and key)
//! and the authority. A consent signed by anyone else, or for another device, authority or
//! chain, fails with [`Error::ControllerConsentInvalid`] in the pool and changes nothing. The
//! device's proof binds the account too, so nobody can swap it in the pool.
//!
//! A pending IBE registration reserves nothing: `ControllerDevice` is written when the device
//! becomes active (PKI: at registration; IBE: when the proxies confirm it), and only PKI
//! registrations provide the pool tag `("controller", account)`. A registration naming an
//! account that an active (or quarantined) device holds is refused
//! ([`Error::ControllerInUse`]); pending registrations naming the same account do not block
//! each other nor the account's active device. If the proxies confirm a pending registration
//! whose account has meanwhile become bound to another device, the registration is void:
//! removed, with [`Event::RegistrationVoided`] (one device per account; the first to become
//! active keeps it), and the device may register again. A pending device gives no evidence.
//!
//! A registration the proxies reject in the epoch of its proof stays as a
//! [`DeviceStatus::Rejected`] marker until that epoch is over, so that the same call (its proof
//! answers the epoch's challenge) fails with [`Error::CredentialRejected`] instead of pending
//! again; the sweep of that epoch removes the marker. From the next epoch on the device may
//! register again with a new proof.
//!
//! The NIZK transcript (`docs/ENDOGENOUS-IDENTITY.md` §5) binds genesis hash, ID, public key,
//! purpose and challenge, so a proof is good for one chain, one device, one call and one epoch.
//! A device answers each epoch's challenge once: a second proof in the same epoch (a replay, or
//! anything else) fails with [`Error::ProofReplayed`], a proof for an earlier epoch with
//! [`Error::ChallengeExpired`]. The registration proof counts as the first authentication.
//!
//! A device is *authenticated* while it is active, its last proof answered the current or the
//! previous epoch's challenge (the current window is still open for it), its home authority is
//! active and its credential (PKI certificate or IBE enrolment) has not expired. When an
//! epoch ends, the sweep reports
//! `Authenticated` evidence for every active device that proved itself in it (once per device
//! and epoch, so that a proof writes only its own record) and gives every active device that
//! did not a strike (evidence `Missed`); proxies can report
//! a failed authentication (evidence `Failed`, a strike, and the device must prove itself again).
//! [`Config::MaxStrikes`] consecutive strikes quarantine the device. A proof that does not verify
//! is never counted as a failure: anyone can submit one for any device.
//!
//! ## Where SM9 is verified: by proxy nodes, off chain
//!
//! The IBE credential is an SM9 signature, a pairing-based scheme. `sm9_core` builds for
//! `wasm32v1-none` without `std`, so verifying in the runtime was possible, but one SM9
//! verification (a pairing, an exponentiation in GT, a G2 multiplication) costs as much as
//! dozens of the NIZK verifications the runtime does anyway, so IBE registrations would crowd
//! authentications out of the blocks. Worse, every node would pay that price
//! validating each feeless unsigned registration in its transaction pool, junk included:
//! anybody can make a valid NIZK for a made-up key, so the SM9 check would be the first one
//! junk fails, and a modest stream of junk registrations would keep a core busy on every node.
//! The measurements (`tools/sm9-wasm-probe.sh`) are in `docs/PERFORMANCE.md`.
//!
//! So the runtime checks everything else (authority, structure of the signature, public key,
//! NIZK, controller consent) and records an IBE registration as [`DeviceStatus::Pending`]; the
//! off-chain workers of the proxy nodes ([`Pallet::is_proxy`], [`offchain`]) verify the SM9
//! signature with `endo_crypto::device_identity::ibe_credential_verdict`, natively through the
//! node's host function `endo_host::verify_ibe_credential` (about 2.5 ms against 11-14 ms in
//! wasm), once per device, on the few proxy nodes instead of every node's pool, and vote
//! ([`submit_attestation`](Pallet::submit_attestation); an operator can still vote by hand with
//! [`attest`](Pallet::attest), [`Pallet::pending_credential`] and [`Pallet::authority`] giving
//! the inputs).
//! [`Pallet::attestation_threshold`] matching votes in one epoch activate or reject the
//! registration. PKI
//! certificates use Substrate's signature host functions, cheap enough to be checked on chain,
//! so PKI devices are active at once.
//!
//! # Security: IBE onboarding cannot be blocked for free (the enrolment co-signature)
//!
//! The price of verifying SM9 off chain: anybody can make a valid NIZK for a made-up device
//! key and attach a structurally valid, forged SM9 signature, and such junk would hold a
//! pending slot until the proxies rejected it or it timed out: a stream of it would keep
//! [`Config::MaxPendingRegistrations`] full, feeless, and no real IBE device could onboard.
//! So an IBE credential carries a second signature the chain *can* check cheaply: the KGC's
//! **enrolment key** (sr25519, set per authority by [`Config::AdminOrigin`] with
//! [`set_enrolment_key`](Pallet::set_enrolment_key), stored in `EnrolmentKeys`) co-signs every
//! device ID it issues a credential for, [`messages::enrolment_message`]`(genesis hash,
//! authority, ID, expires_at)`, where `expires_at` (in the credential) is the last block at
//! which the enrolment is valid, chosen by the KGC. `check_register` (pool and block
//! inclusion) checks the expiry right after the credential's structure
//! ([`Error::CertificateExpired`], as for a PKI certificate), then the co-signature, before the
//! NIZK: a registration whose authority has no enrolment key fails with
//! [`Error::EnrolmentKeyMissing`], one whose co-signature does not verify (none, another
//! key's, for another authority, device, chain or expiry) with
//! [`Error::EnrolmentSignatureInvalid`]; all change nothing. The expiry is recorded as the
//! device's `certificate_expires_at`: after it the device cannot authenticate (nor be
//! confirmed by the proxies while pending), a miss it could not avoid is not held against it,
//! and once revoked its tombstone is reclaimed like a PKI device's (`reclaim.rs`). IBE records
//! made before enrolments carried an expiry have none and never expire. Only devices the KGC
//! enrolled can take a pending slot; the SM9 check by the proxies stays what activates them.
//! Removing an authority's key (or retiring the authority) stops new registrations; pending
//! ones are settled by the proxies or time out as before. Pending registrations remain bounded by
//! [`Config::MaxPendingRegistrations`] and [`Config::MaxRegistrationsPerBlock`] and expire
//! after [`Config::RegistrationTimeout`]; the PKI path is unaffected.
//!
//! # Security: attestations and the proxy set
//!
//! *Who is a proxy node* ([`Pallet::is_proxy`]): an account with trust level ≥
//! [`Config::MinProxyTrust`] (the runtime: `High`), or a current validator
//! ([`endo_traits::TrustProvider::is_validator`]) with trust level ≥
//! [`Config::MinValidatorProxyTrust`] (the runtime: `MinAuthorityLevel`, `Moderate`). `High`
//! alone could empty itself: without device evidence identity trust returns to the prior 1/2,
//! so trust `w I + (1 - w) B` stays below `3/4 < 0.8` whatever a validator does, and the
//! genesis evidence decays (`endo-trust`'s `tests/proxy_set.rs`: 100 validators, 300 epochs).
//! Validators passed the identity, admission and trust rules of Proof of Trust, the validator
//! set never empties (Proof of Trust keeps the last good set), and a validator that never
//! leaves a slot empty has only good evidence, so it stays at `Moderate`.
//!
//! *Threshold*: [`Pallet::attestation_threshold`] is [`Config::AttestationQuorum`] of the
//! validator set ([`endo_traits::TrustProvider::validator_count`]), rounded up, at least
//! [`Config::MinAttestations`], at most [`Config::MaxAttestationVoters`]. A validator set
//! smaller than `MinAttestations` also settles a statement once all its validators voted for it
//! ([`Pallet::every_validator_voted`]): on a one-validator chain, such as the development chain,
//! the validator's own vote settles (its blocks decide everything anyway), while a trusted
//! account that is no validator never settles anything alone. Votes count only in
//! their epoch (the `Tallies` are keyed by epoch).
//!
//! *Cost*: an accepted vote pays no transaction fee (`Pays::No`; a refused call pays it). A
//! vote that does not settle its statement holds [`Config::AttestationDeposit`] instead
//! ([`HoldReason::AttestationDeposit`]; [`Error::InsufficientDeposit`] without it, and nothing
//! changes), recorded in the tally next to its voter and in the proxy's `AttestationsBy`
//! counter of the epoch. The vote that settles holds nothing and releases every voter's
//! deposit (a tally is per statement: they all voted for the outcome). A vote whose tally never
//! settles, or is removed with its registration or device, keeps its deposit until the hook
//! prunes its epoch, which releases what each counter still records: one release per proxy
//! and epoch, so the work stays within [`Config::MaxPrunePerBlock`] per block, and within
//! [`Config::MaxAttestationVoters`] in the settling vote.
//!
//! The deposit replaces a fee that could not be paid back: a fee is charged before the
//! vote's outcome is known, and the vote that settled could not refund the earlier voters'.
//! It is released, not burnt, when a tally does not settle: otherwise the first voter of an
//! honest statement would bet on the other proxies, and what votes that settle nothing can do
//! is bounded by the quotas either way. So such a vote costs its deposit held for up to two
//! epochs (and a slot of the quotas). A proxy makes at most
//! [`Config::MaxAttestationsPerProxy`] attestations per epoch, all proxies together
//! [`Config::MaxAttestationsPerEpoch`] ([`Error::ProxyQuotaExhausted`],
//! [`Error::EpochQuotaExhausted`]).
//!
//! *Repetition*: a settled `AuthenticationFailed` tally stays, marked concluded, until its
//! epoch is pruned, so a device fails at most once per epoch ([`Error::AlreadyConcluded`]).
//!
//! *Growth*: every counted attestation adds at most one tally, one counter and (when it
//! settles an admission) one whitelist expiry;
//! the hook prunes each kind at [`Config::MaxPrunePerBlock`] per block, and `integrity_test`
//! checks [`Pallet::pruning_keeps_up`]: what an epoch can add fits in what the pruning removes in
//! an epoch, so neither the tallies nor the `ExpiryQueue` outgrow their pruning.
//!
//! *Worker votes*: [`Pallet::submit_attestation`] carries a vote signed with a registered proxy
//! key over [`messages::proxy_vote_message`] (genesis hash, key, device, statement, epoch, and
//! the statement's subject, [`Pallet::vote_subject`]: the pending credential, the open request
//! or the last proof it is about, so that a vote on one registration or request never counts
//! for a later one of the same device; an ended request's open tally goes with it). Its
//! authorization runs, in the pool and again in the block, the signature check and every check
//! of [`attest`](Pallet::attest) (proxy level, epoch, preconditions, open tally without the
//! vote, quotas, the deposit it would hold), so a vote that would fail is never included and
//! nobody pays for it; the pool keeps one vote per proxy, epoch, device and statement. A vote
//! signed for another epoch, subject, chain, device or statement fails ([`Error::StaleVote`],
//! [`Error::VoteSignatureInvalid`]), as does one of a key nobody registered
//! ([`Error::ProxyKeyUnknown`]). Cost, quotas and deposit are `attest`'s.
//!
//! *Proxy keys*: the worker's key is the node's, never the account's (whose secret guards its
//! funds and bond): the account registers it with [`Pallet::set_proxy_key`], with the key's
//! signature of [`messages::proxy_key_message`] (nobody can claim another node's key), one key
//! per account, and only while a proxy node, so the keys are bounded by the accounts that ever
//! were proxies. The genesis may register keys (the development presets: each validator's own
//! development key).
//!
//! *Cross-domain requests*: a proxy vouches only for a device that asked
//! ([`Error::NoRequest`]): its controller, for a fee, or the device itself, with a proof of the
//! current epoch (feeless; one per device in the pool). A device has at most one
//! request ([`Error::RequestOpen`]), so the requests are bounded by [`Config::MaxDevices`]; a
//! request is refused unless the device is authenticated now and the target an active domain
//! other than its home. Once admitted it stays, marked, until the sweep finds it
//! [`Config::RegistrationTimeout`] old (or the device is quarantined, revoked or removed), so a
//! device asks at most once in that time: replaying its request after the admission cannot
//! make the proxies vote again and spend their quotas.
//!
//! ## Unsigned transactions: `ValidateUnsigned`, not `#[pallet::authorize]`
//!
//! Devices hold no funds, so registration and authentication are feeless unsigned
//! transactions. `#[pallet::authorize]` only applies to *general* (extrinsic v5) transactions,
//! and the project's client, `@polkadot/api` 16.5.6, sends unsigned calls as *bare* extrinsics
//! only (polkadot-js/api#6276), so the e2e tests and the devices' tooling could not submit
//! them. The pallet therefore uses `ValidateUnsigned` (deprecated, to be removed after April
//! 2027). The validation is two functions per call, taking the call's arguments
//! ([`RegisterRequest`] for a registration): `check_*` for the cheap, state-dependent checks
//! ([`Pallet::check_register`], [`Pallet::check_authenticate`],
//! [`Pallet::check_authenticate_batch`]) and `verify_*` for all of them, proof and certificate
//! included ([`Pallet::verify_register`], [`Pallet::verify_authenticate`],
//! [`Pallet::verify_authenticate_batch`]), ready to be called from an `authorize` closure when
//! the client can send general transactions.
//!
//! Validation runs the cheapest checks first and the NIZK and the signatures (controller
//! consent, certificate) last, so junk costs little: epoch (1 read), device (1 read), authority
//! (1 read), capacity and rate limits, controller (1 read), credential structure, IBE enrolment
//! co-signature (1 read, one sr25519 verification), key, proof, controller consent, certificate (a batch runs the cheap checks of every entry before its
//! proofs, and verifies all its proofs in one batch check: see "Pool amplification" below).
//! Tags: `("register", ID)`,
//! `("controller", account)` (PKI registrations only: they bind at once),
//! `("authenticate", ID, epoch)` (a batch provides one per device): one registration per ID,
//! one binding PKI registration per controller, one authentication per device and epoch (the
//! per-device rate limit). Longevity: until the epoch ends. At block building, `pre_dispatch`
//! repeats only the cheap, state-dependent checks (`check_*`; at most
//! [`Config::MaxRegistrationsPerBlock`] registrations per block), and the call verifies the
//! proof once (`verify_*`).
//!
//! # Security: pool amplification
//!
//! A feeless batch costs every node that validates it, so a junk batch must be cheap to refuse.
//! The checks of an `authenticate_batch` run in three stages, and a batch is refused at the
//! first failing one:
//!
//! 1. shape, no storage read: not empty, the current epoch, entries in strictly increasing
//!    order of device ID ([`Error::BatchUnsorted`]; a device twice: [`Error::ProofReplayed`]).
//!    A set of devices has one valid batch, so a reordered copy of a gossiped batch (a new
//!    transaction hash, the same proofs) is refused here;
//! 2. every entry's state, one read per device and one per distinct authority, no
//!    cryptography: the device exists, is active, has not answered this epoch (a copy of an
//!    included batch, or a batch with one device that answered already, is refused here with
//!    [`Error::ProofReplayed`]), its authority is active, its credential unexpired;
//! 3. every key and proof parsed, then **one** batch verification of all proofs
//!    (`endo_crypto::verify_identity_proofs_batch`: one multiscalar multiplication with
//!    coefficients derived by hashing the whole batch; `endo_crypto`'s `nizk` module says why
//!    that is sound without an RNG). There is no order of entries that makes a node verify 249
//!    proofs and fail at the 250th: a batch with a bad proof anywhere costs the same single
//!    check, about half of what verifying the proofs one by one costs.
//!
//! If the batch check fails, the whole batch is invalid, [`Error::ProofInvalid`], without
//! saying which proof is bad; the gateway (which can check each proof with
//! `endo_crypto::verify_identity_proof` before it batches them) resubmits without the bad
//! device. Copies that pass every check (a subset of a gossiped batch still in the pool) cost
//! one batch check and are then dropped by the pool for their tags. The measured costs are in
//! `docs/PERFORMANCE.md`.
//!
//! ## Weights and block capacity
//!
//! `weights.rs` is generated by frame-benchmarking (`scripts/bench.sh`; the figures, the
//! block capacity they give and their discussion are in `docs/PERFORMANCE.md`). In
//! `authenticate_batch` a proof costs its NIZK verification plus one read and one write (its
//! proof record); the transaction's fixed costs are paid once per batch. A single
//! `authenticate` pays them for one proof, plus the extrinsic base weight: gateways should
//! batch. The identity-trust evidence of a proof is reported by the sweep, once per device and
//! epoch, not by the proof, so that a proof writes only its own record. A registration is one
//! transaction. `on_initialize` charges per visited device: a read for an idle one, more for
//! evidence, a strike or a removal.
//!
//! ## Storage and limits
//!
//! Every map is bounded: [`Config::MaxAuthorities`] (a retired authority until
//! [`Pallet::remove_authority`]), [`Config::MaxDevices`] (a revoked device stays as a tombstone
//! until [`Config::TombstoneRetention`] epochs have passed and its credential (PKI
//! certificate or IBE enrolment) expired; an IBE tombstone without an expiry, from before
//! enrolments carried one, while its authority is active; the records of
//! a retired authority for `TombstoneRetention` epochs), [`Config::MaxPendingRegistrations`], [`Config::MaxWhitelistPerDevice`], a
//! tally holds at most [`Config::MaxAttestationVoters`] voters, and tallies, counters and
//! whitelist expiries grow by at most [`Config::MaxAttestationsPerEpoch`] per epoch. Keys chosen by users (device
//! IDs, accounts, authority keys) use `Blake2_128Concat`; sequential indices assigned by the
//! pallet (authority IDs, expiry-queue positions) use `Twox64Concat`. The integrity test checks
//! that the sweep visits every device once per epoch
//! (`MaxDevices <= MaxSweepPerBlock * EpochLength`), that the pruning keeps up with the
//! attestations ([`Pallet::pruning_keeps_up`]), `MaxPendingRegistrations <= MaxDevices` and
//! `MaxWhitelistPerDevice < MaxAuthorities`.
//!
//! ## Bad input
//!
//! Every rejected input has its own error and changes nothing (all checks run before the first
//! write): malformed keys ([`Error::PublicKeyMalformed`], [`Error::AuthorityKeyMalformed`],
//! [`Error::CredentialMalformed`]), wrong proofs ([`Error::ProofMalformed`],
//! [`Error::ProofInvalid`], [`Error::IdentityMismatch`]), replayed proofs
//! ([`Error::ProofReplayed`]), expired challenges ([`Error::ChallengeExpired`]), duplicate IDs
//! ([`Error::AlreadyRegistered`]), replays of a rejected registration
//! ([`Error::CredentialRejected`]), controllers that did not consent
//! ([`Error::ControllerConsentInvalid`]) or are bound already ([`Error::ControllerInUse`]),
//! unknown or retired authorities ([`Error::AuthorityUnknown`],
//! [`Error::AuthorityRetired`]), IBE registrations the KGC did not enrol
//! ([`Error::EnrolmentKeyMissing`], [`Error::EnrolmentSignatureInvalid`]), enrolment keys for
//! PKI authorities or not sr25519 keys ([`Error::NotIbeAuthority`],
//! [`Error::EnrolmentKeyMalformed`]), forged or misused certificates ([`Error::CertificateInvalid`],
//! [`Error::CertificateSubjectMismatch`], [`Error::CertificateExpired`], which also covers an
//! expired IBE enrolment). Every field has a fixed
//! size, so an oversized field cannot even be decoded: the transaction is rejected before any
//! pallet code runs. In the pool, errors become `InvalidTransaction::Custom(error index)`, except
//! the capacity and rate limits, which become `ExhaustsResources` (the block builder then keeps
//! the transaction for a later block).
//!
//! ## Domain separation
//!
//! The tags are `endo_crypto::device_identity`'s (re-exported by [`messages`]); the
//! `endochain-device tags` command prints them for callers in other languages.
//!
//! | tag | used for |
//! |---|---|
//! | `endochain/device-identity/register/v1` | NIZK purpose of a registration (followed by SCALE of authority, controller, credential) |
//! | `endochain/device-identity/authenticate/v1` | NIZK purpose of an authentication |
//! | `endochain/device-identity/certificate/v1` | message a CA signs (SCALE of tag, genesis hash, subject, expiry) |
//! | `endochain/controller-consent/v1` | message a controller account signs (SCALE of tag, genesis hash, device ID, device public key, authority) |
//! | `endochain/device-identity/enrolment/v2` | message an IBE authority's enrolment key co-signs (SCALE of tag, genesis hash, authority, device ID, expiry) |
//! | `endochain/device-identity/challenge/v1` | epoch challenge `blake2_256(SCALE(tag, epoch, randomness, parent hash))` |
//!
//! Log target: `runtime::device-identity`.

#![cfg_attr(not(feature = "std"), no_std)]
#![deny(missing_docs)]
#![deny(clippy::unwrap_used)]

extern crate alloc;

pub mod messages;
pub mod migrations;
mod pallet;
pub mod types;
pub mod weights;

mod attestation;
mod authority;
mod cross_domain;
mod epoch;
mod limits;
pub mod offchain;
mod queries;
mod reclaim;
#[cfg(any(feature = "try-runtime", test))]
mod try_state;
mod validation;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub mod testing_utils;
#[cfg(test)]
mod tests;

pub use pallet::pallet::*;
pub use types::*;
pub use validation::RegisterRequest;
pub use weights::WeightInfo;

use frame_system::pallet_prelude::BlockNumberFor;

/// The keystore key type of proxy keys: `edpx`. A node whose keystore holds a proxy key that a
/// proxy node registered ([`Pallet::set_proxy_key`]) runs the proxy worker ([`offchain`]);
/// insert a fresh key with
/// `endochain-node key insert --key-type edpx --scheme sr25519 --suri <the key's secret>`.
pub const PROXY_KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"edpx");

/// The runtime's proxy key: an sr25519 app key of type [`PROXY_KEY_TYPE`].
pub mod crypto {
	use super::PROXY_KEY_TYPE;
	use sp_application_crypto::{app_crypto, sr25519};
	app_crypto!(sr25519, PROXY_KEY_TYPE);
}

/// The pallet's log target.
pub const LOG_TARGET: &str = "runtime::device-identity";

/// The balance type of [`Config::Currency`] (attestation deposits).
pub type BalanceOf<T> =
	<<T as pallet::pallet::Config>::Currency as frame_support::traits::fungible::Inspect<
		<T as frame_system::Config>::AccountId,
	>>::Balance;
/// The voters of an attestation tally of runtime `T`, each with the deposit it holds for its
/// vote (zero for the vote that settled it and for votes of storage version 1).
pub type VotersOf<T> = frame_support::BoundedVec<
	(<T as frame_system::Config>::AccountId, BalanceOf<T>),
	<T as pallet::pallet::Config>::MaxAttestationVoters,
>;
/// A device record of runtime `T`.
pub type DeviceInfoOf<T> = DeviceInfo<<T as frame_system::Config>::AccountId, BlockNumberFor<T>>;
/// An authority record of runtime `T`.
pub type AuthorityInfoOf<T> = AuthorityInfo<BlockNumberFor<T>>;
/// The epoch record of runtime `T`.
pub type EpochInfoOf<T> = EpochInfo<BlockNumberFor<T>>;
/// A controller's consent of runtime `T` (the `controller` argument of `register_device`).
pub type ControllerConsentOf<T> = ControllerConsent<
	<T as frame_system::Config>::AccountId,
	<T as pallet::pallet::Config>::ControllerSignature,
>;

/// Makes a controller account and its signature for the benchmarks (the pallet cannot sign
/// with a generic account type). `()` does it for `AccountId32` and `MultiSignature` with an
/// sr25519 key of the benchmark's keystore.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId, Signature> {
	/// Controller account number `seed` and its signature of `message`.
	fn sign_consent(seed: u32, message: &[u8]) -> (AccountId, Signature);
}

/// Key type of the controller keys the benchmarks make in the keystore.
#[cfg(feature = "runtime-benchmarks")]
pub const CONTROLLER_KEY_TYPE: sp_core::crypto::KeyTypeId = sp_core::crypto::KeyTypeId(*b"edct");

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper<sp_runtime::AccountId32, sp_runtime::MultiSignature> for () {
	fn sign_consent(
		seed: u32,
		message: &[u8],
	) -> (sp_runtime::AccountId32, sp_runtime::MultiSignature) {
		let phrase = alloc::format!("//endochain-bench-controller-{seed}");
		let public =
			sp_io::crypto::sr25519_generate(CONTROLLER_KEY_TYPE, Some(phrase.into_bytes()));
		let signature = sp_io::crypto::sr25519_sign(CONTROLLER_KEY_TYPE, &public, message)
			.expect("the key was just generated in the keystore; qed");
		(public.into(), signature.into())
	}
}
