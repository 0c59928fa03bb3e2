// Chain helpers shared by the e2e tests: submitting a transaction and waiting for its block,
// naming dispatch errors, the device-identity challenge, and polling until a condition holds.

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The best block's number. */
export async function bestNumber(api) {
  return (await api.rpc.chain.getHeader()).number.toNumber();
}

/** A module error as `pallet.Error`, or the error's string. */
export function describeDispatchError(api, error) {
  if (error.isModule) {
    const { section, name } = api.registry.findMetaError(error.asModule);
    return `${section}.${name}`;
  }
  return error.toString();
}

/**
 * Submits `tx` (signed by `signer`, or unsigned when `signer` is null) and resolves with
 * { events, blockHash } once it is in a block; rejects on a pool error, a dispatch error, or
 * an Invalid/Dropped/Usurped status.
 */
export function submit(api, tx, signer = null, timeoutMs = 90000) {
  return new Promise((ok, fail) => {
    let unsub = null;
    let finished = false;
    const finish = (fn, value) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (unsub) unsub();
      fn(value);
    };
    const timer = setTimeout(
      () => finish(fail, new Error(`not in a block within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onStatus = ({ status, events, dispatchError }) => {
      if (status.isInBlock) {
        if (dispatchError)
          finish(fail, new Error(`dispatch error: ${describeDispatchError(api, dispatchError)}`));
        else finish(ok, { events, blockHash: status.asInBlock });
      } else if (status.isInvalid || status.isDropped || status.isUsurped) {
        finish(fail, new Error(`transaction ${status.type}`));
      }
    };
    const sent = signer ? tx.signAndSend(signer, onStatus) : tx.send(onStatus);
    sent
      .then((u) => {
        unsub = u;
        if (finished) u();
      })
      .catch((e) => finish(fail, e));
  });
}

/**
 * The current challenge report (`DeviceIdentityApi::challenge`), once there is one and at least
 * `minBlocksLeft` blocks of its epoch remain (so that a test's proofs fall in one epoch).
 */
export async function challengeReport(api, minBlocksLeft = 0, timeoutMs = 180000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const report = await api.call.deviceIdentityApi.challenge();
    if (report.isSome) {
      const r = report.unwrap();
      if (r.endsAt.toNumber() - (await bestNumber(api)) >= minBlocksLeft) return r;
    }
    await sleep(1000);
  }
  throw new Error(`no challenge with ${minBlocksLeft} blocks left within ${timeoutMs} ms`);
}

/** Polls `read()` every 500 ms until `done(value)`; resolves with the value. */
export async function until(read, done, what, timeoutMs = 90000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(500);
  }
}

/**
 * Submits `call` through `sudo.sudo`, signed by the sudo key `signer`; resolves with the block's
 * events once the inner call succeeded, rejects with its error otherwise.
 */
export async function sudo(api, signer, call) {
  const { events, blockHash } = await submit(api, api.tx.sudo.sudo(call), signer);
  const sudid = events.find(({ event }) => api.events.sudo.Sudid.is(event));
  if (!sudid) throw new Error('no sudo.Sudid event');
  const result = sudid.event.data[0];
  if (result.isErr) {
    throw new Error(`sudo call failed: ${describeDispatchError(api, result.asErr)}`);
  }
  return { events, blockHash };
}

/** The data of the first `section.method` event of `events`, or undefined. */
export function eventData(events, section, method) {
  const record = events.find(({ event }) => event.section === section && event.method === method);
  return record?.event.data;
}
