# The "player root": a second Debian sid root filesystem with Godot's export templates and
# what they need to run, and no Python at all, where tests run exported games the way a
# player's machine would (tests/export/). Sourced after tools/_sysroot.sh, not executed.
#
# Made like the sysroot (debootstrap --variant=minbase, then apt-get), from the host's own
# mirror, cached beside it and keyed by tools/player_root.packages. debootstrap's minbase has
# no python3; the templates' packages pull none in; tests/export asserts that no python3 or
# libpython file is in the root.

PLAYER_PACKAGE_LIST="$REPO_ROOT/tools/player_root.packages"
_player_hash() { { echo sid; grep -v '^#' "$PLAYER_PACKAGE_LIST" | sort; } | sha256sum | cut -c1-12; }
PLAYER_ROOT=${GODOT_PY_PLAYER_ROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/godot-python/player-root-$(_player_hash)}
# Where tests find it: the sysroot sees the repository, not the cache.
PLAYER_ROOT_NOTE="$REPO_ROOT/build/player-root.path"

ensure_player_root() {
  if [ ! -f "$PLAYER_ROOT/.complete" ]; then
    [ "$(id -u)" = 0 ] || _fail "the player root (tests/export) needs root to debootstrap" || return 1
    _ensure_debootstrap || return 1
    local mirror; mirror=$(debian_mirror) || return 1
    local tmp="$PLAYER_ROOT.partial"
    rm -rf "$tmp"; mkdir -p "$tmp"
    echo "tools: creating the no-Python player root in $PLAYER_ROOT (once; under a minute)" >&2
    debootstrap --variant=minbase sid "$tmp" "$mirror" >"$tmp.log" 2>&1 || _fail "debootstrap failed, see $tmp.log" || return 1
    local pkgs; pkgs=$(grep -v '^#' "$PLAYER_PACKAGE_LIST" | tr '\n' ' ')
    _chroot_raw "$tmp" sh -c "apt-get ${APT_OPTS[*]} update && DEBIAN_FRONTEND=noninteractive apt-get ${APT_OPTS[*]} install --no-install-recommends $pkgs && apt-get clean && rm -rf /var/lib/apt/lists/*" >>"$tmp.log" 2>&1 \
      || _fail "apt-get install in the player root failed, see $tmp.log" || return 1
    printf 'nameserver 127.0.0.1\n' >"$tmp/etc/resolv.conf"
    touch "$tmp/.complete"
    mv "$tmp" "$PLAYER_ROOT" && rm -f "$tmp.log"
  fi
  mkdir -p "$(dirname "$PLAYER_ROOT_NOTE")" && echo "$PLAYER_ROOT" >"$PLAYER_ROOT_NOTE"
}
