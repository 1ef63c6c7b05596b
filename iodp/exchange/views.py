"""导出: the download of a list as .xlsx, with the list's own filters."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from iodp.core import clock

from . import services
from .registry import export_for


@login_required
@require_GET
def export_list(request, list_name: str):
    """The list `list_name` (a URL name such as organizations:list) as filtered by the query string. ID numbers
    stay masked unless the platform admin asks for them with reveal_ids=1 (logged)."""
    export = export_for(list_name)
    if export is None:
        raise Http404(_("该列表不提供导出。"))
    reveal = export.has_id_numbers and request.user.is_platform_admin and request.GET.get("reveal_ids") == "1"
    target = tempfile.TemporaryFile()
    services.export_to(target, export=export, request=request, reveal_ids=reveal)
    target.seek(0)
    filename = f"{export.title}-{clock.today():%Y%m%d}.xlsx"
    response = FileResponse(target, as_attachment=True, filename=filename,
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Cache-Control"] = "no-store"
    return response
