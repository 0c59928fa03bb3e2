// polkadot.js against a dev chain: the lifecycle of a vulnerability case (pallet-uiv-sharing).
//
// Bob (a vendor) registers a product and opens a case about it with `endochain-uiv open-case`,
// which seals the report to the TA and hands it to the TA's node; Alice is the development TA
// (the dev node holds her `uiva` key) and sudo. The admin sets a trust network whose output
// falls with the number of collaborators, so that the three invited SWs who ask in turn get
// high, medium and low trust: Charlie is granted (R1), Dave deferred (R3), Eve refused (R2).
// Charlie fetches his package from the TA's node (`fetch-package`): the node seals the report,
// marked with his tracing token, to him and his host and submits `deliver_package` by itself;
// the package opens on his host only. The TA resolves Dave's deferral with a trap: Dave's
// package, of the same form, holds a decoy; its leaked plaintext traces to him, and once the
// TA's node reveals the trap the chain bars him (trust 0), the embargo untouched. A copy of
// Charlie's package that he opens on another machine destroys itself and reports the slip,
// signed with his key: an alarm and the trust ledger's evidence, no conspirator. His opened
// report, leaked and reformatted, still traces to him: a conspirator, and with the leak of the
// real report on record the TA ends the embargo before its deadline. A report with a token
// that traces to nothing is refused and pays its fee. Bob's sealed report, copied into a case Eve opens, does
// not open there; the node, killed and restarted, still hands Charlie the same package; and his
// `end-session` makes the node renew his token. Every step is a log entry: an entry is checked against its
// finalized block's header with `endochain-uiv verify-log`, a tampered proof fails, and the
// case's hash chain verifies. Bob fixes the product, the TA discloses (the embargo ends) and
// the case exports as an OSV advisory.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
  rmSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { u8aToHex } from '@polkadot/util';
import { cryptoWaitReady, sha256AsU8a } from '@polkadot/util-crypto';
import { startDevChain } from '../lib/node.js';
import { collaboratorModel, openCaseArgs, runUiv } from '../lib/uiv.js';
import { until } from '../lib/chain.js';

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
const report =
  "Heap overflow in the PLC controller's Modbus/TCP write-multiple-registers handler.\n";
let caseId;
let reportFile;

/** The text without the zero-width characters of tracing marks. */
const unmarked = (text) => text.replace(/[\u200B\u200C\u200D\u2060]/g, '');

/** Runs `endochain-uiv` against the dev node as `suri`; resolves with its result. */
function uiv(suri, args) {
  return runUiv(['--url', node.wsUrl, '--suri', suri, ...args]);
}

/** Runs `endochain-uiv` against the dev node as `suri`; resolves with the parsed JSON. */
async function uivJson(suri, args) {
  const r = await uiv(suri, args);
  assert.equal(r.code, 0, `${args[0]}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('a vendor opens a case, the TA assesses it, the vendor accepts and invites three SWs', async () => {
  await submit(api.tx.uivSharing.registerVendor('Acme Automation'), bob);
  await submit(api.tx.uivSharing.registerProduct(purl, 'PLC controller'), bob);
  for (const sw of [charlie, dave, eve]) await submit(api.tx.uivSharing.registerWorker(), sw);
  await submit(api.tx.sudo.sudo(api.tx.uivSharing.setTrustModel(collaboratorModel())), alice);

  reportFile = join(dir, 'report.txt');
  writeFileSync(reportFile, report);
  const opened = await uiv('//Bob', [
    ...openCaseArgs(alice.address, bob.address, purl, reportFile),
  ]);
  assert.equal(opened.code, 0, opened.stderr);
  const out = JSON.parse(opened.stdout);
  caseId = out.case;
  // The TA's node took the sealed report (its hash is the case's).
  assert.equal(out.reportToTa.submitted, true, JSON.stringify(out.reportToTa));
  let c = (await api.query.uivSharing.cases(caseId)).unwrap();
  assert.equal(c.reportHash.toHex(), out.reportHash);
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

test('the TA node delivers the granted package, sealed to the SW for its host', async (t) => {
  const fingerprint = join(dir, 'charlie-host');
  writeFileSync(
    fingerprint,
    'endochain-host/v1\nmachine-id:charlie-workstation\nmac:02:00:00:00:00:03\n',
  );
  const packageFile = join(dir, 'charlie.package');
  const host = ['--host-fingerprint', fingerprint];
  const fetched = await uivJson('//Charlie', [
    ...host,
    'fetch-package',
    '--case',
    String(caseId),
    '--out',
    packageFile,
  ]);
  // Decision (the grant) to delivery: the fetch, the sealing and deliver_package in a block.
  t.diagnostic(`uiv delivery: fetch to deliver_package in a block ${fetched.waitedMs} ms`);
  const access = (await api.query.uivSharing.accesses(caseId, charlie.address)).unwrap();
  assert.equal(access.state.toString(), 'Delivered');
  assert.equal(access.tracingCommitment.unwrap().toHex(), fetched.tracingCommitment);
  assert.equal(access.tokens.unwrap().len.toNumber(), 1);

  // It opens on Charlie's host, with the report the vendor sealed to the TA.
  const reportOut = join(dir, 'charlie-report.txt');
  await uivJson('//Charlie', [...host, 'open', packageFile, '--out', reportOut]);
  const opened = readFileSync(reportOut, 'utf8');
  // The report, with the tracing mark embedded invisibly.
  assert.equal(unmarked(opened), report);
  assert.ok(opened.length > report.length, 'the report carries a tracing mark');
  // Fetching again hands the same package; another host, another SW or a wrong key get nothing.
  const again = await uivJson('//Charlie', [
    ...host,
    'fetch-package',
    '--case',
    String(caseId),
    '--out',
    packageFile,
    '--force',
  ]);
  assert.equal(again.tracingCommitment, fetched.tracingCommitment);
  const elsewhere = join(dir, 'other-host');
  writeFileSync(elsewhere, 'endochain-host/v1\nmachine-id:somewhere-else\n');
  const otherHost = await uiv('//Charlie', [
    '--host-fingerprint',
    elsewhere,
    'fetch-package',
    '--case',
    String(caseId),
    '--out',
    join(dir, 'x'),
  ]);
  assert.match(otherHost.stderr, /another host/);
  const byDave = await uiv('//Dave', ['--host-fingerprint', elsewhere, 'open', packageFile]);
  assert.match(byDave.stderr, /does not open/);
  assert.ok(existsSync(packageFile), 'a package that does not open is not destroyed');
  for (const [suri, why] of [
    ['//Dave', 'is deferred; the TA has not decided on it yet'],
    ['//Eve', 'is Refused: nothing to deliver'],
  ]) {
    const r = await runUiv([
      '--url',
      node.wsUrl,
      '--suri',
      suri,
      ...host,
      'fetch-package',
      '--case',
      String(caseId),
      '--out',
      join(dir, 'y'),
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`access to case ${caseId} ${why}`));
  }
  // Only the TA delivers, and only to a granted SW.
  await assert.rejects(
    submit(
      api.tx.uivSharing.deliverPackage(
        caseId,
        eve.address,
        fetched.tracingCommitment,
        fetched.tracingCommitment,
      ),
      alice,
    ),
    /UivSharing\.NoAccess|uivSharing\.NoAccess/,
  );
});

test('a deferred SW gets a trap like any package; its leaked plaintext bars it', async () => {
  // The TA's operator resolves Dave's deferral with a decoy (an unsafe RPC on the TA's node).
  const decoy = join(dir, 'decoy.txt');
  writeFileSync(
    decoy,
    'Stack overflow in the PLC controller firmware update parser when the image header is long.\n',
  );
  await uivJson('//Alice', [
    'resolve-deferred',
    '--case',
    String(caseId),
    '--worker',
    dave.address,
    '--trap',
    '--decoy',
    decoy,
  ]);
  const daveHost = join(dir, 'dave-host');
  writeFileSync(daveHost, 'endochain-host/v1\nmachine-id:dave-laptop\nmac:02:00:00:00:00:04\n');
  const host = ['--host-fingerprint', daveHost];
  const packageFile = join(dir, 'dave.package');
  const fetched = await uivJson('//Dave', [
    ...host,
    'fetch-package',
    '--case',
    String(caseId),
    '--out',
    packageFile,
  ]);
  // On chain a delivery like any other: nothing says trap.
  const access = (await api.query.uivSharing.accesses(caseId, dave.address)).unwrap();
  assert.equal(access.state.toString(), 'Delivered');
  let trace = (await api.call.uivSharingApi.trace(caseId, fetched.tracingCommitment)).unwrap();
  assert.equal(trace.worker.toString(), dave.address);
  assert.ok(trace.trap.isCommitted);
  const daveReport = join(dir, 'dave-report.txt');
  await uivJson('//Dave', [...host, 'open', packageFile, '--out', daveReport]);
  const plaintext = readFileSync(daveReport, 'utf8');
  assert.equal(unmarked(plaintext), readFileSync(decoy, 'utf8'));

  // Dave leaks the plaintext; Eve finds it, traces it and reports it.
  const leaked = join(dir, 'dave-leaked.txt');
  writeFileSync(leaked, plaintext.replace(/\n/g, '\r\n').replace(/ /g, '  '));
  const traced = await uivJson('//Eve', ['trace', leaked, '--report']);
  assert.equal(traced.marks[0].worker, dave.address);
  assert.ok(!traced.marks[0].report.error, JSON.stringify(traced.marks[0].report));
  // The TA's node sees the leak of its deferred delivery and reveals the trap: Dave is barred.
  trace = await until(
    async () => (await api.call.uivSharingApi.trace(caseId, fetched.tracingCommitment)).unwrap(),
    (t) => t.trap.isRevealed,
    'the trap revealed',
  );
  assert.equal(trace.trap.asRevealed.isTrue, true);
  assert.equal(trace.leaks.toNumber(), 1);
  const worker = (await api.query.uivSharing.workers(dave.address)).unwrap();
  assert.equal(worker.profile.barred.isTrue, true);
  assert.ok(worker.profile.conspirators.toNumber() >= 1);
  assert.equal(
    (await api.query.proofOfTrust.ledger(dave.address)).unwrap().sanctioned.isTrue,
    true,
  );
  // A trap's content is false: the case's embargo is untouched.
  const c = (await api.query.uivSharing.cases(caseId)).unwrap();
  assert.notEqual(c.embargo.toString(), 'Exited');
});

test('codepreleak: a package opened off its host destroys itself and reports the slip', async () => {
  const packageFile = join(dir, 'charlie.package');
  const stolen = join(dir, 'stolen.package');
  copyFileSync(packageFile, stolen);
  const elsewhere = join(dir, 'other-host');
  const before = (await api.query.proofOfTrust.ledger(charlie.address)).unwrap();
  const r = await uiv('//Charlie', ['--host-fingerprint', elsewhere, 'open', stolen]);
  assert.equal(r.code, 3, `${r.stdout} ${r.stderr}`);
  const out = JSON.parse(r.stdout);
  assert.match(out.why, /not the host the package was licensed to/);
  assert.ok(!out.reported.error, JSON.stringify(out.reported));
  assert.ok(!existsSync(stolen), 'the copy is destroyed');
  assert.ok(existsSync(packageFile), 'the licensed copy is untouched');

  // The chain traced it to Charlie. The feedback is signed with his own key (only it opens the
  // package): a machine of his own, a slip: an alarm and the trust ledger's evidence, no
  // conspirator, and the case is not marked leaked.
  const access = (await api.query.uivSharing.accesses(caseId, charlie.address)).unwrap();
  const trace = (
    await api.call.uivSharingApi.trace(caseId, access.tracingCommitment.unwrap())
  ).unwrap();
  assert.equal(trace.worker.toString(), charlie.address);
  assert.equal(trace.leaks.toNumber(), 1);
  assert.ok(trace.trap.isReal);
  assert.equal(trace.ownLeak.isTrue, true);
  assert.equal(trace.externalLeak.isTrue, false);
  const profile = (await api.query.uivSharing.workers(charlie.address)).unwrap().profile;
  assert.equal(profile.alarms.toNumber(), 1);
  assert.equal(profile.conspirators.toNumber(), 0);
  const after = (await api.query.proofOfTrust.ledger(charlie.address)).unwrap();
  assert.ok(after.behaviour.bad.toBigInt() > before.behaviour.bad.toBigInt(), 'LeakReported');
  const log = await api.call.uivSharingApi.caseLog(caseId, 0, 1024);
  assert.ok(
    log.some((e) => e.kind.isLeakReported),
    'the leak is in the case log',
  );
  // A slip is no leak of the report: the embargo stays, even for the TA.
  await assert.rejects(submit(api.tx.uivSharing.exitEmbargo(caseId), alice), /DeadlineNotReached/);

  // The same feedback again is refused, and pays.
  const feedback = out.feedback;
  const again = await uiv('//Eve', [
    'report-leak',
    '--case',
    String(caseId),
    '--token',
    feedback.tracingToken,
    '--host',
    feedback.host,
    '--at',
    String(feedback.atMs),
  ]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /LeakAlreadyReported/);
});

test('a leaked plaintext, reformatted, names its SW; the TA ends the embargo; a false report pays', async () => {
  const opened = readFileSync(join(dir, 'charlie-report.txt'), 'utf8');
  // Re-wrapped to one word a line, with CRLF line endings and doubled spaces.
  const reformatted = opened.split(' ').join('\r\n').replace(/\r\n/g, '  \r\n');
  const leaked = join(dir, 'charlie-leaked.md');
  writeFileSync(leaked, `Found on a forum:\r\n\r\n${reformatted}`);
  const traced = await uivJson('//Eve', ['trace', leaked, '--report']);
  assert.equal(traced.marks.length, 1);
  assert.equal(traced.marks[0].worker, charlie.address);
  assert.equal(traced.marks[0].case, caseId);
  assert.equal(traced.marks[0].traced, true);
  assert.ok(!traced.marks[0].report.error, JSON.stringify(traced.marks[0].report));

  // The report left Charlie: a conspirator, and the case is marked leaked. A report alone does
  // not end the embargo (any SW knows its own token); the case's TA may now end it early.
  const profile = (await api.query.uivSharing.workers(charlie.address)).unwrap().profile;
  assert.equal(profile.conspirators.toNumber(), 1);
  assert.ok((await api.query.uivSharing.leakedCases(caseId)).isSome);
  assert.notEqual((await api.query.uivSharing.cases(caseId)).unwrap().embargo.toString(), 'Exited');
  await assert.rejects(submit(api.tx.uivSharing.exitEmbargo(caseId), eve), /DeadlineNotReached/);
  const { events } = await submit(api.tx.uivSharing.exitEmbargo(caseId), alice);
  assert.equal(eventData(events, 'EmbargoChanged').state.toString(), 'Exited');

  // A token that traces to no delivery: refused, and Eve pays the fee.
  const { data: before } = await api.query.system.account(eve.address);
  const forged = await uiv('//Eve', [
    'report-leak',
    '--case',
    String(caseId),
    '--token',
    u8aToHex(sha256AsU8a('not a tracing token')),
  ]);
  assert.equal(forged.code, 1);
  assert.match(forged.stderr, /UntracedToken/);
  const { data: after } = await api.query.system.account(eve.address);
  assert.ok(after.free.lt(before.free), 'the false report cost its sender');
});

test("a copied sealed report does not open for another opener's case", async () => {
  // Eve (Moderate trust in the ledger, so she may report) opens a case with the same TA and the
  // same report hash as Bob's, and hands the TA's node Bob's sealed report: it is sealed for
  // Bob's case. (Dave, barred by his trap, may no longer report.)
  const c = (await api.query.uivSharing.cases(caseId)).unwrap();
  const version = (parts) => ({ parts: [...parts, 0, 0, 0, 0].slice(0, 4), len: parts.length });
  const { events } = await submit(
    api.tx.uivSharing.openCase(
      alice.address,
      [[bob.address, purl, [{ introduced: version([1, 0, 0]), fixed: version([1, 4, 2]) }]]],
      c.severity,
      c.reportHash,
    ),
    eve,
  );
  const copied = eventData(events, 'CaseOpened').case.toNumber();
  const r = await runUiv([
    '--url',
    node.wsUrl,
    'submit-report',
    '--case',
    String(copied),
    '--sealed',
    `${reportFile}.sealed`,
  ]);
  assert.equal(r.code, 1, r.stdout);
  assert.match(r.stderr, /does not open with the TA's report key for this case's opener/);
});

test('the TA node keeps its reports, nonces and packages over a crash and restart', async () => {
  const before = (await api.query.uivSharing.accesses(caseId, charlie.address)).unwrap();
  const head = (await api.rpc.chain.getHeader()).number.toNumber();
  await node.restart();
  // The API reconnects by itself; wait until the restarted node answers and builds blocks.
  const deadline = Date.now() + 60000;
  for (;;) {
    const n = await api.rpc.chain.getHeader().then(
      (h) => h.number.toNumber(),
      () => -1,
    );
    if (n > head) break;
    if (Date.now() > deadline) throw new Error('no new block after the restart');
    await new Promise((r) => setTimeout(r, 500));
  }
  const again = await uivJson('//Charlie', [
    '--host-fingerprint',
    join(dir, 'charlie-host'),
    'fetch-package',
    '--case',
    String(caseId),
    '--out',
    join(dir, 'charlie.package'),
    '--force',
  ]);
  assert.equal(again.tracingCommitment, before.tracingCommitment.unwrap().toHex());
  assert.equal(again.deliverTx, null);
});

test('the SW ends its session: the TA node renews its token', async () => {
  await uivJson('//Charlie', ['end-session', '--case', String(caseId)]);
  const deadline = Date.now() + 60000;
  let access;
  for (;;) {
    access = (await api.query.uivSharing.accesses(caseId, charlie.address)).unwrap();
    if (access.state.toString() === 'Ended' || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  assert.equal(access.state.toString(), 'Ended');
  assert.equal(access.tokens.unwrap().len.toNumber(), 2);
  // Nothing is left to end.
  const r = await uiv('//Charlie', ['end-session', '--case', String(caseId)]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /Ended: nothing to end/);
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
