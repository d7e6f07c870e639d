from django import template

from apps.quizzes import selectors
from apps.quizzes.models import Quiz

register = template.Library()


@register.simple_tag(takes_context=True)
def quiz_summary_for(context, module):
    """The reader's attempts and best score on this module's quiz, or None without a quiz."""
    quiz = Quiz.objects.filter(module=module).first()
    if quiz is None:
        return None
    return selectors.quiz_summary_for_reader(request=context["request"], quiz=quiz)
