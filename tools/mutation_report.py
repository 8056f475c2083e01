"""Score per module from mutmut's results: killed / (mutants - excused equivalents).

`make mutation` runs mutmut on the modules that carry Learnward's promises ([tool.mutmut] in
pyproject.toml) and then this report. Equivalent mutants (a change no behaviour can reveal) are
listed with the reason in tools/equivalent_mutants.txt and left out of the score; every other
survivor is a missing test. Exits non-zero when a module scores under the target (90%).
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parents[1]
TARGET = 0.90
# mutmut's own reading of each mutant's exit code. A timeout counts as killed (the mutant made the
# tests hang); a mutant no test reached counts as survived: nothing would notice it.
KILLED = {"killed", "timeout", "caught by type check", "segfault"}


def excused() -> dict[str, str]:
    path = ROOT / "tools" / "equivalent_mutants.txt"
    out = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            out[name] = reason.strip()
    return out


def main() -> int:
    skip = excused()
    stats: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for meta in sorted((ROOT / "mutants").rglob("*.py.meta")):
        module = str(meta.relative_to(ROOT / "mutants"))[: -len(".meta")]
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            if name in skip:
                state = "excused"
            elif status_by_exit_code[code] in KILLED:
                state = "killed"
            else:
                state = "survived"
            stats[module][state].append(name)
    if not stats:
        print("No mutmut results: run `make mutation` first.")
        return 1
    failing = False
    print(f"{'module':58} {'killed':>7} {'scored':>7} {'excused':>7} {'score':>7}")
    for module, states in sorted(stats.items()):
        killed = len(states["killed"])
        scored = killed + len(states["survived"])
        score = killed / scored if scored else 1.0
        failing |= score < TARGET
        print(f"{module:58} {killed:7} {scored:7} {len(states['excused']):7} {score:7.1%}")
        for name in states["survived"]:
            print(f"    survived: {name}")
    print(f"Target: at least {TARGET:.0%} of the scored mutants killed in every module.")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
