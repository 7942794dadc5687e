#!/usr/bin/env bash
# A production install works: copies the committed tree to a temporary directory, installs only
# `dependencies` (npm ci --omit=dev), then runs the CLI and the synth there. Catches a run-time
# need that sits in devDependencies (esbuild once did: every command crashed with a stack trace).
#
#   bash scripts/production-install-check.sh      # from the repository root; CI runs it (.ci/run)
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git ls-files -z | xargs -0 -I{} cp --parents {} "$work"/ 2>/dev/null || { echo "production-install-check: cannot copy the tree" >&2; exit 1; }
cd "$work"
echo "production-install-check: npm ci --omit=dev in $work" >&2
npm ci --omit=dev --no-audit --no-fund --prefer-offline >&2
for dev in cdktf-cli jest typescript eslint; do
  if [ -e "node_modules/$dev" ]; then echo "production-install-check: devDependency $dev was installed" >&2; exit 1; fi
done
echo "production-install-check: installed size $(du -sh node_modules | cut -f1)" >&2

export CHECKPOINT_DISABLE=1
node bin/mlflow-infra.js --help >/dev/null
node bin/mlflow-infra.js migrate --help >/dev/null
CDKTF_OUTDIR="$work/synth-out" npm run -s synth >/dev/null
for f in $(cd cdktf.out && find . -name cdk.tf.json -o -name manifest.json | sort); do
  cmp -s "cdktf.out/$f" "$work/synth-out/$f" || { echo "production-install-check: synth output differs: $f" >&2; exit 1; }
done
node bin/mlflow-infra.js check --stack mlflow-staging >/dev/null
echo "production-install-check: ok (--help, synth identical to cdktf.out, check)" >&2
