// Returns 1 once the finalized head has advanced by args[0] blocks (default 10) from where it
// was when the script started (the zndsl `within` timeout stops it otherwise).
async function run(nodeName, networkInfo, args) {
  const blocks = Number(args?.[0] ?? 10);
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  let start = null;
  await new Promise(async (resolve) => {
    const unsub = await api.rpc.chain.subscribeFinalizedHeads((header) => {
      const n = header.number.toNumber();
      if (start === null) start = n;
      if (n - start >= blocks) {
        console.log(`finalized #${n}, ${n - start} blocks after #${start}`);
        unsub();
        resolve();
      }
    });
  });
  await api.disconnect();
  return 1;
}

module.exports = { run };
