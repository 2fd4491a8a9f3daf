"""The mutation run (``make mutate``, docs/mutation.md): does the suite fail when a rule changes?

    .venv/bin/python scripts/mutate.py                 # every mutant of tests/mutation/mutants.yaml
    .venv/bin/python scripts/mutate.py --only ID ...   # some of them (results merge into the report)
    .venv/bin/python scripts/mutate.py --list          # the list, nothing run
    .venv/bin/python scripts/mutate.py -j 2            # two scratch copies side by side

For each mutant of the curated list (one rule change each: file, original text, mutant text, the
tests that must catch it) the runner applies the one replacement to a scratch copy of the tree (the
files git knows, copied once per worker under the system's temporary directory; ``node_modules`` is
linked), rebuilds what the change needs (a contract: the mutated source and every source importing it,
compiled with ``zhili build``'s settings into the copy's artifacts; a profile or any other file:
nothing), runs the named pytest node ids (``--chain embedded`` by default) and forge tests
(``--match-test``), and records the outcome: **killed** (a named test failed), **survived** (all
passed: the tests cannot tell the rule changed) or **error** (the mutant did not compile or the tests
could not run), with the time taken. The copy is restored after each mutant (the source file, and
the artifacts from the pristine build), so mutants never see each other.

Results merge into ``docs/mutation-report.json`` (one entry per mutant, with the date of its run) and
the table between the markers of ``docs/mutation.md`` is rewritten from it. Exit status: 0 when every
mutant run is killed, 1 otherwise. Too slow for CI (``tests/test_mutation_list.py`` is the fast
guard that the list still applies to the sources).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime as dt
import json
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
LIST_FILE = ROOT / "tests" / "mutation" / "mutants.yaml"
REPORT_JSON = ROOT / "docs" / "mutation-report.json"
DOC = ROOT / "docs" / "mutation.md"
BEGIN, END = "<!-- mutation-run:begin -->", "<!-- mutation-run:end -->"
ARTIFACT_DIRS = ("client/zhili/artifacts", "tests/artifacts")
FORGE_CACHES = ("out", "forge-cache")  # never the persisted fuzz failures (forge-cache/fuzz, /invariant)
OUTCOMES = ("killed", "survived", "error")


@dataclass(frozen=True)
class Mutant:
    """One entry of the list: a single textual replacement and the tests that must catch it."""

    id: str
    rule: str
    file: str
    original: str
    mutant: str
    pytest: tuple[str, ...] = ()
    forge: tuple[str, ...] = ()
    note: str = ""

    @property
    def needs_build(self) -> bool:
        return self.file.startswith("contracts/") and self.file.endswith(".sol")


@dataclass
class Result:
    id: str
    outcome: str
    seconds: float
    detail: str = ""
    date: str = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def load(path: Path = LIST_FILE) -> list[Mutant]:
    """The list, checked for shape (ids unique, fields present, at least one test per mutant)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise SystemExit(f"{path}: a list of mutants expected")
    out: list[Mutant] = []
    seen: set[str] = set()
    for i, e in enumerate(raw):
        missing = [k for k in ("id", "rule", "file", "original", "mutant") if not isinstance(e.get(k), str) or not e[k]]
        if missing:
            raise SystemExit(f"{path}: entry {i} lacks {missing}")
        if e["id"] in seen:
            raise SystemExit(f"{path}: id {e['id']} twice")
        seen.add(e["id"])
        m = Mutant(e["id"], e["rule"], e["file"], e["original"], e["mutant"], tuple(e.get("pytest") or ()), tuple(e.get("forge") or ()), str(e.get("note") or ""))
        if not m.pytest and not m.forge:
            raise SystemExit(f"{path}: {m.id} names no test")
        out.append(m)
    return out


# ---------------------------------------------------------------------------- scratch copies


def _tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, check=True).stdout
    return [p for p in out.decode().split("\0") if p and (ROOT / p).is_file() and not (ROOT / p).is_symlink()]


def make_scratch(base: Path) -> Path:
    """A copy of the working tree (what git tracks or would track) with node_modules linked."""
    dest = base / "tree"
    for rel in _tracked_files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, target)
    nm = ROOT / "node_modules"
    if nm.exists():
        (dest / "node_modules").symlink_to(nm.resolve())
    for d in FORGE_CACHES:  # forge's compiled output, so a mutant recompiles only what it touches
        if (ROOT / d).is_dir():
            shutil.copytree(ROOT / d, dest / d, ignore=shutil.ignore_patterns("fuzz", "invariant"))
    for d in ARTIFACT_DIRS:  # the pristine artifacts, restored after every contract mutant
        shutil.copytree(dest / d, base / "pristine" / d)
    return dest


IMPORT = re.compile(r'^\s*import\s+(?:\{[^}]*\}\s+from\s+)?"([^"]+)"', re.M)

# Compiles, in the scratch copy, only the sources whose contracts a mutant can change (the mutated
# file and every file importing it, directly or not: a library is inlined, `new X` embeds X's code)
# and writes their artifacts over the pristine ones; the other artifacts stay as built. Code
# generation is what costs: a full `zhili build` of every contract takes several times longer.
PARTIAL_BUILD = """
import json, sys
from zhili.core import build as b
from zhili.core.artifacts import ARTIFACT_DIR, BUILD_INFO, TEST_ARTIFACT_DIR
files = json.loads(sys.argv[1])
std = b.standard_input()
sel = std["settings"]["outputSelection"]["*"]["*"]
std["settings"]["outputSelection"] = {f: {"*": sel} for f in files}
out = b._run_solc(std)
version = json.loads((ARTIFACT_DIR / BUILD_INFO).read_text())["compiler"]
for source, contracts in out.get("contracts", {}).items():
    for name, c in contracts.items():
        if c["evm"]["bytecode"]["object"] and c["abi"]:
            d = TEST_ARTIFACT_DIR if source.startswith(b.TEST_ONLY_SOURCES) else ARTIFACT_DIR
            (d / f"{name}.json").write_text(b.render(b._artifact(name, source, c, version, b.DEFAULT_EVM_VERSION)))
            print("built", name)
"""


def affected_sources(tree: Path, changed: str) -> list[str]:
    """``changed`` and every contract source that imports it, directly or through others."""
    importers: dict[str, set[str]] = {}
    for f in (tree / "contracts").rglob("*.sol"):
        rel = f.relative_to(tree).as_posix()
        for imp in IMPORT.findall(f.read_text(encoding="utf-8")):
            if imp.startswith("."):
                target = os.path.normpath(os.path.join(os.path.dirname(rel), imp)).replace(os.sep, "/")
                importers.setdefault(target, set()).add(rel)
    seen, todo = {changed}, [changed]
    while todo:
        for parent in importers.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return sorted(seen)


def _env(tree: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(tree / "client")
    env.pop("PYTEST_ADDOPTS", None)
    return env


def _run(cmd: list[str], tree: Path, timeout: float) -> tuple[int, str]:
    try:
        p = subprocess.run(cmd, cwd=tree, env=_env(tree), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, f"timeout after {timeout:.0f} s: {' '.join(cmd)}"
    tail = "\n".join((p.stdout + p.stderr).strip().splitlines()[-15:])
    return p.returncode, tail


def _failed_line(tail: str) -> str:
    for mark in ("FAILED", "[FAIL", "Error"):
        lines = [ln for ln in tail.splitlines() if mark in ln]
        if lines:
            return lines[0][:300]
    return tail.splitlines()[-1][:300] if tail else ""


def run_one(m: Mutant, tree: Path, base: Path, chain: str, timeout: float) -> Result:
    start = time.monotonic()
    src = tree / m.file
    text = src.read_text(encoding="utf-8")
    if text.count(m.original) != 1:
        return Result(m.id, "error", 0.0, f"original found {text.count(m.original)} times in {m.file}")
    src.write_text(text.replace(m.original, m.mutant), encoding="utf-8")
    try:
        if m.needs_build:
            rc, tail = _run([sys.executable, "-c", PARTIAL_BUILD, json.dumps(affected_sources(tree, m.file))], tree, timeout)
            if rc != 0:
                return Result(m.id, "error", time.monotonic() - start, "build failed: " + _failed_line(tail))
        for node in m.pytest:
            rc, tail = _run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-x", "-q", "--no-header", f"--chain={chain}", node], tree, timeout)
            if rc == 1:
                return Result(m.id, "killed", time.monotonic() - start, f"{node}: {_failed_line(tail)}")
            if rc != 0:
                return Result(m.id, "error", time.monotonic() - start, f"{node}: pytest exit {rc}: {_failed_line(tail)}")
        for name in m.forge:
            rc, tail = _run(["bash", "toolchain/forge-test.sh", "--match-test", name], tree, timeout)
            if rc == 1:
                return Result(m.id, "killed", time.monotonic() - start, f"forge {name}: {_failed_line(tail)}")
            if rc != 0:
                return Result(m.id, "error", time.monotonic() - start, f"forge {name}: exit {rc}: {_failed_line(tail)}")
        return Result(m.id, "survived", time.monotonic() - start, "every named test passed")
    finally:
        src.write_text(text, encoding="utf-8")
        if m.needs_build:
            for d in ARTIFACT_DIRS:
                shutil.rmtree(tree / d)
                shutil.copytree(base / "pristine" / d, tree / d)


# ---------------------------------------------------------------------------- report


def read_report(path: Path = REPORT_JSON) -> dict[str, dict[str, Any]]:
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {r["id"]: r for r in data.get("results", [])}


def write_report(mutants: list[Mutant], results: dict[str, dict[str, Any]], path: Path = REPORT_JSON) -> None:
    ids = {m.id for m in mutants}
    kept = [results[m.id] for m in mutants if m.id in results]
    counts = {o: sum(1 for r in kept if r["outcome"] == o) for o in OUTCOMES}
    data = {"mutants": len(mutants), "run": len(kept), **counts, "results": kept, "stale": sorted(set(results) - ids)}
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def markdown(mutants: list[Mutant], results: dict[str, dict[str, Any]]) -> str:
    kept = [results.get(m.id) for m in mutants]
    counts = {o: sum(1 for r in kept if r and r["outcome"] == o) for o in OUTCOMES}
    dates = sorted(r["date"] for r in kept if r)
    when = f"{dates[0]} … {dates[-1]}" if dates else "never"
    lines = [
        f"Last run: {when}. **{len(mutants)} mutants: {counts['killed']} killed, {counts['survived']} survived, {counts['error']} error, {sum(1 for r in kept if r is None)} not run.**",
        "",
        "| id | rule | file | original → mutant | outcome | s | caught by |",
        "|---|---|---|---|---|---|---|",
    ]
    for m, r in zip(mutants, kept):
        change = f"`{_cell(m.original)}` → `{_cell(m.mutant)}`"
        outcome = r["outcome"] if r else "not run"
        secs = f"{r['seconds']:.0f}" if r else ""
        detail = _cell(r["detail"]) if r and r["outcome"] != "survived" else ""
        lines.append(f"| {m.id} | {m.rule} | `{m.file.rsplit('/', 1)[-1]}` | {change} | {outcome} | {secs} | {detail} |")
    return "\n".join(lines)


def _cell(s: str) -> str:
    s = " ".join(s.split())
    s = s if len(s) <= 90 else s[:87] + "…"
    return s.replace("|", "\\|").replace("`", "'")


def update_doc(mutants: list[Mutant], results: dict[str, dict[str, Any]], path: Path = DOC) -> None:
    text = path.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(head + BEGIN + "\n" + markdown(mutants, results) + "\n" + END + tail, encoding="utf-8")


# ---------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    ap.add_argument("--only", nargs="+", metavar="ID", help="run only these mutants")
    ap.add_argument("--list", action="store_true", help="print the list and exit")
    ap.add_argument("-j", "--jobs", type=int, default=1, help="scratch copies run side by side (each builds its own contracts)")
    ap.add_argument("--chain", default="embedded", choices=("embedded", "anvil", "both"), help="chain of the pytest tests (default embedded)")
    ap.add_argument("--timeout", type=float, default=900.0, help="seconds per build or test command")
    ap.add_argument("--keep", action="store_true", help="keep the scratch copies")
    args = ap.parse_args(argv)

    mutants = load()
    if args.list:
        for m in mutants:
            print(f"{m.id:34} {m.rule:9} {m.file}: {m.original!r} -> {m.mutant!r}")
        print(f"{len(mutants)} mutants")
        return 0
    chosen = mutants
    if args.only:
        unknown = sorted(set(args.only) - {m.id for m in mutants})
        if unknown:
            print(f"unknown mutant ids: {unknown}", file=sys.stderr)
            return 2
        chosen = [m for m in mutants if m.id in set(args.only)]

    jobs = max(1, min(args.jobs, len(chosen)))
    bases = [Path(tempfile.mkdtemp(prefix=f"zhili-mutate-{i}-")) for i in range(jobs)]
    try:
        trees: queue.Queue[tuple[Path, Path]] = queue.Queue()
        for b in bases:
            trees.put((make_scratch(b), b))

        def work(m: Mutant) -> Result:
            tree, base = trees.get()
            try:
                return run_one(m, tree, base, args.chain, args.timeout)
            finally:
                trees.put((tree, base))

        with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
            for r in pool.map(work, chosen):
                print(f"{r.outcome:8} {r.seconds:6.1f} s  {r.id}  {r.detail}", flush=True)
                results = read_report()  # another run may have merged its results meanwhile
                results[r.id] = r.__dict__
                write_report(mutants, results)
                update_doc(mutants, results)
    finally:
        if not args.keep:
            for b in bases:
                shutil.rmtree(b, ignore_errors=True)
    results = read_report()
    run = [results[m.id] for m in chosen]
    bad = [r["id"] for r in run if r["outcome"] != "killed"]
    print(f"{len(run)} run: {len(run) - len(bad)} killed; not killed: {bad or 'none'}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
