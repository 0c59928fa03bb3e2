// Measures how fast the TA's node delivers a granted package (vulnerability sharing), on a dev
// chain started for the purpose: `scripts/measure-uiv-delivery.sh [--samples N]`.
//
// Bob (a vendor) opens one case per sample with `endochain-uiv open-case` (the report goes to
// the TA's node), Alice (the dev TA) assesses them, Bob accepts them and invites one fresh SW to
// each; a trust network that grants an SW alone on its case is set. Then, sample after sample,
// the SW asks for access and, as soon as its grant is in a block, fetches its package from the
// TA's node (`uiv_fetchPackage`, signed as `endochain-uiv fetch-package` signs it); the node
// hands the package once the delivery is on chain, so the SW fetches again then. Measured per
// sample:
//   rpc        the first fetch request's round trip: the node opens the report, draws the
//              token, marks and seals the package and submits `deliver_package` to its pool;
//   in block   from the fetch request to the best block that records the delivery;
//   handed     from the fetch request to the package in hand (the second fetch's answer);
//   finalized  from the fetch request to the finalized block that records it;
//   grant      from the grant being in a block to the delivery in a block (the SW fetches at
//              once, so this is the decision-to-delivery time the SW sees).
// Prints a Markdown table of p50, p95 and max per measure.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { bnToU8a, u8aConcat, u8aToHex, stringToU8a } from '@polkadot/util';
import { cryptoWaitReady, sha256AsU8a } from '@polkadot/util-crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevChain } from '../lib/node.js';
import { collaboratorModel, openCaseArgs, runUiv } from '../lib/uiv.js';

const args = process.argv.slice(2);
const samples = Number(args[args.indexOf('--samples') + 1] ?? 20);
if (!Number.isInteger(samples) || samples < 1 || samples > 200) {
  console.error('uiv-delivery: --samples takes an integer from 1 to 200');
  process.exit(2);
}

/** `H([len(tag)] || tag || parts...)`, as `endo_uiv::hash::tagged`. */
function tagged(tag, ...parts) {
  const t = stringToU8a(tag);
  return sha256AsU8a(u8aConcat(Uint8Array.from([t.length]), t, ...parts));
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function progress(text) {
  process.stderr.write(`\r${text}`.padEnd(70));
}

await cryptoWaitReady();
const { node, api } = await startDevChain(ApiPromise, WsProvider);
const dir = mkdtempSync(join(tmpdir(), 'endochain-uiv-measure-'));
try {
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const workers = Array.from({ length: samples }, (_, i) =>
    keyring.addFromUri(`//uiv-measure-sw-${i}`),
  );
  const genesis = api.genesisHash.toU8a();
  // The TA's `uiv_*` methods are not in the metadata: sent as they are.
  const ta = new WsProvider(node.wsUrl);
  await ta.isReady;

  /** Sends `txs` from `signer` with consecutive nonces; resolves once all are in blocks. */
  async function sendAll(signer, txs) {
    let nonce = (await api.rpc.system.accountNextIndex(signer.address)).toNumber();
    await Promise.all(
      txs.map(
        (tx) =>
          new Promise((ok, fail) => {
            tx.signAndSend(signer, { nonce: nonce++ }, ({ status, dispatchError }) => {
              if (dispatchError) fail(new Error(dispatchError.toString()));
              else if (status.isInBlock) ok(status.asInBlock);
            }).catch(fail);
          }),
      ),
    );
  }

  progress('setting up: vendor, product, trust model, SW accounts');
  const purl = 'pkg:generic/acme/plc-controller';
  const unit = 10n ** BigInt(api.registry.chainDecimals[0]);
  await sendAll(alice, [
    api.tx.sudo.sudo(api.tx.uivSharing.setTrustModel(collaboratorModel())),
    ...workers.map((w) => api.tx.balances.transferKeepAlive(w.address, 100n * unit)),
  ]);
  await sendAll(bob, [
    api.tx.uivSharing.registerVendor('Acme Automation'),
    api.tx.uivSharing.registerProduct(purl, 'PLC controller'),
  ]);
  await Promise.all(workers.map((w) => sendAll(w, [api.tx.uivSharing.registerWorker()])));

  const report = join(dir, 'report.txt');
  writeFileSync(report, 'Heap overflow in the Modbus/TCP write-multiple-registers handler.\n');
  const cases = [];
  for (let i = 0; i < samples; i++) {
    progress(`opening case ${i + 1}/${samples}`);
    const r = await runUiv([
      '--url',
      node.wsUrl,
      '--suri',
      '//Bob',
      ...openCaseArgs(alice.address, bob.address, purl, report),
      '--force',
    ]);

    if (r.code !== 0) throw new Error(`open-case: ${r.stderr}`);
    const out = JSON.parse(r.stdout);
    if (!out.reportToTa.submitted) throw new Error(`report not taken: ${out.reportToTa.error}`);
    cases.push(out.case);
  }
  progress('assessing, accepting and inviting');
  await sendAll(
    alice,
    cases.map((c) => api.tx.uivSharing.assessCase(c, true)),
  );
  await sendAll(bob, [
    ...cases.map((c) => api.tx.uivSharing.acceptCase(c)),
    ...cases.map((c, i) => api.tx.uivSharing.inviteWorker(c, workers[i].address)),
  ]);

  const fingerprint = stringToU8a('endochain-host/v2\nmachine-id:measure\n');
  const hostSecret = tagged('endochain/uiv/host-secret/v1', fingerprint);
  const host = tagged('endochain/uiv/host-id/v1', hostSecret);
  const measures = { rpc: [], inBlock: [], handed: [], finalized: [], grant: [] };
  for (let i = 0; i < samples; i++) {
    progress(`sample ${i + 1}/${samples}`);
    const sw = workers[i];
    const caseId = cases[i];
    const grantedAt = await new Promise((ok, fail) => {
      api.tx.uivSharing
        .requestAccess(caseId)
        .signAndSend(sw, ({ status, events, dispatchError }) => {
          if (dispatchError) fail(new Error(dispatchError.toString()));
          else if (status.isInBlock) {
            const decided = events.find(({ event }) => event.method === 'AccessDecided');
            const state = decided?.event.data.state.toString();
            if (state !== 'Granted') fail(new Error(`case ${caseId}: ${state}, not Granted`));
            else ok(performance.now());
          }
        })
        .catch(fail);
    });
    const message = tagged(
      'endochain/uiv/fetch-request/v1',
      genesis,
      bnToU8a(caseId, { bitLength: 64, isLe: true }),
      sw.publicKey,
      host,
    );
    const request = [caseId, sw.address, u8aToHex(hostSecret), u8aToHex(sw.sign(message))];
    const start = performance.now();
    const reply = await ta.send('uiv_fetchPackage', request);
    measures.rpc.push(performance.now() - start);
    const delivered = (access) =>
      access.isSome &&
      access.unwrap().state.toString() === 'Delivered' &&
      access.unwrap().tracingCommitment.unwrap().toHex() === reply.tracingCommitment;
    await new Promise((ok, fail) => {
      const timer = setTimeout(() => fail(new Error(`case ${caseId}: no delivery in 60 s`)), 60000);
      let unsub;
      api.rpc.chain
        .subscribeNewHeads(async (header) => {
          const at = await api.at(header.hash);
          if (delivered(await at.query.uivSharing.accesses(caseId, sw.address))) {
            const now = performance.now();
            measures.inBlock.push(now - start);
            measures.grant.push(now - grantedAt);
            clearTimeout(timer);
            unsub?.();
            // The node hands the package once the delivery is on chain: fetch it now.
            const handed = await ta.send('uiv_fetchPackage', request);
            if (!handed.package) fail(new Error(`case ${caseId}: no package once delivered`));
            measures.handed.push(performance.now() - start);
            ok();
          }
        })
        .then((u) => (unsub = u))
        .catch(fail);
    });
    await new Promise((ok, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`case ${caseId}: not finalized in 90 s`)),
        90000,
      );
      let unsub;
      api.rpc.chain
        .subscribeFinalizedHeads(async (header) => {
          const at = await api.at(header.hash);
          if (delivered(await at.query.uivSharing.accesses(caseId, sw.address))) {
            measures.finalized.push(performance.now() - start);
            clearTimeout(timer);
            unsub?.();
            ok();
          }
        })
        .then((u) => (unsub = u))
        .catch(fail);
    });
  }
  process.stderr.write('\n');
  await ta.disconnect();
  console.log(`TA node delivery, ${samples} samples, dev chain (3 s blocks), times in ms`);
  console.log('');
  console.log('| measure | p50 | p95 | max |');
  console.log('|---|---|---|---|');
  for (const [name, label] of [
    ['rpc', '`uiv_fetchPackage` round trip (open, mark, seal, submit)'],
    ['inBlock', 'fetch to delivery in a best block'],
    ['handed', 'fetch to the package in hand (fetched again once delivered)'],
    ['finalized', 'fetch to delivery finalized'],
    ['grant', 'grant in a block to delivery in a block'],
  ]) {
    const sorted = [...measures[name]].sort((a, b) => a - b);
    const f = (x) => x.toFixed(name === 'rpc' ? 1 : 0);
    console.log(
      `| ${label} | ${f(percentile(sorted, 50))} | ${f(percentile(sorted, 95))} | ${f(sorted.at(-1))} |`,
    );
  }
} finally {
  await api.disconnect();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
}
