#!/usr/bin/env bash
# Times `gha-triage classify` against ripgrep searching the same log for the same patterns,
# side by side in one run, and measures classify's peak memory on a small and a large log.
# Goal: classify within 2x of ripgrep's wall time; peak RSS flat as the log grows.
#
# Usage: benches/vs-ripgrep.sh [SIZE] [SMALL]   (sizes as gen-large-log.py takes them;
#        default 200M and 20M). RUNS=N sets the timed runs per command (default 5).
#
# ripgrep runs as `rg -c --no-mmap --no-unicode -f patterns.txt FILE`. With Unicode on (its
# default), ripgrep's lazy DFA gives up on these patterns (Unicode \b, \w and \d in a few
# hundred alternatives) and it searches at tens of kB/s; that mode is timed once, on the
# first MB only, to show it. ASCII mode needs a ripgrep that accepts the patterns' non-ASCII
# literals there (Debian's 13.0 does not): then a current one is built with
# `cargo install ripgrep` into /tmp/gha-triage-vs-rg/cargo and used instead.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-200M}
small=${2:-20M}
runs=${RUNS:-5}
work=/tmp/gha-triage-vs-rg
mkdir -p "$work"

apt_install() {
  apt-get install -y -qq "$@" >/dev/null 2>&1 ||
    { apt-get update -qq && apt-get install -y -qq "$@" >/dev/null; }
}

# ripgrep: apt first, cargo when apt has none or one too old for --no-unicode.
rg=$(command -v rg || true)
if [ -z "$rg" ]; then
  apt_install ripgrep || true
  rg=$(command -v rg || true)
fi
if [ -z "$rg" ] || ! printf 'x\n' | "$rg" -q --no-unicode -e '✖ x|x' 2>/dev/null; then
  echo "installing a current ripgrep with cargo (the one found cannot run --no-unicode) ..."
  cargo install --quiet --locked ripgrep --root "$work/cargo"
  rg=$work/cargo/bin/rg
fi
[ -x /usr/bin/time ] || apt_install time
command -v hyperfine >/dev/null || apt_install hyperfine || true

echo "ripgrep: $("$rg" --version | head -1) ($rg)"
command -v hyperfine >/dev/null && echo "hyperfine: $(hyperfine --version)"
cargo build --release --quiet
bin=target/release/gha-triage
echo "gha-triage: $($bin --version)"

for s in "$small" "$size"; do
  log=$work/log-$s.log
  [ -f "$log" ] || python3 benches/gen-large-log.py --size "$s" "$log"
done
patterns=$work/patterns.txt
$bin --no-user-rules rules list --patterns > "$patterns"
echo "patterns: $(wc -l < "$patterns") (gha-triage rules list --patterns)"

classify="$bin --no-user-rules classify --format json"
search="$rg -c --no-mmap --no-unicode -f $patterns"

# Wall time side by side; prints the mean seconds of each command, classify first.
time_both() {
  local log=$1
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs "$runs" --style basic --export-json "$work/times.json" \
      -n classify "$classify $log" -n ripgrep "$search $log" >&2
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(*(x["mean"] for x in r))' \
      "$work/times.json"
    return
  fi
  local means=()
  for command in "$classify $log" "$search $log"; do
    local total=0
    for _ in $(seq "$runs"); do
      local t
      t=$( { /usr/bin/time -f %e $command >/dev/null; } 2>&1 | tail -1)
      total=$(python3 -c "print($total + $t)")
    done
    means+=("$(python3 -c "print($total / $runs)")")
    echo "  $command: mean ${means[-1]} s over $runs runs" >&2
  done
  echo "${means[@]}"
}

peak_rss_mib() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk '/Maximum resident set size/ { printf "%.1f", $6 / 1024 }'
}

echo
for s in "$size" "$small"; do
  log=$work/log-$s.log
  echo "== $s log: $log ($(du -h "$log" | cut -f1), $(wc -l < "$log") lines)"
  read -r c r < <(time_both "$log")
  python3 -c "import sys; c, r = map(float, sys.argv[1:]); print(f'classify {c:.3f} s, rg {r:.3f} s, classify/rg = {c / r:.2f}')" "$c" "$r"
done

echo
echo "== peak RSS (/usr/bin/time -v)"
for s in "$small" "$size"; do
  log=$work/log-$s.log
  echo "classify, $s log: $(peak_rss_mib $classify "$log") MiB; rg: $(peak_rss_mib $search "$log") MiB"
done

echo
echo "== ripgrep with Unicode on (its default), first MB only, one run"
head -c 1M "$work/log-$small.log" > "$work/first-mb.log"
/usr/bin/time -f "rg -c --no-mmap -f patterns.txt: %e s for 1 MB" \
  "$rg" -c --no-mmap -f "$patterns" "$work/first-mb.log" >/dev/null
/usr/bin/time -f "classify: %e s for 1 MB" $classify "$work/first-mb.log" >/dev/null
