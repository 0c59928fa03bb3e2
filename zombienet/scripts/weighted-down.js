// Waits until the BABE authority set has weighted a validator down: the named development
// validator (args[0], e.g. "dave") has left the set, or carries a lower weight than every other
// authority. Returns 1 then (the zndsl `within` timeout stops it otherwise), after logging each
// new authority set as it is seen (weights per validator).
async function run(nodeName, networkInfo, args) {
  const who = String(args?.[0] ?? 'dave').toLowerCase();
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  const { Keyring } = require('@polkadot/keyring');
  const { u8aToHex } = require('@polkadot/util');
  const keyring = new Keyring({ type: 'sr25519' });
  const names = {};
  for (const n of ['alice', 'bob', 'charlie', 'dave', 'eve', 'ferdie']) {
    names[u8aToHex(keyring.addFromUri(`//${n[0].toUpperCase()}${n.slice(1)}`).publicKey)] = n;
  }
  const target = Object.keys(names).find((k) => names[k] === who);
  if (!target) throw new Error(`weighted-down: unknown development validator '${who}'`);

  let last = '';
  const done = await new Promise(async (resolve) => {
    const unsub = await api.query.babe.authorities((authorities) => {
      const set = authorities.map(([key, weight]) => [key.toHex(), weight.toNumber()]);
      const line = set.map(([k, w]) => `${names[k] ?? k.slice(0, 10)}=${w}`).join(' ');
      if (line !== last) {
        console.log(`authorities: ${line}`);
        last = line;
      }
      const mine = set.find(([k]) => k === target);
      const others = set.filter(([k]) => k !== target);
      if (others.length > 0 && (!mine || others.every(([, w]) => w > mine[1]))) {
        unsub();
        resolve(1);
      }
    });
  });
  await api.disconnect();
  return done;
}

module.exports = { run };
