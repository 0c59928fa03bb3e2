#!/usr/bin/env bash
# Measures the trusted authority node's delivery of vulnerability packages on a dev chain it
# starts for the purpose (e2e/measure/uiv-delivery.mjs): the `uiv_fetchPackage` round trip,
# and the time from an SW's fetch (right after its grant) to the delivery in a block and
# finalized. Prints a Markdown table (p50, p95, max); docs/PERFORMANCE.md records it.
#
# Usage: ./scripts/measure-uiv-delivery.sh [--samples N]   (default 20; about 10 s a sample)
# Needs endochain-node and endochain-uiv built (./scripts/test.sh or ./scripts/dev.sh builds
# them) and e2e/node_modules (npm ci in e2e/).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$ENDO_ROOT/e2e"
[ -d node_modules ] || npm ci --no-audit --no-fund
exec node measure/uiv-delivery.mjs "$@"
