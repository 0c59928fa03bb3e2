#!/usr/bin/env bash
# Measures the time from an IBE device's registration to its activation by the proxy worker,
# on a dev chain it starts for the purpose (e2e/measure/ibe-activation.mjs). Prints a Markdown
# table (p50, p95, max); docs/PERFORMANCE.md records it.
#
# Usage: ./scripts/measure-ibe-activation.sh [--samples N]   (default 10; about 10 s a sample)
# Needs endochain-node and endochain-device built (./scripts/test.sh or ./scripts/dev.sh builds
# them) and e2e/node_modules (npm ci in e2e/).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/env.sh
source "$here/env.sh"
cd "$ENDO_ROOT/e2e"
[ -d node_modules ] || npm ci --no-audit --no-fund
exec node measure/ibe-activation.mjs "$@"
