# Sourced by devstack/run and .ci/run, and run by ./mvnw: makes JAVA_HOME point at a JDK >= 21.
# Order: JAVA_HOME if it is recent enough, then `java` on PATH, then the newest JDK where JDKs usually
# live (Linux packages, SDKMAN!, IntelliJ, Homebrew, macOS installers).
_erp_java_major() { "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1; }
_erp_pick_jdk() {
  local candidate major best="" best_major=0
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
    major=$(_erp_java_major "$JAVA_HOME/bin/java"); [ "${major:-0}" -ge 21 ] && { echo "$JAVA_HOME"; return; }
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(_erp_java_major "$candidate/bin/java"); [ "${major:-0}" -ge 21 ] && { echo "$candidate"; return; }
  fi
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "${HOME:-/nonexistent}"/.sdkman/candidates/java/* "${HOME:-/nonexistent}"/.jdks/* \
      /Library/Java/JavaVirtualMachines/*/Contents/Home "${HOME:-/nonexistent}"/Library/Java/JavaVirtualMachines/*/Contents/Home \
      /opt/homebrew/opt/openjdk*/libexec/openjdk.jdk/Contents/Home /usr/local/opt/openjdk*/libexec/openjdk.jdk/Contents/Home; do
    [ -x "$candidate/bin/javac" ] || continue
    major=$(_erp_java_major "$candidate/bin/java")
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major=$major; fi
  done
  [ -n "$best" ] && echo "$best"
}
_erp_jdk=$(_erp_pick_jdk)
if [ -z "$_erp_jdk" ]; then
  echo "A JDK 21 or newer is required and none was found (JAVA_HOME, java on the PATH, /usr/lib/jvm, /opt," >&2
  echo "SDKMAN!, ~/.jdks, /Library/Java/JavaVirtualMachines, Homebrew). Install one, e.g. Temurin 21, or point JAVA_HOME at it." >&2
  return 1 2>/dev/null || exit 1
fi
export JAVA_HOME="$_erp_jdk"
export PATH="$JAVA_HOME/bin:$PATH"
unset _erp_jdk
