#!/bin/sh
# A plugin harness in plain sh. Its "plugin" starts a worker and a scratch folder in
# start(), and stop() forgets both: leakaudit reports the worker and the folder.
set -eu

start() {
    scratch=$(mktemp -d /tmp/plugin-demo-XXXXXX)
    echo "cache" > "$scratch/cache.db"
    sleep 300 &          # the plugin's worker
    worker=$!
    echo "plugin started (worker $worker, scratch $scratch)"
}

stop() {
    # Forgotten: kill "$worker"; wait "$worker"; rm -rf "$scratch"
    echo "plugin stopped"
}

start
stop
