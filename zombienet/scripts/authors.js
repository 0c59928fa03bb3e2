// Follows new blocks and decodes the BABE pre-runtime digest of each to find its author's
// index in the BABE authority set. Returns the number of distinct authors once all current
// authorities have authored a block (or the count seen when the zndsl timeout stops it).
const { babePreDigest } = require('./lib');

async function run(nodeName, networkInfo) {
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  const authorities = await api.query.babe.authorities();
  const total = authorities.length;
  const seen = new Map();

  await new Promise(async (resolve) => {
    const unsub = await api.rpc.chain.subscribeNewHeads((header) => {
      const pre = babePreDigest(api, header);
      if (pre) {
        const index = pre.authorityIndex;
        seen.set(index, (seen.get(index) ?? 0) + 1);
        console.log(`#${header.number.toNumber()} authored by authority ${index} (${pre.kind})`);
      }
      if (seen.size >= total) {
        unsub();
        resolve();
      }
    });
  });
  console.log(`distinct authors: ${seen.size} of ${total}`);
  await api.disconnect();
  return seen.size;
}

module.exports = { run };
