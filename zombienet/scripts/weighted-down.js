// Waits until the BABE authority set has weighted a validator down: the named development
// validator (args[0], e.g. "dave") has left the set, or carries a lower weight than every other
// authority. Returns 1 then (the zndsl `within` timeout stops it otherwise), after logging each
// new authority set as it is seen (weights per validator).
const { devNames } = require('./lib');

async function run(nodeName, networkInfo, args) {
  const who = String(args?.[0] ?? 'dave').toLowerCase();
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  // Validators are named as zombienet names its nodes: in lower case.
  const names = Object.fromEntries(
    Object.entries(await devNames()).map(([key, name]) => [key, name.toLowerCase()]),
  );
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
