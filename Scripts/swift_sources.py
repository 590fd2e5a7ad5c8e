"""The .swift files under the given paths, in a stable order: the one file walk the source
checks (function-lengths.py, wrap-long-lines.py) share."""
import os


def swift_files(paths):
    for p in paths:
        if os.path.isfile(p):
            yield p
            continue
        for root, dirs, files in os.walk(p):
            dirs.sort()
            for name in sorted(files):
                if name.endswith(".swift"):
                    yield os.path.join(root, name)
