// Starts an endochain-node for a test: free ports, temporary state, killed when the test ends
// (also when it fails or the process is interrupted).
import { spawn } from 'node:child_process';
import { createServer, connect as tcpConnect } from 'node:net';
import { existsSync, mkdtempSync, rmSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The node binary: $ENDO_NODE_BIN, else the default target dir's release build. */
export function nodeBinary() {
  const bin =
    process.env.ENDO_NODE_BIN ??
    join(
      process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/endochain/target'),
      'release/endochain-node',
    );
  if (!existsSync(bin)) {
    throw new Error(
      `endochain-node not found at ${bin}: build it (./scripts/test.sh does) or set ENDO_NODE_BIN`,
    );
  }
  return resolve(bin);
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/**
 * Starts `endochain-node --dev` on free ports with its state in a temporary directory.
 * Returns { wsUrl, stop, restart, logTail }; `stop` kills the node and removes the directory,
 * `restart` kills it and starts it again on the same directory.
 */
export async function startDevNode(extraArgs = []) {
  const rpcPort = await freePort();
  const p2pPort = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'endochain-e2e-'));
  const logFile = join(dir, 'node.log');
  const args = [
    '--dev',
    '--base-path',
    join(dir, 'db'),
    '--rpc-port',
    String(rpcPort),
    '--port',
    String(p2pPort),
    '--no-prometheus',
    '--no-telemetry',
    '--no-mdns',
    ...extraArgs,
  ];
  const launch = () =>
    spawn(nodeBinary(), args, {
      stdio: ['ignore', openSync(logFile, 'a'), openSync(logFile, 'a')],
    });
  let child = launch();
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child.exitCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGKILL');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const onSignal = () => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', () => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  const logTail = () => {
    try {
      return readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
    } catch {
      return '';
    }
  };
  try {
    await waitForPort(rpcPort);
  } catch (e) {
    const tail = logTail();
    await stop();
    throw new Error(`${e.message}; node log:\n${tail}`);
  }
  /** Kills the node (SIGKILL, as a crash) and starts it again on the same state and ports. */
  const restart = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((ok) => child.once('exit', ok));
      child.kill('SIGKILL');
      await exited;
    }
    child = launch();
    await waitForPort(rpcPort);
  };
  return { wsUrl: `ws://127.0.0.1:${rpcPort}`, stop, restart, logTail, child };
}

/** Resolves once something accepts TCP connections on 127.0.0.1:`port`. */
export async function waitForPort(port, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise((ok) => {
      const sock = tcpConnect({ port, host: '127.0.0.1' });
      sock.once('connect', () => {
        sock.destroy();
        ok(true);
      });
      sock.once('error', () => ok(false));
    });
    if (open) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** Connects @polkadot/api to `wsUrl`, retrying until the node answers or `timeoutMs` passes. */
export async function connect(ApiPromise, WsProvider, wsUrl, timeoutMs = 60000) {
  const provider = new WsProvider(wsUrl, 500);
  let timer;
  const timeout = new Promise((_, fail) => {
    timer = setTimeout(
      () => fail(new Error(`no RPC at ${wsUrl} after ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([ApiPromise.create({ provider, noInitWarn: true }), timeout]);
  } catch (e) {
    await provider.disconnect().catch(() => {});
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts a dev node and connects @polkadot/api to it: `{ node, api }`. If the connection fails
 * the node is stopped and the error carries the tail of its log.
 */
export async function startDevChain(ApiPromise, WsProvider, extraArgs = []) {
  const node = await startDevNode(extraArgs);
  try {
    const api = await connect(ApiPromise, WsProvider, node.wsUrl);
    return { node, api };
  } catch (e) {
    const tail = node.logTail();
    await node.stop();
    throw new Error(`${e.message}\nnode log:\n${tail}`);
  }
}

export const repoRoot = resolve(here, '../..');
