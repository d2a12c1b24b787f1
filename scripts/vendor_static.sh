#!/usr/bin/env bash
# Copies third-party front-end files from pinned npm package versions into
# tremplin/core/static/vendor/, with their licences. Run it only to change a
# version; its output is committed so that nothing is fetched at run time.
set -euo pipefail
BOOTSTRAP=5.3.9
HTMX=2.0.11
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/tremplin/core/static/vendor"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "bootstrap@$BOOTSTRAP" "htmx.org@$HTMX" >/dev/null
mkdir -p b h && tar -xzf "bootstrap-$BOOTSTRAP.tgz" -C b && tar -xzf "htmx.org-$HTMX.tgz" -C h
rm -rf "$dest" && mkdir -p "$dest/bootstrap" "$dest/htmx"
cp b/package/dist/css/bootstrap.min.css b/package/dist/css/bootstrap.min.css.map "$dest/bootstrap/"
cp b/package/dist/js/bootstrap.bundle.min.js b/package/dist/js/bootstrap.bundle.min.js.map "$dest/bootstrap/"
cp b/package/LICENSE "$dest/bootstrap/LICENSE"
cp h/package/dist/htmx.min.js "$dest/htmx/"
cp h/package/LICENSE "$dest/htmx/LICENSE"
printf 'bootstrap %s\nhtmx.org %s\n' "$BOOTSTRAP" "$HTMX" > "$dest/VERSIONS"
echo "vendored into $dest"
