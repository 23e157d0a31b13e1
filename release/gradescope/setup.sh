#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image
# (Ubuntu 22.04): Node.js 24 from NodeSource, then the grader's dependencies,
# exactly as the lockfile pins them. AUTOGRADER_ROOT moves /autograder.
set -euo pipefail
root="${AUTOGRADER_ROOT:-/autograder}"

if ! node --version 2>/dev/null | grep -q '^v24\.'; then
  apt-get update
  apt-get install -y --no-install-recommends ca-certificates curl
  curl -fsSL https://deb.nodesource.com/setup_24.x | bash -
  apt-get install -y nodejs
fi
echo "node $(node --version), npm $(npm --version)"

cd "$root/source"
npm ci --no-audit --no-fund
