#!/usr/bin/env bash
# Times the real binary's first screen on a large log in a real terminal (tmux), then walks the
# log (end, search) and reports the process's peak memory.
# Usage: benches/tui-first-screen.sh [SIZE]   (SIZE as gen-large-log.py takes it; default 1G)
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1G}
log=/tmp/gha-triage-tui-$size.log
command -v tmux >/dev/null || { apt-get update -qq && apt-get install -y -qq tmux; }
[ -x /usr/bin/time ] || { apt-get update -qq && apt-get install -y -qq time; }
cargo build --release --quiet
[ -f "$log" ] || python3 benches/gen-large-log.py --size "$size" "$log"
lines=$(wc -l < "$log")
echo "log: $log, $(du -h "$log" | cut -f1), $lines lines"

session=gha-triage-bench
tmux kill-session -t $session 2>/dev/null || true
rss=$(mktemp)
start=$(date +%s%N)
tmux new-session -d -s $session -x 120 -y 40 \
  "/usr/bin/time -f '%M' -o $rss target/release/gha-triage open $log --no-user-rules"
until tmux capture-pane -p -t $session | grep -q "Current runner version"; do
  if [ $(( ($(date +%s%N) - start) / 1000000 )) -gt 30000 ]; then echo "no first screen in 30 s"; exit 1; fi
  sleep 0.01
done
first=$(( ($(date +%s%N) - start) / 1000000 ))
echo "first screen: ${first} ms"

until tmux capture-pane -p -t $session | grep -q "whole job · $lines lines"; do sleep 0.05; done
indexed=$(( ($(date +%s%N) - start) / 1000000 ))
echo "fully indexed: ${indexed} ms"
tmux send-keys -t $session G
sleep 0.5
tmux send-keys -t $session / 'mismatched types' Enter
until tmux capture-pane -p -t $session | grep -q "/mismatched types/ [0-9]"; do sleep 0.05; done
searched=$(( ($(date +%s%N) - start) / 1000000 - indexed ))
echo "end + search of the whole log: ${searched} ms"
tmux capture-pane -p -t $session | head -3
tmux send-keys -t $session q
sleep 1
echo "peak RSS: $(( $(cat "$rss") / 1024 )) MiB"
rm -f "$rss"
