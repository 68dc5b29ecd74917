# Shared by tools/*: where the Debian sid sysroot lives, how it is made, how commands run in it.
# Sourced, not executed. Every function prints one clear line and returns non-zero on failure.

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PACKAGE_LIST="$REPO_ROOT/tools/sysroot.packages"
# apt inside sid refuses the mirror's Release file as expired: its copy is weeks old.
APT_OPTS=(-o Acquire::Check-Valid-Until=false -o APT::Get::Assume-Yes=true -o Dpkg::Use-Pty=0)

_package_hash() { grep -v '^#' "$PACKAGE_LIST" | sort | sha256sum | cut -c1-12; }

# The sysroot is keyed by its package list, so a changed list builds a fresh one instead of
# running tests in a stale tree. It lives outside the clone so fresh clones reuse it.
SYSROOT=${GODOT_PY_SYSROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/godot-python/sysroot-$(_package_hash)}

# The Debian 12 build root: the bridge and the addon's Python runtime are built there, so every
# native file the addon ships needs glibc 2.36 at most, whatever the host is.
BUILDROOT_SUITE=bookworm
BUILDROOT_PACKAGE_LIST="$REPO_ROOT/tools/buildroot.packages"
_buildroot_hash() { { echo "$BUILDROOT_SUITE"; grep -v '^#' "$BUILDROOT_PACKAGE_LIST" | sort; } | sha256sum | cut -c1-12; }
BUILDROOT=${GODOT_PY_BUILDROOT:-${XDG_CACHE_HOME:-$HOME/.cache}/godot-python/buildroot-$BUILDROOT_SUITE-$(_buildroot_hash)}

_fail() { echo "tools: $*" >&2; return 1; }

# Every archive URI the host's own apt sources name: deb822 files (URIs: a b ...) and
# one-line sources.list entries (deb [options] URI suite components).
_host_apt_uris() {
  local f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] && awk 'tolower($1)=="uris:" { for (i = 2; i <= NF; i++) print $i }' "$f"
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] && awk '$1=="deb" { for (i = 2; i <= NF; i++) if ($i ~ /:\/\//) { print $i; break } }' "$f"
  done
}

# The Debian mirror (and its security archive, if the host names one) that the host uses.
# DEBIAN_MIRROR / DEBIAN_SECURITY_MIRROR override them on a host whose sources are not Debian's.
debian_mirror() {
  local m=${DEBIAN_MIRROR:-$(_host_apt_uris | grep -v -- '-security/*$' | grep -m1 '/debian/*$')}
  [ -n "$m" ] || _fail "the host's apt sources name no Debian mirror (an URI ending in /debian); set DEBIAN_MIRROR" || return 1
  echo "${m%/}"
}
debian_security_mirror() {
  echo "${DEBIAN_SECURITY_MIRROR:-$(_host_apt_uris | grep -m1 -- '-security/*$' | sed 's:/*$::')}"
}

_ensure_debootstrap() {
  command -v debootstrap >/dev/null && return 0
  command -v apt-get >/dev/null || _fail "no debootstrap and no apt-get: install debootstrap" || return 1
  echo "tools: installing debootstrap on the host" >&2
  apt-get update -qq >/dev/null && apt-get install -y -qq debootstrap >/dev/null || _fail "apt-get install debootstrap failed"
}

ensure_sysroot() {
  [ -f "$SYSROOT/.complete" ] && return 0
  [ "$(id -u)" = 0 ] || _fail "no Godot >= 4.3 on PATH and not root: install Godot 4.3+ (and python3-dev, scons, pytest) or run as root to build the Debian sid sysroot" || return 1
  _ensure_debootstrap || return 1
  local mirror; mirror=$(debian_mirror) || return 1
  local tmp="$SYSROOT.partial"
  rm -rf "$tmp"; mkdir -p "$tmp"
  echo "tools: creating the Debian sid sysroot in $SYSROOT (once; about two minutes)" >&2
  debootstrap --variant=minbase sid "$tmp" "$mirror" >"$tmp.log" 2>&1 || _fail "debootstrap failed, see $tmp.log" || return 1
  local pkgs; pkgs=$(grep -v '^#' "$PACKAGE_LIST" | tr '\n' ' ')
  _chroot_raw "$tmp" sh -c "apt-get ${APT_OPTS[*]} update && DEBIAN_FRONTEND=noninteractive apt-get ${APT_OPTS[*]} install --no-install-recommends $pkgs && apt-get clean" >>"$tmp.log" 2>&1 \
    || _fail "apt-get install in the sysroot failed, see $tmp.log" || return 1
  # Tests must never reach the host's resolver: unknown names fail at once on loopback.
  printf 'nameserver 127.0.0.1\n' >"$tmp/etc/resolv.conf.loopback"
  touch "$tmp/.complete"
  mv "$tmp" "$SYSROOT" && rm -f "$tmp.log"
}

# Run a command in a chroot with private mounts: /proc, /dev, the repository at its own path.
_chroot_raw() {
  local root=$1; shift
  unshare --mount --fork -- bash -c '
    root=$1; repo=$2; resolv=$3; shift 3
    mount --make-rprivate / 2>/dev/null
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mkdir -p "$root$repo" && mount --bind "$repo" "$root$repo"
    # The player root (tests/export) at its own path, when it exists.
    if [ -n "${EXTRA_BIND:-}" ] && [ -d "$EXTRA_BIND" ]; then mkdir -p "$root$EXTRA_BIND" && mount --bind "$EXTRA_BIND" "$root$EXTRA_BIND"; fi
    if [ "$resolv" = loopback ]; then mount --bind "$root/etc/resolv.conf.loopback" "$root/etc/resolv.conf"
    else cp /etc/resolv.conf "$root/etc/resolv.conf"; fi
    cd "$root$PWD" 2>/dev/null || cd "$root$repo"
    exec chroot "$root" bash -c "cd \"$PWD_IN\" 2>/dev/null || cd \"$repo\"; exec \"\$@\"" bash "$@"
  ' bash "$root" "$REPO_ROOT" "${RESOLV_MODE:-host}" "$@"
}

# Run a command inside the sysroot, from the caller's folder, with loopback-only name resolution.
in_sysroot() {
  ensure_sysroot || return 1
  EXTRA_BIND=$(cat "$REPO_ROOT/build/player-root.path" 2>/dev/null) PWD_IN=$PWD RESOLV_MODE=loopback _chroot_raw "$SYSROOT" env -u PYTHONPATH -u PYTHONHOME \
    HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}

# A Godot >= 4.3 on the host PATH is used as it is; otherwise everything runs in the sysroot.
host_godot() {
  local g; g=$(command -v godot 2>/dev/null) || return 1
  local v; v=$("$g" --version 2>/dev/null | head -n1)
  case "$v" in 4.[3-9]*|4.[1-9][0-9]*|[5-9].*) echo "$g" ;; *) return 1 ;; esac
}

# Where build and test commands run: "host" or "sysroot".
run_mode() { if [ -n "${GODOT_PY_FORCE_SYSROOT:-}" ] || ! host_godot >/dev/null; then echo sysroot; else echo host; fi; }

run_tool() { if [ "$(run_mode)" = host ]; then "$@"; else in_sysroot "$@"; fi; }

ensure_buildroot() {
  [ -f "$BUILDROOT/.complete" ] && return 0
  [ "$(id -u)" = 0 ] || _fail "building needs the Debian $BUILDROOT_SUITE build root, which needs root to create (debootstrap, chroot)" || return 1
  _ensure_debootstrap || return 1
  local mirror security; mirror=$(debian_mirror) || return 1; security=$(debian_security_mirror)
  local tmp="$BUILDROOT.partial"
  rm -rf "$tmp"; mkdir -p "$tmp"
  echo "tools: creating the Debian $BUILDROOT_SUITE build root in $BUILDROOT (once; about two minutes)" >&2
  debootstrap --variant=minbase "$BUILDROOT_SUITE" "$tmp" "$mirror" >"$tmp.log" 2>&1 || _fail "debootstrap failed, see $tmp.log" || return 1
  {
    echo "deb $mirror $BUILDROOT_SUITE main"
    echo "deb $mirror $BUILDROOT_SUITE-updates main"
    [ -n "$security" ] && echo "deb $security $BUILDROOT_SUITE-security main"
  } >"$tmp/etc/apt/sources.list"
  local pkgs; pkgs=$(grep -v '^#' "$BUILDROOT_PACKAGE_LIST" | tr '\n' ' ')
  _chroot_raw "$tmp" sh -c "apt-get ${APT_OPTS[*]} update && apt-get ${APT_OPTS[*]} dist-upgrade && DEBIAN_FRONTEND=noninteractive apt-get ${APT_OPTS[*]} install --no-install-recommends $pkgs && apt-get clean" >>"$tmp.log" 2>&1 \
    || _fail "apt-get install in the build root failed, see $tmp.log" || return 1
  touch "$tmp/.complete"
  mv "$tmp" "$BUILDROOT" && rm -f "$tmp.log"
}

# Run a command inside the build root, from the caller's folder (the host's resolver: apt needs it).
in_buildroot() {
  ensure_buildroot || return 1
  PWD_IN=$PWD RESOLV_MODE=host _chroot_raw "$BUILDROOT" env -u PYTHONPATH -u PYTHONHOME \
    HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}
