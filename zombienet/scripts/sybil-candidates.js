// The Sybil attack of the security review, on a live network: six fresh accounts get funds,
// register as validator candidates with keys of their own and the least bond, and the sudo
// key admits them all (the strongest case on this permissioned preset). Then, for args[0]
// epoch changes (default 2), every new block is checked: the newcomers' share of the GRANDPA
// and BABE weight (current and announced sets) stays under MaxRecentWeightShare, and
// finality never falls more than args[1] blocks (default 12) behind the best block.
// Returns 1 if all held; prints the shares.
const { DEV_ACCOUNTS } = require('./lib');

const SYBILS = 6;

async function run(nodeName, networkInfo, args) {
  const epochs = Number(args?.[0] ?? 2);
  const maxLag = Number(args?.[1] ?? 12);
  const { Keyring } = require('@polkadot/keyring');
  const { cryptoWaitReady } = require('@polkadot/util-crypto');
  const { u8aToHex } = require('@polkadot/util');
  await cryptoWaitReady();
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  const sr = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const ed = new Keyring({ type: 'ed25519', ss58Format: 42 });
  const alice = sr.addFromUri(`//${DEV_ACCOUNTS[0]}`);
  const sybils = [...Array(SYBILS).keys()].map((i) => ({
    account: sr.addFromUri(`//Sybil${i}`),
    babe: u8aToHex(sr.addFromUri(`//Sybil${i}//babe`).publicKey),
    grandpa: u8aToHex(ed.addFromUri(`//Sybil${i}//grandpa`).publicKey),
  }));
  const share = api.consts.proofOfTrust.maxRecentWeightShare.toNumber(); // Perbill parts
  const bond = api.consts.proofOfTrust.candidateBond.toBigInt();

  // Submits and waits until the extrinsic is in a block; throws on a dispatch error.
  const inBlock = (tx, signer, options = {}) =>
    new Promise((resolve, reject) => {
      tx.signAndSend(signer, options, ({ status, dispatchError }) => {
        if (dispatchError) {
          const e = dispatchError.isModule
            ? api.registry.findMetaError(dispatchError.asModule)
            : { section: '', name: dispatchError.toString() };
          reject(new Error(`${e.section}.${e.name}`));
        } else if (status.isInBlock) resolve();
      }).catch(reject);
    });

  // Alice's transactions go out together, with consecutive nonces.
  const fromAlice = async (txs) => {
    const nonce = (await api.rpc.system.accountNextIndex(alice.address)).toNumber();
    await Promise.all(txs.map((tx, i) => inBlock(tx, alice, { nonce: nonce + i })));
  };
  await fromAlice(
    sybils.map((s) => api.tx.balances.transferKeepAlive(s.account.address, bond * 10n)),
  );
  await Promise.all(
    sybils.map((s) =>
      inBlock(api.tx.proofOfTrust.registerCandidate(s.babe, s.grandpa, bond), s.account),
    ),
  );
  await fromAlice(
    sybils.map((s) => api.tx.sudo.sudo(api.tx.proofOfTrust.admitCandidate(s.account.address))),
  );
  console.log(`${SYBILS} candidates registered and admitted; watching ${epochs} epoch changes`);

  const babeKeys = new Set(sybils.map((s) => s.babe));
  const grandpaKeys = new Set(sybils.map((s) => s.grandpa));
  const part = (set, keys) => {
    let total = 0n;
    let theirs = 0n;
    for (const [key, weight] of set) {
      const w = BigInt(weight.toString());
      total += w;
      if (keys.has(u8aToHex(key.toU8a ? key.toU8a() : key))) theirs += w;
    }
    return { theirs, total };
  };
  const startEpoch = (await api.query.babe.epochIndex()).toNumber();
  let ok = true;
  let peak = 0;
  // One header at a time, in order; once done, later headers are ignored and nothing is left
  // in flight when the connection closes (a query pending at `disconnect` would reject).
  let done = false;
  let pending = Promise.resolve();
  await new Promise(async (resolve) => {
    let unsub = null;
    const finish = () => {
      done = true;
      if (unsub) unsub();
      resolve();
    };
    const check = async (header) => {
      const at = await api.at(header.hash);
      const finalized = (
        await api.rpc.chain.getHeader(await api.rpc.chain.getFinalizedHead())
      ).number.toNumber();
      const lag = header.number.toNumber() - finalized;
      const sets = {
        grandpa: part(await at.query.grandpa.authorities(), grandpaKeys),
        babe: part(await at.query.babe.authorities(), babeKeys),
        babeNext: part(await at.query.babe.nextAuthorities(), babeKeys),
      };
      for (const [name, { theirs, total }] of Object.entries(sets)) {
        const ppb = Number((theirs * 1_000_000_000n) / total);
        peak = Math.max(peak, ppb);
        if (ppb >= share) {
          console.log(`#${header.number}: the newcomers hold ${ppb / 1e7} % of ${name} weight`);
          ok = false;
        }
      }
      if (lag > maxLag) {
        console.log(`#${header.number}: finality is ${lag} blocks behind`);
        ok = false;
      }
      const epoch = (await at.query.babe.epochIndex()).toNumber();
      if (epoch - startEpoch >= epochs) {
        console.log(
          `#${header.number} (epoch ${epoch}): newcomers' peak weight share ${peak / 1e7} % ` +
            `(cap ${share / 1e7} %), finalized #${finalized}`,
        );
        finish();
      }
    };
    unsub = await api.rpc.chain.subscribeNewHeads((header) => {
      pending = pending
        .then(() => (done ? undefined : check(header)))
        .catch((e) => {
          if (done) return;
          console.log(`#${header.number}: ${e.message}`);
          ok = false;
          finish();
        });
    });
    if (done) unsub();
  });
  await pending;
  await api.disconnect();
  return ok ? 1 : 0;
}

module.exports = { run };
