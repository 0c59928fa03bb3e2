// polkadot.js against a dev chain: the lifecycle of a vulnerability case (pallet-uiv-sharing).
//
// Bob (a vendor) registers a product and opens a case about it; Alice is the development TA
// (and sudo). The admin sets a trust network whose output falls with the number of
// collaborators, so that the three invited SWs who ask in turn get high, medium and low trust:
// Charlie is granted (R1), Dave deferred (R3), Eve refused (R2). The TA delivers Charlie's
// package (commitments on chain). Every step is a log entry: an entry is checked against its
// finalized block's header with `endochain-uiv verify-log`, a tampered proof fails, and the
// case's hash chain verifies. Bob fixes the product, the TA discloses (the embargo ends) and
// the case exports as an OSV advisory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, sha256AsU8a } from '@polkadot/util-crypto';
import { startDevChain } from '../lib/node.js';
import { runUiv } from '../lib/uiv.js';

let node;
let api;
let dir;
let alice, bob, charlie, dave, eve;

before(async () => {
  await cryptoWaitReady();
  ({ node, api } = await startDevChain(ApiPromise, WsProvider));
  const keyring = new Keyring({ type: 'sr25519' });
  [alice, bob, charlie, dave, eve] = ['//Alice', '//Bob', '//Charlie', '//Dave', '//Eve'].map(
    (uri) => keyring.addFromUri(uri),
  );
  dir = mkdtempSync(join(tmpdir(), 'endochain-uiv-e2e-'));
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Signs and submits `tx`; resolves with its events once in a block, rejects on an error. */
function submit(tx, signer, timeoutMs = 90000) {
  return new Promise((ok, fail) => {
    const timer = setTimeout(
      () => fail(new Error('not in a block within the time limit')),
      timeoutMs,
    );
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        clearTimeout(timer);
        let message = dispatchError.toString();
        if (dispatchError.isModule) {
          const { section, name } = api.registry.findMetaError(dispatchError.asModule);
          message = `${section}.${name}`;
        }
        fail(new Error(message));
      } else if (status.isInBlock) {
        clearTimeout(timer);
        ok({ events, blockHash: status.asInBlock });
      }
    }).catch((e) => {
      clearTimeout(timer);
      fail(e);
    });
  });
}

/** The data of the first `UivSharing.<name>` event. */
function eventData(events, name) {
  const record = events.find(
    ({ event }) => event.section === 'uivSharing' && event.method === name,
  );
  assert.ok(record, `no UivSharing.${name} event`);
  return record.event.data;
}

/** A Q32.32 number as 8 little-endian bytes. */
function q32(x) {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt(Math.round(x * 2 ** 32)), true);
  return [...bytes];
}

/**
 * The SCALE blob of an `endo_trust::TrustModel` (format 1): one sigmoid neuron over the 11
 * features, `sigmoid(6 - 6 * collaborators)`. A fresh SW alone on a case gets 0.9975 (R1 with
 * the beta prior), the second 0.5 (R3), the third 0.0025 (R2).
 */
function collaboratorModel() {
  const weights = Array(11).fill(0);
  weights[0] = -6; // feature 0: collaborators
  const blob = [1, 0 /* no normalisation */, 1 << 2 /* one layer */, 11, 1, 2 /* sigmoid */];
  blob.push(11 << 2, ...weights.flatMap(q32), 1 << 2, ...q32(6));
  return u8aToHex(Uint8Array.from(blob));
}

async function finalizedNumber() {
  const head = await api.rpc.chain.getFinalizedHead();
  return (await api.rpc.chain.getHeader(head)).number.toNumber();
}

async function waitFinalized(block, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  while ((await finalizedNumber()) < block) {
    if (Date.now() > deadline) throw new Error(`block ${block} not finalized in time`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const purl = 'pkg:generic/acme/plc-controller';
const version = (parts) => ({ parts: [...parts, 0, 0, 0, 0].slice(0, 4), len: parts.length });
let caseId;

test('a vendor opens a case, the TA assesses it, the vendor accepts and invites three SWs', async () => {
  await submit(api.tx.uivSharing.registerVendor('Acme Automation'), bob);
  await submit(api.tx.uivSharing.registerProduct(purl, 'PLC controller'), bob);
  for (const sw of [charlie, dave, eve]) await submit(api.tx.uivSharing.registerWorker(), sw);
  await submit(api.tx.sudo.sudo(api.tx.uivSharing.setTrustModel(collaboratorModel())), alice);

  const reportHash = u8aToHex(sha256AsU8a('sealed report bytes'));
  const { events } = await submit(
    api.tx.uivSharing.openCase(
      alice.address,
      [[bob.address, purl, [{ introduced: version([1, 0, 0]), fixed: version([1, 4, 2]) }]]],
      {
        Cvss31: {
          av: 'Network',
          ac: 'Low',
          pr: 'None',
          ui: 'None',
          s: 'Unchanged',
          c: 'High',
          i: 'High',
          a: 'High',
        },
      },
      reportHash,
    ),
    bob,
  );
  caseId = eventData(events, 'CaseOpened').case.toNumber();
  let c = (await api.query.uivSharing.cases(caseId)).unwrap();
  assert.equal(c.report.toString(), 'Received');
  // The vendor's own case: everyone consents at once.
  assert.equal(c.embargo.toString(), 'Active');

  await submit(api.tx.uivSharing.assessCase(caseId, true), alice);
  await submit(api.tx.uivSharing.acceptCase(caseId), bob);
  for (const sw of [charlie, dave, eve]) {
    await submit(api.tx.uivSharing.inviteWorker(caseId, sw.address), bob);
  }
  c = (await api.query.uivSharing.cases(caseId)).unwrap();
  assert.equal(c.report.toString(), 'Accepted');
  assert.equal(c.invited.toNumber(), 3);
});

test('three SWs of high, medium and low trust ask: granted, deferred, refused', async () => {
  const decisions = [];
  for (const sw of [charlie, dave, eve]) {
    const { events } = await submit(api.tx.uivSharing.requestAccess(caseId), sw);
    const data = eventData(events, 'AccessDecided');
    decisions.push([data.state.toString(), data.trust.toNumber() / 1e9]);
  }
  assert.deepEqual(
    decisions.map(([state]) => state),
    ['Granted', 'Deferred', 'Refused'],
  );
  assert.ok(decisions[0][1] >= 0.8, `high trust ${decisions[0][1]}`);
  assert.ok(decisions[1][1] > 0.2 && decisions[1][1] < 0.8, `medium trust ${decisions[1][1]}`);
  assert.ok(decisions[2][1] <= 0.2, `low trust ${decisions[2][1]}`);
  // Only the granted SW became a participant.
  assert.ok((await api.query.uivSharing.participants(caseId, charlie.address)).isSome);
  assert.ok((await api.query.uivSharing.participants(caseId, eve.address)).isNone);
});

test('the TA delivers the granted package and commits to its tokens', async () => {
  const token = sha256AsU8a('access token');
  const tracing = sha256AsU8a('tracing token');
  const { events } = await submit(
    api.tx.uivSharing.deliverPackage(caseId, charlie.address, u8aToHex(token), u8aToHex(tracing)),
    alice,
  );
  assert.equal(eventData(events, 'PackageDelivered').worker.toString(), charlie.address);
  const access = (await api.query.uivSharing.accesses(caseId, charlie.address)).unwrap();
  assert.equal(access.state.toString(), 'Delivered');
  assert.equal(access.tokens.unwrap().len.toNumber(), 1);
  await assert.rejects(
    submit(
      api.tx.uivSharing.deliverPackage(caseId, eve.address, u8aToHex(token), u8aToHex(tracing)),
      alice,
    ),
    /UivSharing\.NoAccess|uivSharing\.NoAccess/,
  );
});

test('log entries verify against finalized headers; a tampered proof fails', async () => {
  const url = node.wsUrl;
  const c = (await api.query.uivSharing.cases(caseId)).unwrap();
  const last = c.log.len.toNumber() - 1;
  const [entry, block] = (await api.call.uivSharingApi.logProof(caseId, last)).unwrap();
  assert.equal(entry.case.toNumber(), caseId);
  await waitFinalized(block.toNumber());

  const verified = await runUiv([
    '--url',
    url,
    'verify-log',
    '--case',
    String(caseId),
    '--seq',
    String(last),
  ]);
  assert.equal(verified.code, 0, verified.stderr);
  assert.match(verified.stdout, /ok/);

  const proofFile = join(dir, 'proof.json');
  const exported = await runUiv([
    '--url',
    url,
    'export-proof',
    '--case',
    String(caseId),
    '--seq',
    '0',
    '--out',
    proofFile,
  ]);
  assert.equal(exported.code, 0, exported.stderr);
  const good = await runUiv(['--url', url, 'verify-log', '--proof-file', proofFile]);
  assert.equal(good.code, 0, good.stderr);

  // Tamper with the entry: one byte of its SCALE encoding.
  const proof = JSON.parse(readFileSync(proofFile, 'utf8'));
  const bytes = Buffer.from(proof.entry.slice(2), 'hex');
  bytes[bytes.length - 5] ^= 1;
  writeFileSync(proofFile, JSON.stringify({ ...proof, entry: `0x${bytes.toString('hex')}` }));
  const tampered = await runUiv(['--url', url, 'verify-log', '--proof-file', proofFile]);
  assert.equal(tampered.code, 2, `${tampered.stdout} ${tampered.stderr}`);
  assert.match(tampered.stdout + tampered.stderr, /FAILED/);

  const chain = await runUiv(['--url', url, 'verify-chain', '--case', String(caseId)]);
  assert.equal(chain.code, 0, chain.stderr);
});

test('the vendor fixes the product, the TA discloses (the embargo ends), the case exports as OSV', async () => {
  await submit(api.tx.uivSharing.setProductStatus(caseId, 0, 'Affected'), bob);
  await submit(api.tx.uivSharing.setProductStatus(caseId, 0, 'Fixed'), bob);
  const reportHash = u8aToHex(sha256AsU8a('the report, now public'));
  const { events } = await submit(
    api.tx.uivSharing.disclose(caseId, reportHash, 'https://acme.example/advisories/1'),
    alice,
  );
  eventData(events, 'CaseDisclosed');
  const c = (await api.query.uivSharing.cases(caseId)).unwrap();
  assert.equal(c.embargo.toString(), 'Exited');
  assert.ok(c.disclosed.isSome);

  const osv = await runUiv([
    '--url',
    node.wsUrl,
    'export',
    '--case',
    String(caseId),
    '--format',
    'osv',
  ]);
  assert.equal(osv.code, 0, osv.stderr);
  const doc = JSON.parse(osv.stdout);
  assert.ok(doc.id && doc.schema_version && doc.modified);
  assert.equal(doc.affected[0].package.purl, purl);
  assert.equal(doc.severity[0].type, 'CVSS_V3');
  assert.match(doc.severity[0].score, /^CVSS:3\.1\/AV:N\/AC:L\/PR:N\/UI:N\/S:U\/C:H\/I:H\/A:H$/);

  await submit(api.tx.uivSharing.closeCase(caseId), bob);
  assert.equal((await api.query.uivSharing.cases(caseId)).unwrap().report.toString(), 'Closed');
});
