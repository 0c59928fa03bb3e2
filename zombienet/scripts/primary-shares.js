// Measures, on a live network, how BABE's primary slots are shared among the authorities and
// compares the shares with the authorities' weights.
//
// Every slot, an authority with weight w_i out of a total W wins a primary slot when its VRF
// output is below BABE's threshold, with probability p_i = 1 - (1 - c)^(w_i / W) (c = the
// chain's primary probability, 1/4 here); slots nobody wins are filled by secondary
// (round-robin-like) authors, whom weights do not affect. So the share of primary blocks of
// authority i should approach p_i / sum_j p_j. Weights follow trust and change from epoch to
// epoch, so the expected share sums p_i over every observed slot with that slot's weights.
//
// As a zombienet js-script (`alice: js-script ./scripts/primary-shares.js with "SLOTS,MAXDEV"
// return is 1 within T seconds`): observes SLOTS slots of the best chain and returns 1 if every
// authority's primary share is within MAXDEV of its expected share (0 otherwise); with
// ENDO_SHARES_OUT set, the table is also written to that file.
// From the shell (any reachable node):
//   node zombienet/scripts/primary-shares.js --ws ws://127.0.0.1:9944 --slots 300 [--out FILE.md]
// prints (and writes) a markdown table: weight, expected and measured primary share per author.

const { babePreDigest, devNames } = require('./lib');

async function observe(api, slots, log = console.log) {
  const config = (await api.query.babe.epochConfig()).unwrapOr(null);
  const [num, den] = config ? config.c.map((x) => x.toNumber()) : [1, 4];
  const primaryProbability = num / den;

  // authority key -> { weight (latest), primary, secondary, expected (sum over slots of p_i) }
  const rows = new Map();
  let firstSlot = null;
  let lastSlot = null;
  let blocks = 0;
  const row = (id) => {
    if (!rows.has(id)) rows.set(id, { weight: 0, primary: 0, secondary: 0, expected: 0 });
    return rows.get(id);
  };

  await new Promise(async (resolve, reject) => {
    let unsub;
    let busy = Promise.resolve();
    unsub = await api.rpc.chain.subscribeNewHeads((header) => {
      busy = busy
        .then(async () => {
          const pre = babePreDigest(api, header);
          if (!pre) return;
          const kind = pre.primary ? 'primary' : 'secondary';
          const slot = pre.slot;
          if (lastSlot !== null && slot <= lastSlot) return; // a re-org to a sibling: skip
          const index = pre.authorityIndex;
          // The authorities of the block's epoch are in its own state (an epoch change is
          // enacted in the first block of the epoch, before it is authored).
          const authorities = await (await api.at(header.hash)).query.babe.authorities();
          const total = authorities.reduce((sum, [, w]) => sum + w.toNumber(), 0);
          // Every slot since the previous block (this one included) was drawn with these weights.
          const slotsCovered = lastSlot === null ? 1 : slot - lastSlot;
          for (const [k, w] of authorities) {
            const r = row(k.toHex());
            r.weight = w.toNumber();
            r.expected += slotsCovered * (1 - (1 - primaryProbability) ** (w.toNumber() / total));
          }
          const [key, weight] = authorities[index];
          row(key.toHex())[kind] += 1;
          blocks += 1;
          if (firstSlot === null) firstSlot = slot;
          lastSlot = slot;
          const seen = lastSlot - firstSlot + 1;
          if (seen % 25 === 0 || seen >= slots) {
            log(
              `slot ${seen}/${slots}: block #${header.number.toNumber()} (${kind}) by ${key.toHex().slice(0, 10)}… weight ${weight.toNumber()}`,
            );
          }
          if (seen >= slots) {
            unsub();
            resolve();
          }
        })
        .catch((e) => {
          unsub?.();
          reject(e);
        });
    });
  });

  const totalWeight = [...rows.values()].reduce((s, r) => s + r.weight, 0);
  const primaries = [...rows.values()].reduce((s, r) => s + r.primary, 0);
  const expectedSum = [...rows.values()].reduce((s, r) => s + r.expected, 0);
  const table = [...rows.entries()].map(([id, r]) => ({
    id,
    weight: r.weight,
    weightShare: r.weight / totalWeight,
    expected: r.expected / expectedSum,
    primary: r.primary,
    secondary: r.secondary,
    measured: primaries ? r.primary / primaries : 0,
  }));
  // Pearson's chi-square of the primary counts against the expected shares (df = n - 1).
  const chiSquare = table.reduce(
    (s, r) =>
      s + (r.primary - primaries * r.expected) ** 2 / Math.max(primaries * r.expected, 1e-9),
    0,
  );
  return {
    slots: lastSlot - firstSlot + 1,
    blocks,
    primaries,
    primaryProbability,
    chiSquare,
    table,
  };
}

function markdown(result, names = {}) {
  const pct = (x) => `${(100 * x).toFixed(1)} %`;
  const lines = [
    `${result.slots} slots, ${result.blocks} blocks, ${result.primaries} primary; c = ${result.primaryProbability}; ` +
      `chi-square of the primary counts against the expected shares: ${result.chiSquare.toFixed(2)} (${result.table.length - 1} degrees of freedom)`,
    '',
    '| authority | weight (last) | weight share (last) | expected primary share | primary blocks | measured primary share | secondary blocks |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of result.table) {
    lines.push(
      `| ${names[r.id] ?? r.id.slice(0, 12) + '…'} | ${r.weight} | ${pct(r.weightShare)} | ${pct(r.expected)} | ${r.primary} | ${pct(r.measured)} | ${r.secondary} |`,
    );
  }
  return lines.join('\n');
}

// zombienet js-script entry.
async function run(nodeName, networkInfo, args) {
  const [slots, maxDev] = [Number(args?.[0] ?? 120), Number(args?.[1] ?? 0.15)];
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  const result = await observe(api, slots);
  const md = markdown(result);
  console.log(md);
  if (process.env.ENDO_SHARES_OUT)
    require('node:fs').writeFileSync(process.env.ENDO_SHARES_OUT, md + '\n');
  await api.disconnect();
  const ok =
    result.primaries > 0 && result.table.every((r) => Math.abs(r.measured - r.expected) <= maxDev);
  return ok ? 1 : 0;
}

module.exports = { run, observe, markdown };

// Shell entry.
if (require.main === module) {
  (async () => {
    const argv = process.argv.slice(2);
    const opt = (name, dflt) => {
      const i = argv.indexOf(`--${name}`);
      return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
    };
    const ws = opt('ws', 'ws://127.0.0.1:9944');
    const slots = Number(opt('slots', '300'));
    const out = opt('out', null);
    if (!Number.isInteger(slots) || slots < 1) {
      console.error('primary-shares: --slots needs a positive integer');
      process.exit(2);
    }
    const { ApiPromise, WsProvider } = require('@polkadot/api');
    const names = await devNames();
    const api = await ApiPromise.create({ provider: new WsProvider(ws), noInitWarn: true });
    const result = await observe(api, slots);
    // Authority keys print as hex public keys: name the development ones.
    const md = markdown(result, names);
    console.log(md);
    if (out) require('node:fs').writeFileSync(out, md + '\n');
    await api.disconnect();
  })().catch((e) => {
    console.error(`primary-shares: ${e.message}`);
    process.exit(1);
  });
}
