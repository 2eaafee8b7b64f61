#!/bin/sh
# A plugin harness whose plugin starts headless Chromium (as Puppeteer or a PDF
# renderer would) and whose stop() forgets to close it: the whole browser tree, its
# crashpad handlers and its profile folder are left behind.
#   leakaudit run --rules chromium -- sh examples/shell/leak-browser.sh
set -eu
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome) || {
    echo "no Chromium here (apt-get install chromium)" >&2
    exit 2
}
profile=$(mktemp -d "${TMPDIR:-/tmp}/plugin-browser-XXXXXX")
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --user-data-dir="$profile" --remote-debugging-port=0 about:blank \
    >/dev/null 2>&1 &
# start(): wait until the browser listens (DevToolsActivePort appears), up to 20 s.
i=0
while [ ! -s "$profile/DevToolsActivePort" ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i + 1)); done
echo "plugin started: browser on port $(head -1 "$profile/DevToolsActivePort" 2>/dev/null)"
# stop(): forgotten: kill the browser, wait for it, rm -rf "$profile"
echo "plugin stopped"
