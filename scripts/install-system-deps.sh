#!/usr/bin/env bash
# Installs the Debian packages the test tiers need: real sshd targets, Debian's
# Chromium for the UI tests, real middleware to probe, peers for benchmarks.
set -euo pipefail
PKGS=(openssh-server sudo signify-openbsd skopeo chromium fonts-noto-cjk postgresql redis-server nginx-light mariadb-server
      ansible-core iproute2 busybox-static openssl procps net-tools kmod xz-utils ca-certificates)
missing=()
for p in "${PKGS[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "install-system-deps: need root to install: ${missing[*]}" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # policy-rc.d keeps Debian's postinst scripts from starting services; tests start their own.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  rm -f /usr/sbin/policy-rc.d
fi
echo "install-system-deps: ok"
