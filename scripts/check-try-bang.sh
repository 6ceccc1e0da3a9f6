#!/usr/bin/env bash
# Fails when Sources/ uses `try!` outside the files listed in scripts/try-bang-allowed.txt: input files are
# untrusted, and a crash is never the answer to bad input. The generated OnnxProto is not checked.
set -euo pipefail
cd "$(dirname "$0")/.."
allowed=scripts/try-bang-allowed.txt
status=0
while IFS= read -r file; do
    count=$(grep -o 'try!' "$file" | wc -l | tr -d ' ')
    limit=$(awk -F '\t' -v f="$file" '$1 == f { print $2 }' "$allowed")
    if [ "$count" -gt "${limit:-0}" ]; then
        grep -n 'try!' "$file" | sed "s|^|$file:|" >&2
        echo "check-try-bang: $file uses try! $count times (allowed: ${limit:-0}); handle the error instead" >&2
        status=1
    fi
done < <(grep -rl --include='*.swift' 'try!' Sources | grep -v '^Sources/OnnxProto/' | sort)
if [ "$status" -eq 0 ]; then echo "check-try-bang: no try! in Sources beyond $allowed"; fi
exit "$status"
