"""Colours come only from the palette: a literal colour is allowed only as the value of a custom
property in a `:root` rule (the screen palette in site.css, the print palette in print.css, a future
dark-mode block); every other declaration names its colour with `var(--...)`."""

import re
from pathlib import Path

import pytest

CSS_DIR = Path(__file__).resolve().parents[1] / "static" / "css"

# CSS Color 4 named colours (the grey/gray spellings both count), as the spec lists them.
CSS_COLOUR_NAMES = """
    aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown
    burlywood cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan
    darkgoldenrod darkgray darkgreen darkgrey darkkhaki darkmagenta darkolivegreen darkorange darkorchid
    darkred darksalmon darkseagreen darkslateblue darkslategray darkslategrey darkturquoise darkviolet
    deeppink deepskyblue dimgray dimgrey dodgerblue firebrick floralwhite forestgreen fuchsia gainsboro
    ghostwhite gold goldenrod gray green greenyellow grey honeydew hotpink indianred indigo ivory khaki
    lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan lightgoldenrodyellow
    lightgray lightgreen lightgrey lightpink lightsalmon lightseagreen lightskyblue lightslategray
    lightslategrey lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine
    mediumblue mediumorchid mediumpurple mediumseagreen mediumslateblue mediumspringgreen
    mediumturquoise mediumvioletred midnightblue mintcream mistyrose moccasin navajowhite navy oldlace
    olive olivedrab orange orangered orchid palegoldenrod palegreen paleturquoise palevioletred
    papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red rosybrown royalblue
    saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray slategrey
    snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow
    yellowgreen
"""
NAMED_COLOURS = frozenset(CSS_COLOUR_NAMES.split())
HEX = re.compile(r"#[0-9a-fA-F]{3,8}\b")
COLOUR_FUNCTION = re.compile(r"\b(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color|color-mix|light-dark)\(", re.I)
PALETTE_REFERENCE = re.compile(r"var\(\s*--[\w-]+\s*\)")  # a fallback, var(--x, red), is still checked
STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")
COMMENT = re.compile(r"/\*.*?\*/", re.S)


def declarations(css: str) -> list[tuple[str, str, str]]:
    """Every declaration as (innermost selector or at-rule, property, value)."""
    css = STRING.sub('""', COMMENT.sub("", css))
    found: list[tuple[str, str, str]] = []
    preludes: list[str] = []
    text = ""
    for char in css:
        if char == "{":
            preludes.append(" ".join(text.split()))
            text = ""
        elif char in ";}":
            prelude = preludes[-1] if preludes else ""
            if ":" in text and not prelude.startswith("@"):
                prop, value = text.split(":", 1)
                found.append((prelude, prop.strip(), value.strip()))
            text = ""
            if char == "}" and preludes:
                preludes.pop()
        else:
            text += char
    return found


def literal_colours(css: str) -> list[str]:
    """Declarations that use a colour other than through a palette custom property."""
    problems = []
    for selector, prop, value in declarations(css):
        if selector == ":root" and prop.startswith("--"):
            continue  # the palette itself
        bare = PALETTE_REFERENCE.sub("", value)
        words = {word.lower() for word in re.findall(r"[A-Za-z][\w-]*", bare)}
        if HEX.search(bare) or COLOUR_FUNCTION.search(bare) or words & NAMED_COLOURS:
            problems.append(f"{selector} {{ {prop}: {value} }}")
    return problems


@pytest.mark.parametrize("path", sorted(CSS_DIR.glob("*.css")), ids=lambda path: path.name)
def test_stylesheet_takes_every_colour_from_the_palette(path):
    assert literal_colours(path.read_text(encoding="utf-8")) == []


def test_the_stylesheets_are_checked():
    assert {path.name for path in CSS_DIR.glob("*.css")} >= {"site.css", "print.css"}


@pytest.mark.parametrize(
    "css",
    [
        ".a { color: #fff; }",
        ".a { border: 1px solid #1d4e89 }",
        ".a { background: rgb(0 0 0 / 50%); }",
        ".a { box-shadow: 0 0 2px hsla(0, 0%, 0%, 0.4); }",
        ".a { color: White; }",
        ".a { outline: 2px solid black; }",
        ".a { color: var(--ink, red); }",
        "@media (min-width: 40rem) { .a { fill: oklch(60% 0.1 250); } }",
        ":root { color: #000; }",
        ".theme :root, .x { --ink: #000; }",
    ],
)
def test_a_literal_colour_outside_the_palette_is_found(css):
    assert literal_colours(css)


@pytest.mark.parametrize(
    "css",
    [
        ":root { --ink: #1b2330; --on-brand: white; }",
        "@media (prefers-color-scheme: dark) { :root { --ink: rgb(240 240 240); } }",
        ".a { color: var(--ink); border: 1px solid var( --line ); white-space: nowrap; }",
        '.a::before { content: "red #fff"; } /* black */',
        ".a { background: linear-gradient(135deg, var(--brand) 60%, var(--accent) 60%); }",
        ".a { border-color: transparent; color: currentColor; }",
    ],
)
def test_palette_colours_and_other_values_pass(css):
    assert literal_colours(css) == []
