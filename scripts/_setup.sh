# Shared by scripts/demo and scripts/test: installs what the portal needs on Debian 12 as root,
# then a virtual environment with the pinned Python packages. Safe to run again.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
cd "$ROOT"

# SKIP_INSTALL=1: use the machine and .venv as they are (tests start scripts/demo this way, so
# that a run never installs anything into a shared environment).
apt_install() {
  # Install only the Debian packages that are missing; apt-get update once, only if needed.
  [ "${SKIP_INSTALL:-0}" = 1 ] && return 0
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
      echo "Cần quyền root để cài gói Debian: ${missing[*]}" >&2
      exit 1
    fi
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Python 3.11 with venv, WeasyPrint's Pango, and the serif fonts the PDF embeds
# (Tinos and Liberation Serif are metric-compatible with Times New Roman and cover Vietnamese).
BASE_PACKAGES=(python3 python3-venv python3-dev libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-croscore fonts-liberation2 fontconfig)

setup_python() {
  # Optional extras in brackets: "[test]" by default; scripts/serve passes "" (no test tools).
  local extras="${1-[test]}"
  [ "${SKIP_INSTALL:-0}" = 1 ] && return 0
  if [ ! -x "$VENV/bin/python" ]; then
    echo "==> python3 -m venv .venv"
    python3 -m venv "$VENV"
  fi
  local base="$VENV/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
  local stamp="$base${extras:+-test}"
  # The test tools' install holds every package the portal needs as well.
  if [ ! -f "$stamp" ] && [ ! -f "$base-test" ]; then
    echo "==> pip install -e .$extras"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e ".$extras"
    rm -f "$VENV"/.installed-*
    touch "$stamp"
  fi
}
