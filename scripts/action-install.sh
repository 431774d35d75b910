#!/usr/bin/env bash
# The install step of the soc2scan GitHub Action (action.yml): makes `soc2scan`
# available on PATH.
#
#   INPUT_INSTALL=path  (default) build the action's own source ($GITHUB_ACTION_PATH,
#                       or $SOC2SCAN_SOURCE) with `cargo install --locked --path`;
#   INPUT_INSTALL=git   `cargo install --locked --git $INPUT_REPOSITORY` at
#                       $INPUT_VERSION (a tag, branch or commit; default: the default branch);
#   INPUT_INSTALL=none  use the soc2scan already on PATH.
#
# The binary goes to $SOC2SCAN_ROOT/bin (default ~/.cargo), which action.yml caches
# together with ~/.cargo/registry and the target directory ($CARGO_TARGET_DIR); a
# cached binary of the same source is reused without building.
set -euo pipefail

mode=${INPUT_INSTALL:-path}
root=${SOC2SCAN_ROOT:-$HOME/.cargo}
stamp="$root/.soc2scan-source"

case "$mode" in
  none)
    command -v soc2scan >/dev/null || {
      echo "::error title=soc2scan::install: none, but soc2scan is not on PATH"
      exit 2
    }
    ;;
  path)
    src=${SOC2SCAN_SOURCE:-${GITHUB_ACTION_PATH:-}}
    if [ -z "$src" ] || [ ! -f "$src/Cargo.toml" ]; then
      echo "::error title=soc2scan::install: path, but no Cargo.toml in '$src'"
      exit 2
    fi
    key="path:$(cat "$src/Cargo.toml" "$src/Cargo.lock" | sha256sum | cut -c1-16):$(find "$src/src" "$src/crates" "$src/rules" -type f -print0 | sort -z | xargs -0 cat | sha256sum | cut -c1-16)"
    if [ -x "$root/bin/soc2scan" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ]; then
      echo "soc2scan: using the cached build ($key)"
    else
      cargo install --locked --force --root "$root" --path "$src"
      echo "$key" >"$stamp"
    fi
    ;;
  git)
    repo=${INPUT_REPOSITORY:-https://github.com/soc2scan/soc2scan}
    version=${INPUT_VERSION:-}
    args=(--git "$repo")
    if [[ "$version" =~ ^[0-9a-f]{40}$ ]]; then
      args+=(--rev "$version")
    elif [[ "$version" =~ ^v[0-9] ]]; then
      args+=(--tag "$version")
    elif [ -n "$version" ]; then
      args+=(--branch "$version")
    fi
    key="git:$repo@$version"
    # A tag or commit never changes; a branch is rebuilt every time.
    if [[ "$version" =~ ^([0-9a-f]{40}|v[0-9].*)$ ]] && [ -x "$root/bin/soc2scan" ] \
      && [ "$(cat "$stamp" 2>/dev/null)" = "$key" ]; then
      echo "soc2scan: using the cached build ($key)"
    else
      cargo install --locked --force --root "$root" "${args[@]}" soc2scan
      echo "$key" >"$stamp"
    fi
    ;;
  *)
    echo "::error title=soc2scan::install must be path, git or none, not '$mode'"
    exit 2
    ;;
esac

if [ -n "${GITHUB_PATH:-}" ]; then
  echo "$root/bin" >>"$GITHUB_PATH"
fi
"$root/bin/soc2scan" --version 2>/dev/null || soc2scan --version
