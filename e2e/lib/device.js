// Runs the `endochain-device` tool (crates/endo-device): a simulated SRAM-PUF device that
// enrols, shows its identity and makes NIZK identity proofs. Results are JSON on stdout.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The tool's binary: $ENDO_DEVICE_BIN, else the target dir's release build. */
export function deviceBinary() {
  const bin =
    process.env.ENDO_DEVICE_BIN ??
    join(
      process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/endochain/target'),
      'release/endochain-device',
    );
  if (!existsSync(bin)) {
    throw new Error(
      `endochain-device not found at ${bin}: build it (cargo build --release -p endo-device) or set ENDO_DEVICE_BIN`,
    );
  }
  return resolve(bin);
}

/**
 * Runs the tool with `args` and resolves with its parsed JSON output. Rejects with the tool's
 * error message (and `exitCode`) when it exits non-zero.
 */
export function runDevice(args) {
  const bin = deviceBinary();
  return new Promise((ok, fail) => {
    execFile(bin, args, { timeout: 60000 }, (error, stdout, stderr) => {
      if (error) {
        const e = new Error(
          `endochain-device ${args[0]} failed (exit ${error.code}): ${stderr.trim() || error.message}`,
        );
        e.exitCode = error.code;
        fail(e);
        return;
      }
      try {
        ok(JSON.parse(stdout));
      } catch (e) {
        fail(new Error(`endochain-device ${args[0]}: output is not JSON: ${stdout}`));
      }
    });
  });
}
