#!/usr/bin/env bash
# Chat-turn latency of an earlier commit and of this tree in one run, alternating, so both
# see the same machine: bash training/bench_chat_compare.sh <base-rev> [rounds] [turns]
# The base is checked out in a temporary git worktree that shares this tree's venvs.
set -euo pipefail
cd "$(dirname "$0")/.."
base_rev=${1:?usage: bash training/bench_chat_compare.sh <base-rev> [rounds] [turns]}
rounds=${2:-2}
turns=${3:-240}
base=$(mktemp -d)/base
git worktree add -q --detach "$base" "$base_rev"
ln -s "$PWD/.venv" "$base/.venv"
trap 'git worktree remove --force "$base"' EXIT
for round in $(seq 1 "$rounds"); do
  for tree in "$base" "$PWD"; do
    echo "=== round $round: $tree ($(git -C "$tree" rev-parse --short HEAD))"
    (cd "$tree" && source scripts/env.sh >/dev/null && "$SVC_PY" -m training.bench_chat --turns "$turns" 2>&1 | tail -9)
  done
done
