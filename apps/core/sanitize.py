"""The one place where HTML from content files or the admin is made safe.

Everything that came from Markdown goes through `sanitize_html()` once, when it is loaded or saved;
requests only ever read the stored, clean result. Bleach no longer gets feature releases: keeping it
behind this function makes a later switch (for example to nh3) a one-file change.
"""

import bleach
import markdown

HTML_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn", "div", "dl",
    "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "hr", "i", "kbd", "li", "mark", "ol", "p",
    "pre", "q", "s", "small", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "u", "ul", "bdi",
}  # fmt: skip
SVG_TAGS = {
    "svg", "g", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text", "tspan",
    "title", "desc",
}  # fmt: skip
SVG_ATTRIBUTES = [
    "class", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height",
    "points", "d", "transform", "text-anchor", "dominant-baseline", "font-size", "font-weight",
    "dx", "dy", "aria-hidden",
]  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "hreflang", "lang", "class"],
    "abbr": ["title"],
    "th": ["scope", "colspan", "rowspan"],
    "td": ["colspan", "rowspan"],
    "figure": ["class"],
    "div": ["class"],
    "table": ["class"],
    "ol": ["start"],
    "svg": ["viewBox", "role", "aria-label", "class", "width", "height", "focusable"],
    **dict.fromkeys(SVG_TAGS - {"svg"}, SVG_ATTRIBUTES),
}
# https only: we never send a reader over an unencrypted link.
ALLOWED_PROTOCOLS = {"https", "mailto"}


def sanitize_html(html: str) -> str:
    """Return `html` reduced to the allowlist: no scripts, event handlers, styles or unsafe URLs."""
    return bleach.clean(
        html,
        tags=HTML_TAGS | SVG_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
    )


def markdown_to_html(text: str) -> str:
    """Markdown (with tables) to sanitised HTML. Call at load or save time, never per request."""
    return sanitize_html(markdown.markdown(text, extensions=["tables", "sane_lists"]))
