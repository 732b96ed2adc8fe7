#!/usr/bin/env bash
# README command two: installs what the tests need, then runs every test (unit and integration).
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-dependencies.sh
# Real IRC servers on 127.0.0.1 for the IRC tests (idempotent; `Scripts/irc-test-servers stop` ends them).
Scripts/irc-test-servers start
# The real WordPress (and MariaDB) on 127.0.0.1:18080/18081 that Tests/WordPressBlogTests talk to.
Scripts/wordpress-test-server start
swift build --build-tests
swift test --skip-build
