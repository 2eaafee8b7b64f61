#!/usr/bin/python3
"""Validates JSON files against a JSON Schema with python3-jsonschema (Debian package).

usage: validate_json.py SCHEMA FILE...   exit 0 when every file is valid
"""
import json
import sys

import jsonschema


def main(argv):
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    failed = False
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.path)):
            failed = True
            where = "/".join(str(p) for p in error.path)
            print(f"{path}: /{where}: {error.message}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
