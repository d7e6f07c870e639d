"""CSV downloads that spreadsheet programs open safely and correctly."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_neutralise(value: object) -> object:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe (OWASP's advice);
    numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_response(*, filename: str, header: list[str], rows: Iterable[list[object]]) -> HttpResponse:
    """A CSV download: UTF-8 with a byte-order mark (so Arabic opens correctly), never stored by
    the browser or a proxy, every cell neutralised."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([cell_neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([cell_neutralise(cell) for cell in row])
    return response
