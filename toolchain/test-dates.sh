#!/usr/bin/env bash
# The date-sensitive tests again with the machine's clock at other dates (make test-dates).
#
# Test chains start at zhili.core.chain.GENESIS_TIME and never read the machine's clock
# (docs/architecture.md, "Time"), so the outcome must be the same on any date. This proves it under
# libfaketime (Debian `faketime`), with the clock *running* from the given start ("@" form: a frozen
# clock would hang timeouts) in China Standard Time: the last half hour of 2026 (the run crosses
# New Year) and mid-2029, a year the installed holiday calendar does not cover.
#
# The date-sensitive tests run on the embedded chain (eth-tester reads the clock for each block unless
# zhili pins it; the edge tests there cross working-day deadlines). The files are those whose outcome
# involves a date: working-day deadlines (calendar, handover, merit appeals), the trace-code year
# (evidence) and a whole scenario run; the bad-input corpus is not among them (its windows are chain
# time on its own pinned anvil, and `zhili calendar` is exercised in test_calendar). The two dates run
# side by side, one process chain each (the date-sensitive tests, then the scenario run), which keeps
# the 2-core machine busy better than pytest-xdist over files of very unequal length.
#
# Each date runs one whole scenario run (docs/ci.md): the bundled township term on the embedded chain
# (the chain of `zhili demo`, README's first command: the one whole term CI runs there), checked
# against the reference model and the township story's dated claims (trace-code year, handover), under
# the clock that crosses New Year; the county term on anvil (pinned the same way: `--timestamp` and a
# fixed block interval; a fifth of the embedded chain's time, docs/ci.md "Stop 31"), checked against
# the model, under mid-2029.
# Usage: toolchain/test-dates.sh [PYTEST]   (default .venv/bin/pytest)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
pytest=${1:-.venv/bin/pytest}
dates=("2026-12-31 23:30:00" "2029-06-01 09:00:00")
# the whole scenario run of each date and its chain (the malformed-file, report and browser tests read no date)
chains=(embedded anvil)
scenario=("tests/scenario/test_scenario.py::test_bundled_scenario_matches_the_model[embedded-township] tests/scenario/test_scenario.py::test_township_story"
          "tests/scenario/test_scenario.py::test_bundled_scenario_matches_the_model[anvil-county]")
tests=(tests/calendar/test_calendar.py tests/evidence/test_handover.py tests/evidence/test_evidence.py
       # of the merit tests, those with working-day or cycle deadlines (the rest is date-free arithmetic)
       "tests/merit/test_merit.py::test_appeal_window_answer_and_finality"
       tests/merit/test_merit_deadlines.py
       "tests/merit/test_merit.py::test_discipline_secretary_demoted_after_two_zero_cycles"
       "tests/merit/test_merit.py::test_service_levels_from_chain_data"
       # the appeal window across National Day 2026, counted by the calendar model (tests/model/calendar.py)
       "tests/edges/test_merit_edges.py::test_appeal_window_across_national_day_ends_on_the_adjusted_working_saturday")
export TZ=Asia/Shanghai

command -v faketime >/dev/null || { echo "test-dates: faketime not installed (apt-get install faketime)" >&2; exit 2; }
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
pids=()
for i in "${!dates[@]}"; do
    d=${dates[$i]}
    seen=$(faketime -m -f "@$d" date '+%F %R')
    if [[ "$seen" != "${d:0:16}" ]]; then
        echo "test-dates: faketime gives '$seen', not $d" >&2
        exit 2
    fi
    read -ra run <<<"${scenario[$i]}"
    (faketime -m -f "@$d" "$pytest" -q -p no:cacheprovider --chain embedded "${tests[@]}" \
        && faketime -m -f "@$d" "$pytest" -q -p no:cacheprovider --chain "${chains[$i]}" "${run[@]}") >"$logs/$i.log" 2>&1 &
    pids+=($!)
done
rc=0
for i in "${!dates[@]}"; do
    status=0
    wait "${pids[$i]}" || status=$?
    echo "test-dates: the machine's clock at ${dates[$i]} CST: pytest exit $status"
    if (( status != 0 )); then
        cat "$logs/$i.log"
        rc=1
    else
        grep -E "^[0-9]+ passed" "$logs/$i.log" || tail -n 1 "$logs/$i.log"
    fi
done
exit $rc
