#!/usr/bin/env bash
# Refetch, rebuild and verify the vendored front-end assets.
#
#   bash app/static/vendor/refetch.sh            # fetch, rebuild, verify against SHA256SUMS, install
#   bash app/static/vendor/refetch.sh --update   # fetch, rebuild, install, rewrite SHA256SUMS
#   bash app/static/vendor/refetch.sh --check    # offline: verify the committed files only
#
# Needs: bash, npm, tar, python3 (stdlib only), sha256sum. Runnable from any
# directory (paths are taken from this script's location). See README.md.
set -euo pipefail

# --- pins ------------------------------------------------------------------
NHSUK_VERSION="10.6.1"
NHSUK_INTEGRITY="sha512-PZorqQZjZx/A26yJoskCL9z0ib6AtkAyF0o4K/RHr8zRrJyXrUOCnMbjy0VNXsGO4tfTNMwqlkwATKs4a0xayw=="
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="
SWAGGER_VERSION="5.35.0"
SWAGGER_INTEGRITY="sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3sU8yVUQ=="

VENDOR_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUMS="$VENDOR_DIR/SHA256SUMS"
# Directories under VENDOR_DIR that this script owns and rewrites wholesale.
OWNED_DIRS=(nhsuk htmx swagger)

MODE="verify"
case "${1:-}" in
  "") ;;
  --update) MODE="update" ;;
  --check) MODE="check" ;;
  -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "usage: $0 [--update|--check]" >&2; exit 2 ;;
esac

die() { echo "refetch.sh: ERROR: $*" >&2; exit 1; }

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# --- CSS tool (python3, stdlib only) --------------------------------------
# strip IN OUT : remove every @font-face rule (at any nesting level), drop the
#                sourceMappingURL comment (the map is not vendored), rewrite
#                root-absolute url(/assets/...) to relative url(assets/...),
#                then audit the result (see `urls`).
# urls CSS     : print every non-data: url() target, one per line; fail if any
#                url() points at another host (scheme:// or //), is
#                root-absolute, or if @import / @font-face appear at all.
cat >"$TMP/cssvendor.py" <<'PY'
import re
import sys


def die(msg):
    sys.stderr.write("cssvendor: ERROR: %s\n" % msg)
    sys.exit(1)


def skip_string(s, i):
    """s[i] is a quote; return index just past the closing quote."""
    q, i, n = s[i], i + 1, len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == q:
            return i + 1
        if c == "\n":  # unterminated string: CSS ends it at the newline
            return i
        i += 1
    return n


def skip_comment(s, i):
    """s[i:i+2] == '/*'; return index just past '*/'."""
    j = s.find("*/", i + 2)
    if j < 0:
        die("unterminated comment at offset %d" % i)
    return j + 2


URL_START = re.compile(r"url\(", re.I)
IDENT_CHAR = re.compile(r"[\w-]")


def parse_url(s, i):
    """s[i:] starts with 'url(' (any case). Return (start, end, value, quoted)
    where s[start:end] is the argument text and value the unquoted target,
    and the index just past ')'."""
    j = i + 4
    n = len(s)
    while j < n and s[j] in " \t\r\n\f":
        j += 1
    if j < n and s[j] in "\"'":
        k = skip_string(s, j)
        value = s[j + 1:k - 1]
        arg_start, arg_end = j, k
        while k < n and s[k] in " \t\r\n\f":
            k += 1
        if k >= n or s[k] != ")":
            die("malformed url() at offset %d" % i)
        return arg_start, arg_end, value, True, k + 1
    k = j
    while k < n and s[k] != ")":
        if s[k] == "\\":
            k += 1
        k += 1
    if k >= n:
        die("unterminated url( at offset %d" % i)
    value = s[j:k].strip()
    return j, k, value, False, k + 1


def scan(s, on_url=None, on_at=None, on_comment=None):
    """Tokenise-lite walk over CSS. Callbacks may return a replacement
    (text, resume_index) or None to copy through. Returns the new text."""
    out = []
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            out.append(s[i:i + 2])
            i += 2
            continue
        if c in "\"'":
            k = skip_string(s, i)
            out.append(s[i:k])
            i = k
            continue
        if s.startswith("/*", i):
            k = skip_comment(s, i)
            r = on_comment(s, i, k) if on_comment else None
            out.append(s[i:k] if r is None else r)
            i = k
            continue
        if c == "@":
            m = re.match(r"@(-?[A-Za-z_][\w-]*)", s[i:i + 64])
            if m:
                r = on_at(s, i, m.group(1).lower()) if on_at else None
                if r is not None:
                    text, i = r
                    out.append(text)
                    continue
                out.append(m.group(0))
                i += len(m.group(0))
                continue
        if (c in "uU" and URL_START.match(s, i)
                and (i == 0 or not IDENT_CHAR.match(s[i - 1]))):
                a, b, value, quoted, k = parse_url(s, i)
                r = on_url(value) if on_url else None
                if r is None:
                    out.append(s[i:k])
                else:
                    q = s[a] if quoted else ""
                    out.append(s[i:a] + q + r + q + s[b:k])
                i = k
                continue
        out.append(c)
        i += 1
    return "".join(out)


def block_end(s, i):
    """Find the '{' at/after i and return the index just past its matching '}'.
    Returns None if a ';' ends the statement first (no block)."""
    n = len(s)
    depth = 0
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c in "\"'":
            i = skip_string(s, i)
            continue
        if s.startswith("/*", i):
            i = skip_comment(s, i)
            continue
        if URL_START.match(s, i):
            i = parse_url(s, i)[4]
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i + 1
            if depth < 0:
                return None
        elif c == ";" and depth == 0:
            return None
        i += 1
    die("unterminated block at end of file")


def strip(src):
    removed = [0]

    def on_at(s, i, name):
        if name != "font-face":
            return None
        end = block_end(s, i)
        if end is None:
            die("@font-face without a block at offset %d" % i)
        removed[0] += 1
        return "", end

    def on_comment(s, i, k):
        if "sourceMappingURL" in s[i:k]:
            return ""
        return None

    def on_url(value):
        if value.startswith("/assets/"):
            return value[1:]  # root-absolute -> relative to the CSS file
        return None

    return scan(src, on_url=on_url, on_at=on_at, on_comment=on_comment), removed[0]


def audit(css):
    urls = []
    problems = []

    def on_url(value):
        v = value.strip()
        low = v.lower()
        if low.startswith("data:"):
            return None
        if re.match(r"^[a-z][a-z0-9+.-]*:", low) or low.startswith("//"):
            problems.append("url() points at another host: %s" % v)
        elif v.startswith("/"):
            problems.append("root-absolute url() (not relative to the CSS): %s" % v)
        elif v.startswith("#") or not v:
            pass
        else:
            urls.append(v)
        return None

    def on_at(s, i, name):
        if name in ("import", "font-face"):
            problems.append("@%s found at offset %d" % (name, i))
        return None

    scan(css, on_url=on_url, on_at=on_at)
    if re.search(r"font-face", css, re.I):
        problems.append("the text 'font-face' still occurs in the CSS")
    if problems:
        die("CSS audit failed:\n  " + "\n  ".join(problems))
    return urls


def main(argv):
    if len(argv) == 4 and argv[1] == "strip":
        with open(argv[2], encoding="utf-8") as f:
            src = f.read()
        css, n = strip(src)
        css = css.rstrip() + "\n"
        audit(css)
        with open(argv[3], "w", encoding="utf-8", newline="\n") as f:
            f.write(css)
        sys.stderr.write("cssvendor: removed %d @font-face rule(s)\n" % n)
        return 0
    if len(argv) == 3 and argv[1] == "urls":
        with open(argv[2], encoding="utf-8") as f:
            css = f.read()
        for u in sorted(set(audit(css))):
            print(u)
        return 0
    die("usage: cssvendor.py strip IN OUT | urls CSS")


sys.exit(main(sys.argv))
PY
css_tool() { python3 "$TMP/cssvendor.py" "$@"; }

# --- helpers ----------------------------------------------------------------
# Every url() in the CSS must resolve to a file next to it (under ROOT/nhsuk).
check_css_urls() {
  local root="$1" css="$1/nhsuk/nhsuk-frontend.min.css" u path
  [[ -f "$css" ]] || die "missing $css"
  local urls
  urls="$(css_tool urls "$css")" || die "CSS audit failed for $css"
  if [[ -z "$urls" ]]; then
    echo "CSS uses no external url()s"
    return 0
  fi
  while IFS= read -r u; do
    path="${u%%[?#]*}"
    [[ -f "$root/nhsuk/$path" ]] || die "CSS url($u) does not resolve to a vendored file (nhsuk/$path)"
    echo "  url($u) -> nhsuk/$path OK"
  done <<<"$urls"
}

# Verify files under ROOT against SHA256SUMS; also fail on unlisted files.
verify() {
  local root="$1"
  [[ -s "$SUMS" ]] || die "$SUMS is missing or empty (run with --update to create it)"
  echo "Verifying $root against $SUMS"
  if ! (cd "$root" && sha256sum --check --strict "$SUMS"); then
    echo "########################################################" >&2
    echo "# SHA256 MISMATCH: vendored assets do not match SUMS   #" >&2
    echo "########################################################" >&2
    die "sha256 verification failed (if the change is intended, rerun with --update and review the diff)"
  fi
  local listed present
  listed="$(sed -E 's/^[0-9a-f]{64} [ *]//' "$SUMS" | LC_ALL=C sort)"
  present="$(cd "$root" && find "${OWNED_DIRS[@]}" -type f | LC_ALL=C sort)"
  if [[ "$listed" != "$present" ]]; then
    diff <(echo "$listed") <(echo "$present") >&2 || true
    die "files present under ${OWNED_DIRS[*]} differ from those listed in SHA256SUMS (< listed, > present)"
  fi
  check_css_urls "$root"
}

write_sums() {
  local root="$1"
  (cd "$root" && find "${OWNED_DIRS[@]}" -type f | LC_ALL=C sort | xargs sha256sum) >"$SUMS.new"
  mv "$SUMS.new" "$SUMS"
  echo "Wrote $SUMS"
}

# npm pack SPEC EXPECTED_INTEGRITY DEST : download tarball, check integrity, extract.
fetch() {
  local spec="$1" integrity="$2" dest="$3" file got
  mkdir -p "$TMP/tarballs" "$dest"
  npm pack "$spec" --pack-destination "$TMP/tarballs" --json --ignore-scripts \
    >"$TMP/npm.json" 2>"$TMP/npm.err" \
    || { cat "$TMP/npm.err" >&2; die "npm pack $spec failed"; }
  file="$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["filename"])' <"$TMP/npm.json")"
  got="$(python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["integrity"])' <"$TMP/npm.json")"
  [[ "$got" == "$integrity" ]] || die "$spec integrity mismatch: got $got, pinned $integrity"
  tar -xzf "$TMP/tarballs/$file" -C "$dest" --no-same-owner
  echo "Fetched $spec ($file, $got)"
}

# The pair: the Jinja port of the components (nhsuk-frontend-jinja, pinned in pyproject.toml
# and installed in the project's Python) must be the release made for NHSUK_VERSION, the
# vendored CSS. Its own README (the package metadata) has the table of which is made for which.
check_port_pair() {
  local repo python
  repo="$(cd "$VENDOR_DIR/../../.." && pwd)"
  python="${PORT_PYTHON:-$repo/.venv/bin/python}"
  [[ -x "$python" ]] || python="python3"
  "$python" - "$NHSUK_VERSION" "$repo/pyproject.toml" <<'PY' || die "the NHS.UK components and styles are not a pair (see above)"
import re
import sys
from importlib import metadata

frontend, pyproject = sys.argv[1], sys.argv[2]
pins = re.findall(r'"nhsuk-frontend-jinja==([^"]+)"', open(pyproject, encoding="utf-8").read())
if len(pins) != 1:
    sys.exit("pyproject.toml must pin nhsuk-frontend-jinja exactly once (==), found %r" % pins)
try:
    installed = metadata.version("nhsuk-frontend-jinja")
except metadata.PackageNotFoundError:
    sys.exit("nhsuk-frontend-jinja is not installed in %s (run make install)" % sys.executable)
if installed != pins[0]:
    sys.exit("nhsuk-frontend-jinja %s is installed but pyproject.toml pins %s" % (installed, pins[0]))
table = dict(
    (jinja, nhsuk)
    for nhsuk, jinja in re.findall(
        r"^\|\s*(\d+\.\d+\.\d+)\s*\|\s*(\d+\.\d+\.\d+)\s*\|\s*$",
        metadata.metadata("nhsuk-frontend-jinja").get_payload() or "",
        re.M,
    )
)
made_for = table.get(installed)
if made_for is None:
    sys.exit("nhsuk-frontend-jinja %s does not say which NHS.UK frontend it is made for" % installed)
if made_for != frontend:
    sys.exit(
        "nhsuk-frontend-jinja %s is made for NHS.UK frontend %s, but the vendored styles are %s "
        "(NHSUK_VERSION in refetch.sh): pin the port release made for %s, or change "
        "NHSUK_VERSION and run refetch.sh --update" % (installed, made_for, frontend, frontend)
    )
print("NHS.UK pair OK: nhsuk-frontend-jinja %s is made for NHS.UK frontend %s" % (installed, frontend))
PY
}

# --- main -----------------------------------------------------------------
check_port_pair
if [[ "$MODE" == "check" ]]; then
  verify "$VENDOR_DIR"
  echo "OK: vendored assets verified"
  exit 0
fi

fetch "nhsuk-frontend@$NHSUK_VERSION" "$NHSUK_INTEGRITY" "$TMP/nhsuk-pkg"
fetch "htmx.org@$HTMX_VERSION" "$HTMX_INTEGRITY" "$TMP/htmx-pkg"
fetch "swagger-ui-dist@$SWAGGER_VERSION" "$SWAGGER_INTEGRITY" "$TMP/swagger-pkg"

STAGE="$TMP/stage"
mkdir -p "$STAGE/nhsuk" "$STAGE/htmx" "$STAGE/swagger"

# nhsuk-frontend: compiled minified CSS, fonts stripped.
NHSUK_DIST="$TMP/nhsuk-pkg/package/dist/nhsuk"
css_tool strip "$NHSUK_DIST/nhsuk-frontend.min.css" "$STAGE/nhsuk/nhsuk-frontend.min.css"

# Icons/images the CSS refers to: copy from the same relative location in the
# package (assets/ sits next to the CSS in dist/nhsuk/).
while IFS= read -r u; do
  [[ -n "$u" ]] || continue
  path="${u%%[?#]*}"
  [[ -f "$NHSUK_DIST/$path" ]] || die "CSS refers to $u but the package has no dist/nhsuk/$path"
  mkdir -p "$STAGE/nhsuk/$(dirname "$path")"
  cp "$NHSUK_DIST/$path" "$STAGE/nhsuk/$path"
done < <(css_tool urls "$STAGE/nhsuk/nhsuk-frontend.min.css")

# htmx
cp "$TMP/htmx-pkg/package/dist/htmx.min.js" "$STAGE/htmx/htmx.min.js"
# swagger-ui-dist (for /docs): the bundle, its CSS and licence files; the CSS's trailing
# sourceMappingURL comment is dropped (the map is not vendored). Its start-up code is ours
# (app/static/api-docs.js), so the page needs no inline script.
SWAGGER_PKG="$TMP/swagger-pkg/package"
cp "$SWAGGER_PKG/swagger-ui-bundle.js" "$SWAGGER_PKG/swagger-ui-bundle.js.LICENSE.txt" \
  "$SWAGGER_PKG/LICENSE" "$SWAGGER_PKG/NOTICE" "$STAGE/swagger/"
grep -v 'sourceMappingURL' "$SWAGGER_PKG/swagger-ui.css" >"$STAGE/swagger/swagger-ui.css"
chmod 0644 "$STAGE"/nhsuk/*.css "$STAGE"/htmx/*.js
find "$STAGE" -type f -exec chmod 0644 {} +

install_stage() {
  local d
  for d in "${OWNED_DIRS[@]}"; do
    rm -rf "${VENDOR_DIR:?}/$d"
    cp -R "$STAGE/$d" "$VENDOR_DIR/$d"
  done
  echo "Installed ${OWNED_DIRS[*]} into $VENDOR_DIR"
}

if [[ "$MODE" == "update" ]]; then
  install_stage
  write_sums "$VENDOR_DIR"
else
  verify "$STAGE"   # nothing is installed unless the fresh build matches SUMS
  install_stage
fi
verify "$VENDOR_DIR"
echo "OK: vendored assets fetched and verified"
