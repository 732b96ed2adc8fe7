#!/usr/bin/env bash
# Installs the Debian packages threadpress builds and tests with. Safe to run again: it only calls
# apt-get when something is missing. Needs root (or sudo) the first time.
set -euo pipefail

# tzdata: named time zones (IANATimeZone reads /usr/share/zoneinfo). ngircd, inspircd, anope,
# openssl: the IRC test servers (Scripts/irc-test-servers).
packages=(libcurl4-openssl-dev libsqlite3-dev pkg-config sqlite3 tzdata python3 ngircd inspircd anope openssl)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "threadpress: installing ${missing[*]}" >&2
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
