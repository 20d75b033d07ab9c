"""The one refusal table of every page that names an object (docs/architecture.md, "Access";
ADR 0010):

| case | answer |
| --- | --- |
| wrong HTTP method | 405, before anything else |
| not logged in | the login page, back to the URL afterwards |
| may not know the object exists | 404 (`NotFound`), as for an object that does not exist |
| may see it but not do this | 403 (`Refused`) with the reason in Vietnamese |

Each object kind has one reach function in its app's access module,
`<kind>_for_user(user, key, need)`, that returns the object or raises `NotFound` / `Refused`;
`object_view` turns it into a view decorator, `page_view` does the same for pages of no single
object (a list, a dashboard) with a check that raises `Refused`.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.views.decorators.http import require_http_methods


class Need(enum.Enum):
    READ = "read"  # open it: pages, history, downloads
    EDIT = "edit"  # change it
    CREATE = "create"  # make a new one under it (a unit's report)
    SUBMIT = "submit"  # sign and send a department's report to Sở Nội vụ
    REVIEW = "review"  # comment on, return or approve a submitted report
    SIGN = "sign"  # sign the province's own report
    SIGN_PDF = "sign_pdf"  # put one's digital signature on a report's frozen PDF
    COMPILE = "compile"  # compile the province's report from its departments' reports
    ADMIN = "admin"  # administrators' actions (reopen an approved report, publish a template)


READ, EDIT, CREATE, SUBMIT = Need.READ, Need.EDIT, Need.CREATE, Need.SUBMIT
REVIEW, SIGN, SIGN_PDF = Need.REVIEW, Need.SIGN, Need.SIGN_PDF
COMPILE, ADMIN = Need.COMPILE, Need.ADMIN


class NotFound(Http404):
    """The object does not exist, or the user may not know that it does."""


class Refused(PermissionDenied):
    """The user may see the object but not do this; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Access:
    """How a view reaches its object (read by the test that walks every URL pattern)."""

    reach: Callable | None
    need: Need
    post: Need | None
    key: str | None


SAFE = ("GET", "HEAD")
SAFE_AND_POST = (*SAFE, "POST")


def object_view(
    reach: Callable,
    need: Need = READ,
    *,
    post: Need | None = None,
    key: str = "pk",
    methods=None,
    refused: Callable | None = None,
):
    """A view of the object named by the URL argument `key`: 405 for another method (by
    default a view that only reads answers GET and HEAD), the login page for anonymous
    visitors, then `reach(user, value, need)` (`post` on POST, when given), whose object is
    passed to the view in place of `key`. `refused(request, value, need, exc)` may answer a
    refusal its own way (a JSON client); None leaves it to the 403 page."""
    if methods is None:
        methods = SAFE if need == READ and post is None else SAFE_AND_POST

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            wanted = post if post is not None and request.method == "POST" else need
            value = kwargs.pop(key)
            try:
                obj = reach(request.user, value, wanted)
            except Refused as exc:
                response = refused(request, value, wanted, exc) if refused else None
                if response is None:
                    raise
                return response
            return view(request, obj, *args, **kwargs)

        wrapper.access = Access(reach, need, post, key)
        return require_http_methods(list(methods))(login_required(wrapper))

    return decorator


def page_view(check: Callable | None, *, methods=SAFE_AND_POST):
    """A page of no single object: 405 for another method, the login page for anonymous
    visitors, then `check(user)`, which raises `Refused` when the user may not use it (None:
    every logged-in user may; the page shows only what is theirs)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if check is not None:
                check(request.user)
            return view(request, *args, **kwargs)

        wrapper.access = Access(None, READ, None, None)
        return require_http_methods(list(methods))(login_required(wrapper))

    return decorator
