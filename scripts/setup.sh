#!/usr/bin/env bash
# Everything the kit needs on a fresh Debian machine (run as root, or with sudo):
# the system packages listed in system/debian-packages.txt and a project virtual
# environment with the pinned Python packages. Safe to run again: it skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=$(grep -v '^\s*#' system/debian-packages.txt | tr -s ' \n' ' ')
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "Installing system packages:$missing"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi

# axe-core, the accessibility checker the browser tests inject into each page, from the
# npm registry into the (git-ignored) project environment. npm comes from Debian unless
# a Node.js that brings its own npm is already installed.
AXE_CORE_VERSION=4.14.1
if ! command -v npm >/dev/null 2>&1; then
  echo "Installing Node.js and npm (for axe-core)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "Creating the project environment in .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.csr-kit-installed
if [ ! -f "$stamp" ] || [ requirements.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  echo "Installing Python packages (pinned in requirements.txt)"
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  .venv/bin/pip install -q --disable-pip-version-check --no-deps -e .
  touch "$stamp"
fi
axe=.venv/node/node_modules/axe-core
if [ "$(cat "$axe/package.json" 2>/dev/null | grep -o '"version": *"[^"]*"' | grep -o '[0-9][^"]*')" != "$AXE_CORE_VERSION" ]; then
  echo "Installing axe-core $AXE_CORE_VERSION from the npm registry"
  npm install --silent --no-audit --no-fund --prefix .venv/node "axe-core@$AXE_CORE_VERSION"
fi
