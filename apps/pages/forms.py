from django import forms
from django.utils.translation import gettext_lazy as _

from .search import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Search for at most %(limit_value)d characters."),
            "null_characters_not_allowed": _("The search contains a character that cannot be searched for."),
        },
    )

    def shown_value(self) -> str:
        """What the search box shows again: the query as typed, or for a refused one as much of it as
        can be shown."""
        return str(self.data.get("q", "")).replace("\x00", "")[:MAX_QUERY_LENGTH]
