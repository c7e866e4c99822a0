"""Summarise a py-spy ``--format raw`` profile (collapsed stacks) of the server.

    .venv/bin/python -m bench.profile_top bench/results/profile-push.txt [--top 30] [--match STR]

Prints the functions with the most samples *inclusive* (the function or anything it called was on
the CPU) and *self* (the function itself was on top), as a share of all samples. Idle samples
(the event loop waiting in select/epoll) are counted apart, so shares are of busy time.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

IDLE = ("select (selectors.py", "epoll", "_run_once (asyncio/base_events.py")
_FRAME = re.compile(r"^(?P<func>.+?) \((?P<file>[^:()]+)(?::(?P<line>\d+))?\)$")


def _short(frame: str) -> str:
    """``func (path/to/module.py:12)`` -> ``func (module.py)``: lines merged."""
    m = _FRAME.match(frame.strip())
    if not m:
        return frame.strip()
    file = m["file"]
    for marker in ("site-packages/", "sync_server/", "conflict/", "python3.11/"):
        if marker in file:
            file = (marker if marker != "site-packages/" else "") + file.split(marker, 1)[1]
            break
    return f"{m['func']} ({file})"


def summarise(path: Path, top: int, match: str | None) -> str:
    inclusive: Counter[str] = Counter()
    self_: Counter[str] = Counter()
    total = idle = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        count = int(count_text)
        frames = [_short(f) for f in stack.split(";") if f]
        if not frames:
            continue
        if any(marker in frames[-1] for marker in IDLE) or "select" in frames[-1]:
            idle += count
            continue
        total += count
        self_[frames[-1]] += count
        for f in set(frames):
            inclusive[f] += count
    lines = [f"{path.name}: {total} busy samples, {idle} idle (event loop waiting)", ""]
    for title, counter in (("inclusive", inclusive), ("self", self_)):
        lines += [f"| {title} % | function |", "|---:|---|"]
        shown = 0
        for func, n in counter.most_common():
            if match and match not in func:
                continue
            lines.append(f"| {100 * n / max(total, 1):.1f} | `{func}` |")
            shown += 1
            if shown >= top:
                break
        lines.append("")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("profile", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--match", default=None, help="only functions whose name contains this")
    args = parser.parse_args()
    print(summarise(args.profile, args.top, args.match))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
