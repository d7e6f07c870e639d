from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key, [])


@register.filter
def done_count(grid, assignment):
    return grid.done_count(assignment)
