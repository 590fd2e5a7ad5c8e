#!/usr/bin/env bash
# The project's format rules, checked: no line over 120 characters, and the few swift-format
# rules .swift-format enables (documentation comments with ///, no block comments, shorthand
# type names, no empty trailing-closure parentheses), linted by the toolchain's swift-format.
#
# Line length is measured on the source as written: swift-format's own [LineLength] judges
# the line it would print after reformatting, so it also flags lines of 120 or fewer that
# it would lay out differently. Its other suggestions (indentation, line breaks) are not
# enforced: the code predates .swift-format; run `swift-format format -i FILE` on a file you
# rewrite, with the project's settings (4-space indent, lineLength 120).
#
# Usage: bash Scripts/check-format.sh [--since REV] [PATH ...]
#   --since REV  only lines added or changed since REV (CI on a branch: --since origin/main);
#                without it every line counts.
#   PATH         the tracked Swift files under these paths (default: the whole tree); the
#                suite checks Sources (SourceShapeTests).
# Exit 0 when nothing is found, 1 with one line per finding and a count, 2 when it cannot run.
set -euo pipefail
cd "$(dirname "$0")/.."
since=""
if [ "${1:-}" = "--since" ]; then since="${2:?--since needs a revision}"; shift 2; fi
paths=("$@")
for p in "${paths[@]}"; do
  [ -e "$p" ] || { echo "check-format: $p: no such file or folder" >&2; exit 2; }
done
formatter="$(command -v swift-format || echo /opt/swift/usr/bin/swift-format)"
[ -x "$formatter" ] || { echo "check-format: swift-format not found (it ships with the Swift toolchain)" >&2; exit 2; }
if [ ${#paths[@]} -gt 0 ]; then
  mapfile -t files < <(git ls-files -- "${paths[@]}" | grep '\.swift$' || true)
else
  mapfile -t files < <(git ls-files '*.swift')
fi
[ ${#files[@]} -gt 0 ] || { echo "check-format: no Swift files tracked" >&2; exit 2; }
findings="$(mktemp)"; added="$(mktemp)"; trap 'rm -f "$findings" "$added"' EXIT
# Characters, not bytes (mawk's length counts bytes: a "·" would count twice).
python3 - "${files[@]}" > "$findings" <<'PY'
import sys
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            width = len(line.rstrip("\n"))
            if width > 120:
                print(f"{path}:{number}:1: warning: [LineLength] line is {width} characters, over 120")
PY
"$formatter" lint --configuration .swift-format "${files[@]}" 2>&1 \
  | grep -E 'warning: \[(NoBlockComments|UseTripleSlashForDocumentationComments|NoEmptyTrailingClosureParentheses|UseShorthandTypeNames)\]' \
  | sed "s|^$PWD/||" >> "$findings" || true
if [ -n "$since" ]; then
  # Lines the change since REV added, as "path:line" (from git diff -U0 hunk headers).
  git diff -U0 "$since" -- '*.swift' | awk '
    /^\+\+\+ b\// { path = substr($0, 7); next }
    /^@@ / { split($3, a, ","); start = substr(a[1], 2); n = (a[2] == "" ? 1 : a[2]);
             for (i = 0; i < n; i++) print path ":" start + i }' > "$added"
  awk -F: 'NR == FNR { keep[$1 ":" $2] = 1; next } ($1 ":" $2) in keep' "$added" "$findings" > "$findings.kept"
  mv "$findings.kept" "$findings"
fi
count="$(wc -l < "$findings")"
if [ "$count" -gt 0 ]; then
  cat "$findings"
  echo "check-format: $count finding(s)${since:+ on lines changed since $since}"
  exit 1
fi
echo "check-format: no finding${since:+ on lines changed since $since}"
