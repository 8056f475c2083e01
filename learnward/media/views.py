from __future__ import annotations

import re
from pathlib import PurePosixPath

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from learnward.catalog.models import MediaItem
from learnward.core.access import staff_required

from . import services
from .checks import MediaRejected, file_label, human_size, limit_for
from .forms import CaptionsForm, DetailsForm, EmbedForm, ReplaceEmbedForm, ReplaceForm, UploadForm
from .rendering import duration_text, file_url
from .selectors import (
    MANAGE_PERMISSION,
    media_for_course,
    media_for_viewer,
    media_get,
    media_library_course,
    media_uses,
)

manage = staff_required(MANAGE_PERMISSION)


def _limits() -> dict[str, str]:
    return {kind: human_size(limit_for(kind)) for kind in ("image", "video", "file", "captions")}


def _snippet(item: MediaItem) -> str:
    """The Markdown an author pastes into a lesson to show ``item``."""
    if item.kind == MediaItem.Kind.IMAGE:
        alt = item.alt_text.replace("]", "").replace("[", "") or _("Describe the image")
        return f"![{alt}](media:{item.pk})"
    title = item.title.replace("]", "").replace("[", "")
    return f"[{title}](media:{item.pk})"


def _row(item: MediaItem) -> dict:
    return {
        "item": item,
        "type": _("Embedded video")
        if item.kind == MediaItem.Kind.EMBED
        else file_label(item.content_type),
        "size": human_size(item.size) if item.size else "",
        "duration": duration_text(item.duration_seconds),
        "snippet": _snippet(item),
        "url": file_url(item) if item.file else "",
        "needs": _needs(item),
    }


def _needs(item: MediaItem) -> str:
    if item.kind == MediaItem.Kind.IMAGE and not item.alt_text.strip():
        return _("Needs alt text")
    if item.kind == MediaItem.Kind.VIDEO and not item.captions:
        return _("Needs captions")
    return ""


@manage
@require_http_methods(["GET", "HEAD", "POST"])
def library(request, slug: str):
    course = media_library_course(actor=request.user, slug=slug)
    form = UploadForm(request.POST or None, request.FILES or None, prefix="upload")
    embed_form = EmbedForm(prefix="embed")
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                item = services.media_upload(
                    course=course,
                    by=request.user,
                    kind=data["kind"],
                    upload=data["upload"],
                    title=data["title"],
                    alt_text=data["alt_text"],
                    transcript=data["transcript"],
                    captions=data["captions"],
                    shows_people=data["shows_people"],
                    people_permission=data["people_permission"],
                )
            except MediaRejected as exc:
                form.add_error("upload", exc.message)
            else:
                messages.success(request, _("Uploaded “%(title)s”.") % {"title": item.title})
                return redirect("media:item", slug=course.slug, pk=item.pk)
        status = 400
    return _library_page(request, course, form, embed_form, status)


def _library_page(request, course, form, embed_form, status):
    items = media_for_course(actor=request.user, course=course)
    return render(
        request,
        "media/library.html",
        {
            "course": course,
            "form": form,
            "embed_form": embed_form,
            "rows": [_row(item) for item in items],
            "limits": _limits(),
        },
        status=status,
    )


@manage
@require_POST
def embed_add(request, slug: str):
    course = media_library_course(actor=request.user, slug=slug)
    embed_form = EmbedForm(request.POST, prefix="embed")
    if embed_form.is_valid():
        data = embed_form.cleaned_data
        try:
            item = services.media_embed_add(
                course=course,
                by=request.user,
                url=data["url"],
                title=data["title"],
                transcript=data["transcript"],
                shows_people=data["shows_people"],
                people_permission=data["people_permission"],
            )
        except MediaRejected as exc:
            embed_form.add_error("url", exc.message)
        else:
            messages.success(request, _("Added the video “%(title)s”.") % {"title": item.title})
            return redirect("media:item", slug=course.slug, pk=item.pk)
    return _library_page(request, course, UploadForm(prefix="upload"), embed_form, 400)


def _item_page(request, course, item, *, details=None, captions=None, replace=None, status=200):
    kind = item.kind
    return render(
        request,
        "media/item.html",
        {
            "course": course,
            "item": item,
            "row": _row(item),
            "uses": media_uses(item=item),
            "details": details
            or DetailsForm(
                kind=kind,
                prefix="details",
                initial={
                    "title": item.title,
                    "alt_text": item.alt_text,
                    "transcript": item.transcript,
                    "shows_people": item.shows_people,
                },
            ),
            "captions_form": captions
            or (CaptionsForm(prefix="captions") if kind == "video" else None),
            "replace_form": replace
            or (
                ReplaceEmbedForm(prefix="replace")
                if kind == MediaItem.Kind.EMBED
                else ReplaceForm(prefix="replace")
            ),
            "limits": _limits(),
        },
        status=status,
    )


@manage
@require_http_methods(["GET", "HEAD", "POST"])
def item(request, slug: str, pk: int):
    course = media_library_course(actor=request.user, slug=slug)
    media = media_get(actor=request.user, course=course, pk=pk)
    if request.method != "POST":
        return _item_page(request, course, media)
    form = DetailsForm(request.POST, kind=media.kind, prefix="details")
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.media_details_update(
                item=media,
                by=request.user,
                title=data["title"],
                alt_text=data.get("alt_text", ""),
                transcript=data.get("transcript", ""),
                shows_people=data["shows_people"],
                people_permission=data["people_permission"],
            )
        except MediaRejected as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Saved."))
            return redirect("media:item", slug=course.slug, pk=media.pk)
    media.refresh_from_db()
    return _item_page(request, course, media, details=form, status=400)


@manage
@require_POST
def captions(request, slug: str, pk: int):
    course = media_library_course(actor=request.user, slug=slug)
    media = media_get(actor=request.user, course=course, pk=pk)
    form = CaptionsForm(request.POST, request.FILES, prefix="captions")
    if form.is_valid():
        try:
            services.media_captions_set(
                item=media, by=request.user, captions=form.cleaned_data["captions"]
            )
        except MediaRejected as exc:
            form.add_error("captions", exc.message)
        else:
            messages.success(request, _("Captions saved."))
            return redirect("media:item", slug=course.slug, pk=media.pk)
    media.refresh_from_db()
    return _item_page(request, course, media, captions=form, status=400)


@manage
@require_POST
def replace(request, slug: str, pk: int):
    course = media_library_course(actor=request.user, slug=slug)
    media = media_get(actor=request.user, course=course, pk=pk)
    embed = media.kind == MediaItem.Kind.EMBED
    form = (
        ReplaceEmbedForm(request.POST, prefix="replace")
        if embed
        else ReplaceForm(request.POST, request.FILES, prefix="replace")
    )
    if form.is_valid():
        try:
            services.media_replace(
                item=media,
                by=request.user,
                upload=None if embed else form.cleaned_data["upload"],
                url=form.cleaned_data["url"] if embed else "",
            )
        except MediaRejected as exc:
            form.add_error("url" if embed else "upload", exc.message)
        else:
            messages.success(request, _("Replaced. Every lesson using it now shows the new one."))
            return redirect("media:item", slug=course.slug, pk=media.pk)
    media.refresh_from_db()
    return _item_page(request, course, media, replace=form, status=400)


@manage
@require_POST
def delete(request, slug: str, pk: int):
    course = media_library_course(actor=request.user, slug=slug)
    media = media_get(actor=request.user, course=course, pk=pk)
    try:
        services.media_delete(item=media, by=request.user)
    except MediaRejected as exc:
        messages.error(request, exc.message)
        return redirect("media:item", slug=course.slug, pk=media.pk)
    messages.success(request, _("Deleted “%(title)s”.") % {"title": media.title})
    return redirect("media:library", slug=course.slug)


# --- Serving --------------------------------------------------------------------------------------

# What a stored file may be served as; anything else (it cannot happen through the services) goes
# out as an opaque download, never as HTML or SVG a browser would run.
SERVED_TYPES = {
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/gif",
    "video/mp4",
    "video/webm",
    "text/vtt",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _filename(item: MediaItem, stored: str) -> str:
    ext = PurePosixPath(stored).suffix.lower()
    return f"{slugify(item.title)[:80] or 'media'}{ext}"


def _read_range(handle, length: int, chunk: int = 64 * 1024):
    """Yield ``length`` bytes from ``handle``'s current position, then close it."""
    try:
        while length > 0:
            data = handle.read(min(chunk, length))
            if not data:
                break
            length -= len(data)
            yield data
    finally:
        handle.close()


def _send(request, item: MediaItem, field, content_type: str, *, inline: bool):
    if content_type not in SERVED_TYPES:
        content_type, inline = "application/octet-stream", False
    storage, name = field.storage, field.name
    try:
        size = storage.size(name)
        handle = storage.open(name, "rb")
    except (FileNotFoundError, OSError):
        raise Http404("No such file") from None
    status, start, end = 200, 0, size - 1
    match = _RANGE.match(request.headers.get("Range", "")) if size else None
    if match and (match.group(1) or match.group(2)):
        if match.group(1):
            start = int(match.group(1))
            end = min(int(match.group(2)), size - 1) if match.group(2) else size - 1
        else:  # the last N bytes
            start = max(size - int(match.group(2)), 0)
        if start > end or start >= size:
            handle.close()
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{size}"
            return response
        status = 206
    if status == 206:
        # Streamed in chunks: a range such as "bytes=0-" on a long video is never held in memory.
        handle.seek(start)
        response = StreamingHttpResponse(
            _read_range(handle, end - start + 1), status=206, content_type=content_type
        )
        response["Content-Length"] = str(end - start + 1)
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    else:
        response = FileResponse(handle, content_type=content_type)
        response["Content-Length"] = str(size)
    response["Accept-Ranges"] = "bytes"
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{_filename(item, name)}"'
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were fooled into rendering it, nothing in it may run or load.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    public = item.course.published and item.course.image_id == item.pk
    response["Cache-Control"] = "public, max-age=3600" if public else "private, max-age=3600"
    response["Vary"] = "Cookie"
    return response


@require_http_methods(["GET", "HEAD"])
def serve_file(request, pk: int):
    item = media_for_viewer(viewer=request.user, pk=pk)
    inline = item.kind in (MediaItem.Kind.IMAGE, MediaItem.Kind.VIDEO)
    return _send(request, item, item.file, item.content_type, inline=inline)


@require_http_methods(["GET", "HEAD"])
def serve_captions(request, pk: int):
    item = media_for_viewer(viewer=request.user, pk=pk)
    if not item.captions:
        raise Http404("No captions")
    return _send(request, item, item.captions, "text/vtt", inline=True)
