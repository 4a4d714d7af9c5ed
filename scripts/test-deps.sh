#!/usr/bin/env bash
# System programs the test suite needs (a headless browser for the Datasette UI tests, openssl for the TLS test,
# redis-server for the distributed crawl tests, curl for the README tour).
# Installed here so `make test` works on a fresh machine with nothing set up by hand.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v openssl >/dev/null 2>&1 || need+=(openssl)   # a throwaway certificate for the TLS fetch test
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)   # the broker of the distributed crawl tests
command -v curl >/dev/null 2>&1 || need+=(curl)   # the README tour's JSON example (tests/test_docs.py)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} (needed by the tests)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing ${need[*]}: install it (Debian: apt-get install ${need[*]}) to run the browser tests" >&2
    exit 1
  fi
fi
