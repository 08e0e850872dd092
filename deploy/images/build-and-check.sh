#!/usr/bin/env bash
# Builds the five service images with Jib as tarballs (no Docker daemon, no registry: the base image
# is a local one, see local-base-image.sh) and proves each one starts from its own entrypoint.
# Run by .ci/run after the tests; needs root for chroot (skipped with a notice otherwise).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=target/images
rm -rf "$out" && mkdir -p "$out"
deploy/images/local-base-image.sh "$out/base.tar"
services=(gateway identity-service files-service checkin-service outbox-relay)
# The documented image build command (README, docs/deployment.md), with two additions: the base
# image comes from the local tarball, as no registry is reachable here, and -q keeps Maven's
# "Tests are skipped" lines out of CI's closing output (the tests ran before).
./mvnw -q -DskipTests package jib:buildTar -Djib.from.image="tar://$(pwd)/$out/base.tar"
port=19900
for service in "${services[@]}"; do
  tar="$service/target/jib-image.tar"
  echo "$tar: $(du -h "$tar" | cut -f1)"
  if [ "$(id -u)" -ne 0 ]; then
    echo "Not root: the chroot start of $service is skipped"
    continue
  fi
  # every service needs its database at start (the gateway too, for its abuse limits: decision 0016),
  # so each image's JVM only loads the main class from the image's class path
  "$JAVA_HOME/bin/java" deploy/images/ImageTarCheck.java "$tar" "$out/$service" "$port" --dry-run
  port=$((port + 1))
done
