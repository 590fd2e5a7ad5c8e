#!/usr/bin/env python3
"""The longest functions in the Swift sources, and a check that none is over a limit.

A function's length is its lines from the `func`/`init`/`deinit`/`subscript` keyword to its
closing brace, both included; a nested function counts inside its parent and on its own.
Comments, string literals (with interpolations) and raw strings are blanked before braces
are matched, so a brace in text does not count. Bodiless declarations (protocol requirements)
are skipped.

Usage: python3 Scripts/function-lengths.py [--max N] [--most N] [PATH ...]
  PATH      files or folders to read (default: Sources)
  --most N  how many of the longest to print (default 10)
  --max N   exit 1 when a function is longer than N lines, listing each (default: no limit)
Exit 0 when within the limit, 1 over it, 2 when it cannot run.
"""
import os
import re
import sys

from swift_sources import swift_files

TYPE = re.compile(r"(?<![\w.$])(struct|class|enum|actor|extension|protocol)\s+([\w.]+)")
DECLARATION = re.compile(r"(?<![\w.$])(func|init|deinit|subscript)(?![\w$])")


def blank(text):
    """`text` with comments and string contents replaced by spaces; newlines kept."""
    out = []
    i, n = 0, len(text)
    # A stack of open contexts: ("code", paren depth for an interpolation) or ("string", quote, hashes).
    stack = [("code", None)]
    while i < n:
        top = stack[-1]
        c = text[i]
        if top[0] == "code":
            if text.startswith("//", i):
                j = text.find("\n", i)
                j = n if j < 0 else j
                out.append(" " * (j - i))
                i = j
                continue
            if text.startswith("/*", i):
                depth, j = 1, i + 2
                while j < n and depth:
                    if text.startswith("/*", j):
                        depth, j = depth + 1, j + 2
                    elif text.startswith("*/", j):
                        depth, j = depth - 1, j + 2
                    else:
                        j += 1
                out.append(re.sub(r"[^\n]", " ", text[i:j]))
                i = j
                continue
            m = re.match(r'(#*)("""|")', text[i:i + 64])
            if m and (m.group(1) or c == '"'):
                hashes, quote = m.group(1), m.group(2)
                out.append(" " * len(m.group(0)))
                i += len(m.group(0))
                stack.append(("string", quote, hashes))
                continue
            if top[1] is not None:
                if c == "(":
                    stack[-1] = ("code", top[1] + 1)
                elif c == ")":
                    if top[1] == 0:
                        stack.pop()
                        out.append(" ")
                        i += 1
                        continue
                    stack[-1] = ("code", top[1] - 1)
            out.append(c)
            i += 1
            continue
        _, quote, hashes = top
        if text.startswith(quote + hashes, i):
            out.append(" " * len(quote + hashes))
            i += len(quote + hashes)
            stack.pop()
            continue
        escape = "\\" + hashes
        if text.startswith(escape + "(", i):
            out.append(" " * (len(escape) + 1))
            i += len(escape) + 1
            stack.append(("code", 0))
            continue
        if text.startswith(escape, i):
            width = len(escape) + 1
            out.append(re.sub(r"[^\n]", " ", text[i:i + width]))
            i += width
            continue
        out.append("\n" if c == "\n" else " ")
        i += 1
    return "".join(out)


def match_brace(code, at):
    """Index of the brace closing the one at `at`, or None."""
    depth = 0
    for j in range(at, len(code)):
        if code[j] == "{":
            depth += 1
        elif code[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    return None


def body_start(code, at):
    """Index of the `{` opening the body of the declaration whose keyword ends at `at`, or None
    when the declaration has no body (a protocol requirement) or is not a declaration."""
    depth = 0
    j = at
    while j < len(code):
        c = code[j]
        if c in "([<":
            depth += 1
        elif c in ")]>":
            if c == ">" and j > 0 and code[j - 1] == "-":
                pass  # the arrow of `-> T`
            else:
                depth -= 1
        elif depth <= 0:
            if c == "{":
                return j
            if c in "};":
                return None
            if c == "\n":
                rest = code[j:].lstrip()
                if not re.match(r"(->|throws|rethrows|async|where|\{|&|,)", rest):
                    # A line that continues the signature starts with one of those; another
                    # declaration or a closing brace means there was no body.
                    before = code[at:j].rstrip()
                    if not before.endswith(("->", ",", ":", "&", "(")) and depth == 0:
                        return None
        j += 1
    return None


def functions(path):
    """(first line, last line, Type.name) of each function in the file at `path`."""
    with open(path, encoding="utf-8") as f:
        code = blank(f.read())
    line_starts = [0] + [m.end() for m in re.finditer("\n", code)]

    def line_of(index):
        lo, hi = 0, len(line_starts) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if line_starts[mid] <= index:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1

    types = []
    for m in TYPE.finditer(code):
        opening = body_start(code, m.end())
        closing = match_brace(code, opening) if opening is not None else None
        if closing is not None:
            types.append((m.start(), closing, m.group(2)))

    def owner(index):
        inside = [t for t in types if t[0] <= index <= t[1]]
        return max(inside)[2] + "." if inside else ""

    found = []
    for m in DECLARATION.finditer(code):
        keyword = m.group(1)
        after = m.end()
        if keyword == "init":
            if not re.match(r"\s*[?!]?\s*[(<]", code[after:]):
                continue
            name = "init"
        elif keyword == "deinit":
            name = "deinit"
        elif keyword == "subscript":
            name = "subscript"
        else:
            n = re.match(r"\s*([\w$`]+|[^\w\s(]+)", code[after:])
            if not n:
                continue
            name = n.group(1)
            after += n.end()
        opening = body_start(code, after)
        if opening is None:
            continue
        closing = match_brace(code, opening)
        if closing is None:
            continue
        found.append((line_of(m.start()), line_of(closing), owner(m.start()) + name))
    return found




def main(argv):
    limit, most, paths = None, 10, []
    args = iter(argv)
    for a in args:
        if a in ("--max", "--most"):
            value = next(args, None)
            if value is None or not value.isdigit():
                print(f"function-lengths: {a} takes a whole number", file=sys.stderr)
                return 2
            if a == "--max":
                limit = int(value)
            else:
                most = int(value)
        elif a in ("-h", "--help"):
            print(__doc__.strip())
            return 0
        else:
            paths.append(a)
    paths = paths or ["Sources"]
    for p in paths:
        if not os.path.exists(p):
            print(f"function-lengths: {p}: no such file or folder", file=sys.stderr)
            return 2
    rows = []
    for path in swift_files(paths):
        for first, last, name in functions(path):
            rows.append((last - first + 1, path, first, name))
    rows.sort(key=lambda r: (-r[0], r[1], r[2]))
    over = [r for r in rows if limit is not None and r[0] > limit]
    shown = over if over else rows[:most]

    for length, path, first, name in shown:
        print(f"{path}:{first}: {name} {length} lines")
    if over:
        print(f"function-lengths: {len(over)} function(s) over {limit} lines, of {len(rows)}")
        return 1
    suffix = f", none over {limit} lines" if limit is not None else ""
    print(f"function-lengths: {len(rows)} functions{suffix}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
