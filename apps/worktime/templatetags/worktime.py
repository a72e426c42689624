from django import template

from apps.worktime.selectors import missing_years

register = template.Library()


@register.inclusion_tag("worktime/_missing_years.html")
def calendar_warnings():
    """“Calendar for 2027 not entered”: on the supervision desk and the admin index."""
    return {"missing": missing_years()}
