#!/usr/bin/env bash
# Checks the web console (docs/console.md): styles/tokens.css matches tokens.json, the CSS holds
# no colour or size literal outside the generated tokens, the JavaScript type-checks
# (tsc --checkJs --noEmit, strict, from Debian's node-typescript), and the JS and CSS together
# stay within 100 KB uncompressed (CONTRACT.md §9.7).
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=$((100 * 1024))
failed=0

python3 scripts/gen-tokens-css.py --check || failed=1

# Colours (#rgb, rgb(), hsl()) and lengths (px, rem, em, pt, vw, vh) belong in tokens.json only.
literals=$(grep -nE '#[0-9a-fA-F]{3,8}\b|\b(rgba?|hsla?)\(|[0-9](px|rem|em|pt|vw|vh)\b' \
  $(find Console/styles Console/components -name '*.css' ! -name tokens.css) || true)
if [ -n "$literals" ]; then
  echo "check-console: colour or size literals in CSS (use a token from Console/tokens/tokens.json):" >&2
  echo "$literals" >&2
  failed=1
fi

# No inline scripts or styles in the HTML (the CSP refuses them).
if grep -nE '<script>|<script[^>]*>[^<]+</script>|<style|\sstyle=|\son[a-z]+=' Console/index.html >&2; then
  echo "check-console: inline script or style in Console/index.html" >&2
  failed=1
fi

if ! command -v tsc >/dev/null; then
  echo "check-console: tsc not found; run scripts/ensure-deps.sh --test (Debian's node-typescript)" >&2
  failed=1
elif tsc --checkJs --noEmit -p Console/jsconfig.json; then
  echo "check-console: tsc --checkJs --noEmit passed"
else
  echo "check-console: tsc --checkJs found type errors" >&2
  failed=1
fi

size=$(find Console -type f \( -name '*.js' -o -name '*.css' \) -print0 | xargs -0 cat | wc -c)
if [ "$size" -gt "$BUDGET" ]; then
  echo "check-console: JS+CSS is $size bytes, over the budget of $BUDGET" >&2
  failed=1
else
  echo "check-console: JS+CSS is $size bytes of $BUDGET"
fi

exit "$failed"
