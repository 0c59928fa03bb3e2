// polkadot.js against a dev chain: endogenous device identity end to end. A device enrolled
// with the `endochain-device` tool (a simulated SRAM PUF, crates/endo-device) registers in a PKI
// domain: sudo registers a CA (an sr25519 keyring account), the CA certifies the device's ID,
// the tool proves possession of the PUF-derived key for the epoch's challenge, and the
// registration is an unsigned extrinsic that binds a controller account with its signed consent
// (the tool signs it with a secret URI, or polkadot.js signs the message the tool prints). Then
// the runtime API reports the device as authenticated in its home domain; a duplicate
// registration, a registration with a flipped proof byte, a consent signed by someone else than
// the controller and a second proof in the same epoch are all rejected by the transaction pool
// with the pallet's error codes (`InvalidTransaction::Custom(index of the error)`).
//
// Only the node's metadata is used: every type is the runtime's, through api.createType.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, randomAsHex } from '@polkadot/util-crypto';
import { startDevChain } from '../lib/node.js';
import { deviceBinary, runDevice } from '../lib/device.js';
import * as chain from '../lib/chain.js';

// Domain-separation tags of pallet-device-identity (docs/ENDOGENOUS-IDENTITY.md §8), as bytes:
// taken from the Rust side (`endochain-device tags`, i.e. endo_crypto::device_identity) in
// `before`, never copied here.
let REGISTER_TAG;
let CERTIFICATE_TAG;
let CONSENT_TAG;

let node;
let api;
let dir;
let alice;
let ca;
// Shared by the tests, in order: the CA's authority index, the registered device, its epoch.
const shared = {};

before(async () => {
  deviceBinary(); // fail early, with the build hint, if the tool is missing
  const tags = await runDevice(['tags']);
  REGISTER_TAG = hexToU8a(tags.registerPurposeTag);
  CERTIFICATE_TAG = hexToU8a(tags.certificateTag);
  CONSENT_TAG = hexToU8a(tags.controllerConsentTag);
  assert.ok(
    REGISTER_TAG.length > 0 && CERTIFICATE_TAG.length > 0 && CONSENT_TAG.length > 0,
    'the tool prints the tags',
  );
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  alice = keyring.addFromUri('//Alice');
  ca = keyring.addFromUri('//EndochainTestCA');
  dir = mkdtempSync(join(tmpdir(), 'endochain-device-e2e-'));
  ({ node, api } = await startDevChain(ApiPromise, WsProvider));
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const bestNumber = () => chain.bestNumber(api);
const challengeReport = (minBlocksLeft, timeoutMs) =>
  chain.challengeReport(api, minBlocksLeft, timeoutMs);
const submit = (tx, signer, timeoutMs) => chain.submit(api, tx, signer, timeoutMs);

/** Waits until the best block is past `number`. */
async function waitPastBlock(number, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while ((await bestNumber()) <= number) {
    if (Date.now() > deadline) throw new Error(`block ${number + 1} not reached`);
    await sleep(500);
  }
}

/** The transaction-pool rejection `Custom(code)` of pallet error `name`, as the RPC reports it. */
function poolError(name) {
  const code = api.errors.deviceIdentity[name].meta.index.toNumber();
  return (e) => {
    assert.match(
      e.message,
      new RegExp(`Invalid Transaction: Custom error: ${code}(\\D|$)`),
      `expected deviceIdentity.${name} (Custom error: ${code}), got: ${e.message}`,
    );
    return true;
  };
}

/** The runtime's type names of register_device's arguments. */
function registerArgTypes() {
  const types = {};
  for (const arg of api.tx.deviceIdentity.registerDevice.meta.args) {
    types[arg.name.toString()] = arg.type.toString();
  }
  return types;
}

/**
 * A PKI credential: the CA signs SCALE((CERTIFICATE_TAG, genesis_hash, subject, expires_at))
 * with its sr25519 key (MultiSignature::Sr25519).
 */
function issueCertificate(genesisHash, subject, expiresAt) {
  const credentialType = registerArgTypes().credential;
  // The runtime's block-number type, from the credential type itself.
  const unsigned = api.createType(credentialType, {
    Pki: { certificate: { subject, expiresAt, signature: { Sr25519: new Uint8Array(64) } } },
  });
  const expiresAtType = unsigned.asPki.certificate.expiresAt.toRawType();
  const message = api
    .createType(`(Bytes, [u8; 32], [u8; 32], ${expiresAtType})`, [
      u8aToHex(CERTIFICATE_TAG),
      genesisHash,
      subject,
      expiresAt,
    ])
    .toU8a();
  // compact(40) ‖ tag (40) ‖ genesis (32) ‖ subject (32) ‖ expires_at
  assert.equal(
    message.length,
    1 + CERTIFICATE_TAG.length + 32 + 32 + unsigned.asPki.certificate.expiresAt.encodedLength,
  );
  const signature = ca.sign(message);
  return api.createType(credentialType, {
    Pki: { certificate: { subject, expiresAt, signature: { Sr25519: u8aToHex(signature) } } },
  });
}

/**
 * REGISTER_TAG ‖ SCALE((authority: u32, controller: Option<AccountId>, credential)): the
 * controller's account only, not its consent signature.
 */
function registerPurpose(authority, account, credential) {
  const types = registerArgTypes();
  const encoded = api
    .createType(`(${types.authority}, Option<AccountId>, ${types.credential})`, [
      authority,
      account,
      credential,
    ])
    .toU8a();
  // The tuple is the concatenation of the fields, each as the call encodes it.
  assert.deepEqual(
    encoded,
    u8aConcat(
      api.createType(types.authority, authority).toU8a(),
      api.createType('Option<AccountId>', account).toU8a(),
      credential.toU8a(),
    ),
  );
  return u8aConcat(REGISTER_TAG, encoded);
}

/**
 * The message a controller signs to consent to its binding to `device`:
 * SCALE((CONSENT_TAG, genesis_hash, ID, public key, authority: u32)), built here from the
 * runtime's types and checked against the tool's `consent` output.
 */
async function consentMessage(genesisHash, device, authority) {
  const message = api
    .createType('(Bytes, [u8; 32], [u8; 32], [u8; 32], u32)', [
      u8aToHex(CONSENT_TAG),
      genesisHash,
      device.id,
      device.publicKey,
      authority,
    ])
    .toU8a();
  const fromTool = await runDevice([
    'consent',
    '--device',
    device.file,
    '--genesis',
    genesisHash,
    '--authority',
    String(authority),
  ]);
  assert.equal(fromTool.message, u8aToHex(message), 'the tool and polkadot.js agree');
  return message;
}

/**
 * register_device's `controller` argument: `controller`'s account and a consent `signer`'s
 * signature (the controller's own, unless a test forges it), signed here with polkadot.js.
 */
async function consent(genesisHash, device, controller, signer = controller) {
  const message = await consentMessage(genesisHash, device, shared.authority);
  return {
    account: controller.address,
    signature: { Sr25519: u8aToHex(signer.sign(message)) },
  };
}

/** Enrols a new simulated device with the tool; returns { file, id, publicKey }. */
async function enrolDevice(name) {
  const file = join(dir, `${name}.json`);
  const identity = await runDevice([
    'enroll',
    '--seed',
    randomAsHex(32),
    '--ber',
    '0.10',
    '--out',
    file,
  ]);
  const shown = await runDevice(['show', '--device', file]);
  assert.deepEqual(shown, identity);
  assert.match(identity.id, /^0x[0-9a-f]{64}$/);
  assert.match(identity.publicKey, /^0x[0-9a-f]{64}$/);
  return { file, ...identity };
}

/**
 * Everything register_device needs for `device` in the current epoch (with at least
 * `minBlocksLeft` blocks of it to go): a certificate from the CA, the controller's consent
 * (`makeConsent(genesisHash)`, or none), the purpose, and the tool's proof. Returns the call's
 * arguments in order and the epoch.
 */
async function registration(device, makeConsent, minBlocksLeft) {
  const report = await challengeReport(minBlocksLeft);
  const genesisHash = report.genesisHash.toHex();
  const expiresAt = (await bestNumber()) + 10_000;
  const credential = issueCertificate(genesisHash, device.id, expiresAt);
  const controller = makeConsent ? await makeConsent(genesisHash) : null;
  const purpose = registerPurpose(shared.authority, controller?.account ?? null, credential);
  const proved = await runDevice([
    'prove',
    '--device',
    device.file,
    '--genesis',
    genesisHash,
    '--challenge',
    report.challenge.toHex(),
    '--purpose',
    u8aToHex(purpose),
  ]);
  assert.equal(proved.id, device.id);
  assert.equal(proved.publicKey, device.publicKey);
  const epoch = report.epoch.toNumber();
  return {
    epoch,
    args: [
      device.id,
      device.publicKey,
      shared.authority,
      credential,
      controller,
      epoch,
      proved.proof,
    ],
  };
}

/** Blocks of margin so that registration and the same-epoch authentication share an epoch. */
function epochMargin() {
  const length = api.consts.deviceIdentity.epochLength.toNumber();
  return Math.max(1, Math.min(10, length - 2));
}

test('the runtime API issues a challenge for the current epoch', async () => {
  const report = await challengeReport();
  assert.equal(
    report.genesisHash.toHex(),
    api.genesisHash.toHex(),
    "the transcript's genesis hash is the chain's",
  );
  assert.equal(report.challenge.length, 32);
  assert.notEqual(report.challenge.toHex(), u8aToHex(new Uint8Array(32)));
  assert.equal(
    report.endsAt.toNumber() - report.startedAt.toNumber(),
    api.consts.deviceIdentity.epochLength.toNumber(),
  );
  assert.ok(report.startedAt.toNumber() <= (await bestNumber()));
});

test('sudo registers a PKI certificate authority with an sr25519 key', async () => {
  const call = api.tx.deviceIdentity.registerAuthority({ Pki: { Sr25519: ca.publicKey } });
  const { events } = await submit(api.tx.sudo.sudo(call), alice);
  const sudid = events.find(({ event }) => api.events.sudo.Sudid.is(event));
  assert.ok(sudid, 'sudo.Sudid emitted');
  const result = sudid.event.data[0];
  assert.ok(
    result.isOk,
    `sudo call failed: ${result.isErr ? chain.describeDispatchError(api, result.asErr) : ''}`,
  );
  const registered = events.find(({ event }) =>
    api.events.deviceIdentity.AuthorityRegistered.is(event),
  );
  assert.ok(registered, 'deviceIdentity.AuthorityRegistered emitted');
  const [authority, kind] = registered.event.data;
  assert.ok(kind.isPki);
  shared.authority = authority.toNumber();
  const stored = await api.query.deviceIdentity.authorities(shared.authority);
  assert.ok(stored.isSome);
  const info = stored.unwrap();
  assert.ok(info.status.isActive);
  assert.equal(info.key.asPki.asSr25519.toHex(), u8aToHex(ca.publicKey));
});

test('a device enrolled from its PUF registers with a certificate, unsigned', async () => {
  assert.ok(shared.authority !== undefined, 'the CA was registered');
  const device = await enrolDevice('device-1');
  const controller = new Keyring({ type: 'sr25519' }).addFromUri('//Dave').address;
  // The controller's consent, signed by the tool with //Dave's secret URI.
  const signedByTool = async (genesisHash) => {
    const out = await runDevice([
      'consent',
      '--device',
      device.file,
      '--genesis',
      genesisHash,
      '--authority',
      String(shared.authority),
      '--controller-suri',
      '//Dave',
    ]);
    assert.equal(
      out.message,
      u8aToHex(await consentMessage(genesisHash, device, shared.authority)),
    );
    return out.controller;
  };
  const { epoch, args } = await registration(device, signedByTool, epochMargin());

  const { events, blockHash } = await submit(api.tx.deviceIdentity.registerDevice(...args));
  const registered = events.find(({ event }) =>
    api.events.deviceIdentity.DeviceRegistered.is(event),
  );
  assert.ok(registered, 'deviceIdentity.DeviceRegistered emitted');
  const [id, authority, boundController] = registered.event.data;
  assert.equal(id.toHex(), device.id);
  assert.equal(authority.toNumber(), shared.authority);
  assert.equal(boundController.unwrap().toString(), controller);
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));

  // The paper's match step: authenticated, in its PKI home domain.
  const status = await api.call.deviceIdentityApi.deviceStatus(device.id);
  assert.ok(status.isSome, 'deviceStatus knows the device');
  const report = status.unwrap();
  assert.ok(report.status.isActive, `status ${report.status.type}`);
  assert.equal(report.authenticated.isTrue, true, 'authenticated');
  assert.ok(report.domain.isPki);
  assert.equal(report.authority.toNumber(), shared.authority);
  assert.equal(report.domains.length, 1);
  assert.equal(report.domains[0].authority.toNumber(), shared.authority);
  assert.ok(report.domains[0].kind.isPki);
  assert.ok(report.domains[0].expiresAt.isNone, 'the home domain does not expire');
  assert.equal(report.controller.unwrap().toString(), controller);
  // The registration proof counts as the epoch's authentication.
  assert.equal(report.lastProofEpoch.unwrap().toNumber(), epoch);
  const included = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  assert.equal(report.lastProofAt.unwrap().toNumber(), included);
  assert.equal(report.strikes.toNumber(), 0);
  Object.assign(shared, { device, controller, epoch });
});

test('an authentication in the registration epoch is rejected as replayed', async () => {
  assert.ok(shared.device, 'the device was registered');
  const report = await challengeReport();
  assert.equal(
    report.epoch.toNumber(),
    shared.epoch,
    'still the registration epoch (EpochLength too short for this test?)',
  );
  const proved = await runDevice([
    'prove',
    '--device',
    shared.device.file,
    '--genesis',
    report.genesisHash.toHex(),
    '--challenge',
    report.challenge.toHex(),
    '--purpose',
    'authenticate',
  ]);
  await assert.rejects(
    api.tx.deviceIdentity.authenticate(shared.device.id, shared.epoch, proved.proof).send(),
    poolError('ProofReplayed'),
  );
  // Still authenticated by its registration proof.
  const status = (await api.call.deviceIdentityApi.deviceStatus(shared.device.id)).unwrap();
  assert.equal(status.authenticated.isTrue, true);
  assert.equal(status.lastProofEpoch.unwrap().toNumber(), shared.epoch);
});

test('a second registration of the same ID is rejected by the pool', async () => {
  assert.ok(shared.device, 'the device was registered');
  const { args } = await registration(shared.device, null, 2);
  await assert.rejects(
    api.tx.deviceIdentity.registerDevice(...args).send(),
    poolError('AlreadyRegistered'),
  );
});

test('a registration with a flipped proof byte is rejected and changes nothing', async () => {
  assert.ok(shared.authority !== undefined, 'the CA was registered');
  const device = await enrolDevice('device-2');
  const eve = new Keyring({ type: 'sr25519' }).addFromUri('//Eve');
  const controller = eve.address;
  const { args } = await registration(device, (g) => consent(g, device, eve), 2);
  const proof = hexToU8a(args[6]);
  proof[32] ^= 0xff; // the low byte of the response z: still canonical, no longer valid
  args[6] = u8aToHex(proof);
  const devicesBefore = (await api.query.deviceIdentity.counterForDevices()).toNumber();
  const at = await bestNumber();

  await assert.rejects(
    api.tx.deviceIdentity.registerDevice(...args).send(),
    poolError('ProofInvalid'),
  );

  await waitPastBlock(at);
  assert.ok((await api.call.deviceIdentityApi.deviceStatus(device.id)).isNone);
  assert.ok((await api.query.deviceIdentity.devices(device.id)).isNone);
  assert.ok((await api.query.deviceIdentity.controllerDevice(controller)).isNone);
  assert.equal((await api.query.deviceIdentity.counterForDevices()).toNumber(), devicesBefore);
});

test('a controller named without its own consent is rejected and not bound', async () => {
  assert.ok(shared.authority !== undefined, 'the CA was registered');
  const device = await enrolDevice('device-3');
  const keyring = new Keyring({ type: 'sr25519' });
  const victim = keyring.addFromUri('//Ferdie');
  const holder = keyring.addFromUri('//EndochainDeviceHolder');
  // The device holder signs in the victim's name.
  const { args } = await registration(device, (g) => consent(g, device, victim, holder), 2);
  const devicesBefore = (await api.query.deviceIdentity.counterForDevices()).toNumber();
  const at = await bestNumber();

  await assert.rejects(
    api.tx.deviceIdentity.registerDevice(...args).send(),
    poolError('ControllerConsentInvalid'),
  );

  await waitPastBlock(at);
  assert.ok((await api.query.deviceIdentity.devices(device.id)).isNone);
  assert.ok((await api.query.deviceIdentity.controllerDevice(victim.address)).isNone);
  assert.equal((await api.query.deviceIdentity.counterForDevices()).toNumber(), devicesBefore);
});
