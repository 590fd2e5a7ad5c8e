#!/usr/bin/env python3
"""Validate cpuplay JSON outputs against their schemas (Configs/schemas/NAME.schema.json).

usage: check-json.py INSTANCE.json...   (each names its schema in its "schema" field)

Besides the schema, every key must be snake_case and given once per object. Prints one line per problem and exits 1
if there was any; needs python3-jsonschema (Scripts/install-deps.sh installs it).
"""
import json
import pathlib
import re
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("check-json: python3-jsonschema is not installed (apt-get install python3-jsonschema)")

SCHEMAS = pathlib.Path(__file__).resolve().parent.parent / "Configs" / "schemas"
SNAKE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def keys(value, where="$"):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, f"{where}.{k}"
            yield from keys(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from keys(v, f"{where}[{i}]")


def unique_keys(pairs):
    """An object whose keys are each given once: a key given twice means two things (Python keeps
    the last, Foundation the first), so it is refused, as cpuplay refuses it in its inputs."""
    seen = set()
    for key, _ in pairs:
        if key in seen:
            raise ValueError(f"the key {key!r} is given twice in one object")
        seen.add(key)
    return dict(pairs)


def validator_for(schema):
    """A validator that resolves "$ref"s into the other schemas here by their $id (vm-play-report
    reuses play-report's correction), never over the network."""
    store = {}
    for f in SCHEMAS.glob("*.schema.json"):
        other = json.loads(f.read_text())
        store[other["$id"]] = other
    try:
        from referencing import Registry, Resource
    except ImportError:  # jsonschema before 4.18 (Debian 12's 4.10)
        resolver = jsonschema.RefResolver.from_schema(schema, store=store)
        return jsonschema.Draft202012Validator(schema, resolver=resolver)
    registry = Registry().with_resources((uri, Resource.from_contents(s)) for uri, s in store.items())
    return jsonschema.Draft202012Validator(schema, registry=registry)


def check(path):
    problems = []
    try:
        doc = json.loads(pathlib.Path(path).read_text(), object_pairs_hook=unique_keys)
    except (OSError, ValueError) as e:
        return [f"{path}: not JSON: {e}"]
    name = doc.get("schema") if isinstance(doc, dict) else None
    schema_file = SCHEMAS / f"{name}.schema.json"
    if not name or not schema_file.is_file():
        return [f"{path}: no schema for its \"schema\" field {name!r} in {SCHEMAS}"]
    schema = json.loads(schema_file.read_text())
    validator = validator_for(schema)
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
        where = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.path)
        problems.append(f"{path}: {where}: {error.message}")
    for key, where in keys(doc):
        if not SNAKE.match(key):
            problems.append(f"{path}: {where}: key is not snake_case")
    return problems


def main(paths):
    if not paths:
        sys.exit(__doc__)
    problems = [p for path in paths for p in check(path)]
    for p in problems:
        print(p)
    if not problems:
        print(f"check-json: {len(paths)} document(s) valid")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
