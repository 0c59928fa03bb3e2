// Shared by the js-scripts of this directory (zombienet `require`s each script from its path,
// so `require('./lib')` resolves here): the BABE pre-runtime digest of a block and the names
// of the development accounts.

// The development accounts, in the order of `sp_keyring::Sr25519Keyring`.
const DEV_ACCOUNTS = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

// Decodes the BABE pre-runtime digest of `header` (a polkadot.js `Header`) with the types of
// `api.registry`. Returns `{ kind, primary, authorityIndex, slot }`, where kind is 'primary',
// 'secondaryPlain' or 'secondaryVRF' and primary is whether the author won the slot by its VRF,
// or null when the header carries no BABE pre-digest.
function babePreDigest(api, header) {
  const log = header.digest.logs.find(
    (l) => l.isPreRuntime && l.asPreRuntime[0].toString() === 'BABE',
  );
  if (!log) return null;
  const digest = api.registry.createType('RawBabePreDigest', log.asPreRuntime[1].toU8a(true));
  let kind;
  let inner;
  if (digest.isPrimary) [kind, inner] = ['primary', digest.asPrimary];
  else if (digest.isSecondaryPlain) [kind, inner] = ['secondaryPlain', digest.asSecondaryPlain];
  else if (digest.isSecondaryVRF) [kind, inner] = ['secondaryVRF', digest.asSecondaryVRF];
  else return null;
  return {
    kind,
    primary: kind === 'primary',
    authorityIndex: inner.authorityIndex.toNumber(),
    slot: (inner.slotNumber ?? inner.slot).toNumber(),
  };
}

// Maps the hex sr25519 public key of each development account (`//Alice`, ...) to its name
// ('Alice', ...): authority keys print as hex, this names the development ones.
async function devNames() {
  const { Keyring } = require('@polkadot/keyring');
  const { cryptoWaitReady } = require('@polkadot/util-crypto');
  const { u8aToHex } = require('@polkadot/util');
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519' });
  const names = {};
  for (const name of DEV_ACCOUNTS) {
    names[u8aToHex(keyring.addFromUri(`//${name}`).publicKey)] = name;
  }
  return names;
}

module.exports = { DEV_ACCOUNTS, babePreDigest, devNames };
