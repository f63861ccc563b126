#!/bin/sh
# System packages the project needs beyond Python: pango and harfbuzz-subset for WeasyPrint (PDF reports
# and font subsetting; without it WeasyPrint warns that future versions need it), fonts
# that shape Arabic, poppler-utils (pdftotext/pdftoppm, used by the PDF tests) and Graphviz
# (the chain graph), wrk (the load generator of bench/run), Chromium (the browser tests in
# tests/browser drive Debian's chromium) and npm when no npm is on PATH (it installs axe-core for
# those tests), and redis-server when no Redis server is installed (the job queue's scale mode is
# tested against it). Idempotent: installs only what is missing; does nothing without apt-get.
set -eu
PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core poppler-utils graphviz wrk chromium"
command -v npm >/dev/null 2>&1 || PACKAGES="$PACKAGES npm"
command -v redis-server >/dev/null 2>&1 || PACKAGES="$PACKAGES redis-server"
if ! command -v apt-get >/dev/null 2>&1 || ! command -v dpkg-query >/dev/null 2>&1; then
  echo "system-deps: no apt-get here; install these yourself: $PACKAGES" >&2
  exit 0
fi
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "system-deps: installing$missing" >&2
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
