// The IBE path of device identity through the `endochain-device` tool: a KGC registered by
// sudo with its enrolment key, devices enrolled and registered with the credentials the KGC
// issues. Shared by the proxy-worker test and the activation measurement.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { hexToU8a, u8aConcat, u8aToHex } from '@polkadot/util';
import { randomAsHex } from '@polkadot/util-crypto';
import { runDevice } from './device.js';
import { bestNumber, challengeReport, eventData, submit, sudo } from './chain.js';

/** The domain-separation tags the tool prints, as bytes. */
export async function tags() {
  const printed = await runDevice(['tags']);
  return {
    register: hexToU8a(printed.registerPurposeTag),
    crossDomain: hexToU8a(printed.crossDomainPurposeTag),
  };
}

/** Registers, through sudo, the authority key the tool printed; returns its index. */
export async function registerAuthority(api, sudoKey, authorityKey) {
  const { events } = await sudo(
    api,
    sudoKey,
    api.tx.deviceIdentity.registerAuthority(authorityKey),
  );
  const data = eventData(events, 'deviceIdentity', 'AuthorityRegistered');
  assert.ok(data, 'deviceIdentity.AuthorityRegistered emitted');
  return data[0].toNumber();
}

/**
 * A KGC made by the tool in `dir`, registered by `sudoKey` with its enrolment key; returns
 * { file, authority, keys } (`keys`: what `kgc new` printed).
 */
export async function setUpKgc(api, sudoKey, dir) {
  const file = join(dir, 'kgc.json');
  const keys = await runDevice(['kgc', 'new', '--out', file]);
  const authority = await registerAuthority(api, sudoKey, keys.authorityKey);
  await sudo(api, sudoKey, api.tx.deviceIdentity.setEnrolmentKey(authority, keys.enrolmentKey));
  return { file, authority, keys };
}

/** Enrols a new simulated device with the tool in `dir`; returns { file, id, publicKey }. */
export async function enrolDevice(dir, name) {
  const file = join(dir, `${name}.json`);
  const identity = await runDevice(['enroll', '--seed', randomAsHex(32), '--out', file]);
  return { file, ...identity };
}

/** The device's proof for `purpose` (bytes) against the challenge `report`. */
export async function prove(device, report, purpose) {
  const proved = await runDevice([
    'prove',
    '--device',
    device.file,
    '--genesis',
    report.genesisHash.toHex(),
    '--challenge',
    report.challenge.toHex(),
    '--purpose',
    u8aToHex(purpose),
  ]);
  assert.equal(proved.id, device.id);
  return proved.proof;
}

/** The runtime's type of register_device's `credential` argument. */
function credentialType(api) {
  const arg = api.tx.deviceIdentity.registerDevice.meta.args.find(
    (a) => a.name.toString() === 'credential',
  );
  return arg.type.toString();
}

/**
 * Registers `device` (unsigned, no controller) in the domain of `kgc` ({ file, authority })
 * with the credential `kgc issue` makes for it; a forgery when `issuedFor` is another device:
 * the KGC's co-signature of `device` with the SM9 signature of `issuedFor`'s identity. Resolves
 * with { blockHash, block, submittedAt } once the registration is in a block, pending.
 */
export async function registerIbe(api, registerTag, kgc, device, issuedFor = device) {
  const report = await challengeReport(api, 10);
  const genesis = report.genesisHash.toHex();
  const expiresAt = (await bestNumber(api)) + 10_000;
  const issue = async (id) =>
    (
      await runDevice([
        'kgc',
        'issue',
        '--kgc',
        kgc.file,
        '--genesis',
        genesis,
        '--authority',
        String(kgc.authority),
        '--device',
        id,
        '--expires-at',
        String(expiresAt),
      ])
    ).credential;
  const own = await issue(device.id);
  const sm9 = issuedFor === device ? own : await issue(issuedFor.id);
  const credential = api.createType(credentialType(api), {
    Ibe: { ...own.Ibe, signature: sm9.Ibe.signature },
  });
  const purpose = u8aConcat(
    registerTag,
    api.createType('(u32, Option<AccountId>)', [kgc.authority, null]).toU8a(),
    credential.toU8a(),
  );
  const proof = await prove(device, report, purpose);
  const submittedAt = Date.now();
  const { events, blockHash } = await submit(
    api,
    api.tx.deviceIdentity.registerDevice(
      device.id,
      device.publicKey,
      kgc.authority,
      credential,
      null,
      report.epoch,
      proof,
    ),
  );
  assert.ok(eventData(events, 'deviceIdentity', 'RegistrationPending'), 'pending');
  const block = (await api.rpc.chain.getHeader(blockHash)).number.toNumber();
  return { blockHash, block, submittedAt };
}

/** `DeviceIdentityApi::device_status(id)`, unwrapped, or null. */
export async function deviceStatus(api, id) {
  const report = await api.call.deviceIdentityApi.deviceStatus(id);
  return report.isSome ? report.unwrap() : null;
}
