#!/usr/bin/env bash
# Own check, outside CI: export every registered architecture (small input sizes by default, `--full` for each
# model's default size) and run Debian's ONNX 1.12 checker with full_check=True (shape inference included) on each.
# Needs: apt-get install python3-onnx   (onnx 1.12: accepts IR <= 8, opset <= 17)
# Usage: bash scripts/check-onnx.sh [--full] [--opset N] [out-dir]
set -euo pipefail
cd "$(dirname "$0")/.."
full=""
opset=13
out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --full) full="--full"; shift ;;
    --opset) opset="$2"; shift 2 ;;
    *) out="$1"; shift ;;
  esac
done
out="${out:-$(mktemp -d /tmp/convzoo-onnx-check.XXXXXX)}"
npx tsx --conditions=source scripts/export-all.ts --opset "$opset" $full "$out"
/usr/bin/python3 - "$out" <<'PY'
import glob, os, sys
import onnx
files = sorted(glob.glob(os.path.join(sys.argv[1], "*.onnx")))
bad = 0
for f in files:
    try:
        onnx.checker.check_model(onnx.load(f), full_check=True)
        print(f"ok    {os.path.basename(f)}")
    except Exception as e:
        bad += 1
        print(f"FAIL  {os.path.basename(f)}: {e}")
print(f"onnx {onnx.__version__} checker (full_check=True): {len(files) - bad} passed, {bad} failed")
sys.exit(1 if bad or not files else 0)
PY
