#!/usr/bin/env bash
# npm run check:feeds — serve the demo data and check every feed with clients nobody here wrote:
# xmllint (well-formed XML), python feedparser (/usr/bin/python3, bozo 0, every field present)
# and newsboat (items in its cache, nothing in its error log). Not part of npm test.
# Needs: xmllint (libxml2-utils), python3-feedparser, newsboat — `apt-get install -y libxml2-utils python3-feedparser newsboat`.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in xmllint newsboat curl; do
  command -v "$tool" >/dev/null || { echo "check:feeds: $tool is missing (apt-get install -y libxml2-utils newsboat curl)" >&2; exit 2; }
done
/usr/bin/python3 -c 'import feedparser' 2>/dev/null || { echo "check:feeds: python3-feedparser is missing (apt-get install -y python3-feedparser)" >&2; exit 2; }

PORTAL_PORT=${PORTAL_PORT:-18191}
PORT=${PORT:-18190}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

npm run build --silent
node dist/cli.js replay --site examples/portal --port "$PORTAL_PORT" >"$work/replay.log" 2>&1 &
pids+=($!)
cat >"$work/config.yaml" <<YAML
server: { port: $PORT, publicUrl: "http://127.0.0.1:$PORT" }
store: { redisUrl: null, dataDir: $work/data }
feed: { title: "Tin tức tỉnh Quảng Trị", description: "Kiểm tra nguồn tin", language: vi, maxItems: 50 }
tagging: { taxonomyFile: $PWD/config/categories.yaml }
sources:
  - id: quangtri
    name: "Cổng Thông tin điện tử tỉnh Quảng Trị"
    baseUrl: "http://127.0.0.1:$PORTAL_PORT"
    sections: [{ id: tin-tuc, name: "Tin tức - Sự kiện", url: /tin-tuc }]
    http: { delayMs: 0 }
YAML
for _ in $(seq 1 50); do curl -fs "http://127.0.0.1:$PORTAL_PORT/robots.txt" >/dev/null && break; sleep 0.1; done
LOG_LEVEL=warn node dist/cli.js crawl --config "$work/config.yaml"
LOG_LEVEL=warn node dist/cli.js serve --config "$work/config.yaml" --no-initial-crawl >"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

base="http://127.0.0.1:$PORT"
# OPML lists each channel's RSS feed; its Atom and JSON twins sit beside it.
mapfile -t rss < <(curl -fs "$base/opml.xml" | grep -o 'xmlUrl="[^"]*"' | sed 's/xmlUrl="//; s/"$//; s/&amp;/\&/g')
feeds=()
for url in "${rss[@]}"; do feeds+=("$url" "${url%feed.xml}atom.xml" "${url%feed.xml}feed.json"); done
[ "${#feeds[@]}" -gt 0 ] || { echo "check:feeds: /opml.xml lists no feeds" >&2; exit 1; }
fail=0
for url in "${feeds[@]}"; do
  path=${url#http://127.0.0.1:$PORT}
  file="$work/$(echo "$path" | tr '/' '_')"
  curl -fs "$base$path" -o "$file"
  case "$path" in
    *.json) /usr/bin/python3 - "$file" "$path" <<'PY' || fail=1
# Debian's feedparser 6.0 reads no JSON Feed: check JSON Feed 1.1 by its spec instead.
import json, sys
from datetime import datetime
d = json.load(open(sys.argv[1], encoding='utf-8'))
problems = []
if d.get('version') != 'https://jsonfeed.org/version/1.1': problems.append('version is not 1.1')
for field in ('title', 'home_page_url', 'feed_url', 'language', 'items'):
    if field not in d: problems.append(f'feed lacks {field}')
for i in d.get('items', []):
    for field in ('id', 'url', 'title', 'content_html', 'summary', 'date_published', 'date_modified', 'authors', 'tags'):
        if not i.get(field): problems.append(f"item {i.get('url')} lacks {field}")
    for field in ('date_published', 'date_modified'):
        try: datetime.fromisoformat(i.get(field, '').replace('Z', '+00:00'))
        except ValueError: problems.append(f"item {i.get('url')}: {field} is not RFC 3339")
print(('FAIL' if problems else 'ok  ') + f" json     {sys.argv[2]} ({len(d.get('items', []))} items)")
for p in problems[:5]: print('     ' + p)
sys.exit(1 if problems else 0)
PY
      continue ;;
    *) xmllint --noout "$file" && echo "ok   xmllint  $path" || { echo "FAIL xmllint  $path"; fail=1; } ;;
  esac
  /usr/bin/python3 - "$file" "$path" <<'PY' || fail=1
import sys, feedparser
path, name = sys.argv[1], sys.argv[2]
kind = 'application/feed+json' if name.endswith('.json') else 'application/xml'
d = feedparser.parse(open(path, 'rb').read(), response_headers={'content-type': kind})
problems = []
if d.bozo: problems.append(f"bozo: {d.bozo_exception!r}")
if not d.feed.get('title'): problems.append('feed has no title')
if True:
    for e in d.entries:
        for field in ('title', 'link', 'id', 'published_parsed', 'updated_parsed', 'summary', 'author', 'tags'):
            if not e.get(field): problems.append(f"entry {e.get('link')} lacks {field}")
        if not e.get('content'): problems.append(f"entry {e.get('link')} lacks content")
print(("FAIL" if problems else "ok  ") + f" feedparser {name} ({len(d.entries)} entries)")
for p in problems[:5]: print("     " + p)
sys.exit(1 if problems else 0)
PY
done

# newsboat: reload every XML feed into a fresh cache, then count the items it stored.
printf '%s\n' "${feeds[@]}" | grep -v '\.json$' >"$work/urls"
printf 'error-log "%s"\n' "$work/newsboat-errors.log" >"$work/newsboat.conf"
newsboat -u "$work/urls" -c "$work/cache.db" -C "$work/newsboat.conf" -x reload >/dev/null 2>&1 || true
items=$(/usr/bin/python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from rss_item").fetchone()[0])' "$work/cache.db")
errors=$( [ -s "$work/newsboat-errors.log" ] && cat "$work/newsboat-errors.log" || true )
if [ "$items" -gt 0 ] && [ -z "$errors" ]; then echo "ok   newsboat $items items from ${#feeds[@]} feeds"; else echo "FAIL newsboat: $items items; errors: $errors"; fail=1; fi

[ "$fail" -eq 0 ] && echo "check:feeds: all feeds pass" || { echo "check:feeds: some feeds failed" >&2; exit 1; }
