#!/usr/bin/env python3
"""Run the ONNX reference checker on a model file: prints OK or the error, exit status 0/1.

    python3 scripts/check_model.py MODEL [--no-full-check]

Checks by path so external data resolves relative to the model, as freezer does.
"""
import argparse
import sys

import onnx


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model")
    ap.add_argument("--no-full-check", action="store_true", help="skip strict shape/type inference")
    args = ap.parse_args()
    try:
        onnx.checker.check_model(args.model, full_check=not args.no_full_check)
    except Exception as e:  # noqa: BLE001 - any failure is a verdict, not a crash
        print(f"ERROR: {type(e).__name__}: {e}".rstrip())
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
