from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from apps.simulator import content as simulator_content


def simulator_parts(request: HttpRequest) -> dict:
    """{module slug: id of the simulator's part it explains}, for the module pages' link to it. Given
    here, by the app that composes the others, so the lessons never import the simulator; read only
    when a template uses it."""
    return {"simulator_parts": SimpleLazyObject(lambda: simulator_content.scenario().modules)}
