// Runs the `endochain-uiv` tool (crates/endo-uiv-cli): the command line of vulnerability
// sharing. Resolves with { code, stdout, stderr }; the tool exits 0 on success, 1 on an error
// and 2 when a log entry does not verify.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The tool's binary: $ENDO_UIV_BIN, else the target dir's release build. */
export function uivBinary() {
  const bin =
    process.env.ENDO_UIV_BIN ??
    join(
      process.env.CARGO_TARGET_DIR ?? join(process.env.HOME, '.cache/endochain/target'),
      'release/endochain-uiv',
    );
  if (!existsSync(bin)) {
    throw new Error(
      `endochain-uiv not found at ${bin}: build it (cargo build --release -p endo-uiv-cli) or set ENDO_UIV_BIN`,
    );
  }
  return resolve(bin);
}

/** Runs the tool with `args`. */
export function runUiv(args) {
  const bin = uivBinary();
  return new Promise((ok) => {
    execFile(bin, args, { timeout: 120000 }, (error, stdout, stderr) => {
      ok({ code: error ? (error.code ?? 1) : 0, stdout, stderr });
    });
  });
}
