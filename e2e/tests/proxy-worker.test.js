// polkadot.js against a dev chain: the proxy node's off-chain worker (pallet-device-identity,
// `offchain.rs`) makes the IBE and cross-domain paths work with no manual step.
//
// The `endochain-device` tool plays the KGC: it makes an SM9 master key and an enrolment key
// (`kgc new`), which sudo registers; it issues a device's SM9 credential with the enrolment
// co-signature (`kgc issue`). The device registers (unsigned) and stays `Pending` until the
// worker of the dev node, which holds Alice's proxy key (`edpx`, inserted by `--dev`), verifies
// the credential natively and submits its vote: the device becomes `Active` by itself. A
// forged credential is voted invalid and rejected. Then the device asks, with its own proof, to
// be admitted to a second domain (a CA made by `ca new`); the worker vouches and
// `device_status` shows the second domain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aConcat } from '@polkadot/util';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevChain } from '../lib/node.js';
import { deviceBinary, runDevice } from '../lib/device.js';
import { bestNumber, challengeReport, eventData, submit, until } from '../lib/chain.js';
import {
  deviceStatus,
  enrolDevice,
  prove,
  registerAuthority,
  registerIbe,
  setUpKgc,
  tags,
} from '../lib/ibe.js';

let TAGS;
let node;
let api;
let dir;
let alice;
const shared = {};

before(async () => {
  deviceBinary();
  TAGS = await tags();
  assert.ok(TAGS.register.length > 0 && TAGS.crossDomain.length > 0, 'the tool prints the tags');
  await cryptoWaitReady();
  alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  dir = mkdtempSync(join(tmpdir(), 'endochain-proxy-e2e-'));
  ({ node, api } = await startDevChain(ApiPromise, WsProvider));
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The `section.method` events of the blocks from `from` to the best, with their extrinsic. */
async function eventsSince(from, section, method) {
  const found = [];
  for (let n = from; n <= (await bestNumber(api)); n += 1) {
    const hash = await api.rpc.chain.getBlockHash(n);
    const [block, events] = await Promise.all([
      api.rpc.chain.getBlock(hash),
      api.query.system.events.at(hash),
    ]);
    for (const { event, phase } of events) {
      if (event.section !== section || event.method !== method) continue;
      const index = phase.isApplyExtrinsic ? phase.asApplyExtrinsic.toNumber() : null;
      const call = index === null ? null : block.block.extrinsics[index].method;
      found.push({ data: event.data, extrinsic: call && `${call.section}.${call.method}` });
    }
  }
  return found;
}

test('sudo registers a KGC the tool made, with its enrolment key', async () => {
  shared.kgc = await setUpKgc(api, alice, dir);
  assert.match(shared.kgc.keys.authorityKey.Ibe, /^0x[0-9a-f]{256}$/);
  const key = await api.query.deviceIdentity.enrolmentKeys(shared.kgc.authority);
  assert.equal(key.unwrap().toHex(), shared.kgc.keys.enrolmentKey);
});

test('an IBE device registers and becomes active with no manual step', async () => {
  const device = await enrolDevice(dir, 'ibe');
  const { block: registeredAt, submittedAt } = await registerIbe(
    api,
    TAGS.register,
    shared.kgc,
    device,
  );
  // Alice's worker verifies the SM9 credential and votes; on a one-validator chain her vote
  // settles it.
  const active = await until(
    () => deviceStatus(api, device.id),
    (s) => s?.status.isActive,
    'the device becomes active',
    120000,
  );
  const seconds = (Date.now() - submittedAt) / 1000;
  const blocks = (await bestNumber(api)) - registeredAt;
  console.log(`# registration to active: ${seconds.toFixed(1)} s, ${blocks} blocks`);
  assert.ok(active.authenticated, 'authenticated at once: the registration proof counts');
  // The vote came from Alice's worker, as an authorized `submit_attestation`.
  const votes = await eventsSince(registeredAt, 'deviceIdentity', 'Attested');
  const vote = votes.find(({ data }) => data[0].toHex() === device.id);
  assert.ok(vote, 'deviceIdentity.Attested emitted');
  assert.equal(vote.data[1].toString(), alice.address);
  assert.ok(vote.data[2].isCredentialValid);
  assert.equal(vote.extrinsic, 'deviceIdentity.submitAttestation');
  shared.device = device;
});

test('a forged credential is voted invalid by the worker and the registration rejected', async () => {
  const device = await enrolDevice(dir, 'forged');
  const other = await enrolDevice(dir, 'other');
  await registerIbe(api, TAGS.register, shared.kgc, device, other);
  await until(
    () => deviceStatus(api, device.id),
    (s) => s === null || s.status.isRejected,
    'the forged registration is rejected',
    120000,
  );
  const s = await deviceStatus(api, device.id);
  assert.ok(s === null || !s.status.isActive);
});

test('a device asks for a second domain with its own proof; the worker admits it', async () => {
  const ca = await runDevice(['ca', 'new', '--out', join(dir, 'ca.json')]);
  const target = await registerAuthority(api, alice, ca.authorityKey);
  const device = shared.device;
  assert.ok(device, 'the IBE device of the previous test');
  const report = await challengeReport(api, 5);
  const purpose = u8aConcat(TAGS.crossDomain, api.createType('u32', target).toU8a());
  const proof = await prove(device, report, purpose);
  const { events } = await submit(
    api,
    api.tx.deviceIdentity.requestCrossDomainUnsigned(device.id, target, report.epoch, proof),
  );
  const requested = eventData(events, 'deviceIdentity', 'CrossDomainRequested');
  assert.ok(requested, 'deviceIdentity.CrossDomainRequested emitted');
  assert.ok(requested[2].isTrue, 'asked by the device');
  const admitted = await until(
    () => deviceStatus(api, device.id),
    (s) => s?.domains.some((d) => d.authority.toNumber() === target),
    'the device is admitted to the second domain',
    120000,
  );
  const entry = admitted.domains.find((d) => d.authority.toNumber() === target);
  assert.ok(entry.kind.isPki);
  assert.ok(entry.expiresAt.isSome, 'a whitelist entry expires');
  // The request stays, admitted, until it expires: one request per device in that time.
  const request = await api.query.deviceIdentity.crossDomainRequests(device.id);
  assert.ok(request.unwrap().admitted.isTrue);
});

test('Alice moves her proxy role to a key of her node; the worker votes with it', async () => {
  // The key is the node's, not the account's: `proxy-key` prints it with its proof of
  // belonging to Alice's account, the node's keystore gets it (author_insertKey, an unsafe RPC
  // a local dev node allows), and Alice registers it.
  const { key, proof } = await runDevice([
    'proxy-key',
    '--key-suri',
    '//AliceProxyNode',
    '--genesis',
    api.genesisHash.toHex(),
    '--account',
    alice.address,
  ]);
  await api.rpc.author.insertKey('edpx', '//AliceProxyNode', key);
  const { events } = await submit(api, api.tx.deviceIdentity.setProxyKey(key, proof), alice);
  assert.ok(eventData(events, 'deviceIdentity', 'ProxyKeySet'), 'deviceIdentity.ProxyKeySet');
  assert.equal((await api.query.deviceIdentity.proxyKeyOf(alice.address)).unwrap().toHex(), key);
  // Someone else's proof does not register a key.
  const bob = new Keyring({ type: 'sr25519' }).addFromUri('//Bob');
  await assert.rejects(
    submit(api, api.tx.deviceIdentity.setProxyKey(key, proof), bob),
    /deviceIdentity\.NotProxy/,
  );
  // A new IBE device: the vote that activates it is signed with the new key, for Alice.
  const device = await enrolDevice(dir, 'after-key-change');
  const { block } = await registerIbe(api, TAGS.register, shared.kgc, device);
  await until(
    () => deviceStatus(api, device.id),
    (s) => s?.status.isActive,
    'the device becomes active',
    120000,
  );
  const votes = await eventsSince(block, 'deviceIdentity', 'Attested');
  const vote = votes.find(({ data }) => data[0].toHex() === device.id);
  assert.ok(vote, 'deviceIdentity.Attested emitted');
  assert.equal(vote.data[1].toString(), alice.address);
});
