#!/usr/bin/env bash
# Starts an app instance the way Cloud Foundry's launcher does: from the app directory, with every
# profile.d script sourced (buildpacks', the droplet's, the app's own .profile.d and .profile),
# then the start command through bash -c.   usage: launcher.sh "<start command>"
export HOME=/home/vcap/app
export DEPS_DIR=/home/vcap/deps
export TMPDIR=${TMPDIR:-/home/vcap/tmp}
# The container's own address is known only inside it (Docker lists it in /etc/hosts).
if [ -z "${CF_INSTANCE_INTERNAL_IP:-}" ] && [ -r /etc/hosts ]; then
  CF_INSTANCE_INTERNAL_IP=$(awk -v h="${HOSTNAME:-}" '$2 == h { print $1; exit }' /etc/hosts)
  export CF_INSTANCE_INTERNAL_IP
fi
cd "$HOME" || exit 1
for f in "$DEPS_DIR"/*/profile.d/*.sh /home/vcap/profile.d/*.sh "$HOME"/.profile.d/*.sh; do
  # shellcheck disable=SC1090
  [ -f "$f" ] && . "$f"
done
# shellcheck disable=SC1091
[ -f "$HOME/.profile" ] && . "$HOME/.profile"
exec bash -c "$1"
