#!/usr/bin/env bash
# Installs the system packages the test suite needs, only when they are missing:
# Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium;
# Playwright itself comes from PyPI with the `test` extra), and Debian's postgresql
# server for the PostgreSQL store tests (tests/pgserver.py starts a throwaway cluster
# with its binaries; no system cluster is started), and Debian's Java 17 runtime for the
# Spark batch tests (pyspark itself comes from PyPI with the `test` extra).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null || need+=(postgresql)
command -v java >/dev/null || need+=(openjdk-17-jre-headless)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  if [ "$(id -u)" = 0 ]; then
    as_root=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    as_root=(sudo)
  else
    echo "cannot install ${need[*]} (not root, no sudo): the tests that need them skip" >&2
    exit 0
  fi
  "${as_root[@]}" apt-get update -qq &&
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" ||
    echo "could not install ${need[*]}: the tests that need them skip" >&2
fi
