#!/usr/bin/env bash
# The scan step of the soc2scan GitHub Action (action.yml), kept here so it can be
# run and tested outside GitHub. It reads the action's inputs from INPUT_* variables
# and writes:
#   - the SARIF log to $INPUT_SARIF_FILE (one run per target kind, for
#     github/codeql-action/upload-sarif);
#   - a Markdown summary (findings by severity and criterion) to $GITHUB_STEP_SUMMARY;
#   - the report in $INPUT_FORMAT to stdout (default `github`: workflow annotations);
#   - `exit-code` and `sarif-file` to $GITHUB_OUTPUT.
# It exits 0 when the scan ran (findings or not; action.yml fails the job on
# `exit-code` after the SARIF upload), and with soc2scan's code when it could not run.
#
# Inputs (all optional): INPUT_PATHS (whitespace/newline separated, default "."),
# INPUT_FORMAT, INPUT_FAIL_ON, INPUT_LEVEL, INPUT_BASELINE, INPUT_CONFIG,
# INPUT_CHANGED_SINCE, INPUT_CATEGORY, INPUT_SARIF_FILE (default soc2scan.sarif), INPUT_SUMMARY
# (true/false, default true). SOC2SCAN_BIN overrides the soc2scan binary.
set -uo pipefail

bin=${SOC2SCAN_BIN:-soc2scan}
format=${INPUT_FORMAT:-github}
fail_on=${INPUT_FAIL_ON:-low}
sarif=${INPUT_SARIF_FILE:-soc2scan.sarif}
summary=${INPUT_SUMMARY:-true}

# Word splitting on whitespace and newlines only; no glob expansion of user input.
set -f
# shellcheck disable=SC2206
paths=(${INPUT_PATHS:-.})
set +f
if [ ${#paths[@]} -eq 0 ]; then
  paths=(.)
fi

common=(--fail-on "$fail_on")
if [ -n "${INPUT_LEVEL:-}" ]; then
  common+=(--level "$INPUT_LEVEL")
fi
if [ -n "${INPUT_BASELINE:-}" ]; then
  common+=(--baseline "$INPUT_BASELINE")
fi
if [ -n "${INPUT_CONFIG:-}" ]; then
  common+=(--config "$INPUT_CONFIG")
fi
if [ -n "${INPUT_CHANGED_SINCE:-}" ]; then
  common+=(--changed-since "$INPUT_CHANGED_SINCE")
fi

fail() {
  # A workflow error annotation, then soc2scan's own exit code.
  echo "::error title=soc2scan::$1"
  exit "$2"
}

category=()
if [ -n "${INPUT_CATEGORY:-}" ]; then
  category=(--category "$INPUT_CATEGORY")
fi

"$bin" scan "${common[@]}" "${category[@]}" --quiet --format sarif --output "$sarif" -- "${paths[@]}"
rc=$?
if [ "$rc" -gt 1 ]; then
  fail "the scan could not run (exit code $rc); see the log above" "$rc"
fi

if [ "$summary" = "true" ] && [ -n "${GITHUB_STEP_SUMMARY:-}" ]; then
  "$bin" scan "${common[@]}" --format markdown -- "${paths[@]}" >>"$GITHUB_STEP_SUMMARY"
  src=$?
  if [ "$src" -gt 1 ]; then
    fail "writing the job summary failed (exit code $src)" "$src"
  fi
fi

"$bin" scan "${common[@]}" --format "$format" -- "${paths[@]}"
rc=$?
if [ "$rc" -gt 1 ]; then
  fail "the scan could not run (exit code $rc); see the log above" "$rc"
fi

if [ -n "${GITHUB_OUTPUT:-}" ]; then
  {
    echo "exit-code=$rc"
    echo "sarif-file=$sarif"
  } >>"$GITHUB_OUTPUT"
fi
exit 0
