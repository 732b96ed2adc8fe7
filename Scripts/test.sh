#!/usr/bin/env bash
# README command two: installs what the tests need, then runs every test (unit and integration).
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-dependencies.sh
swift build --build-tests
swift test --skip-build
