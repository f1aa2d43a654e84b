#!/usr/bin/env python3
"""Writes a large, realistic raw GitHub Actions job log for benchmarks.

The log has the runner's shape (reference: shared/reference/github-actions-facts.md, section 2):
a byte-order mark, 7-digit UTC timestamps, the "Set up job" lines, thousands of
`##[group]Run ...` steps whose scripts are echoed in ESC[36;1m, `shell:` and `env:` lines,
ANSI-coloured compiler, test and package-manager output, `[command]` echoes of JS actions,
`##[warning]`s, continuation lines without a timestamp, post steps and "Complete job".
A few real failures sit deep inside: a rustc `error[E0308]: mismatched types` (at 55%), a
`No space left on device` (at 80%), and the final `##[error]Process completed with exit code 1.`

Output is deterministic for a given size, seed and line ending.

Usage: gen-large-log.py [--size SIZE] [--seed N] [--crlf] OUT
       SIZE is bytes, or a number with K, M or G (default 200M).
"""

import argparse
import datetime
import random
import sys

BOM = "\ufeff"
ESC = "\x1b"
PAGE_BYTES = 8 << 20  # the runner starts a new page file, with a fresh BOM, every 8 MB

CRATES = ["serde", "tokio", "regex", "clap", "anyhow", "syn", "quote", "proc-macro2", "libc",
          "memchr", "aho-corasick", "hashbrown", "indexmap", "itoa", "ryu", "bytes", "mio",
          "futures-util", "tracing", "once_cell", "cfg-if", "log", "rand", "getrandom"]
NPM_PACKAGES = ["inflight@1.0.6", "glob@7.2.3", "rimraf@3.0.2", "querystring@0.2.0",
                "uuid@3.4.0", "request@2.88.2", "har-validator@5.1.5", "w3c-hr-time@1.0.2"]
WORDS = ["parser", "config", "client", "server", "cache", "index", "worker", "router", "store",
         "session", "render", "layout", "schema", "token", "buffer", "stream", "queue"]
SCRIPTS = [
    ["cargo build --workspace --all-targets --locked"],
    ["cargo test --workspace --locked -- --test-threads=4"],
    ["npm ci", "npm run build --if-present"],
    ["python -m pip install --upgrade pip", "pip install -r requirements-dev.txt",
     "pytest -q --maxfail=50"],
    ["docker build -t app:ci --build-arg VERSION=${GITHUB_SHA::8} .",
     "docker image ls"],
    ["make -j\"$(nproc)\" all", "make check"],
]
JS_ACTIONS = ["actions/checkout@v4", "actions/cache@v4", "actions/setup-node@v4",
              "actions/upload-artifact@v4", "Swatinem/rust-cache@v2"]


class Log:
    """Accumulates lines with advancing timestamps and writes them in large pieces."""

    def __init__(self, out, rng, eol):
        self.out = out
        self.rng = rng
        self.eol = eol
        self.time = datetime.datetime(2025, 11, 3, 14, 2, 7, 123456)
        self.ticks = 0  # extra tenths of a microsecond, for the 7th digit
        self.pending = []
        self.pending_bytes = 0
        self.written = 0
        self.next_page = PAGE_BYTES

    def stamp(self):
        self.ticks += self.rng.randrange(1, 40_000)
        self.time += datetime.timedelta(microseconds=self.ticks // 10)
        self.ticks %= 10
        return self.time.strftime("%Y-%m-%dT%H:%M:%S.%f") + f"{self.ticks}Z "

    def line(self, text):
        prefix = ""
        if self.written == 0 and not self.pending:
            prefix = BOM
        elif self.written + self.pending_bytes >= self.next_page:
            prefix = BOM
            self.next_page += PAGE_BYTES
        self.raw(prefix + self.stamp() + text)

    def raw(self, text):
        """A line without a timestamp: the rest of a multi-line message."""
        piece = text + self.eol
        self.pending.append(piece)
        self.pending_bytes += len(piece.encode("utf-8"))
        if len(self.pending) >= 4096:
            self.flush()

    def flush(self):
        self.out.write("".join(self.pending).encode("utf-8"))
        self.written += self.pending_bytes
        self.pending = []
        self.pending_bytes = 0

    def size(self):
        return self.written + self.pending_bytes


def cyan(text):
    return f"{ESC}[36;1m{text}{ESC}[0m"


def bold(code, text):
    return f"{ESC}[1m{ESC}[{code}m{text}{ESC}[0m"


def set_up_job(log):
    log.line("Current runner version: '2.329.0'")
    log.line("Runner name: 'GitHub Actions 1000123456'")
    log.line("Machine name: 'runnervmf4ws1'")
    log.line("##[group]Operating System")
    log.line("Ubuntu")
    log.line("24.04.3")
    log.line("LTS")
    log.line("##[endgroup]")
    log.line("##[group]Runner Image")
    log.line("Image: ubuntu-24.04")
    log.line("Version: 20251102.99")
    log.line("##[endgroup]")
    log.line("##[group]GITHUB_TOKEN Permissions")
    for name in ["Contents: read", "Metadata: read", "Packages: read"]:
        log.line(name)
    log.line("##[endgroup]")
    log.line("Secret source: Actions")
    log.line("Prepare workflow directory")
    log.line("Prepare all required actions")
    log.line("Getting action download info")
    for action in JS_ACTIONS:
        sha = "%040x" % log.rng.getrandbits(160)
        log.line(f"Download action repository '{action}' (SHA:{sha})")
    log.line("Complete job name: build (ubuntu-latest, stable)")


def run_header(log, script, env):
    log.line(f"##[group]Run {script[0]}")
    for command in script:
        log.line(cyan(command))
    log.line("shell: /usr/bin/bash -e {0}")
    log.line("env:")
    for key, value in env:
        log.line(f"  {key}: {value}")
    log.line("##[endgroup]")


def uses_step(log, rng):
    action = rng.choice(JS_ACTIONS)
    log.line(f"##[group]Run {action}")
    log.line("with:")
    log.line(f"  key: {rng.choice(WORDS)}-{'%016x' % rng.getrandbits(64)}")
    log.line("  path: ~/.cargo/registry")
    log.line("##[endgroup]")
    for _ in range(rng.randrange(5, 40)):
        path = f"/home/runner/work/app/app/{rng.choice(WORDS)}"
        log.line(rng.choice([
            f"[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --depth=1 origin "
            f"+{'%040x' % rng.getrandbits(160)}:refs/remotes/origin/main",
            f"[command]/usr/bin/tar -xf /home/runner/work/_temp/{rng.randrange(10**9)}/cache.tzst "
            f"-P -C {path} --use-compress-program unzstd",
            f"Received {rng.randrange(10**8)} of {rng.randrange(10**8, 10**9)} "
            f"({rng.random() * 100:.1f}%), {rng.random() * 90:.1f} MBs/sec",
            f"Cache Size: ~{rng.randrange(10, 900)} MB ({rng.randrange(10**9)} B)",
            "[command]/usr/bin/git config --local --unset-all http.https://github.com/.extraheader",
        ]))


def cargo_output(log, rng, lines):
    for _ in range(lines):
        crate = rng.choice(CRATES)
        version = f"{rng.randrange(3)}.{rng.randrange(40)}.{rng.randrange(30)}"
        choice = rng.random()
        if choice < 0.55:
            log.line(f"{bold(32, '   Compiling')} {crate} v{version}")
        elif choice < 0.8:
            name = f"{rng.choice(WORDS)}::{rng.choice(WORDS)}_{rng.randrange(999)}"
            log.line(f"test {name} ... {ESC}[32mok{ESC}[0m")
        elif choice < 0.9:
            log.line(f"{bold(32, '   Finished')} `dev` profile [unoptimized + debuginfo] "
                     f"target(s) in {rng.random() * 90:.2f}s")
        elif choice < 0.97:
            log.line(f"{bold(33, 'warning')}{ESC}[1m: unused variable: `{rng.choice(WORDS)}`"
                     f"{ESC}[0m")
            log.line(f"  {ESC}[1m{ESC}[38;5;12m-->{ESC}[0m src/{rng.choice(WORDS)}.rs:"
                     f"{rng.randrange(1, 900)}:{rng.randrange(1, 80)}")
        else:
            log.line(f"running {rng.randrange(1, 300)} tests")


def npm_output(log, rng, lines):
    for _ in range(lines):
        choice = rng.random()
        if choice < 0.3:
            log.line(f"npm {ESC}[33mWARN{ESC}[39m {ESC}[94mdeprecated{ESC}[39m "
                     f"{rng.choice(NPM_PACKAGES)}: This package is no longer supported.")
        elif choice < 0.6:
            log.line(f"  {ESC}[32m✓{ESC}[39m {rng.choice(WORDS)} renders "
                     f"{rng.choice(WORDS)} ({rng.randrange(1, 400)} ms)")
        elif choice < 0.9:
            log.line(f"webpack compiled asset {rng.choice(WORDS)}.{'%08x' % rng.getrandbits(32)}"
                     f".js {rng.randrange(1, 900)} KiB [emitted] [minimized]")
        else:
            log.line(f"added {rng.randrange(100, 2000)} packages, and audited "
                     f"{rng.randrange(2000, 3000)} packages in {rng.randrange(2, 60)}s")


def pytest_output(log, rng, lines):
    for _ in range(lines):
        choice = rng.random()
        if choice < 0.5:
            log.line(f"tests/test_{rng.choice(WORDS)}.py::test_{rng.choice(WORDS)}_"
                     f"{rng.randrange(99)} {ESC}[32mPASSED{ESC}[0m{ESC}[32m "
                     f"[{rng.randrange(100):3d}%]{ESC}[0m")
        elif choice < 0.8:
            log.line(f"Collecting {rng.choice(WORDS)}-{rng.choice(WORDS)}=="
                     f"{rng.randrange(9)}.{rng.randrange(30)}")
            log.line(f"  Downloading {rng.choice(WORDS)}-{rng.randrange(9)}.{rng.randrange(30)}"
                     f"-py3-none-any.whl ({rng.randrange(10, 900)} kB)")
        else:
            log.line(f"{ESC}[33m/home/runner/work/app/app/src/{rng.choice(WORDS)}.py:"
                     f"{rng.randrange(900)}: DeprecationWarning: datetime.utcnow() is "
                     f"deprecated{ESC}[0m")


def docker_output(log, rng, lines):
    for number in range(lines):
        choice = rng.random()
        if choice < 0.5:
            log.line(f"#{number % 30 + 1} {rng.random() * 40:.3f} Get:{rng.randrange(200)} "
                     f"http://archive.ubuntu.com/ubuntu noble/main amd64 "
                     f"{rng.choice(WORDS)} amd64 {rng.randrange(9)}.{rng.randrange(40)} "
                     f"[{rng.randrange(10, 999)} kB]")
        elif choice < 0.8:
            log.line(f"#{number % 30 + 1} sha256:{'%064x' % rng.getrandbits(256)} "
                     f"{rng.randrange(1, 99)}.{rng.randrange(9)}MB / "
                     f"{rng.randrange(100, 300)}.{rng.randrange(9)}MB {rng.random() * 9:.1f}s")
        else:
            log.line(f"#{number % 30 + 1} [{rng.randrange(1, 9)}/9] RUN apt-get update "
                     f"&& apt-get install -y --no-install-recommends {rng.choice(WORDS)}")


def make_output(log, rng, lines):
    for _ in range(lines):
        name = rng.choice(WORDS)
        choice = rng.random()
        if choice < 0.7:
            log.line(f"gcc -O2 -g -Wall -Wextra -Iinclude -c src/{name}.c -o build/{name}.o")
        elif choice < 0.9:
            log.line(f"src/{name}.c: In function '{name}_init':")
            log.line(f"src/{name}.c:{rng.randrange(900)}:{rng.randrange(80)}: "
                     f"{ESC}[01;35m{ESC}[Kwarning: {ESC}[m{ESC}[Kunused parameter 'ctx' "
                     f"[{ESC}[01;35m{ESC}[K-Wunused-parameter{ESC}[m{ESC}[K]")
        else:
            log.line(f"PASS: tests/{name}_test {rng.randrange(1, 40)}")


OUTPUTS = [cargo_output, cargo_output, npm_output, pytest_output, docker_output, make_output]


def occasional(log, rng):
    """Lines any step may print now and then: warnings, user groups, multi-line messages."""
    choice = rng.random()
    if choice < 0.3:
        log.line("##[warning]The `set-output` command is deprecated and will be disabled "
                 "soon. Please upgrade to using Environment Files.")
    elif choice < 0.5:
        log.line("##[group]" + rng.choice(WORDS) + " details")
        log.line(f"{rng.choice(WORDS)} = {rng.randrange(10**6)}")
        log.line("##[endgroup]")
    elif choice < 0.7:
        log.line(f"##[notice]{rng.choice(WORDS)} took {rng.randrange(1, 90)}s")
    elif choice < 0.85:
        log.line(f"##[notice]Coverage of {rng.choice(WORDS)}: {rng.randrange(40, 99)}%")
        for _ in range(rng.randrange(1, 4)):
            log.raw(f"  {rng.choice(WORDS)}.rs: {rng.randrange(40, 99)}% of lines")
    else:
        blob = "".join(rng.choice("abcdef0123456789") for _ in range(64))
        log.line("{\"summary\":\"" + (blob * rng.randrange(8, 40)) + "\"}")


def run_step(log, rng, lines):
    kind = rng.randrange(len(SCRIPTS))
    env = [("CARGO_TERM_COLOR", "always"), ("RUST_BACKTRACE", "1"),
           ("NODE_OPTIONS", "--max-old-space-size=4096")][: rng.randrange(1, 4)]
    run_header(log, SCRIPTS[kind], env)
    done = 0
    while done < lines:
        burst = rng.randrange(20, 200)
        OUTPUTS[kind](log, rng, burst)
        done += burst
        if rng.random() < 0.2:
            occasional(log, rng)


def rust_error(log):
    log.line("##[group]Run cargo build --release --locked")
    log.line(cyan("cargo build --release --locked"))
    log.line("shell: /usr/bin/bash -e {0}")
    log.line("##[endgroup]")
    log.line(f"{bold(32, '   Compiling')} app-core v0.9.1 (/home/runner/work/app/app/core)")
    log.line(f"{ESC}[0m{ESC}[1m{ESC}[38;5;9merror[E0308]{ESC}[0m{ESC}[0m{ESC}[1m: "
             f"mismatched types{ESC}[0m")
    log.line(f"{ESC}[0m   {ESC}[0m{ESC}[0m{ESC}[1m{ESC}[38;5;12m--> {ESC}[0m{ESC}[0m"
             f"core/src/config.rs:42:13{ESC}[0m")
    log.line(f"{ESC}[0m{ESC}[1m{ESC}[38;5;12m42{ESC}[0m {ESC}[0m{ESC}[0m{ESC}[1m{ESC}[38;5;12m|"
             f"{ESC}[0m {ESC}[0m    let port: u16 = settings.port;{ESC}[0m")
    log.line(f"   {ESC}[1m{ESC}[38;5;12m|{ESC}[0m               {ESC}[1m{ESC}[38;5;9m^^^^^^^^^^^^^ "
             f"expected `u16`, found `String`{ESC}[0m")
    log.line(f"{ESC}[1m{ESC}[38;5;9merror{ESC}[0m{ESC}[1m: could not compile `app-core` (lib) "
             f"due to 1 previous error{ESC}[0m")
    log.line("##[error]Process completed with exit code 101.")


def disk_full(log):
    log.line("##[group]Run docker build -t app:ci .")
    log.line(cyan("docker build -t app:ci ."))
    log.line("shell: /usr/bin/bash -e {0}")
    log.line("##[endgroup]")
    log.line("#12 [7/9] RUN cargo build --release")
    log.line("#12 41.27 error: failed to write /app/target/release/deps/libsyn-9f2c.rlib: "
             "No space left on device (os error 28)")
    log.line("#12 ERROR: process \"/bin/sh -c cargo build --release\" did not complete "
             "successfully: exit code: 101")


def final_failure(log, rng):
    log.line("##[group]Run ./scripts/integration.sh")
    log.line(cyan("./scripts/integration.sh"))
    log.line("shell: /usr/bin/bash -e {0}")
    log.line("##[endgroup]")
    pytest_output(log, rng, 50)
    log.line("FAILED tests/test_api.py::test_upload - AssertionError: assert 500 == 201")
    log.line(f"{ESC}[31m========= 1 failed, 1287 passed in 311.42s (0:05:11) ========={ESC}[0m")
    log.line("##[error]Process completed with exit code 1.")


def complete_job(log, rng):
    for _ in JS_ACTIONS[:2]:
        log.line("Post job cleanup.")
        log.line("[command]/usr/bin/git version")
        log.line(f"git version 2.51.{rng.randrange(9)}")
    log.line("Evaluate and set job outputs")
    log.line("Cleaning up orphan processes")


def parse_size(text):
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().removesuffix("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", help="file to write ('-' for standard output)")
    parser.add_argument("--size", default="200M", help="approximate size (default 200M)")
    parser.add_argument("--seed", type=int, default=7, help="random seed (default 7)")
    parser.add_argument("--crlf", action="store_true", help="end lines with CRLF")
    args = parser.parse_args()

    target = parse_size(args.size)
    rng = random.Random(args.seed)
    out = sys.stdout.buffer if args.out == "-" else open(args.out, "wb")
    log = Log(out, rng, "\r\n" if args.crlf else "\n")

    set_up_job(log)
    milestones = [(0.55, rust_error), (0.80, disk_full)]
    steps = 0
    while log.size() < target * 0.999:
        if milestones and log.size() >= target * milestones[0][0]:
            milestones.pop(0)[1](log)
        elif rng.random() < 0.25:
            uses_step(log, rng)
        else:
            run_step(log, rng, rng.randrange(100, 900))
        steps += 1
    for _, failure in milestones:
        failure(log)
    final_failure(log, rng)
    complete_job(log, rng)
    log.flush()
    if out is not sys.stdout.buffer:
        out.close()
    print(f"wrote {log.written} bytes, {steps} steps", file=sys.stderr)


if __name__ == "__main__":
    main()
