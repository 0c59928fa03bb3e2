#!/usr/bin/env python3
"""Independent re-implementation, from docs/ENDOGENOUS-IDENTITY.md alone, of the hash-based
derivations of endo-crypto, checked against the Rust test vectors in tests/data/:
the SRAM PUF model, fuzzy-extractor enrolment (RM(1,8) code offset, Toeplitz extractor, check
value, helper data), the device secret scalar, the device ID and the SM9 identity string.
(The Ristretto point arithmetic and the merlin transcript are not re-implemented here.)

Usage: python3 crates/endo-crypto/tests/reference_check.py   (standard library only)
"""
import hashlib
import os

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
ELL = 2**252 + 27742317777372353535851937790883648493
CELLS = 11008


def blocks(name):
    out, cur = [], {}
    for line in open(os.path.join(DATA, name)):
        line = line.strip()
        if line.startswith("#"):
            continue
        if not line:
            if cur:
                out.append(cur)
                cur = {}
            continue
        key, value = line.split("=", 1)
        cur[key.strip()] = value.strip()
    if cur:
        out.append(cur)
    return out


def tagged(tag, *parts, h=hashlib.sha256):
    m = h()
    m.update(bytes([len(tag)]) + tag)
    for part in parts:
        m.update(part)
    return m.digest()


def rm_encode(a):
    a0, u = a & 1, (a >> 1) & 0xFF
    out = bytearray(32)
    for i in range(256):
        out[i // 8] |= (a0 ^ (bin(u & i).count("1") & 1)) << (i % 8)
    return bytes(out)


def check_puf_model():
    for b in blocks("puf_model.txt"):
        seed = bytes.fromhex(b["seed"])
        threshold = int(float(b["one_probability"]) * 2**32)
        pattern, cell, ctr = bytearray(CELLS // 8), 0, 0
        while cell < CELLS:
            block = tagged(b"endochain/puf/cells/v1", seed, ctr.to_bytes(4, "little"))
            for i in range(8):
                if cell < CELLS and int.from_bytes(block[4 * i : 4 * i + 4], "little") < threshold:
                    pattern[cell // 8] |= 1 << (cell % 8)
                cell += 1
            ctr += 1
        assert pattern.hex() == b["preferred"], "PUF model"


def check_fuzzy_extractor():
    for b in blocks("fuzzy_extractor.txt"):
        x, s = bytes.fromhex(b["response"]), bytes.fromhex(b["seed"])
        mb = bytes.fromhex(b["message"])
        codeword = b"".join(rm_encode(int.from_bytes(mb[2 * i : 2 * i + 2], "little")) for i in range(43))
        w = bytes(p ^ q for p, q in zip(x, codeword))
        t = b"".join(tagged(b"endochain/puf/toeplitz/v1", s, c.to_bytes(4, "little")) for c in range(44))
        tt, xx, mask = int.from_bytes(t, "little"), int.from_bytes(x, "little"), (1 << CELLS) - 1
        key = sum((bin(((tt >> j) & mask) & xx).count("1") & 1) << j for j in range(256))
        key = key.to_bytes(32, "little")
        assert key.hex() == b["key"], "PUF key"
        check = tagged(b"endochain/puf/check/v1", key, s, w)
        assert (b"\x01" + w + s + check).hex() == b["helper"], "helper data"


def check_identity():
    for b in blocks("identity.txt"):
        wide = tagged(b"endochain/identity/secret/v1", bytes.fromhex(b["puf_key"]), h=hashlib.sha512)
        secret = int.from_bytes(wide, "little") % ELL
        assert secret.to_bytes(32, "little").hex() == b["secret"], "secret scalar"
        device_id = tagged(b"endochain/identity/device-id/v1", bytes.fromhex(b["public_key"]))
        assert device_id.hex() == b["device_id"], "device ID"
        assert bytes.fromhex(b["sm9_identity"]) == b["device_id"].encode(), "SM9 identity"


if __name__ == "__main__":
    check_puf_model()
    check_fuzzy_extractor()
    check_identity()
    print("reference check: PUF model, fuzzy extractor and identity vectors reproduced")
