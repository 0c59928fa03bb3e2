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

/** A Q32.32 number as 8 little-endian bytes. */
function q32(x) {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt(Math.round(x * 2 ** 32)), true);
  return [...bytes];
}

/**
 * The SCALE blob (hex) of an `endo_trust::TrustModel` (format 1): one sigmoid neuron over the 11
 * features, `sigmoid(6 - 6 * collaborators)`. A fresh SW alone on a case gets 0.9975 (R1 with
 * the beta prior), the second 0.5 (R3), the third 0.0025 (R2).
 */
export function collaboratorModel() {
  const weights = Array(11).fill(0);
  weights[0] = -6; // feature 0: collaborators
  const blob = [1, 0 /* no normalisation */, 1 << 2 /* one layer */, 11, 1, 2 /* sigmoid */];
  blob.push(11 << 2, ...weights.flatMap(q32), 1 << 2, ...q32(6));
  return `0x${Buffer.from(blob).toString('hex')}`;
}

/** The `open-case` arguments of a case about `purl` of `vendor` (1.0.0 to 1.4.2, CVSS 9.8). */
export function openCaseArgs(ta, vendor, purl, reportFile) {
  return [
    'open-case',
    '--ta',
    ta,
    '--product',
    `${vendor}:${purl}:1.0.0-1.4.2`,
    '--cvss',
    'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    '--report',
    reportFile,
  ];
}
