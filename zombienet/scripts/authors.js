// Follows new blocks and decodes the BABE pre-runtime digest of each to find its author's
// index in the BABE authority set. Returns the number of distinct authors once all current
// authorities have authored a block (or the count seen when the zndsl timeout stops it).
async function run(nodeName, networkInfo) {
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  const authorities = await api.query.babe.authorities();
  const total = authorities.length;
  const seen = new Map();

  const authorOf = (header) => {
    for (const log of header.digest.logs) {
      if (log.isPreRuntime) {
        const [engine, data] = log.asPreRuntime;
        if (engine.toString() === 'BABE') {
          const digest = api.registry.createType('RawBabePreDigest', data.toU8a(true));
          if (digest.isPrimary) return ['primary', digest.asPrimary.authorityIndex.toNumber()];
          if (digest.isSecondaryPlain) return ['secondary', digest.asSecondaryPlain.authorityIndex.toNumber()];
          if (digest.isSecondaryVRF) return ['secondaryVRF', digest.asSecondaryVRF.authorityIndex.toNumber()];
        }
      }
    }
    return null;
  };

  await new Promise(async (resolve) => {
    const unsub = await api.rpc.chain.subscribeNewHeads((header) => {
      const author = authorOf(header);
      if (author) {
        const [kind, index] = author;
        seen.set(index, (seen.get(index) ?? 0) + 1);
        console.log(`#${header.number.toNumber()} authored by authority ${index} (${kind})`);
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
