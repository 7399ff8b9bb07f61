#!/usr/bin/env bash
# Stops what start.sh started (by the pids it recorded) and removes the env file so the
# integration tests skip instead of failing against dead servers. Data stays in $STATE.
set -uo pipefail
STATE="${GAZETTE_TEST_SERVERS_STATE:-/tmp/gazette-test-servers}"
ENV_FILE="${GAZETTE_TEST_SERVERS_ENV:-/tmp/gazette-test-servers.env}"
stop_pid_file() {
  local file=$1
  [ -f "$file" ] || return 0
  local pid; pid=$(cat "$file")
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    # php -S with PHP_CLI_SERVER_WORKERS forks workers that outlive their parent and keep the
    # port: stop the children the recorded process has, by their parent's pid, with it.
    local pids; pids="$pid $(pgrep -P "$pid" | tr '\n' ' ')"
    # shellcheck disable=SC2086 # one pid a word
    kill $pids 2>/dev/null
    for p in $pids; do
      for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
    done
  fi
  rm -f "$file"
}
stop_pid_file "$STATE/php-server.pid"
stop_pid_file "$STATE/sshd.pid"
stop_pid_file "$STATE/mysqld.pid"
rm -f "$ENV_FILE"
echo "[test-servers] stopped" >&2
