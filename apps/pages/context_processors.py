from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext

from apps.labs import content as lab_content
from apps.simulator import content as simulator_content


def _practice_by_module() -> dict[str, list[tuple[str, str]]]:
    practice: dict[str, list[tuple[str, str]]] = {}
    for module, part in simulator_content.scenario().modules.items():
        url = f"{reverse('simulator:simulator')}#{part}"
        practice.setdefault(module, []).append((url, gettext("See it happen in the data-trail simulator")))
    practice.setdefault(lab_content.MODULE, []).append(
        (reverse("labs:scams"), gettext("Practise: spot the scam in twenty messages"))
    )
    practice.setdefault(lab_content.POLICIES_MODULE, []).append(
        (reverse("labs:policies"), gettext("Practise: read the small print of five privacy policies"))
    )
    practice.setdefault(lab_content.REQUESTS_MODULE, []).append(
        (reverse("labs:requests"), gettext("Practise: write a letter asking a company for your data"))
    )
    return practice


def module_practice(request: HttpRequest) -> dict:
    """{module slug: [(url, label)]}: the simulator's part and the labs each module links to. Given here,
    by the app that composes the others, so the lessons never import them; built only when a template
    uses it, in the language of the request."""
    return {"module_practice": SimpleLazyObject(_practice_by_module)}
