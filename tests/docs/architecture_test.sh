#!/usr/bin/env bash
# ARCHITECTURE.md names every file under src/, each in its own folder's table
# ("### src/core" …), so the map cannot silently fall behind the tree.
# usage: architecture_test.sh SOURCE_DIR
set -uo pipefail
cd "$1" || exit 1
doc=ARCHITECTURE.md
failures=0
while IFS= read -r file; do
    dir=$(dirname "$file")
    name=$(basename "$file")
    if [[ $dir == src ]]; then
        grep -qF "\`$file\`" "$doc" && continue
    else
        # The folder's section: from its "### src/DIR" heading to the next heading.
        section=$(awk -v h="### $dir" '$0 ~ /^##/ { on = (index($0, h) == 1) } on' "$doc")
        grep -qF "\`$name\`" <<<"$section" && continue
    fi
    echo "FAIL: $file is not named in $doc"
    failures=$((failures + 1))
done < <(find src -type f | sort)
[[ $failures -eq 0 ]] && echo "every file under src/ is in $doc"
exit $((failures > 0))
