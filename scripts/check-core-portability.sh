#!/usr/bin/env bash
# Keeps HMSSyncCore embeddable in iOS and Android apps (docs/architecture.md, "Targets"). Fails when
#  - `swift package dump-package` shows HMSSyncCore depending on CCurl or any system library,
#    directly or through another target of this package, or on any product but GRDB, swift-log
#    and swift-crypto;
#  - a file under Sources/HMSSyncCore imports Glibc, Musl, Darwin, CCurl or FoundationNetworking,
#    or mentions /proc/, NSHomeDirectory or homeDirectoryForCurrentUser.
# usage: scripts/check-core-portability.sh [DUMP.json]   (a saved dump; default: runs swift)
set -euo pipefail
cd "$(dirname "$0")/.."
dump=$(mktemp)
trap 'rm -f "$dump"' EXIT
if [ $# -ge 1 ]; then cp "$1" "$dump"; else swift package dump-package >"$dump"; fi

status=0
python3 - "$dump" <<'PY' || status=1
import json, sys

package = json.load(open(sys.argv[1]))
targets = {t["name"]: t for t in package["targets"]}
allowed = {("GRDB", "grdb.swift"), ("Logging", "swift-log"), ("Crypto", "swift-crypto")}
problems, seen, path = [], set(), {"HMSSyncCore": ["HMSSyncCore"]}
queue = ["HMSSyncCore"]
while queue:
    name = queue.pop(0)
    if name in seen:
        continue
    seen.add(name)
    via = " -> ".join(path[name])
    target = targets[name]
    if name == "CCurl" or target.get("type") == "system":
        problems.append(f"HMSSyncCore depends on the system library {name} ({via})")
        continue
    for dependency in target.get("dependencies", []):
        kind, value = next(iter(dependency.items()))
        if kind in ("byName", "target") and value[0] in targets:
            path.setdefault(value[0], path[name] + [value[0]])
            queue.append(value[0])
        elif kind == "product" and (value[0], (value[1] or "").lower()) in allowed:
            pass
        else:
            problems.append(f"HMSSyncCore depends on {value[0]} ({via}); only GRDB, swift-log and swift-crypto are allowed")
for problem in problems:
    print(f"check-core-portability: {problem}", file=sys.stderr)
sys.exit(1 if problems else 0)
PY

imports='^[[:space:]]*(@[A-Za-z_]+[[:space:]]+)*import[[:space:]]+([a-z]+[[:space:]]+)?(Glibc|Musl|Darwin|CCurl|FoundationNetworking)([.[:space:]]|$)'
if grep -rnE --include='*.swift' "$imports" Sources/HMSSyncCore >&2; then
  echo "check-core-portability: the core imports a platform-only module (above); keep it to Foundation" >&2
  status=1
fi
if grep -rnF --include='*.swift' -e '/proc/' -e 'NSHomeDirectory' -e 'homeDirectoryForCurrentUser' Sources/HMSSyncCore >&2; then
  echo "check-core-portability: the core assumes Linux's /proc or a home folder (above); the app gives paths" >&2
  status=1
fi
[ "$status" -eq 0 ] && echo "check-core-portability: HMSSyncCore depends on GRDB, swift-log, swift-crypto and Foundation only"
exit "$status"
