#!/usr/bin/env bash
# supervise.sh NAME ENV_FILE SCRIPT: keeps `node SCRIPT` running with the platform's environment.
# supervise.sh NAME --exec COMMAND [ARGS...]: keeps a foreground COMMAND (HAProxy, dnsmasq) running.
# A crash restarts it (with a growing pause if it keeps crashing); SIGTERM stops it gracefully.
set -u
name=$1
if [ "$2" = --exec ]; then
  shift 2
  command=("$@")
else
  env_file=$2 script=$3
  command=()
fi
child=0
stopping=0
on_term() {
  stopping=1
  [ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null
}
trap on_term TERM INT

pause=1
while [ "$stopping" -eq 0 ]; do
  started=$(date +%s)
  if [ ${#command[@]} -gt 0 ]; then
    "${command[@]}" &
  else
    (set -a && . "$env_file" && set +a && exec node --enable-source-maps "$script") &
  fi
  child=$!
  wait "$child"
  rc=$?
  # `wait` returns early when a trapped signal arrives; wait again for the child to finish.
  while kill -0 "$child" 2>/dev/null; do wait "$child"; rc=$?; done
  [ "$stopping" -eq 1 ] && break
  # 78 (EX_CONFIG): the configuration is wrong; restarting cannot fix it.
  if [ "$rc" -eq 78 ]; then echo "[supervise] $name: configuration error, not restarting" >&2; exit 78; fi
  # Only a process that keeps dying at once (a boot that fails) waits longer each time; one that
  # ran for a while and was killed (SIGKILL, the OOM killer) is back after a second, so a push
  # waiting on the worker sees its health checks resume within seconds.
  if [ $(( $(date +%s) - started )) -ge 10 ]; then pause=1; fi
  echo "[supervise] $name exited with status $rc; restarting in ${pause}s" >&2
  sleep "$pause"
  pause=$(( pause < 30 ? pause * 2 : 30 ))
done
echo "[supervise] $name stopped" >&2
