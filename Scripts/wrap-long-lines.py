#!/usr/bin/env python3
"""Wraps Swift lines over 120 characters without changing what the code means.

Three safe moves, tried in this order on each long line until it fits:
  0. a one-line block (`guard c else { throw e }`, `if c { s }`) is written over three lines;
  1. the line is broken after the last comma (outside strings and comments) that keeps the first
     part within the limit; the rest goes on the next line under the first argument of the
     bracket that comma is in, or one step in when that would not fit either;
  2. a string literal that runs past the limit is cut at a space of its text (never inside an
     escape or an interpolation) into "first part " + "rest" on the next line, indented one step
     (skipped where the literal is followed by `.`, `[` or `(`, is labelled `help:` (an
     ArgumentHelp, not a String), or sits in a `case` pattern);
  3. the line is broken before the last binary operator (&&, ||, ??, + or a ternary's ? and :)
     at the shallowest bracket depth that keeps the first part within the limit.
A newline after a comma and a `+` starting a continuation line are both plain Swift; the
compiler checks the rest (build after running). Lines it cannot wrap are listed, not touched.

Usage: python3 Scripts/wrap-long-lines.py [--check] PATH ...
  --check  change nothing; list the lines over the limit and exit 1 if there are any
"""
import re
import sys

from swift_sources import swift_files

LIMIT = 120
STEP = 4
# Labels whose argument is not a String (a "+" would not type-check there).
NOT_STRING_LABELS = ("help:",)


def scan(line):
    """Classifies each character of one line: 'c' code, 's' string text, 'i' interpolation
    code, 'q' a quote or escape, 'm' comment. Returns (kinds, literals) where literals are
    (start, end) of top-level single-line "..." literals (end is the closing quote's index),
    or None when the line holds a construct this tool leaves alone (raw or multi-line strings,
    a block comment, a literal that does not close on the line)."""
    kinds = []
    literals = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if line.startswith("//", i):
            kinds.extend("m" * (n - i))
            break
        if line.startswith("/*", i) or line.startswith('"""', i) or line.startswith('#"', i):
            return None, None
        if c == '"':
            start = i
            kinds.append("q")
            i += 1
            closed = False
            while i < n:
                if line[i] == "\\":
                    if i + 1 < n and line[i + 1] == "(":
                        # An interpolation: code up to the matching parenthesis (strings inside
                        # it are skipped whole).
                        kinds.extend("qq")
                        i += 2
                        depth = 1
                        while i < n and depth:
                            ch = line[i]
                            if ch == '"':
                                j = i + 1
                                while j < n and line[j] != '"':
                                    j += 2 if line[j] == "\\" else 1
                                kinds.extend("i" * (j + 1 - i))
                                i = j + 1
                                continue
                            if ch == "(":
                                depth += 1
                            elif ch == ")":
                                depth -= 1
                            kinds.append("i" if depth else "q")
                            i += 1
                        continue
                    kinds.extend("qq")
                    i += 2
                    continue
                if line[i] == '"':
                    kinds.append("q")
                    literals.append((start, i))
                    i += 1
                    closed = True
                    break
                kinds.append("s")
                i += 1
            if not closed:
                return None, None
            continue
        kinds.append("c")
        i += 1
    return kinds, literals


def indent_of(line):
    return len(line) - len(line.lstrip(" "))


def split_string(line, kinds, literals):
    """The line with one literal cut in two, as (first, rest), or None."""
    indent = indent_of(line)
    stripped = line.lstrip()
    if stripped.startswith(("case ", "#", "@")):
        return None
    for start, end in reversed(literals):
        if end < LIMIT - 2 or start > LIMIT - 14:
            continue  # ends within the limit, or starts too late to cut
        after = line[end + 1:end + 2]
        if after in (".", "[", "("):
            continue
        before = line[:start].rstrip()
        if any(before.endswith(label) for label in NOT_STRING_LABELS):
            continue
        if before.endswith(("case", "as", "is")):
            continue
        # The last space of the literal's text that keeps `...space"` within the limit and
        # leaves some text for the rest.
        cut = None
        for k in range(min(end - 1, LIMIT - 2), start + 1, -1):
            if line[k] == " " and kinds[k] == "s" and k + 1 < end:
                if cut is None:
                    cut = k + 1
                if end - (k + 1) >= 16:  # a rest of a few characters reads badly
                    cut = k + 1
                    break
        if cut is None or cut - start < 12:
            continue
        first = line[:cut] + '"'
        step = 0 if stripped.startswith("+ ") else STEP
        rest = " " * (indent + step) + '+ "' + line[cut:]
        return first, rest
    return None


def split_at_comma(line, kinds):
    """The line broken after a comma, as (first, rest), or None."""
    indent = indent_of(line)
    opens = []  # indexes of the brackets open at each point
    opens_at = {}
    candidates = []
    for k, ch in enumerate(line):
        if kinds[k] != "c":
            continue
        if ch in "([{":
            opens.append(k)
        elif ch in ")]}":
            if opens:
                opens.pop()
        elif ch == "," and k + 1 < len(line) and k < LIMIT - 1:
            candidates.append((k, opens[-1] if opens else None))
            opens_at[k] = list(opens)
    depth_of = {k: len([o for o in opens_at[k]]) for k, _ in candidates}
    shallowest = min(depth_of.values(), default=0)
    for k, bracket in reversed(candidates):
        if depth_of[k] != shallowest:
            continue
        rest = line[k + 1:].lstrip()
        if not rest or rest.startswith("//"):
            continue
        keyword = re.match(r"(guard|if|while) ", line.lstrip())
        if bracket is not None and line[bracket] != "{":
            column = bracket + 1
        elif bracket is None and keyword:
            column = indent + len(keyword.group(0))
        else:
            column = indent + STEP
        if column + len(rest) > LIMIT and column > indent + 2 * STEP:
            column = indent + 2 * STEP
        if k + 1 - indent < 20:
            continue  # nothing gained
        return line[:k + 1].rstrip(), " " * column + rest
    return None


OPERATORS = (" && ", " || ", " ?? ", " ? ", " : ", " + ")


def split_at_operator(line, kinds):
    """The line broken before the last binary operator (outside strings, brackets closed on
    the line counted) that keeps the first part within the limit, as (first, rest), or None."""
    indent = indent_of(line)
    stripped = line.lstrip()
    if stripped.startswith(("case ", "#", "@")):
        return None
    depth, best = 0, None
    for k, ch in enumerate(line[:LIMIT]):
        if kinds[k] != "c":
            continue
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        for op in OPERATORS:
            if line.startswith(op, k) and all(x == "c" for x in kinds[k:k + len(op)]) and k + len(op) <= LIMIT:
                if k - indent >= 20 and (best is None or depth <= best[1]):
                    best = (k, depth)
    if best is None:
        return None
    k = best[0]
    step = 0 if stripped.startswith(tuple(op.strip() + " " for op in OPERATORS)) else STEP
    return line[:k].rstrip(), " " * (indent + step) + line[k + 1:]


BLOCK = re.compile(r"(guard |if |for |while |defer |do |catch|\} else|else)")


def open_block(line, kinds):
    """A one-line block (`guard c else { throw e }`) written over three lines, or None."""
    stripped = line.lstrip()
    if not BLOCK.match(stripped) or not line.rstrip().endswith("}") or kinds[len(line.rstrip()) - 1] != "c":
        return None
    close = len(line.rstrip()) - 1
    depth = 0
    for k in range(close, -1, -1):
        if kinds[k] != "c":
            continue
        if line[k] == "}":
            depth += 1
        elif line[k] == "{":
            depth -= 1
            if depth == 0:
                body = line[k + 1:close].strip()
                head = line[:k + 1].rstrip()
                if not body or "{" in head[indent_of(line):k] and BLOCK.match(stripped) is None:
                    return None
                indent = " " * indent_of(line)
                return [head, indent + " " * STEP + body, indent + "}"]
    return None


def wrap(line, depth=0):
    """The lines `line` becomes (itself when it fits or cannot be wrapped)."""
    if len(line) <= LIMIT or depth > 8:
        return [line]
    kinds, literals = scan(line)
    if kinds is None:
        return [line]
    if kinds and all(k == "m" for k in kinds[indent_of(line):]):
        return [line]  # a comment: rewrap by hand
    block = open_block(line, kinds)
    if block:
        return [block[0]] + wrap(block[1], depth + 1) + [block[2]]
    for move in (lambda: split_at_comma(line, kinds), lambda: split_string(line, kinds, literals),
                 lambda: split_at_operator(line, kinds)):
        parts = move()
        if parts:
            first, rest = parts
            return wrap(first, depth + 1) + wrap(rest, depth + 1)
    return [line]


def in_multiline_string(lines):
    """For each line, whether it lies inside a multi-line string literal (left alone)."""
    inside = False
    flags = []
    for line in lines:
        flags.append(inside)
        if line.count('"""') % 2 == 1:
            inside = not inside
    return flags




def main(argv):
    check = "--check" in argv
    paths = [a for a in argv if a != "--check"]
    if not paths or any(a.startswith("-") for a in paths):
        print(__doc__.strip())
        return 2
    left, changed = [], 0
    for path in swift_files(paths):
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        out = []
        for line, quoted in zip(lines, in_multiline_string(lines)):
            new = [line] if quoted or check else wrap(line)
            out.extend(new)
            for n in new:
                if len(n) > LIMIT:
                    left.append(f"{path}:{len(out) - len(new) + new.index(n) + 1}: {len(n)} characters")
        if out != lines:
            changed += 1
            with open(path, "w", encoding="utf-8") as f:
                f.write("\n".join(out))
    for entry in left:
        print(entry)
    verb = "over" if check else "still over"
    print(f"wrap-long-lines: {changed} file(s) changed, {len(left)} line(s) {verb} {LIMIT} characters")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
