#!/usr/bin/env python3
"""Validates conversion logs against docs/conversion-log.schema.json (JSON Schema draft 2020-12).

Usage: scripts/check-log-schema.py LOG.json [...]
With no arguments, builds logs with the debug freezer (convert, review, approve with a signed entry,
sign, new-version; inline and external data) in a temporary directory and validates each stage.
"""
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs/conversion-log.schema.json").read_text())
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)


def check(path):
    errors = sorted(VALIDATOR.iter_errors(json.loads(pathlib.Path(path).read_text())), key=lambda e: list(e.path))
    for e in errors:
        print(f"{path}: {'/'.join(map(str, e.path)) or '(root)'}: {e.message}")
    print(f"{path}: {'INVALID' if errors else 'valid'}")
    return not errors


def freezer(*args):
    subprocess.run([str(ROOT / ".build/debug/freezer"), *args], check=True, stdout=subprocess.DEVNULL)


def generated():
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="freezer-schema-"))
    ok = True
    for extra in ([], ["--external-data"]):
        name = "ext" if extra else "inline"
        frozen, log = tmp / f"{name}.onnx", str(tmp / f"{name}.conversion-log.json")
        freezer("convert", str(ROOT / "Tests/Fixtures/torch_cnn_train/model.onnx"), "-o", str(frozen), "--model-id", "CNN",
                "--model-version", "2", "--responsible", "Jane Doe", "--record-host", *extra)
        ok &= check(log)
        freezer("keygen", "-o", str(tmp / f"{name}.key"))
        freezer("log", "review", log, "--by", "Max", "--description", "Modifications and improvements based on internal review")
        freezer("log", "approve", log, "--by", "Erika", "--key", str(tmp / f"{name}.key"))
        freezer("log", "sign", log, "--key", str(tmp / f"{name}.key"), "--by", "QA")
        ok &= check(log)
        freezer("log", "new-version", log, "--by", "Jane Doe", "--description", "Re-assessment")
        ok &= check(log)
    return ok


if __name__ == "__main__":
    ok = all([check(p) for p in sys.argv[1:]]) if len(sys.argv) > 1 else generated()
    sys.exit(0 if ok else 1)
