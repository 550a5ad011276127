#!/usr/bin/env python3
"""Validate openapi.yaml (repo root) against the OpenAPI 3.1 specification.

Usage: scripts/validate-openapi.py [PATH]
Needs: pip install openapi-spec-validator PyYAML
Exits 0 and prints "openapi.yaml: valid" on success; non-zero otherwise.
"""
import pathlib
import sys

try:
    import yaml
    from openapi_spec_validator import validate
except ImportError as exc:  # pragma: no cover
    print(f"missing dependency: {exc} (pip install openapi-spec-validator PyYAML)", file=sys.stderr)
    sys.exit(2)

path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent / "openapi.yaml"

try:
    with open(path, encoding="utf-8") as f:
        validate(yaml.safe_load(f))
except Exception as exc:
    print(f"{path.name}: INVALID: {exc}", file=sys.stderr)
    sys.exit(1)

print(f"{path.name}: valid")
