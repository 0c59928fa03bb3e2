// polkadot.js against a dev chain: chain and runtime version, then a balances transfer from
// Alice to Bob that is finalized, emits `Transfer` and changes Bob's balance by the amount.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { startDevChain } from '../lib/node.js';

let node;
let api;

before(async () => {
  await cryptoWaitReady();
  ({ node, api } = await startDevChain(ApiPromise, WsProvider));
});

after(async () => {
  await api?.disconnect();
  await node?.stop();
});

test('chain and runtime version', async () => {
  const [chain, version, props] = await Promise.all([
    api.rpc.system.chain(),
    api.rpc.state.getRuntimeVersion(),
    api.rpc.system.properties(),
  ]);
  assert.equal(chain.toString(), 'Endochain Development');
  assert.equal(version.specName.toString(), 'endochain');
  assert.ok(version.specVersion.toNumber() >= 100);
  assert.equal(props.tokenSymbol.unwrap()[0].toString(), 'ENDO');
  // The metadata polkadot.js decoded is V15 or later.
  assert.ok(api.runtimeMetadata.version >= 15, `metadata v${api.runtimeMetadata.version}`);
});

test('balances.transferKeepAlive from Alice to Bob is finalized and credited', async () => {
  const keyring = new Keyring({ type: 'sr25519' });
  const alice = keyring.addFromUri('//Alice');
  const bob = keyring.addFromUri('//Bob');
  const amount = 12_345_000_000_000n; // 12.345 ENDO

  const balanceBefore = (await api.query.system.account(bob.address)).data.free.toBigInt();

  const { events, blockHash } = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('not finalized within 120 s')), 120000);
    api.tx.balances
      .transferKeepAlive(bob.address, amount)
      .signAndSend(alice, ({ status, events, dispatchError }) => {
        if (dispatchError) {
          clearTimeout(timer);
          fail(new Error(`dispatch error: ${dispatchError.toString()}`));
        } else if (status.isFinalized) {
          clearTimeout(timer);
          ok({ events, blockHash: status.asFinalized });
        }
      })
      .catch((e) => {
        clearTimeout(timer);
        fail(e);
      });
  });

  const transfer = events.find(({ event }) => api.events.balances.Transfer.is(event));
  assert.ok(transfer, 'a balances.Transfer event was emitted');
  const [from, to, value] = transfer.event.data;
  assert.equal(from.toString(), alice.address);
  assert.equal(to.toString(), bob.address);
  assert.equal(value.toBigInt(), amount);
  assert.ok(events.some(({ event }) => api.events.system.ExtrinsicSuccess.is(event)));

  const atBlock = await api.at(blockHash);
  const balanceAfter = (await atBlock.query.system.account(bob.address)).data.free.toBigInt();
  assert.equal(balanceAfter - balanceBefore, amount, "Bob's balance grew by the amount");
});
