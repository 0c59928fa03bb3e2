// Measures how long an IBE device waits for the proxy worker, on a dev chain started for the
// purpose: `scripts/measure-ibe-activation.sh [--samples N]`.
//
// Sudo registers a KGC made by `endochain-device kgc new`; then, sample after sample, a fresh
// device registers (unsigned) with the credential `kgc issue` makes for it, and the script
// polls `DeviceIdentityApi::device_status` until the device is active. The dev node's worker
// (Alice's proxy key, `edpx`) verifies the SM9 credential natively and submits its vote, which
// settles on a one-validator chain. Measured per sample:
//   submit to active  from the registration's submission to the device reported active;
//   in block to active  the blocks from the registration's block to the block that activated it.
// Prints a Markdown table of p50, p95 and max.
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDevChain } from '../lib/node.js';
import { bestNumber, until } from '../lib/chain.js';
import { deviceStatus, enrolDevice, registerIbe, setUpKgc, tags } from '../lib/ibe.js';

const args = process.argv.slice(2);
const at = args.indexOf('--samples');
const samples = at < 0 ? 10 : Number(args[at + 1]);
if (!Number.isInteger(samples) || samples < 1 || samples > 200) {
  console.error('ibe-activation: --samples takes an integer from 1 to 200');
  process.exit(2);
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
const progress = (text) => process.stderr.write(`\r${text}`.padEnd(70));

await cryptoWaitReady();
const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
const dir = mkdtempSync(join(tmpdir(), 'endochain-ibe-activation-'));
const { node, api } = await startDevChain(ApiPromise, WsProvider);
try {
  const { register } = await tags();
  const kgc = await setUpKgc(api, alice, dir);
  const seconds = [];
  const blocks = [];
  for (let i = 0; i < samples; i += 1) {
    progress(`sample ${i + 1}/${samples}`);
    const device = await enrolDevice(dir, `device-${i}`);
    const { block, submittedAt } = await registerIbe(api, register, kgc, device);
    await until(
      () => deviceStatus(api, device.id),
      (s) => s?.status.isActive,
      `device ${i} becomes active`,
      120000,
    );
    seconds.push((Date.now() - submittedAt) / 1000);
    blocks.push((await bestNumber(api)) - block);
  }
  process.stderr.write('\n');
  const row = (name, values, unit) => {
    const sorted = [...values].sort((a, b) => a - b);
    const f = (v) => (unit === 's' ? v.toFixed(1) : String(v));
    return `| ${name} | ${f(percentile(sorted, 50))} | ${f(percentile(sorted, 95))} | ${f(sorted[sorted.length - 1])} |`;
  };
  const blockMs = api.consts.babe.expectedBlockTime.toNumber();
  console.log(`${samples} IBE registrations on a dev chain (${blockMs} ms blocks)\n`);
  console.log('| measure | p50 | p95 | max |');
  console.log('|---|---|---|---|');
  console.log(row('submission to active (s)', seconds, 's'));
  console.log(row('registration block to activating block (blocks)', blocks, 'blocks'));
} finally {
  await api.disconnect();
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
}
