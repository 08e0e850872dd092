#!/usr/bin/env bash
# Builds a Java runtime base image as a `docker save` tarball from the local JDK, for machines that
# reach no container registry (CI here): a jlinked runtime in /opt/java/openjdk, the shared
# libraries it links against, and the few files a container expects. Deployments use the
# registry's eclipse-temurin:25-jre (pom.xml, jib.base-image); this one only proves the Jib build.
#   deploy/images/local-base-image.sh target/images/base.tar
set -euo pipefail
out=$(realpath -m "$1")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
java_home="$rootfs/opt/java/openjdk"
mkdir -p "$rootfs"/{etc,tmp,lib64} "$(dirname "$java_home")" "$(dirname "$out")"
chmod 1777 "$rootfs/tmp"

# the modules of a JRE (java.se and the jdk.* runtime modules services use), as this JDK has them;
# from its jmods, or from the run-time image when it has none (JEP 493)
wanted='java.se jdk.unsupported jdk.management jdk.management.agent jdk.management.jfr jdk.jfr jdk.naming.dns
  jdk.zipfs jdk.localedata jdk.charsets jdk.crypto.ec jdk.crypto.cryptoki jdk.net jdk.security.auth
  jdk.security.jgss jdk.httpserver jdk.sctp jdk.attach'
available=$("$JAVA_HOME/bin/java" --list-modules | sed 's/@.*//')
modules=$(for m in $wanted; do grep -qx "$m" <<<"$available" && echo "$m"; done | paste -sd, -)
module_path=()
[ -d "$JAVA_HOME/jmods" ] && module_path=(--module-path "$JAVA_HOME/jmods")
"$JAVA_HOME/bin/jlink" "${module_path[@]}" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$java_home"

# the runtime's shared libraries (glibc, zlib, ...) as this machine has them; ones it cannot
# resolve belong to modules a service does not load (AWT's X11)
{ echo "$java_home/bin/java"; find "$java_home/lib" -name '*.so'; } | while read -r binary; do
  ldd "$binary" 2>/dev/null | grep -o '/[^ ]*' || true
done | sort -u | while read -r lib; do
  case "$lib" in "$rootfs"/*) continue ;; esac # the runtime's own libraries are in place
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done

printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:1000:1000:app:/tmp:/sbin/nologin\n' > "$rootfs/etc/passwd"
printf 'root:x:0:\napp:x:1000:\n' > "$rootfs/etc/group"
printf '127.0.0.1 localhost\n::1 localhost\n' > "$rootfs/etc/hosts"
printf 'hosts: files dns\n' > "$rootfs/etc/nsswitch.conf"

image="$work/image"
mkdir -p "$image"
tar --numeric-owner --owner=0 --group=0 --sort=name --mtime='2026-01-01' -C "$rootfs" -cf "$image/layer.tar" .
diff_id=$(sha256sum "$image/layer.tar" | cut -d' ' -f1)
cat > "$image/config.json" <<JSON
{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/opt/java/openjdk/bin:/usr/local/bin:/usr/bin:/bin","JAVA_HOME=/opt/java/openjdk","LANG=C.UTF-8"]},"rootfs":{"type":"layers","diff_ids":["sha256:$diff_id"]}}
JSON
cat > "$image/manifest.json" <<JSON
[{"Config":"config.json","RepoTags":["erp-detachement/local-jre:latest"],"Layers":["layer.tar"]}]
JSON
tar -C "$image" -cf "$out" manifest.json config.json layer.tar
echo "Base image: $out ($(du -h "$out" | cut -f1), runtime $("$java_home/bin/java" -version 2>&1 | head -n 1))"
