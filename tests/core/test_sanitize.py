import pytest

from apps.core.sanitize import markdown_to_html, sanitize_html

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle r='5'/></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name=a></form>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    '<svg><use href="data:image/svg+xml,<svg id=x onload=alert(1)>"/></svg>',
    "<svg><animate onbegin=alert(1) attributeName=x dur=1s>",
    '<svg><foreignObject><iframe src="javascript:alert(1)"></iframe></foreignObject></svg>',
    "<style>*{color:red}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    "<!--<script>alert(1)</script>-->",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_sanitizer_removes_every_way_to_run_code_or_load_remote_content(payload):
    clean = sanitize_html(payload).lower()
    for forbidden in [
        "<script", "javascript:", "vbscript:", "data:", " on", "style", "<iframe", "<object",
        "<embed", "<form", "<link", "<meta", "<base", "<use", "<animate", "foreignobject",
        "<img", "xlink",
    ]:  # fmt: skip
        assert forbidden not in clean, (payload, clean)


def test_markdown_payloads_are_neutralised():
    html = markdown_to_html("[click](javascript:alert(1)) ![x](https://evil.example/x.png)")
    assert "javascript:" not in html
    assert "<img" not in html


def test_allowed_markup_is_kept():
    source = (
        "## Heading\n\nSome *emphasis*, **strong**, a [link](https://example.org/page).\n\n"
        "- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    html = markdown_to_html(source)
    for kept in [
        "<h2>Heading</h2>",
        "<em>emphasis</em>",
        "<strong>strong</strong>",
        '<a href="https://example.org/page">link</a>',
        "<ul>",
        "<table>",
        "<td>1</td>",
    ]:
        assert kept in html


def test_inline_svg_diagram_keeps_its_case_and_labels():
    source = (
        '<figure class="diagram">\n'
        '<svg viewBox="0 0 360 200" role="img" aria-label="Flow">'
        '<rect class="d-box" x="10" y="10" width="100" height="40" rx="8"/>'
        '<text class="d-label" x="60" y="35" text-anchor="middle">مرحبا</text>'
        '<path class="d-arrow" d="M1 1 V 20"/><polygon class="d-arrowhead" points="1,2 3,4 5,6"/>'
        "</svg>\n<figcaption>A flow.</figcaption>\n</figure>\n"
    )
    html = markdown_to_html(source)
    assert 'viewBox="0 0 360 200"' in html
    assert 'text-anchor="middle"' in html
    assert ">مرحبا</text>" in html
    assert "<figcaption>A flow.</figcaption>" in html
    assert 'points="1,2 3,4 5,6"' in html
