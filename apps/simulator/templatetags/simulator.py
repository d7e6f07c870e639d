"""How the simulator's templates say what a reader did and which controls a post offers."""

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

register = template.Library()

TOGGLES = {
    "like": _("Like"),
    "share": _("Share"),
    "follow": _("Follow"),
    "watch": _("Watch to the end"),
    "checkin": _("Check in here"),
    "visit": _("Visit the website"),
}
DONE = {
    "like": _("You liked the post by %(author)s"),
    "share": _("You shared the post by %(author)s"),
    "follow": _("You followed %(author)s"),
    "watch": _("You watched the video by %(author)s to the end"),
    "checkin": _("You checked in at %(author)s"),
    "visit": _("You visited the website of %(author)s"),
    "comment": _("You commented “%(reply)s” on the post by %(author)s"),
    "quiz": _("You answered “%(reply)s” in the quiz by %(author)s"),
}


@register.filter
def toggles(post, chosen: dict) -> list[dict]:
    """The post's on/off actions, in the post's order, each with its label and whether it is on."""
    return [
        {"action": action, "label": TOGGLES[action], "on": chosen.get(action) == "on"}
        for action in post.actions
        if action in TOGGLES
    ]


@register.filter
def did(trace) -> SafeString:
    """One action of the reader, as the panel names it: the sentence translated and escaped, then the
    post's author and the chosen reply put in, each escaped (the author isolated for right-to-left)."""
    sentence = str(conditional_escape(str(DONE[trace.action])))
    reply = trace.reply.text if trace.reply else ""
    filled = sentence % {
        "author": format_html("<bdi>{}</bdi>", trace.post.author),
        "reply": conditional_escape(reply),
    }
    # Not content HTML, so not sanitize_html(): a translated sentence escaped whole, and the author and
    # the reply (plain text from the scenario file) escaped as they go in.
    return mark_safe(filled)  # noqa: S308


@register.filter
def title_of(mapping: dict, key: str):
    """The title of the scenario entry `key` (a setting, an audience)."""
    return mapping[key].title


@register.filter
def reply_groups(post) -> list[tuple[str, tuple]]:
    """The post's ready-made comments and quiz answers, as (action, replies) pairs."""
    groups = [("comment", post.comments), ("quiz", post.answers)]
    return [(action, replies) for action, replies in groups if action in post.actions]
