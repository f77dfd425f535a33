"""Logo pictures (PNG, JPEG): the kind of a file, and a picture opened within a bound of pixels."""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING

from guide.theme import MAX_LOGO_PIXELS, MAX_LOGO_SIDE, ImageKind

if TYPE_CHECKING:
    from PIL.Image import Image


def image_kind(data: bytes) -> ImageKind | None:
    """Return what image `data` holds, from its first bytes; None if not PNG, JPEG or SVG."""
    if data.startswith(b"\x89PNG"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    text = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"<?xml", b"<svg", b"<!--", b"<!DOCTYPE svg")) and b"<svg" in data:
        return "svg"
    return None


class PictureTooLarge(ValueError):
    """A picture with more pixels than a logo may have: the message says how many it may have."""


def picture_problem(data: bytes) -> str | None:
    """Return why the PNG or JPEG `data` cannot be a logo, or None if it can.

    The size is read from the picture's header first (see `open_picture`); only a
    picture of bounded size is then decoded whole, so that a cut or damaged file
    is reported here, at the theme, rather than when a document is drawn.
    """
    from PIL import UnidentifiedImageError

    try:
        with open_picture(data) as picture:
            picture.load()
    except PictureTooLarge as error:
        return str(error)
    except Exception as error:  # Pillow raises many kinds of error for a damaged picture
        detail = "" if isinstance(error, UnidentifiedImageError) else f" ({error})"  # that one: an address
        return f"is a damaged picture{detail}: save or export it again"
    return None


def open_picture(data: bytes) -> Image:
    """Return the PNG or JPEG `data` opened but not decoded; raise PictureTooLarge if it has too many pixels.

    Pillow reads only the header here. Its own guard against decompression bombs,
    far above a logo's size, warns (silenced: the size is checked below) and then
    refuses, which becomes the same PictureTooLarge.
    """
    from PIL import Image

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            picture = Image.open(io.BytesIO(data), formats=("PNG", "JPEG"))
        except Image.DecompressionBombError:
            raise PictureTooLarge(_too_many_pixels("has more pixels than a logo needs")) from None
    width, height = picture.size
    if max(width, height) > MAX_LOGO_SIDE or width * height > MAX_LOGO_PIXELS:
        picture.close()
        raise PictureTooLarge(_too_many_pixels(f"is {width:,} x {height:,} pixels, more than a logo needs"))
    return picture


def _too_many_pixels(what: str) -> str:
    return (
        f"{what}: scale it down to at most {MAX_LOGO_SIDE:,} pixels on a side"
        f" and {MAX_LOGO_PIXELS:,} in all (5 cm at 600 dpi is 1,200 pixels)"
    )
