#!/usr/bin/env bash
# The action's last step: fails with leakaudit's exit code (README "Exit codes").
set -euo pipefail
code=${EXIT_CODE:-}
if [ -z "$code" ]; then
  echo "::error title=leakaudit::the audit did not run (see the steps above)"
  exit 4
fi
exit "$code"
