// Returns how many peers the node is connected to (system_health).
async function run(nodeName, networkInfo) {
  const { wsUri, userDefinedTypes } = networkInfo.nodesByName[nodeName];
  const api = await zombie.connect(wsUri, userDefinedTypes);
  const health = await api.rpc.system.health();
  const peers = health.peers.toNumber();
  console.log(`${nodeName}: ${peers} peers`);
  await api.disconnect();
  return peers;
}

module.exports = { run };
