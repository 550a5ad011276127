#!/usr/bin/env python3
"""Checks Console/tokens/tokens.json, the design tokens the console and the mobile apps share
(docs/design-tokens.md): every token has a $value of its $type's form, and every text and
control colour pair the UI uses meets WCAG 2.2 AA contrast (4.5:1 text, 3:1 controls), in the
light theme and in the dark one (dark.color.* overriding color.*)."""
import json
import re
import sys
from pathlib import Path

TOKENS = Path(__file__).resolve().parent.parent / "Console" / "tokens" / "tokens.json"

FORMS = {
    "color": lambda v: isinstance(v, str) and re.fullmatch(r"#[0-9a-f]{6}", v),
    "dimension": lambda v: isinstance(v, str) and re.fullmatch(r"\d+(\.\d+)?px", v),
    "duration": lambda v: isinstance(v, str) and re.fullmatch(r"\d+ms", v),
    "fontFamily": lambda v: isinstance(v, list) and v and all(isinstance(f, str) and f for f in v),
    "fontWeight": lambda v: isinstance(v, int) and 100 <= v <= 900,
    "number": lambda v: isinstance(v, (int, float)) and v > 0,
}

# (foreground, background, minimum ratio): the pairs the console draws
PAIRS = [
    ("color.text.primary", "color.surface.background", 4.5),
    ("color.text.primary", "color.surface.card", 4.5),
    ("color.text.secondary", "color.surface.card", 4.5),
    ("color.text.secondary", "color.surface.background", 4.5),
    ("color.text.link", "color.surface.card", 4.5),
    ("color.text.link-visited", "color.surface.card", 4.5),
    ("color.text.inverse", "color.brand.primary", 4.5),
    ("color.text.inverse", "color.brand.primary-hover", 4.5),
    ("color.text.inverse", "color.feedback.danger", 4.5),
    ("color.text.inverse", "color.feedback.success", 4.5),
    ("color.text.on-highlight", "color.feedback.warning-fill", 4.5),
    ("color.text.on-highlight", "color.focus.ring", 4.5),
    ("color.brand.primary", "color.surface.card", 4.5),  # secondary buttons' words, chart bars
    ("color.brand.primary-hover", "color.surface.card", 4.5),
    ("color.feedback.danger", "color.surface.card", 3.0),  # error summary border
    ("color.feedback.success", "color.surface.card", 4.5),  # success messages
    ("color.surface.border-strong", "color.surface.background", 3.0),
    ("color.chrome.text", "color.chrome.header", 4.5),
    ("color.chrome.text", "color.chrome.nav", 4.5),
    ("color.focus.outline", "color.focus.ring", 3.0),
    ("color.surface.border-strong", "color.surface.card", 3.0),
] + [(f"color.status.{s}", "color.surface.card", 4.5) for s in ("booked", "completed", "cancelled", "no-show", "pending")] \
  + [("color.text.inverse", f"color.status.{s}", 4.5) for s in ("booked", "completed", "cancelled", "no-show", "pending")]


def leaves(node, path, inherited_type):
    """Yields (dotted name, $type, $value) of every token under node."""
    kind = node.get("$type", inherited_type)
    if "$value" in node:
        yield ".".join(path), kind, node["$value"]
        return
    for key, child in node.items():
        if not key.startswith("$"):
            if not isinstance(child, dict):
                raise SystemExit(f"check-tokens: {'.'.join(path + [key])} is not a token group or token")
            yield from leaves(child, path + [key], kind)


def luminance(hex_colour):
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a, b):
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def main():
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else TOKENS
    tokens = json.loads(path.read_text(encoding="utf-8"))
    values, failures, checks = {}, [], 0
    for name, kind, value in leaves(tokens, [], None):
        checks += 1
        form = FORMS.get(kind)
        if form is None or not form(value):
            failures.append(f"{name}: {value!r} is not a {kind}")
        values[name] = value
    # The dark theme: dark.color.x overrides color.x; every pair is checked in both themes.
    dark = {name[len("dark."):]: value for name, value in values.items() if name.startswith("dark.")}
    for name in dark:
        if name not in values:
            failures.append(f"dark.{name}: overrides no light token")
    for theme, palette in (("light", values), ("dark", {**values, **dark})):
        for foreground, background, minimum in PAIRS:
            checks += 1
            if foreground not in palette or background not in palette:
                failures.append(f"{foreground} on {background}: token missing")
                continue
            ratio = contrast(palette[foreground], palette[background])
            if ratio < minimum:
                failures.append(f"{theme}: {foreground} on {background}: contrast {ratio:.2f}:1, needs {minimum}:1")
    for failure in failures:
        print(f"check-tokens: {failure}", file=sys.stderr)
    print(f"check-tokens: {checks - len(failures)} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
