#!/usr/bin/env bash
# README command one: installs what is needed, then runs the bot on the embedded default
# (config.example.json: the weechat log in examples/, a Markdown blog in example-blog/, SQLite state
# in threadpress.sqlite). Run it again and nothing is promoted, published or announced twice.
set -euo pipefail
cd "$(dirname "$0")/.."

Scripts/install-dependencies.sh
swift build -c release --product threadpress --static-swift-stdlib 2>&1 | tail -n 1
bot=.build/release/threadpress

echo "== threadpress run --config config.example.json --once"
"$bot" run --config config.example.json --once --answer-old-commands

# A reader comments on the published post, as Staticman would commit it; the next run mirrors it.
post=$(ls example-blog/_posts/*.md 2>/dev/null | head -n 1 || true)
if [ -n "$post" ]; then
  slug=$(basename "$post" .md | cut -d- -f4-)
  mkdir -p "example-blog/_data/comments/$slug"
  comment="example-blog/_data/comments/$slug/comment-1.json"
  if [ ! -f "$comment" ]; then
    cat > "$comment" <<'JSON'
{ "_id": "c0ffee01", "name": "David Glow", "date": "2026-11-27T12:57:00Z",
  "message": "Absolutely. Ask them how often the answer was <em>have you talked to…</em>" }
JSON
  fi
  echo "== a reader commented; threadpress run --once again mirrors it into the channel"
  "$bot" run --config config.example.json --once --answer-old-commands
fi

echo "== the blog folder:"
find example-blog -type f | sort
if [ -n "$post" ]; then
  echo "== $post:"
  cat "$post"
fi
