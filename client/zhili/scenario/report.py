"""A report a person can read: the console summary and a self-contained HTML page with SVG charts.

Everything shown comes from a scenario result (``zhili.scenario.runner.run``), i.e. from the chain. The HTML
has no scripts and loads nothing: charts are inline SVG, so it opens offline and prints well.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from ..core.files import write_atomic
from ..core.workdays import CST

OFFICE_ORDER = ("secretary", "discipline", "congress", "consultative", "administrator", "discipline_deputy")
COLORS = {"chosen": "#b3261e", "other": "#9aa5b1", "line": "#1f6feb", "yes": "#2e7d32", "no": "#c62828", "abstain": "#9e9e9e"}


def _esc(x: Any) -> str:
    return html.escape(str(x))


def bar_chart(title: str, rows: Sequence[tuple[str, float, bool]], *, line: float | None = None, line_label: str = "", width: int = 640) -> str:
    """Horizontal bars: (label, value, highlighted). ``line`` draws a vertical threshold."""
    if not rows:
        return ""
    bar_h, gap, left, top = 22, 6, 150, 34
    height = top + len(rows) * (bar_h + gap) + 24
    vmax = max([v for _, v, _ in rows] + [line or 0, 1])
    scale = (width - left - 60) / vmax
    parts = [
        f'<svg class="chart" role="img" aria-label="{_esc(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="18" font-size="15" font-weight="bold">{_esc(title)}</text>',
    ]
    for i, (label, value, chosen) in enumerate(rows):
        y = top + i * (bar_h + gap)
        w = max(value * scale, 1)
        color = COLORS["chosen"] if chosen else COLORS["other"]
        parts.append(f'<text x="{left - 8}" y="{y + 16}" font-size="13" text-anchor="end">{_esc(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{color}" rx="3"/>')
        parts.append(f'<text x="{left + w + 6:.1f}" y="{y + 16}" font-size="13">{value:g}</text>')
    if line is not None:
        x = left + line * scale
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 18}" stroke="{COLORS["line"]}" stroke-width="2" stroke-dasharray="6 4"/>')
        parts.append(f'<text x="{x + 4:.1f}" y="{height - 4}" font-size="12" fill="{COLORS["line"]}">{_esc(line_label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def step_chart(title: str, series: dict[str, list[int]], labels: list[str], width: int = 640) -> str:
    """Positions over time (1 = first), one line per person: the succession order over time."""
    if not series or not labels:
        return ""
    n = max(max(v) for v in series.values())
    left, top, right = 90, 34, 150
    height = top + n * 34 + 40
    dx = (width - left - right) / max(len(labels) - 1, 1)
    palette = ["#b3261e", "#1f6feb", "#2e7d32", "#8e24aa", "#ef6c00", "#00838f", "#6d4c41", "#546e7a"]
    parts = [
        f'<svg class="chart" role="img" aria-label="{_esc(title)}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="0" y="18" font-size="15" font-weight="bold">{_esc(title)}</text>',
    ]
    for k in range(1, n + 1):
        parts.append(f'<text x="{left - 10}" y="{top + (k - 1) * 34 + 5}" font-size="12" text-anchor="end">#{k}</text>')
    for i, lab in enumerate(labels):
        parts.append(f'<text x="{left + i * dx:.1f}" y="{height - 8}" font-size="11" text-anchor="middle">{_esc(lab)}</text>')
    for c, (who, pos) in enumerate(series.items()):
        pts = " ".join(f"{left + i * dx:.1f},{top + (p - 1) * 34}" for i, p in enumerate(pos) if p > 0)
        color = palette[c % len(palette)]
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{color}" stroke-width="3"/>')
        last = [(i, p) for i, p in enumerate(pos) if p > 0][-1]
        parts.append(f'<text x="{left + last[0] * dx + 6:.1f}" y="{top + (last[1] - 1) * 34 - 6}" font-size="12" fill="{color}">{_esc(who)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def _names(result: dict[str, Any]) -> dict[str, str]:
    return result.get("people", {})


def _label(result: dict[str, Any], pid: str | None) -> str:
    if pid is None:
        return "—"
    name = _names(result).get(pid)
    return f"{name} ({pid})" if name else pid


def _election_section(result: dict[str, Any], key: str, title: str) -> str:
    e = result.get(key)
    if not e:
        return ""
    adv, el = set(e["stage1"]["advanced"]), set(e["stage2"]["elected"])
    out = [f"<h2>{_esc(title)}</h2>"]
    out.append(bar_chart("Stage 1, party pre-selection (R-EL-2): votes; red = advanced", [(_label(result, r["id"]), r["votes"], r["id"] in adv) for r in e["stage1"]["ranking"]]))
    out.append(bar_chart("Stage 2, congress final vote (R-EL-4): votes; red = elected", [(_label(result, r["id"]), r["votes"], r["id"] in el) for r in e["stage2"]["ranking"]]))
    if e["runoffs"]:
        out.append("<h3>Runoffs (R-EL-6)</h3><ul>")
        for r in e["runoffs"]:
            votes = ", ".join(f"{_esc(_label(result, c))}: {v}" for c, v in zip(r["candidates"], r["votes"] or []))
            out.append(f"<li>{_esc(r['purpose'])}, {r['seats']} place(s): {votes}</li>")
        out.append("</ul>")
    path = {1: "path 1, re-election (R-EL-8)", 2: "path 2, highest-ranked eligible (R-EL-9)"}.get(e.get("secretary_path") or 0, "")
    out.append("<table><tr><th>office</th><th>holder</th></tr>")
    for o in OFFICE_ORDER[:5]:
        extra = f" — {path}" if o == "secretary" and path else ""
        out.append(f"<tr><td>{o}</td><td>{_esc(_label(result, e['offices'].get(o)))}{_esc(extra)}</td></tr>")
    out.append("</table>")
    return "\n".join(out)


def html_report(result: dict[str, Any]) -> str:
    j = result["jurisdiction"]
    sections = [
        _election_section(result, "election", "Election"),
        _council_section(result),
        _merit_section(result),
        _documents_section(result),
        _election_section(result, "next_election", "Next election"),
        _village_section(result),
    ]
    offices = "".join(f"<tr><td>{o}</td><td>{_esc(_label(result, result['offices'].get(o)))}</td></tr>" for o in OFFICE_ORDER) if "offices" in result else ""
    gas = "".join(f"<tr><td>{_esc(k)}</td><td>{v['transactions']}</td><td>{v['total']:,}</td></tr>" for k, v in result.get("gas", {}).items())
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>{_esc(j["name"])} — zhili report</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "WenQuanYi Zen Hei", sans-serif; max-width: 900px; margin: 2em auto; color: #1b1f23; }}
h1 {{ font-size: 1.6em; }} h2 {{ border-bottom: 2px solid #b3261e; padding-bottom: .2em; margin-top: 2em; }}
table {{ border-collapse: collapse; margin: 1em 0; }} td, th {{ border: 1px solid #d0d7de; padding: .3em .7em; text-align: left; }}
.chart {{ display: block; margin: 1em 0; }} .meta {{ color: #57606a; }}
</style></head><body>
<h1>{_esc(j["name"])} ({_esc(j["code"])}) — {_esc(result.get("scenario", ""))}</h1>
<p class="meta">Chain: {_esc(result["chain"]["kind"])} (chain id {result["chain"]["chain_id"]}); jurisdiction registry {_esc(j["address"])}.
Every figure on this page was read back from the chain.</p>
{"".join(s for s in sections if s)}
{f"<h2>Offices at the end</h2><table><tr><th>office</th><th>holder</th></tr>{offices}</table>" if offices else ""}
<h2>Gas by operation</h2><table><tr><th>operation</th><th>transactions</th><th>gas</th></tr>{gas}</table>
</body></html>
"""


def _council_section(result: dict[str, Any]) -> str:
    motions = result.get("council") or []
    if not motions:
        return ""
    rows = [(f"{m['id']} ({m['category']})", m["yes_weight"], m["passed"]) for m in motions]
    threshold = result.get("threshold", 160)
    return "<h2>Council decisions (R-WD-1, R-WD-2)</h2>" + bar_chart(f"Weighted yes against the {threshold} line; red = passed", rows, line=threshold, line_label=f"threshold {threshold}")


def _merit_section(result: dict[str, Any]) -> str:
    merit = result.get("merit") or {}
    out = []
    if merit:
        rows = [(_label(result, pid), m["merit"] / 10, False) for pid, m in merit.items() if m["merit"] or m["demerit"]]
        rows += [(_label(result, pid) + " demerit", m["demerit"] / 10, True) for pid, m in merit.items() if m["demerit"]]
        out.append("<h2>Merit ledgers (R-MR-1)</h2>" + bar_chart("Merit points (grey) and demerit points (red)", rows))
    history = result.get("succession_history") or []
    if history:
        people = sorted({p for h in history for p in h["order"]})
        series = {_label(result, p): [h["order"].index(p) + 1 if p in h["order"] else 0 for h in history] for p in people}
        out.append("<h2>Succession order over time (R-SU-1 … R-SU-5)</h2>" + step_chart("Place in the order of succession", series, [h["label"] for h in history]))
    return "\n".join(out)


def _documents_section(result: dict[str, Any]) -> str:
    docs = result.get("documents") or []
    if not docs:
        return ""
    rows = "".join(f"<tr><td>{_esc(d['trace_code'])}</td><td>{_esc(d.get('motion', ''))}</td><td>{_esc(d.get('status', ''))}</td><td>{'yes' if d['verified'] else 'no'}</td></tr>" for d in docs)
    return f"<h2>Documents (R-DOC-1 … R-DOC-4)</h2><table><tr><th>trace code</th><th>motion</th><th>status</th><th>verified</th></tr>{rows}</table>"


def village_charts(result: dict[str, Any]) -> list[str]:
    """The village year's three charts: each person's rank over the quarters (R-VC-7), how many people
    reached each annual grade and star count (R-VC-8), and the supermarket balances after the
    redemptions, red for those who redeemed (R-VC-10). Values as the chain reported them."""
    v = result["village"]
    labels = list(v["quarters"])
    ranks: dict[str, list[int]] = {}
    for k, q in enumerate(v["quarters"].values()):
        for row in q["standings"]:
            ranks.setdefault(_label(result, row["id"]), [0] * len(labels))[k] = int(row["rank"])
    counts: dict[str, int] = {}
    for g in v["grades"].values():
        for kind, key in (("党员先锋", "party_grade"), ("村民代表模范", "rep_grade")):
            if g.get(key):
                counts[f"{kind} {g[key]}"] = counts.get(f"{kind} {g[key]}", 0) + 1
        if g.get("stars"):
            counts[f"{g['stars']} stars"] = counts.get(f"{g['stars']} stars", 0) + 1
    redeemed = {r["person"] for r in v["redemptions"]}
    after = dict(v["balances"])  # claimed for the year (R-VC-10) ...
    for r in v["redemptions"]:
        after[r["person"]] = r["balance"]  # ... less each redemption, as the chain reported the balance after it
    return [
        step_chart("Standings over the quarters (R-VC-7): rank by credit", ranks, labels),
        bar_chart("Annual grades (R-VC-8): people per grade and per star count", [(k, n, False) for k, n in counts.items()]),
        bar_chart("Supermarket balances after the redemptions (R-VC-10); red = redeemed", [(_label(result, sid), b, sid in redeemed) for sid, b in after.items()]),
    ]


def _village_section(result: dict[str, Any]) -> str:
    """A village year (SPEC §9): the list, the standings over the quarters, objections, grades and the
    supermarket, as charts (:func:`village_charts`) and tables."""
    v = result.get("village")
    if not v:
        return ""
    li = v["list"]
    parts = [f"<h2>Village {_esc(v['code'])}, {v['year']}</h2><p>List {li['version']}: {_esc(li['state'])} ({li['yes']} yes, {li['no']} no; R-VC-2).</p>"]
    parts += village_charts(result)
    for label, q in v["quarters"].items():
        rows = "".join(
            f"<tr><td>{s['rank']}</td><td>{_esc(_label(result, s['id']))}</td><td>{s['credit'] / 10:.1f}</td><td>{s['party'] / 10:.1f}</td><td>{s['rep'] / 10:.1f}</td></tr>" for s in q["standings"]
        )
        parts.append(f"<h3>{_esc(label)} ({_esc(q['state'])})</h3><table><tr><th>rank</th><th>person</th><th>credit</th><th>party duty</th><th>representative duty</th></tr>{rows}</table>")
    if v["objections"]:
        rows = "".join(
            f"<tr><td>{_esc(o['quarter'])}</td><td>{_esc(_label(result, o['objector']))}</td><td>{_esc(_label(result, o['subject']))}</td><td>{_esc(o['state'])}</td><td>{o['delta'] / 10:+.1f}</td></tr>"
            for o in v["objections"]
        )
        parts.append(f"<h3>Objections (R-VC-7)</h3><table><tr><th>quarter</th><th>objector</th><th>subject</th><th>ruling</th><th>correction</th></tr>{rows}</table>")
    rows = "".join(
        f"<tr><td>{_esc(_label(result, sid))}</td><td>{_esc(g.get('party_grade') or '')}</td><td>{_esc(g.get('rep_grade') or '')}</td>"
        f"<td>{g.get('stars') or ''}</td><td>{v['balances'].get(sid, '')}</td></tr>"
        for sid, g in v["grades"].items()
    )
    parts.append(f"<h3>Grades and supermarket balances (R-VC-8, R-VC-10)</h3><table><tr><th>person</th><th>党员先锋</th><th>村民代表模范</th><th>stars</th><th>balance</th></tr>{rows}</table>")
    rows = "".join(f"<tr><td>{_esc(_label(result, r['person']))}</td><td>{r['item']}</td><td>{r['quantity']}</td><td>{r['balance']}</td><td>{r['stock']}</td></tr>" for r in v["redemptions"])
    parts.append(f"<h3>Redemptions</h3><table><tr><th>person</th><th>item</th><th>quantity</th><th>balance after</th><th>stock after</th></tr>{rows}</table>")
    if v.get("rectifications"):
        rows = "".join(
            f"<tr><td>{_esc(_label(result, sid))}</td><td>{_esc(dt.datetime.fromtimestamp(r['deadline'], CST).strftime('%Y-%m-%d %H:%M'))}</td><td>{_esc(r['state'])}</td></tr>"
            for sid, r in v["rectifications"].items()
        )
        parts.append(f"<h3>Rectifications (R-VC-9)</h3><table><tr><th>person</th><th>deadline (CST)</th><th>outcome</th></tr>{rows}</table>")
    return "".join(parts)


def write_html(result: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, html_report(result), replace=True)
    return path


def print_summary(result: dict[str, Any], console: Console) -> None:
    j = result["jurisdiction"]
    console.print(f"\n[bold]{j['name']} ({j['code']})[/bold] — {result.get('scenario', '')} on the {result['chain']['kind']} chain")
    for key, title in (("election", "Election"), ("next_election", "Next election")):
        e = result.get(key)
        if not e:
            continue
        t = Table(title=f"{title}: stage 2 ranking and offices")
        t.add_column("rank", justify="right")
        t.add_column("candidate")
        t.add_column("votes", justify="right")
        t.add_column("office")
        holder = {v: k for k, v in e["offices"].items() if v}
        for i, r in enumerate(e["stage2"]["ranking"], 1):
            t.add_row(str(i), _label(result, r["id"]), str(r["votes"]), holder.get(r["id"], ""))
        console.print(t)
        for r in e["runoffs"]:
            console.print(f"  runoff ({r['purpose']}): " + ", ".join(f"{_label(result, c)} {v}" for c, v in zip(r["candidates"], r["votes"] or [])))
        if e.get("secretary_path"):
            console.print(f"  secretary by path {e['secretary_path']} ({'R-EL-8' if e['secretary_path'] == 1 else 'R-EL-9'})")
    if "offices" in result:
        t = Table(title="Offices at the end")
        t.add_column("office")
        t.add_column("holder")
        for o in OFFICE_ORDER:
            t.add_row(o, _label(result, result["offices"].get(o)))
        console.print(t)
    if result.get("village"):
        v = result["village"]
        t = Table(title=f"Village {v['code']}, {v['year']}: grades and balances")
        for col in ("person", "党员先锋", "村民代表模范", "stars", "balance"):
            t.add_column(col)
        for sid, g in v["grades"].items():
            t.add_row(_label(result, sid), str(g.get("party_grade") or ""), str(g.get("rep_grade") or ""), str(g.get("stars") or ""), str(v["balances"].get(sid, "")))
        console.print(t)
    total = sum(v["total"] for v in result.get("gas", {}).values())
    console.print(f"gas used: {total:,} in {sum(v['transactions'] for v in result.get('gas', {}).values())} transactions; {result.get('wall_seconds', 0)} s")
