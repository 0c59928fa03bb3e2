// An IBE device registers through one node and the proxy nodes' off-chain workers activate it
// (pallet-device-identity, `offchain.rs`): no manual step. The `endochain-device` tool plays
// the KGC (`kgc new`, `kgc issue`) and the device (`enroll`, `prove`); sudo registers the KGC
// and its enrolment key; the device's registration is submitted to `nodeName`. Then every node
// of the network is polled until it reports the device active.
//
// args: "epochs[,samples]". Registers `samples` devices (default 1), one after the other.
// Returns 1 if every node reported every device active within `epochs` BABE epochs (default 2)
// of its registration's block, else 0; prints, per device, the blocks and the time each node
// took and which proxies voted, then p50 and max over the devices (the slowest node's).
const { execFileSync } = require('child_process');
const { mkdtempSync, rmSync } = require('fs');
const { tmpdir } = require('os');
const { join } = require('path');
const { DEV_ACCOUNTS, devNames } = require('./lib');

// The tool: $ENDO_DEVICE_BIN, else the target dir's release build.
function deviceTool(args) {
  const bin =
    process.env.ENDO_DEVICE_BIN ||
    join(
      process.env.CARGO_TARGET_DIR || join(process.env.HOME, '.cache/endochain/target'),
      'release/endochain-device',
    );
  return JSON.parse(execFileSync(bin, args, { encoding: 'utf8' }));
}

async function run(nodeName, networkInfo, args) {
  const epochs = Number(args?.[0] ?? 2);
  const samples = Number(args?.[1] ?? 1);
  const { Keyring } = require('@polkadot/keyring');
  const { cryptoWaitReady, randomAsHex } = require('@polkadot/util-crypto');
  const { hexToU8a, u8aConcat, u8aToHex } = require('@polkadot/util');
  await cryptoWaitReady();
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  const alice = new Keyring({ type: 'sr25519', ss58Format: 42 }).addFromUri(`//${DEV_ACCOUNTS[0]}`);
  const dir = mkdtempSync(join(tmpdir(), 'endochain-ibe-'));
  try {
    // Submits and resolves with the block's events; rejects on any error.
    const inBlock = (tx, signer) =>
      new Promise((resolve, reject) => {
        const onStatus = ({ status, events, dispatchError }) => {
          if (dispatchError) reject(new Error(dispatchError.toString()));
          else if (status.isInBlock) resolve({ events, hash: status.asInBlock });
          else if (status.isInvalid || status.isDropped) reject(new Error(status.type));
        };
        (signer ? tx.signAndSend(signer, onStatus) : tx.send(onStatus)).catch(reject);
      });
    const sudo = async (call) => {
      const { events } = await inBlock(api.tx.sudo.sudo(call), alice);
      const sudid = events.find(({ event }) => api.events.sudo.Sudid.is(event));
      if (!sudid || sudid.event.data[0].isErr) throw new Error(`sudo ${call.method.method} failed`);
      return events;
    };

    // The KGC.
    const kgcFile = join(dir, 'kgc.json');
    const kgc = deviceTool(['kgc', 'new', '--out', kgcFile]);
    const registered = (await sudo(api.tx.deviceIdentity.registerAuthority(kgc.authorityKey))).find(
      ({ event }) => api.events.deviceIdentity.AuthorityRegistered.is(event),
    );
    const authority = registered.event.data[0].toNumber();
    await sudo(api.tx.deviceIdentity.setEnrolmentKey(authority, kgc.enrolmentKey));

    // One device: registered through `nodeName`, polled on every node.
    const devName = await devNames();
    const oneDevice = async (sample) => {
      const deviceFile = join(dir, `device-${sample}.json`);
      const device = deviceTool(['enroll', '--seed', randomAsHex(32), '--out', deviceFile]);
      // The epoch's challenge, read from storage (zombienet's @polkadot/api does not decorate
      // this metadata's runtime APIs).
      const epoch = (await api.query.deviceIdentity.epoch()).unwrap();
      const genesis = epoch.genesisHash.toHex();
      const best = (await api.rpc.chain.getHeader()).number.toNumber();
      const { credential: issued } = deviceTool([
        'kgc',
        'issue',
        '--kgc',
        kgcFile,
        '--genesis',
        genesis,
        '--authority',
        String(authority),
        '--device',
        device.id,
        '--expires-at',
        String(best + 100_000),
      ]);
      const credentialArg = api.tx.deviceIdentity.registerDevice.meta.args.find(
        (a) => a.name.toString() === 'credential',
      );
      const credential = api.createType(credentialArg.type.toString(), issued);
      const tag = hexToU8a(deviceTool(['tags']).registerPurposeTag);
      const purpose = u8aConcat(
        tag,
        api.createType('(u32, Option<AccountId>)', [authority, null]).toU8a(),
        credential.toU8a(),
      );
      const { proof } = deviceTool([
        'prove',
        '--device',
        deviceFile,
        '--genesis',
        genesis,
        '--challenge',
        epoch.challenge.toHex(),
        '--purpose',
        u8aToHex(purpose),
      ]);
      const started = Date.now();
      const { hash } = await inBlock(
        api.tx.deviceIdentity.registerDevice(
          device.id,
          device.publicKey,
          authority,
          credential,
          null,
          epoch.index,
          proof,
        ),
      );
      const registeredAt = (await api.rpc.chain.getHeader(hash)).number.toNumber();
      const slots = api.consts.babe.epochDuration.toNumber();
      const deadline = registeredAt + epochs * slots;
      // A stalled chain never reaches the deadline block: a wall-clock limit as well (twice
      // the deadline's slots).
      const slotMs = api.consts.babe.expectedBlockTime.toNumber();
      const wallDeadline = Date.now() + 2 * epochs * slots * slotMs;
      console.log(`${nodeName}: device ${device.id} registered at #${registeredAt}`);

      // Every node, until it reports the device active or the deadline block passes.
      const names = Object.keys(networkInfo.nodesByName);
      const results = await Promise.all(
        names.map(async (name) => {
          const node = networkInfo.nodesByName[name];
          const other = await zombie.connect(node.wsUri, node.userDefinedTypes);
          try {
            for (;;) {
              const head = (await other.rpc.chain.getHeader()).number.toNumber();
              const record = await other.query.deviceIdentity.devices(device.id);
              if (record.isSome && record.unwrap().status.isActive) {
                return {
                  name,
                  active: true,
                  block: head,
                  blocks: head - registeredAt,
                  seconds: (Date.now() - started) / 1000,
                };
              }
              if (head > deadline || Date.now() > wallDeadline) {
                return { name, active: false, block: head };
              }
              await new Promise((r) => setTimeout(r, 500));
            }
          } finally {
            await other.disconnect();
          }
        }),
      );
      for (const r of results) {
        console.log(
          r.active
            ? `${r.name}: active at #${r.block} (+${r.block - registeredAt} blocks, ${r.seconds.toFixed(1)} s)`
            : `${r.name}: not active by #${r.block} (deadline #${deadline})`,
        );
      }

      // Who voted: the device's Attested events from the registration to the activation.
      const voters = [];
      const last = Math.min(...results.map((r) => r.block));
      for (let n = registeredAt; n <= last; n += 1) {
        const events = await api.query.system.events.at(await api.rpc.chain.getBlockHash(n));
        for (const { event } of events) {
          if (!api.events.deviceIdentity.Attested.is(event)) continue;
          if (event.data[0].toHex() !== device.id) continue;
          voters.push(devName[event.data[1].toHex()] ?? event.data[1].toString());
        }
      }
      console.log(`device ${sample}: counted votes by ${voters.join(', ') || 'nobody'}`);
      return results;
    };

    const all = [];
    for (let sample = 0; sample < samples; sample += 1) all.push(await oneDevice(sample));
    const ok = all.every((results) => results.every((r) => r.active));
    if (ok) {
      const worst = (key) =>
        all.map((results) => Math.max(...results.map((r) => r[key]))).sort((a, b) => a - b);
      const p50 = (v) => v[Math.ceil(v.length / 2) - 1];
      const [blocks, seconds] = [worst('blocks'), worst('seconds')];
      console.log(
        `${samples} device(s), slowest node: registration block to active ` +
          `p50 ${p50(blocks)} / max ${blocks[blocks.length - 1]} blocks; ` +
          `submission to active p50 ${p50(seconds).toFixed(1)} / max ${seconds[seconds.length - 1].toFixed(1)} s`,
      );
    }
    return ok ? 1 : 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await api.disconnect();
  }
}

module.exports = { run };
