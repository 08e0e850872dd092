#!/usr/bin/env bash
# Checks deploy/k8s offline, without a cluster: renders the base and each overlay with
# `kubectl kustomize`, then validates every rendered manifest, and every file of the base on its own,
# against the Kubernetes API schemas (npm package kubernetes-models, pinned in validate/package-lock.json).
# Installs what it needs when missing (kubectl from Debian's packages, the npm packages); run it again
# at will. Output: target/k8s/<base|overlay>.yaml. Run by .ci/run.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v kubectl >/dev/null; then
  apt-get update -qq && apt-get install -y -qq kubectl \
    || echo "kubectl could not be installed (is its package source enabled?)" >&2
fi
if ! command -v node >/dev/null; then
  apt-get update -qq && apt-get install -y -qq nodejs npm
fi
if [ ! -f validate/node_modules/kubernetes-models/package.json ]; then
  (cd validate && npm ci --no-audit --no-fund --loglevel=error)
fi

out=../../target/k8s
rm -rf "$out" && mkdir -p "$out"
if command -v kubectl >/dev/null; then
  kubectl kustomize base > "$out/base.yaml"
  for overlay in overlays/*/; do
    name=$(basename "$overlay")
    kubectl kustomize "$overlay" > "$out/$name.yaml"
    echo "Rendered overlay $name: $(grep -c '^kind:' "$out/$name.yaml") objects"
  done
else
  # Said loudly rather than failing CI on a machine without kubectl's package source: the base
  # files are still validated one by one below; the overlays are not rendered.
  echo "WARNING: kubectl missing: overlays NOT rendered, only the base files are validated" >&2
fi
resources=$(find base -name '*.yaml' ! -name kustomization.yaml | sort)
# shellcheck disable=SC2086 # one argument per file
node validate/validate.mjs $resources $(find "$out" -name "*.yaml" | sort)
