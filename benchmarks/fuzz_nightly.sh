#!/usr/bin/env bash
# Nightly fuzz run: the property tests of tests/test_fuzz.py with a large example budget.
#
#   benchmarks/fuzz_nightly.sh                 # profile "nightly": 5000 examples per test, random seeds
#   HYPOTHESIS_PROFILE=default benchmarks/fuzz_nightly.sh   # the CI budget (~40 s)
#   FUZZ_EXAMPLES=300 benchmarks/fuzz_nightly.sh  # a one-off budget, random seeds
#   benchmarks/fuzz_nightly.sh -k seed         # extra pytest arguments pass through
#
# Expect one to two hours on one core.  Failures are shrunk by hypothesis and printed with the
# minimal text (the "text=" note); the example database under .hypothesis/ replays them on the
# next run, so a bug found at night fails the next CI-sized run on the same machine too.
# Runs at low priority with OMP_THREAD_LIMIT=1 so it can share a machine.
set -uo pipefail
cd "$(dirname "$0")/.."
export HYPOTHESIS_PROFILE="${HYPOTHESIS_PROFILE:-nightly}"
export OMP_THREAD_LIMIT=1
exec nice -n 19 python -m pytest tests/test_fuzz.py -p no:cacheprovider -q --hypothesis-show-statistics "$@"
