//! The seeded vulnerability reports the measurement marks: Markdown prose from word pools and
//! a fenced proof of concept.

use super::REPORT_COLUMNS;
use rand::Rng;

const VENDORS: [&str; 6] = [
	"Acme Automation",
	"Northwind Controls",
	"Contoso Industrial",
	"Globex Energy",
	"Initech Systems",
	"Umbrella Grid",
];
const PRODUCTS: [&str; 10] = [
	"Modbus gateway",
	"PLC runtime",
	"SCADA historian",
	"RTU firmware",
	"HMI web server",
	"OPC UA server",
	"managed industrial switch",
	"smart meter",
	"BACnet controller",
	"DNP3 outstation",
];
const COMPONENTS: [&str; 8] = [
	"packet parser",
	"session manager",
	"firmware updater",
	"authentication handler",
	"configuration importer",
	"logging service",
	"file transfer module",
	"diagnostic interface",
];
const FLAWS: [(&str, &str); 8] = [
	("heap buffer overflow", "CWE-122"),
	("stack buffer overflow", "CWE-121"),
	("use-after-free", "CWE-416"),
	("integer overflow", "CWE-190"),
	("out-of-bounds read", "CWE-125"),
	("command injection", "CWE-78"),
	("path traversal", "CWE-22"),
	("missing authentication check", "CWE-306"),
];
const FIELDS: [&str; 7] = [
	"length field",
	"record count",
	"function code",
	"object index",
	"file name",
	"session identifier",
	"transfer size",
];
const FUNCTIONS: [&str; 8] = [
	"parse_frame",
	"read_register_block",
	"handle_upload",
	"decode_tlv",
	"session_lookup",
	"copy_payload",
	"import_config",
	"write_coil_range",
];

const SUMMARY: [&str; 5] = [
	"The {C} of the {P} by {VENDOR} contains a {FLAW} ({CWE}) that a remote attacker can trigger without authentication.",
	"Firmware versions {V} and earlier are affected; the issue was found during a review of the {C} and confirmed on real hardware.",
	"An attacker who can reach TCP port {PORT} sends a single crafted request and gains code execution with the privileges of the service.",
	"The flaw is reachable before any session is established, so network segmentation is the only barrier in a default installation.",
	"We have not seen the issue exploited in the wild, and as far as we know it is not publicly known.",
];
const DETAILS: [&str; 12] = [
	"When the {C} receives a request, `{FN}()` reads the {F} from the header and trusts it without checking it against the size of the buffer.",
	"The buffer is allocated with a fixed size of {N} bytes, but the copy uses the value sent by the attacker, which may be as large as {BIG}.",
	"Because the check happens after the copy, the memory that follows the buffer is overwritten with data the attacker controls.",
	"On the tested firmware the overwritten region holds a function pointer, which is called when the request completes.",
	"Address space layout randomisation is not enabled on the device, so the addresses in the proof of concept are stable across reboots.",
	"The watchdog restarts the service a few seconds after a crash, which lets an attacker retry until the exploit succeeds.",
	"We reproduced the issue on firmware {V} running on the reference board of the vendor and on an emulated build of the same image.",
	"The same pattern appears in `{FN2}()`, which handles the {F2} of another message type and may be exploitable in the same way.",
	"Logging does not record the malformed request, so the attack leaves no trace on the device itself.",
	"The vulnerable code path is reached with the default configuration and does not depend on any optional module.",
	"A second request with a shorter {F} is enough to move the corrupted pointer into the call path, as the proof of concept below shows.",
	"Static analysis of the firmware image found {COUNT} further calls with the same unchecked pattern, which we have not tested one by one.",
];
const IMPACT: [&str; 6] = [
	"A successful attack gives full control of the {P}, including the process values it reports to the control system.",
	"An attacker could stop the process, change set points, or hide alarms from the operators in the control room.",
	"In the field the device is often exposed to the plant network, and sometimes to the internet through a remote access gateway.",
	"Denial of service is possible even without a working exploit, since every malformed request crashes the service.",
	"The CVSS 3.1 base score is {SCORE} with the vector {VECTOR}.",
	"Devices of this family are deployed in water treatment, power distribution and building automation.",
];
const MITIGATION: [&str; 6] = [
	"Until a patch is available, operators should block port {PORT} at the perimeter and allow it only from engineering workstations.",
	"The vendor has confirmed the issue and plans a fixed release in version {V2}.",
	"Monitoring for requests whose {F} exceeds {N} bytes detects the proof of concept and simple variants of it.",
	"Please keep the details of this report confidential until the coordinated disclosure date agreed with the vendor.",
	"We are happy to help verify the fix on a test device before it is released to customers.",
	"A complete fix checks the {F} against the size of the buffer before the copy, in every handler that shares the pattern.",
];

pub(super) fn pick<T: Copy>(rng: &mut impl Rng, items: &[T]) -> T {
	items[rng.gen_range(0..items.len())]
}

/// One report's fixed facts, used by its sentences.
struct Facts {
	vendor: &'static str,
	product: &'static str,
	component: &'static str,
	flaw: (&'static str, &'static str),
	field: &'static str,
	function: &'static str,
	version: String,
	port: u16,
	buffer: u32,
}

fn version(rng: &mut impl Rng) -> String {
	format!("{}.{}.{}", rng.gen_range(1..6), rng.gen_range(0..10), rng.gen_range(0..30))
}

fn sentence(rng: &mut impl Rng, facts: &Facts, template: &str) -> String {
	let vector = format!(
		"CVSS:3.1/AV:N/AC:{}/PR:N/UI:N/S:U/C:H/I:H/A:{}",
		pick(rng, &["L", "H"]),
		pick(rng, &["H", "L"])
	);
	template
		.replace("{VENDOR}", facts.vendor)
		.replace("{P}", facts.product)
		.replace("{C}", facts.component)
		.replace("{FLAW}", facts.flaw.0)
		.replace("{CWE}", facts.flaw.1)
		.replace("{FN2}", pick(rng, &FUNCTIONS))
		.replace("{FN}", facts.function)
		.replace("{F2}", pick(rng, &FIELDS))
		.replace("{F}", facts.field)
		.replace("{V2}", &version(rng))
		.replace("{V}", &facts.version)
		.replace("{PORT}", &facts.port.to_string())
		.replace("{N}", &facts.buffer.to_string())
		.replace("{BIG}", &rng.gen_range(4_096u32..65_536).to_string())
		.replace("{COUNT}", &rng.gen_range(2u32..12).to_string())
		.replace("{SCORE}", &format!("{:.1}", rng.gen_range(7.0f64..10.0)))
		.replace("{VECTOR}", &format!("`{vector}`"))
}

/// A paragraph of 3 to 6 sentences of `pool`, hard-wrapped to [`REPORT_COLUMNS`].
fn paragraph(rng: &mut impl Rng, facts: &Facts, pool: &[&str]) -> String {
	let n = rng.gen_range(3..=6);
	let text: Vec<String> = (0..n)
		.map(|_| {
			let template = pick(rng, pool);
			sentence(rng, facts, template)
		})
		.collect();
	let mut out = String::new();
	let mut col = 0;
	for word in text.join(" ").split(' ') {
		if col > 0 && col + 1 + word.len() > REPORT_COLUMNS {
			out.push('\n');
			col = 0;
		} else if col > 0 {
			out.push(' ');
			col += 1;
		}
		out.push_str(word);
		col += word.len();
	}
	out.push_str("\n\n");
	out
}

/// The proof of concept: a fenced Python script with the report's values.
fn proof_of_concept(rng: &mut impl Rng, facts: &Facts) -> String {
	let host = format!("192.0.2.{}", rng.gen_range(2..250));
	let magic = rng.gen_range(0x1000u32..0xffff);
	let code = rng.gen_range(1u32..128);
	let address = rng.gen_range(0x0040_0000u32..0x0080_0000);
	let overflow = facts.buffer + rng.gen_range(16..256);
	format!(
		"```python\n\
		 #!/usr/bin/env python3\n\
		 # Proof of concept: {flaw} in the {component} ({product} {version}).\n\
		 import socket\n\
		 import struct\n\
		 import sys\n\
		 \n\
		 HOST = sys.argv[1] if len(sys.argv) > 1 else \"{host}\"\n\
		 PORT = {port}\n\
		 BUFFER = {buffer}\n\
		 \n\
		 \n\
		 def frame(length, body):\n\
		 \x20   header = struct.pack(\">HHI\", 0x{magic:04x}, {code}, length)\n\
		 \x20   return header + body\n\
		 \n\
		 \n\
		 def exploit(sock):\n\
		 \x20   # The {field} says {overflow} bytes; the buffer holds {buffer}.\n\
		 \x20   body = b\"A\" * BUFFER + struct.pack(\"<I\", 0x{address:08x})\n\
		 \x20   body += b\"B\" * ({overflow} - len(body))\n\
		 \x20   sock.sendall(frame({overflow}, body))\n\
		 \x20   reply = sock.recv(4096)\n\
		 \x20   print(\"reply:\", reply.hex())\n\
		 \n\
		 \n\
		 if __name__ == \"__main__\":\n\
		 \x20   with socket.create_connection((HOST, PORT), timeout=5) as sock:\n\
		 \x20       exploit(sock)\n\
		 \x20   print(\"sent; the {function}() handler should have crashed\")\n\
		 ```\n\n",
		flaw = facts.flaw.0,
		component = facts.component,
		product = facts.product,
		version = facts.version,
		port = facts.port,
		buffer = facts.buffer,
		field = facts.field,
		function = facts.function,
	)
}

/// A seeded vulnerability report in Markdown of about `target` bytes (within half a paragraph
/// per section): a title and a metadata list, then Summary, Details, a fenced Python proof of
/// concept, Impact and Mitigation, the prose hard-wrapped to [`REPORT_COLUMNS`] columns.
pub fn vulnerability_report(rng: &mut impl Rng, target: usize) -> String {
	let facts = Facts {
		vendor: pick(rng, &VENDORS),
		product: pick(rng, &PRODUCTS),
		component: pick(rng, &COMPONENTS),
		flaw: pick(rng, &FLAWS),
		field: pick(rng, &FIELDS),
		function: pick(rng, &FUNCTIONS),
		version: version(rng),
		port: rng.gen_range(1_024..49_152),
		buffer: pick(rng, &[64u32, 128, 256, 512, 1_024]),
	};
	let mut out = format!(
		"# {} in the {} of the {} {}\n\n\
		 - Vendor: {}\n- Product: {} {}\n- Weakness: {}\n- Reported: 2024-{:02}-{:02}\n\n",
		capitalise(facts.flaw.0),
		facts.component,
		facts.vendor,
		facts.product,
		facts.vendor,
		facts.product,
		facts.version,
		facts.flaw.1,
		rng.gen_range(1..13),
		rng.gen_range(1..29),
	);
	let poc = proof_of_concept(rng, &facts);
	let prose = target.saturating_sub(out.len() + poc.len() + 80);
	let sections: [(&str, &[&str], usize); 4] = [
		("Summary", &SUMMARY, 15),
		("Details", &DETAILS, 45),
		("Impact", &IMPACT, 18),
		("Mitigation", &MITIGATION, 22),
	];
	for (name, pool, percent) in sections {
		out.push_str(&format!("## {name}\n\n"));
		let (start, budget) = (out.len(), prose * percent / 100);
		loop {
			// Stop where the section is closest to its budget (at least one paragraph).
			let next = paragraph(rng, &facts, pool);
			let have = out.len() - start;
			if have > 0 && have + next.len() / 2 > budget {
				break;
			}
			out.push_str(&next);
		}
		if name == "Details" {
			out.push_str("## Proof of concept\n\n");
			out.push_str(&poc);
		}
	}
	out
}

fn capitalise(s: &str) -> String {
	let mut chars = s.chars();
	chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

// ------------------------------------------------------------------------------------------
// the measurement
