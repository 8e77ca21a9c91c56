"""`{% course_cover id title cover cover_small %}`: the course's resized cover image, or a
generated pattern (inline SVG, no style attributes: the CSP allows none) when it has none."""

from django import template

from courses.api import SIZES, cover_pattern, cover_url

register = template.Library()


@register.inclusion_tag("frontend/_cover.html")
def course_cover(course_id: int, title: str, cover: str = "", cover_small: str = ""):
    if cover:
        large, small = cover_url(cover), cover_url(cover_small or cover)
        return {"image": True, "large": large, "small": small, "sizes": SIZES}
    return {"image": False, "pattern": cover_pattern(course_id, title), "sizes": SIZES}
